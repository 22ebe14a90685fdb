/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/*
 * Runtimes of plugins: how a workload whose spec says "runtime": NAME runs, for a runtime
 * NAME that a plugin registered with tender_plugin_register_runtime().  The engine keeps the
 * lifecycle (states, the restart policy, max_runtime_sec, the stop's SIGKILL after its
 * timeout, the state files, the events); the runtime only carries out each run, through the
 * functions of its #TenderRuntimeVTable, and reports what became of it on the #TenderRun.
 */

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TenderRun:
 *
 * One run of a workload in a plugin's runtime: made for each start (or, after a restart of
 * tenderd, for each run to take over), handed to the functions of the #TenderRuntimeVTable,
 * and valid until the destroy function given to tender_run_set_data() is called (or, without
 * data, until the run has ended and the vtable function returned).
 *
 * Since: 0.2
 */
typedef struct _TenderRun TenderRun;

/**
 * TenderRunExec:
 *
 * One command of ExecWorkload that tenderd asks a plugin's runtime to run in a running
 * workload (#TenderRuntimeVTable.exec): what to run (the getters), and, reported by the
 * runtime, its host PID, its output and how it ended.  Owned by tenderd; valid from the call
 * of @exec until the runtime reports the end (tender_run_exec_report_ended() or
 * tender_run_exec_report_failed(), exactly one of them, once).
 *
 * Since: 0.4
 */
typedef struct _TenderRunExec TenderRunExec;

/**
 * TenderRunMetrics:
 * @cpu_usage_nsec: CPU time used since the run began
 * @memory_bytes: memory in use
 * @memory_peak_bytes: the most ever in use, 0 if not known
 * @tasks: processes and threads
 * @io_read_bytes: bytes read from block devices
 * @io_write_bytes: bytes written to block devices
 *
 * The counters of GetMetrics; one the runtime does not know stays 0.  tenderd computes
 * cpu_percent from two samples of @cpu_usage_nsec.
 *
 * Since: 0.2
 */
typedef struct {
	guint64 cpu_usage_nsec;
	guint64 memory_bytes;
	guint64 memory_peak_bytes;
	guint64 tasks;
	guint64 io_read_bytes;
	guint64 io_write_bytes;
	/*< private >*/
	guint64 padding[4];
} TenderRunMetrics;

/**
 * TenderRuntimeVTable:
 * @struct_size: sizeof(TenderRuntimeVTable) as the plugin saw it
 * @start: starts @run.  Call tender_run_report_running() once it runs (now or later), or
 *   tender_run_report_ended() if it could not; return %FALSE with @error set if it cannot
 *   start at all (the run then fails with the error as its reason).  The workload is in
 *   state "starting" meanwhile.
 * @stop: (nullable): asks @run to end; report its end with tender_run_report_ended().
 *   Without it, a stop is @kill with SIGTERM.  If the run has not ended after the stop's
 *   timeout, tenderd calls @kill with SIGKILL.
 * @kill: sends @signo to what runs; %FALSE with @error set if it could not
 * @pause: (nullable): freezes @run; without @pause and @resume, PauseWorkload and
 *   ResumeWorkload answer NotSupported
 * @resume: (nullable): thaws @run
 * @get_metrics: (nullable): fills @metrics; without it, GetMetrics answers NotSupported
 * @get_limits: (nullable): the limits the runtime holds for @run, an a{sv} (floating or
 *   full); without it, the Limits property is empty
 * @adopt: (nullable): after a restart of tenderd: takes over @run, whose ID
 *   (tender_run_get_id()) is the one the run had.  Return %TRUE if it runs on, or after
 *   reporting its end (tender_run_report_ended()) if it ended meanwhile; %FALSE with @error
 *   set if it is lost.  Without @adopt, every run that was running when tenderd went away is
 *   lost.
 * @forget_workload: (nullable): the workload @workload is removed: drop what was kept for
 *   it
 * @check_spec: (nullable): whether the runtime can run a workload of @spec (its Spec, an
 *   a{sv} with the defaults filled in, x-NAME keys included): %FALSE with @error set
 *   (InvalidArgument naming the key, or NotSupported) if not.  Asked when a workload is
 *   created or imported and before each use of its spec, so it must be quick and must not
 *   block.  Since 0.4 the spec may hold "volumes" (a(ssb): source, destination, read-only),
 *   which a runtime that does not bind them refuses.  Since: 0.3
 * @exec: (nullable): starts the command of @exec in @run and returns at once; then reports
 *   its host PID once known (tender_run_exec_report_started()), its output
 *   (tender_run_exec_append_output(), or straight to the caller's descriptors of
 *   tender_run_exec_get_fd()), and its end (tender_run_exec_report_ended() or
 *   tender_run_exec_report_failed()).  The runtime SIGKILLs the command after
 *   tender_run_exec_get_timeout() seconds and when tender_run_exec_get_cancellable() is
 *   cancelled (the caller has gone), and reports signal 9.  Return %FALSE with @error if it
 *   cannot run at all: InvalidState when @run is not running, NotFound for a command that
 *   does not exist (if it can tell before running it).  Without @exec (or with a vtable
 *   whose @struct_size does not reach it), ExecWorkload answers NotSupported for the
 *   runtime's workloads.  Since: 0.4
 *
 * What a plugin's runtime does.  Every function gets the user_data given to
 * tender_plugin_register_runtime(), and is called on tenderd's main thread: it must not
 * block.  The vtable must stay valid while tenderd runs (a static const).
 *
 * Since: 0.2
 */
typedef struct {
	guint32 struct_size;
	gboolean (*start)(TenderRun *run, gpointer user_data, GError **error);
	gboolean (*stop)(TenderRun *run, gpointer user_data, GError **error);
	gboolean (*kill)(TenderRun *run, gint signo, gpointer user_data, GError **error);
	gboolean (*pause)(TenderRun *run, gpointer user_data, GError **error);
	gboolean (*resume)(TenderRun *run, gpointer user_data, GError **error);
	gboolean (*get_metrics)(TenderRun *run,
				TenderRunMetrics *metrics,
				gpointer user_data,
				GError **error);
	GVariant *(*get_limits)(TenderRun *run, gpointer user_data, GError **error);
	gboolean (*adopt)(TenderRun *run, gpointer user_data, GError **error);
	void (*forget_workload)(const gchar *workload, gpointer user_data);
	gboolean (*check_spec)(const gchar *workload,
			       GVariant *spec,
			       gpointer user_data,
			       GError **error);
	gboolean (*exec)(TenderRun *run, TenderRunExec *exec, gpointer user_data, GError **error);
	/*< private >*/
	gpointer padding[6];
} TenderRuntimeVTable;

const gchar *
tender_run_get_workload_name(TenderRun *run);
const gchar *const *
tender_run_get_argv(TenderRun *run);
GVariant *
tender_run_get_spec(TenderRun *run);
GVariant *
tender_run_get_extension(TenderRun *run, const gchar *key);
const gchar *
tender_run_get_id(TenderRun *run);
void
tender_run_set_id(TenderRun *run, const gchar *id);
void
tender_run_set_data(TenderRun *run, gpointer data, GDestroyNotify destroy);
gpointer
tender_run_get_data(TenderRun *run);
gboolean
tender_run_get_stop_requested(TenderRun *run);
gboolean
tender_run_has_ended(TenderRun *run);
void
tender_run_report_running(TenderRun *run, guint32 main_pid);
void
tender_run_report_ended(TenderRun *run, gint exit_code, gint exit_signal, const gchar *reason);

const gchar *const *
tender_run_exec_get_argv(TenderRunExec *exec);
const gchar *const *
tender_run_exec_get_env(TenderRunExec *exec);
const gchar *
tender_run_exec_get_working_directory(TenderRunExec *exec);
guint32
tender_run_exec_get_timeout(TenderRunExec *exec);
GBytes *
tender_run_exec_get_stdin(TenderRunExec *exec);
gint
tender_run_exec_get_fd(TenderRunExec *exec, gint stream);
gboolean
tender_run_exec_get_tty(TenderRunExec *exec);
gboolean
tender_run_exec_get_terminal_size(TenderRunExec *exec, guint16 *rows, guint16 *columns);
GCancellable *
tender_run_exec_get_cancellable(TenderRunExec *exec);
void
tender_run_exec_report_started(TenderRunExec *exec, guint32 host_pid);
void
tender_run_exec_append_output(TenderRunExec *exec, gint stream, gconstpointer data, gsize len);
void
tender_run_exec_report_ended(TenderRunExec *exec, gint exit_code, gint signo);
void
tender_run_exec_report_failed(TenderRunExec *exec, const GError *error);

G_END_DECLS
