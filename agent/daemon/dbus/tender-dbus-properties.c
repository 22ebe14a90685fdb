/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-dbus-properties.h"

/*
 * Properties.Get and GetAll, answered by tenderd once it authorized them: the objects whose
 * properties need a polkit action (workloads, and the services with properties) have no
 * get_property in their vtable, so GDBus hands both, checked against the XML, to their
 * method_call.
 */

/**
 * tender_dbus_properties_return:
 * @invocation: Properties.Get or GetAll of @iface, authorized
 * @iface: the interface it is for
 * @func: reads one property
 * @data: for @func
 * @object: the object, for @func
 *
 * Answers @invocation: GetAll with the properties in the order of the XML.
 */
void
tender_dbus_properties_return(GDBusMethodInvocation *invocation,
			      GDBusInterfaceInfo *iface,
			      TenderDbusPropertyFunc func,
			      gpointer data,
			      gpointer object)
{
	GVariant *parameters = g_dbus_method_invocation_get_parameters(invocation);
	GVariantBuilder all;
	const gchar *property = NULL;
	GVariant *value;

	if (g_strcmp0(g_dbus_method_invocation_get_method_name(invocation), "GetAll") == 0) {
		g_variant_builder_init(&all, G_VARIANT_TYPE_VARDICT);
		for (guint i = 0; iface->properties != NULL && iface->properties[i] != NULL; i++) {
			value = func(data, object, iface->properties[i]->name);
			if (value != NULL)
				g_variant_builder_add(&all,
						      "{sv}",
						      iface->properties[i]->name,
						      value);
		}
		g_dbus_method_invocation_return_value(invocation, g_variant_new("(a{sv})", &all));
		return;
	}
	g_variant_get(parameters, "(&s&s)", NULL, &property);
	value = func(data, object, property);
	if (value == NULL) {
		g_dbus_method_invocation_return_error(invocation,
						      G_DBUS_ERROR,
						      G_DBUS_ERROR_UNKNOWN_PROPERTY,
						      "No property %s",
						      property);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(v)", value));
}
