/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-image-store.h"
#include "tender-network-manager.h"
#include "tender-runtime.h"

G_BEGIN_DECLS

#define TENDER_TYPE_SCOPE_RUNTIME (tender_scope_runtime_get_type())
G_DECLARE_FINAL_TYPE(TenderScopeRuntime, tender_scope_runtime, TENDER, SCOPE_RUNTIME, TenderRuntime)

TenderScopeRuntime *
tender_scope_runtime_new(const gchar *cgroup_root,
			 GDBusConnection *system_bus,
			 const gchar *shim,
			 const gchar *state_dir);
void
tender_scope_runtime_set_image_store(TenderScopeRuntime *self, TenderImageStore *images);
TenderImageStore *
tender_scope_runtime_get_image_store(TenderScopeRuntime *self);
void
tender_scope_runtime_set_network_manager(TenderScopeRuntime *self, TenderNetworkManager *network);

G_END_DECLS
