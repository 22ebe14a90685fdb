/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>

#include "tender-error.h"
#include "tender-fake-runtime.h"
#include "tender-util.h"

/*
 * TenderFakeRuntime runs nothing: its runs are "processes" in a table that outlives the
 * engine, as real processes outlive tenderd.  A run reaches running on the next iteration
 * of the main loop; it ends when the test says so (tender_fake_run_exit()), or when it
 * takes SIGKILL, or SIGTERM unless the runtime ignores it.  Every signal is recorded, with
 * the time it came.
 */

typedef struct {
	guint32 pid;
	gboolean frozen;
} TenderFakeProcess;

struct _TenderFakeRuntime {
	TenderRuntime parent_instance;
	gchar *join_file;
	gboolean bare;
	gboolean fail_start;
	gboolean ignore_sigterm;
	guint64 cpu_usage_nsec;
	gint n_reads_off_main; /* by the readers of tender_fake_run_get_metrics_reader() */
	guint n_starts;
	guint n_runs;
	TenderFakeRun *last_run;
	GHashTable *processes; /* run ID → TenderFakeProcess */
	GPtrArray *forgotten;  /* workload names */
	gchar **entrypoint;    /* what it puts before the spec's argv, as an image does */
	gboolean no_command;   /* it finds no command to run */
};

struct _TenderFakeRun {
	TenderRuntimeRun parent_instance;
	TenderFakeRuntime *runtime; /* not owned: it outlives its runs */
	gchar *run_id;
	guint32 pid;
	GTask *start_task;
	gboolean adopted;
	gint64 started_time;
	GArray *signals;      /* gint */
	GArray *signal_times; /* gint64, monotonic */
	guint exit_id;
	gint exit_signal; /* of the exit under way */
};

G_DEFINE_TYPE(TenderFakeRuntime, tender_fake_runtime, TENDER_TYPE_RUNTIME)
G_DEFINE_TYPE(TenderFakeRun, tender_fake_run, TENDER_TYPE_RUNTIME_RUN)

/* the run of a bare runtime: no pause, no metrics, no limits */
typedef struct {
	TenderFakeRun parent_instance;
} TenderFakeBareRun;
typedef struct {
	TenderFakeRunClass parent_class;
} TenderFakeBareRunClass;

static GType
tender_fake_bare_run_get_type(void);
G_DEFINE_TYPE(TenderFakeBareRun, tender_fake_bare_run, TENDER_TYPE_FAKE_RUN)

static TenderFakeProcess *
tender_fake_run_get_process(TenderFakeRun *self)
{
	return g_hash_table_lookup(self->runtime->processes, self->run_id);
}

/**
 * tender_fake_run_exit:
 * @self: a run that has not ended
 * @exit_code: its exit status, if @signo is 0
 * @signo: the signal that killed it, or 0
 *
 * The command ends, as a real one would: by itself or by a signal.
 */
void
tender_fake_run_exit(TenderFakeRun *self, gint exit_code, gint signo)
{
	TenderWorkload *w = tender_runtime_run_get_workload(TENDER_RUNTIME_RUN(self));
	g_autofree gchar *now = tender_util_timestamp_now();
	g_autofree gchar *reason = NULL;

	g_return_if_fail(!tender_runtime_run_has_ended(TENDER_RUNTIME_RUN(self)));
	g_hash_table_remove(self->runtime->processes, self->run_id);
	tender_workload_set_main_pid(w, 0);
	tender_workload_set_exit(w, signo != 0 ? -1 : exit_code, signo);
	tender_workload_set_stopped_at(w, now);
	if (signo != 0) {
		reason = g_strdup_printf("signal: %d", signo);
		tender_runtime_run_report_ended(TENDER_RUNTIME_RUN(self),
						TENDER_STATE_FAILED,
						reason);
		return;
	}
	reason = g_strdup_printf("exit-code: %d", exit_code);
	tender_runtime_run_report_ended(TENDER_RUNTIME_RUN(self), TENDER_STATE_EXITED, reason);
}

/* the end of a run that nobody waits for: the table says the process is gone */
static void
tender_fake_run_lost(TenderFakeRun *self, const gchar *reason)
{
	TenderWorkload *w = tender_runtime_run_get_workload(TENDER_RUNTIME_RUN(self));

	tender_workload_set_main_pid(w, 0);
	tender_runtime_run_report_ended(TENDER_RUNTIME_RUN(self), TENDER_STATE_FAILED, reason);
}

static gboolean
tender_fake_run_started_cb(gpointer user_data)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(user_data);
	g_autoptr(GTask) task = g_steal_pointer(&self->start_task);
	TenderFakeProcess *process;

	if (self->runtime->fail_start) {
		tender_fake_run_lost(self, "fake: cannot start");
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"fake: cannot start");
		return G_SOURCE_REMOVE;
	}
	process = g_new0(TenderFakeProcess, 1);
	process->pid = self->pid;
	g_hash_table_insert(self->runtime->processes, g_strdup(self->run_id), process);
	self->started_time = g_get_monotonic_time();
	tender_runtime_run_report_running(TENDER_RUNTIME_RUN(self), self->pid);
	g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

static void
tender_fake_run_start_async(TenderRuntimeRun *run,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);

	self->runtime->n_starts++;
	self->start_task = g_task_new(self, cancellable, callback, user_data);
	g_idle_add_full(G_PRIORITY_DEFAULT,
			tender_fake_run_started_cb,
			g_object_ref(self),
			g_object_unref);
}

static gboolean
tender_fake_run_start_finish(TenderRuntimeRun *run, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static gboolean
tender_fake_run_exit_cb(gpointer user_data)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(user_data);

	self->exit_id = 0;
	if (!tender_runtime_run_has_ended(TENDER_RUNTIME_RUN(self)))
		tender_fake_run_exit(self, -1, self->exit_signal);
	return G_SOURCE_REMOVE;
}

static gboolean
tender_fake_run_kill(TenderRuntimeRun *run, gint signo, guint *n_signalled, GError **error)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);
	gint64 now = g_get_monotonic_time();
	gboolean alive = tender_fake_run_get_process(self) != NULL;

	g_array_append_val(self->signals, signo);
	g_array_append_val(self->signal_times, now);
	if (n_signalled != NULL)
		*n_signalled = alive ? 1 : 0;
	if (alive && self->exit_id == 0 &&
	    (signo == SIGKILL || (signo == SIGTERM && !self->runtime->ignore_sigterm))) {
		self->exit_signal = signo;
		self->exit_id = g_idle_add_full(G_PRIORITY_DEFAULT,
						tender_fake_run_exit_cb,
						g_object_ref(self),
						g_object_unref);
	}
	return TRUE;
}

static gboolean
tender_fake_run_stop(TenderRuntimeRun *run, GError **error)
{
	return tender_fake_run_kill(run, SIGTERM, NULL, error);
}

static gboolean
tender_fake_run_set_frozen_cb(gpointer user_data)
{
	GTask *task = G_TASK(user_data);
	TenderFakeRun *self = g_task_get_source_object(task);
	TenderFakeProcess *process = tender_fake_run_get_process(self);

	if (process == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"fake: no process to freeze or thaw");
		return G_SOURCE_REMOVE;
	}
	process->frozen = GPOINTER_TO_INT(g_task_get_task_data(task));
	g_task_return_boolean(task, TRUE);
	return G_SOURCE_REMOVE;
}

static void
tender_fake_run_set_paused_async(TenderRuntimeRun *run,
				 gboolean paused,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = g_task_new(run, cancellable, callback, user_data);

	g_task_set_task_data(task, GINT_TO_POINTER(paused), NULL);
	g_idle_add_full(G_PRIORITY_DEFAULT, tender_fake_run_set_frozen_cb, task, g_object_unref);
}

static gboolean
tender_fake_run_get_paused(TenderRuntimeRun *run)
{
	TenderFakeProcess *process = tender_fake_run_get_process(TENDER_FAKE_RUN(run));
	return process != NULL && process->frozen;
}

static gboolean
tender_fake_run_read_metrics(TenderRuntimeRun *run, TenderRuntimeMetrics *metrics, GError **error)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);

	metrics->cpu_usage_nsec = self->runtime->cpu_usage_nsec;
	metrics->tasks = 1;
	return TRUE;
}

/* a worker thread's reader: a copy of the counters, and where to count the reads */
typedef struct {
	guint64 cpu_usage_nsec;
	GThread *main_thread;
	gint *n_reads_off_main;
} TenderFakeRunReader;

static gboolean
tender_fake_run_reader_read(gpointer user_data, TenderRuntimeMetrics *metrics, GError **error)
{
	TenderFakeRunReader *data = user_data;

	if (g_thread_self() != data->main_thread)
		g_atomic_int_inc(data->n_reads_off_main);
	metrics->cpu_usage_nsec = data->cpu_usage_nsec;
	metrics->tasks = 1;
	return TRUE;
}

static TenderRuntimeMetricsReader *
tender_fake_run_get_metrics_reader(TenderRuntimeRun *run)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);
	TenderRuntimeMetricsReader *reader = g_new0(TenderRuntimeMetricsReader, 1);
	TenderFakeRunReader *data = g_new0(TenderFakeRunReader, 1);

	data->cpu_usage_nsec = self->runtime->cpu_usage_nsec;
	data->main_thread = g_thread_self();
	data->n_reads_off_main = &self->runtime->n_reads_off_main;
	reader->func = tender_fake_run_reader_read;
	reader->data = data;
	reader->destroy = g_free;
	return reader;
}

static GVariant *
tender_fake_run_read_limits(TenderRuntimeRun *run, GError **error)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "tasks_max", g_variant_new_uint64(42));
	return g_variant_builder_end(&builder);
}

static gchar **
tender_fake_run_get_join_files(TenderRuntimeRun *run, GError **error)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);
	gchar *files[] = {self->runtime->join_file, NULL};
	return g_strdupv(files);
}

static void
tender_fake_run_adopt(TenderRuntimeRun *run, const gchar *run_id, GPid pid)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);

	g_free(self->run_id);
	self->run_id = g_strdup(run_id);
	self->pid = (guint32)pid;
	self->adopted = TRUE;
	if (tender_fake_run_get_process(self) == NULL)
		tender_fake_run_lost(self, "lost: fake process gone");
}

static void
tender_fake_run_abandon(TenderRuntimeRun *run, const gchar *run_id)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(run);

	g_free(self->run_id);
	self->run_id = g_strdup(run_id);
	g_hash_table_remove(self->runtime->processes, run_id);
	tender_fake_run_lost(self, "lost: abandoned");
}

static const gchar *
tender_fake_run_get_id(TenderRuntimeRun *run)
{
	return TENDER_FAKE_RUN(run)->run_id;
}

static GPid
tender_fake_run_get_pid(TenderRuntimeRun *run)
{
	return (GPid)TENDER_FAKE_RUN(run)->pid;
}

/**
 * tender_fake_run_got_signal:
 * @self: a run
 * @signo: a signal
 *
 * Returns: %TRUE if @signo was sent to the run (a stop sends SIGTERM)
 */
gboolean
tender_fake_run_got_signal(TenderFakeRun *self, gint signo)
{
	return tender_fake_run_get_signal_time(self, signo) != 0;
}

/**
 * tender_fake_run_get_signal_time:
 * @self: a run
 * @signo: a signal
 *
 * Returns: when @signo first came (g_get_monotonic_time()), or 0
 */
gint64
tender_fake_run_get_signal_time(TenderFakeRun *self, gint signo)
{
	for (guint i = 0; i < self->signals->len; i++) {
		if (g_array_index(self->signals, gint, i) == signo)
			return g_array_index(self->signal_times, gint64, i);
	}
	return 0;
}

/**
 * tender_fake_run_get_started_time:
 * @self: a run
 *
 * Returns: when it reached running (g_get_monotonic_time()), or 0
 */
gint64
tender_fake_run_get_started_time(TenderFakeRun *self)
{
	return self->started_time;
}

/**
 * tender_fake_run_was_adopted:
 * @self: a run
 *
 * Returns: %TRUE if the engine adopted the run rather than starting it
 */
gboolean
tender_fake_run_was_adopted(TenderFakeRun *self)
{
	return self->adopted;
}

static void
tender_fake_run_dispose(GObject *object)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(object);
	g_clear_handle_id(&self->exit_id, g_source_remove);
	G_OBJECT_CLASS(tender_fake_run_parent_class)->dispose(object);
}

static void
tender_fake_run_finalize(GObject *object)
{
	TenderFakeRun *self = TENDER_FAKE_RUN(object);
	g_free(self->run_id);
	g_clear_object(&self->start_task);
	g_array_unref(self->signals);
	g_array_unref(self->signal_times);
	G_OBJECT_CLASS(tender_fake_run_parent_class)->finalize(object);
}

static void
tender_fake_run_class_init(TenderFakeRunClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	TenderRuntimeRunClass *run_class = TENDER_RUNTIME_RUN_CLASS(klass);

	object_class->dispose = tender_fake_run_dispose;
	object_class->finalize = tender_fake_run_finalize;
	run_class->start_async = tender_fake_run_start_async;
	run_class->start_finish = tender_fake_run_start_finish;
	run_class->stop = tender_fake_run_stop;
	run_class->kill = tender_fake_run_kill;
	run_class->set_paused_async = tender_fake_run_set_paused_async;
	run_class->set_paused_finish = tender_fake_run_start_finish;
	run_class->get_paused = tender_fake_run_get_paused;
	run_class->read_metrics = tender_fake_run_read_metrics;
	run_class->get_metrics_reader = tender_fake_run_get_metrics_reader;
	run_class->read_limits = tender_fake_run_read_limits;
	run_class->get_join_files = tender_fake_run_get_join_files;
	run_class->adopt = tender_fake_run_adopt;
	run_class->abandon = tender_fake_run_abandon;
	run_class->get_id = tender_fake_run_get_id;
	run_class->get_pid = tender_fake_run_get_pid;
}

static void
tender_fake_run_init(TenderFakeRun *self)
{
	self->signals = g_array_new(FALSE, FALSE, sizeof(gint));
	self->signal_times = g_array_new(FALSE, FALSE, sizeof(gint64));
}

static void
tender_fake_bare_run_class_init(TenderFakeBareRunClass *klass)
{
	TenderRuntimeRunClass *run_class = TENDER_RUNTIME_RUN_CLASS(klass);

	run_class->set_paused_async = NULL;
	run_class->set_paused_finish = NULL;
	run_class->get_paused = NULL;
	run_class->read_metrics = NULL;
	run_class->get_metrics_reader = NULL;
	run_class->read_limits = NULL;
}

static void
tender_fake_bare_run_init(TenderFakeBareRun *self)
{
}

static TenderRuntimeRun *
tender_fake_runtime_new_run(TenderRuntime *runtime, TenderWorkload *workload)
{
	TenderFakeRuntime *self = TENDER_FAKE_RUNTIME(runtime);
	TenderFakeRun *run =
	    g_object_new(self->bare ? tender_fake_bare_run_get_type() : TENDER_TYPE_FAKE_RUN,
			 "workload",
			 workload,
			 NULL);

	self->n_runs++;
	run->runtime = self;
	run->run_id = g_strdup_printf("fake-%u", self->n_runs);
	run->pid = 1000 + self->n_runs;
	g_set_object(&self->last_run, run);
	return TENDER_RUNTIME_RUN(run);
}

static void
tender_fake_runtime_forget_workload(TenderRuntime *runtime, TenderWorkload *workload)
{
	TenderFakeRuntime *self = TENDER_FAKE_RUNTIME(runtime);
	g_ptr_array_add(self->forgotten, g_strdup(tender_workload_get_name(workload)));
}

/* the command: the entrypoint, then the spec's argv */
static gchar **
tender_fake_runtime_resolve_command(TenderRuntime *runtime,
				    const gchar *name,
				    const TenderSpec *spec,
				    GError **error)
{
	TenderFakeRuntime *self = TENDER_FAKE_RUNTIME(runtime);
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();

	if (self->no_command) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Workload '%s': nothing says what to run",
			    name);
		return NULL;
	}
	if (self->entrypoint != NULL)
		g_strv_builder_addv(builder, (const gchar **)self->entrypoint);
	g_strv_builder_addv(builder, (const gchar **)spec->argv);
	return g_strv_builder_end(builder);
}

/**
 * tender_fake_runtime_set_entrypoint:
 * @self: a #TenderFakeRuntime
 * @entrypoint: (nullable): what the commands it makes from now on begin with, before the
 *	spec's argv
 * @no_command: whether it finds no command at all from now on
 */
void
tender_fake_runtime_set_entrypoint(TenderFakeRuntime *self,
				   const gchar *const *entrypoint,
				   gboolean no_command)
{
	g_strfreev(self->entrypoint);
	self->entrypoint = g_strdupv((gchar **)entrypoint);
	self->no_command = no_command;
}

/**
 * tender_fake_runtime_set_fail_start:
 * @self: a #TenderFakeRuntime
 * @fail_start: whether the starts that follow fail
 */
void
tender_fake_runtime_set_fail_start(TenderFakeRuntime *self, gboolean fail_start)
{
	self->fail_start = fail_start;
}

/**
 * tender_fake_runtime_set_ignore_sigterm:
 * @self: a #TenderFakeRuntime
 * @ignore_sigterm: whether runs go on after SIGTERM (and stops)
 */
void
tender_fake_runtime_set_ignore_sigterm(TenderFakeRuntime *self, gboolean ignore_sigterm)
{
	self->ignore_sigterm = ignore_sigterm;
}

/**
 * tender_fake_runtime_set_cpu_usage:
 * @self: a #TenderFakeRuntime
 * @cpu_usage_nsec: the CPU time every run has used from now on
 */
void
tender_fake_runtime_set_cpu_usage(TenderFakeRuntime *self, guint64 cpu_usage_nsec)
{
	self->cpu_usage_nsec = cpu_usage_nsec;
}

/**
 * tender_fake_runtime_get_n_reads_off_main:
 * @self: a #TenderFakeRuntime
 *
 * Returns: how many times a reader of tender_runtime_run_get_metrics_reader() ran in a
 * thread other than the one that made it
 */
gint
tender_fake_runtime_get_n_reads_off_main(TenderFakeRuntime *self)
{
	return g_atomic_int_get(&self->n_reads_off_main);
}

/**
 * tender_fake_runtime_get_n_starts:
 * @self: a #TenderFakeRuntime
 *
 * Returns: how many runs were started (not adopted)
 */
guint
tender_fake_runtime_get_n_starts(TenderFakeRuntime *self)
{
	return self->n_starts;
}

/**
 * tender_fake_runtime_get_last_run:
 * @self: a #TenderFakeRuntime
 *
 * Returns: (transfer none) (nullable): the run made last
 */
TenderFakeRun *
tender_fake_runtime_get_last_run(TenderFakeRuntime *self)
{
	return self->last_run;
}

/**
 * tender_fake_runtime_has_forgotten:
 * @self: a #TenderFakeRuntime
 * @name: a workload name
 *
 * Returns: %TRUE if the engine told the runtime that the workload is removed
 */
gboolean
tender_fake_runtime_has_forgotten(TenderFakeRuntime *self, const gchar *name)
{
	for (guint i = 0; i < self->forgotten->len; i++) {
		if (g_strcmp0(g_ptr_array_index(self->forgotten, i), name) == 0)
			return TRUE;
	}
	return FALSE;
}

/**
 * tender_fake_runtime_kill_run:
 * @self: a #TenderFakeRuntime
 * @run_id: a run
 *
 * The processes of the run are gone, unseen, as when they die while tenderd is away.
 */
void
tender_fake_runtime_kill_run(TenderFakeRuntime *self, const gchar *run_id)
{
	g_hash_table_remove(self->processes, run_id);
}

static void
tender_fake_runtime_finalize(GObject *object)
{
	TenderFakeRuntime *self = TENDER_FAKE_RUNTIME(object);
	g_free(self->join_file);
	g_hash_table_unref(self->processes);
	g_ptr_array_unref(self->forgotten);
	g_strfreev(self->entrypoint);
	G_OBJECT_CLASS(tender_fake_runtime_parent_class)->finalize(object);
}

static void
tender_fake_runtime_dispose(GObject *object)
{
	TenderFakeRuntime *self = TENDER_FAKE_RUNTIME(object);
	g_clear_object(&self->last_run);
	G_OBJECT_CLASS(tender_fake_runtime_parent_class)->dispose(object);
}

static void
tender_fake_runtime_class_init(TenderFakeRuntimeClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	TenderRuntimeClass *runtime_class = TENDER_RUNTIME_CLASS(klass);

	object_class->dispose = tender_fake_runtime_dispose;
	object_class->finalize = tender_fake_runtime_finalize;
	runtime_class->new_run = tender_fake_runtime_new_run;
	runtime_class->forget_workload = tender_fake_runtime_forget_workload;
	runtime_class->resolve_command = tender_fake_runtime_resolve_command;
}

static void
tender_fake_runtime_init(TenderFakeRuntime *self)
{
	self->processes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->forgotten = g_ptr_array_new_with_free_func(g_free);
}

/**
 * tender_fake_runtime_new:
 * @name: the runtime's name
 * @join_file: the file a health check command writes "0" into, as into cgroup.procs
 *
 * Returns: (transfer full): a #TenderFakeRuntime
 */
TenderFakeRuntime *
tender_fake_runtime_new(const gchar *name, const gchar *join_file)
{
	TenderFakeRuntime *self = g_object_new(TENDER_TYPE_FAKE_RUNTIME, "name", name, NULL);
	self->join_file = g_strdup(join_file);
	return self;
}

/**
 * tender_fake_runtime_new_bare:
 * @name: the runtime's name
 * @join_file: as for tender_fake_runtime_new()
 *
 * Returns: (transfer full): a #TenderFakeRuntime whose runs cannot be paused, and have
 *   neither metrics nor limits: the vfuncs are not there
 */
TenderFakeRuntime *
tender_fake_runtime_new_bare(const gchar *name, const gchar *join_file)
{
	TenderFakeRuntime *self = tender_fake_runtime_new(name, join_file);
	self->bare = TRUE;
	return self;
}
