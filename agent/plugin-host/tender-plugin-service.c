/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-private.h"
#include "tender-service.h"

/*
 * TenderPlugin's services: the plugin API of the service registry (tender-service.c).  A
 * service is declared once and served by both front-ends.
 */

static TenderService *
tender_plugin_find_service(TenderPlugin *self, const gchar *subpath, guint *index)
{
	GPtrArray *services = tender_plugin_get_services(self);

	for (guint i = 0; i < services->len; i++) {
		TenderService *service = g_ptr_array_index(services, i);
		/* the feature service is not below the plugin's object */
		if (tender_service_is_feature(service) ||
		    g_strcmp0(tender_service_get_subpath(service), subpath) != 0)
			continue;
		if (index != NULL)
			*index = i;
		return service;
	}
	return NULL;
}

/**
 * tender_plugin_lookup_service:
 * @self: a #TenderPlugin
 * @subpath: a subpath, "" for the plugin's own object
 *
 * Returns: (transfer none) (nullable): the service at @subpath
 */
TenderService *
tender_plugin_lookup_service(TenderPlugin *self, const gchar *subpath)
{
	return tender_plugin_find_service(self, subpath, NULL);
}

/**
 * tender_plugin_add_service:
 * @self: a #TenderPlugin
 * @subpath: (nullable): "" or %NULL for the plugin's own object, else a path below it
 *   ("sessions/s1"); elements are letters, digits and '_'
 * @introspection_xml: a <node> with exactly one <interface>, no properties; every arg has a
 *   name (HTTP maps JSON members to args by name)
 * @methods: a handler and an org.tender.* polkit action for every method of the interface,
 *   ending with an entry whose method is %NULL
 * @user_data: for the handlers
 * @destroy: (nullable): frees @user_data when the service goes
 * @error: (nullable): a #GError
 *
 * Declares an interface once; tenderd serves each of its methods both ways:
 *
 * - over D-Bus, as the interface on /org/tender/Agent1/plugin/NAME[/SUBPATH];
 * - over HTTP, as `POST /v1/plugins/NAME/[SUBPATH/]METHOD` with a JSON object of the in-args
 *   by name (and `GET` for a method without in-args), answered with a JSON object of the
 *   out-args by name; values map as json-glib maps GVariants.
 *
 * Both ways the core checks the arguments against the XML, asks polkit about the method's
 * action (with details "plugin", "method" and "object_path", the same both ways), then calls
 * the handler with a #TenderCall; errors reach the caller as org.tender.Agent1.Error.* names
 * and the matching HTTP status.  A subpath holds one service, and no object of
 * tender_plugin_add_dbus_object().  At most 256 services per plugin.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
tender_plugin_add_service(TenderPlugin *self,
			  const gchar *subpath,
			  const gchar *introspection_xml,
			  const TenderPluginServiceMethod *methods,
			  gpointer user_data,
			  GDestroyNotify destroy,
			  GError **error)
{
	g_autoptr(TenderService) service = NULL;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(introspection_xml != NULL, FALSE);
	if (subpath == NULL)
		subpath = "";
	if (!tender_plugin_check_subpath_free(self,
					      subpath,
					      tender_plugin_get_services(self),
					      TENDER_PLUGIN_SERVICES_MAX,
					      "services",
					      error))
		return FALSE;
	service = tender_service_new(self,
				     subpath,
				     introspection_xml,
				     methods,
				     user_data,
				     destroy,
				     error);
	if (service == NULL)
		return FALSE;
	tender_plugin_add_registration(self,
				       tender_plugin_get_services(self),
				       g_object_ref(service),
				       "service-added");
	return TRUE;
}

/**
 * tender_plugin_remove_service:
 * @self: a #TenderPlugin
 * @subpath: (nullable): as given to tender_plugin_add_service()
 * @error: (nullable): a #GError
 *
 * Stops serving a service, both ways.  Calls in progress can still be completed.
 *
 * Returns: %TRUE on success, %FALSE if there is no such service
 *
 * Since: 0.2
 */
gboolean
tender_plugin_remove_service(TenderPlugin *self, const gchar *subpath, GError **error)
{
	TenderService *service;
	guint index = 0;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	if (subpath == NULL)
		subpath = "";
	service = tender_plugin_find_service(self, subpath, &index);
	return tender_plugin_remove_registration(self,
						 tender_plugin_get_services(self),
						 service,
						 index,
						 "service-removed",
						 "service",
						 subpath,
						 error);
}
