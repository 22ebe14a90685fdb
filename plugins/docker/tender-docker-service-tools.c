/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-service-private.h"

/*
 * The tools' part of org.tender.Agent1.Docker: ExecuteTool, GetTool, GetToolLogs, CancelTool,
 * ListTools and ToolFinished; the routes below /v1/docker/tools and seed 002's
 * /containers/tool/....  What a tool is and does is TenderDockerTools'; this only translates.
 */

/* --- D-Bus: a{sv} in and out --- */

static void
tender_docker_service_return_tool(TenderCall *call, TenderDockerTool *tool)
{
	g_autoptr(JsonObject) obj = tender_docker_tool_to_json(tool);
	tender_call_return_value(call,
				 g_variant_new("(@a{sv})", tender_json_object_to_vardict(obj)));
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
	obj = tender_json_object_new_from_vardict(request);
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
		g_variant_builder_add_value(&builder, tender_json_object_to_vardict(obj));
	}
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
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

static const TenderDockerRoute tender_docker_tool_routes[] = {
    {"tool.execute", TRUE, tender_docker_http_tool_execute},
    {"tool.cancel", TRUE, tender_docker_http_tool_cancel},
    {"tool.get", FALSE, tender_docker_http_tool_get_owned},
    {"tool.logs", FALSE, tender_docker_http_tool_logs_owned},
    {"tool.list", FALSE, tender_docker_http_tool_list_owned},
    {NULL, FALSE, NULL},
};

static const TenderPluginServiceMethod tender_docker_tool_methods[] = {
    {"ExecuteTool", TENDER_DOCKER_MANAGE, tender_docker_service_execute_tool},
    {"GetTool", TENDER_DOCKER_READ, tender_docker_service_get_tool},
    {"GetToolLogs", TENDER_DOCKER_READ, tender_docker_service_get_tool_logs},
    {"CancelTool", TENDER_DOCKER_MANAGE, tender_docker_service_cancel_tool},
    {"ListTools", TENDER_DOCKER_READ, tender_docker_service_list_tools},
    {NULL, NULL, NULL},
};

/* tender's own REST paths below /v1/docker/ */
static const TenderPluginHttpAlias tender_docker_tool_aliases[] = {
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
static const TenderPluginHttpAlias tender_docker_tool_cortex_aliases[] = {
    {.verb = "POST",
     .pattern = "/containers/tool/execute",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.tool.execute"},
    {.verb = "GET",
     .pattern = "/containers/tool/{id}",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.tool.get"},
    {.verb = "GET",
     .pattern = "/containers/tool/{id}/logs",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.tool.logs"},
    {.verb = "POST",
     .pattern = "/containers/tool/{id}/cancel",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.tool.cancel"},
    {.verb = NULL},
};

static void
tender_docker_service_finished_cb(TenderDockerTools *tools,
				  TenderDockerTool *tool,
				  gpointer user_data)
{
	TenderDockerService *self = user_data;
	TenderDockerToolStatus status = tender_docker_tool_get_status(tool);

	tender_docker_service_emit(self,
				   "ToolFinished",
				   g_variant_new("(ss)",
						 tender_docker_tool_get_id(tool),
						 tender_docker_tool_status_to_string(status)));
}

static void
tender_docker_service_tools_attach(TenderDockerService *self)
{
	tender_docker_service_connect(self,
				      self->tools,
				      "finished",
				      G_CALLBACK(tender_docker_service_finished_cb));
}

const TenderDockerServicePart tender_docker_service_tools_part = {
    .methods = tender_docker_tool_methods,
    .routes = tender_docker_tool_routes,
    .aliases = tender_docker_tool_aliases,
    .cortex_aliases = tender_docker_tool_cortex_aliases,
    .attach = tender_docker_service_tools_attach,
};
