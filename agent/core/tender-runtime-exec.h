/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "tender-identity.h"

G_BEGIN_DECLS

/* how much of each stream ExecWorkload keeps by default, and at most */
#define TENDER_RUNTIME_EXEC_OUTPUT_DEFAULT (1024 * 1024)
#define TENDER_RUNTIME_EXEC_OUTPUT_MAX	   (16 * 1024 * 1024)
/* both streams together: a reply must fit in a message of the system bus (32 MiB) */
#define TENDER_RUNTIME_EXEC_OUTPUT_TOTAL_MAX (31 * 1024 * 1024)

/**
 * TenderRuntimeExecStartedFunc:
 * @pid: the command's process, as the host sees it
 * @data: the request's started_data
 *
 * Told once the command runs (it may have ended already), before the answer.
 */
typedef void (*TenderRuntimeExecStartedFunc)(guint32 pid, gpointer data);

/**
 * TenderRuntimeExec:
 *
 * One command of ExecWorkload: what the engine asks a runtime to run in a running workload,
 * and, once the runtime is done, how it ended.  The engine fills in the request, the runtime
 * the answer.
 */
typedef struct {
	/* the request */
	gchar **argv;
	gchar **envp; /* the command's whole environment */
	gchar **env;  /* the call's own variables, in envp already: a runtime that adds any
		       * (an image's Env) adds them under these */
	gchar *working_directory; /* inside the workload; NULL: the workload's own, which the
				   * runtime says (its spec's, else its image's, else /) */
	TenderIdentity *identity; /* the workload's user, group and capabilities */
	guint32 timeout_sec;	  /* SIGKILL after that long; 0: never */
	GBytes *stdin_data;	  /* fed to stdin, then its end; NULL: nothing (/dev/null) */
	guint64 max_output;	  /* of each of stdout and stderr kept; the rest is discarded */
	/* the caller's descriptors, owned; -1 where the stream is the request's (stdin_data) or
	 * the answer's (out, err) */
	gint stdin_fd;
	gint stdout_fd;
	gint stderr_fd;
	gboolean tty;	 /* stdin, stdout and stderr are a pty of the workload's own */
	gboolean strict; /* the workload is strict: no capability, its seccomp filter */
	guint16 rows;	 /* its size; 0 0: the kernel's default */
	guint16 columns;
	/* nullable: told the command's pid once it runs (tender_runtime_exec_report_started()) */
	TenderRuntimeExecStartedFunc started;
	gpointer started_data;

	/* the answer */
	gint exit_code; /* -1 if it was killed */
	gint signo;	/* the signal that killed it, 0 if it exited */
	GByteArray *out;
	GByteArray *err;
	gboolean truncated; /* more output came than max_output: the rest was discarded */
	guint32 pid;	    /* the command's, as the host sees it; 0 if it never ran */
} TenderRuntimeExec;

TenderRuntimeExec *
tender_runtime_exec_new(void);
TenderRuntimeExec *
tender_runtime_exec_new_for_spec(const TenderSpec *spec, GError **error);
void
tender_runtime_exec_report_started(TenderRuntimeExec *self, guint32 pid);
void
tender_runtime_exec_free(TenderRuntimeExec *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderRuntimeExec, tender_runtime_exec_free)

G_END_DECLS
