/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TENDER_SESSION_FILE_MAX_DEFAULT (16u * 1024 * 1024)
#define TENDER_SESSION_FILE_MAX_MAX	(64u * 1024 * 1024)
#define TENDER_SESSION_PATH_MAX		4096
/* the most entries list_files gives; more set truncated */
#define TENDER_SESSION_LIST_MAX 10000

gchar *
tender_session_files_resolve(const gchar *path, gboolean need_leaf, GError **error);

typedef enum {
	TENDER_SESSION_FILES_WRITE,
	TENDER_SESSION_FILES_READ,
	TENDER_SESSION_FILES_LIST,
	TENDER_SESSION_FILES_DELETE,
} TenderSessionFilesKind;

/**
 * TenderSessionFilesOp:
 *
 * One file operation in a sandbox, whose main process is @pid (held by @pidfd, so that a
 * reused pid is noticed): what it asks, and what it found.
 */
typedef struct {
	TenderSessionFilesKind kind;
	guint32 pid;
	gint pidfd;
	gchar *path;	 /* as the caller gave it */
	GBytes *content; /* write: the data; read: what was read */
	gint mode;	 /* write: the mode bits (0 to 0777), -1 for 0644 on a new file */
	gboolean append;
	gsize max_size;
	JsonArray *entries; /* list */
	gboolean truncated; /* list */
	gchar *resolved;    /* the path inside the sandbox */
	guint64 size;	    /* write: the file's size after */
} TenderSessionFilesOp;

TenderSessionFilesOp *
tender_session_files_op_new(TenderSessionFilesKind kind, const gchar *path);
void
tender_session_files_op_free(TenderSessionFilesOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionFilesOp, tender_session_files_op_free)

gboolean
tender_session_files_op_hold(TenderSessionFilesOp *op, guint32 pid, GError **error);
gboolean
tender_session_files_op_run(TenderSessionFilesOp *op, GError **error);
void
tender_session_files_op_run_async(TenderSessionFilesOp *op,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
TenderSessionFilesOp *
tender_session_files_op_run_finish(GAsyncResult *res, GError **error);

gboolean
tender_session_files_chown_workspace(const gchar *workspace, guint32 pid, GError **error);
gboolean
tender_session_files_remove_tree(const gchar *path, GError **error);

G_END_DECLS
