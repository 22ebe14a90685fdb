/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim: the pre_start hooks, run in turn before the command, and the post_stop hooks,
 * run in turn once it has ended */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim-private.h"

/* a hook that runs longer is killed: a pre_start hook fails the start, a post_stop hook is
 * logged as failed */
#define TENDER_SHIM_HOOK_TIMEOUT_SEC 300

/*
 * A stop's end, as tenderd tells it with SIGUSR1 once the stop's timeout has passed (see
 * tender_scope_run_kill()): while the post_stop hooks run, the one that runs is killed and
 * the others are not run.  At any other time the signal changes nothing.
 */
static volatile sig_atomic_t tender_shim_post_stop_running = 0;
static volatile sig_atomic_t tender_shim_post_stop_cut = 0;
/* the hook that runs, 0 for none */
static volatile sig_atomic_t tender_shim_hook_pid = 0;

void
tender_shim_stop_cb(int signo)
{
	pid_t pid = (pid_t)tender_shim_hook_pid;

	if (!tender_shim_post_stop_running)
		return;
	tender_shim_post_stop_cut = 1;
	if (pid > 0) {
		(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
	}
}

/* one hook's run: where it runs and, once it has failed, why and its status */
typedef struct {
	TenderShimRelay *relay;
	int sig_fd;
	const char *oom_adj;
	const char *what; /* "pre_start" or "post_stop" */
	char why[TENDER_SHIM_HOOK_TAIL + 1024];
	int status; /* the exit status, the signal, or 127 if it could not be executed */
} TenderShimHookRun;

/* blocks (or, @block 0, unblocks again) the stop's SIGUSR1 */
static void
tender_shim_block_stop(int block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	(void)sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* the hook's stderr tail as one line of printable text, at most @len bytes with the NUL */
static void
tender_shim_hook_tail(const TenderShimRelay *relay, char *out, size_t len)
{
	size_t start = 0;
	size_t end = relay->tail_len;
	size_t n = 0;

	while (start < end && (unsigned char)relay->buffers->tail[start] <= ' ')
		start++;
	while (end > start && (unsigned char)relay->buffers->tail[end - 1] <= ' ')
		end--;
	for (size_t i = start; i < end && n + 1 < len; i++) {
		unsigned char c = (unsigned char)relay->buffers->tail[i];
		out[n++] = c < ' ' || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = '\0';
}

/* forks and executes @hook as root, its output into @relay's pipes; returns its PID, or -1
 * with @step the step that failed ("pipe", "fork"), NULL if the stop's timeout has passed */
static pid_t
tender_shim_fork_hook(TenderShimRelay *relay,
		      char **hook,
		      const char *oom_adj,
		      const char **step,
		      int *child_errno)
{
	int err_pipe[2];
	int out_pipe[2];
	int errout_pipe[2];
	pid_t child = -1;
	int saved;

	*step = "pipe";
	if (tender_shim_relay_open_pipes(relay, err_pipe, out_pipe, errout_pipe) < 0)
		return -1;
	/* the stop's SIGUSR1 finds the hook's PID once it is forked, or nothing to kill */
	tender_shim_block_stop(1);
	*step = tender_shim_post_stop_cut ? NULL : "fork";
	if (*step != NULL)
		child = fork();
	if (child == 0) {
		tender_shim_child_setup(out_pipe[1], errout_pipe[1], oom_adj);
		execvp(hook[0], hook);
		saved = errno;
		(void)tender_shim_write_full(err_pipe[1], (const char *)&saved, sizeof(saved));
		_exit(127);
	}
	saved = errno;
	tender_shim_hook_pid = child > 0 ? child : 0;
	tender_shim_block_stop(0);
	*child_errno = tender_shim_relay_wait_exec(err_pipe, out_pipe, errout_pipe);
	errno = saved;
	return child;
}

/*
 * Runs hook @hook of @run to completion, its output relayed like the command's.  Returns 0 if
 * it exited with status 0; else -1, with why and its status in @run.
 */
static int
tender_shim_run_hook(TenderShimHookRun *run, char **hook)
{
	TenderShimRelay *relay = run->relay;
	char tail[TENDER_SHIM_HOOK_TAIL + 1];
	const char *base = strrchr(hook[0], '/');
	const char *step = NULL;
	int child_errno = 0;
	int timed_out = 0;
	int wstatus;
	pid_t child;

	base = base != NULL && base[1] != '\0' ? base + 1 : hook[0];
	tender_shim_relay_reset(relay);
	relay->keep_tail = 1;
	relay->tail_len = 0;
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);

	run->status = 127;
	child = tender_shim_fork_hook(relay, hook, run->oom_adj, &step, &child_errno);
	if (child < 0 && step == NULL) {
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s not run: the stop's timeout has passed",
			 run->what,
			 base);
		return -1;
	}
	if (child < 0) {
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s: %s: %s",
			 run->what,
			 base,
			 step,
			 strerror(errno));
		return -1;
	}
	wstatus = tender_shim_relay_until_exit(relay,
					       run->sig_fd,
					       child,
					       tender_shim_monotonic_msec() +
						   TENDER_SHIM_HOOK_TIMEOUT_SEC * 1000LL,
					       &timed_out);
	/* whatever the hook left behind in its process group goes with it */
	(void)kill(-child, SIGKILL);
	tender_shim_hook_pid = 0;
	tender_shim_relay_drain(relay);
	relay->keep_tail = 0;
	tender_shim_hook_tail(relay, tail, sizeof(tail));
	if (child_errno != 0) {
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s could not be executed: %s",
			 run->what,
			 base,
			 strerror(child_errno));
		return -1;
	}
	run->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 0;
	if (WIFSIGNALED(wstatus))
		run->status = WTERMSIG(wstatus);
	if (timed_out) {
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s did not finish within %d s: killed%s%s",
			 run->what,
			 base,
			 TENDER_SHIM_HOOK_TIMEOUT_SEC,
			 tail[0] != '\0' ? ": " : "",
			 tail);
		return -1;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return 0;
	if (tender_shim_post_stop_cut)
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s did not finish before the stop's timeout: killed%s%s",
			 run->what,
			 base,
			 tail[0] != '\0' ? ": " : "",
			 tail);
	else
		snprintf(run->why,
			 sizeof(run->why),
			 "%s: %s %s %d%s%s",
			 run->what,
			 base,
			 WIFEXITED(wstatus) ? "exited with status" : "was killed by signal",
			 run->status,
			 tail[0] != '\0' ? ": " : "",
			 tail);
	return -1;
}

/*
 * Runs the pre_start hooks in turn.  On a failure, reports it to tenderd, kills what is left
 * in the scope, sets @hook_status (see tender_shim_run_hook()) and returns -1: the command is
 * not run.
 */
int
tender_shim_run_pre_start(const TenderShimArgs *args,
			  TenderShimRelay *relay,
			  int sig_fd,
			  const char *oom_adj,
			  int *hook_status)
{
	static TenderShimHookRun run;
	static char line[sizeof(run.why) + 4];
	const char *base = strrchr(args->argv[0], '/');

	/* nothing to run: nothing of the hooks' statics is touched */
	if (args->n_hooks == 0)
		return 0;
	run = (TenderShimHookRun){.relay = relay, .sig_fd = sig_fd, .oom_adj = oom_adj};
	run.what = "pre_start";
	for (int i = 0; i < args->n_hooks; i++) {
		if (tender_shim_run_hook(&run, args->hooks[i]) == 0)
			continue;
		*hook_status = run.status;
		snprintf(line, sizeof(line), "P %s\n", run.why);
		(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
		close(TENDER_SHIM_STATUS_FD);
		tender_shim_cleanup_scope();
		return -1;
	}
	/* the command's lines carry its own name again */
	base = base != NULL && base[1] != '\0' ? base + 1 : args->argv[0];
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);
	tender_shim_relay_reset(relay);
	return 0;
}

/* TENDER_EXIT_STATUS: the exit status, the signal's number, or 127 for a command that was
 * never executed; pre-start-failed: the failed hook's */
static int
tender_shim_exit_status(const TenderShimExit *end)
{
	if (strcmp(end->status, "exited") == 0)
		return end->exit_code;
	if (strcmp(end->status, "killed") == 0)
		return end->signo;
	if (strcmp(end->status, "pre-start-failed") == 0)
		return end->hook_status;
	return 127;
}

/*
 * Runs the post_stop hooks in turn, once the command has ended (or never ran), the scope is
 * empty but for the shim and the command's output is drained.  They get the shim's
 * environment with TENDER_EXIT_CODE (@end's status) and TENDER_EXIT_STATUS.  A hook that
 * fails is logged to the workload's journal, and the next one runs; the run's result stays
 * the command's.  Whatever the hooks left behind in the scope is killed.
 */
void
tender_shim_run_post_stop(const TenderShimArgs *args,
			  TenderShimRelay *relay,
			  int sig_fd,
			  const char *oom_adj,
			  const TenderShimExit *end)
{
	static TenderShimHookRun run;
	char value[16];

	if (args->n_post_stop == 0)
		return;
	run = (TenderShimHookRun){.relay = relay, .sig_fd = sig_fd, .oom_adj = oom_adj};
	run.what = "post_stop";
	snprintf(value, sizeof(value), "%d", tender_shim_exit_status(end));
	(void)setenv("TENDER_EXIT_CODE", end->status, 1);
	(void)setenv("TENDER_EXIT_STATUS", value, 1);
	tender_shim_block_stop(1);
	tender_shim_post_stop_cut = 0;
	tender_shim_post_stop_running = 1;
	tender_shim_block_stop(0);
	for (int i = 0; i < args->n_post_stop; i++) {
		if (tender_shim_run_hook(&run, args->post_stop[i]) < 0)
			tender_shim_relay_send(relay, run.why);
	}
	tender_shim_post_stop_running = 0;
	tender_shim_cleanup_scope();
}
