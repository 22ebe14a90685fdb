/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* what the parts of tender-shim share; plain C, no GLib */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tender-line-buffer.h"
#include "shim-seccomp.h"
#include "tender-privdrop.h"

#define TENDER_SHIM_GO_FD     3
#define TENDER_SHIM_STATUS_FD 4

/* how many --pre-start hooks there may be, and how many --post-stop hooks */
#define TENDER_SHIM_HOOKS_MAX 16
/* how much of a failed hook's stderr goes into the reason */
#define TENDER_SHIM_HOOK_TAIL 4096
/* how long the reason of a failed set-up of the command may be */
#define TENDER_SHIM_WHY_MAX 512

/* --isolation: minimal is what there is without it (no namespaces) */
typedef enum {
	TENDER_SHIM_ISOLATION_MINIMAL,
	TENDER_SHIM_ISOLATION_STANDARD,
	TENDER_SHIM_ISOLATION_STRICT,
} TenderShimIsolation;

/* --network */
typedef enum {
	TENDER_SHIM_NETWORK_HOST,
	TENDER_SHIM_NETWORK_NONE,
	TENDER_SHIM_NETWORK_PRIVATE,
} TenderShimNetwork;

/* --volume SRC DST ro|rw */
typedef struct {
	const char *source;
	const char *destination;
	int read_only;
} TenderShimVolume;

/* --rlimit RESOURCE VALUE: soft and hard limit alike */
typedef struct {
	int resource;
	unsigned long long value;
} TenderShimRlimit;

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
	int n_post_stop;
	char **post_stop[TENDER_SHIM_HOOKS_MAX];
	/* the isolation of the command (see shim-isolate.c) */
	TenderShimIsolation isolation;
	const char *root_lower; /* --root-image LOWER UPPER WORK */
	const char *root_upper;
	const char *root_work;
	const char *root_dir; /* --root-dir DIR */
	int read_only_root;
	int n_volumes;
	TenderShimVolume *volumes;
	const char *hostname;
	TenderShimNetwork network;
	int n_rlimits;
	TenderShimRlimit *rlimits;
	int init;
	const char *workdir; /* --workdir: inside the container */
	/* --network private: the container's address, as tenderd gave it once it had joined the
	 * container's namespace to the bridge; set in the container's first process only */
	const char *address;
} TenderShimArgs;

/* how the command was started: what tender_shim_spawn_command() says */
typedef struct {
	pid_t child;	/* the shim's child: the command, or the container's init */
	pid_t main_pid; /* the command as the host sees it */
	int err;	/* the errno of a failed set-up or exec, 0 once it runs */
	int init_fd;	/* with --init: where init says how the command ended, else -1 */
	char why[TENDER_SHIM_WHY_MAX]; /* a failed set-up: why, "" for a failed exec */
} TenderShimSpawn;

/* how a run ended, as the exit record and the post_stop hooks' environment have it */
typedef struct {
	const char *status; /* exited, killed, exec-failed, fork-failed or pre-start-failed */
	pid_t main_pid;	    /* 0 if the command was never forked */
	int exit_code;	    /* its exit status, -1 unless "exited" */
	int signo;	    /* the signal that killed it, 0 unless "killed" */
	int err;	    /* the errno of exec-failed and fork-failed */
	int hook_status;    /* pre-start-failed: the failed hook's status or signal */
	long long oom_kills;
	int64_t started;
	int64_t ended;
} TenderShimExit;

/* how much of a pipe is read at once */
#define TENDER_SHIM_READ_CHUNK TENDER_LINE_BUFFER_MAX

typedef struct {
	int fd;	 /* our end of the pipe, -1 once at its end */
	int fed; /* its line buffer has been fed since the last tender_shim_relay_reset() */
	const char *priority;
	const char *stream;
	TenderLineBuffer *lines;
} TenderShimStream;

/*
 * The relay's buffers, a static of shim-relay.c apart from the relay's small fields: a page of
 * them is written (and resident) only once output has come that far, so that a workload that
 * prints nothing costs none of them.  Not even read before: on a kernel without the shared zero
 * page, a read fault makes a page resident too.
 */
typedef struct {
	/* while a hook runs: the last bytes of its stderr */
	char tail[TENDER_SHIM_HOOK_TAIL];
	char message[sizeof("MESSAGE=") - 1 + TENDER_LINE_BUFFER_MAX];
	char chunk[TENDER_SHIM_READ_CHUNK];
	TenderLineBuffer out_lines;
	TenderLineBuffer err_lines;
} TenderShimRelayBuffers;

typedef struct {
	TenderShimStream out;
	TenderShimStream err;
	char workload[128];
	char unit[160];
	char ident[300];
	TenderShimStream *current;
	int keep_tail;
	size_t tail_len;
	TenderShimRelayBuffers *buffers;
} TenderShimRelay;

/* shim-io.c */
int64_t
tender_shim_now_usec(void);
int64_t
tender_shim_monotonic_msec(void);
ssize_t
tender_shim_read_full(int fd, void *buf, size_t len);
int
tender_shim_read_line(int fd, char *buf, size_t len);
int
tender_shim_write_full(int fd, const char *buf, size_t len);
int
tender_shim_read_small_file(const char *path, char *buf, size_t len);
void
tender_shim_write_small_file(const char *path, const char *text);

/* shim-scope.c */
long long
tender_shim_read_oom_kills(void);
void
tender_shim_cleanup_scope(void);

/* shim-record.c */
int
tender_shim_write_record(const char *path, const char *run_id, const TenderShimExit *end);

/* shim-relay.c */
void
tender_shim_alarm_cb(int signo);
void
tender_shim_relay_reset(TenderShimRelay *relay);
void
tender_shim_relay_init(TenderShimRelay *relay, const TenderShimArgs *args);
int
tender_shim_relay_until_exit(TenderShimRelay *relay,
			     int sig_fd,
			     pid_t child,
			     int64_t deadline,
			     int *timed_out);
void
tender_shim_relay_drain(TenderShimRelay *relay);
void
tender_shim_relay_send(TenderShimRelay *relay, const char *text);
int
tender_shim_relay_open_pipes(TenderShimRelay *relay,
			     int err_pipe[2],
			     int out_pipe[2],
			     int errout_pipe[2]);
int
tender_shim_relay_wait_exec(int err_pipe[2], int out_pipe[2], int errout_pipe[2]);

/* shim-hooks.c */
void
tender_shim_stop_cb(int signo);
int
tender_shim_run_pre_start(const TenderShimArgs *args,
			  TenderShimRelay *relay,
			  int sig_fd,
			  const char *oom_adj,
			  int *hook_status);
void
tender_shim_run_post_stop(const TenderShimArgs *args,
			  TenderShimRelay *relay,
			  int sig_fd,
			  const char *oom_adj,
			  const TenderShimExit *end);

/* tender-shim.c */
void
tender_shim_child_setup(int out_fd, int errout_fd, const char *oom_adj);

/* shim-isolate.c */
const char *
tender_shim_isolation_to_string(TenderShimIsolation isolation);
pid_t
tender_shim_spawn_command(const TenderShimArgs *args,
			  const TenderPrivdrop *drop,
			  int out_fd,
			  int errout_fd,
			  const char *oom_adj,
			  TenderShimSpawn *spawn);
int
tender_shim_command_status(TenderShimSpawn *spawn, int wstatus);

/* shim-mounts.c */
int
tender_shim_mounts_setup(const TenderShimArgs *args, char *why, size_t why_len);

/* shim-init.c */
void
tender_shim_init_run(pid_t command, int status_fd) __attribute__((noreturn));
