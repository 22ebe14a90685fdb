/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <tender-plugin.h>

G_BEGIN_DECLS

#define TENDER_SESSION_EXEC_CWD_DEFAULT	   "/workspace"
#define TENDER_SESSION_EXEC_ARGV_MAX	   1024
#define TENDER_SESSION_EXEC_ARG_MAX	   (64 * 1024)
#define TENDER_SESSION_EXEC_ENV_MAX	   256
#define TENDER_SESSION_EXEC_TIMEOUT_MAX	   (7 * 24 * 3600)
#define TENDER_SESSION_EXEC_OUTPUT_DEFAULT (1024 * 1024)
#define TENDER_SESSION_EXEC_OUTPUT_MAX	   (16 * 1024 * 1024)
#define TENDER_SESSION_EXEC_STDIN_MAX	   (16 * 1024 * 1024)

/**
 * TenderSessionExecOptions:
 *
 * A command of Exec or StartProcess, checked: its argv (`sh -c STRING` for a shell string),
 * its own environment (KEY=VALUE), its working directory (NULL: /workspace), and for Exec its
 * timeout, stdin and output cap.
 */
typedef struct {
	gchar **argv;
	gchar **env;
	gchar *working_directory;
	guint32 timeout_sec; /* 0: none */
	GBytes *stdin_data;  /* nullable */
	guint64 max_output;
	gboolean background; /* StartProcess: no stdin, timeout nor max_output */
	gint fds[3];	     /* Exec's stdin, stdout, stderr given as descriptors, or -1 */
} TenderSessionExecOptions;

void
tender_session_exec_options_free(TenderSessionExecOptions *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionExecOptions, tender_session_exec_options_free)

TenderSessionExecOptions *
tender_session_exec_options_from_vardict(const gchar *const *argv,
					 GVariant *options,
					 GUnixFDList *fd_list,
					 gboolean background,
					 GError **error);
TenderSessionExecOptions *
tender_session_exec_options_from_json(JsonObject *obj, gboolean background, GError **error);
GVariant *
tender_session_exec_options_to_variant(TenderSessionExecOptions *self, gboolean has_workspace);

void
tender_session_exec_run_async(TenderPlugin *plugin,
			      const gchar *workload,
			      TenderSessionExecOptions *options,
			      gboolean has_workspace,
			      TenderPluginExecStartedFunc started,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data);
GVariant *
tender_session_exec_run_finish(GAsyncResult *res, GError **error);

JsonObject *
tender_session_exec_result_to_json(GVariant *result);

G_END_DECLS
