/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tender-error.h"
#include "tender-http-server.h"
#include "tender-http-tokens.h"
#include "tender-prometheus.h"
#include "tender-spec.h"

static void
test_tokens_match(void)
{
	const gchar *text = "# tokens\n"
			    "\n"
			    "  aaaaaaaaaaaaaaaaaaaa 0\n"
			    "bbbbbbbbbbbbbbbbbbbb\t1000\n";
	g_autoptr(GError) error = NULL;
	guint32 uid = 42;

	g_assert_true(tender_http_tokens_match(text, "aaaaaaaaaaaaaaaaaaaa", &uid, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(uid, ==, 0);
	g_assert_true(tender_http_tokens_match(text, "bbbbbbbbbbbbbbbbbbbb", &uid, &error));
	g_assert_cmpuint(uid, ==, 1000);
	g_assert_false(tender_http_tokens_match(text, "aaaaaaaaaaaaaaaaaaa", &uid, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	g_clear_error(&error);
	g_assert_false(tender_http_tokens_match(text, "", &uid, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	g_clear_error(&error);
	/* the message never holds the token */
	g_assert_false(tender_http_tokens_match(text, "secret-secret-secret", &uid, &error));
	g_assert_null(strstr(error->message, "secret"));
}

static void
test_tokens_malformed(void)
{
	const gchar *bad[] = {
	    "aaaaaaaaaaaaaaaaaaaa\n",		 /* no uid */
	    "short 0\n",			 /* too short */
	    "aaaaaaaaaaaaaaaaaaaa root\n",	 /* uid not a number */
	    "aaaaaaaaaaaaaaaaaaaa 0 extra\n",	 /* three fields */
	    "aaaaaaaaaaaaaaaaaaaa 4294967295\n", /* (uid_t)-1 */
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint32 uid = 0;
		g_assert_false(
		    tender_http_tokens_match(bad[i], "aaaaaaaaaaaaaaaaaaaa", &uid, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "line 1"));
	}
}

static void
test_tokens_file_mode(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-http-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "tokens", NULL);
	g_autoptr(GError) error = NULL;
	guint32 uid = 1;

	g_assert_true(g_file_set_contents(path, "aaaaaaaaaaaaaaaaaaaa 0\n", -1, NULL));
	if (getuid() == 0) {
		g_assert_cmpint(g_chmod(path, 0600), ==, 0);
		g_assert_true(
		    tender_http_tokens_lookup(path, "aaaaaaaaaaaaaaaaaaaa", &uid, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(uid, ==, 0);
	}
	/* readable by others: ignored */
	g_assert_cmpint(g_chmod(path, 0644), ==, 0);
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*is ignored*");
	g_assert_false(tender_http_tokens_lookup(path, "aaaaaaaaaaaaaaaaaaaa", &uid, &error));
	g_test_assert_expected_messages();
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	g_clear_error(&error);
	g_assert_cmpint(g_unlink(path), ==, 0);
	/* missing: every token is refused */
	g_assert_false(tender_http_tokens_lookup(path, "aaaaaaaaaaaaaaaaaaaa", &uid, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_prometheus_escape(void)
{
	g_autofree gchar *plain = tender_prometheus_escape_label("web");
	g_autofree gchar *odd = tender_prometheus_escape_label("a\"b\\c\nd");

	g_assert_cmpstr(plain, ==, "web");
	g_assert_cmpstr(odd, ==, "a\\\"b\\\\c\\nd");
}

static void
test_prometheus_process(void)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	const gchar *names[] = {"process_cpu_seconds_total",
				"process_resident_memory_bytes",
				"process_virtual_memory_bytes",
				"process_start_time_seconds",
				"process_open_fds",
				NULL};

	g_assert_true(tender_prometheus_read_process("/proc/self", out, &error));
	g_assert_no_error(error);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autofree gchar *type = g_strdup_printf("# TYPE %s ", names[i]);
		g_autofree gchar *sample = g_strdup_printf("\n%s ", names[i]);
		g_assert_nonnull(strstr(out->str, type));
		g_assert_nonnull(strstr(out->str, sample));
	}
	g_assert_false(tender_prometheus_read_process("/proc/no-such-process", out, &error));
	g_assert_nonnull(error);
}

static void
test_error_table(void)
{
	const struct {
		TenderError code;
		guint status;
	} expected[] = {
	    {TENDER_ERROR_INVALID_ARGUMENT, 400},
	    {TENDER_ERROR_NOT_FOUND, 404},
	    {TENDER_ERROR_ALREADY_EXISTS, 409},
	    {TENDER_ERROR_INVALID_STATE, 409},
	    {TENDER_ERROR_ACCESS_DENIED, 403},
	    {TENDER_ERROR_FAILED, 500},
	};

	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_autoptr(GError) error = g_error_new_literal(TENDER_ERROR, expected[i].code, "x");
		g_assert_cmpuint(tender_http_server_status_for_error(error),
				 ==,
				 expected[i].status);
	}
}

static void
test_spec_variant_from_json(void)
{
	g_autoptr(JsonNode) node =
	    json_from_string("{\"argv\": [\"sleep\", \"1\"], \"memory_max\": 67108864, "
			     "\"labels\": {\"a\": \"b\"}, \"health\": {\"command\": [\"true\"]}}",
			     NULL);
	g_autoptr(JsonNode) bad = json_from_string("{\"argv\": [\"x\"], \"colour\": 1}", NULL);
	g_autoptr(JsonNode) array = json_from_string("[1]", NULL);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	guint64 memory = 0;

	value = tender_spec_variant_from_json(node, &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT));
	g_assert_true(g_variant_lookup(value, "memory_max", "t", &memory));
	g_assert_cmpuint(memory, ==, 64 * 1024 * 1024);
	g_assert_null(tender_spec_variant_from_json(bad, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "colour"));
	g_clear_error(&error);
	g_assert_null(tender_spec_variant_from_json(array, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/http/tokens/match", test_tokens_match);
	g_test_add_func("/http/tokens/malformed", test_tokens_malformed);
	g_test_add_func("/http/tokens/file-mode", test_tokens_file_mode);
	g_test_add_func("/http/prometheus/escape", test_prometheus_escape);
	g_test_add_func("/http/prometheus/process", test_prometheus_process);
	g_test_add_func("/http/error-table", test_error_table);
	g_test_add_func("/http/spec-variant-from-json", test_spec_variant_from_json);
	return g_test_run();
}
