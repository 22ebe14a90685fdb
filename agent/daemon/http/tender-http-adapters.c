/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-adapter-list.h"
#include "tender-error.h"
#include "tender-http-adapters.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"
#include "tender-util.h"

/*
 * The adapter instances over HTTP: GET /v1/adapters, /v1/adapters/NAME/api/... and
 * /v1/adapters/NAME/metrics, and the instance with root_api=true on /api/..., the paths its
 * clients know.
 */

/**
 * tender_http_adapters_find:
 * @adapters: (nullable): the adapter instances
 * @name: (nullable): the instance named in the path, or %NULL for the root_api one
 * @error: (nullable): a #GError, %TENDER_ERROR_NOT_FOUND
 *
 * Returns: (transfer none) (nullable): the instance an adapter route is about
 */
TenderAdapter *
tender_http_adapters_find(TenderAdapterList *adapters, const gchar *name, GError **error)
{
	TenderAdapter *adapter = NULL;

	if (adapters != NULL && name != NULL)
		return tender_adapter_list_find(adapters, name, error);
	if (adapters != NULL)
		adapter = tender_adapter_list_get_root_api(adapters);
	if (adapter == NULL && name == NULL)
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_FOUND,
				    "No adapter instance answers on /api/...: none has "
				    "root_api=true");
	else if (adapter == NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No adapter instance '%s'",
			    name);
	return adapter;
}

/**
 * tender_http_adapters_has_root_api:
 * @adapters: (nullable): the adapter instances
 *
 * Returns: whether an instance answers on /api/... (and /api/health, /metrics)
 */
gboolean
tender_http_adapters_has_root_api(TenderAdapterList *adapters)
{
	return adapters != NULL && tender_adapter_list_get_root_api(adapters) != NULL;
}

/**
 * tender_http_adapters_claim:
 * @req: an authorized request
 *
 * Whether an adapter instance answers @req: the adapter routes, and /api/health and /metrics
 * when an instance has root_api=true (@req's route becomes the instance's then).
 *
 * Returns: %TRUE if tender_http_adapters_call() answers @req
 */
gboolean
tender_http_adapters_claim(TenderHttpRequest *req)
{
	TenderAdapterList *adapters = tender_http_server_get_adapters(req->self);

	switch (req->match.route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
	case TENDER_HTTP_ROUTE_ADAPTER_METRICS:
	case TENDER_HTTP_ROUTE_ADAPTER_HEALTH:
	case TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS:
		return TRUE;
	case TENDER_HTTP_ROUTE_HEALTH:
		if (!tender_http_adapters_has_root_api(adapters))
			return FALSE;
		req->match.route = TENDER_HTTP_ROUTE_ADAPTER_HEALTH;
		return TRUE;
	case TENDER_HTTP_ROUTE_PROMETHEUS:
		if (!tender_http_adapters_has_root_api(adapters))
			return FALSE;
		req->match.route = TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS;
		return TRUE;
	default:
		return FALSE;
	}
}

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
tender_http_adapters_reply_status(TenderHttpRequest *req,
				  TenderAdapter *adapter,
				  const gchar *status)
{
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
tender_http_adapters_call_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	TenderAdapter *adapter = TENDER_ADAPTER(source);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) metrics = NULL;
	TenderAdapterUpdateResult result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
	gboolean ok;

	switch (req->match.route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
		ok = tender_adapter_start_finish(adapter, res, &error);
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
		ok = tender_adapter_update_finish(adapter, res, &result, &error);
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
		ok = tender_adapter_stop_finish(adapter, res, &error);
		break;
	default:
		metrics = tender_adapter_get_metrics_finish(adapter, res, &error);
		ok = metrics != NULL;
		break;
	}
	if (!tender_http_request_resume(req))
		return;
	if (!ok) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_START) {
		tender_http_adapters_reply_status(req, adapter, "started");
	} else if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_STOP) {
		tender_http_adapters_reply_status(req, adapter, "stopped");
	} else if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
		/* seed 000: 200 applied, 409 unsupported, 400 not running */
		g_autoptr(JsonObject) obj = json_object_new();
		g_autoptr(JsonNode) node = NULL;
		guint status = result == TENDER_ADAPTER_UPDATE_APPLIED ? SOUP_STATUS_OK
			       : result == TENDER_ADAPTER_UPDATE_NOT_RUNNING
				   ? SOUP_STATUS_BAD_REQUEST
				   : SOUP_STATUS_CONFLICT;
		json_object_set_string_member(obj,
					      "result",
					      tender_adapter_update_result_to_string(result));
		node = json_node_init_object(json_node_alloc(), obj);
		tender_http_message_reply_json(req->msg, status, node);
	} else if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_PROMETHEUS) {
		tender_http_message_reply_text(
		    req->msg,
		    SOUP_STATUS_OK,
		    "text/plain; version=0.0.4; charset=utf-8",
		    tender_adapter_render_prometheus(tender_adapter_get_name(adapter), metrics));
	} else {
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), metrics);
		tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
	}
}

/**
 * tender_http_adapters_call:
 * @owned: (transfer full): a request tender_http_adapters_claim() claimed
 *
 * Answers with the instance's health, or has the instance start, update, stop or measure.
 */
void
tender_http_adapters_call(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	JsonObject *payload = NULL;
	TenderAdapter *adapter;

	adapter = tender_http_adapters_find(tender_http_server_get_adapters(req->self),
					    req->match.name,
					    &error);
	if (adapter == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_HEALTH) {
		g_autoptr(JsonObject) health = tender_adapter_get_health(adapter);
		g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), health);
		tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, node);
		return;
	}
	if (req->match.route == TENDER_HTTP_ROUTE_ADAPTER_START ||
	    req->match.route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
		body = tender_http_message_get_body(req->msg, &error);
		if (error != NULL) {
			tender_http_message_reply_gerror(req->msg, error);
			return;
		}
		if (body != NULL)
			payload = json_node_get_object(body);
		if (payload == NULL && req->match.route == TENDER_HTTP_ROUTE_ADAPTER_UPDATE) {
			tender_http_message_reply_error(req->msg,
							SOUP_STATUS_BAD_REQUEST,
							TENDER_ERROR_INVALID_ARGUMENT,
							"An update needs a JSON object");
			return;
		}
	}
	tender_http_request_pause(req);
	switch (req->match.route) {
	case TENDER_HTTP_ROUTE_ADAPTER_START:
		tender_adapter_start_async(adapter,
					   payload,
					   NULL,
					   tender_http_adapters_call_cb,
					   g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_UPDATE:
		tender_adapter_update_async(adapter,
					    payload,
					    NULL,
					    tender_http_adapters_call_cb,
					    g_steal_pointer(&req));
		break;
	case TENDER_HTTP_ROUTE_ADAPTER_STOP:
		tender_adapter_stop_async(adapter,
					  NULL,
					  tender_http_adapters_call_cb,
					  g_steal_pointer(&req));
		break;
	default:
		tender_adapter_get_metrics_async(adapter,
						 NULL,
						 tender_http_adapters_call_cb,
						 g_steal_pointer(&req));
		break;
	}
}
