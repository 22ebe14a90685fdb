/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-util.h"

/**
 * tender_util_check_name:
 * @name: a workload name
 * @error: (nullable): a #GError
 *
 * Checks @name against `[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`.
 *
 * Returns: %TRUE if @name is a valid workload name
 */
gboolean
tender_util_check_name(const gchar *name, GError **error)
{
	gsize len;

	if (name == NULL || name[0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid workload name: the name is empty");
		return FALSE;
	}
	len = strlen(name);
	if (len > TENDER_NAME_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid workload name: longer than %d characters",
			    TENDER_NAME_MAX);
		return FALSE;
	}
	if (!g_ascii_isalnum(name[0])) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid workload name: it must start with a letter or digit");
		return FALSE;
	}
	for (gsize i = 1; i < len; i++) {
		gchar c = name[i];
		if (!g_ascii_isalnum(c) && c != '_' && c != '.' && c != '-') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid workload name: character %u is not one of "
				    "A-Z a-z 0-9 _ . -",
				    (guint)i + 1);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_util_object_path_escape:
 * @prefix: an object path ending in '/'
 * @name: a workload, adapter or plugin name
 *
 * Escapes @name into one object path element after @prefix: letters and digits stay, every
 * other byte becomes `_xx` (lower-case hex), so "my-app" is my_2dapp.
 *
 * Returns: the object path
 */
gchar *
tender_util_object_path_escape(const gchar *prefix, const gchar *name)
{
	GString *str = g_string_new(prefix);

	for (const gchar *p = name; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(str, *p);
		else
			g_string_append_printf(str, "_%02x", (guint)(guchar)*p);
	}
	return g_string_free(str, FALSE);
}

/**
 * tender_util_object_path_for_name:
 * @name: a valid workload name
 *
 * Returns: the workload's object path, e.g. /org/tender/Agent1/workload/my_2dapp for "my-app"
 */
gchar *
tender_util_object_path_for_name(const gchar *name)
{
	return tender_util_object_path_escape("/org/tender/Agent1/workload/", name);
}

/**
 * tender_util_timestamp_format:
 * @usec_utc: microseconds since the epoch
 *
 * Returns: UTC ISO-8601 with microseconds, e.g. "2026-11-25T20:16:37.123456Z"
 */
gchar *
tender_util_timestamp_format(gint64 usec_utc)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *secs = NULL;

	if (usec_utc < 0)
		return g_strdup("");
	dt = g_date_time_new_from_unix_utc(usec_utc / G_USEC_PER_SEC);
	if (dt == NULL)
		return g_strdup("");
	secs = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
	return g_strdup_printf("%s.%06" G_GINT64_FORMAT "Z", secs, usec_utc % G_USEC_PER_SEC);
}

/**
 * tender_util_timestamp_now:
 *
 * Returns: the current time, formatted by tender_util_timestamp_format()
 */
gchar *
tender_util_timestamp_now(void)
{
	return tender_util_timestamp_format(g_get_real_time());
}

/**
 * tender_util_write_file_replace:
 * @path: the file to replace
 * @contents: the new contents
 * @length: the length of @contents, or -1 if NUL-terminated
 * @mode: the new file's mode
 * @flags: what to fsync
 * @error: (nullable): a #GError
 *
 * Writes a temporary file beside @path and renames it over @path, so that a crash of the
 * process leaves either the old or the new contents, never a mix.  With
 * %TENDER_UTIL_WRITE_SYNC_DATA the temporary file is fsynced before the rename, so that @path
 * holds either whole contents after a crash of the machine too; with
 * %TENDER_UTIL_WRITE_SYNC_DIR the directory is fsynced after it, so that the rename itself is
 * durable.  Without either, the new contents are visible at once but reach the disk whenever
 * the kernel writes them back, or at the next tender_util_fsync_path() of @path and of its
 * directory.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_util_write_file_replace(const gchar *path,
			       const gchar *contents,
			       gssize length,
			       guint mode,
			       TenderUtilWriteFlags flags,
			       GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autofree gchar *tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
	gsize left = length < 0 ? strlen(contents) : (gsize)length;
	const gchar *p = contents;
	gint fd;
	gint dfd;
	gint saved = 0; /* the errno of what failed */

	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, (gint)mode);
	if (fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    tmp,
			    g_strerror(errno));
		return FALSE;
	}
	while (left > 0) {
		gssize n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			saved = errno;
			(void)close(fd);
			break;
		}
		p += n;
		left -= (gsize)n;
	}
	if (saved == 0 && (flags & TENDER_UTIL_WRITE_SYNC_DATA) && fsync(fd) < 0) {
		saved = errno;
		(void)close(fd);
	} else if (saved == 0 && close(fd) < 0) {
		saved = errno;
	}
	if (saved != 0) {
		(void)g_unlink(tmp);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot write %s: %s",
			    tmp,
			    g_strerror(saved));
		return FALSE;
	}
	if (g_rename(tmp, path) < 0) {
		saved = errno;
		(void)g_unlink(tmp);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot rename %s to %s: %s",
			    tmp,
			    path,
			    g_strerror(saved));
		return FALSE;
	}
	if ((flags & TENDER_UTIL_WRITE_SYNC_DIR) == 0)
		return TRUE;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		(void)close(dfd);
	}
	return TRUE;
}

/**
 * tender_util_write_file_atomic:
 * @path: the file to replace
 * @contents: the new contents
 * @length: the length of @contents, or -1 if NUL-terminated
 * @mode: the new file's mode
 * @error: (nullable): a #GError
 *
 * Writes a temporary file beside @path, fsyncs it, renames it over @path and fsyncs the
 * directory, so that a crash leaves either the old or the new contents, never a mix.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_util_write_file_atomic(const gchar *path,
			      const gchar *contents,
			      gssize length,
			      guint mode,
			      GError **error)
{
	return tender_util_write_file_replace(path,
					      contents,
					      length,
					      mode,
					      TENDER_UTIL_WRITE_SYNC_DATA |
						  TENDER_UTIL_WRITE_SYNC_DIR,
					      error);
}

/**
 * tender_util_fsync_path:
 * @path: a file or a directory
 * @error: (nullable): a #GError
 *
 * Makes what was written to @path durable: for a directory, the names that were added,
 * replaced or removed in it.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_util_fsync_path(const gchar *path, GError **error)
{
	gint fd = open(path, O_RDONLY | O_CLOEXEC);
	gint saved = fd < 0 || fsync(fd) < 0 ? errno : 0;

	if (fd >= 0)
		(void)close(fd);
	if (saved == 0)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "Cannot sync %s: %s",
		    path,
		    g_strerror(saved));
	return FALSE;
}

/**
 * tender_util_raise_fd_limit:
 *
 * Raises the soft limit of open files to the hard limit.  tenderd holds a few descriptors
 * for every running workload, and systemd starts services with a soft limit of 1024 (and a
 * hard one of 524288), expecting those that need more to raise it themselves; tenderd's
 * children go back to 1024 (FD_SETSIZE) before they exec anything (tender-shim, health
 * checks), as systemd's own children do.
 */
void
tender_util_raise_fd_limit(void)
{
	struct rlimit nofile;

	if (getrlimit(RLIMIT_NOFILE, &nofile) < 0 || nofile.rlim_cur >= nofile.rlim_max)
		return;
	nofile.rlim_cur = nofile.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		g_warning("cannot raise the limit of open files: %s", g_strerror(errno));
}

/**
 * tender_util_crash_point:
 * @point: a named step, such as "start-go"
 *
 * For the tests of what a crash leaves behind: if the environment variable
 * TENDER_TEST_CRASH_AT names @point, tenderd kills itself with SIGKILL right here, as
 * `kill -9` would at that moment.  Without the variable this does nothing.
 */
void
tender_util_crash_point(const gchar *point)
{
	const gchar *wanted = g_getenv("TENDER_TEST_CRASH_AT");

	if (wanted == NULL || g_strcmp0(wanted, point) != 0)
		return;
	g_message("crashing at %s, as TENDER_TEST_CRASH_AT asks", point);
	(void)kill(getpid(), SIGKILL);
}

/**
 * tender_util_mkdir_with_parents:
 * @path: a directory
 * @mode: the mode of the directories made
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @path is a directory now
 */
gboolean
tender_util_mkdir_with_parents(const gchar *path, gint mode, GError **error)
{
	if (g_mkdir_with_parents(path, mode) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
