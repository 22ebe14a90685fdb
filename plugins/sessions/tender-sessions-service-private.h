/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-session-files.h"
#include "tender-sessions-service.h"

G_BEGIN_DECLS

/*
 * The parts of the sessions plugin's service: tender-sessions-service.c (org.tender.Agent1.Sessions
 * and the session objects' registration), tender-sessions-service-session.c (the methods of
 * org.tender.Agent1.Session, the file operations shared with HTTP) and
 * tender-sessions-service-http.c (the routes below /v1/sessions/).
 */

#define TENDER_SESSIONS_USE    "org.tender.sessions.use"
#define TENDER_SESSIONS_MANAGE "org.tender.sessions.manage"

typedef struct {
	TenderPlugin *plugin;
	TenderSessions *sessions;
	GBytes *session_xml;
	GDBusNodeInfo *session_node; /* the same, parsed: its properties' types */
	gulong added_id;
	gulong removed_id;
} TenderSessionsService;

/* how a call is answered: D-Bus out-args, an HTTP route's (u s), or one of bytes's (u s ay);
 * a file read over HTTP is always its bytes */
typedef enum {
	TENDER_SESSIONS_REPLY_DBUS,
	TENDER_SESSIONS_REPLY_HTTP,
	TENDER_SESSIONS_REPLY_HTTP_BYTES,
} TenderSessionsReply;

gboolean
tender_sessions_http_invalid(TenderCall *call, const gchar *message);
gboolean
tender_sessions_http_flag(TenderCall *call,
			  GVariant *params,
			  const gchar *key,
			  gboolean *out,
			  gboolean def);

/* the session object's registration, per session */
extern const TenderPluginServiceMethod tender_sessions_service_session_methods[];

typedef struct {
	TenderSessionsService *service;
	gchar *user;
	gchar *id;
} TenderSessionsObject;

void
tender_sessions_object_free(TenderSessionsObject *object);

GVariant *
tender_sessions_service_session_property(TenderPlugin *plugin,
					 const gchar *subpath,
					 const gchar *property,
					 gpointer user_data);
gchar *
tender_sessions_service_subpath(TenderSession *session);

/* shared by D-Bus and HTTP */
void
tender_sessions_service_files(TenderSessionsService *self,
			      TenderCall *call,
			      TenderSessionsReply reply,
			      const gchar *user,
			      const gchar *id,
			      TenderSessionFilesOp *op);
void
tender_sessions_service_get(TenderSessionsService *self,
			    TenderCall *call,
			    TenderSessionsReply reply,
			    const gchar *user,
			    const gchar *id,
			    TenderSessionConfig *config);
void
tender_sessions_service_close(TenderSessionsService *self,
			      TenderCall *call,
			      TenderSessionsReply reply,
			      const gchar *user,
			      const gchar *id,
			      gboolean delete_workspace);
JsonObject *
tender_sessions_service_describe(TenderSessionsService *self, TenderSession *session);
void
tender_sessions_service_answer(TenderCall *call, guint status, JsonObject *obj);

/* HttpUse and HttpManage */
void
tender_sessions_service_http_use(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
void
tender_sessions_service_http_manage(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
void
tender_sessions_service_http_files(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
gboolean
tender_sessions_service_add_http_aliases(TenderSessionsService *self, GError **error);

/* commands: Exec and the background processes (tender-sessions-service-exec.c) */
void
tender_sessions_session_exec(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
void
tender_sessions_session_start_process(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
void
tender_sessions_session_list_processes(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
void
tender_sessions_session_get_process_logs(TenderPlugin *plugin,
					 TenderCall *call,
					 gpointer user_data);
void
tender_sessions_session_kill_process(TenderPlugin *plugin, TenderCall *call, gpointer user_data);
TenderSessionProcesses *
tender_sessions_service_lookup_processes(TenderSessionsService *self,
					 const gchar *user,
					 const gchar *id,
					 guint32 *main_pid,
					 GError **error);

/* a process's logs, read or followed (tender-sessions-service-logs.c) */
void
tender_sessions_service_http_logs(TenderSessionsService *self,
				  TenderCall *call,
				  GVariant *params,
				  const gchar *user,
				  const gchar *id,
				  const gchar *process);

gboolean
tender_sessions_service_http_exec(TenderSessionsService *self,
				  TenderCall *call,
				  const gchar *tag,
				  GVariant *params,
				  const gchar *body);

G_END_DECLS
