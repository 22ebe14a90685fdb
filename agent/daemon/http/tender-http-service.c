/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-http-message.h"
#include "tender-http-call.h"
#include "tender-http-service.h"
#include "tender-service.h"

/*
 * The HTTP bridge of the service registry: a method a plugin declared (tender-service.c) is
 * POST /v1/plugins/NAME/[SUBPATH/]METHOD, or POST /v1/NAME/METHOD for its feature service,
 * and also GET when it has no in-args.  The body is a
 * JSON object of the in-args by name, converted by the in-signature (json-glib's GVariant
 * mapping); the answer a JSON object of the out-args by name.  The call is authorized by the
 * one request path with the action and details a D-Bus call of the method gets, and errors
 * get the core's error bodies and statuses.
 */

/**
 * tender_http_service_match_method:
 * @plugin: an active plugin
 * @service: one of its services
 * @name: a method's name, from the request's path
 * @method: the request's method
 * @match: (out caller-allocates): the route, %TENDER_HTTP_ROUTE_SERVICE
 * @status: (out): 405 when the method does not fit; left alone for no such method
 * @allow: the methods the path allows, for a 405
 *
 * Returns: whether @name is a method of @service that answers @method
 */
gboolean
tender_http_service_match_method(TenderPlugin *plugin,
				 TenderService *service,
				 const gchar *name,
				 const gchar *method,
				 TenderHttpMatch *match,
				 guint *status,
				 GString *allow)
{
	GDBusMethodInfo *info = tender_service_lookup_method(service, name);
	gboolean has_in_args = info != NULL && info->in_args != NULL && info->in_args[0] != NULL;

	if (info == NULL)
		return FALSE;
	if (g_strcmp0(method, "POST") != 0 &&
	    (has_in_args || (g_strcmp0(method, "GET") != 0 && g_strcmp0(method, "HEAD") != 0))) {
		*status = SOUP_STATUS_METHOD_NOT_ALLOWED;
		g_string_append(allow, has_in_args ? "POST" : "GET, POST");
		return FALSE;
	}
	match->route = TENDER_HTTP_ROUTE_SERVICE;
	match->plugin = plugin;
	match->service = g_object_ref(service);
	match->service_method = g_strdup(name);
	return TRUE;
}

/**
 * tender_http_service_match:
 * @plugin: an active plugin
 * @method: the request's method
 * @path: the request's path below /v1/plugins/NAME/
 * @match: (out caller-allocates): the route, %TENDER_HTTP_ROUTE_SERVICE
 * @status: (out): 405 when the method does not fit; left alone for a path of no service
 * @allow: the methods @path allows, for a 405
 *
 * Returns: whether @path is SUBPATH/METHOD (or METHOD) of one of the plugin's services
 */
gboolean
tender_http_service_match(TenderPlugin *plugin,
			  const gchar *method,
			  const gchar *path,
			  TenderHttpMatch *match,
			  guint *status,
			  GString *allow)
{
	const gchar *slash = strrchr(path, '/');
	g_autofree gchar *subpath = g_strndup(path, slash != NULL ? (gsize)(slash - path) : 0);
	const gchar *name = slash != NULL ? slash + 1 : path;
	TenderService *service = tender_plugin_lookup_service(plugin, subpath);

	return service != NULL && tender_http_service_match_method(plugin,
								   service,
								   name,
								   method,
								   match,
								   status,
								   allow);
}

/**
 * tender_http_service_prepare:
 * @req: a request for a service's method
 * @request: the request to authorize
 *
 * The method's polkit action, and the details a D-Bus call of it gets.
 */
void
tender_http_service_prepare(TenderHttpRequest *req, TenderRequest *request)
{
	tender_service_prepare_request(req->match.service, request, req->match.service_method);
}

/* a JSON number for an integer arg, within the type's range: json-glib would wrap it */
static gboolean
tender_http_service_check_integers(JsonNode *node, const GVariantType *type)
{
	static const struct {
		gchar type;
		gint64 min;
		gint64 max;
	} ranges[] = {
	    {'y', 0, G_MAXUINT8},
	    {'n', G_MININT16, G_MAXINT16},
	    {'q', 0, G_MAXUINT16},
	    {'i', G_MININT32, G_MAXINT32},
	    {'u', 0, G_MAXUINT32},
	    {'x', G_MININT64, G_MAXINT64},
	    {'t', 0, G_MAXINT64},
	};

	if (g_variant_type_is_array(type) &&
	    !g_variant_type_is_dict_entry(g_variant_type_element(type))) {
		JsonArray *array = JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
		for (guint i = 0; array != NULL && i < json_array_get_length(array); i++) {
			if (!tender_http_service_check_integers(json_array_get_element(array, i),
								g_variant_type_element(type)))
				return FALSE;
		}
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(ranges); i++) {
		gint64 value;
		if (g_variant_type_peek_string(type)[0] != ranges[i].type)
			continue;
		if (json_node_get_value_type(node) != G_TYPE_INT64)
			return FALSE;
		value = json_node_get_int(node);
		return value >= ranges[i].min && value <= ranges[i].max;
	}
	return TRUE;
}

/* the in-args tuple from the body's members, each by its name and converted by its type */
static GVariant *
tender_http_service_parameters(GDBusMethodInfo *info, JsonNode *body, GError **error)
{
	JsonObject *obj = body != NULL ? json_node_get_object(body) : NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	g_autoptr(GList) members = obj != NULL ? json_object_get_members(obj) : NULL;
	guint n_in = 0;

	for (GDBusArgInfo **arg = info->in_args; arg != NULL && *arg != NULL; arg++, n_in++) {
		JsonNode *node = obj != NULL ? json_object_get_member(obj, (*arg)->name) : NULL;
		g_autoptr(GError) error_local = NULL;
		GVariant *value;

		if (node == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Missing argument '%s' (of type %s)",
				    (*arg)->name,
				    (*arg)->signature);
			return NULL;
		}
		value = tender_http_service_check_integers(node, G_VARIANT_TYPE((*arg)->signature))
			    ? json_gvariant_deserialize(node, (*arg)->signature, &error_local)
			    : NULL;
		if (value == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Argument '%s' is not of type %s%s%s",
				    (*arg)->name,
				    (*arg)->signature,
				    error_local != NULL ? ": " : "",
				    error_local != NULL ? error_local->message : "");
			return NULL;
		}
		g_ptr_array_add(args, g_variant_ref_sink(value));
	}
	for (GList *l = members; l != NULL; l = l->next) {
		gboolean known = FALSE;
		for (guint i = 0; i < n_in && !known; i++)
			known = g_strcmp0(info->in_args[i]->name, l->data) == 0;
		if (!known) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown argument '%s' of %s",
				    (const gchar *)l->data,
				    info->name);
			return NULL;
		}
	}
	return g_variant_new_tuple((GVariant *const *)args->pdata, args->len);
}

/* the plugin's answer, checked by the registry: a JSON object of the out-args by name */
static void
tender_http_service_reply(TenderHttpRequest *req, GVariant *value)
{
	GDBusMethodInfo *info =
	    tender_service_lookup_method(req->match.service, req->match.service_method);
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);

	for (guint i = 0; info->out_args != NULL && info->out_args[i] != NULL; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(value, i);
		json_object_set_member(obj,
				       info->out_args[i]->name,
				       json_gvariant_serialize(child));
	}
	json_node_set_object(root, obj);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, root);
}

/**
 * tender_http_service_call:
 * @owned: (transfer full): an authorized request for a service's method
 *
 * Converts the body to the method's in-args and hands the call to the plugin, which may
 * answer later.
 */
void
tender_http_service_call(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	GDBusMethodInfo *info =
	    tender_service_lookup_method(req->match.service, req->match.service_method);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = tender_http_message_get_body(req->msg, &error);
	GVariant *parameters = NULL;
	TenderService *service;
	const gchar *method;

	if (error == NULL)
		parameters = tender_http_service_parameters(info, body, &error);
	if (parameters == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	service = req->match.service;
	method = req->match.service_method;
	tender_http_call_dispatch(g_steal_pointer(&req),
				  service,
				  method,
				  parameters,
				  tender_http_service_reply);
}
