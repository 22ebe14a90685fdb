/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: the first process of a workload's scope.
 *
 *   tender-shim --name NAME --record PATH --run-id ID [--uid UID --gid GID --caps LIST]
 *               [--pre-start N HOOK-ARG...]... -- COMMAND [ARG...]
 *
 * tenderd spawns it with two pipes: fd 3, from which it reads one byte once tenderd has moved
 * it into the workload's scope (EOF instead means "give up"), and fd 4, on which it reports
 * "R <pid>" once COMMAND has been executed or "E <errno>" if it could not be.  Only then, from
 * inside the scope, does it fork and execute COMMAND, so the command never runs outside its
 * limits.  It reaps COMMAND, kills whatever COMMAND left behind in the scope, and writes the
 * exit status to PATH (atomically) before it exits, so the status survives tenderd.
 *
 * COMMAND's stdout and stderr are pipes to the shim, which relays each line to the journal
 * with sd_journal_send(): TENDER_WORKLOAD=NAME, TENDER_STREAM=stdout|stderr, PRIORITY 6 or 3,
 * and OBJECT_SYSTEMD_UNIT=tender-NAME.scope, so that `journalctl -u` finds every line even
 * when journald could not see the sender's cgroup any more.  It reads the pipes while COMMAND
 * runs, so COMMAND never waits on a full pipe for long, and its memory stays the same however
 * much COMMAND prints: one buffer per stream; longer lines are split.
 *
 * Before COMMAND, each --pre-start hook (N arguments follow) runs to completion, as root, in
 * the scope, with the shim's environment and working directory; its output goes to the journal
 * as COMMAND's does.  A hook that fails (or runs longer than TENDER_SHIM_HOOK_TIMEOUT_SEC) ends
 * the shim: it reports "P <why>" on fd 4, with the tail of the hook's stderr, and COMMAND never
 * runs.  With --uid, COMMAND (only COMMAND, not the hooks) runs as UID and GID with no other
 * group, no capability but those of LIST (numbers separated by commas, kept as ambient) in any
 * set, the bounding set included, and no_new_privs.
 *
 * It uses no GLib: it lives as long as the workload and should cost next to nothing.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* no CODE_FILE=tender-shim.c and friends on the workload's lines */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "tender-line-buffer.h"
#include "tender-privdrop.h"

#define TENDER_SHIM_GO_FD     3
#define TENDER_SHIM_STATUS_FD 4

/* how much of a pipe is read at once */
#define TENDER_SHIM_READ_CHUNK 65536
/* a journald that takes longer than this for one chunk's lines is skipped for the rest */
#define TENDER_SHIM_SEND_TIMEOUT_SEC 10
/* after the scope is empty: how long to wait for the pipes' ends */
#define TENDER_SHIM_DRAIN_TIMEOUT_MSEC 5000
/* a pre_start hook that runs longer is killed, and the start fails */
#define TENDER_SHIM_HOOK_TIMEOUT_SEC 300
#define TENDER_SHIM_HOOKS_MAX	     16
/* how much of a failed hook's stderr goes into the reason */
#define TENDER_SHIM_HOOK_TAIL 4096

extern char **environ;

typedef struct {
	const char *name;
	const char *record;
	const char *run_id;
	char **argv;
	int drop; /* --uid was given */
	const char *uid;
	const char *gid;
	const char *caps;
	int n_hooks;
	char **hooks[TENDER_SHIM_HOOKS_MAX]; /* each NULL-terminated */
} TenderShimArgs;

static int64_t
tender_shim_now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
tender_shim_usage(void)
{
	fprintf(stderr,
		"Usage: tender-shim --name NAME --record PATH --run-id ID [--uid UID --gid GID "
		"--caps LIST] [--pre-start N HOOK-ARG...]... -- COMMAND [ARG...]\n"
		"tender-shim is started by tenderd; it is not meant to be run by hand.\n");
}

static int
tender_shim_parse_args(int argc, char **argv, TenderShimArgs *args)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			if (i + 1 >= argc)
				return -1;
			args->argv = argv + i + 1;
			break;
		}
		if (i + 1 >= argc)
			return -1;
		if (strcmp(argv[i], "--pre-start") == 0) {
			long n = strtol(argv[i + 1], NULL, 10);
			char **hook;
			if (n <= 0 || n > argc - i - 2 || args->n_hooks >= TENDER_SHIM_HOOKS_MAX)
				return -1;
			hook = calloc((size_t)n + 1, sizeof(char *));
			if (hook == NULL)
				return -1;
			memcpy(hook, argv + i + 2, sizeof(char *) * (size_t)n);
			args->hooks[args->n_hooks++] = hook;
			i += 1 + (int)n;
			continue;
		}
		if (strcmp(argv[i], "--name") == 0)
			args->name = argv[++i];
		else if (strcmp(argv[i], "--record") == 0)
			args->record = argv[++i];
		else if (strcmp(argv[i], "--run-id") == 0)
			args->run_id = argv[++i];
		else if (strcmp(argv[i], "--uid") == 0)
			args->uid = argv[++i];
		else if (strcmp(argv[i], "--gid") == 0)
			args->gid = argv[++i];
		else if (strcmp(argv[i], "--caps") == 0)
			args->caps = argv[++i];
		else
			return -1;
	}
	args->drop = args->uid != NULL;
	if (args->drop && (args->gid == NULL || args->caps == NULL))
		return -1;
	if (args->name == NULL || args->record == NULL || args->run_id == NULL ||
	    args->argv == NULL)
		return -1;
	return 0;
}

static ssize_t
tender_shim_read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int
tender_shim_write_full(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
tender_shim_read_small_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = tender_shim_read_full(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static void
tender_shim_write_small_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)tender_shim_write_full(fd, text, strlen(text));
	close(fd);
}

/*
 * Our own cgroup path in the v1 hierarchy whose /proc/self/cgroup tag is @v1_tag (e.g.
 * ":name=systemd:" or ":memory:"), else in the v2 one.  Returns 1 for v1, 2 for v2, -1 if
 * neither is there.
 */
static int
tender_shim_own_cgroup(const char *v1_tag, char *out, size_t len)
{
	char buf[8192];
	const char *v2 = NULL;
	const char *v1 = NULL;
	const char *hit;
	char *line;
	char *save = NULL;

	if (tender_shim_read_small_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "0::", 3) == 0)
			v2 = line + 3;
		else if ((hit = strstr(line, v1_tag)) != NULL)
			v1 = hit + strlen(v1_tag);
	}
	if (v1 != NULL) {
		snprintf(out, len, "%s", v1);
		return 1;
	}
	if (v2 != NULL) {
		snprintf(out, len, "%s", v2);
		return 2;
	}
	return -1;
}

/* the file listing the processes of our own cgroup, in the hierarchy that tracks processes */
static int
tender_shim_find_procs_file(char *out, size_t len)
{
	char cg[PATH_MAX];
	struct stat st;

	switch (tender_shim_own_cgroup(":name=systemd:", cg, sizeof(cg))) {
	case 1:
		snprintf(out, len, "/sys/fs/cgroup/systemd%s/cgroup.procs", cg);
		return 0;
	case 2:
		/* hybrid layouts mount v2 at /sys/fs/cgroup/unified */
		snprintf(out, len, "/sys/fs/cgroup/unified%s/cgroup.procs", cg);
		if (stat(out, &st) == 0)
			return 0;
		snprintf(out, len, "/sys/fs/cgroup%s/cgroup.procs", cg);
		return 0;
	default:
		return -1;
	}
}

/* SIGKILL everything left in the scope but ourselves; returns how many were signalled */
static int
tender_shim_kill_leftovers(const char *procs_file)
{
	char buf[65536];
	char *line;
	char *save = NULL;
	int n = 0;

	if (tender_shim_read_small_file(procs_file, buf, sizeof(buf)) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		pid_t pid = (pid_t)strtol(line, NULL, 10);
		if (pid <= 0 || pid == getpid())
			continue;
		if (kill(pid, SIGKILL) == 0)
			n++;
	}
	return n;
}

/* how often the kernel's OOM killer has struck in our memory cgroup (v1 or v2), or -1 */
static long long
tender_shim_read_oom_kills(void)
{
	char buf[8192];
	char cg[PATH_MAX];
	char path[PATH_MAX + 64];
	char *line;
	char *save = NULL;

	switch (tender_shim_own_cgroup(":memory:", cg, sizeof(cg))) {
	case 1:
		snprintf(path, sizeof(path), "/sys/fs/cgroup/memory%s/memory.oom_control", cg);
		break;
	case 2:
		snprintf(path, sizeof(path), "/sys/fs/cgroup%s/memory.events", cg);
		break;
	default:
		return -1;
	}
	if (tender_shim_read_small_file(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "oom_kill ", 9) == 0)
			return strtoll(line + 9, NULL, 10);
	}
	return -1;
}

static void
tender_shim_reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void
tender_shim_cleanup_scope(void)
{
	char procs[PATH_MAX + 64];
	struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};

	if (tender_shim_find_procs_file(procs, sizeof(procs)) < 0)
		return;
	for (int i = 0; i < 500; i++) {
		tender_shim_reap_all();
		if (tender_shim_kill_leftovers(procs) == 0)
			break;
		nanosleep(&pause, NULL);
	}
	tender_shim_reap_all();
}

static int
tender_shim_write_record(const char *path,
			 const char *run_id,
			 pid_t main_pid,
			 const char *status,
			 int exit_code,
			 int signo,
			 int err,
			 long long oom_kills,
			 int64_t started,
			 int64_t ended)
{
	char tmp[PATH_MAX];
	char text[1024];
	char *dir;
	char *slash;
	int fd;
	int dfd;
	int len;

	len = snprintf(text,
		       sizeof(text),
		       "{\"run_id\":\"%s\",\"shim_pid\":%d,\"main_pid\":%d,\"status\":\"%s\","
		       "\"exit_code\":%d,\"signal\":%d,\"errno\":%d,\"oom_kills\":%lld,"
		       "\"started_usec\":%lld,\"ended_usec\":%lld}\n",
		       run_id,
		       (int)getpid(),
		       (int)main_pid,
		       status,
		       exit_code,
		       signo,
		       err,
		       oom_kills,
		       (long long)started,
		       (long long)ended);
	if (len < 0 || (size_t)len >= sizeof(text))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (tender_shim_write_full(fd, text, (size_t)len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	dir = strdup(path);
	if (dir == NULL)
		return 0;
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir)
		*slash = '\0';
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(dir);
	return 0;
}

/* --- the relay of the command's output to the journal --- */

static volatile sig_atomic_t tender_shim_send_timed_out = 0;

typedef struct {
	int fd; /* our end of the pipe, -1 once at its end */
	const char *priority;
	const char *stream;
	TenderLineBuffer lines;
} TenderShimStream;

typedef struct {
	TenderShimStream out;
	TenderShimStream err;
	char workload[128];
	char unit[160];
	char ident[300];
	char message[sizeof("MESSAGE=") - 1 + TENDER_LINE_BUFFER_MAX];
	TenderShimStream *current;
	/* while a hook runs: the last bytes of its stderr */
	int keep_tail;
	size_t tail_len;
	char tail[TENDER_SHIM_HOOK_TAIL];
} TenderShimRelay;

static void
tender_shim_alarm_cb(int signo)
{
	tender_shim_send_timed_out = 1;
}

/* bounds the time sd_journal_sendv() may block on a journald that does not read */
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
	struct iovec iov[6];

	/* a journald that hangs: drop the line, as journald drops lines over its rate limit */
	if (tender_shim_send_timed_out)
		return;
	memcpy(relay->message + prefix, line, len);
	iov[0].iov_base = relay->message;
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
	(void)sd_journal_sendv(iov, 6);
}

static void
tender_shim_relay_init(TenderShimRelay *relay, const TenderShimArgs *args)
{
	const char *base = strrchr(args->argv[0], '/');

	base = base != NULL && base[1] != '\0' ? base + 1 : args->argv[0];
	relay->out.fd = -1;
	relay->out.priority = "PRIORITY=6";
	relay->out.stream = "TENDER_STREAM=stdout";
	tender_line_buffer_init(&relay->out.lines);
	relay->err.fd = -1;
	relay->err.priority = "PRIORITY=3";
	relay->err.stream = "TENDER_STREAM=stderr";
	tender_line_buffer_init(&relay->err.lines);
	snprintf(relay->workload, sizeof(relay->workload), "TENDER_WORKLOAD=%s", args->name);
	snprintf(relay->unit,
		 sizeof(relay->unit),
		 "OBJECT_SYSTEMD_UNIT=tender-%s.scope",
		 args->name);
	snprintf(relay->ident, sizeof(relay->ident), "SYSLOG_IDENTIFIER=%s", base);
	memcpy(relay->message, "MESSAGE=", sizeof("MESSAGE=") - 1);
}

static void
tender_shim_relay_flush(TenderShimRelay *relay, TenderShimStream *stream)
{
	relay->current = stream;
	tender_shim_send_timeout(1);
	tender_line_buffer_flush(&stream->lines, tender_shim_relay_line_cb, relay);
	tender_shim_send_timeout(0);
	if (stream->fd >= 0)
		close(stream->fd);
	stream->fd = -1;
}

static void
tender_shim_relay_keep_tail(TenderShimRelay *relay, const char *buf, size_t n)
{
	const size_t max = sizeof(relay->tail);

	if (n >= max) {
		memcpy(relay->tail, buf + n - max, max);
		relay->tail_len = max;
		return;
	}
	if (relay->tail_len + n > max) {
		size_t drop = relay->tail_len + n - max;
		memmove(relay->tail, relay->tail + drop, relay->tail_len - drop);
		relay->tail_len -= drop;
	}
	memcpy(relay->tail + relay->tail_len, buf, n);
	relay->tail_len += n;
}

/* reads what @stream's pipe holds and sends its lines; at the pipe's end, the last line too */
static void
tender_shim_relay_read(TenderShimRelay *relay, TenderShimStream *stream)
{
	char buf[TENDER_SHIM_READ_CHUNK];
	ssize_t n = read(stream->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		tender_shim_relay_flush(relay, stream);
		return;
	}
	if (relay->keep_tail && stream == &relay->err)
		tender_shim_relay_keep_tail(relay, buf, (size_t)n);
	relay->current = stream;
	tender_shim_send_timeout(1);
	tender_line_buffer_feed(&stream->lines, buf, (size_t)n, tender_shim_relay_line_cb, relay);
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

static int64_t
tender_shim_monotonic_msec(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

/*
 * Relays until @child has ended (returning its wait status), reaping orphans on the way.
 * With a @deadline (monotonic msec, 0 for none), @child's process group is SIGKILLed then,
 * and *@timed_out set.
 */
static int
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
static void
tender_shim_relay_drain(TenderShimRelay *relay)
{
	struct timespec now;
	int64_t deadline;

	clock_gettime(CLOCK_MONOTONIC, &now);
	deadline =
	    (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + TENDER_SHIM_DRAIN_TIMEOUT_MSEC;
	while (relay->out.fd >= 0 || relay->err.fd >= 0) {
		int64_t left;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
		if (left <= 0)
			break;
		/* no signalfd here: the SIGCHLDs of the killed leftovers would wake us at once */
		(void)tender_shim_relay_poll(relay, -1, (int)left);
	}
	/* a process that escaped the scope still holds a pipe: give up on it */
	tender_shim_relay_flush(relay, &relay->out);
	tender_shim_relay_flush(relay, &relay->err);
}

/* in the child, between fork and exec: only async-signal-safe calls */
static void
tender_shim_child_setup(int out_fd, int errout_fd, const char *oom_adj)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	sigset_t mask;
	int null_fd;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sigaction(sig, &sa, NULL);
	}
	sigemptyset(&mask);
	(void)sigprocmask(SIG_SETMASK, &mask, NULL);
	(void)setpgid(0, 0);
	if (oom_adj[0] != '\0')
		tender_shim_write_small_file("/proc/self/oom_score_adj", oom_adj);

	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd >= 0)
		(void)dup2(null_fd, STDIN_FILENO);
	if (out_fd >= 0)
		(void)dup2(out_fd, STDOUT_FILENO);
	if (errout_fd >= 0)
		(void)dup2(errout_fd, STDERR_FILENO);
}

static void
tender_shim_exec_child(const TenderShimArgs *args,
		       const TenderPrivdrop *drop,
		       int err_fd,
		       int out_fd,
		       int errout_fd,
		       const char *oom_adj)
{
	int saved;

	tender_shim_child_setup(out_fd, errout_fd, oom_adj);
	if (drop != NULL) {
		int rc = tender_privdrop_apply(drop);
		if (rc < 0) {
			saved = -rc;
			(void)tender_shim_write_full(err_fd, (const char *)&saved, sizeof(saved));
			_exit(127);
		}
	}
	execvp(args->argv[0], args->argv);
	saved = errno;
	(void)tender_shim_write_full(err_fd, (const char *)&saved, sizeof(saved));
	_exit(127);
}

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
	if (pipe2(err_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC) < 0 ||
	    pipe2(errout_pipe, O_CLOEXEC) < 0) {
		snprintf(why, why_len, "pre_start: %s: pipe: %s", base, strerror(errno));
		return -1;
	}
	(void)fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(errout_pipe[0], F_SETFL, O_NONBLOCK);
	tender_line_buffer_init(&relay->out.lines);
	tender_line_buffer_init(&relay->err.lines);
	relay->out.fd = out_pipe[0];
	relay->err.fd = errout_pipe[0];
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
	close(err_pipe[1]);
	close(out_pipe[1]);
	close(errout_pipe[1]);
	if (tender_shim_read_full(err_pipe[0], &child_errno, sizeof(child_errno)) !=
	    sizeof(child_errno))
		child_errno = 0;
	close(err_pipe[0]);
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
static int
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

/* tenderd raises its soft limit of open files; the workload starts with the usual one
 * (FD_SETSIZE, what select() handles), as a service of systemd does, the hard limit kept */
static void
tender_shim_reset_fd_limit(void)
{
	struct rlimit nofile;

	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur > FD_SETSIZE) {
		nofile.rlim_cur = FD_SETSIZE;
		(void)setrlimit(RLIMIT_NOFILE, &nofile);
	}
}

int
main(int argc, char **argv)
{
	TenderShimArgs args = {0};
	static TenderShimRelay relay;
	static TenderPrivdrop drop;
	int timed_out = 0;
	struct sigaction ign = {.sa_handler = SIG_IGN};
	struct sigaction alarm_sa = {.sa_handler = tender_shim_alarm_cb};
	sigset_t chld;
	const int ignored[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
	char go = 0;
	char oom_adj[32] = "";
	char line[64];
	int err_pipe[2];
	int out_pipe[2];
	int errout_pipe[2];
	int sig_fd;
	int child_errno = 0;
	int wstatus = 0;
	int64_t started;
	long long oom_kills;
	pid_t child;

	if (tender_shim_parse_args(argc, argv, &args) < 0) {
		tender_shim_usage();
		return 2;
	}
	(void)fcntl(TENDER_SHIM_GO_FD, F_SETFD, FD_CLOEXEC);
	(void)fcntl(TENDER_SHIM_STATUS_FD, F_SETFD, FD_CLOEXEC);
	tender_shim_reset_fd_limit();

	/* never die of a signal meant for the workload; our own life ends with the workload's */
	(void)setsid();
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		(void)sigaction(ignored[i], &ign, NULL);
	/* no SA_RESTART: the alarm interrupts a send to a journald that does not read */
	(void)sigaction(SIGALRM, &alarm_sa, NULL);
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	(void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);

	/* wait until tenderd has moved us into the scope */
	if (tender_shim_read_full(TENDER_SHIM_GO_FD, &go, 1) != 1 || go != 'G')
		return 3;
	close(TENDER_SHIM_GO_FD);

	/* the OOM killer should pick the workload, never its supervisor */
	if (tender_shim_read_small_file("/proc/self/oom_score_adj", oom_adj, sizeof(oom_adj)) < 0)
		oom_adj[0] = '\0';
	tender_shim_write_small_file("/proc/self/oom_score_adj", "-1000");

	/* the workload's output comes to us, and goes on to the journal from this scope */
	tender_shim_relay_init(&relay, &args);

	/* the command's end comes as a SIGCHLD on a signalfd, between reads of its output */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	(void)sigprocmask(SIG_BLOCK, &chld, NULL);
	sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);

	started = tender_shim_now_usec();
	/* the pre_start hooks, as root, in the scope, before the command */
	if (tender_shim_run_hooks(&args, &relay, sig_fd, oom_adj, started) < 0)
		return 0;

	if (args.drop) {
		cap_value_t keep[TENDER_PRIVDROP_CAPS_MAX];
		int n_keep = tender_privdrop_parse_caps(args.caps, keep, TENDER_PRIVDROP_CAPS_MAX);
		char *end_uid = NULL;
		char *end_gid = NULL;
		unsigned long uid = strtoul(args.uid, &end_uid, 10);
		unsigned long gid = strtoul(args.gid, &end_gid, 10);
		if (n_keep < 0 || *end_uid != '\0' || *end_gid != '\0' ||
		    tender_privdrop_init(&drop, (uid_t)uid, (gid_t)gid, keep, n_keep) < 0) {
			tender_shim_usage();
			return 2;
		}
	}
	if (pipe2(err_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC) < 0 ||
	    pipe2(errout_pipe, O_CLOEXEC) < 0)
		return 4;
	(void)fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(errout_pipe[0], F_SETFL, O_NONBLOCK);
	relay.out.fd = out_pipe[0];
	relay.err.fd = errout_pipe[0];

	child = fork();
	if (child < 0) {
		int saved = errno;
		snprintf(line, sizeof(line), "E %d\n", saved);
		(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
		(void)tender_shim_write_record(args.record,
					       args.run_id,
					       0,
					       "fork-failed",
					       -1,
					       0,
					       saved,
					       -1LL,
					       started,
					       tender_shim_now_usec());
		return 4;
	}
	if (child == 0)
		tender_shim_exec_child(&args,
				       args.drop ? &drop : NULL,
				       err_pipe[1],
				       out_pipe[1],
				       errout_pipe[1],
				       oom_adj);
	tender_privdrop_clear(&drop);

	close(err_pipe[1]);
	close(out_pipe[1]);
	close(errout_pipe[1]);
	if (tender_shim_read_full(err_pipe[0], &child_errno, sizeof(child_errno)) !=
	    sizeof(child_errno))
		child_errno = 0;
	close(err_pipe[0]);
	if (child_errno != 0)
		snprintf(line, sizeof(line), "E %d\n", child_errno);
	else
		snprintf(line, sizeof(line), "R %d\n", (int)child);
	(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
	close(TENDER_SHIM_STATUS_FD);

	/* relay and reap until the workload itself is gone; orphans of it come to us as
	 * subreaper */
	wstatus = tender_shim_relay_until_exit(&relay, sig_fd, child, 0, &timed_out);
	/* read while the scope still exists: the kernel's own count, not a guess from SIGKILL */
	oom_kills = tender_shim_read_oom_kills();
	tender_shim_cleanup_scope();
	/* nothing is left to write into the pipes: the rest of the output, then the record */
	tender_shim_relay_drain(&relay);

	if (child_errno != 0)
		return tender_shim_write_record(args.record,
						args.run_id,
						child,
						"exec-failed",
						-1,
						0,
						child_errno,
						oom_kills,
						started,
						tender_shim_now_usec()) < 0
			   ? 5
			   : 0;
	if (WIFEXITED(wstatus))
		return tender_shim_write_record(args.record,
						args.run_id,
						child,
						"exited",
						WEXITSTATUS(wstatus),
						0,
						0,
						oom_kills,
						started,
						tender_shim_now_usec()) < 0
			   ? 5
			   : 0;
	return tender_shim_write_record(args.record,
					args.run_id,
					child,
					"killed",
					-1,
					WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0,
					0,
					oom_kills,
					started,
					tender_shim_now_usec()) < 0
		   ? 5
		   : 0;
}
