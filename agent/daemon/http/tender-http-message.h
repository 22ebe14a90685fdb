/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tender-error.h"

G_BEGIN_DECLS

void
tender_http_message_reply_json(SoupServerMessage *msg, guint status, JsonNode *node);
void
tender_http_message_reply_bytes(SoupServerMessage *msg,
				guint status,
				const gchar *content_type,
				GBytes *bytes);
void
tender_http_message_reply_text(SoupServerMessage *msg,
			       guint status,
			       const gchar *content_type,
			       gchar *text);
void
tender_http_message_reply_error(SoupServerMessage *msg,
				guint status,
				TenderError code,
				const gchar *message);
void
tender_http_message_reply_gerror(SoupServerMessage *msg, const GError *error);
gchar *
tender_http_message_render_gerror(const GError *error);
void
tender_http_message_set_detail_errors(SoupServerMessage *msg);
void
tender_http_message_reply_member(SoupServerMessage *msg,
				 guint status,
				 const gchar *member,
				 const gchar *text);
JsonNode *
tender_http_message_get_body(SoupServerMessage *msg, GError **error);

G_END_DECLS
