/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin whose init fails after registering a route and an object: neither may be served.
 */
#include <tender-plugin.h>

static const gchar failing_xml[] = "<node><interface name='org.tender.Test.Failing'>"
				   "<method name='Ping'/></interface></node>";
static const TenderPluginMethodAction failing_actions[] = {
    {"Ping", "org.tender.workloads.read"},
    {NULL, NULL},
};

static void
failing_method_cb(TenderPlugin *plugin,
		  const TenderCaller *caller,
		  GDBusMethodInvocation *invocation,
		  gpointer user_data)
{
	g_dbus_method_invocation_return_value(invocation, NULL);
}

static void
failing_route_cb(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	tender_plugin_request_reply_text(request, 200, "text/plain", "must not be served\n");
}

static gboolean
failing_init(TenderPlugin *plugin, GError **error)
{
	if (!tender_plugin_add_dbus_object(plugin,
					   NULL,
					   failing_xml,
					   failing_actions,
					   failing_method_cb,
					   NULL,
					   NULL,
					   error))
		return FALSE;
	if (!tender_plugin_add_http_route(plugin,
					  "GET",
					  "ping",
					  NULL,
					  failing_route_cb,
					  NULL,
					  NULL,
					  error))
		return FALSE;
	g_set_error_literal(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "the license server cannot be reached");
	return FALSE;
}

TENDER_PLUGIN_DEFINE("failing-init", "0.1", "fails in its init", failing_init, NULL)
