/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-dbus-daemon-private.h"
#include "tender-error.h"
#include "tender-resources.h"

/*
 * TenderDbusDaemon is the D-Bus front-end: it exports the Manager and one object per
 * workload (tender-dbus-workload.c), the objects of plugins (tender-dbus-plugins.c) and the
 * services of plugins and of tenderd itself (tender-dbus-service.c); it authorizes each call
 * and dispatches the Manager's methods (tender-dbus-manager.c), which turn messages into
 * engine requests and engine answers into replies.  It holds no workload logic of its own.
 */

G_DEFINE_TYPE(TenderDbusDaemon, tender_dbus_daemon, G_TYPE_OBJECT)

typedef struct {
	TenderDbusDaemon *self;
	GDBusMethodInvocation *invocation;
	TenderDbusMethodFunc func;
} TenderDbusAuthHelper;

static void
tender_dbus_auth_helper_free(TenderDbusAuthHelper *helper)
{
	g_object_unref(helper->self);
	g_object_unref(helper->invocation);
	g_free(helper);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDbusAuthHelper, tender_dbus_auth_helper_free)

void
tender_dbus_daemon_return_error(GDBusMethodInvocation *invocation, GError *error)
{
	tender_error_convert(&error);
	g_dbus_method_invocation_return_gerror(invocation, error);
}

/* --- authorization --- */

/* every call is authorized, asynchronously, before the engine sees it */
static void
tender_dbus_daemon_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDbusAuthHelper) helper = user_data;
	GError *error = NULL;

	if (!tender_request_authorize_finish(TENDER_REQUEST(source), res, &error)) {
		tender_dbus_daemon_return_error(helper->invocation, error);
		return;
	}
	helper->func(helper->self, helper->invocation, TENDER_REQUEST(source));
}

/* the request a call makes: the caller is the sender, who may allow interaction in the call */
TenderRequest *
tender_dbus_daemon_request_new(GDBusMethodInvocation *invocation)
{
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);
	g_autoptr(TenderAuthoritySubject) subject =
	    tender_authority_subject_new_bus_name(sender != NULL ? sender : "");

	return tender_request_new(subject,
				  (g_dbus_message_get_flags(message) &
				   G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0);
}

/* runs @func once the caller is allowed what @request asks, by the one request path */
void
tender_dbus_daemon_authorize(TenderDbusDaemon *self,
			     GDBusMethodInvocation *invocation,
			     TenderRequest *request,
			     TenderEngine *engine,
			     TenderDbusMethodFunc func)
{
	g_autoptr(TenderDbusAuthHelper) helper = NULL;

	if (g_dbus_method_invocation_get_sender(invocation) == NULL) {
		/* a peer-to-peer connection: whoever could connect is trusted */
		func(self, invocation, request);
		return;
	}
	helper = g_new0(TenderDbusAuthHelper, 1);
	helper->self = g_object_ref(self);
	helper->invocation = g_object_ref(invocation);
	helper->func = func;
	tender_request_authorize_async(request,
				       self->authority,
				       engine,
				       NULL,
				       tender_dbus_daemon_authorize_cb,
				       g_steal_pointer(&helper));
}

/* --- what it serves --- */
/**
 * tender_dbus_daemon_set_adapters:
 * @self: a #TenderDbusDaemon
 * @adapters: the adapter instances to export
 *
 * Serves ListAdapters, and the instances' objects (built-in services, see
 * tender-dbus-service.c).  Call before tender_dbus_daemon_register().
 */
void
tender_dbus_daemon_set_adapters(TenderDbusDaemon *self, TenderAdapterList *adapters)
{
	g_return_if_fail(TENDER_IS_DBUS_DAEMON(self));
	g_set_object(&self->adapters, adapters);
}

/**
 * tender_dbus_daemon_set_images:
 * @self: a #TenderDbusDaemon
 * @images: the image store
 *
 * Serves ImportImage, ListImages and RemoveImage, and the images' objects
 * (tender-dbus-images.c).  Call before tender_dbus_daemon_register().
 */
void
tender_dbus_daemon_set_images(TenderDbusDaemon *self, TenderImageStore *images)
{
	g_return_if_fail(TENDER_IS_DBUS_DAEMON(self));
	g_set_object(&self->images, images);
}

static const struct {
	const gchar *name;
	TenderDbusMethodFunc func;
} tender_dbus_daemon_methods[] = {
    {"ExportWorkload", tender_dbus_daemon_export},
    {"ImportWorkload", tender_dbus_daemon_import},
    {"CreateWorkload", tender_dbus_daemon_create},
    {"StartWorkload", tender_dbus_daemon_name_options},
    {"StopWorkload", tender_dbus_daemon_name_options},
    {"KillWorkload", tender_dbus_daemon_kill},
    {"RemoveWorkload", tender_dbus_daemon_name_options},
    {"ListWorkloads", tender_dbus_daemon_list},
    {"GetWorkload", tender_dbus_daemon_get},
    {"GetLogs", tender_dbus_daemon_get_logs},
    {"FollowLogs", tender_dbus_daemon_follow_logs},
    {"PauseWorkload", tender_dbus_daemon_name_only},
    {"ResumeWorkload", tender_dbus_daemon_name_only},
    {"GetMetrics", tender_dbus_daemon_get_metrics},
    {"ExecWorkload", tender_dbus_daemon_exec},
    {"ListPlugins", tender_dbus_daemon_list_plugins},
    {"ListAdapters", tender_dbus_daemon_list_adapters},
    {"ImportImage", tender_dbus_daemon_import_image},
    {"ListImages", tender_dbus_daemon_list_images},
    {"RemoveImage", tender_dbus_daemon_remove_image},
};

static void
tender_dbus_daemon_manager_method_call(GDBusConnection *connection,
				       const gchar *sender,
				       const gchar *object_path,
				       const gchar *interface_name,
				       const gchar *method_name,
				       GVariant *parameters,
				       GDBusMethodInvocation *invocation,
				       gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	g_autoptr(TenderRequest) request = tender_dbus_daemon_request_new(invocation);

	for (guint i = 0; i < G_N_ELEMENTS(tender_dbus_daemon_methods); i++) {
		if (g_strcmp0(method_name, tender_dbus_daemon_methods[i].name) != 0)
			continue;
		if (!tender_request_set_manager_call(request, method_name, parameters, NULL))
			break;
		tender_dbus_daemon_authorize(self,
					     invocation,
					     request,
					     self->engine,
					     tender_dbus_daemon_methods[i].func);
		return;
	}
	g_dbus_method_invocation_return_error(invocation,
					      G_DBUS_ERROR,
					      G_DBUS_ERROR_UNKNOWN_METHOD,
					      "No method %s",
					      method_name);
}

static GVariant *
tender_dbus_daemon_manager_get_property(GDBusConnection *connection,
					const gchar *sender,
					const gchar *object_path,
					const gchar *interface_name,
					const gchar *property_name,
					GError **error,
					gpointer user_data)
{
	if (g_strcmp0(property_name, "Version") == 0)
		return g_variant_new_string(PACKAGE_VERSION);
	g_set_error(error,
		    G_DBUS_ERROR,
		    G_DBUS_ERROR_UNKNOWN_PROPERTY,
		    "No property %s",
		    property_name);
	return NULL;
}

static const GDBusInterfaceVTable tender_dbus_daemon_manager_vtable = {
    .method_call = tender_dbus_daemon_manager_method_call,
    .get_property = tender_dbus_daemon_manager_get_property,
};

/**
 * tender_dbus_daemon_register:
 * @self: a #TenderDbusDaemon
 * @connection: the bus to export on
 * @error: (nullable): a #GError
 *
 * Exports the Manager and every workload on @connection.  The caller owns the bus name.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_dbus_daemon_register(TenderDbusDaemon *self, GDBusConnection *connection, GError **error)
{
	g_autoptr(GBytes) xml = NULL;
	g_autoptr(GPtrArray) workloads = NULL;

	g_return_val_if_fail(TENDER_IS_DBUS_DAEMON(self), FALSE);
	xml = g_resource_lookup_data(tender_get_resource(),
				     "/org/tender/Agent1/org.tender.Agent1.xml",
				     G_RESOURCE_LOOKUP_FLAGS_NONE,
				     error);
	if (xml == NULL)
		return FALSE;
	self->introspection = g_dbus_node_info_new_for_xml(g_bytes_get_data(xml, NULL), error);
	if (self->introspection == NULL)
		return FALSE;
	self->connection = g_object_ref(connection);
	self->manager_id = g_dbus_connection_register_object(
	    connection,
	    TENDER_DBUS_PATH,
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_DBUS_MANAGER_IFACE),
	    &tender_dbus_daemon_manager_vtable,
	    self,
	    NULL,
	    error);
	if (self->manager_id == 0)
		return FALSE;
	workloads = tender_engine_get_workloads(self->engine);
	for (guint i = 0; i < workloads->len; i++)
		tender_dbus_daemon_export_workload(self, g_ptr_array_index(workloads, i));
	self->added_id = g_signal_connect(self->engine,
					  "workload-added",
					  G_CALLBACK(tender_dbus_daemon_workload_added_cb),
					  self);
	self->removed_id = g_signal_connect(self->engine,
					    "workload-removed",
					    G_CALLBACK(tender_dbus_daemon_workload_removed_cb),
					    self);
	tender_dbus_daemon_register_plugins(self);
	self->services = tender_dbus_service_new(connection, self->authority, self->plugins);
	if (self->adapters != NULL)
		tender_dbus_service_add_list(self->services,
					     tender_adapter_list_get_services(self->adapters));
	tender_dbus_daemon_register_images(self);
	return TRUE;
}

static void
tender_dbus_daemon_dispose(GObject *object)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(object);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	if (self->engine != NULL) {
		g_clear_signal_handler(&self->added_id, self->engine);
		g_clear_signal_handler(&self->removed_id, self->engine);
	}
	if (self->connection != NULL) {
		g_hash_table_iter_init(&iter, self->objects);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			g_signal_handlers_disconnect_by_data(key, self);
			g_dbus_connection_unregister_object(self->connection,
							    GPOINTER_TO_UINT(value));
		}
		g_hash_table_remove_all(self->objects);
		tender_dbus_daemon_unregister_plugins(self);
		if (self->manager_id != 0)
			g_dbus_connection_unregister_object(self->connection, self->manager_id);
		self->manager_id = 0;
	}
	g_clear_object(&self->services);
	if (self->images != NULL)
		g_signal_handlers_disconnect_by_data(self->images, self);
	g_clear_object(&self->image_services);
	g_clear_object(&self->images);
	g_clear_object(&self->connection);
	g_clear_object(&self->authority);
	g_clear_object(&self->plugins);
	g_clear_object(&self->adapters);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_dbus_daemon_parent_class)->dispose(object);
}

static void
tender_dbus_daemon_finalize(GObject *object)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(object);
	g_clear_handle_id(&self->changed_id, g_source_remove);
	g_hash_table_unref(self->changed);
	g_hash_table_unref(self->objects);
	if (self->introspection != NULL)
		g_dbus_node_info_unref(self->introspection);
	G_OBJECT_CLASS(tender_dbus_daemon_parent_class)->finalize(object);
}

static void
tender_dbus_daemon_class_init(TenderDbusDaemonClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_dbus_daemon_dispose;
	object_class->finalize = tender_dbus_daemon_finalize;
}

static void
tender_dbus_daemon_init(TenderDbusDaemon *self)
{
	self->objects = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
	self->changed = g_hash_table_new_full(g_direct_hash,
					      g_direct_equal,
					      g_object_unref,
					      (GDestroyNotify)g_ptr_array_unref);
}

/**
 * tender_dbus_daemon_new:
 * @engine: the engine to serve
 * @authority: the authority every call is authorized by
 *
 * Returns: (transfer full): a #TenderDbusDaemon
 */
TenderDbusDaemon *
tender_dbus_daemon_new(TenderEngine *engine, TenderAuthority *authority)
{
	TenderDbusDaemon *self = g_object_new(TENDER_TYPE_DBUS_DAEMON, NULL);
	self->engine = g_object_ref(engine);
	self->authority = g_object_ref(authority);
	/* register the error domain before the first reply */
	(void)tender_error_quark();
	return self;
}
