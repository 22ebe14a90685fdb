/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-engine-private.h"
#include "tender-error.h"

/*
 * GetMetrics and GET /metrics without reading cgroup files on the main loop: the main loop
 * takes from each run a reader that holds its own copy of what it reads (the cgroup path), a
 * worker thread runs the readers, and the main loop turns the counters into the answers.  A
 * run whose runtime has no such reader (a plugin's) is read on the main loop, as before.
 * Requests for every workload that come while such a reading is under way share it (and its
 * answer) instead of starting another: under a load of GET /metrics, each cgroup file is read
 * once per reading, not once per request.
 */

/* one run's sample */
typedef struct {
	gchar *name;
	TenderRuntimeRun *run;		    /* main loop only */
	TenderRuntimeMetricsReader *reader; /* NULL: read on the main loop already */
	TenderRuntimeMetrics metrics;	    /* written by the worker thread */
	GError *error;			    /* likewise */
	gint64 now;			    /* when it was read, monotonic */
	gint64 now_utc;
} TenderEngineSample;

typedef struct {
	GPtrArray *samples; /* of TenderEngineSample */
	TenderEngine *engine;
	gboolean all; /* every running or paused workload (the waiters are the engine's) */
	GTask *task;  /* the caller's, on the main loop; NULL if @all */
} TenderEngineSampling;

static void
tender_engine_sample_free(TenderEngineSample *sample)
{
	g_free(sample->name);
	g_clear_object(&sample->run);
	g_clear_pointer(&sample->reader, tender_runtime_metrics_reader_free);
	g_clear_error(&sample->error);
	g_free(sample);
}

static void
tender_engine_sampling_free(TenderEngineSampling *sampling)
{
	g_ptr_array_unref(sampling->samples);
	g_clear_object(&sampling->engine);
	g_clear_object(&sampling->task);
	g_free(sampling);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderEngineSampling, tender_engine_sampling_free)

static void
tender_engine_sample_read(TenderEngineSample *sample)
{
	sample->now = g_get_monotonic_time();
	sample->now_utc = g_get_real_time();
	if (sample->reader != NULL)
		(void)sample->reader->func(sample->reader->data, &sample->metrics, &sample->error);
	else
		(void)tender_runtime_run_sample_metrics(sample->run,
							&sample->metrics,
							&sample->error);
}

/* the worker thread: touches the readers' own data and the samples' results only */
static void
tender_engine_metrics_thread(GTask *task,
			     gpointer source_object,
			     gpointer task_data,
			     GCancellable *cancellable)
{
	TenderEngineSampling *sampling = task_data;

	for (guint i = 0; i < sampling->samples->len; i++) {
		TenderEngineSample *sample = g_ptr_array_index(sampling->samples, i);
		if (sample->reader != NULL)
			tender_engine_sample_read(sample);
	}
	g_task_return_boolean(task, TRUE);
}

/* back on the main loop: the answers from the samples */
static void
tender_engine_metrics_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderEngineSampling) sampling = user_data;
	g_autoptr(GHashTable) all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) waiters = NULL;

	for (guint i = 0; i < sampling->samples->len; i++) {
		TenderEngineSample *sample = g_ptr_array_index(sampling->samples, i);
		g_autoptr(GError) error = NULL;
		GVariant *metrics;

		/* every workload's: the plain counters, for the caller to render */
		if (sampling->all) {
			if (sample->error != NULL)
				continue;
			(void)tender_runtime_run_record_metrics(sample->run,
								&sample->metrics,
								sample->now,
								sample->now_utc);
			g_hash_table_insert(all,
					    g_strdup(sample->name),
					    g_memdup2(&sample->metrics, sizeof(sample->metrics)));
			continue;
		}
		metrics = tender_runtime_run_build_metrics(sample->run,
							   &sample->metrics,
							   sample->error,
							   sample->now,
							   sample->now_utc,
							   &error);
		if (metrics == NULL) {
			g_task_return_error(sampling->task, g_steal_pointer(&error));
			return;
		}
		g_task_return_pointer(sampling->task,
				      g_variant_ref_sink(metrics),
				      (GDestroyNotify)g_variant_unref);
		return;
	}
	/* every request that came meanwhile has the same answer */
	waiters = g_steal_pointer(&sampling->engine->metrics_waiters);
	for (guint i = 0; i < waiters->len; i++) {
		g_task_return_pointer(g_ptr_array_index(waiters, i),
				      g_hash_table_ref(all),
				      (GDestroyNotify)g_hash_table_unref);
	}
}

static void
tender_engine_sampling_add(TenderEngineSampling *sampling, const gchar *name, TenderRuntimeRun *run)
{
	TenderEngineSample *sample = g_new0(TenderEngineSample, 1);

	sample->name = g_strdup(name);
	sample->run = g_object_ref(run);
	sample->reader = tender_runtime_run_get_metrics_reader(run);
	/* a runtime without a reader for a worker thread is read here, on the main loop */
	if (sample->reader == NULL)
		tender_engine_sample_read(sample);
	g_ptr_array_add(sampling->samples, sample);
}

/**
 * tender_engine_get_metrics_async:
 * @self: a #TenderEngine
 * @name: (nullable): the workload, or %NULL for every running or paused workload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the main loop once the metrics are read
 * @user_data: for @callback
 *
 * Reads what tender_engine_get_metrics() reads, the cgroup files in a worker thread, so that
 * the main loop is not held by the reads of many workloads.  With @name, finish with
 * tender_engine_get_metrics_finish(); without, with tender_engine_get_all_metrics_finish().
 */
void
tender_engine_get_metrics_async(TenderEngine *self,
				const gchar *name,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(TenderEngineSampling) sampling = NULL;
	g_autoptr(GTask) task = NULL;
	g_autoptr(GTask) worker = NULL;
	g_autoptr(GError) error = NULL;

	g_return_if_fail(TENDER_IS_ENGINE(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, tender_engine_get_metrics_async);
	if (name == NULL && self->metrics_waiters != NULL) {
		g_ptr_array_add(self->metrics_waiters, g_steal_pointer(&task));
		return;
	}
	sampling = g_new0(TenderEngineSampling, 1);
	sampling->engine = g_object_ref(self);
	sampling->samples =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_engine_sample_free);
	sampling->all = name == NULL;
	if (name != NULL) {
		TenderRuntimeRun *run = tender_engine_lookup_metrics_run(self, name, &error);
		sampling->task = g_steal_pointer(&task);
		if (run == NULL) {
			g_task_return_error(sampling->task, g_steal_pointer(&error));
			return;
		}
		tender_engine_sampling_add(sampling, name, run);
	} else {
		g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(self);
		self->metrics_waiters = g_ptr_array_new_with_free_func(g_object_unref);
		g_ptr_array_add(self->metrics_waiters, g_steal_pointer(&task));
		for (guint i = 0; i < workloads->len; i++) {
			const gchar *wname =
			    tender_workload_get_name(g_ptr_array_index(workloads, i));
			TenderRuntimeRun *run = tender_engine_lookup_metrics_run(self, wname, NULL);
			if (run != NULL)
				tender_engine_sampling_add(sampling, wname, run);
		}
	}
	/* the worker's task holds no object: its last reference may go in the thread; the
	 * sampling is freed by its callback, on the main loop */
	worker = g_task_new(NULL, NULL, tender_engine_metrics_read_cb, sampling);
	g_task_set_task_data(worker, g_steal_pointer(&sampling), NULL);
	g_task_run_in_thread(worker, tender_engine_metrics_thread);
}

/**
 * tender_engine_get_metrics_finish:
 * @self: a #TenderEngine
 * @res: a #GAsyncResult
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv} as GetMetrics documents it, or %NULL
 */
GVariant *
tender_engine_get_metrics_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/**
 * tender_engine_get_all_metrics_finish:
 * @self: a #TenderEngine
 * @res: a #GAsyncResult
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the name of each running or paused workload whose metrics could
 * be read to its #TenderRuntimeMetrics (cpu_percent is not rendered: the sample is recorded
 * for the next GetMetrics' cpu_percent, as every read is), or %NULL
 */
GHashTable *
tender_engine_get_all_metrics_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
