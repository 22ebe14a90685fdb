/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-call.h"

G_BEGIN_DECLS

/*
 * The core's side of TenderCall: the front-end that made the call gets the outcome, once,
 * through a TenderCallReplyFunc.
 */

/**
 * TenderCallReplyFunc:
 * @value: (nullable): the out-args tuple, checked against the out-signature, on success
 * @error: (nullable): a #TENDER_ERROR, on failure
 * @user_data: the front-end's, for it to free
 *
 * Called exactly once per call.
 */
typedef void (*TenderCallReplyFunc)(GVariant *value, const GError *error, gpointer user_data);

/**
 * TenderCallChannel:
 * @fd_list: (nullable): the descriptors that came with the call (D-Bus)
 * @watch: (nullable): makes the front-end cancel @cancellable once the caller is gone
 *   (called at most once, the first time the plugin asks for the cancellable)
 * @begin_stream: (nullable): starts a streamed answer of @content_type; FALSE with an error
 *   if the caller is gone already.  %NULL: the front-end does not stream
 * @write: hands a chunk of a begun stream to the front-end
 * @get_pending: the bytes handed over and not yet taken by the caller
 * @data: the front-end's, given to each function
 * @free: (nullable): frees @data once the call is completed, after the reply function ran
 *   (the call is then no more: forget it)
 *
 * What a front-end lends a call beyond its arguments.  Once a stream has begun, the
 * front-end calls tender_call_stream_progress() when the caller took some of it, and
 * tender_call_stream_progress() with @gone when the caller went away.
 */
typedef struct {
	GUnixFDList *fd_list;
	void (*watch)(TenderCall *call, gpointer data, GCancellable *cancellable);
	gboolean (*begin_stream)(TenderCall *call,
				 gpointer data,
				 const gchar *content_type,
				 GError **error);
	void (*write)(gpointer data, GBytes *chunk);
	gsize (*get_pending)(gpointer data);
	gpointer data;
	GDestroyNotify free;
} TenderCallChannel;

/* how much of a stream may wait for the caller before tender_call_write_stream_async() waits */
#define TENDER_CALL_STREAM_BACKLOG (256 * 1024)

TenderCall *
tender_call_new(const gchar *plugin_name,
		const TenderCaller *caller,
		const gchar *subpath,
		const gchar *method,
		GVariant *parameters,
		const GVariantType *out_type,
		TenderCallReplyFunc func,
		gpointer user_data);
void
tender_call_set_channel(TenderCall *self, const TenderCallChannel *channel);
gboolean
tender_call_is_streaming(TenderCall *self);
void
tender_call_stream_progress(TenderCall *self, gboolean gone);

G_END_DECLS
