/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * tender-shim: the first process of a workload's scope.
 *
 *   tender-shim --name NAME --record PATH --run-id ID [--uid UID --gid GID --caps LIST]
 *               [--pre-start N HOOK-ARG...]... [--post-stop N HOOK-ARG...]...
 *               [--rlimit RESOURCE VALUE]... [--isolation minimal|standard|strict
 *               [--root-image LOWER UPPER WORK | --root-dir DIR] [--read-only-root]
 *               [--volume SRC DST ro|rw]... [--hostname NAME] [--network host|none|private]
 *               [--init] [--workdir DIR]] -- COMMAND [ARG...]
 *
 * tenderd spawns it with two pipes: fd 3, from which it reads one byte once tenderd has moved
 * it into the workload's scope (EOF instead means "give up"), and fd 4, on which it reports
 * "R <pid>" once COMMAND has been executed or "E <errno>" if it could not be.  With --network
 * private, "N <pid>" on fd 4 and "N <address>" on fd 3 come between (see shim-isolate.c).  Only
 * then, from inside the scope, does it fork and execute COMMAND, so the command never runs outside
 * its limits.  It reaps COMMAND, kills whatever COMMAND left behind in the scope, and writes the
 * exit status to PATH (atomically) before it exits, so the status survives tenderd.
 *
 * COMMAND's stdout and stderr are pipes to the shim, which relays each line to the journal in
 * journald's native protocol (shim-journal.c, no libsystemd): TENDER_WORKLOAD=NAME,
 * TENDER_STREAM=stdout|stderr, PRIORITY 6 or 3, SYSLOG_IDENTIFIER (the command's base name, a
 * hook's, or tender-shim for its own lines) and OBJECT_SYSTEMD_UNIT=tender-NAME.scope, so that
 * `journalctl -u` finds every line even when journald could not see the sender's cgroup any
 * more.  It reads the pipes while COMMAND runs, so COMMAND never waits on a full pipe for long,
 * and its memory stays the same however much COMMAND prints: one buffer per stream; longer lines
 * are split.
 *
 * Before COMMAND, each --pre-start hook (N arguments follow) runs to completion, as root, in
 * the scope, with the shim's environment and working directory; its output goes to the journal
 * as COMMAND's does.  A hook that fails (or runs longer than TENDER_SHIM_HOOK_TIMEOUT_SEC) ends
 * the shim: it reports "P <why>" on fd 4, with the tail of the hook's stderr, and COMMAND never
 * runs.  With --uid, COMMAND (only COMMAND, not the hooks) runs as UID and GID with no other
 * group, no capability but those of LIST (numbers separated by commas, kept as ambient) in any
 * set, the bounding set included, and no_new_privs.  Each --rlimit (RESOURCE an RLIMIT_*
 * number) sets a soft and hard limit of COMMAND.
 *
 * With --isolation standard or strict, COMMAND runs in a container that its first process sets
 * up in new namespaces (see shim-isolate.c and shim-mounts.c), and "E <errno> <why>" on fd 4
 * says why a set-up failed.  The shim itself, its hooks included, stays in the host's.
 *
 * Once COMMAND has ended, however it ended (exited, killed, not executed, or not run because a
 * pre_start hook failed), and the scope is empty but for the shim, each --post-stop hook runs
 * in turn as the pre_start hooks do, with TENDER_EXIT_CODE and TENDER_EXIT_STATUS added to the
 * environment; a hook that fails is logged to the journal and the next one runs.  Only then is
 * the exit record written and does the shim exit, so the run ends after its hooks.  tenderd
 * sends SIGUSR1 once a stop's timeout has passed: it ends the post_stop hooks (the one that
 * runs is killed, the others are not run), and changes nothing before them.
 *
 * It uses no GLib: it lives as long as the workload and should cost next to nothing.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim-private.h"
#include "tender-privdrop.h"

extern char **environ;

static void
tender_shim_usage(void)
{
	fprintf(stderr,
		"Usage: tender-shim --name NAME --record PATH --run-id ID [--uid UID --gid GID "
		"--caps LIST] [--pre-start N HOOK-ARG...]... [--post-stop N HOOK-ARG...]... "
		"[--rlimit RESOURCE VALUE]... [--isolation minimal|standard|strict [--root-image "
		"LOWER UPPER WORK | --root-dir DIR] [--read-only-root] [--volume SRC DST ro|rw]... "
		"[--hostname NAME] [--network host|none|private] [--init] [--workdir DIR]] -- "
		"COMMAND [ARG...]\n"
		"tender-shim is started by tenderd; it is not meant to be run by hand.\n");
}

/* the index of @text in @choices, or -1 */
static int
tender_shim_parse_choice(const char *text, const char *const *choices)
{
	for (int i = 0; choices[i] != NULL; i++) {
		if (strcmp(text, choices[i]) == 0)
			return i;
	}
	return -1;
}

/* the arguments of the isolation (see shim-isolate.c); returns how many arguments it took
 * after argv[i], or -1 if argv[i] is none of them or they are wrong */
static int
tender_shim_parse_isolation_arg(int argc, char **argv, int i, TenderShimArgs *args)
{
	/* in the order of TenderShimIsolation and TenderShimNetwork */
	const char *const levels[] = {"minimal", "standard", "strict", NULL};
	const char *const networks[] = {"host", "none", "private", NULL};
	const char *arg = argv[i];
	int left = argc - i - 1;
	char *end = NULL;

	if (strcmp(arg, "--read-only-root") == 0) {
		args->read_only_root = 1;
		return 0;
	}
	if (strcmp(arg, "--init") == 0) {
		args->init = 1;
		return 0;
	}
	if (strcmp(arg, "--isolation") == 0 && left >= 1) {
		int level = tender_shim_parse_choice(argv[i + 1], levels);
		args->isolation = (TenderShimIsolation)level;
		return level < 0 ? -1 : 1;
	}
	if (strcmp(arg, "--network") == 0 && left >= 1) {
		int network = tender_shim_parse_choice(argv[i + 1], networks);
		args->network = (TenderShimNetwork)network;
		return network < 0 ? -1 : 1;
	}
	if (strcmp(arg, "--root-image") == 0 && left >= 3) {
		args->root_lower = argv[i + 1];
		args->root_upper = argv[i + 2];
		args->root_work = argv[i + 3];
		return 3;
	}
	if (strcmp(arg, "--root-dir") == 0 && left >= 1) {
		args->root_dir = argv[i + 1];
		return 1;
	}
	if (strcmp(arg, "--hostname") == 0 && left >= 1) {
		args->hostname = argv[i + 1];
		return 1;
	}
	if (strcmp(arg, "--workdir") == 0 && left >= 1) {
		args->workdir = argv[i + 1];
		return 1;
	}
	if (strcmp(arg, "--volume") == 0 && left >= 3) {
		TenderShimVolume *v = &args->volumes[args->n_volumes++];
		const char *mode = argv[i + 3];
		if (argv[i + 1][0] != '/' || argv[i + 2][0] != '/' ||
		    (strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0))
			return -1;
		v->source = argv[i + 1];
		v->destination = argv[i + 2];
		v->read_only = strcmp(mode, "ro") == 0;
		return 3;
	}
	if (strcmp(arg, "--rlimit") == 0 && left >= 2) {
		TenderShimRlimit *r = &args->rlimits[args->n_rlimits++];
		long resource = strtol(argv[i + 1], &end, 10);
		if (*end != '\0' || resource < 0 || resource >= RLIM_NLIMITS)
			return -1;
		r->resource = (int)resource;
		r->value = strtoull(argv[i + 2], &end, 10);
		if (*end != '\0' || argv[i + 2][0] == '-')
			return -1;
		return 2;
	}
	return -1;
}

/* the isolation's arguments agree with each other */
static int
tender_shim_check_isolation_args(const TenderShimArgs *args)
{
	if (args->root_lower != NULL && args->root_dir != NULL)
		return -1;
	if (args->isolation != TENDER_SHIM_ISOLATION_MINIMAL)
		return 0;
	/* without namespaces, only the rlimits apply */
	if (args->root_lower != NULL || args->root_dir != NULL || args->read_only_root ||
	    args->n_volumes > 0 || args->hostname != NULL ||
	    args->network != TENDER_SHIM_NETWORK_HOST || args->init || args->workdir != NULL)
		return -1;
	return 0;
}

static int
tender_shim_parse_args(int argc, char **argv, TenderShimArgs *args)
{
	/* at most one volume or rlimit per three arguments */
	args->volumes = calloc((size_t)argc / 3 + 1, sizeof(TenderShimVolume));
	args->rlimits = calloc((size_t)argc / 3 + 1, sizeof(TenderShimRlimit));
	if (args->volumes == NULL || args->rlimits == NULL)
		return -1;
	for (int i = 1; i < argc; i++) {
		int taken;
		if (strcmp(argv[i], "--") == 0) {
			if (i + 1 >= argc)
				return -1;
			args->argv = argv + i + 1;
			break;
		}
		if (strcmp(argv[i], "--pre-start") == 0 || strcmp(argv[i], "--post-stop") == 0) {
			int pre = strcmp(argv[i], "--pre-start") == 0;
			int *n_hooks = pre ? &args->n_hooks : &args->n_post_stop;
			char ***hooks = pre ? args->hooks : args->post_stop;
			long n = i + 1 < argc ? strtol(argv[i + 1], NULL, 10) : 0;
			char **hook;
			if (n <= 0 || n > argc - i - 2 || *n_hooks >= TENDER_SHIM_HOOKS_MAX)
				return -1;
			hook = calloc((size_t)n + 1, sizeof(char *));
			if (hook == NULL)
				return -1;
			memcpy(hook, argv + i + 2, sizeof(char *) * (size_t)n);
			hooks[(*n_hooks)++] = hook;
			i += 1 + (int)n;
			continue;
		}
		if (i + 1 < argc && strcmp(argv[i], "--name") == 0)
			args->name = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--record") == 0)
			args->record = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--run-id") == 0)
			args->run_id = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--uid") == 0)
			args->uid = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--gid") == 0)
			args->gid = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--caps") == 0)
			args->caps = argv[++i];
		else if ((taken = tender_shim_parse_isolation_arg(argc, argv, i, args)) >= 0)
			i += taken;
		else
			return -1;
	}
	args->drop = args->uid != NULL;
	if (args->drop && (args->gid == NULL || args->caps == NULL))
		return -1;
	if (args->name == NULL || args->record == NULL || args->run_id == NULL ||
	    args->argv == NULL)
		return -1;
	return tender_shim_check_isolation_args(args);
}

/* in the child, between fork and exec: only async-signal-safe calls */
void
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

/* tells tenderd "R <pid>" once the command runs, or "E <errno>[ <why>]" if it could not be
 * set up or executed; the reason on one line */
static void
tender_shim_write_status(const TenderShimSpawn *spawn)
{
	static char line[TENDER_SHIM_WHY_MAX + 32];
	int n;

	if (spawn->err == 0)
		n = snprintf(line, sizeof(line), "R %d\n", (int)spawn->main_pid);
	else
		n = snprintf(line,
			     sizeof(line),
			     "E %d%s%s\n",
			     spawn->err,
			     spawn->why[0] != '\0' ? " " : "",
			     spawn->why);
	for (int i = 0; i < n - 1; i++) {
		if ((unsigned char)line[i] < ' ')
			line[i] = ' ';
	}
	(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
	close(TENDER_SHIM_STATUS_FD);
}

/*
 * The command has ended (or never ran) and the scope is empty but for us: the post_stop hooks,
 * then the exit record.  @end's time is the command's end, before the hooks.  Returns the
 * shim's exit status: 0, or 5 if the record cannot be written.
 */
static int
tender_shim_finish(const TenderShimArgs *args,
		   TenderShimRelay *relay,
		   int sig_fd,
		   const char *oom_adj,
		   TenderShimExit *end)
{
	end->ended = tender_shim_now_usec();
	tender_shim_run_post_stop(args, relay, sig_fd, oom_adj, end);
	return tender_shim_write_record(args->record, args->run_id, end) < 0 ? 5 : 0;
}

/*
 * The shim leaves at once when main() returns: nothing of it needs to run at exit, and in a
 * build with LeakSanitizer the exit-time leak check would clone a tracer into the scope,
 * where a stop's SIGKILL escalation (which spares only the shim) can kill it and leave the
 * shim waiting for its tracer forever, with the workload never ending.
 */
static void
tender_shim_on_exit(int status, void *user_data)
{
	(void)user_data;
	(void)fflush(NULL);
	_exit(status);
}

int
main(int argc, char **argv)
{
	static TenderShimArgs args;
	static TenderShimRelay relay;
	static TenderPrivdrop drop;
	TenderShimExit end = {.exit_code = -1, .oom_kills = -1LL};
	int timed_out = 0;
	struct sigaction ign = {.sa_handler = SIG_IGN};
	struct sigaction alarm_sa = {.sa_handler = tender_shim_alarm_cb};
	struct sigaction stop_sa = {.sa_handler = tender_shim_stop_cb, .sa_flags = SA_RESTART};
	sigset_t chld;
	const int ignored[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2, SIGPIPE};
	char go = 0;
	char oom_adj[32] = "";
	char line[64];
	static TenderShimSpawn spawn;
	int out_pipe[2];
	int errout_pipe[2];
	int sig_fd;
	int child_errno = 0;
	int wstatus = 0;
	pid_t child;

	(void)on_exit(tender_shim_on_exit, NULL);
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
	/* tenderd's word that a stop's timeout has passed */
	(void)sigaction(SIGUSR1, &stop_sa, NULL);
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	(void)prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);

	/* wait until tenderd has moved us into the scope */
	if (tender_shim_read_full(TENDER_SHIM_GO_FD, &go, 1) != 1 || go != 'G')
		return 3;
	/* the private network needs a second word from tenderd (see shim-isolate.c) */
	if (args.network != TENDER_SHIM_NETWORK_PRIVATE)
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

	end.started = tender_shim_now_usec();
	/* the pre_start hooks, as root, in the scope, before the command */
	if (tender_shim_run_pre_start(&args, &relay, sig_fd, oom_adj, &end.hook_status) < 0) {
		end.status = "pre-start-failed";
		(void)tender_shim_finish(&args, &relay, sig_fd, oom_adj, &end);
		return 0;
	}

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
	} else if (args.isolation == TENDER_SHIM_ISOLATION_STRICT) {
		/* strict: root, but without a single capability */
		if (tender_privdrop_init(&drop, 0, 0, NULL, 0) < 0)
			return 4;
		args.drop = 1;
	}
	if (tender_shim_relay_open_pipes(&relay, NULL, out_pipe, errout_pipe) < 0)
		return 4;

	child = tender_shim_spawn_command(&args,
					  args.drop ? &drop : NULL,
					  out_pipe[1],
					  errout_pipe[1],
					  oom_adj,
					  &spawn);
	if (child < 0)
		end.err = errno;
	/* the container's processes hold the write ends now: the pipes end with them */
	close(out_pipe[1]);
	close(errout_pipe[1]);
	tender_privdrop_clear(&drop);
	if (child < 0) {
		snprintf(line, sizeof(line), "E %d\n", end.err);
		(void)tender_shim_write_full(TENDER_SHIM_STATUS_FD, line, strlen(line));
		close(TENDER_SHIM_STATUS_FD);
		tender_shim_relay_drain(&relay);
		end.status = "fork-failed";
		(void)tender_shim_finish(&args, &relay, sig_fd, oom_adj, &end);
		return 4;
	}

	child_errno = spawn.err;
	tender_shim_write_status(&spawn);

	/* relay and reap until the workload itself is gone; orphans of it come to us as
	 * subreaper */
	wstatus = tender_shim_relay_until_exit(&relay, sig_fd, child, 0, &timed_out);
	wstatus = tender_shim_command_status(&spawn, wstatus);
	/* read while the scope still exists: the kernel's own count, not a guess from SIGKILL */
	end.oom_kills = tender_shim_read_oom_kills();
	tender_shim_cleanup_scope();
	/* nothing is left to write into the pipes: the rest of the output, then the record */
	tender_shim_relay_drain(&relay);

	end.main_pid = spawn.main_pid;
	if (child_errno != 0) {
		end.status = "exec-failed";
		end.err = child_errno;
	} else if (WIFEXITED(wstatus)) {
		end.status = "exited";
		end.exit_code = WEXITSTATUS(wstatus);
	} else {
		end.status = "killed";
		end.signo = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	}
	return tender_shim_finish(&args, &relay, sig_fd, oom_adj, &end);
}
