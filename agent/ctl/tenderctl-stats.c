/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* stats: the resource use of workloads, once or with --watch */

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tender-units.h"
#include "tenderctl-private.h"

/* CPU % is measured over this long when stats prints once, and first with --watch */
#define TENDER_CTL_STATS_SAMPLE_MSEC 1000
/* --watch prints again this often */
#define TENDER_CTL_STATS_INTERVAL_MSEC 2000

/* the workloads stats shows: those named, or all that run or are paused */
static GStrv
tender_ctl_stats_names(TenderCtl *self, GError **error)
{
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();
	g_autoptr(GVariant) workloads = NULL;
	GVariantIter iter;
	const gchar *name = NULL;
	const gchar *state = NULL;

	if (self->names[0] != NULL)
		return g_strdupv(self->names);
	workloads = tender_ctl_bus_list(self, "ListWorkloads", "(a(ssso))", "workloads", error);
	if (workloads == NULL)
		return NULL;
	g_variant_iter_init(&iter, workloads);
	while (g_variant_iter_next(&iter, "(&s&s&s&o)", &name, &state, NULL, NULL)) {
		if (g_strcmp0(state, "running") == 0 || g_strcmp0(state, "paused") == 0)
			g_strv_builder_add(names, name);
	}
	return g_strv_builder_end(names);
}

/* GetMetrics of @name, and the memory limit the kernel holds for it (0 if none) */
static GVariant *
tender_ctl_stats_one(TenderCtl *self, const gchar *name, guint64 *memory_max, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GVariant) limits = NULL;

	*memory_max = 0;
	reply = tender_ctl_bus_call(self,
				    TENDER_CTL_MANAGER_PATH,
				    TENDER_CTL_MANAGER_IFACE,
				    "GetMetrics",
				    g_variant_new("(s)", name),
				    G_VARIANT_TYPE("(a{sv})"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    error);
	if (reply == NULL) {
		tender_ctl_bus_error_prefix_name(error, "read the metrics of", name);
		return NULL;
	}
	/* best effort: without it, the limit is shown as unknown */
	path = tender_ctl_bus_get_workload_path(self, name, NULL);
	if (path != NULL)
		limits = tender_ctl_bus_get_property(self, path, "Limits");
	if (limits != NULL && g_variant_is_of_type(limits, G_VARIANT_TYPE_VARDICT))
		(void)g_variant_lookup(limits, "memory_max", "t", memory_max);
	return g_variant_get_child_value(reply, 0);
}

static guint64
tender_ctl_metric(GVariant *metrics, const gchar *key)
{
	guint64 value = 0;
	(void)g_variant_lookup(metrics, key, "t", &value);
	return value;
}

/* one round of GetMetrics; prints it unless @print is FALSE (a first sample for CPU %) */
static gboolean
tender_ctl_stats_round(TenderCtl *self, gboolean print, GError **error)
{
	g_auto(GStrv) names = tender_ctl_stats_names(self, error);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *header[] =
	    {"NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PEAK", "PIDS", "BLOCK I/O", NULL};
	gint widths[G_N_ELEMENTS(header) - 1] = {0};

	if (names == NULL)
		return FALSE;
	json_builder_begin_array(builder);
	for (guint i = 0; names[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GVariant) metrics = NULL;
		GPtrArray *row;
		g_autofree gchar *usage = NULL;
		g_autofree gchar *limit = NULL;
		g_autofree gchar *peak = NULL;
		g_autofree gchar *read = NULL;
		g_autofree gchar *written = NULL;
		guint64 memory_max = 0;
		guint64 memory = 0;
		gdouble cpu = 0.0;

		metrics = tender_ctl_stats_one(self, names[i], &memory_max, &error_local);
		if (metrics == NULL) {
			/* unnamed workloads may end between the list and the read */
			if (self->names[0] == NULL &&
			    !tender_ctl_bus_error_is_not_running(error_local))
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (!print)
			continue;
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "Name");
		json_builder_add_string_value(builder, names[i]);
		if (memory_max > 0) {
			json_builder_set_member_name(builder, "memory_max");
			json_builder_add_int_value(builder, (gint64)memory_max);
		}
		json_builder_set_member_name(builder, "Metrics");
		json_builder_add_value(builder, json_gvariant_serialize(metrics));
		json_builder_end_object(builder);

		(void)g_variant_lookup(metrics, "cpu_percent", "d", &cpu);
		memory = tender_ctl_metric(metrics, "memory_bytes");
		usage = tender_units_format_size(memory);
		limit = memory_max > 0 ? tender_units_format_size(memory_max) : g_strdup("-");
		peak = tender_units_format_size(tender_ctl_metric(metrics, "memory_peak_bytes"));
		read = tender_units_format_size(tender_ctl_metric(metrics, "io_read_bytes"));
		written = tender_units_format_size(tender_ctl_metric(metrics, "io_write_bytes"));
		row = g_ptr_array_new();
		g_ptr_array_add(row, g_strdup(names[i]));
		g_ptr_array_add(row, g_strdup_printf("%.2f%%", cpu));
		g_ptr_array_add(row, g_strdup_printf("%s / %s", usage, limit));
		g_ptr_array_add(row,
				memory_max > 0
				    ? g_strdup_printf("%.2f%%",
						      (gdouble)memory * 100.0 / (gdouble)memory_max)
				    : g_strdup("-"));
		g_ptr_array_add(row, g_steal_pointer(&peak));
		g_ptr_array_add(row,
				g_strdup_printf("%" G_GUINT64_FORMAT,
						tender_ctl_metric(metrics, "tasks")));
		g_ptr_array_add(row, g_strdup_printf("%s / %s", read, written));
		g_ptr_array_add(row, NULL);
		g_ptr_array_add(rows, g_ptr_array_free(row, FALSE));
	}
	json_builder_end_array(builder);
	if (!print)
		return TRUE;

	if (self->json) {
		g_autoptr(JsonNode) root = json_builder_get_root(builder);
		if (self->watch) {
			/* one line per refresh */
			g_autoptr(JsonGenerator) generator = json_generator_new();
			g_autofree gchar *data = NULL;
			json_generator_set_root(generator, root);
			data = json_generator_to_data(generator, NULL);
			fputs(data, stdout);
			fputc('\n', stdout);
		} else {
			tender_ctl_print_json(root);
		}
		fflush(stdout);
		return TRUE;
	}

	/* with --watch on a terminal, each table replaces the one before */
	if (self->watch && isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout);
	if (rows->len == 0 && self->names[0] == NULL) {
		g_print("No running workloads.\n");
		fflush(stdout);
		return TRUE;
	}
	for (guint c = 0; header[c] != NULL; c++)
		widths[c] = (gint)strlen(header[c]);
	for (guint r = 0; r < rows->len; r++) {
		gchar **row = g_ptr_array_index(rows, r);
		for (guint c = 0; header[c] != NULL; c++)
			widths[c] = MAX(widths[c], (gint)g_utf8_strlen(row[c], -1));
	}
	for (guint r = 0; r <= rows->len; r++) {
		const gchar *const *row =
		    r == 0 ? header : (const gchar *const *)g_ptr_array_index(rows, r - 1);
		for (guint c = 0; row[c] != NULL; c++) {
			if (row[c + 1] == NULL)
				g_print("%s\n", row[c]);
			else
				g_print("%-*s  ", widths[c], row[c]);
		}
	}
	if (self->watch)
		g_print("\n");
	fflush(stdout);
	return TRUE;
}

typedef struct {
	TenderCtl *self;
	GMainLoop *loop;
	GError *error;
} TenderCtlWatch;

static gboolean
tender_ctl_stats_tick_cb(gpointer user_data)
{
	TenderCtlWatch *watch = user_data;

	if (!tender_ctl_stats_round(watch->self, TRUE, &watch->error)) {
		g_main_loop_quit(watch->loop);
		return G_SOURCE_REMOVE;
	}
	g_timeout_add(TENDER_CTL_STATS_INTERVAL_MSEC, tender_ctl_stats_tick_cb, watch);
	return G_SOURCE_REMOVE;
}

gboolean
tender_ctl_cmd_stats(TenderCtl *self, GError **error)
{
	TenderCtlWatch watch = {self, NULL, NULL};

	/* CPU % is the use since the previous GetMetrics: take one to measure from */
	if (!tender_ctl_stats_round(self, FALSE, error))
		return FALSE;
	if (!self->watch) {
		g_usleep(TENDER_CTL_STATS_SAMPLE_MSEC * 1000);
		return tender_ctl_stats_round(self, TRUE, error);
	}
	watch.loop = g_main_loop_new(NULL, FALSE);
	g_timeout_add(TENDER_CTL_STATS_SAMPLE_MSEC, tender_ctl_stats_tick_cb, &watch);
	tender_ctl_run_until_interrupted(watch.loop);
	(void)g_source_remove_by_user_data(&watch);
	g_main_loop_unref(watch.loop);
	if (watch.error != NULL) {
		g_propagate_error(error, watch.error);
		return FALSE;
	}
	return TRUE;
}
