/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "tenderctl-private.h"

/* what tenderctl-session.c and tenderctl-session-run.c share */

#define TENDER_CTL_SESSIONS_PATH  "/org/tender/Agent1/sessions"
#define TENDER_CTL_SESSIONS_IFACE "org.tender.Agent1.Sessions"
#define TENDER_CTL_SESSION_IFACE  "org.tender.Agent1.Session"

/* the options of the session verbs (--env, --workdir and --timeout are TenderCtl's tool_env,
 * exec_workdir and timeout, --signal its signal) */
struct _TenderCtlSessionOpts {
	/* get */
	gchar *backend;
	gchar *image;
	gchar *rootfs;
	gchar *isolation;
	gchar *memory;
	gchar *cpu;
	gchar *pids;
	gchar **volumes;
	gchar **ports;
	gchar *network;
	gchar *user;
	gchar *lifetime;
	gchar *idle_timeout;
	gboolean no_workspace;
	gboolean recreate;
	/* list */
	gchar *list_user;
	/* write */
	gchar *mode;
	gboolean append;
	/* logs */
	gchar *tail;
	gboolean follow; /* logs --follow */
	/* close */
	gboolean delete_workspace;

	/* what they make, before tenderctl connects: GetSession's config, or the options of
	 * the method (without Exec's descriptors, added when it is called) */
	GVariant *options;
};

gboolean
tender_ctl_session_usage(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

/* tenderctl-session-show.c: get, list, show and close, calls and printing */
gboolean
tender_ctl_session_build_config(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_get(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_list(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_show(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_close(TenderCtl *self, GError **error);
GVariant *
tender_ctl_session_call(TenderCtl *self,
			const gchar *method,
			GVariant *parameters,
			const GVariantType *reply_type,
			GUnixFDList *fd_list,
			GError **error);
gboolean
tender_ctl_session_parse_uint(const gchar *text,
			      const gchar *option,
			      guint64 max,
			      guint64 *value,
			      GError **error);
JsonNode *
tender_ctl_session_reply_json(GVariant *reply);
const gchar *
tender_ctl_session_json_string(JsonObject *obj, const gchar *key);
void
tender_ctl_session_print_table(const gchar *const *header, GPtrArray *rows);

/* tenderctl-session-run.c: the commands in a session, its files and background processes */
gboolean
tender_ctl_session_build_command_options(TenderCtl *self, gboolean exec, GError **error);
gboolean
tender_ctl_session_build_file_options(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_exec(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_start(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_ps(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_logs(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_kill(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_write(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_read(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_ls(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_session_rm(TenderCtl *self, GError **error);
