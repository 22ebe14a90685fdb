/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <tender-plugin.h>

G_BEGIN_DECLS

typedef struct _TenderSessionStream TenderSessionStream;

TenderSessionStream *
tender_session_stream_new(TenderCall *call, gint *stdout_fd, gint *stderr_fd, GError **error);
gboolean
tender_session_stream_begin(TenderSessionStream *self, GError **error);
void
tender_session_stream_end(TenderSessionStream *self, JsonObject *last);
void
tender_session_stream_fail(TenderSessionStream *self, const GError *error);
void
tender_session_stream_unref(TenderSessionStream *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionStream, tender_session_stream_unref)

gchar *
tender_session_stream_take_text(GByteArray *pending, const guint8 *data, gsize len, gboolean end);

G_END_DECLS
