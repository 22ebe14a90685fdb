/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-service-private.h"

/*
 * The relics' part of org.tender.Agent1.Docker: StartRelic, GetRelic, ListRelics, StopRelic,
 * DeleteRelic and RelicChanged; the routes below /v1/docker/relics and seed 002's
 * /containers/relic/....  What a relic is and does is TenderDockerRelics'; this only
 * translates.
 */

/* what RelicChanged says of a relic that is gone */
#define TENDER_DOCKER_RELIC_DELETED "deleted"

/* --- D-Bus: a{sv} in and out --- */

static GVariant *
tender_docker_service_relic_vardict(TenderDockerRelic *relic)
{
	g_autoptr(JsonObject) obj = tender_docker_relic_to_json(relic);
	return tender_json_object_to_vardict(obj);
}

/* answers a call with the relic of an engine's _finish(), or its error */
static void
tender_docker_service_return_relic(TenderCall *call, TenderDockerRelic *relic, GError *error)
{
	if (relic == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call,
				 g_variant_new("(@a{sv})",
					       tender_docker_service_relic_vardict(relic)));
}

static void
tender_docker_service_relic_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_start_finish(TENDER_DOCKER_RELICS(source), res, &error);

	tender_docker_service_return_relic(user_data, relic, error);
}

static void
tender_docker_service_start_relic(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
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
	tender_docker_relics_start_async(self->relics,
					 obj,
					 NULL,
					 tender_docker_service_relic_started_cb,
					 call);
}

static void
tender_docker_service_get_relic(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic = NULL;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	relic = tender_docker_relics_lookup(self->relics, id, &error);
	tender_docker_service_return_relic(call, relic, error);
}

static void
tender_docker_service_list_relics(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	g_autoptr(GPtrArray) relics = NULL;
	GVariantBuilder builder;
	const gchar *session = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &session);
	relics = tender_docker_relics_list(self->relics, session[0] != '\0' ? session : NULL);
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < relics->len; i++)
		g_variant_builder_add_value(&builder,
					    tender_docker_service_relic_vardict(
						g_ptr_array_index(relics, i)));
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
}

static void
tender_docker_service_relic_stopped_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_stop_finish(TENDER_DOCKER_RELICS(source), res, &error);

	tender_docker_service_return_relic(user_data, relic, error);
}

static void
tender_docker_service_stop_relic(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tender_docker_relics_stop_async(self->relics,
					id,
					NULL,
					tender_docker_service_relic_stopped_cb,
					call);
}

static void
tender_docker_service_relic_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_docker_relics_delete_finish(TENDER_DOCKER_RELICS(source), res, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	tender_call_return_value(call, NULL);
}

static void
tender_docker_service_delete_relic(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *id = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tender_docker_relics_delete_async(self->relics,
					  id,
					  NULL,
					  tender_docker_service_relic_deleted_cb,
					  call);
}

/* --- HTTP --- */

/* an error of the engine, answered: seed 002's answer a missing relic as Cortex does */
static void
tender_docker_http_relic_error(TenderDockerHttp *http, GError *error)
{
	g_autofree gchar *message = NULL;

	if (http->cortex && g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		message =
		    g_strdup_printf("Relic not found: %s", tender_docker_http_param(http, "id"));
		tender_docker_service_answer_detail(http->call, 404, message);
		return;
	}
	tender_call_return_error(http->call, error);
}

/* a relic in the route's rendering */
static JsonObject *
tender_docker_http_relic_json(TenderDockerHttp *http, TenderDockerRelic *relic)
{
	return http->cortex ? tender_docker_relic_to_cortex_json(relic)
			    : tender_docker_relic_to_json(relic);
}

static void
tender_docker_http_relic_get(TenderDockerHttp *http)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_lookup(http->self->relics,
					tender_docker_http_param(http, "id"),
					&error);
	g_autoptr(JsonObject) obj = NULL;

	if (relic == NULL) {
		tender_docker_http_relic_error(http, error);
		return;
	}
	obj = tender_docker_http_relic_json(http, relic);
	tender_docker_service_answer_object(http->call, 200, obj);
}

/* tender's {"relics": [...]}; seed 002's list of RelicInfo */
static void
tender_docker_http_relic_list(TenderDockerHttp *http)
{
	const gchar *session = tender_docker_http_param(http, "session_id");
	g_autoptr(GPtrArray) relics =
	    tender_docker_relics_list(http->self->relics,
				      session != NULL && session[0] != '\0' ? session : NULL);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_ARRAY);
	g_autoptr(JsonObject) obj = NULL;
	JsonArray *array = json_array_new();

	for (guint i = 0; i < relics->len; i++)
		json_array_add_object_element(
		    array,
		    tender_docker_http_relic_json(http, g_ptr_array_index(relics, i)));
	if (http->cortex) {
		json_node_take_array(node, array);
		tender_docker_service_answer(http->call, 200, node);
		return;
	}
	obj = json_object_new();
	json_object_set_array_member(obj, "relics", array);
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_relic_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_start_finish(TENDER_DOCKER_RELICS(source), res, &error);
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *message = NULL;

	if (relic != NULL) {
		obj = tender_docker_http_relic_json(http, relic);
		tender_docker_service_answer_object(http->call, http->cortex ? 200 : 201, obj);
		return;
	}
	if (!http->cortex) {
		tender_call_return_error(http->call, error);
		return;
	}
	/* as FastAPI: a request that is not valid is 422, dockerd away 503, the rest 500 */
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT)) {
		tender_docker_service_answer_detail(http->call, 422, error->message);
		return;
	}
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_UNAVAILABLE)) {
		tender_call_return_error(http->call, error);
		return;
	}
	message = g_strdup_printf("Failed to start relic: %s", error->message);
	tender_docker_service_answer_detail(http->call, 500, message);
}

static void
tender_docker_http_relic_start(TenderDockerHttp *owned)
{
	g_autoptr(TenderDockerHttp) http = owned;
	g_autoptr(JsonObject) request = NULL;
	g_autoptr(GError) error = NULL;
	TenderDockerRelics *relics = http->self->relics;

	if (!tender_docker_service_check_dockerd(http->self, &error)) {
		tender_call_return_error(http->call, error);
		return;
	}
	request = tender_docker_http_read_object(http);
	if (request == NULL)
		return;
	tender_docker_relics_start_async(relics,
					 request,
					 NULL,
					 tender_docker_http_relic_started_cb,
					 g_steal_pointer(&http));
}

static void
tender_docker_http_relic_stopped_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelic) relic =
	    tender_docker_relics_stop_finish(TENDER_DOCKER_RELICS(source), res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (relic == NULL) {
		tender_docker_http_relic_error(http, error);
		return;
	}
	if (!http->cortex) {
		obj = tender_docker_relic_to_json(relic);
	} else {
		obj = json_object_new();
		json_object_set_string_member(obj, "status", "stopped");
		json_object_set_string_member(obj, "relic_id", tender_docker_relic_get_id(relic));
	}
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_relic_stop(TenderDockerHttp *http)
{
	tender_docker_relics_stop_async(http->self->relics,
					tender_docker_http_param(http, "id"),
					NULL,
					tender_docker_http_relic_stopped_cb,
					http);
}

static void
tender_docker_http_relic_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = json_object_new();

	if (!tender_docker_relics_delete_finish(TENDER_DOCKER_RELICS(source), res, &error)) {
		tender_docker_http_relic_error(http, error);
		return;
	}
	json_object_set_string_member(obj, "status", TENDER_DOCKER_RELIC_DELETED);
	json_object_set_string_member(obj, "relic_id", tender_docker_http_param(http, "id"));
	tender_docker_service_answer_object(http->call, 200, obj);
}

static void
tender_docker_http_relic_delete(TenderDockerHttp *http)
{
	tender_docker_relics_delete_async(http->self->relics,
					  tender_docker_http_param(http, "id"),
					  NULL,
					  tender_docker_http_relic_deleted_cb,
					  http);
}

static void
tender_docker_http_relic_get_owned(TenderDockerHttp *http)
{
	tender_docker_http_done(http, tender_docker_http_relic_get);
}

static void
tender_docker_http_relic_list_owned(TenderDockerHttp *http)
{
	tender_docker_http_done(http, tender_docker_http_relic_list);
}

static const TenderDockerRoute tender_docker_relic_routes[] = {
    {"relic.start", TRUE, tender_docker_http_relic_start},
    {"relic.stop", TRUE, tender_docker_http_relic_stop},
    {"relic.delete", TRUE, tender_docker_http_relic_delete},
    {"relic.get", FALSE, tender_docker_http_relic_get_owned},
    {"relic.list", FALSE, tender_docker_http_relic_list_owned},
    {NULL, FALSE, NULL},
};

static const TenderPluginServiceMethod tender_docker_relic_methods[] = {
    {"StartRelic", TENDER_DOCKER_MANAGE, tender_docker_service_start_relic},
    {"GetRelic", TENDER_DOCKER_READ, tender_docker_service_get_relic},
    {"ListRelics", TENDER_DOCKER_READ, tender_docker_service_list_relics},
    {"StopRelic", TENDER_DOCKER_MANAGE, tender_docker_service_stop_relic},
    {"DeleteRelic", TENDER_DOCKER_MANAGE, tender_docker_service_delete_relic},
    {NULL, NULL, NULL},
};

/* tender's own REST paths below /v1/docker/ */
static const TenderPluginHttpAlias tender_docker_relic_aliases[] = {
    {.verb = "POST", .pattern = "/v1/docker/relics", .method = "HttpManage", .tag = "relic.start"},
    {.verb = "GET", .pattern = "/v1/docker/relics", .method = "HttpRead", .tag = "relic.list"},
    {.verb = "GET", .pattern = "/v1/docker/relics/{id}", .method = "HttpRead", .tag = "relic.get"},
    {.verb = "POST",
     .pattern = "/v1/docker/relics/{id}/stop",
     .method = "HttpManage",
     .tag = "relic.stop"},
    {.verb = "DELETE",
     .pattern = "/v1/docker/relics/{id}",
     .method = "HttpManage",
     .tag = "relic.delete"},
    {.verb = NULL},
};

/* seed 002's paths, bodies and answers, errors as FastAPI's */
static const TenderPluginHttpAlias tender_docker_relic_cortex_aliases[] = {
    {.verb = "POST",
     .pattern = "/containers/relic/start",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.relic.start"},
    {.verb = "GET",
     .pattern = "/containers/relic",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.relic.list"},
    {.verb = "GET",
     .pattern = "/containers/relic/{id}",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.relic.get"},
    {.verb = "POST",
     .pattern = "/containers/relic/{id}/stop",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.relic.stop"},
    {.verb = "DELETE",
     .pattern = "/containers/relic/{id}",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.relic.delete"},
    {.verb = NULL},
};

/* a relic changed: its status, or "deleted" once it is gone */
static void
tender_docker_service_relic_changed_cb(TenderDockerRelics *relics,
				       TenderDockerRelic *relic,
				       gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *id = tender_docker_relic_get_id(relic);
	g_autoptr(TenderDockerRelic) known = tender_docker_relics_lookup(relics, id, NULL);
	const gchar *status =
	    known != NULL
		? tender_docker_relic_status_to_string(tender_docker_relic_get_status(relic))
		: TENDER_DOCKER_RELIC_DELETED;

	/* told once per status: a record saved again with the same status is no change */
	if (g_strcmp0(g_hash_table_lookup(self->relic_status, id), status) == 0)
		return;
	if (known != NULL)
		g_hash_table_insert(self->relic_status, g_strdup(id), g_strdup(status));
	else
		g_hash_table_remove(self->relic_status, id);
	tender_docker_service_emit(self, "RelicChanged", g_variant_new("(ss)", id, status));
}

static void
tender_docker_service_relics_attach(TenderDockerService *self)
{
	tender_docker_service_connect(self,
				      self->relics,
				      "changed",
				      G_CALLBACK(tender_docker_service_relic_changed_cb));
}

const TenderDockerServicePart tender_docker_service_relics_part = {
    .methods = tender_docker_relic_methods,
    .routes = tender_docker_relic_routes,
    .aliases = tender_docker_relic_aliases,
    .cortex_aliases = tender_docker_relic_cortex_aliases,
    .attach = tender_docker_service_relics_attach,
};
