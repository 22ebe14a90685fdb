/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <signal.h>

#include "tender-error.h"
#include "tender-http-exec.h"
#include "tender-http-message.h"
#include "tender-http-server-private.h"
#include "tender-http-stream.h"
#include "tender-http-workloads.h"
#include "tender-options.h"
#include "tender-json.h"
#include "tender-prometheus.h"
#include "tender-spec.h"

/*
 * The workloads over HTTP, a mirror of the D-Bus Manager: each route calls the engine function
 * the D-Bus method calls, and turns the answer into JSON.  Also /api/health and the Prometheus
 * text of /metrics.
 */

/* a JSON object of options as the a{sv} the engine takes: strings, booleans, numbers */
static GVariant *
tender_http_workloads_options_from_json(JsonNode *node, GError **error)
{
	GVariantBuilder builder;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (node == NULL)
		return g_variant_ref_sink(g_variant_builder_end(&builder));
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_variant_builder_clear(&builder);
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'options' must be a JSON object");
		return NULL;
	}
	json_object_iter_init(&iter, json_node_get_object(node));
	while (json_object_iter_next(&iter, &key, &member)) {
		GType type = JSON_NODE_HOLDS_VALUE(member) ? json_node_get_value_type(member)
							   : G_TYPE_INVALID;
		GVariant *value = NULL;
		if (type == G_TYPE_STRING) {
			value = g_variant_new_string(json_node_get_string(member));
		} else if (type == G_TYPE_BOOLEAN) {
			value = g_variant_new_boolean(json_node_get_boolean(member));
		} else if (type == G_TYPE_INT64) {
			gint64 v = json_node_get_int(member);
			value = v >= 0 && v <= G_MAXUINT32 ? g_variant_new_uint32((guint32)v)
							   : g_variant_new_int64(v);
		} else if (type == G_TYPE_DOUBLE) {
			value = g_variant_new_double(json_node_get_double(member));
		} else {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' must be a string, a number or a boolean",
				    key);
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", key, value);
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/* answers with @value as JSON, or with @error if @value is %NULL */
static void
tender_http_workloads_reply_variant(TenderHttpRequest *req,
				    guint status,
				    GVariant *value,
				    const GError *error)
{
	g_autoptr(JsonNode) node = NULL;

	if (value == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	node = json_gvariant_serialize(value);
	tender_http_message_reply_json(req->msg, status, node);
}

/* answers with the JSON @b built */
static void
tender_http_workloads_reply_built(TenderHttpRequest *req, JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, root);
}

static void
tender_http_workloads_reply_workload(TenderHttpRequest *req, guint status)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) view = NULL;

	/* the view D-Bus gives (org.tender.Agent1.Workload's properties), as JSON */
	view = tender_engine_get_workload_properties(tender_http_server_get_engine(req->self),
						     req->match.name,
						     &error);
	tender_http_workloads_reply_variant(req, status, view, error);
}

/**
 * tender_http_workloads_get:
 * @req: GET /v1/workloads/NAME
 *
 * Answers with the workload.
 */
void
tender_http_workloads_get(TenderHttpRequest *req)
{
	tender_http_workloads_reply_workload(req, SOUP_STATUS_OK);
}

/**
 * tender_http_workloads_list:
 * @req: GET /v1/workloads
 *
 * Answers with the workloads, in short.
 */
void
tender_http_workloads_list(TenderHttpRequest *req)
{
	g_autoptr(GPtrArray) workloads =
	    tender_engine_get_workloads(tender_http_server_get_engine(req->self));
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_array(b);
	for (guint i = 0; i < workloads->len; i++) {
		TenderWorkload *w = g_ptr_array_index(workloads, i);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_workload_get_name(w));
		json_builder_set_member_name(b, "state");
		json_builder_add_string_value(b,
					      tender_state_to_string(tender_workload_get_state(w)));
		json_builder_set_member_name(b, "unit");
		json_builder_add_string_value(b, tender_workload_get_unit(w));
		json_builder_set_member_name(b, "object_path");
		json_builder_add_string_value(b, tender_workload_get_object_path(w));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	tender_http_workloads_reply_built(req, b);
}

/* CreateWorkload's (name, spec, options) from the body {"name", "spec", "options"} */
static GVariant *
tender_http_workloads_decode_create(TenderHttpRequest *req, GError **error)
{
	g_autoptr(JsonNode) body = tender_http_message_get_body(req->msg, error);
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(GVariant) options = NULL;
	JsonObject *obj;
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *member;

	if (body == NULL) {
		if (error != NULL && *error == NULL)
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "The request body must be {\"name\": ..., \"spec\": "
					    "{...}}");
		return NULL;
	}
	obj = json_node_get_object(body);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &key, &member)) {
		if (g_strcmp0(key, "name") != 0 && g_strcmp0(key, "spec") != 0 &&
		    g_strcmp0(key, "options") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown key '%s'",
				    key);
			return NULL;
		}
	}
	if (!json_object_has_member(obj, "name") ||
	    json_node_get_value_type(json_object_get_member(obj, "name")) != G_TYPE_STRING) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'name' must be a string");
		return NULL;
	}
	spec = tender_spec_variant_from_json(json_object_get_member(obj, "spec"), error);
	if (spec == NULL)
		return NULL;
	options =
	    tender_http_workloads_options_from_json(json_object_get_member(obj, "options"), error);
	if (options == NULL)
		return NULL;
	return g_variant_ref_sink(g_variant_new("(s@a{sv}@a{sv})",
						json_object_get_string_member(obj, "name"),
						spec,
						options));
}

/* ImportWorkload's (document, options) from the body and the query ?name= */
static GVariant *
tender_http_workloads_decode_import(TenderHttpRequest *req, GError **error)
{
	g_autoptr(GBytes) bytes =
	    soup_message_body_flatten(soup_server_message_get_request_body(req->msg));
	g_autofree gchar *json = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_autoptr(GVariant) options =
	    tender_options_from_text("ImportWorkload", req->query, NULL, error);

	if (options == NULL)
		return NULL;
	return g_variant_ref_sink(g_variant_new("(s@a{sv})", json, options));
}

/**
 * tender_http_workloads_decode:
 * @req: a request whose body is read
 * @method: the Manager method its route calls
 *
 * Decodes what CreateWorkload, ImportWorkload and ExecWorkload bring into the arguments the
 * Manager takes for them (req->params), or keeps why that failed (req->params_error, answered
 * once the call is authorized, as a D-Bus call is authorized before its arguments are
 * checked).
 *
 * Returns: (nullable): the arguments, owned by @req; %NULL for other methods and on error
 */
GVariant *
tender_http_workloads_decode(TenderHttpRequest *req, const gchar *method)
{
	g_clear_pointer(&req->params, g_variant_unref);
	g_clear_error(&req->params_error);
	if (g_strcmp0(method, "CreateWorkload") == 0)
		req->params = tender_http_workloads_decode_create(req, &req->params_error);
	else if (g_strcmp0(method, "ImportWorkload") == 0)
		req->params = tender_http_workloads_decode_import(req, &req->params_error);
	else if (g_strcmp0(method, "ExecWorkload") == 0)
		req->params = tender_http_exec_decode(req, &req->params_error);
	return req->params;
}

/* the workload an import or a create made, and its answer */
static void
tender_http_workloads_reply_created(TenderHttpRequest *req, TenderWorkload *w, GError *error)
{
	if (w == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	g_free(req->match.name);
	req->match.name = g_strdup(tender_workload_get_name(w));
	tender_http_workloads_reply_workload(req, SOUP_STATUS_CREATED);
}

/* whether tender_http_workloads_decode() gave arguments; if not, answers why */
static gboolean
tender_http_workloads_check_params(TenderHttpRequest *req)
{
	if (req->params != NULL)
		return TRUE;
	tender_http_message_reply_gerror(req->msg, req->params_error);
	return FALSE;
}

/**
 * tender_http_workloads_create:
 * @req: POST /v1/workloads, decoded by tender_http_workloads_decode()
 *
 * Creates the workload {"name", "spec", "options"} and answers with it.
 */
void
tender_http_workloads_create(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(GVariant) options = NULL;
	const gchar *name = NULL;
	TenderWorkload *w;

	if (!tender_http_workloads_check_params(req))
		return;
	g_variant_get(req->params, "(&s@a{sv}@a{sv})", &name, &spec, &options);
	w = tender_engine_create_workload(tender_http_server_get_engine(req->self),
					  name,
					  spec,
					  options,
					  &error);
	tender_http_workloads_reply_created(req, w, error);
}

/**
 * tender_http_workloads_import:
 * @req: POST /v1/workloads/import, decoded by tender_http_workloads_decode()
 *
 * Imports the workload an export gave, and answers with it.
 */
void
tender_http_workloads_import(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) options = NULL;
	const gchar *json = NULL;
	TenderWorkload *w;

	if (!tender_http_workloads_check_params(req))
		return;
	g_variant_get(req->params, "(&s@a{sv})", &json, &options);
	w = tender_engine_import_workload(tender_http_server_get_engine(req->self),
					  json,
					  options,
					  &error);
	tender_http_workloads_reply_created(req, w, error);
}

/**
 * tender_http_workloads_export:
 * @req: GET /v1/workloads/NAME/export
 *
 * Answers with the workload as an import takes it.
 */
void
tender_http_workloads_export(TenderHttpRequest *req)
{
	g_autoptr(GError) error = NULL;
	gchar *json = tender_engine_export_workload(tender_http_server_get_engine(req->self),
						    req->match.name,
						    &error);

	if (json == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	tender_http_message_reply_text(req->msg, SOUP_STATUS_OK, "application/json", json);
}

static void
tender_http_workloads_metrics_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) metrics =
	    tender_engine_get_metrics_finish(TENDER_ENGINE(source), res, &error);

	if (!tender_http_request_resume(req))
		return;
	tender_http_workloads_reply_variant(req, SOUP_STATUS_OK, metrics, error);
}

/**
 * tender_http_workloads_metrics:
 * @req: (transfer full): GET /v1/workloads/NAME/metrics
 *
 * Answers with the workload's metrics, read in a worker thread.
 */
void
tender_http_workloads_metrics(TenderHttpRequest *req)
{
	TenderEngine *engine = tender_http_server_get_engine(req->self);
	const gchar *name = req->match.name;

	tender_http_request_pause(req);
	tender_engine_get_metrics_async(engine, name, NULL, tender_http_workloads_metrics_cb, req);
}

/* the requests that share a reading of every workload's metrics wait together for its
 * exposition, rendered once in a worker thread; they all come in the main-loop iteration
 * that ends the reading, so only the last reading's can still be joined */
typedef struct {
	GHashTable *metrics;
	GPtrArray *waiters; /* of TenderHttpRequest */
} TenderHttpWorkloadsExposition;

static TenderHttpWorkloadsExposition *tender_http_workloads_exposition;

static void
tender_http_workloads_rendered_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpWorkloadsExposition *exposition = user_data;
	g_autoptr(GBytes) text = tender_prometheus_render_finish(res);

	if (tender_http_workloads_exposition == exposition)
		tender_http_workloads_exposition = NULL;
	for (guint i = 0; i < exposition->waiters->len; i++) {
		TenderHttpRequest *req = g_ptr_array_index(exposition->waiters, i);
		if (!tender_http_request_resume(req))
			continue;
		tender_http_message_reply_bytes(req->msg,
						SOUP_STATUS_OK,
						"text/plain; version=0.0.4; charset=utf-8",
						text);
	}
	g_clear_pointer(&exposition->metrics, g_hash_table_unref);
	g_ptr_array_unref(exposition->waiters);
	g_free(exposition);
}

static void
tender_http_workloads_prometheus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpRequest *req = user_data;
	g_autoptr(GHashTable) metrics =
	    tender_engine_get_all_metrics_finish(TENDER_ENGINE(source), res, NULL);
	TenderHttpWorkloadsExposition *exposition = tender_http_workloads_exposition;

	if (exposition == NULL || metrics == NULL || exposition->metrics != metrics) {
		exposition = g_new0(TenderHttpWorkloadsExposition, 1);
		exposition->metrics = metrics != NULL ? g_hash_table_ref(metrics) : NULL;
		exposition->waiters =
		    g_ptr_array_new_with_free_func((GDestroyNotify)tender_http_request_free);
		tender_prometheus_render_async(TENDER_ENGINE(source),
					       metrics,
					       tender_http_workloads_rendered_cb,
					       exposition);
		if (metrics != NULL)
			tender_http_workloads_exposition = exposition;
	}
	g_ptr_array_add(exposition->waiters, req);
}

/**
 * tender_http_workloads_prometheus:
 * @req: (transfer full): GET /metrics or /v1/metrics
 *
 * Answers with the metrics of every workload and of tenderd, in Prometheus' text format; the
 * cgroup files are read in a worker thread.
 */
void
tender_http_workloads_prometheus(TenderHttpRequest *req)
{
	tender_http_request_pause(req);
	tender_engine_get_metrics_async(tender_http_server_get_engine(req->self),
					NULL,
					NULL,
					tender_http_workloads_prometheus_cb,
					req);
}

/**
 * tender_http_workloads_health:
 * @req: GET /api/health
 *
 * Answers that tenderd is there, with its version and how many workloads it has.
 */
void
tender_http_workloads_health(TenderHttpRequest *req)
{
	g_autoptr(GPtrArray) workloads =
	    tender_engine_get_workloads(tender_http_server_get_engine(req->self));
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "ok");
	json_builder_set_member_name(b, "version");
	json_builder_add_string_value(b, PACKAGE_VERSION);
	json_builder_set_member_name(b, "workloads");
	json_builder_add_int_value(b, workloads->len);
	json_builder_end_object(b);
	tender_http_workloads_reply_built(req, b);
}

static void
tender_http_workloads_action_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	g_autoptr(GError) error = NULL;
	gboolean ok = req->finish(TENDER_ENGINE(source), res, &error);

	if (!tender_http_request_resume(req))
		return;
	if (!ok) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	if (req->match.route == TENDER_HTTP_ROUTE_REMOVE) {
		soup_server_message_set_status(req->msg, SOUP_STATUS_NO_CONTENT, NULL);
		return;
	}
	tender_http_workloads_reply_workload(req, SOUP_STATUS_OK);
}

/* the engine's asynchronous call for each route of tender_http_workloads_action() but kill,
 * with its options or without; the last is also the default */
typedef struct {
	TenderHttpRoute route;
	void (*call_with_options)(TenderEngine *self,
				  const gchar *name,
				  GVariant *options,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data);
	void (*call)(TenderEngine *self,
		     const gchar *name,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data);
	TenderEngineFinishFunc finish;
} TenderHttpWorkloadsAction;

static const TenderHttpWorkloadsAction tender_http_workloads_actions[] = {
    {TENDER_HTTP_ROUTE_START,
     tender_engine_start_workload_async,
     NULL,
     tender_engine_start_workload_finish},
    {TENDER_HTTP_ROUTE_STOP,
     tender_engine_stop_workload_async,
     NULL,
     tender_engine_stop_workload_finish},
    {TENDER_HTTP_ROUTE_REMOVE,
     tender_engine_remove_workload_async,
     NULL,
     tender_engine_remove_workload_finish},
    {TENDER_HTTP_ROUTE_PAUSE,
     NULL,
     tender_engine_pause_workload_async,
     tender_engine_pause_workload_finish},
    {TENDER_HTTP_ROUTE_RESUME,
     NULL,
     tender_engine_resume_workload_async,
     tender_engine_resume_workload_finish},
};

/**
 * tender_http_workloads_action:
 * @owned: (transfer full): POST /v1/workloads/NAME/{start,stop,kill,pause,resume} or
 *   DELETE /v1/workloads/NAME
 *
 * Has the engine act on the workload, and answers with the workload (or 204 for a removal).
 */
void
tender_http_workloads_action(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderEngine *engine = tender_http_server_get_engine(req->self);
	const gchar *name = req->match.name;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(GVariant) options = NULL;
	const TenderHttpWorkloadsAction *action = NULL;

	if (req->match.route == TENDER_HTTP_ROUTE_REMOVE) {
		options = tender_options_from_text("RemoveWorkload", req->query, NULL, &error);
	} else {
		body = tender_http_message_get_body(req->msg, &error);
		if (error == NULL && req->match.route == TENDER_HTTP_ROUTE_KILL) {
			gint64 signo = SIGTERM;
			JsonObject *obj = body != NULL ? json_node_get_object(body) : NULL;
			if (obj != NULL && json_object_has_member(obj, "signal")) {
				if (json_node_get_value_type(
					json_object_get_member(obj, "signal")) != G_TYPE_INT64) {
					tender_http_message_reply_error(
					    req->msg,
					    SOUP_STATUS_BAD_REQUEST,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "'signal' must be a number");
					return;
				}
				signo = json_object_get_int_member(obj, "signal");
				json_object_remove_member(obj, "signal");
			}
			if (obj != NULL && json_object_get_size(obj) > 0) {
				tender_http_message_reply_error(req->msg,
								SOUP_STATUS_BAD_REQUEST,
								TENDER_ERROR_INVALID_ARGUMENT,
								"The only key of kill is 'signal'");
				return;
			}
			if (signo < G_MININT32 || signo > G_MAXINT32)
				signo = -1;
			if (!tender_engine_kill_workload(engine,
							 req->match.name,
							 (gint)signo,
							 &error)) {
				tender_http_message_reply_gerror(req->msg, error);
				return;
			}
			tender_http_workloads_reply_workload(req, SOUP_STATUS_OK);
			return;
		}
		if (error == NULL &&
		    (req->match.route == TENDER_HTTP_ROUTE_PAUSE ||
		     req->match.route == TENDER_HTTP_ROUTE_RESUME) &&
		    body != NULL && json_object_get_size(json_node_get_object(body)) > 0) {
			tender_http_message_reply_error(req->msg,
							SOUP_STATUS_BAD_REQUEST,
							TENDER_ERROR_INVALID_ARGUMENT,
							"Pause and resume take no options");
			return;
		}
		if (error == NULL)
			options = tender_http_workloads_options_from_json(body, &error);
	}
	if (error != NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_workloads_actions); i++) {
		action = &tender_http_workloads_actions[i];
		if (action->route == req->match.route)
			break;
	}
	tender_http_request_pause(req);
	req->finish = action->finish;
	if (action->call_with_options != NULL)
		action->call_with_options(engine,
					  name,
					  options,
					  NULL,
					  tender_http_workloads_action_cb,
					  g_steal_pointer(&req));
	else
		action->call(engine,
			     name,
			     NULL,
			     tender_http_workloads_action_cb,
			     g_steal_pointer(&req));
}

static void
tender_http_workloads_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data);

/**
 * tender_http_workloads_logs:
 * @owned: (transfer full): GET /v1/workloads/NAME/logs
 *
 * Answers with the workload's log lines, or follows them with ?follow=1.
 */
void
tender_http_workloads_logs(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderEngine *engine = tender_http_server_get_engine(req->self);
	const gchar *name = req->match.name;
	g_autoptr(GError) error = NULL;
	const gchar *const ignored[] = {"follow", NULL};
	const gchar *follow = tender_http_request_get_query(req, "follow");
	g_autoptr(GVariant) options =
	    tender_options_from_text("GetLogs", req->query, ignored, &error);
	TenderHttpStream *stream;
	gint fd = -1;

	if (options == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	if (follow != NULL && g_strcmp0(follow, "0") != 0 && g_strcmp0(follow, "1") != 0 &&
	    g_strcmp0(follow, "true") != 0 && g_strcmp0(follow, "false") != 0) {
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_BAD_REQUEST,
						TENDER_ERROR_INVALID_ARGUMENT,
						"Query parameter 'follow' must be 1, 0, true or "
						"false");
		return;
	}
	if (follow == NULL || follow[0] == '0' || follow[0] == 'f') {
		tender_http_request_pause(req);
		tender_engine_get_logs_async(engine,
					     name,
					     options,
					     NULL,
					     tender_http_workloads_logs_cb,
					     g_steal_pointer(&req));
		return;
	}
	if (!tender_engine_follow_logs(engine, name, options, &fd, &error)) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	stream = tender_http_stream_new(req->msg, "application/x-ndjson");
	tender_http_stream_read_from(stream, g_unix_input_stream_new(fd, TRUE));
	tender_http_stream_release(stream);
}

static void
tender_http_workloads_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderHttpRequest) req = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) entries =
	    tender_engine_get_logs_finish(TENDER_ENGINE(source), res, &error);

	if (!tender_http_request_resume(req))
		return;
	tender_http_workloads_reply_variant(req, SOUP_STATUS_OK, entries, error);
}
