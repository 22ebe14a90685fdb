/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* logs: GetLogs, and FollowLogs for --follow */

#include "config.h"

#include <gio/gunixfdlist.h>
#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <signal.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tenderctl-private.h"

/* an entry of GetLogs or FollowLogs: the message to stdout or stderr as the workload printed
 * it, or the entry as one line of JSON */
static void
tender_ctl_print_log_entry(TenderCtl *self,
			   const gchar *message,
			   const gchar *stream,
			   const gchar *json)
{
	FILE *out = self->json || g_strcmp0(stream, "stderr") != 0 ? stdout : stderr;

	/* stdout is buffered, stderr is not: keep the order where both go to the same place */
	if (self->log_last != NULL && self->log_last != out)
		fflush(self->log_last);
	self->log_last = out;
	/* raw UTF-8, not converted to the locale's charset as g_print() would */
	fputs(self->json ? json : message, out);
	fputc('\n', out);
}

static gboolean
tender_ctl_logs_get(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) entries = NULL;
	GVariantIter iter;
	GVariant *entry = NULL;

	reply = tender_ctl_bus_call(self,
				    TENDER_CTL_MANAGER_PATH,
				    TENDER_CTL_MANAGER_IFACE,
				    "GetLogs",
				    g_variant_new("(s@a{sv})", name, self->options),
				    G_VARIANT_TYPE("(aa{sv})"),
				    TENDER_CTL_TIMEOUT_DEFAULT,
				    error);
	if (reply == NULL) {
		tender_ctl_bus_error_prefix_name(error, "read the logs of", name);
		return FALSE;
	}
	entries = g_variant_get_child_value(reply, 0);
	g_variant_iter_init(&iter, entries);
	while (g_variant_iter_loop(&iter, "@a{sv}", &entry)) {
		const gchar *message = "";
		const gchar *stream = "";
		g_autofree gchar *json = NULL;
		g_autoptr(JsonNode) node = NULL;
		(void)g_variant_lookup(entry, "message", "&s", &message);
		(void)g_variant_lookup(entry, "stream", "&s", &stream);
		if (self->json) {
			node = json_gvariant_serialize(entry);
			json = json_to_string(node, FALSE);
		}
		tender_ctl_print_log_entry(self, message, stream, json);
	}
	return TRUE;
}

static void
tender_ctl_logs_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCtl *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *line = NULL;

	line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
							 res,
							 NULL,
							 &error);
	if (line == NULL) {
		/* the end: the workload was removed, or tenderd went away */
		if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_printerr("tenderctl: %s\n", error->message);
		g_main_loop_quit(self->loop);
		return;
	}
	/* a line cut short by the end of the pipe is no entry */
	root = tender_json_parse(line, -1, TENDER_JSON_DEPTH_MAX, NULL);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		JsonObject *obj = json_node_get_object(root);
		tender_ctl_print_log_entry(self,
					   json_object_get_string_member_with_default(obj,
										      "message",
										      ""),
					   json_object_get_string_member_with_default(obj,
										      "stream",
										      ""),
					   line);
		fflush(self->log_last);
	}
	g_data_input_stream_read_line_async(self->log_stream,
					    G_PRIORITY_DEFAULT,
					    NULL,
					    tender_ctl_logs_line_cb,
					    self);
}

static gboolean
tender_ctl_logs_follow(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GInputStream) input = NULL;
	gint32 index = -1;
	gint fd;

	reply = g_dbus_connection_call_with_unix_fd_list_sync(
	    self->connection,
	    TENDER_CTL_BUS_NAME,
	    TENDER_CTL_MANAGER_PATH,
	    TENDER_CTL_MANAGER_IFACE,
	    "FollowLogs",
	    g_variant_new("(s@a{sv})", name, self->options),
	    G_VARIANT_TYPE("(h)"),
	    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
	    TENDER_CTL_TIMEOUT_DEFAULT,
	    NULL,
	    &fd_list,
	    NULL,
	    &error_local);
	if (reply == NULL) {
		tender_ctl_bus_propagate_error(error, g_steal_pointer(&error_local));
		tender_ctl_bus_error_prefix_name(error, "follow the logs of", name);
		return FALSE;
	}
	g_variant_get(reply, "(h)", &index);
	fd = fd_list != NULL ? g_unix_fd_list_get(fd_list, index, error) : -1;
	if (fd < 0) {
		if (error != NULL && *error == NULL)
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "tenderd sent no file descriptor");
		g_prefix_error(error, "Failed to follow the logs of workload '%s': ", name);
		return FALSE;
	}
	input = g_unix_input_stream_new(fd, TRUE);
	self->log_stream = g_data_input_stream_new(input);
	self->loop = g_main_loop_new(NULL, FALSE);
	g_data_input_stream_read_line_async(self->log_stream,
					    G_PRIORITY_DEFAULT,
					    NULL,
					    tender_ctl_logs_line_cb,
					    self);
	tender_ctl_run_until_interrupted(self->loop);
	return TRUE;
}

gboolean
tender_ctl_cmd_logs(TenderCtl *self, GError **error)
{
	gboolean ret;

	if (self->follow)
		ret = tender_ctl_logs_follow(self, self->names[0], error);
	else
		ret = tender_ctl_logs_get(self, self->names[0], error);
	fflush(stdout);
	return ret;
}
