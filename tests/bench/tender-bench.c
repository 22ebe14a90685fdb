/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the C client of the benchmarks (tests/bench/run drives it, inside the lab).
 *
 * Launches a trivial command again and again, and times each launch from the first call until
 * the command runs in its own scope with its limits applied, through three peers:
 *
 *   tender       CreateWorkload + StartWorkload on org.tender.Agent1 (StartWorkload returns
 *                once the command runs in tender-NAME.scope); RemoveWorkload after, untimed
 *   floor        what any agent must do at least, done here without one: fork, then
 *                StartTransientUnit of a scope holding the child (the same properties and
 *                limits tenderd sets), wait for the job, let the child exec the command and
 *                wait until the exec succeeded
 *   systemd-run  `systemd-run --scope -p MemoryMax=... -p TasksMax=... COMMAND`, until it
 *                exits
 *
 * It also creates, lists, reads the metrics of and removes many workloads, for the scale
 * figures.  Every command prints one JSON object on stdout; times are in milliseconds.
 * A launch or call that fails is counted and named on stderr, and makes the exit status 1.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib-unix.h>

#define TENDER_BUS_NAME	   "org.tender.Agent1"
#define TENDER_PATH	   "/org/tender/Agent1"
#define TENDER_MANAGER	   "org.tender.Agent1.Manager"
#define SYSTEMD_BUS_NAME   "org.freedesktop.systemd1"
#define SYSTEMD_PATH	   "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER	   "org.freedesktop.systemd1.Manager"
#define BENCH_SLICE	   "tender.slice"
#define BENCH_CALL_TIMEOUT 120000

typedef enum {
	OP_TENDER,
	OP_FLOOR,
	OP_SYSTEMD_RUN,
	OP_REMOVE,
	OP_METRICS,
	OP_LIST,
} BenchOp;

static const gchar *const bench_peer_names[] = {"tender", "floor", "systemd-run"};

typedef struct {
	GDBusConnection *bus;
	GMainLoop *loop;
	GHashTable *floor_pending; /* unit name -> BenchLaunch (borrowed) */
	gchar *true_path;
	guint64 memory_max;
	guint64 tasks_max;
	gchar **workload_argv;
	gchar *name_prefix; /* of tender workloads */
	guint seq;
	/* the phase under way */
	BenchOp op;
	guint total;
	guint started;
	guint finished;
	guint jobs;
	guint children;		/* forked children of the floor not reaped yet */
	gboolean remove_after;	/* tender: remove each workload right after its launch, untimed */
	GArray *samples;	/* gdouble ms, of the phase's peer */
	GArray *create_samples; /* OP_TENDER: ms of CreateWorkload alone, if not NULL */
	GPtrArray *names;	/* OP_TENDER: created workloads; OP_REMOVE, OP_METRICS: input */
	guint failures;
	gchar *first_error;
	guint listed;	       /* OP_LIST: workloads in the last reply */
	gboolean list_systemd; /* OP_LIST: systemd's ListUnitsByPatterns instead */
} Bench;

typedef struct {
	Bench *bench;
	gchar *name;
	gint64 t0;
	gdouble ms;
	gboolean start_failed;
	/* the floor */
	GPid pid;
	gint go_fd;
	gint exec_fd;
	gboolean have_job;
	gchar *result;
	gboolean timed;
	gboolean reaped;
} BenchLaunch;

static void
bench_next(Bench *b);

static void
bench_clear(Bench *b)
{
	g_clear_object(&b->bus);
	g_clear_pointer(&b->loop, g_main_loop_unref);
	g_clear_pointer(&b->floor_pending, g_hash_table_unref);
	g_clear_pointer(&b->names, g_ptr_array_unref);
	g_clear_pointer(&b->true_path, g_free);
	g_clear_pointer(&b->name_prefix, g_free);
	g_clear_pointer(&b->first_error, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Bench, bench_clear)

static void
bench_launch_free(BenchLaunch *l)
{
	if (l->go_fd >= 0)
		(void)close(l->go_fd);
	if (l->exec_fd >= 0)
		(void)close(l->exec_fd);
	g_free(l->name);
	g_free(l->result);
	g_free(l);
}

static BenchLaunch *
bench_launch_new(Bench *b)
{
	BenchLaunch *l = g_new0(BenchLaunch, 1);
	l->bench = b;
	l->go_fd = -1;
	l->exec_fd = -1;
	l->t0 = g_get_monotonic_time();
	return l;
}

static void
bench_fail(Bench *b, const gchar *what, const gchar *message)
{
	b->failures++;
	g_printerr("tender-bench: %s: %s\n", what, message);
	if (b->first_error == NULL)
		b->first_error = g_strdup_printf("%s: %s", what, message);
}

/* the launch's timed part is over (ok or not); @ms is recorded if ok */
static void
bench_done(BenchLaunch *l, gboolean ok)
{
	Bench *b = l->bench;
	if (ok)
		g_array_append_val(b->samples, l->ms);
	b->finished++;
	bench_next(b);
}

static void
bench_mark(BenchLaunch *l)
{
	l->ms = (gdouble)(g_get_monotonic_time() - l->t0) / 1000.0;
}

static gboolean
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

/* ---- tender ---- */

static void
bench_tender_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	gboolean ok = bench_check_reply(l->bench, source, res, "RemoveWorkload", NULL);
	bench_done(l, ok && !l->start_failed);
	bench_launch_free(l);
}

static void
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

	if (!bench_check_reply(b, source, res, "CreateWorkload", NULL)) {
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
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

static void
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

/* ---- the floor: fork + StartTransientUnit + job + exec, no agent ---- */

static void
bench_floor_maybe_free(BenchLaunch *l)
{
	if (l->timed && l->reaped)
		bench_launch_free(l);
}

static void
bench_floor_finish(BenchLaunch *l, gboolean ok)
{
	Bench *b = l->bench;
	g_hash_table_remove(b->floor_pending, l->name);
	if (l->go_fd >= 0) {
		/* the child reads end-of-file and exits without exec */
		(void)close(l->go_fd);
		l->go_fd = -1;
	}
	l->timed = TRUE;
	bench_done(l, ok);
	bench_floor_maybe_free(l);
}

static void
bench_floor_reaped_cb(GPid pid, gint status, gpointer user_data)
{
	BenchLaunch *l = user_data;
	Bench *b = l->bench;
	g_spawn_close_pid(pid);
	l->reaped = TRUE;
	b->children--;
	if (b->children == 0 && b->finished == b->total)
		g_main_loop_quit(b->loop);
	bench_floor_maybe_free(l);
}

static gboolean
bench_floor_exec_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	BenchLaunch *l = user_data;
	gint err = 0;
	ssize_t n = read(fd, &err, sizeof(err));

	(void)close(l->exec_fd);
	l->exec_fd = -1;
	if (n == 0) {
		/* end-of-file: the exec succeeded and closed the pipe */
		bench_mark(l);
		bench_floor_finish(l, TRUE);
	} else {
		bench_fail(l->bench, "exec", n > 0 ? g_strerror(err) : g_strerror(errno));
		bench_floor_finish(l, FALSE);
	}
	return G_SOURCE_REMOVE;
}

/* both StartTransientUnit has returned and its job has ended */
static void
bench_floor_job_done(BenchLaunch *l)
{
	if (g_strcmp0(l->result, "done") != 0) {
		g_autofree gchar *msg =
		    g_strdup_printf("the job of %s ended '%s'", l->name, l->result);
		bench_fail(l->bench, "StartTransientUnit", msg);
		bench_floor_finish(l, FALSE);
		return;
	}
	/* the child is in its scope with its limits: let it exec */
	if (write(l->go_fd, "G", 1) != 1) {
		bench_fail(l->bench, "write", g_strerror(errno));
		bench_floor_finish(l, FALSE);
		return;
	}
	(void)close(l->go_fd);
	l->go_fd = -1;
	g_unix_fd_add(l->exec_fd, G_IO_IN | G_IO_HUP | G_IO_ERR, bench_floor_exec_cb, l);
}

static void
bench_floor_job_removed_cb(GDBusConnection *connection,
			   const gchar *sender_name,
			   const gchar *object_path,
			   const gchar *interface_name,
			   const gchar *signal_name,
			   GVariant *parameters,
			   gpointer user_data)
{
	Bench *b = user_data;
	const gchar *unit = NULL;
	const gchar *result = NULL;
	BenchLaunch *l;

	if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(uoss)")))
		return;
	g_variant_get(parameters, "(u&o&s&s)", NULL, NULL, &unit, &result);
	l = g_hash_table_lookup(b->floor_pending, unit);
	if (l == NULL || l->result != NULL)
		return;
	l->result = g_strdup(result);
	if (l->have_job)
		bench_floor_job_done(l);
}

static void
bench_floor_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;

	if (!bench_check_reply(l->bench, source, res, "StartTransientUnit", NULL)) {
		bench_floor_finish(l, FALSE);
		return;
	}
	l->have_job = TRUE;
	if (l->result != NULL)
		bench_floor_job_done(l);
}

static void
bench_floor_start(Bench *b, BenchLaunch *l)
{
	gint go[2] = {-1, -1};
	gint ex[2] = {-1, -1};
	g_autoptr(GError) error = NULL;
	GVariantBuilder props;
	guint32 pid32;
	pid_t pid;

	l->name = g_strdup_printf("bench-floor-%d-%u.scope", (gint)getpid(), b->seq++);
	if (!g_unix_open_pipe(go, FD_CLOEXEC, &error) ||
	    !g_unix_open_pipe(ex, FD_CLOEXEC, &error)) {
		bench_fail(b, "pipe", error->message);
		if (go[0] >= 0) {
			(void)close(go[0]);
			(void)close(go[1]);
		}
		l->timed = l->reaped = TRUE;
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* only async-signal-safe calls from here on */
		gchar c;
		gint err;
		gchar *const argv[] = {b->true_path, NULL};
		(void)close(go[1]);
		(void)close(ex[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execv(b->true_path, argv);
		err = errno;
		(void)!write(ex[1], &err, sizeof(err));
		_exit(127);
	}
	(void)close(go[0]);
	(void)close(ex[1]);
	l->go_fd = go[1];
	l->exec_fd = ex[0];
	if (pid < 0) {
		bench_fail(b, "fork", g_strerror(errno));
		l->timed = l->reaped = TRUE;
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
	}
	l->pid = pid;
	b->children++;
	g_child_watch_add(pid, bench_floor_reaped_cb, l);

	/* the properties tenderd sets on a workload's scope (agent/tender-run.c) */
	pid32 = (guint32)pid;
	g_variant_builder_init(&props, G_VARIANT_TYPE("a(sv)"));
	g_variant_builder_add(&props, "(sv)", "Description", g_variant_new_string("bench floor"));
	g_variant_builder_add(&props, "(sv)", "Slice", g_variant_new_string(BENCH_SLICE));
	g_variant_builder_add(&props,
			      "(sv)",
			      "PIDs",
			      g_variant_new_fixed_array(G_VARIANT_TYPE_UINT32,
							&pid32,
							1,
							sizeof(guint32)));
	g_variant_builder_add(&props,
			      "(sv)",
			      "CollectMode",
			      g_variant_new_string("inactive-or-failed"));
	g_variant_builder_add(&props, "(sv)", "CPUAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&props, "(sv)", "MemoryAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&props, "(sv)", "TasksAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&props, "(sv)", "IOAccounting", g_variant_new_boolean(TRUE));
	g_variant_builder_add(&props, "(sv)", "MemoryMax", g_variant_new_uint64(b->memory_max));
	g_variant_builder_add(&props, "(sv)", "TasksMax", g_variant_new_uint64(b->tasks_max));
	g_hash_table_insert(b->floor_pending, l->name, l);
	g_dbus_connection_call(b->bus,
			       SYSTEMD_BUS_NAME,
			       SYSTEMD_PATH,
			       SYSTEMD_MANAGER,
			       "StartTransientUnit",
			       g_variant_new("(ssa(sv)a(sa(sv)))", l->name, "fail", &props, NULL),
			       G_VARIANT_TYPE("(o)"),
			       G_DBUS_CALL_FLAGS_NONE,
			       BENCH_CALL_TIMEOUT,
			       NULL,
			       bench_floor_started_cb,
			       l);
}

/* ---- systemd-run --scope ---- */

static void
bench_systemd_run_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_subprocess_wait_check_finish(G_SUBPROCESS(source), res, &error)) {
		bench_fail(l->bench, "systemd-run", error->message);
		bench_done(l, FALSE);
	} else {
		bench_mark(l);
		bench_done(l, TRUE);
	}
	g_object_unref(source);
	bench_launch_free(l);
}

static void
bench_systemd_run_start(Bench *b, BenchLaunch *l)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	GSubprocess *proc;

	g_ptr_array_add(argv, g_strdup("systemd-run"));
	g_ptr_array_add(argv, g_strdup("--quiet"));
	g_ptr_array_add(argv, g_strdup("--scope"));
	g_ptr_array_add(argv, g_strdup("--slice=" BENCH_SLICE));
	g_ptr_array_add(argv,
			g_strdup_printf("--property=MemoryMax=%" G_GUINT64_FORMAT, b->memory_max));
	g_ptr_array_add(argv,
			g_strdup_printf("--property=TasksMax=%" G_GUINT64_FORMAT, b->tasks_max));
	g_ptr_array_add(argv, g_strdup(b->true_path));
	g_ptr_array_add(argv, NULL);
	proc =
	    g_subprocess_newv((const gchar *const *)argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
	if (proc == NULL) {
		bench_fail(b, "systemd-run", error->message);
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
	}
	g_subprocess_wait_check_async(proc, NULL, bench_systemd_run_cb, l);
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

static void
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
	case OP_REMOVE:
	case OP_METRICS:
	case OP_LIST:
	default:
		bench_call_start(b, l);
		break;
	}
}

/* one more finished: start the next, or end the phase */
static void
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
static gdouble
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
static void
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
static void
bench_cleanup_names(Bench *b, guint jobs)
{
	g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
	GArray *saved = b->samples;
	b->samples = samples;
	bench_phase(b, OP_REMOVE, b->names->len, jobs);
	b->samples = saved;
	g_ptr_array_set_size(b->names, 0);
}

static gboolean
bench_setup(Bench *b, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	b->bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, error);
	if (b->bus == NULL)
		return FALSE;
	b->loop = g_main_loop_new(NULL, FALSE);
	b->floor_pending = g_hash_table_new(g_str_hash, g_str_equal);
	b->names = g_ptr_array_new_with_free_func(g_free);
	b->true_path = g_find_program_in_path("true");
	if (b->true_path == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no 'true' in PATH");
		return FALSE;
	}
	g_dbus_connection_signal_subscribe(b->bus,
					   SYSTEMD_BUS_NAME,
					   SYSTEMD_MANAGER,
					   "JobRemoved",
					   SYSTEMD_PATH,
					   NULL,
					   G_DBUS_SIGNAL_FLAGS_NONE,
					   bench_floor_job_removed_cb,
					   b,
					   NULL);
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
static gboolean
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
static gchar *
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

static const gchar bench_usage[] =
    "COMMAND\n\n"
    "Commands (each prints one JSON object; times in ms):\n"
    "  latency       --count N sequential launches of each peer (tender, floor, systemd-run),\n"
    "                interleaved\n"
    "  throughput    --count N launches per peer and round with --jobs in flight, --rounds "
    "times\n"
    "  spawn         create and start --count sleepers named PREFIX-I with --jobs in flight\n"
    "  list          time ListWorkloads (--systemd: systemd's ListUnitsByPatterns of\n"
    "                tender-*.scope), --count times\n"
    "  metrics       time GetMetrics of every workload named PREFIX-*, --jobs in flight, "
    "--count times\n"
    "  remove        remove (force) every workload named PREFIX-*, --jobs in flight";

int
main(int argc, char **argv)
{
	gint count = 10;
	gint jobs = 16;
	gint rounds = 3;
	gint64 memory_max = 64 * 1024 * 1024;
	gint64 tasks_max = 16;
	gboolean systemd_peer = FALSE;
	g_autofree gchar *prefix = NULL; /* GOption does not free a default */
	/* clang-format off */
	GOptionEntry entries[] = {
		{"count", 'n', 0, G_OPTION_ARG_INT, &count, "launches, workloads or repetitions", "N"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "calls in flight (default 16)", "J"},
		{"rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "rounds of throughput (default 3)", "R"},
		{"prefix", 'p', 0, G_OPTION_ARG_STRING, &prefix, "name prefix of spawn, metrics, remove", "PREFIX"},
		{"memory-max", 0, 0, G_OPTION_ARG_INT64, &memory_max, "MemoryMax of every launch", "BYTES"},
		{"tasks-max", 0, 0, G_OPTION_ARG_INT64, &tasks_max, "TasksMax of every launch", "N"},
		{"systemd", 0, 0, G_OPTION_ARG_NONE, &systemd_peer, "list: systemd's tender-*.scope units instead", NULL},
		{NULL},
	};
	/* clang-format on */
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gchar *true_argv[] = {(gchar *)"true", NULL};
	gchar *sleep_argv[] = {(gchar *)"sleep", (gchar *)"infinity", NULL};
	g_auto(Bench) bench = {0};
	Bench *b = &bench;
	const gchar *command;
	g_autofree gchar *escaped = NULL;

	g_option_context_set_summary(context, bench_usage);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("tender-bench: %s\n", error->message);
		return 2;
	}
	if (argc != 2 || count < 1 || jobs < 1 || rounds < 1) {
		g_printerr("tender-bench: give one COMMAND, and positive numbers (see --help)\n");
		return 2;
	}
	command = argv[1];
	if (prefix == NULL)
		prefix = g_strdup("scale");
	/* the floor's children are reaped by a child watch; systemd-run's by GSubprocess */
	signal(SIGPIPE, SIG_IGN);
	if (!bench_setup(b, &error)) {
		g_printerr("tender-bench: %s\n", error->message);
		return 1;
	}
	b->memory_max = (guint64)memory_max;
	b->tasks_max = (guint64)tasks_max;
	b->workload_argv = true_argv;
	b->name_prefix = g_strdup_printf("bench-%d", (gint)getpid());

	if (g_strcmp0(command, "latency") == 0) {
		GArray *samples[3];
		g_autoptr(GArray) creates = g_array_new(FALSE, FALSE, sizeof(gdouble));
		for (guint p = 0; p < 3; p++)
			samples[p] = g_array_new(FALSE, FALSE, sizeof(gdouble));
		b->remove_after = TRUE;
		b->create_samples = creates;
		/* one launch of each peer in turn, the order rotating, so that noise hits all */
		for (gint i = 0; i < count; i++) {
			for (guint k = 0; k < 3; k++) {
				guint p = (guint)(i + (gint)k) % 3;
				b->samples = samples[p];
				bench_phase(b, (BenchOp)p, 1, 1);
			}
		}
		g_string_append_printf(out, "{\"command\": \"latency\", \"count\": %d", count);
		for (guint p = 0; p < 3; p++) {
			g_string_append_printf(out, ", \"%s\": ", bench_peer_names[p]);
			bench_print_stats(out, samples[p]);
			g_array_unref(samples[p]);
		}
		g_string_append(out, ", \"tender_create\": ");
		bench_print_stats(out, creates);
		b->create_samples = NULL;
	} else if (g_strcmp0(command, "throughput") == 0) {
		GArray *samples[3];
		GString *walls[3];
		for (guint p = 0; p < 3; p++) {
			samples[p] = g_array_new(FALSE, FALSE, sizeof(gdouble));
			walls[p] = g_string_new(NULL);
		}
		b->remove_after = FALSE;
		for (gint r = 0; r < rounds; r++) {
			for (guint k = 0; k < 3; k++) {
				guint p = (guint)(r + (gint)k) % 3;
				gdouble wall;
				b->samples = samples[p];
				wall = bench_phase(b, (BenchOp)p, (guint)count, (guint)jobs);
				g_string_append_printf(walls[p],
						       "%s%.3f",
						       walls[p]->len > 0 ? ", " : "",
						       wall);
				if (p == OP_TENDER)
					bench_cleanup_names(b, (guint)jobs);
			}
		}
		g_string_append_printf(out,
				       "{\"command\": \"throughput\", \"count\": %d, \"jobs\": %d, "
				       "\"rounds\": %d",
				       count,
				       jobs,
				       rounds);
		for (guint p = 0; p < 3; p++) {
			g_string_append_printf(out,
					       ", \"%s\": {\"wall_ms\": [%s], \"latency\": ",
					       bench_peer_names[p],
					       walls[p]->str);
			bench_print_stats(out, samples[p]);
			g_string_append(out, "}");
			g_array_unref(samples[p]);
			g_string_free(walls[p], TRUE);
		}
	} else if (g_strcmp0(command, "spawn") == 0) {
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		guint ok;
		gdouble wall;
		b->samples = samples;
		b->workload_argv = sleep_argv;
		g_free(b->name_prefix);
		b->name_prefix = g_strdup(prefix);
		b->remove_after = FALSE;
		wall = bench_phase(b, OP_TENDER, (guint)count, (guint)jobs);
		ok = samples->len;
		g_string_append_printf(out,
				       "{\"command\": \"spawn\", \"count\": %d, \"started\": %u, "
				       "\"wall_ms\": %.3f, \"latency\": ",
				       count,
				       ok,
				       wall);
		bench_print_stats(out, samples);
	} else if (g_strcmp0(command, "list") == 0) {
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		b->samples = samples;
		b->list_systemd = systemd_peer;
		bench_phase(b, OP_LIST, (guint)count, 1);
		g_string_append_printf(out,
				       "{\"command\": \"list\", \"workloads\": %u, \"latency\": ",
				       b->listed);
		bench_print_stats(out, samples);
	} else if (g_strcmp0(command, "metrics") == 0 || g_strcmp0(command, "remove") == 0) {
		g_autoptr(GArray) walls = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		gboolean metrics = g_strcmp0(command, "metrics") == 0;
		guint n;
		if (!bench_list_prefix(b, prefix, &error)) {
			g_printerr("tender-bench: ListWorkloads: %s\n", error->message);
			return 1;
		}
		n = b->names->len;
		b->samples = samples;
		for (gint r = 0; r < (metrics ? count : 1); r++) {
			gdouble wall =
			    bench_phase(b, metrics ? OP_METRICS : OP_REMOVE, n, (guint)jobs);
			g_array_append_val(walls, wall);
		}
		g_string_append_printf(out,
				       "{\"command\": \"%s\", \"workloads\": %u, \"wall\": ",
				       command,
				       n);
		bench_print_stats(out, walls);
		g_string_append(out, ", \"latency\": ");
		bench_print_stats(out, samples);
	} else {
		g_printerr("tender-bench: unknown command '%s' (see --help)\n", command);
		return 2;
	}
	escaped = bench_json_escape(b->first_error != NULL ? b->first_error : "");
	g_string_append_printf(out,
			       ", \"failures\": %u, \"first_error\": \"%s\"}\n",
			       b->failures,
			       escaped);
	fputs(out->str, stdout);
	return b->failures > 0 ? 1 : 0;
}
