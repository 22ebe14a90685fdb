/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-tool.h"

/*
 * TenderDockerTool is the record of one tool run: its request, its status, and once it has
 * ended its exit code, output (each stream capped, as valid UTF-8), result, times and resource
 * usage.  TenderDockerTools changes it as the run goes; it renders it three ways:
 *
 * - tender_docker_tool_to_json(): issue 14's shape (times in UTC, "...123456Z"; exit_code null
 *   when the tool was killed by its timeout or a cancel);
 * - tender_docker_tool_to_cortex_json(): Cortex's ToolExecutionResult, its members in its
 *   order and their values as pydantic 2 writes them (naive UTC times from
 *   datetime.utcnow().isoformat(), without the fraction when it is 0; floats for
 *   execution_time_seconds and memory_used_mb; Cortex's own error messages);
 * - tender_docker_tool_to_state(): all of it, for state_dir/tools/ID.json, which
 *   tender_docker_tool_new_from_state() reads back.
 *
 * The result is stdout parsed as JSON, any JSON value (Cortex's model keeps only an object:
 * its rendering gives null for the others), or null with result_error saying why: stdout was
 * empty, cut, or not JSON.
 */

struct _TenderDockerTool {
	GObject parent_instance;
	gchar *id;
	TenderDockerToolRequest *request;
	TenderDockerToolStatus status;
	TenderDockerToolStatus ending; /* TIMEOUT or CANCELLED once killed for it; else RUNNING */
	gboolean has_exit_code;
	gint exit_code;
	gchar *error;
	gchar *stdout_text;
	gchar *stderr_text;
	gboolean truncated;
	JsonNode *result;
	gchar *result_error;
	gchar *container_id;
	gint64 queued_at; /* µs since the epoch; 0: not (yet) */
	gint64 started_at;
	gint64 finished_at;
	gint64 max_memory_bytes; /* -1: not measured */
	gint64 cpu_time_ns;
};

G_DEFINE_TYPE(TenderDockerTool, tender_docker_tool, G_TYPE_OBJECT)

static const gchar *const tender_docker_tool_status_names[] = {
    "queued",
    "running",
    "completed",
    "failed",
    "timeout",
    "cancelled",
};
static const gchar *const tender_docker_tool_status_cortex[] = {
    "pending",
    "running",
    "success",
    "failed",
    "timeout",
    "cancelled",
};

/**
 * tender_docker_tool_status_to_string:
 * @status: a status
 *
 * Returns: its name: queued, running, completed, failed, timeout or cancelled
 */
const gchar *
tender_docker_tool_status_to_string(TenderDockerToolStatus status)
{
	g_return_val_if_fail(status < TENDER_DOCKER_TOOL_STATUS_LAST, NULL);
	return tender_docker_tool_status_names[status];
}

/**
 * tender_docker_tool_status_to_cortex:
 * @status: a status
 *
 * Returns: Cortex's name of it (ExecutionStatus): pending, running, success, failed, timeout
 * or cancelled
 */
const gchar *
tender_docker_tool_status_to_cortex(TenderDockerToolStatus status)
{
	g_return_val_if_fail(status < TENDER_DOCKER_TOOL_STATUS_LAST, NULL);
	return tender_docker_tool_status_cortex[status];
}

gboolean
tender_docker_tool_status_from_string(const gchar *text, TenderDockerToolStatus *status)
{
	for (guint i = 0; i < TENDER_DOCKER_TOOL_STATUS_LAST; i++) {
		if (g_strcmp0(text, tender_docker_tool_status_names[i]) == 0) {
			*status = (TenderDockerToolStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * tender_docker_tool_status_is_final:
 * @status: a status
 *
 * Returns: whether a run of this status has ended
 */
gboolean
tender_docker_tool_status_is_final(TenderDockerToolStatus status)
{
	return status != TENDER_DOCKER_TOOL_STATUS_QUEUED &&
	       status != TENDER_DOCKER_TOOL_STATUS_RUNNING;
}

static void
tender_docker_tool_finalize(GObject *object)
{
	TenderDockerTool *self = TENDER_DOCKER_TOOL(object);

	g_free(self->id);
	tender_docker_tool_request_free(self->request);
	g_free(self->error);
	g_free(self->stdout_text);
	g_free(self->stderr_text);
	if (self->result != NULL)
		json_node_unref(self->result);
	g_free(self->result_error);
	g_free(self->container_id);
	G_OBJECT_CLASS(tender_docker_tool_parent_class)->finalize(object);
}

static void
tender_docker_tool_class_init(TenderDockerToolClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_docker_tool_finalize;
}

static void
tender_docker_tool_init(TenderDockerTool *self)
{
	self->ending = TENDER_DOCKER_TOOL_STATUS_RUNNING;
	self->stdout_text = g_strdup("");
	self->stderr_text = g_strdup("");
	self->max_memory_bytes = -1;
	self->cpu_time_ns = -1;
}

/**
 * tender_docker_tool_new_id:
 *
 * Returns: (transfer full): a new run id, "exec_" and 16 random hex digits (as Cortex's:
 * the first half of a UUID 4's)
 */
gchar *
tender_docker_tool_new_id(void)
{
	g_autofree gchar *uuid = g_uuid_string_random();
	GString *id = g_string_new(TENDER_DOCKER_TOOL_ID_PREFIX);

	for (const gchar *p = uuid; *p != '\0' && id->len < TENDER_DOCKER_TOOL_ID_LEN; p++) {
		if (*p != '-')
			g_string_append_c(id, *p);
	}
	return g_string_free(id, FALSE);
}

/**
 * tender_docker_tool_check_id:
 * @id: (nullable): a run id
 *
 * Returns: whether it is one: "exec_" and 16 lowercase hex digits
 */
gboolean
tender_docker_tool_check_id(const gchar *id)
{
	if (id == NULL || strlen(id) != TENDER_DOCKER_TOOL_ID_LEN ||
	    !g_str_has_prefix(id, TENDER_DOCKER_TOOL_ID_PREFIX))
		return FALSE;
	for (const gchar *p = id + strlen(TENDER_DOCKER_TOOL_ID_PREFIX); *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p) || g_ascii_isupper(*p))
			return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_tool_new:
 * @id: its id, from tender_docker_tool_new_id()
 * @request: (transfer full): its request
 * @queued_at: when it was asked for, in µs since the epoch
 *
 * Returns: (transfer full): a run, queued
 */
TenderDockerTool *
tender_docker_tool_new(const gchar *id, TenderDockerToolRequest *request, gint64 queued_at)
{
	TenderDockerTool *self = g_object_new(TENDER_TYPE_DOCKER_TOOL, NULL);

	self->id = g_strdup(id);
	self->request = request;
	self->queued_at = queued_at;
	return self;
}

const gchar *
tender_docker_tool_get_id(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->id;
}

TenderDockerToolRequest *
tender_docker_tool_get_request(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->request;
}

const gchar *
tender_docker_tool_get_session_id(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->request->session_id;
}

TenderDockerToolStatus
tender_docker_tool_get_status(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), TENDER_DOCKER_TOOL_STATUS_FAILED);
	return self->status;
}

void
tender_docker_tool_set_status(TenderDockerTool *self, TenderDockerToolStatus status)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	self->status = status;
}

/**
 * tender_docker_tool_get_ending:
 * @self: a #TenderDockerTool
 *
 * Returns: the status a running tool ends with once killed: %TENDER_DOCKER_TOOL_STATUS_TIMEOUT
 * or %TENDER_DOCKER_TOOL_STATUS_CANCELLED once it is being killed for that, else
 * %TENDER_DOCKER_TOOL_STATUS_RUNNING
 */
TenderDockerToolStatus
tender_docker_tool_get_ending(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), TENDER_DOCKER_TOOL_STATUS_RUNNING);
	return self->ending;
}

void
tender_docker_tool_set_ending(TenderDockerTool *self, TenderDockerToolStatus ending)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	self->ending = ending;
}

const gchar *
tender_docker_tool_get_container_id(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->container_id;
}

void
tender_docker_tool_set_container_id(TenderDockerTool *self, const gchar *container_id)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	g_free(self->container_id);
	self->container_id = g_strdup(container_id);
}

gint64
tender_docker_tool_get_queued_at(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), 0);
	return self->queued_at;
}

gint64
tender_docker_tool_get_started_at(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), 0);
	return self->started_at;
}

void
tender_docker_tool_set_started_at(TenderDockerTool *self, gint64 started_at)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	self->started_at = started_at;
}

gint64
tender_docker_tool_get_finished_at(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), 0);
	return self->finished_at;
}

/**
 * tender_docker_tool_get_exit_code:
 * @self: a #TenderDockerTool
 * @exit_code: (out) (optional): its exit code
 *
 * Returns: whether it has one: it exited by itself
 */
gboolean
tender_docker_tool_get_exit_code(TenderDockerTool *self, gint *exit_code)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), FALSE);
	if (exit_code != NULL)
		*exit_code = self->exit_code;
	return self->has_exit_code;
}

const gchar *
tender_docker_tool_get_error(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->error;
}

const gchar *
tender_docker_tool_get_stdout(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->stdout_text;
}

const gchar *
tender_docker_tool_get_stderr(TenderDockerTool *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	return self->stderr_text;
}

/**
 * tender_docker_tool_add_usage:
 * @self: a #TenderDockerTool
 * @memory_bytes: the memory a stats sample found in use (or its peak), or -1
 * @cpu_time_ns: the CPU time it found used so far, or -1
 *
 * Keeps the largest memory and the last CPU time.
 */
void
tender_docker_tool_add_usage(TenderDockerTool *self, gint64 memory_bytes, gint64 cpu_time_ns)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	if (memory_bytes >= 0)
		self->max_memory_bytes = MAX(self->max_memory_bytes, memory_bytes);
	if (cpu_time_ns >= 0)
		self->cpu_time_ns = MAX(self->cpu_time_ns, cpu_time_ns);
}

/**
 * tender_docker_tool_output_to_text:
 * @data: (array length=len): output
 * @len: its length
 *
 * Returns: (transfer full): the output as valid UTF-8: each byte that is not (a NUL too) is
 * U+FFFD
 */
gchar *
tender_docker_tool_output_to_text(const guint8 *data, gsize len)
{
	GString *text = g_string_sized_new(len);
	const gchar *p = (const gchar *)data;
	const gchar *end = p + len;

	while (p < end) {
		const gchar *valid_end = NULL;
		(void)g_utf8_validate(p, end - p, &valid_end);
		g_string_append_len(text, p, valid_end - p);
		p = valid_end;
		if (p < end) {
			/* a NUL, or a byte that begins no character */
			g_string_append(text, "\xef\xbf\xbd");
			p++;
		}
	}
	return g_string_free(text, FALSE);
}

/**
 * tender_docker_tool_parse_result:
 * @text: stdout, valid UTF-8
 * @truncated: whether it was cut
 * @result_error: (out) (transfer full): why there is no result
 *
 * Returns: (transfer full) (nullable): stdout parsed as JSON (any value), or %NULL with
 * *@result_error set: stdout was empty, cut, or not JSON
 */
JsonNode *
tender_docker_tool_parse_result(const gchar *text, gboolean truncated, gchar **result_error)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node;
	const gchar *p = text;

	*result_error = NULL;
	while (g_ascii_isspace(*p))
		p++;
	if (*p == '\0') {
		*result_error = g_strdup("The tool wrote nothing on stdout");
		return NULL;
	}
	if (truncated) {
		*result_error = g_strdup("The tool's output was cut, so stdout is not parsed");
		return NULL;
	}
	node = tender_json_parse(text, -1, TENDER_JSON_DEPTH_MAX, &error);
	if (node == NULL)
		*result_error = g_strdup_printf("stdout is not JSON: %s", error->message);
	return node;
}

/**
 * tender_docker_tool_set_output:
 * @self: a #TenderDockerTool
 * @out: (array length=out_len): the first bytes of its stdout
 * @out_len: how many
 * @err: (array length=err_len): the first bytes of its stderr
 * @err_len: how many
 * @truncated: whether either had more
 *
 * Keeps the output as text, and stdout parsed as JSON: the result.
 */
void
tender_docker_tool_set_output(TenderDockerTool *self,
			      const guint8 *out,
			      gsize out_len,
			      const guint8 *err,
			      gsize err_len,
			      gboolean truncated)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	g_free(self->stdout_text);
	g_free(self->stderr_text);
	g_free(self->result_error);
	self->stdout_text = tender_docker_tool_output_to_text(out, out_len);
	self->stderr_text = tender_docker_tool_output_to_text(err, err_len);
	self->truncated = truncated;
	if (self->result != NULL)
		json_node_unref(self->result);
	self->result =
	    tender_docker_tool_parse_result(self->stdout_text, truncated, &self->result_error);
}

/**
 * tender_docker_tool_finish:
 * @self: a #TenderDockerTool
 * @status: how it ended: a final status
 * @exit_code: (nullable): its exit code, if it exited by itself
 * @error: (nullable): why it failed, timed out ...
 * @finished_at: when, in µs since the epoch
 */
void
tender_docker_tool_finish(TenderDockerTool *self,
			  TenderDockerToolStatus status,
			  const gint *exit_code,
			  const gchar *error,
			  gint64 finished_at)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOL(self));
	g_return_if_fail(tender_docker_tool_status_is_final(status));
	self->status = status;
	self->ending = TENDER_DOCKER_TOOL_STATUS_RUNNING;
	self->has_exit_code = exit_code != NULL;
	self->exit_code = exit_code != NULL ? *exit_code : 0;
	g_free(self->error);
	self->error = g_strdup(error);
	self->finished_at = finished_at;
}

/* --- renderings --- */

/**
 * tender_docker_tool_format_time:
 * @usec: µs since the epoch, or 0
 * @cortex: whether in Cortex's form
 *
 * Returns: (transfer full) (nullable): "2026-01-02T03:04:05.123456Z", or for Cortex
 * "2026-01-02T03:04:05.123456" (no fraction when it is 0, as Python's isoformat()); %NULL
 * for 0
 */
gchar *
tender_docker_tool_format_time(gint64 usec, gboolean cortex)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *secs = NULL;
	gint64 fraction = usec % G_USEC_PER_SEC;

	if (usec <= 0)
		return NULL;
	dt = g_date_time_new_from_unix_utc(usec / G_USEC_PER_SEC);
	if (dt == NULL)
		return NULL;
	secs = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
	if (!cortex)
		return g_strdup_printf("%s.%06" G_GINT64_FORMAT "Z", secs, fraction);
	if (fraction == 0)
		return g_steal_pointer(&secs);
	return g_strdup_printf("%s.%06" G_GINT64_FORMAT, secs, fraction);
}

static void
tender_docker_tool_add_time(JsonBuilder *b, const gchar *member, gint64 usec, gboolean cortex)
{
	g_autofree gchar *text = tender_docker_tool_format_time(usec, cortex);

	json_builder_set_member_name(b, member);
	if (text != NULL)
		json_builder_add_string_value(b, text);
	else
		json_builder_add_null_value(b);
}

static void
tender_docker_tool_add_string(JsonBuilder *b, const gchar *member, const gchar *value)
{
	json_builder_set_member_name(b, member);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
tender_docker_tool_add_int(JsonBuilder *b, const gchar *member, gboolean has, gint64 value)
{
	json_builder_set_member_name(b, member);
	if (has)
		json_builder_add_int_value(b, value);
	else
		json_builder_add_null_value(b);
}

static JsonObject *
tender_docker_tool_builder_end(JsonBuilder *b)
{
	g_autoptr(JsonNode) root = NULL;

	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return json_object_ref(json_node_get_object(root));
}

static gboolean
tender_docker_tool_has_duration(TenderDockerTool *self)
{
	return self->started_at > 0 && self->finished_at >= self->started_at;
}

/**
 * tender_docker_tool_to_json:
 * @self: a #TenderDockerTool
 *
 * Returns: (transfer full): the run in issue 14's shape: id, tool_name, session_id, image,
 * status, exit_code, error, stdout, stderr, truncated, result, result_error, container_id,
 * queued_at, started_at, finished_at, duration_ms, resource_usage {max_memory_bytes,
 * cpu_time_ns}
 */
JsonObject *
tender_docker_tool_to_json(TenderDockerTool *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	json_builder_begin_object(b);
	tender_docker_tool_add_string(b, "id", self->id);
	tender_docker_tool_add_string(b, "tool_name", self->request->tool_name);
	tender_docker_tool_add_string(b, "session_id", self->request->session_id);
	tender_docker_tool_add_string(b, "image", self->request->image);
	tender_docker_tool_add_string(b,
				      "status",
				      tender_docker_tool_status_to_string(self->status));
	tender_docker_tool_add_int(b, "exit_code", self->has_exit_code, self->exit_code);
	tender_docker_tool_add_string(b, "error", self->error);
	tender_docker_tool_add_string(b, "stdout", self->stdout_text);
	tender_docker_tool_add_string(b, "stderr", self->stderr_text);
	json_builder_set_member_name(b, "truncated");
	json_builder_add_boolean_value(b, self->truncated);
	json_builder_set_member_name(b, "result");
	if (self->result != NULL)
		json_builder_add_value(b, json_node_copy(self->result));
	else
		json_builder_add_null_value(b);
	tender_docker_tool_add_string(b, "result_error", self->result_error);
	tender_docker_tool_add_string(b, "container_id", self->container_id);
	tender_docker_tool_add_time(b, "queued_at", self->queued_at, FALSE);
	tender_docker_tool_add_time(b, "started_at", self->started_at, FALSE);
	tender_docker_tool_add_time(b, "finished_at", self->finished_at, FALSE);
	tender_docker_tool_add_int(b,
				   "duration_ms",
				   tender_docker_tool_has_duration(self),
				   (self->finished_at - self->started_at) / 1000);
	json_builder_set_member_name(b, "resource_usage");
	json_builder_begin_object(b);
	tender_docker_tool_add_int(b,
				   "max_memory_bytes",
				   self->max_memory_bytes >= 0,
				   self->max_memory_bytes);
	tender_docker_tool_add_int(b, "cpu_time_ns", self->cpu_time_ns >= 0, self->cpu_time_ns);
	json_builder_end_object(b);
	return tender_docker_tool_builder_end(b);
}

/* Cortex's error: "Exit code: N" for a failure, "Execution timed out after Ns" */
static gchar *
tender_docker_tool_cortex_error(TenderDockerTool *self)
{
	if (self->status == TENDER_DOCKER_TOOL_STATUS_TIMEOUT)
		return g_strdup_printf("Execution timed out after %us",
				       self->request->timeout_seconds);
	if (self->status == TENDER_DOCKER_TOOL_STATUS_FAILED && self->error == NULL &&
	    self->has_exit_code)
		return g_strdup_printf("Exit code: %d", self->exit_code);
	if (self->status == TENDER_DOCKER_TOOL_STATUS_FAILED)
		return g_strdup(self->error);
	return NULL;
}

/**
 * tender_docker_tool_to_cortex_json:
 * @self: a #TenderDockerTool
 *
 * Returns: (transfer full): the run as Cortex's ToolExecutionResult: execution_id, tool_name,
 * session_id, status, started_at, completed_at, exit_code, stdout, stderr, result,
 * container_id, execution_time_seconds, memory_used_mb, error, in that order
 */
JsonObject *
tender_docker_tool_to_cortex_json(TenderDockerTool *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autofree gchar *error = NULL;

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	error = tender_docker_tool_cortex_error(self);
	json_builder_begin_object(b);
	tender_docker_tool_add_string(b, "execution_id", self->id);
	tender_docker_tool_add_string(b, "tool_name", self->request->tool_name);
	tender_docker_tool_add_string(b, "session_id", self->request->session_id);
	tender_docker_tool_add_string(b,
				      "status",
				      tender_docker_tool_status_to_cortex(self->status));
	/* Cortex's is never null: the time it was asked for, until it starts */
	tender_docker_tool_add_time(b,
				    "started_at",
				    self->started_at > 0 ? self->started_at : self->queued_at,
				    TRUE);
	tender_docker_tool_add_time(b, "completed_at", self->finished_at, TRUE);
	tender_docker_tool_add_int(b, "exit_code", self->has_exit_code, self->exit_code);
	tender_docker_tool_add_string(b, "stdout", self->stdout_text);
	tender_docker_tool_add_string(b, "stderr", self->stderr_text);
	json_builder_set_member_name(b, "result");
	if (self->result != NULL && JSON_NODE_HOLDS_OBJECT(self->result))
		json_builder_add_value(b, json_node_copy(self->result));
	else
		json_builder_add_null_value(b);
	tender_docker_tool_add_string(b, "container_id", self->container_id);
	json_builder_set_member_name(b, "execution_time_seconds");
	if (tender_docker_tool_has_duration(self))
		json_builder_add_double_value(b,
					      (gdouble)(self->finished_at - self->started_at) /
						  G_USEC_PER_SEC);
	else
		json_builder_add_null_value(b);
	json_builder_set_member_name(b, "memory_used_mb");
	if (self->max_memory_bytes >= 0)
		json_builder_add_double_value(b,
					      (gdouble)self->max_memory_bytes / (1024.0 * 1024.0));
	else
		json_builder_add_null_value(b);
	tender_docker_tool_add_string(b, "error", error);
	return tender_docker_tool_builder_end(b);
}

/**
 * tender_docker_tool_get_logs_json:
 * @self: a #TenderDockerTool
 *
 * Returns: (transfer full): {"stdout": ..., "stderr": ...}, as Cortex's logs
 */
JsonObject *
tender_docker_tool_get_logs_json(TenderDockerTool *self)
{
	JsonObject *obj = json_object_new();

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	json_object_set_string_member(obj, "stdout", self->stdout_text);
	json_object_set_string_member(obj, "stderr", self->stderr_text);
	return obj;
}

/* --- state files --- */

/**
 * tender_docker_tool_to_state:
 * @self: a #TenderDockerTool
 *
 * Returns: (transfer full): everything of the run, for its state file
 */
JsonObject *
tender_docker_tool_to_state(TenderDockerTool *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) request = json_node_new(JSON_NODE_OBJECT);

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL(self), NULL);
	json_node_take_object(request, tender_docker_tool_request_to_json(self->request));
	json_builder_begin_object(b);
	tender_docker_tool_add_int(b, "version", TRUE, TENDER_DOCKER_TOOL_STATE_VERSION);
	tender_docker_tool_add_string(b, "id", self->id);
	json_builder_set_member_name(b, "request");
	json_builder_add_value(b, g_steal_pointer(&request));
	tender_docker_tool_add_string(b,
				      "status",
				      tender_docker_tool_status_to_string(self->status));
	tender_docker_tool_add_string(b,
				      "ending",
				      tender_docker_tool_status_to_string(self->ending));
	tender_docker_tool_add_int(b, "exit_code", self->has_exit_code, self->exit_code);
	tender_docker_tool_add_string(b, "error", self->error);
	tender_docker_tool_add_string(b, "stdout", self->stdout_text);
	tender_docker_tool_add_string(b, "stderr", self->stderr_text);
	json_builder_set_member_name(b, "truncated");
	json_builder_add_boolean_value(b, self->truncated);
	json_builder_set_member_name(b, "result");
	if (self->result != NULL)
		json_builder_add_value(b, json_node_copy(self->result));
	else
		json_builder_add_null_value(b);
	tender_docker_tool_add_string(b, "result_error", self->result_error);
	tender_docker_tool_add_string(b, "container_id", self->container_id);
	tender_docker_tool_add_int(b, "queued_at", TRUE, self->queued_at);
	tender_docker_tool_add_int(b, "started_at", TRUE, self->started_at);
	tender_docker_tool_add_int(b, "finished_at", TRUE, self->finished_at);
	tender_docker_tool_add_int(b, "max_memory_bytes", TRUE, self->max_memory_bytes);
	tender_docker_tool_add_int(b, "cpu_time_ns", TRUE, self->cpu_time_ns);
	return tender_docker_tool_builder_end(b);
}

static gboolean
tender_docker_tool_state_error(GError **error, const gchar *member)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Member '%s' of a tool's state is missing or wrong",
		    member);
	return FALSE;
}

/* a string member: NULL for null; FALSE if it is there and something else */
static gboolean
tender_docker_tool_state_string(JsonObject *obj, const gchar *member, gchar **out, GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return tender_docker_tool_state_error(error, member);
	g_free(*out);
	*out = g_strdup(json_node_get_string(node));
	return TRUE;
}

static gboolean
tender_docker_tool_state_int(JsonObject *obj,
			     const gchar *member,
			     gboolean *has,
			     gint64 *out,
			     GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_INT64)
		return tender_docker_tool_state_error(error, member);
	*out = json_node_get_int(node);
	if (has != NULL)
		*has = TRUE;
	return TRUE;
}

static gboolean
tender_docker_tool_state_status(JsonObject *obj,
				const gchar *member,
				TenderDockerToolStatus *status,
				GError **error)
{
	g_autofree gchar *text = NULL;

	if (!tender_docker_tool_state_string(obj, member, &text, error))
		return FALSE;
	if (text != NULL && !tender_docker_tool_status_from_string(text, status))
		return tender_docker_tool_state_error(error, member);
	return TRUE;
}

static gboolean
tender_docker_tool_state_load(TenderDockerTool *self, JsonObject *obj, GError **error)
{
	gint64 exit_code = 0;
	JsonNode *result = json_object_get_member(obj, "result");
	JsonNode *truncated = json_object_get_member(obj, "truncated");

	if (!tender_docker_tool_state_status(obj, "status", &self->status, error) ||
	    !tender_docker_tool_state_status(obj, "ending", &self->ending, error) ||
	    !tender_docker_tool_state_int(obj,
					  "exit_code",
					  &self->has_exit_code,
					  &exit_code,
					  error) ||
	    !tender_docker_tool_state_string(obj, "error", &self->error, error) ||
	    !tender_docker_tool_state_string(obj, "stdout", &self->stdout_text, error) ||
	    !tender_docker_tool_state_string(obj, "stderr", &self->stderr_text, error) ||
	    !tender_docker_tool_state_string(obj, "result_error", &self->result_error, error) ||
	    !tender_docker_tool_state_string(obj, "container_id", &self->container_id, error) ||
	    !tender_docker_tool_state_int(obj, "queued_at", NULL, &self->queued_at, error) ||
	    !tender_docker_tool_state_int(obj, "started_at", NULL, &self->started_at, error) ||
	    !tender_docker_tool_state_int(obj, "finished_at", NULL, &self->finished_at, error) ||
	    !tender_docker_tool_state_int(obj,
					  "max_memory_bytes",
					  NULL,
					  &self->max_memory_bytes,
					  error) ||
	    !tender_docker_tool_state_int(obj, "cpu_time_ns", NULL, &self->cpu_time_ns, error))
		return FALSE;
	if (exit_code < G_MININT || exit_code > G_MAXINT)
		return tender_docker_tool_state_error(error, "exit_code");
	self->exit_code = (gint)exit_code;
	if (truncated != NULL && JSON_NODE_HOLDS_VALUE(truncated) &&
	    json_node_get_value_type(truncated) == G_TYPE_BOOLEAN)
		self->truncated = json_node_get_boolean(truncated);
	if (result != NULL && !JSON_NODE_HOLDS_NULL(result))
		self->result = json_node_copy(result);
	return TRUE;
}

/**
 * tender_docker_tool_new_from_state:
 * @obj: a state file's object, from tender_docker_tool_to_state()
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the run, or %NULL (%TENDER_ERROR_INVALID_ARGUMENT) if @obj is not
 * one
 */
TenderDockerTool *
tender_docker_tool_new_from_state(JsonObject *obj, GError **error)
{
	g_autoptr(TenderDockerTool) self = NULL;
	JsonObject *request_obj = NULL;
	TenderDockerToolRequest *request = NULL;
	const gchar *id = json_object_get_string_member_with_default(obj, "id", NULL);
	JsonNode *request_node = json_object_get_member(obj, "request");

	if (json_object_get_int_member_with_default(obj, "version", 0) !=
	    TENDER_DOCKER_TOOL_STATE_VERSION) {
		tender_docker_tool_state_error(error, "version");
		return NULL;
	}
	if (!tender_docker_tool_check_id(id)) {
		tender_docker_tool_state_error(error, "id");
		return NULL;
	}
	if (request_node == NULL || !JSON_NODE_HOLDS_OBJECT(request_node)) {
		tender_docker_tool_state_error(error, "request");
		return NULL;
	}
	request_obj = json_node_get_object(request_node);
	request = tender_docker_tool_request_new_from_json(request_obj, error);
	if (request == NULL)
		return NULL;
	self = tender_docker_tool_new(id, request, 0);
	if (!tender_docker_tool_state_load(self, obj, error))
		return NULL;
	return g_steal_pointer(&self);
}
