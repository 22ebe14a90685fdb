/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-dbus-daemon-private.h"
#include "tender-dbus-properties.h"

/*
 * The workload objects of the D-Bus front-end: one object per
 * workload, its properties (Properties.Get and GetAll, authorized like GetWorkload) and
 * PropertiesChanged, and the Manager's signals of workloads coming, going and changing
 * state.
 */

static GVariant *
tender_dbus_daemon_workload_property(gpointer data, gpointer object, const gchar *property)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(data);
	return tender_engine_get_workload_property(self->engine, TENDER_WORKLOAD(object), property);
}

/* Properties.Get or GetAll of a workload, once authorized */
static void
tender_dbus_daemon_workload_properties(TenderDbusDaemon *self,
				       GDBusMethodInvocation *invocation,
				       TenderRequest *request)
{
	tender_dbus_properties_return(invocation,
				      g_dbus_node_info_lookup_interface(self->introspection,
									TENDER_DBUS_WORKLOAD_IFACE),
				      tender_dbus_daemon_workload_property,
				      self,
				      g_dbus_method_invocation_get_user_data(invocation));
}

/*
 * The workload vtable has no get_property, so GDBus hands Properties.Get and GetAll (already
 * checked against the XML) to this method_call: they need org.tender.workloads.read, like
 * GetWorkload, and polkit is asked asynchronously.
 */
static void
tender_dbus_daemon_workload_method_call(GDBusConnection *connection,
					const gchar *sender,
					const gchar *object_path,
					const gchar *interface_name,
					const gchar *method_name,
					GVariant *parameters,
					GDBusMethodInvocation *invocation,
					gpointer user_data)
{
	TenderWorkload *w = TENDER_WORKLOAD(user_data);
	TenderDbusDaemon *self = g_object_get_data(G_OBJECT(w), "tender-dbus-daemon");
	g_autoptr(TenderRequest) request = NULL;

	if (g_strcmp0(interface_name, "org.freedesktop.DBus.Properties") != 0 ||
	    (g_strcmp0(method_name, "Get") != 0 && g_strcmp0(method_name, "GetAll") != 0)) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_METHOD,
						      "No method %s",
						      method_name);
		return;
	}
	request = tender_dbus_daemon_request_new(invocation);
	tender_request_set_method_action(request, method_name, TENDER_AUTHORITY_ACTION_READ);
	tender_request_set_workload(request, tender_workload_get_name(w));
	tender_dbus_daemon_authorize(self,
				     invocation,
				     request,
				     self->engine,
				     tender_dbus_daemon_workload_properties);
}

/* one PropertiesChanged with the present values of the properties that changed */
static void
tender_dbus_daemon_emit_changed(TenderDbusDaemon *self, TenderWorkload *w, GPtrArray *names)
{
	GVariantBuilder changed;
	g_autoptr(GError) error = NULL;

	g_variant_builder_init(&changed, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; i < names->len; i++) {
		const gchar *property = g_ptr_array_index(names, i);
		g_variant_builder_add(&changed,
				      "{sv}",
				      property,
				      tender_engine_get_workload_property(self->engine,
									  w,
									  property));
	}
	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   tender_workload_get_object_path(w),
					   "org.freedesktop.DBus.Properties",
					   "PropertiesChanged",
					   g_variant_new("(sa{sv}as)",
							 TENDER_DBUS_WORKLOAD_IFACE,
							 &changed,
							 NULL),
					   &error))
		g_warning("cannot emit PropertiesChanged: %s", error->message);
}

/**
 * tender_dbus_daemon_flush_changed:
 * @self: a #TenderDbusDaemon
 *
 * Sends the PropertiesChanged that wait, one per workload.
 */
void
tender_dbus_daemon_flush_changed(TenderDbusDaemon *self)
{
	GHashTableIter iter;
	gpointer w;
	gpointer names;

	g_clear_handle_id(&self->changed_id, g_source_remove);
	g_hash_table_iter_init(&iter, self->changed);
	while (g_hash_table_iter_next(&iter, &w, &names))
		tender_dbus_daemon_emit_changed(self, TENDER_WORKLOAD(w), names);
	g_hash_table_remove_all(self->changed);
}

static gboolean
tender_dbus_daemon_flush_changed_cb(gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);

	self->changed_id = 0;
	tender_dbus_daemon_flush_changed(self);
	return G_SOURCE_REMOVE;
}

/* a property changed: its PropertiesChanged goes out at the start of the next main-loop
 * iteration, with those of every other property of the workload that changed meanwhile (a
 * start changes several at once), and the values they have then */
static void
tender_dbus_daemon_workload_changed_cb(TenderWorkload *w, const gchar *property, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	GPtrArray *names = g_hash_table_lookup(self->changed, w);
	const gchar *interned = g_intern_string(property);

	if (names == NULL) {
		names = g_ptr_array_new();
		g_hash_table_insert(self->changed, g_object_ref(w), names);
	}
	if (!g_ptr_array_find(names, interned, NULL))
		g_ptr_array_add(names, (gpointer)interned);
	if (self->changed_id == 0)
		self->changed_id = g_idle_add_full(G_PRIORITY_HIGH,
						   tender_dbus_daemon_flush_changed_cb,
						   self,
						   NULL);
}

static void
tender_dbus_daemon_workload_state_changed_cb(TenderWorkload *w,
					     guint old_state,
					     guint new_state,
					     const gchar *reason,
					     gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	g_autoptr(GError) error = NULL;

	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   TENDER_DBUS_PATH,
					   TENDER_DBUS_MANAGER_IFACE,
					   "WorkloadStateChanged",
					   g_variant_new("(ssss)",
							 tender_workload_get_name(w),
							 tender_state_to_string(
							     (TenderState)old_state),
							 tender_state_to_string(
							     (TenderState)new_state),
							 reason),
					   &error))
		g_warning("cannot emit WorkloadStateChanged: %s", error->message);
}

static const GDBusInterfaceVTable tender_dbus_daemon_workload_vtable = {
    .method_call = tender_dbus_daemon_workload_method_call,
};

void
tender_dbus_daemon_export_workload(TenderDbusDaemon *self, TenderWorkload *w)
{
	g_autoptr(GError) error = NULL;
	GDBusInterfaceInfo *iface =
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_DBUS_WORKLOAD_IFACE);
	guint id;

	g_object_set_data(G_OBJECT(w), "tender-dbus-daemon", self);
	id = g_dbus_connection_register_object(self->connection,
					       tender_workload_get_object_path(w),
					       iface,
					       &tender_dbus_daemon_workload_vtable,
					       g_object_ref(w),
					       g_object_unref,
					       &error);
	if (id == 0) {
		g_warning("cannot export %s: %s",
			  tender_workload_get_object_path(w),
			  error->message);
		return;
	}
	g_hash_table_insert(self->objects, g_object_ref(w), GUINT_TO_POINTER(id));
	g_signal_connect_object(w,
				"changed",
				G_CALLBACK(tender_dbus_daemon_workload_changed_cb),
				self,
				0);
	g_signal_connect_object(w,
				"state-changed",
				G_CALLBACK(tender_dbus_daemon_workload_state_changed_cb),
				self,
				0);
}

static void
tender_dbus_daemon_emit_manager_signal(TenderDbusDaemon *self,
				       const gchar *signal,
				       TenderWorkload *w)
{
	g_autoptr(GError) error = NULL;
	if (!g_dbus_connection_emit_signal(self->connection,
					   NULL,
					   TENDER_DBUS_PATH,
					   TENDER_DBUS_MANAGER_IFACE,
					   signal,
					   g_variant_new("(so)",
							 tender_workload_get_name(w),
							 tender_workload_get_object_path(w)),
					   &error))
		g_warning("cannot emit %s: %s", signal, error->message);
}

void
tender_dbus_daemon_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	tender_dbus_daemon_export_workload(self, w);
	tender_dbus_daemon_emit_manager_signal(self, "WorkloadNew", w);
}

void
tender_dbus_daemon_workload_removed_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	GPtrArray *names = g_hash_table_lookup(self->changed, w);
	gpointer id = NULL;

	/* what changed before it went, before WorkloadRemoved */
	if (names != NULL) {
		tender_dbus_daemon_emit_changed(self, w, names);
		g_hash_table_remove(self->changed, w);
	}
	if (g_hash_table_lookup_extended(self->objects, w, NULL, &id)) {
		g_dbus_connection_unregister_object(self->connection, GPOINTER_TO_UINT(id));
		g_signal_handlers_disconnect_by_data(w, self);
		g_hash_table_remove(self->objects, w);
	}
	tender_dbus_daemon_emit_manager_signal(self, "WorkloadRemoved", w);
}
