/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* how deep a state file may nest: a result or parameters, two levels down */
#define TENDER_DOCKER_TOOL_STORE_DEPTH_MAX (TENDER_JSON_DEPTH_MAX + 4)

#define TENDER_TYPE_DOCKER_TOOL_STORE (tender_docker_tool_store_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerToolStore,
		     tender_docker_tool_store,
		     TENDER,
		     DOCKER_TOOL_STORE,
		     GObject)

typedef gboolean (*TenderDockerToolStoreCheckId)(const gchar *id);

TenderDockerToolStore *
tender_docker_tool_store_new(const gchar *dir);
TenderDockerToolStore *
tender_docker_tool_store_new_full(const gchar *dir,
				  const gchar *prefix,
				  TenderDockerToolStoreCheckId check_id);
const gchar *
tender_docker_tool_store_get_dir(TenderDockerToolStore *self);
void
tender_docker_tool_store_save_async(TenderDockerToolStore *self,
				    const gchar *id,
				    JsonObject *state,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_docker_tool_store_save_finish(TenderDockerToolStore *self,
				     GAsyncResult *res,
				     GError **error);
void
tender_docker_tool_store_remove(TenderDockerToolStore *self, const gchar *id);
void
tender_docker_tool_store_load_async(TenderDockerToolStore *self,
				    guint max_files,
				    gsize max_size,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
GPtrArray *
tender_docker_tool_store_load_finish(TenderDockerToolStore *self,
				     GAsyncResult *res,
				     GError **error);
gboolean
tender_docker_tool_store_is_idle(TenderDockerToolStore *self);

G_END_DECLS
