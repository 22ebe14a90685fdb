/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-session-processes.h"

G_BEGIN_DECLS

/* a background process, shared by tender-session-processes.c (start, output, end, list,
 * kill) and tender-session-process-logs.c (its logs, read and followed) */

typedef enum {
	TENDER_SESSION_PROCESS_RUNNING,
	TENDER_SESSION_PROCESS_EXITED,
	TENDER_SESSION_PROCESS_KILLED,
} TenderSessionProcessState;

struct _TenderSessionProcess {
	gint refcount;
	TenderSessionProcesses *owner; /* NULL once the table is gone */
	gchar *id;
	gchar **argv;
	guint32 pid;
	gint pidfd;
	TenderSessionProcessState state;
	gint exit_code;
	gint signo;
	gint signalled; /* the last signal KillProcess sent it, 0 if none */
	gint64 started_at;
	gint64 ended_at;
	gchar *log_path[3]; /* [1] stdout, [2] stderr */
	gint log_fd[3];
	gsize log_size[3];
	gboolean eof[3];
	GVariant *result; /* the exec's, once it ended */
	GCancellable *cancellable;
	GTask *start; /* until it runs */
	TenderSessionProcessEndedFunc ended;
	gpointer ended_data;
	GPtrArray *followers; /* TenderSessionFollower, fed by the reader */
};

struct _TenderSessionProcesses {
	gchar *dir;
	GPtrArray *list; /* TenderSessionProcess, by start */
	guint next_id;
	guint max_running;
	gsize log_max;
};

TenderSessionProcess *
tender_session_processes_lookup(TenderSessionProcesses *self, const gchar *id, GError **error);
const gchar *
tender_session_process_state_to_string(TenderSessionProcessState state);
JsonObject *
tender_session_process_end_line(TenderSessionProcess *self);

G_END_DECLS
