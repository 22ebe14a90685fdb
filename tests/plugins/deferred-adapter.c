/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin that provides the adapter type "late" and whose service is not up when tenderd
 * starts: its probe defers once, then succeeds.  It registers the type in every probe (what
 * a deferred probe registered is dropped), so the instances of "late" come only once it is
 * active.  Its first probe after tenderd started defers.
 */
#include <tender-plugin.h>

#define DEFERRED_PROBES 1

/* the payload's "command", an array of strings, is the workload's argv */
static void
late_start(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	JsonNode *command = json_object_get_member(payload, "command");
	JsonArray *array = JSON_NODE_HOLDS_ARRAY(command) ? json_node_get_array(command) : NULL;
	GVariantBuilder argv;
	GVariantBuilder spec;

	if (array == NULL || json_array_get_length(array) == 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"'command' must be an array of strings");
		return;
	}
	g_variant_builder_init(&argv, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		const gchar *arg = json_array_get_string_element(array, i);
		g_variant_builder_add(&argv, "s", arg != NULL ? arg : "");
	}
	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&spec, "{sv}", "argv", g_variant_builder_end(&argv));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&spec)),
			      (GDestroyNotify)g_variant_unref);
}

static const TenderAdapterVTable late_adapter = {
    .name = "late",
    .struct_size = sizeof(TenderAdapterVTable),
    .start = late_start,
};

/* the module stays resident: a count of the probes since tenderd started */
static guint deferred_adapter_probes = 0;

static TenderPluginProbeResult
deferred_adapter_probe(TenderPlugin *plugin, GError **error)
{
	if (!tender_plugin_register_adapter(plugin, &late_adapter, error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (++deferred_adapter_probes <= DEFERRED_PROBES) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "its service is not up yet (probe %u)",
			    deferred_adapter_probes);
		return TENDER_PLUGIN_PROBE_RESULT_DEFER;
	}
	return TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
}

TENDER_PLUGIN_DEFINE_PROBE("deferred-adapter",
			   "0.1",
			   "provides an adapter type once its service is up",
			   deferred_adapter_probe,
			   NULL)
