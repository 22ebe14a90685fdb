/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-service-private.h"

/*
 * TenderDockerService is the plugin's feature service, org.tender.Agent1.Docker on
 * /org/tender/Agent1/docker (its XML is org.tender.Agent1.Docker.xml, a resource of the
 * plugin).  Each feature is a part in its own file (tender-docker-service-tools.c, ...) with
 * its D-Bus methods and HTTP routes; this joins them, and serves the two methods behind every
 * HTTP route, HttpRead and HttpManage, which the route aliases call with the route's tag:
 * tender's own REST paths below /v1/docker/ and, with [plugin docker] cortex-api=true, seed
 * 002's paths with its bodies and answers.
 */

#define TENDER_DOCKER_SERVICE_XML "/org/tender/docker/org.tender.Agent1.Docker.xml"

static const TenderDockerServicePart *const tender_docker_service_parts[] = {
    &tender_docker_service_tools_part,
    &tender_docker_service_relics_part,
    &tender_docker_service_stats_part,
};

/* one signal handler of a part, on an engine */
typedef struct {
	gpointer instance;
	gulong id;
} TenderDockerServiceSignal;

static void
tender_docker_service_signal_free(TenderDockerServiceSignal *signal)
{
	g_signal_handler_disconnect(signal->instance, signal->id);
	g_object_unref(signal->instance);
	g_free(signal);
}

void
tender_docker_service_connect(TenderDockerService *self,
			      gpointer instance,
			      const gchar *signal,
			      GCallback callback)
{
	TenderDockerServiceSignal *handler = g_new0(TenderDockerServiceSignal, 1);

	handler->instance = g_object_ref(instance);
	handler->id = g_signal_connect(instance, signal, callback, self);
	g_ptr_array_add(self->signal_ids, handler);
}

void
tender_docker_service_emit(TenderDockerService *self, const gchar *signal, GVariant *params)
{
	g_autoptr(GError) error = NULL;

	if (!tender_plugin_emit_feature_signal(self->plugin, signal, params, &error))
		g_debug("%s: %s", signal, error->message);
}

gboolean
tender_docker_service_check_dockerd(TenderDockerService *self, GError **error)
{
	if (tender_docker_client_get_connected(self->client))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_UNAVAILABLE,
		    "dockerd is not answering at %s; try again once it is back",
		    tender_docker_client_get_socket_path(self->client));
	return FALSE;
}

/* --- HTTP: the routes' status and JSON --- */

/* what an HTTP route answers: a status and a JSON body */
void
tender_docker_service_answer(TenderCall *call, guint status, JsonNode *body)
{
	g_autofree gchar *text = json_to_string(body, FALSE);
	tender_call_return_value(call, g_variant_new("(us)", status, text));
}

void
tender_docker_service_answer_object(TenderCall *call, guint status, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	tender_docker_service_answer(call, status, node);
}

/* seed 002's errors: FastAPI's {"detail": "message"} */
void
tender_docker_service_answer_detail(TenderCall *call, guint status, const gchar *message)
{
	g_autoptr(JsonObject) obj = json_object_new();
	json_object_set_string_member(obj, "detail", message);
	tender_docker_service_answer_object(call, status, obj);
}

void
tender_docker_http_free(TenderDockerHttp *http)
{
	g_variant_unref(http->params);
	g_free(http->body);
	g_free(http);
}

const gchar *
tender_docker_http_param(TenderDockerHttp *http, const gchar *key)
{
	const gchar *value = NULL;
	if (!g_variant_lookup(http->params, key, "&s", &value))
		return NULL;
	return value;
}

JsonObject *
tender_docker_http_read_object(TenderDockerHttp *http)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	JsonNode *root;

	if (json_parser_load_from_data(parser, http->body, -1, &error) &&
	    (root = json_parser_get_root(parser)) != NULL && JSON_NODE_HOLDS_OBJECT(root))
		return json_object_ref(json_node_get_object(root));
	if (http->cortex) {
		tender_docker_service_answer_detail(http->call,
						    422,
						    "The body is not a JSON object");
		return NULL;
	}
	g_clear_error(&error);
	g_set_error_literal(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The body is not a JSON object");
	tender_call_return_error(http->call, error);
	return NULL;
}

/* a handler that answers at once, run as one that owns the call */
void
tender_docker_http_done(TenderDockerHttp *http, void (*func)(TenderDockerHttp *http))
{
	func(http);
	tender_docker_http_free(http);
}

/* the route of @tag among the parts', if it is one of HttpManage's (@manage) or HttpRead's */
static const TenderDockerRoute *
tender_docker_service_find_route(const gchar *tag, gboolean manage)
{
	for (guint i = 0; tag != NULL && i < G_N_ELEMENTS(tender_docker_service_parts); i++) {
		const TenderDockerRoute *routes = tender_docker_service_parts[i]->routes;
		for (guint j = 0; routes != NULL && routes[j].tag != NULL; j++) {
			if (g_strcmp0(tag, routes[j].tag) == 0 && routes[j].manage == manage)
				return &routes[j];
		}
	}
	return NULL;
}

/* HttpRead and HttpManage: the route of the tag, if it is one of the method's */
static void
tender_docker_service_http(TenderCall *call, TenderDockerService *self, gboolean manage)
{
	TenderDockerHttp *http = g_new0(TenderDockerHttp, 1);
	const TenderDockerRoute *route;
	const gchar *tag = NULL;
	g_autoptr(GError) error = NULL;

	http->self = self;
	http->call = call;
	g_variant_get(tender_call_get_parameters(call), "(@a{ss}s)", &http->params, &http->body);
	if (g_variant_lookup(http->params, "route", "&s", &tag) &&
	    g_str_has_prefix(tag, "cortex.")) {
		http->cortex = TRUE;
		tag += strlen("cortex.");
	}
	route = tender_docker_service_find_route(tag, manage);
	if (route != NULL) {
		http->route = route->tag;
		route->func(http);
		return;
	}
	error = g_error_new(TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "No route '%s' of %s",
			    tag != NULL ? tag : "",
			    manage ? "HttpManage" : "HttpRead");
	tender_docker_http_free(http);
	tender_call_return_error(call, error);
}

static void
tender_docker_service_http_read(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_docker_service_http(call, user_data, FALSE);
}

static void
tender_docker_service_http_manage(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_docker_service_http(call, user_data, TRUE);
}

/* the methods of all parts, with HttpRead and HttpManage, ending with a NULL method */
static GArray *
tender_docker_service_methods(void)
{
	static const TenderPluginServiceMethod http[] = {
	    {"HttpRead", TENDER_DOCKER_READ, tender_docker_service_http_read},
	    {"HttpManage", TENDER_DOCKER_MANAGE, tender_docker_service_http_manage},
	    {NULL, NULL, NULL},
	};
	GArray *methods = g_array_new(TRUE, TRUE, sizeof(TenderPluginServiceMethod));

	for (guint i = 0; i < G_N_ELEMENTS(tender_docker_service_parts); i++) {
		const TenderPluginServiceMethod *part = tender_docker_service_parts[i]->methods;
		for (guint j = 0; part != NULL && part[j].method != NULL; j++)
			g_array_append_val(methods, part[j]);
	}
	for (guint j = 0; http[j].method != NULL; j++)
		g_array_append_val(methods, http[j]);
	return methods;
}

static void
tender_docker_service_free(TenderDockerService *self)
{
	g_ptr_array_unref(self->signal_ids);
	g_hash_table_unref(self->relic_status);
	g_object_unref(self->tools);
	g_object_unref(self->relics);
	g_object_unref(self->client);
	g_free(self);
}

/**
 * tender_docker_service_register:
 * @plugin: the Docker plugin, in its probe
 * @client: its connection to dockerd
 * @tools: its tool runs
 * @relics: its relics
 * @cortex_api: whether seed 002's paths are served too
 * @error: (nullable): a #GError
 *
 * Declares org.tender.Agent1.Docker on /org/tender/Agent1/docker and its HTTP routes.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_docker_service_register(TenderPlugin *plugin,
			       TenderDockerClient *client,
			       TenderDockerTools *tools,
			       TenderDockerRelics *relics,
			       gboolean cortex_api,
			       GError **error)
{
	g_autoptr(GBytes) xml =
	    g_resources_lookup_data(TENDER_DOCKER_SERVICE_XML, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	g_autoptr(GArray) methods = NULL;
	TenderDockerService *self;

	if (xml == NULL)
		return FALSE;
	self = g_new0(TenderDockerService, 1);
	self->plugin = plugin;
	self->client = g_object_ref(client);
	self->tools = g_object_ref(tools);
	self->relics = g_object_ref(relics);
	self->signal_ids =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_service_signal_free);
	self->relic_status = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	for (guint i = 0; i < G_N_ELEMENTS(tender_docker_service_parts); i++) {
		if (tender_docker_service_parts[i]->attach != NULL)
			tender_docker_service_parts[i]->attach(self);
	}
	methods = tender_docker_service_methods();
	if (!tender_plugin_add_feature_service(plugin,
					       g_bytes_get_data(xml, NULL),
					       (const TenderPluginServiceMethod *)(gpointer)
						   methods->data,
					       self,
					       (GDestroyNotify)tender_docker_service_free,
					       error)) {
		/* not declared: @self was not taken */
		tender_docker_service_free(self);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(tender_docker_service_parts); i++) {
		const TenderDockerServicePart *part = tender_docker_service_parts[i];
		if (part->aliases != NULL &&
		    !tender_plugin_add_http_aliases(plugin, part->aliases, error))
			return FALSE;
		if (cortex_api && part->cortex_aliases != NULL &&
		    !tender_plugin_add_http_aliases(plugin, part->cortex_aliases, error))
			return FALSE;
	}
	return TRUE;
}
