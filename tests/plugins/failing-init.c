/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin whose init fails after registering a route, an object, a feature service and a
 * route alias: none of them may be served.
 */
#include <tender-plugin.h>

static const gchar failing_xml[] = "<node><interface name='org.tender.Test.Failing'>"
				   "<method name='Ping'/></interface></node>";
static const TenderPluginMethodAction failing_actions[] = {
    {"Ping", "org.tender.workloads.read"},
    {NULL, NULL},
};

static const gchar failing_feature_xml[] = "<node><interface name='org.tender.Test.FailingFeature'>"
					   "<method name='Get'>"
					   "<arg name='params' type='a{ss}' direction='in'/>"
					   "<arg name='body' type='s' direction='in'/>"
					   "<arg name='status' type='u' direction='out'/>"
					   "<arg name='answer' type='s' direction='out'/>"
					   "</method></interface></node>";

static void
failing_get_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_call_return_value(call, g_variant_new("(us)", 200, "\"must not be served\""));
}

static const TenderPluginServiceMethod failing_feature_methods[] = {
    {"Get", "org.tender.workloads.read", failing_get_cb},
    {NULL, NULL, NULL},
};

static const TenderPluginHttpAlias failing_aliases[] = {
    {.verb = "GET", .pattern = "/failing/ping", .method = "Get"},
    {.verb = NULL},
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
	if (!tender_plugin_add_feature_service(plugin,
					       failing_feature_xml,
					       failing_feature_methods,
					       NULL,
					       NULL,
					       error) ||
	    !tender_plugin_add_http_aliases(plugin, failing_aliases, error))
		return FALSE;
	g_set_error_literal(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "the license server cannot be reached");
	return FALSE;
}

TENDER_PLUGIN_DEFINE("failing-init", "0.1", "fails in its init", failing_init, NULL)
