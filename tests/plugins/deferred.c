/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin whose service is not up when tenderd starts: its probe defers twice, then
 * succeeds.  It counts its probes in its state directory (what it registers, its data
 * included, is dropped after each deferred probe), so a test restarts the count by removing
 * the file "probes" there.  Its route is served once it is active, not before; the paths below
 * /deferred-paths/, which it reserves, answer 503 as FastAPI would until then.
 */
#include <tender-plugin.h>

#define DEFERRED_PROBES 2

static void
deferred_route_cb(TenderPlugin *plugin, TenderPluginRequest *request, gpointer user_data)
{
	tender_plugin_request_reply_text(request, 200, "text/plain", "up\n");
}

static TenderPluginProbeResult
deferred_probe(TenderPlugin *plugin, GError **error)
{
	g_autofree gchar *path =
	    g_build_filename(tender_plugin_get_state_dir(plugin), "probes", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *count = NULL;
	guint64 probes = 0;

	if (g_file_get_contents(path, &text, NULL, NULL))
		probes = g_ascii_strtoull(text, NULL, 10);
	probes++;
	count = g_strdup_printf("%" G_GUINT64_FORMAT "\n", probes);
	if (!g_file_set_contents(path, count, -1, error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (!tender_plugin_reserve_http_paths(plugin,
					      "/deferred-paths/",
					      TENDER_PLUGIN_HTTP_ALIAS_DETAIL,
					      error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (!tender_plugin_add_http_route(plugin,
					  "GET",
					  "status",
					  NULL,
					  deferred_route_cb,
					  NULL,
					  NULL,
					  error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (probes <= DEFERRED_PROBES) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "its service is not up yet (probe %" G_GUINT64_FORMAT ")",
			    probes);
		return TENDER_PLUGIN_PROBE_RESULT_DEFER;
	}
	return TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
}

TENDER_PLUGIN_DEFINE_PROBE("deferred", "0.1", "waits for its service", deferred_probe, NULL)
