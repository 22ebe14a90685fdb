/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-nsenter: one command of ExecWorkload, run inside a running workload.
 *
 *   tender-nsenter --pid PID [--scope CGROUP] [--cwd DIR] [--uid UID --gid GID --caps LIST]
 *                  [--strict]
 *                  [--tty ROWS COLS] -- COMMAND [ARG...]
 *
 * tenderd spawns it with an empty environment, the command's stdin, stdout and stderr as its
 * own, fd 3 a status pipe, fd 4 (with --tty) a unix socket, and fd 5 the command's environment
 * ("KEY=VALUE" strings, each ended by a NUL byte): not our own environment, which the dynamic
 * loader would read (LD_PRELOAD) while we are still root in the host's namespaces.  PID is the
 * workload's main process, whose scope's control group is CGROUP (checked, so that a PID used again
 * by another process is never entered).  It
 *   1. joins every control group PID is in, in every hierarchy of /proc/PID/cgroup, from the
 *      host's view, so that the command counts against the workload's limits;
 *   2. enters the namespaces of PID that differ from its own (ipc, uts, net, pid, cgroup, mnt,
 *      at once through a pidfd where the kernel can; the PID namespace is the one PID's
 *      children go to, its own but for a process that made one for its children, as
 *      `unshare --fork` does), takes PID's root, then DIR as working directory inside;
 *   3. with --tty, opens a pty in the devpts the mount namespace has, sets its size, and sends
 *      the master to tenderd over fd 4 (SCM_RIGHTS); the command gets the other end as its
 *      controlling terminal and stdin, stdout and stderr;
 *   4. forks if it joined a PID namespace (only its children are in it), and waits for the
 *      command, ending as it ended (the same exit status, or the same signal);
 *   5. in the command's process: its own session, PID's resource limits and oom_score_adj, then
 *      the drop to UID, GID and the capabilities of LIST exactly as tender-shim does it
 *      (tender-privdrop.c), and exec.
 * On fd 3 it says "P <pid>" (the command's PID, as the host sees it) and, if a step fails,
 * "E <step> <errno>" with step one of target, cgroup, namespace, directory, tty, fork, user,
 * exec; fd 3 is close-on-exec, so its end without an "E" means the command runs.
 *
 * Like tender-shim it uses no GLib: it is started for every exec, and should cost next to
 * nothing.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "shim-private.h"
#include "tender-fdpass.h"
#include "shim-seccomp.h"
#include "tender-privdrop.h"

#define TENDER_NSENTER_STATUS_FD 3
#define TENDER_NSENTER_TTY_FD	 4
#define TENDER_NSENTER_ENV_FD	 5
/* the most the environment may hold, as execve() takes it */
#define TENDER_NSENTER_ENV_MAX (4 * 1024 * 1024)
/* how many cgroup mounts are looked at */
#define TENDER_NSENTER_MOUNTS_MAX 64

typedef struct {
	pid_t pid;
	const char *scope;
	const char *cwd;
	const char *uid;
	const char *gid;
	const char *caps;
	int tty;
	int strict; /* a strict workload's: no capability even as root, its seccomp filter */
	unsigned short rows;
	unsigned short cols;
	char **argv;
} TenderNsenterArgs;

/* the namespaces, in the order they are entered one by one: mnt last, as it changes what
 * /proc and the paths mean */
static const struct {
	const char *target; /* below /proc/PID/ns */
	const char *own;    /* below /proc/self/ns */
	int flag;
} tender_nsenter_namespaces[] = {
    {"ipc", "ipc", CLONE_NEWIPC},
    {"uts", "uts", CLONE_NEWUTS},
    {"net", "net", CLONE_NEWNET},
    {"pid_for_children", "pid", CLONE_NEWPID},
    {"cgroup", "cgroup", CLONE_NEWCGROUP},
    {"mnt", "mnt", CLONE_NEWNS},
};
#define TENDER_NSENTER_N_NS                                                                        \
	(sizeof(tender_nsenter_namespaces) / sizeof(tender_nsenter_namespaces[0]))

/* the cgroup file systems mounted in our own (the host's) mount namespace */
typedef struct {
	char point[PATH_MAX];
	char options[256]; /* the super options of v1, e.g. "rw,cpu,cpuacct"; "" for v2 */
} TenderNsenterMount;

static void
tender_nsenter_usage(void)
{
	fprintf(stderr,
		"Usage: tender-nsenter --pid PID [--scope CGROUP] [--cwd DIR] [--uid UID --gid GID "
		"--caps LIST] [--tty ROWS COLS] -- COMMAND [ARG...]\n"
		"tender-nsenter is started by tenderd for ExecWorkload; it is not meant to be run "
		"by hand.\n");
}

/* says why the command will not run, and ends */
static void
tender_nsenter_fail(const char *step, int err)
{
	char line[64];

	snprintf(line, sizeof(line), "E %s %d\n", step, err != 0 ? err : EIO);
	(void)tender_shim_write_full(TENDER_NSENTER_STATUS_FD, line, strlen(line));
	_exit(127);
}

static void
tender_nsenter_report_pid(pid_t pid)
{
	char line[32];

	snprintf(line, sizeof(line), "P %d\n", (int)pid);
	(void)tender_shim_write_full(TENDER_NSENTER_STATUS_FD, line, strlen(line));
}

static int
tender_nsenter_parse_number(const char *text, long max, long *out)
{
	char *end = NULL;

	errno = 0;
	*out = strtol(text, &end, 10);
	return errno == 0 && end != text && *end == '\0' && *out >= 0 && *out <= max ? 0 : -1;
}

static int
tender_nsenter_parse_args(int argc, char **argv, TenderNsenterArgs *args)
{
	long value = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			args->argv = i + 1 < argc ? argv + i + 1 : NULL;
			break;
		}
		if (strcmp(argv[i], "--strict") == 0) {
			args->strict = 1;
			continue;
		}
		if (i + 1 >= argc)
			return -1;
		if (strcmp(argv[i], "--pid") == 0) {
			if (tender_nsenter_parse_number(argv[++i], INT_MAX, &value) < 0 ||
			    value < 1)
				return -1;
			args->pid = (pid_t)value;
		} else if (strcmp(argv[i], "--tty") == 0) {
			long cols = 0;
			if (i + 2 >= argc ||
			    tender_nsenter_parse_number(argv[i + 1], USHRT_MAX, &value) < 0 ||
			    tender_nsenter_parse_number(argv[i + 2], USHRT_MAX, &cols) < 0)
				return -1;
			args->tty = 1;
			args->rows = (unsigned short)value;
			args->cols = (unsigned short)cols;
			i += 2;
		} else if (strcmp(argv[i], "--scope") == 0) {
			args->scope = argv[++i];
		} else if (strcmp(argv[i], "--cwd") == 0) {
			args->cwd = argv[++i];
		} else if (strcmp(argv[i], "--uid") == 0) {
			args->uid = argv[++i];
		} else if (strcmp(argv[i], "--gid") == 0) {
			args->gid = argv[++i];
		} else if (strcmp(argv[i], "--caps") == 0) {
			args->caps = argv[++i];
		} else {
			return -1;
		}
	}
	if (args->pid == 0 || args->argv == NULL)
		return -1;
	if ((args->uid != NULL) != (args->gid != NULL) ||
	    (args->uid != NULL) != (args->caps != NULL))
		return -1;
	return 0;
}

/* --- the control groups --- */

/* the cgroup mounts of /proc/self/mountinfo; returns how many */
static int
tender_nsenter_read_mounts(TenderNsenterMount *mounts, int max)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t size = 0;
	int n = 0;

	if (f == NULL)
		return -1;
	while (n < max && getline(&line, &size, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
		char root[PATH_MAX];
		char point[PATH_MAX];
		char fstype[32];
		char super[256];
		const char *sep = strstr(line, " - ");
		if (sep == NULL || sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2 ||
		    sscanf(sep + 3, "%31s %*s %255s", fstype, super) != 2)
			continue;
		/* a bind mount of a part of a hierarchy does not show its paths as they are */
		if (strcmp(root, "/") != 0)
			continue;
		if (strcmp(fstype, "cgroup2") == 0)
			super[0] = '\0';
		else if (strcmp(fstype, "cgroup") != 0)
			continue;
		snprintf(mounts[n].point, sizeof(mounts[n].point), "%s", point);
		snprintf(mounts[n].options, sizeof(mounts[n].options), "%s", super);
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

/* is @word one of the comma-separated words of @list */
static int
tender_nsenter_has_word(const char *list, const char *word, size_t len)
{
	for (const char *p = list; *p != '\0';) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, word, len) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* the mount of the hierarchy of @controllers, as /proc/PID/cgroup names it ("" for v2) */
static const TenderNsenterMount *
tender_nsenter_find_mount(const TenderNsenterMount *mounts, int n, const char *controllers)
{
	for (int i = 0; i < n; i++) {
		int all = 1;
		if ((controllers[0] == '\0') != (mounts[i].options[0] == '\0'))
			continue;
		for (const char *p = controllers; *p != '\0' && all;) {
			size_t len = strcspn(p, ",");
			all = tender_nsenter_has_word(mounts[i].options, p, len);
			p += len;
			if (*p == ',')
				p++;
		}
		if (all)
			return &mounts[i];
	}
	return NULL;
}

/* is @path the scope @scope or a cgroup below it */
static int
tender_nsenter_in_scope(const char *path, const char *scope)
{
	size_t len = strlen(scope);
	return strncmp(path, scope, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* are we in the cgroup @cgroup of the hierarchy of @controllers already, as @own
 * (/proc/self/cgroup) says: then there is nothing to join, and a move that moves nothing
 * still costs the kernel's lock of every process's cgroups */
static int
tender_nsenter_is_own(const char *own, const char *controllers, const char *cgroup)
{
	char line[PATH_MAX + 256];

	if ((size_t)snprintf(line, sizeof(line), ":%s:%s\n", controllers, cgroup) >= sizeof(line))
		return 0;
	return strstr(own, line) != NULL;
}

/*
 * Joins every control group of @pid, from the lines "ID:CONTROLLERS:PATH" of
 * /proc/PID/cgroup, but those we are in already; a hierarchy that is not mounted here cannot be
 * joined, and is left out.  Fails (ESRCH) if neither the v2 path nor that of name=systemd is in
 * @scope.
 */
static void
tender_nsenter_join_cgroups(pid_t pid, const char *scope)
{
	static TenderNsenterMount mounts[TENDER_NSENTER_MOUNTS_MAX];
	const char *controllers[TENDER_NSENTER_MOUNTS_MAX];
	const char *cgroups[TENDER_NSENTER_MOUNTS_MAX];
	char path[64];
	char buf[8192];
	char own[8192];
	char *line;
	char *save = NULL;
	int n_mounts = tender_nsenter_read_mounts(mounts, TENDER_NSENTER_MOUNTS_MAX);
	int n = 0;
	int in_scope = scope == NULL;

	if (n_mounts < 0)
		tender_nsenter_fail("cgroup", errno);
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (tender_shim_read_small_file(path, buf, sizeof(buf)) < 0)
		tender_nsenter_fail("target", errno);
	if (tender_shim_read_small_file("/proc/self/cgroup", own, sizeof(own)) < 0)
		tender_nsenter_fail("cgroup", errno);
	for (line = strtok_r(buf, "\n", &save); line != NULL && n < TENDER_NSENTER_MOUNTS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		char *cgroup = colon != NULL ? strchr(colon + 1, ':') : NULL;
		if (cgroup == NULL)
			continue;
		*cgroup++ = '\0';
		controllers[n] = colon + 1;
		cgroups[n] = cgroup;
		if ((controllers[n][0] == '\0' || strcmp(controllers[n], "name=systemd") == 0) &&
		    scope != NULL && tender_nsenter_in_scope(cgroup, scope))
			in_scope = 1;
		n++;
	}
	if (!in_scope)
		tender_nsenter_fail("target", ESRCH);

	for (int i = 0; i < n; i++) {
		const TenderNsenterMount *mount =
		    tender_nsenter_find_mount(mounts, n_mounts, controllers[i]);
		char procs[PATH_MAX + 64];
		int fd;
		if (mount == NULL || tender_nsenter_is_own(own, controllers[i], cgroups[i]))
			continue;
		if ((size_t)snprintf(procs,
				     sizeof(procs),
				     "%s%s/cgroup.procs",
				     mount->point,
				     strcmp(cgroups[i], "/") == 0 ? "" : cgroups[i]) >=
		    sizeof(procs))
			tender_nsenter_fail("cgroup", ENAMETOOLONG);
		fd = open(procs, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0 || write(fd, "0", 1) != 1)
			tender_nsenter_fail("cgroup", errno);
		close(fd);
	}
}

/* --- the namespaces --- */

static int
tender_nsenter_same_file(int fd, const char *path)
{
	struct stat a;
	struct stat b;
	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * Opens the namespaces of @pid that differ from ours into @fds (-1 where they do not), and
 * @root_fd to @pid's root if the mount namespace differs; @new_pid says whether the PID
 * namespace does.  Returns the flags of those @pidfd can enter at once: all but the PID
 * namespace, which is the one of @pid's children.
 */
static int
tender_nsenter_open_namespaces(pid_t pid, int *fds, int *root_fd, int *new_pid)
{
	int flags = 0;

	*new_pid = 0;

	for (size_t i = 0; i < TENDER_NSENTER_N_NS; i++) {
		char target[96];
		char own[64];
		snprintf(target,
			 sizeof(target),
			 "/proc/%d/ns/%s",
			 (int)pid,
			 tender_nsenter_namespaces[i].target);
		snprintf(own, sizeof(own), "/proc/self/ns/%s", tender_nsenter_namespaces[i].own);
		fds[i] = open(target, O_RDONLY | O_CLOEXEC);
		/* a kernel without this namespace type: nothing to enter */
		if (fds[i] < 0 && errno == ENOENT)
			continue;
		if (fds[i] < 0)
			tender_nsenter_fail("namespace", errno);
		if (tender_nsenter_same_file(fds[i], own)) {
			close(fds[i]);
			fds[i] = -1;
			continue;
		}
		if (tender_nsenter_namespaces[i].flag == CLONE_NEWPID)
			*new_pid = 1;
		else
			flags |= tender_nsenter_namespaces[i].flag;
	}
	*root_fd = -1;
	if (flags & CLONE_NEWNS) {
		char root[64];
		snprintf(root, sizeof(root), "/proc/%d/root", (int)pid);
		*root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (*root_fd < 0)
			tender_nsenter_fail("namespace", errno);
	}
	return flags;
}

/* enters what tender_nsenter_open_namespaces() opened; the PID namespace only for children */
static void
tender_nsenter_enter(int pidfd, const int *fds, int flags, int root_fd)
{
	for (size_t i = 0; i < TENDER_NSENTER_N_NS; i++) {
		if (tender_nsenter_namespaces[i].flag == CLONE_NEWPID && fds[i] >= 0 &&
		    setns(fds[i], CLONE_NEWPID) < 0)
			tender_nsenter_fail("namespace", errno);
	}
	/* all at once through the pidfd (Linux 5.8), else one by one */
	if (flags != 0 && setns(pidfd, flags) < 0) {
		if (errno != EINVAL)
			tender_nsenter_fail("namespace", errno);
		for (size_t i = 0; i < TENDER_NSENTER_N_NS; i++) {
			if ((flags & tender_nsenter_namespaces[i].flag) != 0 &&
			    setns(fds[i], tender_nsenter_namespaces[i].flag) < 0)
				tender_nsenter_fail("namespace", errno);
		}
	}
	/* the process's own root, whatever it chrooted or pivoted into */
	if (root_fd >= 0 && (fchdir(root_fd) < 0 || chroot(".") < 0))
		tender_nsenter_fail("namespace", errno);
	for (size_t i = 0; i < TENDER_NSENTER_N_NS; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
	}
	if (root_fd >= 0)
		close(root_fd);
}

/* --- the terminal --- */

/* a pty of the devpts mounted here; the master goes to tenderd, the other end is returned */
static int
tender_nsenter_open_tty(const TenderNsenterArgs *args)
{
	struct winsize size = {.ws_row = args->rows, .ws_col = args->cols};
	int unlock = 0;
	int master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int peer;

	if (master < 0)
		master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		tender_nsenter_fail("tty", errno);
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		tender_nsenter_fail("tty", errno);
	if ((args->rows != 0 || args->cols != 0) && ioctl(master, TIOCSWINSZ, &size) < 0)
		tender_nsenter_fail("tty", errno);
	peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		tender_nsenter_fail("tty", errno);
	if (tender_fdpass_send(TENDER_NSENTER_TTY_FD, master) < 0)
		tender_nsenter_fail("tty", errno);
	close(master);
	close(TENDER_NSENTER_TTY_FD);
	return peer;
}

/* --- the command --- */

/* the command's environment, from fd 5, as our own from now on: execvp() looks up the
 * command in its PATH */
static void
tender_nsenter_read_environ(void)
{
	extern char **environ;
	struct stat st;
	char *data;
	char **envp;
	size_t n = 0;
	ssize_t len;

	if (fstat(TENDER_NSENTER_ENV_FD, &st) < 0 || st.st_size > TENDER_NSENTER_ENV_MAX)
		tender_nsenter_fail("exec", E2BIG);
	data = calloc((size_t)st.st_size + 1, 1);
	if (data == NULL)
		tender_nsenter_fail("exec", ENOMEM);
	len = pread(TENDER_NSENTER_ENV_FD, data, (size_t)st.st_size, 0);
	if (len != st.st_size)
		tender_nsenter_fail("exec", len < 0 ? errno : EIO);
	close(TENDER_NSENTER_ENV_FD);
	for (ssize_t i = 0; i < len; i += (ssize_t)strlen(data + i) + 1)
		n++;
	envp = calloc(n + 1, sizeof(char *));
	if (envp == NULL)
		tender_nsenter_fail("exec", ENOMEM);
	n = 0;
	for (ssize_t i = 0; i < len; i += (ssize_t)strlen(data + i) + 1)
		envp[n++] = data + i;
	environ = envp;
}

/* the resource limits of @pid, read from the host's view; its OOM score is taken at once, and
 * goes on to the command's process */
static void
tender_nsenter_read_limits(pid_t pid, struct rlimit *limits, int *have)
{
	char path[64];
	char adj[32];

	for (int resource = 0; resource < RLIM_NLIMITS; resource++)
		have[resource] =
		    prlimit(pid, (enum __rlimit_resource)resource, NULL, &limits[resource]) == 0;
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	if (tender_shim_read_small_file(path, adj, sizeof(adj)) == 0)
		tender_shim_write_small_file("/proc/self/oom_score_adj", adj);
}

/* takes them, just before the fork or the exec: a fork inherits them */
static void
tender_nsenter_apply_limits(const struct rlimit *limits, const int *have)
{
	for (int resource = 0; resource < RLIM_NLIMITS; resource++) {
		if (have[resource])
			(void)setrlimit((enum __rlimit_resource)resource, &limits[resource]);
	}
}

/* in the command's process: its session, terminal, limits and user, then exec */
static void
tender_nsenter_exec(const TenderNsenterArgs *args, const TenderPrivdrop *drop, int tty)
{
	int rc;

	if (setsid() < 0)
		tender_nsenter_fail("fork", errno);
	if (tty >= 0) {
		if (ioctl(tty, TIOCSCTTY, 0) < 0)
			tender_nsenter_fail("tty", errno);
		if (drop != NULL && fchown(tty, drop->uid, (gid_t)-1) < 0)
			tender_nsenter_fail("tty", errno);
		if (dup2(tty, STDIN_FILENO) < 0 || dup2(tty, STDOUT_FILENO) < 0 ||
		    dup2(tty, STDERR_FILENO) < 0)
			tender_nsenter_fail("tty", errno);
		if (tty > STDERR_FILENO)
			close(tty);
	}
	if (drop != NULL && (rc = tender_privdrop_apply(drop)) < 0)
		tender_nsenter_fail("user", -rc);
	/* a strict workload's filter, after the drop and right before exec, as tender-shim
	 * loads it for the workload's command */
	if (args->strict) {
		char why[256];
		if (tender_shim_seccomp_load(why, sizeof(why)) < 0)
			tender_nsenter_fail("seccomp", errno);
	}
	execvp(args->argv[0], args->argv);
	tender_nsenter_fail("exec", errno);
}

/* ends as the command ended: its exit status, or its signal (without a core dump of ours) */
static void
tender_nsenter_end_as(int wstatus)
{
	if (WIFSIGNALED(wstatus)) {
		int signo = WTERMSIG(wstatus);
		sigset_t mask;
		(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		(void)signal(signo, SIG_DFL);
		sigemptyset(&mask);
		sigaddset(&mask, signo);
		(void)sigprocmask(SIG_UNBLOCK, &mask, NULL);
		(void)raise(signo);
		_exit(128 + signo);
	}
	_exit(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 127);
}

/* the command's process is a child, in the PID namespace we entered: wait for it */
static void
tender_nsenter_fork(const TenderNsenterArgs *args, const TenderPrivdrop *drop, int tty)
{
	pid_t parent = getpid();
	pid_t child = fork();
	int wstatus = 0;

	if (child < 0)
		tender_nsenter_fail("fork", errno);
	if (child == 0) {
		/* it must not outlive us: tenderd knows it through us.  Our PID is not in its
		 * namespace (getppid() is 0); another parent means we are gone already */
		pid_t now = 0;
		if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
			_exit(127);
		now = getppid();
		if (now != 0 && now != parent)
			_exit(127);
		tender_nsenter_exec(args, drop, tty);
	}
	tender_nsenter_report_pid(child);
	close(TENDER_NSENTER_STATUS_FD);
	if (tty >= 0)
		close(tty);
	while (waitpid(child, &wstatus, 0) < 0) {
		if (errno != EINTR)
			_exit(127);
	}
	tender_nsenter_end_as(wstatus);
}

int
main(int argc, char **argv)
{
	TenderNsenterArgs args = {0};
	static TenderPrivdrop drop;
	int fds[TENDER_NSENTER_N_NS];
	int root_fd = -1;
	int flags;
	int new_pid = 0;
	int pidfd;
	int tty = -1;
	int rc;
	struct rlimit limits[RLIM_NLIMITS];
	int have[RLIM_NLIMITS];
	struct pollfd alive = {.events = POLLIN};

	if (tender_nsenter_parse_args(argc, argv, &args) < 0) {
		tender_nsenter_usage();
		return 2;
	}
	(void)fcntl(TENDER_NSENTER_STATUS_FD, F_SETFD, FD_CLOEXEC);
	tender_nsenter_read_environ();
	if (args.tty)
		(void)fcntl(TENDER_NSENTER_TTY_FD, F_SETFD, FD_CLOEXEC);
	if (args.uid != NULL) {
		cap_value_t keep[TENDER_PRIVDROP_CAPS_MAX];
		int n_keep = tender_privdrop_parse_caps(args.caps, keep, TENDER_PRIVDROP_CAPS_MAX);
		long uid = 0;
		long gid = 0;
		if (n_keep < 0 || tender_nsenter_parse_number(args.uid, UINT_MAX - 1, &uid) < 0 ||
		    tender_nsenter_parse_number(args.gid, UINT_MAX - 1, &gid) < 0) {
			tender_nsenter_usage();
			return 2;
		}
		rc = tender_privdrop_init(&drop, (uid_t)uid, (gid_t)gid, keep, n_keep);
		if (rc < 0)
			tender_nsenter_fail("user", -rc);
	} else if (args.strict) {
		/* strict: root, but without a single capability, as tender-shim runs it */
		rc = tender_privdrop_init(&drop, 0, 0, NULL, 0);
		if (rc < 0)
			tender_nsenter_fail("user", -rc);
	}

	/* the process stays the same while we read its files: they are its own */
	pidfd = pidfd_open(args.pid, 0);
	if (pidfd < 0)
		tender_nsenter_fail("target", errno);
	tender_nsenter_join_cgroups(args.pid, args.scope);
	flags = tender_nsenter_open_namespaces(args.pid, fds, &root_fd, &new_pid);
	tender_nsenter_read_limits(args.pid, limits, have);
	alive.fd = pidfd;
	if (poll(&alive, 1, 0) != 0)
		tender_nsenter_fail("target", ESRCH);
	tender_nsenter_enter(pidfd, fds, flags, root_fd);
	close(pidfd);
	if (args.cwd != NULL && chdir(args.cwd) < 0)
		tender_nsenter_fail("directory", errno);
	if (args.tty)
		tty = tender_nsenter_open_tty(&args);

	tender_nsenter_apply_limits(limits, have);
	if (new_pid)
		tender_nsenter_fork(&args, args.uid != NULL || args.strict ? &drop : NULL, tty);
	tender_nsenter_report_pid(getpid());
	tender_nsenter_exec(&args, args.uid != NULL || args.strict ? &drop : NULL, tty);
	return 127;
}
