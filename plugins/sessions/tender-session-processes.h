/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <tender-plugin.h>

#include "tender-session-exec.h"

G_BEGIN_DECLS

#define TENDER_SESSION_PROCESSES_MAX_DEFAULT 64
#define TENDER_SESSION_PROCESSES_MAX_MAX     1024
#define TENDER_SESSION_PROCESSES_KEPT	     100
#define TENDER_SESSION_PROCESS_LOG_DEFAULT   (8 * 1024 * 1024)
#define TENDER_SESSION_PROCESS_LOG_MIN	     4096
#define TENDER_SESSION_PROCESS_LOG_MAX	     (256 * 1024 * 1024)
#define TENDER_SESSION_PROCESS_TAIL_MAX	     100000

typedef struct _TenderSessionProcesses TenderSessionProcesses;
typedef struct _TenderSessionProcess TenderSessionProcess;

TenderSessionProcesses *
tender_session_processes_new(const gchar *log_dir, guint max_running, gsize log_max);
void
tender_session_processes_free(TenderSessionProcesses *self);
guint
tender_session_processes_get_running(TenderSessionProcesses *self);

typedef void (*TenderSessionProcessEndedFunc)(TenderSessionProcess *process, gpointer user_data);

void
tender_session_processes_start_async(TenderSessionProcesses *self,
				     TenderPlugin *plugin,
				     const gchar *workload,
				     TenderSessionExecOptions *options,
				     gboolean has_workspace,
				     TenderSessionProcessEndedFunc ended,
				     gpointer ended_data,
				     GAsyncReadyCallback callback,
				     gpointer user_data);
TenderSessionProcess *
tender_session_processes_start_finish(GAsyncResult *res, GError **error);

void
tender_session_process_unref(TenderSessionProcess *process);
const gchar *
tender_session_process_get_id(TenderSessionProcess *process);
guint32
tender_session_process_get_pid(TenderSessionProcess *process);

JsonArray *
tender_session_processes_list(TenderSessionProcesses *self, guint32 sandbox_pid);
gboolean
tender_session_processes_kill(TenderSessionProcesses *self,
			      const gchar *id,
			      gint signo,
			      GError **error);
gboolean
tender_session_signal_parse(const gchar *text, gint *signo, GError **error);

void
tender_session_processes_logs_async(TenderSessionProcesses *self,
				    const gchar *id,
				    guint tail,
				    GAsyncReadyCallback callback,
				    gpointer user_data);
gboolean
tender_session_processes_logs_finish(GAsyncResult *res, GBytes **out, GBytes **err, GError **error);
GBytes *
tender_session_log_tail(GBytes *data, guint tail);

typedef struct _TenderSessionFollower TenderSessionFollower;
gboolean
tender_session_processes_follow(TenderSessionProcesses *self,
				const gchar *id,
				guint tail,
				TenderSessionFollower *follower,
				GError **error);

G_END_DECLS
