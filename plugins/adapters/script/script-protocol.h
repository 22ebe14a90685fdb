/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the longest reply a script may write, and the longest it may take by default */
#define SCRIPT_PROTOCOL_REPLY_MAX	(1024 * 1024)
#define SCRIPT_PROTOCOL_TIMEOUT_DEFAULT 10
#define SCRIPT_PROTOCOL_TIMEOUT_MAX	300
/* the most lines a prometheus reply may have */
#define SCRIPT_PROTOCOL_LINES_MAX 10000

gchar *
script_protocol_request(const gchar *op,
			const gchar *instance,
			JsonObject *payload,
			guint32 main_pid);
JsonObject *
script_protocol_parse_reply(const gchar *output, gsize len, GError **error);
GVariant *
script_protocol_parse_start(JsonObject *reply, GError **error);
gboolean
script_protocol_parse_hooks(JsonObject *reply,
			    const gchar *op,
			    GVariant **commands,
			    GError **error);
gboolean
script_protocol_parse_update(JsonObject *reply, gint *result, GError **error);
gboolean
script_protocol_parse_metrics(JsonObject *reply, JsonObject **metrics, GError **error);
gboolean
script_protocol_parse_prometheus(JsonObject *reply, gchar ***lines, GError **error);
gboolean
script_protocol_parse_value(const gchar *op,
			    JsonObject *reply,
			    gpointer *value,
			    GDestroyNotify *destroy,
			    GError **error);

G_END_DECLS
