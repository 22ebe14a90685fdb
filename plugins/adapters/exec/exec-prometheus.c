/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-plugin.h>

#include "exec-prometheus.h"

/*
 * The exec adapter's prometheus_file: a Prometheus text file the workload writes (as
 * node_exporter's textfile collector reads them), read without blocking the main loop.  Its
 * lines go to the core as they are; the core checks them.  Unit-tested in
 * tests/unit/test-adapters.c.
 */

/* the lines of @text that are not empty, without their newlines, or %NULL for none */
static gchar **
exec_prometheus_split(const gchar *text, gsize len)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	const gchar *end = text + len;
	gboolean any = FALSE;

	for (const gchar *line = text; line < end;) {
		const gchar *newline = memchr(line, '\n', (gsize)(end - line));
		const gchar *stop = newline != NULL ? newline : end;

		if (stop > line) {
			g_autofree gchar *copy = g_strndup(line, (gsize)(stop - line));
			g_strv_builder_add(builder, copy);
			any = TRUE;
		}
		line = stop < end ? stop + 1 : end;
	}
	return any ? g_strv_builder_end(builder) : NULL;
}

/* goes on reading while what is read is not more than the most */
static gboolean
exec_prometheus_read_more_cb(const gchar *contents, goffset size, gpointer user_data)
{
	return size <= EXEC_PROMETHEUS_FILE_MAX;
}

static void
exec_prometheus_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *path = g_file_get_path(G_FILE(source));
	gsize len = 0;

	if (!g_file_load_partial_contents_finish(G_FILE(source),
						 res,
						 &contents,
						 &len,
						 NULL,
						 &error)) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
			g_task_return_pointer(task, NULL, NULL);
			return;
		}
		/* GIO's messages name the file, mostly */
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"Cannot read the prometheus_file%s%s: %s",
					strstr(error->message, path) != NULL ? "" : " ",
					strstr(error->message, path) != NULL ? "" : path,
					error->message);
		return;
	}
	if (len > EXEC_PROMETHEUS_FILE_MAX) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The prometheus_file %s is larger than %u bytes",
					path,
					(guint)EXEC_PROMETHEUS_FILE_MAX);
		return;
	}
	if (len > 0 && memchr(contents, '\0', len) != NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The prometheus_file %s is not text: it has a NUL byte",
					path);
		return;
	}
	g_task_return_pointer(task,
			      exec_prometheus_split(contents, len),
			      (GDestroyNotify)g_strfreev);
}

/* only a regular file is read: opening a FIFO would wait for a writer, and the instance's
 * operations with it */
static void
exec_prometheus_queried_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = g_file_get_path(G_FILE(source));
	GCancellable *cancellable;

	info = g_file_query_info_finish(G_FILE(source), res, &error);
	if (info == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
		g_task_return_pointer(task, NULL, NULL);
		return;
	}
	if (info == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"Cannot read the prometheus_file %s: %s",
					path,
					error->message);
		return;
	}
	if (g_file_info_get_file_type(info) != G_FILE_TYPE_REGULAR) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The prometheus_file %s is not a regular file",
					path);
		return;
	}
	cancellable = g_task_get_cancellable(task);
	g_file_load_partial_contents_async(G_FILE(source),
					   cancellable,
					   exec_prometheus_read_more_cb,
					   exec_prometheus_loaded_cb,
					   g_steal_pointer(&task));
}

/**
 * exec_prometheus_read_async:
 * @path: the prometheus_file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once read
 * @user_data: for @callback
 *
 * Reads @path without blocking, at most %EXEC_PROMETHEUS_FILE_MAX bytes of it; only a
 * regular file (a FIFO would wait for its writer).
 */
void
exec_prometheus_read_async(const gchar *path,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GFile) file = g_file_new_for_path(path);
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);

	g_task_set_source_tag(task, exec_prometheus_read_async);
	g_file_query_info_async(file,
				G_FILE_ATTRIBUTE_STANDARD_TYPE,
				G_FILE_QUERY_INFO_NONE,
				G_PRIORITY_DEFAULT,
				cancellable,
				exec_prometheus_queried_cb,
				task);
}

/**
 * exec_prometheus_read_finish:
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the file's lines that are not empty, or %NULL for
 *   none (a missing or empty file; @error unset) or on error: a file larger than
 *   %EXEC_PROMETHEUS_FILE_MAX, one that cannot be read or is not text
 */
gchar **
exec_prometheus_read_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
