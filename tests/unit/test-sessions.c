/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>
#include <tender-json.h>

#include "tender-session-config.h"
#include "tender-session-files.h"
#include "tender-session.h"

static TenderSessionConfig *
parse(const gchar *text, GError **error)
{
	g_autoptr(JsonNode) node = tender_json_parse(text, -1, TENDER_JSON_DEPTH_MAX, NULL);
	g_assert_nonnull(node);
	return tender_session_config_from_json(json_node_get_object(node), "native", NULL, error);
}

static void
test_ids(void)
{
	g_autofree gchar *name = NULL;
	g_autofree gchar *hashed = NULL;
	g_autofree gchar *subpath = NULL;
	const gchar *bad[] = {"", ".", "..", "a/b", "a b", "é", NULL};
	g_autofree gchar *long_id = g_strnfill(65, 'x');

	g_assert_true(tender_session_check_id("user", "alice_1.x-y", NULL));
	g_assert_true(tender_session_check_id("user", "...", NULL));
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_session_check_id("session", bad[i], &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "session id"));
	}
	g_assert_false(tender_session_check_id("user", long_id, NULL));
	name = tender_session_workload_name("alice", "s1", FALSE);
	g_assert_cmpstr(name, ==, "session-alice-s1");
	hashed = tender_session_workload_name("alice", "s1", TRUE);
	g_assert_true(g_str_has_prefix(hashed, "session-"));
	g_assert_cmpuint(strlen(hashed), ==, strlen("session-") + 16);
	g_clear_pointer(&name, g_free);
	name = tender_session_workload_name(long_id + 1, long_id + 1, FALSE);
	g_assert_cmpuint(strlen(name), ==, strlen("session-") + 16);
	subpath = tender_session_subpath("a.b", "c_d");
	g_assert_cmpstr(subpath, ==, "session/a_2eb/c_5fd");
}

static void
test_config_parse(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSessionConfig) config =
	    parse("{\"image\": \"busybox\", \"cpu_limit\": 1.5, \"memory_limit\": \"512m\","
		  " \"pids_limit\": 64, \"env\": {\"B\": \"2\", \"A\": \"1\"},"
		  " \"volumes\": [{\"source\": \"/srv/d\", \"target\": \"/data\", \"read_only\": "
		  "true}], \"ports\": [8080, {\"container_port\": 80, \"host_port\": 9090}],"
		  " \"container_lifetime_seconds\": 300, \"workspace\": true}",
		  &error);

	g_assert_no_error(error);
	g_assert_cmpfloat(config->cpu_limit, ==, 1.5);
	g_assert_cmpuint(config->memory_limit, ==, 512 * 1024 * 1024);
	g_assert_cmpuint(config->pids_limit, ==, 64);
	g_assert_cmpstr(g_ptr_array_index(config->env, 0), ==, "A=1");
	g_assert_cmpuint(config->volumes->len, ==, 1);
	g_assert_true(((TenderSessionVolume *)g_ptr_array_index(config->volumes, 0))->read_only);
	g_assert_cmpuint(((TenderSessionPort *)g_ptr_array_index(config->ports, 1))->host_port,
			 ==,
			 9090);
	/* ports need the network private, which they get by default */
	g_assert_cmpstr(config->network, ==, "private");
	g_assert_cmpuint(config->inactivity_sec, ==, TENDER_SESSION_INACTIVITY_DEFAULT);
	g_assert_cmpstr(config->isolation, ==, "standard");
	g_assert_true(tender_session_config_check_new(config, NULL));
}

static void
test_config_bad(void)
{
	const struct {
		const gchar *json;
		const gchar *key;
		TenderError code;
	} cases[] = {
	    {"{\"memory_limit\": \"lots\"}", "'memory_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"memory_limit\": \"1k\"}", "'memory_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"memory_limit\": \"2t\"}", "'memory_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"cpu_limit\": 0}", "'cpu_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"cpu_limit\": 2000}", "'cpu_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"pids_limit\": -1}", "'pids_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"pids_limit\": 1.5}", "'pids_limit'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"env\": {\"1A\": \"x\"}}", "'env'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"env\": [\"A=1\", \"A=2\"]}", "'env'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"volumes\": [{\"source\": \"rel\", \"target\": \"/d\"}]}",
	     "'volumes'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"volumes\": [{\"source\": \"/a\", \"target\": \"/x/../y\"}]}",
	     "'volumes'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"volumes\": [{\"source\": \"/a\", \"target\": \"/workspace\"}]}",
	     "'volumes'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"ports\": [0]}", "'ports'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"ports\": [80], \"network\": \"host\"}", "'ports'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"isolation\": \"minimal\"}", "'isolation'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"inactivity_timeout_seconds\": 99999999}",
	     "'inactivity_timeout_seconds'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"workspace\": \"yes\"}", "'workspace'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"colour\": \"blue\"}", "'colour'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"image\": \"a\", \"rootfs\": \"/r\"}", "'rootfs'", TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"backend\": \"docker\", \"rootfs\": \"/r\"}",
	     "'rootfs'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	    {"{\"backend\": \"docker\", \"isolation\": \"strict\"}",
	     "'isolation'",
	     TENDER_ERROR_INVALID_ARGUMENT},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderSessionConfig) config = parse(cases[i].json, &error);
		g_assert_null(config);
		g_assert_error(error, TENDER_ERROR, (gint)cases[i].code);
		if (strstr(error->message, cases[i].key) == NULL)
			g_error("%s: %s does not name %s",
				cases[i].json,
				error->message,
				cases[i].key);
	}
}

static void
test_config_compare(void)
{
	g_autoptr(TenderSessionConfig) live =
	    parse("{\"image\": \"bb\", \"memory_limit\": \"1g\", \"env\": {\"A\": \"1\"}}", NULL);
	g_autoptr(TenderSessionConfig) none = parse("{}", NULL);
	g_autoptr(TenderSessionConfig) same =
	    parse("{\"memory_limit\": 1073741824, \"env\": [\"A=1\"]}", NULL);
	g_autoptr(TenderSessionConfig) other =
	    parse("{\"image\": \"bb\", \"memory_limit\": \"2g\", \"pids_limit\": 5}", NULL);
	g_autoptr(TenderSessionConfig) recreate =
	    parse("{\"memory_limit\": \"2g\", \"recreate\": true}", NULL);
	g_autoptr(JsonObject) obj = tender_session_config_to_json(live);

	g_assert_nonnull(live);
	g_assert_null(tender_session_config_differs(none, live));
	g_assert_null(tender_session_config_differs(same, live));
	g_assert_cmpstr(tender_session_config_differs(other, live), ==, "memory_limit");
	g_assert_true(recreate->recreate);
	/* none has no root: it cannot make a new sandbox */
	g_assert_false(tender_session_config_check_new(none, NULL));
	g_assert_cmpint(json_object_get_int_member(obj, "memory_limit"), ==, 1073741824);
	g_assert_true(json_object_get_null_member(obj, "user"));
}

static void
test_paths(void)
{
	const struct {
		const gchar *in;
		const gchar *out;
	} ok[] = {
	    {"a.txt", "/workspace/a.txt"},
	    {"./d//e/", "/workspace/d/e"},
	    {"../etc/x", "/etc/x"},
	    {"/etc/passwd", "/etc/passwd"},
	    {"/a/b/../c", "/a/c"},
	    {".", "/workspace"},
	};
	const gchar *bad[] = {"../../etc/passwd", "/..", "/../x", "a/../../../b", "", NULL};
	g_autofree gchar *root = tender_session_files_resolve("/", FALSE, NULL);
	g_autofree gchar *long_path = g_strnfill(TENDER_SESSION_PATH_MAX + 1, 'a');

	for (guint i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = tender_session_files_resolve(ok[i].in, TRUE, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(path, ==, ok[i].out);
	}
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = tender_session_files_resolve(bad[i], FALSE, &error);
		g_assert_null(path);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	}
	g_assert_cmpstr(root, ==, "/");
	g_assert_null(tender_session_files_resolve("/", TRUE, NULL));
	g_assert_null(tender_session_files_resolve(long_path, FALSE, NULL));
}

static void
test_record(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session =
	    tender_session_new("u", "s", parse("{\"image\": \"bb\", \"pids_limit\": 9}", NULL));
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(TenderSession) back = NULL;

	session->workspace = g_strdup("/w/u/s");
	tender_session_set_state(session, TENDER_SESSION_STATE_EXPIRED, "idle");
	obj = tender_session_to_json(session);
	back = tender_session_from_json(obj, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(back->workload, ==, "session-u-s");
	g_assert_cmpint(back->state, ==, TENDER_SESSION_STATE_EXPIRED);
	g_assert_cmpstr(back->last_error, ==, "idle");
	g_assert_cmpstr(back->workspace, ==, "/w/u/s");
	g_assert_cmpuint(back->config->pids_limit, ==, 9);
	g_assert_null(tender_session_config_differs(session->config, back->config));
	g_assert_cmpint(tender_session_get_expires_at(back), ==, 0);
}

/* a docker session's record reads back (it has no isolation level of its own) */
static void
test_record_docker(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session = tender_session_new(
	    "u",
	    "d",
	    parse("{\"backend\": \"docker\", \"image\": \"bb\", \"memory_limit\": \"32m\"}", NULL));
	g_autoptr(JsonObject) obj = tender_session_to_json(session);
	g_autoptr(TenderSession) back = tender_session_from_json(obj, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(back->config->backend, ==, "docker");
	g_assert_null(tender_session_config_differs(session->config, back->config));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sessions/ids", test_ids);
	g_test_add_func("/sessions/config/parse", test_config_parse);
	g_test_add_func("/sessions/config/bad", test_config_bad);
	g_test_add_func("/sessions/config/compare", test_config_compare);
	g_test_add_func("/sessions/paths", test_paths);
	g_test_add_func("/sessions/record", test_record);
	g_test_add_func("/sessions/record-docker", test_record_docker);
	return g_test_run();
}
