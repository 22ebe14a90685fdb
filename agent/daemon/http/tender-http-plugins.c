/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-http-message.h"
#include "tender-http-plugins.h"
#include "tender-http-server-private.h"
#include "tender-plugin-request-private.h"

/* the plugins over HTTP: GET /v1/plugins, and the routes they registered (tender-plugin.h) */

/**
 * tender_http_plugins_list:
 * @req: GET /v1/plugins
 *
 * Answers with the plugins, loaded or not.
 */
void
tender_http_plugins_list(TenderHttpRequest *req)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	TenderPluginList *list = tender_http_server_get_plugins(req->self);
	GPtrArray *plugins = list != NULL ? tender_plugin_list_get_plugins(list) : NULL;

	json_builder_begin_array(b);
	for (guint i = 0; plugins != NULL && i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		g_autofree gchar *status = tender_plugin_get_status_string(plugin);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_plugin_get_name(plugin));
		json_builder_set_member_name(b, "version");
		json_builder_add_string_value(b, tender_plugin_get_version(plugin));
		json_builder_set_member_name(b, "status");
		json_builder_add_string_value(b, status);
		json_builder_set_member_name(b, "description");
		json_builder_add_string_value(b, tender_plugin_get_description(plugin));
		json_builder_set_member_name(b, "file");
		json_builder_add_string_value(b, tender_plugin_get_filename(plugin));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, root);
}

/**
 * tender_http_plugins_call:
 * @req: a request for a plugin's route, authorized
 *
 * Hands the request to the plugin, which may answer later.
 */
void
tender_http_plugins_call(TenderHttpRequest *req)
{
	g_autoptr(TenderPluginRequest) preq = NULL;

	preq = tender_plugin_request_new(req->msg,
					 req->match.plugin_path,
					 g_steal_pointer(&req->match.captures),
					 req->query,
					 g_steal_pointer(&req->subject));
	req->match.plugin_route->func(req->match.plugin, preq, req->match.plugin_route->user_data);
	if (!tender_plugin_request_get_replied(preq))
		tender_plugin_request_pause(preq);
}
