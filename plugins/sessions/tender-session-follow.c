/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <unistd.h>

#include "tender-session-follow.h"
#include "tender-session-stream.h"

/*
 * TenderSessionFollower: one caller following a background process's output
 * (GetProcessLogs with follow).  Over HTTP the answer is a stream of NDJSON lines
 * {"stream": "stdout" or "stderr", "data": TEXT}, then {"state", "exit_code", "signal"}; over
 * D-Bus the output goes to the caller's two descriptors as it is, and the method returns once
 * all is written.  First the kept tail (once read), then what the process writes meanwhile
 * and after, in order.  The process's reader only queues (never waits for a follower); the
 * follower writes one chunk at a time and waits for it to be taken, so a slow caller holds
 * back no one but itself, and one that falls more than TENDER_SESSION_FOLLOW_BEHIND_MAX
 * behind is ended with LimitReached.  A caller that goes (the call's cancellable, EPIPE, the
 * reading end closed) ends the follow, never the process.
 */

#define TENDER_SESSION_FOLLOW_SLICE 65536

typedef struct {
	guint stream; /* 1 stdout, 2 stderr */
	GBytes *bytes;
} TenderSessionFollowChunk;

struct _TenderSessionFollower {
	TenderCall *call; /* until completed */
	gboolean http;
	GOutputStream *out[3];	/* D-Bus: the caller's descriptors, [1] and [2] */
	guint watch_id[3];	/* their reading end closed */
	GByteArray *pending[3]; /* HTTP: a character cut at a chunk's end */
	GQueue chunks;		/* TenderSessionFollowChunk, new output not yet written */
	gsize queued;
	GBytes *tail[3];
	gsize tail_offset[3];
	GBytes *writing; /* the chunk being written (D-Bus) */
	gboolean busy;	 /* a write is under way */
	gboolean begun;
	gboolean done;
	JsonObject *last; /* the process ended: the end line */
	GCancellable *cancellable;
	gulong cancelled_id;
};

static void
tender_session_follow_chunk_free(TenderSessionFollowChunk *chunk)
{
	g_bytes_unref(chunk->bytes);
	g_free(chunk);
}

static void
tender_session_follower_clear(TenderSessionFollower *self)
{
	for (guint i = 1; i <= 2; i++) {
		g_clear_handle_id(&self->watch_id[i], g_source_remove);
		g_clear_object(&self->out[i]);
		g_clear_pointer(&self->pending[i], g_byte_array_unref);
		g_clear_pointer(&self->tail[i], g_bytes_unref);
	}
	g_queue_clear_full(&self->chunks, (GDestroyNotify)tender_session_follow_chunk_free);
	g_clear_pointer(&self->writing, g_bytes_unref);
	g_clear_pointer(&self->last, json_object_unref);
}

TenderSessionFollower *
tender_session_follower_ref(TenderSessionFollower *self)
{
	return g_rc_box_acquire(self);
}

void
tender_session_follower_unref(TenderSessionFollower *self)
{
	g_rc_box_release_full(self, (GDestroyNotify)tender_session_follower_clear);
}

gboolean
tender_session_follower_is_done(TenderSessionFollower *self)
{
	return self->done;
}

/* the follow ends: @error, or else the method's (empty) value; the call is completed */
static void
tender_session_follower_finish(TenderSessionFollower *self, const GError *error)
{
	TenderCall *call = g_steal_pointer(&self->call);

	if (self->done)
		return;
	self->done = TRUE;
	if (self->cancelled_id != 0)
		g_cancellable_disconnect(self->cancellable, self->cancelled_id);
	self->cancelled_id = 0;
	self->cancellable = NULL;
	/* the caller's descriptors are closed now (once a write under way is over): its
	 * reader gets its end of file at the method's return, whoever still holds us */
	for (guint i = 1; i <= 2; i++) {
		g_clear_handle_id(&self->watch_id[i], g_source_remove);
		g_clear_pointer(&self->tail[i], g_bytes_unref);
		g_clear_object(&self->out[i]);
	}
	g_queue_clear_full(&self->chunks, (GDestroyNotify)tender_session_follow_chunk_free);
	self->queued = 0;
	if (error != NULL)
		tender_call_return_error(call, error);
	else if (self->http)
		tender_call_return_value(call, g_variant_new("(us)", 200, ""));
	else
		tender_call_return_value(
		    call,
		    g_variant_new("(@ay@ay)",
				  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, NULL, 0, 1),
				  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, NULL, 0, 1)));
}

static void
tender_session_follower_pump(TenderSessionFollower *self);

static void
tender_session_follower_http_wrote_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionFollower) self = user_data;
	g_autoptr(GError) error = NULL;

	self->busy = FALSE;
	if (self->done || self->call == NULL)
		return;
	if (!tender_call_write_stream_finish(self->call, res, &error)) {
		/* the caller went away */
		tender_session_follower_finish(self, NULL);
		return;
	}
	tender_session_follower_pump(self);
}

static void
tender_session_follower_http_line(TenderSessionFollower *self, JsonObject *obj, gboolean wait)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	g_autofree gchar *text = json_to_string(node, FALSE);
	g_autofree gchar *line = g_strconcat(text, "\n", NULL);
	gsize len = strlen(line);
	g_autoptr(GBytes) bytes = g_bytes_new_take(g_steal_pointer(&line), len);

	if (wait)
		self->busy = TRUE;
	tender_call_write_stream_async(self->call,
				       bytes,
				       NULL,
				       wait ? tender_session_follower_http_wrote_cb : NULL,
				       wait ? tender_session_follower_ref(self) : NULL);
}

/* a line of output over HTTP; FALSE if there was no whole character to send */
static gboolean
tender_session_follower_http_data(TenderSessionFollower *self,
				  guint stream,
				  const guint8 *data,
				  gsize len,
				  gboolean end,
				  gboolean wait)
{
	g_autofree gchar *text = NULL;
	g_autoptr(JsonObject) obj = NULL;

	if (len == 0 && self->pending[stream]->len == 0)
		return FALSE;
	text = tender_session_stream_take_text(self->pending[stream], data, len, end);
	if (text[0] == '\0')
		return FALSE;
	obj = json_object_new();
	json_object_set_string_member(obj, "stream", stream == 1 ? "stdout" : "stderr");
	json_object_set_string_member(obj, "data", text);
	tender_session_follower_http_line(self, obj, wait);
	return TRUE;
}

static void
tender_session_follower_fd_wrote_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionFollower) self = user_data;
	g_autoptr(GError) error = NULL;

	self->busy = FALSE;
	g_clear_pointer(&self->writing, g_bytes_unref);
	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
		    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)) {
			/* the caller closed its end: it stopped reading */
			tender_session_follower_finish(self, NULL);
		} else {
			g_autoptr(GError) failed = g_error_new(TENDER_ERROR,
							       TENDER_ERROR_FAILED,
							       "Cannot write the output: %s",
							       error->message);
			tender_session_follower_finish(self, failed);
		}
		return;
	}
	if (!self->done)
		tender_session_follower_pump(self);
}

/* writes @bytes of @stream; FALSE if nothing was written (nothing to wait for) */
static gboolean
tender_session_follower_write(TenderSessionFollower *self, guint stream, GBytes *bytes)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);

	if (self->http)
		return tender_session_follower_http_data(self, stream, data, len, FALSE, TRUE);
	if (len == 0)
		return FALSE;
	self->busy = TRUE;
	self->writing = g_bytes_ref(bytes);
	g_output_stream_write_all_async(self->out[stream],
					data,
					len,
					G_PRIORITY_DEFAULT,
					NULL,
					tender_session_follower_fd_wrote_cb,
					tender_session_follower_ref(self));
	return TRUE;
}

/* the process ended and all is written: over HTTP, what is pending and the end line */
static void
tender_session_follower_end_now(TenderSessionFollower *self)
{
	if (self->http) {
		for (guint i = 1; i <= 2; i++)
			(void)tender_session_follower_http_data(self, i, NULL, 0, TRUE, FALSE);
		tender_session_follower_http_line(self, self->last, FALSE);
	}
	tender_session_follower_finish(self, NULL);
}

/* the next chunk: the tail first, then the new output, then the end */
static void
tender_session_follower_pump(TenderSessionFollower *self)
{
	while (!self->done && self->begun && !self->busy) {
		TenderSessionFollowChunk *chunk = NULL;
		gboolean wrote = FALSE;
		guint stream = 0;

		for (guint i = 1; i <= 2 && stream == 0; i++) {
			if (self->tail[i] != NULL &&
			    self->tail_offset[i] < g_bytes_get_size(self->tail[i]))
				stream = i;
		}
		if (stream != 0) {
			gsize left =
			    g_bytes_get_size(self->tail[stream]) - self->tail_offset[stream];
			gsize len = MIN(left, TENDER_SESSION_FOLLOW_SLICE);
			g_autoptr(GBytes) slice = g_bytes_new_from_bytes(self->tail[stream],
									 self->tail_offset[stream],
									 len);
			self->tail_offset[stream] += len;
			(void)tender_session_follower_write(self, stream, slice);
			continue;
		}
		chunk = g_queue_pop_head(&self->chunks);
		if (chunk != NULL) {
			self->queued -= g_bytes_get_size(chunk->bytes);
			wrote = tender_session_follower_write(self, chunk->stream, chunk->bytes);
			tender_session_follow_chunk_free(chunk);
			(void)wrote;
			continue;
		}
		if (self->last != NULL)
			tender_session_follower_end_now(self);
		return;
	}
}

static gboolean
tender_session_follower_gone_cb(gpointer user_data)
{
	TenderSessionFollower *self = user_data;

	tender_session_follower_finish(self, NULL);
	return G_SOURCE_REMOVE;
}

/* the caller went away: from the main loop, not within the cancellable's handler */
static void
tender_session_follower_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	g_idle_add_full(G_PRIORITY_DEFAULT,
			tender_session_follower_gone_cb,
			tender_session_follower_ref(user_data),
			(GDestroyNotify)tender_session_follower_unref);
}

static TenderSessionFollower *
tender_session_follower_new(TenderCall *call, gboolean http)
{
	TenderSessionFollower *self = g_rc_box_new0(TenderSessionFollower);

	self->call = call;
	self->http = http;
	g_queue_init(&self->chunks);
	for (guint i = 1; i <= 2; i++)
		self->pending[i] = g_byte_array_new();
	self->cancellable = tender_call_get_cancellable(call);
	self->cancelled_id = g_cancellable_connect(self->cancellable,
						   G_CALLBACK(tender_session_follower_cancelled_cb),
						   self,
						   NULL);
	return self;
}

/**
 * tender_session_follower_new_http:
 * @call: the HTTP call that follows: answered with a stream once begun
 *
 * Returns: (transfer full): the follower, not begun (errors until then are answers)
 */
TenderSessionFollower *
tender_session_follower_new_http(TenderCall *call)
{
	return tender_session_follower_new(call, TRUE);
}

/* the reading end of a descriptor closed: the caller stopped reading */
static gboolean
tender_session_follower_closed_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderSessionFollower *self = user_data;

	for (guint i = 1; i <= 2; i++) {
		if (self->watch_id[i] != 0 &&
		    g_unix_output_stream_get_fd(G_UNIX_OUTPUT_STREAM(self->out[i])) == fd)
			self->watch_id[i] = 0;
	}
	tender_session_follower_finish(self, NULL);
	return G_SOURCE_REMOVE;
}

/**
 * tender_session_follower_new_fds:
 * @call: the D-Bus call that follows: completed once all is written
 * @stdout_fd: the caller's descriptor for stdout (taken)
 * @stderr_fd: for stderr (taken)
 *
 * Returns: (transfer full): the follower, not begun, or %NULL (then the call is untouched)
 */
TenderSessionFollower *
tender_session_follower_new_fds(TenderCall *call, gint stdout_fd, gint stderr_fd, GError **error)
{
	gint fds[3] = {-1, stdout_fd, stderr_fd};
	TenderSessionFollower *self;

	for (guint i = 1; i <= 2; i++) {
		if (!g_unix_set_fd_nonblocking(fds[i], TRUE, error)) {
			(void)close(stdout_fd);
			(void)close(stderr_fd);
			return NULL;
		}
	}
	self = tender_session_follower_new(call, FALSE);
	for (guint i = 1; i <= 2; i++) {
		self->out[i] = g_unix_output_stream_new(fds[i], TRUE);
		self->watch_id[i] =
		    g_unix_fd_add(fds[i], G_IO_ERR, tender_session_follower_closed_cb, self);
	}
	return self;
}

/**
 * tender_session_follower_begin:
 * @out: the kept tail of stdout, sent first
 * @err: of stderr
 *
 * The tail is known: the follow begins (over HTTP, the answer becomes the stream).
 */
void
tender_session_follower_begin(TenderSessionFollower *self, GBytes *out, GBytes *err)
{
	g_autoptr(GError) error = NULL;

	if (self->done)
		return;
	if (self->http && !tender_call_begin_stream(self->call, "application/x-ndjson", &error)) {
		tender_session_follower_finish(self, error);
		return;
	}
	self->tail[1] = g_bytes_ref(out);
	self->tail[2] = g_bytes_ref(err);
	self->begun = TRUE;
	tender_session_follower_pump(self);
}

/**
 * tender_session_follower_fail:
 * @error: why the follow cannot go on
 */
void
tender_session_follower_fail(TenderSessionFollower *self, const GError *error)
{
	tender_session_follower_finish(self, error);
}

/**
 * tender_session_follower_push:
 * @stream: 1 (stdout) or 2 (stderr)
 *
 * New output of the process: queued, written as the caller takes it.  A follower this
 * leaves more than TENDER_SESSION_FOLLOW_BEHIND_MAX behind is ended.
 */
void
tender_session_follower_push(TenderSessionFollower *self,
			     guint stream,
			     const guint8 *data,
			     gsize len)
{
	TenderSessionFollowChunk *chunk;

	if (self->done || len == 0)
		return;
	if (self->queued + len > TENDER_SESSION_FOLLOW_BEHIND_MAX) {
		g_autoptr(GError) error =
		    g_error_new(TENDER_ERROR,
				TENDER_ERROR_LIMIT_REACHED,
				"The follower fell more than %u bytes behind the process's "
				"output and was ended: read faster, or follow again",
				(guint)TENDER_SESSION_FOLLOW_BEHIND_MAX);
		tender_session_follower_finish(self, error);
		return;
	}
	chunk = g_new0(TenderSessionFollowChunk, 1);
	chunk->stream = stream;
	chunk->bytes = g_bytes_new(data, len);
	self->queued += len;
	g_queue_push_tail(&self->chunks, chunk);
	tender_session_follower_pump(self);
}

/**
 * tender_session_follower_end:
 * @last: the end line: the process's state, exit_code and signal
 *
 * The process ended and all its output was pushed: once written, the follow ends.
 */
void
tender_session_follower_end(TenderSessionFollower *self, JsonObject *last)
{
	if (self->done || self->last != NULL)
		return;
	self->last = json_object_ref(last);
	tender_session_follower_pump(self);
}
