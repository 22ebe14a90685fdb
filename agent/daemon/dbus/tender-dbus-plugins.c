/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include "tender-dbus-daemon-private.h"
#include "tender-error.h"
#include "tender-plugin-private.h"

/*
 * The objects plugins put on the bus with tender_plugin_add_dbus_object(): exported while
 * the plugin is active (or deferred, until it is), each call authorized with the action the
 * plugin gave its method, then handed to the plugin with the caller's uid.
 */

/* the object a plugin registered at @object_path, if it is still there */
static TenderPluginDbusObject *
tender_dbus_daemon_find_plugin_object(TenderDbusDaemon *self, const gchar *object_path)
{
	GPtrArray *plugins = tender_plugin_list_get_plugins(self->plugins);

	for (guint i = 0; i < plugins->len; i++) {
		GPtrArray *objects = tender_plugin_get_dbus_objects(g_ptr_array_index(plugins, i));
		for (guint j = 0; j < objects->len; j++) {
			TenderPluginDbusObject *obj = g_ptr_array_index(objects, j);
			if (g_strcmp0(obj->object_path, object_path) == 0)
				return obj;
		}
	}
	return NULL;
}

typedef struct {
	TenderDbusDaemon *self;
	GDBusMethodInvocation *invocation;
	TenderAuthoritySubject *caller;
} TenderDbusPluginCall;

static void
tender_dbus_plugin_call_free(TenderDbusPluginCall *call)
{
	g_object_unref(call->self);
	g_object_unref(call->invocation);
	tender_authority_subject_free(call->caller);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusPluginCall, tender_dbus_plugin_call_free)

/* hands an authorized call, with its caller's uid, to the plugin */
static void
tender_dbus_daemon_plugin_dispatch(TenderDbusPluginCall *call)
{
	const gchar *path = g_dbus_method_invocation_get_object_path(call->invocation);
	TenderPluginDbusObject *obj = tender_dbus_daemon_find_plugin_object(call->self, path);

	if (obj == NULL) {
		g_dbus_method_invocation_return_error(call->invocation,
						      TENDER_ERROR,
						      TENDER_ERROR_NOT_FOUND,
						      "The object %s went away",
						      path);
		return;
	}
	obj->func(obj->plugin, call->caller, g_object_ref(call->invocation), obj->user_data);
}

/* authorized: the plugin gets the caller with its uid, which plugins may key their state on */
static void
tender_dbus_daemon_plugin_call(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	g_autoptr(TenderDbusPluginCall) call = g_new0(TenderDbusPluginCall, 1);

	call->self = g_object_ref(self);
	call->invocation = g_object_ref(invocation);
	if (g_dbus_method_invocation_get_sender(invocation) == NULL) {
		/* a peer-to-peer connection: the peer is trusted, as tenderd's own user */
		call->caller = tender_authority_subject_new_uid((guint32)getuid());
	} else {
		call->caller = tender_authority_subject_copy(tender_request_get_subject(request));
	}
	tender_dbus_daemon_plugin_dispatch(call);
}

static void
tender_dbus_daemon_plugin_method_call(GDBusConnection *connection,
				      const gchar *sender,
				      const gchar *object_path,
				      const gchar *interface_name,
				      const gchar *method_name,
				      GVariant *parameters,
				      GDBusMethodInvocation *invocation,
				      gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = tender_dbus_daemon_find_plugin_object(self, object_path);
	g_autoptr(TenderRequest) request = NULL;
	const gchar *action;

	/* plugin interfaces have no properties (tender_plugin_add_dbus_object refuses them) */
	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") == 0) {
		if (g_strcmp0(method_name, "GetAll") == 0) {
			g_dbus_method_invocation_return_value(invocation,
							      g_variant_new_parsed("(@a{sv} {},)"));
			return;
		}
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_PROPERTY,
						      "%s has no properties",
						      interface_name);
		return;
	}
	action = obj != NULL ? g_hash_table_lookup(obj->actions, method_name) : NULL;
	if (action == NULL) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_METHOD,
						      "No method %s",
						      method_name);
		return;
	}
	request = tender_dbus_daemon_request_new(invocation);
	tender_request_set_method_action(request, method_name, action);
	tender_request_set_detail(request, "plugin", tender_plugin_get_name(obj->plugin));
	tender_request_set_detail(request, "object_path", object_path);
	tender_dbus_daemon_authorize(self,
				     invocation,
				     request,
				     NULL,
				     tender_dbus_daemon_plugin_call);
}

static const GDBusInterfaceVTable tender_dbus_daemon_plugin_vtable = {
    .method_call = tender_dbus_daemon_plugin_method_call,
};

static void
tender_dbus_daemon_plugin_object_added_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = data;
	g_autoptr(GError) error = NULL;

	obj->registration_id = g_dbus_connection_register_object(self->connection,
								 obj->object_path,
								 obj->iface,
								 &tender_dbus_daemon_plugin_vtable,
								 self,
								 NULL,
								 &error);
	if (obj->registration_id == 0)
		g_warning("plugin %s: cannot export %s: %s",
			  tender_plugin_get_name(plugin),
			  obj->object_path,
			  error->message);
}

static void
tender_dbus_daemon_plugin_object_removed_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderPluginDbusObject *obj = data;

	if (obj->registration_id != 0)
		g_dbus_connection_unregister_object(self->connection, obj->registration_id);
	obj->registration_id = 0;
}

/* puts the objects of every active plugin on the bus, now and as they come */
void
tender_dbus_daemon_register_plugins(TenderDbusDaemon *self)
{
	GPtrArray *plugins;

	if (self->plugins == NULL)
		return;
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		GPtrArray *objects = tender_plugin_get_dbus_objects(plugin);

		/* a deferred plugin may become active later: its objects come then */
		if (tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_ACTIVE &&
		    tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_DEFERRED)
			continue;
		tender_plugin_set_connection(plugin, self->connection);
		for (guint j = 0; j < objects->len; j++)
			tender_dbus_daemon_plugin_object_added_cb(plugin,
								  g_ptr_array_index(objects, j),
								  self);
		g_signal_connect_object(plugin,
					"dbus-object-added",
					G_CALLBACK(tender_dbus_daemon_plugin_object_added_cb),
					self,
					0);
		g_signal_connect_object(plugin,
					"dbus-object-removed",
					G_CALLBACK(tender_dbus_daemon_plugin_object_removed_cb),
					self,
					0);
	}
}

void
tender_dbus_daemon_unregister_plugins(TenderDbusDaemon *self)
{
	GPtrArray *plugins;

	if (self->plugins == NULL || self->connection == NULL)
		return;
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(plugins, i);
		GPtrArray *objects = tender_plugin_get_dbus_objects(plugin);

		g_signal_handlers_disconnect_by_data(plugin, self);
		for (guint j = 0; j < objects->len; j++)
			tender_dbus_daemon_plugin_object_removed_cb(plugin,
								    g_ptr_array_index(objects, j),
								    self);
		tender_plugin_set_connection(plugin, NULL);
	}
}

/**
 * tender_dbus_daemon_set_plugins:
 * @self: a #TenderDbusDaemon
 * @plugins: the loaded plugins
 *
 * Serves ListPlugins and the plugins' objects.  Call before tender_dbus_daemon_register().
 */
void
tender_dbus_daemon_set_plugins(TenderDbusDaemon *self, TenderPluginList *plugins)
{
	g_return_if_fail(TENDER_IS_DBUS_DAEMON(self));
	g_set_object(&self->plugins, plugins);
}
