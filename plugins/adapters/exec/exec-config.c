/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <tender-plugin.h>

#include "exec-config.h"

/*
 * The [exec] group of an instance file, and what a payload means to the exec adapter.  Pure
 * functions, unit-tested in tests/unit/test-adapters.c.
 */

static void
exec_update_action_free(ExecUpdateAction *action)
{
	g_free(action->key);
	g_free(action->file);
	g_free(action);
}

/**
 * exec_config_free:
 * @self: an #ExecConfig
 */
void
exec_config_free(ExecConfig *self)
{
	if (self == NULL)
		return;
	g_free(self->working_directory);
	g_ptr_array_unref(self->pre_start);
	g_ptr_array_unref(self->post_stop);
	g_ptr_array_unref(self->updates);
	g_free(self->prometheus_file);
	g_free(self);
}

static const struct {
	const gchar *name;
	gint signo;
} exec_config_signals[] = {
    {"HUP", SIGHUP},
    {"INT", SIGINT},
    {"QUIT", SIGQUIT},
    {"USR1", SIGUSR1},
    {"USR2", SIGUSR2},
    {"TERM", SIGTERM},
    {"CONT", SIGCONT},
    {"WINCH", SIGWINCH},
    {"ALRM", SIGALRM},
    {"PIPE", SIGPIPE},
};

/**
 * exec_config_parse_signal:
 * @text: "SIGHUP", "HUP", "hup" or a number from 1 to 64
 * @signo: (out): the signal
 *
 * Returns: %TRUE if @text names a signal
 */
gboolean
exec_config_parse_signal(const gchar *text, gint *signo)
{
	guint64 value = 0;
	const gchar *name = text;

	if (g_ascii_strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (guint i = 0; i < G_N_ELEMENTS(exec_config_signals); i++) {
		if (g_ascii_strcasecmp(name, exec_config_signals[i].name) == 0) {
			*signo = exec_config_signals[i].signo;
			return TRUE;
		}
	}
	if (name != text || !g_ascii_string_to_unsigned(text, 10, 1, 64, &value, NULL))
		return FALSE;
	*signo = (gint)value;
	return TRUE;
}

static gboolean
exec_config_error(GError **error, const gchar *group, const gchar *key, const gchar *message)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "[%s] %s: %s",
		    group,
		    key,
		    message);
	return FALSE;
}

static ExecUpdateAction *
exec_config_find_update(ExecConfig *self, const gchar *key)
{
	for (guint i = 0; i < self->updates->len; i++) {
		ExecUpdateAction *action = g_ptr_array_index(self->updates, i);
		if (g_strcmp0(action->key, key) == 0)
			return action;
	}
	return NULL;
}

/* hook keys are PREFIX.N, checked by exec_config_add_hook_key() */
static gint
exec_config_compare_hooks(gconstpointer a, gconstpointer b)
{
	const gchar *ka = *(const gchar *const *)a;
	const gchar *kb = *(const gchar *const *)b;
	guint64 na = g_ascii_strtoull(strchr(ka, '.') + 1, NULL, 10);
	guint64 nb = g_ascii_strtoull(strchr(kb, '.') + 1, NULL, 10);
	return na < nb ? -1 : na > nb ? 1 : 0;
}

/* @key is PREFIX.N (pre_start.N or post_stop.N): adds it to @keys, the keys of its kind */
static gboolean
exec_config_add_hook_key(GPtrArray *keys, const gchar *group, const gchar *key, GError **error)
{
	const gchar *number = strchr(key, '.') + 1;
	guint64 n = 0;

	if (!g_ascii_string_to_unsigned(number, 10, 0, 999, &n, NULL)) {
		g_autofree gchar *prefix = g_strndup(key, (gsize)(number - key));
		g_autofree gchar *message = g_strdup_printf("must be %sN, N from 0 to 999", prefix);
		return exec_config_error(error, group, key, message);
	}
	if (keys->len >= EXEC_CONFIG_HOOKS_MAX)
		return exec_config_error(error, group, key, "too many hooks");
	g_ptr_array_add(keys, (gpointer)key);
	return TRUE;
}

/* the command lines of @keys, in the order of their numbers, into @hooks */
static gboolean
exec_config_parse_hooks(GKeyFile *keyfile,
			const gchar *group,
			GPtrArray *keys,
			GPtrArray *hooks,
			GError **error)
{
	g_ptr_array_sort(keys, exec_config_compare_hooks);
	for (guint i = 0; i < keys->len; i++) {
		const gchar *key = g_ptr_array_index(keys, i);
		g_autofree gchar *line = g_key_file_get_string(keyfile, group, key, NULL);
		g_autoptr(GError) error_local = NULL;
		gchar **argv = NULL;

		if (line == NULL || !g_shell_parse_argv(line, NULL, &argv, &error_local))
			return exec_config_error(error,
						 group,
						 key,
						 error_local != NULL ? error_local->message
								     : "not a command line");
		g_ptr_array_add(hooks, argv);
	}
	return TRUE;
}

/* an absolute path */
static gboolean
exec_config_get_path(GKeyFile *keyfile,
		     const gchar *group,
		     const gchar *key,
		     gchar **path,
		     GError **error)
{
	g_autofree gchar *value = g_key_file_get_string(keyfile, group, key, NULL);

	if (value == NULL || !g_path_is_absolute(value))
		return exec_config_error(error, group, key, "must be an absolute path");
	g_free(*path);
	*path = g_steal_pointer(&value);
	return TRUE;
}

static gboolean
exec_config_parse_update_key(ExecConfig *self,
			     GKeyFile *keyfile,
			     const gchar *group,
			     const gchar *key,
			     GError **error)
{
	const gchar *rest = key + strlen("update.");
	const gchar *dot = strrchr(rest, '.');
	g_autofree gchar *value = g_key_file_get_string(keyfile, group, key, NULL);
	g_autofree gchar *payload_key = NULL;
	ExecUpdateAction *action;

	if (dot == NULL || dot == rest || value == NULL)
		return exec_config_error(error,
					 group,
					 key,
					 "must be update.KEY.signal or update.KEY.file");
	payload_key = g_strndup(rest, (gsize)(dot - rest));
	action = exec_config_find_update(self, payload_key);
	if (action == NULL) {
		if (self->updates->len >= EXEC_CONFIG_UPDATES_MAX)
			return exec_config_error(error, group, key, "too many update keys");
		action = g_new0(ExecUpdateAction, 1);
		action->key = g_strdup(payload_key);
		g_ptr_array_add(self->updates, action);
	}
	if (g_strcmp0(dot, ".signal") == 0) {
		if (!exec_config_parse_signal(value, &action->signo))
			return exec_config_error(error,
						 group,
						 key,
						 "must be a signal, such as SIGHUP or 10");
		return TRUE;
	}
	if (g_strcmp0(dot, ".file") == 0)
		return exec_config_get_path(keyfile, group, key, &action->file, error);
	return exec_config_error(error, group, key, "must be update.KEY.signal or update.KEY.file");
}

/**
 * exec_config_new_from_keyfile:
 * @keyfile: an instance file
 * @group: the exec adapter's group, "exec"
 * @error: (nullable): a #GError
 *
 * The keys: working_directory=DIR; pre_start.N=COMMAND and post_stop.N=COMMAND (a command
 * line, split like a shell would but never run by one; N orders them); update.KEY.file=PATH
 * and update.KEY.signal=SIGNAL (what an update of payload key KEY does);
 * prometheus_file=PATH (the workload's own Prometheus text).
 *
 * Returns: (transfer full): the settings, or %NULL
 */
ExecConfig *
exec_config_new_from_keyfile(GKeyFile *keyfile, const gchar *group, GError **error)
{
	g_autoptr(ExecConfig) self = g_new0(ExecConfig, 1);
	g_autoptr(GPtrArray) pre_start_keys = g_ptr_array_new();
	g_autoptr(GPtrArray) post_stop_keys = g_ptr_array_new();
	g_auto(GStrv) keys = NULL;

	self->pre_start = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	self->post_stop = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	self->updates = g_ptr_array_new_with_free_func((GDestroyNotify)exec_update_action_free);
	if (g_key_file_has_group(keyfile, group))
		keys = g_key_file_get_keys(keyfile, group, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		const gchar *key = keys[i];
		gboolean ok;

		if (g_strcmp0(key, "working_directory") == 0)
			ok = exec_config_get_path(keyfile,
						  group,
						  key,
						  &self->working_directory,
						  error);
		else if (g_strcmp0(key, "prometheus_file") == 0)
			ok = exec_config_get_path(keyfile,
						  group,
						  key,
						  &self->prometheus_file,
						  error);
		else if (g_str_has_prefix(key, "pre_start."))
			ok = exec_config_add_hook_key(pre_start_keys, group, key, error);
		else if (g_str_has_prefix(key, "post_stop."))
			ok = exec_config_add_hook_key(post_stop_keys, group, key, error);
		else if (g_str_has_prefix(key, "update."))
			ok = exec_config_parse_update_key(self, keyfile, group, key, error);
		else
			ok = exec_config_error(error, group, key, "unknown key");
		if (!ok)
			return NULL;
	}
	if (!exec_config_parse_hooks(keyfile, group, pre_start_keys, self->pre_start, error) ||
	    !exec_config_parse_hooks(keyfile, group, post_stop_keys, self->post_stop, error))
		return NULL;
	for (guint i = 0; i < self->updates->len; i++) {
		ExecUpdateAction *action = g_ptr_array_index(self->updates, i);
		/* both keys of one action were checked above; one of them is there */
		g_assert(action->file != NULL || action->signo != 0);
	}
	return g_steal_pointer(&self);
}

/**
 * exec_config_parse_command:
 * @node: (nullable): the payload's command: an array of strings or a command line
 * @key: its key, for messages
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the argv, or %NULL
 */
gchar **
exec_config_parse_command(JsonNode *node, const gchar *key, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error_local = NULL;
	gchar **parsed = NULL;

	if (node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	    json_node_get_value_type(node) == G_TYPE_STRING) {
		if (!g_shell_parse_argv(json_node_get_string(node), NULL, &parsed, &error_local)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Payload key '%s' is not a command line: %s",
				    key,
				    error_local->message);
			return NULL;
		}
		return parsed;
	}
	if (node != NULL && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *el = json_array_get_element(array, i);
			if (!JSON_NODE_HOLDS_VALUE(el) ||
			    json_node_get_value_type(el) != G_TYPE_STRING) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Payload key '%s' must be an array of strings",
					    key);
				return NULL;
			}
			g_ptr_array_add(argv, g_strdup(json_node_get_string(el)));
		}
		if (argv->len > 0) {
			g_ptr_array_add(argv, NULL);
			return (gchar **)g_ptr_array_free(g_steal_pointer(&argv), FALSE);
		}
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Payload key '%s' must be a command: a non-empty array of strings or a "
		    "command line",
		    key);
	return NULL;
}

/**
 * exec_config_value_to_string:
 * @node: a payload value
 *
 * Returns: (transfer full): a string as itself, a number or boolean as JSON text, null as
 *   "", an array or object as compact JSON
 */
gchar *
exec_config_value_to_string(JsonNode *node)
{
	if (JSON_NODE_HOLDS_NULL(node))
		return g_strdup("");
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
		return g_strdup(json_node_get_string(node));
	return json_to_string(node, FALSE);
}

/**
 * exec_config_env_name:
 * @key: a payload key
 *
 * Returns: (transfer full): TENDER_PAYLOAD_KEY, with KEY in upper case and every character
 *   other than a letter, a digit or '_' as '_'
 */
gchar *
exec_config_env_name(const gchar *key)
{
	GString *name = g_string_new("TENDER_PAYLOAD_");

	for (const gchar *p = key; *p != '\0'; p++)
		g_string_append_c(name, g_ascii_isalnum(*p) ? g_ascii_toupper(*p) : '_');
	return g_string_free(name, FALSE);
}

/**
 * exec_config_build_env:
 * @payload: a start payload
 * @primary_key: its command's key, left out
 * @error: (nullable): a #GError
 *
 * Every other key of @payload as an environment variable (exec_config_env_name()), for the
 * workload and its pre-start hooks: values are handed over as data, never put into a command
 * line.
 *
 * Returns: (transfer full): NAME=VALUE strings, or %NULL
 */
gchar **
exec_config_build_env(JsonObject *payload, const gchar *primary_key, GError **error)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	json_object_iter_init(&iter, payload);
	while (json_object_iter_next(&iter, &key, &member)) {
		g_autofree gchar *name = NULL;
		g_autofree gchar *value = NULL;

		if (g_strcmp0(key, primary_key) == 0)
			continue;
		name = exec_config_env_name(key);
		value = exec_config_value_to_string(member);
		if (strlen(value) > EXEC_CONFIG_VALUE_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Payload key '%s' is longer than %u bytes",
				    key,
				    (guint)EXEC_CONFIG_VALUE_MAX);
			return NULL;
		}
		{
			g_autofree gchar *entry = g_strdup_printf("%s=%s", name, value);
			g_strv_builder_add(builder, entry);
		}
	}
	return g_strv_builder_end(builder);
}

/**
 * exec_config_plan_update:
 * @self: an #ExecConfig
 * @payload: an update
 * @result: (out): when there is no plan, a #TenderAdapterUpdateResult:
 *   %TENDER_ADAPTER_UPDATE_UNSUPPORTED if the instance has no update keys at all, else
 *   %TENDER_ADAPTER_UPDATE_DECLINED
 * @unplanned: (out) (optional): when there is no plan, the first key without an action (""
 *   for an empty update)
 *
 * Returns: (transfer container) (element-type ExecUpdateAction) (nullable): the actions of
 *   @payload's keys in order, or %NULL if some key has none (nothing is to be changed)
 */
GPtrArray *
exec_config_plan_update(ExecConfig *self, JsonObject *payload, gint *result, gchar **unplanned)
{
	g_autoptr(GPtrArray) plan = g_ptr_array_new();
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	*result = self->updates->len == 0 ? TENDER_ADAPTER_UPDATE_UNSUPPORTED
					  : TENDER_ADAPTER_UPDATE_DECLINED;
	json_object_iter_init(&iter, payload);
	while (json_object_iter_next(&iter, &key, &member)) {
		ExecUpdateAction *action = exec_config_find_update(self, key);
		if (action == NULL) {
			if (unplanned != NULL)
				*unplanned = g_strdup(key);
			return NULL;
		}
		g_ptr_array_add(plan, action);
	}
	if (plan->len == 0) {
		if (unplanned != NULL)
			*unplanned = g_strdup("");
		return NULL;
	}
	return g_steal_pointer(&plan);
}
