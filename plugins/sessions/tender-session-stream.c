/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <glib-unix.h>
#include <unistd.h>

#include "tender-session-stream.h"

/*
 * TenderSessionStream: Exec's output over HTTP as it comes (POST .../exec?stream=1).  The
 * command's stdout and stderr are pipes of ours; each chunk read goes out as a line of JSON
 * {"stream": "stdout" or "stderr", "data": TEXT} (UTF-8: a character cut between two chunks
 * waits for its end, invalid bytes become U+FFFD), then a last line, the result without its
 * output.  A client that reads slowly holds the reading back (the pipes fill, the command
 * waits), one that hangs up is the call's cancellable.  The stream begins once the command
 * runs, so that an error before is an answer with its status.
 */

#define TENDER_SESSION_STREAM_READ_SIZE 16384

typedef struct {
	TenderSessionStream *stream;
	const gchar *name; /* "stdout" or "stderr" */
	gint fd;	   /* our end, non-blocking; -1 at its end */
	guint watch_id;
	GByteArray *pending; /* the start of a character cut by the chunk's end */
} TenderSessionStreamPipe;

struct _TenderSessionStream {
	TenderCall *call; /* until completed */
	TenderSessionStreamPipe pipes[2];
	guint writing; /* writes under way: the pipes are not read meanwhile */
	gboolean begun;
	gboolean ended;
};

static void
tender_session_stream_clear(TenderSessionStream *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++) {
		g_clear_handle_id(&self->pipes[i].watch_id, g_source_remove);
		if (self->pipes[i].fd >= 0)
			(void)close(self->pipes[i].fd);
		g_byte_array_unref(self->pipes[i].pending);
	}
}

/**
 * tender_session_stream_unref:
 * @self: a #TenderSessionStream
 */
void
tender_session_stream_unref(TenderSessionStream *self)
{
	g_rc_box_release_full(self, (GDestroyNotify)tender_session_stream_clear);
}

/**
 * tender_session_stream_take_text:
 * @pending: the bytes a chunk before left (the start of a character), updated
 * @data: the chunk
 * @len: its length
 * @end: no chunk follows: what is pending is text now
 *
 * Returns: (transfer full): the text of @pending and @data up to the last whole character,
 *   invalid bytes replaced by U+FFFD
 */
gchar *
tender_session_stream_take_text(GByteArray *pending, const guint8 *data, gsize len, gboolean end)
{
	gsize keep = 0;
	const gchar *valid_end = NULL;
	gchar *text;

	if (len > 0)
		g_byte_array_append(pending, data, (guint)len);
	if (pending->len == 0)
		return g_strdup("");
	if (!end && !g_utf8_validate_len((const gchar *)pending->data, pending->len, &valid_end)) {
		/* invalid only because the last character is cut: it waits for its end */
		gsize tail = pending->len - (gsize)((const guint8 *)valid_end - pending->data);
		guint8 lead = *(const guint8 *)valid_end;
		gsize need = lead >= 0xf5   ? 0
			     : lead >= 0xf0 ? 4
			     : lead >= 0xe0 ? 3
			     : lead >= 0xc2 ? 2
					    : 0;
		gboolean continued = TRUE;
		for (gsize i = 1; i < tail; i++)
			continued = continued && (valid_end[i] & 0xc0) == 0x80;
		if (tail < need && continued)
			keep = tail;
	}
	text = g_utf8_make_valid((const gchar *)pending->data, (gssize)(pending->len - keep));
	g_byte_array_remove_range(pending, 0, pending->len - (guint)keep);
	return text;
}

static void
tender_session_stream_watch(TenderSessionStream *self);

static void
tender_session_stream_wrote_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessionStream *self = user_data;
	g_autoptr(GError) error = NULL;

	self->writing--;
	/* the call may be completed: then its writes fail, and nothing is to be done */
	if (!self->ended && self->call != NULL &&
	    tender_call_write_stream_finish(self->call, res, &error) && self->writing == 0)
		tender_session_stream_watch(self);
	tender_session_stream_unref(self);
}

static void
tender_session_stream_write_line(TenderSessionStream *self, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	g_autofree gchar *text = json_to_string(node, FALSE);
	GString *line = g_string_new(text);
	g_autoptr(GBytes) bytes = NULL;

	g_string_append_c(line, '\n');
	bytes = g_string_free_to_bytes(line);
	self->writing++;
	tender_call_write_stream_async(self->call,
				       bytes,
				       NULL,
				       tender_session_stream_wrote_cb,
				       g_rc_box_acquire(self));
}

static void
tender_session_stream_send(TenderSessionStreamPipe *pipe,
			   const guint8 *data,
			   gsize len,
			   gboolean end)
{
	g_autofree gchar *text = tender_session_stream_take_text(pipe->pending, data, len, end);
	g_autoptr(JsonObject) obj = NULL;

	if (text[0] == '\0')
		return;
	obj = json_object_new();
	json_object_set_string_member(obj, "stream", pipe->name);
	json_object_set_string_member(obj, "data", text);
	tender_session_stream_write_line(pipe->stream, obj);
}

/* reads a chunk; FALSE at the pipe's end (closed then) or when nothing is there */
static gboolean
tender_session_stream_read(TenderSessionStreamPipe *pipe)
{
	guint8 buf[TENDER_SESSION_STREAM_READ_SIZE];
	gssize n;

	do
		n = read(pipe->fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return FALSE;
	if (n <= 0) {
		tender_session_stream_send(pipe, NULL, 0, TRUE);
		(void)close(pipe->fd);
		pipe->fd = -1;
		return FALSE;
	}
	tender_session_stream_send(pipe, buf, (gsize)n, FALSE);
	return TRUE;
}

static gboolean
tender_session_stream_readable_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderSessionStreamPipe *pipe = user_data;
	TenderSessionStream *self = pipe->stream;

	(void)tender_session_stream_read(pipe);
	if (pipe->fd >= 0 && self->writing == 0)
		return G_SOURCE_CONTINUE;
	/* a write is under way: wait for it (or the pipe ended) */
	pipe->watch_id = 0;
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++)
		g_clear_handle_id(&self->pipes[i].watch_id, g_source_remove);
	return G_SOURCE_REMOVE;
}

static void
tender_session_stream_watch(TenderSessionStream *self)
{
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++) {
		TenderSessionStreamPipe *pipe = &self->pipes[i];
		if (pipe->fd >= 0 && pipe->watch_id == 0)
			pipe->watch_id = g_unix_fd_add(pipe->fd,
						       G_IO_IN | G_IO_HUP | G_IO_ERR,
						       tender_session_stream_readable_cb,
						       pipe);
	}
}

/**
 * tender_session_stream_new:
 * @call: the HTTP call that asked for the stream
 * @stdout_fd: (out): the command's stdout, for it to take
 * @stderr_fd: (out): its stderr
 *
 * Returns: (transfer full): the stream, not begun, or %NULL
 */
TenderSessionStream *
tender_session_stream_new(TenderCall *call, gint *stdout_fd, gint *stderr_fd, GError **error)
{
	g_autoptr(TenderSessionStream) self = g_rc_box_new0(TenderSessionStream);
	gint *out[] = {stdout_fd, stderr_fd};

	self->call = call;
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++) {
		self->pipes[i] = (TenderSessionStreamPipe){self,
							   i == 0 ? "stdout" : "stderr",
							   -1,
							   0,
							   g_byte_array_new()};
		*out[i] = -1;
	}
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++) {
		gint fds[2] = {-1, -1};
		if (!g_unix_open_pipe(fds, FD_CLOEXEC, error) ||
		    !g_unix_set_fd_nonblocking(fds[0], TRUE, error)) {
			if (fds[0] >= 0)
				(void)close(fds[0]);
			if (fds[1] >= 0)
				(void)close(fds[1]);
			for (guint j = 0; j < i; j++) {
				(void)close(*out[j]);
				*out[j] = -1;
			}
			return NULL;
		}
		self->pipes[i].fd = fds[0];
		*out[i] = fds[1];
	}
	return g_steal_pointer(&self);
}

/**
 * tender_session_stream_begin:
 * @self: a #TenderSessionStream
 *
 * The command runs: the answer becomes the stream.
 *
 * Returns: %FALSE if the call cannot stream (its caller went away)
 */
gboolean
tender_session_stream_begin(TenderSessionStream *self, GError **error)
{
	if (!tender_call_begin_stream(self->call, "application/x-ndjson", error))
		return FALSE;
	self->begun = TRUE;
	tender_session_stream_watch(self);
	return TRUE;
}

/**
 * tender_session_stream_end:
 * @self: a #TenderSessionStream
 * @last: the last line: the result
 *
 * The command ended: what is left in the pipes goes out, then @last, and the call is
 * completed.  What the command's descendants write after is not the command's.
 */
void
tender_session_stream_end(TenderSessionStream *self, JsonObject *last)
{
	g_autoptr(GError) error = NULL;

	if (!self->begun && !tender_session_stream_begin(self, &error)) {
		tender_session_stream_fail(self, error);
		return;
	}
	self->ended = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++) {
		TenderSessionStreamPipe *pipe = &self->pipes[i];
		g_clear_handle_id(&pipe->watch_id, g_source_remove);
		/* what is in the pipe: a descendant that writes on is not waited for */
		for (guint n = 0; n < 16 && pipe->fd >= 0 && tender_session_stream_read(pipe); n++)
			;
		if (pipe->fd >= 0)
			tender_session_stream_send(pipe, NULL, 0, TRUE);
	}
	tender_session_stream_write_line(self, last);
	tender_call_return_value(g_steal_pointer(&self->call), g_variant_new("(us)", 200, ""));
}

/**
 * tender_session_stream_fail:
 * @self: a #TenderSessionStream
 * @error: why the command did not run, or ended badly
 *
 * Completes the call with @error: an answer of its status if the stream had not begun, else
 * the stream's last line.
 */
void
tender_session_stream_fail(TenderSessionStream *self, const GError *error)
{
	self->ended = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(self->pipes); i++)
		g_clear_handle_id(&self->pipes[i].watch_id, g_source_remove);
	tender_call_return_error(g_steal_pointer(&self->call), error);
}
