/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tender-adapter-list.h"
#include "tender-authority.h"
#include "tender-config.h"
#include "tender-engine.h"
#include "tender-plugin-list.h"

G_BEGIN_DECLS

#define TENDER_HTTP_SERVER_EVENTS_MAX 1024

#define TENDER_TYPE_HTTP_SERVER (tender_http_server_get_type())
G_DECLARE_FINAL_TYPE(TenderHttpServer, tender_http_server, TENDER, HTTP_SERVER, GObject)

TenderHttpServer *
tender_http_server_new(TenderEngine *engine,
		       const TenderConfig *config,
		       TenderAuthority *authority);
void
tender_http_server_set_plugins(TenderHttpServer *self, TenderPluginList *plugins);
gboolean
tender_http_server_listen(TenderHttpServer *self, GError **error);
guint
tender_http_server_status_for_error(const GError *error);
void
tender_http_server_message_reply_json(SoupServerMessage *msg, guint status, JsonNode *node);
void
tender_http_server_message_reply_error(SoupServerMessage *msg, const GError *error);
JsonNode *
tender_http_server_message_get_body(SoupServerMessage *msg, GError **error);
void
tender_http_server_set_adapters(TenderHttpServer *self, TenderAdapterList *adapters);

G_END_DECLS
