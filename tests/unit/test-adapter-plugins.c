/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include "exec-config.h"
#include "exec-prometheus.h"
#include "exec-update.h"
#include "script-protocol.h"
#include "tender-adapter.h"
#include "tender-error.h"

/*
 * The parts of the exec and script adapter plugins that need no tenderd: the exec adapter's
 * [exec] group, payloads, live updates and prometheus_file; the script adapter's protocol.
 */

static JsonObject *
tender_test_object(const gchar *json)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string(json, &error);

	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

/* --- the exec adapter --- */

static ExecConfig *
tender_test_exec_config(const gchar *text, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();

	g_assert_true(g_key_file_load_from_data(keyfile, text, -1, G_KEY_FILE_NONE, NULL));
	return exec_config_new_from_keyfile(keyfile, "exec", error);
}

static void
tender_exec_config_good_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ExecConfig) config = NULL;
	ExecUpdateAction *action;

	config = tender_test_exec_config("[exec]\n"
					 "working_directory=/srv\n"
					 "pre_start.10=/bin/echo ten \"two words\"\n"
					 "pre_start.2=/bin/echo two\n"
					 "update.log_level.signal=SIGUSR1\n"
					 "update.log_level.file=/run/app/level\n"
					 "update.reload.signal=hup\n"
					 "update.limit.file=/run/app/limit\n",
					 &error);
	g_assert_no_error(error);
	g_assert_cmpstr(config->working_directory, ==, "/srv");
	g_assert_cmpuint(config->pre_start->len, ==, 2);
	/* by number, not by text */
	g_assert_cmpstr(((gchar **)g_ptr_array_index(config->pre_start, 0))[1], ==, "two");
	g_assert_cmpstr(((gchar **)g_ptr_array_index(config->pre_start, 1))[2], ==, "two words");
	g_assert_cmpuint(config->post_stop->len, ==, 0);
	g_assert_null(config->prometheus_file);
	g_assert_cmpuint(config->updates->len, ==, 3);
	action = g_ptr_array_index(config->updates, 0);
	g_assert_cmpstr(action->key, ==, "log_level");
	g_assert_cmpint(action->signo, ==, SIGUSR1);
	g_assert_cmpstr(action->file, ==, "/run/app/level");
	action = g_ptr_array_index(config->updates, 1);
	g_assert_cmpint(action->signo, ==, SIGHUP);
	g_assert_null(action->file);
	action = g_ptr_array_index(config->updates, 2);
	g_assert_cmpint(action->signo, ==, 0);
}

static void
tender_exec_config_bad_func(void)
{
	const gchar *cases[][2] = {
	    {"[exec]\ncolour=red\n", "[exec] colour: unknown key"},
	    {"[exec]\nworking_directory=srv\n", "[exec] working_directory: must be an absolute"},
	    {"[exec]\npre_start.x=/bin/true\n", "[exec] pre_start.x: must be pre_start.N"},
	    {"[exec]\npre_start.1=/bin/echo 'open\n", "[exec] pre_start.1:"},
	    {"[exec]\nupdate.level.signal=SIGNOPE\n",
	     "[exec] update.level.signal: must be a signal"},
	    {"[exec]\nupdate.level.signal=99\n", "[exec] update.level.signal: must be a signal"},
	    {"[exec]\nupdate.level.file=relative\n",
	     "[exec] update.level.file: must be an absolute"},
	    {"[exec]\nupdate.level.colour=red\n", "[exec] update.level.colour: must be update.KEY"},
	    {"[exec]\nupdate.level=SIGHUP\n", "[exec] update.level: must be update.KEY"},
	    {"[exec]\npost_stop.1000=/bin/true\n",
	     "[exec] post_stop.1000: must be post_stop.N, N from 0 to 999"},
	    {"[exec]\npost_stop.=/bin/true\n", "[exec] post_stop.: must be post_stop.N"},
	    {"[exec]\npost_stop.1=/bin/echo 'open\n", "[exec] post_stop.1:"},
	    {"[exec]\npost_stop=/bin/true\n", "[exec] post_stop: unknown key"},
	    {"[exec]\nprometheus_file=metrics.prom\n",
	     "[exec] prometheus_file: must be an absolute path"},
	    {"[exec]\nprometheus_file=\n", "[exec] prometheus_file: must be an absolute path"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ExecConfig) config = tender_test_exec_config(cases[i][0], &error);
		g_assert_null(config);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		if (strstr(error->message, cases[i][1]) == NULL)
			g_error("case %u: '%s' does not say '%s'", i, error->message, cases[i][1]);
	}
}

/* post_stop.N is read as pre_start.N is, into its own list; prometheus_file is a path */
static void
tender_exec_config_post_stop_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ExecConfig) config = NULL;
	g_autoptr(GString) many = g_string_new("[exec]\n");
	gchar **hook;

	config = tender_test_exec_config("[exec]\n"
					 "pre_start.1=/usr/sbin/tc qdisc replace dev eth0 root\n"
					 "post_stop.20=/bin/sh -c 'echo \"$TENDER_EXIT_CODE\"'\n"
					 "post_stop.3=/usr/sbin/tc qdisc del dev eth0 root\n"
					 "prometheus_file=/run/app/metrics.prom\n",
					 &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->pre_start->len, ==, 1);
	g_assert_cmpstr(((gchar **)g_ptr_array_index(config->pre_start, 0))[2], ==, "replace");
	g_assert_cmpuint(config->post_stop->len, ==, 2);
	/* by number, not by text */
	hook = g_ptr_array_index(config->post_stop, 0);
	g_assert_cmpuint(g_strv_length(hook), ==, 6);
	g_assert_cmpstr(hook[0], ==, "/usr/sbin/tc");
	g_assert_cmpstr(hook[2], ==, "del");
	hook = g_ptr_array_index(config->post_stop, 1);
	g_assert_cmpuint(g_strv_length(hook), ==, 3);
	g_assert_cmpstr(hook[2], ==, "echo \"$TENDER_EXIT_CODE\"");
	g_assert_cmpstr(config->prometheus_file, ==, "/run/app/metrics.prom");
	g_clear_pointer(&config, exec_config_free);

	/* as many hooks of each kind as a spec takes, and no more */
	for (guint i = 0; i < EXEC_CONFIG_HOOKS_MAX; i++)
		g_string_append_printf(many,
				       "pre_start.%u=/bin/true\npost_stop.%u=/bin/true\n",
				       i,
				       i);
	config = tender_test_exec_config(many->str, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->pre_start->len, ==, EXEC_CONFIG_HOOKS_MAX);
	g_assert_cmpuint(config->post_stop->len, ==, EXEC_CONFIG_HOOKS_MAX);
	g_clear_pointer(&config, exec_config_free);
	g_string_append(many, "post_stop.999=/bin/true\n");
	config = tender_test_exec_config(many->str, &error);
	g_assert_null(config);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "[exec] post_stop.999: too many hooks");
}

/* a new directory in the build directory, by its absolute path */
static gchar *
tender_test_make_dir(void)
{
	g_autofree gchar *built = g_test_build_filename(G_TEST_BUILT, "adapters-XXXXXX", NULL);
	g_autofree gchar *template = g_canonicalize_filename(built, NULL);
	gchar *dir = g_mkdtemp(g_steal_pointer(&template));

	g_assert_nonnull(dir);
	return dir;
}

static void
tender_test_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;
	*out = g_object_ref(res);
}

/* reads @path as the exec adapter does, on the main loop */
static gchar **
tender_test_read_prometheus(const gchar *path, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	exec_prometheus_read_async(path, NULL, tender_test_async_cb, &res);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	return exec_prometheus_read_finish(res, error);
}

/* reading @path fails with a message that names it and says @part */
static void
tender_test_read_prometheus_error(const gchar *path, const gchar *part)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = tender_test_read_prometheus(path, &error);

	g_assert_null(lines);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_test_message("%s", error->message);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_nonnull(strstr(error->message, part));
}

static void
tender_exec_prometheus_file_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = tender_test_make_dir();
	g_autofree gchar *path = g_build_filename(dir, "metrics.prom", NULL);
	g_autofree gchar *missing = g_build_filename(dir, "missing.prom", NULL);
	g_autoptr(GString) big = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;
	const gchar *text = "# HELP flows_sent_total Flows sent.\n"
			    "# TYPE flows_sent_total counter\n"
			    "flows_sent_total{link=\"a\"} 42\n"
			    "\n"
			    "not checked here {\n"
			    "flows_active 3";

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	lines = tender_test_read_prometheus(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(lines);
	g_assert_cmpuint(g_strv_length(lines), ==, 5);
	g_assert_cmpstr(lines[0], ==, "# HELP flows_sent_total Flows sent.");
	g_assert_cmpstr(lines[2], ==, "flows_sent_total{link=\"a\"} 42");
	g_assert_cmpstr(lines[3], ==, "not checked here {");
	g_assert_cmpstr(lines[4], ==, "flows_active 3");
	g_clear_pointer(&lines, g_strfreev);

	/* a file the workload has not written (yet) has no lines, and is no error */
	lines = tender_test_read_prometheus(missing, &error);
	g_assert_no_error(error);
	g_assert_null(lines);
	g_assert_true(g_file_set_contents(path, "", -1, NULL));
	lines = tender_test_read_prometheus(path, &error);
	g_assert_no_error(error);
	g_assert_null(lines);

	/* 1 MiB is read, a byte more is an error that names the file */
	while (big->len < EXEC_PROMETHEUS_FILE_MAX)
		g_string_append(big, "a 1\n");
	g_assert_cmpuint(big->len, ==, EXEC_PROMETHEUS_FILE_MAX);
	g_assert_true(g_file_set_contents(path, big->str, (gssize)big->len, NULL));
	lines = tender_test_read_prometheus(path, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, EXEC_PROMETHEUS_FILE_MAX / 4);
	g_clear_pointer(&lines, g_strfreev);
	g_string_append_c(big, 'b');
	g_assert_true(g_file_set_contents(path, big->str, (gssize)big->len, NULL));
	tender_test_read_prometheus_error(path, "is larger than 1048576 bytes");
	/* no text is an error that names the file */
	g_assert_true(g_file_set_contents(path, "a 1\n\0b 2\n", 8, NULL));
	tender_test_read_prometheus_error(path, "it has a NUL byte");
	/* only a regular file is read: a device without an end, a directory, and a FIFO, whose
	 * opening would wait for a writer (and the instance's operations with it) are not */
	tender_test_read_prometheus_error("/dev/zero", "is not a regular file");
	tender_test_read_prometheus_error(dir, "is not a regular file");
	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(mkfifo(path, 0600), ==, 0);
	tender_test_read_prometheus_error(path, "is not a regular file");

	g_assert_cmpint(g_unlink(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

/* data/adapters/exec-example.conf, with every key it shows uncommented, is a good [exec] */
static void
tender_exec_example_func(void)
{
	g_autofree gchar *path =
	    g_test_build_filename(G_TEST_DIST, "..", "data", "adapters", "exec-example.conf", NULL);
	g_autofree gchar *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GString) uncommented = g_string_new(NULL);
	g_autoptr(ExecConfig) config = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		const gchar *line = lines[i];
		if (line[0] == '#' && g_ascii_islower(line[1]))
			line++;
		g_string_append_printf(uncommented, "%s\n", line);
	}
	config = tender_test_exec_config(uncommented->str, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(config->pre_start->len, ==, 1);
	g_assert_cmpuint(config->post_stop->len, ==, 1);
	g_assert_cmpstr(((gchar **)g_ptr_array_index(config->post_stop, 0))[2], ==, "del");
	g_assert_true(g_path_is_absolute(config->prometheus_file));
	g_assert_cmpuint(config->updates->len, ==, 2);
}

static void
tender_exec_plan_update_func(void)
{
	g_autoptr(ExecConfig) config = tender_test_exec_config("[exec]\n"
							       "update.log_level.signal=USR1\n"
							       "update.limit.file=/run/limit\n",
							       NULL);
	g_autoptr(JsonObject) both = tender_test_object("{\"limit\": 5, \"log_level\": \"debug\"}");
	g_autoptr(JsonObject) unknown = tender_test_object("{\"limit\": 5, \"colour\": \"red\"}");
	g_autoptr(JsonObject) empty = tender_test_object("{}");
	g_autoptr(ExecConfig) no_updates =
	    tender_test_exec_config("[exec]\nworking_directory=/srv\n", NULL);
	g_autoptr(GPtrArray) plan = NULL;
	g_autofree gchar *unsupported = NULL;
	g_autofree gchar *none = NULL;
	g_autofree gchar *never = NULL;
	gint result = -1;

	plan = exec_config_plan_update(config, both, &result, NULL);
	g_assert_nonnull(plan);
	g_assert_cmpuint(plan->len, ==, 2);
	g_assert_cmpstr(((ExecUpdateAction *)g_ptr_array_index(plan, 0))->key, ==, "limit");
	/* an instance with update keys declines an update it has no action for */
	g_assert_null(exec_config_plan_update(config, unknown, &result, &unsupported));
	g_assert_cmpstr(unsupported, ==, "colour");
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_DECLINED);
	result = -1;
	g_assert_null(exec_config_plan_update(config, empty, &result, &none));
	g_assert_cmpstr(none, ==, "");
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_DECLINED);
	/* one without any does no live updates at all */
	g_assert_null(exec_config_plan_update(no_updates, both, &result, &never));
	g_assert_cmpstr(never, ==, "limit");
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_UNSUPPORTED);
	result = -1;
	g_assert_null(exec_config_plan_update(no_updates, empty, &result, NULL));
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_UNSUPPORTED);
}

/* the signals an update sent, or the error of the one that fails */
typedef struct {
	GArray *sent;
	gint fail;
} TenderTestKill;

static gboolean
tender_test_kill_cb(gpointer user_data, gint signo, GError **error)
{
	TenderTestKill *kill = user_data;

	if (signo == kill->fail) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "Workload 'adapter-x' is stopped, not running");
		return FALSE;
	}
	g_array_append_val(kill->sent, signo);
	return TRUE;
}

static void
tender_exec_apply_update_func(void)
{
	g_autofree gchar *dir = tender_test_make_dir();
	g_autofree gchar *level = g_build_filename(dir, "level", NULL);
	g_autofree gchar *gone = g_build_filename(dir, "gone", "limit", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = g_strdup_printf("[exec]\n"
						 "update.log_level.file=%s\n"
						 "update.log_level.signal=USR1\n"
						 "update.reload.signal=HUP\n"
						 "update.again.signal=USR1\n"
						 "update.limit.file=%s\n",
						 level,
						 gone);
	g_autoptr(ExecConfig) config = tender_test_exec_config(text, &error);
	g_autoptr(JsonObject) payload = tender_test_object(
	    "{\"again\": 1, \"log_level\": {\"a\": 1}, \"reload\": true, \"limit\": 5}");
	g_autoptr(GArray) sent = g_array_new(FALSE, FALSE, sizeof(gint));
	TenderTestKill kill = {sent, 0};
	g_autoptr(GPtrArray) plan = NULL;
	g_autoptr(GPtrArray) no_limit = NULL;
	g_autofree gchar *contents = NULL;
	gint result = -1;

	g_assert_no_error(error);
	plan = exec_config_plan_update(config, payload, &result, NULL);
	g_assert_nonnull(plan);

	/* a file that cannot be written: an error that says which, and no signal is sent */
	g_assert_false(exec_update_apply(plan, payload, tender_test_kill_cb, &kill, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_true(g_str_has_prefix(error->message, "Cannot apply update key 'limit': "));
	g_assert_nonnull(strstr(error->message, gone));
	g_assert_cmpuint(sent->len, ==, 0);
	g_clear_error(&error);

	/* the files, then each signal once */
	for (guint i = 0; i < plan->len; i++) {
		ExecUpdateAction *action = g_ptr_array_index(plan, i);
		if (g_strcmp0(action->key, "limit") == 0)
			g_ptr_array_remove_index(plan, i);
	}
	no_limit = g_steal_pointer(&plan);
	g_assert_cmpuint(no_limit->len, ==, 3);
	g_assert_true(exec_update_apply(no_limit, payload, tender_test_kill_cb, &kill, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(level, &contents, NULL, NULL));
	g_assert_cmpstr(contents, ==, "{\"a\":1}\n");
	g_assert_cmpuint(sent->len, ==, 2);
	g_assert_cmpint(g_array_index(sent, gint, 0) + g_array_index(sent, gint, 1),
			==,
			SIGUSR1 + SIGHUP);

	/* a signal that cannot be sent */
	kill.fail = SIGHUP;
	g_assert_false(exec_update_apply(no_limit, payload, tender_test_kill_cb, &kill, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_assert_cmpstr(error->message,
			==,
			"Cannot apply the update: cannot send signal 1 to the workload: "
			"Workload 'adapter-x' is stopped, not running");

	g_assert_cmpint(g_unlink(level), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
tender_exec_command_func(void)
{
	g_autoptr(JsonObject) payload = tender_test_object(
	    "{\"array\": [\"sleep\", \"10\"], \"line\": \"sh -c 'echo $HOME; x'\", "
	    "\"empty\": [], \"mixed\": [\"a\", 1], \"number\": 5, \"open\": \"echo 'x\"}");
	const gchar *bad[] = {"empty", "mixed", "number", "open", "absent"};
	g_auto(GStrv) array = NULL;
	g_auto(GStrv) line = NULL;

	array = exec_config_parse_command(json_object_get_member(payload, "array"), "array", NULL);
	g_assert_cmpuint(g_strv_length(array), ==, 2);
	g_assert_cmpstr(array[1], ==, "10");
	line = exec_config_parse_command(json_object_get_member(payload, "line"), "line", NULL);
	g_assert_cmpuint(g_strv_length(line), ==, 3);
	g_assert_cmpstr(line[2], ==, "echo $HOME; x");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) argv =
		    exec_config_parse_command(json_object_get_member(payload, bad[i]),
					      bad[i],
					      &error);
		g_assert_null(argv);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i]));
	}
}

static void
tender_exec_env_func(void)
{
	g_autoptr(JsonObject) payload = tender_test_object(
	    "{\"command\": [\"x\"], \"band-width\": 20, \"name\": \"a; rm -rf /\", "
	    "\"on\": true, \"list\": [1, 2], \"nothing\": null}");
	g_auto(GStrv) env = exec_config_build_env(payload, "command", NULL);
	g_autofree gchar *name = exec_config_env_name("a.b-c");

	g_assert_cmpstr(name, ==, "TENDER_PAYLOAD_A_B_C");
	g_assert_nonnull(env);
	g_assert_cmpuint(g_strv_length(env), ==, 5);
	g_assert_true(g_strv_contains((const gchar *const *)env, "TENDER_PAYLOAD_BAND_WIDTH=20"));
	/* a value is data, as it is */
	g_assert_true(
	    g_strv_contains((const gchar *const *)env, "TENDER_PAYLOAD_NAME=a; rm -rf /"));
	g_assert_true(g_strv_contains((const gchar *const *)env, "TENDER_PAYLOAD_ON=true"));
	g_assert_true(g_strv_contains((const gchar *const *)env, "TENDER_PAYLOAD_LIST=[1,2]"));
	g_assert_true(g_strv_contains((const gchar *const *)env, "TENDER_PAYLOAD_NOTHING="));
}

/* --- the script adapter's protocol --- */

static void
tender_script_request_func(void)
{
	g_autoptr(JsonObject) payload = tender_test_object("{\"flowfile\": \"/x\"}");
	g_autofree gchar *line = script_protocol_request("update", "flows", payload, 42);
	g_autofree gchar *stop = script_protocol_request("stop", "flows", NULL, 0);

	g_assert_cmpstr(line,
			==,
			"{\"op\":\"update\",\"instance\":\"flows\",\"payload\":{\"flowfile\":"
			"\"/x\"},\"main_pid\":42}\n");
	g_assert_cmpstr(stop,
			==,
			"{\"op\":\"stop\",\"instance\":\"flows\",\"payload\":null,\"main_pid\":0}"
			"\n");
}

static JsonObject *
tender_test_reply(const gchar *output, GError **error)
{
	return script_protocol_parse_reply(output, strlen(output), error);
}

static void
tender_script_reply_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) reply = NULL;
	g_autoptr(GString) deep = g_string_new(NULL);
	const gchar *bad[] = {"", "\n{}", "not json\n", "[1]\n", "{\"a\": 1"};

	reply = tender_test_reply("{\"result\": \"applied\"}\nignored\n", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(reply, "result"), ==, "applied");
	g_clear_pointer(&reply, json_object_unref);

	/* the script's refusal is its own message */
	reply = tender_test_reply("{\"error\": \"no flowfile named x\"}\n", &error);
	g_assert_null(reply);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "no flowfile named x");
	g_clear_error(&error);

	/* a program that wrote nothing at all */
	reply = script_protocol_parse_reply(NULL, 0, &error);
	g_assert_null(reply);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&error);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		reply = tender_test_reply(bad[i], &error);
		g_assert_null(reply);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		g_clear_error(&error);
	}

	/* a reply nested deeper than the limit is refused before it is parsed: as the script's
	 * failure, not as its own message */
	for (guint i = 0; i < 400000; i++)
		g_string_append_c(deep, '[');
	g_string_append_c(deep, '\n');
	reply = script_protocol_parse_reply(deep->str, deep->len, &error);
	g_assert_null(reply);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message,
			==,
			"The adapter script's reply is not JSON: "
			"it nests deeper than the limit of 64 levels");
}

static void
tender_script_start_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) reply =
	    tender_test_object("{\"argv\": [\"sleep\", \"100\"], \"env\": {\"A\": \"1\"}, "
			       "\"working_directory\": \"/tmp\"}");
	g_autoptr(GVariant) spec = script_protocol_parse_start(reply, &error);
	const gchar *bad[] = {
	    "{}",
	    "{\"argv\": []}",
	    "{\"argv\": \"sleep 1\"}",
	    "{\"argv\": [\"a\", 1]}",
	    "{\"argv\": [\"a\"], \"env\": {\"A\": 1}}",
	    "{\"argv\": [\"a\"], \"env\": {\"A=B\": \"1\"}}",
	    "{\"argv\": [\"a\"], \"user\": \"root\"}",
	};
	g_autofree const gchar **argv = NULL;
	g_autofree const gchar **env = NULL;
	const gchar *dir = NULL;

	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(spec, "argv", "^a&s", &argv));
	g_assert_cmpstr(argv[1], ==, "100");
	g_assert_true(g_variant_lookup(spec, "env", "^a&s", &env));
	g_assert_cmpstr(env[0], ==, "A=1");
	g_assert_true(g_variant_lookup(spec, "working_directory", "&s", &dir));
	g_assert_cmpstr(dir, ==, "/tmp");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonObject) r = tender_test_object(bad[i]);
		g_autoptr(GVariant) s = script_protocol_parse_start(r, &error);
		g_assert_null(s);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		g_clear_error(&error);
	}
}

static void
tender_script_other_replies_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) commands = tender_test_object("{\"commands\": [[\"tc\", \"x\"]]}");
	g_autoptr(JsonObject) empty = tender_test_object("{}");
	g_autoptr(JsonObject) bad_commands = tender_test_object("{\"commands\": [\"tc x\"]}");
	g_autoptr(JsonObject) applied = tender_test_object("{\"result\": \"applied\"}");
	g_autoptr(JsonObject) not_running = tender_test_object("{\"result\": \"not-running\"}");
	g_autoptr(JsonObject) maybe = tender_test_object("{\"result\": \"maybe\"}");
	const struct {
		const gchar *json;
		gint result;
	} results[] = {
	    {"{\"result\": \"declined\"}", TENDER_ADAPTER_UPDATE_DECLINED},
	    {"{\"result\": \"unsupported\"}", TENDER_ADAPTER_UPDATE_UNSUPPORTED},
	};
	g_autoptr(JsonObject) metrics = tender_test_object("{\"metrics\": {\"flows\": 3}}");
	g_autoptr(JsonObject) bad_metrics = tender_test_object("{\"metrics\": 3}");
	g_autoptr(GVariant) hooks = NULL;
	g_autoptr(JsonObject) m = NULL;
	gint result = -1;

	g_assert_true(script_protocol_parse_hooks(commands, "pre_start", &hooks, &error));
	g_assert_cmpstr(g_variant_get_type_string(hooks), ==, "aas");
	g_assert_cmpuint(g_variant_n_children(hooks), ==, 1);
	g_clear_pointer(&hooks, g_variant_unref);
	g_assert_true(script_protocol_parse_hooks(empty, "pre_start", &hooks, &error));
	g_assert_null(hooks);
	g_assert_false(script_protocol_parse_hooks(bad_commands, "pre_start", &hooks, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&error);

	g_assert_true(script_protocol_parse_update(applied, &result, NULL));
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_APPLIED);
	g_assert_true(script_protocol_parse_update(not_running, &result, NULL));
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_NOT_RUNNING);
	g_assert_true(script_protocol_parse_update(empty, &result, NULL));
	g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_UNSUPPORTED);
	g_assert_false(script_protocol_parse_update(maybe, &result, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "\"declined\""));
	g_clear_error(&error);
	for (guint i = 0; i < G_N_ELEMENTS(results); i++) {
		g_autoptr(JsonObject) reply = tender_test_object(results[i].json);
		g_assert_true(script_protocol_parse_update(reply, &result, NULL));
		g_assert_cmpint(result, ==, results[i].result);
	}

	g_assert_true(script_protocol_parse_metrics(metrics, &m, NULL));
	g_assert_cmpint(json_object_get_int_member(m, "flows"), ==, 3);
	g_clear_pointer(&m, json_object_unref);
	g_assert_true(script_protocol_parse_metrics(empty, &m, NULL));
	g_assert_null(m);
	g_assert_false(script_protocol_parse_metrics(bad_metrics, &m, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
}

/* post_stop's reply is pre_start's, its messages name post_stop */
static void
tender_script_post_stop_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) payload = tender_test_object("{\"flowfile\": \"/x\"}");
	g_autofree gchar *request = script_protocol_request("post_stop", "flows", payload, 0);
	g_autoptr(JsonObject) commands =
	    tender_test_object("{\"commands\": [[\"tc\", \"qdisc\", \"del\", \"dev\", \"eth0\", "
			       "\"root\"], [\"true\"]]}");
	g_autoptr(GVariant) hooks = NULL;
	const gchar *bad[][2] = {
	    {"{\"commands\": \"tc qdisc del dev eth0 root\"}",
	     "The adapter script's reply to post_stop needs \"commands\": an array"},
	    {"{\"commands\": [[]]}",
	     "The adapter script's reply to post_stop has a command that is not a non-empty array "
	     "of strings"},
	    {"{\"commands\": [[\"tc\", 1]]}", "reply to post_stop has a command"},
	    {"{\"commands\": [null]}", "reply to post_stop has a command"},
	};
	g_autofree const gchar **first = NULL;

	g_assert_cmpstr(request,
			==,
			"{\"op\":\"post_stop\",\"instance\":\"flows\",\"payload\":{\"flowfile\":"
			"\"/x\"},\"main_pid\":0}\n");
	g_assert_true(script_protocol_parse_hooks(commands, "post_stop", &hooks, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_variant_n_children(hooks), ==, 2);
	g_variant_get_child(hooks, 0, "^a&s", &first);
	g_assert_cmpuint(g_strv_length((gchar **)first), ==, 6);
	g_assert_cmpstr(first[2], ==, "del");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonObject) reply = tender_test_object(bad[i][0]);
		g_autoptr(GVariant) none = NULL;

		g_assert_false(script_protocol_parse_hooks(reply, "post_stop", &none, &error));
		g_assert_null(none);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		if (strstr(error->message, bad[i][1]) == NULL)
			g_error("case %u: '%s' does not say '%s'", i, error->message, bad[i][1]);
		g_clear_error(&error);
	}
}

static void
tender_script_prometheus_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) good = tender_test_object(
	    "{\"lines\": [\"# HELP flows_sent_total Flows sent.\", "
	    "\"# TYPE flows_sent_total counter\", \"flows_sent_total{link=\\\"a\\\"} 42\", "
	    "\"not checked here {\"]}");
	g_autoptr(JsonObject) empty = tender_test_object("{}");
	g_autoptr(JsonObject) no_lines = tender_test_object("{\"lines\": []}");
	g_autoptr(GString) most = g_string_new("{\"lines\": [");
	g_auto(GStrv) lines = NULL;
	const gchar *bad[][2] = {
	    {"{\"lines\": \"a 1\\nb 2\"}", "to prometheus needs \"lines\": an array of strings"},
	    {"{\"lines\": null}", "to prometheus needs \"lines\": an array of strings"},
	    {"{\"lines\": [\"a 1\", 2]}",
	     "to prometheus has a line 1 that is not a string without a newline"},
	    {"{\"lines\": [null]}", "has a line 0 that is not a string"},
	    {"{\"lines\": [[\"a 1\"]]}", "has a line 0 that is not a string"},
	    {"{\"lines\": [\"a 1\\nb 2\"]}", "has a line 0 that is not a string without a newline"},
	};

	g_assert_true(script_protocol_parse_prometheus(good, &lines, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(lines), ==, 4);
	g_assert_cmpstr(lines[0], ==, "# HELP flows_sent_total Flows sent.");
	g_assert_cmpstr(lines[2], ==, "flows_sent_total{link=\"a\"} 42");
	/* not checked as Prometheus text: the core does */
	g_assert_cmpstr(lines[3], ==, "not checked here {");
	g_clear_pointer(&lines, g_strfreev);
	g_assert_true(script_protocol_parse_prometheus(empty, &lines, &error));
	g_assert_null(lines);
	g_assert_true(script_protocol_parse_prometheus(no_lines, &lines, &error));
	g_assert_null(lines);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonObject) reply = tender_test_object(bad[i][0]);

		g_assert_false(script_protocol_parse_prometheus(reply, &lines, &error));
		g_assert_null(lines);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		if (strstr(error->message, bad[i][1]) == NULL)
			g_error("case %u: '%s' does not say '%s'", i, error->message, bad[i][1]);
		g_clear_error(&error);
	}

	/* 10,000 lines, and not one more */
	for (guint i = 0; i < SCRIPT_PROTOCOL_LINES_MAX; i++)
		g_string_append_printf(most, "%s\"a %u\"", i > 0 ? ", " : "", i);
	g_string_append(most, "]}");
	{
		g_autoptr(JsonObject) reply = tender_test_object(most->str);
		g_assert_true(script_protocol_parse_prometheus(reply, &lines, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(g_strv_length(lines), ==, 10000);
		g_assert_cmpstr(lines[9999], ==, "a 9999");
		g_clear_pointer(&lines, g_strfreev);
	}
	g_string_truncate(most, most->len - 2);
	g_string_append(most, ", \"one more 1\"]}");
	{
		g_autoptr(JsonObject) reply = tender_test_object(most->str);
		g_assert_false(script_protocol_parse_prometheus(reply, &lines, &error));
		g_assert_null(lines);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		g_assert_cmpstr(error->message,
				==,
				"The adapter script's reply to prometheus has more than 10000 "
				"lines");
	}
}

/* each op's reply by its own parser, as the value its task returns */
static void
tender_script_parse_value_func(void)
{
	g_autoptr(JsonObject) start = tender_test_object("{\"argv\": [\"sleep\", \"1\"]}");
	g_autoptr(JsonObject) commands = tender_test_object("{\"commands\": [[\"true\"]]}");
	g_autoptr(JsonObject) metrics = tender_test_object("{\"metrics\": {\"flows\": 3}}");
	g_autoptr(JsonObject) lines = tender_test_object("{\"lines\": [\"flows 3\"]}");
	g_autoptr(JsonObject) empty = tender_test_object("{}");
	struct {
		const gchar *op;
		JsonObject *reply;
		GDestroyNotify destroy;
	} cases[] = {
	    {"start", start, (GDestroyNotify)g_variant_unref},
	    {"pre_start", commands, (GDestroyNotify)g_variant_unref},
	    {"post_stop", commands, (GDestroyNotify)g_variant_unref},
	    {"metrics", metrics, (GDestroyNotify)json_object_unref},
	    {"prometheus", lines, (GDestroyNotify)g_strfreev},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gpointer value = NULL;
		GDestroyNotify destroy = NULL;

		g_test_message("%s", cases[i].op);
		g_assert_true(script_protocol_parse_value(cases[i].op,
							  cases[i].reply,
							  &value,
							  &destroy,
							  &error));
		g_assert_no_error(error);
		g_assert_nonnull(value);
		g_assert_true(destroy == cases[i].destroy);
		if (destroy == (GDestroyNotify)g_variant_unref)
			g_assert_cmpstr(g_variant_get_type_string(value),
					==,
					i == 0 ? "a{sv}" : "aas");
		if (destroy == (GDestroyNotify)g_strfreev)
			g_assert_cmpstr(((gchar **)value)[0], ==, "flows 3");
		destroy(value);
		/* {} is none, but for start, which needs argv */
		g_assert_cmpint(script_protocol_parse_value(cases[i].op,
							    empty,
							    &value,
							    &destroy,
							    &error),
				==,
				i != 0);
		g_assert_null(value);
		g_assert_true(i == 0 ? error != NULL : error == NULL);
	}
}

/* data/adapters/script-example.py answers every op as the protocol wants */
static void
tender_script_example_func(void)
{
	g_autofree gchar *python = g_find_program_in_path("python3");
	g_autofree gchar *path =
	    g_test_build_filename(G_TEST_DIST, "..", "data", "adapters", "script-example.py", NULL);
	g_autoptr(JsonObject) payload = tender_test_object("{\"flowfile\": \"/srv/flows\"}");
	g_autoptr(JsonObject) colour = tender_test_object("{\"colour\": \"red\"}");
	const gchar *ops[] = {"start", "pre_start", "post_stop", "metrics", "prometheus", "update"};

	if (python == NULL) {
		g_test_skip("no python3");
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(ops); i++) {
		gboolean update = g_strcmp0(ops[i], "update") == 0;
		/* the update is one the example declines: it signals nothing */
		g_autofree gchar *request =
		    script_protocol_request(ops[i], "flows", update ? colour : payload, 0);
		g_autoptr(GSubprocess) subprocess = NULL;
		g_autoptr(JsonObject) reply = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *output = NULL;
		gpointer value = NULL;
		GDestroyNotify destroy = NULL;
		gint result = -1;

		g_test_message("%s", ops[i]);
		subprocess =
		    g_subprocess_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
				     &error,
				     python,
				     path,
				     NULL);
		g_assert_no_error(error);
		g_assert_true(g_subprocess_communicate_utf8(subprocess,
							    request,
							    NULL,
							    &output,
							    NULL,
							    &error));
		g_assert_no_error(error);
		g_assert_true(g_subprocess_get_successful(subprocess));
		reply = script_protocol_parse_reply(output, strlen(output), &error);
		g_assert_no_error(error);
		if (update) {
			g_assert_true(script_protocol_parse_update(reply, &result, &error));
			g_assert_cmpint(result, ==, TENDER_ADAPTER_UPDATE_DECLINED);
			continue;
		}
		g_assert_true(script_protocol_parse_value(ops[i], reply, &value, &destroy, &error));
		g_assert_no_error(error);
		g_assert_nonnull(value);
		destroy(value);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/adapter/exec/config/good", tender_exec_config_good_func);
	g_test_add_func("/adapter/exec/config/bad", tender_exec_config_bad_func);
	g_test_add_func("/adapter/exec/config/post-stop", tender_exec_config_post_stop_func);
	g_test_add_func("/adapter/exec/prometheus-file", tender_exec_prometheus_file_func);
	g_test_add_func("/adapter/exec/example", tender_exec_example_func);
	g_test_add_func("/adapter/exec/plan-update", tender_exec_plan_update_func);
	g_test_add_func("/adapter/exec/apply-update", tender_exec_apply_update_func);
	g_test_add_func("/adapter/exec/command", tender_exec_command_func);
	g_test_add_func("/adapter/exec/env", tender_exec_env_func);
	g_test_add_func("/adapter/script/request", tender_script_request_func);
	g_test_add_func("/adapter/script/reply", tender_script_reply_func);
	g_test_add_func("/adapter/script/start", tender_script_start_func);
	g_test_add_func("/adapter/script/other-replies", tender_script_other_replies_func);
	g_test_add_func("/adapter/script/post-stop", tender_script_post_stop_func);
	g_test_add_func("/adapter/script/prometheus", tender_script_prometheus_func);
	g_test_add_func("/adapter/script/parse-value", tender_script_parse_value_func);
	g_test_add_func("/adapter/script/example", tender_script_example_func);
	return g_test_run();
}
