/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "tender-engine.h"
#include "tender-error.h"
#include "tender-fake-runtime.h"

/*
 * The engine in process, with a fake runtime: no root, no systemd, no lab.  Each test has a
 * state directory of its own below the build directory, and drives the main loop until what
 * it waits for has happened.
 */

/* how long anything may take before the test fails */
#define ENGINE_WAIT_SEC 20

typedef struct {
	gchar *dir;
	gchar *join_file;
	TenderFakeRuntime *runtime;
	TenderFakeRuntime *bare; /* "bare": no pause, no metrics */
	gboolean without_bare;	 /* the next engine_open() leaves it out */
	guint max_workloads;	 /* for the next engine_open(), if not 0 */
	TenderEngine *engine;
	guint added;
	guint removed;
} EngineFixture;

static gboolean
engine_wait_timeout_cb(gpointer user_data)
{
	gboolean *timed_out = user_data;
	*timed_out = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs the main loop until @cond holds */
#define ENGINE_WAIT_UNTIL(cond)                                                                    \
	G_STMT_START                                                                               \
	{                                                                                          \
		gboolean timed_out_ = FALSE;                                                       \
		guint id_ =                                                                        \
		    g_timeout_add_seconds(ENGINE_WAIT_SEC, engine_wait_timeout_cb, &timed_out_);   \
		while (!(cond) && !timed_out_)                                                     \
			g_main_context_iteration(NULL, TRUE);                                      \
		if (timed_out_)                                                                    \
			g_error("timed out waiting for %s", #cond);                                \
		g_source_remove(id_);                                                              \
	}                                                                                          \
	G_STMT_END

/* runs the main loop for @ms */
static void
engine_spin(guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	gboolean timed_out = FALSE;
	guint id = g_timeout_add(ms, engine_wait_timeout_cb, &timed_out);

	while (!timed_out && g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	if (!timed_out)
		g_source_remove(id);
}

static void
engine_added_cb(TenderEngine *engine, TenderWorkload *workload, gpointer user_data)
{
	EngineFixture *fx = user_data;
	fx->added++;
}

static void
engine_removed_cb(TenderEngine *engine, TenderWorkload *workload, gpointer user_data)
{
	EngineFixture *fx = user_data;
	fx->removed++;
}

/* a new engine on the fixture's state directory and runtime, set up */
static void
engine_open(EngineFixture *fx)
{
	g_autoptr(TenderConfig) config = tender_config_new();
	g_autoptr(GError) error = NULL;

	g_free(config->state_dir);
	config->state_dir = g_build_filename(fx->dir, "state", NULL);
	config->stop_timeout_sec = 10;
	if (fx->max_workloads != 0)
		config->max_workloads = fx->max_workloads;
	fx->engine = tender_engine_new(config);
	tender_engine_add_runtime(fx->engine, TENDER_RUNTIME(fx->runtime));
	if (!fx->without_bare)
		tender_engine_add_runtime(fx->engine, TENDER_RUNTIME(fx->bare));
	g_signal_connect(fx->engine, "workload-added", G_CALLBACK(engine_added_cb), fx);
	g_signal_connect(fx->engine, "workload-removed", G_CALLBACK(engine_removed_cb), fx);
	g_assert_true(tender_engine_setup(fx->engine, &error));
	g_assert_no_error(error);
}

static void
engine_setup(EngineFixture *fx, gconstpointer data)
{
	g_autofree gchar *built = g_test_build_filename(G_TEST_BUILT, "engine-XXXXXX", NULL);
	/* absolute: a health check runs in the workload's working directory */
	g_autofree gchar *template = g_canonicalize_filename(built, NULL);

	fx->dir = g_mkdtemp(g_steal_pointer(&template));
	g_assert_nonnull(fx->dir);
	fx->join_file = g_build_filename(fx->dir, "cgroup.procs", NULL);
	g_assert_true(g_file_set_contents(fx->join_file, "", -1, NULL));
	fx->runtime = tender_fake_runtime_new(TENDER_RUNTIME_SCOPE, fx->join_file);
	fx->bare = tender_fake_runtime_new_bare("bare", fx->join_file);
	engine_open(fx);
}

static void
engine_rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			engine_rm_rf(child);
		else
			g_assert_cmpint(g_unlink(child), ==, 0);
	}
	g_assert_cmpint(g_rmdir(path), ==, 0);
}

static void
engine_teardown(EngineFixture *fx, gconstpointer data)
{
	g_clear_object(&fx->engine);
	/* whatever the engine left on the main loop must not outlive it */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_object(&fx->runtime);
	g_clear_object(&fx->bare);
	engine_rm_rf(fx->dir);
	g_free(fx->dir);
	g_free(fx->join_file);
}

static void
engine_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **out = user_data;
	*out = g_object_ref(res);
}

typedef gboolean (*EngineFinishFunc)(TenderEngine *self, GAsyncResult *res, GError **error);

static gboolean
engine_finish(EngineFixture *fx, GAsyncResult **res, EngineFinishFunc finish, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	ENGINE_WAIT_UNTIL(*res != NULL);
	result = g_steal_pointer(res);
	return finish(fx->engine, result, error);
}

static gboolean
engine_start(EngineFixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_start_workload_async(fx->engine, name, NULL, NULL, engine_async_cb, &res);
	return engine_finish(fx, &res, tender_engine_start_workload_finish, error);
}

static gboolean
engine_stop(EngineFixture *fx, const gchar *name, GVariant *options, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_stop_workload_async(fx->engine, name, options, NULL, engine_async_cb, &res);
	return engine_finish(fx, &res, tender_engine_stop_workload_finish, error);
}

static gboolean
engine_remove(EngineFixture *fx, const gchar *name, GVariant *options, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_remove_workload_async(fx->engine, name, options, NULL, engine_async_cb, &res);
	return engine_finish(fx, &res, tender_engine_remove_workload_finish, error);
}

static gboolean
engine_pause(EngineFixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_pause_workload_async(fx->engine, name, NULL, engine_async_cb, &res);
	return engine_finish(fx, &res, tender_engine_pause_workload_finish, error);
}

static gboolean
engine_resume(EngineFixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_resume_workload_async(fx->engine, name, NULL, engine_async_cb, &res);
	return engine_finish(fx, &res, tender_engine_resume_workload_finish, error);
}

/* creates @name from a spec in GVariant text format */
static TenderWorkload *
engine_create(EngineFixture *fx, const gchar *name, const gchar *spec)
{
	g_autoptr(GVariant) value = g_variant_ref_sink(g_variant_new_parsed(spec));
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = tender_engine_create_workload(fx->engine, name, value, NULL, &error);

	g_assert_no_error(error);
	g_assert_nonnull(w);
	return w;
}

static TenderWorkload *
engine_get(EngineFixture *fx, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = tender_engine_get_workload(fx->engine, name, &error);

	g_assert_no_error(error);
	return w;
}

static TenderState
engine_state(EngineFixture *fx, const gchar *name)
{
	return tender_workload_get_state(engine_get(fx, name));
}

static gchar *
engine_state_file(EngineFixture *fx, const gchar *name)
{
	g_autofree gchar *basename = g_strdup_printf("%s.json", name);
	return g_build_filename(fx->dir, "state", "workloads", basename, NULL);
}

static TenderFakeRun *
engine_last_run(EngineFixture *fx)
{
	TenderFakeRun *run = tender_fake_runtime_get_last_run(fx->runtime);
	g_assert_nonnull(run);
	return run;
}

#define SPEC_PLAIN "{'argv': <['true']>}"

static void
test_engine_lifecycle(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *state_file = engine_state_file(fx, "web");
	g_autoptr(GVariant) spec = g_variant_ref_sink(g_variant_new_parsed(SPEC_PLAIN));
	TenderWorkload *w = engine_create(fx, "web", SPEC_PLAIN);
	TenderFakeRun *run;

	g_assert_cmpuint(fx->added, ==, 1);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_CREATED);
	g_assert_true(g_file_test(state_file, G_FILE_TEST_EXISTS));
	/* a workload of that name exists already */
	g_assert_null(tender_engine_create_workload(fx->engine, "web", spec, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);

	g_assert_true(engine_start(fx, "web", &error));
	g_assert_no_error(error);
	run = engine_last_run(fx);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_cmpuint(tender_workload_get_main_pid(w),
			 ==,
			 (guint32)tender_runtime_run_get_pid(TENDER_RUNTIME_RUN(run)));
	g_assert_cmpstr(tender_workload_get_started_at(w), !=, "");
	/* running: neither a second start nor a plain remove */
	g_assert_false(engine_start(fx, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_false(engine_remove(fx, "web", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	/* the limits are the runtime's while it runs */
	{
		g_autoptr(GVariant) limits =
		    g_variant_ref_sink(tender_engine_get_limits(fx->engine, w));
		guint64 tasks_max = 0;
		g_assert_true(g_variant_lookup(limits, "tasks_max", "t", &tasks_max));
		g_assert_cmpuint(tasks_max, ==, 42);
	}

	g_assert_true(tender_engine_kill_workload(fx->engine, "web", SIGUSR1, &error));
	g_assert_no_error(error);
	g_assert_true(tender_fake_run_got_signal(run, SIGUSR1));
	g_assert_false(tender_engine_kill_workload(fx->engine, "web", 0, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	g_assert_true(engine_stop(fx, "web", NULL, &error));
	g_assert_no_error(error);
	g_assert_true(tender_fake_run_got_signal(run, SIGTERM));
	g_assert_false(tender_fake_run_got_signal(run, SIGKILL));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "");
	g_assert_cmpuint(tender_workload_get_main_pid(w), ==, 0);
	g_assert_cmpstr(tender_workload_get_stopped_at(w), !=, "");
	{
		g_autoptr(GVariant) limits =
		    g_variant_ref_sink(tender_engine_get_limits(fx->engine, w));
		g_assert_cmpuint(g_variant_n_children(limits), ==, 0);
	}
	/* nothing left to signal */
	g_assert_false(tender_engine_kill_workload(fx->engine, "web", SIGTERM, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	g_assert_true(engine_remove(fx, "web", NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(fx->removed, ==, 1);
	g_assert_false(g_file_test(state_file, G_FILE_TEST_EXISTS));
	g_assert_true(tender_fake_runtime_has_forgotten(fx->runtime, "web"));
	g_assert_null(tender_engine_get_workload(fx->engine, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 1);
}

static void
test_engine_remove_force(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) options = g_variant_ref_sink(g_variant_new_parsed("{'force': <true>}"));

	engine_create(fx, "web", SPEC_PLAIN);
	g_assert_true(engine_start(fx, "web", &error));
	g_assert_true(engine_remove(fx, "web", options, &error));
	g_assert_no_error(error);
	g_assert_true(tender_fake_run_got_signal(engine_last_run(fx), SIGTERM));
	g_assert_cmpuint(fx->removed, ==, 1);
	g_assert_null(tender_engine_get_workload(fx->engine, "web", NULL));
}

static void
test_engine_start_fails(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx, "web", "{'argv': <['true']>, 'restart': <'always'>}");

	tender_fake_runtime_set_fail_start(fx->runtime, TRUE);
	g_assert_false(engine_start(fx, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "fake: cannot start");
	/* a run that never started is not restarted, whatever the policy */
	engine_spin(300);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 1);
}

static void
test_engine_ends_by_itself(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx, "job", SPEC_PLAIN);

	g_assert_true(engine_start(fx, "job", &error));
	tender_fake_run_exit(engine_last_run(fx), 0, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "exit-code: 0");
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, 0);

	/* and again, ending badly */
	g_assert_true(engine_start(fx, "job", &error));
	tender_fake_run_exit(engine_last_run(fx), 3, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, 3);
	g_assert_true(engine_start(fx, "job", &error));
	tender_fake_run_exit(engine_last_run(fx), -1, SIGSEGV);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_FAILED);
	g_assert_cmpint(tender_workload_get_exit_signal(w), ==, SIGSEGV);
	/* restart "no", the default: nothing more */
	engine_spin(300);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 3);
	g_assert_cmpuint(tender_workload_get_restart_count(w), ==, 0);
}

static void
test_engine_restart_on_failure(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w =
	    engine_create(fx,
			  "svc",
			  "{'argv': <['true']>, 'restart': <'on-failure'>, "
			  "'restart_max': <uint32 2>, 'restart_delay_ms': <uint32 100>}");
	gint64 ended;
	gint64 started;

	g_assert_true(engine_start(fx, "svc", &error));
	/* first failure: restarted after restart_delay_ms */
	ended = g_get_monotonic_time();
	tender_fake_run_exit(engine_last_run(fx), 1, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	ENGINE_WAIT_UNTIL(tender_fake_runtime_get_n_starts(fx->runtime) == 2 &&
			  tender_workload_get_state(w) == TENDER_STATE_RUNNING);
	started = tender_fake_run_get_started_time(engine_last_run(fx));
	g_assert_cmpint(started - ended, >=, 100 * 1000);
	g_assert_cmpuint(tender_workload_get_restart_count(w), ==, 1);

	/* second failure: the delay doubles */
	ended = g_get_monotonic_time();
	tender_fake_run_exit(engine_last_run(fx), -1, SIGKILL);
	ENGINE_WAIT_UNTIL(tender_fake_runtime_get_n_starts(fx->runtime) == 3 &&
			  tender_workload_get_state(w) == TENDER_STATE_RUNNING);
	started = tender_fake_run_get_started_time(engine_last_run(fx));
	g_assert_cmpint(started - ended, >=, 200 * 1000);
	g_assert_cmpuint(tender_workload_get_restart_count(w), ==, 2);

	/* restart_max reached: failed for good */
	tender_fake_run_exit(engine_last_run(fx), 1, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "restart-limit");
	engine_spin(600);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 3);

	/* a start by hand counts from zero again */
	g_assert_true(engine_start(fx, "svc", &error));
	g_assert_cmpuint(tender_workload_get_restart_count(w), ==, 0);
}

static void
test_engine_restart_not_on_success(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx,
					  "svc",
					  "{'argv': <['true']>, 'restart': <'on-failure'>, "
					  "'restart_delay_ms': <uint32 10>}");

	g_assert_true(engine_start(fx, "svc", &error));
	tender_fake_run_exit(engine_last_run(fx), 0, 0);
	engine_spin(300);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 1);

	/* nor after a stop, which is no failure */
	g_assert_true(engine_start(fx, "svc", &error));
	g_assert_true(engine_stop(fx, "svc", NULL, &error));
	engine_spin(300);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 2);
}

static void
test_engine_stop_cancels_restart(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx,
					  "svc",
					  "{'argv': <['true']>, 'restart': <'always'>, "
					  "'restart_delay_ms': <uint32 300>}");

	g_assert_true(engine_start(fx, "svc", &error));
	tender_fake_run_exit(engine_last_run(fx), 0, 0);
	/* ended, a restart is due: the stop cancels it */
	g_assert_true(engine_stop(fx, "svc", NULL, &error));
	g_assert_no_error(error);
	engine_spin(600);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 1);
}

static void
test_engine_stop_timeout(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) options =
	    g_variant_ref_sink(g_variant_new_parsed("{'timeout_sec': <uint32 1>}"));
	TenderWorkload *w = engine_create(fx, "stubborn", SPEC_PLAIN);
	GAsyncResult *res = NULL;
	TenderFakeRun *run;
	gint64 term;
	gint64 kill;

	tender_fake_runtime_set_ignore_sigterm(fx->runtime, TRUE);
	g_assert_true(engine_start(fx, "stubborn", &error));
	run = engine_last_run(fx);
	tender_engine_stop_workload_async(fx->engine,
					  "stubborn",
					  options,
					  NULL,
					  engine_async_cb,
					  &res);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPING);
	/* it ignores SIGTERM: the stop waits */
	engine_spin(200);
	g_assert_null(res);
	g_assert_false(tender_fake_run_got_signal(run, SIGKILL));
	g_assert_true(engine_finish(fx, &res, tender_engine_stop_workload_finish, &error));
	g_assert_no_error(error);
	term = tender_fake_run_get_signal_time(run, SIGTERM);
	kill = tender_fake_run_get_signal_time(run, SIGKILL);
	g_assert_cmpint(term, >, 0);
	/* SIGKILL after the timeout (a timer in seconds may fire a quarter early) */
	g_assert_cmpint(kill - term, >=, 700 * 1000);
	g_assert_true(tender_runtime_run_get_stop_escalated(TENDER_RUNTIME_RUN(run)));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
}

static void
test_engine_stop_while_paused(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx, "web", SPEC_PLAIN);

	g_assert_true(engine_start(fx, "web", &error));
	g_assert_true(engine_pause(fx, "web", &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_PAUSED);
	g_assert_false(engine_pause(fx, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_true(engine_resume(fx, "web", &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_false(engine_resume(fx, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	g_assert_true(engine_pause(fx, "web", &error));
	g_assert_true(engine_stop(fx, "web", NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
}

static void
test_engine_metrics(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) metrics = NULL;
	guint64 usage = 0;
	gdouble percent = -1.0;

	engine_create(fx, "web", SPEC_PLAIN);
	g_assert_null(tender_engine_get_metrics(fx->engine, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	/* what the run used before it ran does not count */
	tender_fake_runtime_set_cpu_usage(fx->runtime, 5 * G_GUINT64_CONSTANT(1000000000));
	g_assert_true(engine_start(fx, "web", &error));
	metrics = g_variant_ref_sink(tender_engine_get_metrics(fx->engine, "web", &error));
	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(metrics, "cpu_usage_nsec", "t", &usage));
	g_assert_cmpuint(usage, ==, 5 * G_GUINT64_CONSTANT(1000000000));
	g_assert_true(g_variant_lookup(metrics, "cpu_percent", "d", &percent));
	g_assert_cmpfloat(percent, ==, 0.0);
	g_clear_pointer(&metrics, g_variant_unref);

	/* 100 ms of CPU in at most 5 s: more than 2 % of one CPU */
	tender_fake_runtime_set_cpu_usage(fx->runtime, 5100 * G_GUINT64_CONSTANT(1000000));
	metrics = g_variant_ref_sink(tender_engine_get_metrics(fx->engine, "web", &error));
	g_assert_true(g_variant_lookup(metrics, "cpu_percent", "d", &percent));
	g_assert_cmpfloat(percent, >, 2.0);
}

static void
engine_metrics_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GAsyncResult **result = user_data;
	*result = g_object_ref(res);
}

/* tender_engine_get_metrics_async() of @name, once it has completed */
static GAsyncResult *
engine_metrics_async(EngineFixture *fx, const gchar *name)
{
	GAsyncResult *res = NULL;

	tender_engine_get_metrics_async(fx->engine, name, NULL, engine_metrics_done_cb, &res);
	ENGINE_WAIT_UNTIL(res != NULL);
	return res;
}

static void
test_engine_metrics_async(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GAsyncResult) res2 = NULL;
	g_autoptr(GVariant) metrics = NULL;
	g_autoptr(GHashTable) all = NULL;
	g_autoptr(GHashTable) all2 = NULL;
	const TenderRuntimeMetrics *counters;
	guint64 usage = 0;
	guint64 tasks = 0;

	engine_create(fx, "web", SPEC_PLAIN);
	engine_create(fx, "idle", SPEC_PLAIN);

	/* the same errors as the synchronous read, before any thread */
	res = engine_metrics_async(fx, "web");
	g_assert_null(tender_engine_get_metrics_finish(fx->engine, res, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_clear_object(&res);
	res = engine_metrics_async(fx, "nope");
	g_assert_null(tender_engine_get_metrics_finish(fx->engine, res, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_clear_object(&res);
	g_assert_cmpint(tender_fake_runtime_get_n_reads_off_main(fx->runtime), ==, 0);

	/* a running workload's counters are read in a worker thread */
	tender_fake_runtime_set_cpu_usage(fx->runtime, 7 * G_GUINT64_CONSTANT(1000000000));
	g_assert_true(engine_start(fx, "web", &error));
	res = engine_metrics_async(fx, "web");
	metrics = tender_engine_get_metrics_finish(fx->engine, res, &error);
	g_assert_no_error(error);
	g_assert_nonnull(metrics);
	g_assert_true(g_variant_lookup(metrics, "cpu_usage_nsec", "t", &usage));
	g_assert_cmpuint(usage, ==, 7 * G_GUINT64_CONSTANT(1000000000));
	g_assert_true(g_variant_lookup(metrics, "tasks", "t", &tasks));
	g_assert_cmpuint(tasks, ==, 1);
	g_assert_true(g_variant_lookup(metrics, "timestamp", "&s", NULL));
	g_assert_cmpint(tender_fake_runtime_get_n_reads_off_main(fx->runtime), ==, 1);
	g_clear_object(&res);

	/* all of them: the running one, not the one that never ran */
	res = engine_metrics_async(fx, NULL);
	all = tender_engine_get_all_metrics_finish(fx->engine, res, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_hash_table_size(all), ==, 1);
	counters = g_hash_table_lookup(all, "web");
	g_assert_nonnull(counters);
	g_assert_cmpuint(counters->cpu_usage_nsec, ==, 7 * G_GUINT64_CONSTANT(1000000000));
	g_assert_cmpuint(counters->tasks, ==, 1);
	g_assert_false(g_hash_table_contains(all, "idle"));
	g_assert_cmpint(tender_fake_runtime_get_n_reads_off_main(fx->runtime), ==, 2);
	g_clear_object(&res);
	g_clear_pointer(&all, g_hash_table_unref);

	/* a request for all that comes while a reading is under way shares it, and its answer */
	tender_engine_get_metrics_async(fx->engine, NULL, NULL, engine_metrics_done_cb, &res);
	tender_engine_get_metrics_async(fx->engine, NULL, NULL, engine_metrics_done_cb, &res2);
	ENGINE_WAIT_UNTIL(res != NULL && res2 != NULL);
	all = tender_engine_get_all_metrics_finish(fx->engine, res, &error);
	g_assert_no_error(error);
	all2 = tender_engine_get_all_metrics_finish(fx->engine, res2, &error);
	g_assert_no_error(error);
	g_assert_true(all == all2);
	g_assert_true(g_hash_table_contains(all, "web"));
	g_assert_cmpint(tender_fake_runtime_get_n_reads_off_main(fx->runtime), ==, 3);

	/* and one that comes after it has answered reads again */
	g_clear_object(&res);
	g_clear_pointer(&all, g_hash_table_unref);
	res = engine_metrics_async(fx, NULL);
	all = tender_engine_get_all_metrics_finish(fx->engine, res, &error);
	g_assert_no_error(error);
	g_assert_true(all != all2);
	g_assert_cmpint(tender_fake_runtime_get_n_reads_off_main(fx->runtime), ==, 4);
}

static void
test_engine_max_runtime(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w =
	    engine_create(fx, "job", "{'argv': <['true']>, 'max_runtime_sec': <uint64 1>}");

	g_assert_true(engine_start(fx, "job", &error));
	ENGINE_WAIT_UNTIL(tender_runtime_run_has_ended(TENDER_RUNTIME_RUN(engine_last_run(fx))));
	g_assert_true(tender_fake_run_got_signal(engine_last_run(fx), SIGTERM));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "timeout");
}

/* a health check command that fails every time, checked every second */
#define SPEC_UNHEALTHY(action)                                                                     \
	"{'argv': <['true']>, 'restart_delay_ms': <uint32 10>, 'health': <{'command': "            \
	"<['false']>, 'interval_sec': <uint32 1>, 'retries': <uint32 1>, 'on_unhealthy': "         \
	"<'" action "'>}>}"

static void
test_engine_health_stop(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *joined = NULL;
	TenderWorkload *w = engine_create(fx, "web", SPEC_UNHEALTHY("stop"));

	g_assert_cmpstr(tender_workload_get_health(w), ==, "none");
	g_assert_true(engine_start(fx, "web", &error));
	g_assert_cmpstr(tender_workload_get_health(w), ==, "starting");
	ENGINE_WAIT_UNTIL(tender_workload_get_state(w) == TENDER_STATE_STOPPED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "unhealthy");
	g_assert_cmpstr(tender_workload_get_health(w), ==, "none");
	/* the check joined the run (its join file stands for cgroup.procs) */
	g_assert_true(g_file_get_contents(fx->join_file, &joined, NULL, NULL));
	g_assert_cmpstr(joined, ==, "0");
	engine_spin(300);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 1);
}

static void
test_engine_health_restart(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w = engine_create(fx, "web", SPEC_UNHEALTHY("restart"));

	g_assert_true(engine_start(fx, "web", &error));
	ENGINE_WAIT_UNTIL(tender_fake_runtime_get_n_starts(fx->runtime) == 2 &&
			  tender_workload_get_state(w) == TENDER_STATE_RUNNING);
	g_assert_cmpuint(tender_workload_get_restart_count(w), ==, 1);
	g_assert_true(engine_stop(fx, "web", NULL, &error));
}

static void
test_engine_health_healthy(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	TenderWorkload *w =
	    engine_create(fx,
			  "web",
			  "{'argv': <['true']>, 'health': <{'command': <['true']>, "
			  "'interval_sec': <uint32 1>, 'on_unhealthy': <'stop'>}>}");

	g_assert_true(engine_start(fx, "web", &error));
	ENGINE_WAIT_UNTIL(g_strcmp0(tender_workload_get_health(w), "healthy") == 0);
	/* suspended while paused, and the verdict stays */
	g_assert_true(engine_pause(fx, "web", &error));
	g_assert_cmpstr(tender_workload_get_health(w), ==, "healthy");
	g_assert_true(engine_resume(fx, "web", &error));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_true(engine_stop(fx, "web", NULL, &error));
	g_assert_cmpstr(tender_workload_get_health(w), ==, "none");
}

static void
test_engine_adopt(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *run_id = NULL;
	g_autofree gchar *gone_id = NULL;
	TenderWorkload *w;
	TenderFakeRun *run;
	guint32 pid;

	engine_create(fx, "created", SPEC_PLAIN);
	engine_create(fx, "done", SPEC_PLAIN);
	engine_create(fx, "gone", SPEC_PLAIN);
	engine_create(fx, "paused", SPEC_PLAIN);
	engine_create(fx, "web", SPEC_PLAIN);
	g_assert_true(engine_start(fx, "done", &error));
	tender_fake_run_exit(engine_last_run(fx), 7, 0);
	g_assert_true(engine_start(fx, "gone", &error));
	gone_id = g_strdup(tender_runtime_run_get_id(TENDER_RUNTIME_RUN(engine_last_run(fx))));
	g_assert_true(engine_start(fx, "paused", &error));
	g_assert_true(engine_pause(fx, "paused", &error));
	g_assert_true(engine_start(fx, "web", &error));
	run = engine_last_run(fx);
	run_id = g_strdup(tender_runtime_run_get_id(TENDER_RUNTIME_RUN(run)));
	pid = tender_workload_get_main_pid(engine_get(fx, "web"));
	g_assert_cmpuint(pid, !=, 0);

	/* tenderd goes away; the runs go on, but for one that dies meanwhile */
	g_clear_object(&fx->engine);
	tender_fake_runtime_kill_run(fx->runtime, gone_id);
	engine_open(fx);
	g_assert_cmpuint(fx->added, ==, 5);

	w = engine_get(fx, "web");
	run = engine_last_run(fx);
	g_assert_true(tender_fake_run_was_adopted(run));
	g_assert_cmpstr(tender_runtime_run_get_id(TENDER_RUNTIME_RUN(run)), ==, run_id);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_cmpuint(tender_workload_get_main_pid(w), ==, pid);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 4);
	g_assert_cmpint(engine_state(fx, "paused"), ==, TENDER_STATE_PAUSED);
	g_assert_cmpint(engine_state(fx, "gone"), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(engine_get(fx, "gone")),
			==,
			"lost: fake process gone");
	g_assert_cmpint(engine_state(fx, "done"), ==, TENDER_STATE_EXITED);
	g_assert_cmpint(tender_workload_get_exit_code(engine_get(fx, "done")), ==, 7);
	g_assert_cmpint(engine_state(fx, "created"), ==, TENDER_STATE_CREATED);

	/* the adopted run is the new engine's: it sees it end */
	tender_fake_run_exit(run, 0, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_true(engine_resume(fx, "paused", &error));
	g_assert_no_error(error);
	g_assert_true(engine_stop(fx, "paused", NULL, &error));
	g_assert_cmpint(engine_state(fx, "paused"), ==, TENDER_STATE_STOPPED);
}

/* a stop that was under way when tenderd went away is finished by the next */
static void
test_engine_adopt_stopping(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderEngine) old = NULL;
	g_autoptr(TenderFakeRun) old_run = NULL;
	TenderWorkload *w;
	GAsyncResult *res = NULL;

	tender_fake_runtime_set_ignore_sigterm(fx->runtime, TRUE);
	engine_create(fx, "web", SPEC_PLAIN);
	g_assert_true(engine_start(fx, "web", &error));
	old_run = g_object_ref(engine_last_run(fx));
	tender_engine_stop_workload_async(fx->engine, "web", NULL, NULL, engine_async_cb, &res);
	g_assert_cmpint(engine_state(fx, "web"), ==, TENDER_STATE_STOPPING);

	/* that tenderd is gone as far as anyone can tell: a new one takes over its state */
	old = g_steal_pointer(&fx->engine);
	tender_fake_runtime_set_ignore_sigterm(fx->runtime, FALSE);
	engine_open(fx);
	w = engine_get(fx, "web");
	g_assert_true(tender_fake_run_was_adopted(engine_last_run(fx)));
	ENGINE_WAIT_UNTIL(tender_workload_get_state(w) == TENDER_STATE_STOPPED);
	g_assert_true(tender_fake_run_got_signal(engine_last_run(fx), SIGTERM));

	/* the old one's stop may end now, so that it can go */
	g_assert_null(res);
	tender_fake_run_exit(old_run, -1, SIGKILL);
	ENGINE_WAIT_UNTIL(res != NULL);
	g_clear_object(&res);
}

#define SPEC_BARE "{'argv': <['true']>, 'runtime': <'bare'>}"
#define SPEC_NOPE "{'argv': <['true']>, 'runtime': <'nope'>}"
#define JSON_NOPE                                                                                  \
	"{\"format\": \"tender-workload/1\", \"name\": \"nope\", \"spec\": {\"argv\": "            \
	"[\"true\"], "                                                                             \
	"\"runtime\": \"nope\"}}"

static void
test_engine_runtime_by_spec(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) nope = g_variant_ref_sink(g_variant_new_parsed(SPEC_NOPE));
	g_autoptr(GVariant) options =
	    g_variant_ref_sink(g_variant_new_parsed("{'name': <'copy'>}"));
	g_autoptr(GVariant) metrics = NULL;
	g_autoptr(GVariant) limits = NULL;
	g_autofree gchar *nope_file = engine_state_file(fx, "nope");
	g_autofree gchar *json = NULL;
	TenderWorkload *w = engine_create(fx, "job", SPEC_BARE);
	TenderWorkload *copy;

	g_assert_true(engine_start(fx, "job", &error));
	g_assert_no_error(error);
	g_assert_nonnull(tender_fake_runtime_get_last_run(fx->bare));
	g_assert_null(tender_fake_runtime_get_last_run(fx->runtime));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);

	/* what its runtime cannot do */
	g_assert_false(engine_pause(fx, "job", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	metrics = tender_engine_get_metrics(fx->engine, "job", &error);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_null(metrics);
	g_clear_error(&error);
	limits = g_variant_ref_sink(tender_engine_get_limits(fx->engine, w));
	g_assert_cmpuint(g_variant_n_children(limits), ==, 0);
	tender_fake_run_exit(tender_fake_runtime_get_last_run(fx->bare), 4, 0);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, 4);

	/* a runtime this engine does not have: refused, naming those it has; nothing saved */
	g_assert_null(tender_engine_create_workload(fx->engine, "nope", nope, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "runtime 'nope'"));
	g_assert_nonnull(strstr(error->message, "it has: bare, scope"));
	g_clear_error(&error);
	g_assert_false(g_file_test(nope_file, G_FILE_TEST_EXISTS));
	g_assert_null(tender_engine_import_workload(fx->engine, JSON_NOPE, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(g_file_test(nope_file, G_FILE_TEST_EXISTS));
	g_assert_null(tender_engine_get_workload(fx->engine, "nope", NULL));
	g_assert_cmpuint(fx->added, ==, 1);

	/* a runtime that does not say it can isolate refuses the isolation keys; nothing saved */
	{
		g_autoptr(GVariant) strict = g_variant_ref_sink(
		    g_variant_new_parsed("{'argv': <['true']>, 'runtime': <'bare'>, "
					 "'isolation': <'strict'>}"));
		g_autoptr(GVariant) rlimits = g_variant_ref_sink(
		    g_variant_new_parsed("{'argv': <['true']>, 'runtime': <'bare'>, "
					 "'rlimits': <{'nofile': uint64 64}>}"));
		g_assert_null(
		    tender_engine_create_workload(fx->engine, "iso", strict, NULL, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
		g_assert_nonnull(
		    strstr(error->message, "runtime 'bare' does not do the isolation"));
		g_clear_error(&error);
		g_assert_null(
		    tender_engine_create_workload(fx->engine, "iso", rlimits, NULL, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
		g_clear_error(&error);
		g_assert_null(tender_engine_get_workload(fx->engine, "iso", NULL));
	}

	/* the runtime goes along with an export */
	json = tender_engine_export_workload(fx->engine, "job", &error);
	g_assert_no_error(error);
	copy = tender_engine_import_workload(fx->engine, json, options, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_spec_get_runtime(tender_workload_get_spec(copy)), ==, "bare");
	g_assert_true(engine_start(fx, "copy", &error));
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->bare), ==, 2);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->runtime), ==, 0);
}

static void
test_engine_max_workloads(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) spec = g_variant_ref_sink(g_variant_new_parsed(SPEC_PLAIN));
	g_autofree gchar *json = NULL;
	g_autofree gchar *two_file = engine_state_file(fx, "two");
	g_autoptr(GVariant) two_options =
	    g_variant_ref_sink(g_variant_new_parsed("{'name': <'two'>}"));

	g_clear_object(&fx->engine);
	fx->max_workloads = 1;
	engine_open(fx);
	engine_create(fx, "one", SPEC_PLAIN);
	g_assert_null(tender_engine_create_workload(fx->engine, "two", spec, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
	g_clear_error(&error);
	json = tender_engine_export_workload(fx->engine, "one", &error);
	g_assert_null(tender_engine_import_workload(fx->engine, json, two_options, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
	g_clear_error(&error);
	g_assert_false(g_file_test(two_file, G_FILE_TEST_EXISTS));
	g_assert_true(engine_remove(fx, "one", NULL, &error));
	engine_create(fx, "two", SPEC_PLAIN);
}

/* the error of a call on a workload whose runtime is missing */
static void
engine_assert_not_supported(GError **error)
{
	g_assert_error(*error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr((*error)->message, "runtime 'bare'"));
	g_clear_error(error);
}

static void
test_engine_runtime_missing(EngineFixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) force = g_variant_ref_sink(g_variant_new_parsed("{'force': <true>}"));
	g_autofree gchar *gone_id = NULL;
	g_autofree gchar *job_file = engine_state_file(fx, "job");
	g_autofree gchar *saved = NULL;
	g_autofree gchar *orphan_file = engine_state_file(fx, "orphan");
	const gchar *names[] = {"job", "gone", "orphan", "done", "idle"};
	TenderWorkload *job;
	guint32 pid;

	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		engine_create(fx, names[i], SPEC_BARE);
	for (guint i = 0; i < 4; i++) {
		g_assert_true(engine_start(fx, names[i], &error));
		if (i == 1)
			gone_id = g_strdup(tender_runtime_run_get_id(
			    TENDER_RUNTIME_RUN(tender_fake_runtime_get_last_run(fx->bare))));
	}
	tender_fake_run_exit(tender_fake_runtime_get_last_run(fx->bare), 3, 0);
	g_assert_cmpint(engine_state(fx, "done"), ==, TENDER_STATE_EXITED);
	pid = tender_workload_get_main_pid(engine_get(fx, "job"));

	/* tenderd comes back before the plugin of the runtime does */
	g_clear_object(&fx->engine);
	fx->without_bare = TRUE;
	engine_open(fx);
	job = engine_get(fx, "job");
	g_assert_cmpint(tender_workload_get_state(job), ==, TENDER_STATE_RUNNING);
	g_assert_cmpstr(tender_workload_get_reason(job), ==, "no-runtime: bare");
	g_assert_cmpint(engine_state(fx, "idle"), ==, TENDER_STATE_CREATED);
	g_assert_cmpstr(tender_workload_get_reason(engine_get(fx, "idle")), ==, "no-runtime: bare");
	g_assert_cmpint(engine_state(fx, "done"), ==, TENDER_STATE_EXITED);
	g_assert_cmpint(tender_workload_get_exit_code(engine_get(fx, "done")), ==, 3);

	/* it cannot be reached: every call says why */
	g_assert_false(engine_start(fx, "idle", &error));
	engine_assert_not_supported(&error);
	g_assert_false(engine_stop(fx, "job", NULL, &error));
	engine_assert_not_supported(&error);
	g_assert_false(tender_engine_kill_workload(fx->engine, "job", SIGTERM, &error));
	engine_assert_not_supported(&error);
	g_assert_false(engine_pause(fx, "job", &error));
	engine_assert_not_supported(&error);
	g_assert_null(tender_engine_get_metrics(fx->engine, "job", &error));
	engine_assert_not_supported(&error);
	g_assert_cmpint(tender_workload_get_state(job), ==, TENDER_STATE_RUNNING);
	/* the state file still says what it said */
	g_assert_true(g_file_get_contents(job_file, &saved, NULL, NULL));
	g_assert_null(strstr(saved, "no-runtime"));

	/* but it can be removed: as any, a running one only by force */
	g_assert_false(engine_remove(fx, "orphan", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_true(engine_remove(fx, "orphan", force, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(orphan_file, G_FILE_TEST_EXISTS));
	g_assert_true(engine_remove(fx, "done", NULL, &error));
	g_assert_no_error(error);

	/* the runtime comes: the run that still runs is adopted, the one that ended ends */
	tender_fake_runtime_kill_run(fx->bare, gone_id);
	tender_engine_add_runtime(fx->engine, TENDER_RUNTIME(fx->bare));
	g_assert_cmpint(tender_workload_get_state(job), ==, TENDER_STATE_RUNNING);
	g_assert_cmpstr(tender_workload_get_reason(job), ==, "");
	g_assert_cmpuint(tender_workload_get_main_pid(job), ==, pid);
	g_assert_cmpint(engine_state(fx, "gone"), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(engine_get(fx, "gone")),
			==,
			"lost: fake process gone");
	g_assert_cmpstr(tender_workload_get_reason(engine_get(fx, "idle")), ==, "");
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->bare), ==, 4);
	g_assert_true(engine_stop(fx, "job", NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_workload_get_state(job), ==, TENDER_STATE_STOPPED);
	g_assert_true(engine_start(fx, "idle", &error));
	g_assert_no_error(error);
	g_assert_cmpint(engine_state(fx, "idle"), ==, TENDER_STATE_RUNNING);
}

int
main(int argc, char **argv)
{
	const struct {
		const gchar *path;
		void (*func)(EngineFixture *fx, gconstpointer data);
	} tests[] = {
	    {"/engine/lifecycle", test_engine_lifecycle},
	    {"/engine/remove-force", test_engine_remove_force},
	    {"/engine/start-fails", test_engine_start_fails},
	    {"/engine/ends-by-itself", test_engine_ends_by_itself},
	    {"/engine/restart-on-failure", test_engine_restart_on_failure},
	    {"/engine/restart-not-on-success", test_engine_restart_not_on_success},
	    {"/engine/stop-cancels-restart", test_engine_stop_cancels_restart},
	    {"/engine/stop-timeout", test_engine_stop_timeout},
	    {"/engine/stop-while-paused", test_engine_stop_while_paused},
	    {"/engine/metrics", test_engine_metrics},
	    {"/engine/metrics-async", test_engine_metrics_async},
	    {"/engine/max-runtime", test_engine_max_runtime},
	    {"/engine/health-stop", test_engine_health_stop},
	    {"/engine/health-restart", test_engine_health_restart},
	    {"/engine/health-healthy", test_engine_health_healthy},
	    {"/engine/adopt", test_engine_adopt},
	    {"/engine/adopt-stopping", test_engine_adopt_stopping},
	    {"/engine/runtime-by-spec", test_engine_runtime_by_spec},
	    {"/engine/max-workloads", test_engine_max_workloads},
	    {"/engine/runtime-missing", test_engine_runtime_missing},
	};

	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add(tests[i].path,
			   EngineFixture,
			   NULL,
			   engine_setup,
			   tests[i].func,
			   engine_teardown);
	return g_test_run();
}
