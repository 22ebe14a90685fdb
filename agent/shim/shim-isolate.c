/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: starting the command, at its isolation level.
 *
 * minimal: the command is forked as it always was, with the spec's rlimits.
 *
 * standard and strict: the command's first process is clone()d into new mount, PID, IPC and
 * UTS namespaces (and a network namespace of its own unless the network is the host's), so the
 * shim itself stays in the host's, supervising as before (its relay, its exit record, the
 * hooks, as root, outside the container).  That process sets the container up from the inside
 * (the hostname, the loopback, the root filesystem of shim-mounts.c, the working directory, the
 * rlimits), drops the privileges (strict: every capability the spec does not keep, even as
 * root), loads the seccomp filter (strict), then either executes the command as the
 * container's PID 1 or, with --init, forks it and becomes the minimal init of shim-init.c.
 *
 * With --network private, the container's first process waits, before anything else, until
 * tenderd has joined its network namespace to the bridge: the shim says "N <pid>" on fd 4,
 * tenderd answers "N <address>" on fd 3 once the veth is in place, and the shim hands the
 * address on over a pipe (it goes into /etc/hosts).  If tenderd closes fd 3 instead, the shim
 * kills the container's first process and the start fails with tenderd's reason.
 *
 * The container side reports to the shim over a SOCK_SEQPACKET socket: "F" with an errno and a
 * reason for a set-up or exec that failed, "C" from the command just before it is executed; the
 * kernel attaches the sender's credentials to it (SO_PASSCRED), with its PID as the host sees it,
 * which is the workload's MainPID when init stands between.  The socket is at its end once
 * every process of the container has executed or exited.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shim-private.h"

/* what the container side says to the shim */
typedef struct {
	char kind; /* 'F' failed, 'C' the command is about to be executed */
	int err;
	char why[TENDER_SHIM_WHY_MAX];
} TenderShimReport;

static const struct {
	int resource;
	const char *name;
} tender_shim_rlimit_names[] = {
    {RLIMIT_NOFILE, "nofile"},
    {RLIMIT_NPROC, "nproc"},
    {RLIMIT_AS, "as"},
    {RLIMIT_CORE, "core"},
    {RLIMIT_FSIZE, "fsize"},
    {RLIMIT_STACK, "stack"},
    {RLIMIT_MEMLOCK, "memlock"},
    {RLIMIT_CPU, "cpu"},
};

const char *
tender_shim_isolation_to_string(TenderShimIsolation isolation)
{
	switch (isolation) {
	case TENDER_SHIM_ISOLATION_STANDARD:
		return "standard";
	case TENDER_SHIM_ISOLATION_STRICT:
		return "strict";
	default:
		return "minimal";
	}
}

static void
tender_shim_report(int fd, char kind, int err, const char *why)
{
	static TenderShimReport report;

	memset(&report, 0, sizeof(report));
	report.kind = kind;
	report.err = err;
	if (why != NULL)
		snprintf(report.why, sizeof(report.why), "%s", why);
	(void)send(fd, &report, sizeof(report), MSG_NOSIGNAL);
}

/* the set-up failed: says why, and ends the container */
static void __attribute__((noreturn))
tender_shim_child_fail(int report_fd, int err, const char *why)
{
	tender_shim_report(report_fd, 'F', err, why);
	_exit(127);
}

/* "LEVEL: WHAT: strerror(errno)", then the end */
static void __attribute__((noreturn))
tender_shim_child_fail_errno(int report_fd, const TenderShimArgs *args, const char *what)
{
	static char why[TENDER_SHIM_WHY_MAX];
	int saved = errno;

	snprintf(why,
		 sizeof(why),
		 "%s: %s: %s",
		 tender_shim_isolation_to_string(args->isolation),
		 what,
		 strerror(saved));
	tender_shim_child_fail(report_fd, saved, why);
}

/* the spec's rlimits, soft and hard alike, at every level */
static void
tender_shim_apply_rlimits(const TenderShimArgs *args, int report_fd)
{
	for (int i = 0; i < args->n_rlimits; i++) {
		const TenderShimRlimit *r = &args->rlimits[i];
		struct rlimit rl = {.rlim_cur = (rlim_t)r->value, .rlim_max = (rlim_t)r->value};
		const char *name = "?";
		char what[64];
		for (size_t j = 0;
		     j < sizeof(tender_shim_rlimit_names) / sizeof(tender_shim_rlimit_names[0]);
		     j++) {
			if (tender_shim_rlimit_names[j].resource == r->resource)
				name = tender_shim_rlimit_names[j].name;
		}
		if (setrlimit((__rlimit_resource_t)r->resource, &rl) < 0) {
			snprintf(what, sizeof(what), "rlimit %s %llu", name, r->value);
			tender_shim_child_fail_errno(report_fd, args, what);
		}
	}
}

/* the loopback of a network namespace of the container's own */
static int
tender_shim_loopback_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return rc;
}

/* the command's own process: says so (with its credentials), then executes it */
static void __attribute__((noreturn))
tender_shim_exec_command(const TenderShimArgs *args, int report_fd)
{
	tender_shim_report(report_fd, 'C', 0, NULL);
	execvp(args->argv[0], args->argv);
	tender_shim_child_fail(report_fd, errno, NULL);
}

/* the privileges go: the spec's user, group and capabilities (strict: no capability but
 * those the spec keeps, root or not); a failure says only its errno, as a failed exec */
static void
tender_shim_drop_privileges(const TenderPrivdrop *drop, int report_fd)
{
	int rc;

	if (drop == NULL)
		return;
	rc = tender_privdrop_apply(drop);
	if (rc < 0)
		tender_shim_child_fail(report_fd, -rc, NULL);
}

/* minimal: a plain fork, as always, with the rlimits */
static void __attribute__((noreturn)) tender_shim_minimal_child(const TenderShimArgs *args,
								const TenderPrivdrop *drop,
								int report_fd,
								int out_fd,
								int errout_fd,
								const char *oom_adj)
{
	tender_shim_child_setup(out_fd, errout_fd, oom_adj);
	tender_shim_apply_rlimits(args, report_fd);
	tender_shim_drop_privileges(drop, report_fd);
	tender_shim_exec_command(args, report_fd);
}

/* standard and strict: the container's first process, in its new namespaces */
static void __attribute__((noreturn)) tender_shim_isolated_child(const TenderShimArgs *args,
								 const TenderPrivdrop *drop,
								 int report_fd,
								 int init_fd,
								 int net_fd,
								 int out_fd,
								 int errout_fd,
								 const char *oom_adj)
{
	static char why[TENDER_SHIM_WHY_MAX];
	static TenderShimArgs joined;
	const char *hostname = args->hostname != NULL ? args->hostname : args->name;
	const char *level = tender_shim_isolation_to_string(args->isolation);
	sigset_t set;
	pid_t command;

	/* the private network first: the shim ends us if tenderd could not join it */
	if (net_fd >= 0) {
		static char address[64];
		if (tender_shim_read_line(net_fd, address, sizeof(address)) < 0)
			_exit(127);
		close(net_fd);
		joined = *args;
		joined.address = address;
		args = &joined;
	}
	tender_shim_child_setup(out_fd, errout_fd, oom_adj);
	if (sethostname(hostname, strlen(hostname)) < 0)
		tender_shim_child_fail_errno(report_fd, args, "sethostname");
	if (args->network != TENDER_SHIM_NETWORK_HOST && tender_shim_loopback_up() < 0)
		tender_shim_child_fail_errno(report_fd, args, "bring lo up");
	if (tender_shim_mounts_setup(args, why, sizeof(why)) < 0)
		tender_shim_child_fail(report_fd, errno, why);
	if (chdir(args->workdir != NULL ? args->workdir : "/") < 0) {
		int saved = errno;
		snprintf(why,
			 sizeof(why),
			 "%s: working directory %s: %s",
			 level,
			 args->workdir,
			 strerror(saved));
		tender_shim_child_fail(report_fd, saved, why);
	}
	tender_shim_apply_rlimits(args, report_fd);
	tender_shim_drop_privileges(drop, report_fd);
	if (args->isolation == TENDER_SHIM_ISOLATION_STRICT) {
		char seccomp_why[TENDER_SHIM_WHY_MAX - 16];
		if (tender_shim_seccomp_load(seccomp_why, sizeof(seccomp_why)) < 0) {
			int saved = errno;
			snprintf(why, sizeof(why), "%s: %s", level, seccomp_why);
			tender_shim_child_fail(report_fd, saved, why);
		}
	}
	if (!args->init)
		tender_shim_exec_command(args, report_fd);

	/* init: the signals it forwards and SIGCHLD wait for it from before the fork on */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGQUIT);
	(void)sigprocmask(SIG_BLOCK, &set, NULL);
	command = fork();
	if (command < 0)
		tender_shim_child_fail_errno(report_fd, args, "fork the command");
	if (command == 0) {
		sigemptyset(&set);
		(void)sigprocmask(SIG_SETMASK, &set, NULL);
		close(init_fd);
		tender_shim_exec_command(args, report_fd);
	}
	close(report_fd);
	tender_shim_init_run(command, init_fd);
}

/* the reports of the container side, until every process of it has executed or exited */
static void
tender_shim_read_reports(int fd, TenderShimSpawn *spawn)
{
	TenderShimReport report;
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control;

	for (;;) {
		struct iovec iov = {.iov_base = &report, .iov_len = sizeof(report)};
		struct msghdr msg = {
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		    .msg_control = control.buf,
		    .msg_controllen = sizeof(control.buf),
		};
		struct cmsghdr *cmsg;
		ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n < sizeof(report)) {
			/* nothing the container side sends: an exec that went wrong somehow */
			if (spawn->err == 0)
				spawn->err = EIO;
			continue;
		}
		if (report.kind == 'F' && spawn->err == 0) {
			spawn->err = report.err != 0 ? report.err : EIO;
			report.why[sizeof(report.why) - 1] = '\0';
			snprintf(spawn->why, sizeof(spawn->why), "%s", report.why);
			continue;
		}
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
			struct ucred cred;
			if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_CREDENTIALS)
				continue;
			memcpy(&cred, CMSG_DATA(cmsg), sizeof(cred));
			if (report.kind == 'C' && cred.pid > 0)
				spawn->main_pid = cred.pid;
		}
	}
}

/* the namespaces of a container at @args' level */
static unsigned long
tender_shim_clone_flags(const TenderShimArgs *args)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS;

	if (args->network != TENDER_SHIM_NETWORK_HOST)
		flags |= CLONE_NEWNET;
	return flags;
}

static void
tender_shim_close_pair(int fds[2])
{
	for (int i = 0; i < 2; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/*
 * --network private: tells tenderd the container's first process ("N <pid>" on fd 4), waits
 * for its answer ("N <address>" on fd 3) and hands it on over @net_fd.  Returns -1 if tenderd
 * gave none: the start failed on its side, and its reason is the one that counts.
 */
static int
tender_shim_join_network(pid_t child, int net_fd, TenderShimSpawn *spawn)
{
	char line[80];
	int n;

	n = snprintf(line, sizeof(line), "N %d\n", (int)child);
	if (tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, (size_t)n) < 0 ||
	    tender_shim_read_line(TENDER_SHIM_GO_FD, line, sizeof(line)) < 0 || line[0] != 'N' ||
	    line[1] != ' ') {
		close(TENDER_SHIM_GO_FD);
		spawn->err = ENETUNREACH;
		snprintf(spawn->why,
			 sizeof(spawn->why),
			 "network private: tenderd did not join it");
		return -1;
	}
	close(TENDER_SHIM_GO_FD);
	n = (int)strlen(line);
	line[n] = '\n';
	return tender_shim_write_full(net_fd, line + 2, (size_t)n - 1);
}

/**
 * tender_shim_spawn_command:
 * @args: the shim's arguments
 * @drop: (nullable): the privileges to drop to
 * @out_fd: the write end of the command's stdout pipe
 * @errout_fd: the write end of its stderr pipe
 * @oom_adj: the command's oom_score_adj, "" to leave it
 * @spawn: (out): how it went
 *
 * Forks (minimal) or clones (standard, strict) the command's first process and waits until
 * every process of it has executed the command, or failed.
 *
 * Returns: the shim's child, or -1 with errno if it could not be made
 */
pid_t
tender_shim_spawn_command(const TenderShimArgs *args,
			  const TenderPrivdrop *drop,
			  int out_fd,
			  int errout_fd,
			  const char *oom_adj,
			  TenderShimSpawn *spawn)
{
	int isolated = args->isolation != TENDER_SHIM_ISOLATION_MINIMAL;
	int private_network = isolated && args->network == TENDER_SHIM_NETWORK_PRIVATE;
	int report[2] = {-1, -1};
	int init[2] = {-1, -1};
	int net[2] = {-1, -1};
	int one = 1;
	int saved;
	pid_t child;

	memset(spawn, 0, sizeof(*spawn));
	spawn->init_fd = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, report) < 0)
		return -1;
	if (setsockopt(report[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    (isolated && args->init && pipe2(init, O_CLOEXEC) < 0) ||
	    (private_network && pipe2(net, O_CLOEXEC) < 0)) {
		saved = errno;
		tender_shim_close_pair(report);
		tender_shim_close_pair(init);
		errno = saved;
		return -1;
	}
	/* clone() as fork(): the child goes on from here, on a copy of this stack */
	if (isolated)
		child = (pid_t)syscall(SYS_clone,
				       tender_shim_clone_flags(args) | SIGCHLD,
				       NULL,
				       NULL,
				       NULL,
				       NULL);
	else
		child = fork();
	if (child < 0) {
		saved = errno;
		tender_shim_close_pair(report);
		tender_shim_close_pair(init);
		tender_shim_close_pair(net);
		errno = saved;
		return -1;
	}
	if (child == 0) {
		close(report[0]);
		if (init[0] >= 0)
			close(init[0]);
		if (net[1] >= 0)
			close(net[1]);
		if (isolated)
			tender_shim_isolated_child(args,
						   drop,
						   report[1],
						   init[1],
						   net[0],
						   out_fd,
						   errout_fd,
						   oom_adj);
		tender_shim_minimal_child(args, drop, report[1], out_fd, errout_fd, oom_adj);
	}
	close(report[1]);
	if (init[1] >= 0)
		close(init[1]);
	if (net[0] >= 0)
		close(net[0]);
	if (private_network && tender_shim_join_network(child, net[1], spawn) < 0)
		(void)kill(child, SIGKILL);
	if (net[1] >= 0)
		close(net[1]);
	spawn->child = child;
	spawn->main_pid = child;
	spawn->init_fd = init[0];
	if (spawn->init_fd >= 0)
		(void)fcntl(spawn->init_fd, F_SETFL, O_NONBLOCK);
	tender_shim_read_reports(report[0], spawn);
	close(report[0]);
	return child;
}

/**
 * tender_shim_command_status:
 * @spawn: the command's spawn
 * @wstatus: the wait status of the shim's child
 *
 * Returns: the command's wait status: @wstatus, or what init said of the command
 */
int
tender_shim_command_status(TenderShimSpawn *spawn, int wstatus)
{
	int status;

	if (spawn->init_fd < 0)
		return wstatus;
	if (tender_shim_read_full(spawn->init_fd, &status, sizeof(status)) == sizeof(status))
		wstatus = status;
	close(spawn->init_fd);
	spawn->init_fd = -1;
	return wstatus;
}
