/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-prometheus.h"

/*
 * The Prometheus text exposition (format 0.0.4) of GET /metrics: every workload's metrics,
 * as GetMetrics reads them, with the labels workload and unit, its state and restarts, and
 * tenderd's own process metrics from /proc/self.
 */

/**
 * tender_prometheus_escape_label:
 * @value: a label value
 *
 * Returns: (transfer full): @value with backslash, double quote and newline escaped
 */
gchar *
tender_prometheus_escape_label(const gchar *value)
{
	GString *out = g_string_new(NULL);

	for (const gchar *p = value != NULL ? value : ""; *p != '\0'; p++) {
		if (*p == '\\')
			g_string_append(out, "\\\\");
		else if (*p == '"')
			g_string_append(out, "\\\"");
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

static void
tender_prometheus_header(GString *out, const gchar *name, const gchar *type, const gchar *help)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/**
 * tender_prometheus_read_process:
 * @proc_dir: a process's /proc directory, e.g. "/proc/self"
 * @out: where the metrics are appended
 * @error: (nullable): a #GError
 *
 * Appends process_cpu_seconds_total, process_resident_memory_bytes,
 * process_virtual_memory_bytes, process_start_time_seconds and process_open_fds.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_prometheus_read_process(const gchar *proc_dir, GString *out, GError **error)
{
	g_autofree gchar *stat_path = g_build_filename(proc_dir, "stat", NULL);
	g_autofree gchar *fd_path = g_build_filename(proc_dir, "fd", NULL);
	g_autofree gchar *stat = NULL;
	g_autofree gchar *sys_stat = NULL;
	g_auto(GStrv) fields = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *rest;
	gdouble ticks = (gdouble)sysconf(_SC_CLK_TCK);
	gdouble page = (gdouble)sysconf(_SC_PAGESIZE);
	guint64 btime = 0;
	guint fds = 0;

	if (!g_file_get_contents(stat_path, &stat, NULL, error))
		return FALSE;
	/* the command name may hold spaces and parentheses: the fields start after the last ')' */
	rest = strrchr(stat, ')');
	if (rest == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s is malformed", stat_path);
		return FALSE;
	}
	fields = g_strsplit(rest + 2, " ", -1);
	/* fields[0] is field 3 (state): utime 14, stime 15, starttime 22, vsize 23, rss 24 */
	if (g_strv_length(fields) < 23) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s is too short", stat_path);
		return FALSE;
	}
	if (g_file_get_contents("/proc/stat", &sys_stat, NULL, NULL)) {
		const gchar *b = strstr(sys_stat, "\nbtime ");
		if (b != NULL)
			btime = g_ascii_strtoull(b + 7, NULL, 10);
	}
	dir = g_dir_open(fd_path, 0, NULL);
	while (dir != NULL && g_dir_read_name(dir) != NULL)
		fds++;

	tender_prometheus_header(out,
				 "process_cpu_seconds_total",
				 "counter",
				 "Total user and system CPU time spent in seconds.");
	g_string_append_printf(out,
			       "process_cpu_seconds_total %.2f\n",
			       (gdouble)(g_ascii_strtoull(fields[11], NULL, 10) +
					 g_ascii_strtoull(fields[12], NULL, 10)) /
				   ticks);
	tender_prometheus_header(out,
				 "process_resident_memory_bytes",
				 "gauge",
				 "Resident memory size in bytes.");
	g_string_append_printf(out,
			       "process_resident_memory_bytes %.0f\n",
			       (gdouble)g_ascii_strtoull(fields[21], NULL, 10) * page);
	tender_prometheus_header(out,
				 "process_virtual_memory_bytes",
				 "gauge",
				 "Virtual memory size in bytes.");
	g_string_append_printf(out,
			       "process_virtual_memory_bytes %" G_GUINT64_FORMAT "\n",
			       g_ascii_strtoull(fields[20], NULL, 10));
	tender_prometheus_header(out,
				 "process_start_time_seconds",
				 "gauge",
				 "Start time of the process since unix epoch in seconds.");
	g_string_append_printf(out,
			       "process_start_time_seconds %.2f\n",
			       (gdouble)btime +
				   (gdouble)g_ascii_strtoull(fields[19], NULL, 10) / ticks);
	tender_prometheus_header(out,
				 "process_open_fds",
				 "gauge",
				 "Number of open file descriptors.");
	/* the directory listing itself holds one */
	g_string_append_printf(out, "process_open_fds %u\n", fds > 0 ? fds - 1 : 0);
	return TRUE;
}

static const struct {
	const gchar *key;
	const gchar *name;
	const gchar *type;
	const gchar *help;
	gdouble scale;
} tender_prometheus_metrics[] = {
    {"cpu_usage_nsec",
     "tender_workload_cpu_usage_seconds_total",
     "counter",
     "CPU time used by the workload's scope since it started.",
     1e-9},
    {"memory_bytes",
     "tender_workload_memory_bytes",
     "gauge",
     "Memory in use by the workload's scope.",
     1},
    {"memory_peak_bytes",
     "tender_workload_memory_peak_bytes",
     "gauge",
     "The most memory the workload's scope ever used (0 where the kernel does not say).",
     1},
    {"tasks", "tender_workload_tasks", "gauge", "Processes and threads in the scope.", 1},
    {"io_read_bytes",
     "tender_workload_io_read_bytes_total",
     "counter",
     "Bytes the scope read from block devices.",
     1},
    {"io_write_bytes",
     "tender_workload_io_write_bytes_total",
     "counter",
     "Bytes the scope wrote to block devices.",
     1},
};

/* where each of tender_prometheus_metrics[] is in #TenderRuntimeMetrics, in the same order */
static const gsize tender_prometheus_offsets[] = {
    G_STRUCT_OFFSET(TenderRuntimeMetrics, cpu_usage_nsec),
    G_STRUCT_OFFSET(TenderRuntimeMetrics, memory_bytes),
    G_STRUCT_OFFSET(TenderRuntimeMetrics, memory_peak_bytes),
    G_STRUCT_OFFSET(TenderRuntimeMetrics, tasks),
    G_STRUCT_OFFSET(TenderRuntimeMetrics, io_read_bytes),
    G_STRUCT_OFFSET(TenderRuntimeMetrics, io_write_bytes),
};
G_STATIC_ASSERT(G_N_ELEMENTS(tender_prometheus_offsets) == G_N_ELEMENTS(tender_prometheus_metrics));

/* one workload as the exposition shows it, copied on the main loop */
typedef struct {
	gchar *labels; /* workload="...",unit="..." */
	TenderState state;
	guint restarts;
	gboolean has_metrics;
	TenderRuntimeMetrics metrics;
} TenderPrometheusRow;

static void
tender_prometheus_row_clear(TenderPrometheusRow *row)
{
	g_free(row->labels);
}

/* every workload, copied so that a worker thread renders them while the main loop goes on */
static GArray *
tender_prometheus_snapshot(TenderEngine *engine, GHashTable *metrics_of)
{
	g_autoptr(GPtrArray) workloads = tender_engine_get_workloads(engine);
	GArray *rows = g_array_sized_new(FALSE, TRUE, sizeof(TenderPrometheusRow), workloads->len);

	g_array_set_clear_func(rows, (GDestroyNotify)tender_prometheus_row_clear);
	for (guint i = 0; i < workloads->len; i++) {
		TenderWorkload *w = g_ptr_array_index(workloads, i);
		g_autofree gchar *name =
		    tender_prometheus_escape_label(tender_workload_get_name(w));
		g_autofree gchar *unit =
		    tender_prometheus_escape_label(tender_workload_get_unit(w));
		TenderRuntimeMetrics *m =
		    metrics_of != NULL
			? g_hash_table_lookup(metrics_of, tender_workload_get_name(w))
			: NULL;
		TenderPrometheusRow row = {
		    .labels = g_strdup_printf("workload=\"%s\",unit=\"%s\"", name, unit),
		    .state = tender_workload_get_state(w),
		    .restarts = tender_workload_get_restart_count(w),
		    .has_metrics = m != NULL,
		};
		if (m != NULL)
			row.metrics = *m;
		g_array_append_val(rows, row);
	}
	return rows;
}

/* the exposition of @rows and of tenderd's own process; any thread */
static GBytes *
tender_prometheus_render_rows(GArray *rows)
{
	g_autoptr(GError) error = NULL;
	/* about 2 KiB per workload: the text is not copied as it grows */
	GString *out = g_string_sized_new(4096 + (gsize)rows->len * 2048);

	tender_prometheus_header(out, "tender_workloads", "gauge", "Workloads known to tenderd.");
	g_string_append_printf(out, "tender_workloads %u\n", rows->len);
	tender_prometheus_header(out,
				 "tender_workload_state",
				 "gauge",
				 "1 for the state the workload is in, 0 for the others.");
	for (guint i = 0; i < rows->len; i++) {
		const TenderPrometheusRow *row = &g_array_index(rows, TenderPrometheusRow, i);
		for (guint s = 0; s < TENDER_STATE_LAST; s++) {
			g_string_append_printf(out,
					       "tender_workload_state{%s,state=\"%s\"} %d\n",
					       row->labels,
					       tender_state_to_string((TenderState)s),
					       row->state == (TenderState)s);
		}
	}
	tender_prometheus_header(out,
				 "tender_workload_restarts_total",
				 "counter",
				 "Restarts of the workload by its restart policy.");
	for (guint i = 0; i < rows->len; i++) {
		const TenderPrometheusRow *row = &g_array_index(rows, TenderPrometheusRow, i);
		g_string_append_printf(out,
				       "tender_workload_restarts_total{%s} %u\n",
				       row->labels,
				       row->restarts);
	}
	for (guint k = 0; k < G_N_ELEMENTS(tender_prometheus_metrics); k++) {
		tender_prometheus_header(out,
					 tender_prometheus_metrics[k].name,
					 tender_prometheus_metrics[k].type,
					 tender_prometheus_metrics[k].help);
		for (guint i = 0; i < rows->len; i++) {
			const TenderPrometheusRow *row =
			    &g_array_index(rows, TenderPrometheusRow, i);
			guint64 value;
			if (!row->has_metrics)
				continue;
			memcpy(&value,
			       (const guint8 *)&row->metrics + tender_prometheus_offsets[k],
			       sizeof(value));
			if (tender_prometheus_metrics[k].scale == 1)
				g_string_append_printf(out,
						       "%s{%s} %" G_GUINT64_FORMAT "\n",
						       tender_prometheus_metrics[k].name,
						       row->labels,
						       value);
			else
				g_string_append_printf(out,
						       "%s{%s} %.9f\n",
						       tender_prometheus_metrics[k].name,
						       row->labels,
						       (gdouble)value *
							   tender_prometheus_metrics[k].scale);
		}
	}
	if (!tender_prometheus_read_process("/proc/self", out, &error))
		g_warning("cannot read tenderd's process metrics: %s", error->message);
	return g_string_free_to_bytes(out);
}

static void
tender_prometheus_render_thread(GTask *task,
				gpointer source_object,
				gpointer task_data,
				GCancellable *cancellable)
{
	g_task_return_pointer(task,
			      tender_prometheus_render_rows(task_data),
			      (GDestroyNotify)g_bytes_unref);
}

/**
 * tender_prometheus_render_async:
 * @engine: the engine
 * @metrics_of: (nullable): the name of each running or paused workload to its
 *	#TenderRuntimeMetrics, as tender_engine_get_all_metrics_finish() gives them
 * @callback: called on the main loop with the text
 * @user_data: for @callback
 *
 * Renders the exposition: the workloads are copied here, the text is written in a worker
 * thread, so that thousands of workloads never hold the main loop for long.
 */
void
tender_prometheus_render_async(TenderEngine *engine,
			       GHashTable *metrics_of,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(engine, NULL, callback, user_data);

	g_task_set_source_tag(task, tender_prometheus_render_async);
	g_task_set_task_data(task,
			     tender_prometheus_snapshot(engine, metrics_of),
			     (GDestroyNotify)g_array_unref);
	g_task_run_in_thread(task, tender_prometheus_render_thread);
}

/**
 * tender_prometheus_render_finish:
 * @res: the result given to the callback
 *
 * Returns: (transfer full): the exposition text, which the answers to the requests that
 * share a reading share without copies
 */
GBytes *
tender_prometheus_render_finish(GAsyncResult *res)
{
	return g_task_propagate_pointer(G_TASK(res), NULL);
}
