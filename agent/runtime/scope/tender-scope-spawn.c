/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-spawn.h"

/*
 * The helpers of the scope runtime (tender-shim, tender-nsenter) are spawned with
 * posix_spawn(): glibc's clones tenderd with CLONE_VM|CLONE_VFORK, so that nothing of
 * tenderd's address space is copied however large it has grown, and reports a failed exec as
 * its result.  The child gets only the descriptors it is given (every other one is closed),
 * every signal's default disposition and none blocked (tenderd ignores SIGPIPE), and its
 * working directory by a descriptor opened here, so that a missing one is told apart from a
 * missing program.
 */

static void
tender_scope_spawn_close_all(gint *fds, guint n_fds)
{
	for (guint i = 0; i < n_fds; i++) {
		if (fds[i] >= 0)
			(void)close(fds[i]);
	}
}

/**
 * tender_scope_spawn_run:
 * @spawn: the program, its arguments, environment, working directory and descriptors
 * @pid: (out): the child's PID; the caller reaps it
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE if the working directory cannot be opened or the program cannot
 *	be executed
 */
gboolean
tender_scope_spawn_run(const TenderScopeSpawn *spawn, GPid *pid, GError **error)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	g_autofree gint *moved = g_new(gint, spawn->n_fds);
	gchar *no_env[] = {NULL};
	sigset_t all;
	sigset_t none;
	gint cwd_fd = -1;
	pid_t child = 0;
	gint rc = 0;

	if (spawn->cwd != NULL) {
		cwd_fd = open(spawn->cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (cwd_fd < 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Failed to change to directory “%s” (%s)",
				    spawn->cwd,
				    g_strerror(errno));
			return FALSE;
		}
	}
	/* a descriptor below n_fds moves above them first, so that no dup2() overwrites it */
	for (guint i = 0; i < spawn->n_fds; i++)
		moved[i] = -1;
	for (guint i = 0; i < spawn->n_fds && rc == 0; i++) {
		if (spawn->fds[i] < 0 || (guint)spawn->fds[i] >= spawn->n_fds)
			continue;
		moved[i] = fcntl(spawn->fds[i], F_DUPFD_CLOEXEC, (gint)spawn->n_fds);
		if (moved[i] < 0)
			rc = errno;
	}
	posix_spawn_file_actions_init(&actions);
	posix_spawnattr_init(&attr);
	/* first: the descriptor may be one that a dup2() below overwrites */
	if (cwd_fd >= 0)
		posix_spawn_file_actions_addfchdir_np(&actions, cwd_fd);
	for (guint i = 0; i < spawn->n_fds; i++) {
		gint fd = moved[i] >= 0 ? moved[i] : spawn->fds[i];
		if (fd >= 0)
			posix_spawn_file_actions_adddup2(&actions, fd, (gint)i);
		else if (fd == TENDER_SCOPE_SPAWN_FD_NULL && i <= STDERR_FILENO)
			posix_spawn_file_actions_addopen(&actions, (gint)i, "/dev/null", O_RDWR, 0);
	}
	posix_spawn_file_actions_addclosefrom_np(&actions, (gint)spawn->n_fds);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	if (rc == 0)
		rc = posix_spawn(&child,
				 spawn->path,
				 &actions,
				 &attr,
				 (gchar *const *)spawn->argv,
				 spawn->envp != NULL ? (gchar *const *)spawn->envp : no_env);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	tender_scope_spawn_close_all(moved, spawn->n_fds);
	if (cwd_fd >= 0)
		(void)close(cwd_fd);
	if (rc != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot run %s: %s",
			    spawn->path,
			    g_strerror(rc));
		return FALSE;
	}
	*pid = child;
	return TRUE;
}
