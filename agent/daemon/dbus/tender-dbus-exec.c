/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixfdlist.h>

#include "tender-dbus-daemon-private.h"

/*
 * ExecWorkload over D-Bus, once authorized: the call's descriptors go to the engine with its
 * options, the command's answer comes back as (i exit_code, i signal, ay stdout, ay stderr,
 * b truncated).  A caller that leaves the bus before the command has ended gets no answer,
 * and the command is killed: it was theirs.
 */

typedef struct {
	GDBusMethodInvocation *invocation;
	GCancellable *cancellable;
	guint vanished_id;
} TenderDbusExec;

static void
tender_dbus_exec_free(TenderDbusExec *call)
{
	if (call->vanished_id != 0)
		g_bus_unwatch_name(call->vanished_id);
	g_object_unref(call->cancellable);
	g_object_unref(call->invocation);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusExec, tender_dbus_exec_free)

/* the caller left the bus: nobody is there for the answer */
static void
tender_dbus_exec_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	TenderDbusExec *call = user_data;
	g_cancellable_cancel(call->cancellable);
}

static GVariant *
tender_dbus_exec_bytes(GByteArray *array)
{
	g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes(g_byte_array_ref(array));
	return g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, bytes, TRUE);
}

static void
tender_dbus_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDbusExec) call = user_data;
	g_autoptr(TenderRuntimeExec) exec = NULL;
	GError *error = NULL;

	exec = tender_engine_exec_workload_finish(TENDER_ENGINE(source), res, &error);
	if (exec == NULL) {
		tender_dbus_daemon_return_error(call->invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(call->invocation,
					      g_variant_new("(ii@ay@ayb)",
							    exec->exit_code,
							    exec->signo,
							    tender_dbus_exec_bytes(exec->out),
							    tender_dbus_exec_bytes(exec->err),
							    exec->truncated));
}

void
tender_dbus_daemon_exec(TenderDbusDaemon *self,
			GDBusMethodInvocation *invocation,
			TenderRequest *request)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	TenderDbusExec *call = g_new0(TenderDbusExec, 1);
	const gchar *name = NULL;
	g_autofree const gchar **argv = NULL;
	g_autoptr(GVariant) options = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s^a&s@a{sv})",
		      &name,
		      &argv,
		      &options);
	call->invocation = g_object_ref(invocation);
	call->cancellable = g_cancellable_new();
	if (sender != NULL)
		call->vanished_id =
		    g_bus_watch_name_on_connection(g_dbus_method_invocation_get_connection(
						       invocation),
						   sender,
						   G_BUS_NAME_WATCHER_FLAGS_NONE,
						   NULL,
						   tender_dbus_exec_vanished_cb,
						   call,
						   NULL);
	tender_engine_exec_workload_async(self->engine,
					  name,
					  argv,
					  options,
					  g_dbus_message_get_unix_fd_list(message),
					  call->cancellable,
					  tender_dbus_exec_cb,
					  call);
}
