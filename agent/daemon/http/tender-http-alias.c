/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-http-adapters.h"
#include "tender-http-alias.h"
#include "tender-http-fastapi.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"

/*
 * Route aliases: routes of the HTTP mirror that are other names of the methods of built-in
 * services, with the paths, bodies and answers their clients know (the adapter instances'
 * /v1/adapters/NAME/api/... and seed 000's /api/...).  Each is a row of a table (verb and
 * path, the object, the method, where its in-args come from, how its answer is shaped); the
 * call itself goes the one way every call of a service goes: authorized with the method's
 * action and details, then handed to its handler as a TenderCall.
 */

/* every table of aliases */
static const TenderHttpAliasSet *const tender_http_alias_sets[] = {
    &tender_http_adapters_aliases,
};

/*
 * The alias route @path is for, among those that are always there; %FALSE with the status
 * (left alone, or 405) and the allowed methods when there is none.
 */
gboolean
tender_http_alias_match(const gchar *method,
			const gchar *path,
			TenderHttpMatch *match,
			guint *status,
			GString *allow)
{
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < G_N_ELEMENTS(tender_http_alias_sets); i++) {
		const TenderHttpAlias *aliases = tender_http_alias_sets[i]->aliases;
		for (guint j = 0; aliases[j].verb != NULL; j++) {
			if ((aliases[j].flags & TENDER_HTTP_ALIAS_FALLBACK) != 0 ||
			    !tender_http_router_match_row(aliases[j].verb,
							  aliases[j].pattern,
							  method,
							  path,
							  captures,
							  status,
							  allow))
				continue;
			match->route = TENDER_HTTP_ROUTE_ALIAS;
			match->alias = &aliases[j];
			match->alias_set = tender_http_alias_sets[i];
			if (captures->len > 0)
				match->name = g_strdup(g_ptr_array_index(captures, 0));
			return TRUE;
		}
	}
	return FALSE;
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
	const TenderHttpAliasSet *set = match->alias_set;
	TenderServiceList *services;

	if (match->route != TENDER_HTTP_ROUTE_ALIAS ||
	    (match->alias->flags & TENDER_HTTP_ALIAS_DETAIL) == 0)
		return FALSE;
	services = set->get_services != NULL ? set->get_services(server) : NULL;
	if (services == NULL)
		return FALSE;
	if (match->name != NULL)
		return tender_service_list_find(services, match->name, NULL) != NULL;
	return tender_service_list_get_alias(services, set->alias) != NULL;
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
	const gchar *method = soup_server_message_get_method(req->msg);
	g_autoptr(GPtrArray) captures = g_ptr_array_new_with_free_func(g_free);

	if (req->match.route == TENDER_HTTP_ROUTE_ALIAS)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_alias_sets); i++) {
		const TenderHttpAliasSet *set = tender_http_alias_sets[i];
		TenderServiceList *services = tender_http_alias_get_services(req, set);

		for (guint j = 0; services != NULL && set->aliases[j].verb != NULL; j++) {
			const TenderHttpAlias *alias = &set->aliases[j];
			if ((alias->flags & TENDER_HTTP_ALIAS_FALLBACK) == 0 ||
			    tender_service_list_get_alias(services, set->alias) == NULL ||
			    !tender_http_router_match_path(alias->pattern, req->path, captures) ||
			    !tender_http_router_method_matches(alias->verb, method))
				continue;
			req->match.route = TENDER_HTTP_ROUTE_ALIAS;
			req->match.alias = alias;
			req->match.alias_set = set;
			req->match.dbus_method = NULL;
			if ((alias->flags & TENDER_HTTP_ALIAS_DETAIL) != 0)
				tender_http_message_set_detail_errors(req->msg);
			return;
		}
	}
}

/* the object @req is for, or %NULL with %TENDER_ERROR_NOT_FOUND */
static TenderService *
tender_http_alias_find(TenderHttpRequest *req, GError **error)
{
	const TenderHttpAliasSet *set = req->match.alias_set;
	TenderServiceList *services = tender_http_alias_get_services(req, set);
	TenderService *service = NULL;

	/* the object '*' names, or the one of the set's alias */
	if (services != NULL && req->match.name != NULL)
		return tender_service_list_find(services, req->match.name, error);
	if (services != NULL)
		service = tender_service_list_get_alias(services, set->alias);
	if (service == NULL)
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, set->missing);
	return service;
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
tender_http_alias_reply_cb(GVariant *value, const GError *error, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;

	if (!tender_http_request_resume(req))
		return;
	if (error != NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	req->match.alias->reply(req, value);
}

/* the in-args, from where the alias says: the body of a FastAPI route, read already, or
 * the request's */
static GVariant *
tender_http_alias_parameters(TenderHttpRequest *req, JsonObject *fastapi_body, GError **error)
{
	TenderHttpAliasFlags flags = req->match.alias->flags;
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *text = NULL;

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
	const TenderAuthoritySubject *subject;
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
	subject = req->subject;
	/* the reply callback owns the request from here */
	tender_http_request_pause(req);
	tender_service_call(service,
			    subject,
			    alias->method,
			    parameters,
			    tender_http_alias_reply_cb,
			    g_steal_pointer(&req));
}
