/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Plugins with the engine, in process: the runtimes they register (through the vtable of
 * <tender-1/tender-run.h>, as a built plugin would), and the workloads they own; and the
 * command a runtime makes of a spec, which a workload's Command shows.
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "tender-engine.h"
#include "tender-error.h"
#include "tender-fake-runtime.h"
#include "tender-plugin-private.h"
#include "tender-plugin-runtime.h"

#define WAIT_SEC 20

typedef struct {
	gchar *dir;
	TenderConfig *config;
	TenderFakeRuntime *scope;
	TenderEngine *engine;
} Fixture;

/* what the test runtime "vt" saw */
typedef struct {
	guint starts;
	gint last_signal;
	TenderRun *run;	    /* the last, until its data is destroyed */
	guint64 memory_max; /* of the last start's spec */
	guint runs_destroyed;
	gboolean user_data_destroyed;
	gboolean no_argv; /* the last start's spec had none */
} VtState;

static VtState vt;

static void
vt_run_destroy(gpointer data)
{
	vt.runs_destroyed++;
	if (vt.run == data)
		vt.run = NULL;
}

/* x-vt {"fail": <true>} makes the start fail */
static gboolean
vt_start(TenderRun *run, gpointer user_data, GError **error)
{
	GVariant *x = tender_run_get_extension(run, "x-vt");
	g_autoptr(GVariant) spec = NULL;
	gboolean fail = FALSE;

	g_assert_true(user_data == &vt);
	vt.starts++;
	if (x != NULL && g_variant_lookup(x, "fail", "b", &fail) && fail) {
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_FAILED, "vt says no");
		return FALSE;
	}
	vt.no_argv = tender_run_get_argv(run) == NULL;
	if (!vt.no_argv)
		g_assert_cmpstr(tender_run_get_argv(run)[0], ==, "true");
	spec = tender_run_get_spec(run);
	if (!g_variant_lookup(spec, "memory_max", "t", &vt.memory_max))
		vt.memory_max = 0;
	tender_run_set_id(run, tender_run_get_workload_name(run));
	tender_run_set_data(run, run, vt_run_destroy);
	vt.run = run;
	tender_run_report_running(run, 77);
	return TRUE;
}

static gboolean
vt_kill(TenderRun *run, gint signo, gpointer user_data, GError **error)
{
	vt.last_signal = signo;
	/* reported from within: the end comes once this has returned */
	if (signo == SIGTERM || signo == SIGKILL)
		tender_run_report_ended(run, -1, signo, NULL);
	return TRUE;
}

static gboolean
vt_get_metrics(TenderRun *run, TenderRunMetrics *metrics, gpointer user_data, GError **error)
{
	metrics->memory_bytes = 4096;
	metrics->tasks = 3;
	return TRUE;
}

/* x-vt {"bad": <true>} is refused at create, naming the key */
static gboolean
vt_check_spec(const gchar *workload, GVariant *spec, gpointer user_data, GError **error)
{
	g_autoptr(GVariant) x = g_variant_lookup_value(spec, "x-vt", G_VARIANT_TYPE_VARDICT);
	gboolean bad = FALSE;

	g_assert_true(user_data == &vt);
	if (x != NULL && g_variant_lookup(x, "bad", "b", &bad) && bad) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Workload '%s': x-vt says bad",
			    workload);
		return FALSE;
	}
	return TRUE;
}

static void
vt_user_data_destroy(gpointer data)
{
	vt.user_data_destroyed = TRUE;
}

static const TenderRuntimeVTable vt_vtable = {
    .struct_size = sizeof(TenderRuntimeVTable),
    .start = vt_start,
    .kill = vt_kill,
    .get_metrics = vt_get_metrics,
    .check_spec = vt_check_spec,
};

static gboolean
vt_init(TenderPlugin *plugin, GError **error)
{
	return tender_plugin_register_runtime(plugin,
					      "vt",
					      &vt_vtable,
					      &vt,
					      vt_user_data_destroy,
					      error);
}

static gboolean
plain_init(TenderPlugin *plugin, GError **error)
{
	return TRUE;
}

static TenderPlugin *
fixture_plugin(Fixture *fx, const gchar *name, gboolean with_runtime)
{
	static const TenderPluginDescriptor vt_descriptor = {
	    .abi_version = TENDER_PLUGIN_ABI_VERSION,
	    .struct_size = sizeof(TenderPluginDescriptor),
	    .name = "my-plugin",
	    .init = vt_init,
	};
	static const TenderPluginDescriptor other_descriptor = {
	    .abi_version = TENDER_PLUGIN_ABI_VERSION,
	    .struct_size = sizeof(TenderPluginDescriptor),
	    .name = "other",
	    .init = plain_init,
	};
	TenderPlugin *plugin = tender_plugin_new("/nowhere/x.so", fx->engine, fx->config, NULL);

	g_assert_cmpstr(name, ==, with_runtime ? "my-plugin" : "other");
	tender_plugin_set_descriptor(plugin,
				     NULL,
				     with_runtime ? &vt_descriptor : &other_descriptor);
	return plugin;
}

static void
fixture_open(Fixture *fx)
{
	g_autoptr(GError) error = NULL;

	fx->engine = tender_engine_new(fx->config);
	tender_engine_add_runtime(fx->engine, TENDER_RUNTIME(fx->scope));
	g_assert_true(tender_engine_setup(fx->engine, &error));
	g_assert_no_error(error);
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *template =
	    g_test_build_filename(G_TEST_BUILT, "plugin-runtime-XXXXXX", NULL);

	memset(&vt, 0, sizeof(vt));
	fx->dir = g_mkdtemp(g_steal_pointer(&template));
	g_assert_nonnull(fx->dir);
	fx->config = tender_config_new();
	g_free(fx->config->state_dir);
	fx->config->state_dir = g_build_filename(fx->dir, "state", NULL);
	fx->scope = tender_fake_runtime_new(TENDER_RUNTIME_SCOPE, "/dev/null");
	fixture_open(fx);
}

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			rm_rf(child);
		else
			g_assert_cmpint(g_unlink(child), ==, 0);
	}
	g_assert_cmpint(g_rmdir(path), ==, 0);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	g_clear_object(&fx->engine);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_object(&fx->scope);
	tender_config_free(fx->config);
	rm_rf(fx->dir);
	g_free(fx->dir);
}

static void
async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

static gboolean
timeout_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

static void
wait_for(GAsyncResult **res)
{
	gboolean timed_out = FALSE;
	guint id = g_timeout_add_seconds(WAIT_SEC, timeout_cb, &timed_out);

	while (*res == NULL && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(timed_out);
	g_source_remove(id);
}

typedef gboolean (*FinishFunc)(gpointer source, GAsyncResult *res, GError **error);

static gboolean
finish(gpointer source, GAsyncResult **res, gpointer finish_func, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	wait_for(res);
	result = g_steal_pointer(res);
	return ((FinishFunc)finish_func)(source, result, error);
}

static gboolean
engine_start(Fixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_start_workload_async(fx->engine, name, NULL, NULL, async_cb, &res);
	return finish(fx->engine, &res, tender_engine_start_workload_finish, error);
}

static gboolean
engine_stop(Fixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_stop_workload_async(fx->engine, name, NULL, NULL, async_cb, &res);
	return finish(fx->engine, &res, tender_engine_stop_workload_finish, error);
}

static gboolean
engine_pause(Fixture *fx, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_engine_pause_workload_async(fx->engine, name, NULL, async_cb, &res);
	return finish(fx->engine, &res, tender_engine_pause_workload_finish, error);
}

static TenderWorkload *
engine_create(Fixture *fx, const gchar *name, const gchar *spec, GError **error)
{
	g_autoptr(GVariant) value = g_variant_ref_sink(g_variant_new_parsed(spec));
	return tender_engine_create_workload(fx->engine, name, value, NULL, error);
}

#define SPEC_VT "{'argv': <['true']>, 'runtime': <'vt'>}"

static void
test_register(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) plugin = fixture_plugin(fx, "my-plugin", TRUE);
	g_autoptr(TenderPlugin) other = fixture_plugin(fx, "other", FALSE);
	TenderRuntimeVTable small = vt_vtable;
	TenderRuntimeVTable no_kill = vt_vtable;

	small.struct_size = 8;
	no_kill.kill = NULL;
	/* the core's runtime cannot be shadowed; names are a spec's */
	g_assert_false(
	    tender_plugin_register_runtime(other, "scope", &vt_vtable, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_runtime(other, "Vt", &vt_vtable, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(
	    tender_plugin_register_runtime(other, "v_t", &vt_vtable, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_runtime(other, "vt", &small, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(tender_plugin_register_runtime(other, "vt", &no_kill, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* served once the plugin is active, not before */
	g_assert_true(vt_init(plugin, &error));
	g_assert_no_error(error);
	g_assert_false(vt_init(plugin, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);
	g_assert_false(tender_engine_has_runtime(fx->engine, "vt"));
	g_assert_null(engine_create(fx, "early", SPEC_VT, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	/* dropped as after a failed init, and registered again by one that succeeds */
	tender_plugin_clear_runtimes(plugin);
	g_assert_true(vt.user_data_destroyed);
	vt.user_data_destroyed = FALSE;
	tender_plugin_start(plugin);
	g_assert_cmpint(tender_plugin_get_status(plugin), ==, TENDER_PLUGIN_STATUS_ACTIVE);
	g_assert_true(tender_engine_has_runtime(fx->engine, "vt"));
	/* taken: another plugin cannot have it */
	g_assert_false(tender_plugin_register_runtime(other, "vt", &vt_vtable, NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS);
	g_clear_error(&error);

	/* dropped with the plugin's registrations */
	g_clear_object(&plugin);
	g_assert_false(tender_engine_has_runtime(fx->engine, "vt"));
	g_assert_true(vt.user_data_destroyed);
}

static void
test_runs(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) plugin = fixture_plugin(fx, "my-plugin", TRUE);
	g_autoptr(GVariant) metrics = NULL;
	g_autofree gchar *state_file = NULL;
	g_autofree gchar *saved = NULL;
	TenderWorkload *w;
	TenderWorkload *bad;
	guint64 memory = 0;

	tender_plugin_start(plugin);
	w = engine_create(fx, "job", SPEC_VT, &error);
	g_assert_no_error(error);
	g_assert_true(engine_start(fx, "job", &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_cmpuint(tender_workload_get_main_pid(w), ==, 77);
	/* the ID the runtime gave is in the state file */
	state_file = g_build_filename(fx->dir, "state", "workloads", "job.json", NULL);
	g_assert_true(g_file_get_contents(state_file, &saved, NULL, NULL));
	g_assert_nonnull(strstr(saved, "\"id\" : \"job\""));

	/* what it has, and what it has not */
	metrics = g_variant_ref_sink(tender_engine_get_metrics(fx->engine, "job", &error));
	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(metrics, "memory_bytes", "t", &memory));
	g_assert_cmpuint(memory, ==, 4096);
	g_assert_false(engine_pause(fx, "job", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* a stop is SIGTERM without a stop function; the end counts as stopped */
	g_assert_true(engine_stop(fx, "job", &error));
	g_assert_no_error(error);
	g_assert_cmpint(vt.last_signal, ==, SIGTERM);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
	g_assert_cmpuint(tender_workload_get_main_pid(w), ==, 0);

	/* it ends by itself */
	g_assert_true(engine_start(fx, "job", &error));
	g_assert_nonnull(vt.run);
	tender_run_report_ended(vt.run, 5, 0, NULL);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "exit-code: 5");
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, 5);
	/* the engine keeps the ended run until the next: then its data goes */
	g_assert_true(engine_start(fx, "job", &error));
	g_assert_cmpuint(vt.runs_destroyed, ==, 2);

	/* the runtime sees the whole spec, limits included */
	g_assert_cmpuint(vt.memory_max, ==, 0);
	g_assert_nonnull(
	    engine_create(fx,
			  "limited",
			  "{'argv': <['true']>, 'runtime': <'vt'>, 'memory_max': <uint64 1048576>}",
			  &error));
	g_assert_no_error(error);
	g_assert_true(engine_start(fx, "limited", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(vt.memory_max, ==, 1048576);

	/* a spec the runtime refuses, at create, with its error; the isolation keys too */
	g_assert_null(engine_create(fx,
				    "refused",
				    "{'argv': <['true']>, 'runtime': <'vt'>, 'x-vt': <{'bad': "
				    "<true>}>}",
				    &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Workload 'refused': x-vt says bad");
	g_clear_error(&error);
	g_assert_null(
	    engine_create(fx,
			  "refused",
			  "{'argv': <['true']>, 'runtime': <'vt'>, 'isolation': <'strict'>}",
			  &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);

	/* a start the runtime refuses */
	bad = engine_create(fx,
			    "bad",
			    "{'argv': <['true']>, 'runtime': <'vt'>, 'x-vt': <{'fail': "
			    "<true>}>}",
			    &error);
	g_assert_no_error(error);
	g_assert_false(engine_start(fx, "bad", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&error);
	g_assert_cmpint(tender_workload_get_state(bad), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(bad), ==, "start: vt says no");

	/* the runtime goes with its plugin: the run under way is detached */
	g_clear_object(&plugin);
	g_assert_null(vt.run);
	g_assert_cmpuint(vt.runs_destroyed, ==, 4);
	g_assert_false(engine_start(fx, "bad", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
}

/* ExecWorkload with the options @options (GVariant text) and the descriptors @fds */
static gboolean
engine_exec(Fixture *fx,
	    const gchar *name,
	    const gchar *const *argv,
	    const gchar *options,
	    GUnixFDList *fds,
	    GError **error)
{
	g_autoptr(GVariant) value = g_variant_ref_sink(g_variant_new_parsed(options));
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(TenderRuntimeExec) exec = NULL;

	tender_engine_exec_workload_async(fx->engine, name, argv, value, fds, NULL, async_cb, &res);
	wait_for(&res);
	exec = tender_engine_exec_workload_finish(fx->engine, res, error);
	return exec != NULL;
}

/* ExecWorkload refuses what it cannot do, naming why, before a runtime sees the command */
static void
test_exec(Fixture *fx, gconstpointer data)
{
	const gchar *const argv[] = {"true", NULL};
	const gchar *const empty[] = {NULL};
	const struct {
		const gchar *options;
		const gchar *named;
	} bad[] = {
	    {"{'max_output': <uint64 16777217>}", "'max_output'"},
	    {"{'working_directory': <'relative'>}", "'working_directory'"},
	    {"{'env': <['1X=2']>}", "'env'"},
	    {"{'env': <['X']>}", "'env'"},
	    {"{'timeout_sec': <'1'>}", "'timeout_sec'"},
	    {"{'terminal_size': <(uint16 24, uint16 80)>}", "'terminal_size'"},
	    {"{'stdout': <handle 0>}", "'stdout'"},
	    {"{'stdin': <'text'>}", "'stdin'"},
	    {"{'tty': <true>, 'stderr': <handle 0>}", "'stderr'"},
	    {"{'bogus': <true>}", "'bogus'"},
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) plugin = fixture_plugin(fx, "my-plugin", TRUE);
	g_autoptr(GUnixFDList) fds = g_unix_fd_list_new();

	g_assert_cmpint(g_unix_fd_list_append(fds, STDERR_FILENO, NULL), ==, 0);
	tender_plugin_start(plugin);
	engine_create(fx, "created", "{'argv': <['true']>}", &error);
	engine_create(fx, "job", SPEC_VT, &error);
	g_assert_no_error(error);
	g_assert_true(engine_start(fx, "job", &error));

	/* a runtime without exec: the plugin's, as the fake scope runtime here */
	g_assert_false(engine_exec(fx, "job", argv, "@a{sv} {}", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_nonnull(strstr(error->message, "'vt'"));
	g_clear_error(&error);
	g_assert_false(engine_exec(fx, "created", argv, "@a{sv} {}", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_false(engine_exec(fx, "nothing", argv, "@a{sv} {}", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(engine_exec(fx, "job", empty, "@a{sv} {}", NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'argv'"));
	g_clear_error(&error);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		/* the handle 0 is there only for the last but one */
		GUnixFDList *with = i + 2 == G_N_ELEMENTS(bad) ? fds : NULL;
		g_assert_false(engine_exec(fx, "job", argv, bad[i].options, with, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i].named));
		g_clear_error(&error);
	}
}

static gboolean
plugin_stop(TenderPlugin *plugin, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_plugin_stop_workload_async(plugin, name, 0, NULL, async_cb, &res);
	return finish(plugin, &res, tender_plugin_stop_workload_finish, error);
}

static gboolean
plugin_start(TenderPlugin *plugin, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_plugin_start_workload_async(plugin, name, NULL, async_cb, &res);
	return finish(plugin, &res, tender_plugin_start_workload_finish, error);
}

static gboolean
plugin_remove(TenderPlugin *plugin, const gchar *name, GError **error)
{
	GAsyncResult *res = NULL;
	tender_plugin_remove_workload_async(plugin, name, TRUE, NULL, async_cb, &res);
	return finish(plugin, &res, tender_plugin_remove_workload_finish, error);
}

static void
assert_denied(GError **error, const gchar *owner)
{
	g_assert_error(*error, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED);
	g_assert_nonnull(strstr((*error)->message, owner));
	g_clear_error(error);
}

static void
test_owner(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) mine = fixture_plugin(fx, "my-plugin", TRUE);
	g_autoptr(TenderPlugin) other = fixture_plugin(fx, "other", FALSE);
	g_autoptr(GVariant) spec = g_variant_ref_sink(g_variant_new_parsed(SPEC_VT));
	g_autoptr(GVariant) props = NULL;
	g_autoptr(GVariant) options =
	    g_variant_ref_sink(g_variant_new_parsed("{'name': <'copy'>}"));
	g_autofree gchar *json = NULL;
	const gchar *owner = NULL;
	TenderWorkload *copy;

	tender_plugin_start(mine);
	tender_plugin_start(other);
	g_assert_true(tender_plugin_create_workload(mine, "mine", spec, &error));
	g_assert_true(tender_plugin_create_workload(other, "theirs", spec, &error));
	g_assert_nonnull(engine_create(fx, "users", SPEC_VT, &error));
	g_assert_no_error(error);
	props = tender_plugin_get_workload(other, "mine", &error);
	g_assert_true(g_variant_lookup(props, "Owner", "&s", &owner));
	g_assert_cmpstr(owner, ==, "my-plugin");
	g_assert_cmpstr(tender_workload_get_owner(
			    tender_engine_get_workload(fx->engine, "users", NULL)),
			==,
			"");

	/* a plugin manages what it owns */
	g_assert_true(plugin_start(mine, "mine", &error));
	g_assert_no_error(error);
	g_assert_true(tender_plugin_kill_workload(mine, "mine", SIGUSR1, &error));
	g_assert_true(plugin_stop(mine, "mine", &error));
	g_assert_no_error(error);
	/* and nothing else */
	g_assert_false(plugin_start(mine, "users", &error));
	assert_denied(&error, "belongs to the users");
	g_assert_false(plugin_start(mine, "theirs", &error));
	assert_denied(&error, "belongs to plugin 'other'");
	g_assert_true(engine_start(fx, "theirs", &error));
	g_assert_false(plugin_stop(mine, "theirs", &error));
	assert_denied(&error, "plugin 'other'");
	g_assert_false(tender_plugin_kill_workload(mine, "theirs", SIGTERM, &error));
	assert_denied(&error, "plugin 'other'");
	g_assert_false(plugin_remove(mine, "theirs", &error));
	assert_denied(&error, "plugin 'other'");
	g_assert_cmpint(tender_workload_get_state(
			    tender_engine_get_workload(fx->engine, "theirs", NULL)),
			==,
			TENDER_STATE_RUNNING);
	/* users manage any */
	g_assert_true(engine_stop(fx, "theirs", &error));
	g_assert_no_error(error);

	/* the owner goes along with an export, and survives a restart */
	json = tender_engine_export_workload(fx->engine, "mine", &error);
	g_assert_nonnull(strstr(json, "\"owner\" : \"my-plugin\""));
	copy = tender_engine_import_workload(fx->engine, json, options, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_workload_get_owner(copy), ==, "my-plugin");
	g_clear_object(&mine);
	g_clear_object(&other);
	g_clear_object(&fx->engine);
	fixture_open(fx);
	g_assert_cmpstr(tender_workload_get_owner(
			    tender_engine_get_workload(fx->engine, "mine", NULL)),
			==,
			"my-plugin");
}

static void
command_changed_cb(TenderWorkload *w, const gchar *property, gpointer user_data)
{
	if (g_strcmp0(property, "Command") == 0)
		(*(guint *)user_data)++;
}

static void
assert_command(Fixture *fx, const gchar *name, const gchar *expected)
{
	TenderWorkload *w = tender_engine_get_workload(fx->engine, name, NULL);
	g_autoptr(GVariant) value =
	    g_variant_ref_sink(tender_engine_get_workload_property(fx->engine, w, "Command"));
	g_autofree const gchar **command = g_variant_get_strv(value, NULL);
	g_autofree gchar *line = g_strjoinv(" ", (gchar **)command);

	g_assert_cmpstr(line, ==, expected);
}

/* the Command property is what the workload's runtime makes of its spec (as the scope runtime
 * puts an image's Entrypoint and Cmd in), at create, import, every start and a takeover; a
 * spec of which it makes no command is refused there */
static void
test_command(Fixture *fx, gconstpointer data)
{
	const gchar *wrap[] = {"/bin/wrap", NULL};
	const gchar *other[] = {"/bin/other", NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) options =
	    g_variant_ref_sink(g_variant_new_parsed("{'name': <'copy'>}"));
	g_autofree gchar *json = NULL;
	TenderWorkload *w;
	guint changed = 0;

	tender_fake_runtime_set_entrypoint(fx->scope, wrap, FALSE);
	w = engine_create(fx, "job", "{'argv': <['true', 'x']>}", &error);
	g_assert_no_error(error);
	assert_command(fx, "job", "/bin/wrap true x");
	g_assert_cmpstr(tender_workload_get_spec(w)->argv[0], ==, "true");

	/* made again at a start, and announced */
	g_signal_connect(w, "changed", G_CALLBACK(command_changed_cb), &changed);
	tender_fake_runtime_set_entrypoint(fx->scope, other, FALSE);
	g_assert_true(engine_start(fx, "job", &error));
	g_assert_no_error(error);
	assert_command(fx, "job", "/bin/other true x");
	g_assert_cmpuint(changed, ==, 1);
	g_assert_true(engine_stop(fx, "job", &error));
	g_assert_true(engine_start(fx, "job", &error));
	g_assert_cmpuint(changed, ==, 1);
	g_assert_true(engine_stop(fx, "job", &error));

	/* nothing to run: the start is refused before anything runs, and create and import */
	tender_fake_runtime_set_entrypoint(fx->scope, NULL, TRUE);
	g_assert_false(engine_start(fx, "job", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_STOPPED);
	g_assert_cmpuint(tender_fake_runtime_get_n_starts(fx->scope), ==, 2);
	g_assert_null(engine_create(fx, "new", "{'argv': <['true']>}", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	json = tender_engine_export_workload(fx->engine, "job", &error);
	g_assert_no_error(error);
	g_assert_null(tender_engine_import_workload(fx->engine, json, options, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_null(tender_engine_get_workload(fx->engine, "new", NULL));
	g_assert_null(tender_engine_get_workload(fx->engine, "copy", NULL));

	/* a new tenderd takes it over with what its runtime makes now */
	tender_fake_runtime_set_entrypoint(fx->scope, wrap, FALSE);
	g_clear_object(&fx->engine);
	fixture_open(fx);
	assert_command(fx, "job", "/bin/wrap true x");
}

/* a runtime that has no check_spec, as one built against the header before it (its padding) */
static const TenderRuntimeVTable plain_vtable = {
    .struct_size = sizeof(TenderRuntimeVTable),
    .start = vt_start,
    .kill = vt_kill,
};

/* a plugin's runtime may do without argv (as docker's runs an image's Cmd): its check_spec
 * decides, and the Command is empty; one without a check_spec has argv, as it always had; the
 * scope runtime needs it, as ever; and a run's end is told once reported */
static void
test_no_argv(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) plugin = fixture_plugin(fx, "my-plugin", TRUE);
	g_autoptr(TenderPlugin) other = fixture_plugin(fx, "other", FALSE);
	TenderWorkload *w;
	TenderRun *run;

	tender_plugin_start(plugin);
	g_assert_true(
	    tender_plugin_register_runtime(other, "plain", &plain_vtable, NULL, NULL, &error));
	g_assert_no_error(error);
	tender_plugin_start(other);
	w = engine_create(fx, "imaged", "{'runtime': <'vt'>, 'x-vt': <{'image': <'x'>}>}", &error);
	g_assert_no_error(error);
	g_assert_nonnull(w);
	assert_command(fx, "imaged", "");
	g_assert_true(engine_start(fx, "imaged", &error));
	g_assert_no_error(error);
	g_assert_true(vt.no_argv);
	run = vt.run;
	g_assert_false(tender_run_has_ended(run));
	tender_run_report_ended(run, 0, 0, NULL);
	g_assert_true(tender_run_has_ended(run));
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_EXITED);

	/* refused by its check_spec like any spec */
	g_assert_null(
	    engine_create(fx, "bad", "{'runtime': <'vt'>, 'x-vt': <{'bad': <true>}>}", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_null(engine_create(fx, "plain", "{'runtime': <'plain'>}", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Spec key 'argv' is required");
	g_clear_error(&error);
	g_assert_null(engine_create(fx, "scoped", "{'runtime': <'scope'>}", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Spec key 'argv' is required");
	g_clear_error(&error);
	g_assert_nonnull(
	    engine_create(fx, "plain", "{'argv': <['true']>, 'runtime': <'plain'>}", &error));
	g_assert_no_error(error);
}

/* an end the runtime says the OOM killer made: Reason oom-kill and OOMKilled, until the next
 * start */
static void
test_oom_kill(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderPlugin) plugin = fixture_plugin(fx, "my-plugin", TRUE);
	TenderWorkload *w;

	tender_plugin_start(plugin);
	w = engine_create(fx, "hungry", SPEC_VT, &error);
	g_assert_no_error(error);
	g_assert_true(engine_start(fx, "hungry", &error));
	g_assert_no_error(error);
	tender_run_report_ended(vt.run, -1, SIGKILL, "oom-kill");
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_FAILED);
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "oom-kill");
	g_assert_true(tender_workload_get_oom_killed(w));
	g_assert_true(engine_start(fx, "hungry", &error));
	g_assert_false(tender_workload_get_oom_killed(w));
	tender_run_report_ended(vt.run, 1, 0, NULL);
	g_assert_false(tender_workload_get_oom_killed(w));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/plugin-runtime/register",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_register,
		   fixture_teardown);
	g_test_add("/plugin-runtime/runs",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_runs,
		   fixture_teardown);
	g_test_add("/plugin-runtime/exec",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_exec,
		   fixture_teardown);
	g_test_add("/plugin-runtime/owner",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_owner,
		   fixture_teardown);
	g_test_add("/plugin-runtime/command",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_command,
		   fixture_teardown);
	g_test_add("/plugin-runtime/oom-kill",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_oom_kill,
		   fixture_teardown);
	g_test_add("/plugin-runtime/no-argv",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_no_argv,
		   fixture_teardown);
	return g_test_run();
}
