/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The container's PID 1 with --init: a minimal init in the shim's own code, as tini or
 * podman's catatonit.  It has forked the command; it reaps every process that ends in the
 * container (orphans come to it, as to any PID 1), and once the command has ended it tells the
 * shim how (the raw wait status, on @status_fd) and exits, which ends every other process of
 * the container's PID namespace.  So the workload's ExitCode stays the command's own.
 *
 * SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2 and SIGQUIT sent to it from inside the container
 * (`kill 1`) go on to the command.  Those sent from outside (the sender is not in the
 * container's PID namespace, so the kernel gives si_pid 0) are not forwarded: tenderd's
 * stops and kills signal every process of the workload's scope, the command included, and the
 * command would get them twice.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim-private.h"

static const int tender_shim_init_forwarded[] = {
    SIGTERM,
    SIGINT,
    SIGHUP,
    SIGUSR1,
    SIGUSR2,
    SIGQUIT,
};

/* reaps what has ended; returns 1 (with @wstatus) once @command is among them */
static int
tender_shim_init_reap(pid_t command, int *wstatus)
{
	int found = 0;
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == command) {
			*wstatus = st;
			found = 1;
		}
	}
	/* no child at all: the command is gone and was reaped already */
	if (pid < 0 && errno == ECHILD && !found)
		return -1;
	return found;
}

/**
 * tender_shim_init_run:
 * @command: the command, which this process has forked (its PID in the container)
 * @status_fd: where its raw wait status goes once it has ended
 *
 * Runs as the container's init until @command has ended, then exits with its exit status
 * (or 128 + the signal that killed it).  The signals it waits for are blocked already, since
 * before the fork, so that none is lost.
 */
void
tender_shim_init_run(pid_t command, int status_fd)
{
	sigset_t set;
	siginfo_t info;
	int wstatus = 0;
	int rc;

	(void)prctl(PR_SET_NAME, "tender-init", 0, 0, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < sizeof(tender_shim_init_forwarded) / sizeof(int); i++)
		sigaddset(&set, tender_shim_init_forwarded[i]);

	for (;;) {
		rc = tender_shim_init_reap(command, &wstatus);
		if (rc != 0)
			break;
		if (sigwaitinfo(&set, &info) < 0)
			continue;
		if (info.si_signo == SIGCHLD)
			continue;
		/* from inside the container only; see above */
		if (info.si_pid != 0)
			(void)kill(command, info.si_signo);
	}
	/* no child at all: the command went unseen, which cannot be; the shim then has only
	 * init's own status, 255 */
	if (rc < 0)
		_exit(255);
	(void)tender_shim_write_full(status_fd, (const char *)&wstatus, sizeof(wstatus));
	if (WIFSIGNALED(wstatus))
		_exit(128 + WTERMSIG(wstatus));
	_exit(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0);
}
