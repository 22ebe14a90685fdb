/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-relics-private.h"
#include "tender-docker-tool-request.h"

/*
 * Recovering the relics (after a start of tenderd, and whenever dockerd's event stream is
 * back): the records of STATE_DIR/relics are read, and the containers labelled as relics
 * listed: a container with a record keeps it (its status from the container's state), one
 * without gets one again from its labels, and a record without a container is dropped.  A
 * relic whose health wait tenderd did not see end gets the rest of it; one that asks for
 * periodic health checks gets them again.
 */

/* --- recover --- */

/* a relic that a container tells of, without a record: its labels say enough */
static TenderDockerRelic *
tender_docker_relics_relic_from_container(JsonObject *container,
					  JsonObject *labels,
					  const gchar *id)
{
	g_autoptr(JsonObject) request = json_object_new();
	g_autoptr(GError) error = NULL;
	TenderDockerRelicRequest *parsed;
	const gchar *port =
	    json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_PORT, "0");
	const gchar *image = json_object_get_string_member_with_default(container, "Image", "");
	JsonNode *settings = json_object_get_member(container, "NetworkSettings");
	JsonNode *networks = NULL;
	gboolean private_network = FALSE;

	if (settings != NULL && JSON_NODE_HOLDS_OBJECT(settings))
		networks = json_object_get_member(json_node_get_object(settings), "Networks");
	if (networks != NULL && JSON_NODE_HOLDS_OBJECT(networks)) {
		g_autoptr(GList) names = json_object_get_members(json_node_get_object(networks));
		for (GList *l = names; l != NULL; l = l->next)
			private_network |=
			    g_str_has_prefix(l->data, TENDER_DOCKER_RELIC_NETWORK_PREFIX);
	}
	json_object_set_string_member(
	    request,
	    "relic_name",
	    json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_RELIC, ""));
	json_object_set_string_member(
	    request,
	    "session_id",
	    json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_SESSION, ""));
	json_object_set_string_member(request, "image", image);
	json_object_set_int_member(request, "port", g_ascii_strtoll(port, NULL, 10));
	json_object_set_boolean_member(request, "create_private_network", private_network);
	parsed = tender_docker_relic_request_new_from_json(request, &error);
	if (parsed == NULL) {
		g_warning("Ignoring relic container %s: %s", id, error->message);
		return NULL;
	}
	return tender_docker_relic_new(id, parsed);
}

/* one container labelled as a relic's; @seen gets the relic's id */
static void
tender_docker_relics_recover_container(TenderDockerRelics *self,
				       JsonObject *container,
				       GHashTable *seen)
{
	JsonNode *labels_node = json_object_get_member(container, "Labels");
	JsonObject *labels = labels_node != NULL && JSON_NODE_HOLDS_OBJECT(labels_node)
				 ? json_node_get_object(labels_node)
				 : NULL;
	const gchar *id =
	    labels != NULL
		? json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_ID, NULL)
		: NULL;
	const gchar *state = json_object_get_string_member_with_default(container, "State", "");
	g_autoptr(TenderDockerRelic) relic = NULL;
	TenderDockerRelicStatus status;
	gboolean created;

	if (!tender_docker_relic_check_id(id))
		return;
	g_hash_table_add(seen, g_strdup(id));
	relic = g_hash_table_lookup(self->relics, id);
	if (relic != NULL) {
		g_object_ref(relic);
	} else {
		relic = tender_docker_relics_relic_from_container(container, labels, id);
		if (relic == NULL)
			return;
		g_hash_table_insert(self->relics, g_strdup(id), g_object_ref(relic));
	}
	tender_docker_relic_set_container_id(relic,
					     json_object_get_string_member_with_default(container,
											"Id",
											NULL));
	status = tender_docker_relic_get_status(relic);
	created = status == TENDER_DOCKER_RELIC_STATUS_CREATED;
	if (g_strcmp0(state, "running") == 0 || g_strcmp0(state, "restarting") == 0) {
		if (status != TENDER_DOCKER_RELIC_STATUS_UNHEALTHY)
			status = TENDER_DOCKER_RELIC_STATUS_RUNNING;
	} else if (g_strcmp0(state, "created") == 0) {
		status = TENDER_DOCKER_RELIC_STATUS_CREATED;
	} else if (status != TENDER_DOCKER_RELIC_STATUS_STOPPED) {
		status = TENDER_DOCKER_RELIC_STATUS_EXITED;
	}
	tender_docker_relic_set_status(relic, status);
	tender_docker_relics_changed(self, relic);
	/* a health wait that tenderd did not see end: the rest of it */
	if (created && status == TENDER_DOCKER_RELIC_STATUS_RUNNING)
		tender_docker_relics_check(self,
					   relic,
					   tender_docker_relic_get_request(relic)
					       ->health_timeout_seconds);
	tender_docker_relics_monitor(self, relic);
}

static void
tender_docker_relics_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) relics = NULL;
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
	for (guint i = 0; i < json_array_get_length(containers); i++) {
		JsonNode *node = json_array_get_element(containers, i);
		if (JSON_NODE_HOLDS_OBJECT(node))
			tender_docker_relics_recover_container(self,
							       json_node_get_object(node),
							       seen);
	}
	/* a record whose container is gone: the relic is gone */
	relics = tender_docker_relics_list(self, NULL);
	for (guint i = 0; i < relics->len; i++) {
		TenderDockerRelic *relic = g_ptr_array_index(relics, i);
		if (!g_hash_table_contains(seen, tender_docker_relic_get_id(relic)) &&
		    tender_docker_relic_get_container_id(relic) != NULL)
			tender_docker_relics_forget(self, relic);
	}
	g_task_return_boolean(task, TRUE);
}

static void
tender_docker_relics_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *filters = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	records =
	    tender_docker_tool_store_load_finish(TENDER_DOCKER_TOOL_STORE(source), res, &error);
	if (records == NULL) {
		g_task_return_error(task, error);
		return;
	}
	for (guint i = 0; i < records->len; i++) {
		g_autoptr(GError) record_error = NULL;
		g_autoptr(TenderDockerRelic) relic =
		    tender_docker_relic_new_from_state(g_ptr_array_index(records, i),
						       &record_error);
		if (relic == NULL) {
			g_warning("Ignoring a relic's record: %s", record_error->message);
			continue;
		}
		if (!g_hash_table_contains(self->relics, tender_docker_relic_get_id(relic)))
			g_hash_table_insert(self->relics,
					    g_strdup(tender_docker_relic_get_id(relic)),
					    g_object_ref(relic));
	}
	filters = tender_docker_api_build_filters("label",
						  TENDER_DOCKER_LABEL_OWNER "=tender",
						  "label",
						  TENDER_DOCKER_LABEL_KIND "=relic",
						  NULL);
	path =
	    tender_docker_api_build_path("/containers/json", "all", "1", "filters", filters, NULL);
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_listed_cb,
					   g_steal_pointer(&task));
}

/**
 * tender_docker_relics_recover_async:
 * @self: a #TenderDockerRelics
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the relics are recovered
 * @user_data: for @callback
 *
 * Reads the records of the state dir and matches them with the relic containers dockerd has
 * (see above).
 */
void
tender_docker_relics_recover_async(TenderDockerRelics *self,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_docker_relics_recover_async);
	tender_docker_tool_store_load_async(self->store,
					    TENDER_DOCKER_RELICS_KEPT_MAX,
					    TENDER_DOCKER_TOOL_REQUEST_MAX,
					    cancellable,
					    tender_docker_relics_loaded_cb,
					    g_steal_pointer(&task));
}

gboolean
tender_docker_relics_recover_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
