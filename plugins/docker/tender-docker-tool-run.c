/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-api.h"
#include "tender-docker-lines.h"
#include "tender-docker-tool-run.h"

/*
 * TenderDockerToolRun drives the container of one tool run, without blocking and without
 * polling:
 *
 *   POST /containers/create?name=tender-tool-ID   (tender_docker_tool_request_build_create_body)
 *   the parameters to its stdin (an attach of its own, not waited for: the container reads
 *   them whenever it wants), then POST /containers/ID/start
 *   POST /containers/ID/wait, a long poll that answers once the container has stopped; a
 *   timer for the timeout; GET /containers/ID/stats?stream=1 followed for the memory's peak
 *   and the CPU time
 *   GET /containers/ID/json (exit code, OOMKilled, the times), GET /containers/ID/logs
 *   (demuxed, each stream capped at output_max), the record saved, and the container removed
 *   (DELETE ?force=1&v=1) if the request asks for cleanup.
 *
 * The timeout and a cancel kill the container (POST /containers/ID/kill, after the record
 * says why, so that a tenderd that restarts meanwhile knows): the run ends as timeout or
 * cancelled, with no exit code.  A wait that fails (dockerd restarting) is asked again after
 * TENDER_DOCKER_TOOL_RETRY_FIRST_MS, doubling up to TENDER_DOCKER_TOOL_RETRY_MAX_MS.  A run
 * that a restarted tenderd adopts (tender_docker_tool_run_adopt()) starts from the inspect:
 * waited for if its container runs, collected if it has stopped.
 *
 * Every request has the run's cancellable, which tender_docker_tool_run_free() cancels: a
 * callback that gets G_IO_ERROR_CANCELLED returns at once, without touching the run.
 */

/* the longest line of the stats stream */
#define TENDER_DOCKER_TOOL_STATS_LINE_MAX (256 * 1024)

struct _TenderDockerToolRun {
	TenderDockerClient *client;
	TenderDockerToolStore *store;
	TenderDockerTool *tool;
	gsize output_max;
	TenderDockerToolRunFunc started_func;
	TenderDockerToolRunFunc ended_func;
	gpointer user_data;
	GCancellable *cancellable;
	GCancellable *stats_cancellable;
	TenderDockerLines *stats;
	guint timeout_id;
	guint retry_id;
	guint retry_ms;
	gboolean started;      /* the container has been started */
	gboolean told_started; /* started_func has been called */
	gboolean exited;       /* the wait has answered: the run is being collected */
	gboolean killing;      /* a kill is in flight */
	gint wait_status;      /* the wait's StatusCode */
	gboolean oom_killed;
	gchar *output_error; /* why the logs could not be read */
};

/**
 * tender_docker_tool_run_new:
 * @client: a connected client
 * @store: where the run's record is saved
 * @tool: the run's record: running, with a container id if it is adopted
 * @output_max: how much of stdout and of stderr to keep
 * @started_func: called once the tool has started, or could not start
 * @ended_func: called once the run has ended: its record is final and saved, and its
 *              container removed if asked; the run may be freed there
 * @user_data: for the functions
 *
 * Returns: (transfer full): a run, not started
 */
TenderDockerToolRun *
tender_docker_tool_run_new(TenderDockerClient *client,
			   TenderDockerToolStore *store,
			   TenderDockerTool *tool,
			   gsize output_max,
			   TenderDockerToolRunFunc started_func,
			   TenderDockerToolRunFunc ended_func,
			   gpointer user_data)
{
	TenderDockerToolRun *self = g_new0(TenderDockerToolRun, 1);

	self->client = g_object_ref(client);
	self->store = g_object_ref(store);
	self->tool = g_object_ref(tool);
	self->output_max = output_max;
	self->started_func = started_func;
	self->ended_func = ended_func;
	self->user_data = user_data;
	self->cancellable = g_cancellable_new();
	self->retry_ms = TENDER_DOCKER_TOOL_RETRY_FIRST_MS;
	return self;
}

static void
tender_docker_tool_run_stop_stats(TenderDockerToolRun *self)
{
	if (self->stats_cancellable != NULL)
		g_cancellable_cancel(self->stats_cancellable);
	g_clear_object(&self->stats_cancellable);
	g_clear_object(&self->stats);
}

/**
 * tender_docker_tool_run_free:
 * @self: (nullable): a run
 *
 * Frees the run, cancelling what it was doing (its container is left as it is).
 */
void
tender_docker_tool_run_free(TenderDockerToolRun *self)
{
	if (self == NULL)
		return;
	g_cancellable_cancel(self->cancellable);
	tender_docker_tool_run_stop_stats(self);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->retry_id, g_source_remove);
	g_object_unref(self->cancellable);
	g_object_unref(self->client);
	g_object_unref(self->store);
	g_object_unref(self->tool);
	g_free(self->output_error);
	g_free(self);
}

TenderDockerTool *
tender_docker_tool_run_get_tool(TenderDockerToolRun *self)
{
	return self->tool;
}

/* whether an answer came too late: the run is gone (and must not be touched) */
static gboolean
tender_docker_tool_run_gone(const GError *error)
{
	return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* what becomes of dockerd's answer to a request of the run's; not called once the run is gone */
typedef void (*TenderDockerToolRunAnswerFunc)(TenderDockerToolRun *self,
					      JsonNode *answer,
					      GError *error);

typedef struct {
	TenderDockerToolRun *run;
	TenderDockerToolRunAnswerFunc func;
} TenderDockerToolRunRequest;

static void
tender_docker_tool_run_answered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree TenderDockerToolRunRequest *request = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);

	if (!tender_docker_tool_run_gone(error))
		request->func(request->run, answer, error);
}

/* one request of the Engine API, whose answer goes to @func */
static void
tender_docker_tool_run_request(TenderDockerToolRun *self,
			       const gchar *method,
			       const gchar *path,
			       JsonNode *body,
			       TenderDockerToolRunAnswerFunc func)
{
	TenderDockerToolRunRequest *request = g_new0(TenderDockerToolRunRequest, 1);

	request->run = self;
	request->func = func;
	tender_docker_client_request_async(self->client,
					   method,
					   path,
					   body,
					   self->cancellable,
					   tender_docker_tool_run_answered_cb,
					   request);
}

static gchar *
tender_docker_tool_run_container_path(TenderDockerToolRun *self, const gchar *what)
{
	g_autofree gchar *escaped =
	    tender_docker_api_escape(tender_docker_tool_get_container_id(self->tool));

	return g_strdup_printf("/containers/%s%s", escaped, what);
}

static void
tender_docker_tool_run_save(TenderDockerToolRun *self,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(JsonObject) state = tender_docker_tool_to_state(self->tool);

	tender_docker_tool_store_save_async(self->store,
					    tender_docker_tool_get_id(self->tool),
					    state,
					    callback != NULL ? self->cancellable : NULL,
					    callback,
					    user_data);
}

static void
tender_docker_tool_run_tell_started(TenderDockerToolRun *self)
{
	if (self->told_started)
		return;
	self->told_started = TRUE;
	self->started_func(self, self->user_data);
}

/* --- the end --- */

static void
tender_docker_tool_run_ended(TenderDockerToolRun *self)
{
	tender_docker_tool_run_tell_started(self);
	/* last: the run may be freed there */
	self->ended_func(self, self->user_data);
}

static void
tender_docker_tool_run_removed(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	if (error != NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		g_warning("Cannot remove the container of tool run %s: %s",
			  tender_docker_tool_get_id(self->tool),
			  error->message);
	tender_docker_tool_run_ended(self);
}

static void
tender_docker_tool_run_end_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	TenderDockerToolRun *self = user_data;
	g_autofree gchar *base = NULL;
	g_autofree gchar *path = NULL;

	if (!tender_docker_tool_store_save_finish(TENDER_DOCKER_TOOL_STORE(source), res, &error) &&
	    tender_docker_tool_run_gone(error))
		return;
	if (tender_docker_tool_get_container_id(self->tool) == NULL ||
	    !tender_docker_tool_get_request(self->tool)->cleanup) {
		tender_docker_tool_run_ended(self);
		return;
	}
	base = tender_docker_tool_run_container_path(self, "");
	path = tender_docker_api_build_path(base, "force", "1", "v", "1", NULL);
	tender_docker_tool_run_request(self, "DELETE", path, NULL, tender_docker_tool_run_removed);
}

/* the record is final: saved, then the container removed if asked */
static void
tender_docker_tool_run_end(TenderDockerToolRun *self,
			   TenderDockerToolStatus status,
			   const gint *exit_code,
			   const gchar *error,
			   gint64 finished_at)
{
	self->exited = TRUE;
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->retry_id, g_source_remove);
	tender_docker_tool_run_stop_stats(self);
	tender_docker_tool_finish(self->tool, status, exit_code, error, finished_at);
	tender_docker_tool_run_save(self, tender_docker_tool_run_end_saved_cb, self);
}

/* the container has stopped, and its logs are read: how did the run end? */
static void
tender_docker_tool_run_decide(TenderDockerToolRun *self, gint exit_code, gint64 finished_at)
{
	TenderDockerToolRequest *request = tender_docker_tool_get_request(self->tool);
	TenderDockerToolStatus ending = tender_docker_tool_get_ending(self->tool);
	g_autofree gchar *message = NULL;

	if (ending == TENDER_DOCKER_TOOL_STATUS_TIMEOUT) {
		message = g_strdup_printf("The tool ran longer than its timeout of %u s, and was "
					  "killed",
					  request->timeout_seconds);
		tender_docker_tool_run_end(self, ending, NULL, message, finished_at);
		return;
	}
	if (ending == TENDER_DOCKER_TOOL_STATUS_CANCELLED) {
		tender_docker_tool_run_end(self,
					   ending,
					   NULL,
					   "The tool run was cancelled, and its container killed",
					   finished_at);
		return;
	}
	if (self->oom_killed)
		message =
		    g_strdup_printf("The tool ran out of memory (its limit is %" G_GUINT64_FORMAT
				    " MiB), and was killed",
				    request->memory_mb);
	else if (self->output_error != NULL)
		message = g_strdup(self->output_error);
	tender_docker_tool_run_end(self,
				   exit_code == 0 && !self->oom_killed
				       ? TENDER_DOCKER_TOOL_STATUS_COMPLETED
				       : TENDER_DOCKER_TOOL_STATUS_FAILED,
				   &exit_code,
				   message,
				   finished_at);
}

/* the run ends without its tool having run to its end: it failed, unless it was being
 * killed anyway */
static void
tender_docker_tool_run_fail(TenderDockerToolRun *self, const gchar *message)
{
	if (tender_docker_tool_get_ending(self->tool) != TENDER_DOCKER_TOOL_STATUS_RUNNING) {
		tender_docker_tool_run_decide(self, -1, g_get_real_time());
		return;
	}
	tender_docker_tool_run_end(self,
				   TENDER_DOCKER_TOOL_STATUS_FAILED,
				   NULL,
				   message,
				   g_get_real_time());
}

/* --- collecting: the inspect, then the logs --- */

/**
 * tender_docker_tool_run_parse_time:
 * @text: (nullable): a time of dockerd's, RFC 3339 with nanoseconds
 *
 * Returns: the time in µs since the epoch, or 0 if there is none (dockerd's
 * "0001-01-01T00:00:00Z")
 */
gint64
tender_docker_tool_run_parse_time(const gchar *text)
{
	g_autoptr(GDateTime) dt = NULL;
	gint64 usec;

	if (text == NULL)
		return 0;
	dt = g_date_time_new_from_iso8601(text, NULL);
	if (dt == NULL)
		return 0;
	usec = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
	return usec > 0 ? usec : 0;
}

typedef struct {
	TenderDockerToolRun *run;
	gint exit_code;
	gint64 finished_at;
} TenderDockerToolRunCollect;

static void
tender_docker_tool_run_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree TenderDockerToolRunCollect *collect = user_data;
	TenderDockerToolRun *self = collect->run;
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) out = NULL;
	g_autoptr(GByteArray) err = NULL;
	gboolean truncated = FALSE;

	if (!tender_docker_client_logs_finish(TENDER_DOCKER_CLIENT(source),
					      res,
					      &out,
					      &err,
					      &truncated,
					      &error)) {
		if (tender_docker_tool_run_gone(error))
			return;
		self->output_error =
		    g_strdup_printf("Cannot read the tool's output: %s", error->message);
	} else {
		tender_docker_tool_set_output(self->tool,
					      out->data,
					      out->len,
					      err->data,
					      err->len,
					      truncated);
	}
	tender_docker_tool_run_decide(self, collect->exit_code, collect->finished_at);
}

static void
tender_docker_tool_run_inspected(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	TenderDockerToolRunCollect *collect = NULL;
	JsonObject *state = NULL;

	collect = g_new0(TenderDockerToolRunCollect, 1);
	collect->run = self;
	collect->exit_code = self->wait_status;
	collect->finished_at = g_get_real_time();
	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer))
		state = json_object_get_object_member(json_node_get_object(answer), "State");
	if (state != NULL) {
		gint64 started_at = tender_docker_tool_run_parse_time(
		    json_object_get_string_member_with_default(state, "StartedAt", NULL));
		gint64 finished_at = tender_docker_tool_run_parse_time(
		    json_object_get_string_member_with_default(state, "FinishedAt", NULL));
		collect->exit_code =
		    (gint)json_object_get_int_member_with_default(state,
								  "ExitCode",
								  collect->exit_code);
		self->oom_killed =
		    json_object_get_boolean_member_with_default(state, "OOMKilled", FALSE);
		if (started_at > 0)
			tender_docker_tool_set_started_at(self->tool, started_at);
		if (finished_at > 0)
			collect->finished_at = finished_at;
	} else if (error != NULL) {
		g_warning("Cannot inspect the container of tool run %s: %s",
			  tender_docker_tool_get_id(self->tool),
			  error->message);
	}
	/* dockerd may note the end of a tool that ran for no time before its start */
	collect->finished_at =
	    MAX(collect->finished_at, tender_docker_tool_get_started_at(self->tool));
	tender_docker_client_logs_async(self->client,
					tender_docker_tool_get_container_id(self->tool),
					self->output_max,
					self->cancellable,
					tender_docker_tool_run_logs_cb,
					collect);
}

/* the container has stopped */
static void
tender_docker_tool_run_collect(TenderDockerToolRun *self)
{
	g_autofree gchar *path = tender_docker_tool_run_container_path(self, "/json");

	self->exited = TRUE;
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	g_clear_handle_id(&self->retry_id, g_source_remove);
	tender_docker_tool_run_stop_stats(self);
	tender_docker_tool_run_request(self, "GET", path, NULL, tender_docker_tool_run_inspected);
}

/* --- kill --- */

static void
tender_docker_tool_run_killed(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{

	self->killing = FALSE;
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE)) {
		/* it was not running: it has ended by itself, as the wait will say */
		if (!self->exited)
			tender_docker_tool_set_ending(self->tool,
						      TENDER_DOCKER_TOOL_STATUS_RUNNING);
		return;
	}
	if (error != NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		g_warning("Cannot kill the container of tool run %s (the wait tries again): %s",
			  tender_docker_tool_get_id(self->tool),
			  error->message);
}

static void
tender_docker_tool_run_send_kill(TenderDockerToolRun *self)
{
	g_autofree gchar *path = tender_docker_tool_run_container_path(self, "/kill");

	if (self->killing || self->exited)
		return;
	self->killing = TRUE;
	tender_docker_tool_run_request(self, "POST", path, NULL, tender_docker_tool_run_killed);
}

static void
tender_docker_tool_run_kill_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	TenderDockerToolRun *self = user_data;

	if (!tender_docker_tool_store_save_finish(TENDER_DOCKER_TOOL_STORE(source), res, &error) &&
	    tender_docker_tool_run_gone(error))
		return;
	tender_docker_tool_run_send_kill(self);
}

/* the record says why, then the container is killed (once it has started) */
static void
tender_docker_tool_run_kill_for(TenderDockerToolRun *self, TenderDockerToolStatus ending)
{
	tender_docker_tool_set_ending(self->tool, ending);
	g_clear_handle_id(&self->timeout_id, g_source_remove);
	if (self->started)
		tender_docker_tool_run_save(self, tender_docker_tool_run_kill_saved_cb, self);
}

/**
 * tender_docker_tool_run_kill:
 * @self: a run
 * @ending: %TENDER_DOCKER_TOOL_STATUS_CANCELLED (or %TENDER_DOCKER_TOOL_STATUS_TIMEOUT)
 * @error: (nullable): return location for a #GError
 *
 * Kills the run's container (or keeps it from starting): the run ends with @ending.
 *
 * Returns: %FALSE (%TENDER_ERROR_INVALID_STATE) if the run is ending already
 */
gboolean
tender_docker_tool_run_kill(TenderDockerToolRun *self,
			    TenderDockerToolStatus ending,
			    GError **error)
{
	TenderDockerToolStatus current = tender_docker_tool_get_ending(self->tool);

	if (self->exited) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Tool run %s has ended already",
			    tender_docker_tool_get_id(self->tool));
		return FALSE;
	}
	if (current != TENDER_DOCKER_TOOL_STATUS_RUNNING && current != ending) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Tool run %s is being killed already, for its %s",
			    tender_docker_tool_get_id(self->tool),
			    current == TENDER_DOCKER_TOOL_STATUS_TIMEOUT ? "timeout" : "cancel");
		return FALSE;
	}
	if (current == TENDER_DOCKER_TOOL_STATUS_RUNNING)
		tender_docker_tool_run_kill_for(self, ending);
	return TRUE;
}

static gboolean
tender_docker_tool_run_timeout_cb(gpointer user_data)
{
	TenderDockerToolRun *self = user_data;

	self->timeout_id = 0;
	if (tender_docker_tool_get_ending(self->tool) == TENDER_DOCKER_TOOL_STATUS_RUNNING)
		tender_docker_tool_run_kill_for(self, TENDER_DOCKER_TOOL_STATUS_TIMEOUT);
	return G_SOURCE_REMOVE;
}

/* the timer of the timeout, from the time the container started */
static void
tender_docker_tool_run_arm_timeout(TenderDockerToolRun *self)
{
	TenderDockerToolRequest *request = tender_docker_tool_get_request(self->tool);
	gint64 elapsed_ms =
	    (g_get_real_time() - tender_docker_tool_get_started_at(self->tool)) / 1000;
	gint64 left_ms = (gint64)request->timeout_seconds * 1000 - MAX(elapsed_ms, 0);

	g_clear_handle_id(&self->timeout_id, g_source_remove);
	self->timeout_id = g_timeout_add((guint)CLAMP(left_ms, 0, G_MAXUINT),
					 tender_docker_tool_run_timeout_cb,
					 self);
}

/* --- stats --- */

/**
 * tender_docker_tool_run_parse_stats:
 * @stats: a sample of /containers/ID/stats
 * @memory_bytes: (out): the memory in use (its peak, where cgroup v1 tells), or -1
 * @cpu_time_ns: (out): the CPU time used, or -1
 */
void
tender_docker_tool_run_parse_stats(JsonObject *stats, gint64 *memory_bytes, gint64 *cpu_time_ns)
{
	JsonObject *memory = json_object_get_object_member(stats, "memory_stats");
	JsonObject *cpu = json_object_get_object_member(stats, "cpu_stats");
	JsonObject *cpu_usage =
	    cpu != NULL ? json_object_get_object_member(cpu, "cpu_usage") : NULL;

	*memory_bytes = -1;
	*cpu_time_ns = -1;
	if (memory != NULL) {
		gint64 usage = json_object_get_int_member_with_default(memory, "usage", -1);
		gint64 max_usage = json_object_get_int_member_with_default(memory, "max_usage", -1);
		*memory_bytes = MAX(usage, max_usage);
	}
	if (cpu_usage != NULL)
		*cpu_time_ns =
		    json_object_get_int_member_with_default(cpu_usage, "total_usage", -1);
	/* a sample of a container that has stopped has zeros */
	if (*memory_bytes == 0)
		*memory_bytes = -1;
	if (*cpu_time_ns == 0)
		*cpu_time_ns = -1;
}

static void
tender_docker_tool_run_read_stats(TenderDockerToolRun *self);

static void
tender_docker_tool_run_stats_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line =
	    tender_docker_lines_read_finish(TENDER_DOCKER_LINES(source), res, &error);
	TenderDockerToolRun *self = user_data;
	g_autoptr(JsonNode) sample = NULL;
	gint64 memory_bytes = -1;
	gint64 cpu_time_ns = -1;

	if (tender_docker_tool_run_gone(error))
		return;
	if (line == NULL) {
		/* the container has stopped, or the stream failed: no more samples */
		tender_docker_tool_run_stop_stats(self);
		return;
	}
	sample = tender_json_parse(line, -1, TENDER_JSON_DEPTH_MAX, NULL);
	if (sample != NULL && JSON_NODE_HOLDS_OBJECT(sample)) {
		tender_docker_tool_run_parse_stats(json_node_get_object(sample),
						   &memory_bytes,
						   &cpu_time_ns);
		tender_docker_tool_add_usage(self->tool, memory_bytes, cpu_time_ns);
	}
	tender_docker_tool_run_read_stats(self);
}

static void
tender_docker_tool_run_read_stats(TenderDockerToolRun *self)
{
	tender_docker_lines_read_async(self->stats,
				       self->stats_cancellable,
				       tender_docker_tool_run_stats_cb,
				       self);
}

static void
tender_docker_tool_run_stats_opened_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream =
	    tender_docker_client_send_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	TenderDockerToolRun *self = user_data;

	if (tender_docker_tool_run_gone(error))
		return;
	if (stream == NULL) {
		g_debug("No stats for tool run %s: %s",
			tender_docker_tool_get_id(self->tool),
			error->message);
		return;
	}
	self->stats = tender_docker_lines_new(stream, TENDER_DOCKER_TOOL_STATS_LINE_MAX);
	tender_docker_tool_run_read_stats(self);
}

static void
tender_docker_tool_run_follow_stats(TenderDockerToolRun *self)
{
	g_autofree gchar *base = tender_docker_tool_run_container_path(self, "/stats");
	g_autofree gchar *path = tender_docker_api_build_path(base, "stream", "1", NULL);

	tender_docker_tool_run_stop_stats(self);
	self->stats_cancellable = g_cancellable_new();
	tender_docker_client_send_async(self->client,
					"GET",
					path,
					NULL,
					self->stats_cancellable,
					tender_docker_tool_run_stats_opened_cb,
					self);
}

/* --- the wait --- */

static void
tender_docker_tool_run_wait(TenderDockerToolRun *self);

static gboolean
tender_docker_tool_run_retry_cb(gpointer user_data)
{
	TenderDockerToolRun *self = user_data;

	self->retry_id = 0;
	if (tender_docker_tool_get_ending(self->tool) != TENDER_DOCKER_TOOL_STATUS_RUNNING)
		tender_docker_tool_run_send_kill(self);
	tender_docker_tool_run_wait(self);
	return G_SOURCE_REMOVE;
}

static void
tender_docker_tool_run_waited(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	g_autofree gchar *message = NULL;

	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		message = g_strdup_printf("The tool's container %s is gone",
					  tender_docker_tool_get_container_id(self->tool));
		tender_docker_tool_run_fail(self, message);
		return;
	}
	if (error != NULL) {
		g_debug("Waiting for tool run %s again in %u ms: %s",
			tender_docker_tool_get_id(self->tool),
			self->retry_ms,
			error->message);
		self->retry_id =
		    g_timeout_add(self->retry_ms, tender_docker_tool_run_retry_cb, self);
		self->retry_ms = MIN(self->retry_ms * 2, TENDER_DOCKER_TOOL_RETRY_MAX_MS);
		return;
	}
	if (JSON_NODE_HOLDS_OBJECT(answer))
		self->wait_status =
		    (gint)json_object_get_int_member_with_default(json_node_get_object(answer),
								  "StatusCode",
								  -1);
	tender_docker_tool_run_collect(self);
}

static void
tender_docker_tool_run_wait(TenderDockerToolRun *self)
{
	g_autofree gchar *path = tender_docker_tool_run_container_path(self, "/wait");

	tender_docker_tool_run_request(self, "POST", path, NULL, tender_docker_tool_run_waited);
}

/* the container runs: its timeout, stats and wait */
static void
tender_docker_tool_run_running(TenderDockerToolRun *self)
{
	self->started = TRUE;
	tender_docker_tool_set_status(self->tool, TENDER_DOCKER_TOOL_STATUS_RUNNING);
	tender_docker_tool_run_save(self, NULL, NULL);
	tender_docker_tool_run_tell_started(self);
	tender_docker_tool_run_follow_stats(self);
	tender_docker_tool_run_wait(self);
	if (tender_docker_tool_get_ending(self->tool) != TENDER_DOCKER_TOOL_STATUS_RUNNING)
		tender_docker_tool_run_kill_for(self, tender_docker_tool_get_ending(self->tool));
	else
		tender_docker_tool_run_arm_timeout(self);
}

/* --- the start --- */

/* an error of dockerd's before the tool ran, in Cortex's words */
static gchar *
tender_docker_tool_run_docker_error(const GError *error)
{
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		return g_strdup_printf("Image not found: %s", error->message);
	return g_strdup_printf("Docker API error: %s", error->message);
}

static void
tender_docker_tool_run_stdin_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	/* a tool that does not read stdin ends before it is written: nothing to tell */
	if (!tender_docker_client_send_stdin_finish(TENDER_DOCKER_CLIENT(source), res, &error) &&
	    !tender_docker_tool_run_gone(error))
		g_debug("The parameters did not all reach the stdin of tool run %s: %s",
			(const gchar *)user_data,
			error->message);
	g_free(user_data);
}

static void
tender_docker_tool_run_started(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	g_autofree gchar *message = NULL;
	if (error != NULL) {
		message = tender_docker_tool_run_docker_error(error);
		tender_docker_tool_run_fail(self, message);
		return;
	}
	tender_docker_tool_set_started_at(self->tool, g_get_real_time());
	tender_docker_tool_run_running(self);
}

static void
tender_docker_tool_run_created(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	TenderDockerToolRequest *request = tender_docker_tool_get_request(self->tool);
	const gchar *id = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GBytes) input = NULL;

	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer))
		id = json_object_get_string_member_with_default(json_node_get_object(answer),
								"Id",
								NULL);
	if (id == NULL) {
		message = error != NULL ? tender_docker_tool_run_docker_error(error)
					: g_strdup("Docker API error: dockerd made no container");
		tender_docker_tool_run_fail(self, message);
		return;
	}
	tender_docker_tool_set_container_id(self->tool, id);
	if (tender_docker_tool_get_ending(self->tool) != TENDER_DOCKER_TOOL_STATUS_RUNNING) {
		/* cancelled meanwhile: it never starts */
		tender_docker_tool_run_fail(self, NULL);
		return;
	}
	tender_docker_tool_run_save(self, NULL, NULL);
	/* the parameters wait in dockerd until the tool reads its stdin: the start need not
	 * wait for them */
	input = tender_docker_tool_request_get_stdin(request);
	tender_docker_client_send_stdin_async(self->client,
					      id,
					      input,
					      self->cancellable,
					      tender_docker_tool_run_stdin_cb,
					      g_strdup(tender_docker_tool_get_id(self->tool)));
	path = tender_docker_tool_run_container_path(self, "/start");
	tender_docker_tool_run_request(self, "POST", path, NULL, tender_docker_tool_run_started);
}

/**
 * tender_docker_tool_run_start:
 * @self: a run whose tool has no container yet
 *
 * Makes the tool's container and starts it.
 */
void
tender_docker_tool_run_start(TenderDockerToolRun *self)
{
	TenderDockerToolRequest *request = tender_docker_tool_get_request(self->tool);
	const gchar *id = tender_docker_tool_get_id(self->tool);
	g_autofree gchar *name = g_strconcat(TENDER_DOCKER_TOOL_CONTAINER_PREFIX, id, NULL);
	g_autofree gchar *path =
	    tender_docker_api_build_path("/containers/create", "name", name, NULL);
	g_autoptr(JsonNode) body =
	    tender_docker_tool_request_build_create_body(request, id, self->output_max);

	tender_docker_tool_run_request(self, "POST", path, body, tender_docker_tool_run_created);
}

/* --- adoption --- */

static void
tender_docker_tool_run_adopted(TenderDockerToolRun *self, JsonNode *answer, GError *error)
{
	JsonObject *state = NULL;
	g_autofree gchar *message = NULL;
	gint64 started_at;

	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		message = g_strdup_printf("The tool's container %s is gone",
					  tender_docker_tool_get_container_id(self->tool));
		tender_docker_tool_run_fail(self, message);
		return;
	}
	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer))
		state = json_object_get_object_member(json_node_get_object(answer), "State");
	if (state == NULL) {
		/* dockerd is not answering well: the wait tries until it does */
		self->started = TRUE;
		tender_docker_tool_run_tell_started(self);
		tender_docker_tool_run_wait(self);
		return;
	}
	started_at = tender_docker_tool_run_parse_time(
	    json_object_get_string_member_with_default(state, "StartedAt", NULL));
	if (started_at > 0)
		tender_docker_tool_set_started_at(self->tool, started_at);
	if (json_object_get_boolean_member_with_default(state, "Running", FALSE)) {
		tender_docker_tool_run_running(self);
		return;
	}
	self->started = TRUE;
	self->wait_status =
	    (gint)json_object_get_int_member_with_default(state, "ExitCode", self->wait_status);
	tender_docker_tool_run_collect(self);
}

/**
 * tender_docker_tool_run_adopt:
 * @self: a run whose tool has a container that has been started, by a tenderd before this
 *        one
 *
 * Waits for the container if it runs (its timeout counted from its start), or collects it if
 * it has stopped.
 */
void
tender_docker_tool_run_adopt(TenderDockerToolRun *self)
{
	g_autofree gchar *path = tender_docker_tool_run_container_path(self, "/json");

	self->wait_status = -1;
	tender_docker_tool_run_request(self, "GET", path, NULL, tender_docker_tool_run_adopted);
}
