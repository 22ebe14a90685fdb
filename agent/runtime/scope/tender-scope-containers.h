/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-image-store.h"
#include "tender-scope-image.h"
#include "tender-spec.h"

G_BEGIN_DECLS

#define TENDER_TYPE_SCOPE_CONTAINERS (tender_scope_containers_get_type())
G_DECLARE_FINAL_TYPE(TenderScopeContainers,
		     tender_scope_containers,
		     TENDER,
		     SCOPE_CONTAINERS,
		     GObject)

TenderScopeContainers *
tender_scope_containers_new(const gchar *dir);
const gchar *
tender_scope_containers_get_dir(TenderScopeContainers *self);
gboolean
tender_scope_containers_setup(TenderScopeContainers *self, GError **error);
void
tender_scope_containers_set_image_store(TenderScopeContainers *self, TenderImageStore *images);
TenderScopeImage *
tender_scope_containers_lookup_image(TenderScopeContainers *self,
				     const gchar *name,
				     GError **error);
gchar **
tender_scope_containers_build_command(TenderScopeContainers *self,
				      const gchar *workload,
				      const TenderSpec *spec,
				      GError **error);
gchar *
tender_scope_containers_prepare(TenderScopeContainers *self,
				const gchar *workload,
				const TenderScopeImage *image,
				GError **error);
gboolean
tender_scope_containers_prepare_spec(TenderScopeContainers *self,
				     const gchar *workload,
				     const TenderSpec *spec,
				     TenderScopeImage **image,
				     gchar **container_dir,
				     GError **error);
void
tender_scope_containers_remove(TenderScopeContainers *self, const gchar *workload);

G_END_DECLS
