/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the longest status line and headers of an attach answer */
#define TENDER_DOCKER_ATTACH_HEAD_MAX (64 * 1024)

void
tender_docker_attach_stdin(GTask *task, const gchar *socket_path, const gchar *path, GBytes *data);
void
tender_docker_attach_hijack(GTask *task,
			    const gchar *socket_path,
			    const gchar *path,
			    JsonNode *body);
GSocketConnection *
tender_docker_attach_hijack_finish(GAsyncResult *res, GBytes **rest, GError **error);

G_END_DECLS
