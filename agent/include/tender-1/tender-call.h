/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

#include "tender-caller.h"

G_BEGIN_DECLS

/**
 * TenderCall:
 *
 * One call of a method a plugin declared with tender_plugin_add_service() or
 * tender_plugin_add_feature_service(), whichever way it came: over D-Bus (org.tender.Agent1,
 * the plugin's object) or over HTTP (`/v1/plugins/NAME/SUBPATH/METHOD` or `/v1/NAME/METHOD`,
 * JSON, or a route alias of tender_plugin_add_http_aliases()).  The core has already checked the
 * arguments against the method's in-signature and asked polkit about the method's action.
 *
 * Complete it exactly once, now or later, with tender_call_return_value() or
 * tender_call_return_error(); completing it frees it.  Until then the client waits.
 *
 * A call may also carry the caller's descriptors (D-Bus, tender_call_get_fd_list()), tell
 * when the caller went away (tender_call_get_cancellable()), and, over HTTP, be answered
 * with a stream of chunks that go out as they come (tender_call_begin_stream()).
 *
 * Since: 0.2
 */
typedef struct _TenderCall TenderCall;

const TenderCaller *
tender_call_get_caller(TenderCall *self);
const gchar *
tender_call_get_method(TenderCall *self);
const gchar *
tender_call_get_subpath(TenderCall *self);
GVariant *
tender_call_get_parameters(TenderCall *self);
void
tender_call_return_value(TenderCall *self, GVariant *value);
void
tender_call_return_error(TenderCall *self, const GError *error);

/* --- descriptors, the caller's end, and streamed answers (Since: 0.5) --- */

GUnixFDList *
tender_call_get_fd_list(TenderCall *self);
GCancellable *
tender_call_get_cancellable(TenderCall *self);
gboolean
tender_call_begin_stream(TenderCall *self, const gchar *content_type, GError **error);
void
tender_call_write_stream_async(TenderCall *self,
			       GBytes *chunk,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_call_write_stream_finish(TenderCall *self, GAsyncResult *res, GError **error);

G_END_DECLS
