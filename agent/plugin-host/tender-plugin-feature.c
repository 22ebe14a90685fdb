/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-feature.h"
#include "tender-plugin-instance-private.h"

/*
 * A plugin's feature: its one top-level service, named after it (/org/tender/Agent1/NAME,
 * POST /v1/NAME/METHOD), and the route aliases that call its methods on the paths and with
 * the bodies a client of the feature knows (seed 002's /containers/...).  The service is one
 * of the plugin's services, served as they are (tender-dbus-service.c, tender-http-service.c);
 * the aliases are checked and kept here, and matched and called by tender-http-alias.c, as
 * the built-in ones are.
 */

/*
 * The names the core uses below /org/tender/Agent1 (workload/, image/, adapter/, plugin/:
 * tender-util.c, tender-image.h, tender-adapter.c, tender-plugin-dbus.c) and below /v1
 * (tender-http-router.c), and those it keeps for itself: no feature service takes one.
 */
static const gchar *const tender_plugin_feature_reserved[] = {
    "adapter", "adapters", "api",     "core",	  "event",     "events", "exec",
    "health",  "image",	   "images",  "manager",  "metrics",   "plugin", "plugins",
    "token",   "tokens",   "version", "workload", "workloads", NULL,
};

/* the first segments of the core's HTTP paths (tender-http-router.c, tender-http-alias.c) */
static const gchar *const tender_plugin_http_roots[] = {"api", "metrics", "v1", NULL};

void
tender_plugin_alias_free(TenderPluginAlias *alias)
{
	g_free(alias->verb);
	g_free(alias->pattern);
	g_free(alias->route);
	g_strfreev(alias->captures);
	g_free(alias->method);
	g_free(alias->tag);
	g_free(alias);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderPluginAlias, tender_plugin_alias_free)

/**
 * tender_plugin_check_feature_name:
 * @name: a plugin's name
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if a plugin of that name may have a feature service: the core uses the name
 *   neither below /org/tender/Agent1 nor below /v1
 */
gboolean
tender_plugin_check_feature_name(const gchar *name, GError **error)
{
	if (g_strv_contains(tender_plugin_feature_reserved, name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The core uses the name '%s' below /org/tender/Agent1 or /v1: plugin "
			    "%s "
			    "cannot have a feature service",
			    name,
			    name);
		return FALSE;
	}
	return TRUE;
}

/* the tuple type of a signal's args */
static GVariantType *
tender_plugin_feature_args_type(GDBusArgInfo **args)
{
	g_autoptr(GPtrArray) types = g_ptr_array_new();

	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_ptr_array_add(types, (gpointer)G_VARIANT_TYPE(args[i]->signature));
	return g_variant_type_new_tuple((const GVariantType *const *)types->pdata,
					(gint)types->len);
}

/**
 * tender_plugin_get_feature_service:
 * @self: a #TenderPlugin
 *
 * Returns: (transfer none) (nullable): its feature service, if it declared one
 */
TenderService *
tender_plugin_get_feature_service(TenderPlugin *self)
{
	for (guint i = 0; i < self->services->len; i++) {
		TenderService *service = g_ptr_array_index(self->services, i);
		if (tender_service_is_feature(service))
			return service;
	}
	return NULL;
}

/**
 * tender_plugin_add_feature_service:
 * @self: a #TenderPlugin
 * @introspection_xml: a <node> with exactly one <interface>, no properties; every arg has a
 *   name (HTTP maps JSON members to args by name)
 * @methods: a handler and an org.tender.* polkit action for every method of the interface,
 *   ending with an entry whose method is %NULL
 * @user_data: for the handlers
 * @destroy: (nullable): frees @user_data when the service goes
 * @error: (nullable): a #GError
 *
 * Declares the plugin's feature service: its one top-level service, named after the plugin,
 * for a plugin that is a feature of tenderd (docker, sessions) rather than an extension of
 * it.  tenderd serves it as tender_plugin_add_service() serves a service, with the same
 * checks, authorization and errors, but
 *
 * - over D-Bus on /org/tender/Agent1/NAME (NAME escaped as in
 *   tender_plugin_get_object_path(): "my-plugin" is my_2dplugin);
 * - over HTTP as `POST /v1/NAME/METHOD` (and `GET` for a method without in-args).
 *
 * Polkit rules see the details "plugin", "method" and "object_path".  Its methods may also be
 * called on the paths a client knows, with tender_plugin_add_http_aliases().  It goes with the
 * plugin's other registrations.
 *
 * Returns: %TRUE on success; %FALSE with %TENDER_ERROR_INVALID_ARGUMENT when the core uses
 *   the plugin's name below /org/tender/Agent1 or /v1 (workloads, images, plugins, adapters,
 *   events, metrics, health, version, ...) or the declaration is wrong, and with
 *   %TENDER_ERROR_ALREADY_EXISTS when the plugin has a feature service already
 *
 * Since: 0.3
 */
gboolean
tender_plugin_add_feature_service(TenderPlugin *self,
				  const gchar *introspection_xml,
				  const TenderPluginServiceMethod *methods,
				  gpointer user_data,
				  GDestroyNotify destroy,
				  GError **error)
{
	TenderService *service;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(introspection_xml != NULL, FALSE);
	if (!tender_plugin_check_feature_name(self->name, error))
		return FALSE;
	if (tender_plugin_get_feature_service(self) != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "Plugin %s has a feature service already",
			    self->name);
		return FALSE;
	}
	if (self->services->len >= TENDER_PLUGIN_SERVICES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The plugin has %u services already, the most allowed",
			    (guint)TENDER_PLUGIN_SERVICES_MAX);
		return FALSE;
	}
	service =
	    tender_service_new(self, NULL, introspection_xml, methods, user_data, destroy, error);
	if (service == NULL)
		return FALSE;
	tender_service_set_feature(service);
	tender_plugin_add_registration(self, self->services, service, "service-added");
	return TRUE;
}

/* --- route aliases --- */

static gboolean
tender_plugin_alias_invalid(GError **error, const gchar *pattern, const gchar *why)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid alias pattern '%s': %s",
		    pattern,
		    why);
	return FALSE;
}

/* a {name} segment's name, as FastAPI's path parameters are named; %NULL for a literal */
static gchar *
tender_plugin_alias_capture(const gchar *segment)
{
	gsize len = strlen(segment);

	if (len < 3 || segment[0] != '{' || segment[len - 1] != '}')
		return NULL;
	if (!g_ascii_isalpha(segment[1]) && segment[1] != '_')
		return NULL;
	for (gsize i = 2; i < len - 1; i++) {
		if (!g_ascii_isalnum(segment[i]) && segment[i] != '_')
			return NULL;
	}
	return g_strndup(segment + 1, len - 2);
}

/* a literal segment: the characters a path needs no escape for */
static gboolean
tender_plugin_alias_is_literal(const gchar *segment)
{
	if (segment[0] == '\0' || g_strcmp0(segment, ".") == 0 || g_strcmp0(segment, "..") == 0)
		return FALSE;
	for (const gchar *p = segment; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && strchr("._~-", *p) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* the core serves /v1/..., /api/... and /metrics: a plugin's aliases are /v1/NAME itself or
 * below it, or where the core serves nothing */
static gboolean
tender_plugin_alias_check_root(TenderPlugin *self,
			       const gchar *pattern,
			       GStrv segments,
			       GError **error)
{
	if (g_strv_length(segments) >= 2 && g_strcmp0(segments[0], "v1") == 0 &&
	    g_strcmp0(segments[1], self->name) == 0)
		return TRUE;
	if (!g_strv_contains(tender_plugin_http_roots, segments[0]))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Alias pattern '%s' is among the core's paths (/%s...): a plugin's aliases are "
		    "/v1/%s or below it, or where the core serves nothing",
		    pattern,
		    segments[0],
		    self->name);
	return FALSE;
}

/* @pattern checked, in the router's form ('*' for each {name}), with its names */
static TenderPluginAlias *
tender_plugin_alias_parse(TenderPlugin *self, const gchar *pattern, GError **error)
{
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) route = g_string_new(NULL);
	g_auto(GStrv) segments = NULL;
	TenderPluginAlias *alias;

	if (pattern == NULL || pattern[0] != '/' ||
	    strlen(pattern) > TENDER_PLUGIN_HTTP_ALIAS_PATTERN_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid alias pattern '%s': give an absolute path of at most %d "
			    "characters",
			    pattern != NULL ? pattern : "",
			    TENDER_PLUGIN_HTTP_ALIAS_PATTERN_MAX);
		return NULL;
	}
	/* "/" is no segment at all */
	segments = g_strsplit(pattern[1] != '\0' ? pattern + 1 : "/", "/", -1);
	for (guint i = 0; segments[i] != NULL; i++) {
		g_autofree gchar *name = tender_plugin_alias_capture(segments[i]);

		if (name == NULL && !tender_plugin_alias_is_literal(segments[i])) {
			tender_plugin_alias_invalid(error,
						    pattern,
						    "each segment is a {name} or of letters, "
						    "digits, "
						    "'.', '_', '~' and '-'; none is empty");
			return NULL;
		}
		if (name != NULL && i == 0) {
			tender_plugin_alias_invalid(error, pattern, "it starts with a {name}");
			return NULL;
		}
		if (name != NULL &&
		    g_ptr_array_find_with_equal_func(captures, name, g_str_equal, NULL)) {
			tender_plugin_alias_invalid(error, pattern, "a {name} comes twice");
			return NULL;
		}
		g_string_append_printf(route, "/%s", name != NULL ? "*" : segments[i]);
		if (name != NULL)
			g_ptr_array_add(captures, g_steal_pointer(&name));
	}
	if (!tender_plugin_alias_check_root(self, pattern, segments, error))
		return NULL;
	g_ptr_array_add(captures, NULL);
	alias = g_new0(TenderPluginAlias, 1);
	alias->pattern = g_strdup(pattern);
	alias->route = g_string_free(g_steal_pointer(&route), FALSE);
	alias->captures = (GStrv)g_ptr_array_steal(captures, NULL);
	return alias;
}

/* whether one path can match both routes */
static gboolean
tender_plugin_alias_overlaps(const gchar *a, const gchar *b)
{
	g_auto(GStrv) x = g_strsplit(a, "/", -1);
	g_auto(GStrv) y = g_strsplit(b, "/", -1);

	if (g_strv_length(x) != g_strv_length(y))
		return FALSE;
	for (guint i = 0; x[i] != NULL; i++) {
		if (g_strcmp0(x[i], y[i]) != 0 && g_strcmp0(x[i], "*") != 0 &&
		    g_strcmp0(y[i], "*") != 0)
			return FALSE;
	}
	return TRUE;
}

/* the tuple signature of some args, e.g. "(us)" */
static gchar *
tender_plugin_alias_signature(GDBusArgInfo **args)
{
	GString *signature = g_string_new("(");

	for (guint i = 0; args != NULL && args[i] != NULL; i++)
		g_string_append(signature, args[i]->signature);
	g_string_append_c(signature, ')');
	return g_string_free(signature, FALSE);
}

/* the method is the feature service's, and takes and answers what an alias has and needs:
 * text, or bytes with %TENDER_PLUGIN_HTTP_ALIAS_BYTES */
static gboolean
tender_plugin_alias_check_method(TenderPlugin *self,
				 TenderService *service,
				 const gchar *method,
				 TenderPluginHttpAliasFlags flags,
				 GError **error)
{
	gboolean bytes = (flags & TENDER_PLUGIN_HTTP_ALIAS_BYTES) != 0;
	const gchar *want_in = bytes ? "(a{ss}ay)" : "(a{ss}s)";
	const gchar *want_out = bytes ? "(usay)" : "(us)";
	GDBusMethodInfo *info =
	    method != NULL ? tender_service_lookup_method(service, method) : NULL;
	g_autofree gchar *in = NULL;
	g_autofree gchar *out = NULL;

	if (info == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The feature service of plugin %s has no method %s",
			    self->name,
			    method != NULL ? method : "(null)");
		return FALSE;
	}
	in = tender_plugin_alias_signature(info->in_args);
	out = tender_plugin_alias_signature(info->out_args);
	if (g_strcmp0(in, want_in) != 0 || g_strcmp0(out, want_out) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Method %s takes %s and answers %s: an alias's method takes %s, "
			    "its parameters and body, and answers %s, a status%s and a body",
			    method,
			    in,
			    out,
			    want_in,
			    want_out,
			    bytes ? ", a content type" : "");
		return FALSE;
	}
	return TRUE;
}

/* not a path of the feature service's own routes, /v1/NAME/METHOD */
static gboolean
tender_plugin_alias_check_service_routes(TenderPlugin *self,
					 TenderService *service,
					 TenderPluginAlias *alias,
					 GError **error)
{
	GDBusInterfaceInfo *iface = tender_service_get_interface(service);

	for (guint i = 0; iface->methods != NULL && iface->methods[i] != NULL; i++) {
		g_autofree gchar *route =
		    g_strdup_printf("/v1/%s/%s", self->name, iface->methods[i]->name);
		if (!tender_plugin_alias_overlaps(alias->route, route))
			continue;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Alias pattern '%s' is a path of an existing route, POST %s",
			    alias->pattern,
			    route);
		return FALSE;
	}
	return TRUE;
}

/* the plugin has no alias of the same verb and path in @aliases, and no other plugin one a
 * path can match as well */
static gboolean
tender_plugin_alias_check_free(TenderPlugin *self,
			       GPtrArray *aliases,
			       TenderPluginAlias *alias,
			       GError **error)
{
	for (guint i = 0; i < aliases->len; i++) {
		TenderPluginAlias *other = g_ptr_array_index(aliases, i);
		if (g_strcmp0(other->verb, alias->verb) != 0 ||
		    g_strcmp0(other->route, alias->route) != 0)
			continue;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "Plugin %s has an alias %s %s already",
			    self->name,
			    other->verb,
			    other->pattern);
		return FALSE;
	}
	for (guint i = 0; self->peers != NULL && i < self->peers->len; i++) {
		TenderPlugin *peer = g_ptr_array_index(self->peers, i);
		for (guint j = 0; peer != self && j < peer->http_aliases->len; j++) {
			TenderPluginAlias *other = g_ptr_array_index(peer->http_aliases, j);
			if (!tender_plugin_alias_overlaps(other->route, alias->route))
				continue;
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ALREADY_EXISTS,
				    "Alias pattern '%s' overlaps '%s' of plugin %s",
				    alias->pattern,
				    other->pattern,
				    peer->name);
			return FALSE;
		}
	}
	return TRUE;
}

/* one row of a plugin's table, checked against the rows @added before it and the rest */
static TenderPluginAlias *
tender_plugin_alias_new(TenderPlugin *self,
			TenderService *service,
			const TenderPluginHttpAlias *row,
			GPtrArray *added,
			GError **error)
{
	const gchar *verbs[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};
	g_autoptr(TenderPluginAlias) alias = NULL;

	if (!g_strv_contains(verbs, row->verb)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid HTTP method '%s' of an alias: use GET, POST, PUT, PATCH or "
			    "DELETE",
			    row->verb);
		return NULL;
	}
	if ((row->flags & ~(TENDER_PLUGIN_HTTP_ALIAS_DETAIL | TENDER_PLUGIN_HTTP_ALIAS_BYTES)) !=
	    0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown flags 0x%x of alias %s %s",
			    (guint)row->flags,
			    row->verb,
			    row->pattern != NULL ? row->pattern : "");
		return NULL;
	}
	if (row->tag != NULL && (strlen(row->tag) > 64 || !g_utf8_validate(row->tag, -1, NULL))) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The tag of alias %s %s is not UTF-8 text of at most 64 bytes",
			    row->verb,
			    row->pattern != NULL ? row->pattern : "");
		return NULL;
	}
	if (row->body_max > TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX ||
	    (row->body_max > 0 && (row->flags & TENDER_PLUGIN_HTTP_ALIAS_BYTES) == 0)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The body_max of alias %s %s is for an alias of bytes, of at most %d",
			    row->verb,
			    row->pattern != NULL ? row->pattern : "",
			    TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX);
		return NULL;
	}
	alias = tender_plugin_alias_parse(self, row->pattern, error);
	if (alias == NULL)
		return NULL;
	alias->body_max = row->body_max;
	alias->verb = g_strdup(row->verb);
	alias->method = g_strdup(row->method);
	alias->flags = row->flags;
	alias->tag = g_strdup(row->tag);
	if (!tender_plugin_alias_check_method(self, service, row->method, row->flags, error) ||
	    !tender_plugin_alias_check_service_routes(self, service, alias, error) ||
	    !tender_plugin_alias_check_free(self, self->http_aliases, alias, error) ||
	    !tender_plugin_alias_check_free(self, added, alias, error))
		return NULL;
	return g_steal_pointer(&alias);
}

/**
 * tender_plugin_add_http_aliases:
 * @self: a #TenderPlugin with a feature service
 * @aliases: routes, ending with an entry whose verb is %NULL
 * @error: (nullable): a #GError
 *
 * Serves methods of the plugin's feature service (tender_plugin_add_feature_service()) on
 * the HTTP paths a client of the feature knows, with its bodies and answers: seed 002's
 * `POST /containers/tool/execute`, `GET /containers/tool/{id}`, and so on.  A request whose
 * path matches an alias's @pattern (the first that does, in order; `GET` answers `HEAD` too)
 * calls its method with
 *
 * - a{ss}: the query's parameters and the pattern's `{name}` segments (unescaped), which win
 *   over parameters of the same name;
 * - s: the request's body as it came, whatever its type, "" if none; tenderd refuses a body
 *   larger than the HTTP mirror takes, or one that is not UTF-8 text;
 *
 * and answers with what the method returns, (u s): the status, from 200 to 599, and the body,
 * a JSON text the plugin shapes, sent as it is as application/json.  With
 * %TENDER_PLUGIN_HTTP_ALIAS_BYTES the body is bytes: the method takes (a{ss} ay), the body
 * whatever its type and content up to the alias's body_max (413 beyond), and answers
 * (u s ay), the status, the content type and the body, sent as they are.  The caller is authorized
 * for the method's polkit action as for `POST /v1/NAME/METHOD` (a bearer token over TCP, the
 * peer's credentials on the unix socket), and an error the method returns is answered as the
 * HTTP mirror answers errors, or, with %TENDER_PLUGIN_HTTP_ALIAS_DETAIL, as FastAPI's
 * {"detail": "message"}, with the same status.
 *
 * A pattern is /v1/NAME (NAME the plugin's) or starts with /v1/NAME/, or starts with a first
 * segment the core does not serve (not /v1, /api, /metrics): `GET /v1/NAME` may list what
 * `POST /v1/NAME` creates, while `/v1/NAME/METHOD` stays the feature service's; it is no path of
 * the feature service's own routes, and no path another plugin's aliases match.  The table is taken
 * whole or not at all; at most 64 aliases per plugin.  They go with the plugin's other
 * registrations.
 *
 * Returns: %TRUE on success; %FALSE with %TENDER_ERROR_INVALID_ARGUMENT for a pattern, verb,
 *   flag or method that is wrong (the message names it), %TENDER_ERROR_ALREADY_EXISTS when
 *   the plugin has an alias of that verb and path or another plugin one of an overlapping
 *   path, %TENDER_ERROR_INVALID_STATE without a feature service
 *
 * Since: 0.3
 */
gboolean
tender_plugin_add_http_aliases(TenderPlugin *self,
			       const TenderPluginHttpAlias *aliases,
			       GError **error)
{
	g_autoptr(GPtrArray) added =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_plugin_alias_free);
	TenderService *service;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(aliases != NULL, FALSE);
	service = tender_plugin_get_feature_service(self);
	if (service == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Plugin %s has no feature service, whose methods aliases call: declare "
			    "it first",
			    self->name);
		return FALSE;
	}
	for (guint i = 0; aliases[i].verb != NULL; i++) {
		TenderPluginAlias *alias =
		    tender_plugin_alias_new(self, service, &aliases[i], added, error);
		if (alias == NULL)
			return FALSE;
		g_ptr_array_add(added, alias);
	}
	if (self->http_aliases->len + added->len > TENDER_PLUGIN_HTTP_ALIASES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "A plugin may have at most %d aliases",
			    TENDER_PLUGIN_HTTP_ALIASES_MAX);
		return FALSE;
	}
	g_ptr_array_extend_and_steal(self->http_aliases, g_steal_pointer(&added));
	/* the HTTP mirror makes its form of them anew */
	tender_plugin_set_http_alias_cache(self, NULL, NULL);
	return TRUE;
}

void
tender_plugin_reserved_free(TenderPluginReserved *reserved)
{
	g_free(reserved->prefix);
	g_free(reserved);
}

/**
 * tender_plugin_reserve_http_paths:
 * @self: a #TenderPlugin, in its probe
 * @prefix: a path that ends with '/', of literal segments, where the core serves nothing
 *   (as an alias's pattern): "/containers/"
 * @flags: %TENDER_PLUGIN_HTTP_ALIAS_DETAIL to answer as FastAPI's {"detail": "message"}
 * @error: (nullable): a #GError
 *
 * Says that the paths below @prefix are the plugin's: while it is deferred, a request for
 * one that no route answers gets 503 (%TENDER_ERROR_UNAVAILABLE) with the probe's reason, as
 * its /v1/NAME/ paths do, rather than 404: the route aliases it adds once it is active
 * (tender_plugin_add_http_aliases()) are not there yet.  Call it before the probe defers.
 * The reservation is kept for the plugin's life (a second one of the same prefix changes
 * nothing); at most 8 per plugin, none below another plugin's.
 *
 * Returns: %TRUE on success; %FALSE with %TENDER_ERROR_INVALID_ARGUMENT for a prefix that is
 *   not one, %TENDER_ERROR_ALREADY_EXISTS when another plugin reserved an overlapping one,
 *   %TENDER_ERROR_LIMIT_REACHED beyond 8
 *
 * Since: 0.3
 */
gboolean
tender_plugin_reserve_http_paths(TenderPlugin *self,
				 const gchar *prefix,
				 TenderPluginHttpAliasFlags flags,
				 GError **error)
{
	g_autoptr(TenderPluginAlias) alias = NULL;
	g_autofree gchar *pattern = NULL;
	TenderPluginReserved *reserved;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	if (prefix == NULL || !g_str_has_suffix(prefix, "/") || strlen(prefix) < 3) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid path prefix '%s': it starts and ends with '/'",
			    prefix != NULL ? prefix : "");
		return FALSE;
	}
	if ((flags & ~TENDER_PLUGIN_HTTP_ALIAS_DETAIL) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown flags 0x%x of path prefix %s",
			    (guint)flags,
			    prefix);
		return FALSE;
	}
	/* checked as an alias's pattern of literal segments is */
	pattern = g_strndup(prefix, strlen(prefix) - 1);
	alias = tender_plugin_alias_parse(self, pattern, error);
	if (alias == NULL)
		return FALSE;
	if (alias->captures[0] != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid path prefix '%s': its segments are literal",
			    prefix);
		return FALSE;
	}
	if (tender_plugin_lookup_reserved(self, prefix) != NULL)
		return TRUE;
	for (guint i = 0; self->peers != NULL && i < self->peers->len; i++) {
		TenderPlugin *peer = g_ptr_array_index(self->peers, i);
		for (guint j = 0; peer != self && j < peer->reserved->len; j++) {
			TenderPluginReserved *other = g_ptr_array_index(peer->reserved, j);
			if (!g_str_has_prefix(prefix, other->prefix) &&
			    !g_str_has_prefix(other->prefix, prefix))
				continue;
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ALREADY_EXISTS,
				    "Path prefix '%s' overlaps '%s' of plugin %s",
				    prefix,
				    other->prefix,
				    peer->name);
			return FALSE;
		}
	}
	if (self->reserved->len >= TENDER_PLUGIN_HTTP_RESERVED_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "A plugin may reserve at most %d path prefixes",
			    TENDER_PLUGIN_HTTP_RESERVED_MAX);
		return FALSE;
	}
	reserved = g_new0(TenderPluginReserved, 1);
	reserved->prefix = g_strdup(prefix);
	reserved->flags = flags;
	g_ptr_array_add(self->reserved, reserved);
	return TRUE;
}

/**
 * tender_plugin_lookup_reserved:
 * @self: a #TenderPlugin
 * @path: a request's path
 *
 * Returns: (transfer none) (nullable): its reservation whose prefix @path has, or is
 */
const TenderPluginReserved *
tender_plugin_lookup_reserved(TenderPlugin *self, const gchar *path)
{
	for (guint i = 0; i < self->reserved->len; i++) {
		TenderPluginReserved *reserved = g_ptr_array_index(self->reserved, i);
		gsize len = strlen(reserved->prefix) - 1; /* without its last '/' */
		if (strncmp(path, reserved->prefix, len) == 0 &&
		    (path[len] == '\0' || path[len] == '/'))
			return reserved;
	}
	return NULL;
}

/**
 * tender_plugin_get_http_aliases:
 * @self: a #TenderPlugin
 *
 * Returns: (transfer none) (element-type TenderPluginAlias): its route aliases, in order
 */
GPtrArray *
tender_plugin_get_http_aliases(TenderPlugin *self)
{
	return self->http_aliases;
}

/**
 * tender_plugin_clear_http_aliases:
 * @self: a #TenderPlugin
 *
 * Drops its route aliases, with its other registrations.
 */
void
tender_plugin_clear_http_aliases(TenderPlugin *self)
{
	g_ptr_array_set_size(self->http_aliases, 0);
	tender_plugin_set_http_alias_cache(self, NULL, NULL);
}

/**
 * tender_plugin_get_http_alias_cache:
 * @self: a #TenderPlugin
 *
 * Returns: (transfer none) (nullable): what the HTTP mirror made of its aliases, until they
 *   change
 */
gpointer
tender_plugin_get_http_alias_cache(TenderPlugin *self)
{
	return self->http_alias_cache;
}

/**
 * tender_plugin_set_http_alias_cache:
 * @self: a #TenderPlugin
 * @cache: (transfer full) (nullable): what the HTTP mirror made of its aliases
 * @destroy: (nullable): frees @cache once the aliases change, or the plugin goes
 */
void
tender_plugin_set_http_alias_cache(TenderPlugin *self, gpointer cache, GDestroyNotify destroy)
{
	gpointer old = self->http_alias_cache;
	GDestroyNotify old_destroy = self->http_alias_cache_free;

	self->http_alias_cache = cache;
	self->http_alias_cache_free = destroy;
	if (old != NULL && old_destroy != NULL)
		old_destroy(old);
}

/**
 * tender_plugin_set_peers:
 * @self: a #TenderPlugin
 * @peers: (nullable) (element-type TenderPlugin): every plugin tenderd loads, kept unowned:
 *   the plugin list's, which outlives them
 *
 * The plugins whose aliases the plugin's must not overlap.
 */
void
tender_plugin_set_peers(TenderPlugin *self, GPtrArray *peers)
{
	self->peers = peers;
}

/**
 * tender_plugin_emit_feature_signal:
 * @self: a #TenderPlugin
 * @signal_name: a signal of the feature service's interface
 * @parameters: (nullable): its args, a tuple of the types the introspection XML gives, sunk if
 *   floating
 * @error: (nullable): a #GError
 *
 * Broadcasts a signal of the plugin's feature service (tender_plugin_add_feature_service())
 * from its object, /org/tender/Agent1/NAME.  Anyone on the bus may receive it: put nothing in
 * a signal that polkit should guard.
 *
 * Returns: %TRUE on success; %FALSE with NotFound without a feature service or such a
 *   signal, InvalidArgument for parameters of other types
 *
 * Since: 0.3
 */
gboolean
tender_plugin_emit_feature_signal(TenderPlugin *self,
				  const gchar *signal_name,
				  GVariant *parameters,
				  GError **error)
{
	g_autoptr(GVariant) params = parameters != NULL ? g_variant_ref_sink(parameters) : NULL;
	g_autoptr(GVariantType) type = NULL;
	TenderService *service;
	GDBusInterfaceInfo *iface;
	GDBusSignalInfo *signal;
	GDBusConnection *connection;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(signal_name != NULL, FALSE);
	service = tender_plugin_get_feature_service(self);
	iface = service != NULL ? tender_service_get_interface(service) : NULL;
	signal = iface != NULL ? g_dbus_interface_info_lookup_signal(iface, signal_name) : NULL;
	if (signal == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "The plugin has no feature service with a signal %s",
			    signal_name);
		return FALSE;
	}
	type = tender_plugin_feature_args_type(signal->args);
	if (!g_variant_type_equal(type,
				  params != NULL ? g_variant_get_type(params)
						 : G_VARIANT_TYPE_UNIT)) {
		g_autofree gchar *want = g_variant_type_dup_string(type);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Signal %s takes %s",
			    signal_name,
			    want);
		return FALSE;
	}
	connection = tender_plugin_get_connection(self);
	if (connection == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_STATE,
				    "tenderd is not on the bus yet");
		return FALSE;
	}
	return g_dbus_connection_emit_signal(connection,
					     NULL,
					     tender_service_get_object_path(service),
					     iface->name,
					     signal_name,
					     params,
					     error);
}
