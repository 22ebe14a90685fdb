/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-feature.h"
#include "tender-plugin-instance-private.h"
#include "tender-util.h"

/*
 * A plugin's feature objects: objects below its feature service's, /org/tender/Agent1/NAME/
 * SUBPATH, one per thing the feature has (a session), each a service of the registry
 * (tender-service.c) declared and authorized as the feature service is, with read-only
 * properties the plugin reads on demand.  They are served over D-Bus only: the plugin's HTTP
 * routes are its aliases.  Kept apart from its services, so that their number bounds neither.
 */

GPtrArray *
tender_plugin_get_feature_objects(TenderPlugin *self)
{
	return self->feature_objects;
}

static TenderService *
tender_plugin_find_feature_object(TenderPlugin *self, const gchar *subpath, guint *index)
{
	for (guint i = 0; subpath != NULL && i < self->feature_objects->len; i++) {
		TenderService *service = g_ptr_array_index(self->feature_objects, i);
		if (g_strcmp0(tender_service_get_subpath(service), subpath) != 0)
			continue;
		if (index != NULL)
			*index = i;
		return service;
	}
	return NULL;
}

/**
 * tender_plugin_get_feature_object_path:
 * @self: a #TenderPlugin
 * @subpath: a feature object's subpath, e.g. "alice/s1"
 *
 * Returns: (transfer full): its object path, /org/tender/Agent1/NAME/SUBPATH (NAME escaped
 *   as in tender_plugin_get_object_path())
 *
 * Since: 0.4
 */
gchar *
tender_plugin_get_feature_object_path(TenderPlugin *self, const gchar *subpath)
{
	g_autofree gchar *base = NULL;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	g_return_val_if_fail(subpath != NULL, NULL);
	base = tender_util_object_path_escape("/org/tender/Agent1/", self->name);
	return g_strdup_printf("%s/%s", base, subpath);
}

/**
 * tender_plugin_add_feature_object:
 * @self: a #TenderPlugin that may have a feature service (tender_plugin_add_feature_service())
 * @subpath: where, below the feature service's object: elements of letters, digits and '_'
 *   ("alice/s1"), not empty
 * @introspection_xml: a <node> with exactly one <interface>; every arg has a name; its
 *   properties, if any, are read-only (access="read")
 * @methods: a handler and an org.tender.* polkit action for every method of the interface,
 *   and, when it has properties, an entry of method %TENDER_PLUGIN_PROPERTIES_READ whose
 *   action authorizes Properties.Get and GetAll (its handler is not called); ending with an
 *   entry whose method is %NULL
 * @get_property: (nullable): reads a property when a caller asks for it; needed when the
 *   interface has properties
 * @user_data: for the handlers and @get_property
 * @destroy: (nullable): frees @user_data when the object goes
 * @error: (nullable): a #GError
 *
 * Declares an object of the plugin's feature, one of many (a session of the sessions plugin),
 * on /org/tender/Agent1/NAME/SUBPATH, served over D-Bus as the feature service is: the
 * arguments checked against the XML, the method's polkit action asked for (with the details
 * "plugin", "method" and "object_path"), the handler called with a #TenderCall, errors as
 * org.tender.Agent1.Error.* names.  Its properties are read with @get_property for a caller
 * allowed the read action (the "method" detail is %TENDER_PLUGIN_PROPERTIES_READ); a value of
 * a type other than the XML's is dropped with a warning.  Tell watchers that they changed
 * with tender_plugin_emit_feature_properties_changed().  A feature object is not served over
 * HTTP: give the feature's routes with tender_plugin_add_http_aliases().  At most
 * %TENDER_PLUGIN_FEATURE_OBJECTS_MAX (4096) per plugin; they go with the plugin's other
 * registrations, or with tender_plugin_remove_feature_object().
 *
 * Returns: %TRUE on success; %FALSE with %TENDER_ERROR_INVALID_ARGUMENT when the core uses the
 *   plugin's name (as for tender_plugin_add_feature_service()) or the declaration is wrong,
 *   %TENDER_ERROR_ALREADY_EXISTS when there is an object at @subpath, and
 *   %TENDER_ERROR_LIMIT_REACHED beyond the most allowed; on failure @destroy is not called
 *
 * Since: 0.4
 */
gboolean
tender_plugin_add_feature_object(TenderPlugin *self,
				 const gchar *subpath,
				 const gchar *introspection_xml,
				 const TenderPluginServiceMethod *methods,
				 TenderPluginPropertyFunc get_property,
				 gpointer user_data,
				 GDestroyNotify destroy,
				 GError **error)
{
	g_autofree gchar *object_path = NULL;
	TenderService *service;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(introspection_xml != NULL, FALSE);
	if (!tender_plugin_check_feature_name(self->name, error))
		return FALSE;
	if (subpath == NULL || subpath[0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "A feature object needs a subpath: the feature service is "
				    "the object of the plugin's name");
		return FALSE;
	}
	if (!tender_plugin_check_subpath(subpath, error))
		return FALSE;
	if (tender_plugin_find_feature_object(self, subpath, NULL) != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "The plugin has a feature object at '%s' already",
			    subpath);
		return FALSE;
	}
	if (self->feature_objects->len >= TENDER_PLUGIN_FEATURE_OBJECTS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "The plugin has %u feature objects already, the most allowed",
			    (guint)TENDER_PLUGIN_FEATURE_OBJECTS_MAX);
		return FALSE;
	}
	object_path = tender_plugin_get_feature_object_path(self, subpath);
	service = tender_service_new_feature_object(self,
						    subpath,
						    object_path,
						    introspection_xml,
						    methods,
						    get_property,
						    user_data,
						    destroy,
						    error);
	if (service == NULL)
		return FALSE;
	tender_plugin_add_registration(self, self->feature_objects, service, "service-added");
	return TRUE;
}

/**
 * tender_plugin_remove_feature_object:
 * @self: a #TenderPlugin
 * @subpath: as given to tender_plugin_add_feature_object()
 * @error: (nullable): a #GError
 *
 * Takes a feature object off the bus.  Calls in progress can still be completed.
 *
 * Returns: %TRUE on success, %FALSE with %TENDER_ERROR_NOT_FOUND if there is no such object
 *
 * Since: 0.4
 */
gboolean
tender_plugin_remove_feature_object(TenderPlugin *self, const gchar *subpath, GError **error)
{
	guint index = 0;
	TenderService *service;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	service = tender_plugin_find_feature_object(self, subpath, &index);
	return tender_plugin_remove_registration(self,
						 self->feature_objects,
						 service,
						 index,
						 "service-removed",
						 "feature object",
						 subpath != NULL ? subpath : "",
						 error);
}

/**
 * tender_plugin_emit_feature_properties_changed:
 * @self: a #TenderPlugin
 * @subpath: a feature object's (tender_plugin_add_feature_object())
 * @names: (nullable): properties of its interface that changed; %NULL for all of them
 * @error: (nullable): a #GError
 *
 * Broadcasts org.freedesktop.DBus.Properties.PropertiesChanged from the object, with the
 * names as invalidated properties and no values: anyone on the bus may receive the signal,
 * so the values stay behind polkit, and a watcher reads them with Properties.Get or GetAll.
 *
 * Returns: %TRUE on success; %FALSE with %TENDER_ERROR_NOT_FOUND without such an object or
 *   property, %TENDER_ERROR_INVALID_STATE before tenderd is on the bus
 *
 * Since: 0.4
 */
gboolean
tender_plugin_emit_feature_properties_changed(TenderPlugin *self,
					      const gchar *subpath,
					      const gchar *const *names,
					      GError **error)
{
	TenderService *service;
	GDBusInterfaceInfo *iface;
	GDBusConnection *connection;
	GVariantBuilder invalidated;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	service = tender_plugin_find_feature_object(self, subpath, NULL);
	if (service == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "The plugin has no feature object at '%s'",
			    subpath != NULL ? subpath : "");
		return FALSE;
	}
	iface = tender_service_get_interface(service);
	g_variant_builder_init(&invalidated, G_VARIANT_TYPE_STRING_ARRAY);
	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		if (g_dbus_interface_info_lookup_property(iface, names[i]) == NULL) {
			g_variant_builder_clear(&invalidated);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_FOUND,
				    "Interface %s has no property %s",
				    iface->name,
				    names[i]);
			return FALSE;
		}
		g_variant_builder_add(&invalidated, "s", names[i]);
	}
	for (guint i = 0;
	     names == NULL && iface->properties != NULL && iface->properties[i] != NULL;
	     i++)
		g_variant_builder_add(&invalidated, "s", iface->properties[i]->name);
	connection = tender_plugin_get_connection(self);
	if (connection == NULL) {
		g_variant_builder_clear(&invalidated);
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "tenderd is not on the bus yet");
		return FALSE;
	}
	return g_dbus_connection_emit_signal(connection,
					     NULL,
					     tender_service_get_object_path(service),
					     "org.freedesktop.DBus.Properties",
					     "PropertiesChanged",
					     g_variant_new("(sa{sv}@as)",
							   iface->name,
							   NULL,
							   g_variant_builder_end(&invalidated)),
					     error);
}
