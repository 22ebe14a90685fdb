/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include "tender-dbus-properties.h"
#include "tender-dbus-service.h"
#include "tender-error.h"
#include "tender-plugin-private.h"
#include "tender-request.h"
#include "tender-service.h"

/*
 * TenderDbusService: the D-Bus bridge of the service registry.  Every service a plugin
 * declared (tender-service.c) is exported as its interface on the plugin's object, and every
 * built-in one (a TenderServiceList's, e.g. the adapter instances) on its own object; a call
 * is authorized by the one request path (the method's polkit action, with the details the
 * service gives: "method", and a plugin's "plugin" and "object_path"), then handed to the
 * handler as a TenderCall, whose outcome becomes the reply.  Properties.Get and GetAll of a
 * service with properties are authorized likewise, with its read action.  What a method is,
 * and what it may answer, the registry says.
 */

struct _TenderDbusService {
	GObject parent_instance;
	GDBusConnection *connection;
	TenderAuthority *authority;
	TenderPluginList *plugins;
	GPtrArray *lists;     /* of TenderServiceList */
	GHashTable *exported; /* TenderService* → registration id */
};

G_DEFINE_TYPE(TenderDbusService, tender_dbus_service, G_TYPE_OBJECT)

/* what one exported interface knows: the bridge outlives its registrations */
typedef struct {
	TenderDbusService *self;
	TenderService *service;
} TenderDbusServiceExport;

static void
tender_dbus_service_export_free(gpointer data)
{
	TenderDbusServiceExport *export = data;
	g_object_unref(export->service);
	g_free(export);
}

/* one call on its way through authorization and the caller's uid to the plugin */
typedef struct {
	TenderService *service;
	GDBusMethodInvocation *invocation;
	TenderAuthoritySubject *caller;
} TenderDbusServiceCall;

static void
tender_dbus_service_call_free(TenderDbusServiceCall *call)
{
	g_object_unref(call->service);
	g_clear_object(&call->invocation);
	tender_authority_subject_free(call->caller);
	g_free(call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusServiceCall, tender_dbus_service_call_free)

/* the plugin's answer, checked by the registry, becomes the reply */
static void
tender_dbus_service_reply_cb(GVariant *value, const GError *error, gpointer user_data)
{
	GDBusMethodInvocation *invocation = user_data;

	if (error != NULL)
		g_dbus_method_invocation_return_gerror(invocation, error);
	else
		g_dbus_method_invocation_return_value(invocation, value);
}

/* what a call over D-Bus has beyond its arguments: its descriptors, and its caller's end */
typedef struct {
	GDBusConnection *connection;
	gchar *sender;
	TenderCall *call; /* once the plugin watches; not a reference */
	guint watch_id;
} TenderDbusServiceChannel;

static void
tender_dbus_service_channel_free(gpointer data)
{
	TenderDbusServiceChannel *channel = data;

	if (channel->watch_id != 0)
		g_bus_unwatch_name(channel->watch_id);
	g_object_unref(channel->connection);
	g_free(channel->sender);
	g_free(channel);
}

static void
tender_dbus_service_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	TenderDbusServiceChannel *channel = user_data;

	tender_call_stream_progress(channel->call, TRUE);
}

/* the caller leaves the bus: the plugin's call is cancelled */
static void
tender_dbus_service_channel_watch(TenderCall *call, gpointer data, GCancellable *cancellable)
{
	TenderDbusServiceChannel *channel = data;

	if (channel->sender == NULL)
		return;
	channel->call = call;
	channel->watch_id = g_bus_watch_name_on_connection(channel->connection,
							   channel->sender,
							   G_BUS_NAME_WATCHER_FLAGS_NONE,
							   NULL,
							   tender_dbus_service_vanished_cb,
							   channel,
							   NULL);
}

static void
tender_dbus_service_dispatch(TenderDbusServiceCall *call)
{
	GDBusMethodInvocation *invocation = g_steal_pointer(&call->invocation);
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	TenderDbusServiceChannel *data = g_new0(TenderDbusServiceChannel, 1);
	TenderCallChannel channel = {
	    .fd_list = g_dbus_message_get_unix_fd_list(message),
	    .watch = tender_dbus_service_channel_watch,
	    .data = data,
	    .free = tender_dbus_service_channel_free,
	};

	data->connection = g_object_ref(g_dbus_method_invocation_get_connection(invocation));
	data->sender = g_strdup(g_dbus_method_invocation_get_sender(invocation));
	/* the reply callback owns the invocation from here */
	tender_service_call(call->service,
			    call->caller,
			    g_dbus_method_invocation_get_method_name(invocation),
			    g_dbus_method_invocation_get_parameters(invocation),
			    &channel,
			    tender_dbus_service_reply_cb,
			    invocation);
}

static GVariant *
tender_dbus_service_property(gpointer data, gpointer object, const gchar *property)
{
	return tender_service_get_property(TENDER_SERVICE(data), property);
}

/* Properties.Get and GetAll, authorized */
static void
tender_dbus_service_return_properties(TenderDbusServiceCall *call)
{
	tender_dbus_properties_return(g_steal_pointer(&call->invocation),
				      tender_service_get_interface(call->service),
				      tender_dbus_service_property,
				      call->service,
				      NULL);
}

/* whether @call is Properties.Get or GetAll, which GDBus checked against the XML */
static gboolean
tender_dbus_service_is_properties(TenderDbusServiceCall *call)
{
	return g_strcmp0(g_dbus_method_invocation_get_interface_name(call->invocation),
			 "org.freedesktop.DBus.Properties") == 0;
}

/* authorized: the handler gets the caller with its uid, as plugins key state on it */
static void
tender_dbus_service_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDbusServiceCall) call = user_data;
	TenderRequest *request = TENDER_REQUEST(source);
	GError *error = NULL;

	if (!tender_request_authorize_finish(request, res, &error)) {
		tender_error_convert(&error);
		g_dbus_method_invocation_take_error(g_steal_pointer(&call->invocation), error);
		return;
	}
	tender_authority_subject_free(call->caller);
	call->caller = tender_authority_subject_copy(tender_request_get_subject(request));
	if (tender_dbus_service_is_properties(call))
		tender_dbus_service_return_properties(call);
	else
		tender_dbus_service_dispatch(call);
}

static void
tender_dbus_service_method_call(GDBusConnection *connection,
				const gchar *sender,
				const gchar *object_path,
				const gchar *interface_name,
				const gchar *method_name,
				GVariant *parameters,
				GDBusMethodInvocation *invocation,
				gpointer user_data)
{
	TenderDbusServiceExport *export = user_data;
	g_autoptr(TenderDbusServiceCall) call = g_new0(TenderDbusServiceCall, 1);
	g_autoptr(TenderRequest) request = NULL;
	GDBusMessageFlags flags =
	    g_dbus_message_get_flags(g_dbus_method_invocation_get_message(invocation));

	call->service = g_object_ref(export->service);
	/* the reference GDBus gives the handler: the reply takes it */
	call->invocation = invocation;
	if (sender == NULL) {
		/* a peer-to-peer connection: the peer is trusted, as tenderd's own user */
		call->caller = tender_authority_subject_new_uid((guint32)getuid());
		if (tender_dbus_service_is_properties(call))
			tender_dbus_service_return_properties(call);
		else
			tender_dbus_service_dispatch(call);
		return;
	}
	call->caller = tender_authority_subject_new_bus_name(sender);
	request =
	    tender_request_new(call->caller,
			       (flags & G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0);
	if (tender_dbus_service_is_properties(call))
		tender_service_prepare_read(export->service, request);
	else
		tender_service_prepare_request(export->service, request, method_name);
	tender_request_authorize_async(request,
				       export->self->authority,
				       NULL,
				       NULL,
				       tender_dbus_service_authorize_cb,
				       g_steal_pointer(&call));
}

/* services have no properties: GDBus answers Properties calls itself with this in place */
static GVariant *
tender_dbus_service_get_property(GDBusConnection *connection,
				 const gchar *sender,
				 const gchar *object_path,
				 const gchar *interface_name,
				 const gchar *property_name,
				 GError **error,
				 gpointer user_data)
{
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    "%s has no properties",
		    interface_name);
	return NULL;
}

static const GDBusInterfaceVTable tender_dbus_service_vtable = {
    .method_call = tender_dbus_service_method_call,
    .get_property = tender_dbus_service_get_property,
};

/* a service with properties: GDBus hands Properties.Get and GetAll to method_call */
static const GDBusInterfaceVTable tender_dbus_service_properties_vtable = {
    .method_call = tender_dbus_service_method_call,
};

/* @source: the plugin or the TenderServiceList the service is of */
static void
tender_dbus_service_added_cb(GObject *source, TenderService *service, gpointer user_data)
{
	TenderDbusService *self = TENDER_DBUS_SERVICE(user_data);
	TenderDbusServiceExport *export = g_new0(TenderDbusServiceExport, 1);
	g_autoptr(GError) error = NULL;
	guint id;

	export->self = self;
	export->service = g_object_ref(service);
	id = g_dbus_connection_register_object(self->connection,
					       tender_service_get_object_path(service),
					       tender_service_get_interface(service),
					       tender_service_has_properties(service)
						   ? &tender_dbus_service_properties_vtable
						   : &tender_dbus_service_vtable,
					       export,
					       tender_dbus_service_export_free,
					       &error);
	if (id == 0) {
		g_warning("%s: cannot export %s: %s",
			  tender_service_get_owner(service),
			  tender_service_get_object_path(service),
			  error->message);
		return;
	}
	g_hash_table_insert(self->exported, service, GUINT_TO_POINTER(id));
}

static void
tender_dbus_service_removed_cb(GObject *source, TenderService *service, gpointer user_data)
{
	TenderDbusService *self = TENDER_DBUS_SERVICE(user_data);
	gpointer id = NULL;

	if (!g_hash_table_steal_extended(self->exported, service, NULL, &id))
		return;
	g_dbus_connection_unregister_object(self->connection, GPOINTER_TO_UINT(id));
}

/* follows a plugin or a TenderServiceList: both say so of each service they add or remove */
static void
tender_dbus_service_follow(TenderDbusService *self, GObject *source)
{
	g_signal_connect_object(source,
				"service-added",
				G_CALLBACK(tender_dbus_service_added_cb),
				self,
				0);
	g_signal_connect_object(source,
				"service-removed",
				G_CALLBACK(tender_dbus_service_removed_cb),
				self,
				0);
}

/**
 * tender_dbus_service_add_list:
 * @self: a #TenderDbusService
 * @list: built-in services
 *
 * Exports the services of @list, now and as they come, until the bridge is disposed.
 */
void
tender_dbus_service_add_list(TenderDbusService *self, TenderServiceList *list)
{
	GPtrArray *services = tender_service_list_get_services(list);

	g_return_if_fail(TENDER_IS_DBUS_SERVICE(self));
	g_ptr_array_add(self->lists, g_object_ref(list));
	for (guint i = 0; i < services->len; i++)
		tender_dbus_service_added_cb(G_OBJECT(list), g_ptr_array_index(services, i), self);
	tender_dbus_service_follow(self, G_OBJECT(list));
}

static void
tender_dbus_service_dispose(GObject *object)
{
	TenderDbusService *self = TENDER_DBUS_SERVICE(object);
	GHashTableIter iter;
	gpointer id;

	if (self->plugins != NULL) {
		GPtrArray *plugins = tender_plugin_list_get_plugins(self->plugins);
		for (guint i = 0; i < plugins->len; i++)
			g_signal_handlers_disconnect_by_data(g_ptr_array_index(plugins, i), self);
	}
	for (guint i = 0; i < self->lists->len; i++)
		g_signal_handlers_disconnect_by_data(g_ptr_array_index(self->lists, i), self);
	g_ptr_array_set_size(self->lists, 0);
	g_hash_table_iter_init(&iter, self->exported);
	while (g_hash_table_iter_next(&iter, NULL, &id))
		g_dbus_connection_unregister_object(self->connection, GPOINTER_TO_UINT(id));
	g_hash_table_remove_all(self->exported);
	g_clear_object(&self->plugins);
	g_clear_object(&self->authority);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(tender_dbus_service_parent_class)->dispose(object);
}

static void
tender_dbus_service_finalize(GObject *object)
{
	TenderDbusService *self = TENDER_DBUS_SERVICE(object);
	g_hash_table_unref(self->exported);
	g_ptr_array_unref(self->lists);
	G_OBJECT_CLASS(tender_dbus_service_parent_class)->finalize(object);
}

static void
tender_dbus_service_class_init(TenderDbusServiceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_dbus_service_dispose;
	object_class->finalize = tender_dbus_service_finalize;
}

static void
tender_dbus_service_init(TenderDbusService *self)
{
	self->exported = g_hash_table_new(g_direct_hash, g_direct_equal);
	self->lists = g_ptr_array_new_with_free_func(g_object_unref);
}

/**
 * tender_dbus_service_new:
 * @connection: the bus tenderd serves on
 * @authority: the authority every call is authorized by
 * @plugins: (nullable): the loaded plugins
 *
 * Exports the services of every active plugin, and of every plugin that becomes active
 * later (a deferred one), until the bridge is disposed.  Built-in services come with
 * tender_dbus_service_add_list().
 *
 * Returns: (transfer full): a #TenderDbusService
 */
TenderDbusService *
tender_dbus_service_new(GDBusConnection *connection,
			TenderAuthority *authority,
			TenderPluginList *plugins)
{
	TenderDbusService *self = g_object_new(TENDER_TYPE_DBUS_SERVICE, NULL);
	GPtrArray *list = NULL;

	self->connection = g_object_ref(connection);
	self->authority = g_object_ref(authority);
	if (plugins == NULL)
		return self;
	self->plugins = g_object_ref(plugins);
	list = tender_plugin_list_get_plugins(plugins);
	for (guint i = 0; i < list->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(list, i);
		GPtrArray *services = tender_plugin_get_services(plugin);
		GPtrArray *objects = tender_plugin_get_feature_objects(plugin);

		if (tender_plugin_get_status(plugin) == TENDER_PLUGIN_STATUS_ACTIVE) {
			for (guint j = 0; j < services->len; j++)
				tender_dbus_service_added_cb(G_OBJECT(plugin),
							     g_ptr_array_index(services, j),
							     self);
			for (guint j = 0; j < objects->len; j++)
				tender_dbus_service_added_cb(G_OBJECT(plugin),
							     g_ptr_array_index(objects, j),
							     self);
		}
		tender_dbus_service_follow(self, G_OBJECT(plugin));
	}
	return self;
}
