/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tender-health.h"
#include "tender-health-tracker.h"
#include "tender-scope-runtime.h"

#define SEC G_USEC_PER_SEC

static void
test_health_status_strings(void)
{
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_NONE), ==, "none");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_STARTING),
			==,
			"starting");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_HEALTHY),
			==,
			"healthy");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_UNHEALTHY),
			==,
			"unhealthy");
	g_assert_null(tender_health_status_to_string(TENDER_HEALTH_STATUS_LAST));
}

static void
test_health_retries(void)
{
	TenderHealthTracker t;

	tender_health_tracker_init(&t, 3, 0);
	g_assert_cmpint(t.status, ==, TENDER_HEALTH_STATUS_STARTING);
	/* failures before the retries are used up leave the status as it is */
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 2 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 3 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 4 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	/* one success is enough to be healthy again, and clears the count */
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 5 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpuint(t.failures, ==, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 6 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 7 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	/* a success in between starts the count again */
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 8 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 9 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 10 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 11 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_one_retry(void)
{
	TenderHealthTracker t;

	tender_health_tracker_init(&t, 1, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	/* 0 retries would make no sense: it counts as 1 */
	tender_health_tracker_init(&t, 0, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_start_period(void)
{
	TenderHealthTracker t;

	/* the start period ends at 10 s: failures of checks begun before do not count */
	tender_health_tracker_init(&t, 2, 10 * SEC);
	for (gint64 when = 0; when < 10 * SEC; when += SEC)
		g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, when),
				==,
				TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpuint(t.failures, ==, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 10 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 11 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_start_period_success(void)
{
	TenderHealthTracker t;

	/* a success within the start period counts, and ends the period */
	tender_health_tracker_init(&t, 2, 100 * SEC);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 2 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 3 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 4 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

/* --- TenderHealth with a command, against a fixture cgroup tree --- */

#define SCOPE "/tender.slice/tender-t.scope"

typedef struct {
	gchar *root;   /* a v2 fixture tree */
	gchar *procs;  /* its SCOPE/cgroup.procs */
	gchar *marker; /* the check command creates it */
	GMainLoop *loop;
	GArray *statuses;
} HealthFixture;

static void
health_fixture_set_up(HealthFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *controllers = NULL;
	g_autofree gchar *scope = NULL;

	fx->root = g_dir_make_tmp("tender-health-XXXXXX", &error);
	g_assert_no_error(error);
	controllers = g_build_filename(fx->root, "cgroup.controllers", NULL);
	g_assert_true(g_file_set_contents(controllers, "pids\n", -1, &error));
	scope = g_build_filename(fx->root, SCOPE, NULL);
	g_assert_cmpint(g_mkdir_with_parents(scope, 0755), ==, 0);
	fx->procs = g_build_filename(scope, "cgroup.procs", NULL);
	fx->marker = g_build_filename(fx->root, "marker", NULL);
	fx->loop = g_main_loop_new(NULL, FALSE);
	fx->statuses = g_array_new(FALSE, FALSE, sizeof(guint));
}

static void
health_fixture_tear_down(HealthFixture *fx, gconstpointer data)
{
	g_autofree gchar *scope = g_path_get_dirname(fx->procs);
	g_autofree gchar *slice = g_path_get_dirname(scope);
	g_autofree gchar *controllers = g_build_filename(fx->root, "cgroup.controllers", NULL);

	(void)g_unlink(fx->marker);
	if (g_file_test(fx->procs, G_FILE_TEST_IS_DIR))
		g_assert_cmpint(g_rmdir(fx->procs), ==, 0);
	else
		g_assert_cmpint(g_unlink(fx->procs), ==, 0);
	g_assert_cmpint(g_rmdir(scope), ==, 0);
	g_assert_cmpint(g_rmdir(slice), ==, 0);
	g_assert_cmpint(g_unlink(controllers), ==, 0);
	g_assert_cmpint(g_rmdir(fx->root), ==, 0);
	g_free(fx->root);
	g_free(fx->procs);
	g_free(fx->marker);
	g_main_loop_unref(fx->loop);
	g_array_unref(fx->statuses);
}

static void
health_status_cb(TenderHealth *health, guint status, gpointer user_data)
{
	HealthFixture *fx = user_data;

	g_array_append_val(fx->statuses, status);
	g_main_loop_quit(fx->loop);
}

static gboolean
health_too_late_cb(gpointer user_data)
{
	g_assert_not_reached();
	return G_SOURCE_REMOVE;
}

/* runs @command as the health check of a workload in SCOPE until the status changes */
static TenderHealthStatus
health_run(HealthFixture *fx, const gchar *command)
{
	g_autofree gchar *text =
	    g_strdup_printf("{'argv': <['true']>, 'health': <{'command': <['sh', '-c', '%s']>, "
			    "'interval_sec': <uint32 1>, 'timeout_sec': <uint32 1>, "
			    "'retries': <uint32 1>}>}",
			    command);
	g_autoptr(GVariant) value = g_variant_ref_sink(g_variant_new_parsed(text));
	g_autoptr(GError) error = NULL;
	TenderSpec *spec = tender_spec_new_from_variant(value, &error);
	g_autoptr(TenderWorkload) workload = NULL;
	g_autoptr(TenderScopeRuntime) runtime =
	    tender_scope_runtime_new(fx->root, NULL, "tender-shim", fx->root);
	g_autoptr(TenderRuntimeRun) run = NULL;
	g_autoptr(TenderHealth) health = NULL;
	guint guard;

	g_assert_no_error(error);
	workload = tender_workload_new("t", spec);
	tender_workload_set_control_group(workload, SCOPE);
	run = tender_runtime_new_run(TENDER_RUNTIME(runtime), workload);
	health = tender_health_new(workload, run);
	g_assert_cmpint(tender_health_get_status(health), ==, TENDER_HEALTH_STATUS_STARTING);
	g_signal_connect(health, "status-changed", G_CALLBACK(health_status_cb), fx);
	tender_health_start(health);
	guard = g_timeout_add_seconds(60, health_too_late_cb, NULL);
	g_main_loop_run(fx->loop);
	g_source_remove(guard);
	g_assert_cmpuint(fx->statuses->len, ==, 1);
	return tender_health_get_status(health);
}

static void
test_health_command_joins(HealthFixture *fx, gconstpointer data)
{
	g_autofree gchar *command = g_strdup_printf("touch %s", fx->marker);
	g_autofree gchar *written = NULL;

	/* a plain file stands for cgroup.procs: the child writes "0" into it, then runs */
	g_assert_true(g_file_set_contents(fx->procs, "", -1, NULL));
	g_assert_cmpint(health_run(fx, command), ==, TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_true(g_file_test(fx->marker, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_get_contents(fx->procs, &written, NULL, NULL));
	g_assert_cmpstr(written, ==, "0");
}

static void
test_health_command_cannot_join(HealthFixture *fx, gconstpointer data)
{
	g_autofree gchar *command = g_strdup_printf("touch %s", fx->marker);

	/* cgroup.procs cannot be written: the command must not run, and the check fails */
	g_assert_cmpint(g_mkdir(fx->procs, 0755), ==, 0);
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*could not join*Is a directory*");
	g_assert_cmpint(health_run(fx, command), ==, TENDER_HEALTH_STATUS_UNHEALTHY);
	g_test_assert_expected_messages();
	g_assert_false(g_file_test(fx->marker, G_FILE_TEST_EXISTS));
}

/* is @pid there, and not a zombie? */
static gboolean
health_pid_alive(GPid pid)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/stat", (gint)pid);
	g_autofree gchar *stat = NULL;
	const gchar *end;

	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return FALSE;
	end = strrchr(stat, ')');
	return end != NULL && end[1] == ' ' && end[2] != 'Z';
}

static void
test_health_command_timeout(HealthFixture *fx, gconstpointer data)
{
	/* killed after timeout_sec (not after 300 s), with what it started */
	g_autofree gchar *command =
	    g_strdup_printf("sleep 300 & echo $! > %s; wait; touch %s", fx->marker, fx->marker);
	g_autofree gchar *text = NULL;
	guint64 pid = 0;

	g_assert_true(g_file_set_contents(fx->procs, "", -1, NULL));
	g_assert_cmpint(health_run(fx, command), ==, TENDER_HEALTH_STATUS_UNHEALTHY);
	g_assert_true(g_file_get_contents(fx->marker, &text, NULL, NULL));
	g_assert_true(g_ascii_string_to_unsigned(g_strstrip(text), 10, 1, G_MAXINT, &pid, NULL));
	for (guint i = 0; i < 1000 && health_pid_alive((GPid)pid); i++)
		g_usleep(10000);
	g_assert_false(health_pid_alive((GPid)pid));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/health/status-strings", test_health_status_strings);
	g_test_add_func("/health/retries", test_health_retries);
	g_test_add_func("/health/one-retry", test_health_one_retry);
	g_test_add_func("/health/start-period", test_health_start_period);
	g_test_add_func("/health/start-period-success", test_health_start_period_success);
	g_test_add("/health/command/joins",
		   HealthFixture,
		   NULL,
		   health_fixture_set_up,
		   test_health_command_joins,
		   health_fixture_tear_down);
	g_test_add("/health/command/cannot-join",
		   HealthFixture,
		   NULL,
		   health_fixture_set_up,
		   test_health_command_cannot_join,
		   health_fixture_tear_down);
	g_test_add("/health/command/timeout",
		   HealthFixture,
		   NULL,
		   health_fixture_set_up,
		   test_health_command_timeout,
		   health_fixture_tear_down);
	return g_test_run();
}
