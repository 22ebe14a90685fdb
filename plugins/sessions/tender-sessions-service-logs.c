/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <unistd.h>

#include "tender-session-follow.h"
#include "tender-sessions-private.h"
#include "tender-sessions-service-private.h"

/*
 * A background process's logs, for D-Bus (GetProcessLogs) and HTTP (GET
 * .../processes/ID/logs): what is kept, or followed (D-Bus: written to the caller's
 * descriptors; HTTP: a stream of NDJSON lines) until the process ended and all its output
 * went out, or the caller left.
 */

typedef struct {
	TenderCall *call;
	TenderSessionsReply reply;
} TenderSessionsLogsCall;

static void
tender_sessions_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autofree TenderSessionsLogsCall *logs = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) err = NULL;
	g_autoptr(JsonObject) obj = NULL;
	const gchar *data;
	gsize len = 0;

	if (!tender_session_processes_logs_finish(res, &out, &err, &error)) {
		tender_call_return_error(logs->call, error);
		return;
	}
	if (logs->reply == TENDER_SESSIONS_REPLY_DBUS) {
		tender_call_return_value(
		    logs->call,
		    g_variant_new("(@ay@ay)",
				  g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, out, TRUE),
				  g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, err, TRUE)));
		return;
	}
	obj = json_object_new();
	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *text = NULL;
		data = g_bytes_get_data(i == 0 ? out : err, &len);
		text = g_utf8_make_valid(data != NULL ? data : "", (gssize)len);
		json_object_set_string_member(obj, i == 0 ? "stdout" : "stderr", text);
	}
	tender_sessions_service_answer(logs->call, 200, obj);
}

/* the logs of @process: read, or followed by @follower (taken) */
static void
tender_sessions_service_logs(TenderSessionsService *self,
			     TenderCall *call,
			     TenderSessionsReply reply,
			     const gchar *user,
			     const gchar *id,
			     const gchar *process,
			     guint tail,
			     TenderSessionFollower *follower)
{
	g_autoptr(TenderSessionFollower) owned = follower;
	g_autoptr(GError) error = NULL;
	TenderSessionProcesses *processes =
	    tender_sessions_service_lookup_processes(self, user, id, NULL, &error);
	TenderSessionsLogsCall *logs;

	if (processes == NULL ||
	    (follower != NULL &&
	     !tender_session_processes_follow(processes, process, tail, follower, &error))) {
		if (follower != NULL)
			tender_session_follower_fail(follower, error);
		else
			tender_call_return_error(call, error);
		return;
	}
	if (follower != NULL)
		return;
	logs = g_new0(TenderSessionsLogsCall, 1);
	logs->call = call;
	logs->reply = reply;
	tender_session_processes_logs_async(processes,
					    process,
					    tail,
					    tender_sessions_logs_cb,
					    logs);
}

/* GetProcessLogs's option stdout or stderr: a descriptor of the call's, in @fds (taken) */
static gboolean
tender_sessions_logs_fd(TenderCall *call, const gchar *key, GVariant *value, gint *fd)
{
	GUnixFDList *fd_list = tender_call_get_fd_list(call);
	gint32 handle = g_variant_get_handle(value);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *message = NULL;

	if (fd_list == NULL || handle < 0 || handle >= g_unix_fd_list_get_length(fd_list)) {
		message = g_strdup_printf("Option '%s' is the handle %d, but the call came with "
					  "%d descriptors",
					  key,
					  handle,
					  fd_list != NULL ? g_unix_fd_list_get_length(fd_list) : 0);
		return tender_sessions_http_invalid(call, message);
	}
	if (*fd >= 0)
		(void)close(*fd);
	*fd = g_unix_fd_list_get(fd_list, handle, &error);
	if (*fd < 0) {
		tender_call_return_error(call, error);
		return FALSE;
	}
	return TRUE;
}

/* GetProcessLogs's options: tail u, follow b, stdout h, stderr h (with follow, both) */
static gboolean
tender_sessions_logs_options(TenderCall *call,
			     GVariant *options,
			     guint *tail,
			     gboolean *follow,
			     gint fds[3])
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		g_autofree gchar *message = NULL;
		if (g_strcmp0(key, "tail") == 0 &&
		    g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
			*tail = g_variant_get_uint32(value);
		} else if (g_strcmp0(key, "follow") == 0 &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
			*follow = g_variant_get_boolean(value);
		} else if ((g_strcmp0(key, "stdout") == 0 || g_strcmp0(key, "stderr") == 0) &&
			   g_variant_is_of_type(value, G_VARIANT_TYPE_HANDLE)) {
			if (!tender_sessions_logs_fd(call,
						     key,
						     value,
						     &fds[g_strcmp0(key, "stdout") == 0 ? 1 : 2]))
				return FALSE;
		} else {
			message = g_strdup_printf("Invalid option '%s': the options are tail u, "
						  "follow b, stdout h and stderr h",
						  key);
			return tender_sessions_http_invalid(call, message);
		}
	}
	if (*follow && (fds[1] < 0 || fds[2] < 0))
		return tender_sessions_http_invalid(call,
						    "Option 'follow' needs the descriptors to "
						    "write to: stdout h and stderr h");
	if (!*follow && (fds[1] >= 0 || fds[2] >= 0))
		return tender_sessions_http_invalid(call,
						    "Options 'stdout' and 'stderr' are for "
						    "'follow': without it, the logs are the "
						    "method's answer");
	return TRUE;
}

void
tender_sessions_session_get_process_logs(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GError) error = NULL;
	TenderSessionFollower *follower = NULL;
	const gchar *process = NULL;
	gboolean follow = FALSE;
	gint fds[3] = {-1, -1, -1};
	guint tail = 0;

	g_variant_get(tender_call_get_parameters(call), "(&s@a{sv})", &process, &options);
	if (!tender_sessions_logs_options(call, options, &tail, &follow, fds)) {
		for (guint i = 1; i <= 2; i++) {
			if (fds[i] >= 0)
				(void)close(fds[i]);
		}
		return;
	}
	if (follow) {
		follower = tender_session_follower_new_fds(call, fds[1], fds[2], &error);
		if (follower == NULL) {
			tender_call_return_error(call, error);
			return;
		}
	}
	tender_sessions_service_logs(object->service,
				     call,
				     TENDER_SESSIONS_REPLY_DBUS,
				     object->user,
				     object->id,
				     process,
				     tail,
				     follower);
}

/**
 * tender_sessions_service_http_logs:
 * @params: the route's parameters and query: tail=N, follow=1
 *
 * GET .../processes/ID/logs: {"stdout", "stderr"} of what is kept, or with follow=1 a stream
 * of NDJSON lines.
 */
void
tender_sessions_service_http_logs(TenderSessionsService *self,
				  TenderCall *call,
				  GVariant *params,
				  const gchar *user,
				  const gchar *id,
				  const gchar *process)
{
	const gchar *tail_text = NULL;
	gboolean follow = FALSE;
	guint64 tail = 0;

	if (g_variant_lookup(params, "tail", "&s", &tail_text) &&
	    !g_ascii_string_to_unsigned(tail_text,
					10,
					0,
					TENDER_SESSION_PROCESS_TAIL_MAX,
					&tail,
					NULL)) {
		g_autofree gchar *message =
		    g_strdup_printf("Invalid query parameter 'tail': give 0 to %d lines",
				    TENDER_SESSION_PROCESS_TAIL_MAX);
		(void)tender_sessions_http_invalid(call, message);
		return;
	}
	if (!tender_sessions_http_flag(call, params, "follow", &follow, FALSE))
		return;
	tender_sessions_service_logs(self,
				     call,
				     TENDER_SESSIONS_REPLY_HTTP,
				     user,
				     id,
				     process,
				     (guint)tail,
				     follow ? tender_session_follower_new_http(call) : NULL);
}
