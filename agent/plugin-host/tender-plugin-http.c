/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-private.h"

/*
 * TenderPlugin's HTTP routes: hand-written routes below /v1/plugins/NAME/, for what does not
 * map onto a declared method (streams, raw bodies).  The HTTP server matches and authorizes
 * them; this file only checks and keeps them.
 */

void
tender_plugin_route_free(TenderPluginRoute *route)
{
	if (route->destroy != NULL)
		route->destroy(route->user_data);
	g_free(route->method);
	g_free(route->path);
	g_free(route->action_id);
	g_free(route);
}

/* --- the plugin API: HTTP --- */

/* a route path is ELEMENT[/ELEMENT...], each element '*' or [A-Za-z0-9_.-]+ */
static gboolean
tender_plugin_check_route_path(const gchar *path, GError **error)
{
	g_auto(GStrv) elements = NULL;

	if (path[0] == '\0' || path[0] == '/' || strlen(path) > TENDER_PLUGIN_SUBPATH_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid route '%s': give a relative path of at most %d characters",
			    path,
			    TENDER_PLUGIN_SUBPATH_MAX);
		return FALSE;
	}
	elements = g_strsplit(path, "/", -1);
	for (guint i = 0; elements[i] != NULL; i++) {
		const gchar *e = elements[i];
		if (g_strcmp0(e, "*") == 0)
			continue;
		if (e[0] == '\0' || g_strcmp0(e, ".") == 0 || g_strcmp0(e, "..") == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid route '%s': empty, '.' or '..' element",
				    path);
			return FALSE;
		}
		for (const gchar *p = e; *p != '\0'; p++) {
			if (!g_ascii_isalnum(*p) && strchr("_.-", *p) == NULL) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid route '%s': elements are '*' or letters, "
					    "digits, '_', '.' and '-'",
					    path);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/**
 * tender_plugin_add_http_route:
 * @self: a #TenderPlugin
 * @method: "GET", "POST", "PUT" or "DELETE" (HEAD is answered for GET)
 * @path: relative to /v1/plugins/NAME/, e.g. "sessions/ * /files" (without the blanks); a
 *   '*' element matches one path segment, see tender_plugin_request_get_capture()
 * @action_id: (nullable): the polkit action the caller needs; %NULL only for routes anyone
 *   may call (a health check), which also need no bearer token over TCP
 * @func: called for each authorized request
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data when tenderd exits
 * @error: (nullable): a #GError
 *
 * Serves a route on the HTTP API.  The core checks the request (size, JSON content type,
 * token, polkit, with details "plugin", "method" and "path") before @func sees it, and
 * answers 404 and 405 itself.  At most 64 routes per plugin.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_add_http_route(TenderPlugin *self,
			     const gchar *method,
			     const gchar *path,
			     const gchar *action_id,
			     TenderPluginRouteFunc func,
			     gpointer user_data,
			     GDestroyNotify destroy,
			     GError **error)
{
	const gchar *methods[] = {"GET", "POST", "PUT", "DELETE", NULL};
	TenderPluginRoute *route;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(func != NULL, FALSE);
	if (method == NULL || !g_strv_contains(methods, method)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid HTTP method '%s': use GET, POST, PUT or DELETE",
			    method != NULL ? method : "");
		return FALSE;
	}
	if (path == NULL || !tender_plugin_check_route_path(path, error))
		return FALSE;
	for (guint i = 0; i < tender_plugin_get_routes(self)->len; i++) {
		TenderPluginRoute *r = g_ptr_array_index(tender_plugin_get_routes(self), i);
		if (g_strcmp0(r->method, method) == 0 && g_strcmp0(r->path, path) == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ALREADY_EXISTS,
				    "The plugin has a route %s %s already",
				    method,
				    path);
			return FALSE;
		}
	}
	if (tender_plugin_get_routes(self)->len >= TENDER_PLUGIN_ROUTES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The plugin has %d routes already, the most allowed",
			    TENDER_PLUGIN_ROUTES_MAX);
		return FALSE;
	}
	route = g_new0(TenderPluginRoute, 1);
	route->method = g_strdup(method);
	route->path = g_strdup(path);
	route->action_id = g_strdup(action_id);
	route->func = func;
	route->user_data = user_data;
	route->destroy = destroy;
	g_ptr_array_add(tender_plugin_get_routes(self), route);
	return TRUE;
}
