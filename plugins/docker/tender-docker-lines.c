/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>

#include "tender-docker-lines.h"

/*
 * TenderDockerLines reads a stream one line at a time, asynchronously, as dockerd's /events
 * sends one JSON object a line.  Unlike GDataInputStream, it never holds more than max bytes:
 * a longer line is an error.  A line ends with "\n" ("\r\n" too); the last one may end with
 * the stream instead.
 */

struct _TenderDockerLines {
	GObject parent_instance;
	GBufferedInputStream *buffered; /* of max + 1 bytes: a longest line and its "\n" */
	gsize max;
};

G_DEFINE_TYPE(TenderDockerLines, tender_docker_lines, G_TYPE_OBJECT)

static void
tender_docker_lines_finalize(GObject *object)
{
	TenderDockerLines *self = TENDER_DOCKER_LINES(object);

	g_object_unref(self->buffered);
	G_OBJECT_CLASS(tender_docker_lines_parent_class)->finalize(object);
}

static void
tender_docker_lines_class_init(TenderDockerLinesClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_docker_lines_finalize;
}

static void
tender_docker_lines_init(TenderDockerLines *self)
{
}

/**
 * tender_docker_lines_new:
 * @base: the stream to read
 * @max: the longest line, without its end
 *
 * Returns: (transfer full): a line reader of @base
 */
TenderDockerLines *
tender_docker_lines_new(GInputStream *base, gsize max)
{
	TenderDockerLines *self;

	g_return_val_if_fail(G_IS_INPUT_STREAM(base), NULL);
	g_return_val_if_fail(max > 0, NULL);
	self = g_object_new(TENDER_TYPE_DOCKER_LINES, NULL);
	self->max = max;
	self->buffered = G_BUFFERED_INPUT_STREAM(g_buffered_input_stream_new_sized(base, max + 1));
	return self;
}

/* the first len bytes of the buffer, consumed; without a "\r" at their end */
static gchar *
tender_docker_lines_take(TenderDockerLines *self, gsize len, gsize consumed)
{
	gsize avail = 0;
	const gchar *buf = g_buffered_input_stream_peek_buffer(self->buffered, &avail);
	gchar *line;

	if (len > 0 && buf[len - 1] == '\r')
		len--;
	line = g_strndup(buf, len);
	/* within the buffer: no I/O */
	(void)g_input_stream_skip(G_INPUT_STREAM(self->buffered), consumed, NULL, NULL);
	return line;
}

/* TRUE if the task has been returned a line (or an error) from what the buffer holds */
static gboolean
tender_docker_lines_try(TenderDockerLines *self, GTask *task)
{
	gsize avail = 0;
	const gchar *buf = g_buffered_input_stream_peek_buffer(self->buffered, &avail);
	const gchar *nl = avail > 0 ? memchr(buf, '\n', avail) : NULL;

	if (nl != NULL) {
		gsize len = (gsize)(nl - buf);
		g_task_return_pointer(task, tender_docker_lines_take(self, len, len + 1), g_free);
		return TRUE;
	}
	if (avail > self->max) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"dockerd sent a line longer than %" G_GSIZE_FORMAT " bytes",
					self->max);
		return TRUE;
	}
	return FALSE;
}

static void
tender_docker_lines_filled_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/* a line from the buffer if it holds one, else more into the buffer */
static void
tender_docker_lines_next(TenderDockerLines *self, GTask *task)
{
	if (tender_docker_lines_try(self, task)) {
		g_object_unref(task);
		return;
	}
	g_buffered_input_stream_fill_async(self->buffered,
					   -1,
					   G_PRIORITY_DEFAULT,
					   g_task_get_cancellable(task),
					   tender_docker_lines_filled_cb,
					   task);
}

static void
tender_docker_lines_filled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerLines *self = g_task_get_source_object(task);
	GError *error = NULL;
	gssize n =
	    g_buffered_input_stream_fill_finish(G_BUFFERED_INPUT_STREAM(source), res, &error);
	gsize avail = 0;

	if (n < 0) {
		g_task_return_error(task, error);
		return;
	}
	if (n == 0) {
		/* the end: the last line has no "\n", or there is none */
		avail = g_buffered_input_stream_get_available(self->buffered);
		g_task_return_pointer(task,
				      avail > 0 ? tender_docker_lines_take(self, avail, avail)
						: NULL,
				      g_free);
		return;
	}
	tender_docker_lines_next(self, g_steal_pointer(&task));
}

/**
 * tender_docker_lines_read_async:
 * @self: a #TenderDockerLines
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the next line
 * @user_data: for @callback
 */
void
tender_docker_lines_read_async(TenderDockerLines *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_docker_lines_read_async);
	tender_docker_lines_next(self, task);
}

/**
 * tender_docker_lines_read_finish:
 * @self: a #TenderDockerLines
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the line without its end, or %NULL with no error at the end of
 * the stream
 */
gchar *
tender_docker_lines_read_finish(TenderDockerLines *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
