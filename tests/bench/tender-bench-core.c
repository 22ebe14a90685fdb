/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench's phases: launches or calls with some in flight, their statistics, the
 * set-up.
 */

#include "tender-bench.h"

void
bench_clear(Bench *b)
{
	g_clear_object(&b->bus);
	g_clear_pointer(&b->loop, g_main_loop_unref);
	g_clear_pointer(&b->floor_pending, g_hash_table_unref);
	g_clear_pointer(&b->exit_pending, g_hash_table_unref);
	g_clear_pointer(&b->names, g_ptr_array_unref);
	g_clear_pointer(&b->true_path, g_free);
	g_clear_pointer(&b->name_prefix, g_free);
	g_clear_pointer(&b->first_error, g_free);
}

void
bench_launch_free(BenchLaunch *l)
{
	if (l->go_fd >= 0)
		(void)close(l->go_fd);
	if (l->exec_fd >= 0)
		(void)close(l->exec_fd);
	if (l->path != NULL && l->bench->exit_pending != NULL &&
	    g_hash_table_lookup(l->bench->exit_pending, l->path) == l)
		g_hash_table_remove(l->bench->exit_pending, l->path);
	g_free(l->name);
	g_free(l->result);
	g_free(l->path);
	g_free(l);
}

BenchLaunch *
bench_launch_new(Bench *b)
{
	BenchLaunch *l = g_new0(BenchLaunch, 1);
	l->bench = b;
	l->go_fd = -1;
	l->exec_fd = -1;
	l->t0 = g_get_monotonic_time();
	return l;
}

void
bench_fail(Bench *b, const gchar *what, const gchar *message)
{
	b->failures++;
	g_printerr("tender-bench: %s: %s\n", what, message);
	if (b->first_error == NULL)
		b->first_error = g_strdup_printf("%s: %s", what, message);
}

/* the launch's timed part is over (ok or not); @ms is recorded if ok */
void
bench_done(BenchLaunch *l, gboolean ok)
{
	Bench *b = l->bench;
	if (ok)
		g_array_append_val(b->samples, l->ms);
	b->finished++;
	bench_next(b);
}

void
bench_mark(BenchLaunch *l)
{
	l->ms = (gdouble)(g_get_monotonic_time() - l->t0) / 1000.0;
}

gboolean
bench_check_reply(Bench *b, GObject *source, GAsyncResult *res, const gchar *what, GVariant **out)
{
	g_autoptr(GError) error = NULL;
	GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		g_dbus_error_strip_remote_error(error);
		bench_fail(b, what, error->message);
		return FALSE;
	}
	if (out != NULL)
		*out = reply;
	else
		g_variant_unref(reply);
	return TRUE;
}

/* ---- phases ---- */

static void
bench_start_one(Bench *b)
{
	BenchLaunch *l = bench_launch_new(b);
	b->started++;
	switch (b->op) {
	case OP_TENDER:
		bench_tender_start(b, l);
		break;
	case OP_FLOOR:
		bench_floor_start(b, l);
		break;
	case OP_SYSTEMD_RUN:
		bench_systemd_run_start(b, l);
		break;
	case OP_SPAWN:
		bench_spawn_start(b, l, (const gchar *const *)b->spawn_argv);
		break;
	case OP_EXEC:
		bench_exec_start(b, l);
		break;
	case OP_REMOVE:
	case OP_METRICS:
	case OP_LIST:
	default:
		bench_call_start(b, l);
		break;
	}
}

/* one more finished: start the next, or end the phase */
void
bench_next(Bench *b)
{
	if (b->started < b->total) {
		bench_start_one(b);
		return;
	}
	if (b->finished == b->total && b->children == 0)
		g_main_loop_quit(b->loop);
}

/* runs @total operations @op with @jobs in flight; returns the wall time in ms */
gdouble
bench_phase(Bench *b, BenchOp op, guint total, guint jobs)
{
	gint64 t0 = g_get_monotonic_time();
	gint64 t1;

	b->op = op;
	b->total = total;
	b->started = 0;
	b->finished = 0;
	b->jobs = jobs;
	if (total == 0)
		return 0;
	for (guint i = 0; i < jobs && b->started < total; i++)
		bench_start_one(b);
	g_main_loop_run(b->loop);
	/* wall time until the last operation's timed part ended */
	t1 = g_get_monotonic_time();
	return (gdouble)(t1 - t0) / 1000.0;
}

static gint
bench_cmp_double(gconstpointer a, gconstpointer b)
{
	gdouble x = *(const gdouble *)a;
	gdouble y = *(const gdouble *)b;
	return x < y ? -1 : x > y ? 1 : 0;
}

static gdouble
bench_percentile(GArray *sorted, gdouble p)
{
	guint idx;
	if (sorted->len == 0)
		return 0;
	idx = (guint)((p / 100.0) * sorted->len + 0.999999);
	if (idx > 0)
		idx--;
	if (idx >= sorted->len)
		idx = sorted->len - 1;
	return g_array_index(sorted, gdouble, idx);
}

/* {"count": .., "p50_ms": .., "p99_ms": .., "mean_ms": .., "max_ms": ..} */
void
bench_print_stats(GString *out, GArray *samples)
{
	gdouble sum = 0;
	g_array_sort(samples, bench_cmp_double);
	for (guint i = 0; i < samples->len; i++)
		sum += g_array_index(samples, gdouble, i);
	g_string_append_printf(out,
			       "{\"count\": %u, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
			       "\"mean_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": %.3f}",
			       samples->len,
			       bench_percentile(samples, 50),
			       bench_percentile(samples, 99),
			       samples->len > 0 ? sum / samples->len : 0,
			       samples->len > 0 ? g_array_index(samples, gdouble, 0) : 0,
			       samples->len > 0 ? g_array_index(samples, gdouble, samples->len - 1)
						: 0);
}

/* removes the tender workloads a launch phase left (untimed) */
void
bench_cleanup_names(Bench *b, guint jobs)
{
	g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
	GArray *saved = b->samples;
	b->samples = samples;
	bench_phase(b, OP_REMOVE, b->names->len, jobs);
	b->samples = saved;
	g_ptr_array_set_size(b->names, 0);
}

gboolean
bench_setup(Bench *b, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	b->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, error);
	if (b->bus == NULL)
		return FALSE;
	b->loop = g_main_loop_new(NULL, FALSE);
	b->floor_pending = g_hash_table_new(g_str_hash, g_str_equal);
	b->exit_pending = g_hash_table_new(g_str_hash, g_str_equal);
	b->names = g_ptr_array_new_with_free_func(g_free);
	b->true_path = g_find_program_in_path("true");
	if (b->true_path == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no 'true' in PATH");
		return FALSE;
	}
	bench_floor_subscribe(b);
	reply = g_dbus_connection_call_sync(b->bus,
					    SYSTEMD_BUS_NAME,
					    SYSTEMD_PATH,
					    SYSTEMD_MANAGER,
					    "Subscribe",
					    NULL,
					    NULL,
					    G_DBUS_CALL_FLAGS_NONE,
					    -1,
					    NULL,
					    error);
	return reply != NULL;
}

/* the names of the workloads whose name starts with @prefix */
gboolean
bench_list_prefix(Bench *b, const gchar *prefix, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) iter = NULL;
	const gchar *name;

	reply = g_dbus_connection_call_sync(b->bus,
					    TENDER_BUS_NAME,
					    TENDER_PATH,
					    TENDER_MANAGER,
					    "ListWorkloads",
					    NULL,
					    G_VARIANT_TYPE("(a(ssso))"),
					    G_DBUS_CALL_FLAGS_NONE,
					    BENCH_CALL_TIMEOUT,
					    NULL,
					    error);
	if (reply == NULL)
		return FALSE;
	g_ptr_array_set_size(b->names, 0);
	g_variant_get(reply, "(a(ssso))", &iter);
	while (g_variant_iter_next(iter, "(&s&s&s&o)", &name, NULL, NULL, NULL)) {
		if (g_str_has_prefix(name, prefix))
			g_ptr_array_add(b->names, g_strdup(name));
	}
	return TRUE;
}

/* @s as the inside of a JSON string */
gchar *
bench_json_escape(const gchar *s)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if ((guchar)*p < 0x20)
			g_string_append_printf(out, "\\u%04x", (guint)(guchar)*p);
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}
