/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: the first process of a workload's scope.
 *
 *   tender-shim --name NAME --record PATH --run-id ID -- COMMAND [ARG...]
 *
 * tenderd spawns it with two pipes: fd 3, from which it reads one byte once tenderd has moved
 * it into the workload's scope (EOF instead means "give up"), and fd 4, on which it reports
 * "R <pid>" once COMMAND has been executed or "E <errno>" if it could not be.  Only then, from
 * inside the scope, does it fork and execute COMMAND, so the command never runs outside its
 * limits.  It reaps COMMAND, kills whatever COMMAND left behind in the scope, and writes the
 * exit status to PATH (atomically) before it exits, so the status survives tenderd.
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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#define TENDER_SHIM_GO_FD     3
#define TENDER_SHIM_STATUS_FD 4

extern char **environ;

typedef struct {
	const char *name;
	const char *record;
	const char *run_id;
	char **argv;
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
		"Usage: tender-shim --name NAME --record PATH --run-id ID -- COMMAND [ARG...]\n"
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
		if (strcmp(argv[i], "--name") == 0)
			args->name = argv[++i];
		else if (strcmp(argv[i], "--record") == 0)
			args->record = argv[++i];
		else if (strcmp(argv[i], "--run-id") == 0)
			args->run_id = argv[++i];
		else
			return -1;
	}
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

/* in the child, between fork and exec: only async-signal-safe calls */
static void
tender_shim_exec_child(const TenderShimArgs *args,
		       int err_fd,
		       int out_fd,
		       int errout_fd,
		       const char *oom_adj)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};
	sigset_t mask;
	int null_fd;
	int saved;

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

	execvp(args->argv[0], args->argv);
	saved = errno;
	(void)tender_shim_write_full(err_fd, (const char *)&saved, sizeof(saved));
	_exit(127);
}

int
main(int argc, char **argv)
{
	TenderShimArgs args = {0};
	struct sigaction ign = {.sa_handler = SIG_IGN};
	const int ignored[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
	char go = 0;
	char oom_adj[32] = "";
	char line[64];
	int err_pipe[2];
	int out_fd;
	int errout_fd;
	int child_errno = 0;
	int wstatus = 0;
	int64_t started;
	long long oom_kills;
	pid_t child;
	pid_t pid;

	if (tender_shim_parse_args(argc, argv, &args) < 0) {
		tender_shim_usage();
		return 2;
	}
	(void)fcntl(TENDER_SHIM_GO_FD, F_SETFD, FD_CLOEXEC);
	(void)fcntl(TENDER_SHIM_STATUS_FD, F_SETFD, FD_CLOEXEC);

	/* never die of a signal meant for the workload; our own life ends with the workload's */
	(void)setsid();
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		(void)sigaction(ignored[i], &ign, NULL);
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

	/* the workload's output goes to the journal, attributed to this scope */
	out_fd = sd_journal_stream_fd(args.name, LOG_INFO, 0);
	errout_fd = sd_journal_stream_fd(args.name, LOG_ERR, 0);
	if (out_fd >= 0)
		(void)fcntl(out_fd, F_SETFD, FD_CLOEXEC);
	if (errout_fd >= 0)
		(void)fcntl(errout_fd, F_SETFD, FD_CLOEXEC);

	if (pipe2(err_pipe, O_CLOEXEC) < 0)
		return 4;
	started = tender_shim_now_usec();
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
		tender_shim_exec_child(&args, err_pipe[1], out_fd, errout_fd, oom_adj);

	close(err_pipe[1]);
	if (out_fd >= 0)
		close(out_fd);
	if (errout_fd >= 0)
		close(errout_fd);
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

	/* reap until the workload itself is gone; orphans of it come to us as subreaper */
	for (;;) {
		int st = 0;
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == child) {
			wstatus = st;
			break;
		}
	}
	/* read while the scope still exists: the kernel's own count, not a guess from SIGKILL */
	oom_kills = tender_shim_read_oom_kills();
	tender_shim_cleanup_scope();

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
