/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-http-adapters.h"
#include "tender-http-alias.h"
#include "tender-http-call.h"
#include "tender-http-fastapi.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"
#include "tender-plugin-feature.h"

/*
 * Route aliases: routes of the HTTP mirror that are other names of the methods of services,
 * with the paths, bodies and answers their clients know: those of built-in services (the
 * adapter instances' /v1/adapters/NAME/api/... and seed 000's /api/...), and those a plugin
 * gives its feature service (tender_plugin_add_http_aliases(): seed 002's /containers/...).
 * Each is a row of a set (verb and path, the object, the method, where its in-args come from,
 * how its answer is shaped): the built-in sets are static tables, a plugin's is built from
 * its registrations when a request first needs it.  One matcher finds a request's row among
 * all of them, and the call goes the one way every call of a service goes: authorized with
 * the method's action and details, then handed to its handler as a TenderCall.
 */

/* every table of aliases of built-in services */
static const TenderHttpAliasSet *const tender_http_alias_sets[] = {
    &tender_http_adapters_aliases,
};

/**
 * tender_http_alias_set_ref:
 * @set: (nullable): a set of aliases
 *
 * Returns: @set, with a reference more if it is a plugin's
 */
const TenderHttpAliasSet *
tender_http_alias_set_ref(const TenderHttpAliasSet *set)
{
	if (set != NULL && set->ref_count > 0)
		g_atomic_int_inc(&((TenderHttpAliasSet *)set)->ref_count);
	return set;
}

/**
 * tender_http_alias_set_unref:
 * @set: (nullable): a set of aliases
 *
 * Drops a reference to a plugin's set; a static one stays.
 */
void
tender_http_alias_set_unref(const TenderHttpAliasSet *set)
{
	TenderHttpAliasSet *owned = (TenderHttpAliasSet *)set;
	TenderHttpAlias *rows;

	if (set == NULL || set->ref_count == 0 || !g_atomic_int_dec_and_test(&owned->ref_count))
		return;
	rows = (TenderHttpAlias *)owned->aliases;
	for (guint i = 0; rows[i].verb != NULL; i++) {
		g_free((gchar *)rows[i].verb);
		g_free((gchar *)rows[i].pattern);
		g_free((gchar *)rows[i].method);
		g_strfreev((GStrv)rows[i].captures);
		g_free((gchar *)rows[i].tag);
	}
	g_free(rows);
	g_object_unref(owned->service);
	g_free(owned);
}

/**
 * tender_http_alias_get_builtin_pattern:
 * @index: from 0
 *
 * Returns: (nullable): the path of the built-in alias @index ('*' for a name), %NULL after
 *   the last: paths no plugin's alias may take
 */
const gchar *
tender_http_alias_get_builtin_pattern(guint index)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_alias_sets); i++) {
		const TenderHttpAlias *aliases = tender_http_alias_sets[i]->aliases;
		for (guint j = 0; aliases[j].verb != NULL; j++) {
			if (index-- == 0)
				return aliases[j].pattern;
		}
	}
	return NULL;
}

static void
tender_http_alias_reply_raw(TenderHttpRequest *req, GVariant *value);
static void
tender_http_alias_reply_bytes(TenderHttpRequest *req, GVariant *value);

/* a plugin's aliases as a set: built when a request first needs them, and kept with the
 * plugin until they change */
static const TenderHttpAliasSet *
tender_http_alias_plugin_set(TenderPlugin *plugin)
{
	TenderHttpAliasSet *set = tender_plugin_get_http_alias_cache(plugin);
	GPtrArray *aliases = tender_plugin_get_http_aliases(plugin);
	TenderService *service = tender_plugin_get_feature_service(plugin);
	TenderHttpAlias *rows;

	if (set != NULL || aliases->len == 0 || service == NULL)
		return set;
	rows = g_new0(TenderHttpAlias, aliases->len + 1);
	for (guint i = 0; i < aliases->len; i++) {
		TenderPluginAlias *alias = g_ptr_array_index(aliases, i);
		rows[i].verb = g_strdup(alias->verb);
		rows[i].pattern = g_strdup(alias->route);
		rows[i].method = g_strdup(alias->method);
		rows[i].reply = tender_http_alias_reply_raw;
		rows[i].flags = TENDER_HTTP_ALIAS_RAW;
		if ((alias->flags & TENDER_PLUGIN_HTTP_ALIAS_DETAIL) != 0)
			rows[i].flags |= TENDER_HTTP_ALIAS_DETAIL;
		if ((alias->flags & TENDER_PLUGIN_HTTP_ALIAS_BYTES) != 0) {
			rows[i].flags |= TENDER_HTTP_ALIAS_BYTES;
			rows[i].reply = tender_http_alias_reply_bytes;
		}
		rows[i].body_max = alias->body_max;
		rows[i].captures = (const gchar *const *)g_strdupv(alias->captures);
		rows[i].tag = g_strdup(alias->tag);
	}
	set = g_new0(TenderHttpAliasSet, 1);
	set->aliases = rows;
	set->service = g_object_ref(service);
	set->ref_count = 1;
	tender_plugin_set_http_alias_cache(plugin,
					   set,
					   (GDestroyNotify)tender_http_alias_set_unref);
	return set;
}

/* the sets a request may be for: the built-in ones, then those of the active plugins */
static GPtrArray *
tender_http_alias_get_sets(TenderPluginList *plugins)
{
	GPtrArray *sets = g_ptr_array_new();
	GPtrArray *list = plugins != NULL ? tender_plugin_list_get_plugins(plugins) : NULL;

	for (guint i = 0; i < G_N_ELEMENTS(tender_http_alias_sets); i++)
		g_ptr_array_add(sets, (gpointer)tender_http_alias_sets[i]);
	for (guint i = 0; list != NULL && i < list->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(list, i);
		const TenderHttpAliasSet *set = NULL;

		if (tender_plugin_get_status(plugin) == TENDER_PLUGIN_STATUS_ACTIVE)
			set = tender_http_alias_plugin_set(plugin);
		if (set != NULL)
			g_ptr_array_add(sets, (gpointer)set);
	}
	return sets;
}

/* the object of @set's routes named @name (a built-in route's '*'), or of the set's alias, or
 * a plugin's feature service; %NULL with %TENDER_ERROR_NOT_FOUND */
static TenderService *
tender_http_alias_find_object(TenderHttpServer *server,
			      const TenderHttpAliasSet *set,
			      const gchar *name,
			      GError **error)
{
	TenderServiceList *services;
	TenderService *service = NULL;

	if (set->service != NULL)
		return set->service;
	services = set->get_services != NULL ? set->get_services(server) : NULL;
	if (services != NULL && name != NULL)
		return tender_service_list_find(services, name, error);
	if (services != NULL)
		service = tender_service_list_get_alias(services, set->alias);
	if (service == NULL)
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, set->missing);
	return service;
}

/*
 * The one matcher: the first row of @sets that answers @method on @path, into @match.  With
 * @server, among the fallback rows whose object is there (tender_http_alias_claim()); without,
 * among the others, with the status (left alone, or 405) and the allowed methods when there
 * is none.
 */
static gboolean
tender_http_alias_lookup(GPtrArray *sets,
			 TenderHttpServer *server,
			 const gchar *method,
			 const gchar *path,
			 TenderHttpMatch *match,
			 guint *status,
			 GString *allow)
{
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < sets->len; i++) {
		const TenderHttpAliasSet *set = g_ptr_array_index(sets, i);
		for (guint j = 0; set->aliases[j].verb != NULL; j++) {
			const TenderHttpAlias *alias = &set->aliases[j];
			gboolean fallback = (alias->flags & TENDER_HTTP_ALIAS_FALLBACK) != 0;

			if (fallback != (server != NULL) ||
			    (fallback &&
			     tender_http_alias_find_object(server, set, NULL, NULL) == NULL) ||
			    !tender_http_router_match_row(alias->verb,
							  alias->pattern,
							  method,
							  path,
							  captures,
							  status,
							  allow))
				continue;
			match->route = TENDER_HTTP_ROUTE_ALIAS;
			match->alias = alias;
			match->alias_set = tender_http_alias_set_ref(set);
			if (captures->len > 0) {
				g_free(match->name);
				match->name = g_strdup(g_ptr_array_index(captures, 0));
			}
			g_clear_pointer(&match->captures, g_ptr_array_unref);
			match->captures = g_steal_pointer(&captures);
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * tender_http_alias_match:
 * @plugins: (nullable): the loaded plugins, whose active ones' aliases count
 * @method: the request's method
 * @path: the request's path
 * @match: (out caller-allocates): the route
 * @status: (inout): left alone, or 405 when @path is an alias's but @method is not
 * @allow: the methods @path allows, for a 405
 *
 * Returns: whether an alias route, of a built-in service or a plugin, answers @method on
 *   @path; those that fall back to a core route are not matched here
 */
gboolean
tender_http_alias_match(TenderPluginList *plugins,
			const gchar *method,
			const gchar *path,
			TenderHttpMatch *match,
			guint *status,
			GString *allow)
{
	g_autoptr(GPtrArray) sets = tender_http_alias_get_sets(plugins);

	return tender_http_alias_lookup(sets, NULL, method, path, match, status, allow);
}

static TenderServiceList *
tender_http_alias_get_services(TenderHttpRequest *req, const TenderHttpAliasSet *set)
{
	return set->get_services != NULL ? set->get_services(req->self) : NULL;
}

/**
 * tender_http_alias_is_detail:
 * @server: the server
 * @match: a request's route
 *
 * Whether the request is for a route that answers as FastAPI (%TENDER_HTTP_ALIAS_DETAIL)
 * whose object is there: without it, tender answers that it is not, in its own form.
 *
 * Returns: %TRUE if the request's errors are {"detail": ...}
 */
gboolean
tender_http_alias_is_detail(TenderHttpServer *server, const TenderHttpMatch *match)
{
	if (match->route != TENDER_HTTP_ROUTE_ALIAS ||
	    (match->alias->flags & TENDER_HTTP_ALIAS_DETAIL) == 0)
		return FALSE;
	return tender_http_alias_find_object(server, match->alias_set, match->name, NULL) != NULL;
}

/**
 * tender_http_alias_is_raw:
 * @match: a request's route
 *
 * Returns: %TRUE if the request is for a plugin's alias, which takes any body as it is
 */
gboolean
tender_http_alias_is_raw(const TenderHttpMatch *match)
{
	return match->route == TENDER_HTTP_ROUTE_ALIAS &&
	       (match->alias->flags & TENDER_HTTP_ALIAS_RAW) != 0;
}

/**
 * tender_http_alias_get_body_max:
 * @match: a request's route
 *
 * Returns: the largest body the route takes, when a plugin's alias of bytes says; 0: the HTTP
 *   mirror's
 */
gsize
tender_http_alias_get_body_max(const TenderHttpMatch *match)
{
	if (!tender_http_alias_is_raw(match))
		return 0;
	return match->alias->body_max;
}

/**
 * tender_http_alias_claim:
 * @req: a request whose route is known, with its server
 *
 * The fallback aliases of @req's path: when the object of one is there, it answers instead
 * of the core's route (the root_api instance's /api/health and /metrics).
 */
void
tender_http_alias_claim(TenderHttpRequest *req)
{
	g_autoptr(GPtrArray) sets = NULL;
	g_autoptr(GString) allow = g_string_new(NULL);
	guint status = 0;

	if (req->match.route == TENDER_HTTP_ROUTE_ALIAS)
		return;
	sets = tender_http_alias_get_sets(tender_http_server_get_plugins(req->self));
	if (!tender_http_alias_lookup(sets,
				      req->self,
				      soup_server_message_get_method(req->msg),
				      req->path,
				      &req->match,
				      &status,
				      allow))
		return;
	req->match.dbus_method = NULL;
	if ((req->match.alias->flags & TENDER_HTTP_ALIAS_DETAIL) != 0)
		tender_http_message_set_detail_errors(req->msg);
}

/* the object @req is for, or %NULL with %TENDER_ERROR_NOT_FOUND */
static TenderService *
tender_http_alias_find(TenderHttpRequest *req, GError **error)
{
	return tender_http_alias_find_object(req->self,
					     req->match.alias_set,
					     req->match.name,
					     error);
}

/**
 * tender_http_alias_prepare:
 * @req: a request for an alias route
 * @request: the request to authorize
 *
 * The action and details a D-Bus call of the route's method gets; for an object that is not
 * there, the method's action and detail (the caller learns it is not there once allowed).
 *
 * Returns: %FALSE for a route that calls no method, which anyone may call
 */
gboolean
tender_http_alias_prepare(TenderHttpRequest *req, TenderRequest *request)
{
	const gchar *method = req->match.alias->method;
	TenderServiceList *services = tender_http_alias_get_services(req, req->match.alias_set);
	TenderService *service = NULL;

	if (method == NULL)
		return FALSE;
	service = tender_http_alias_find(req, NULL);
	if (service != NULL)
		tender_service_prepare_request(service, request, method);
	else if (services != NULL)
		tender_service_prepare_method(tender_service_list_get_methods(services),
					      request,
					      method);
	else
		tender_request_set_method_action(request, method, NULL);
	return TRUE;
}

/* the service's answer, in the route's shape */
static void
tender_http_alias_reply(TenderHttpRequest *req, GVariant *value)
{
	req->match.alias->reply(req, value);
}

/* one parameter of a plugin's alias, which a{ss} carries as UTF-8 text */
static gboolean
tender_http_alias_check_text(const gchar *what, const gchar *text, gsize len, GError **error)
{
	if (text == NULL || g_utf8_validate(text, (gssize)len, NULL))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "%s is not UTF-8 text",
		    what);
	return FALSE;
}

/* a plugin alias's in-args, (a{ss} s): the query's parameters and the named captures,
 * unescaped, which win over parameters of the same name; and the body as it came */
static GVariant *
tender_http_alias_raw_parameters(TenderHttpRequest *req, GError **error)
{
	const TenderHttpAlias *alias = req->match.alias;
	g_autoptr(GHashTable) params = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	g_autoptr(GBytes) bytes =
	    soup_message_body_flatten(soup_server_message_get_request_body(req->msg));
	g_autoptr(GList) keys = NULL;
	g_autofree gchar *body = NULL;
	GVariantBuilder builder;
	GHashTableIter iter;
	gpointer key;
	gpointer value;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);

	if (req->query != NULL) {
		g_hash_table_iter_init(&iter, req->query);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_hash_table_insert(params, key, g_strdup(value));
	}
	for (guint i = 0; alias->captures != NULL && alias->captures[i] != NULL; i++) {
		gchar *segment =
		    g_uri_unescape_string(g_ptr_array_index(req->match.captures, i), NULL);
		if (segment == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The path's {%s} is not a valid escaped segment",
				    alias->captures[i]);
			return NULL;
		}
		g_hash_table_insert(params, (gpointer)alias->captures[i], segment);
	}
	if (alias->tag != NULL)
		g_hash_table_insert(params, (gpointer) "route", g_strdup(alias->tag));
	keys = g_list_sort(g_hash_table_get_keys(params), (GCompareFunc)g_strcmp0);
	for (GList *l = keys; l != NULL; l = l->next) {
		const gchar *text = g_hash_table_lookup(params, l->data);
		if (!tender_http_alias_check_text("A query parameter",
						  l->data,
						  strlen(l->data),
						  error) ||
		    !tender_http_alias_check_text("A parameter", text, strlen(text), error))
			return NULL;
	}
	if ((alias->flags & TENDER_HTTP_ALIAS_BYTES) == 0 &&
	    !tender_http_alias_check_text("The request body", data, len, error))
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	for (GList *l = keys; l != NULL; l = l->next)
		g_variant_builder_add(&builder,
				      "{ss}",
				      (const gchar *)l->data,
				      (const gchar *)g_hash_table_lookup(params, l->data));
	/* the body as it came, whatever its bytes */
	if ((alias->flags & TENDER_HTTP_ALIAS_BYTES) != 0)
		return g_variant_new("(a{ss}@ay)",
				     &builder,
				     g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING,
							      bytes,
							      TRUE));
	body = g_strndup(data != NULL ? data : "", len);
	return g_variant_new("(a{ss}s)", &builder, body);
}

/* a plugin alias's answer, (u s): the status and the JSON body the plugin shaped, as they are */
static void
tender_http_alias_reply_raw(TenderHttpRequest *req, GVariant *value)
{
	guint32 status = 0;
	const gchar *body = NULL;

	g_variant_get(value, "(u&s)", &status, &body);
	if (status < 200 || status > 599) {
		g_autofree gchar *message =
		    g_strdup_printf("%s answered with HTTP status %u, not one from 200 to 599",
				    req->match.alias->method,
				    status);
		g_warning("plugin %s: %s", tender_service_get_owner(req->match.service), message);
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_INTERNAL_SERVER_ERROR,
						TENDER_ERROR_FAILED,
						message);
		return;
	}
	tender_http_message_reply_text(req->msg, status, "application/json", g_strdup(body));
}

/* a plugin alias of bytes's answer, (u s ay): the status, the content type and the body, as
 * they are */
static void
tender_http_alias_reply_bytes(TenderHttpRequest *req, GVariant *value)
{
	guint32 status = 0;
	const gchar *type = NULL;
	g_autoptr(GVariant) body = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gsize len = 0;
	gconstpointer data;

	g_variant_get(value, "(u&s@ay)", &status, &type, &body);
	if (status < 200 || status > 599 || type[0] == '\0' || strpbrk(type, "\r\n") != NULL) {
		g_autofree gchar *message =
		    g_strdup_printf("%s answered with HTTP status %u and content type '%s': a "
				    "status from 200 to 599 and a type of one line",
				    req->match.alias->method,
				    status,
				    type);
		g_warning("plugin %s: %s", tender_service_get_owner(req->match.service), message);
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_INTERNAL_SERVER_ERROR,
						TENDER_ERROR_FAILED,
						message);
		return;
	}
	bytes = g_variant_get_data_as_bytes(body);
	data = g_bytes_get_data(bytes, &len);
	soup_server_message_set_status(req->msg, status, NULL);
	soup_server_message_set_response(req->msg, type, SOUP_MEMORY_COPY, data, len);
}

/* the in-args, from where the alias says: a plugin's parameters and body, the body of a
 * FastAPI route, read already, or the request's */
static GVariant *
tender_http_alias_parameters(TenderHttpRequest *req, JsonObject *fastapi_body, GError **error)
{
	TenderHttpAliasFlags flags = req->match.alias->flags;
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *text = NULL;

	if ((flags & TENDER_HTTP_ALIAS_RAW) != 0)
		return tender_http_alias_raw_parameters(req, error);
	if ((flags & (TENDER_HTTP_ALIAS_BODY | TENDER_HTTP_ALIAS_BODY_NEEDED)) == 0)
		return g_variant_new_tuple(NULL, 0);
	if (fastapi_body != NULL)
		body = json_node_init_object(json_node_alloc(), fastapi_body);
	else
		body = tender_http_message_get_body(req->msg, error);
	if (body == NULL && error != NULL && *error != NULL)
		return NULL;
	if (body == NULL && (flags & TENDER_HTTP_ALIAS_BODY_NEEDED) != 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    req->match.alias_set->body_needed);
		return NULL;
	}
	text = body != NULL ? json_to_string(body, FALSE) : g_strdup("{}");
	return g_variant_new("(s)", text);
}

/**
 * tender_http_alias_call:
 * @owned: (transfer full): an authorized request for an alias route
 *
 * Calls the route's method on its object, and answers in the route's shape.
 */
void
tender_http_alias_call(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) body = NULL;
	TenderService *service = tender_http_alias_find(req, &error);
	const TenderHttpAlias *alias = req->match.alias;
	GVariant *parameters = NULL;

	if (error != NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	g_set_object(&req->match.service, service);
	if ((alias->flags & TENDER_HTTP_ALIAS_FASTAPI) == TENDER_HTTP_ALIAS_FASTAPI &&
	    !tender_http_fastapi_read_object(req->msg, &body))
		return;
	if (alias->check != NULL && !alias->check(req, body))
		return;
	if (alias->method == NULL) {
		alias->reply(req, NULL);
		return;
	}
	parameters = tender_http_alias_parameters(req, body, &error);
	if (error != NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	tender_http_call_dispatch(g_steal_pointer(&req),
				  service,
				  alias->method,
				  parameters,
				  tender_http_alias_reply);
}
