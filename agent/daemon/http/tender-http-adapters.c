/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-adapter-list.h"
#include "tender-error.h"
#include "tender-http-adapters.h"
#include "tender-http-fastapi.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"
#include "tender-util.h"

/*
 * The adapter instances over HTTP: GET /v1/adapters, and the route aliases of their built-in
 * service (org.tender.Agent1.Adapter, tender-adapter-service.c): /v1/adapters/NAME/api/...
 * and /v1/adapters/NAME/metrics, in tender's shapes, and, for the instance with
 * root_api=true, /api/... and /metrics, the paths seed 000's core answered, with its
 * answers: the same statuses, bodies, series and content types (its FastAPI validation
 * errors and {"detail": ...} errors included), so that its clients work unchanged.
 */

/**
 * tender_http_adapters_list:
 * @req: GET /v1/adapters
 *
 * Answers with the adapter instances.
 */
void
tender_http_adapters_list(TenderHttpRequest *req)
{
	TenderAdapterList *list = tender_http_server_get_adapters(req->self);
	g_autoptr(GPtrArray) adapters = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	if (list != NULL)
		adapters = tender_adapter_list_get_adapters(list);
	for (guint i = 0; adapters != NULL && i < adapters->len; i++) {
		TenderAdapter *adapter = g_ptr_array_index(adapters, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_adapter_get_name(adapter));
		json_builder_set_member_name(b, "type");
		json_builder_add_string_value(b, tender_adapter_get_type_name(adapter));
		json_builder_set_member_name(b, "workload");
		json_builder_add_string_value(b, tender_adapter_get_workload_name(adapter));
		json_builder_set_member_name(b, "run_as_user");
		json_builder_add_string_value(b, tender_adapter_get_run_as_user(adapter));
		json_builder_set_member_name(b, "primary_payload_key");
		json_builder_add_string_value(b, tender_adapter_get_primary_payload_key(adapter));
		json_builder_set_member_name(b, "root_api");
		json_builder_add_boolean_value(b, tender_adapter_get_root_api(adapter));
		json_builder_set_member_name(b, "object_path");
		json_builder_add_string_value(b, tender_adapter_get_object_path(adapter));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, root);
}

static void
tender_http_adapters_reply_status(TenderHttpRequest *req, const gchar *status)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *timestamp = tender_util_timestamp_now();

	json_object_set_string_member(obj, "status", status);
	json_object_set_string_member(obj, "instance", tender_adapter_get_name(adapter));
	json_object_set_string_member(obj, "workload", tender_adapter_get_workload_name(adapter));
	json_object_set_int_member(obj, "main_pid", tender_adapter_get_main_pid(adapter));
	json_object_set_string_member(obj, "timestamp", timestamp);
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
}

static void
tender_http_adapters_started(TenderHttpRequest *req, GVariant *value)
{
	tender_http_adapters_reply_status(req, "started");
}

static void
tender_http_adapters_stopped(TenderHttpRequest *req, GVariant *value)
{
	tender_http_adapters_reply_status(req, "stopped");
}

/* Update's result: 200 applied, 409 declined or unsupported, 400 not running */
static void
tender_http_adapters_update(TenderHttpRequest *req, GVariant *value)
{
	const gchar *result = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;
	guint status;

	g_variant_get(value, "(&s)", &result);
	status = g_strcmp0(result, "applied") == 0	 ? SOUP_STATUS_OK
		 : g_strcmp0(result, "not-running") == 0 ? SOUP_STATUS_BAD_REQUEST
							 : SOUP_STATUS_CONFLICT;
	json_object_set_string_member(obj, "result", result);
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_message_reply_json(req->msg, status, node);
}

/* GetMetrics's JSON, as it is */
static void
tender_http_adapters_metrics(TenderHttpRequest *req, GVariant *value)
{
	const gchar *json = NULL;

	g_variant_get(value, "(&s)", &json);
	tender_http_message_reply_text(req->msg,
				       SOUP_STATUS_OK,
				       "application/json",
				       g_strdup(json));
}

/* GetPrometheus's metrics as an object, or %NULL when @req was answered */
static JsonObject *
tender_http_adapters_exposition(TenderHttpRequest *req, GVariant *value, GStrv *lines)
{
	const gchar *json = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;

	g_variant_get(value, "(&s^as)", &json, lines);
	root = json_from_string(json, &error);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_INTERNAL_SERVER_ERROR,
						TENDER_ERROR_FAILED,
						"The metrics are not a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* GetPrometheus, as tender's Prometheus text: the instance's series and the adapter's lines */
static void
tender_http_adapters_prometheus(TenderHttpRequest *req, GVariant *value)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);
	g_auto(GStrv) lines = NULL;
	g_autoptr(JsonObject) metrics = tender_http_adapters_exposition(req, value, &lines);
	g_autofree gchar *series = NULL;
	GString *text;

	if (metrics == NULL)
		return;
	series = tender_adapter_render_prometheus(tender_adapter_get_name(adapter), metrics);
	text = g_string_new(series);
	for (guint i = 0; lines[i] != NULL; i++)
		g_string_append_printf(text, "%s\n", lines[i]);
	tender_http_message_reply_text(req->msg,
				       SOUP_STATUS_OK,
				       "text/plain; version=0.0.4; charset=utf-8",
				       g_string_free(text, FALSE));
}

/* liveness: no method, no authorization */
static void
tender_http_adapters_health(TenderHttpRequest *req, GVariant *value)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);
	g_autoptr(JsonObject) health = tender_adapter_get_health(adapter);
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), health);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
}

/* --- the root_api: seed 000's answers --- */

/* {"status": "healthy", "app_status": ...} */
static void
tender_http_adapters_root_health(TenderHttpRequest *req, GVariant *value)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;

	json_object_set_string_member(obj, "status", "healthy");
	json_object_set_string_member(obj, "app_status", tender_adapter_get_app_status(adapter));
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
}

/* the core refuses a start without its primary key, whatever the value */
static gboolean
tender_http_adapters_root_start_check(TenderHttpRequest *req, JsonObject *body)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);
	const gchar *key = tender_adapter_get_primary_payload_key(adapter);
	g_autofree gchar *detail = NULL;

	if (json_object_has_member(body, key))
		return TRUE;
	detail = g_strdup_printf("missing key '%s'", key);
	tender_http_fastapi_reply_detail(req->msg, SOUP_STATUS_BAD_REQUEST, detail);
	return FALSE;
}

static void
tender_http_adapters_root_started(TenderHttpRequest *req, GVariant *value)
{
	tender_http_fastapi_reply_message(req->msg, "start initiated");
}

static void
tender_http_adapters_root_updated(TenderHttpRequest *req, GVariant *value)
{
	const gchar *result = NULL;

	g_variant_get(value, "(&s)", &result);
	if (g_strcmp0(result, "applied") == 0)
		tender_http_fastapi_reply_message(req->msg, "update applied");
	else if (g_strcmp0(result, "not-running") == 0)
		tender_http_fastapi_reply_detail(req->msg,
						 SOUP_STATUS_BAD_REQUEST,
						 "application not running");
	else if (g_strcmp0(result, "declined") == 0)
		tender_http_fastapi_reply_detail(req->msg,
						 SOUP_STATUS_CONFLICT,
						 "adapter declined update");
	else /* the core's text, with its U+2011 NON-BREAKING HYPHEN */
		tender_http_fastapi_reply_detail(req->msg,
						 SOUP_STATUS_CONFLICT,
						 "live\u2011update not supported");
}

/* the body is the core's StopBody (force, which it does not use); nothing runs, nothing to
 * stop */
static gboolean
tender_http_adapters_root_stop_check(TenderHttpRequest *req, JsonObject *body)
{
	TenderAdapter *adapter = tender_service_get_user_data(req->match.service);

	if (!tender_http_fastapi_check_bool(req->msg, body, "force"))
		return FALSE;
	if (g_strcmp0(tender_adapter_get_app_status(adapter), "running") == 0)
		return TRUE;
	tender_http_fastapi_reply_message(req->msg, "nothing to stop");
	return FALSE;
}

static void
tender_http_adapters_root_stopped(TenderHttpRequest *req, GVariant *value)
{
	tender_http_fastapi_reply_message(req->msg, "stop initiated");
}

/* GetMetrics's JSON in the core's shape: timestamp, app_status, container_status, network,
 * system, and the adapter's metrics as "metrics" */
static void
tender_http_adapters_root_metrics(TenderHttpRequest *req, GVariant *value)
{
	const gchar *json = NULL;
	const gchar *keys[] = {"timestamp", "app_status", "network", "system"};
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;
	JsonObject *metrics;
	JsonNode *adapter;

	g_variant_get(value, "(&s)", &json);
	root = json_from_string(json, NULL);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		tender_http_fastapi_reply_detail(req->msg,
						 SOUP_STATUS_INTERNAL_SERVER_ERROR,
						 "The metrics are not a JSON object");
		return;
	}
	metrics = json_node_get_object(root);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		JsonNode *member = json_object_get_member(metrics, keys[i]);
		if (member != NULL)
			json_object_set_member(obj, keys[i], json_node_copy(member));
		if (i == 1)
			json_object_set_string_member(obj, "container_status", "running");
	}
	adapter = json_object_get_member(metrics, "adapter");
	if (adapter != NULL && JSON_NODE_HOLDS_OBJECT(adapter))
		json_object_set_member(obj, "metrics", json_node_copy(adapter));
	else
		json_object_set_object_member(obj, "metrics", json_object_new());
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
}

/* GetPrometheus, as the core's text: its container_* series, then the adapter's lines */
static void
tender_http_adapters_root_prometheus(TenderHttpRequest *req, GVariant *value)
{
	g_auto(GStrv) lines = NULL;
	g_autoptr(JsonObject) metrics = tender_http_adapters_exposition(req, value, &lines);

	if (metrics == NULL)
		return;
	tender_http_message_reply_text(req->msg,
				       SOUP_STATUS_OK,
				       "text/plain; version=0.0.4; charset=utf-8",
				       tender_adapter_render_container(metrics,
								       (const gchar *const *)
									   lines));
}

#define BODY	    TENDER_HTTP_ALIAS_BODY
#define BODY_NEEDED TENDER_HTTP_ALIAS_BODY_NEEDED
#define FALLBACK    TENDER_HTTP_ALIAS_FALLBACK
#define DETAIL	    TENDER_HTTP_ALIAS_DETAIL
#define FASTAPI	    TENDER_HTTP_ALIAS_FASTAPI

/* the routes of the adapter instances: '*' is an instance's name; without one, the route is
 * the root_api instance's, where seed 000's core answered (/api/health and /metrics are
 * tender's own when there is none) */
static const TenderHttpAlias tender_http_adapters_routes[] = {
    {"POST", "/v1/adapters/*/api/start", "StartJson", tender_http_adapters_started, BODY},
    {"POST", "/v1/adapters/*/api/update", "UpdateJson", tender_http_adapters_update, BODY_NEEDED},
    {"POST", "/v1/adapters/*/api/stop", "Stop", tender_http_adapters_stopped},
    {"GET", "/v1/adapters/*/api/metrics", "GetMetrics", tender_http_adapters_metrics},
    {"GET", "/v1/adapters/*/api/health", NULL, tender_http_adapters_health},
    {"GET", "/v1/adapters/*/metrics", "GetPrometheus", tender_http_adapters_prometheus},
    {"POST",
     "/api/start",
     "StartJson",
     tender_http_adapters_root_started,
     FASTAPI | BODY,
     tender_http_adapters_root_start_check},
    {"POST", "/api/update", "UpdateJson", tender_http_adapters_root_updated, FASTAPI | BODY},
    {"POST",
     "/api/stop",
     "Stop",
     tender_http_adapters_root_stopped,
     FASTAPI,
     tender_http_adapters_root_stop_check},
    {"GET", "/api/metrics", "GetMetrics", tender_http_adapters_root_metrics, DETAIL},
    {"GET", "/api/health", NULL, tender_http_adapters_root_health, FALLBACK | DETAIL},
    {"GET", "/metrics", "GetPrometheus", tender_http_adapters_root_prometheus, FALLBACK | DETAIL},
    {NULL},
};

static TenderServiceList *
tender_http_adapters_get_services(TenderHttpServer *server)
{
	TenderAdapterList *adapters = tender_http_server_get_adapters(server);
	return adapters != NULL ? tender_adapter_list_get_services(adapters) : NULL;
}

const TenderHttpAliasSet tender_http_adapters_aliases = {
    tender_http_adapters_routes,
    tender_http_adapters_get_services,
    "root_api",
    "No adapter instance answers on /api/...: none has root_api=true",
    "An update needs a JSON object",
};
