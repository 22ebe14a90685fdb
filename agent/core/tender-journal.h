/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the workload output GetLogs and FollowLogs read: which stream */
typedef enum {
	TENDER_JOURNAL_STREAM_BOTH,
	TENDER_JOURNAL_STREAM_STDOUT,
	TENDER_JOURNAL_STREAM_STDERR,
} TenderJournalStream;

/* a journal cursor is about 150 bytes; anything much longer is not one */
#define TENDER_JOURNAL_CURSOR_MAX 1024

typedef struct _TenderJournal TenderJournal;

gboolean
tender_journal_stream_from_string(const gchar *text, TenderJournalStream *stream);
gboolean
tender_journal_check_cursor(const gchar *cursor, GError **error);
GVariant *
tender_journal_entry_new(const gchar *message,
			 gsize message_len,
			 const gchar *stream,
			 guint64 realtime_usec,
			 const gchar *cursor);
gchar *
tender_journal_entry_to_json(GVariant *entry);

TenderJournal *
tender_journal_open(const gchar *workload,
		    TenderJournalStream stream,
		    gboolean watch,
		    GError **error);
void
tender_journal_free(TenderJournal *self);
gboolean
tender_journal_seek(TenderJournal *self, guint lines, const gchar *since, GError **error);
GVariant *
tender_journal_next(TenderJournal *self, GError **error);
GVariant *
tender_journal_read(TenderJournal *self,
		    guint lines,
		    const gchar *since,
		    gsize max_bytes,
		    GError **error);
gint
tender_journal_get_fd(TenderJournal *self);
gboolean
tender_journal_process(TenderJournal *self, GError **error);

void
tender_journal_query_async(const gchar *workload,
			   TenderJournalStream stream,
			   guint lines,
			   const gchar *since,
			   gsize max_bytes,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
GVariant *
tender_journal_query_finish(GAsyncResult *res, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderJournal, tender_journal_free)

G_END_DECLS
