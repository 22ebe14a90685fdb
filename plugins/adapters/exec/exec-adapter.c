/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <tender-plugin.h>

#include "exec-config.h"
#include "exec-prometheus.h"
#include "exec-update.h"

/*
 * The exec adapter: the workload's command comes from the start payload (the primary key,
 * an array of strings or a command line), the payload's other keys become its environment
 * (TENDER_PAYLOAD_KEY), live updates rewrite files and send signals as the [exec] group of
 * the instance file says, the pre-start and post-stop hooks are commands from that group, and
 * the adapter's own Prometheus lines are those of the file it names.  See
 * data/adapters/exec-example.conf.
 */

typedef struct {
	ExecConfig *config;
	guint64 updates_applied;
} ExecAdapter;

static void
exec_adapter_free(ExecAdapter *self)
{
	exec_config_free(self->config);
	g_free(self);
}

static gboolean
exec_adapter_setup(TenderAdapter *adapter, GError **error)
{
	ExecAdapter *self = g_new0(ExecAdapter, 1);

	self->config =
	    exec_config_new_from_keyfile(tender_adapter_get_keyfile(adapter), "exec", error);
	if (self->config == NULL) {
		g_free(self);
		return FALSE;
	}
	tender_adapter_set_data(adapter, self, (GDestroyNotify)exec_adapter_free);
	return TRUE;
}

static gchar *
exec_adapter_primary_key(TenderAdapter *adapter)
{
	return g_key_file_get_string(tender_adapter_get_keyfile(adapter),
				     "adapter",
				     "primary_payload_key",
				     NULL);
}

static void
exec_adapter_start(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	g_autofree gchar *key = exec_adapter_primary_key(adapter);
	g_auto(GStrv) argv = NULL;
	g_auto(GStrv) env = NULL;
	GVariantBuilder spec;
	GError *error = NULL;

	argv = exec_config_parse_command(json_object_get_member(payload, key), key, &error);
	if (argv == NULL) {
		g_task_return_error(task, error);
		return;
	}
	env = exec_config_build_env(payload, key, &error);
	if (env == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&spec,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)argv, -1));
	if (env[0] != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)env, -1));
	if (self->config->working_directory != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(self->config->working_directory));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&spec)),
			      (GDestroyNotify)g_variant_unref);
}

/* completes @task with the "aas" of @hooks, or %NULL for none */
static void
exec_adapter_return_hooks(GPtrArray *hooks, GTask *task)
{
	GVariantBuilder builder;

	if (hooks->len == 0) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aas"));
	for (guint i = 0; i < hooks->len; i++)
		g_variant_builder_add_value(&builder,
					    g_variant_new_strv(g_ptr_array_index(hooks, i), -1));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&builder)),
			      (GDestroyNotify)g_variant_unref);
}

static void
exec_adapter_pre_start_hooks(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	exec_adapter_return_hooks(self->config->pre_start, task);
}

static void
exec_adapter_post_stop_hooks(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	exec_adapter_return_hooks(self->config->post_stop, task);
}

static gboolean
exec_adapter_kill_cb(gpointer user_data, gint signo, GError **error)
{
	return tender_adapter_kill(TENDER_ADAPTER(user_data), signo, error);
}

static void
exec_adapter_update(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	g_autoptr(GPtrArray) plan = NULL;
	g_autofree gchar *unplanned = NULL;
	gint result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	GError *error = NULL;

	plan = exec_config_plan_update(self->config, payload, &result, &unplanned);
	if (plan == NULL) {
		g_info("%s: update %s: no action for the key '%s'",
		       tender_adapter_get_name(adapter),
		       result == TENDER_ADAPTER_UPDATE_DECLINED ? "declined" : "unsupported",
		       unplanned);
		g_task_return_int(task, result);
		return;
	}
	if (!exec_update_apply(plan, payload, exec_adapter_kill_cb, adapter, &error)) {
		g_task_return_error(task, error);
		return;
	}
	self->updates_applied++;
	g_task_return_int(task, TENDER_ADAPTER_UPDATE_APPLIED);
}

static void
exec_adapter_get_metrics(TenderAdapter *adapter, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	JsonObject *metrics = json_object_new();

	json_object_set_int_member(metrics, "updates_applied", (gint64)self->updates_applied);
	json_object_set_boolean_member(metrics,
				       "running",
				       tender_adapter_get_main_pid(adapter) != 0);
	g_task_return_pointer(task, metrics, (GDestroyNotify)json_object_unref);
}

static void
exec_adapter_prometheus_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;
	gchar **lines = exec_prometheus_read_finish(res, &error);

	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, lines, (GDestroyNotify)g_strfreev);
}

static void
exec_adapter_prometheus_metrics(TenderAdapter *adapter, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);

	if (self->config->prometheus_file == NULL) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	exec_prometheus_read_async(self->config->prometheus_file,
				   g_task_get_cancellable(task),
				   exec_adapter_prometheus_read_cb,
				   g_object_ref(task));
}

static const TenderAdapterVTable exec_adapter_class = {
    .name = "exec",
    .struct_size = sizeof(TenderAdapterVTable),
    .setup = exec_adapter_setup,
    .start = exec_adapter_start,
    .pre_start_hooks = exec_adapter_pre_start_hooks,
    .update = exec_adapter_update,
    .get_metrics = exec_adapter_get_metrics,
    .post_stop_hooks = exec_adapter_post_stop_hooks,
    .prometheus_metrics = exec_adapter_prometheus_metrics,
};

static gboolean
exec_adapter_init(TenderPlugin *plugin, GError **error)
{
	return tender_plugin_register_adapter(plugin, &exec_adapter_class, error);
}

TENDER_PLUGIN_DEFINE("exec",
		     PACKAGE_VERSION,
		     "Adapter: the workload's command comes from the start payload",
		     exec_adapter_init,
		     NULL)
