/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <tender-plugin.h>

G_BEGIN_DECLS

/* a follower that falls this far behind a process's output is ended */
#define TENDER_SESSION_FOLLOW_BEHIND_MAX (1024 * 1024)
/* followers of one process at once, at most */
#define TENDER_SESSION_FOLLOWERS_MAX 16

typedef struct _TenderSessionFollower TenderSessionFollower;

TenderSessionFollower *
tender_session_follower_new_http(TenderCall *call);
TenderSessionFollower *
tender_session_follower_new_fds(TenderCall *call, gint stdout_fd, gint stderr_fd, GError **error);
TenderSessionFollower *
tender_session_follower_ref(TenderSessionFollower *self);
void
tender_session_follower_unref(TenderSessionFollower *self);
void
tender_session_follower_begin(TenderSessionFollower *self, GBytes *out, GBytes *err);
void
tender_session_follower_fail(TenderSessionFollower *self, const GError *error);
void
tender_session_follower_push(TenderSessionFollower *self,
			     guint stream,
			     const guint8 *data,
			     gsize len);
void
tender_session_follower_end(TenderSessionFollower *self, JsonObject *last);
gboolean
tender_session_follower_is_done(TenderSessionFollower *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionFollower, tender_session_follower_unref)

G_END_DECLS
