/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <tender-json.h>

#include "tender-session-exec.h"
#include "tender-session-stream.h"
#include "tender-sessions-private.h"
#include "tender-sessions-service-private.h"

/*
 * Commands in a session, for D-Bus (org.tender.Agent1.Session) and HTTP (below
 * /v1/sessions/USER/SESSION/): Exec, which answers once the command ended (the session is
 * busy meanwhile: it does not expire), and the background processes.  Each starts the
 * session's sandbox again if it stopped, as the file calls do.  Exec's output may go to the
 * caller's descriptors (D-Bus) or be streamed (HTTP ?stream=1); a caller that goes away
 * kills the command.
 */

typedef struct {
	TenderSessionsService *self;
	TenderCall *call;
	TenderSessionsReply reply;
	TenderSessionExecOptions *options;
	TenderSession *session;	     /* used: busy until freed */
	gpointer hold;		     /* a background process's, until it started */
	TenderSessionStream *stream; /* Exec's output streamed over HTTP */
} TenderSessionsExecCall;

static void
tender_sessions_exec_call_free(TenderSessionsExecCall *exec)
{
	if (exec->session != NULL) {
		tender_sessions_release(exec->self->sessions, exec->session);
		tender_session_unref(exec->session);
	}
	g_clear_pointer(&exec->options, tender_session_exec_options_free);
	g_clear_pointer(&exec->stream, tender_session_stream_unref);
	g_free(exec);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionsExecCall, tender_sessions_exec_call_free)

static void
tender_sessions_exec_ran_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsExecCall) exec = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = tender_session_exec_run_finish(res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (result == NULL && exec->stream != NULL) {
		tender_session_stream_fail(exec->stream, error);
		return;
	}
	if (result == NULL) {
		tender_call_return_error(exec->call, error);
		return;
	}
	if (exec->reply == TENDER_SESSIONS_REPLY_DBUS) {
		tender_call_return_value(exec->call, g_variant_new("(@a{sv})", result));
		return;
	}
	obj = tender_session_exec_result_to_json(result);
	if (exec->stream != NULL) {
		/* the output went out as it came */
		json_object_remove_member(obj, "stdout");
		json_object_remove_member(obj, "stderr");
		tender_session_stream_end(exec->stream, obj);
		return;
	}
	tender_sessions_service_answer(exec->call, 200, obj);
}

/* the command runs: a streamed answer begins (a caller gone by now cancels it) */
static void
tender_sessions_exec_started_cb(TenderPlugin *plugin, guint32 pid, gpointer user_data)
{
	TenderSessionsExecCall *exec = user_data;

	if (exec->stream != NULL)
		(void)tender_session_stream_begin(exec->stream, NULL);
}

static void
tender_sessions_exec_used_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsExecCall) exec = user_data;
	g_autoptr(GError) error = NULL;
	guint32 pid = 0;

	exec->session = tender_sessions_use_finish(TENDER_SESSIONS(source), res, &pid, &error);
	if (exec->session == NULL) {
		tender_call_return_error(exec->call, error);
		return;
	}
	tender_session_exec_run_async(exec->self->plugin,
				      exec->session->workload,
				      exec->options,
				      exec->session->workspace != NULL,
				      tender_sessions_exec_started_cb,
				      tender_call_get_cancellable(exec->call),
				      tender_sessions_exec_ran_cb,
				      exec);
	exec = NULL;
}

/* --- background processes --- */

/* a running process keeps its session busy (it does not expire) until it ended */
typedef struct {
	TenderSessions *sessions;
	TenderSession *session;
} TenderSessionsProcessHold;

static void
tender_sessions_process_ended_cb(TenderSessionProcess *process, gpointer user_data)
{
	TenderSessionsProcessHold *hold = user_data;

	tender_sessions_release(hold->sessions, hold->session);
	tender_session_unref(hold->session);
	g_object_unref(hold->sessions);
	g_free(hold);
}

static TenderSessionProcesses *
tender_sessions_service_processes(TenderSessionsService *self, TenderSession *session)
{
	const TenderSessionsSettings *settings = tender_sessions_get_settings(self->sessions);

	if (session->processes == NULL) {
		g_autofree gchar *dir = g_build_filename(tender_plugin_get_state_dir(self->plugin),
							 "processes",
							 session->user,
							 session->id,
							 NULL);
		session->processes = tender_session_processes_new(dir,
								  settings->max_processes,
								  settings->process_log_max);
	}
	return session->processes;
}

static void
tender_sessions_process_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsExecCall) exec = user_data;
	TenderSessionsProcessHold *hold = g_steal_pointer(&exec->hold);
	g_autoptr(GError) error = NULL;
	TenderSessionProcess *process = tender_session_processes_start_finish(res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (process == NULL) {
		tender_sessions_process_ended_cb(NULL, hold);
		tender_call_return_error(exec->call, error);
		return;
	}
	if (exec->reply == TENDER_SESSIONS_REPLY_DBUS) {
		tender_call_return_value(exec->call,
					 g_variant_new("(s)",
						       tender_session_process_get_id(process)));
	} else {
		obj = json_object_new();
		json_object_set_string_member(obj, "id", tender_session_process_get_id(process));
		json_object_set_int_member(obj, "pid", tender_session_process_get_pid(process));
		tender_sessions_service_answer(exec->call, 201, obj);
	}
	tender_session_process_unref(process);
}

static void
tender_sessions_process_used_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsExecCall) exec = user_data;
	g_autoptr(GError) error = NULL;
	TenderSessionsProcessHold *hold;
	guint32 pid = 0;

	exec->session = tender_sessions_use_finish(TENDER_SESSIONS(source), res, &pid, &error);
	if (exec->session == NULL) {
		tender_call_return_error(exec->call, error);
		return;
	}
	hold = g_new0(TenderSessionsProcessHold, 1);
	hold->sessions = g_object_ref(exec->self->sessions);
	hold->session = tender_session_ref(exec->session);
	hold->session->busy++;
	exec->hold = hold;
	tender_session_processes_start_async(tender_sessions_service_processes(exec->self,
									       exec->session),
					     exec->self->plugin,
					     exec->session->workload,
					     exec->options,
					     exec->session->workspace != NULL,
					     tender_sessions_process_ended_cb,
					     hold,
					     tender_sessions_process_started_cb,
					     exec);
	exec = NULL;
}

/* runs @options (taken) in the session: Exec answers @call with the result, StartProcess
 * (@options->background) with the process's id once it runs */
static void
tender_sessions_service_command(TenderSessionsService *self,
				TenderCall *call,
				TenderSessionsReply reply,
				const gchar *user,
				const gchar *id,
				TenderSessionExecOptions *options,
				TenderSessionStream *stream)
{
	TenderSessionsExecCall *exec = g_new0(TenderSessionsExecCall, 1);

	exec->stream = stream;
	exec->self = self;
	exec->call = call;
	exec->reply = reply;
	exec->options = options;
	tender_sessions_use_async(self->sessions,
				  user,
				  id,
				  NULL,
				  options->background ? tender_sessions_process_used_cb
						      : tender_sessions_exec_used_cb,
				  exec);
}

/* the session's processes for a call that needs no sandbox: the session touched */
TenderSessionProcesses *
tender_sessions_service_lookup_processes(TenderSessionsService *self,
					 const gchar *user,
					 const gchar *id,
					 guint32 *main_pid,
					 GError **error)
{
	g_autoptr(TenderSession) session = tender_sessions_lookup(self->sessions, user, id, error);
	g_autofree gchar *state = NULL;

	if (session == NULL)
		return NULL;
	tender_sessions_touch(self->sessions, session);
	if (main_pid != NULL) {
		state =
		    tender_sessions_sandbox_workload_state(self->sessions, session, main_pid, NULL);
		if (g_strcmp0(state, "running") != 0)
			*main_pid = 0;
	}
	return tender_sessions_service_processes(self, session);
}

static JsonArray *
tender_sessions_service_list_processes(TenderSessionsService *self,
				       const gchar *user,
				       const gchar *id,
				       GError **error)
{
	guint32 pid = 0;
	TenderSessionProcesses *processes =
	    tender_sessions_service_lookup_processes(self, user, id, &pid, error);

	if (processes == NULL)
		return NULL;
	return tender_session_processes_list(processes, pid);
}

static gboolean
tender_sessions_service_kill_process(TenderSessionsService *self,
				     const gchar *user,
				     const gchar *id,
				     const gchar *process,
				     gint signo,
				     GError **error)
{
	TenderSessionProcesses *processes =
	    tender_sessions_service_lookup_processes(self, user, id, NULL, error);

	if (processes == NULL)
		return FALSE;
	return tender_session_processes_kill(processes, process, signo, error);
}

/* --- D-Bus --- */

static void
tender_sessions_session_command(TenderCall *call, TenderSessionsObject *object, gboolean background)
{
	g_autofree const gchar **argv = NULL;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GError) error = NULL;
	TenderSessionExecOptions *exec;

	g_variant_get(tender_call_get_parameters(call), "(^a&s@a{sv})", &argv, &options);
	exec = tender_session_exec_options_from_vardict(argv,
							options,
							tender_call_get_fd_list(call),
							background,
							&error);
	if (exec == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_sessions_service_command(object->service,
					call,
					TENDER_SESSIONS_REPLY_DBUS,
					object->user,
					object->id,
					exec,
					NULL);
}

void
tender_sessions_session_exec(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_session_command(call, user_data, FALSE);
}

void
tender_sessions_session_start_process(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_session_command(call, user_data, TRUE);
}

void
tender_sessions_session_list_processes(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) list = tender_sessions_service_list_processes(object->service,
									   object->user,
									   object->id,
									   &error);
	GVariantBuilder builder;

	if (list == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < json_array_get_length(list); i++)
		g_variant_builder_add_value(&builder,
					    tender_json_object_to_vardict(
						json_array_get_object_element(list, i)));
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
}

void
tender_sessions_session_kill_process(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(GError) error = NULL;
	const gchar *process = NULL;
	gint32 signo = 0;

	g_variant_get(tender_call_get_parameters(call), "(&si)", &process, &signo);
	if (!tender_sessions_service_kill_process(object->service,
						  object->user,
						  object->id,
						  process,
						  signo,
						  &error)) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, NULL);
}

/* --- HTTP --- */

static JsonObject *
tender_sessions_http_body(TenderCall *call, const gchar *body, gboolean required)
{
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;

	if (body[0] == '\0' && !required)
		return json_object_new();
	node = tender_json_parse(body, -1, TENDER_JSON_DEPTH_MAX, &error);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_autoptr(GError) invalid = g_error_new_literal(TENDER_ERROR,
								TENDER_ERROR_INVALID_ARGUMENT,
								"The body is not a JSON object");
		tender_call_return_error(call, invalid);
		return NULL;
	}
	return json_object_ref(json_node_get_object(node));
}

/**
 * tender_sessions_service_http_exec:
 * @tag: the route's
 * @params: the route's parameters (user, session, ...) and query
 * @body: the request's body
 *
 * Answers the routes of commands: exec, processes (POST, GET), logs, kill.
 *
 * Returns: %TRUE if @tag is one of them (then @call is answered)
 */
/* POST .../kill: {"signal": 15 or "TERM"}, TERM without a body */
static gboolean
tender_sessions_http_signal(JsonObject *obj, gint *signo, GError **error)
{
	JsonNode *node = json_object_get_member(obj, "signal");
	g_autofree gchar *text = NULL;

	*signo = SIGTERM;
	if (node == NULL)
		return json_object_get_size(obj) == 0 ||
		       tender_session_signal_parse("?", signo, error);
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING)
		text = g_strdup(json_node_get_string(node));
	else if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64)
		text = g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
	else
		text = g_strdup("?");
	return tender_session_signal_parse(text, signo, error);
}

static void
tender_sessions_http_processes(TenderSessionsService *self,
			       TenderCall *call,
			       const gchar *tag,
			       GVariant *params,
			       JsonObject *obj)
{
	const gchar *user = NULL;
	const gchar *id = NULL;
	const gchar *process = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) list = NULL;
	g_autoptr(JsonObject) answer = NULL;
	gint signo = 0;

	(void)g_variant_lookup(params, "user", "&s", &user);
	(void)g_variant_lookup(params, "session", "&s", &id);
	(void)g_variant_lookup(params, "id", "&s", &process);
	if (g_strcmp0(tag, "ps") == 0) {
		list = tender_sessions_service_list_processes(self, user, id, &error);
		if (list == NULL) {
			tender_call_return_error(call, error);
			return;
		}
		answer = json_object_new();
		json_object_set_array_member(answer, "processes", g_steal_pointer(&list));
		tender_sessions_service_answer(call, 200, answer);
		return;
	}
	if (g_strcmp0(tag, "logs") == 0) {
		tender_sessions_service_http_logs(self, call, params, user, id, process);
		return;
	}
	/* kill */
	if (!tender_sessions_http_signal(obj, &signo, &error) ||
	    !tender_sessions_service_kill_process(self, user, id, process, signo, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	answer = json_object_new();
	json_object_set_boolean_member(answer, "killed", TRUE);
	json_object_set_int_member(answer, "signal", signo);
	tender_sessions_service_answer(call, 200, answer);
}

/**
 * tender_sessions_service_http_exec:
 * @tag: the route's
 * @params: the route's parameters (user, session, id) and query
 * @body: the request's body
 *
 * Answers the routes of commands: exec, start (POST .../processes), ps (GET
 * .../processes), logs, kill.
 *
 * Returns: %TRUE if @tag is one of them (then @call is answered)
 */
gboolean
tender_sessions_service_http_exec(TenderSessionsService *self,
				  TenderCall *call,
				  const gchar *tag,
				  GVariant *params,
				  const gchar *body)
{
	const gchar *user = NULL;
	const gchar *id = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(GError) error = NULL;
	TenderSessionExecOptions *options;
	TenderSessionStream *stream = NULL;
	gboolean background = g_strcmp0(tag, "start") == 0;
	gboolean streamed = FALSE;

	if (!g_strv_contains((const gchar *const[]){"exec", "start", "ps", "logs", "kill", NULL},
			     tag != NULL ? tag : ""))
		return FALSE;
	(void)g_variant_lookup(params, "user", "&s", &user);
	(void)g_variant_lookup(params, "session", "&s", &id);
	obj = tender_sessions_http_body(call, body, g_strcmp0(tag, "exec") == 0 || background);
	if (obj == NULL)
		return TRUE;
	if (g_strcmp0(tag, "exec") != 0 && !background) {
		tender_sessions_http_processes(self, call, tag, params, obj);
		return TRUE;
	}
	if (!tender_sessions_http_flag(call, params, "stream", &streamed, FALSE))
		return TRUE;
	if (streamed && background) {
		error =
		    g_error_new_literal(TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"A background process is not streamed: follow its logs");
		tender_call_return_error(call, error);
		return TRUE;
	}
	options = tender_session_exec_options_from_json(obj, background, &error);
	if (options == NULL) {
		tender_call_return_error(call, error);
		return TRUE;
	}
	if (streamed) {
		stream =
		    tender_session_stream_new(call, &options->fds[1], &options->fds[2], &error);
		if (stream == NULL) {
			tender_session_exec_options_free(options);
			tender_call_return_error(call, error);
			return TRUE;
		}
	}
	tender_sessions_service_command(self,
					call,
					TENDER_SESSIONS_REPLY_HTTP,
					user,
					id,
					options,
					stream);
	return TRUE;
}
