/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The plugin of README.md, "Writing a plugin"; test_plugins.py checks the two are the same.
 */
#include <tender-plugin.h>

static void
greet(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	g_autoptr(JsonNode) node = json_node_init_string(json_node_alloc(), "hello");
	tender_plugin_request_reply_json(request, 200, node);
}

static gboolean
greeter_init(TenderPlugin *plugin, GError **error)
{
	return tender_plugin_add_http_route(plugin,
					    "GET",
					    "greet",
					    "org.tender.workloads.read",
					    greet,
					    NULL,
					    NULL,
					    error);
}

TENDER_PLUGIN_DEFINE("greeter", "1.0", "says hello", greeter_init, NULL)
