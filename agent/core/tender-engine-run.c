/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-engine-private.h"
#include "tender-error.h"

/*
 * What the engine asks of a workload's run, through its runtime: the limits the kernel
 * holds, the metrics, pause and resume.
 */

/**
 * tender_engine_get_limits:
 * @self: a #TenderEngine
 * @workload: a workload
 *
 * Returns: (transfer floating): the limits the kernel holds for the workload's run while it
 * runs, an empty a{sv} otherwise
 */
GVariant *
tender_engine_get_limits(TenderEngine *self, TenderWorkload *workload)
{
	TenderSupervisor *entry =
	    g_hash_table_lookup(self->entries, tender_workload_get_name(workload));
	GVariant *limits = NULL;
	g_autoptr(GError) error = NULL;

	if (tender_state_is_active(tender_workload_get_state(workload)) && entry != NULL &&
	    entry->workload == workload && entry->run != NULL)
		limits = tender_runtime_run_read_limits(entry->run, &error);
	if (limits == NULL && error != NULL)
		g_debug("cannot read the limits of workload %s: %s",
			tender_workload_get_name(workload),
			error->message);
	if (limits == NULL)
		limits = g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return limits;
}

/**
 * tender_engine_lookup_metrics_run:
 * @self: a #TenderEngine
 * @name: the workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none): the run of a running or paused workload, whose metrics may be
 * read, or %NULL
 */
TenderRuntimeRun *
tender_engine_lookup_metrics_run(TenderEngine *self, const gchar *name, GError **error)
{
	TenderSupervisor *entry;
	TenderState state;

	entry = tender_engine_lookup(self, name, error);
	if (entry == NULL || !tender_supervisor_check_runtime(entry, error))
		return NULL;
	state = tender_workload_get_state(entry->workload);
	if ((state != TENDER_STATE_RUNNING && state != TENDER_STATE_PAUSED) || entry->run == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is %s; it has metrics only while it runs or is paused",
			    name,
			    tender_state_to_string(state));
		return NULL;
	}
	return entry->run;
}

/**
 * tender_engine_get_metrics:
 * @self: a #TenderEngine
 * @name: the workload
 * @error: (nullable): a #GError
 *
 * Reads the usage of a running or paused workload from its runtime, on the main loop (see
 * tender_engine_get_metrics_async() for a read in a worker thread).  cpu_percent is the CPU
 * used since the previous call for the same run of the workload (or since StartedAt, for the
 * first), in percent of one CPU.
 *
 * Returns: (transfer floating): an a{sv} as GetMetrics documents it, or %NULL
 */
GVariant *
tender_engine_get_metrics(TenderEngine *self, const gchar *name, GError **error)
{
	TenderRuntimeRun *run;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	run = tender_engine_lookup_metrics_run(self, name, error);
	if (run == NULL)
		return NULL;
	return tender_runtime_run_get_metrics(run, error);
}

/* pauses (or resumes) the workload; @task completes once that is done or has failed */
static void
tender_engine_set_paused(TenderEngine *self, const gchar *name, gboolean paused, GTask *task)
{
	g_autoptr(GError) error = NULL;
	TenderSupervisor *entry = tender_engine_lookup(self, name, &error);

	if (entry == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	tender_supervisor_set_paused(entry, paused, task);
}

/**
 * tender_engine_pause_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @cancellable: (nullable): a #GCancellable (not used: a freeze is not left half done)
 * @callback: called once every process of the workload is frozen, or the freeze failed
 * @user_data: for @callback
 *
 * Freezes a running workload through its runtime; its state becomes "paused".  A freeze
 * that fails is undone, and the workload runs on.
 */
void
tender_engine_pause_workload_async(TenderEngine *self,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_engine_pause_workload_async);
	tender_engine_set_paused(self, name, TRUE, task);
}

/**
 * tender_engine_pause_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload is paused
 */
gboolean
tender_engine_pause_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_engine_resume_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @cancellable: (nullable): a #GCancellable (not used)
 * @callback: called once the workload's processes run again, or the thaw failed
 * @user_data: for @callback
 *
 * Thaws a paused workload; its state becomes "running" again.
 */
void
tender_engine_resume_workload_async(TenderEngine *self,
				    const gchar *name,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_engine_resume_workload_async);
	tender_engine_set_paused(self, name, FALSE, task);
}

/**
 * tender_engine_resume_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload runs again
 */
gboolean
tender_engine_resume_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
