/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "tender-error.h"
#include "tender-journal.h"
#include "tender-util.h"

/*
 * TenderJournal reads a workload's output back from the journal: the entries tender-shim sent
 * with TENDER_WORKLOAD=NAME, from root (so that no other user can pass lines off as a
 * workload's), and those dockerd's journald log driver wrote for a container of the docker
 * runtime, which the plugin gives TENDER_WORKLOAD as a journal field.  It wraps one sd_journal,
 * which must be used by one thread at a time: GetLogs opens one per query in a worker thread, a
 * follower one on the main loop.
 */

struct _TenderJournal {
	sd_journal *journal;
	gint fd;	     /* inotify, when watching; owned by journal */
	gboolean on_pending; /* the journal stands on an entry not returned yet */
};

/**
 * tender_journal_stream_from_string:
 * @text: "stdout", "stderr" or "both"
 * @stream: (out): the stream
 *
 * Returns: %TRUE if @text is one of those
 */
gboolean
tender_journal_stream_from_string(const gchar *text, TenderJournalStream *stream)
{
	if (g_strcmp0(text, "both") == 0)
		*stream = TENDER_JOURNAL_STREAM_BOTH;
	else if (g_strcmp0(text, "stdout") == 0)
		*stream = TENDER_JOURNAL_STREAM_STDOUT;
	else if (g_strcmp0(text, "stderr") == 0)
		*stream = TENDER_JOURNAL_STREAM_STDERR;
	else
		return FALSE;
	return TRUE;
}

/**
 * tender_journal_check_cursor:
 * @cursor: what a caller gave as a cursor
 * @error: (nullable): a #GError
 *
 * Checks the form only: non-empty, at most %TENDER_JOURNAL_CURSOR_MAX bytes of printable
 * ASCII.  Whether journald knows it is for sd_journal_seek_cursor() to say.
 *
 * Returns: %TRUE if @cursor may be a journal cursor
 */
gboolean
tender_journal_check_cursor(const gchar *cursor, GError **error)
{
	gsize len = cursor != NULL ? strlen(cursor) : 0;

	if (len == 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'since' is empty; it must be a journal cursor");
		return FALSE;
	}
	if (len > TENDER_JOURNAL_CURSOR_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'since' is longer than %d bytes; it must be a journal cursor",
			    TENDER_JOURNAL_CURSOR_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isgraph(cursor[i])) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Option 'since' is not a journal cursor");
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_journal_entry_new:
 * @message: the line, not NUL-terminated, any bytes
 * @message_len: its length
 * @stream: "stdout" or "stderr"
 * @realtime_usec: when journald received it, microseconds since the epoch
 * @cursor: the entry's cursor
 *
 * Returns: (transfer floating): the entry as GetLogs returns it: an a{sv} with message (made
 * valid UTF-8), stream, timestamp and cursor
 */
GVariant *
tender_journal_entry_new(const gchar *message,
			 gsize message_len,
			 const gchar *stream,
			 guint64 realtime_usec,
			 const gchar *cursor)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *text = g_utf8_make_valid(message, (gssize)message_len);
	g_autofree gchar *timestamp =
	    tender_util_timestamp_format(realtime_usec > G_MAXINT64 ? -1 : (gint64)realtime_usec);
	g_autofree gchar *cursor_text = g_utf8_make_valid(cursor, -1);

	g_variant_builder_add(&builder, "{sv}", "message", g_variant_new_string(text));
	g_variant_builder_add(&builder, "{sv}", "stream", g_variant_new_string(stream));
	g_variant_builder_add(&builder, "{sv}", "timestamp", g_variant_new_string(timestamp));
	g_variant_builder_add(&builder, "{sv}", "cursor", g_variant_new_string(cursor_text));
	return g_variant_builder_end(&builder);
}

/**
 * tender_journal_entry_to_json:
 * @entry: an entry from tender_journal_entry_new()
 *
 * Returns: the entry as one line of JSON, with its newline, as FollowLogs writes it
 */
gchar *
tender_journal_entry_to_json(GVariant *entry)
{
	g_autoptr(JsonNode) node = json_gvariant_serialize(entry);
	g_autofree gchar *json = json_to_string(node, FALSE);

	return g_strconcat(json, "\n", NULL);
}

static gboolean
tender_journal_set_error(GError **error, gint r, const gchar *what)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "Cannot %s the journal: %s",
		    what,
		    g_strerror(-r));
	return FALSE;
}

/**
 * tender_journal_open:
 * @workload: the workload's name
 * @stream: which of its streams
 * @watch: whether tender_journal_get_fd() will be used to learn of new entries
 * @error: (nullable): a #GError
 *
 * Opens the local system journal, matching the workload's output.
 *
 * Returns: (transfer full): a #TenderJournal, standing before its first entry
 */
TenderJournal *
tender_journal_open(const gchar *workload,
		    TenderJournalStream stream,
		    gboolean watch,
		    GError **error)
{
	g_autoptr(TenderJournal) self = g_new0(TenderJournal, 1);
	g_autofree gchar *match = g_strdup_printf("TENDER_WORKLOAD=%s", workload);
	const gchar *stream_match = NULL;
	const gchar *priority_match = NULL;
	gint r;

	self->fd = -1;
	r = sd_journal_open(&self->journal, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		self->journal = NULL;
		tender_journal_set_error(error, r, "open");
		return NULL;
	}
	if (stream == TENDER_JOURNAL_STREAM_STDOUT) {
		stream_match = "TENDER_STREAM=stdout";
		priority_match = "PRIORITY=6";
	} else if (stream == TENDER_JOURNAL_STREAM_STDERR) {
		stream_match = "TENDER_STREAM=stderr";
		priority_match = "PRIORITY=3";
	}
	/* fields differ: all must match */
	r = sd_journal_add_match(self->journal, match, 0);
	if (r >= 0)
		r = sd_journal_add_match(self->journal, "_UID=0", 0);
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_match(self->journal, stream_match, 0);
	/* or: a line Docker's journald log driver wrote for a container of the docker runtime,
	 * which carries the container's TENDER_WORKLOAD and tells the stream by its priority */
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_disjunction(self->journal);
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_match(self->journal, match, 0);
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_match(self->journal, "_UID=0", 0);
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_match(self->journal, "_COMM=dockerd", 0);
	if (r >= 0 && stream_match != NULL)
		r = sd_journal_add_match(self->journal, priority_match, 0);
	if (r < 0) {
		tender_journal_set_error(error, r, "search");
		return NULL;
	}
	if (watch) {
		/* before the first seek, so that no journal file added meanwhile is missed */
		self->fd = sd_journal_get_fd(self->journal);
		if (self->fd < 0) {
			tender_journal_set_error(error, self->fd, "watch");
			return NULL;
		}
	}
	return g_steal_pointer(&self);
}

/**
 * tender_journal_free:
 * @self: a #TenderJournal
 */
void
tender_journal_free(TenderJournal *self)
{
	if (self == NULL)
		return;
	if (self->journal != NULL)
		sd_journal_close(self->journal);
	g_free(self);
}

/* the journal stands on an entry: read it */
static GVariant *
tender_journal_read_entry(TenderJournal *self, GError **error)
{
	const void *data = NULL;
	size_t len = 0;
	g_autofree gchar *message = NULL;
	gsize message_len = 0;
	const gchar *stream = "stdout";
	guint64 usec = 0;
	g_autofree gchar *cursor = NULL;
	gchar *cursor_malloced = NULL;
	gint r;

	r = sd_journal_get_cursor(self->journal, &cursor_malloced);
	if (r < 0) {
		tender_journal_set_error(error, r, "read");
		return NULL;
	}
	cursor = g_strdup(cursor_malloced);
	free(cursor_malloced);
	if (sd_journal_get_realtime_usec(self->journal, &usec) < 0)
		usec = 0;
	/* what sd_journal_get_data() returns is valid until its next call: copy it */
	if (sd_journal_get_data(self->journal, "MESSAGE", &data, &len) >= 0 &&
	    len >= strlen("MESSAGE=")) {
		message_len = len - strlen("MESSAGE=");
		message = g_malloc(message_len + 1);
		memcpy(message, (const gchar *)data + strlen("MESSAGE="), message_len);
		message[message_len] = '\0';
	}
	if (sd_journal_get_data(self->journal, "TENDER_STREAM", &data, &len) >= 0) {
		if (len == strlen("TENDER_STREAM=stderr") &&
		    memcmp(data, "TENDER_STREAM=stderr", len) == 0)
			stream = "stderr";
	} else if (sd_journal_get_data(self->journal, "PRIORITY", &data, &len) >= 0 &&
		   len == strlen("PRIORITY=3") && memcmp(data, "PRIORITY=3", len) == 0) {
		/* Docker's journald log driver: stderr at priority 3 */
		stream = "stderr";
	}
	return g_variant_ref_sink(tender_journal_entry_new(message != NULL ? message : "",
							   message_len,
							   stream,
							   usec,
							   cursor));
}

/* the bytes of an entry's message */
static gsize
tender_journal_entry_size(GVariant *entry)
{
	const gchar *message = "";

	(void)g_variant_lookup(entry, "message", "&s", &message);
	return strlen(message);
}

/**
 * tender_journal_seek:
 * @self: a #TenderJournal, just opened
 * @lines: without @since: how many of the last entries tender_journal_next() returns first
 * @since: (nullable): a cursor: tender_journal_next() returns the entries after it
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success; %TENDER_ERROR_INVALID_ARGUMENT if @since is not a cursor
 */
gboolean
tender_journal_seek(TenderJournal *self, guint lines, const gchar *since, GError **error)
{
	gint r;

	self->on_pending = FALSE;
	if (since != NULL) {
		r = sd_journal_seek_cursor(self->journal, since);
		if (r == -EINVAL) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Option 'since' is not a journal cursor");
			return FALSE;
		}
		if (r < 0)
			return tender_journal_set_error(error, r, "seek in");
		/* this is the entry of the cursor itself, or the first after it if that is gone */
		r = sd_journal_next(self->journal);
		if (r < 0)
			return tender_journal_set_error(error, r, "read");
		if (r > 0 && sd_journal_test_cursor(self->journal, since) <= 0)
			self->on_pending = TRUE;
		return TRUE;
	}

	r = sd_journal_seek_tail(self->journal);
	if (r < 0)
		return tender_journal_set_error(error, r, "seek in");
	/* stand on the entry before the first of the last @lines */
	r = sd_journal_previous_skip(self->journal, (guint64)lines + 1);
	if (r < 0)
		return tender_journal_set_error(error, r, "read");
	if (r == 0) {
		/* no entry yet: every one to come is new */
		r = sd_journal_seek_head(self->journal);
		if (r < 0)
			return tender_journal_set_error(error, r, "seek in");
	} else if ((guint64)r < (guint64)lines + 1) {
		/* fewer than @lines + 1: we stand on the first, which is wanted too */
		self->on_pending = TRUE;
	}
	return TRUE;
}

/**
 * tender_journal_next:
 * @self: a #TenderJournal
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): the next entry, as tender_journal_entry_new() makes
 * it, or %NULL at the end (without @error) or on failure
 */
GVariant *
tender_journal_next(TenderJournal *self, GError **error)
{
	gint r;

	if (self->on_pending) {
		self->on_pending = FALSE;
		return tender_journal_read_entry(self, error);
	}
	r = sd_journal_next(self->journal);
	if (r < 0) {
		tender_journal_set_error(error, r, "read");
		return NULL;
	}
	if (r == 0)
		return NULL;
	return tender_journal_read_entry(self, error);
}

static GVariant *
tender_journal_build_array(GPtrArray *entries)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aa{sv}"));

	for (guint i = 0; i < entries->len; i++)
		g_variant_builder_add_value(&builder, g_ptr_array_index(entries, i));
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/**
 * tender_journal_read:
 * @self: a #TenderJournal, just opened
 * @lines: at most this many entries
 * @since: (nullable): a cursor: the entries after it; without it, the last ones
 * @max_bytes: at most this many bytes of messages (but at least one entry)
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the entries, oldest first, as an aa{sv}
 */
GVariant *
tender_journal_read(TenderJournal *self,
		    guint lines,
		    const gchar *since,
		    gsize max_bytes,
		    GError **error)
{
	g_autoptr(GPtrArray) entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	gsize bytes = 0;
	gint r;

	if (since != NULL) {
		if (!tender_journal_seek(self, lines, since, error))
			return NULL;
		while (entries->len < lines) {
			g_autoptr(GError) error_local = NULL;
			g_autoptr(GVariant) entry = tender_journal_next(self, &error_local);
			if (error_local != NULL) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			if (entry == NULL)
				break;
			/* the rest on the next page */
			if (entries->len > 0 &&
			    bytes + tender_journal_entry_size(entry) > max_bytes)
				break;
			bytes += tender_journal_entry_size(entry);
			g_ptr_array_add(entries, g_steal_pointer(&entry));
		}
		return tender_journal_build_array(entries);
	}

	/* the last ones: read backwards from the end, so that the budget drops the oldest */
	r = sd_journal_seek_tail(self->journal);
	if (r < 0) {
		tender_journal_set_error(error, r, "seek in");
		return NULL;
	}
	while (entries->len < lines) {
		g_autoptr(GVariant) entry = NULL;
		r = sd_journal_previous(self->journal);
		if (r < 0) {
			tender_journal_set_error(error, r, "read");
			return NULL;
		}
		if (r == 0)
			break;
		entry = tender_journal_read_entry(self, error);
		if (entry == NULL)
			return NULL;
		if (entries->len > 0 && bytes + tender_journal_entry_size(entry) > max_bytes)
			break;
		bytes += tender_journal_entry_size(entry);
		g_ptr_array_add(entries, g_steal_pointer(&entry));
	}
	/* oldest first */
	for (guint i = 0; i < entries->len / 2; i++) {
		gpointer tmp = entries->pdata[i];
		entries->pdata[i] = entries->pdata[entries->len - 1 - i];
		entries->pdata[entries->len - 1 - i] = tmp;
	}
	return tender_journal_build_array(entries);
}

/**
 * tender_journal_get_fd:
 * @self: a #TenderJournal opened with @watch
 *
 * Returns: a file descriptor that becomes readable (POLLIN) when the journal changes; call
 * tender_journal_process() then
 */
gint
tender_journal_get_fd(TenderJournal *self)
{
	return self->fd;
}

/**
 * tender_journal_process:
 * @self: a #TenderJournal opened with @watch
 * @error: (nullable): a #GError
 *
 * Takes note of the changes that made the file descriptor readable.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_journal_process(TenderJournal *self, GError **error)
{
	gint r = sd_journal_process(self->journal);
	if (r < 0)
		return tender_journal_set_error(error, r, "follow");
	return TRUE;
}

typedef struct {
	gchar *workload;
	TenderJournalStream stream;
	guint lines;
	gchar *since;
	gsize max_bytes;
} TenderJournalQuery;

static void
tender_journal_query_free(TenderJournalQuery *query)
{
	g_free(query->workload);
	g_free(query->since);
	g_free(query);
}

static void
tender_journal_query_thread(GTask *task,
			    gpointer source_object,
			    gpointer task_data,
			    GCancellable *cancellable)
{
	TenderJournalQuery *query = task_data;
	g_autoptr(TenderJournal) journal = NULL;
	GVariant *entries;
	GError *error = NULL;

	journal = tender_journal_open(query->workload, query->stream, FALSE, &error);
	if (journal == NULL) {
		g_task_return_error(task, error);
		return;
	}
	entries =
	    tender_journal_read(journal, query->lines, query->since, query->max_bytes, &error);
	if (entries == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, entries, (GDestroyNotify)g_variant_unref);
}

/**
 * tender_journal_query_async:
 * @workload: the workload's name
 * @stream: which of its streams
 * @lines: at most this many entries
 * @since: (nullable): a cursor: the entries after it; without it, the last ones
 * @max_bytes: at most this many bytes of messages (but at least one entry)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * tender_journal_read() in a worker thread, with a journal of its own, so that the main loop
 * never waits on the disk.
 */
void
tender_journal_query_async(const gchar *workload,
			   TenderJournalStream stream,
			   guint lines,
			   const gchar *since,
			   gsize max_bytes,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(NULL, cancellable, callback, user_data);
	TenderJournalQuery *query = g_new0(TenderJournalQuery, 1);

	query->workload = g_strdup(workload);
	query->stream = stream;
	query->lines = lines;
	query->since = g_strdup(since);
	query->max_bytes = max_bytes;
	g_task_set_source_tag(task, tender_journal_query_async);
	g_task_set_task_data(task, query, (GDestroyNotify)tender_journal_query_free);
	g_task_run_in_thread(task, tender_journal_query_thread);
}

/**
 * tender_journal_query_finish:
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the entries, an aa{sv}, oldest first
 */
GVariant *
tender_journal_query_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, NULL), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
