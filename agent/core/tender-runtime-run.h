/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-run.h"
#include "tender-workload.h"

G_BEGIN_DECLS

#define TENDER_TYPE_RUNTIME_RUN (tender_runtime_run_get_type())
G_DECLARE_DERIVABLE_TYPE(TenderRuntimeRun, tender_runtime_run, TENDER, RUNTIME_RUN, GObject)

/**
 * TenderRuntimeMetrics:
 *
 * The counters a runtime reads for GetMetrics (see #TenderRunMetrics, the same for plugins'
 * runtimes); one it does not know is 0.
 */
typedef TenderRunMetrics TenderRuntimeMetrics;

/**
 * TenderRuntimeMetricsReadFunc:
 * @data: the reader's own copy of what it reads (a cgroup path, say)
 * @metrics: (out caller-allocates): the counters
 * @error: (nullable): a #GError
 *
 * Reads the counters of one run; called in a worker thread, so it touches nothing but @data.
 *
 * Returns: %TRUE on success
 */
typedef gboolean (*TenderRuntimeMetricsReadFunc)(gpointer data,
						 TenderRuntimeMetrics *metrics,
						 GError **error);

/**
 * TenderRuntimeMetricsReader:
 * @func: reads the counters
 * @data: what @func reads, owned by the reader
 * @destroy: (nullable): frees @data, on the main loop
 *
 * A reader of a run's counters that needs nothing from the main loop, for a worker thread.
 */
typedef struct {
	TenderRuntimeMetricsReadFunc func;
	gpointer data;
	GDestroyNotify destroy;
} TenderRuntimeMetricsReader;

/**
 * TenderRuntimeRunClass:
 * @start_async: starts the run; the workload is in state "starting" already.  The run calls
 *	tender_runtime_run_report_running() once the command runs, and the task completes
 *	after that; a start that fails ends the run (tender_runtime_run_report_ended()) before
 *	its task completes with the error.
 * @start_finish: finishes @start_async
 * @stop: asks the command to end (SIGTERM); the base class sends SIGKILL through @kill if
 *	the run has not ended after the timeout
 * @kill: sends @signo to the workload's processes; @n_signalled says to how many
 * @set_paused_async: (optional): freezes the workload's processes, or thaws them (without
 *	it, a pause or resume answers %TENDER_ERROR_NOT_SUPPORTED); a run
 *	that is being stopped by the time they are frozen is thawed again, to take the stop
 * @set_paused_finish: (optional): finishes @set_paused_async
 * @get_paused: (optional): whether the processes are frozen now, as the kernel says
 * @read_metrics: (optional): reads the counters of GetMetrics (without it, GetMetrics
 *	answers %TENDER_ERROR_NOT_SUPPORTED)
 * @read_limits: (optional): the limits the kernel holds for the run, an a{sv}
 * @get_metrics_reader: (optional): a reader of the counters of @read_metrics that a worker
 *	thread may run, or %NULL if there is none now (then @read_metrics is called on the main
 *	loop)
 * @get_join_files: (optional): the files a process writes "0" into to join the run's
 *	control groups, for health check commands
 * @adopt: takes over the run @run_id, whose supervising process was @pid, that a previous
 *	tenderd started; it goes on and ends as any other, or ends right away
 * @abandon: ends the run @run_id that a previous tenderd was starting when it went away
 * @get_id: the run's ID, kept in the state file for @adopt
 * @get_pid: the PID of the process that supervises the run, kept in the state file
 *
 * How one run of a workload is carried out.  A run sets the workload's MainPID, exit code
 * and signal, OOMKilled, StartedAt, StoppedAt and ControlGroup; the engine sets its state,
 * but for "running" (tender_runtime_run_report_running()) and "stopping".
 */
struct _TenderRuntimeRunClass {
	GObjectClass parent_class;
	void (*start_async)(TenderRuntimeRun *self,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
	gboolean (*start_finish)(TenderRuntimeRun *self, GAsyncResult *res, GError **error);
	gboolean (*stop)(TenderRuntimeRun *self, GError **error);
	gboolean (*kill)(TenderRuntimeRun *self, gint signo, guint *n_signalled, GError **error);
	void (*set_paused_async)(TenderRuntimeRun *self,
				 gboolean paused,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data);
	gboolean (*set_paused_finish)(TenderRuntimeRun *self, GAsyncResult *res, GError **error);
	gboolean (*get_paused)(TenderRuntimeRun *self);
	gboolean (*read_metrics)(TenderRuntimeRun *self,
				 TenderRuntimeMetrics *metrics,
				 GError **error);
	GVariant *(*read_limits)(TenderRuntimeRun *self, GError **error);
	TenderRuntimeMetricsReader *(*get_metrics_reader)(TenderRuntimeRun *self);
	gchar **(*get_join_files)(TenderRuntimeRun *self, GError **error);
	void (*adopt)(TenderRuntimeRun *self, const gchar *run_id, GPid pid);
	void (*abandon)(TenderRuntimeRun *self, const gchar *run_id);
	const gchar *(*get_id)(TenderRuntimeRun *self);
	GPid (*get_pid)(TenderRuntimeRun *self);
	/*< private >*/
	gpointer padding[7];
};

TenderWorkload *
tender_runtime_run_get_workload(TenderRuntimeRun *self);
void
tender_runtime_run_start_async(TenderRuntimeRun *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_runtime_run_start_finish(TenderRuntimeRun *self, GAsyncResult *res, GError **error);
gboolean
tender_runtime_run_stop(TenderRuntimeRun *self, guint timeout_sec, GError **error);
gboolean
tender_runtime_run_kill(TenderRuntimeRun *self, gint signo, GError **error);
void
tender_runtime_run_set_paused_async(TenderRuntimeRun *self,
				    gboolean paused,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_runtime_run_set_paused_finish(TenderRuntimeRun *self, GAsyncResult *res, GError **error);
gboolean
tender_runtime_run_get_paused(TenderRuntimeRun *self);
GVariant *
tender_runtime_run_get_metrics(TenderRuntimeRun *self, GError **error);
TenderRuntimeMetricsReader *
tender_runtime_run_get_metrics_reader(TenderRuntimeRun *self);
void
tender_runtime_metrics_reader_free(TenderRuntimeMetricsReader *reader);
gboolean
tender_runtime_run_sample_metrics(TenderRuntimeRun *self,
				  TenderRuntimeMetrics *metrics,
				  GError **error);
gdouble
tender_runtime_run_record_metrics(TenderRuntimeRun *self,
				  const TenderRuntimeMetrics *metrics,
				  gint64 now,
				  gint64 now_utc);
GVariant *
tender_runtime_run_build_metrics(TenderRuntimeRun *self,
				 const TenderRuntimeMetrics *metrics,
				 const GError *read_error,
				 gint64 now,
				 gint64 now_utc,
				 GError **error);
GVariant *
tender_runtime_run_read_limits(TenderRuntimeRun *self, GError **error);
gchar **
tender_runtime_run_get_join_files(TenderRuntimeRun *self, GError **error);
void
tender_runtime_run_adopt(TenderRuntimeRun *self, const gchar *run_id, GPid pid);
void
tender_runtime_run_abandon(TenderRuntimeRun *self, const gchar *run_id);
gboolean
tender_runtime_run_was_abandoned(TenderRuntimeRun *self);
gboolean
tender_runtime_run_has_ended(TenderRuntimeRun *self);
gboolean
tender_runtime_run_get_stop_requested(TenderRuntimeRun *self);
gboolean
tender_runtime_run_get_stop_escalated(TenderRuntimeRun *self);
const gchar *
tender_runtime_run_get_id(TenderRuntimeRun *self);
GPid
tender_runtime_run_get_pid(TenderRuntimeRun *self);

/* for runtimes */
void
tender_runtime_run_report_running(TenderRuntimeRun *self, guint32 main_pid);
void
tender_runtime_run_report_ended(TenderRuntimeRun *self, TenderState state, const gchar *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderRuntimeMetricsReader, tender_runtime_metrics_reader_free)

G_END_DECLS
