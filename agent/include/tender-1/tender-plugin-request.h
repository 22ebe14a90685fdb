/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tender-caller.h"

G_BEGIN_DECLS

/**
 * TenderPluginRequest:
 *
 * One HTTP request to a plugin's route.  The core has already checked its size, its
 * content type (a body is always application/json), its bearer token over TCP, and the
 * caller's authorization for the route's polkit action.  Reply exactly once; until then
 * the client waits, so a route may answer from a callback (keep a reference).  A reply
 * after the client went away is dropped silently.
 *
 * Since: 0.1
 */
typedef struct _TenderPluginRequest TenderPluginRequest;

TenderPluginRequest *
tender_plugin_request_ref(TenderPluginRequest *self);
void
tender_plugin_request_unref(TenderPluginRequest *self);
const gchar *
tender_plugin_request_get_method(TenderPluginRequest *self);
const gchar *
tender_plugin_request_get_path(TenderPluginRequest *self);
const gchar *
tender_plugin_request_get_capture(TenderPluginRequest *self, guint index);
const gchar *
tender_plugin_request_get_query(TenderPluginRequest *self, const gchar *key);
JsonNode *
tender_plugin_request_get_body(TenderPluginRequest *self, GError **error);
const TenderCaller *
tender_plugin_request_get_caller(TenderPluginRequest *self);
void
tender_plugin_request_reply_json(TenderPluginRequest *self, guint status, JsonNode *node);
void
tender_plugin_request_reply_text(TenderPluginRequest *self,
				 guint status,
				 const gchar *content_type,
				 const gchar *text);
void
tender_plugin_request_reply_error(TenderPluginRequest *self, const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderPluginRequest, tender_plugin_request_unref)

G_END_DECLS
