/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-relic-health.h"
#include "tender-docker-relics-private.h"
#include "tender-docker-tool-request.h"

/*
 * TenderDockerRelics runs relics (issue 14 §3): long-lived service containers of a session.
 * Starting one: the image's exposed port if the request names none (GET /images/NAME/json),
 * the session's network tender-session-SESSION made if it is not there (labelled as
 * tender's; shared by the session's relics, and removed by cleanup, not when its last relic
 * goes), the container made and started (restart policy unless-stopped, the container's name
 * its alias on the network), then the health wait: GET http://IP:PORT/ENDPOINT on the
 * container's address on its network, every half second, until a 2xx answer (healthy, running)
 * or the timeout (not healthy, unhealthy: the container is kept, for inspection).
 *
 * The records are kept in STATE_DIR/relics/ID.json (written atomically, in threads, by a
 * TenderDockerToolStore); recover (tender-docker-relics-recover.c) reads them again.
 *
 * Between these, dockerd's events and the periodic health checks keep the relics' status
 * (tender-docker-relics-watch.c).
 */

enum { SIGNAL_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

G_DEFINE_TYPE(TenderDockerRelics, tender_docker_relics, G_TYPE_OBJECT)

static void
tender_docker_relics_dispose(GObject *object)
{
	TenderDockerRelics *self = TENDER_DOCKER_RELICS(object);

	g_cancellable_cancel(self->cancellable);
	if (self->event_id != 0) {
		g_signal_handler_disconnect(self->client, self->event_id);
		self->event_id = 0;
	}
	g_hash_table_remove_all(self->monitors);
	G_OBJECT_CLASS(tender_docker_relics_parent_class)->dispose(object);
}

static void
tender_docker_relics_finalize(GObject *object)
{
	TenderDockerRelics *self = TENDER_DOCKER_RELICS(object);

	g_clear_object(&self->client);
	g_clear_object(&self->store);
	g_clear_object(&self->cancellable);
	g_hash_table_unref(self->relics);
	g_hash_table_unref(self->stopping);
	g_hash_table_unref(self->monitors);
	G_OBJECT_CLASS(tender_docker_relics_parent_class)->finalize(object);
}

static void
tender_docker_relics_class_init(TenderDockerRelicsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = tender_docker_relics_dispose;
	object_class->finalize = tender_docker_relics_finalize;
	/**
	 * TenderDockerRelics::changed:
	 * @relics: the relics
	 * @relic: a relic whose status, health or container changed, or which was deleted
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       1,
					       TENDER_TYPE_DOCKER_RELIC);
}

static void
tender_docker_relics_init(TenderDockerRelics *self)
{
	self->relics = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->stopping = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->monitors = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       g_free,
					       tender_docker_relics_monitor_free);
	self->cancellable = g_cancellable_new();
}

/**
 * tender_docker_relics_new:
 * @client: the client, connected before recover is called; its events are followed
 * @state_dir: the plugin's state dir: the records go to STATE_DIR/relics
 *
 * Returns: (transfer full): the relics
 */
TenderDockerRelics *
tender_docker_relics_new(TenderDockerClient *client, const gchar *state_dir)
{
	TenderDockerRelics *self = g_object_new(TENDER_TYPE_DOCKER_RELICS, NULL);
	g_autofree gchar *dir = g_build_filename(state_dir, "relics", NULL);

	self->client = g_object_ref(client);
	self->store = tender_docker_tool_store_new_full(dir,
							TENDER_DOCKER_RELIC_ID_PREFIX,
							tender_docker_relic_check_id);
	self->event_id =
	    g_signal_connect(client, "event", G_CALLBACK(tender_docker_relics_event_cb), self);
	return self;
}

/* writes the relic's record (a failure is logged: the relic goes on) and tells of it */
static void
tender_docker_relics_saved_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!tender_docker_tool_store_save_finish(TENDER_DOCKER_TOOL_STORE(source), res, &error))
		g_warning("%s", error->message);
}

void
tender_docker_relics_changed(TenderDockerRelics *self, TenderDockerRelic *relic)
{
	g_autoptr(JsonObject) state = tender_docker_relic_to_state(relic);

	tender_docker_tool_store_save_async(self->store,
					    tender_docker_relic_get_id(relic),
					    state,
					    NULL,
					    tender_docker_relics_saved_cb,
					    NULL);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, relic);
}

void
tender_docker_relics_forget(TenderDockerRelics *self, TenderDockerRelic *relic)
{
	g_autoptr(TenderDockerRelic) kept = g_object_ref(relic);
	const gchar *id = tender_docker_relic_get_id(kept);

	g_hash_table_remove(self->monitors, id);
	if (!g_hash_table_remove(self->relics, id))
		return;
	tender_docker_tool_store_remove(self->store, id);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, kept);
}

static const gchar *
tender_docker_relics_get_string(JsonNode *node, const gchar *member)
{
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_object_get_string_member_with_default(json_node_get_object(node), member, NULL);
}

/* an object member of an object, or %NULL */
static JsonObject *
tender_docker_relics_get_object(JsonObject *obj, const gchar *member)
{
	JsonNode *node = obj != NULL ? json_object_get_member(obj, member) : NULL;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_node_get_object(node);
}

/**
 * tender_docker_relics_get_address:
 * @container: a container, as GET /containers/ID/json tells of it
 * @network: a network's name
 *
 * Returns: the container's address on the network, or %NULL if it has none (yet)
 */
const gchar *
tender_docker_relics_get_address(JsonNode *container, const gchar *network)
{
	JsonObject *obj =
	    JSON_NODE_HOLDS_OBJECT(container) ? json_node_get_object(container) : NULL;
	JsonObject *settings = tender_docker_relics_get_object(obj, "NetworkSettings");
	JsonObject *networks = tender_docker_relics_get_object(settings, "Networks");
	const gchar *address = NULL;

	if (networks != NULL)
		address = tender_docker_relics_get_string(json_object_get_member(networks, network),
							  "IPAddress");
	if (address == NULL || address[0] == '\0')
		return NULL;
	return address;
}

/* --- start --- */

typedef struct {
	TenderDockerRelicRequest *request; /* until the relic is made */
	TenderDockerRelic *relic;
	gboolean created_network; /* the network was asked for once already */
} TenderDockerRelicsStart;

static void
tender_docker_relics_start_free(TenderDockerRelicsStart *start)
{
	tender_docker_relic_request_free(start->request);
	g_clear_object(&start->relic);
	g_free(start);
}

static void
tender_docker_relics_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(GError) error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer == NULL && error != NULL)
		g_debug("cannot remove a relic's container: %s", error->message);
}

/* a start that failed: its container (if made) removed, its record dropped */
static void
tender_docker_relics_start_fail(GTask *task, GError *error)
{
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);

	if (start->relic != NULL) {
		const gchar *container_id = tender_docker_relic_get_container_id(start->relic);
		if (container_id != NULL) {
			g_autofree gchar *path =
			    g_strdup_printf("/containers/%s?force=1", container_id);
			tender_docker_client_request_async(self->client,
							   "DELETE",
							   path,
							   NULL,
							   NULL,
							   tender_docker_relics_removed_cb,
							   NULL);
		}
		tender_docker_relics_forget(self, start->relic);
	}
	g_task_return_error(task, error);
}

static void
tender_docker_relics_health_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	GError *error = NULL;
	gboolean healthy = tender_docker_relic_health_wait_finish(res, &error);

	if (error != NULL) {
		tender_docker_relics_start_fail(task, error);
		return;
	}
	/* a container that ended meanwhile (its events) stays so */
	if (tender_docker_relic_get_status(start->relic) == TENDER_DOCKER_RELIC_STATUS_CREATED) {
		tender_docker_relic_set_healthy(start->relic,
						healthy,
						healthy ? g_get_real_time() : 0);
		tender_docker_relic_set_status(start->relic,
					       healthy ? TENDER_DOCKER_RELIC_STATUS_RUNNING
						       : TENDER_DOCKER_RELIC_STATUS_UNHEALTHY);
		tender_docker_relics_changed(self, start->relic);
	}
	tender_docker_relics_monitor(self, start->relic);
	g_task_return_pointer(task, g_object_ref(start->relic), g_object_unref);
}

static void
tender_docker_relics_inspected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	TenderDockerRelicRequest *request = tender_docker_relic_get_request(start->relic);
	g_autofree gchar *uri = NULL;
	const gchar *network = tender_docker_relic_get_network_name(start->relic);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;
	const gchar *address;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer == NULL) {
		tender_docker_relics_start_fail(task, error);
		return;
	}
	address = tender_docker_relics_get_address(answer, network);
	if (address == NULL) {
		tender_docker_relics_start_fail(task,
						g_error_new(TENDER_ERROR,
							    TENDER_ERROR_FAILED,
							    "Relic %s has no address on %s",
							    tender_docker_relic_get_id(
								start->relic),
							    network));
		return;
	}
	tender_docker_relic_set_started_at(start->relic, g_get_real_time());
	tender_docker_relics_changed(self, start->relic);
	uri = g_strdup_printf("http://%s:%u%s", address, request->port, request->health_endpoint);
	tender_docker_relic_health_wait_async(uri,
					      request->health_timeout_seconds,
					      self->cancellable,
					      tender_docker_relics_health_cb,
					      g_steal_pointer(&task));
}

static void
tender_docker_relics_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (error != NULL) {
		tender_docker_relics_start_fail(task, error);
		return;
	}
	path = g_strdup_printf("/containers/%s/json",
			       tender_docker_relic_get_container_id(start->relic));
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_inspected_cb,
					   g_steal_pointer(&task));
}

static void
tender_docker_relics_created_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	const gchar *id;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer == NULL) {
		tender_docker_relics_start_fail(task, error);
		return;
	}
	id = tender_docker_relics_get_string(answer, "Id");
	if (id == NULL) {
		tender_docker_relics_start_fail(task,
						g_error_new_literal(TENDER_ERROR,
								    TENDER_ERROR_FAILED,
								    "dockerd made a container "
								    "without an id"));
		return;
	}
	tender_docker_relic_set_container_id(start->relic, id);
	tender_docker_relics_changed(self, start->relic);
	path = g_strdup_printf("/containers/%s/start", id);
	tender_docker_client_request_async(self->client,
					   "POST",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_started_cb,
					   g_steal_pointer(&task));
}

static void
tender_docker_relics_create(GTask *task, const gchar *network_id)
{
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autofree gchar *id = tender_docker_relic_new_id();
	g_autoptr(JsonNode) body = NULL;
	g_autofree gchar *path = NULL;
	TenderDockerRelicRequest *request = g_steal_pointer(&start->request);

	start->relic = tender_docker_relic_new(id, request);
	tender_docker_relic_set_network_id(start->relic, network_id);
	g_hash_table_insert(self->relics, g_strdup(id), g_object_ref(start->relic));
	tender_docker_relics_changed(self, start->relic);
	body = tender_docker_relic_request_build_create_body(request,
							     id,
							     tender_docker_relic_get_container_name(
								 start->relic));
	path = tender_docker_api_build_path("/containers/create",
					    "name",
					    tender_docker_relic_get_container_name(start->relic),
					    NULL);
	tender_docker_client_request_async(self->client,
					   "POST",
					   path,
					   body,
					   self->cancellable,
					   tender_docker_relics_created_cb,
					   task);
}

static void
tender_docker_relics_network(GTask *task);

static void
tender_docker_relics_network_made_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(GError) error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer != NULL && tender_docker_relics_get_string(answer, "Id") != NULL) {
		tender_docker_relics_create(task, tender_docker_relics_get_string(answer, "Id"));
		return;
	}
	/* another start made it first: look again */
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_ALREADY_EXISTS)) {
		tender_docker_relics_network(task);
		return;
	}
	tender_docker_relics_start_fail(task,
					error != NULL
					    ? g_steal_pointer(&error)
					    : g_error_new_literal(TENDER_ERROR,
								  TENDER_ERROR_FAILED,
								  "dockerd made a network "
								  "without an id"));
	g_object_unref(task);
}

static void
tender_docker_relics_network_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(JsonNode) body = NULL;
	GError *error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer != NULL) {
		tender_docker_relics_create(task, tender_docker_relics_get_string(answer, "Id"));
		return;
	}
	if (!g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND) ||
	    start->created_network) {
		tender_docker_relics_start_fail(task, error);
		g_object_unref(task);
		return;
	}
	g_error_free(error);
	start->created_network = TRUE;
	body = tender_docker_relic_request_build_network_body(start->request->session_id);
	tender_docker_client_request_async(self->client,
					   "POST",
					   "/networks/create",
					   body,
					   self->cancellable,
					   tender_docker_relics_network_made_cb,
					   task);
}

/* the session's network: found, or made */
static void
tender_docker_relics_network(GTask *task)
{
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autofree gchar *name = NULL;
	g_autofree gchar *path = NULL;

	if (!start->request->private_network) {
		tender_docker_relics_create(task, NULL);
		return;
	}
	name = tender_docker_relic_request_get_network_name(start->request);
	path = g_strdup_printf("/networks/%s", name);
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_network_cb,
					   task);
}

static void
tender_docker_relics_image_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerRelicsStart *start = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	if (answer != NULL && !JSON_NODE_HOLDS_OBJECT(answer))
		error = g_error_new_literal(TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "dockerd's image is not an object");
	if (error == NULL)
		(void)tender_docker_relic_request_port_from_image(json_node_get_object(answer),
								  &start->request->port,
								  &error);
	if (error != NULL) {
		tender_docker_relics_start_fail(task, error);
		g_object_unref(task);
		return;
	}
	tender_docker_relics_network(task);
}

/**
 * tender_docker_relics_start_async:
 * @self: a #TenderDockerRelics
 * @request: a relic's request (see tender_docker_relic_request_new_from_json())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the relic is healthy, or its health wait timed out
 * @user_data: for @callback
 *
 * Starts a relic (see above).
 */
void
tender_docker_relics_start_async(TenderDockerRelics *self,
				 JsonObject *request,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerRelicsStart *start = g_new0(TenderDockerRelicsStart, 1);
	g_autofree gchar *path = NULL;
	GError *error = NULL;

	g_task_set_source_tag(task, tender_docker_relics_start_async);
	g_task_set_task_data(task, start, (GDestroyNotify)tender_docker_relics_start_free);
	start->request = tender_docker_relic_request_new_from_json(request, &error);
	if (start->request == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (g_hash_table_size(self->relics) >= TENDER_DOCKER_RELICS_KEPT_MAX) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_LIMIT_REACHED,
					"tender keeps at most %d relics",
					TENDER_DOCKER_RELICS_KEPT_MAX);
		return;
	}
	if (start->request->port != 0) {
		tender_docker_relics_network(g_steal_pointer(&task));
		return;
	}
	path = g_strdup_printf("/images/%s/json", start->request->image);
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_image_cb,
					   g_steal_pointer(&task));
}

/**
 * tender_docker_relics_start_finish:
 * @self: a #TenderDockerRelics
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the relic (healthy or not), or %NULL: the request is not valid
 * (%TENDER_ERROR_INVALID_ARGUMENT, also when the image has no single port and none is named),
 * or dockerd refused (its container, if made, removed)
 */
TenderDockerRelic *
tender_docker_relics_start_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* --- get, list --- */

/**
 * tender_docker_relics_lookup:
 * @self: a #TenderDockerRelics
 * @id: a relic id
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the relic, or %NULL (%TENDER_ERROR_NOT_FOUND)
 */
TenderDockerRelic *
tender_docker_relics_lookup(TenderDockerRelics *self, const gchar *id, GError **error)
{
	TenderDockerRelic *relic;

	g_return_val_if_fail(TENDER_IS_DOCKER_RELICS(self), NULL);
	relic = id != NULL ? g_hash_table_lookup(self->relics, id) : NULL;
	if (relic == NULL) {
		g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "Relic not found: %s", id);
		return NULL;
	}
	return g_object_ref(relic);
}

static gint
tender_docker_relics_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(tender_docker_relic_get_id(*(TenderDockerRelic **)a),
			 tender_docker_relic_get_id(*(TenderDockerRelic **)b));
}

/**
 * tender_docker_relics_list:
 * @self: a #TenderDockerRelics
 * @session_id: (nullable): a session, or %NULL for all
 *
 * Returns: (transfer container) (element-type TenderDockerRelic): the relics (of the
 * session), by id
 */
GPtrArray *
tender_docker_relics_list(TenderDockerRelics *self, const gchar *session_id)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(g_object_unref);
	GHashTableIter iter;
	gpointer value;

	g_return_val_if_fail(TENDER_IS_DOCKER_RELICS(self), list);
	g_hash_table_iter_init(&iter, self->relics);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (session_id == NULL ||
		    g_strcmp0(tender_docker_relic_get_session_id(value), session_id) == 0)
			g_ptr_array_add(list, g_object_ref(value));
	}
	g_ptr_array_sort(list, tender_docker_relics_compare);
	return list;
}

/* --- stop, delete --- */

static void
tender_docker_relics_stopped_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelic *relic = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	g_hash_table_remove(self->stopping, tender_docker_relic_get_id(relic));
	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	tender_docker_relic_set_status(relic, TENDER_DOCKER_RELIC_STATUS_STOPPED);
	tender_docker_relics_changed(self, relic);
	g_task_return_pointer(task, g_object_ref(relic), g_object_unref);
}

/* the relic of @id with a container, or %NULL and the task answered */
static TenderDockerRelic *
tender_docker_relics_lookup_for(TenderDockerRelics *self, GTask *task, const gchar *id)
{
	GError *error = NULL;
	g_autoptr(TenderDockerRelic) relic = tender_docker_relics_lookup(self, id, &error);

	if (relic == NULL) {
		g_task_return_error(task, error);
		return NULL;
	}
	g_task_set_task_data(task, g_object_ref(relic), g_object_unref);
	return g_steal_pointer(&relic);
}

/**
 * tender_docker_relics_stop_async:
 * @self: a #TenderDockerRelics
 * @id: a relic id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once its container has stopped
 * @user_data: for @callback
 *
 * Stops a relic's container (POST /containers/ID/stop: SIGTERM, then SIGKILL after dockerd's
 * grace); its restart policy does not start it again.  The container is kept.
 */
void
tender_docker_relics_stop_async(TenderDockerRelics *self,
				const gchar *id,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(TenderDockerRelic) relic = NULL;
	g_autofree gchar *path = NULL;

	g_task_set_source_tag(task, tender_docker_relics_stop_async);
	relic = tender_docker_relics_lookup_for(self, task, id);
	if (relic == NULL)
		return;
	if (tender_docker_relic_get_container_id(relic) == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Relic %s has no container yet",
					id);
		return;
	}
	path = g_strdup_printf("/containers/%s/stop", tender_docker_relic_get_container_id(relic));
	g_hash_table_add(self->stopping, g_strdup(id));
	tender_docker_client_request_async(self->client,
					   "POST",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_stopped_cb,
					   g_steal_pointer(&task));
}

/**
 * tender_docker_relics_stop_finish:
 * @self: a #TenderDockerRelics
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the relic, stopped, or %NULL
 */
TenderDockerRelic *
tender_docker_relics_stop_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

static void
tender_docker_relics_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerRelics *self = g_task_get_source_object(task);
	TenderDockerRelic *relic = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	g_hash_table_remove(self->stopping, tender_docker_relic_get_id(relic));
	/* a container that is gone already is deleted */
	if (error != NULL && !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		g_task_return_error(task, error);
		return;
	}
	g_clear_error(&error);
	tender_docker_relic_set_status(relic, TENDER_DOCKER_RELIC_STATUS_EXITED);
	tender_docker_relics_forget(self, relic);
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_docker_relics_delete_async:
 * @self: a #TenderDockerRelics
 * @id: a relic id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once its container is removed
 * @user_data: for @callback
 *
 * Removes a relic's container, running or not (DELETE /containers/ID?force=1), and its
 * record.  Its session's network stays: cleanup removes it.
 */
void
tender_docker_relics_delete_async(TenderDockerRelics *self,
				  const gchar *id,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(TenderDockerRelic) relic = NULL;
	g_autofree gchar *path = NULL;

	g_task_set_source_tag(task, tender_docker_relics_delete_async);
	relic = tender_docker_relics_lookup_for(self, task, id);
	if (relic == NULL)
		return;
	if (tender_docker_relic_get_container_id(relic) == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Relic %s is being started",
					id);
		return;
	}
	path =
	    g_strdup_printf("/containers/%s?force=1", tender_docker_relic_get_container_id(relic));
	g_hash_table_add(self->stopping, g_strdup(id));
	tender_docker_client_request_async(self->client,
					   "DELETE",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_relics_deleted_cb,
					   g_steal_pointer(&task));
}

gboolean
tender_docker_relics_delete_finish(TenderDockerRelics *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
