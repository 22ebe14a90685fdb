/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-plugin.h"
#include "tender-runtime.h"

G_BEGIN_DECLS

/* the most runtimes one plugin may register */
#define TENDER_PLUGIN_RUNTIMES_MAX 16

#define TENDER_TYPE_PLUGIN_RUNTIME (tender_plugin_runtime_get_type())
G_DECLARE_FINAL_TYPE(TenderPluginRuntime,
		     tender_plugin_runtime,
		     TENDER,
		     PLUGIN_RUNTIME,
		     TenderRuntime)

TenderPluginRuntime *
tender_plugin_runtime_new(const gchar *name,
			  const TenderRuntimeVTable *vtable,
			  gpointer user_data,
			  GDestroyNotify destroy);
const TenderRuntimeVTable *
tender_plugin_runtime_get_vtable(TenderPluginRuntime *self, GError **error);
gpointer
tender_plugin_runtime_get_user_data(TenderPluginRuntime *self);
void
tender_plugin_runtime_add_run(TenderPluginRuntime *self, GObject *run);
void
tender_plugin_runtime_remove_run(TenderPluginRuntime *self, GObject *run);
void
tender_plugin_runtime_detach(TenderPluginRuntime *self);
void
tender_plugin_clear_runtimes(TenderPlugin *plugin);
void
tender_plugin_announce_runtimes(TenderPlugin *plugin);

G_END_DECLS
