/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tender-scope-containers.h"
#include "tender-scope-run-private.h"
#include "tender-scope-shim.h"
#include "tender-scope-spawn.h"

/*
 * The shim of a TenderScopeRun: spawned with posix_spawn() (TenderScopeSpawn: tenderd's
 * address space is not copied, whatever its size) with only its descriptors, and watched by
 * the runtime's one TenderScopeWatch, so that no main-loop source is added per running
 * workload: its end through a pidfd (the same for a shim adopted after a restart of
 * tenderd, which is not our child), and what it says on its status pipe ("N <pid>" the
 * container's first process, "R <pid>" the command runs, "P <why>" a pre_start hook failed,
 * "E <errno>[ <why>]" the command could not be run), a line at a time.
 */

/* tender-shim's descriptors: 0 /dev/null, 1 and 2 tenderd's, 3 the go pipe, 4 the status pipe */
#define TENDER_SCOPE_RUN_GO_FD	   3
#define TENDER_SCOPE_RUN_STATUS_FD 4
#define TENDER_SCOPE_RUN_N_FDS	   5
/* what the status pipe may say in one line (its lines are short) */
#define TENDER_SCOPE_RUN_STATUS_MAX 4096

/* SIGKILL to the shim, unless it has ended (and been reaped: its PID may be another's) */
void
tender_scope_run_kill_shim(TenderScopeRun *self)
{
	if (self->shim_pid <= 0 || self->shim_exited)
		return;
	if (self->pidfd >= 0)
		(void)pidfd_send_signal(self->pidfd, SIGKILL, NULL, 0);
	else
		(void)kill(self->shim_pid, SIGKILL);
}

/* ends a watch of the runtime's TenderScopeWatch, if there is one */
void
tender_scope_run_unwatch(TenderScopeRun *self, guint *id)
{
	guint old = *id;

	*id = 0;
	tender_scope_watch_remove(self->watch, old);
}

/* the shim has ended: reaped if it is our child (not if adopted), with what killed it */
static void
tender_scope_run_shim_exited(TenderScopeRun *self, gint wait_status)
{
	if (WIFSIGNALED(wait_status))
		self->shim_signal = WTERMSIG(wait_status);
	self->shim_exited = TRUE;
	tender_scope_run_end(self);
}

/* without a pidfd */
static void
tender_scope_run_child_cb(GPid pid, gint wait_status, gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(user_data);

	self->child_id = 0;
	tender_scope_run_shim_exited(self, wait_status);
}

static gboolean
tender_scope_run_pidfd_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(user_data);
	gint wait_status = 0;
	pid_t pid;

	/* an adopted shim is not our child (ECHILD): the end of its pidfd says it all */
	do {
		pid = waitpid(self->shim_pid, &wait_status, WNOHANG);
	} while (pid < 0 && errno == EINTR);
	if (pid == 0)
		return G_SOURCE_CONTINUE;
	if (pid < 0)
		wait_status = 0;
	self->pidfd_watch = 0;
	tender_scope_run_shim_exited(self, wait_status);
	return G_SOURCE_REMOVE;
}

/* one line the shim said on its status pipe */
static void
tender_scope_run_status_line(TenderScopeRun *self, gchar *line)
{
	const gchar *failure = NULL;
	guint64 value = 0;

	if (g_str_has_prefix(line, "N ") &&
	    g_ascii_string_to_unsigned(line + 2, 10, 2, G_MAXINT32, &value, NULL)) {
		tender_scope_run_join_network(self, (GPid)value);
	} else if (g_str_has_prefix(line, "R ") &&
		   g_ascii_string_to_unsigned(line + 2, 10, 1, G_MAXINT32, &value, NULL)) {
		self->reached_running = TRUE;
		tender_runtime_run_report_running(TENDER_RUNTIME_RUN(self), (guint32)value);
		tender_scope_run_finish_start(self, NULL);
	} else if (g_str_has_prefix(line, "P ")) {
		/* a pre_start hook failed: the shim ends without running the command */
		g_autofree gchar *why = tender_scope_shim_sanitize_reason(line + 2);
		if (self->start_error == NULL)
			self->start_error = g_steal_pointer(&why);
	} else if (g_str_has_prefix(line, "E ") &&
		   tender_scope_shim_parse_failure(line + 2, &value, &failure)) {
		/* the command could not be set up or executed: the shim ends by itself, once the
		 * post_stop hooks have run */
		if (self->start_error == NULL && failure != NULL)
			self->start_error = tender_scope_shim_sanitize_reason(failure);
		else if (self->start_error == NULL)
			self->start_error = g_strdup_printf("exec: %s", g_strerror((gint)value));
	} else {
		g_warning("tender-shim said something unexpected: %s", line);
	}
}

/* the lines in what the status pipe said so far; a line too long is dropped */
static void
tender_scope_run_status_lines(TenderScopeRun *self)
{
	gchar *nl;

	while ((nl = memchr(self->status->str, '\n', self->status->len)) != NULL) {
		*nl = '\0';
		tender_scope_run_status_line(self, self->status->str);
		g_string_erase(self->status, 0, (gssize)(nl - self->status->str) + 1);
	}
	if (self->status->len > TENDER_SCOPE_RUN_STATUS_MAX) {
		g_warning("tender-shim said a line longer than %d bytes: dropped",
			  TENDER_SCOPE_RUN_STATUS_MAX);
		g_string_truncate(self->status, 0);
	}
}

/* reads the status pipe; FALSE at its end (or on an error) */
static gboolean
tender_scope_run_read_status(TenderScopeRun *self)
{
	gchar buf[512];

	for (;;) {
		gssize n = read(self->status_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return TRUE;
		if (n <= 0)
			return FALSE;
		g_string_append_len(self->status, buf, n);
		tender_scope_run_status_lines(self);
	}
}

static gboolean
tender_scope_run_status_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderScopeRun *self = TENDER_SCOPE_RUN(user_data);

	if (tender_scope_run_read_status(self))
		return G_SOURCE_CONTINUE;
	/* its end: the shim has said all it will say (a last line without its newline too) */
	if (self->status->len > 0) {
		g_autofree gchar *last = g_strndup(self->status->str, self->status->len);
		g_string_truncate(self->status, 0);
		tender_scope_run_status_line(self, last);
	}
	self->status_watch = 0;
	(void)close(self->status_fd);
	self->status_fd = -1;
	self->status_done = TRUE;
	tender_scope_run_end(self);
	return G_SOURCE_REMOVE;
}

gboolean
tender_scope_run_spawn_shim(TenderScopeRun *self, GError **error)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);
	g_autoptr(TenderScopeImage) image = NULL;
	g_autofree gchar *container_dir = NULL;
	g_autofree gchar *cwd = NULL;
	g_auto(GStrv) argv = NULL;
	g_auto(GStrv) envp = NULL;
	gint go[2] = {-1, -1};
	gint status[2] = {-1, -1};
	gint fds[TENDER_SCOPE_RUN_N_FDS] = {TENDER_SCOPE_SPAWN_FD_NULL,
					    TENDER_SCOPE_SPAWN_FD_INHERIT,
					    TENDER_SCOPE_SPAWN_FD_INHERIT,
					    -1,
					    -1};
	TenderScopeSpawn spawn = {
	    .path = self->shim_path,
	    .fds = fds,
	    .n_fds = TENDER_SCOPE_RUN_N_FDS,
	};
	gboolean ok;
	TenderScopeShimTarget target = {
	    .shim = self->shim_path,
	    .name = tender_workload_get_name(self->workload),
	    .record = self->record_path,
	    .run_id = self->run_id,
	    .spec = spec,
	};

	if (!tender_scope_containers_prepare_spec(self->containers,
						  tender_workload_get_name(self->workload),
						  spec,
						  &image,
						  &container_dir,
						  error))
		return FALSE;
	target.image = image;
	target.container_dir = container_dir;
	if (!tender_scope_shim_build(&target, &argv, &envp, &cwd, error))
		return FALSE;
	if (!g_unix_open_pipe(go, FD_CLOEXEC, error))
		return FALSE;
	if (!g_unix_open_pipe(status, FD_CLOEXEC, error)) {
		(void)close(go[0]);
		(void)close(go[1]);
		return FALSE;
	}
	self->go_fd = go[1];
	self->status_fd = status[0];
	fds[TENDER_SCOPE_RUN_GO_FD] = go[0];
	fds[TENDER_SCOPE_RUN_STATUS_FD] = status[1];
	spawn.argv = (const gchar *const *)argv;
	spawn.envp = (const gchar *const *)envp;
	spawn.cwd = cwd;
	ok = g_unix_set_fd_nonblocking(self->status_fd, TRUE, error) &&
	     tender_scope_spawn_run(&spawn, &self->shim_pid, error);
	/* the shim's ends are the shim's now */
	(void)close(go[0]);
	(void)close(status[1]);
	if (!ok)
		return FALSE;
	/* not reaped before it has been told to go: the PID is the shim's */
	self->pidfd = pidfd_open(self->shim_pid, 0);
	if (self->pidfd < 0)
		g_debug("workload %s: no pidfd for tender-shim: %s",
			tender_workload_get_name(self->workload),
			g_strerror(errno));
	return TRUE;
}

/* the shim's end (held by the watch: a pidfd watch holds a reference to the run) */
gboolean
tender_scope_run_watch_pidfd(TenderScopeRun *self, GError **error)
{
	self->pidfd_watch = tender_scope_watch_add(self->watch,
						   self->pidfd,
						   G_IO_IN,
						   tender_scope_run_pidfd_cb,
						   g_object_ref(self),
						   g_object_unref,
						   error);
	if (self->pidfd_watch == 0) {
		g_object_unref(self);
		return FALSE;
	}
	return TRUE;
}

/* the spawned shim's end and its status pipe */
void
tender_scope_run_watch_shim(TenderScopeRun *self)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_status = NULL;

	if (self->pidfd < 0 || !tender_scope_run_watch_pidfd(self, &error)) {
		if (error != NULL)
			g_debug("workload %s: %s",
				tender_workload_get_name(self->workload),
				error->message);
		self->child_id = g_child_watch_add_full(G_PRIORITY_DEFAULT,
							self->shim_pid,
							tender_scope_run_child_cb,
							g_object_ref(self),
							g_object_unref);
	}
	self->status_watch = tender_scope_watch_add(self->watch,
						    self->status_fd,
						    G_IO_IN,
						    tender_scope_run_status_cb,
						    g_object_ref(self),
						    g_object_unref,
						    &error_status);
	if (self->status_watch == 0) {
		g_object_unref(self);
		(void)close(self->status_fd);
		self->status_fd = -1;
		self->status_done = TRUE;
		g_prefix_error(&error_status, "spawn: ");
		tender_scope_run_fail_start(self, error_status->message);
	}
}
