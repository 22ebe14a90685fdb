/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* how much a stream holds for a client that does not read */
#define TENDER_HTTP_STREAM_BACKLOG (256 * 1024)

typedef struct _TenderHttpStream TenderHttpStream;

TenderHttpStream *
tender_http_stream_new(SoupServerMessage *msg, const gchar *content_type);
void
tender_http_stream_release(TenderHttpStream *stream);
void
tender_http_stream_append(TenderHttpStream *stream, const gchar *data, gsize len);
void
tender_http_stream_drop(TenderHttpStream *stream);
void
tender_http_stream_end(TenderHttpStream *stream);
gsize
tender_http_stream_get_pending(TenderHttpStream *stream);
void
tender_http_stream_set_list(TenderHttpStream *stream, GPtrArray *list);
void
tender_http_stream_read_from(TenderHttpStream *stream, GInputStream *input);

G_END_DECLS
