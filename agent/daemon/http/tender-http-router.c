/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-http-adapters.h"
#include "tender-http-alias.h"
#include "tender-http-events.h"
#include "tender-http-exec.h"
#include "tender-http-images.h"
#include "tender-http-message.h"
#include "tender-http-plugins.h"
#include "tender-http-service.h"
#include "tender-http-request.h"
#include "tender-http-router.h"
#include "tender-request.h"
#include "tender-http-server-private.h"
#include "tender-http-tokens.h"
#include "tender-plugin-feature.h"
#include "tender-http-workloads.h"

/*
 * The routes of the HTTP mirror: the core's table, the route aliases of built-in services and
 * plugins (tender-http-alias.c), the plugins' feature services at /v1/NAME/METHOD and their
 * routes below /v1/plugins/NAME/, matched once when a request's headers are there; who may call
 * each (polkit); and the handler each route goes to.
 */

#define TENDER_HTTP_PLUGIN_PREFIX "/v1/plugins/"

/* each route and the Manager method whose authorization it needs (NULL: none); a new first
 * segment below /v1 is a name no plugin's feature service may take (tender-plugin-feature.c) */
static const struct {
	const gchar *method;
	const gchar *pattern; /* '*' is the workload name */
	TenderHttpRoute route;
	const gchar *dbus_method;
} tender_http_router_routes[] = {
    {"GET", "/api/health", TENDER_HTTP_ROUTE_HEALTH, NULL},
    {"GET", "/metrics", TENDER_HTTP_ROUTE_PROMETHEUS, "GetMetrics"},
    {"GET", "/v1/events", TENDER_HTTP_ROUTE_EVENTS, "ListWorkloads"},
    {"GET", "/v1/workloads", TENDER_HTTP_ROUTE_LIST, "ListWorkloads"},
    {"POST", "/v1/workloads", TENDER_HTTP_ROUTE_CREATE, "CreateWorkload"},
    {"POST", "/v1/workloads/import", TENDER_HTTP_ROUTE_IMPORT, "ImportWorkload"},
    {"GET", "/v1/workloads/*", TENDER_HTTP_ROUTE_GET, "GetWorkload"},
    {"DELETE", "/v1/workloads/*", TENDER_HTTP_ROUTE_REMOVE, "RemoveWorkload"},
    {"GET", "/v1/workloads/*/export", TENDER_HTTP_ROUTE_EXPORT, "ExportWorkload"},
    {"POST", "/v1/workloads/*/start", TENDER_HTTP_ROUTE_START, "StartWorkload"},
    {"POST", "/v1/workloads/*/stop", TENDER_HTTP_ROUTE_STOP, "StopWorkload"},
    {"POST", "/v1/workloads/*/kill", TENDER_HTTP_ROUTE_KILL, "KillWorkload"},
    {"POST", "/v1/workloads/*/pause", TENDER_HTTP_ROUTE_PAUSE, "PauseWorkload"},
    {"POST", "/v1/workloads/*/resume", TENDER_HTTP_ROUTE_RESUME, "ResumeWorkload"},
    {"POST", "/v1/workloads/*/exec", TENDER_HTTP_ROUTE_EXEC, "ExecWorkload"},
    {"GET", "/v1/workloads/*/logs", TENDER_HTTP_ROUTE_LOGS, "GetLogs"},
    {"GET", "/v1/workloads/*/metrics", TENDER_HTTP_ROUTE_METRICS, "GetMetrics"},
    {"GET", "/v1/plugins", TENDER_HTTP_ROUTE_PLUGINS, "ListPlugins"},
    /* tender's own Prometheus text, also when a route alias answers on /metrics */
    {"GET", "/v1/metrics", TENDER_HTTP_ROUTE_PROMETHEUS_ALL, "GetMetrics"},
    {"GET", "/v1/adapters", TENDER_HTTP_ROUTE_ADAPTERS, "ListAdapters"},
    {"GET", "/v1/images", TENDER_HTTP_ROUTE_IMAGES, "ListImages"},
    {"POST", "/v1/images", TENDER_HTTP_ROUTE_IMAGE_IMPORT, "ImportImage"},
    {"GET", "/v1/images/*", TENDER_HTTP_ROUTE_IMAGE_GET, "ListImages"},
    {"DELETE", "/v1/images/*", TENDER_HTTP_ROUTE_IMAGE_REMOVE, "RemoveImage"},
};

/* --- matching --- */

/**
 * tender_http_match_clear:
 * @match: a #TenderHttpMatch
 */
void
tender_http_match_clear(TenderHttpMatch *match)
{
	g_clear_pointer(&match->name, g_free);
	g_clear_pointer(&match->plugin_path, g_free);
	g_clear_pointer(&match->captures, g_ptr_array_unref);
	g_clear_object(&match->service);
	g_clear_pointer(&match->service_method, g_free);
	g_clear_pointer(&match->alias_set, tender_http_alias_set_unref);
}

/**
 * tender_http_router_get_core_pattern:
 * @index: from 0
 *
 * Returns: (nullable): the path of the core's route @index ('*' for a name), %NULL after the
 *   last: paths no plugin's alias may take
 */
const gchar *
tender_http_router_get_core_pattern(guint index)
{
	return index < G_N_ELEMENTS(tender_http_router_routes)
		   ? tender_http_router_routes[index].pattern
		   : NULL;
}

/* does @path match the route @pattern; its '*' segments, never empty, go to @captures.  Every
 * request is matched against the routes one by one: segments are compared in place */
gboolean
tender_http_router_match_path(const gchar *pattern, const gchar *path, GPtrArray *captures)
{
	const gchar *p = pattern;
	const gchar *s = path;

	g_ptr_array_set_size(captures, 0);
	for (;;) {
		gsize plen = strcspn(p, "/");
		gsize slen = strcspn(s, "/");

		if (plen == 1 && p[0] == '*' && slen > 0)
			g_ptr_array_add(captures, g_strndup(s, slen));
		else if (plen != slen || strncmp(p, s, plen) != 0)
			return FALSE;
		p += plen;
		s += slen;
		if (*p == '\0' || *s == '\0')
			return *p == '\0' && *s == '\0';
		p++;
		s++;
	}
}

/* does @route answer @method; HEAD is GET without the body */
gboolean
tender_http_router_method_matches(const gchar *route, const gchar *method)
{
	return g_strcmp0(route, method) == 0 ||
	       (g_strcmp0(method, "HEAD") == 0 && g_strcmp0(route, "GET") == 0);
}

static void
tender_http_router_allow(GString *allow, const gchar *method)
{
	if (strstr(allow->str, method) == NULL)
		g_string_append_printf(allow, "%s%s", allow->len > 0 ? ", " : "", method);
}

/**
 * tender_http_router_match_row:
 * @verb: a route's method
 * @pattern: its path
 * @method: the request's method
 * @path: the request's path
 * @captures: gets the '*' segments
 * @status: (inout): 405 when @path matches but @method does not
 * @allow: gets @verb then
 *
 * Returns: whether the route answers @method on @path
 */
gboolean
tender_http_router_match_row(const gchar *verb,
			     const gchar *pattern,
			     const gchar *method,
			     const gchar *path,
			     GPtrArray *captures,
			     guint *status,
			     GString *allow)
{
	if (!tender_http_router_match_path(pattern, path, captures))
		return FALSE;
	if (tender_http_router_method_matches(verb, method))
		return TRUE;
	*status = SOUP_STATUS_METHOD_NOT_ALLOWED;
	tender_http_router_allow(allow, verb);
	return FALSE;
}

/* the core's route, or %FALSE with the status (404 or 405) and the allowed methods */
static gboolean
tender_http_router_match_core(const gchar *method,
			      const gchar *path,
			      TenderHttpMatch *match,
			      guint *status,
			      GString *allow)
{
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);
	gboolean found = FALSE;

	*status = SOUP_STATUS_NOT_FOUND;
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_router_routes); i++) {
		/* the literal "import" wins over a workload of that name for POST */
		if (!tender_http_router_match_row(tender_http_router_routes[i].method,
						  tender_http_router_routes[i].pattern,
						  method,
						  path,
						  captures,
						  status,
						  allow) ||
		    found)
			continue;
		found = TRUE;
		match->route = tender_http_router_routes[i].route;
		match->dbus_method = tender_http_router_routes[i].dbus_method;
		if (captures->len > 0)
			match->name = g_strdup(g_ptr_array_index(captures, 0));
	}
	return found;
}

/* the active plugin called @name */
static TenderPlugin *
tender_http_router_find_plugin_in(TenderPluginList *plugins,
				  const gchar *name,
				  TenderPluginStatus status)
{
	GPtrArray *list = tender_plugin_list_get_plugins(plugins);

	for (guint i = 0; i < list->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(list, i);
		if (tender_plugin_get_status(plugin) == status &&
		    g_strcmp0(tender_plugin_get_name(plugin), name) == 0)
			return plugin;
	}
	return NULL;
}

static TenderPlugin *
tender_http_router_find_plugin(TenderPluginList *plugins, const gchar *name)
{
	return tender_http_router_find_plugin_in(plugins, name, TENDER_PLUGIN_STATUS_ACTIVE);
}

/* a method of an active plugin's feature service, /v1/NAME/METHOD; %FALSE with the status
 * left alone, or 405 and the allowed methods */
static gboolean
tender_http_router_match_feature(TenderPluginList *plugins,
				 const gchar *method,
				 const gchar *path,
				 TenderHttpMatch *match,
				 guint *status,
				 GString *allow)
{
	g_auto(GStrv) parts = NULL;
	TenderPlugin *plugin;
	TenderService *service;

	if (plugins == NULL || !g_str_has_prefix(path, "/v1/"))
		return FALSE;
	parts = g_strsplit(path + strlen("/v1/"), "/", -1);
	if (g_strv_length(parts) != 2)
		return FALSE;
	plugin = tender_http_router_find_plugin(plugins, parts[0]);
	service = plugin != NULL ? tender_plugin_get_feature_service(plugin) : NULL;
	return service != NULL && tender_http_service_match_method(plugin,
								   service,
								   parts[1],
								   method,
								   match,
								   status,
								   allow);
}

/*
 * The route of an active plugin that @path is for; %FALSE with the status (404 or 405) and
 * the allowed methods when there is none.
 */
static gboolean
tender_http_router_match_plugin(TenderPluginList *plugins,
				const gchar *method,
				const gchar *path,
				TenderHttpMatch *match,
				guint *status,
				GString *allow)
{
	g_autofree gchar *name = NULL;
	const gchar *rest;
	const gchar *slash;
	GPtrArray *routes;
	TenderPlugin *plugin;

	/* elsewhere the core's routes said 404 or 405 already */
	if (plugins == NULL || !g_str_has_prefix(path, TENDER_HTTP_PLUGIN_PREFIX))
		return FALSE;
	*status = SOUP_STATUS_NOT_FOUND;
	rest = path + strlen(TENDER_HTTP_PLUGIN_PREFIX);
	slash = strchr(rest, '/');
	if (slash == NULL)
		return FALSE;
	name = g_strndup(rest, (gsize)(slash - rest));
	plugin = tender_http_router_find_plugin(plugins, name);
	if (plugin == NULL)
		return FALSE;
	match->captures = g_ptr_array_new_with_free_func(g_free);
	routes = tender_plugin_get_routes(plugin);
	for (guint i = 0; i < routes->len; i++) {
		TenderPluginRoute *route = g_ptr_array_index(routes, i);
		if (!tender_http_router_match_path(route->path, slash + 1, match->captures))
			continue;
		if (tender_http_router_method_matches(route->method, method)) {
			match->route = TENDER_HTTP_ROUTE_PLUGIN;
			match->plugin = plugin;
			match->plugin_route = route;
			match->plugin_path = g_strdup(slash + 1);
			return TRUE;
		}
		*status = SOUP_STATUS_METHOD_NOT_ALLOWED;
		tender_http_router_allow(allow, route->method);
	}
	/* no route of the plugin's own: a method of a service it declared? */
	if (*status == SOUP_STATUS_NOT_FOUND &&
	    tender_http_service_match(plugin, method, slash + 1, match, status, allow))
		return TRUE;
	tender_http_match_clear(match);
	return FALSE;
}

/* a deferred plugin that reserved a prefix of @path (tender_plugin_reserve_http_paths()) */
static TenderPlugin *
tender_http_router_find_reserver(TenderPluginList *plugins, const gchar *path, gboolean *detail)
{
	GPtrArray *list = tender_plugin_list_get_plugins(plugins);

	for (guint i = 0; i < list->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(list, i);
		const TenderPluginReserved *reserved;
		if (tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_DEFERRED)
			continue;
		reserved = tender_plugin_lookup_reserved(plugin, path);
		if (reserved == NULL)
			continue;
		*detail = (reserved->flags & TENDER_PLUGIN_HTTP_ALIAS_DETAIL) != 0;
		return plugin;
	}
	return NULL;
}

/**
 * tender_http_router_deferred_message:
 * @plugins: (nullable): the loaded plugins
 * @path: a path no route answers
 * @detail: (out): whether to answer it as FastAPI's {"detail": ...}
 *
 * The paths of a deferred plugin (its feature service's /v1/NAME/..., its routes below
 * /v1/plugins/NAME/, and those below a prefix it reserved for its aliases) are not there
 * while it waits for what it needs: they answer 503 with the probe's reason, so that a
 * client knows to try again rather than that the path is wrong.
 *
 * Returns: (transfer full) (nullable): the 503's message, or %NULL if @path is no deferred
 *   plugin's
 */
gchar *
tender_http_router_deferred_message(TenderPluginList *plugins, const gchar *path, gboolean *detail)
{
	g_autofree gchar *name = NULL;
	const gchar *rest = NULL;
	const gchar *end;
	TenderPlugin *plugin = NULL;

	*detail = FALSE;
	if (plugins == NULL)
		return NULL;
	if (g_str_has_prefix(path, TENDER_HTTP_PLUGIN_PREFIX))
		rest = path + strlen(TENDER_HTTP_PLUGIN_PREFIX);
	else if (g_str_has_prefix(path, "/v1/"))
		rest = path + strlen("/v1/");
	if (rest != NULL) {
		end = strchr(rest, '/');
		name = end != NULL ? g_strndup(rest, (gsize)(end - rest)) : g_strdup(rest);
		plugin =
		    tender_http_router_find_plugin_in(plugins, name, TENDER_PLUGIN_STATUS_DEFERRED);
	}
	if (plugin == NULL)
		plugin = tender_http_router_find_reserver(plugins, path, detail);
	if (plugin == NULL)
		return NULL;
	return g_strdup_printf("Plugin %s is not serving yet: %s",
			       tender_plugin_get_name(plugin),
			       tender_plugin_get_status_message(plugin));
}

/**
 * tender_http_router_match:
 * @plugins: (nullable): the loaded plugins, whose routes are below /v1/plugins/NAME/, whose
 *   feature services are at /v1/NAME/, and whose route aliases are where they say
 * @method: the request's method
 * @path: the request's path
 * @match: (out caller-allocates): the route
 * @status: (out): when there is none, 404 or 405
 * @allow: the methods @path allows, for a 405
 *
 * Returns: whether a route of the core or of an active plugin answers @method on @path
 */
gboolean
tender_http_router_match(TenderPluginList *plugins,
			 const gchar *method,
			 const gchar *path,
			 TenderHttpMatch *match,
			 guint *status,
			 GString *allow)
{
	if (tender_http_router_match_core(method, path, match, status, allow) ||
	    tender_http_alias_match(plugins, method, path, match, status, allow))
		return TRUE;
	/* a 405 of a core route or an alias stands: the other routes of plugins are at
	 * /v1/NAME/METHOD, where no alias is, and below /v1/plugins/NAME/ */
	if (*status != SOUP_STATUS_NOT_FOUND)
		return FALSE;
	return tender_http_router_match_feature(plugins, method, path, match, status, allow) ||
	       tender_http_router_match_plugin(plugins, method, path, match, status, allow);
}

/* --- authorization: who asks, and what polkit is asked for each route --- */

/* does the route need authorization, and so a bearer token over TCP */
static gboolean
tender_http_router_needs_auth(const TenderHttpMatch *match)
{
	if (match->route == TENDER_HTTP_ROUTE_PLUGIN)
		return match->plugin_route->action_id != NULL;
	if (match->route == TENDER_HTTP_ROUTE_SERVICE)
		return TRUE;
	if (match->route == TENDER_HTTP_ROUTE_ALIAS)
		return match->alias->method != NULL;
	return match->dbus_method != NULL;
}

/**
 * tender_http_router_authenticate:
 * @req: a request whose route is known
 * @headers: its headers
 * @tokens: the tokens file
 * @error: (nullable): a #GError, %TENDER_ERROR_ACCESS_DENIED: answer 401
 *
 * A client over TCP names itself by a bearer token of the tokens file when its route needs
 * authorization; the token's uid is the caller then.
 *
 * Returns: %TRUE if the request may go on
 */
gboolean
tender_http_router_authenticate(TenderHttpRequest *req,
				SoupMessageHeaders *headers,
				const gchar *tokens,
				GError **error)
{
	const gchar *auth;
	guint32 uid = 0;

	if (req->local || !tender_http_router_needs_auth(&req->match))
		return TRUE;
	auth = soup_message_headers_get_one(headers, "Authorization");
	if (auth == NULL || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ACCESS_DENIED,
				    "A bearer token is required");
		return FALSE;
	}
	if (!tender_http_tokens_lookup(tokens, auth + 7, &uid, error))
		return FALSE;
	req->uid = uid;
	req->has_token = TRUE;
	return TRUE;
}

/* the Manager method a route calls: GET .../logs?follow=1 is FollowLogs, as over D-Bus */
static const gchar *
tender_http_router_manager_method(TenderHttpRequest *req)
{
	const gchar *method = req->match.dbus_method;
	const gchar *follow = tender_http_request_get_query(req, "follow");

	if (req->match.route == TENDER_HTTP_ROUTE_LOGS && follow != NULL &&
	    (g_strcmp0(follow, "1") == 0 || g_strcmp0(follow, "true") == 0))
		return "FollowLogs";
	return method;
}

/*
 * The one request path: the call as the D-Bus front-end makes it, with the same method, action
 * and details.  Returns NULL for a route anyone may call (no action).
 */
static TenderRequest *
tender_http_router_request_new(TenderHttpRequest *req)
{
	g_autoptr(TenderRequest) request = tender_request_new(req->subject, FALSE);
	const gchar *method;
	GVariant *params;

	if (req->match.route == TENDER_HTTP_ROUTE_PLUGIN) {
		if (req->match.plugin_route->action_id == NULL)
			return NULL;
		tender_request_set_method_action(request,
						 soup_server_message_get_method(req->msg),
						 req->match.plugin_route->action_id);
		tender_request_set_detail(request,
					  "plugin",
					  tender_plugin_get_name(req->match.plugin));
		tender_request_set_detail(request, "path", req->path);
		return g_steal_pointer(&request);
	}
	if (req->match.route == TENDER_HTTP_ROUTE_SERVICE) {
		tender_http_service_prepare(req, request);
		return g_steal_pointer(&request);
	}
	if (req->match.route == TENDER_HTTP_ROUTE_ALIAS)
		return tender_http_alias_prepare(req, request) ? g_steal_pointer(&request) : NULL;
	method = tender_http_router_manager_method(req);
	if (method == NULL || !tender_request_set_method(request, method, NULL))
		return NULL;
	params = tender_http_workloads_decode(req, method);
	if (params != NULL)
		tender_request_set_manager_call(request, method, params, NULL);
	else if (!tender_http_images_prepare(req, request))
		tender_request_set_workload(request, req->match.name);
	return g_steal_pointer(&request);
}

static void
tender_http_router_dispatch(TenderHttpRequest *req);

static void
tender_http_router_authorize_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpRequest *req = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_request_authorize_finish(TENDER_REQUEST(source), res, &error)) {
		if (tender_http_request_resume(req))
			tender_http_message_reply_gerror(req->msg, error);
		tender_http_request_free(req);
		return;
	}
	if (!tender_http_request_resume(req)) {
		tender_http_request_free(req);
		return;
	}
	tender_http_router_dispatch(req);
}

/**
 * tender_http_router_authorize:
 * @req: (transfer full): a request whose body is read
 *
 * Authorizes the call by the one request path (tender_request_authorize_async()), with the
 * action and details a D-Bus call of the same method gets, and hands the request to the
 * route's handler if it is allowed.
 */
void
tender_http_router_authorize(TenderHttpRequest *req)
{
	g_autoptr(TenderRequest) request = NULL;

	if (req->local) {
		req->subject = tender_authority_subject_new_process(req->pid, req->uid);
	} else {
		/* without a token (for a route anyone may call) the caller is nobody known */
		req->subject = tender_authority_subject_new_uid(req->uid);
	}
	/* a route alias may answer a core route's path (a root_api adapter's /metrics) */
	tender_http_alias_claim(req);
	request = tender_http_router_request_new(req);
	if (request == NULL) {
		tender_http_router_dispatch(req);
		return;
	}
	if (!req->local && !req->has_token) {
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_UNAUTHORIZED,
						TENDER_ERROR_ACCESS_DENIED,
						"A bearer token is required");
		tender_http_request_free(req);
		return;
	}
	tender_http_request_pause(req);
	tender_request_authorize_async(request,
				       tender_http_server_get_authority(req->self),
				       tender_http_server_get_engine(req->self),
				       NULL,
				       tender_http_router_authorize_cb,
				       req);
}

/* --- dispatch --- */

/* takes @req */
static void
tender_http_router_dispatch(TenderHttpRequest *req)
{
	switch (req->match.route) {
	case TENDER_HTTP_ROUTE_PROMETHEUS_ALL:
	case TENDER_HTTP_ROUTE_PROMETHEUS:
		tender_http_workloads_prometheus(req);
		return;
	case TENDER_HTTP_ROUTE_ADAPTERS:
		tender_http_adapters_list(req);
		break;
	case TENDER_HTTP_ROUTE_EVENTS:
		tender_http_events_subscribe(tender_http_server_get_events(req->self), req->msg);
		break;
	case TENDER_HTTP_ROUTE_LIST:
		tender_http_workloads_list(req);
		break;
	case TENDER_HTTP_ROUTE_CREATE:
		tender_http_workloads_create(req);
		break;
	case TENDER_HTTP_ROUTE_IMPORT:
		tender_http_workloads_import(req);
		break;
	case TENDER_HTTP_ROUTE_GET:
		tender_http_workloads_get(req);
		break;
	case TENDER_HTTP_ROUTE_EXPORT:
		tender_http_workloads_export(req);
		break;
	case TENDER_HTTP_ROUTE_LOGS:
		tender_http_workloads_logs(req);
		return;
	case TENDER_HTTP_ROUTE_METRICS:
		tender_http_workloads_metrics(req);
		return;
	case TENDER_HTTP_ROUTE_PLUGINS:
		tender_http_plugins_list(req);
		break;
	case TENDER_HTTP_ROUTE_PLUGIN:
		tender_http_plugins_call(req);
		break;
	case TENDER_HTTP_ROUTE_SERVICE:
		tender_http_service_call(req);
		return;
	case TENDER_HTTP_ROUTE_ALIAS:
		tender_http_alias_call(req);
		return;
	case TENDER_HTTP_ROUTE_EXEC:
		tender_http_exec_call(req);
		return;
	case TENDER_HTTP_ROUTE_IMAGES:
		tender_http_images_list(req);
		break;
	case TENDER_HTTP_ROUTE_IMAGE_IMPORT:
		tender_http_images_import(req);
		return;
	case TENDER_HTTP_ROUTE_IMAGE_GET:
		tender_http_images_get(req);
		break;
	case TENDER_HTTP_ROUTE_IMAGE_REMOVE:
		tender_http_images_remove(req);
		break;
	case TENDER_HTTP_ROUTE_REMOVE:
	case TENDER_HTTP_ROUTE_START:
	case TENDER_HTTP_ROUTE_STOP:
	case TENDER_HTTP_ROUTE_KILL:
	case TENDER_HTTP_ROUTE_PAUSE:
	case TENDER_HTTP_ROUTE_RESUME:
		tender_http_workloads_action(req);
		return;
	case TENDER_HTTP_ROUTE_HEALTH:
	default:
		tender_http_workloads_health(req);
		break;
	}
	tender_http_request_free(req);
}
