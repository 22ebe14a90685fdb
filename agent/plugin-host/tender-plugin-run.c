/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>

#include "tender-error.h"
#include "tender-plugin-run.h"
#include "tender-run-exec-private.h"
#include "tender-units.h"
#include "tender-util.h"

/*
 * TenderPluginRun is a run in a plugin's runtime: a TenderRuntimeRun whose vfuncs call the
 * plain functions of the plugin's TenderRuntimeVTable.  Plugins see it as the opaque
 * TenderRun of <tender-1/tender-run.h>, and report through it; the core's classes are not
 * part of the plugin ABI.  An end the plugin reports from within one of its functions is
 * reported once that function has returned, as the engine expects a run to end later than
 * the call that ends it.  Once its runtime is dropped (its plugin went away), the run is
 * detached: its data is destroyed, and it calls nothing of the plugin any more.
 */

struct _TenderPluginRun {
	TenderRuntimeRun parent_instance;
	TenderPluginRuntime *runtime;
	gchar *id;
	GPid pid;
	GTask *start_task;
	gboolean paused;
	gboolean detached;
	gpointer data;
	GDestroyNotify data_destroy;
	/* an end reported from within a vtable function, reported once that returned */
	guint in_call;
	guint end_id;
	gint end_exit_code;
	gint end_exit_signal;
	gchar *end_reason;
	/* the runtime refused the start as Unavailable: what it needs is away for now */
	gboolean start_unavailable;
	GPtrArray *execs; /* of TenderRunExec, commands under way, not owned */
};

G_DEFINE_TYPE(TenderPluginRun, tender_plugin_run, TENDER_TYPE_RUNTIME_RUN)

/* a plugin's TenderRun is a TenderPluginRun */
#define TENDER_PLUGIN_RUN_FROM(run) ((TenderPluginRun *)(run))

static const gchar *
tender_plugin_run_get_name(TenderPluginRun *self)
{
	return tender_workload_get_name(tender_runtime_run_get_workload(TENDER_RUNTIME_RUN(self)));
}

/* the vtable of the run's runtime, or %NULL with NotSupported once it is detached */
static const TenderRuntimeVTable *
tender_plugin_run_vtable(TenderPluginRun *self, GError **error)
{
	if (self->detached) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "The runtime of workload '%s' is gone",
			    tender_plugin_run_get_name(self));
		return NULL;
	}
	return tender_plugin_runtime_get_vtable(self->runtime, error);
}

static gpointer
tender_plugin_run_user_data(TenderPluginRun *self)
{
	return tender_plugin_runtime_get_user_data(self->runtime);
}

/* the run has ended, or will as soon as the vtable function under way returns */
static gboolean
tender_plugin_run_is_over(TenderPluginRun *self)
{
	return self->end_id != 0 || tender_runtime_run_has_ended(TENDER_RUNTIME_RUN(self));
}

static void
tender_plugin_run_start_async(TenderRuntimeRun *run,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *reason = NULL;
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, &error);
	gboolean ok;

	self->start_task = g_object_ref(task);
	self->in_call++;
	ok = vtable != NULL &&
	     vtable->start((TenderRun *)self, tender_plugin_run_user_data(self), &error);
	self->in_call--;
	if (ok || tender_plugin_run_is_over(self))
		return;
	if (error == NULL)
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "the runtime could not start it, and did not say why");
	self->start_unavailable = g_error_matches(error, TENDER_ERROR, TENDER_ERROR_UNAVAILABLE);
	reason = g_strdup_printf("start: %s", error->message);
	tender_run_report_ended((TenderRun *)self, -1, 0, reason);
}

static gboolean
tender_plugin_run_start_finish(TenderRuntimeRun *run, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static gboolean
tender_plugin_run_kill(TenderRuntimeRun *run, gint signo, guint *n_signalled, GError **error)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, error);
	gboolean ok;

	if (n_signalled != NULL)
		*n_signalled = 0;
	if (vtable == NULL)
		return FALSE;
	if (tender_plugin_run_is_over(self))
		return TRUE;
	self->in_call++;
	ok = vtable->kill((TenderRun *)self, signo, tender_plugin_run_user_data(self), error);
	self->in_call--;
	if (!ok)
		return FALSE;
	if (n_signalled != NULL)
		*n_signalled = 1;
	return TRUE;
}

static gboolean
tender_plugin_run_stop(TenderRuntimeRun *run, GError **error)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, error);
	gboolean ok;

	if (vtable == NULL)
		return FALSE;
	if (vtable->stop == NULL)
		return tender_plugin_run_kill(run, SIGTERM, NULL, error);
	if (tender_plugin_run_is_over(self))
		return TRUE;
	self->in_call++;
	ok = vtable->stop((TenderRun *)self, tender_plugin_run_user_data(self), error);
	self->in_call--;
	return ok;
}

static void
tender_plugin_run_set_paused_async(TenderRuntimeRun *run,
				   gboolean paused,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, &error);
	gboolean (*func)(TenderRun *, gpointer, GError **) = NULL;

	if (vtable != NULL)
		func = paused ? vtable->pause : vtable->resume;
	if (vtable != NULL && func == NULL)
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "The runtime of workload '%s' cannot %s it",
			    tender_plugin_run_get_name(self),
			    paused ? "pause" : "resume");
	if (func == NULL || !func((TenderRun *)self, tender_plugin_run_user_data(self), &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	self->paused = paused;
	g_task_return_boolean(task, TRUE);
}

static gboolean
tender_plugin_run_get_paused(TenderRuntimeRun *run)
{
	return TENDER_PLUGIN_RUN(run)->paused;
}

static gboolean
tender_plugin_run_read_metrics(TenderRuntimeRun *run, TenderRuntimeMetrics *metrics, GError **error)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, error);

	if (vtable == NULL)
		return FALSE;
	if (vtable->get_metrics == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "its runtime has no metrics");
		return FALSE;
	}
	return vtable->get_metrics((TenderRun *)self,
				   metrics,
				   tender_plugin_run_user_data(self),
				   error);
}

static GVariant *
tender_plugin_run_read_limits(TenderRuntimeRun *run, GError **error)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, NULL);
	GVariant *limits;

	if (vtable == NULL || vtable->get_limits == NULL)
		return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	limits = vtable->get_limits((TenderRun *)self, tender_plugin_run_user_data(self), error);
	if (limits != NULL && !g_variant_is_of_type(limits, G_VARIANT_TYPE_VARDICT)) {
		g_variant_unref(g_variant_ref_sink(limits));
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The runtime of workload '%s' gave limits that are no a{sv}",
			    tender_plugin_run_get_name(self));
		return NULL;
	}
	return limits;
}

/* a run the runtime cannot take over is lost */
static void
tender_plugin_run_lost(TenderPluginRun *self, const gchar *why)
{
	g_autofree gchar *reason = g_strdup_printf("lost: %s", why);

	if (!tender_plugin_run_is_over(self))
		tender_run_report_ended((TenderRun *)self, -1, 0, reason);
}

/* asks the runtime to take over the run of @run_id; %FALSE if it was lost */
static gboolean
tender_plugin_run_take(TenderPluginRun *self, const gchar *run_id, GPid pid)
{
	g_autoptr(GError) error = NULL;
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, &error);
	gboolean ok = FALSE;

	g_free(self->id);
	self->id = g_strdup(run_id);
	self->pid = pid;
	if (vtable != NULL && vtable->adopt == NULL)
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "its runtime cannot take over runs");
	if (error == NULL) {
		self->in_call++;
		ok = vtable->adopt((TenderRun *)self, tender_plugin_run_user_data(self), &error);
		self->in_call--;
	}
	if (ok)
		return TRUE;
	tender_plugin_run_lost(self,
			       error != NULL ? error->message : "its runtime did not say why");
	return FALSE;
}

static void
tender_plugin_run_adopt(TenderRuntimeRun *run, const gchar *run_id, GPid pid)
{
	(void)tender_plugin_run_take(TENDER_PLUGIN_RUN(run), run_id, pid);
}

static void
tender_plugin_run_abandon(TenderRuntimeRun *run, const gchar *run_id)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(run);

	/* its caller never heard that it runs: whatever of it runs is killed */
	if (tender_plugin_run_take(self, run_id, 0))
		(void)tender_plugin_run_kill(run, SIGKILL, NULL, NULL);
	tender_plugin_run_lost(self, "tenderd stopped while starting it");
}

static const gchar *
tender_plugin_run_get_id_cb(TenderRuntimeRun *run)
{
	return TENDER_PLUGIN_RUN(run)->id;
}

static void
tender_plugin_run_exec_done(TenderRunExec *view, gpointer user_data)
{
	TenderPluginRun *self = user_data;

	g_ptr_array_remove_fast(self->execs, view);
}

/* the vtable's exec, if the plugin's header and vtable have it */
static gboolean
tender_plugin_run_check_exec(TenderPluginRun *self,
			     const TenderRuntimeVTable *vtable,
			     GError **error)
{
	if (vtable == NULL)
		return FALSE;
	if (vtable->struct_size < G_STRUCT_OFFSET(TenderRuntimeVTable, exec) + sizeof(gpointer) ||
	    vtable->exec == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "Runtime '%s' of workload '%s' cannot run commands in its workloads",
			    tender_runtime_get_name(TENDER_RUNTIME(self->runtime)),
			    tender_plugin_run_get_name(self));
		return FALSE;
	}
	if (tender_plugin_run_is_over(self)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' has ended; commands run only in a running workload",
			    tender_plugin_run_get_name(self));
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_plugin_run_exec:
 * @self: a #TenderPluginRun
 * @exec: the command, valid until @task returns
 * @cancellable: (nullable): cancelled when the caller has gone
 * @task: (transfer full): returns once the plugin has reported the command's end (or it
 *   cannot run)
 *
 * Runs a command in the run, through the vtable's exec.
 */
void
tender_plugin_run_exec(TenderPluginRun *self,
		       TenderRuntimeExec *exec,
		       GCancellable *cancellable,
		       GTask *task)
{
	g_autoptr(GTask) owned = task;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderRunExec) view = NULL;
	const TenderRuntimeVTable *vtable = tender_plugin_run_vtable(self, &error);
	gboolean ok;

	if (!tender_plugin_run_check_exec(self, vtable, &error)) {
		g_task_return_error(owned, g_steal_pointer(&error));
		return;
	}
	view = tender_run_exec_new(exec, owned, cancellable, tender_plugin_run_exec_done, self);
	g_ptr_array_add(self->execs, view);
	self->in_call++;
	ok = vtable->exec((TenderRun *)self, view, tender_plugin_run_user_data(self), &error);
	self->in_call--;
	if (ok)
		return;
	if (error == NULL)
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "the runtime could not run the command, and did not say why");
	tender_run_exec_refuse(view, g_steal_pointer(&error));
}

/* the commands under way fail: the runtime is gone */
static void
tender_plugin_run_orphan_execs(TenderPluginRun *self)
{
	while (self->execs->len > 0) {
		TenderRunExec *view = g_ptr_array_steal_index_fast(self->execs, 0);
		tender_run_exec_orphan(view, "The runtime went away while the command ran");
	}
}

static GPid
tender_plugin_run_get_pid(TenderRuntimeRun *run)
{
	return TENDER_PLUGIN_RUN(run)->pid;
}

/**
 * tender_plugin_run_detach:
 * @self: a #TenderPluginRun
 *
 * Its runtime is dropped: the run's data is destroyed, and it calls its runtime no more.
 */
void
tender_plugin_run_detach(TenderPluginRun *self)
{
	GDestroyNotify destroy = g_steal_pointer(&self->data_destroy);
	gpointer data = g_steal_pointer(&self->data);

	self->detached = TRUE;
	tender_plugin_run_orphan_execs(self);
	if (destroy != NULL)
		destroy(data);
}

static void
tender_plugin_run_dispose(GObject *object)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(object);

	g_clear_handle_id(&self->end_id, g_source_remove);
	if (!self->detached) {
		tender_plugin_runtime_remove_run(self->runtime, object);
		tender_plugin_run_detach(self);
	}
	G_OBJECT_CLASS(tender_plugin_run_parent_class)->dispose(object);
}

static void
tender_plugin_run_finalize(GObject *object)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(object);

	g_clear_object(&self->start_task);
	g_object_unref(self->runtime);
	g_free(self->id);
	g_free(self->end_reason);
	g_ptr_array_unref(self->execs);
	G_OBJECT_CLASS(tender_plugin_run_parent_class)->finalize(object);
}

static void
tender_plugin_run_class_init(TenderPluginRunClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	TenderRuntimeRunClass *run_class = TENDER_RUNTIME_RUN_CLASS(klass);

	object_class->dispose = tender_plugin_run_dispose;
	object_class->finalize = tender_plugin_run_finalize;
	run_class->start_async = tender_plugin_run_start_async;
	run_class->start_finish = tender_plugin_run_start_finish;
	run_class->stop = tender_plugin_run_stop;
	run_class->kill = tender_plugin_run_kill;
	run_class->set_paused_async = tender_plugin_run_set_paused_async;
	run_class->set_paused_finish = tender_plugin_run_start_finish;
	run_class->get_paused = tender_plugin_run_get_paused;
	run_class->read_metrics = tender_plugin_run_read_metrics;
	run_class->read_limits = tender_plugin_run_read_limits;
	run_class->adopt = tender_plugin_run_adopt;
	run_class->abandon = tender_plugin_run_abandon;
	run_class->get_id = tender_plugin_run_get_id_cb;
	run_class->get_pid = tender_plugin_run_get_pid;
}

static void
tender_plugin_run_init(TenderPluginRun *self)
{
	self->id = g_uuid_string_random();
	self->execs = g_ptr_array_new();
}

/**
 * tender_plugin_run_new:
 * @runtime: a plugin's runtime
 * @workload: the workload to run
 *
 * Returns: (transfer full): a new run, with a random ID until the runtime sets one
 */
TenderRuntimeRun *
tender_plugin_run_new(TenderPluginRuntime *runtime, TenderWorkload *workload)
{
	TenderPluginRun *self = g_object_new(TENDER_TYPE_PLUGIN_RUN, "workload", workload, NULL);

	self->runtime = g_object_ref(runtime);
	tender_plugin_runtime_add_run(runtime, G_OBJECT(self));
	return TENDER_RUNTIME_RUN(self);
}

/* --- the plugin API --- */

/**
 * tender_run_get_workload_name:
 * @run: a #TenderRun
 *
 * Returns: the name of the workload this is a run of
 *
 * Since: 0.2
 */
const gchar *
tender_run_get_workload_name(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	return tender_plugin_run_get_name(TENDER_PLUGIN_RUN_FROM(run));
}

static const TenderSpec *
tender_plugin_run_get_spec(TenderPluginRun *self)
{
	return tender_workload_get_spec(tender_runtime_run_get_workload(TENDER_RUNTIME_RUN(self)));
}

/**
 * tender_run_get_argv:
 * @run: a #TenderRun
 *
 * Returns: (transfer none): the spec's argv, %NULL-terminated
 *
 * Since: 0.2
 */
const gchar *const *
tender_run_get_argv(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	return (const gchar *const *)tender_plugin_run_get_spec(TENDER_PLUGIN_RUN_FROM(run))->argv;
}

/**
 * tender_run_get_spec:
 * @run: a #TenderRun
 *
 * The whole spec of the run's workload, e.g. for its limits ("memory_max", "cpu_quota",
 * "tasks_max") and environment.
 *
 * Returns: (transfer full): the workload's Spec: an a{sv} with the defaults filled in, as
 *   the org.tender.Agent1.Workload property has it
 *
 * Since: 0.3
 */
GVariant *
tender_run_get_spec(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	return g_variant_ref_sink(
	    tender_spec_to_variant(tender_plugin_run_get_spec(TENDER_PLUGIN_RUN_FROM(run))));
}

/**
 * tender_run_get_extension:
 * @run: a #TenderRun
 * @key: an x-NAME spec key, e.g. "x-docker" for the runtime "docker"
 *
 * The runtime's own spec keys: tenderd keeps an x-NAME key of a spec as it was given (an
 * a{sv}, in normal form, within bounds) and hands it to the runtime as it is; checking what
 * is in it is the runtime's job.
 *
 * Returns: (transfer none) (nullable): the a{sv} of @key in the workload's spec, or %NULL
 *   if the spec has none
 *
 * Since: 0.2
 */
GVariant *
tender_run_get_extension(TenderRun *run, const gchar *key)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	return tender_spec_get_extension(tender_plugin_run_get_spec(TENDER_PLUGIN_RUN_FROM(run)),
					 key);
}

/**
 * tender_run_get_id:
 * @run: a #TenderRun
 *
 * Returns: the run's ID: random unless the runtime set one; for a run being taken over
 *   (#TenderRuntimeVTable.adopt), the one it had
 *
 * Since: 0.2
 */
const gchar *
tender_run_get_id(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	return TENDER_PLUGIN_RUN_FROM(run)->id;
}

/**
 * tender_run_set_id:
 * @run: a #TenderRun
 * @id: what the runtime knows the run by (e.g. a container ID), 1 to 255 bytes of UTF-8
 *
 * The ID is kept in the workload's state file, so that after a restart of tenderd the
 * runtime's adopt finds the run again.  Set it before tender_run_report_running().
 *
 * Since: 0.2
 */
void
tender_run_set_id(TenderRun *run, const gchar *id)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN_FROM(run);

	g_return_if_fail(TENDER_IS_PLUGIN_RUN(run));
	g_return_if_fail(id != NULL && id[0] != '\0' && strlen(id) <= 255);
	g_return_if_fail(g_utf8_validate(id, -1, NULL));
	g_free(self->id);
	self->id = g_strdup(id);
}

/**
 * tender_run_set_data:
 * @run: a #TenderRun
 * @data: (nullable): the runtime's own state for the run
 * @destroy: (nullable): frees @data when tenderd is done with the run (or its runtime is
 *   dropped); from then on @run must not be used
 *
 * Keeps one pointer for the runtime; a previous one is destroyed.
 *
 * Since: 0.2
 */
void
tender_run_set_data(TenderRun *run, gpointer data, GDestroyNotify destroy)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN_FROM(run);
	GDestroyNotify old_destroy;
	gpointer old_data;

	g_return_if_fail(TENDER_IS_PLUGIN_RUN(run));
	old_destroy = self->data_destroy;
	old_data = self->data;
	self->data = data;
	self->data_destroy = destroy;
	if (old_destroy != NULL)
		old_destroy(old_data);
}

/**
 * tender_run_get_data:
 * @run: a #TenderRun
 *
 * Returns: (transfer none) (nullable): what tender_run_set_data() kept
 *
 * Since: 0.2
 */
gpointer
tender_run_get_data(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), NULL);
	return TENDER_PLUGIN_RUN_FROM(run)->data;
}

/**
 * tender_run_get_stop_requested:
 * @run: a #TenderRun
 *
 * Returns: %TRUE once the run is being stopped (StopWorkload, max_runtime_sec, a health
 *   check's action): its end counts as stopped, whatever exit status it reports
 *
 * Since: 0.2
 */
gboolean
tender_run_get_stop_requested(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), FALSE);
	return tender_runtime_run_get_stop_requested(TENDER_RUNTIME_RUN(run));
}

/**
 * tender_run_has_ended:
 * @run: a #TenderRun
 *
 * Whether the run is over: its end was reported, by the runtime (tender_run_report_ended())
 * or by tenderd (a start the runtime refused, a run it could not take over or that tenderd
 * abandoned).  A runtime that learns of an end later, from what it runs, asks this before it
 * reports it.
 *
 * Returns: %TRUE once the run has ended
 *
 * Since: 0.3
 */
gboolean
tender_run_has_ended(TenderRun *run)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_RUN(run), TRUE);
	return tender_plugin_run_is_over(TENDER_PLUGIN_RUN_FROM(run));
}

/**
 * tender_run_report_running:
 * @run: a #TenderRun that is starting
 * @main_pid: the PID of the run's main process, or 0 if it has none
 *
 * The run runs: the workload becomes "running" (MainPID @main_pid, StartedAt now), and the
 * StartWorkload that started it succeeds.
 *
 * Since: 0.2
 */
void
tender_run_report_running(TenderRun *run, guint32 main_pid)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN_FROM(run);
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(TENDER_IS_PLUGIN_RUN(run));
	g_return_if_fail(self->start_task != NULL && !tender_plugin_run_is_over(self));
	task = g_steal_pointer(&self->start_task);
	self->pid = (GPid)main_pid;
	tender_runtime_run_report_running(TENDER_RUNTIME_RUN(self), main_pid);
	g_task_return_boolean(task, TRUE);
}

/* the state and the reason of an end, as the plugin reported it */
static TenderState
tender_plugin_run_end_state(TenderPluginRun *self,
			    gint *exit_code,
			    gint exit_signal,
			    const gchar *reason,
			    gchar **text)
{
	TenderRuntimeRun *base = TENDER_RUNTIME_RUN(self);
	TenderState state;

	if (exit_signal != 0) {
		const gchar *signame = tender_units_signal_to_string(exit_signal);
		state = TENDER_STATE_FAILED;
		*text = signame != NULL ? g_strdup_printf("signal: %s", signame)
					: g_strdup_printf("signal: %d", exit_signal);
		*exit_code = -1;
	} else if (*exit_code >= 0 && self->start_task == NULL) {
		state = TENDER_STATE_EXITED;
		*text = g_strdup_printf("exit-code: %d", *exit_code);
	} else {
		/* no exit status, or it never ran */
		state = TENDER_STATE_FAILED;
		*text = g_strdup("failed");
	}
	if (tender_runtime_run_get_stop_requested(base)) {
		g_free(*text);
		*text = g_strdup(tender_runtime_run_get_stop_escalated(base) ? "stop-timeout" : "");
		return TENDER_STATE_STOPPED;
	}
	if (reason != NULL) {
		g_free(*text);
		*text = g_strdup(reason);
	}
	return state;
}

static void
tender_plugin_run_end(TenderPluginRun *self, gint exit_code, gint exit_signal, const gchar *reason)
{
	TenderRuntimeRun *base = TENDER_RUNTIME_RUN(self);
	TenderWorkload *w = tender_runtime_run_get_workload(base);
	g_autofree gchar *now = tender_util_timestamp_now();
	g_autofree gchar *text = NULL;
	g_autoptr(GTask) task = NULL;
	TenderState state =
	    tender_plugin_run_end_state(self, &exit_code, exit_signal, reason, &text);

	task = g_steal_pointer(&self->start_task);
	tender_workload_set_main_pid(w, 0);
	tender_workload_set_exit(w, exit_code, exit_signal);
	tender_workload_set_oom_killed(w, g_strcmp0(reason, "oom-kill") == 0);
	tender_workload_set_stopped_at(w, now);
	tender_runtime_run_report_ended(base, state, text);
	if (task != NULL)
		g_task_return_new_error(task,
					TENDER_ERROR,
					self->start_unavailable ? TENDER_ERROR_UNAVAILABLE
								: TENDER_ERROR_FAILED,
					"Workload '%s' did not start: %s",
					tender_workload_get_name(w),
					text);
}

static gboolean
tender_plugin_run_end_cb(gpointer user_data)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN(user_data);
	g_autofree gchar *reason = g_steal_pointer(&self->end_reason);

	self->end_id = 0;
	tender_plugin_run_end(self, self->end_exit_code, self->end_exit_signal, reason);
	return G_SOURCE_REMOVE;
}

/**
 * tender_run_report_ended:
 * @run: a #TenderRun that has not ended
 * @exit_code: the exit status, or -1 if there is none
 * @exit_signal: the signal that ended it, or 0
 * @reason: (nullable): why, for the Reason property; %NULL for "exit-code: N",
 *   "signal: NAME", or "failed"; "oom-kill" (the OOM killer ended it) also sets the
 *   OOMKilled property (since 0.3)
 *
 * The run is over, once and for all.  The workload becomes "exited" (an @exit_code of 0 or
 * more, no signal), or "failed" (by a signal, or without an exit status), or "stopped" if it
 * was being stopped; the restart policy applies.  A start that had not reported running
 * fails.  Reported from within a function of the #TenderRuntimeVTable, the end takes effect
 * once that function has returned.
 *
 * Since: 0.2
 */
void
tender_run_report_ended(TenderRun *run, gint exit_code, gint exit_signal, const gchar *reason)
{
	TenderPluginRun *self = TENDER_PLUGIN_RUN_FROM(run);

	g_return_if_fail(TENDER_IS_PLUGIN_RUN(run));
	g_return_if_fail(!tender_plugin_run_is_over(self));
	if (self->in_call == 0) {
		tender_plugin_run_end(self, exit_code, exit_signal, reason);
		return;
	}
	self->end_exit_code = exit_code;
	self->end_exit_signal = exit_signal;
	self->end_reason = g_strdup(reason);
	self->end_id = g_idle_add_full(G_PRIORITY_DEFAULT,
				       tender_plugin_run_end_cb,
				       g_object_ref(self),
				       g_object_unref);
}
