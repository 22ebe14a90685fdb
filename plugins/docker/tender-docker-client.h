/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tender-docker-api.h"

G_BEGIN_DECLS

/* the largest JSON answer read */
#define TENDER_DOCKER_ANSWER_MAX (8 * 1024 * 1024)
/* the longest line of /events */
#define TENDER_DOCKER_EVENT_LINE_MAX (256 * 1024)
/* the label on everything the plugin creates, which /events is filtered to */
#define TENDER_DOCKER_LABEL_OWNER "org.tender.owner"

#define TENDER_TYPE_DOCKER_CLIENT (tender_docker_client_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerClient, tender_docker_client, TENDER, DOCKER_CLIENT, GObject)

TenderDockerClient *
tender_docker_client_new(const gchar *socket_path);
const gchar *
tender_docker_client_get_socket_path(TenderDockerClient *self);

void
tender_docker_client_connect_async(TenderDockerClient *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
gboolean
tender_docker_client_connect_finish(TenderDockerClient *self, GAsyncResult *res, GError **error);
gboolean
tender_docker_client_get_refused(TenderDockerClient *self);
const gchar *
tender_docker_client_get_api_version(TenderDockerClient *self);
const gchar *
tender_docker_client_get_server_version(TenderDockerClient *self);

void
tender_docker_client_request_async(TenderDockerClient *self,
				   const gchar *method,
				   const gchar *path,
				   JsonNode *body,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data);
JsonNode *
tender_docker_client_request_finish(TenderDockerClient *self, GAsyncResult *res, GError **error);

void
tender_docker_client_send_async(TenderDockerClient *self,
				const gchar *method,
				const gchar *path,
				JsonNode *body,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
GInputStream *
tender_docker_client_send_finish(TenderDockerClient *self, GAsyncResult *res, GError **error);

void
tender_docker_client_logs_async(TenderDockerClient *self,
				const gchar *id,
				gsize max,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
gboolean
tender_docker_client_logs_finish(TenderDockerClient *self,
				 GAsyncResult *res,
				 GByteArray **out,
				 GByteArray **err,
				 gboolean *truncated,
				 GError **error);

void
tender_docker_client_send_stdin_async(TenderDockerClient *self,
				      const gchar *id,
				      GBytes *data,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data);
gboolean
tender_docker_client_send_stdin_finish(TenderDockerClient *self, GAsyncResult *res, GError **error);

void
tender_docker_client_start_events(TenderDockerClient *self);
void
tender_docker_client_stop_events(TenderDockerClient *self);
gboolean
tender_docker_client_get_connected(TenderDockerClient *self);

G_END_DECLS
