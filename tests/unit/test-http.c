/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tender-error-private.h"
#include "tender-http-router.h"
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

/* writes @text into @path in place (same inode), as an editor that truncates would */
static void
tokens_rewrite(const gchar *path, const gchar *text)
{
	FILE *f = fopen(path, "we");

	g_assert_nonnull(f);
	g_assert_cmpint(fputs(text, f), >=, 0);
	g_assert_cmpint(fclose(f), ==, 0);
}

static void
tokens_assert(const gchar *path, const gchar *token, gboolean valid)
{
	g_autoptr(GError) error = NULL;
	guint32 uid = 7;
	gboolean ok = tender_http_tokens_lookup(path, token, &uid, &error);

	g_assert_cmpint(ok, ==, valid);
	if (valid) {
		g_assert_no_error(error);
		g_assert_cmpuint(uid, ==, 0);
	} else {
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	}
}

/* the file's tokens are kept between requests, yet a token revoked is refused at once, even
 * by a rewrite of the same size within the same clock tick, and after the copy is trusted */
static void
test_tokens_file_changes(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-http-XXXXXX", NULL);
	g_autofree gchar *path = g_build_filename(dir, "tokens", NULL);
	const gchar *a = "aaaaaaaaaaaaaaaaaaaa 0\n";
	const gchar *b = "bbbbbbbbbbbbbbbbbbbb 0\n";

	if (getuid() != 0) {
		g_test_skip("the tokens file must be root's");
		g_assert_cmpint(g_rmdir(dir), ==, 0);
		return;
	}
	tokens_rewrite(path, a);
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	tokens_assert(path, "aaaaaaaaaaaaaaaaaaaa", TRUE);
	tokens_rewrite(path, b);
	tokens_assert(path, "aaaaaaaaaaaaaaaaaaaa", FALSE);
	tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", TRUE);
	/* once the file has not changed for a second, its copy is used; a change still shows */
	g_usleep(1200 * 1000);
	tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", TRUE);
	tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", TRUE);
	tokens_rewrite(path, a);
	tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", FALSE);
	tokens_assert(path, "aaaaaaaaaaaaaaaaaaaa", TRUE);
	/* replaced by another file */
	g_usleep(1200 * 1000);
	tokens_assert(path, "aaaaaaaaaaaaaaaaaaaa", TRUE);
	g_assert_true(
	    g_file_set_contents_full(path, b, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL));
	tokens_assert(path, "aaaaaaaaaaaaaaaaaaaa", FALSE);
	tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", TRUE);
	/* malformed: every token refused, and said so each time */
	tokens_rewrite(path, "bbbbbbbbbbbbbbbbbbbb\n");
	for (guint i = 0; i < 2; i++) {
		g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*is ignored*");
		tokens_assert(path, "bbbbbbbbbbbbbbbbbbbb", FALSE);
		g_test_assert_expected_messages();
	}
	g_assert_cmpint(g_unlink(path), ==, 0);
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

/* every code crosses the bus by its own name, and answers over HTTP with an error status */
static void
test_error_codes(void)
{
	const struct {
		TenderError code;
		const gchar *name;
		guint status;
	} fixed[] = {
	    /* what clients of the HTTP mirror rely on */
	    {TENDER_ERROR_INVALID_ARGUMENT, "org.tender.Agent1.Error.InvalidArgument", 400},
	    {TENDER_ERROR_NOT_FOUND, "org.tender.Agent1.Error.NotFound", 404},
	    {TENDER_ERROR_ALREADY_EXISTS, "org.tender.Agent1.Error.AlreadyExists", 409},
	    {TENDER_ERROR_ACCESS_DENIED, "org.tender.Agent1.Error.AccessDenied", 403},
	    {TENDER_ERROR_FAILED, "org.tender.Agent1.Error.Failed", 500},
	    {TENDER_ERROR_NOT_SUPPORTED, "org.tender.Agent1.Error.NotSupported", 501},
	    {TENDER_ERROR_BUSY, "org.tender.Agent1.Error.Busy", 409},
	    {TENDER_ERROR_LIMIT_REACHED, "org.tender.Agent1.Error.LimitReached", 429},
	};
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GError) foreign = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_BUSY, "x");

	for (gint code = 0; code < TENDER_ERROR_LAST; code++) {
		g_autoptr(GError) error = g_error_new_literal(TENDER_ERROR, code, "the message");
		g_autoptr(GError) back = NULL;
		g_autofree gchar *name = g_dbus_error_encode_gerror(error);
		guint status = tender_error_to_http_status(error);

		/* a registered name of our own, one per code, that comes back as the same code */
		g_assert_true(g_str_has_prefix(name, "org.tender.Agent1.Error."));
		g_assert_cmpstr(name, ==, tender_error_to_dbus_name((TenderError)code));
		g_assert_false(g_hash_table_contains(names, name));
		g_hash_table_add(names, g_strdup(name));
		back = g_dbus_error_new_for_dbus_error(name, "the message");
		g_assert_error(back, TENDER_ERROR, code);
		g_assert_true(g_dbus_error_is_remote_error(back));
		g_assert_true(g_dbus_error_strip_remote_error(back));
		g_assert_cmpstr(back->message, ==, "the message");

		/* a client error or a server error, never a success or a redirect */
		g_assert_cmpuint(status, >=, 400);
		g_assert_cmpuint(status, <, 600);
	}
	for (guint i = 0; i < G_N_ELEMENTS(fixed); i++) {
		g_autoptr(GError) error = g_error_new_literal(TENDER_ERROR, fixed[i].code, "x");
		g_assert_cmpstr(tender_error_to_dbus_name(fixed[i].code), ==, fixed[i].name);
		g_assert_cmpuint(tender_error_to_http_status(error), ==, fixed[i].status);
	}
	/* convert first: another domain is a server error */
	g_assert_cmpuint(tender_error_to_http_status(foreign), ==, 500);
}

/* a path against a pattern, segment by segment: '*' takes one segment that is not empty */
static void
test_router_match_path(void)
{
	const struct {
		const gchar *pattern;
		const gchar *path;
		gboolean matches;
		const gchar *captures; /* joined by ',' */
	} cases[] = {
	    {"v1/workloads", "v1/workloads", TRUE, ""},
	    {"v1/workloads/*", "v1/workloads/web", TRUE, "web"},
	    {"v1/workloads/*/logs", "v1/workloads/web/logs", TRUE, "web"},
	    {"v1/*/x/*", "v1/a/x/b", TRUE, "a,b"},
	    {"v1/workloads/*", "v1/workloads/", FALSE, NULL},
	    {"v1/workloads/*", "v1/workloads", FALSE, NULL},
	    {"v1/workloads", "v1/workloads/", FALSE, NULL},
	    {"v1/workloads/", "v1/workloads/", TRUE, ""},
	    {"v1/workloads", "v1/workload", FALSE, NULL},
	    {"v1/workload", "v1/workloads", FALSE, NULL},
	    {"v1/*/logs", "v1//logs", FALSE, NULL},
	    {"v1/*", "v1/a/b", FALSE, NULL},
	    {"*", "", FALSE, NULL},
	    {"", "", TRUE, ""},
	    {"", "/", FALSE, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);
		gboolean matches =
		    tender_http_router_match_path(cases[i].pattern, cases[i].path, captures);
		g_autofree gchar *joined = NULL;

		g_ptr_array_add(captures, NULL);
		joined = g_strjoinv(",", (gchar **)captures->pdata);
		g_assert_cmpint(matches, ==, cases[i].matches);
		if (matches)
			g_assert_cmpstr(joined, ==, cases[i].captures);
	}
}

/* one match a request: the route, its workload or instance, and what a miss answers */
static void
test_router_match(void)
{
	const struct {
		const gchar *method;
		const gchar *path;
		gint route; /* -1: no route */
		const gchar *name;
		const gchar *dbus_method;
		guint status; /* of a miss */
		const gchar *allow;
	} cases[] = {
	    {"GET", "/v1/workloads", TENDER_HTTP_ROUTE_LIST, NULL, "ListWorkloads", 0, NULL},
	    {"HEAD", "/v1/workloads", TENDER_HTTP_ROUTE_LIST, NULL, "ListWorkloads", 0, NULL},
	    {"POST", "/v1/workloads", TENDER_HTTP_ROUTE_CREATE, NULL, "CreateWorkload", 0, NULL},
	    {"GET", "/v1/workloads/web", TENDER_HTTP_ROUTE_GET, "web", "GetWorkload", 0, NULL},
	    {"POST",
	     "/v1/workloads/web/start",
	     TENDER_HTTP_ROUTE_START,
	     "web",
	     "StartWorkload",
	     0,
	     NULL},
	    /* the literal wins for POST; GET is a workload of that name */
	    {"POST",
	     "/v1/workloads/import",
	     TENDER_HTTP_ROUTE_IMPORT,
	     NULL,
	     "ImportWorkload",
	     0,
	     NULL},
	    {"GET",
	     "/v1/workloads/import",
	     TENDER_HTTP_ROUTE_GET,
	     "import",
	     "GetWorkload",
	     0,
	     NULL},
	    {"GET", "/api/health", TENDER_HTTP_ROUTE_HEALTH, NULL, NULL, 0, NULL},
	    {"GET", "/v1/adapters/a1/api/health", TENDER_HTTP_ROUTE_ALIAS, "a1", NULL, 0, NULL},
	    {"PUT", "/v1/workloads", -1, NULL, NULL, 405, "GET, POST"},
	    {"POST", "/v1/workloads/web", -1, NULL, NULL, 405, "GET, DELETE"},
	    {"GET", "/v1/workloads//start", -1, NULL, NULL, 404, NULL},
	    {"GET", "/v1/nothing", -1, NULL, NULL, 404, NULL},
	    /* no plugins: nothing below /v1/plugins/NAME/ */
	    {"GET", "/v1/plugins/hello/greeting", -1, NULL, NULL, 404, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(TenderHttpMatch) match = {0};
		g_autoptr(GString) allow = g_string_new(NULL);
		guint status = 0;
		gboolean found = tender_http_router_match(NULL,
							  cases[i].method,
							  cases[i].path,
							  &match,
							  &status,
							  allow);

		g_test_message("%s %s", cases[i].method, cases[i].path);
		g_assert_cmpint(found, ==, cases[i].route >= 0);
		if (!found) {
			g_assert_cmpuint(status, ==, cases[i].status);
			if (cases[i].allow != NULL)
				g_assert_cmpstr(allow->str, ==, cases[i].allow);
			continue;
		}
		g_assert_cmpint(match.route, ==, cases[i].route);
		g_assert_cmpstr(match.name, ==, cases[i].name);
		g_assert_cmpstr(match.dbus_method, ==, cases[i].dbus_method);
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
	g_test_add_func("/http/tokens/file-changes", test_tokens_file_changes);
	g_test_add_func("/http/prometheus/escape", test_prometheus_escape);
	g_test_add_func("/http/prometheus/process", test_prometheus_process);
	g_test_add_func("/http/error-codes", test_error_codes);
	g_test_add_func("/http/router/match-path", test_router_match_path);
	g_test_add_func("/http/router/match", test_router_match);
	g_test_add_func("/http/spec-variant-from-json", test_spec_variant_from_json);
	return g_test_run();
}
