/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

gboolean
tender_http_fastapi_read_object(SoupServerMessage *msg, JsonObject **body);
gboolean
tender_http_fastapi_check_bool(SoupServerMessage *msg, JsonObject *body, const gchar *field);
void
tender_http_fastapi_reply_detail(SoupServerMessage *msg, guint status, const gchar *detail);
void
tender_http_fastapi_reply_message(SoupServerMessage *msg, const gchar *message);

G_END_DECLS
