/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tender-error.h"
#include "tender-journal.h"

#define CURSOR "s=0b5c;i=1a2;b=9f1e;m=4d2;t=5f3b;x=77aa"

static void
tender_journal_entry_func(void)
{
	/* 2026-11-25T20:16:37.000042Z */
	g_autoptr(GVariant) entry = g_variant_ref_sink(
	    tender_journal_entry_new("hello", 5, "stderr", 1795637797000042, CURSOR));
	const gchar *value = NULL;

	g_assert_true(g_variant_is_of_type(entry, G_VARIANT_TYPE_VARDICT));
	g_assert_cmpuint(g_variant_n_children(entry), ==, 4);
	g_assert_true(g_variant_lookup(entry, "message", "&s", &value));
	g_assert_cmpstr(value, ==, "hello");
	g_assert_true(g_variant_lookup(entry, "stream", "&s", &value));
	g_assert_cmpstr(value, ==, "stderr");
	g_assert_true(g_variant_lookup(entry, "timestamp", "&s", &value));
	g_assert_cmpstr(value, ==, "2026-11-25T20:16:37.000042Z");
	g_assert_true(g_variant_lookup(entry, "cursor", "&s", &value));
	g_assert_cmpstr(value, ==, CURSOR);
}

static void
tender_journal_entry_utf8_func(void)
{
	/* invalid UTF-8 and NUL bytes become U+FFFD; valid UTF-8 stays; only @len bytes count */
	const gchar raw[] = "caf\xc3\xa9 \xff\x00x\xe2\x82 tail";
	g_autoptr(GVariant) entry =
	    g_variant_ref_sink(tender_journal_entry_new(raw, 11, "stdout", 0, CURSOR));
	const gchar *message = NULL;

	g_assert_true(g_variant_lookup(entry, "message", "&s", &message));
	g_assert_true(g_utf8_validate(message, -1, NULL));
	g_assert_cmpstr(message,
			==,
			"caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd");
}

static void
tender_journal_entry_json_func(void)
{
	const gchar raw[] = "say \"hi\"\t\\ \xe2\x9c\x93";
	g_autoptr(GVariant) entry = g_variant_ref_sink(
	    tender_journal_entry_new(raw, strlen(raw), "stdout", 1795637797123456, CURSOR));
	g_autofree gchar *json = tender_journal_entry_to_json(entry);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonObject *obj;

	/* one line, ending in its newline, that parses back to the same entry */
	g_assert_true(g_str_has_suffix(json, "}\n"));
	g_assert_true(strchr(json, '\n') == json + strlen(json) - 1);
	g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
	g_assert_no_error(error);
	obj = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpuint(json_object_get_size(obj), ==, 4);
	g_assert_cmpstr(json_object_get_string_member(obj, "message"), ==, raw);
	g_assert_cmpstr(json_object_get_string_member(obj, "stream"), ==, "stdout");
	g_assert_cmpstr(json_object_get_string_member(obj, "timestamp"),
			==,
			"2026-11-25T20:16:37.123456Z");
	g_assert_cmpstr(json_object_get_string_member(obj, "cursor"), ==, CURSOR);
}

static void
tender_journal_stream_func(void)
{
	TenderJournalStream stream = TENDER_JOURNAL_STREAM_STDERR;

	g_assert_true(tender_journal_stream_from_string("both", &stream));
	g_assert_cmpint(stream, ==, TENDER_JOURNAL_STREAM_BOTH);
	g_assert_true(tender_journal_stream_from_string("stdout", &stream));
	g_assert_cmpint(stream, ==, TENDER_JOURNAL_STREAM_STDOUT);
	g_assert_true(tender_journal_stream_from_string("stderr", &stream));
	g_assert_cmpint(stream, ==, TENDER_JOURNAL_STREAM_STDERR);
	g_assert_false(tender_journal_stream_from_string("STDOUT", &stream));
	g_assert_false(tender_journal_stream_from_string("", &stream));
	g_assert_false(tender_journal_stream_from_string(NULL, &stream));
	g_assert_cmpint(stream, ==, TENDER_JOURNAL_STREAM_STDERR);
}

static void
tender_journal_cursor_func(void)
{
	g_autofree gchar *longest = g_strnfill(TENDER_JOURNAL_CURSOR_MAX, 'a');
	g_autofree gchar *too_long = g_strnfill(TENDER_JOURNAL_CURSOR_MAX + 1, 'a');
	const gchar *bad[] = {"", "s=1; i=2", "s=1\n", "caf\xc3\xa9", too_long, NULL};

	g_assert_true(tender_journal_check_cursor(CURSOR, NULL));
	g_assert_true(tender_journal_check_cursor(longest, NULL));
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_journal_check_cursor(bad[i], &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "'since'"));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/tender/journal/entry", tender_journal_entry_func);
	g_test_add_func("/tender/journal/entry/utf8", tender_journal_entry_utf8_func);
	g_test_add_func("/tender/journal/entry/json", tender_journal_entry_json_func);
	g_test_add_func("/tender/journal/stream", tender_journal_stream_func);
	g_test_add_func("/tender/journal/cursor", tender_journal_cursor_func);
	return g_test_run();
}
