/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "tender-docker-demux.h"
#include "tender-error.h"

/* appends one frame of @stream with @payload to @out */
static void
append_frame(GByteArray *out, guint8 stream, const gchar *payload)
{
	gsize len = strlen(payload);
	guint8 header[8] = {stream, 0, 0, 0, 0, 0, 0, 0};

	header[4] = (guint8)(len >> 24);
	header[5] = (guint8)(len >> 16);
	header[6] = (guint8)(len >> 8);
	header[7] = (guint8)len;
	g_byte_array_append(out, header, sizeof(header));
	g_byte_array_append(out, (const guint8 *)payload, (guint)len);
}

/* the stream of the tests: stdout, stderr, an empty frame, stdin (on stdout), stdout */
static GByteArray *
sample_stream(void)
{
	GByteArray *out = g_byte_array_new();

	append_frame(out, 1, "hello\n");
	append_frame(out, 2, "oops\n");
	append_frame(out, 1, "");
	append_frame(out, 0, "typed\n");
	append_frame(out, 1, "world\n");
	return out;
}

static void
assert_stream(TenderDockerDemux *demux, TenderDockerStream stream, const gchar *expected)
{
	GByteArray *data = tender_docker_demux_get_data(demux, stream);
	g_autofree gchar *text = g_strndup((const gchar *)data->data, data->len);

	g_assert_cmpstr(text, ==, expected);
}

/* the sample stream fed in pieces of every size, so headers and payloads split everywhere */
static void
test_demux_chunks(void)
{
	g_autoptr(GByteArray) stream = sample_stream();

	for (gsize size = 1; size <= stream->len; size++) {
		g_autoptr(TenderDockerDemux) demux = tender_docker_demux_new(1024);
		g_autoptr(GError) error = NULL;
		for (gsize off = 0; off < stream->len; off += size) {
			gsize n = MIN(size, stream->len - off);
			g_assert_true(
			    tender_docker_demux_feed(demux, stream->data + off, n, &error));
			g_assert_no_error(error);
		}
		g_assert_true(tender_docker_demux_end(demux, &error));
		g_assert_no_error(error);
		assert_stream(demux, TENDER_DOCKER_STREAM_STDOUT, "hello\ntyped\nworld\n");
		assert_stream(demux, TENDER_DOCKER_STREAM_STDERR, "oops\n");
		g_assert_false(tender_docker_demux_get_truncated(demux));
	}
}

/* each stream keeps its first max bytes; the rest is counted */
static void
test_demux_caps(void)
{
	g_autoptr(GByteArray) stream = sample_stream();
	g_autoptr(TenderDockerDemux) demux = tender_docker_demux_new(8);
	g_autoptr(TenderDockerDemux) exact = tender_docker_demux_new(18);
	g_autoptr(GError) error = NULL;

	g_assert_true(tender_docker_demux_feed(demux, stream->data, stream->len, &error));
	g_assert_true(tender_docker_demux_end(demux, &error));
	g_assert_no_error(error);
	assert_stream(demux, TENDER_DOCKER_STREAM_STDOUT, "hello\nty");
	assert_stream(demux, TENDER_DOCKER_STREAM_STDERR, "oops\n");
	g_assert_cmpuint(tender_docker_demux_get_dropped(demux, TENDER_DOCKER_STREAM_STDOUT),
			 ==,
			 10);
	g_assert_cmpuint(tender_docker_demux_get_dropped(demux, TENDER_DOCKER_STREAM_STDERR),
			 ==,
			 0);
	g_assert_true(tender_docker_demux_get_truncated(demux));

	/* exactly max bytes: nothing dropped */
	g_assert_true(tender_docker_demux_feed(exact, stream->data, stream->len, &error));
	g_assert_no_error(error);
	assert_stream(exact, TENDER_DOCKER_STREAM_STDOUT, "hello\ntyped\nworld\n");
	g_assert_false(tender_docker_demux_get_truncated(exact));
}

static void
assert_bad(const guint8 *data, gsize len, const gchar *message)
{
	g_autoptr(TenderDockerDemux) demux = tender_docker_demux_new(1024);
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) again = NULL;
	const guint8 good[] = {1, 0, 0, 0, 0, 0, 0, 1, 'x'};

	g_assert_false(tender_docker_demux_feed(demux, data, len, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, message);
	/* broken for good */
	g_assert_false(tender_docker_demux_feed(demux, good, sizeof(good), &again));
	g_assert_error(again, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&again);
	g_assert_false(tender_docker_demux_end(demux, &again));
	g_assert_error(again, TENDER_ERROR, TENDER_ERROR_FAILED);
}

static void
test_demux_bad_frames(void)
{
	const guint8 stream3[] = {3, 0, 0, 0, 0, 0, 0, 1, 'x'};
	const guint8 nonzero[] = {1, 0, 1, 0, 0, 0, 0, 1, 'x'};
	const guint8 text[] = "hello world\n";
	/* one byte more than TENDER_DOCKER_DEMUX_FRAME_MAX (1 MiB) */
	const guint8 huge[] = {2, 0, 0, 0, 0, 0x10, 0, 1};
	const guint8 largest[] = {2, 0, 0, 0, 0, 0x10, 0, 0};
	g_autoptr(TenderDockerDemux) demux = tender_docker_demux_new(4);
	g_autoptr(GError) error = NULL;

	assert_bad(stream3,
		   sizeof(stream3),
		   "dockerd sent a stream that is not multiplexed (a frame header starts 03 00 00 "
		   "00)");
	assert_bad(nonzero,
		   sizeof(nonzero),
		   "dockerd sent a stream that is not multiplexed (a frame header starts 01 00 01 "
		   "00)");
	assert_bad(text,
		   sizeof(text) - 1,
		   "dockerd sent a stream that is not multiplexed (a frame header starts 68 65 6c "
		   "6c)");
	assert_bad(huge,
		   sizeof(huge),
		   "dockerd sent a stream frame of 1048577 bytes, more than 1048576");

	/* a frame of the largest size is fine, and capped */
	g_assert_true(tender_docker_demux_feed(demux, largest, sizeof(largest), &error));
	for (guint i = 0; i < 1024; i++) {
		guint8 kib[1024];
		memset(kib, 'e', sizeof(kib));
		g_assert_true(tender_docker_demux_feed(demux, kib, sizeof(kib), &error));
	}
	g_assert_no_error(error);
	g_assert_true(tender_docker_demux_end(demux, &error));
	g_assert_no_error(error);
	assert_stream(demux, TENDER_DOCKER_STREAM_STDERR, "eeee");
	g_assert_cmpuint(tender_docker_demux_get_dropped(demux, TENDER_DOCKER_STREAM_STDERR),
			 ==,
			 1024 * 1024 - 4);
}

/* a stream that ends inside a header or a payload */
static void
test_demux_cut(void)
{
	g_autoptr(GByteArray) stream = sample_stream();
	g_autoptr(TenderDockerDemux) in_header = tender_docker_demux_new(1024);
	g_autoptr(TenderDockerDemux) in_payload = tender_docker_demux_new(1024);
	g_autoptr(TenderDockerDemux) empty = tender_docker_demux_new(1024);
	g_autoptr(GError) error = NULL;

	g_assert_true(tender_docker_demux_feed(in_header, stream->data, 3, &error));
	g_assert_false(tender_docker_demux_end(in_header, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message,
			==,
			"dockerd's multiplexed stream ended inside a frame (5 bytes missing)");
	g_clear_error(&error);

	g_assert_true(tender_docker_demux_feed(in_payload, stream->data, 10, &error));
	g_assert_false(tender_docker_demux_end(in_payload, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message,
			==,
			"dockerd's multiplexed stream ended inside a frame (4 bytes missing)");
	g_clear_error(&error);

	/* no output at all is fine */
	g_assert_true(tender_docker_demux_end(empty, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(tender_docker_demux_get_data(empty, TENDER_DOCKER_STREAM_STDOUT)->len,
			 ==,
			 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/demux/chunks", test_demux_chunks);
	g_test_add_func("/docker/demux/caps", test_demux_caps);
	g_test_add_func("/docker/demux/bad-frames", test_demux_bad_frames);
	g_test_add_func("/docker/demux/cut", test_demux_cut);
	return g_test_run();
}
