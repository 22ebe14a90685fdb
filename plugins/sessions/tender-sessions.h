/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <tender-plugin.h>

#include "tender-session.h"

G_BEGIN_DECLS

#define TENDER_SESSIONS_WORKSPACE_ROOT_DEFAULT "/var/lib/tender/workspaces"
#define TENDER_SESSIONS_MAX_DEFAULT	       64
/* each session is an object of the plugin, which may have 256 */
#define TENDER_SESSIONS_MAX_MAX TENDER_PLUGIN_FEATURE_OBJECTS_MAX

/* [plugin sessions] of tenderd.conf */
typedef struct {
	const gchar *workspace_root;
	const gchar *default_backend;
	const gchar *default_image; /* nullable */
	guint max_sessions;
	gsize max_file_size;
	guint max_processes;   /* running at once per session */
	gsize process_log_max; /* bytes of each log of a background process */
} TenderSessionsSettings;

#define TENDER_TYPE_SESSIONS (tender_sessions_get_type())
G_DECLARE_FINAL_TYPE(TenderSessions, tender_sessions, TENDER, SESSIONS, GObject)

TenderSessions *
tender_sessions_new(TenderPlugin *plugin, const TenderSessionsSettings *settings);
gboolean
tender_sessions_load(TenderSessions *self, GError **error);
const TenderSessionsSettings *
tender_sessions_get_settings(TenderSessions *self);

void
tender_sessions_get_async(TenderSessions *self,
			  const gchar *user,
			  const gchar *id,
			  TenderSessionConfig *config,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
TenderSession *
tender_sessions_get_finish(TenderSessions *self,
			   GAsyncResult *res,
			   gboolean *created,
			   GError **error);

TenderSession *
tender_sessions_lookup(TenderSessions *self, const gchar *user, const gchar *id, GError **error);
GPtrArray *
tender_sessions_list(TenderSessions *self, const gchar *user);
JsonObject *
tender_sessions_describe(TenderSessions *self, TenderSession *session);

void
tender_sessions_use_async(TenderSessions *self,
			  const gchar *user,
			  const gchar *id,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
TenderSession *
tender_sessions_use_finish(TenderSessions *self,
			   GAsyncResult *res,
			   guint32 *main_pid,
			   GError **error);
void
tender_sessions_release(TenderSessions *self, TenderSession *session);
void
tender_sessions_touch(TenderSessions *self, TenderSession *session);

void
tender_sessions_close_async(TenderSessions *self,
			    const gchar *user,
			    const gchar *id,
			    gboolean delete_workspace,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
gboolean
tender_sessions_close_finish(TenderSessions *self, GAsyncResult *res, GError **error);

G_END_DECLS
