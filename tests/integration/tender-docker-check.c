/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-docker-check: drives TenderDockerClient, the Docker plugin's Engine API client,
 * against a dockerd (test_docker_client.py).  It reads one command a line on stdin and
 * answers each with one line on stdout, "ok [VALUE]" or
 * "error: org.tender.Agent1.Error.NAME: MESSAGE":
 *
 *   connect                         → ok API-VERSION SERVER-VERSION
 *   request METHOD PATH [JSON]      → ok JSON (the answer, on one line)
 *   logs ID MAX                     → ok {"stdout": BASE64, "stderr": BASE64,
 *                                         "truncated": B}
 *   stdin ID BASE64                 writes the decoded bytes to the container's stdin
 *   stdin-pattern ID SIZE           writes SIZE bytes of "0123456789\n..."
 *   events-start | events-stop
 *   connected                       → ok true|false
 *   wait-connected true|false SECONDS
 *   wait-event ACTION ID SECONDS    an event of the container ACTION ID, received before or
 *                                   within SECONDS → ok EVENT
 *   events-of ID                    → ok N: how many events of the container came
 *   connections                     → ok OPENED DROPPED: how often ::connected said so
 *
 * and TenderDockerTools, the tool-run engine (test_docker_tools.py):
 *
 *   tools STATE_DIR MAX_CONCURRENT TTL OUTPUT_MAX [MAX_KEPT MAX_QUEUED]
 *                                   makes the engine (after connect)
 *   tools-recover
 *   tool-exec JSON                  → ok RUN: the request's run, in issue 14's shape
 *   tool-show ID | tool-cortex ID | tool-logs ID
 *                                   → ok RUN, as Cortex's ToolExecutionResult, its logs
 *   tool-list [SESSION]             → ok ["ID", ...]
 *   tool-cancel ID
 *   tool-wait ID SECONDS            → ok RUN once it has ended (::finished, or before)
 *   tool-finished ID                → ok N: how often ::finished told of it
 *
 * and TenderDockerRelics (test_docker_relics.py):
 *
 *   relics STATE_DIR                makes them (after connect)
 *   relics-recover
 *   relic-start JSON                → ok RELIC, in issue 14's shape, once healthy or not
 *   relic-show ID | relic-cortex ID → ok RELIC, as Cortex's RelicInfo
 *   relic-list [SESSION]            → ok ["ID", ...]
 *   relic-stop ID                   → ok RELIC
 *   relic-rm ID
 *   relic-changed ID                → ok N: how often ::changed told of it
 *
 *   tender-docker-check [--socket PATH]
 */
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tender-docker-client.h"
#include "tender-docker-lines.h"
#include "tender-docker-relics.h"
#include "tender-docker-tools.h"
#include "tender-error.h"

/* the longest command (stdin ID BASE64) */
#define TENDER_DOCKER_CHECK_LINE_MAX (16 * 1024 * 1024)

typedef struct {
	GMainLoop *loop;
	TenderDockerLines *input;
	TenderDockerClient *client;
	GPtrArray *events; /* of JsonObject, as they came */
	guint opened;
	guint dropped;
	/* what a wait-... command waits for */
	gchar *wait_action;
	gchar *wait_id;
	gint wait_connected; /* -1: not waiting for that */
	guint wait_timeout_id;
	TenderDockerTools *tools;
	GHashTable *finished; /* tool run id → how often ::finished told of it */
	gchar *wait_tool;     /* the run tool-wait waits for */
	TenderDockerRelics *relics;
	GHashTable *changed; /* relic id → how often ::changed told of it */
} TenderDockerCheck;

static void
tender_docker_check_read(TenderDockerCheck *check);

/* answers the command: "ok [VALUE]" or "error: ...", then reads the next */
static void
tender_docker_check_answer(TenderDockerCheck *check, const gchar *value, const GError *error)
{
	g_autoptr(GString) answer = g_string_new(error == NULL ? "ok" : "error: ");

	if (error != NULL && error->domain == TENDER_ERROR)
		g_string_append_printf(answer, "%s: ", tender_error_to_dbus_name(error->code));
	if (error != NULL)
		g_string_append(answer, error->message);
	else if (value != NULL)
		g_string_append_printf(answer, " %s", value);
	g_print("%s\n", answer->str);
	fflush(stdout);
	tender_docker_check_read(check);
}

static void
tender_docker_check_fail(TenderDockerCheck *check, const gchar *message)
{
	g_autoptr(GError) error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, message);

	tender_docker_check_answer(check, NULL, error);
}

static gchar *
tender_docker_check_to_json(JsonNode *node)
{
	return json_to_string(node, FALSE);
}

static gchar *
tender_docker_check_object_to_json(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(node, obj);
	return tender_docker_check_to_json(node);
}

static void
tender_docker_check_connected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerClient *client = TENDER_DOCKER_CLIENT(source);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *value = NULL;

	if (tender_docker_client_connect_finish(client, res, &error))
		value = g_strdup_printf("%s %s",
					tender_docker_client_get_api_version(client),
					tender_docker_client_get_server_version(client));
	tender_docker_check_answer(user_data, value, error);
}

static void
tender_docker_check_requested_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	g_autofree gchar *value = node != NULL ? tender_docker_check_to_json(node) : NULL;

	tender_docker_check_answer(user_data, value, error);
}

static void
tender_docker_check_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) out = NULL;
	g_autoptr(GByteArray) err = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	g_autofree gchar *value = NULL;
	gboolean truncated = FALSE;

	if (tender_docker_client_logs_finish(TENDER_DOCKER_CLIENT(source),
					     res,
					     &out,
					     &err,
					     &truncated,
					     &error)) {
		g_autofree gchar *out_text = g_base64_encode(out->data, out->len);
		g_autofree gchar *err_text = g_base64_encode(err->data, err->len);
		json_object_set_string_member(obj, "stdout", out_text);
		json_object_set_string_member(obj, "stderr", err_text);
		json_object_set_boolean_member(obj, "truncated", truncated);
		value = tender_docker_check_object_to_json(obj);
	}
	tender_docker_check_answer(user_data, value, error);
}

static void
tender_docker_check_stdin_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_docker_client_send_stdin_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	tender_docker_check_answer(user_data, NULL, error);
}

/* --- events --- */

static gboolean
tender_docker_check_event_is(JsonObject *event, const gchar *action, const gchar *id)
{
	JsonObject *actor = json_object_get_object_member(event, "Actor");

	if (action != NULL &&
	    g_strcmp0(json_object_get_string_member_with_default(event, "Action", NULL), action) !=
		0)
		return FALSE;
	return actor != NULL &&
	       g_strcmp0(json_object_get_string_member_with_default(actor, "ID", NULL), id) == 0;
}

static void
tender_docker_check_wait_done(TenderDockerCheck *check, const gchar *value, const gchar *failure)
{
	g_clear_pointer(&check->wait_action, g_free);
	g_clear_pointer(&check->wait_id, g_free);
	g_clear_pointer(&check->wait_tool, g_free);
	check->wait_connected = -1;
	g_clear_handle_id(&check->wait_timeout_id, g_source_remove);
	if (failure != NULL)
		tender_docker_check_fail(check, failure);
	else
		tender_docker_check_answer(check, value, NULL);
}

/* the event waited for, if it has come */
static gboolean
tender_docker_check_find_event(TenderDockerCheck *check)
{
	for (guint i = 0; check->wait_id != NULL && i < check->events->len; i++) {
		JsonObject *event = g_ptr_array_index(check->events, i);
		if (tender_docker_check_event_is(event, check->wait_action, check->wait_id)) {
			g_autofree gchar *value = tender_docker_check_object_to_json(event);
			tender_docker_check_wait_done(check, value, NULL);
			return TRUE;
		}
	}
	return FALSE;
}

static void
tender_docker_check_event_cb(TenderDockerClient *client, JsonObject *event, gpointer user_data)
{
	TenderDockerCheck *check = user_data;

	g_ptr_array_add(check->events, json_object_ref(event));
	(void)tender_docker_check_find_event(check);
}

static void
tender_docker_check_connection_cb(TenderDockerClient *client,
				  gboolean connected,
				  gpointer user_data)
{
	TenderDockerCheck *check = user_data;

	if (connected)
		check->opened++;
	else
		check->dropped++;
	if (check->wait_connected == (gint)connected)
		tender_docker_check_wait_done(check, NULL, NULL);
}

static gboolean
tender_docker_check_timeout_cb(gpointer user_data)
{
	TenderDockerCheck *check = user_data;

	check->wait_timeout_id = 0;
	tender_docker_check_wait_done(check, NULL, "timed out");
	return G_SOURCE_REMOVE;
}

static gboolean
tender_docker_check_parse_seconds(const gchar *text, guint *seconds)
{
	guint64 value = 0;

	if (text == NULL || !g_ascii_string_to_unsigned(text, 10, 1, 600, &value, NULL))
		return FALSE;
	*seconds = (guint)value;
	return TRUE;
}

static void
tender_docker_check_wait_event(TenderDockerCheck *check, gchar **words)
{
	guint seconds = 0;

	if (words[1] == NULL || words[2] == NULL ||
	    !tender_docker_check_parse_seconds(words[3], &seconds)) {
		tender_docker_check_fail(check, "wait-event ACTION ID SECONDS");
		return;
	}
	check->wait_action = g_strdup(words[1]);
	check->wait_id = g_strdup(words[2]);
	if (tender_docker_check_find_event(check))
		return;
	check->wait_timeout_id =
	    g_timeout_add_seconds(seconds, tender_docker_check_timeout_cb, check);
}

static void
tender_docker_check_wait_connected(TenderDockerCheck *check, gchar **words)
{
	guint seconds = 0;
	gboolean want = g_strcmp0(words[1], "true") == 0;

	if ((!want && g_strcmp0(words[1], "false") != 0) ||
	    !tender_docker_check_parse_seconds(words[2], &seconds)) {
		tender_docker_check_fail(check, "wait-connected true|false SECONDS");
		return;
	}
	if (tender_docker_client_get_connected(check->client) == want) {
		tender_docker_check_answer(check, NULL, NULL);
		return;
	}
	check->wait_connected = want;
	check->wait_timeout_id =
	    g_timeout_add_seconds(seconds, tender_docker_check_timeout_cb, check);
}

static guint
tender_docker_check_count_events(TenderDockerCheck *check, const gchar *id)
{
	guint n = 0;

	for (guint i = 0; i < check->events->len; i++) {
		if (tender_docker_check_event_is(g_ptr_array_index(check->events, i), NULL, id))
			n++;
	}
	return n;
}

/* --- tool runs --- */

static void
tender_docker_check_answer_tool(TenderDockerCheck *check, JsonObject *obj, const GError *error)
{
	g_autofree gchar *value = obj != NULL ? tender_docker_check_object_to_json(obj) : NULL;

	tender_docker_check_answer(check, value, error);
}

static void
tender_docker_check_finished_cb(TenderDockerTools *tools,
				TenderDockerTool *tool,
				gpointer user_data)
{
	TenderDockerCheck *check = user_data;
	const gchar *id = tender_docker_tool_get_id(tool);
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(check->finished, id));

	g_hash_table_insert(check->finished, g_strdup(id), GUINT_TO_POINTER(n + 1));
	if (g_strcmp0(check->wait_tool, id) == 0) {
		g_autoptr(JsonObject) obj = tender_docker_tool_to_json(tool);
		g_autofree gchar *value = tender_docker_check_object_to_json(obj);
		tender_docker_check_wait_done(check, value, NULL);
	}
}

static void
tender_docker_check_tools_new(TenderDockerCheck *check, gchar **words)
{
	guint64 numbers[5] = {0,
			      0,
			      0,
			      TENDER_DOCKER_TOOLS_KEPT_DEFAULT,
			      TENDER_DOCKER_TOOLS_QUEUED_DEFAULT};
	guint n = words[1] != NULL ? g_strv_length(words + 2) : 0;

	if ((n != 3 && n != 5) || check->tools != NULL) {
		tender_docker_check_fail(check,
					 "tools STATE_DIR MAX_CONCURRENT TTL OUTPUT_MAX "
					 "[MAX_KEPT MAX_QUEUED], once");
		return;
	}
	for (guint i = 0; i < n; i++) {
		if (!g_ascii_string_to_unsigned(words[2 + i],
						10,
						0,
						G_MAXUINT32,
						&numbers[i],
						NULL)) {
			tender_docker_check_fail(check, "tools: numbers expected");
			return;
		}
	}
	check->tools = tender_docker_tools_new(check->client,
					       words[1],
					       (guint)numbers[0],
					       numbers[1],
					       (gsize)numbers[2]);
	tender_docker_tools_set_limits(check->tools, (guint)numbers[3], (guint)numbers[4]);
	g_signal_connect(check->tools,
			 "finished",
			 G_CALLBACK(tender_docker_check_finished_cb),
			 check);
	tender_docker_check_answer(check, NULL, NULL);
}

static void
tender_docker_check_recovered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_docker_tools_recover_finish(TENDER_DOCKER_TOOLS(source), res, &error);
	tender_docker_check_answer(user_data, NULL, error);
}

static void
tender_docker_check_executed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool =
	    tender_docker_tools_execute_finish(TENDER_DOCKER_TOOLS(source), res, &error);
	g_autoptr(JsonObject) obj = tool != NULL ? tender_docker_tool_to_json(tool) : NULL;

	tender_docker_check_answer_tool(user_data, obj, error);
}

static void
tender_docker_check_cancelled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_docker_tools_cancel_finish(TENDER_DOCKER_TOOLS(source), res, &error);
	tender_docker_check_answer(user_data, NULL, error);
}

static void
tender_docker_check_tool_exec(TenderDockerCheck *check, const gchar *line)
{
	g_auto(GStrv) words = g_strsplit(line, " ", 2);
	g_autoptr(JsonNode) request = NULL;
	g_autoptr(GError) error = NULL;

	request = words[1] != NULL ? json_from_string(words[1], &error) : NULL;
	if (request == NULL || !JSON_NODE_HOLDS_OBJECT(request)) {
		tender_docker_check_fail(check, "tool-exec JSON (an object)");
		return;
	}
	tender_docker_tools_execute_async(check->tools,
					  json_node_get_object(request),
					  NULL,
					  tender_docker_check_executed_cb,
					  check);
}

static void
tender_docker_check_tool_list(TenderDockerCheck *check, const gchar *session_id)
{
	g_autoptr(GPtrArray) list = tender_docker_tools_list(check->tools, session_id);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_ARRAY);
	g_autofree gchar *value = NULL;
	JsonArray *ids = json_array_new();

	for (guint i = 0; i < list->len; i++)
		json_array_add_string_element(ids,
					      tender_docker_tool_get_id(
						  g_ptr_array_index(list, i)));
	json_node_take_array(node, ids);
	value = tender_docker_check_to_json(node);
	tender_docker_check_answer(check, value, NULL);
}

/* tool-show, tool-cortex, tool-logs, tool-wait */
static void
tender_docker_check_tool_show(TenderDockerCheck *check, gchar **words)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool =
	    tender_docker_tools_lookup(check->tools, words[1], &error);
	g_autoptr(JsonObject) obj = NULL;
	guint seconds = 0;

	if (tool == NULL) {
		tender_docker_check_answer(check, NULL, error);
		return;
	}
	if (g_strcmp0(words[0], "tool-cortex") == 0) {
		obj = tender_docker_tool_to_cortex_json(tool);
	} else if (g_strcmp0(words[0], "tool-logs") == 0) {
		obj = tender_docker_tool_get_logs_json(tool);
	} else if (g_strcmp0(words[0], "tool-wait") == 0 &&
		   !tender_docker_tool_status_is_final(tender_docker_tool_get_status(tool))) {
		if (!tender_docker_check_parse_seconds(words[2], &seconds)) {
			tender_docker_check_fail(check, "tool-wait ID SECONDS");
			return;
		}
		check->wait_tool = g_strdup(words[1]);
		check->wait_timeout_id =
		    g_timeout_add_seconds(seconds, tender_docker_check_timeout_cb, check);
		return;
	} else {
		obj = tender_docker_tool_to_json(tool);
	}
	tender_docker_check_answer_tool(check, obj, NULL);
}

/* a command of the tool runs: FALSE if @verb is none */
static gboolean
tender_docker_check_run_tools(TenderDockerCheck *check, const gchar *line, gchar **words)
{
	const gchar *verb = words[0];

	if (g_strcmp0(verb, "tools") == 0) {
		tender_docker_check_tools_new(check, words);
		return TRUE;
	}
	if (!g_str_has_prefix(verb, "tool"))
		return FALSE;
	if (check->tools == NULL) {
		tender_docker_check_fail(check, "no tools yet: tools STATE_DIR ...");
	} else if (g_strcmp0(verb, "tools-recover") == 0) {
		tender_docker_tools_recover_async(check->tools,
						  NULL,
						  tender_docker_check_recovered_cb,
						  check);
	} else if (g_strcmp0(verb, "tool-exec") == 0) {
		tender_docker_check_tool_exec(check, line);
	} else if (g_strcmp0(verb, "tool-list") == 0) {
		tender_docker_check_tool_list(check, words[1]);
	} else if (g_strcmp0(verb, "tool-cancel") == 0 && words[1] != NULL) {
		tender_docker_tools_cancel_async(check->tools,
						 words[1],
						 NULL,
						 tender_docker_check_cancelled_cb,
						 check);
	} else if (g_strcmp0(verb, "tool-finished") == 0 && words[1] != NULL) {
		g_autofree gchar *value =
		    g_strdup_printf("%u",
				    GPOINTER_TO_UINT(
					g_hash_table_lookup(check->finished, words[1])));
		tender_docker_check_answer(check, value, NULL);
	} else if (words[1] != NULL && g_strv_contains((const gchar *const[]){"tool-show",
									      "tool-cortex",
									      "tool-logs",
									      "tool-wait",
									      NULL},
						       verb)) {
		tender_docker_check_tool_show(check, words);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* --- relics --- */

static void
tender_docker_check_answer_relic(TenderDockerCheck *check,
				 TenderDockerRelic *relic,
				 gboolean cortex,
				 const GError *error)
{
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *value = NULL;

	if (relic != NULL) {
		obj = cortex ? tender_docker_relic_to_cortex_json(relic)
			     : tender_docker_relic_to_json(relic);
		value = tender_docker_check_object_to_json(obj);
	}
	tender_docker_check_answer(check, value, error);
}

static void
tender_docker_check_changed_cb(TenderDockerRelics *relics,
			       TenderDockerRelic *relic,
			       TenderDockerCheck *check)
{
	const gchar *id = tender_docker_relic_get_id(relic);
	guint n = GPOINTER_TO_UINT(g_hash_table_lookup(check->changed, id));

	g_hash_table_insert(check->changed, g_strdup(id), GUINT_TO_POINTER(n + 1));
}

static void
tender_docker_check_relics_recovered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_docker_relics_recover_finish(TENDER_DOCKER_RELICS(source), res, &error);
	tender_docker_check_answer(user_data, NULL, error);
}

static void
tender_docker_check_relic_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_start_finish(TENDER_DOCKER_RELICS(source), res, &error);

	tender_docker_check_answer_relic(user_data, relic, FALSE, error);
}

static void
tender_docker_check_relic_stopped_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_stop_finish(TENDER_DOCKER_RELICS(source), res, &error);

	tender_docker_check_answer_relic(user_data, relic, FALSE, error);
}

static void
tender_docker_check_relic_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_docker_relics_delete_finish(TENDER_DOCKER_RELICS(source), res, &error);
	tender_docker_check_answer(user_data, NULL, error);
}

static void
tender_docker_check_relic_start(TenderDockerCheck *check, const gchar *line)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string(line + strlen("relic-start"), &error);

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		tender_docker_check_fail(check, "relic-start JSON (an object)");
		return;
	}
	tender_docker_relics_start_async(check->relics,
					 json_node_get_object(node),
					 NULL,
					 tender_docker_check_relic_started_cb,
					 check);
}

static void
tender_docker_check_relic_list(TenderDockerCheck *check, const gchar *session_id)
{
	g_autoptr(GPtrArray) list = tender_docker_relics_list(check->relics, session_id);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_ARRAY);
	g_autoptr(JsonArray) ids = json_array_new();
	g_autofree gchar *value = NULL;

	for (guint i = 0; i < list->len; i++)
		json_array_add_string_element(ids,
					      tender_docker_relic_get_id(
						  g_ptr_array_index(list, i)));
	json_node_set_array(node, ids);
	value = tender_docker_check_to_json(node);
	tender_docker_check_answer(check, value, NULL);
}

/* a command of the relics: FALSE if @verb is none */
static gboolean
tender_docker_check_run_relics(TenderDockerCheck *check, const gchar *line, gchar **words)
{
	const gchar *verb = words[0];

	if (g_strcmp0(verb, "relics") == 0 && words[1] != NULL && check->relics == NULL) {
		check->relics = tender_docker_relics_new(check->client, words[1]);
		g_signal_connect(check->relics,
				 "changed",
				 G_CALLBACK(tender_docker_check_changed_cb),
				 check);
		tender_docker_check_answer(check, NULL, NULL);
		return TRUE;
	}
	if (!g_str_has_prefix(verb, "relic"))
		return FALSE;
	if (check->relics == NULL) {
		tender_docker_check_fail(check, "no relics yet: relics STATE_DIR");
	} else if (g_strcmp0(verb, "relics-recover") == 0) {
		tender_docker_relics_recover_async(check->relics,
						   NULL,
						   tender_docker_check_relics_recovered_cb,
						   check);
	} else if (g_strcmp0(verb, "relic-start") == 0) {
		tender_docker_check_relic_start(check, line);
	} else if (g_strcmp0(verb, "relic-list") == 0) {
		tender_docker_check_relic_list(check, words[1]);
	} else if (words[1] == NULL) {
		return FALSE;
	} else if (g_strcmp0(verb, "relic-stop") == 0) {
		tender_docker_relics_stop_async(check->relics,
						words[1],
						NULL,
						tender_docker_check_relic_stopped_cb,
						check);
	} else if (g_strcmp0(verb, "relic-rm") == 0) {
		tender_docker_relics_delete_async(check->relics,
						  words[1],
						  NULL,
						  tender_docker_check_relic_deleted_cb,
						  check);
	} else if (g_strcmp0(verb, "relic-changed") == 0) {
		g_autofree gchar *value =
		    g_strdup_printf("%u",
				    GPOINTER_TO_UINT(
					g_hash_table_lookup(check->changed, words[1])));
		tender_docker_check_answer(check, value, NULL);
	} else if (g_strcmp0(verb, "relic-show") == 0 || g_strcmp0(verb, "relic-cortex") == 0) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderDockerRelic) relic =
		    tender_docker_relics_lookup(check->relics, words[1], &error);
		tender_docker_check_answer_relic(check,
						 relic,
						 g_strcmp0(verb, "relic-cortex") == 0,
						 error);
	} else {
		return FALSE;
	}
	return TRUE;
}

/* --- commands --- */

static void
tender_docker_check_request(TenderDockerCheck *check, const gchar *line)
{
	/* request METHOD PATH [JSON...] */
	g_auto(GStrv) words = g_strsplit(line, " ", 4);
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(GError) error = NULL;

	if (g_strv_length(words) < 3) {
		tender_docker_check_fail(check, "request METHOD PATH [JSON]");
		return;
	}
	if (words[3] != NULL) {
		body = json_from_string(words[3], &error);
		if (body == NULL) {
			tender_docker_check_answer(check, NULL, error);
			return;
		}
	}
	tender_docker_client_request_async(check->client,
					   words[1],
					   words[2],
					   body,
					   NULL,
					   tender_docker_check_requested_cb,
					   check);
}

static void
tender_docker_check_stdin(TenderDockerCheck *check, gchar **words)
{
	g_autoptr(GBytes) data = NULL;

	if (words[1] == NULL || words[2] == NULL) {
		tender_docker_check_fail(check, "stdin ID BASE64 | stdin-pattern ID SIZE");
		return;
	}
	if (g_strcmp0(words[0], "stdin-pattern") == 0) {
		guint64 size = 0;
		GString *text = g_string_new(NULL);
		if (!g_ascii_string_to_unsigned(words[2], 10, 0, 64 * 1024 * 1024, &size, NULL)) {
			g_string_free(text, TRUE);
			tender_docker_check_fail(check, "stdin-pattern ID SIZE");
			return;
		}
		for (guint64 i = 0; i < size; i++)
			g_string_append_c(text, i % 11 == 10 ? '\n' : (gchar)('0' + i % 11));
		data = g_string_free_to_bytes(text);
	} else {
		gsize len = 0;
		guchar *decoded = g_base64_decode(words[2], &len);
		data = g_bytes_new_take(decoded, len);
	}
	tender_docker_client_send_stdin_async(check->client,
					      words[1],
					      data,
					      NULL,
					      tender_docker_check_stdin_cb,
					      check);
}

static void
tender_docker_check_run(TenderDockerCheck *check, const gchar *line)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	const gchar *verb = words[0];

	if (g_strcmp0(verb, "connect") == 0) {
		tender_docker_client_connect_async(check->client,
						   NULL,
						   tender_docker_check_connected_cb,
						   check);
	} else if (g_strcmp0(verb, "request") == 0) {
		tender_docker_check_request(check, line);
	} else if (g_strcmp0(verb, "logs") == 0 && words[1] != NULL && words[2] != NULL) {
		guint64 max = 0;
		if (!g_ascii_string_to_unsigned(words[2], 10, 0, G_MAXUINT32, &max, NULL)) {
			tender_docker_check_fail(check, "logs ID MAX");
			return;
		}
		tender_docker_client_logs_async(check->client,
						words[1],
						(gsize)max,
						NULL,
						tender_docker_check_logs_cb,
						check);
	} else if (g_strcmp0(verb, "stdin") == 0 || g_strcmp0(verb, "stdin-pattern") == 0) {
		tender_docker_check_stdin(check, words);
	} else if (g_strcmp0(verb, "events-start") == 0) {
		tender_docker_client_start_events(check->client);
		tender_docker_check_answer(check, NULL, NULL);
	} else if (g_strcmp0(verb, "events-stop") == 0) {
		tender_docker_client_stop_events(check->client);
		tender_docker_check_answer(check, NULL, NULL);
	} else if (g_strcmp0(verb, "connected") == 0) {
		tender_docker_check_answer(check,
					   tender_docker_client_get_connected(check->client)
					       ? "true"
					       : "false",
					   NULL);
	} else if (g_strcmp0(verb, "wait-connected") == 0) {
		tender_docker_check_wait_connected(check, words);
	} else if (g_strcmp0(verb, "wait-event") == 0) {
		tender_docker_check_wait_event(check, words);
	} else if (g_strcmp0(verb, "events-of") == 0 && words[1] != NULL) {
		g_autofree gchar *value =
		    g_strdup_printf("%u", tender_docker_check_count_events(check, words[1]));
		tender_docker_check_answer(check, value, NULL);
	} else if (g_strcmp0(verb, "connections") == 0) {
		g_autofree gchar *value = g_strdup_printf("%u %u", check->opened, check->dropped);
		tender_docker_check_answer(check, value, NULL);
	} else if (tender_docker_check_run_tools(check, line, words)) {
		return;
	} else if (tender_docker_check_run_relics(check, line, words)) {
		return;
	} else {
		g_autofree gchar *message = g_strdup_printf("unknown command '%s'", line);
		tender_docker_check_fail(check, message);
	}
}

static void
tender_docker_check_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerCheck *check = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line = tender_docker_lines_read_finish(check->input, res, &error);

	if (error != NULL)
		g_printerr("tender-docker-check: %s\n", error->message);
	if (line == NULL) {
		g_main_loop_quit(check->loop);
		return;
	}
	tender_docker_check_run(check, g_strstrip(line));
}

static void
tender_docker_check_read(TenderDockerCheck *check)
{
	tender_docker_lines_read_async(check->input, NULL, tender_docker_check_line_cb, check);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *socket_path = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("- drive the Docker client");
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new(0, FALSE);
	g_autoptr(TenderDockerLines) input =
	    tender_docker_lines_new(stdin_stream, TENDER_DOCKER_CHECK_LINE_MAX);
	g_autoptr(TenderDockerClient) client = NULL;
	g_autoptr(GPtrArray) events =
	    g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_autoptr(GHashTable) finished =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) changed =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	TenderDockerCheck check = {loop, input, NULL, events, 0, 0, NULL, NULL, -1, 0};
	const GOptionEntry entries[] = {
	    {"socket", 0, 0, G_OPTION_ARG_FILENAME, &socket_path, "dockerd's socket", "PATH"},
	    {NULL},
	};

	/* stdout is for the answers */
	g_log_writer_default_set_use_stderr(TRUE);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("tender-docker-check: %s\n", error->message);
		return 2;
	}
	client = tender_docker_client_new(socket_path != NULL ? socket_path : "/run/docker.sock");
	g_signal_connect(client, "event", G_CALLBACK(tender_docker_check_event_cb), &check);
	g_signal_connect(client,
			 "connected",
			 G_CALLBACK(tender_docker_check_connection_cb),
			 &check);
	check.client = client;
	check.finished = finished;
	check.changed = changed;
	tender_docker_check_read(&check);
	g_main_loop_run(loop);
	tender_docker_client_stop_events(client);
	g_signal_handlers_disconnect_by_data(client, &check);
	if (check.tools != NULL)
		g_signal_handlers_disconnect_by_data(check.tools, &check);
	g_clear_object(&check.tools);
	if (check.relics != NULL)
		g_signal_handlers_disconnect_by_data(check.relics, &check);
	g_clear_object(&check.relics);
	g_clear_handle_id(&check.wait_timeout_id, g_source_remove);
	g_free(check.wait_tool);
	g_free(check.wait_action);
	g_free(check.wait_id);
	return EXIT_SUCCESS;
}
