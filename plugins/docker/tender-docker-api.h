/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* the oldest Engine API spoken (dockerd 20.10), and the newest known: a newer dockerd is
 * spoken to in this one */
#define TENDER_DOCKER_API_MIN "1.41"
#define TENDER_DOCKER_API_MAX "1.43"

/* how much of an error answer is read for its message */
#define TENDER_DOCKER_ERROR_BODY_MAX (64 * 1024)

gboolean
tender_docker_api_version_parse(const gchar *text, guint *major, guint *minor);
gint
tender_docker_api_version_compare(const gchar *a, const gchar *b);
gchar *
tender_docker_api_negotiate(const gchar *socket_path,
			    const gchar *server_version,
			    const gchar *server_min_version,
			    GError **error);
gchar *
tender_docker_api_escape(const gchar *text);
gchar *
tender_docker_api_build_path(const gchar *path, const gchar *first_key, ...) G_GNUC_NULL_TERMINATED;
gchar *
tender_docker_api_build_filters(const gchar *first_key, ...) G_GNUC_NULL_TERMINATED;
gboolean
tender_docker_api_check_name(const gchar *text, gsize max);
JsonArray *
tender_docker_api_get_array(JsonNode *answer, const gchar *what, GError **error);
gboolean
tender_docker_api_check_status(guint status,
			       const gchar *reason,
			       const guint8 *body,
			       gsize body_len,
			       GError **error);
void
tender_docker_api_not_answering(GError **error, const gchar *socket_path);
gssize
tender_docker_api_find_head_end(const guint8 *data, gsize len);
gboolean
tender_docker_api_parse_head(const gchar *head,
			     gsize len,
			     guint *status,
			     gchar **reason,
			     SoupMessageHeaders **headers,
			     GError **error);

G_END_DECLS
