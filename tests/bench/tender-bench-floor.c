/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the peers without an agent: the floor (fork + StartTransientUnit + job +
 * exec), systemd-run --scope, and any command run until it exits.
 */

#include <fcntl.h>

#include "tender-bench.h"

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

/* the floor waits for its jobs' JobRemoved */
void
bench_floor_subscribe(Bench *b)
{
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

void
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
bench_spawn_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	BenchLaunch *l = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_subprocess_wait_check_finish(G_SUBPROCESS(source), res, &error)) {
		bench_fail(l->bench, l->name, error->message);
		bench_done(l, FALSE);
	} else {
		bench_mark(l);
		bench_done(l, TRUE);
	}
	g_object_unref(source);
	bench_launch_free(l);
}

/* runs @argv, the launch ending when it has exited (with status 0, or it failed); what it
 * prints goes to stderr (stdout is the JSON's: `docker exec` prints its errors there) */
void
bench_spawn_start(Bench *b, BenchLaunch *l, const gchar *const *argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher =
	    g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	gint fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	GSubprocess *proc;

	l->name = g_strdup(argv[0]);
	if (fd >= 0)
		g_subprocess_launcher_take_stdout_fd(launcher, fd);
	proc = g_subprocess_launcher_spawnv(launcher, argv, &error);
	if (proc == NULL) {
		bench_fail(b, l->name, error->message);
		bench_done(l, FALSE);
		bench_launch_free(l);
		return;
	}
	g_subprocess_wait_check_async(proc, NULL, bench_spawn_cb, l);
}

/* appends `systemd-run --quiet --scope` with the limits of every launch to @argv */
void
bench_systemd_run_argv(Bench *b, GPtrArray *argv)
{
	g_ptr_array_add(argv, g_strdup("systemd-run"));
	g_ptr_array_add(argv, g_strdup("--quiet"));
	g_ptr_array_add(argv, g_strdup("--scope"));
	g_ptr_array_add(argv, g_strdup("--slice=" BENCH_SLICE));
	g_ptr_array_add(argv,
			g_strdup_printf("--property=MemoryMax=%" G_GUINT64_FORMAT, b->memory_max));
	g_ptr_array_add(argv,
			g_strdup_printf("--property=TasksMax=%" G_GUINT64_FORMAT, b->tasks_max));
}

void
bench_systemd_run_start(Bench *b, BenchLaunch *l)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);

	bench_systemd_run_argv(b, argv);
	g_ptr_array_add(argv, g_strdup(b->true_path));
	g_ptr_array_add(argv, NULL);
	bench_spawn_start(b, l, (const gchar *const *)argv->pdata);
}
