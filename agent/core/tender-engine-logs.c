/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <unistd.h>

#include "tender-engine-private.h"
#include "tender-error.h"
#include "tender-journal.h"
#include "tender-log-follower.h"

/*
 * The engine's logs: GetLogs reads a workload's output from the journal in a worker thread,
 * FollowLogs streams it into a pipe (TenderLogFollower) until the reader closes it or the
 * workload is removed.
 */

#define TENDER_ENGINE_LOG_LINES_MAX 10000
/* GetLogs returns at most this many bytes of messages, well below D-Bus's message size */
#define TENDER_ENGINE_LOG_BYTES_MAX	(8 * 1024 * 1024)
#define TENDER_ENGINE_LOG_QUERIES_MAX	16
#define TENDER_ENGINE_LOG_FOLLOWERS_MAX 64

typedef struct {
	guint32 lines;
	gchar *since;
	gchar *stream_text;
	TenderJournalStream stream;
} TenderEngineLogOptions;

static void
tender_engine_log_options_clear(TenderEngineLogOptions *opts)
{
	g_clear_pointer(&opts->since, g_free);
	g_clear_pointer(&opts->stream_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TenderEngineLogOptions, tender_engine_log_options_clear)

/* the workload exists, and the options of GetLogs and FollowLogs are sound */
static gboolean
tender_engine_parse_log_options(TenderEngine *self,
				const gchar *name,
				GVariant *options,
				TenderEngineLogOptions *opts,
				GError **error)
{
	const TenderEngineOption table[] = {{"lines", &opts->lines},
					    {"since", &opts->since},
					    {"stream", &opts->stream_text},
					    {NULL}};

	if (tender_engine_lookup(self, name, error) == NULL ||
	    !tender_engine_parse_options("GetLogs", options, table, error))
		return FALSE;
	if (opts->lines > TENDER_ENGINE_LOG_LINES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'lines' is %u; it must be at most %d",
			    opts->lines,
			    TENDER_ENGINE_LOG_LINES_MAX);
		return FALSE;
	}
	if (opts->since != NULL && !tender_journal_check_cursor(opts->since, error))
		return FALSE;
	opts->stream = TENDER_JOURNAL_STREAM_BOTH;
	if (opts->stream_text != NULL &&
	    !tender_journal_stream_from_string(opts->stream_text, &opts->stream)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'stream' is '%s'; it must be 'stdout', 'stderr' or 'both'",
			    opts->stream_text);
		return FALSE;
	}
	return TRUE;
}

static void
tender_engine_logs_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderEngine *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	GVariant *entries;

	self->log_queries--;
	entries = tender_journal_query_finish(res, &error);
	if (entries == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, entries, (GDestroyNotify)g_variant_unref);
}

/**
 * tender_engine_get_logs_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: lines u, since s, stream s
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * Reads the workload's output from the journal, in a worker thread.
 */
void
tender_engine_get_logs_async(TenderEngine *self,
			     const gchar *name,
			     GVariant *options,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	g_auto(TenderEngineLogOptions) opts = {.lines = 100};

	g_task_set_source_tag(task, tender_engine_get_logs_async);
	if (!tender_engine_parse_log_options(self, name, options, &opts, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (self->log_queries >= TENDER_ENGINE_LOG_QUERIES_MAX) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"There are %u log queries under way already, the most "
					"tenderd allows; try again later",
					self->log_queries);
		return;
	}
	self->log_queries++;
	tender_journal_query_async(name,
				   opts.stream,
				   opts.lines,
				   opts.since,
				   TENDER_ENGINE_LOG_BYTES_MAX,
				   cancellable,
				   tender_engine_logs_read_cb,
				   g_steal_pointer(&task));
}

/**
 * tender_engine_get_logs_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the entries, an aa{sv}, oldest first
 */
GVariant *
tender_engine_get_logs_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

static void
tender_engine_follower_closed_cb(TenderLogFollower *follower, gpointer user_data)
{
	TenderEngine *self = TENDER_ENGINE(user_data);
	g_ptr_array_remove(self->followers, follower);
}

/* a removed workload's followers end: their readers see the end of the pipe */
void
tender_engine_logs_workload_removed_cb(TenderEngine *self,
				       TenderWorkload *workload,
				       gpointer user_data)
{
	for (guint i = self->followers->len; i > 0; i--) {
		TenderLogFollower *follower = g_ptr_array_index(self->followers, i - 1);
		if (g_strcmp0(tender_log_follower_get_workload(follower),
			      tender_workload_get_name(workload)) == 0)
			g_ptr_array_remove_index(self->followers, i - 1);
	}
}

/**
 * tender_engine_follow_logs:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: lines u, since s, stream s
 * @fd: (out): the read end of a pipe, for the caller to pass on and close
 * @error: (nullable): a #GError
 *
 * Writes the workload's output into a pipe, one line of JSON per entry: the last lines (or
 * all after since), then every new one, until the reader closes the pipe or the workload is
 * removed.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_engine_follow_logs(TenderEngine *self,
			  const gchar *name,
			  GVariant *options,
			  gint *fd,
			  GError **error)
{
	g_auto(TenderEngineLogOptions) opts = {.lines = 10};
	g_autoptr(TenderJournal) journal = NULL;
	g_autoptr(GError) error_pipe = NULL;
	TenderLogFollower *follower;
	gint fds[2] = {-1, -1};

	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	if (!tender_engine_parse_log_options(self, name, options, &opts, error))
		return FALSE;
	if (self->followers->len >= TENDER_ENGINE_LOG_FOLLOWERS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "There are %u log followers already, the most tenderd allows",
			    self->followers->len);
		return FALSE;
	}
	journal = tender_journal_open(name, opts.stream, TRUE, error);
	if (journal == NULL || !tender_journal_seek(journal, opts.lines, opts.since, error))
		return FALSE;
	if (!g_unix_open_pipe(fds, FD_CLOEXEC, &error_pipe) ||
	    !g_unix_set_fd_nonblocking(fds[1], TRUE, &error_pipe)) {
		if (fds[0] >= 0) {
			(void)close(fds[0]);
			(void)close(fds[1]);
		}
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create a pipe: %s",
			    error_pipe->message);
		return FALSE;
	}
	follower = tender_log_follower_new(name, g_steal_pointer(&journal), fds[1]);
	g_signal_connect(follower, "closed", G_CALLBACK(tender_engine_follower_closed_cb), self);
	g_ptr_array_add(self->followers, follower);
	g_info("following the logs of workload %s", name);
	*fd = fds[0];
	return TRUE;
}
