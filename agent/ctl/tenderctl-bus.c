/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* connecting to the bus, calling tenderd, and telling its errors */

#include "config.h"

#include "tender-error.h"
#include "tenderctl-private.h"

gboolean
tender_ctl_bus_error_is_not_running(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
}

/* "Failed to start workload 'web': ..." unless the daemon is not there at all */
void
tender_ctl_bus_error_prefix_name(GError **error, const gchar *verb, const gchar *name)
{
	if (error == NULL || *error == NULL || tender_ctl_bus_error_is_not_running(*error))
		return;
	g_prefix_error(error, "Failed to %s workload '%s': ", verb, name);
}

void
tender_ctl_bus_print_error(const GError *error)
{
	g_printerr("tenderctl: %s\n", error->message);
}

gboolean
tender_ctl_bus_connect(TenderCtl *self, GError **error)
{
	g_autoptr(GDBusConnection) connection = NULL;

	if (g_strcmp0(self->bus, "system") == 0 || g_strcmp0(self->bus, "session") == 0) {
		GBusType bus_type =
		    g_strcmp0(self->bus, "system") == 0 ? G_BUS_TYPE_SYSTEM : G_BUS_TYPE_SESSION;
		connection = g_bus_get_sync(bus_type, NULL, error);
		if (connection == NULL) {
			g_prefix_error(error, "Failed to connect to the %s bus: ", self->bus);
			return FALSE;
		}
	} else {
		connection = g_dbus_connection_new_for_address_sync(
		    self->bus,
		    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		    NULL,
		    NULL,
		    error);
		if (connection == NULL) {
			g_prefix_error(error, "Failed to connect to the bus at %s: ", self->bus);
			return FALSE;
		}
	}
	self->connection = g_steal_pointer(&connection);
	return TRUE;
}

gboolean
tender_ctl_bus_error_is_no_owner(const GError *error)
{
	g_autofree gchar *remote = NULL;

	if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
		return TRUE;
	remote = g_dbus_error_get_remote_error(error);
	return g_strcmp0(remote, "org.freedesktop.DBus.Error.ServiceUnknown") == 0 ||
	       g_strcmp0(remote, "org.freedesktop.DBus.Error.NameHasNoOwner") == 0;
}

/* @error_local of a call to tenderd as a plain sentence, or, if tenderd is not on the bus,
 * G_DBUS_ERROR_SERVICE_UNKNOWN with a message that says so */
void
tender_ctl_bus_propagate_error(GError **error, GError *error_local)
{
	if (tender_ctl_bus_error_is_no_owner(error_local)) {
		g_set_error_literal(error,
				    G_DBUS_ERROR,
				    G_DBUS_ERROR_SERVICE_UNKNOWN,
				    "tenderd is not running (" TENDER_CTL_BUS_NAME
				    " is not on the bus)");
		g_error_free(error_local);
		return;
	}
	g_dbus_error_strip_remote_error(error_local);
	g_propagate_error(error, error_local);
}

/* calls a method of tenderd with @fd_list (nullable); errors come back as plain sentences,
 * and a missing daemon as G_DBUS_ERROR_SERVICE_UNKNOWN with a message that says so */
GVariant *
tender_ctl_bus_call_with_fds(TenderCtl *self,
			     const gchar *object_path,
			     const gchar *interface_name,
			     const gchar *method_name,
			     GVariant *parameters,
			     const GVariantType *reply_type,
			     gint timeout_msec,
			     GUnixFDList *fd_list,
			     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_connection_call_with_unix_fd_list_sync(
	    self->connection,
	    TENDER_CTL_BUS_NAME,
	    object_path,
	    interface_name,
	    method_name,
	    parameters,
	    reply_type,
	    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
	    timeout_msec,
	    fd_list,
	    NULL,
	    NULL,
	    &error_local);
	if (reply == NULL) {
		tender_ctl_bus_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return g_steal_pointer(&reply);
}

/* tender_ctl_bus_call_with_fds() without descriptors */
GVariant *
tender_ctl_bus_call(TenderCtl *self,
		    const gchar *object_path,
		    const gchar *interface_name,
		    const gchar *method_name,
		    GVariant *parameters,
		    const GVariantType *reply_type,
		    gint timeout_msec,
		    GError **error)
{
	return tender_ctl_bus_call_with_fds(self,
					    object_path,
					    interface_name,
					    method_name,
					    parameters,
					    reply_type,
					    timeout_msec,
					    NULL,
					    error);
}

/* whether tenderd has no such object, interface or method: a plugin's object that is not
 * there while the plugin is not active, or that never was */
gboolean
tender_ctl_bus_error_is_unknown_object(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE);
}

/**
 * tender_ctl_feature_call:
 * @plugin: the plugin that serves the object, as "the @plugin plugin is not active" names it
 *
 * Calls a method of a plugin's feature service (no time limit).  An object that is not there
 * is NotSupported, "the @plugin plugin is not active (tenderctl plugins)"; other errors are
 * tenderd's.
 */
GVariant *
tender_ctl_feature_call(TenderCtl *self,
			const gchar *plugin,
			const gchar *object_path,
			const gchar *interface_name,
			const gchar *method_name,
			GVariant *parameters,
			const GVariantType *reply_type,
			GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GVariant *reply = tender_ctl_bus_call(self,
					      object_path,
					      interface_name,
					      method_name,
					      parameters,
					      reply_type,
					      TENDER_CTL_TIMEOUT_NONE,
					      &error_local);

	if (reply != NULL)
		return reply;
	if (tender_ctl_bus_error_is_unknown_object(error_local)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "the %s plugin is not active (tenderctl plugins)",
			    plugin);
		return NULL;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return NULL;
}

/* the array @method of the Manager returns, of type @type (as "(a(ssso))"); on failure, with a
 * @what, "Failed to list @what: ..." unless tenderd is not running */
GVariant *
tender_ctl_bus_list(TenderCtl *self,
		    const gchar *method,
		    const gchar *type,
		    const gchar *what,
		    GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_bus_call(self,
							TENDER_CTL_MANAGER_PATH,
							TENDER_CTL_MANAGER_IFACE,
							method,
							NULL,
							G_VARIANT_TYPE(type),
							TENDER_CTL_TIMEOUT_DEFAULT,
							error);

	if (reply == NULL) {
		if (what != NULL && !tender_ctl_bus_error_is_not_running(*error))
			g_prefix_error(error, "Failed to list %s: ", what);
		return NULL;
	}
	return g_variant_get_child_value(reply, 0);
}

/* the workload property @property of the object at @path, best effort: %NULL if it cannot be
 * read */
GVariant *
tender_ctl_bus_get_property(TenderCtl *self, const gchar *path, const gchar *property)
{
	g_autoptr(GVariant) boxed = NULL;
	g_autoptr(GVariant) reply =
	    tender_ctl_bus_call(self,
				path,
				TENDER_CTL_PROPERTIES_IFACE,
				"Get",
				g_variant_new("(ss)", TENDER_CTL_WORKLOAD_IFACE, property),
				G_VARIANT_TYPE("(v)"),
				TENDER_CTL_TIMEOUT_DEFAULT,
				NULL);

	if (reply == NULL)
		return NULL;
	boxed = g_variant_get_child_value(reply, 0);
	return g_variant_get_variant(boxed);
}

/* GetWorkload: the object path of the workload @name */
gchar *
tender_ctl_bus_get_workload_path(TenderCtl *self, const gchar *name, GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_bus_call(self,
							TENDER_CTL_MANAGER_PATH,
							TENDER_CTL_MANAGER_IFACE,
							"GetWorkload",
							g_variant_new("(s)", name),
							G_VARIANT_TYPE("(o)"),
							TENDER_CTL_TIMEOUT_DEFAULT,
							error);
	gchar *path = NULL;

	if (reply != NULL)
		g_variant_get(reply, "(o)", &path);
	return path;
}
