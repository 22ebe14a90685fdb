/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
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

/* the statuses a TenderHealth tells of, and a loop that runs until it tells one */
typedef struct {
	GMainLoop *loop;
	GArray *statuses;
} HealthStatuses;

static void
health_statuses_init(HealthStatuses *st)
{
	st->loop = g_main_loop_new(NULL, FALSE);
	st->statuses = g_array_new(FALSE, FALSE, sizeof(guint));
}

static void
health_statuses_clear(HealthStatuses *st)
{
	g_main_loop_unref(st->loop);
	g_array_unref(st->statuses);
}

static void
health_status_cb(TenderHealth *health, guint status, gpointer user_data)
{
	HealthStatuses *st = user_data;

	g_array_append_val(st->statuses, status);
	g_main_loop_quit(st->loop);
}

static gboolean
health_too_late_cb(gpointer user_data)
{
	g_assert_not_reached();
	return G_SOURCE_REMOVE;
}

/* runs the main loop until @health's status changes, once; the new status */
static TenderHealthStatus
health_wait_status(HealthStatuses *st, TenderHealth *health)
{
	guint guard = g_timeout_add_seconds(60, health_too_late_cb, NULL);
	guint n = st->statuses->len;

	g_main_loop_run(st->loop);
	g_source_remove(guard);
	g_assert_cmpuint(st->statuses->len, ==, n + 1);
	return tender_health_get_status(health);
}

typedef struct {
	gchar *root;   /* a v2 fixture tree */
	gchar *procs;  /* its SCOPE/cgroup.procs */
	gchar *marker; /* the check command creates it */
	HealthStatuses st;
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
	health_statuses_init(&fx->st);
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
	health_statuses_clear(&fx->st);
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

	g_assert_no_error(error);
	workload = tender_workload_new("t", spec);
	tender_workload_set_control_group(workload, SCOPE);
	run = tender_runtime_new_run(TENDER_RUNTIME(runtime), workload);
	health = tender_health_new(workload, run, TENDER_RUNTIME(runtime));
	g_assert_cmpint(tender_health_get_status(health), ==, TENDER_HEALTH_STATUS_STARTING);
	g_signal_connect(health, "status-changed", G_CALLBACK(health_status_cb), &fx->st);
	tender_health_start(health);
	return health_wait_status(&fx->st, health);
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

/* --- TenderHealth of an isolated workload: its runtime runs the command --- */

/* a runtime that runs nothing: it keeps what it is asked to run, and answers at once with
 * exit_code, or, if hang, only once cancelled (as if killed) */
struct _TestExecRuntime {
	TenderRuntime parent_instance;
	guint n_execs;
	gint exit_code;
	gboolean hang;
	TenderRuntimeExec *exec; /* the last request, while it is under way */
	GTask *task;
	gboolean cancelled;
};

#define TEST_TYPE_EXEC_RUNTIME (test_exec_runtime_get_type())
G_DECLARE_FINAL_TYPE(TestExecRuntime, test_exec_runtime, TEST, EXEC_RUNTIME, TenderRuntime)
G_DEFINE_TYPE(TestExecRuntime, test_exec_runtime, TENDER_TYPE_RUNTIME)

/* the answer, from the main loop, as a real runtime gives it once the command has ended */
static gboolean
test_exec_runtime_answer_cb(gpointer user_data)
{
	TestExecRuntime *self = user_data;
	g_autoptr(GTask) task = g_steal_pointer(&self->task);

	self->exec = NULL;
	g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

static void
test_exec_runtime_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	TestExecRuntime *self = user_data;

	if (self->task == NULL || self->cancelled)
		return;
	self->cancelled = TRUE;
	self->exec->exit_code = -1;
	self->exec->signo = SIGKILL;
	g_idle_add(test_exec_runtime_answer_cb, self);
}

static void
test_exec_runtime_exec_async(TenderRuntime *runtime,
			     TenderRuntimeRun *run,
			     TenderRuntimeExec *exec,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	TestExecRuntime *self = TEST_EXEC_RUNTIME(runtime);

	g_assert_null(self->task);
	self->n_execs++;
	self->exec = exec;
	self->cancelled = FALSE;
	self->task = g_task_new(self, NULL, callback, user_data);
	if (self->hang) {
		g_cancellable_connect(cancellable,
				      G_CALLBACK(test_exec_runtime_cancelled_cb),
				      self,
				      NULL);
		return;
	}
	exec->exit_code = self->exit_code;
	exec->signo = 0;
	g_idle_add(test_exec_runtime_answer_cb, self);
}

static gboolean
test_exec_runtime_exec_finish(TenderRuntime *runtime, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
test_exec_runtime_class_init(TestExecRuntimeClass *klass)
{
	TenderRuntimeClass *runtime_class = TENDER_RUNTIME_CLASS(klass);

	runtime_class->exec_async = test_exec_runtime_exec_async;
	runtime_class->exec_finish = test_exec_runtime_exec_finish;
}

static void
test_exec_runtime_init(TestExecRuntime *self)
{
}

typedef struct {
	TestExecRuntime *runtime;
	TenderScopeRuntime *scope; /* whose runs stand for the workload's */
	TenderWorkload *workload;
	TenderRuntimeRun *run;
	TenderHealth *health;
	HealthStatuses st;
} ExecFixture;

static void
exec_fixture_set_up(ExecFixture *fx, gconstpointer data)
{
	g_autoptr(GVariant) value = g_variant_ref_sink(
	    g_variant_new_parsed("{'argv': <['sleep', '60']>, 'isolation': <'strict'>, "
				 "'env': <['MODE=spec']>, 'health': <{'command': <['test', '-f', "
				 "'/only-in-image']>, 'interval_sec': <uint32 1>, "
				 "'timeout_sec': <uint32 1>, 'retries': <uint32 1>}>}"));
	g_autoptr(GError) error = NULL;
	TenderSpec *spec = tender_spec_new_from_variant(value, &error);

	g_assert_no_error(error);
	fx->runtime = g_object_new(TEST_TYPE_EXEC_RUNTIME, "name", "test", NULL);
	fx->scope = tender_scope_runtime_new("/nonexistent", NULL, "tender-shim", "/nonexistent");
	fx->workload = tender_workload_new("t", spec);
	fx->run = tender_runtime_new_run(TENDER_RUNTIME(fx->scope), fx->workload);
	fx->health = tender_health_new(fx->workload, fx->run, TENDER_RUNTIME(fx->runtime));
	health_statuses_init(&fx->st);
	g_signal_connect(fx->health, "status-changed", G_CALLBACK(health_status_cb), &fx->st);
}

static void
exec_fixture_tear_down(ExecFixture *fx, gconstpointer data)
{
	g_clear_object(&fx->health);
	/* whatever was under way has answered, and nobody was told */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_null(fx->runtime->task);
	g_object_unref(fx->run);
	g_object_unref(fx->workload);
	g_object_unref(fx->scope);
	g_object_unref(fx->runtime);
	health_statuses_clear(&fx->st);
}

static gboolean
exec_quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

/* runs the main loop until the runtime has a command under way */
static void
exec_wait_under_way(ExecFixture *fx)
{
	guint guard = g_timeout_add_seconds(30, health_too_late_cb, NULL);

	while (fx->runtime->task == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(guard);
}

static void
test_health_exec_passes_and_fails(ExecFixture *fx, gconstpointer data)
{
	TenderRuntimeExec *exec;

	/* the runtime runs it, as ExecWorkload's commands: the workload's user, environment and
	 * seccomp filter, its working directory (the runtime's to say), no output kept */
	fx->runtime->hang = TRUE;
	tender_health_start(fx->health);
	exec_wait_under_way(fx);
	exec = fx->runtime->exec;
	g_assert_cmpstrv(exec->argv,
			 ((const gchar *const[]){"test", "-f", "/only-in-image", NULL}));
	g_assert_true(exec->strict);
	g_assert_nonnull(exec->identity);
	g_assert_cmpstr(g_environ_getenv(exec->envp, "MODE"), ==, "spec");
	g_assert_null(exec->working_directory);
	g_assert_cmpuint(exec->max_output, ==, 0);
	g_assert_false(exec->tty);
	fx->runtime->hang = FALSE;
	fx->runtime->exit_code = 0;
	exec->exit_code = 0;
	exec->signo = 0;
	g_idle_add(test_exec_runtime_answer_cb, fx->runtime);
	g_assert_cmpint(health_wait_status(&fx->st, fx->health), ==, TENDER_HEALTH_STATUS_HEALTHY);
	/* the next one, interval_sec later, fails */
	fx->runtime->exit_code = 1;
	g_test_expect_message("tender", G_LOG_LEVEL_DEBUG, "*workload t failed: exit status 1");
	g_assert_cmpint(health_wait_status(&fx->st, fx->health),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	g_test_assert_expected_messages();
	g_assert_cmpuint(fx->runtime->n_execs, ==, 2);
}

static void
test_health_exec_timeout(ExecFixture *fx, gconstpointer data)
{
	gint64 begun = g_get_monotonic_time();

	/* the check's own timer ends it after timeout_sec: cancelled, which kills it */
	fx->runtime->hang = TRUE;
	tender_health_start(fx->health);
	g_test_expect_message("tender",
			      G_LOG_LEVEL_DEBUG,
			      "*workload t failed: no result within 1 s: killed");
	g_assert_cmpint(health_wait_status(&fx->st, fx->health),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	g_test_assert_expected_messages();
	g_assert_true(fx->runtime->cancelled);
	/* interval_sec, then timeout_sec: GLib's second timers may come early by a little, so
	 * only the order of things is checked, not the clock */
	g_assert_cmpint(g_get_monotonic_time() - begun, >=, SEC);
}

static void
test_health_exec_suspended(ExecFixture *fx, gconstpointer data)
{
	/* a check under way when the checks are suspended is killed, and does not count */
	fx->runtime->hang = TRUE;
	tender_health_start(fx->health);
	exec_wait_under_way(fx);
	tender_health_suspend(fx->health);
	g_assert_true(fx->runtime->cancelled);
	g_timeout_add(1500, exec_quit_cb, fx->st.loop);
	g_main_loop_run(fx->st.loop);
	g_assert_cmpuint(fx->st.statuses->len, ==, 0);
	g_assert_cmpuint(fx->runtime->n_execs, ==, 1);
	g_assert_null(fx->runtime->task);
	g_assert_cmpint(tender_health_get_status(fx->health), ==, TENDER_HEALTH_STATUS_STARTING);
}

static void
test_health_exec_disposed(ExecFixture *fx, gconstpointer data)
{
	/* nor when the object goes: the answer that comes later finds nobody (tear_down) */
	fx->runtime->hang = TRUE;
	tender_health_start(fx->health);
	exec_wait_under_way(fx);
	g_clear_object(&fx->health);
	g_assert_true(fx->runtime->cancelled);
	g_assert_nonnull(fx->runtime->task);
}

static void
test_health_exec_no_runtime(ExecFixture *fx, gconstpointer data)
{
	/* the runtime has gone: the check fails, and says why */
	g_clear_object(&fx->health);
	fx->health = tender_health_new(fx->workload, fx->run, NULL);
	g_signal_connect(fx->health, "status-changed", G_CALLBACK(health_status_cb), &fx->st);
	tender_health_start(fx->health);
	g_test_expect_message("tender", G_LOG_LEVEL_DEBUG, "*runtime is not there*");
	g_assert_cmpint(health_wait_status(&fx->st, fx->health),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	g_test_assert_expected_messages();
	g_assert_cmpuint(fx->runtime->n_execs, ==, 0);
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
	g_test_add("/health/exec/passes-and-fails",
		   ExecFixture,
		   NULL,
		   exec_fixture_set_up,
		   test_health_exec_passes_and_fails,
		   exec_fixture_tear_down);
	g_test_add("/health/exec/timeout",
		   ExecFixture,
		   NULL,
		   exec_fixture_set_up,
		   test_health_exec_timeout,
		   exec_fixture_tear_down);
	g_test_add("/health/exec/suspended",
		   ExecFixture,
		   NULL,
		   exec_fixture_set_up,
		   test_health_exec_suspended,
		   exec_fixture_tear_down);
	g_test_add("/health/exec/disposed",
		   ExecFixture,
		   NULL,
		   exec_fixture_set_up,
		   test_health_exec_disposed,
		   exec_fixture_tear_down);
	g_test_add("/health/exec/no-runtime",
		   ExecFixture,
		   NULL,
		   exec_fixture_set_up,
		   test_health_exec_no_runtime,
		   exec_fixture_tear_down);
	return g_test_run();
}
