/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gunixfdlist.h>
#include <glib-unix.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-http-connection.h"
#include "tender-http-exec.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"
#include "tender-http-stream.h"

/*
 * POST /v1/workloads/NAME/exec, the mirror of ExecWorkload: the body {"argv", "env",
 * "working_directory", "timeout_sec", "stdin" (base64), "max_output", "tty"} is decoded into
 * the Manager's arguments before the call is authorized (so that polkit sees the command),
 * and the answer is {"exit_code", "signal", "stdout", "stderr" (base64), "truncated"}.  With
 * ?stream=1 the command's stdout and stderr are pipes of ours, passed to the engine as the
 * call's descriptors, and each chunk goes out as it comes, a line of JSON {"stream": "stdout"
 * or "stderr", "data": base64}, then {"exit_code", "signal"}.  A client that hangs up kills
 * the command, as a D-Bus caller that leaves the bus does.
 */

#define TENDER_HTTP_EXEC_READ_SIZE 16384

typedef struct _TenderHttpExec TenderHttpExec;

/* a pipe of the command's output, with ?stream=1 */
typedef struct {
	TenderHttpExec *call;
	const gchar *name; /* "stdout" or "stderr" */
	gint fd;	   /* our end, non-blocking; -1 at its end */
	guint id;	   /* watching it; 0 while the client is behind */
} TenderHttpExecPipe;

struct _TenderHttpExec {
	TenderHttpRequest *req;
	GCancellable *cancellable;
	guint hangup_id;	  /* watching the connection for the client's end */
	gboolean streaming;	  /* ?stream=1 */
	TenderHttpStream *stream; /* made at the first chunk, so that an error has its status */
	gulong wrote_id;
	TenderHttpExecPipe pipes[2];
	gboolean ended; /* the engine answered */
	TenderRuntimeExec *result;
	GError *error;
};

static void
tender_http_exec_free(TenderHttpExec *call)
{
	for (guint i = 0; i < G_N_ELEMENTS(call->pipes); i++) {
		g_clear_handle_id(&call->pipes[i].id, g_source_remove);
		if (call->pipes[i].fd >= 0)
			(void)close(call->pipes[i].fd);
	}
	g_clear_handle_id(&call->hangup_id, g_source_remove);
	if (call->stream != NULL) {
		g_clear_signal_handler(&call->wrote_id, call->req->msg);
		tender_http_stream_release(call->stream);
	}
	g_clear_object(&call->cancellable);
	tender_runtime_exec_free(call->result);
	g_clear_error(&call->error);
	tender_http_request_free(call->req);
	g_free(call);
}

/* --- the body --- */

static gboolean
tender_http_exec_check_member(JsonObject *obj,
			      const gchar *key,
			      GType type,
			      const gchar *what,
			      GError **error)
{
	JsonNode *node = json_object_get_member(obj, key);

	if (node == NULL || (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "'%s' must be %s",
		    key,
		    what);
	return FALSE;
}

/* the strings of the array @key, or %NULL with an error naming it */
static gchar **
tender_http_exec_get_strv(JsonObject *obj, const gchar *key, GError **error)
{
	JsonNode *node = json_object_get_member(obj, key);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	JsonArray *array;

	if (node == NULL)
		return g_strv_builder_end(builder);
	array = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
	for (guint i = 0; array != NULL && i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		if (!JSON_NODE_HOLDS_VALUE(element) ||
		    json_node_get_value_type(element) != G_TYPE_STRING) {
			array = NULL;
			break;
		}
		g_strv_builder_add(builder, json_node_get_string(element));
	}
	if (array == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' must be an array of strings",
			    key);
		return NULL;
	}
	return g_strv_builder_end(builder);
}

/* a whole number of @key up to @max into @builder as @type ("u" or "t") */
static gboolean
tender_http_exec_add_number(JsonObject *obj,
			    const gchar *key,
			    guint64 max,
			    GVariantBuilder *builder,
			    GError **error)
{
	gint64 value;

	if (!json_object_has_member(obj, key))
		return TRUE;
	if (!tender_http_exec_check_member(obj, key, G_TYPE_INT64, "a whole number", error))
		return FALSE;
	value = json_object_get_int_member(obj, key);
	/* what the engine refuses above its limit, it names; a negative number is nothing */
	if (value < 0 || (guint64)value > max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' must be a whole number from 0 to %" G_GUINT64_FORMAT,
			    key,
			    max);
		return FALSE;
	}
	g_variant_builder_add(builder,
			      "{sv}",
			      key,
			      max == G_MAXUINT32 ? g_variant_new_uint32((guint32)value)
						 : g_variant_new_uint64((guint64)value));
	return TRUE;
}

static gboolean
tender_http_exec_decode_options(JsonObject *obj, GVariantBuilder *builder, GError **error)
{
	g_auto(GStrv) env = tender_http_exec_get_strv(obj, "env", error);
	const gchar *const strings[] = {"working_directory", "stdin"};

	if (env == NULL)
		return FALSE;
	if (json_object_has_member(obj, "env"))
		g_variant_builder_add(builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)env, -1));
	for (guint i = 0; i < G_N_ELEMENTS(strings); i++) {
		if (!tender_http_exec_check_member(obj,
						   strings[i],
						   G_TYPE_STRING,
						   "a string",
						   error))
			return FALSE;
	}
	if (json_object_has_member(obj, "working_directory"))
		g_variant_builder_add(builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(
					  json_object_get_string_member(obj, "working_directory")));
	if (json_object_has_member(obj, "stdin")) {
		gsize len = 0;
		g_autofree guchar *data =
		    g_base64_decode(json_object_get_string_member(obj, "stdin"), &len);
		g_variant_builder_add(builder,
				      "{sv}",
				      "stdin",
				      g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, data, len, 1));
	}
	if (!tender_http_exec_check_member(obj, "tty", G_TYPE_BOOLEAN, "true or false", error))
		return FALSE;
	if (json_object_has_member(obj, "tty"))
		g_variant_builder_add(builder,
				      "{sv}",
				      "tty",
				      g_variant_new_boolean(
					  json_object_get_boolean_member(obj, "tty")));
	return tender_http_exec_add_number(obj, "timeout_sec", G_MAXUINT32, builder, error) &&
	       tender_http_exec_add_number(obj, "max_output", G_MAXINT64, builder, error);
}

/**
 * tender_http_exec_decode:
 * @req: POST /v1/workloads/NAME/exec, its body read
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): ExecWorkload's (name, argv, options), or %NULL with an error
 *   that names the key at fault
 */
GVariant *
tender_http_exec_decode(TenderHttpRequest *req, GError **error)
{
	const gchar *const keys[] =
	    {"argv", "env", "working_directory", "timeout_sec", "stdin", "max_output", "tty", NULL};
	g_autoptr(JsonNode) body = tender_http_message_get_body(req->msg, error);
	g_auto(GVariantBuilder) options = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_auto(GStrv) argv = NULL;
	g_autoptr(GList) keys_of = NULL;
	g_autoptr(JsonObject) obj = NULL;

	if (body == NULL && error != NULL && *error != NULL)
		return NULL;
	/* no body: no argv, which the engine refuses by name */
	obj = body != NULL ? json_object_ref(json_node_get_object(body)) : json_object_new();
	keys_of = json_object_get_members(obj);
	for (GList *l = keys_of; l != NULL; l = l->next) {
		if (!g_strv_contains(keys, l->data)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown key '%s'",
				    (const gchar *)l->data);
			return NULL;
		}
	}
	argv = tender_http_exec_get_strv(obj, "argv", error);
	if (argv == NULL || !tender_http_exec_decode_options(obj, &options, error))
		return NULL;
	return g_variant_ref_sink(
	    g_variant_new("(s^as@a{sv})", req->match.name, argv, g_variant_builder_end(&options)));
}

/* --- the answer --- */

static void
tender_http_exec_add_bytes(JsonBuilder *b, const gchar *key, const guint8 *data, gsize len)
{
	g_autofree gchar *text = g_base64_encode(data, len);

	json_builder_set_member_name(b, key);
	json_builder_add_string_value(b, text);
}

/* the end: how the command ended, with its output unless it streamed */
static gchar *
tender_http_exec_render_end(TenderRuntimeExec *result, gboolean streamed)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "exit_code");
	json_builder_add_int_value(b, result->exit_code);
	json_builder_set_member_name(b, "signal");
	json_builder_add_int_value(b, result->signo);
	if (!streamed) {
		tender_http_exec_add_bytes(b, "stdout", result->out->data, result->out->len);
		tender_http_exec_add_bytes(b, "stderr", result->err->data, result->err->len);
		json_builder_set_member_name(b, "truncated");
		json_builder_add_boolean_value(b, result->truncated);
	}
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	return json_to_string(root, FALSE);
}

static void
tender_http_exec_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data);

/* the stream's headers go out with its first chunk */
static gboolean
tender_http_exec_start_stream(TenderHttpExec *call)
{
	if (call->stream != NULL)
		return TRUE;
	if (!tender_http_request_resume(call->req))
		return FALSE;
	call->stream = tender_http_stream_new(call->req->msg, "application/x-ndjson");
	call->wrote_id = g_signal_connect(call->req->msg,
					  "wrote-body-data",
					  G_CALLBACK(tender_http_exec_wrote_cb),
					  call);
	return TRUE;
}

static void
tender_http_exec_append_line(TenderHttpExec *call, gchar *line)
{
	g_autofree gchar *owned = line;

	tender_http_stream_append(call->stream, line, strlen(line));
	tender_http_stream_append(call->stream, "\n", 1);
}

static void
tender_http_exec_send_chunk(TenderHttpExecPipe *pipe, const guint8 *data, gsize len)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	if (!tender_http_exec_start_stream(pipe->call)) {
		g_cancellable_cancel(pipe->call->cancellable);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "stream");
	json_builder_add_string_value(b, pipe->name);
	tender_http_exec_add_bytes(b, "data", data, len);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	tender_http_exec_append_line(pipe->call, json_to_string(root, FALSE));
}

/* reads a chunk; FALSE at the pipe's end */
static gboolean
tender_http_exec_read_pipe(TenderHttpExecPipe *pipe)
{
	guint8 buf[TENDER_HTTP_EXEC_READ_SIZE];
	gssize n;

	do
		n = read(pipe->fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return TRUE;
	if (n <= 0)
		return FALSE;
	tender_http_exec_send_chunk(pipe, buf, (gsize)n);
	return TRUE;
}

static void
tender_http_exec_close_pipe(TenderHttpExecPipe *pipe)
{
	g_clear_handle_id(&pipe->id, g_source_remove);
	if (pipe->fd >= 0)
		(void)close(pipe->fd);
	pipe->fd = -1;
}

/* answers once the engine has and the pipes are read; takes @call */
static void
tender_http_exec_finish(TenderHttpExec *call)
{
	g_autofree gchar *end = NULL;

	if (!call->ended || call->pipes[0].fd >= 0 || call->pipes[1].fd >= 0)
		return;
	if (call->stream == NULL && call->error != NULL) {
		if (tender_http_request_resume(call->req))
			tender_http_message_reply_gerror(call->req->msg, call->error);
	} else if (!call->streaming) {
		if (tender_http_request_resume(call->req))
			tender_http_message_reply_text(call->req->msg,
						       SOUP_STATUS_OK,
						       "application/json",
						       tender_http_exec_render_end(call->result,
										   FALSE));
	} else if (tender_http_exec_start_stream(call)) {
		if (call->error != NULL) {
			end = tender_http_message_render_gerror(call->error);
		} else {
			end = tender_http_exec_render_end(call->result, TRUE);
		}
		tender_http_exec_append_line(call, g_steal_pointer(&end));
		soup_message_body_complete(soup_server_message_get_response_body(call->req->msg));
		soup_server_message_unpause(call->req->msg);
	}
	tender_http_exec_free(call);
}

static gboolean
tender_http_exec_pipe_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderHttpExecPipe *pipe = user_data;
	TenderHttpExec *call = pipe->call;

	if (!tender_http_exec_read_pipe(pipe)) {
		pipe->id = 0;
		tender_http_exec_close_pipe(pipe);
		tender_http_exec_finish(call);
		return G_SOURCE_REMOVE;
	}
	/* a client that reads slowly holds the command back, not tenderd's memory */
	if (call->stream != NULL &&
	    tender_http_stream_get_pending(call->stream) > TENDER_HTTP_STREAM_BACKLOG) {
		pipe->id = 0;
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void
tender_http_exec_watch_pipe(TenderHttpExecPipe *pipe)
{
	if (pipe->fd >= 0 && pipe->id == 0)
		pipe->id = g_unix_fd_add(pipe->fd,
					 G_IO_IN | G_IO_HUP | G_IO_ERR,
					 tender_http_exec_pipe_cb,
					 pipe);
}

static void
tender_http_exec_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data)
{
	TenderHttpExec *call = user_data;

	if (call->ended ||
	    tender_http_stream_get_pending(call->stream) >= TENDER_HTTP_STREAM_BACKLOG / 4)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(call->pipes); i++)
		tender_http_exec_watch_pipe(&call->pipes[i]);
}

static void
tender_http_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpExec *call = user_data;

	call->ended = TRUE;
	call->result = tender_engine_exec_workload_finish(TENDER_ENGINE(source), res, &call->error);
	/* what was written before the end is there: read it, but do not wait for the ends that
	 * processes the command left behind may hold */
	for (guint i = 0; i < G_N_ELEMENTS(call->pipes); i++) {
		TenderHttpExecPipe *pipe = &call->pipes[i];
		for (guint reads = 0; pipe->fd >= 0 && reads < 64; reads++) {
			if (!tender_http_exec_read_pipe(pipe))
				break;
		}
		tender_http_exec_close_pipe(pipe);
	}
	tender_http_exec_finish(call);
}

/* the client hung up: the command is killed.  Readable with nothing to read is the end of the
 * connection; bytes to read are more than a client sends, but no reason to kill */
static gboolean
tender_http_exec_hangup_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderHttpExec *call = user_data;
	gint pending = 0;

	if ((condition & (G_IO_HUP | G_IO_ERR)) != 0 ||
	    (ioctl(fd, FIONREAD, &pending) == 0 && pending == 0))
		g_cancellable_cancel(call->cancellable);
	call->hangup_id = 0;
	return G_SOURCE_REMOVE;
}

/* with ?stream=1: pipes for stdout and stderr, whose other ends go to the engine */
static GUnixFDList *
tender_http_exec_open_pipes(TenderHttpExec *call, GVariant **options, GError **error)
{
	g_autoptr(GUnixFDList) list = g_unix_fd_list_new();
	GVariantBuilder builder;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_iter_init(&iter, *options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_variant_builder_add(&builder, "{sv}", key, value);
		g_variant_unref(value);
	}
	for (guint i = 0; i < G_N_ELEMENTS(call->pipes); i++) {
		gint fds[2] = {-1, -1};
		gint handle;
		if (!g_unix_open_pipe(fds, FD_CLOEXEC, error)) {
			g_variant_builder_clear(&builder);
			return NULL;
		}
		call->pipes[i].fd = fds[0];
		handle = g_unix_fd_list_append(list, fds[1], error);
		(void)close(fds[1]);
		if (handle < 0 || !g_unix_set_fd_nonblocking(fds[0], TRUE, error)) {
			g_variant_builder_clear(&builder);
			return NULL;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      call->pipes[i].name,
				      g_variant_new_handle(handle));
	}
	g_variant_unref(*options);
	*options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return g_steal_pointer(&list);
}

/**
 * tender_http_exec_call:
 * @owned: (transfer full): POST /v1/workloads/NAME/exec, decoded by tender_http_exec_decode()
 *
 * Runs the command in the workload, and answers how it ended, with its output or streaming
 * it (?stream=1).
 */
void
tender_http_exec_call(TenderHttpRequest *owned)
{
	TenderHttpExec *call = g_new0(TenderHttpExec, 1);
	const gchar *stream = tender_http_request_get_query(owned, "stream");
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree const gchar **argv = NULL;
	GSocket *sock = tender_http_connection_get_message_socket(owned->msg);
	const gchar *name = NULL;

	call->req = owned;
	call->cancellable = g_cancellable_new();
	call->pipes[0] = (TenderHttpExecPipe){call, "stdout", -1, 0};
	call->pipes[1] = (TenderHttpExecPipe){call, "stderr", -1, 0};
	if (call->req->params == NULL) {
		tender_http_message_reply_gerror(call->req->msg, call->req->params_error);
		tender_http_exec_free(call);
		return;
	}
	if ((call->req->query != NULL ? g_hash_table_size(call->req->query) : 0) >
		(stream != NULL ? 1u : 0u) ||
	    (stream != NULL && g_strcmp0(stream, "1") != 0 && g_strcmp0(stream, "0") != 0 &&
	     g_strcmp0(stream, "true") != 0 && g_strcmp0(stream, "false") != 0)) {
		tender_http_message_reply_error(call->req->msg,
						SOUP_STATUS_BAD_REQUEST,
						TENDER_ERROR_INVALID_ARGUMENT,
						"The only query parameter of exec is 'stream' (1, "
						"0, "
						"true or false)");
		tender_http_exec_free(call);
		return;
	}
	call->streaming = stream != NULL && (stream[0] == '1' || stream[0] == 't');
	g_variant_get(call->req->params, "(&s^a&s@a{sv})", &name, &argv, &options);
	if (call->streaming) {
		fd_list = tender_http_exec_open_pipes(call, &options, &error);
		if (fd_list == NULL) {
			tender_http_message_reply_gerror(call->req->msg, error);
			tender_http_exec_free(call);
			return;
		}
	}
	tender_http_request_pause(call->req);
	/* the command may run for long, quietly: the idle timeout does not apply */
	if (sock != NULL)
		g_socket_set_timeout(sock, 0);
	if (sock != NULL)
		call->hangup_id = g_unix_fd_add(g_socket_get_fd(sock),
						G_IO_IN | G_IO_HUP | G_IO_ERR,
						tender_http_exec_hangup_cb,
						call);
	tender_engine_exec_workload_async(tender_http_server_get_engine(call->req->self),
					  name,
					  argv,
					  options,
					  fd_list,
					  call->cancellable,
					  tender_http_exec_cb,
					  call);
	/* the engine has taken its copies of the pipes' ends: the command's now */
	g_clear_object(&fd_list);
	for (guint i = 0; i < G_N_ELEMENTS(call->pipes); i++)
		tender_http_exec_watch_pipe(&call->pipes[i]);
}
