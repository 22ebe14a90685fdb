/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-cleanup-job.h"
#include "tender-docker-service-private.h"
#include "tender-docker-stats-query.h"
#include "tender-docker-tool-request.h"

/*
 * The stats' and cleanups' part of org.tender.Agent1.Docker: GetStats, CleanupSession and
 * CleanupNetworks; the routes /v1/docker/stats[/{id}] and /v1/docker/cleanup/{session,networks}
 * and seed 002's /containers/stats[/{id}] and /containers/cleanup/{session,all-networks}.
 * What they read and remove is TenderDockerStatsQuery's and TenderDockerCleanupJob's.
 */

/* the members of a cleanup request */
static const gchar *const tender_docker_cleanup_members[] = {"session_id", "force", NULL};

/* --- D-Bus --- */

/* dockerd is needed: while it is away, Unavailable; %FALSE when answered */
static gboolean
tender_docker_service_stats_ready(TenderDockerService *self, TenderCall *call)
{
	g_autoptr(GError) error = NULL;

	if (tender_docker_service_check_dockerd(self, &error))
		return TRUE;
	tender_call_return_error(call, error);
	return FALSE;
}

static void
tender_docker_service_stats_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) stats = tender_docker_stats_query_finish(res, &error);
	GVariantBuilder builder;

	if (stats == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < stats->len; i++) {
		g_autoptr(JsonObject) obj =
		    tender_docker_stats_to_json(g_ptr_array_index(stats, i));
		g_variant_builder_add_value(&builder, tender_json_object_to_vardict(obj));
	}
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
}

static void
tender_docker_service_get_stats(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *id = NULL;

	if (!tender_docker_service_stats_ready(self, call))
		return;
	g_variant_get(tender_call_get_parameters(call), "(&s)", &id);
	tender_docker_stats_query_async(self->client,
					self->tools,
					self->relics,
					id[0] != '\0' ? id : NULL,
					NULL,
					tender_docker_service_stats_cb,
					call);
}

static void
tender_docker_service_cleaned_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderCall *call = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerCleanup) cleanup = tender_docker_cleanup_job_finish(res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (cleanup == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	obj = tender_docker_cleanup_to_json(cleanup);
	tender_call_return_value(call,
				 g_variant_new("(@a{sv})", tender_json_object_to_vardict(obj)));
}

static void
tender_docker_service_cleanup_session(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;
	const gchar *session = NULL;
	gboolean force = FALSE;

	if (!tender_docker_service_stats_ready(self, call))
		return;
	g_variant_get(tender_call_get_parameters(call), "(&sb)", &session, &force);
	tender_docker_cleanup_job_session_async(self->client,
						self->tools,
						self->relics,
						session,
						force,
						NULL,
						tender_docker_service_cleaned_cb,
						call);
}

static void
tender_docker_service_cleanup_networks(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderDockerService *self = user_data;

	if (!tender_docker_service_stats_ready(self, call))
		return;
	tender_docker_cleanup_job_networks_async(self->client,
						 NULL,
						 tender_docker_service_cleaned_cb,
						 call);
}

/* --- HTTP --- */

/* dockerd is needed: while it is away, Unavailable (503); %FALSE when answered */
static gboolean
tender_docker_http_check_dockerd(TenderDockerHttp *http)
{
	return tender_docker_service_stats_ready(http->self, http->call);
}

static void
tender_docker_http_stats_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	const gchar *id = tender_docker_http_param(http, "id");
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) stats = tender_docker_stats_query_finish(res, &error);
	g_autoptr(JsonNode) node = NULL;
	JsonArray *array;

	if (stats == NULL && http->cortex && id != NULL) {
		g_autofree gchar *message =
		    g_strdup_printf("Container not found or no stats available: %s", id);
		tender_docker_service_answer_detail(http->call, 404, message);
		return;
	}
	if (stats == NULL) {
		tender_call_return_error(http->call, error);
		return;
	}
	if (id != NULL) {
		g_autoptr(JsonObject) obj =
		    http->cortex ? tender_docker_stats_to_cortex_json(g_ptr_array_index(stats, 0))
				 : tender_docker_stats_to_json(g_ptr_array_index(stats, 0));
		tender_docker_service_answer_object(http->call, 200, obj);
		return;
	}
	array = json_array_sized_new(stats->len);
	for (guint i = 0; i < stats->len; i++) {
		TenderDockerStats *one = g_ptr_array_index(stats, i);
		json_array_add_object_element(array,
					      http->cortex ? tender_docker_stats_to_cortex_json(one)
							   : tender_docker_stats_to_json(one));
	}
	/* seed 002's is a list; tender's an object, as its other lists */
	if (http->cortex) {
		node = json_node_init_array(json_node_alloc(), array);
		json_array_unref(array);
		tender_docker_service_answer(http->call, 200, node);
		return;
	}
	node = json_node_init_object(json_node_alloc(), json_object_new());
	json_object_set_array_member(json_node_get_object(node), "containers", array);
	json_object_unref(json_node_get_object(node));
	tender_docker_service_answer(http->call, 200, node);
}

static void
tender_docker_http_stats(TenderDockerHttp *owned)
{
	g_autoptr(TenderDockerHttp) http = owned;
	TenderDockerService *self = http->self;
	const gchar *id = tender_docker_http_param(http, "id");

	if (!tender_docker_http_check_dockerd(http))
		return;
	/* the arguments are read before the call is handed on */
	tender_docker_stats_query_async(self->client,
					self->tools,
					self->relics,
					id,
					NULL,
					tender_docker_http_stats_cb,
					g_steal_pointer(&http));
}

static void
tender_docker_http_cleaned_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerHttp) http = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerCleanup) cleanup = tender_docker_cleanup_job_finish(res, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (cleanup == NULL && http->cortex &&
	    g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT)) {
		tender_docker_service_answer_detail(http->call, 422, error->message);
		return;
	}
	if (cleanup == NULL) {
		tender_call_return_error(http->call, error);
		return;
	}
	obj = http->cortex ? tender_docker_cleanup_to_cortex_json(cleanup)
			   : tender_docker_cleanup_to_json(cleanup);
	tender_docker_service_answer_object(http->call, 200, obj);
}

/* a cleanup request: session_id (required), force (default false); nothing else */
static gboolean
tender_docker_http_read_cleanup(JsonObject *request,
				const gchar **session,
				gboolean *force,
				GError **error)
{
	g_autoptr(GList) names = json_object_get_members(request);
	JsonNode *node = tender_docker_tool_request_member(request, "force");

	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(tender_docker_cleanup_members, l->data)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s' is not one of a cleanup request's (session_id, "
				    "force)",
				    (const gchar *)l->data);
			return FALSE;
		}
	}
	if (!tender_docker_tool_request_string(request, "session_id", TRUE, session, error))
		return FALSE;
	if (node != NULL &&
	    (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member 'force' must be a boolean");
		return FALSE;
	}
	*force = node != NULL && json_node_get_boolean(node);
	return TRUE;
}

static void
tender_docker_http_cleanup_session(TenderDockerHttp *owned)
{
	g_autoptr(TenderDockerHttp) http = owned;
	TenderDockerService *self = http->self;
	g_autoptr(JsonObject) request = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *session = NULL;
	gboolean force = FALSE;

	if (!tender_docker_http_check_dockerd(http))
		return;
	request = tender_docker_http_read_object(http);
	if (request == NULL)
		return;
	if (!tender_docker_http_read_cleanup(request, &session, &force, &error)) {
		if (http->cortex)
			tender_docker_service_answer_detail(http->call, 422, error->message);
		else
			tender_call_return_error(http->call, error);
		return;
	}
	tender_docker_cleanup_job_session_async(self->client,
						self->tools,
						self->relics,
						session,
						force,
						NULL,
						tender_docker_http_cleaned_cb,
						g_steal_pointer(&http));
}

static void
tender_docker_http_cleanup_networks(TenderDockerHttp *owned)
{
	g_autoptr(TenderDockerHttp) http = owned;
	TenderDockerClient *client = http->self->client;

	if (!tender_docker_http_check_dockerd(http))
		return;
	tender_docker_cleanup_job_networks_async(client,
						 NULL,
						 tender_docker_http_cleaned_cb,
						 g_steal_pointer(&http));
}

static const TenderDockerRoute tender_docker_stats_routes[] = {
    {"stats.list", FALSE, tender_docker_http_stats},
    {"stats.get", FALSE, tender_docker_http_stats},
    {"cleanup.session", TRUE, tender_docker_http_cleanup_session},
    {"cleanup.networks", TRUE, tender_docker_http_cleanup_networks},
    {NULL, FALSE, NULL},
};

static const TenderPluginServiceMethod tender_docker_stats_methods[] = {
    {"GetStats", TENDER_DOCKER_READ, tender_docker_service_get_stats},
    {"CleanupSession", TENDER_DOCKER_MANAGE, tender_docker_service_cleanup_session},
    {"CleanupNetworks", TENDER_DOCKER_MANAGE, tender_docker_service_cleanup_networks},
    {NULL, NULL, NULL},
};

/* tender's own REST paths below /v1/docker/ */
static const TenderPluginHttpAlias tender_docker_stats_aliases[] = {
    {.verb = "GET", .pattern = "/v1/docker/stats", .method = "HttpRead", .tag = "stats.list"},
    {.verb = "GET", .pattern = "/v1/docker/stats/{id}", .method = "HttpRead", .tag = "stats.get"},
    {.verb = "POST",
     .pattern = "/v1/docker/cleanup/session",
     .method = "HttpManage",
     .tag = "cleanup.session"},
    {.verb = "POST",
     .pattern = "/v1/docker/cleanup/networks",
     .method = "HttpManage",
     .tag = "cleanup.networks"},
    {.verb = NULL},
};

/* seed 002's paths, bodies and answers, errors as FastAPI's */
static const TenderPluginHttpAlias tender_docker_stats_cortex_aliases[] = {
    {.verb = "GET",
     .pattern = "/containers/stats",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.stats.list"},
    {.verb = "GET",
     .pattern = "/containers/stats/{id}",
     .method = "HttpRead",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.stats.get"},
    {.verb = "POST",
     .pattern = "/containers/cleanup/session",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.cleanup.session"},
    {.verb = "POST",
     .pattern = "/containers/cleanup/all-networks",
     .method = "HttpManage",
     .flags = TENDER_DOCKER_CORTEX,
     .tag = "cortex.cleanup.networks"},
    {.verb = NULL},
};

const TenderDockerServicePart tender_docker_service_stats_part = {
    .methods = tender_docker_stats_methods,
    .routes = tender_docker_stats_routes,
    .aliases = tender_docker_stats_aliases,
    .cortex_aliases = tender_docker_stats_cortex_aliases,
    .attach = NULL,
};
