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

#define TENDER_SHIM_GO_FD     3
#define TENDER_SHIM_STATUS_FD 4

/* how many --pre-start hooks there may be, and how many --post-stop hooks */
#define TENDER_SHIM_HOOKS_MAX 16
/* how much of a failed hook's stderr goes into the reason */
#define TENDER_SHIM_HOOK_TAIL 4096

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
} TenderShimArgs;

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

/* shim-io.c */
int64_t
tender_shim_now_usec(void);
int64_t
tender_shim_monotonic_msec(void);
ssize_t
tender_shim_read_full(int fd, void *buf, size_t len);
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
