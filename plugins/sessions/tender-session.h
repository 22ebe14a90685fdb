/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-session-config.h"
#include "tender-session-processes.h"

G_BEGIN_DECLS

/* an id: [A-Za-z0-9_.-]{1,64}, but not "." or ".." */
#define TENDER_SESSION_ID_MAX 64

/**
 * TenderSessionState:
 * @TENDER_SESSION_STATE_RUNNING: its sandbox runs
 * @TENDER_SESSION_STATE_STOPPED: its sandbox stopped (its lifetime was reached, or it ended);
 *   the next use starts it again
 * @TENDER_SESSION_STATE_EXPIRED: idle for its inactivity timeout: the sandbox was removed, the
 *   record and the workspace kept; the next GetSession makes a new sandbox
 * @TENDER_SESSION_STATE_FAILED: its sandbox could not be made or started; last_error says why
 */
typedef enum {
	TENDER_SESSION_STATE_RUNNING,
	TENDER_SESSION_STATE_STOPPED,
	TENDER_SESSION_STATE_EXPIRED,
	TENDER_SESSION_STATE_FAILED,
} TenderSessionState;

/**
 * TenderSession:
 *
 * One session: (user, id), its config, its workload and what became of it.  The manager
 * (TenderSessions) owns them; the record (tender_session_to_json()) is what survives tenderd.
 */
typedef struct {
	gint refcount;
	gchar *user;
	gchar *id;
	gchar *workload;  /* the tender workload of its sandbox */
	gchar *workspace; /* the host directory at /workspace, or NULL */
	TenderSessionConfig *config;
	TenderSessionState state;
	gint64 created_at;    /* wall clock, µs */
	gint64 last_activity; /* wall clock, µs */
	gint64 started_at;    /* wall clock, µs, of the sandbox's last start; 0 before */
	gchar *last_error;    /* or NULL */
	/* told when its state or last error changes (the service's PropertiesChanged) */
	void (*changed)(gpointer session, gpointer data);
	gpointer changed_data;
	/* the manager's */
	guint busy;    /* calls under way that keep it from expiring (exec and processes, later) */
	guint idle_id; /* the idle expiry's timer */
	GPtrArray *waiters; /* GTasks waiting for its sandbox to be made or started */
	gboolean closing;   /* Close is under way */
	gboolean removing;  /* its workload is being removed (expiry, recreate) */
	TenderSessionProcesses *processes; /* its background processes, or NULL before one */
} TenderSession;

TenderSession *
tender_session_new(const gchar *user, const gchar *id, TenderSessionConfig *config);
TenderSession *
tender_session_ref(TenderSession *self);
void
tender_session_unref(TenderSession *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSession, tender_session_unref)

gboolean
tender_session_check_id(const gchar *what, const gchar *value, GError **error);
gchar *
tender_session_workload_name(const gchar *user, const gchar *id, gboolean hashed);
gchar *
tender_session_key(const gchar *user, const gchar *id);
gchar *
tender_session_subpath(const gchar *user, const gchar *id);

const gchar *
tender_session_state_to_string(TenderSessionState state);
void
tender_session_set_state(TenderSession *self, TenderSessionState state, const gchar *error);
gint64
tender_session_get_expires_at(TenderSession *self);

JsonObject *
tender_session_to_json(TenderSession *self);
void
tender_session_set_time(JsonObject *obj, const gchar *member, gint64 usec);
TenderSession *
tender_session_from_json(JsonObject *obj, GError **error);

G_END_DECLS
