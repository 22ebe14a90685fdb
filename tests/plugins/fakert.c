/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin with a runtime of its own, "fakert", whose runs run no process: a run "runs" until
 * a timer ends it, with the exit code its spec gives ("x-fakert": {"exit_after_ms": <u>,
 * "exit_code": <i>}; without exit_after_ms it runs until it is stopped), or until SIGTERM or
 * SIGKILL.  It has metrics (made up), no pause, and cannot take over runs after a restart of
 * tenderd.  Its probe defers as many times as the file "defer" in its state directory says
 * (counting down), for tests of workloads that wait for their runtime.
 *
 * Its service, org.tender.Test.Fakert on /org/tender/Agent1/plugin/fakert/service, creates
 * workloads the plugin owns (Create), and starts, stops, kills or removes workloads through
 * the plugin API (Manage), which it may do only to its own.
 */
#include <glib/gstdio.h>
#include <signal.h>
#include <tender-plugin.h>

/* the made-up metrics of every run */
#define FAKERT_CPU_USAGE_NSEC 7000000
#define FAKERT_MEMORY_BYTES   (1024 * 1024)

typedef struct {
	TenderRun *run;
	guint exit_id;
	gint exit_code;
} FakertRun;

static void
fakert_run_free(gpointer data)
{
	FakertRun *fr = data;
	if (fr->exit_id != 0)
		g_source_remove(fr->exit_id);
	g_free(fr);
}

static gboolean
fakert_exit_cb(gpointer user_data)
{
	FakertRun *fr = user_data;

	fr->exit_id = 0;
	tender_run_report_ended(fr->run, fr->exit_code, 0, NULL);
	return G_SOURCE_REMOVE;
}

static gboolean
fakert_start(TenderRun *run, gpointer user_data, GError **error)
{
	GVariant *x = tender_run_get_extension(run, "x-fakert");
	FakertRun *fr = g_new0(FakertRun, 1);
	guint32 exit_after_ms = 0;
	gboolean exits = FALSE;

	fr->run = run;
	if (x != NULL) {
		exits = g_variant_lookup(x, "exit_after_ms", "u", &exit_after_ms);
		(void)g_variant_lookup(x, "exit_code", "i", &fr->exit_code);
	}
	tender_run_set_data(run, fr, fakert_run_free);
	tender_run_report_running(run, 0);
	if (exits)
		fr->exit_id = g_timeout_add(exit_after_ms, fakert_exit_cb, fr);
	return TRUE;
}

static gboolean
fakert_kill(TenderRun *run, gint signo, gpointer user_data, GError **error)
{
	FakertRun *fr = tender_run_get_data(run);

	/* other signals are taken, and ignored */
	if (signo != SIGTERM && signo != SIGKILL)
		return TRUE;
	if (fr->exit_id != 0) {
		g_source_remove(fr->exit_id);
		fr->exit_id = 0;
	}
	tender_run_report_ended(run, -1, signo, NULL);
	return TRUE;
}

static gboolean
fakert_get_metrics(TenderRun *run, TenderRunMetrics *metrics, gpointer user_data, GError **error)
{
	metrics->cpu_usage_nsec = FAKERT_CPU_USAGE_NSEC;
	metrics->memory_bytes = FAKERT_MEMORY_BYTES;
	metrics->tasks = 1;
	return TRUE;
}

static const TenderRuntimeVTable fakert_vtable = {
    .struct_size = sizeof(TenderRuntimeVTable),
    .start = fakert_start,
    .kill = fakert_kill,
    .get_metrics = fakert_get_metrics,
};

static const gchar fakert_service_xml[] = "<node>"
					  "  <interface name='org.tender.Test.Fakert'>"
					  "    <method name='Create'>"
					  "      <arg name='name' type='s' direction='in'/>"
					  "      <arg name='argv' type='as' direction='in'/>"
					  "    </method>"
					  "    <method name='Manage'>"
					  "      <arg name='verb' type='s' direction='in'/>"
					  "      <arg name='name' type='s' direction='in'/>"
					  "    </method>"
					  "  </interface>"
					  "</node>";

/* Create(name, argv): a workload of the runtime fakert that the plugin owns */
static void
fakert_create_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree const gchar **argv = NULL;
	const gchar *name = NULL;
	GVariantDict spec;

	g_variant_get(tender_call_get_parameters(call), "(&s^a&s)", &name, &argv);
	g_variant_dict_init(&spec, NULL);
	g_variant_dict_insert_value(&spec, "argv", g_variant_new_strv(argv, -1));
	g_variant_dict_insert(&spec, "runtime", "s", "fakert");
	if (!tender_plugin_create_workload(plugin, name, g_variant_dict_end(&spec), &error)) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, g_variant_new("()"));
}

static void
fakert_managed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	TenderPlugin *plugin = TENDER_PLUGIN(source);
	const gchar *verb = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok;

	g_variant_get(tender_call_get_parameters(call), "(&s&s)", &verb, NULL);
	if (g_strcmp0(verb, "start") == 0)
		ok = tender_plugin_start_workload_finish(plugin, res, &error);
	else if (g_strcmp0(verb, "stop") == 0)
		ok = tender_plugin_stop_workload_finish(plugin, res, &error);
	else
		ok = tender_plugin_remove_workload_finish(plugin, res, &error);
	if (!ok) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, g_variant_new("()"));
}

/* Manage(verb, name): start, stop, kill (SIGTERM) or remove (by force) through the plugin API */
static void
fakert_manage_cb(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	const gchar *verb = NULL;
	const gchar *name = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s&s)", &verb, &name);
	if (g_strcmp0(verb, "start") == 0) {
		tender_plugin_start_workload_async(plugin, name, NULL, fakert_managed_cb, call);
	} else if (g_strcmp0(verb, "stop") == 0) {
		tender_plugin_stop_workload_async(plugin, name, 0, NULL, fakert_managed_cb, call);
	} else if (g_strcmp0(verb, "remove") == 0) {
		tender_plugin_remove_workload_async(plugin,
						    name,
						    TRUE,
						    NULL,
						    fakert_managed_cb,
						    call);
	} else if (g_strcmp0(verb, "kill") == 0) {
		if (!tender_plugin_kill_workload(plugin, name, SIGTERM, &error)) {
			tender_call_return_error(call, error);
			return;
		}
		tender_call_return_value(call, g_variant_new("()"));
	} else {
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown verb '%s': start, stop, kill or remove",
			    verb);
		tender_call_return_error(call, error);
	}
}

static const TenderPluginServiceMethod fakert_service_methods[] = {
    {"Create", "org.tender.workloads.manage", fakert_create_cb},
    {"Manage", "org.tender.workloads.manage", fakert_manage_cb},
    {NULL, NULL, NULL},
};

/* the file "defer" in the state directory holds how many probes are still to defer */
static gboolean
fakert_should_defer(TenderPlugin *plugin, GError **error)
{
	g_autofree gchar *path =
	    g_build_filename(tender_plugin_get_state_dir(plugin), "defer", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *left = NULL;
	guint64 count;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	count = g_ascii_strtoull(text, NULL, 10);
	if (count <= 1) {
		(void)g_remove(path);
	} else {
		left = g_strdup_printf("%" G_GUINT64_FORMAT "\n", count - 1);
		(void)g_file_set_contents(path, left, -1, NULL);
	}
	g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE, "asked to defer");
	return count > 0;
}

static TenderPluginProbeResult
fakert_probe(TenderPlugin *plugin, GError **error)
{
	if (!tender_plugin_register_runtime(plugin, "fakert", &fakert_vtable, NULL, NULL, error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (!tender_plugin_add_service(plugin,
				       "service",
				       fakert_service_xml,
				       fakert_service_methods,
				       NULL,
				       NULL,
				       error))
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (fakert_should_defer(plugin, error))
		return TENDER_PLUGIN_PROBE_RESULT_DEFER;
	g_clear_error(error);
	return TENDER_PLUGIN_PROBE_RESULT_SUCCESS;
}

TENDER_PLUGIN_DEFINE_PROBE("fakert",
			   "0.1",
			   "a runtime whose runs run no process",
			   fakert_probe,
			   NULL)
