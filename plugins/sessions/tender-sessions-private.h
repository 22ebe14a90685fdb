/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-sessions.h"

G_BEGIN_DECLS

/*
 * The manager's two halves: tender-sessions.c (the sessions, their records, get-or-create,
 * list, describe, close) and tender-sessions-sandbox.c (each session's workload: made,
 * started, followed, expired, removed).
 */

struct _TenderSessions {
	GObject parent_instance;
	TenderPlugin *plugin;
	TenderSessionsSettings settings; /* its strings owned below */
	gchar *workspace_root;
	gchar *default_backend;
	gchar *default_image;
	gchar *records_dir;
	GHashTable *sessions; /* "USER/ID" -> TenderSession */
	guint watch_id;
};

void
tender_sessions_save(TenderSessions *self, TenderSession *session);

/* the sandbox: made if missing, started if not running; @task gets the session */
void
tender_sessions_sandbox_ensure(TenderSessions *self, TenderSession *session, GTask *task);
void
tender_sessions_sandbox_remove(TenderSessions *self,
			       TenderSession *session,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
gboolean
tender_sessions_sandbox_remove_finish(GAsyncResult *res, GError **error);
void
tender_sessions_sandbox_reconcile(TenderSessions *self, TenderSession *session);
void
tender_sessions_sandbox_schedule(TenderSessions *self, TenderSession *session);
void
tender_sessions_sandbox_watch(TenderSessions *self);
gchar *
tender_sessions_sandbox_workload_state(TenderSessions *self,
				       TenderSession *session,
				       guint32 *main_pid,
				       gchar **address);

G_END_DECLS
