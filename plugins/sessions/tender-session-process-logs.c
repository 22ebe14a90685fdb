/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-session-follow.h"
#include "tender-session-processes-private.h"

/* --- logs --- */

/**
 * tender_session_log_tail:
 * @tail: lines to keep from the end, 0 for all
 *
 * Returns: (transfer full): the last @tail lines of @data (a last line without its newline
 *   counts)
 */
GBytes *
tender_session_log_tail(GBytes *data, guint tail)
{
	gsize len = 0;
	const gchar *text = g_bytes_get_data(data, &len);
	gsize start = len;
	guint lines = 0;

	if (tail == 0 || len == 0)
		return g_bytes_ref(data);
	/* a final newline ends the last line; it does not start one */
	if (text[len - 1] == '\n')
		start--;
	while (start > 0) {
		if (text[start - 1] == '\n' && ++lines == tail)
			break;
		start--;
	}
	return g_bytes_new_from_bytes(data, start, len - start);
}

/*
 * What is kept of a log when it is asked for: its files opened at once (a turn of the log
 * after does not change what they hold) and the current one's size then, so that a follower
 * gets what came before from the files and what comes after from the reader, each once.
 */
typedef struct {
	gint fd[3][2];	 /* per stream: the older half, the current file; -1 if none */
	goffset size[3]; /* the current file's size when opened */
	guint tail;
	GBytes *out;
	GBytes *err;
	TenderSessionFollower *follower; /* GetProcessLogs with follow */
} TenderSessionProcessLogs;

static void
tender_session_process_logs_free(TenderSessionProcessLogs *logs)
{
	for (guint i = 1; i <= 2; i++) {
		for (guint j = 0; j < 2; j++) {
			if (logs->fd[i][j] >= 0)
				(void)close(logs->fd[i][j]);
		}
	}
	g_clear_pointer(&logs->out, g_bytes_unref);
	g_clear_pointer(&logs->err, g_bytes_unref);
	g_clear_pointer(&logs->follower, tender_session_follower_unref);
	g_free(logs);
}

static TenderSessionProcessLogs *
tender_session_process_logs_new(TenderSessionProcess *process, guint tail)
{
	TenderSessionProcessLogs *logs = g_new0(TenderSessionProcessLogs, 1);

	logs->tail = tail;
	for (guint i = 1; i <= 2; i++) {
		g_autofree gchar *old = g_strconcat(process->log_path[i], ".old", NULL);
		logs->fd[i][0] = open(old, O_RDONLY | O_CLOEXEC);
		logs->fd[i][1] = open(process->log_path[i], O_RDONLY | O_CLOEXEC);
		logs->size[i] = (goffset)process->log_size[i];
	}
	return logs;
}

/* up to @max bytes of @fd from its start (-1: all) */
static void
tender_session_process_read_fd(gint fd, goffset max, GByteArray *all)
{
	guint8 buf[65536];
	goffset offset = 0;

	while (fd >= 0 && (max < 0 || offset < max)) {
		gsize want = max < 0 ? sizeof(buf) : (gsize)MIN((goffset)sizeof(buf), max - offset);
		gssize n = pread(fd, buf, want, offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		g_byte_array_append(all, buf, (guint)n);
		offset += n;
	}
}

static GBytes *
tender_session_process_read_log(TenderSessionProcessLogs *logs, guint stream)
{
	g_autoptr(GByteArray) all = g_byte_array_new();
	g_autoptr(GBytes) bytes = NULL;

	tender_session_process_read_fd(logs->fd[stream][0], -1, all);
	tender_session_process_read_fd(logs->fd[stream][1], logs->size[stream], all);
	bytes = g_byte_array_free_to_bytes(g_steal_pointer(&all));
	return tender_session_log_tail(bytes, logs->tail);
}

static void
tender_session_process_logs_thread(GTask *task,
				   gpointer source,
				   gpointer data,
				   GCancellable *cancellable)
{
	TenderSessionProcessLogs *logs = data;

	logs->out = tender_session_process_read_log(logs, 1);
	logs->err = tender_session_process_read_log(logs, 2);
	g_task_return_boolean(task, TRUE);
}

static gboolean
tender_session_process_check_tail(guint tail, GError **error)
{
	if (tail <= TENDER_SESSION_PROCESS_TAIL_MAX)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid option 'tail': at most %d lines",
		    TENDER_SESSION_PROCESS_TAIL_MAX);
	return FALSE;
}

/**
 * tender_session_processes_logs_async:
 * @tail: the last lines of each, 0 for all that is kept
 *
 * Reads a process's logs (in a worker thread).
 */
void
tender_session_processes_logs_async(TenderSessionProcesses *self,
				    const gchar *id,
				    guint tail,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, NULL, callback, user_data);
	TenderSessionProcess *process = NULL;
	GError *error = NULL;

	if (!tender_session_process_check_tail(tail, &error) ||
	    (process = tender_session_processes_lookup(self, id, &error)) == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_set_task_data(task,
			     tender_session_process_logs_new(process, tail),
			     (GDestroyNotify)tender_session_process_logs_free);
	g_task_run_in_thread(task, tender_session_process_logs_thread);
}

gboolean
tender_session_processes_logs_finish(GAsyncResult *res, GBytes **out, GBytes **err, GError **error)
{
	TenderSessionProcessLogs *logs = g_task_get_task_data(G_TASK(res));

	if (!g_task_propagate_boolean(G_TASK(res), error))
		return FALSE;
	*out = g_bytes_ref(logs->out);
	*err = g_bytes_ref(logs->err);
	return TRUE;
}

/* the tail is read: the follow begins with it */
static void
tender_session_process_follow_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessionProcessLogs *logs = g_task_get_task_data(G_TASK(res));

	if (g_task_propagate_boolean(G_TASK(res), NULL))
		tender_session_follower_begin(logs->follower, logs->out, logs->err);
}

/**
 * tender_session_processes_follow:
 * @tail: the last lines of each log sent first, 0 for all that is kept
 * @follower: fed the tail, then the process's output as it comes, then its end
 *
 * Follows a process's output; one that ended gives its tail and its end at once.
 *
 * Returns: %TRUE if @follower follows; NotFound, InvalidArgument (@tail), LimitReached
 *   (TENDER_SESSION_FOLLOWERS_MAX follow it)
 */
gboolean
tender_session_processes_follow(TenderSessionProcesses *self,
				const gchar *id,
				guint tail,
				TenderSessionFollower *follower,
				GError **error)
{
	g_autoptr(GTask) task = g_task_new(NULL, NULL, tender_session_process_follow_cb, NULL);
	TenderSessionProcess *process = NULL;
	TenderSessionProcessLogs *logs;
	guint following = 0;

	if (!tender_session_process_check_tail(tail, error) ||
	    (process = tender_session_processes_lookup(self, id, error)) == NULL)
		return FALSE;
	for (guint i = 0; i < process->followers->len; i++) {
		if (!tender_session_follower_is_done(g_ptr_array_index(process->followers, i)))
			following++;
	}
	if (following >= TENDER_SESSION_FOLLOWERS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "Process %s has %u followers, the most there may be",
			    id,
			    following);
		return FALSE;
	}
	logs = tender_session_process_logs_new(process, tail);
	logs->follower = tender_session_follower_ref(follower);
	g_task_set_task_data(task, logs, (GDestroyNotify)tender_session_process_logs_free);
	if (process->state != TENDER_SESSION_PROCESS_RUNNING) {
		g_autoptr(JsonObject) last = tender_session_process_end_line(process);
		tender_session_follower_end(follower, last);
	} else {
		g_ptr_array_add(process->followers, tender_session_follower_ref(follower));
	}
	g_task_run_in_thread(task, tender_session_process_logs_thread);
	return TRUE;
}
