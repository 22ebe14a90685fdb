/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-stats-query.h"

/*
 * The stats of tender's containers (issue 14 §4): all that carry org.tender.owner=tender
 * (tools, relics and workloads, running or not), or one: by a tool's or relic's id, or by a
 * container's name or id, if tender made it.  For each, its inspect (labels, state, times)
 * and its stats with stream=false and without one-shot, so that dockerd samples twice and the
 * CPU use is over the second between; at most TENDER_DOCKER_STATS_CONCURRENT containers at
 * once.
 */

typedef struct {
	TenderDockerClient *client;
	gchar *id;		  /* asked for, or NULL for all */
	GPtrArray *container_ids; /* what to read, in order */
	GPtrArray *results;	  /* TenderDockerStats or NULL, by the index of container_ids */
	guint next;
	guint running;
	GError *error; /* of the one asked for */
} TenderDockerStatsQuery;

static void
tender_docker_stats_query_free(TenderDockerStatsQuery *query)
{
	g_object_unref(query->client);
	g_free(query->id);
	g_ptr_array_unref(query->container_ids);
	g_ptr_array_unref(query->results);
	g_clear_error(&query->error);
	g_free(query);
}

/* one container read */
typedef struct {
	GTask *task;
	guint index;
	JsonObject *inspect;
} TenderDockerStatsItem;

static void
tender_docker_stats_item_free(TenderDockerStatsItem *item)
{
	g_object_unref(item->task);
	if (item->inspect != NULL)
		json_object_unref(item->inspect);
	g_free(item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerStatsItem, tender_docker_stats_item_free)

static gint
tender_docker_stats_query_compare(gconstpointer a, gconstpointer b)
{
	const TenderDockerStats *stats_a = *(TenderDockerStats *const *)a;
	const TenderDockerStats *stats_b = *(TenderDockerStats *const *)b;

	return g_strcmp0(stats_a->name, stats_b->name);
}

static void
tender_docker_stats_query_pump(GTask *task);

/* the item is done: @stats (or none) is its result; @error an error of it */
static void
tender_docker_stats_item_done(TenderDockerStatsItem *item,
			      TenderDockerStats *stats,
			      const GError *error)
{
	TenderDockerStatsQuery *query = g_task_get_task_data(item->task);
	const gchar *container_id = g_ptr_array_index(query->container_ids, item->index);

	query->running--;
	if (stats != NULL)
		g_ptr_array_index(query->results, item->index) = stats;
	if (error != NULL && query->id != NULL && query->error == NULL)
		query->error = g_error_copy(error);
	else if (error != NULL)
		g_debug("No stats of container %s: %s", container_id, error->message);
	tender_docker_stats_query_pump(item->task);
}

static void
tender_docker_stats_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerStatsItem) item = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	JsonObject *stats =
	    answer != NULL && JSON_NODE_HOLDS_OBJECT(answer) ? json_node_get_object(answer) : NULL;

	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		tender_docker_stats_item_done(item, NULL, error);
		return;
	}
	/* a container that has ended between inspect and stats: its figures are 0 */
	if (error != NULL)
		g_debug("No stats of a container: %s", error->message);
	tender_docker_stats_item_done(item, tender_docker_stats_new(item->inspect, stats), NULL);
}

static void
tender_docker_stats_inspected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderDockerStatsItem) item = user_data;
	TenderDockerStatsQuery *query = g_task_get_task_data(item->task);
	const gchar *asked = g_ptr_array_index(query->container_ids, item->index);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *path = NULL;
	GCancellable *cancellable;

	if (error == NULL && (answer == NULL || !JSON_NODE_HOLDS_OBJECT(answer)))
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "dockerd's inspect of container %s is not an object",
			    asked);
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		g_clear_error(&error);
		g_set_error(&error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No container %s", asked);
	}
	if (error == NULL && !tender_docker_stats_is_owned(json_node_get_object(answer)))
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No container %s of tender's (only those tender made are shown)",
			    asked);
	if (error != NULL) {
		tender_docker_stats_item_done(item, NULL, error);
		return;
	}
	item->inspect = json_object_ref(json_node_get_object(answer));
	escaped = tender_docker_api_escape(
	    json_object_get_string_member_with_default(item->inspect, "Id", asked));
	path = g_strdup_printf("/containers/%s/stats?stream=false", escaped);
	cancellable = g_task_get_cancellable(item->task);
	tender_docker_client_request_async(query->client,
					   "GET",
					   path,
					   NULL,
					   cancellable,
					   tender_docker_stats_read_cb,
					   g_steal_pointer(&item));
}

/* starts reading containers while there is room; returns once all are read */
static void
tender_docker_stats_query_pump(GTask *task)
{
	TenderDockerStatsQuery *query = g_task_get_task_data(task);
	g_autoptr(GPtrArray) stats = NULL;

	while (query->running < TENDER_DOCKER_STATS_CONCURRENT &&
	       query->next < query->container_ids->len) {
		TenderDockerStatsItem *item = g_new0(TenderDockerStatsItem, 1);
		g_autofree gchar *escaped =
		    tender_docker_api_escape(g_ptr_array_index(query->container_ids, query->next));
		g_autofree gchar *path = g_strdup_printf("/containers/%s/json", escaped);

		item->task = g_object_ref(task);
		item->index = query->next++;
		query->running++;
		tender_docker_client_request_async(query->client,
						   "GET",
						   path,
						   NULL,
						   g_task_get_cancellable(task),
						   tender_docker_stats_inspected_cb,
						   item);
	}
	if (query->running > 0 || query->next < query->container_ids->len)
		return;
	if (query->error != NULL) {
		g_task_return_error(task, g_steal_pointer(&query->error));
		g_object_unref(task);
		return;
	}
	stats = g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_stats_free);
	for (guint i = 0; i < query->results->len; i++) {
		TenderDockerStats *one = g_ptr_array_index(query->results, i);
		if (one != NULL) {
			g_ptr_array_add(stats, one);
			g_ptr_array_index(query->results, i) = NULL;
		}
	}
	g_ptr_array_sort(stats, tender_docker_stats_query_compare);
	g_task_return_pointer(task, g_steal_pointer(&stats), (GDestroyNotify)g_ptr_array_unref);
	/* the task's own reference, taken when the reading began */
	g_object_unref(task);
}

static void
tender_docker_stats_query_start(GTask *task)
{
	TenderDockerStatsQuery *query = g_task_get_task_data(task);

	g_ptr_array_set_size(query->results, query->container_ids->len);
	tender_docker_stats_query_pump(g_object_ref(task));
}

static void
tender_docker_stats_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerStatsQuery *query = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;
	JsonArray *containers;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	containers =
	    answer != NULL ? tender_docker_api_get_array(answer, "containers", &error) : NULL;
	if (containers == NULL) {
		g_task_return_error(task, error);
		return;
	}
	for (guint i = 0; i < json_array_get_length(containers) &&
			  query->container_ids->len < TENDER_DOCKER_STATS_MAX;
	     i++) {
		JsonNode *node = json_array_get_element(containers, i);
		const gchar *id =
		    JSON_NODE_HOLDS_OBJECT(node)
			? json_object_get_string_member_with_default(json_node_get_object(node),
								     "Id",
								     NULL)
			: NULL;
		if (id != NULL)
			g_ptr_array_add(query->container_ids, g_strdup(id));
	}
	tender_docker_stats_query_start(task);
}

/* the container of @id: a tool's or a relic's, or @id itself (a name or id); %NULL if none */
static gchar *
tender_docker_stats_query_resolve(TenderDockerTools *tools,
				  TenderDockerRelics *relics,
				  const gchar *id,
				  GError **error)
{
	const gchar *container_id = NULL;
	g_autoptr(TenderDockerTool) tool = NULL;
	g_autoptr(TenderDockerRelic) relic = NULL;

	if (tender_docker_tool_check_id(id)) {
		tool = tender_docker_tools_lookup(tools, id, error);
		if (tool == NULL)
			return NULL;
		container_id = tender_docker_tool_get_container_id(tool);
	} else if (tender_docker_relic_check_id(id)) {
		relic = tender_docker_relics_lookup(relics, id, error);
		if (relic == NULL)
			return NULL;
		container_id = tender_docker_relic_get_container_id(relic);
	} else if (tender_docker_api_check_name(id, TENDER_DOCKER_STATS_ID_MAX)) {
		return g_strdup(id);
	} else {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' is no tool or relic id, container name or container id",
			    id);
		return NULL;
	}
	if (container_id == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "%s has no container", id);
		return NULL;
	}
	return g_strdup(container_id);
}

/**
 * tender_docker_stats_query_async:
 * @client: the connection to dockerd
 * @tools: the tool runs, whose ids are looked up
 * @relics: the relics, likewise
 * @id: (nullable): a tool's or relic's id, a container's name or id; %NULL for all of tender's
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once every container is read
 * @user_data: for @callback
 *
 * Reads the figures of tender's containers, or of one.
 */
void
tender_docker_stats_query_async(TenderDockerClient *client,
				TenderDockerTools *tools,
				TenderDockerRelics *relics,
				const gchar *id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(client, cancellable, callback, user_data);
	TenderDockerStatsQuery *query = g_new0(TenderDockerStatsQuery, 1);
	g_autofree gchar *filters = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_task_set_source_tag(task, tender_docker_stats_query_async);
	query->client = g_object_ref(client);
	query->id = g_strdup(id);
	query->container_ids = g_ptr_array_new_with_free_func(g_free);
	query->results = g_ptr_array_new_with_free_func((GDestroyNotify)tender_docker_stats_free);
	g_task_set_task_data(task, query, (GDestroyNotify)tender_docker_stats_query_free);
	if (id != NULL) {
		gchar *container_id = tender_docker_stats_query_resolve(tools, relics, id, &error);
		if (container_id == NULL) {
			g_task_return_error(task, error);
			return;
		}
		g_ptr_array_add(query->container_ids, container_id);
		tender_docker_stats_query_start(task);
		return;
	}
	filters =
	    tender_docker_api_build_filters("label", TENDER_DOCKER_LABEL_OWNER "=tender", NULL);
	path =
	    tender_docker_api_build_path("/containers/json", "all", "1", "filters", filters, NULL);
	tender_docker_client_request_async(client,
					   "GET",
					   path,
					   NULL,
					   cancellable,
					   tender_docker_stats_listed_cb,
					   g_steal_pointer(&task));
}

/**
 * tender_docker_stats_query_finish:
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full) (element-type TenderDockerStats): the figures, by the containers'
 *   names; %NULL if dockerd did not answer, or if the container asked for is not tender's
 *   or is not there (%TENDER_ERROR_NOT_FOUND), or its id is not one
 *   (%TENDER_ERROR_INVALID_ARGUMENT)
 */
GPtrArray *
tender_docker_stats_query_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(G_IS_TASK(res), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
