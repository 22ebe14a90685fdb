/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-cleanup-job.h"
#include "tender-docker-relic-request.h"
#include "tender-docker-tool-request.h"

/*
 * Cleanups (issue 14 §4), one step at a time.
 *
 * A session's: first the containers dockerd has with the labels org.tender.owner=tender and
 * org.tender.session=SESSION; then the session's tool runs (those that run or wait are
 * cancelled with force, else left; a container kept is removed; the result is forgotten), its
 * relics (deleted through the relics engine: container and record; one that runs is left
 * without force), the containers of the session that neither knows of (removed, unless they
 * run and there is no force), and last its network tender-session-SESSION, if it is tender's
 * and no container uses it.  As seed 002 does with force false, what runs is left and said in
 * errors; the cleanup itself succeeds.
 *
 * Networks: those with the label org.tender.owner=tender that no container (running or not)
 * is connected to are removed.
 *
 * Nothing is touched that does not carry tender's owner label: a container only if it is in
 * the labelled list (or the relics engine's own), a network only if its labels say so.
 */

typedef enum {
	TENDER_DOCKER_CLEANUP_STEP_TOOL_CANCEL,
	TENDER_DOCKER_CLEANUP_STEP_TOOL_FORGET,
	TENDER_DOCKER_CLEANUP_STEP_RELIC_DELETE,
	TENDER_DOCKER_CLEANUP_STEP_CONTAINER_DELETE,
	TENDER_DOCKER_CLEANUP_STEP_SESSION_NETWORK,
	TENDER_DOCKER_CLEANUP_STEP_NETWORK,
} TenderDockerCleanupStepKind;

typedef struct {
	TenderDockerCleanupStepKind kind;
	gchar *id;	     /* the tool's or relic's id, or the network's name */
	gchar *container_id; /* the container's id, or the network's */
} TenderDockerCleanupStep;

typedef struct {
	TenderDockerClient *client;
	TenderDockerTools *tools;
	TenderDockerRelics *relics;
	TenderDockerCleanup *result;
	GHashTable *containers; /* id → JsonObject: the session's, labelled as tender's */
	GQueue steps;
	TenderDockerCleanupStep *step; /* the one under way */
} TenderDockerCleanupJob;

static void
tender_docker_cleanup_step_free(TenderDockerCleanupStep *step)
{
	g_free(step->id);
	g_free(step->container_id);
	g_free(step);
}

static void
tender_docker_cleanup_job_free(TenderDockerCleanupJob *job)
{
	g_object_unref(job->client);
	g_clear_object(&job->tools);
	g_clear_object(&job->relics);
	tender_docker_cleanup_free(job->result);
	g_hash_table_unref(job->containers);
	g_queue_clear_full(&job->steps, (GDestroyNotify)tender_docker_cleanup_step_free);
	g_clear_pointer(&job->step, tender_docker_cleanup_step_free);
	g_free(job);
}

static void
tender_docker_cleanup_job_add(TenderDockerCleanupJob *job,
			      TenderDockerCleanupStepKind kind,
			      const gchar *id,
			      const gchar *container_id)
{
	TenderDockerCleanupStep *step = g_new0(TenderDockerCleanupStep, 1);

	step->kind = kind;
	step->id = g_strdup(id);
	step->container_id = g_strdup(container_id);
	g_queue_push_tail(&job->steps, step);
}

static void
tender_docker_cleanup_job_run_step(GTask *task);

/* the step under way is done: the next, or the answer */
static void
tender_docker_cleanup_job_next(GTask *task)
{
	TenderDockerCleanupJob *job = g_task_get_task_data(task);

	g_clear_pointer(&job->step, tender_docker_cleanup_step_free);
	job->step = g_queue_pop_head(&job->steps);
	if (job->step != NULL) {
		tender_docker_cleanup_job_run_step(task);
		return;
	}
	g_task_return_pointer(task,
			      g_steal_pointer(&job->result),
			      (GDestroyNotify)tender_docker_cleanup_free);
	g_object_unref(task);
}

/* dockerd's answer to a step's request; %FALSE (and the error said) if it failed, but for
 * NotFound, which is %TRUE with *@gone set */
static gboolean
tender_docker_cleanup_job_answer(GTask *task,
				 GAsyncResult *res,
				 const gchar *what,
				 JsonNode **answer,
				 gboolean *gone)
{
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = tender_docker_client_request_finish(job->client, res, &error);

	*gone = g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	if (error != NULL && !*gone) {
		tender_docker_cleanup_add_error(job->result, "%s: %s", what, error->message);
		return FALSE;
	}
	if (answer != NULL)
		*answer = g_steal_pointer(&node);
	return TRUE;
}

static void
tender_docker_cleanup_job_request(GTask *task,
				  const gchar *method,
				  const gchar *path,
				  GAsyncReadyCallback callback)
{
	TenderDockerCleanupJob *job = g_task_get_task_data(task);

	tender_docker_client_request_async(job->client,
					   method,
					   path,
					   NULL,
					   g_task_get_cancellable(task),
					   callback,
					   task);
}

/* DELETE of a container of the session's list (a tender's one) */
static void
tender_docker_cleanup_job_delete_container(GTask *task,
					   const gchar *container_id,
					   GAsyncReadyCallback callback)
{
	g_autofree gchar *escaped = tender_docker_api_escape(container_id);
	g_autofree gchar *base = g_strdup_printf("/containers/%s", escaped);
	g_autofree gchar *path = tender_docker_api_build_path(base, "force", "1", "v", "1", NULL);

	tender_docker_cleanup_job_request(task, "DELETE", path, callback);
}

/* --- tools --- */

static void
tender_docker_cleanup_job_forget_tool(GTask *task)
{
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!tender_docker_tools_forget(job->tools, job->step->id, &error))
		tender_docker_cleanup_add_error(job->result,
						"Cannot forget tool run %s: %s",
						job->step->id,
						error->message);
	else
		g_ptr_array_add(job->result->tools, g_strdup(job->step->id));
	tender_docker_cleanup_job_next(task);
}

static void
tender_docker_cleanup_job_tool_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autofree gchar *what =
	    g_strdup_printf("Cannot remove the container of tool run %s", job->step->id);
	gboolean gone = FALSE;

	if (!tender_docker_cleanup_job_answer(task, res, what, NULL, &gone)) {
		tender_docker_cleanup_job_next(task);
		return;
	}
	/* there when the cleanup began: gone now, if not by this DELETE then by the cancel */
	g_ptr_array_add(job->result->containers, g_strdup(job->step->container_id));
	tender_docker_cleanup_job_forget_tool(task);
}

static void
tender_docker_cleanup_job_tool_cancelled_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	/* InvalidState: it ended by itself meanwhile */
	if (!tender_docker_tools_cancel_finish(job->tools, res, &error) &&
	    !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE)) {
		tender_docker_cleanup_add_error(job->result,
						"Cannot cancel tool run %s: %s",
						job->step->id,
						error->message);
		tender_docker_cleanup_job_next(task);
		return;
	}
	job->step->kind = TENDER_DOCKER_CLEANUP_STEP_TOOL_FORGET;
	tender_docker_cleanup_job_run_step(task);
}

/* --- relics, other containers --- */

static void
tender_docker_cleanup_job_relic_deleted_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	const gchar *container_id = job->step->container_id;
	g_autoptr(GError) error = NULL;

	if (!tender_docker_relics_delete_finish(job->relics, res, &error)) {
		tender_docker_cleanup_add_error(job->result,
						"Cannot remove relic %s: %s",
						job->step->id,
						error->message);
	} else {
		g_ptr_array_add(job->result->relics, g_strdup(job->step->id));
		if (container_id != NULL && g_hash_table_contains(job->containers, container_id))
			g_ptr_array_add(job->result->containers, g_strdup(container_id));
	}
	tender_docker_cleanup_job_next(task);
}

/* a container or a network removed (or gone already) */
static void
tender_docker_cleanup_job_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	gboolean network = job->step->kind == TENDER_DOCKER_CLEANUP_STEP_NETWORK;
	g_autofree gchar *what = g_strdup_printf("Cannot remove %s %s",
						 network ? "network" : "container",
						 job->step->id);
	gboolean gone = FALSE;

	if (tender_docker_cleanup_job_answer(task, res, what, NULL, &gone) && !gone)
		g_ptr_array_add(network ? job->result->networks : job->result->containers,
				g_strdup(network ? job->step->id : job->step->container_id));
	tender_docker_cleanup_job_next(task);
}

/* --- networks --- */

/* the containers connected to the network, running or not: none, and it goes */
static void
tender_docker_cleanup_job_network_users_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autofree gchar *what =
	    g_strdup_printf("Cannot list the containers of network %s", job->step->id);
	g_autofree gchar *escaped = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(GError) error = NULL;
	JsonArray *users;
	gboolean gone = FALSE;

	if (!tender_docker_cleanup_job_answer(task, res, what, &answer, &gone)) {
		tender_docker_cleanup_job_next(task);
		return;
	}
	users = tender_docker_api_get_array(answer, "containers", &error);
	if (users == NULL) {
		tender_docker_cleanup_add_error(job->result, "%s: %s", what, error->message);
		tender_docker_cleanup_job_next(task);
		return;
	}
	if (json_array_get_length(users) > 0) {
		g_ptr_array_add(job->result->left, g_strdup(job->step->id));
		tender_docker_cleanup_job_next(task);
		return;
	}
	escaped = tender_docker_api_escape(job->step->container_id);
	path = g_strdup_printf("/networks/%s", escaped);
	tender_docker_cleanup_job_request(task,
					  "DELETE",
					  path,
					  tender_docker_cleanup_job_removed_cb);
}

static const gchar *
tender_docker_cleanup_job_label(JsonObject *obj, const gchar *label)
{
	JsonNode *labels = json_object_get_member(obj, "Labels");

	if (labels == NULL || !JSON_NODE_HOLDS_OBJECT(labels))
		return NULL;
	return json_object_get_string_member_with_default(json_node_get_object(labels),
							  label,
							  NULL);
}

/* the session's network, as dockerd tells of it: removed if it is tender's, of the session */
static void
tender_docker_cleanup_job_session_network_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autofree gchar *what = g_strdup_printf("Cannot inspect network %s", job->step->id);
	g_autoptr(JsonNode) answer = NULL;
	JsonObject *network;
	gboolean gone = FALSE;

	if (!tender_docker_cleanup_job_answer(task, res, what, &answer, &gone) || gone ||
	    !JSON_NODE_HOLDS_OBJECT(answer)) {
		tender_docker_cleanup_job_next(task);
		return;
	}
	network = json_node_get_object(answer);
	if (g_strcmp0(tender_docker_cleanup_job_label(network, TENDER_DOCKER_LABEL_OWNER),
		      "tender") != 0 ||
	    g_strcmp0(tender_docker_cleanup_job_label(network, TENDER_DOCKER_LABEL_SESSION),
		      job->result->session_id) != 0) {
		tender_docker_cleanup_add_error(job->result,
						"Network %s is not tender's: left alone",
						job->step->id);
		tender_docker_cleanup_job_next(task);
		return;
	}
	job->step->kind = TENDER_DOCKER_CLEANUP_STEP_NETWORK;
	g_free(job->step->container_id);
	job->step->container_id =
	    g_strdup(json_object_get_string_member_with_default(network, "Id", job->step->id));
	tender_docker_cleanup_job_run_step(task);
}

static void
tender_docker_cleanup_job_run_step(GTask *task)
{
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	TenderDockerCleanupStep *step = job->step;
	g_autofree gchar *filters = NULL;
	g_autofree gchar *path = NULL;

	switch (step->kind) {
	case TENDER_DOCKER_CLEANUP_STEP_TOOL_CANCEL:
		tender_docker_tools_cancel_async(job->tools,
						 step->id,
						 g_task_get_cancellable(task),
						 tender_docker_cleanup_job_tool_cancelled_cb,
						 task);
		return;
	case TENDER_DOCKER_CLEANUP_STEP_TOOL_FORGET:
		/* its container, if it is still there (kept, or not removed yet) */
		if (step->container_id != NULL &&
		    g_hash_table_contains(job->containers, step->container_id)) {
			tender_docker_cleanup_job_delete_container(
			    task,
			    step->container_id,
			    tender_docker_cleanup_job_tool_removed_cb);
			return;
		}
		tender_docker_cleanup_job_forget_tool(task);
		return;
	case TENDER_DOCKER_CLEANUP_STEP_RELIC_DELETE:
		tender_docker_relics_delete_async(job->relics,
						  step->id,
						  g_task_get_cancellable(task),
						  tender_docker_cleanup_job_relic_deleted_cb,
						  task);
		return;
	case TENDER_DOCKER_CLEANUP_STEP_CONTAINER_DELETE:
		tender_docker_cleanup_job_delete_container(task,
							   step->container_id,
							   tender_docker_cleanup_job_removed_cb);
		return;
	case TENDER_DOCKER_CLEANUP_STEP_SESSION_NETWORK:
		path = g_strdup_printf("/networks/%s", step->id);
		tender_docker_cleanup_job_request(task,
						  "GET",
						  path,
						  tender_docker_cleanup_job_session_network_cb);
		return;
	case TENDER_DOCKER_CLEANUP_STEP_NETWORK:
	default:
		/* by name too: a container made but never started has no network id yet */
		filters = tender_docker_api_build_filters("network",
							  step->container_id,
							  "network",
							  step->id,
							  NULL);
		path = tender_docker_api_build_path("/containers/json",
						    "all",
						    "1",
						    "filters",
						    filters,
						    NULL);
		tender_docker_cleanup_job_request(task,
						  "GET",
						  path,
						  tender_docker_cleanup_job_network_users_cb);
		return;
	}
}

/* --- the plan of a session's cleanup --- */

static gboolean
tender_docker_cleanup_job_state_runs(const gchar *state)
{
	return g_strv_contains((const gchar *const[]){"running", "restarting", "paused", NULL},
			       state);
}

/* something that runs: removed with force, else left and said */
static gboolean
tender_docker_cleanup_job_leave(TenderDockerCleanupJob *job, const gchar *what, const gchar *id)
{
	if (job->result->force)
		return FALSE;
	g_ptr_array_add(job->result->left, g_strdup(id));
	tender_docker_cleanup_add_error(job->result, "%s %s runs: left (force stops it)", what, id);
	return TRUE;
}

static void
tender_docker_cleanup_job_plan_tools(TenderDockerCleanupJob *job, GHashTable *known)
{
	g_autoptr(GPtrArray) tools = tender_docker_tools_list(job->tools, job->result->session_id);

	for (guint i = 0; i < tools->len; i++) {
		TenderDockerTool *tool = g_ptr_array_index(tools, i);
		const gchar *id = tender_docker_tool_get_id(tool);
		const gchar *container_id = tender_docker_tool_get_container_id(tool);
		gboolean ended =
		    tender_docker_tool_status_is_final(tender_docker_tool_get_status(tool));

		if (container_id != NULL)
			g_hash_table_add(known, g_strdup(container_id));
		if (!ended && tender_docker_cleanup_job_leave(job, "Tool run", id))
			continue;
		tender_docker_cleanup_job_add(job,
					      ended ? TENDER_DOCKER_CLEANUP_STEP_TOOL_FORGET
						    : TENDER_DOCKER_CLEANUP_STEP_TOOL_CANCEL,
					      id,
					      container_id);
	}
}

static void
tender_docker_cleanup_job_plan_relics(TenderDockerCleanupJob *job, GHashTable *known)
{
	g_autoptr(GPtrArray) relics =
	    tender_docker_relics_list(job->relics, job->result->session_id);

	for (guint i = 0; i < relics->len; i++) {
		TenderDockerRelic *relic = g_ptr_array_index(relics, i);
		const gchar *id = tender_docker_relic_get_id(relic);
		const gchar *container_id = tender_docker_relic_get_container_id(relic);
		JsonObject *container = container_id != NULL
					    ? g_hash_table_lookup(job->containers, container_id)
					    : NULL;
		gboolean runs;

		if (container_id != NULL)
			g_hash_table_add(known, g_strdup(container_id));
		/* dockerd knows best; a relic without a container is being started */
		if (container != NULL)
			runs = tender_docker_cleanup_job_state_runs(
			    json_object_get_string_member_with_default(container, "State", ""));
		else
			runs = container_id == NULL;
		if (runs && tender_docker_cleanup_job_leave(job, "Relic", id))
			continue;
		tender_docker_cleanup_job_add(job,
					      TENDER_DOCKER_CLEANUP_STEP_RELIC_DELETE,
					      id,
					      container_id);
	}
}

/* the session's containers that neither engine knows of (their records lost) */
static void
tender_docker_cleanup_job_plan_others(TenderDockerCleanupJob *job, GHashTable *known)
{
	GHashTableIter iter;
	gpointer key = NULL;
	gpointer value = NULL;

	g_hash_table_iter_init(&iter, job->containers);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		const gchar *state = json_object_get_string_member_with_default(value, "State", "");
		const gchar *name = tender_docker_cleanup_job_label(value, TENDER_DOCKER_LABEL_ID);

		if (g_hash_table_contains(known, key))
			continue;
		if (tender_docker_cleanup_job_state_runs(state) &&
		    tender_docker_cleanup_job_leave(job, "Container", key))
			continue;
		tender_docker_cleanup_job_add(job,
					      TENDER_DOCKER_CLEANUP_STEP_CONTAINER_DELETE,
					      name != NULL ? name : key,
					      key);
	}
}

static void
tender_docker_cleanup_job_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autoptr(GHashTable) known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *network = NULL;
	GError *error = NULL;
	JsonArray *containers;

	answer = tender_docker_client_request_finish(job->client, res, &error);
	containers =
	    answer != NULL ? tender_docker_api_get_array(answer, "containers", &error) : NULL;
	if (containers == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	for (guint i = 0; i < json_array_get_length(containers); i++) {
		JsonNode *node = json_array_get_element(containers, i);
		JsonObject *container =
		    JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		const gchar *id =
		    container != NULL
			? json_object_get_string_member_with_default(container, "Id", NULL)
			: NULL;
		/* the filter said so; and again, as nothing else is touched */
		if (id != NULL &&
		    g_strcmp0(tender_docker_cleanup_job_label(container, TENDER_DOCKER_LABEL_OWNER),
			      "tender") == 0)
			g_hash_table_insert(job->containers,
					    g_strdup(id),
					    json_object_ref(container));
	}
	tender_docker_cleanup_job_plan_tools(job, known);
	tender_docker_cleanup_job_plan_relics(job, known);
	tender_docker_cleanup_job_plan_others(job, known);
	network = g_strconcat(TENDER_DOCKER_RELIC_NETWORK_PREFIX, job->result->session_id, NULL);
	tender_docker_cleanup_job_add(job,
				      TENDER_DOCKER_CLEANUP_STEP_SESSION_NETWORK,
				      network,
				      NULL);
	tender_docker_cleanup_job_next(task);
}

static GTask *
tender_docker_cleanup_job_new(TenderDockerClient *client,
			      const gchar *session_id,
			      gboolean force,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(client, cancellable, callback, user_data);
	TenderDockerCleanupJob *job = g_new0(TenderDockerCleanupJob, 1);

	job->client = g_object_ref(client);
	job->result = tender_docker_cleanup_new(session_id, force);
	job->containers = g_hash_table_new_full(g_str_hash,
						g_str_equal,
						g_free,
						(GDestroyNotify)json_object_unref);
	g_queue_init(&job->steps);
	g_task_set_task_data(task, job, (GDestroyNotify)tender_docker_cleanup_job_free);
	return task;
}

/**
 * tender_docker_cleanup_job_session_async:
 * @client: the connection to dockerd
 * @tools: the tool runs
 * @relics: the relics
 * @session_id: the session
 * @force: whether tools and relics that run are stopped and removed too (else left)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once done
 * @user_data: for @callback
 *
 * Removes a session's tools, relics and network (see above).
 */
void
tender_docker_cleanup_job_session_async(TenderDockerClient *client,
					TenderDockerTools *tools,
					TenderDockerRelics *relics,
					const gchar *session_id,
					gboolean force,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	GTask *task;
	TenderDockerCleanupJob *job;
	g_autofree gchar *owner = NULL;
	g_autofree gchar *session = NULL;
	g_autofree gchar *filters = NULL;
	g_autofree gchar *path = NULL;

	if (!tender_docker_api_check_name(session_id, TENDER_DOCKER_TOOL_NAME_MAX)) {
		g_task_report_new_error(client,
					callback,
					user_data,
					tender_docker_cleanup_job_session_async,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"Member 'session_id' must be 1 to %u letters, digits, '_', "
					"'.' or '-', beginning with a letter or digit",
					TENDER_DOCKER_TOOL_NAME_MAX);
		return;
	}
	task = tender_docker_cleanup_job_new(client,
					     session_id,
					     force,
					     cancellable,
					     callback,
					     user_data);
	job = g_task_get_task_data(task);
	job->tools = g_object_ref(tools);
	job->relics = g_object_ref(relics);
	owner = g_strconcat(TENDER_DOCKER_LABEL_OWNER, "=tender", NULL);
	session = g_strconcat(TENDER_DOCKER_LABEL_SESSION, "=", session_id, NULL);
	filters = tender_docker_api_build_filters("label", owner, "label", session, NULL);
	path =
	    tender_docker_api_build_path("/containers/json", "all", "1", "filters", filters, NULL);
	tender_docker_cleanup_job_request(task, "GET", path, tender_docker_cleanup_job_listed_cb);
}

static void
tender_docker_cleanup_job_networks_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GTask *task = user_data;
	TenderDockerCleanupJob *job = g_task_get_task_data(task);
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;
	JsonArray *networks;

	answer = tender_docker_client_request_finish(job->client, res, &error);
	networks = answer != NULL ? tender_docker_api_get_array(answer, "networks", &error) : NULL;
	if (networks == NULL) {
		g_task_return_error(task, error);
		g_object_unref(task);
		return;
	}
	for (guint i = 0;
	     i < MIN(json_array_get_length(networks), TENDER_DOCKER_CLEANUP_NETWORKS_MAX);
	     i++) {
		JsonNode *node = json_array_get_element(networks, i);
		JsonObject *network =
		    JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		const gchar *id =
		    network != NULL
			? json_object_get_string_member_with_default(network, "Id", NULL)
			: NULL;
		const gchar *name =
		    network != NULL
			? json_object_get_string_member_with_default(network, "Name", id)
			: NULL;
		if (id != NULL &&
		    g_strcmp0(tender_docker_cleanup_job_label(network, TENDER_DOCKER_LABEL_OWNER),
			      "tender") == 0)
			tender_docker_cleanup_job_add(job,
						      TENDER_DOCKER_CLEANUP_STEP_NETWORK,
						      name,
						      id);
	}
	tender_docker_cleanup_job_next(task);
}

/**
 * tender_docker_cleanup_job_networks_async:
 * @client: the connection to dockerd
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once done
 * @user_data: for @callback
 *
 * Removes the networks labelled as tender's that no container is connected to.
 */
void
tender_docker_cleanup_job_networks_async(TenderDockerClient *client,
					 GCancellable *cancellable,
					 GAsyncReadyCallback callback,
					 gpointer user_data)
{
	GTask *task =
	    tender_docker_cleanup_job_new(client, NULL, FALSE, cancellable, callback, user_data);
	g_autofree gchar *filters =
	    tender_docker_api_build_filters("label", TENDER_DOCKER_LABEL_OWNER "=tender", NULL);
	g_autofree gchar *path =
	    tender_docker_api_build_path("/networks", "filters", filters, NULL);

	tender_docker_cleanup_job_request(task, "GET", path, tender_docker_cleanup_job_networks_cb);
}

/**
 * tender_docker_cleanup_job_finish:
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): what was removed and left, and what went wrong; %NULL if the
 *   session's id is not one (%TENDER_ERROR_INVALID_ARGUMENT) or dockerd did not list
 */
TenderDockerCleanup *
tender_docker_cleanup_job_finish(GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(G_IS_TASK(res), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
