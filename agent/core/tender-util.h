/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TENDER_NAME_MAX 64

/**
 * TenderUtilWriteFlags:
 * @TENDER_UTIL_WRITE_NONE: rename only
 * @TENDER_UTIL_WRITE_SYNC_DATA: fsync the new contents before the rename
 * @TENDER_UTIL_WRITE_SYNC_DIR: fsync the directory after the rename
 *
 * What tender_util_write_file_replace() makes durable.
 */
typedef enum {
	TENDER_UTIL_WRITE_NONE = 0,
	TENDER_UTIL_WRITE_SYNC_DATA = 1 << 0,
	TENDER_UTIL_WRITE_SYNC_DIR = 1 << 1,
} TenderUtilWriteFlags;

gboolean
tender_util_check_name(const gchar *name, GError **error);
gchar *
tender_util_object_path_escape(const gchar *prefix, const gchar *name);
gchar *
tender_util_object_path_for_name(const gchar *name);
gchar *
tender_util_timestamp_now(void);
gchar *
tender_util_timestamp_format(gint64 usec_utc);
void
tender_util_raise_fd_limit(void);
gboolean
tender_util_write_file_atomic(const gchar *path,
			      const gchar *contents,
			      gssize length,
			      guint mode,
			      GError **error);
gboolean
tender_util_write_file_replace(const gchar *path,
			       const gchar *contents,
			       gssize length,
			       guint mode,
			       TenderUtilWriteFlags flags,
			       GError **error);
gboolean
tender_util_fsync_path(const gchar *path, GError **error);
gboolean
tender_util_mkdir_with_parents(const gchar *path, gint mode, GError **error);
void
tender_util_crash_point(const gchar *point);

G_END_DECLS
