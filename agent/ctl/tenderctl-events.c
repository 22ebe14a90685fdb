/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* events: the state changes of workloads as they happen */

#include "config.h"

#include <glib-unix.h>
#include <signal.h>

#include "tenderctl-private.h"

typedef struct {
	TenderCtl *self;
	GMainLoop *loop;
} TenderCtlEvents;

static void
tender_ctl_events_signal_cb(GDBusConnection *connection,
			    const gchar *sender,
			    const gchar *path,
			    const gchar *iface,
			    const gchar *signal,
			    GVariant *params,
			    gpointer user_data)
{
	TenderCtlEvents *events = user_data;
	TenderCtl *self = events->self;
	const gchar *name = NULL;
	const gchar *old_state = NULL;
	const gchar *new_state = NULL;
	const gchar *reason = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");

	if (!g_variant_is_of_type(params, G_VARIANT_TYPE("(ssss)")))
		return;
	g_variant_get(params, "(&s&s&s&s)", &name, &old_state, &new_state, &reason);
	if (self->names[0] != NULL && !g_strv_contains((const gchar *const *)self->names, name))
		return;
	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonNode) root = NULL;
		g_autofree gchar *text = NULL;
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "timestamp");
		json_builder_add_string_value(builder, stamp);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, name);
		json_builder_set_member_name(builder, "old_state");
		json_builder_add_string_value(builder, old_state);
		json_builder_set_member_name(builder, "new_state");
		json_builder_add_string_value(builder, new_state);
		json_builder_set_member_name(builder, "reason");
		json_builder_add_string_value(builder, reason);
		json_builder_end_object(builder);
		root = json_builder_get_root(builder);
		text = json_to_string(root, FALSE);
		fprintf(stdout, "%s\n", text);
	} else {
		fprintf(stdout,
			"%s %s %s -> %s%s%s%s\n",
			stamp,
			name,
			old_state,
			new_state,
			reason[0] != '\0' ? " (" : "",
			reason,
			reason[0] != '\0' ? ")" : "");
	}
	fflush(stdout);
}

gboolean
tender_ctl_cmd_events(TenderCtl *self, GError **error)
{
	TenderCtlEvents events = {self, g_main_loop_new(NULL, FALSE)};
	guint sub;

	sub = g_dbus_connection_signal_subscribe(self->connection,
						 TENDER_CTL_BUS_NAME,
						 TENDER_CTL_MANAGER_IFACE,
						 "WorkloadStateChanged",
						 TENDER_CTL_MANAGER_PATH,
						 NULL,
						 G_DBUS_SIGNAL_FLAGS_NONE,
						 tender_ctl_events_signal_cb,
						 &events,
						 NULL);
	tender_ctl_run_until_interrupted(events.loop);
	g_dbus_connection_signal_unsubscribe(self->connection, sub);
	g_main_loop_unref(events.loop);
	return TRUE;
}
