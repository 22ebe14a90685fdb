/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>

#include "tender-docker-demux.h"

/*
 * TenderDockerDemux splits Docker's multiplexed stream (the logs and attach output of a
 * container without a TTY) into stdout and stderr.  The stream is a sequence of frames, each
 * an 8-byte header, then its payload:
 *
 *   byte 0      the stream: 0 stdin (written on stdout), 1 stdout, 2 stderr
 *   bytes 1-3   zero
 *   bytes 4-7   the payload's length, big-endian
 *
 * It is fed the stream in pieces of any size, as they arrive; a header or a payload may be
 * split anywhere.  Each stream keeps at most max bytes, the first ones: the rest is counted
 * and dropped, and the demuxer says it truncated.  A header that is not one, or a frame
 * longer than TENDER_DOCKER_DEMUX_FRAME_MAX, is an error, and so is every later feed.  With a
 * function (tender_docker_demux_set_func()), the payloads go to it as they come instead, and
 * nothing is kept.
 */

#define TENDER_DOCKER_DEMUX_HEADER_SIZE 8

struct _TenderDockerDemux {
	gsize max;
	guint8 header[TENDER_DOCKER_DEMUX_HEADER_SIZE];
	gsize header_len;	   /* bytes of the next header received so far */
	gboolean in_payload;	   /* between a header and the end of its payload */
	guint32 left;		   /* the current frame's payload bytes still to come */
	TenderDockerStream stream; /* the current frame's */
	GByteArray *data[TENDER_DOCKER_STREAM_LAST];
	guint64 dropped[TENDER_DOCKER_STREAM_LAST];
	gboolean failed;
	TenderDockerDemuxFunc func;
	gpointer func_data;
};

/**
 * tender_docker_demux_new:
 * @max: how many bytes of each stream to keep
 *
 * Returns: (transfer full): a demuxer at the start of a stream
 */
TenderDockerDemux *
tender_docker_demux_new(gsize max)
{
	TenderDockerDemux *self = g_new0(TenderDockerDemux, 1);

	self->max = max;
	for (guint i = 0; i < TENDER_DOCKER_STREAM_LAST; i++)
		self->data[i] = g_byte_array_new();
	return self;
}

/**
 * tender_docker_demux_free:
 * @self: (nullable): a #TenderDockerDemux
 */
void
tender_docker_demux_free(TenderDockerDemux *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < TENDER_DOCKER_STREAM_LAST; i++)
		g_byte_array_unref(self->data[i]);
	g_free(self);
}

static gboolean
tender_docker_demux_parse_header(TenderDockerDemux *self, GError **error)
{
	const guint8 *h = self->header;
	guint32 len = ((guint32)h[4] << 24) | ((guint32)h[5] << 16) | ((guint32)h[6] << 8) | h[7];

	if (h[0] > 2 || h[1] != 0 || h[2] != 0 || h[3] != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd sent a stream that is not multiplexed "
			    "(a frame header starts %02x %02x %02x %02x)",
			    h[0],
			    h[1],
			    h[2],
			    h[3]);
		return FALSE;
	}
	if (len > TENDER_DOCKER_DEMUX_FRAME_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd sent a stream frame of %u bytes, more than %u",
			    len,
			    (guint)TENDER_DOCKER_DEMUX_FRAME_MAX);
		return FALSE;
	}
	self->stream = h[0] == 2 ? TENDER_DOCKER_STREAM_STDERR : TENDER_DOCKER_STREAM_STDOUT;
	self->left = len;
	self->in_payload = len > 0;
	self->header_len = 0;
	return TRUE;
}

/* n bytes of the current frame's payload */
static void
tender_docker_demux_take(TenderDockerDemux *self, const guint8 *data, gsize n)
{
	GByteArray *buf = self->data[self->stream];
	gsize room = buf->len < self->max ? self->max - buf->len : 0;
	gsize keep = MIN(room, n);

	if (self->func != NULL) {
		self->func(self->stream, data, n, self->func_data);
		keep = n;
	} else if (keep > 0)
		g_byte_array_append(buf, data, (guint)keep);
	self->dropped[self->stream] += n - keep;
	self->left -= (guint32)n;
	if (self->left == 0)
		self->in_payload = FALSE;
}

/**
 * tender_docker_demux_set_func:
 * @self: a #TenderDockerDemux
 * @func: (nullable): called with each piece of payload, as it comes
 * @user_data: for @func
 *
 * Hands the payloads to @func instead of keeping them.
 */
void
tender_docker_demux_set_func(TenderDockerDemux *self,
			     TenderDockerDemuxFunc func,
			     gpointer user_data)
{
	g_return_if_fail(self != NULL);
	self->func = func;
	self->func_data = user_data;
}

/**
 * tender_docker_demux_feed:
 * @self: a #TenderDockerDemux
 * @data: (array length=len): the next bytes of the stream
 * @len: how many
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE if the stream is not (or no longer) a multiplexed stream
 */
gboolean
tender_docker_demux_feed(TenderDockerDemux *self, const guint8 *data, gsize len, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);

	if (self->failed) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "dockerd's multiplexed stream is broken already");
		return FALSE;
	}
	while (len > 0) {
		gsize n;
		if (self->in_payload) {
			n = MIN((gsize)self->left, len);
			tender_docker_demux_take(self, data, n);
		} else {
			n = MIN(TENDER_DOCKER_DEMUX_HEADER_SIZE - self->header_len, len);
			memcpy(self->header + self->header_len, data, n);
			self->header_len += n;
			if (self->header_len == TENDER_DOCKER_DEMUX_HEADER_SIZE &&
			    !tender_docker_demux_parse_header(self, error)) {
				self->failed = TRUE;
				return FALSE;
			}
		}
		data += n;
		len -= n;
	}
	return TRUE;
}

/**
 * tender_docker_demux_end:
 * @self: a #TenderDockerDemux
 * @error: (nullable): return location for a #GError
 *
 * The stream has ended.
 *
 * Returns: %FALSE if it ended inside a frame, or was broken before
 */
gboolean
tender_docker_demux_end(TenderDockerDemux *self, GError **error)
{
	g_return_val_if_fail(self != NULL, FALSE);

	if (self->failed) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "dockerd's multiplexed stream is broken");
		return FALSE;
	}
	if (self->in_payload || self->header_len > 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd's multiplexed stream ended inside a frame (%u bytes missing)",
			    self->in_payload
				? self->left
				: (guint)(TENDER_DOCKER_DEMUX_HEADER_SIZE - self->header_len));
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_demux_get_data:
 * @self: a #TenderDockerDemux
 * @stream: which
 *
 * Returns: (transfer none): the first bytes of @stream, at most max
 */
GByteArray *
tender_docker_demux_get_data(TenderDockerDemux *self, TenderDockerStream stream)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(stream < TENDER_DOCKER_STREAM_LAST, NULL);
	return self->data[stream];
}

/**
 * tender_docker_demux_get_dropped:
 * @self: a #TenderDockerDemux
 * @stream: which
 *
 * Returns: how many bytes of @stream were dropped, beyond max
 */
guint64
tender_docker_demux_get_dropped(TenderDockerDemux *self, TenderDockerStream stream)
{
	g_return_val_if_fail(self != NULL, 0);
	g_return_val_if_fail(stream < TENDER_DOCKER_STREAM_LAST, 0);
	return self->dropped[stream];
}

/**
 * tender_docker_demux_get_truncated:
 * @self: a #TenderDockerDemux
 *
 * Returns: %TRUE if bytes of either stream were dropped
 */
gboolean
tender_docker_demux_get_truncated(TenderDockerDemux *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->dropped[TENDER_DOCKER_STREAM_STDOUT] > 0 ||
	       self->dropped[TENDER_DOCKER_STREAM_STDERR] > 0;
}
