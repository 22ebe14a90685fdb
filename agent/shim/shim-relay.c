/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tender-shim: the relay of the command's output (and the hooks') to the journal */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim-journal.h"
#include "shim-private.h"

/* a journald that takes longer than this for one chunk's lines is skipped for the rest */
#define TENDER_SHIM_SEND_TIMEOUT_SEC 10
/* after the scope is empty: how long to wait for the pipes' ends */
#define TENDER_SHIM_DRAIN_TIMEOUT_MSEC 5000

static volatile sig_atomic_t tender_shim_send_timed_out = 0;

void
tender_shim_alarm_cb(int signo)
{
	tender_shim_send_timed_out = 1;
}

/* bounds the time tender_shim_journal_sendv() may block on a journald that does not read */
static void
tender_shim_send_timeout(int arm)
{
	struct itimerval it = {{0, 0}, {0, 0}};

	if (arm) {
		tender_shim_send_timed_out = 0;
		/* again every second, in case the first alarm came just before a send */
		it.it_value.tv_sec = TENDER_SHIM_SEND_TIMEOUT_SEC;
		it.it_interval.tv_sec = 1;
	}
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

static void
tender_shim_relay_line_cb(const char *line, size_t len, void *user_data)
{
	TenderShimRelay *relay = user_data;
	const size_t prefix = sizeof("MESSAGE=") - 1;
	char *message = relay->buffers->message;
	struct iovec iov[6];

	/* a journald that hangs: drop the line, as journald drops lines over its rate limit */
	if (tender_shim_send_timed_out)
		return;
	memcpy(message, "MESSAGE=", prefix);
	memcpy(message + prefix, line, len);
	iov[0].iov_base = message;
	iov[0].iov_len = prefix + len;
	iov[1].iov_base = (void *)relay->current->priority;
	iov[1].iov_len = strlen(relay->current->priority);
	iov[2].iov_base = (void *)relay->current->stream;
	iov[2].iov_len = strlen(relay->current->stream);
	iov[3].iov_base = relay->ident;
	iov[3].iov_len = strlen(relay->ident);
	iov[4].iov_base = relay->workload;
	iov[4].iov_len = strlen(relay->workload);
	iov[5].iov_base = relay->unit;
	iov[5].iov_len = strlen(relay->unit);
	/* a line journald does not take is lost; the command goes on regardless */
	(void)tender_shim_journal_sendv(TENDER_SHIM_JOURNAL_SOCKET, iov, 6);
}

static TenderShimRelayBuffers tender_shim_relay_buffers;

/* empties the line buffers; one that was never fed is not touched (see TenderShimRelayBuffers) */
void
tender_shim_relay_reset(TenderShimRelay *relay)
{
	TenderShimStream *streams[] = {&relay->out, &relay->err};

	for (size_t i = 0; i < 2; i++) {
		if (streams[i]->fed)
			tender_line_buffer_init(streams[i]->lines);
		streams[i]->fed = 0;
	}
}

/* @relay: all zero (a static); its buffers are tender_shim_relay_buffers, all zero until output
 * comes */
void
tender_shim_relay_init(TenderShimRelay *relay, const TenderShimArgs *args)
{
	const char *base = strrchr(args->argv[0], '/');

	base = base != NULL && base[1] != '\0' ? base + 1 : args->argv[0];
	relay->out.fd = -1;
	relay->out.priority = "PRIORITY=6";
	relay->out.stream = "TENDER_STREAM=stdout";
	relay->out.lines = &tender_shim_relay_buffers.out_lines;
	relay->err.fd = -1;
	relay->err.priority = "PRIORITY=3";
	relay->err.stream = "TENDER_STREAM=stderr";
	relay->err.lines = &tender_shim_relay_buffers.err_lines;
	relay->buffers = &tender_shim_relay_buffers;
	snprintf(relay->workload, sizeof(relay->workload), "TENDER_WORKLOAD=%s", args->name);
	snprintf(relay->unit,
		 sizeof(relay->unit),
		 "OBJECT_SYSTEMD_UNIT=tender-%s.scope",
		 args->name);
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);
}

static void
tender_shim_relay_flush(TenderShimRelay *relay, TenderShimStream *stream)
{
	relay->current = stream;
	tender_shim_send_timeout(1);
	tender_line_buffer_flush(stream->lines, tender_shim_relay_line_cb, relay);
	tender_shim_send_timeout(0);
	if (stream->fd >= 0)
		close(stream->fd);
	stream->fd = -1;
}

static void
tender_shim_relay_keep_tail(TenderShimRelay *relay, const char *buf, size_t n)
{
	char *tail = relay->buffers->tail;
	const size_t max = sizeof(relay->buffers->tail);

	if (n >= max) {
		memcpy(tail, buf + n - max, max);
		relay->tail_len = max;
		return;
	}
	if (relay->tail_len + n > max) {
		size_t drop = relay->tail_len + n - max;
		memmove(tail, tail + drop, relay->tail_len - drop);
		relay->tail_len -= drop;
	}
	memcpy(tail + relay->tail_len, buf, n);
	relay->tail_len += n;
}

/* reads what @stream's pipe holds and sends its lines; at the pipe's end, the last line too */
static void
tender_shim_relay_read(TenderShimRelay *relay, TenderShimStream *stream)
{
	/* not on the stack: a chunk read there would leave its pages resident below main() */
	char *buf = relay->buffers->chunk;
	ssize_t n = read(stream->fd, buf, sizeof(relay->buffers->chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		tender_shim_relay_flush(relay, stream);
		return;
	}
	if (relay->keep_tail && stream == &relay->err)
		tender_shim_relay_keep_tail(relay, buf, (size_t)n);
	relay->current = stream;
	stream->fed = 1;
	tender_shim_send_timeout(1);
	tender_line_buffer_feed(stream->lines, buf, (size_t)n, tender_shim_relay_line_cb, relay);
	tender_shim_send_timeout(0);
}

/* one round of poll(): relays what the pipes hold; returns whether @sig_fd is readable */
static int
tender_shim_relay_poll(TenderShimRelay *relay, int sig_fd, int timeout_msec)
{
	struct pollfd fds[3] = {
	    {.fd = sig_fd, .events = POLLIN},
	    {.fd = relay->out.fd, .events = POLLIN},
	    {.fd = relay->err.fd, .events = POLLIN},
	};
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
	int n = poll(fds, 3, timeout_msec);

	if (n < 0) {
		if (errno != EINTR)
			nanosleep(&pause, NULL);
		return 0;
	}
	if (fds[1].revents != 0)
		tender_shim_relay_read(relay, &relay->out);
	if (fds[2].revents != 0)
		tender_shim_relay_read(relay, &relay->err);
	return fds[0].revents != 0;
}

/*
 * Relays until @child has ended (returning its wait status), reaping orphans on the way.
 * With a @deadline (monotonic msec, 0 for none), @child's process group is SIGKILLed then,
 * and *@timed_out set.
 */
int
tender_shim_relay_until_exit(TenderShimRelay *relay,
			     int sig_fd,
			     pid_t child,
			     int64_t deadline,
			     int *timed_out)
{
	struct signalfd_siginfo info;

	for (;;) {
		int st = 0;
		pid_t pid;
		/* without a signalfd, look for the end ten times a second */
		int timeout = sig_fd >= 0 ? -1 : 100;

		if (deadline > 0 && !*timed_out) {
			int64_t left = deadline - tender_shim_monotonic_msec();
			if (left <= 0) {
				*timed_out = 1;
				(void)kill(-child, SIGKILL);
				(void)kill(child, SIGKILL);
				left = 100;
			}
			if (timeout < 0 || left < timeout)
				timeout = (int)(left > 1000 ? 1000 : left);
		}
		if (tender_shim_relay_poll(relay, sig_fd, timeout)) {
			while (read(sig_fd, &info, sizeof(info)) == sizeof(info))
				;
		}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid == child)
				return st;
		}
		if (pid < 0 && errno != EINTR)
			return 0;
	}
}

/* the scope is empty: relays what is left in the pipes, for a bounded time */
void
tender_shim_relay_drain(TenderShimRelay *relay)
{
	int64_t deadline = tender_shim_monotonic_msec() + TENDER_SHIM_DRAIN_TIMEOUT_MSEC;

	while (relay->out.fd >= 0 || relay->err.fd >= 0) {
		int64_t left = deadline - tender_shim_monotonic_msec();
		if (left <= 0)
			break;
		/* no signalfd here: the SIGCHLDs of the killed leftovers would wake us at once */
		(void)tender_shim_relay_poll(relay, -1, (int)left);
	}
	/* a process that escaped the scope still holds a pipe: give up on it */
	tender_shim_relay_flush(relay, &relay->out);
	tender_shim_relay_flush(relay, &relay->err);
}

/* sends @text to the journal as one line of the workload's stderr, from tender-shim itself */
void
tender_shim_relay_send(TenderShimRelay *relay, const char *text)
{
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=tender-shim");
	relay->current = &relay->err;
	tender_shim_send_timeout(1);
	tender_shim_relay_line_cb(text, strnlen(text, TENDER_LINE_BUFFER_MAX), relay);
	tender_shim_send_timeout(0);
}

/*
 * The pipes of a child about to be forked: @err_pipe (unless %NULL) for the errno of a failed
 * exec, @out_pipe and @errout_pipe for its stdout and stderr, whose read ends @relay reads,
 * non-blocking.
 * Returns -1 with errno set if a pipe cannot be made.
 */
int
tender_shim_relay_open_pipes(TenderShimRelay *relay,
			     int err_pipe[2],
			     int out_pipe[2],
			     int errout_pipe[2])
{
	if ((err_pipe != NULL && pipe2(err_pipe, O_CLOEXEC) < 0) ||
	    pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(errout_pipe, O_CLOEXEC) < 0)
		return -1;
	(void)fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(errout_pipe[0], F_SETFL, O_NONBLOCK);
	relay->out.fd = out_pipe[0];
	relay->err.fd = errout_pipe[0];
	return 0;
}

/*
 * In the parent, once the child is forked: closes the child's ends of the pipes of
 * tender_shim_relay_open_pipes() and waits for its exec.  Returns the errno of a failed exec,
 * or 0 once it has exec'd.
 */
int
tender_shim_relay_wait_exec(int err_pipe[2], int out_pipe[2], int errout_pipe[2])
{
	int child_errno = 0;

	close(err_pipe[1]);
	close(out_pipe[1]);
	close(errout_pipe[1]);
	if (tender_shim_read_full(err_pipe[0], &child_errno, sizeof(child_errno)) !=
	    sizeof(child_errno))
		child_errno = 0;
	close(err_pipe[0]);
	return child_errno;
}
