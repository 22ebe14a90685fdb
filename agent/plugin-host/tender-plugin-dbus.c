/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-private.h"
#include "tender-util.h"

/*
 * TenderPlugin's D-Bus objects: what a plugin puts on the bus below
 * /org/tender/Agent1/plugin/NAME, with a raw GDBusMethodInvocation handler.  The D-Bus
 * daemon exports them and authorizes each call; this file only checks and keeps them.
 */

void
tender_plugin_dbus_object_free(TenderPluginDbusObject *obj)
{
	if (obj->destroy != NULL)
		obj->destroy(obj->user_data);
	g_free(obj->subpath);
	g_free(obj->object_path);
	if (obj->node != NULL)
		g_dbus_node_info_unref(obj->node);
	if (obj->actions != NULL)
		g_hash_table_unref(obj->actions);
	g_free(obj);
}

/* --- the plugin API: D-Bus --- */

/* a subpath (of an object or a service) is empty or ELEMENT[/ELEMENT...], each element
 * [A-Za-z0-9_]+ */
gboolean
tender_plugin_check_subpath(const gchar *subpath, GError **error)
{
	gboolean element = FALSE;

	if (strlen(subpath) > TENDER_PLUGIN_SUBPATH_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The subpath is longer than %d characters",
			    TENDER_PLUGIN_SUBPATH_MAX);
		return FALSE;
	}
	for (const gchar *p = subpath; *p != '\0'; p++) {
		if (*p == '/' && element) {
			element = FALSE;
			continue;
		}
		if (!g_ascii_isalnum(*p) && *p != '_') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid subpath '%s': elements are letters, digits and '_', "
				    "separated by single '/'",
				    subpath);
			return FALSE;
		}
		element = TRUE;
	}
	if (subpath[0] != '\0' && !element) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid subpath '%s': it ends with '/'",
			    subpath);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_plugin_get_object_path:
 * @self: a #TenderPlugin
 * @subpath: (nullable): "" or %NULL for the plugin's own object, else a relative path
 *
 * Returns: (transfer full): /org/tender/Agent1/plugin/NAME[/SUBPATH], with NAME escaped as
 *   workload names are ("my-plugin" is my_2dplugin)
 *
 * Since: 0.1
 */
gchar *
tender_plugin_get_object_path(TenderPlugin *self, const gchar *subpath)
{
	g_autofree gchar *path = tender_util_object_path_escape("/org/tender/Agent1/plugin/",
								tender_plugin_get_name(self));

	if (subpath == NULL || subpath[0] == '\0')
		return g_steal_pointer(&path);
	return g_strdup_printf("%s/%s", path, subpath);
}

TenderPluginDbusObject *
tender_plugin_find_dbus_object(TenderPlugin *self, const gchar *subpath, guint *index)
{
	for (guint i = 0; i < tender_plugin_get_dbus_objects(self)->len; i++) {
		TenderPluginDbusObject *obj =
		    g_ptr_array_index(tender_plugin_get_dbus_objects(self), i);
		if (g_strcmp0(obj->subpath, subpath) == 0) {
			if (index != NULL)
				*index = i;
			return obj;
		}
	}
	return NULL;
}

/* every method needs an action: a call nobody authorizes is never dispatched */
static GHashTable *
tender_plugin_map_actions(GDBusInterfaceInfo *iface,
			  const TenderPluginMethodAction *actions,
			  GError **error)
{
	g_autoptr(GHashTable) map = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

	for (guint i = 0; actions != NULL && actions[i].method != NULL; i++) {
		if (g_dbus_interface_info_lookup_method(iface, actions[i].method) == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Interface %s has no method %s",
				    iface->name,
				    actions[i].method);
			return NULL;
		}
		if (actions[i].action_id == NULL || actions[i].action_id[0] == '\0') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s has no polkit action",
				    actions[i].method);
			return NULL;
		}
		g_hash_table_insert(map,
				    g_strdup(actions[i].method),
				    g_strdup(actions[i].action_id));
	}
	for (guint i = 0; iface->methods != NULL && iface->methods[i] != NULL; i++) {
		if (!g_hash_table_contains(map, iface->methods[i]->name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Method %s.%s has no polkit action: every method needs one",
				    iface->name,
				    iface->methods[i]->name);
			return NULL;
		}
	}
	return g_steal_pointer(&map);
}

/**
 * tender_plugin_parse_interface:
 * @xml: introspection XML from a plugin
 * @error: (nullable): a #GError
 *
 * Parses what a plugin ships: at most %TENDER_PLUGIN_XML_MAX bytes, a <node> with exactly
 * one <interface>, without properties.
 *
 * Returns: (transfer full): the node, whose interfaces[0] is the interface
 */
GDBusNodeInfo *
tender_plugin_parse_interface(const gchar *xml, GError **error)
{
	return tender_plugin_parse_interface_full(xml, FALSE, error);
}

/**
 * tender_plugin_parse_interface_full:
 * @xml: introspection XML from a plugin
 * @properties: whether the interface may have properties (a feature object's)
 * @error: (nullable): a #GError
 *
 * As tender_plugin_parse_interface(), with properties allowed if @properties.
 *
 * Returns: (transfer full): the node, whose interfaces[0] is the interface
 */
GDBusNodeInfo *
tender_plugin_parse_interface_full(const gchar *xml, gboolean properties, GError **error)
{
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GError) error_local = NULL;

	if (strlen(xml) > TENDER_PLUGIN_XML_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The introspection XML is larger than %d bytes",
			    TENDER_PLUGIN_XML_MAX);
		return NULL;
	}
	node = g_dbus_node_info_new_for_xml(xml, &error_local);
	if (node == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid introspection XML: %s",
			    error_local->message);
		return NULL;
	}
	if (node->interfaces == NULL || node->interfaces[0] == NULL ||
	    node->interfaces[1] != NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The introspection XML must have exactly one interface");
		return NULL;
	}
	if (!properties && node->interfaces[0]->properties != NULL &&
	    node->interfaces[0]->properties[0] != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Interface %s has properties; plugins expose state through methods, "
			    "which are authorized",
			    node->interfaces[0]->name);
		return NULL;
	}
	return g_steal_pointer(&node);
}

/**
 * tender_plugin_add_dbus_object:
 * @self: a #TenderPlugin
 * @subpath: (nullable): "" or %NULL for /org/tender/Agent1/plugin/NAME itself, else a path
 *   below it ("sessions/s1"); elements are letters, digits and '_'
 * @introspection_xml: a <node> with exactly one <interface>, and no properties
 * @actions: the polkit action of every method of the interface, ending with {NULL, NULL}
 * @func: called for each authorized call
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data when the object goes
 * @error: (nullable): a #GError
 *
 * Puts an object on the bus, now or (during init) as soon as tenderd serves.  Before @func
 * sees a call, the core asks polkit about the method's action for the caller (with details
 * "plugin", "method" and "object_path") and answers org.tender.Agent1.Error.AccessDenied
 * itself when polkit says no.  A method without an action refuses the whole object.
 * Objects may be added and removed at any time, at most 1024 per plugin.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_add_dbus_object(TenderPlugin *self,
			      const gchar *subpath,
			      const gchar *introspection_xml,
			      const TenderPluginMethodAction *actions,
			      TenderPluginMethodFunc func,
			      gpointer user_data,
			      GDestroyNotify destroy,
			      GError **error)
{
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GHashTable) map = NULL;
	TenderPluginDbusObject *obj;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(introspection_xml != NULL, FALSE);
	g_return_val_if_fail(func != NULL, FALSE);
	if (subpath == NULL)
		subpath = "";
	if (!tender_plugin_check_subpath(subpath, error))
		return FALSE;
	if (!tender_plugin_check_subpath_free(self,
					      subpath,
					      tender_plugin_get_dbus_objects(self),
					      TENDER_PLUGIN_DBUS_OBJECTS_MAX,
					      "objects",
					      error))
		return FALSE;
	node = tender_plugin_parse_interface(introspection_xml, error);
	if (node == NULL)
		return FALSE;
	map = tender_plugin_map_actions(node->interfaces[0], actions, error);
	if (map == NULL)
		return FALSE;
	obj = g_new0(TenderPluginDbusObject, 1);
	obj->plugin = self;
	obj->subpath = g_strdup(subpath);
	obj->object_path = tender_plugin_get_object_path(self, subpath);
	obj->iface = node->interfaces[0];
	obj->node = g_steal_pointer(&node);
	obj->actions = g_steal_pointer(&map);
	obj->func = func;
	obj->user_data = user_data;
	obj->destroy = destroy;
	tender_plugin_add_registration(self,
				       tender_plugin_get_dbus_objects(self),
				       obj,
				       "dbus-object-added");
	return TRUE;
}

/**
 * tender_plugin_remove_dbus_object:
 * @self: a #TenderPlugin
 * @subpath: (nullable): as given to tender_plugin_add_dbus_object()
 * @error: (nullable): a #GError
 *
 * Takes an object off the bus.
 *
 * Returns: %TRUE on success, %FALSE if there is no such object
 *
 * Since: 0.1
 */
gboolean
tender_plugin_remove_dbus_object(TenderPlugin *self, const gchar *subpath, GError **error)
{
	TenderPluginDbusObject *obj;
	guint index = 0;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	if (subpath == NULL)
		subpath = "";
	obj = tender_plugin_find_dbus_object(self, subpath, &index);
	return tender_plugin_remove_registration(self,
						 tender_plugin_get_dbus_objects(self),
						 obj,
						 index,
						 "dbus-object-removed",
						 "object",
						 subpath,
						 error);
}

/**
 * tender_plugin_emit_dbus_signal:
 * @self: a #TenderPlugin
 * @subpath: (nullable): the object, as given to tender_plugin_add_dbus_object()
 * @interface_name: the interface
 * @signal_name: the signal
 * @parameters: (nullable): a tuple, sunk if floating
 * @error: (nullable): a #GError
 *
 * Broadcasts a signal from one of the plugin's objects.  Anyone on the bus may receive it:
 * put nothing in a signal that polkit should guard.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_emit_dbus_signal(TenderPlugin *self,
			       const gchar *subpath,
			       const gchar *interface_name,
			       const gchar *signal_name,
			       GVariant *parameters,
			       GError **error)
{
	g_autoptr(GVariant) params = parameters != NULL ? g_variant_ref_sink(parameters) : NULL;
	TenderPluginDbusObject *obj;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	obj = tender_plugin_find_dbus_object(self, subpath != NULL ? subpath : "", NULL);
	if (obj == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "The plugin has no object at '%s'",
			    subpath != NULL ? subpath : "");
		return FALSE;
	}
	if (tender_plugin_get_connection(self) == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "tenderd is not on the bus yet");
		return FALSE;
	}
	return g_dbus_connection_emit_signal(tender_plugin_get_connection(self),
					     NULL,
					     obj->object_path,
					     interface_name,
					     signal_name,
					     params,
					     error);
}
