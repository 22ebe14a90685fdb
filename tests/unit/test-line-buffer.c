/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "tender-line-buffer.h"

/* collects the lines passed on, as "line" strings (they hold no NUL in these tests) */
static void
tender_line_buffer_collect_cb(const char *line, size_t len, void *user_data)
{
	GPtrArray *lines = user_data;
	g_ptr_array_add(lines, g_strndup(line, len));
}

static GPtrArray *
tender_line_buffer_run(const gchar *const *chunks, gboolean flush)
{
	static TenderLineBuffer buffer;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

	tender_line_buffer_init(&buffer);
	for (guint i = 0; chunks[i] != NULL; i++)
		tender_line_buffer_feed(&buffer,
					chunks[i],
					strlen(chunks[i]),
					tender_line_buffer_collect_cb,
					lines);
	if (flush)
		tender_line_buffer_flush(&buffer, tender_line_buffer_collect_cb, lines);
	return lines;
}

static void
tender_line_buffer_assert_lines(GPtrArray *lines, const gchar *const *expected)
{
	g_assert_cmpuint(lines->len, ==, g_strv_length((gchar **)expected));
	for (guint i = 0; i < lines->len; i++)
		g_assert_cmpstr(g_ptr_array_index(lines, i), ==, expected[i]);
}

static void
tender_line_buffer_lines_func(void)
{
	const gchar *chunks[] = {"one\ntwo\n", "\nthree\n", NULL};
	const gchar *expected[] = {"one", "two", "", "three", NULL};
	g_autoptr(GPtrArray) lines = tender_line_buffer_run(chunks, TRUE);

	tender_line_buffer_assert_lines(lines, expected);
}

static void
tender_line_buffer_chunks_func(void)
{
	/* a line that comes in pieces is passed on once, whole */
	const gchar *chunks[] = {"he", "llo", " wor", "ld\nbye", "\n", NULL};
	const gchar *expected[] = {"hello world", "bye", NULL};
	g_autoptr(GPtrArray) lines = tender_line_buffer_run(chunks, FALSE);

	tender_line_buffer_assert_lines(lines, expected);
}

static void
tender_line_buffer_partial_func(void)
{
	/* the last line without its newline waits for the flush at the end of the stream */
	const gchar *chunks[] = {"first\nlast", NULL};
	const gchar *expected_before[] = {"first", NULL};
	const gchar *expected_after[] = {"first", "last", NULL};
	g_autoptr(GPtrArray) before = tender_line_buffer_run(chunks, FALSE);
	g_autoptr(GPtrArray) after = tender_line_buffer_run(chunks, TRUE);
	const gchar *nothing[] = {"", NULL};
	const gchar *none[] = {NULL};
	g_autoptr(GPtrArray) empty = tender_line_buffer_run(nothing, TRUE);

	tender_line_buffer_assert_lines(before, expected_before);
	tender_line_buffer_assert_lines(after, expected_after);
	/* an empty stream makes no line at all */
	tender_line_buffer_assert_lines(empty, none);
}

static void
tender_line_buffer_long_func(void)
{
	const gsize max = TENDER_LINE_BUFFER_MAX;
	g_autofree gchar *exact = g_strnfill(max, 'a');
	g_autofree gchar *longer = g_strnfill(2 * max + 10, 'b');
	g_autofree gchar *input = g_strdup_printf("%s\n%s\nend\n", exact, longer);
	g_autofree gchar *piece = g_strnfill(max, 'b');
	g_autofree gchar *rest = g_strnfill(10, 'b');
	const gchar *expected[] = {exact, piece, piece, rest, "end", NULL};
	g_autoptr(GPtrArray) whole = NULL;
	g_autoptr(GPtrArray) bytewise = g_ptr_array_new_with_free_func(g_free);
	static TenderLineBuffer buffer;

	/* a line of exactly the limit stays whole; a longer one is cut into pieces */
	{
		const gchar *chunks[] = {input, NULL};
		whole = tender_line_buffer_run(chunks, TRUE);
	}
	tender_line_buffer_assert_lines(whole, expected);

	/* the same, fed one byte at a time */
	tender_line_buffer_init(&buffer);
	for (gsize i = 0; input[i] != '\0'; i++)
		tender_line_buffer_feed(&buffer,
					input + i,
					1,
					tender_line_buffer_collect_cb,
					bytewise);
	tender_line_buffer_flush(&buffer, tender_line_buffer_collect_cb, bytewise);
	tender_line_buffer_assert_lines(bytewise, expected);
}

static void
tender_line_buffer_collect_bytes_cb(const char *line, size_t len, void *user_data)
{
	GPtrArray *lines = user_data;
	g_ptr_array_add(lines, g_bytes_new(line, len));
}

static void
tender_line_buffer_binary_func(void)
{
	/* any byte but the newline is part of the line, NUL included */
	static TenderLineBuffer buffer;
	const gchar input[] = {'a', '\0', 'b', '\n', '\xff', '\r', '\n'};
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	gsize len = 0;
	const gchar *data;

	tender_line_buffer_init(&buffer);
	tender_line_buffer_feed(&buffer,
				input,
				sizeof(input),
				tender_line_buffer_collect_bytes_cb,
				lines);
	g_assert_cmpuint(lines->len, ==, 2);
	data = g_bytes_get_data(g_ptr_array_index(lines, 0), &len);
	g_assert_cmpmem(data, len, "a\0b", 3);
	data = g_bytes_get_data(g_ptr_array_index(lines, 1), &len);
	g_assert_cmpmem(data, len, "\xff\r", 2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/tender/line-buffer/lines", tender_line_buffer_lines_func);
	g_test_add_func("/tender/line-buffer/chunks", tender_line_buffer_chunks_func);
	g_test_add_func("/tender/line-buffer/partial", tender_line_buffer_partial_func);
	g_test_add_func("/tender/line-buffer/long", tender_line_buffer_long_func);
	g_test_add_func("/tender/line-buffer/binary", tender_line_buffer_binary_func);
	return g_test_run();
}
