/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the tender peer (CreateWorkload + StartWorkload, RemoveWorkload after),
 * and calls on existing workloads (RemoveWorkload, GetMetrics, ListWorkloads).
 */

#include "tender-bench.h"

/* ---- tender ---- */

static void
bench_tender_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	gboolean ok = bench_check_reply(l->bench, source, res, "RemoveWorkload", NULL);
	bench_done(l, ok && !l->start_failed);
	bench_launch_free(l);
}

void
bench_tender_remove(BenchLaunch *l, GAsyncReadyCallback cb)
{
	GVariantBuilder options;
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options, "{sv}", "force", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&options, "{sv}", "timeout_sec", g_variant_new_uint32(5));
	g_dbus_connection_call(l->bench->bus,
			       TENDER_BUS_NAME,
			       TENDER_PATH,
			       TENDER_MANAGER,
			       "RemoveWorkload",
			       g_variant_new("(sa{sv})", l->name, &options),
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       cb,
			       l);
}

static void
bench_tender_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	Bench *b = l->bench;

	if (!bench_check_reply(b, source, res, "StartWorkload", NULL)) {
		/* created but not started: remove it, and count the launch as failed */
		l->start_failed = TRUE;
		bench_tender_remove(l, bench_tender_removed_cb);
		return;
	}
	if (b->start_samples != NULL) {
		gdouble ms = (gdouble)(g_get_monotonic_time() - l->t0) / 1000.0;
		g_array_append_val(b->start_samples, ms);
	}
	if (b->wait_exit && !l->exited) {
		/* the command's exit (bench_iso_changed_cb) ends the launch */
		l->ran = TRUE;
		return;
	}
	bench_tender_ran(l);
}

/* the launch's timed part is over: the command runs (or, with wait_exit, has exited) */
void
bench_tender_ran(BenchLaunch *l)
{
	Bench *b = l->bench;

	bench_mark(l);
	if (b->remove_after) {
		/* RemoveWorkload's reply ends the launch; the time is taken already */
		bench_tender_remove(l, bench_tender_removed_cb);
		return;
	}
	g_ptr_array_add(b->names, g_strdup(l->name));
	bench_done(l, TRUE);
	bench_launch_free(l);
}

static void
bench_tender_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	Bench *b = l->bench;
	g_autoptr(GVariant) reply = NULL;

	if (!bench_check_reply(b, source, res, "CreateWorkload", &reply)) {
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
	}
	if (b->wait_exit) {
		g_variant_get(reply, "(o)", &l->path);
		g_hash_table_insert(b->exit_pending, l->path, l);
	}
	if (b->create_samples != NULL) {
		gdouble ms = (gdouble)(g_get_monotonic_time() - l->t0) / 1000.0;
		g_array_append_val(b->create_samples, ms);
	}
	g_dbus_connection_call(b->bus,
			       TENDER_BUS_NAME,
			       TENDER_PATH,
			       TENDER_MANAGER,
			       "StartWorkload",
			       g_variant_new("(sa{sv})", l->name, NULL),
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       bench_tender_started_cb,
			       l);
}

void
bench_tender_start(Bench *b, BenchLaunch *l)
{
	GVariantBuilder spec;

	l->name = g_strdup_printf("%s-%u", b->name_prefix, b->seq++);
	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&spec,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)b->workload_argv, -1));
	g_variant_builder_add(&spec, "{sv}", "memory_max", g_variant_new_uint64(b->memory_max));
	g_variant_builder_add(&spec, "{sv}", "tasks_max", g_variant_new_uint64(b->tasks_max));
	if (b->isolation != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "isolation",
				      g_variant_new_string(b->isolation));
	if (b->rootfs != NULL)
		g_variant_builder_add(&spec, "{sv}", "rootfs", g_variant_new_string(b->rootfs));
	if (b->docker_image != NULL) {
		GVariantBuilder x;
		g_variant_builder_init(&x, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&x, "{sv}", "image", g_variant_new_string(b->docker_image));
		g_variant_builder_add(&spec, "{sv}", "runtime", g_variant_new_string("docker"));
		g_variant_builder_add(&spec, "{sv}", "x-docker", g_variant_builder_end(&x));
	}
	g_dbus_connection_call(b->bus,
			       TENDER_BUS_NAME,
			       TENDER_PATH,
			       TENDER_MANAGER,
			       "CreateWorkload",
			       g_variant_new("(sa{sv}a{sv})", l->name, &spec, NULL),
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       bench_tender_created_cb,
			       l);
}

/* ---- calls on existing workloads ---- */

static void
bench_call_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	Bench *b = l->bench;
	g_autoptr(GVariant) reply = NULL;
	const gchar *what = b->op == OP_REMOVE	  ? "RemoveWorkload"
			    : b->op == OP_METRICS ? "GetMetrics"
			    : b->list_systemd	  ? "ListUnitsByPatterns"
						  : "ListWorkloads";
	gboolean ok = bench_check_reply(b, source, res, what, &reply);

	if (ok) {
		bench_mark(l);
		if (b->op == OP_LIST) {
			g_autoptr(GVariant) list = g_variant_get_child_value(reply, 0);
			b->listed = (guint)g_variant_n_children(list);
		}
	}
	bench_done(l, ok);
	bench_launch_free(l);
}

void
bench_call_start(Bench *b, BenchLaunch *l)
{
	const gchar *name = b->names != NULL && b->started - 1 < b->names->len
				? g_ptr_array_index(b->names, b->started - 1)
				: "";

	l->name = g_strdup(name);
	if (b->op == OP_REMOVE) {
		bench_tender_remove(l, bench_call_cb);
		return;
	}
	if (b->op == OP_LIST && b->list_systemd) {
		const gchar *states[] = {NULL};
		const gchar *patterns[] = {"tender-*.scope", NULL};
		g_dbus_connection_call(b->bus,
				       SYSTEMD_BUS_NAME,
				       SYSTEMD_PATH,
				       SYSTEMD_MANAGER,
				       "ListUnitsByPatterns",
				       g_variant_new("(^as^as)", states, patterns),
				       NULL,
				       G_DBUS_CALL_FLAGS_NONE,
				       BENCH_CALL_TIMEOUT,
				       NULL,
				       bench_call_cb,
				       l);
		return;
	}
	g_dbus_connection_call(b->bus,
			       TENDER_BUS_NAME,
			       TENDER_PATH,
			       TENDER_MANAGER,
			       b->op == OP_METRICS ? "GetMetrics" : "ListWorkloads",
			       b->op == OP_METRICS ? g_variant_new("(s)", name) : NULL,
			       NULL,
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       bench_call_cb,
			       l);
}
