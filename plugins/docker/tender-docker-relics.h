/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-docker-client.h"
#include "tender-docker-relic.h"

G_BEGIN_DECLS

/* the most relics kept */
#define TENDER_DOCKER_RELICS_KEPT_MAX 1024

#define TENDER_TYPE_DOCKER_RELICS (tender_docker_relics_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerRelics, tender_docker_relics, TENDER, DOCKER_RELICS, GObject)

TenderDockerRelics *
tender_docker_relics_new(TenderDockerClient *client, const gchar *state_dir);

void
tender_docker_relics_recover_async(TenderDockerRelics *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
tender_docker_relics_recover_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error);

void
tender_docker_relics_start_async(TenderDockerRelics *self,
				 JsonObject *request,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
TenderDockerRelic *
tender_docker_relics_start_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error);

TenderDockerRelic *
tender_docker_relics_lookup(TenderDockerRelics *self, const gchar *id, GError **error);
GPtrArray *
tender_docker_relics_list(TenderDockerRelics *self, const gchar *session_id);

void
tender_docker_relics_stop_async(TenderDockerRelics *self,
				const gchar *id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
TenderDockerRelic *
tender_docker_relics_stop_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error);

void
tender_docker_relics_delete_async(TenderDockerRelics *self,
				  const gchar *id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
gboolean
tender_docker_relics_delete_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error);

G_END_DECLS
