/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-sessions.h"

G_BEGIN_DECLS

/*
 * The manager's parts: tender-sessions.c (the sessions, their records, get-or-create,
 * list, describe, close), tender-sessions-sandbox.c (each session's workload: made,
 * started, followed, expired, removed) and tender-sessions-health.c (the health monitor).
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
	GHashTable *health; /* "USER/ID" -> what the health monitor keeps of it */
	guint health_id;
	GHashTable *unsaved; /* sessions whose last activity is not in their record yet */
	guint flush_id;
};

/* how long a session's last activity may wait before it is saved in its record: a call is
 * not a write to the disk, and a tenderd killed meanwhile finds the session idle a little
 * longer than it was, at most this long */
#define TENDER_SESSIONS_ACTIVITY_FLUSH_SEC 5

/* [plugin sessions] health-interval, seconds */
#define TENDER_SESSIONS_HEALTH_INTERVAL_DEFAULT 30
#define TENDER_SESSIONS_HEALTH_INTERVAL_MAX	86400
/* the log lines kept on a session when its sandbox is recovered */
#define TENDER_SESSIONS_HEALTH_LOG_LINES 20
/* how last_error starts when a sandbox that should run ended */
#define TENDER_SESSIONS_ENDED_PREFIX "the sandbox ended"

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

/* the health monitor (tender-sessions-health.c) */
gboolean
tender_sessions_health_start(TenderSessions *self, GError **error);
void
tender_sessions_health_stop(TenderSessions *self);
void
tender_sessions_health_describe(TenderSessions *self, TenderSession *session, JsonObject *obj);
void
tender_sessions_health_forget(TenderSessions *self, TenderSession *session);

G_END_DECLS
