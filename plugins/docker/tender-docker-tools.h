/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-client.h"
#include "tender-docker-tool.h"

G_BEGIN_DECLS

/* the most tool runs at once: each holds two of the client's connections (wait, stats) */
#define TENDER_DOCKER_TOOLS_CONCURRENT_MAX 16
/* the defaults of the bounds on the runs kept (results and running) and queued */
#define TENDER_DOCKER_TOOLS_KEPT_DEFAULT   512
#define TENDER_DOCKER_TOOLS_QUEUED_DEFAULT 256

#define TENDER_TYPE_DOCKER_TOOLS (tender_docker_tools_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerTools, tender_docker_tools, TENDER, DOCKER_TOOLS, GObject)

TenderDockerTools *
tender_docker_tools_new(TenderDockerClient *client,
			const gchar *state_dir,
			guint max_concurrent,
			guint64 result_ttl_sec,
			gsize output_max);
void
tender_docker_tools_set_limits(TenderDockerTools *self, guint max_kept, guint max_queued);
gboolean
tender_docker_tools_is_idle(TenderDockerTools *self);

void
tender_docker_tools_recover_async(TenderDockerTools *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
tender_docker_tools_recover_finish(TenderDockerTools *self, GAsyncResult *res, GError **error);

void
tender_docker_tools_execute_async(TenderDockerTools *self,
				  JsonObject *request,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
TenderDockerTool *
tender_docker_tools_execute_finish(TenderDockerTools *self, GAsyncResult *res, GError **error);

TenderDockerTool *
tender_docker_tools_lookup(TenderDockerTools *self, const gchar *id, GError **error);
GPtrArray *
tender_docker_tools_list(TenderDockerTools *self, const gchar *session_id);

void
tender_docker_tools_cancel_async(TenderDockerTools *self,
				 const gchar *id,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
gboolean
tender_docker_tools_cancel_finish(TenderDockerTools *self, GAsyncResult *res, GError **error);

gboolean
tender_docker_tools_forget(TenderDockerTools *self, const gchar *id, GError **error);

G_END_DECLS
