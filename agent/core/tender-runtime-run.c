/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>

#include "tender-error.h"
#include "tender-runtime-run.h"
#include "tender-util.h"

/*
 * TenderRuntimeRun is one run of a workload, as a runtime carries it out (see TenderRuntime).
 * The base class keeps what every runtime shares: the stop that turns into SIGKILL after its
 * timeout, the end that is reported once, and GetMetrics's cpu_percent from two samples of
 * the runtime's counters.  A runtime subclasses it and fills in the class's vfuncs.
 */

typedef struct {
	TenderWorkload *workload;
	gboolean stop_requested;
	gboolean stop_escalated;
	gboolean abandoned;
	gboolean ended;
	guint kill_timeout_id;
	/* GetMetrics: the previous sample, for cpu_percent */
	guint64 metrics_usage_nsec;
	gint64 metrics_time; /* g_get_monotonic_time(), 0 for none */
} TenderRuntimeRunPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(TenderRuntimeRun, tender_runtime_run, G_TYPE_OBJECT)

#define GET_PRIVATE(o) (tender_runtime_run_get_instance_private(o))

enum { PROP_0, PROP_WORKLOAD, PROP_LAST };
enum { SIGNAL_ENDED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

/**
 * tender_runtime_run_get_workload:
 * @self: a #TenderRuntimeRun
 *
 * Returns: (transfer none): the workload this is a run of
 */
TenderWorkload *
tender_runtime_run_get_workload(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	return priv->workload;
}

static const gchar *
tender_runtime_run_get_name(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	return tender_workload_get_name(priv->workload);
}

/**
 * tender_runtime_run_start_async:
 * @self: a #TenderRuntimeRun
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the command runs, or could not be started
 * @user_data: for @callback
 *
 * Starts the run.  The workload must be in state "starting" already; connect to ::ended
 * first: a start that fails ends the run before its task completes.
 */
void
tender_runtime_run_start_async(TenderRuntimeRun *self,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	TENDER_RUNTIME_RUN_GET_CLASS(self)->start_async(self, cancellable, callback, user_data);
}

/**
 * tender_runtime_run_start_finish:
 * @self: a #TenderRuntimeRun
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the command runs
 */
gboolean
tender_runtime_run_start_finish(TenderRuntimeRun *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return TENDER_RUNTIME_RUN_GET_CLASS(self)->start_finish(self, res, error);
}

static gboolean
tender_runtime_run_kill_timeout_cb(gpointer user_data)
{
	TenderRuntimeRun *self = TENDER_RUNTIME_RUN(user_data);
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_autoptr(GError) error = NULL;

	priv->kill_timeout_id = 0;
	priv->stop_escalated = TRUE;
	g_info("workload %s did not stop in time: sending SIGKILL",
	       tender_runtime_run_get_name(self));
	if (!TENDER_RUNTIME_RUN_GET_CLASS(self)->kill(self, SIGKILL, NULL, &error))
		g_warning("workload %s: %s", tender_runtime_run_get_name(self), error->message);
	return G_SOURCE_REMOVE;
}

/**
 * tender_runtime_run_stop:
 * @self: a #TenderRuntimeRun
 * @timeout_sec: seconds between the stop and SIGKILL
 * @error: (nullable): a #GError
 *
 * Moves the workload to "stopping", asks the run to stop, and sends SIGKILL to whatever of
 * it is left after @timeout_sec.  The run ends, and ::ended is emitted, when the runtime has
 * seen the command go.
 *
 * Returns: %TRUE if the stop has begun (or had begun already)
 */
gboolean
tender_runtime_run_stop(TenderRuntimeRun *self, guint timeout_sec, GError **error)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	if (priv->stop_requested || priv->ended)
		return TRUE;
	priv->stop_requested = TRUE;
	if (tender_workload_get_state(priv->workload) != TENDER_STATE_STOPPING)
		tender_workload_set_state(priv->workload, TENDER_STATE_STOPPING, "");
	if (!TENDER_RUNTIME_RUN_GET_CLASS(self)->stop(self, error))
		return FALSE;
	/* in milliseconds: a timer of whole seconds may fire up to one second early */
	priv->kill_timeout_id =
	    g_timeout_add_full(G_PRIORITY_DEFAULT,
			       (guint)MIN((guint64)timeout_sec * 1000, G_MAXUINT),
			       tender_runtime_run_kill_timeout_cb,
			       g_object_ref(self),
			       g_object_unref);
	return TRUE;
}

/**
 * tender_runtime_run_kill:
 * @self: a #TenderRuntimeRun
 * @signo: a signal
 * @error: (nullable): a #GError
 *
 * Sends @signo to every process of the workload (but the runtime's own).
 *
 * Returns: %TRUE if at least one process was signalled
 */
gboolean
tender_runtime_run_kill(TenderRuntimeRun *self, gint signo, GError **error)
{
	guint n = 0;

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	if (!TENDER_RUNTIME_RUN_GET_CLASS(self)->kill(self, signo, &n, error))
		return FALSE;
	if (n == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' has no process left to signal",
			    tender_runtime_run_get_name(self));
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_runtime_run_set_paused_async:
 * @self: a #TenderRuntimeRun
 * @paused: %TRUE to freeze the run's processes, %FALSE to thaw them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every process of the run is frozen (or thawed), or that failed
 * @user_data: for @callback
 *
 * Pauses or resumes the run.  If the run is being stopped by the time its processes are
 * frozen, the runtime thaws them again, so that they take the stop.
 */
void
tender_runtime_run_set_paused_async(TenderRuntimeRun *self,
				    gboolean paused,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	if (klass->set_paused_async != NULL) {
		klass->set_paused_async(self, paused, cancellable, callback, user_data);
		return;
	}
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, tender_runtime_run_set_paused_async);
	g_task_return_new_error(task,
				TENDER_ERROR,
				TENDER_ERROR_NOT_SUPPORTED,
				"The runtime of workload '%s' cannot pause it",
				tender_runtime_run_get_name(self));
}

/**
 * tender_runtime_run_set_paused_finish:
 * @self: a #TenderRuntimeRun
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the run's processes are frozen (or thawed); a freeze that fails is
 * undone, and they run on
 */
gboolean
tender_runtime_run_set_paused_finish(TenderRuntimeRun *self, GAsyncResult *res, GError **error)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	if (g_async_result_is_tagged(res, tender_runtime_run_set_paused_async))
		return g_task_propagate_boolean(G_TASK(res), error);
	return klass->set_paused_finish(self, res, error);
}

/**
 * tender_runtime_run_get_paused:
 * @self: a #TenderRuntimeRun
 *
 * Returns: %TRUE if the run's processes are frozen, as the kernel says
 */
gboolean
tender_runtime_run_get_paused(TenderRuntimeRun *self)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return klass->get_paused != NULL && klass->get_paused(self);
}

static gboolean
tender_runtime_run_read_metrics(TenderRuntimeRun *self,
				TenderRuntimeMetrics *metrics,
				GError **error)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	if (klass->read_metrics == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "its runtime has no metrics");
		return FALSE;
	}
	return klass->read_metrics(self, metrics, error);
}

/* StartedAt in microseconds since the epoch, or -1 */
static gint64
tender_runtime_run_started_usec(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_autoptr(GDateTime) started =
	    g_date_time_new_from_iso8601(tender_workload_get_started_at(priv->workload), NULL);

	if (started == NULL)
		return -1;
	return g_date_time_to_unix(started) * G_USEC_PER_SEC + g_date_time_get_microsecond(started);
}

/**
 * tender_runtime_run_get_metrics_reader:
 * @self: a #TenderRuntimeRun
 *
 * Returns: (transfer full) (nullable): a reader of the run's counters that a worker thread
 * may run, or %NULL if the runtime has none (then tender_runtime_run_sample_metrics() reads
 * them on the main loop)
 */
TenderRuntimeMetricsReader *
tender_runtime_run_get_metrics_reader(TenderRuntimeRun *self)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	if (klass->get_metrics_reader == NULL)
		return NULL;
	return klass->get_metrics_reader(self);
}

/**
 * tender_runtime_metrics_reader_free:
 * @reader: a #TenderRuntimeMetricsReader
 *
 * Frees @reader and its data.
 */
void
tender_runtime_metrics_reader_free(TenderRuntimeMetricsReader *reader)
{
	if (reader->destroy != NULL)
		reader->destroy(reader->data);
	g_free(reader);
}

/**
 * tender_runtime_run_sample_metrics:
 * @self: a #TenderRuntimeRun
 * @metrics: (out caller-allocates): the counters
 * @error: (nullable): a #GError
 *
 * Reads the counters of the run on the calling thread, with the runtime's @read_metrics.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_runtime_run_sample_metrics(TenderRuntimeRun *self,
				  TenderRuntimeMetrics *metrics,
				  GError **error)
{
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return tender_runtime_run_read_metrics(self, metrics, error);
}

/**
 * tender_runtime_run_record_metrics:
 * @self: a #TenderRuntimeRun
 * @metrics: the counters read at @now
 * @now: when they were read, g_get_monotonic_time()
 * @now_utc: likewise, g_get_real_time()
 *
 * Takes @metrics as the run's latest sample.  A sample older than the previous one does not
 * replace it.
 *
 * Returns: the CPU used since the previous sample of this run (or since it began to run, or
 * since StartedAt for a run tenderd adopted), in percent of one CPU
 */
gdouble
tender_runtime_run_record_metrics(TenderRuntimeRun *self,
				  const TenderRuntimeMetrics *metrics,
				  gint64 now,
				  gint64 now_utc)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	gint64 started = tender_runtime_run_started_usec(self);
	gint64 elapsed_usec = 0;
	guint64 previous_nsec = 0;
	gdouble percent = 0.0;

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), 0.0);
	if (priv->metrics_time != 0) {
		previous_nsec = priv->metrics_usage_nsec;
		elapsed_usec = now - priv->metrics_time;
	} else if (started >= 0) {
		elapsed_usec = now_utc - started;
	}
	if (elapsed_usec > 0 && metrics->cpu_usage_nsec >= previous_nsec) {
		percent = (gdouble)(metrics->cpu_usage_nsec - previous_nsec) * 100.0 /
			  ((gdouble)elapsed_usec * 1000.0);
	}
	if (elapsed_usec >= 0 || priv->metrics_time == 0) {
		priv->metrics_usage_nsec = metrics->cpu_usage_nsec;
		priv->metrics_time = now;
	}
	return percent;
}

/**
 * tender_runtime_run_build_metrics:
 * @self: a #TenderRuntimeRun
 * @metrics: the counters read at @now
 * @read_error: (nullable): why they could not be read
 * @now: when they were read, g_get_monotonic_time()
 * @now_utc: likewise, g_get_real_time()
 * @error: (nullable): a #GError
 *
 * Turns the counters into GetMetrics' answer, with the cpu_percent of
 * tender_runtime_run_record_metrics().
 *
 * Returns: (transfer floating): an a{sv} as GetMetrics documents it, or %NULL
 */
GVariant *
tender_runtime_run_build_metrics(TenderRuntimeRun *self,
				 const TenderRuntimeMetrics *metrics,
				 const GError *read_error,
				 gint64 now,
				 gint64 now_utc,
				 GError **error)
{
	g_autofree gchar *timestamp = NULL;
	GVariantBuilder builder;
	gdouble percent;

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	if (read_error != NULL) {
		/* a runtime without metrics says so, as one whose service is away or that has
		 * no figures yet; any other failure is one */
		TenderError code = TENDER_ERROR_FAILED;
		if (g_error_matches(read_error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED) ||
		    g_error_matches(read_error, TENDER_ERROR, TENDER_ERROR_UNAVAILABLE) ||
		    g_error_matches(read_error, TENDER_ERROR, TENDER_ERROR_BUSY))
			code = (TenderError)read_error->code;
		g_set_error(error,
			    TENDER_ERROR,
			    code,
			    "Cannot read the metrics of workload '%s': %s",
			    tender_runtime_run_get_name(self),
			    read_error->message);
		return NULL;
	}
	percent = tender_runtime_run_record_metrics(self, metrics, now, now_utc);

	timestamp = tender_util_timestamp_format(now_utc);
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder,
			      "{sv}",
			      "cpu_usage_nsec",
			      g_variant_new_uint64(metrics->cpu_usage_nsec));
	g_variant_builder_add(&builder, "{sv}", "cpu_percent", g_variant_new_double(percent));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "memory_bytes",
			      g_variant_new_uint64(metrics->memory_bytes));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "memory_peak_bytes",
			      g_variant_new_uint64(metrics->memory_peak_bytes));
	g_variant_builder_add(&builder, "{sv}", "tasks", g_variant_new_uint64(metrics->tasks));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "io_read_bytes",
			      g_variant_new_uint64(metrics->io_read_bytes));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "io_write_bytes",
			      g_variant_new_uint64(metrics->io_write_bytes));
	g_variant_builder_add(&builder, "{sv}", "timestamp", g_variant_new_string(timestamp));
	return g_variant_builder_end(&builder);
}

/**
 * tender_runtime_run_get_metrics:
 * @self: a #TenderRuntimeRun
 * @error: (nullable): a #GError
 *
 * Reads the usage of the run on the calling thread; see tender_runtime_run_build_metrics().
 *
 * Returns: (transfer floating): an a{sv} as GetMetrics documents it, or %NULL
 */
GVariant *
tender_runtime_run_get_metrics(TenderRuntimeRun *self, GError **error)
{
	TenderRuntimeMetrics metrics = {0};
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	(void)tender_runtime_run_read_metrics(self, &metrics, &error_local);
	return tender_runtime_run_build_metrics(self,
						&metrics,
						error_local,
						g_get_monotonic_time(),
						g_get_real_time(),
						error);
}

/**
 * tender_runtime_run_read_limits:
 * @self: a #TenderRuntimeRun
 * @error: (nullable): a #GError
 *
 * Returns: (transfer floating): the limits the kernel holds for the run, an a{sv} (empty if
 * the runtime does not say), or %NULL if they cannot be read
 */
GVariant *
tender_runtime_run_read_limits(TenderRuntimeRun *self, GError **error)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	if (klass->read_limits == NULL)
		return g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return klass->read_limits(self, error);
}

/**
 * tender_runtime_run_get_join_files:
 * @self: a #TenderRuntimeRun
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the files a process writes "0" into to join the run's control
 * groups, or %NULL
 */
gchar **
tender_runtime_run_get_join_files(TenderRuntimeRun *self, GError **error)
{
	TenderRuntimeRunClass *klass = TENDER_RUNTIME_RUN_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	if (klass->get_join_files == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The runtime of workload '%s' cannot run a process beside it",
			    tender_runtime_run_get_name(self));
		return NULL;
	}
	return klass->get_join_files(self, error);
}

/**
 * tender_runtime_run_adopt:
 * @self: a new #TenderRuntimeRun
 * @run_id: the run that a previous tenderd started
 * @pid: the PID of the process that supervised it
 *
 * Takes over a run that a previous tenderd started: it goes on and ends as any other, or,
 * if it is gone, ends right away.  Connect to ::ended first.
 */
void
tender_runtime_run_adopt(TenderRuntimeRun *self, const gchar *run_id, GPid pid)
{
	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	TENDER_RUNTIME_RUN_GET_CLASS(self)->adopt(self, run_id, pid);
}

/**
 * tender_runtime_run_abandon:
 * @self: a new #TenderRuntimeRun
 * @run_id: the run that a previous tenderd was starting
 *
 * Ends a run that a previous tenderd was starting when it went away: its caller never heard
 * that the command runs, so whatever of it runs is stopped, and the run ends.  Connect to
 * ::ended first.
 */
void
tender_runtime_run_abandon(TenderRuntimeRun *self, const gchar *run_id)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);

	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	priv->abandoned = TRUE;
	TENDER_RUNTIME_RUN_GET_CLASS(self)->abandon(self, run_id);
}

/**
 * tender_runtime_run_was_abandoned:
 * @self: a #TenderRuntimeRun
 *
 * Returns: %TRUE if the run was ended by tender_runtime_run_abandon()
 */
gboolean
tender_runtime_run_was_abandoned(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return priv->abandoned;
}

/**
 * tender_runtime_run_has_ended:
 * @self: a #TenderRuntimeRun
 *
 * Returns: %TRUE once the run's end has been reported
 */
gboolean
tender_runtime_run_has_ended(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), TRUE);
	return priv->ended;
}

/**
 * tender_runtime_run_get_stop_requested:
 * @self: a #TenderRuntimeRun
 *
 * Returns: %TRUE once tender_runtime_run_stop() was called
 */
gboolean
tender_runtime_run_get_stop_requested(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return priv->stop_requested;
}

/**
 * tender_runtime_run_get_stop_escalated:
 * @self: a #TenderRuntimeRun
 *
 * Returns: %TRUE once the stop's timeout has passed and SIGKILL was sent
 */
gboolean
tender_runtime_run_get_stop_escalated(TenderRuntimeRun *self)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), FALSE);
	return priv->stop_escalated;
}

/**
 * tender_runtime_run_get_id:
 * @self: a #TenderRuntimeRun
 *
 * Returns: the run's unique ID, which the state file keeps for tender_runtime_run_adopt()
 */
const gchar *
tender_runtime_run_get_id(TenderRuntimeRun *self)
{
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), NULL);
	return TENDER_RUNTIME_RUN_GET_CLASS(self)->get_id(self);
}

/**
 * tender_runtime_run_get_pid:
 * @self: a #TenderRuntimeRun
 *
 * Returns: the PID of the process that supervises the run, or 0 before there is one
 */
GPid
tender_runtime_run_get_pid(TenderRuntimeRun *self)
{
	g_return_val_if_fail(TENDER_IS_RUNTIME_RUN(self), 0);
	return TENDER_RUNTIME_RUN_GET_CLASS(self)->get_pid(self);
}

/**
 * tender_runtime_run_report_running:
 * @self: a #TenderRuntimeRun
 * @main_pid: the command's PID
 *
 * For runtimes: the command was executed.  The workload's MainPID and StartedAt are set, the
 * first sample of its metrics is taken, and it becomes "running".
 */
void
tender_runtime_run_report_running(TenderRuntimeRun *self, guint32 main_pid)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	TenderWorkload *w = priv->workload;
	TenderRuntimeMetrics metrics = {0};
	g_autofree gchar *now = tender_util_timestamp_now();

	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	tender_workload_set_exit(w, -1, 0);
	tender_workload_set_main_pid(w, main_pid);
	tender_workload_set_started_at(w, now);
	tender_workload_set_stopped_at(w, "");
	tender_util_crash_point("start-pid");
	/* its CPU use counts from now, not from before the command was executed */
	priv->metrics_time = 0;
	if (tender_runtime_run_read_metrics(self, &metrics, NULL)) {
		priv->metrics_usage_nsec = metrics.cpu_usage_nsec;
		priv->metrics_time = g_get_monotonic_time();
	}
	tender_workload_set_state(w, TENDER_STATE_RUNNING, "");
}

/**
 * tender_runtime_run_report_ended:
 * @self: a #TenderRuntimeRun
 * @state: the #TenderState the run ended in: stopped, exited or failed
 * @reason: why
 *
 * For runtimes: the run is over, once and for all, and the workload's exit code, signal,
 * OOMKilled and StoppedAt are set.  Emits ::ended.
 */
void
tender_runtime_run_report_ended(TenderRuntimeRun *self, TenderState state, const gchar *reason)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(self);
	g_autoptr(TenderRuntimeRun) keep = NULL;

	g_return_if_fail(TENDER_IS_RUNTIME_RUN(self));
	g_return_if_fail(!priv->ended);
	priv->ended = TRUE;
	g_clear_handle_id(&priv->kill_timeout_id, g_source_remove);
	/* a handler may drop the last other reference */
	keep = g_object_ref(self);
	g_signal_emit(self, signals[SIGNAL_ENDED], 0, (guint)state, reason);
}

static void
tender_runtime_run_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(TENDER_RUNTIME_RUN(object));

	switch (prop_id) {
	case PROP_WORKLOAD:
		g_value_set_object(value, priv->workload);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
tender_runtime_run_set_property(GObject *object,
				guint prop_id,
				const GValue *value,
				GParamSpec *pspec)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(TENDER_RUNTIME_RUN(object));

	switch (prop_id) {
	case PROP_WORKLOAD:
		priv->workload = g_value_dup_object(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
tender_runtime_run_dispose(GObject *object)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(TENDER_RUNTIME_RUN(object));
	g_clear_handle_id(&priv->kill_timeout_id, g_source_remove);
	G_OBJECT_CLASS(tender_runtime_run_parent_class)->dispose(object);
}

static void
tender_runtime_run_finalize(GObject *object)
{
	TenderRuntimeRunPrivate *priv = GET_PRIVATE(TENDER_RUNTIME_RUN(object));
	g_clear_object(&priv->workload);
	G_OBJECT_CLASS(tender_runtime_run_parent_class)->finalize(object);
}

static void
tender_runtime_run_class_init(TenderRuntimeRunClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = tender_runtime_run_get_property;
	object_class->set_property = tender_runtime_run_set_property;
	object_class->dispose = tender_runtime_run_dispose;
	object_class->finalize = tender_runtime_run_finalize;

	/**
	 * TenderRuntimeRun:workload:
	 *
	 * The workload this is a run of.
	 */
	g_object_class_install_property(object_class,
					PROP_WORKLOAD,
					g_param_spec_object("workload",
							    NULL,
							    NULL,
							    TENDER_TYPE_WORKLOAD,
							    G_PARAM_READWRITE |
								G_PARAM_CONSTRUCT_ONLY |
								G_PARAM_STATIC_STRINGS));

	/**
	 * TenderRuntimeRun::ended:
	 * @self: the run
	 * @state: the #TenderState the run ended in: stopped, exited or failed
	 * @reason: why
	 *
	 * The run is over: the workload's exit code, signal, OOMKilled and StoppedAt are set.
	 * The handler sets its state (it may decide otherwise, e.g. for a restart limit).  A
	 * start that failed completes after this signal.
	 */
	signals[SIGNAL_ENDED] = g_signal_new("ended",
					     G_TYPE_FROM_CLASS(klass),
					     G_SIGNAL_RUN_LAST,
					     0,
					     NULL,
					     NULL,
					     NULL,
					     G_TYPE_NONE,
					     2,
					     G_TYPE_UINT,
					     G_TYPE_STRING);
}

static void
tender_runtime_run_init(TenderRuntimeRun *self)
{
}
