/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tool run, show, logs, cancel and list: the Docker plugin's tool runs, through its feature
 * service org.tender.Agent1.Docker on /org/tender/Agent1/docker */

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tender-units.h"
#include "tenderctl-private.h"

#define TENDER_CTL_DOCKER_PATH	"/org/tender/Agent1/docker"
#define TENDER_CTL_DOCKER_IFACE "org.tender.Agent1.Docker"
/* how often a run that tenderctl waits for is asked after, should ToolFinished not come */
#define TENDER_CTL_TOOL_POLL_SEC 2
/* the width of the keys of tool show, "max_memory_bytes" */
#define TENDER_CTL_TOOL_KEY_WIDTH 16

/* the members of a tool's record, in the order of its JSON: absent ones are null */
static const gchar *const tender_ctl_tool_members[] = {
    "id",
    "tool_name",
    "session_id",
    "image",
    "status",
    "exit_code",
    "error",
    "stdout",
    "stderr",
    "truncated",
    "result",
    "result_error",
    "container_id",
    "queued_at",
    "started_at",
    "finished_at",
    "duration_ms",
    NULL,
};
static const gchar *const tender_ctl_tool_usage_members[] = {"max_memory_bytes",
							     "cpu_time_ns",
							     NULL};

/* a method of org.tender.Agent1.Docker; its errors as tenderctl tells them */
GVariant *
tender_ctl_tool_call(TenderCtl *self,
		     const gchar *method,
		     GVariant *parameters,
		     const GVariantType *reply_type,
		     const gchar *id,
		     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GVariant *reply = tender_ctl_feature_call(self,
						  "Docker",
						  TENDER_CTL_DOCKER_PATH,
						  TENDER_CTL_DOCKER_IFACE,
						  method,
						  parameters,
						  reply_type,
						  &error_local);

	if (reply != NULL)
		return reply;
	if (id != NULL && g_error_matches(error_local, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "no tool %s", id);
		return NULL;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return NULL;
}

/* a tool's a{sv} as its JSON record: every member, null when absent, in the record's order */
static JsonNode *
tender_ctl_tool_to_json(GVariant *tool)
{
	g_autoptr(JsonNode) node = json_gvariant_serialize(tool);
	JsonObject *given = json_node_get_object(node);
	JsonObject *obj = json_object_new();
	JsonObject *usage = json_object_new();
	JsonNode *given_usage = json_object_get_member(given, "resource_usage");
	g_autoptr(GList) names = json_object_get_members(given);

	for (guint i = 0; tender_ctl_tool_members[i] != NULL; i++) {
		JsonNode *member = json_object_get_member(given, tender_ctl_tool_members[i]);
		json_object_set_member(obj,
				       tender_ctl_tool_members[i],
				       member != NULL ? json_node_copy(member)
						      : json_node_new(JSON_NODE_NULL));
	}
	for (guint i = 0; tender_ctl_tool_usage_members[i] != NULL; i++) {
		JsonNode *member = given_usage != NULL && JSON_NODE_HOLDS_OBJECT(given_usage)
				       ? json_object_get_member(json_node_get_object(given_usage),
								tender_ctl_tool_usage_members[i])
				       : NULL;
		json_object_set_member(usage,
				       tender_ctl_tool_usage_members[i],
				       member != NULL ? json_node_copy(member)
						      : json_node_new(JSON_NODE_NULL));
	}
	json_object_set_object_member(obj, "resource_usage", usage);
	/* those of a newer plugin */
	for (GList *l = names; l != NULL; l = l->next) {
		if (!json_object_has_member(obj, l->data))
			json_object_set_member(obj,
					       l->data,
					       json_node_copy(
						   json_object_get_member(given, l->data)));
	}
	return json_node_init_object(json_node_alloc(), obj);
}

static void
tender_ctl_tool_print_json(GVariant *tool)
{
	g_autoptr(JsonNode) root = tender_ctl_tool_to_json(tool);
	tender_ctl_print_json(root);
}

static void
tender_ctl_tool_write(FILE *stream, const gchar *text)
{
	if (text != NULL)
		fwrite(text, 1, strlen(text), stream);
	fflush(stream);
}

static gboolean
tender_ctl_tool_status_is_final(const gchar *status)
{
	return g_strv_contains((const gchar *const[]){"completed",
						      "failed",
						      "timeout",
						      "cancelled",
						      NULL},
			       status);
}

/* a run that tenderctl waits for */
typedef struct {
	TenderCtl *self;
	const gchar *id;
	GMainLoop *loop;
	gboolean cancelled;
	gboolean done;
	GError *error;
} TenderCtlToolWait;

static void
tender_ctl_tool_wait_done(TenderCtlToolWait *wait)
{
	wait->done = TRUE;
	g_main_loop_quit(wait->loop);
}

static void
tender_ctl_tool_finished_cb(GDBusConnection *connection,
			    const gchar *sender,
			    const gchar *path,
			    const gchar *iface,
			    const gchar *signal_name,
			    GVariant *parameters,
			    gpointer user_data)
{
	TenderCtlToolWait *wait = user_data;
	const gchar *id = NULL;

	g_variant_get(parameters, "(&s&s)", &id, NULL);
	if (g_strcmp0(id, wait->id) == 0)
		tender_ctl_tool_wait_done(wait);
}

static gboolean
tender_ctl_tool_poll_cb(gpointer user_data)
{
	TenderCtlToolWait *wait = user_data;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) tool = NULL;
	const gchar *status = NULL;

	if (wait->done)
		return G_SOURCE_CONTINUE;
	reply = tender_ctl_tool_call(wait->self,
				     "GetTool",
				     g_variant_new("(s)", wait->id),
				     G_VARIANT_TYPE("(a{sv})"),
				     wait->id,
				     &wait->error);
	if (reply == NULL) {
		tender_ctl_tool_wait_done(wait);
		return G_SOURCE_CONTINUE;
	}
	tool = g_variant_get_child_value(reply, 0);
	if (g_variant_lookup(tool, "status", "&s", &status) &&
	    tender_ctl_tool_status_is_final(status))
		tender_ctl_tool_wait_done(wait);
	return G_SOURCE_CONTINUE;
}

/* Ctrl-C or SIGTERM: the run is cancelled, and tenderctl waits for it to end */
static gboolean
tender_ctl_tool_interrupt_cb(gpointer user_data)
{
	TenderCtlToolWait *wait = user_data;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;

	if (wait->cancelled || wait->done)
		return G_SOURCE_CONTINUE;
	wait->cancelled = TRUE;
	reply = tender_ctl_tool_call(wait->self,
				     "CancelTool",
				     g_variant_new("(s)", wait->id),
				     NULL,
				     wait->id,
				     &error);
	/* InvalidState: it ended meanwhile */
	if (reply == NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE)) {
		wait->error = g_steal_pointer(&error);
		tender_ctl_tool_wait_done(wait);
	}
	return G_SOURCE_CONTINUE;
}

/* until the run @id has ended: ToolFinished, or a GetTool that says so */
static gboolean
tender_ctl_tool_wait(TenderCtl *self, const gchar *id, guint subscription, GError **error)
{
	TenderCtlToolWait wait = {.self = self, .id = id};
	guint poll_id;
	guint sigint_id;
	guint sigterm_id;

	wait.loop = g_main_loop_new(NULL, FALSE);
	g_dbus_connection_signal_unsubscribe(self->connection, subscription);
	subscription = g_dbus_connection_signal_subscribe(self->connection,
							  TENDER_CTL_BUS_NAME,
							  TENDER_CTL_DOCKER_IFACE,
							  "ToolFinished",
							  TENDER_CTL_DOCKER_PATH,
							  id,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  tender_ctl_tool_finished_cb,
							  &wait,
							  NULL);
	poll_id = g_timeout_add_seconds(TENDER_CTL_TOOL_POLL_SEC, tender_ctl_tool_poll_cb, &wait);
	sigint_id = g_unix_signal_add(SIGINT, tender_ctl_tool_interrupt_cb, &wait);
	sigterm_id = g_unix_signal_add(SIGTERM, tender_ctl_tool_interrupt_cb, &wait);
	/* it may have ended before the subscription */
	tender_ctl_tool_poll_cb(&wait);
	if (!wait.done)
		g_main_loop_run(wait.loop);
	g_source_remove(poll_id);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
	g_dbus_connection_signal_unsubscribe(self->connection, subscription);
	g_main_loop_unref(wait.loop);
	if (wait.error != NULL) {
		g_propagate_error(error, wait.error);
		return FALSE;
	}
	return TRUE;
}

static void
tender_ctl_tool_noop_cb(GDBusConnection *connection,
			const gchar *sender,
			const gchar *path,
			const gchar *iface,
			const gchar *signal_name,
			GVariant *parameters,
			gpointer user_data)
{
}

/* the end of a run as tenderctl's: its exit status, or an error that says how it ended */
static gboolean
tender_ctl_tool_finish(TenderCtl *self, GVariant *tool, GError **error)
{
	const gchar *id = NULL;
	const gchar *status = NULL;
	const gchar *message = NULL;
	gint64 exit_code = 0;
	gboolean truncated = FALSE;

	g_variant_lookup(tool, "id", "&s", &id);
	g_variant_lookup(tool, "status", "&s", &status);
	if (self->json) {
		tender_ctl_tool_print_json(tool);
	} else {
		const gchar *out = NULL;
		const gchar *err = NULL;
		g_variant_lookup(tool, "stdout", "&s", &out);
		g_variant_lookup(tool, "stderr", "&s", &err);
		tender_ctl_tool_write(stdout, out);
		tender_ctl_tool_write(stderr, err);
		if (g_variant_lookup(tool, "truncated", "b", &truncated) && truncated)
			g_printerr("tenderctl: tool %s: its output was cut at [plugin docker] "
				   "output-max; 'tenderctl tool logs %s' has what was kept\n",
				   id,
				   id);
	}
	if (g_variant_lookup(tool, "exit_code", "x", &exit_code)) {
		self->exit_status = (gint)exit_code;
		return TRUE;
	}
	if (g_strcmp0(status, "completed") == 0)
		return TRUE;
	/* "tool ID: timeout", and what the plugin says of it; "tool ID: ERROR" for a failure */
	if (!g_variant_lookup(tool, "error", "&s", &message))
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "tool %s: %s", id, status);
	else if (g_strcmp0(status, "failed") != 0)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "tool %s: %s: %s",
			    id,
			    status,
			    message);
	else
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "tool %s: %s", id, message);
	return FALSE;
}

static gboolean
tender_ctl_cmd_tool_run(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) tool = NULL;
	g_autofree gchar *id = NULL;
	const gchar *status = NULL;
	guint subscription;

	/* subscribed before the run starts, so that its ToolFinished is not missed; the
	 * subscription that matches its id replaces this one in tender_ctl_tool_wait() */
	subscription = g_dbus_connection_signal_subscribe(self->connection,
							  TENDER_CTL_BUS_NAME,
							  TENDER_CTL_DOCKER_IFACE,
							  "ToolFinished",
							  TENDER_CTL_DOCKER_PATH,
							  NULL,
							  G_DBUS_SIGNAL_FLAGS_NONE,
							  tender_ctl_tool_noop_cb,
							  NULL,
							  NULL);
	reply = tender_ctl_tool_call(self,
				     "ExecuteTool",
				     g_variant_new("(@a{sv})", self->tool_request),
				     G_VARIANT_TYPE("(a{sv})"),
				     NULL,
				     error);
	if (reply == NULL) {
		g_dbus_connection_signal_unsubscribe(self->connection, subscription);
		return FALSE;
	}
	tool = g_variant_get_child_value(reply, 0);
	g_variant_lookup(tool, "id", "s", &id);
	g_variant_lookup(tool, "status", "&s", &status);
	if (self->tool_no_wait) {
		g_dbus_connection_signal_unsubscribe(self->connection, subscription);
		if (self->json)
			tender_ctl_tool_print_json(tool);
		else
			g_print("%s\n", id);
		return TRUE;
	}
	if (!tender_ctl_tool_status_is_final(status)) {
		if (!tender_ctl_tool_wait(self, id, subscription, error))
			return FALSE;
		g_clear_pointer(&reply, g_variant_unref);
		g_clear_pointer(&tool, g_variant_unref);
		reply = tender_ctl_tool_call(self,
					     "GetTool",
					     g_variant_new("(s)", id),
					     G_VARIANT_TYPE("(a{sv})"),
					     id,
					     error);
		if (reply == NULL)
			return FALSE;
		tool = g_variant_get_child_value(reply, 0);
	} else {
		g_dbus_connection_signal_unsubscribe(self->connection, subscription);
	}
	return tender_ctl_tool_finish(self, tool, error);
}

static void
tender_ctl_tool_print_key(const gchar *key, const gchar *value)
{
	g_print("%*s: %s\n",
		TENDER_CTL_TOOL_KEY_WIDTH,
		key,
		value != NULL && value[0] != '\0' ? value : "-");
}

/* one member of the record, as people read it */
void
tender_ctl_tool_print_member(const gchar *key, JsonNode *node)
{
	g_autofree gchar *text = NULL;

	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		text = NULL;
	} else if (g_str_equal(key, "max_memory_bytes")) {
		g_autofree gchar *human =
		    tender_units_format_size((guint64)json_node_get_int(node));
		text = g_strdup_printf("%s (%" G_GINT64_FORMAT " bytes)",
				       human,
				       json_node_get_int(node));
	} else if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING) {
		text = g_strdup(json_node_get_string(node));
	} else if (JSON_NODE_HOLDS_VALUE(node) &&
		   json_node_get_value_type(node) == G_TYPE_BOOLEAN) {
		text = g_strdup(json_node_get_boolean(node) ? "yes" : "no");
	} else {
		text = json_to_string(node, FALSE);
	}
	tender_ctl_tool_print_key(key, text);
}

static gboolean
tender_ctl_cmd_tool_show(TenderCtl *self, GError **error)
{
	const gchar *id = self->names[0];
	g_autoptr(GVariant) reply = tender_ctl_tool_call(self,
							 "GetTool",
							 g_variant_new("(s)", id),
							 G_VARIANT_TYPE("(a{sv})"),
							 id,
							 error);
	g_autoptr(GVariant) tool = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *obj;
	JsonObject *usage;
	g_autoptr(GList) names = NULL;

	if (reply == NULL)
		return FALSE;
	tool = g_variant_get_child_value(reply, 0);
	if (self->json) {
		tender_ctl_tool_print_json(tool);
		return TRUE;
	}
	root = tender_ctl_tool_to_json(tool);
	obj = json_node_get_object(root);
	usage = json_object_get_object_member(obj, "resource_usage");
	names = json_object_get_members(obj);
	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *key = l->data;
		/* the output is tool logs' */
		if (g_str_equal(key, "stdout") || g_str_equal(key, "stderr"))
			continue;
		if (g_str_equal(key, "resource_usage")) {
			for (guint i = 0; tender_ctl_tool_usage_members[i] != NULL; i++) {
				const gchar *k = tender_ctl_tool_usage_members[i];
				tender_ctl_tool_print_member(k, json_object_get_member(usage, k));
			}
			continue;
		}
		tender_ctl_tool_print_member(key, json_object_get_member(obj, key));
	}
	return TRUE;
}

static gboolean
tender_ctl_cmd_tool_logs(TenderCtl *self, GError **error)
{
	const gchar *id = self->names[0];
	g_autoptr(GVariant) reply = tender_ctl_tool_call(self,
							 "GetToolLogs",
							 g_variant_new("(s)", id),
							 G_VARIANT_TYPE("(ss)"),
							 id,
							 error);
	const gchar *out = NULL;
	const gchar *err = NULL;

	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(&s&s)", &out, &err);
	if (self->json) {
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonNode) root = NULL;
		json_object_set_string_member(obj, "stdout", out);
		json_object_set_string_member(obj, "stderr", err);
		root = json_node_init_object(json_node_alloc(), obj);
		tender_ctl_print_json(root);
		return TRUE;
	}
	tender_ctl_tool_write(stdout, out);
	tender_ctl_tool_write(stderr, err);
	return TRUE;
}

static gboolean
tender_ctl_cmd_tool_cancel(TenderCtl *self, GError **error)
{
	const gchar *id = self->names[0];
	g_autoptr(GVariant) reply =
	    tender_ctl_tool_call(self, "CancelTool", g_variant_new("(s)", id), NULL, id, error);
	return reply != NULL;
}

/* duration_ms as a list shows it: 850ms, 12.3s */
static gchar *
tender_ctl_tool_format_duration(GVariant *tool)
{
	gint64 ms = 0;

	if (!g_variant_lookup(tool, "duration_ms", "x", &ms))
		return g_strdup("-");
	if (ms < 1000)
		return g_strdup_printf("%" G_GINT64_FORMAT "ms", ms);
	return g_strdup_printf("%.1fs", (gdouble)ms / 1000.0);
}

static const gchar *
tender_ctl_tool_lookup_string(GVariant *tool, const gchar *key)
{
	const gchar *value = NULL;
	if (!g_variant_lookup(tool, key, "&s", &value))
		return "-";
	return value;
}

static gboolean
tender_ctl_cmd_tool_list(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) tools = NULL;
	gint width_id = strlen("ID");
	gint width_tool = strlen("TOOL");
	gint width_session = strlen("SESSION");
	gsize n;

	reply = tender_ctl_tool_call(self,
				     "ListTools",
				     g_variant_new("(s)",
						   self->tool_session != NULL ? self->tool_session
									      : ""),
				     G_VARIANT_TYPE("(aa{sv})"),
				     NULL,
				     error);
	if (reply == NULL)
		return FALSE;
	tools = g_variant_get_child_value(reply, 0);
	n = g_variant_n_children(tools);
	if (self->json) {
		g_autoptr(JsonArray) array = json_array_new();
		g_autoptr(JsonNode) root = NULL;
		for (gsize i = 0; i < n; i++) {
			g_autoptr(GVariant) tool = g_variant_get_child_value(tools, i);
			json_array_add_element(array, tender_ctl_tool_to_json(tool));
		}
		root = json_node_init_array(json_node_alloc(), array);
		tender_ctl_print_json(root);
		return TRUE;
	}
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) tool = g_variant_get_child_value(tools, i);
		width_id = MAX(width_id, (gint)strlen(tender_ctl_tool_lookup_string(tool, "id")));
		width_tool =
		    MAX(width_tool, (gint)strlen(tender_ctl_tool_lookup_string(tool, "tool_name")));
		width_session =
		    MAX(width_session,
			(gint)strlen(tender_ctl_tool_lookup_string(tool, "session_id")));
	}
	g_print("%-*s  %-*s  %-*s  %-9s  %4s  %s\n",
		width_id,
		"ID",
		width_tool,
		"TOOL",
		width_session,
		"SESSION",
		"STATUS",
		"EXIT",
		"DURATION");
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) tool = g_variant_get_child_value(tools, i);
		g_autofree gchar *duration = tender_ctl_tool_format_duration(tool);
		g_autofree gchar *exit_text = NULL;
		gint64 exit_code = 0;

		exit_text = g_variant_lookup(tool, "exit_code", "x", &exit_code)
				? g_strdup_printf("%" G_GINT64_FORMAT, exit_code)
				: g_strdup("-");
		g_print("%-*s  %-*s  %-*s  %-9s  %4s  %s\n",
			width_id,
			tender_ctl_tool_lookup_string(tool, "id"),
			width_tool,
			tender_ctl_tool_lookup_string(tool, "tool_name"),
			width_session,
			tender_ctl_tool_lookup_string(tool, "session_id"),
			tender_ctl_tool_lookup_string(tool, "status"),
			exit_text,
			duration);
	}
	return TRUE;
}

static const TenderCtlCommand tender_ctl_tool_commands[] = {
    {
	"tool run",
	"IMAGE [OPTION...] [-- CMD [ARG...]]",
	"Run a tool",
	"Run a tool: a container of IMAGE (an image dockerd has: nothing is pulled) runs CMD, or\n"
	"the image's command, with its parameters in the environment variable PARAMETERS (a\n"
	"JSON object) and on its standard input (the same JSON and a newline).  tenderctl waits\n"
	"for it to end, prints what it wrote to stdout on stdout and what it wrote to stderr on\n"
	"stderr, and exits with its exit code.",
	"Exit status: the tool's exit code.  A tool that its timeout killed, or that was\n"
	"cancelled, has none: tenderctl prints \"tenderctl: tool ID: timeout\" (or \"cancelled\")\n"
	"to stderr and exits with 1, as it does when the tool could not run (\"tool ID: ERROR\")\n"
	"or the request was refused.  Ctrl-C cancels the tool, and tenderctl waits for it to\n"
	"end.  Output beyond [plugin docker] output-max (1 MiB of each stream) is cut, and\n"
	"tenderctl says so on stderr.\n"
	"\n"
	"With --no-wait, tenderctl prints the tool's id and exits with 0 at once; 'tenderctl tool\n"
	"show ID' tells when it has ended.  With --json, it prints the tool's record (as 'tool\n"
	"show --json') instead of its output, and exits as above.\n"
	"\n"
	"A --param VALUE that parses as JSON (7, true, [1, 2], {\"a\": 1}, \"text\") is taken as\n"
	"such, anything else as a string.  The tool runs with no network unless --network, and\n"
	"at most 512 MiB, 1 CPU, 1024 processes and 300 seconds unless told otherwise; its\n"
	"container has the labels org.tender.owner=tender, org.tender.kind=tool,\n"
	"org.tender.session, org.tender.id and org.tender.tool, and TOOL_NAME, SESSION_ID and\n"
	"PARAMETERS in its environment.  It is removed once its result is read, unless --keep.\n"
	"\n"
	"Examples:\n"
	"  tenderctl tool run busybox -- sh -c 'echo hello'\n"
	"  tenderctl tool run -p file=report.pdf -p pages='[1, 2]' --timeout 60 --memory 256 \\\n"
	"          --cpus 0.5 tools/pdf-extract:1.2\n"
	"  id=$(tenderctl tool run --no-wait --session s1 busybox -- sleep 30)",
	TENDER_CTL_OPTS_TOOL_RUN,
	TENDER_CTL_ARGS_TOOL_RUN,
	tender_ctl_cmd_tool_run,
    },
    {
	"tool show",
	"ID",
	"Show a tool",
	"Show a tool run: its status, exit code, result, times and resource use.",
	"The keys are the members of the tool's record: id, tool_name, session_id, image,\n"
	"status (queued, running, completed, failed, timeout or cancelled), exit_code (none\n"
	"while it runs and when a timeout or a cancel killed it), error (why it could not run),\n"
	"truncated, result (its stdout parsed as JSON) or result_error, container_id, queued_at,\n"
	"started_at and finished_at (UTC), duration_ms, and its resource use max_memory_bytes\n"
	"and cpu_time_ns; - is none.  Its output is 'tenderctl tool logs'.\n"
	"\n"
	"With --json, prints the record as a JSON object with stdout and stderr too, every\n"
	"member there (null when it has none), as GET /v1/docker/tools/ID answers.\n"
	"\n"
	"Example:\n"
	"  tenderctl tool show exec_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_tool_show,
    },
    {
	"tool logs",
	"ID",
	"Print a tool's output",
	"Print what a tool wrote: its stdout on stdout, its stderr on stderr, as much as\n"
	"[plugin docker] output-max kept of each (invalid UTF-8 replaced).",
	"With --json, prints an object with the keys stdout and stderr.\n"
	"\n"
	"Example:\n"
	"  tenderctl tool logs exec_0123456789abcdef > result.json",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_tool_logs,
    },
    {
	"tool cancel",
	"ID",
	"Cancel a tool",
	"Cancel a tool that is queued or running: its container is killed, and its status\n"
	"becomes \"cancelled\", with no exit code.  Returns once it has ended.",
	"A tool that has ended cannot be cancelled: tenderctl says how it ended, and exits with "
	"1.\n"
	"\n"
	"Example:\n"
	"  tenderctl tool cancel exec_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_tool_cancel,
    },
    {
	"tool list",
	"[--session ID]",
	"List tools",
	"List the tool runs whose results are kept: all, or those of a session.  ID is the\n"
	"tool's id, TOOL its name, SESSION its session, STATUS queued, running, completed,\n"
	"failed, timeout or cancelled, EXIT its exit code and DURATION how long it ran.",
	"EXIT is - while a tool runs and when a timeout or a cancel killed it.  With --json,\n"
	"prints an array of records, each as 'tool show --json' prints it.\n"
	"\n"
	"Examples:\n"
	"  tenderctl tool list\n"
	"  tenderctl tool list --session s1",
	TENDER_CTL_OPTS_TOOL_LIST,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_tool_list,
    },
};

/**
 * tender_ctl_tool_find_verb:
 * @verb: (nullable): what follows "tool"
 *
 * Returns: (nullable): the command of 'tool @verb', or %NULL if it is none
 */
const TenderCtlCommand *
tender_ctl_tool_find_verb(const gchar *verb)
{
	return tender_ctl_find_verb(tender_ctl_tool_commands,
				    G_N_ELEMENTS(tender_ctl_tool_commands),
				    verb);
}
