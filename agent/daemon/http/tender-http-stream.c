/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "tender-http-connection.h"
#include "tender-http-stream.h"

/*
 * TenderHttpStream: a response that does not end, sent in chunks as they come: the logs of
 * GET /v1/workloads/NAME/logs?follow=1 and the events of GET /v1/events.  A client that reads
 * slowly holds the reading back (logs) or is dropped (events); one that hangs up ends it.
 */

#define TENDER_HTTP_STREAM_READ_SIZE 8192

struct _TenderHttpStream {
	GPtrArray *list; /* its owner's list it is in, or NULL; not a reference */
	SoupServerMessage *msg;
	gsize pending; /* bytes handed to libsoup, not yet written */
	gboolean finished;
	gulong finished_id;
	gulong wrote_id;
	GInputStream *input; /* logs: the pipe from the engine */
	GCancellable *cancellable;
	gboolean reading;
	GSource *hangup; /* watches for the client closing its end */
};

static void
tender_http_stream_clear(TenderHttpStream *stream)
{
	g_clear_signal_handler(&stream->finished_id, stream->msg);
	g_clear_signal_handler(&stream->wrote_id, stream->msg);
	g_clear_object(&stream->msg);
	if (stream->input != NULL)
		(void)g_input_stream_close(stream->input, NULL, NULL);
	g_clear_object(&stream->input);
	g_clear_object(&stream->cancellable);
	if (stream->hangup != NULL)
		g_source_destroy(stream->hangup);
	g_clear_pointer(&stream->hangup, g_source_unref);
}

/**
 * tender_http_stream_release:
 * @stream: a #TenderHttpStream
 *
 * Drops a reference; the message holds one until it is finished.
 */
void
tender_http_stream_release(TenderHttpStream *stream)
{
	g_rc_box_release_full(stream, (GDestroyNotify)tender_http_stream_clear);
}

/**
 * tender_http_stream_append:
 * @stream: a #TenderHttpStream
 * @data: what to send
 * @len: its length
 *
 * Sends a chunk, unless the client has gone.
 */
void
tender_http_stream_append(TenderHttpStream *stream, const gchar *data, gsize len)
{
	if (stream->finished)
		return;
	soup_message_body_append(soup_server_message_get_response_body(stream->msg),
				 SOUP_MEMORY_COPY,
				 data,
				 len);
	stream->pending += len;
	soup_server_message_unpause(stream->msg);
}

/**
 * tender_http_stream_drop:
 * @stream: a #TenderHttpStream
 *
 * Ends the stream: libsoup notices when it writes the last chunk into the closed socket.
 */
void
tender_http_stream_drop(TenderHttpStream *stream)
{
	GSocket *sock = tender_http_connection_get_message_socket(stream->msg);

	if (sock != NULL)
		(void)g_socket_shutdown(sock, TRUE, TRUE, NULL);
	if (stream->finished)
		return;
	soup_message_body_complete(soup_server_message_get_response_body(stream->msg));
	soup_server_message_unpause(stream->msg);
}

/**
 * tender_http_stream_end:
 * @stream: a #TenderHttpStream
 *
 * Ends the stream once what was appended is sent; the connection stays.
 */
void
tender_http_stream_end(TenderHttpStream *stream)
{
	if (stream->finished)
		return;
	soup_message_body_complete(soup_server_message_get_response_body(stream->msg));
	soup_server_message_unpause(stream->msg);
}

/* libsoup does not read while it streams a response: a client that hangs up is seen here */
static gboolean
tender_http_stream_hangup_cb(GSocket *sock, GIOCondition condition, gpointer user_data)
{
	TenderHttpStream *stream = user_data;
	gchar byte;
	gssize n = recv(g_socket_get_fd(sock), &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	/* the client went away, or sent more than it should while streaming */
	if (stream->list != NULL)
		g_ptr_array_remove(stream->list, stream);
	stream->list = NULL;
	tender_http_stream_drop(stream);
	g_clear_pointer(&stream->hangup, g_source_unref);
	return G_SOURCE_REMOVE;
}

static void
tender_http_stream_read(TenderHttpStream *stream);

static void
tender_http_stream_wrote_cb(SoupServerMessage *msg, guint size, gpointer user_data)
{
	TenderHttpStream *stream = user_data;

	stream->pending = size > stream->pending ? 0 : stream->pending - size;
	if (stream->input != NULL && !stream->reading &&
	    stream->pending < TENDER_HTTP_STREAM_BACKLOG / 4)
		tender_http_stream_read(stream);
}

static void
tender_http_stream_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpStream *stream = user_data;

	stream->finished = TRUE;
	if (stream->cancellable != NULL)
		g_cancellable_cancel(stream->cancellable);
	if (stream->hangup != NULL)
		g_source_destroy(stream->hangup);
	g_clear_pointer(&stream->hangup, g_source_unref);
	if (stream->list != NULL)
		g_ptr_array_remove(stream->list, stream);
	g_clear_signal_handler(&stream->finished_id, stream->msg);
	g_clear_signal_handler(&stream->wrote_id, stream->msg);
	tender_http_stream_release(stream);
}

static void
tender_http_stream_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpStream *stream = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);

	stream->reading = FALSE;
	if (!stream->finished) {
		if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
			/* the workload was removed, or the engine ended the follow */
			soup_message_body_complete(
			    soup_server_message_get_response_body(stream->msg));
			soup_server_message_unpause(stream->msg);
		} else {
			tender_http_stream_append(stream,
						  g_bytes_get_data(bytes, NULL),
						  g_bytes_get_size(bytes));
			if (stream->pending < TENDER_HTTP_STREAM_BACKLOG)
				tender_http_stream_read(stream);
		}
	}
	tender_http_stream_release(stream);
}

static void
tender_http_stream_read(TenderHttpStream *stream)
{
	stream->reading = TRUE;
	g_input_stream_read_bytes_async(stream->input,
					TENDER_HTTP_STREAM_READ_SIZE,
					G_PRIORITY_DEFAULT,
					stream->cancellable,
					tender_http_stream_read_cb,
					g_rc_box_acquire(stream));
}

/**
 * tender_http_stream_new:
 * @msg: a message, answered with a stream of chunks
 * @content_type: what the chunks are
 *
 * Returns: (transfer full): a #TenderHttpStream
 */
TenderHttpStream *
tender_http_stream_new(SoupServerMessage *msg, const gchar *content_type)
{
	TenderHttpStream *stream = g_rc_box_new0(TenderHttpStream);
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	GSocket *sock = tender_http_connection_get_message_socket(msg);

	stream->msg = g_object_ref(msg);
	stream->cancellable = g_cancellable_new();
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_message_headers_set_encoding(headers, SOUP_ENCODING_CHUNKED);
	soup_message_headers_set_content_type(headers, content_type, NULL);
	soup_message_headers_replace(headers, "Cache-Control", "no-cache");
	soup_message_body_set_accumulate(soup_server_message_get_response_body(msg), FALSE);
	/* a stream may stay quiet for long: the idle timeout does not apply */
	if (sock != NULL)
		g_socket_set_timeout(sock, 0);
	/* this reference is the message's: dropped when it finishes */
	stream->finished_id = g_signal_connect(msg,
					       "finished",
					       G_CALLBACK(tender_http_stream_finished_cb),
					       g_rc_box_acquire(stream));
	stream->wrote_id = g_signal_connect(msg,
					    "wrote-body-data",
					    G_CALLBACK(tender_http_stream_wrote_cb),
					    stream);
	if (sock != NULL) {
		stream->hangup = g_socket_create_source(sock, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
		g_source_set_callback(stream->hangup,
				      G_SOURCE_FUNC(tender_http_stream_hangup_cb),
				      stream,
				      NULL);
		g_source_attach(stream->hangup, NULL);
	}
	return stream;
}

/**
 * tender_http_stream_get_pending:
 * @stream: a #TenderHttpStream
 *
 * Returns: the bytes handed to libsoup and not yet written to the client
 */
gsize
tender_http_stream_get_pending(TenderHttpStream *stream)
{
	return stream->pending;
}

/**
 * tender_http_stream_set_list:
 * @stream: a #TenderHttpStream
 * @list: (nullable): the list of its owner, or %NULL
 *
 * While @list is set, the stream takes itself out of it when it ends.
 */
void
tender_http_stream_set_list(TenderHttpStream *stream, GPtrArray *list)
{
	stream->list = list;
}

/**
 * tender_http_stream_read_from:
 * @stream: a #TenderHttpStream
 * @input: (transfer full): what to send, until its end
 *
 * Sends what @input gives, reading no faster than the client takes it.
 */
void
tender_http_stream_read_from(TenderHttpStream *stream, GInputStream *input)
{
	g_clear_object(&stream->input);
	stream->input = input;
	tender_http_stream_read(stream);
}
