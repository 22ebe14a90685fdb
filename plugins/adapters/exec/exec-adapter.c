/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-plugin.h>

#include "exec-config.h"

/*
 * The exec adapter: the workload's command comes from the start payload (the primary key,
 * an array of strings or a command line), the payload's other keys become its environment
 * (TENDER_PAYLOAD_KEY), live updates rewrite files and send signals as the [exec] group of
 * the instance file says, and the pre-start hooks are commands from that group.  See
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

static void
exec_adapter_pre_start_hooks(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	GVariantBuilder hooks;

	if (self->config->pre_start->len == 0) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	g_variant_builder_init(&hooks, G_VARIANT_TYPE("aas"));
	for (guint i = 0; i < self->config->pre_start->len; i++)
		g_variant_builder_add_value(&hooks,
					    g_variant_new_strv(g_ptr_array_index(self->config
										     ->pre_start,
										 i),
							       -1));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_builder_end(&hooks)),
			      (GDestroyNotify)g_variant_unref);
}

static void
exec_adapter_update(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	ExecAdapter *self = tender_adapter_get_data(adapter);
	g_autoptr(GPtrArray) plan = NULL;
	g_autoptr(GArray) signals = g_array_new(FALSE, FALSE, sizeof(gint));
	g_autofree gchar *unsupported = NULL;

	plan = exec_config_plan_update(self->config, payload, &unsupported);
	if (plan == NULL) {
		g_info("%s: update unsupported: no action for the key '%s'",
		       tender_adapter_get_name(adapter),
		       unsupported);
		g_task_return_int(task, TENDER_ADAPTER_UPDATE_UNSUPPORTED);
		return;
	}
	/* every file first, then each signal once */
	for (guint i = 0; i < plan->len; i++) {
		ExecUpdateAction *action = g_ptr_array_index(plan, i);
		gboolean seen = FALSE;

		if (action->file != NULL) {
			g_autofree gchar *value = exec_config_value_to_string(
			    json_object_get_member(payload, action->key));
			g_autofree gchar *contents = g_strdup_printf("%s\n", value);
			GError *error = NULL;

			if (strlen(value) > EXEC_CONFIG_VALUE_MAX) {
				g_task_return_new_error(task,
							TENDER_ERROR,
							TENDER_ERROR_INVALID_ARGUMENT,
							"Update key '%s' is longer than %u bytes",
							action->key,
							(guint)EXEC_CONFIG_VALUE_MAX);
				return;
			}
			if (!g_file_set_contents_full(action->file,
						      contents,
						      -1,
						      G_FILE_SET_CONTENTS_CONSISTENT,
						      0644,
						      &error)) {
				g_prefix_error(&error,
					       "Cannot apply update key '%s': ",
					       action->key);
				g_task_return_error(task, error);
				return;
			}
		}
		for (guint s = 0; s < signals->len; s++)
			seen = seen || g_array_index(signals, gint, s) == action->signo;
		if (action->signo != 0 && !seen)
			g_array_append_val(signals, action->signo);
	}
	for (guint s = 0; s < signals->len; s++) {
		GError *error = NULL;
		if (!tender_adapter_kill(adapter, g_array_index(signals, gint, s), &error)) {
			g_task_return_error(task, error);
			return;
		}
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

static const TenderAdapterVTable exec_adapter_class = {
    .name = "exec",
    .struct_size = sizeof(TenderAdapterVTable),
    .setup = exec_adapter_setup,
    .start = exec_adapter_start,
    .pre_start_hooks = exec_adapter_pre_start_hooks,
    .update = exec_adapter_update,
    .get_metrics = exec_adapter_get_metrics,
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
