/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-plugin.h>

#include "script-protocol.h"

/*
 * The script adapter's protocol: JSON lines on the program's stdin and stdout.
 *
 * For every operation tender runs the program once, writes ONE request line to its stdin
 * and closes it:
 *
 *   {"op": "start"|"pre_start"|"post_stop"|"update"|"stop"|"metrics"|"prometheus",
 *    "instance": "NAME", "payload": {...} or null, "main_pid": 1234 (0: not running)}
 *
 * The payload is the start payload for start, pre_start and post_stop (all three asked at
 * start time), the update for update, and the last start payload for stop, metrics and
 * prometheus.  tender reads ONE reply line from its stdout (the first line; at most 1 MiB in
 * all):
 *
 *   start      {"argv": ["cmd", "arg"], "env": {"K": "V"}, "working_directory": "/dir"}
 *              (env and working_directory optional)
 *   pre_start  {"commands": [["cmd", "arg"], ...]}  or {} for none; run as root before the
 *              workload, in its scope; a failing one fails the start
 *   post_stop  {"commands": [["cmd", "arg"], ...]}  or {} for none; run as root in the
 *              workload's scope once its command has ended, however it ended, with
 *              TENDER_EXIT_CODE (exited, killed, exec-failed, ...) and TENDER_EXIT_STATUS
 *   update     {"result": "applied"|"declined"|"unsupported"|"not-running"}  ({} means
 *              unsupported): declined, this update is not applied (nothing changed);
 *              unsupported, the program does no live updates at all
 *   stop       {}  (the core then stops the workload)
 *   metrics    {"metrics": {"key": number|string|boolean, ...}}  or {}
 *   prometheus {"lines": ["# HELP name text", "# TYPE name gauge", "name{l=\"v\"} 1"]}  or
 *              {}: Prometheus text lines for the instance's /metrics, strings without a
 *              newline, at most 10,000 (the core drops, with a warning, a line that is not
 *              exposition text or names a metric container_* or tender_*)
 *   any op     {"error": "a sentence"} to refuse it (on update: the update went wrong,
 *              HTTP 500 with the sentence)
 *
 * A program that does not know an op replies {}.  Exiting with a status other than 0
 * without an "error" reply is a failure too.  What it writes to stderr goes to the journal.
 * Pure functions, unit-tested in tests/unit/test-adapters.c.
 */

/**
 * script_protocol_request:
 * @op: the operation
 * @instance: the instance's name
 * @payload: (nullable): the payload the op goes with (see above)
 * @main_pid: the workload's PID, or 0
 *
 * Returns: (transfer full): the request line, with its newline
 */
gchar *
script_protocol_request(const gchar *op,
			const gchar *instance,
			JsonObject *payload,
			guint32 main_pid)
{
	g_autoptr(JsonObject) request = json_object_new();
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *text = NULL;

	json_object_set_string_member(request, "op", op);
	json_object_set_string_member(request, "instance", instance);
	if (payload != NULL)
		json_object_set_object_member(request, "payload", json_object_ref(payload));
	else
		json_object_set_null_member(request, "payload");
	json_object_set_int_member(request, "main_pid", main_pid);
	json_node_set_object(node, request);
	text = json_to_string(node, FALSE);
	return g_strdup_printf("%s\n", text);
}

static gboolean
script_protocol_error(GError **error, const gchar *message)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "The adapter script's reply %s",
		    message);
	return FALSE;
}

/**
 * script_protocol_parse_reply:
 * @output: (nullable): what the program wrote to stdout
 * @len: its length
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the first line, a JSON object without an "error" member, or
 *   %NULL (with the script's own message for an "error" reply)
 */
JsonObject *
script_protocol_parse_reply(const gchar *output, gsize len, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *end = len > 0 ? memchr(output, '\n', len) : NULL;
	JsonObject *reply;
	JsonNode *message;

	if (end != NULL)
		len = (gsize)(end - output);
	if (len == 0) {
		script_protocol_error(error, "is missing: no line on stdout");
		return NULL;
	}
	root = tender_json_parse(output, (gssize)len, TENDER_JSON_DEPTH_MAX, &error_local);
	if (root == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The adapter script's reply is not JSON: %s",
			    error_local->message);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		script_protocol_error(error, "is not a JSON object");
		return NULL;
	}
	reply = json_node_get_object(root);
	message = json_object_get_member(reply, "error");
	if (message != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s",
			    JSON_NODE_HOLDS_VALUE(message) &&
				    json_node_get_value_type(message) == G_TYPE_STRING
				? json_node_get_string(message)
				: "The adapter script refused");
		return NULL;
	}
	return json_object_ref(reply);
}

static gboolean
script_protocol_strv(JsonNode *node, GVariantBuilder *builder)
{
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return FALSE;
	array = json_node_get_array(node);
	if (json_array_get_length(array) == 0)
		return FALSE;
	g_variant_builder_open(builder, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *el = json_array_get_element(array, i);
		if (!JSON_NODE_HOLDS_VALUE(el) || json_node_get_value_type(el) != G_TYPE_STRING) {
			g_variant_builder_close(builder);
			return FALSE;
		}
		g_variant_builder_add(builder, "s", json_node_get_string(el));
	}
	g_variant_builder_close(builder);
	return TRUE;
}

/**
 * script_protocol_parse_start:
 * @reply: a start reply
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the a{sv} spec (argv, env, working_directory), or %NULL
 */
GVariant *
script_protocol_parse_start(JsonObject *reply, GError **error)
{
	g_auto(GVariantBuilder) spec = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_auto(GVariantBuilder) argv = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aas"));
	g_autoptr(GVariant) argv_value = NULL;
	g_autoptr(GVariant) argv_strv = NULL;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	if (!script_protocol_strv(json_object_get_member(reply, "argv"), &argv)) {
		script_protocol_error(error,
				      "to start needs \"argv\": a non-empty array of strings");
		return NULL;
	}
	argv_value = g_variant_ref_sink(g_variant_builder_end(&argv));
	argv_strv = g_variant_get_child_value(argv_value, 0);
	g_variant_builder_add(&spec, "{sv}", "argv", argv_strv);
	json_object_iter_init(&iter, reply);
	while (json_object_iter_next(&iter, &key, &member)) {
		if (g_strcmp0(key, "argv") == 0)
			continue;
		if (g_strcmp0(key, "working_directory") == 0 && JSON_NODE_HOLDS_VALUE(member) &&
		    json_node_get_value_type(member) == G_TYPE_STRING) {
			g_variant_builder_add(&spec,
					      "{sv}",
					      key,
					      g_variant_new_string(json_node_get_string(member)));
			continue;
		}
		if (g_strcmp0(key, "env") == 0 && JSON_NODE_HOLDS_OBJECT(member)) {
			g_autoptr(GStrvBuilder) env = g_strv_builder_new();
			g_auto(GStrv) strv = NULL;
			JsonObjectIter env_iter;
			const gchar *name;
			JsonNode *value;

			json_object_iter_init(&env_iter, json_node_get_object(member));
			while (json_object_iter_next(&env_iter, &name, &value)) {
				if (name[0] == '\0' || strchr(name, '=') != NULL ||
				    !JSON_NODE_HOLDS_VALUE(value) ||
				    json_node_get_value_type(value) != G_TYPE_STRING) {
					script_protocol_error(error,
							      "has an \"env\" entry that is not "
							      "NAME: \"string\"");
					return NULL;
				}
				{
					g_autofree gchar *entry =
					    g_strdup_printf("%s=%s",
							    name,
							    json_node_get_string(value));
					g_strv_builder_add(env, entry);
				}
			}
			strv = g_strv_builder_end(env);
			g_variant_builder_add(&spec,
					      "{sv}",
					      "env",
					      g_variant_new_strv((const gchar *const *)strv, -1));
			continue;
		}
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The adapter script's reply to start has the unknown or malformed key "
			    "'%s'",
			    key);
		return NULL;
	}
	return g_variant_ref_sink(g_variant_builder_end(&spec));
}

/**
 * script_protocol_parse_hooks:
 * @reply: a pre_start or post_stop reply
 * @op: its op, for messages
 * @commands: (out) (transfer full) (nullable): the aas of commands, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @reply is {} or {"commands": [[...], ...]}
 */
gboolean
script_protocol_parse_hooks(JsonObject *reply, const gchar *op, GVariant **commands, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aas"));
	JsonNode *node = json_object_get_member(reply, "commands");
	JsonArray *array;

	*commands = NULL;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The adapter script's reply to %s needs \"commands\": an array",
			    op);
		return FALSE;
	}
	array = json_node_get_array(node);
	if (json_array_get_length(array) == 0)
		return TRUE;
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!script_protocol_strv(json_array_get_element(array, i), &builder)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "The adapter script's reply to %s has a command that is not a "
				    "non-empty array of strings",
				    op);
			return FALSE;
		}
	}
	*commands = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/**
 * script_protocol_parse_update:
 * @reply: an update reply
 * @result: (out): a #TenderAdapterUpdateResult
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @reply is {} (unsupported) or has a known "result": "applied",
 *   "declined", "unsupported" or "not-running"
 */
gboolean
script_protocol_parse_update(JsonObject *reply, gint *result, GError **error)
{
	JsonNode *node = json_object_get_member(reply, "result");
	const gchar *text;

	*result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return script_protocol_error(error,
					     "to update has a \"result\" that is not a string");
	text = json_node_get_string(node);
	if (g_strcmp0(text, "applied") == 0)
		*result = TENDER_ADAPTER_UPDATE_APPLIED;
	else if (g_strcmp0(text, "declined") == 0)
		*result = TENDER_ADAPTER_UPDATE_DECLINED;
	else if (g_strcmp0(text, "unsupported") == 0)
		*result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	else if (g_strcmp0(text, "not-running") == 0)
		*result = TENDER_ADAPTER_UPDATE_NOT_RUNNING;
	else
		return script_protocol_error(error,
					     "to update needs \"result\": \"applied\", "
					     "\"declined\", \"unsupported\" or \"not-running\"");
	return TRUE;
}

/**
 * script_protocol_parse_metrics:
 * @reply: a metrics reply
 * @metrics: (out) (transfer full) (nullable): the adapter's metrics, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @reply is {} or {"metrics": {...}}
 */
gboolean
script_protocol_parse_metrics(JsonObject *reply, JsonObject **metrics, GError **error)
{
	JsonNode *node = json_object_get_member(reply, "metrics");

	*metrics = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return script_protocol_error(error, "to metrics needs \"metrics\": an object");
	*metrics = json_object_ref(json_node_get_object(node));
	return TRUE;
}

/**
 * script_protocol_parse_prometheus:
 * @reply: a prometheus reply
 * @lines: (out) (transfer full) (nullable): the adapter's Prometheus lines, or %NULL for none
 * @error: (nullable): a #GError
 *
 * The lines are not checked as Prometheus text here: the core does.
 *
 * Returns: %TRUE if @reply is {} or {"lines": [...]}, with at most
 *   %SCRIPT_PROTOCOL_LINES_MAX strings without a newline
 */
gboolean
script_protocol_parse_prometheus(JsonObject *reply, gchar ***lines, GError **error)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JsonNode *node = json_object_get_member(reply, "lines");
	JsonArray *array;

	*lines = NULL;
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return script_protocol_error(error,
					     "to prometheus needs \"lines\": an array of strings");
	array = json_node_get_array(node);
	if (json_array_get_length(array) > SCRIPT_PROTOCOL_LINES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The adapter script's reply to prometheus has more than %u lines",
			    (guint)SCRIPT_PROTOCOL_LINES_MAX);
		return FALSE;
	}
	if (json_array_get_length(array) == 0)
		return TRUE;
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *el = json_array_get_element(array, i);

		if (!JSON_NODE_HOLDS_VALUE(el) || json_node_get_value_type(el) != G_TYPE_STRING ||
		    strchr(json_node_get_string(el), '\n') != NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "The adapter script's reply to prometheus has a line %u that "
				    "is "
				    "not a string without a newline",
				    i);
			return FALSE;
		}
		g_strv_builder_add(builder, json_node_get_string(el));
	}
	*lines = g_strv_builder_end(builder);
	return TRUE;
}

/**
 * script_protocol_parse_value:
 * @op: start, pre_start, post_stop, metrics or prometheus
 * @reply: its reply
 * @value: (out) (transfer full) (nullable): what the reply means: the a{sv} spec of a start,
 *   the aas of commands of pre_start and post_stop, the #JsonObject of metrics, the #GStrv of
 *   prometheus; %NULL for none
 * @destroy: (out): frees @value
 * @error: (nullable): a #GError
 *
 * The reply of an op whose result is a value, by the parser of its op.
 *
 * Returns: %TRUE if @reply is a good reply to @op
 */
gboolean
script_protocol_parse_value(const gchar *op,
			    JsonObject *reply,
			    gpointer *value,
			    GDestroyNotify *destroy,
			    GError **error)
{
	*value = NULL;
	if (g_strcmp0(op, "start") == 0) {
		*destroy = (GDestroyNotify)g_variant_unref;
		*value = script_protocol_parse_start(reply, error);
		return *value != NULL;
	}
	if (g_strcmp0(op, "pre_start") == 0 || g_strcmp0(op, "post_stop") == 0) {
		*destroy = (GDestroyNotify)g_variant_unref;
		return script_protocol_parse_hooks(reply, op, (GVariant **)value, error);
	}
	if (g_strcmp0(op, "metrics") == 0) {
		*destroy = (GDestroyNotify)json_object_unref;
		return script_protocol_parse_metrics(reply, (JsonObject **)value, error);
	}
	g_assert(g_strcmp0(op, "prometheus") == 0);
	*destroy = (GDestroyNotify)g_strfreev;
	return script_protocol_parse_prometheus(reply, (gchar ***)value, error);
}
