/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim: the pre_start hooks, run in turn before the command */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim-private.h"

/* a pre_start hook that runs longer is killed, and the start fails */
#define TENDER_SHIM_HOOK_TIMEOUT_SEC 300

/* the hook's stderr tail as one line of printable text, at most @len bytes with the NUL */
static void
tender_shim_hook_tail(const TenderShimRelay *relay, char *out, size_t len)
{
	size_t start = 0;
	size_t end = relay->tail_len;
	size_t n = 0;

	while (start < end && (unsigned char)relay->tail[start] <= ' ')
		start++;
	while (end > start && (unsigned char)relay->tail[end - 1] <= ' ')
		end--;
	for (size_t i = start; i < end && n + 1 < len; i++) {
		unsigned char c = (unsigned char)relay->tail[i];
		out[n++] = c < ' ' || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = '\0';
}

/*
 * Runs pre_start hook @hook to completion, its output relayed like the command's.  Returns 0
 * if it exited with status 0; else writes why into @why.
 */
static int
tender_shim_run_hook(TenderShimRelay *relay,
		     char **hook,
		     int sig_fd,
		     const char *oom_adj,
		     char *why,
		     size_t why_len)
{
	char tail[TENDER_SHIM_HOOK_TAIL + 1];
	const char *base = strrchr(hook[0], '/');
	int err_pipe[2];
	int out_pipe[2];
	int errout_pipe[2];
	int child_errno = 0;
	int timed_out = 0;
	int wstatus;
	pid_t child;

	base = base != NULL && base[1] != '\0' ? base + 1 : hook[0];
	if (tender_shim_relay_open_pipes(relay, err_pipe, out_pipe, errout_pipe) < 0) {
		snprintf(why, why_len, "pre_start: %s: pipe: %s", base, strerror(errno));
		return -1;
	}
	tender_line_buffer_init(&relay->out.lines);
	tender_line_buffer_init(&relay->err.lines);
	relay->keep_tail = 1;
	relay->tail_len = 0;
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);

	child = fork();
	if (child < 0) {
		snprintf(why, why_len, "pre_start: %s: fork: %s", base, strerror(errno));
		return -1;
	}
	if (child == 0) {
		int saved;
		tender_shim_child_setup(out_pipe[1], errout_pipe[1], oom_adj);
		execvp(hook[0], hook);
		saved = errno;
		(void)tender_shim_write_full(err_pipe[1], (const char *)&saved, sizeof(saved));
		_exit(127);
	}
	child_errno = tender_shim_relay_wait_exec(err_pipe, out_pipe, errout_pipe);
	wstatus = tender_shim_relay_until_exit(relay,
					       sig_fd,
					       child,
					       tender_shim_monotonic_msec() +
						   TENDER_SHIM_HOOK_TIMEOUT_SEC * 1000LL,
					       &timed_out);
	/* whatever the hook left behind in its process group goes with it */
	(void)kill(-child, SIGKILL);
	tender_shim_relay_drain(relay);
	relay->keep_tail = 0;
	tender_shim_hook_tail(relay, tail, sizeof(tail));
	if (child_errno != 0) {
		snprintf(why,
			 why_len,
			 "pre_start: %s could not be executed: %s",
			 base,
			 strerror(child_errno));
		return -1;
	}
	if (timed_out) {
		snprintf(why,
			 why_len,
			 "pre_start: %s did not finish within %d s: killed%s%s",
			 base,
			 TENDER_SHIM_HOOK_TIMEOUT_SEC,
			 tail[0] != '\0' ? ": " : "",
			 tail);
		return -1;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return 0;
	if (WIFEXITED(wstatus))
		snprintf(why,
			 why_len,
			 "pre_start: %s exited with status %d%s%s",
			 base,
			 WEXITSTATUS(wstatus),
			 tail[0] != '\0' ? ": " : "",
			 tail);
	else
		snprintf(why,
			 why_len,
			 "pre_start: %s was killed by signal %d%s%s",
			 base,
			 WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0,
			 tail[0] != '\0' ? ": " : "",
			 tail);
	return -1;
}

/* runs the hooks in turn; on a failure, reports it to tenderd and writes the exit record */
int
tender_shim_run_hooks(const TenderShimArgs *args,
		      TenderShimRelay *relay,
		      int sig_fd,
		      const char *oom_adj,
		      int64_t started)
{
	static char why[TENDER_SHIM_HOOK_TAIL + 1024];
	static char line[sizeof(why) + 4];
	const char *base = strrchr(args->argv[0], '/');

	for (int i = 0; i < args->n_hooks; i++) {
		if (tender_shim_run_hook(relay,
					 args->hooks[i],
					 sig_fd,
					 oom_adj,
					 why,
					 sizeof(why)) == 0)
			continue;
		snprintf(line, sizeof(line), "P %s\n", why);
		(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
		close(TENDER_SHIM_STATUS_FD);
		tender_shim_cleanup_scope();
		(void)tender_shim_write_record(args->record,
					       args->run_id,
					       0,
					       "pre-start-failed",
					       -1,
					       0,
					       0,
					       -1LL,
					       started,
					       tender_shim_now_usec());
		return -1;
	}
	/* the command's lines carry its own name again */
	base = base != NULL && base[1] != '\0' ? base + 1 : args->argv[0];
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);
	tender_line_buffer_init(&relay->out.lines);
	tender_line_buffer_init(&relay->err.lines);
	return 0;
}
