/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-json.h"
#include "tender-docker-service.h"

/*
 * TenderDockerService is the plugin's feature service, org.tender.Agent1.Docker on
 * /org/tender/Agent1/docker (its XML is org.tender.Agent1.Docker.xml, a resource of the
 * plugin): the D-Bus methods of the tools, and the two methods behind its HTTP routes,
 * HttpRead and HttpManage, which the route aliases below call with the route's tag: tender's
 * own REST paths below /v1/docker/ and, with [plugin docker] cortex-api=true, seed 002's paths
 * with its bodies and answers.  What a tool is and does is TenderDockerTools'; this only
 * translates.
 */

#define TENDER_DOCKER_SERVICE_XML "/org/tender/docker/org.tender.Agent1.Docker.xml"

struct _TenderDockerService {
	TenderPlugin *plugin;
	TenderDockerClient *client;
	TenderDockerTools *tools;
	gulong finished_id;
};

/* --- D-Bus: a{sv} in and out --- */

static void
tender_docker_service_return_tool(TenderCall *call, TenderDockerTool *tool)
{
	g_autoptr(JsonObject) obj = tender_docker_tool_to_json(tool);
	tender_call_return_value(call,
				 g_variant_new("(@a{sv})", tender_docker_json_to_vardict(obj)));
}

static void
tender_docker_service_executed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool =
	    tender_docker_tools_execute_finish(TENDER_DOCKER_TOOLS(source), res, &error);

	if (tool == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_docker_service_return_tool(call, tool);
}

/* a new run needs dockerd now: while its event stream is down, Unavailable (503) at once */
static gboolean
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

static void
tender_docker_service_execute_tool(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GVariant) request = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(GError) error = NULL;

	if (!tender_docker_service_check_dockerd(self, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	g_variant_get(tender_call_get_parameters(call), "(@a{sv})", &request);
	obj = tender_docker_json_from_vardict(request);
	tender_docker_tools_execute_async(self->tools,
					  obj,
					  NULL,
					  tender_docker_service_executed_cb,
					  call);
}

static void
tender_docker_service_get_tool(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool = NULL;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tool = tender_docker_tools_lookup(self->tools, id, &error);
	if (tool == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_docker_service_return_tool(call, tool);
}

/* a member of the logs' JSON as D-Bus text: invalid UTF-8 replaced */
static gchar *
tender_docker_service_logs_text(JsonObject *logs, const gchar *member)
{
	const gchar *text = json_object_get_string_member_with_default(logs, member, "");
	return g_utf8_make_valid(text, -1);
}

static void
tender_docker_service_get_tool_logs(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool = NULL;
	g_autoptr(JsonObject) logs = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tool = tender_docker_tools_lookup(self->tools, id, &error);
	if (tool == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	logs = tender_docker_tool_get_logs_json(tool);
	out = tender_docker_service_logs_text(logs, "stdout");
	err = tender_docker_service_logs_text(logs, "stderr");
	tender_call_return_value(call, g_variant_new("(ss)", out, err));
}

static void
tender_docker_service_cancelled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_docker_tools_cancel_finish(TENDER_DOCKER_TOOLS(source), res, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, NULL);
}

static void
tender_docker_service_cancel_tool(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tender_docker_tools_cancel_async(self->tools,
					 id,
					 NULL,
					 tender_docker_service_cancelled_cb,
					 call);
}

static void
tender_docker_service_list_tools(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GPtrArray) tools = NULL;
	GVariantBuilder builder;
	const gchar *session = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &session);
	tools = tender_docker_tools_list(self->tools, session[0] != '\0' ? session : NULL);
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < tools->len; i++) {
		g_autoptr(JsonObject) obj = tender_docker_tool_to_json(g_ptr_array_index(tools, i));
		g_variant_builder_add_value(&builder, tender_docker_json_to_vardict(obj));
	}
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
}

/* --- HTTP: the routes' status and JSON --- */

/* what an HTTP route answers: a status and a JSON body */
static void
tender_docker_service_answer(TenderCall *call, guint status, JsonNode *body)
{
	g_autofree gchar *text = json_to_string(body, FALSE);
	tender_call_return_value(call, g_variant_new("(us)", status, text));
}

static void
tender_docker_service_answer_object(TenderCall *call, guint status, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	tender_docker_service_answer(call, status, node);
}

/* seed 002's errors: FastAPI's {"detail": "message"} */
static void
tender_docker_service_answer_detail(TenderCall *call, guint status, const gchar *message)
{
	g_autoptr(JsonObject) obj = json_object_new();
	json_object_set_string_member(obj, "detail", message);
	tender_docker_service_answer_object(call, status, obj);
}

/* one HTTP call: the route and its parameters, and whether it is seed 002's */
typedef struct {
	TenderDockerService *self;
	TenderCall *call;
	GVariant *params;
	gchar *body;
	const gchar *route;
	gboolean cortex;
} TenderDockerHttp;

static void
tender_docker_http_free(TenderDockerHttp *http)
{
	g_variant_unref(http->params);
	g_free(http->body);
	g_free(http);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerHttp, tender_docker_http_free)

static const gchar *
tender_docker_http_param(TenderDockerHttp *http, const gchar *key)
{
	const gchar *value = NULL;
	if (!g_variant_lookup(http->params, key, "&s", &value))
		return NULL;
	return value;
}

/* the tool of the route's {id}, or %NULL when answered (404) */
static TenderDockerTool *
tender_docker_http_lookup(TenderDockerHttp *http)
{
	const gchar *id = tender_docker_http_param(http, "id");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *message = NULL;
	TenderDockerTool *tool = NULL;

	if (id != NULL)
		tool = tender_docker_tools_lookup(http->self->tools, id, &error);
	if (tool != NULL)
		return tool;
	if (!http->cortex) {
		if (error == NULL)
			g_set_error_literal(&error,
					    TENDER_ERROR,
					    TENDER_ERROR_NOT_FOUND,
					    "No tool");
		tender_call_return_error(http->call, error);
		return NULL;
	}
	message = g_strdup_printf("Execution not found: %s", id != NULL ? id : "");
	tender_docker_service_answer_detail(http->call, 404, message);
	return NULL;
}

static void
tender_docker_http_tool_get(TenderDockerHttp *http)
{
	g_autoptr(TenderDockerTool) tool = tender_docker_http_lookup(http);
	g_autoptr(JsonObject) obj = NULL;

	if (tool == NULL)
		return;
	obj = http->cortex ? tender_docker_tool_to_cortex_json(tool)
			   : tender_docker_tool_to_json(tool);
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_tool_logs(TenderDockerHttp *http)
{
	g_autoptr(TenderDockerTool) tool = tender_docker_http_lookup(http);
	g_autoptr(JsonObject) logs = NULL;

	if (tool == NULL)
		return;
	logs = tender_docker_tool_get_logs_json(tool);
	tender_docker_service_answer_object(http->call, 200, logs);
}

static void
tender_docker_http_tool_list(TenderDockerHttp *http)
{
	const gchar *session = tender_docker_http_param(http, "session_id");
	g_autoptr(GPtrArray) tools = tender_docker_tools_list(http->self->tools, session);
	g_autoptr(JsonObject) obj = json_object_new();
	JsonArray *array = json_array_new();

	for (guint i = 0; i < tools->len; i++)
		json_array_add_object_element(array,
					      tender_docker_tool_to_json(
						  g_ptr_array_index(tools, i)));
	json_object_set_array_member(obj, "tools", array);
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_executed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerTool) tool =
	    tender_docker_tools_execute_finish(TENDER_DOCKER_TOOLS(source), res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (tool == NULL) {
		if (http->cortex &&
		    g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT)) {
			tender_docker_service_answer_detail(http->call, 422, error->message);
			return;
		}
		tender_call_return_error(http->call, error);
		return;
	}
	if (http->cortex) {
		obj = tender_docker_tool_to_cortex_json(tool);
		tender_docker_service_answer_object(http->call, 200, obj);
		return;
	}
	obj = tender_docker_tool_to_json(tool);
	tender_docker_service_answer_object(http->call,
					    tender_docker_tool_status_is_final(
						tender_docker_tool_get_status(tool))
						? 200
						: 202,
					    obj);
}

/* the body, a JSON object; %NULL when answered (400, or seed 002's 422) */
static JsonObject *
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

static void
tender_docker_http_tool_execute(TenderDockerHttp *owned)
{
	g_autoptr(TenderDockerHttp) http = owned;
	g_autoptr(JsonObject) request = NULL;
	g_autoptr(GError) error = NULL;
	TenderDockerTools *tools = http->self->tools;

	if (!tender_docker_service_check_dockerd(http->self, &error)) {
		tender_call_return_error(http->call, error);
		return;
	}
	request = tender_docker_http_read_object(http);
	if (request == NULL)
		return;
	/* seed 002's answers once the tool has run; wait is tender's own */
	if (http->cortex)
		json_object_set_boolean_member(request, "wait", TRUE);
	tender_docker_tools_execute_async(tools,
					  request,
					  NULL,
					  tender_docker_http_executed_cb,
					  g_steal_pointer(&http));
}

static void
tender_docker_http_cancelled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	const gchar *id = tender_docker_http_param(http, "id");

	if (!tender_docker_tools_cancel_finish(TENDER_DOCKER_TOOLS(source), res, &error)) {
		g_autofree gchar *message = NULL;
		if (!http->cortex) {
			tender_call_return_error(http->call, error);
			return;
		}
		message =
		    g_strdup_printf("Could not cancel execution: %s (not found or not running)",
				    id);
		tender_docker_service_answer_detail(http->call, 400, message);
		return;
	}
	json_object_set_string_member(obj, "status", "cancelled");
	json_object_set_string_member(obj, http->cortex ? "execution_id" : "id", id);
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_tool_cancel(TenderDockerHttp *http)
{
	tender_docker_tools_cancel_async(http->self->tools,
					 tender_docker_http_param(http, "id"),
					 NULL,
					 tender_docker_http_cancelled_cb,
					 http);
}

/* a route: its tag, whether it changes anything (HttpManage) and its handler, which owns
 * the call */
typedef struct {
	const gchar *tag;
	gboolean manage;
	void (*func)(TenderDockerHttp *http);
} TenderDockerRoute;

static void
tender_docker_http_done(TenderDockerHttp *http, void (*func)(TenderDockerHttp *http))
{
	func(http);
	tender_docker_http_free(http);
}

static void
tender_docker_http_tool_get_owned(TenderDockerHttp *http)
{
	tender_docker_http_done(http, tender_docker_http_tool_get);
}

static void
tender_docker_http_tool_logs_owned(TenderDockerHttp *http)
{
	tender_docker_http_done(http, tender_docker_http_tool_logs);
}

static void
tender_docker_http_tool_list_owned(TenderDockerHttp *http)
{
	tender_docker_http_done(http, tender_docker_http_tool_list);
}

static const TenderDockerRoute tender_docker_routes[] = {
    {"tool.execute", TRUE, tender_docker_http_tool_execute},
    {"tool.cancel", TRUE, tender_docker_http_tool_cancel},
    {"tool.get", FALSE, tender_docker_http_tool_get_owned},
    {"tool.logs", FALSE, tender_docker_http_tool_logs_owned},
    {"tool.list", FALSE, tender_docker_http_tool_list_owned},
};

/* HttpRead and HttpManage: the route of the tag, if it is one of the method's */
static void
tender_docker_service_http(TenderCall *call, TenderDockerService *self, gboolean manage)
{
	TenderDockerHttp *http = g_new0(TenderDockerHttp, 1);
	const gchar *route = NULL;

	http->self = self;
	http->call = call;
	g_variant_get(tender_call_get_parameters(call), "(@a{ss}s)", &http->params, &http->body);
	if (g_variant_lookup(http->params, "route", "&s", &route) &&
	    g_str_has_prefix(route, "cortex.")) {
		http->cortex = TRUE;
		route += strlen("cortex.");
	}
	for (guint i = 0; route != NULL && i < G_N_ELEMENTS(tender_docker_routes); i++) {
		if (g_strcmp0(route, tender_docker_routes[i].tag) != 0 ||
		    tender_docker_routes[i].manage != manage)
			continue;
		http->route = tender_docker_routes[i].tag;
		tender_docker_routes[i].func(http);
		return;
	}
	tender_docker_http_free(http);
	{
		g_autoptr(GError) error = g_error_new(TENDER_ERROR,
						      TENDER_ERROR_INVALID_ARGUMENT,
						      "No route '%s' of %s",
						      route != NULL ? route : "",
						      manage ? "HttpManage" : "HttpRead");
		tender_call_return_error(call, error);
	}
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

#define READ   "org.tender.docker.read"
#define MANAGE "org.tender.docker.manage"

static const TenderPluginServiceMethod tender_docker_service_methods[] = {
    {"ExecuteTool", MANAGE, tender_docker_service_execute_tool},
    {"GetTool", READ, tender_docker_service_get_tool},
    {"GetToolLogs", READ, tender_docker_service_get_tool_logs},
    {"CancelTool", MANAGE, tender_docker_service_cancel_tool},
    {"ListTools", READ, tender_docker_service_list_tools},
    {"HttpRead", READ, tender_docker_service_http_read},
    {"HttpManage", MANAGE, tender_docker_service_http_manage},
    {NULL, NULL, NULL},
};

/* tender's own REST paths below /v1/docker/ */
static const TenderPluginHttpAlias tender_docker_aliases[] = {
    {.verb = "POST", .pattern = "/v1/docker/tools", .method = "HttpManage", .tag = "tool.execute"},
    {.verb = "GET", .pattern = "/v1/docker/tools", .method = "HttpRead", .tag = "tool.list"},
    {.verb = "GET", .pattern = "/v1/docker/tools/{id}", .method = "HttpRead", .tag = "tool.get"},
    {.verb = "GET",
     .pattern = "/v1/docker/tools/{id}/logs",
     .method = "HttpRead",
     .tag = "tool.logs"},
    {.verb = "POST",
     .pattern = "/v1/docker/tools/{id}/cancel",
     .method = "HttpManage",
     .tag = "tool.cancel"},
    {.verb = NULL},
};

/* seed 002's paths, bodies and answers, errors as FastAPI's */
#define CORTEX TENDER_PLUGIN_HTTP_ALIAS_DETAIL
static const TenderPluginHttpAlias tender_docker_cortex_aliases[] = {
    {.verb = "POST",
     .pattern = "/containers/tool/execute",
     .method = "HttpManage",
     .flags = CORTEX,
     .tag = "cortex.tool.execute"},
    {.verb = "GET",
     .pattern = "/containers/tool/{id}",
     .method = "HttpRead",
     .flags = CORTEX,
     .tag = "cortex.tool.get"},
    {.verb = "GET",
     .pattern = "/containers/tool/{id}/logs",
     .method = "HttpRead",
     .flags = CORTEX,
     .tag = "cortex.tool.logs"},
    {.verb = "POST",
     .pattern = "/containers/tool/{id}/cancel",
     .method = "HttpManage",
     .flags = CORTEX,
     .tag = "cortex.tool.cancel"},
    {.verb = NULL},
};

static void
tender_docker_service_finished_cb(TenderDockerTools *tools,
				  TenderDockerTool *tool,
				  gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_plugin_emit_feature_signal(self->plugin,
					       "ToolFinished",
					       g_variant_new("(ss)",
							     tender_docker_tool_get_id(tool),
							     tender_docker_tool_status_to_string(
								 tender_docker_tool_get_status(
								     tool))),
					       &error))
		g_debug("ToolFinished: %s", error->message);
}

static void
tender_docker_service_free(TenderDockerService *self)
{
	g_signal_handler_disconnect(self->tools, self->finished_id);
	g_object_unref(self->tools);
	g_object_unref(self->client);
	g_free(self);
}

/**
 * tender_docker_service_register:
 * @plugin: the Docker plugin, in its probe
 * @client: its connection to dockerd
 * @tools: its tool runs
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
			       gboolean cortex_api,
			       GError **error)
{
	g_autoptr(GBytes) xml =
	    g_resources_lookup_data(TENDER_DOCKER_SERVICE_XML, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
	TenderDockerService *self;

	if (xml == NULL)
		return FALSE;
	self = g_new0(TenderDockerService, 1);
	self->plugin = plugin;
	self->client = g_object_ref(client);
	self->tools = g_object_ref(tools);
	self->finished_id = g_signal_connect(tools,
					     "finished",
					     G_CALLBACK(tender_docker_service_finished_cb),
					     self);
	if (!tender_plugin_add_feature_service(plugin,
					       g_bytes_get_data(xml, NULL),
					       tender_docker_service_methods,
					       self,
					       (GDestroyNotify)tender_docker_service_free,
					       error)) {
		/* not declared: @self was not taken */
		tender_docker_service_free(self);
		return FALSE;
	}
	if (!tender_plugin_add_http_aliases(plugin, tender_docker_aliases, error))
		return FALSE;
	return !cortex_api ||
	       tender_plugin_add_http_aliases(plugin, tender_docker_cortex_aliases, error);
}
