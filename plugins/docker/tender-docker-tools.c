/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-tool-queue.h"
#include "tender-docker-tool-run.h"
#include "tender-docker-tool-store.h"
#include "tender-docker-tool-waiters.h"
#include "tender-docker-tools.h"

/*
 * TenderDockerTools runs tools in containers (issue 14 §2): each run is a TenderDockerTool,
 * its container driven by a TenderDockerToolRun.  At most max_concurrent run at once; the
 * others wait in a TenderDockerToolQueue, first asked first run.  Every change of a run is
 * saved in STATE_DIR/tools/ID.json (TenderDockerToolStore, atomically, in a worker thread),
 * and a run that has ended is kept there and in memory for result_ttl_sec (0: until there are
 * too many), then removed by a timer.
 *
 * Bounds: a request is checked by tender_docker_tool_request_new_from_json(); at most
 * max_kept runs are kept (queued, running and ended ones) and at most max_queued wait: past
 * either, a new request is refused (TENDER_ERROR_LIMIT_REACHED).  Memory: each run keeps at
 * most output_max bytes of stdout and of stderr.
 *
 * Nothing starts before recover has been through once (tender_docker_tools_recover_async()):
 * it reads the records of the state dir, then lists the containers labelled
 * org.tender.owner=tender and org.tender.kind=tool, and for each run:
 * - a container that has run (running, paused, exited, dead): the run is adopted, waited for
 *   if it runs, its result collected (exit code, logs) if it has stopped, and its container
 *   removed if the request asks for cleanup; never started again;
 * - a container made but never started: removed, and the run queued again;
 * - an ended run whose container is still there: the container is removed if asked;
 * - a run queued, or running without a container made: queued again, in its order;
 * - a run running whose container is gone: failed.
 * Recover may be called again (when dockerd comes back): runs already known are left alone.
 */

struct _TenderDockerTools {
	GObject parent_instance;
	TenderDockerClient *client;
	TenderDockerToolStore *store;
	guint max_concurrent;
	guint64 result_ttl_sec;
	gsize output_max;
	guint max_kept;
	GHashTable *tools; /* id → TenderDockerTool: every run kept */
	GHashTable *runs;  /* id → TenderDockerToolRun: those whose container is handled */
	TenderDockerToolQueue *queue;
	TenderDockerToolWaiters *waiters;
	gboolean recovered; /* recover has been through: runs may start */
	gboolean recovering;
	guint expiry_id;
	GCancellable *cancellable; /* of recover's requests */
};

G_DEFINE_TYPE(TenderDockerTools, tender_docker_tools, G_TYPE_OBJECT)

enum { SIGNAL_FINISHED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static void
tender_docker_tools_dispose(GObject *object)
{
	TenderDockerTools *self = TENDER_DOCKER_TOOLS(object);

	g_cancellable_cancel(self->cancellable);
	g_clear_handle_id(&self->expiry_id, g_source_remove);
	g_hash_table_remove_all(self->runs);
	G_OBJECT_CLASS(tender_docker_tools_parent_class)->dispose(object);
}

static void
tender_docker_tools_finalize(GObject *object)
{
	TenderDockerTools *self = TENDER_DOCKER_TOOLS(object);

	g_object_unref(self->client);
	g_object_unref(self->store);
	g_hash_table_unref(self->tools);
	g_hash_table_unref(self->runs);
	tender_docker_tool_queue_free(self->queue);
	tender_docker_tool_waiters_free(self->waiters);
	g_object_unref(self->cancellable);
	G_OBJECT_CLASS(tender_docker_tools_parent_class)->finalize(object);
}

static void
tender_docker_tools_class_init(TenderDockerToolsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = tender_docker_tools_dispose;
	object_class->finalize = tender_docker_tools_finalize;

	/**
	 * TenderDockerTools::finished:
	 * @self: the tools
	 * @tool: the run
	 *
	 * A run has ended, however: its record is final and saved (and its container removed,
	 * if asked).
	 */
	signals[SIGNAL_FINISHED] = g_signal_new("finished",
						G_TYPE_FROM_CLASS(klass),
						G_SIGNAL_RUN_LAST,
						0,
						NULL,
						NULL,
						NULL,
						G_TYPE_NONE,
						1,
						TENDER_TYPE_DOCKER_TOOL);
}

static void
tender_docker_tools_init(TenderDockerTools *self)
{
	self->tools = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->runs = g_hash_table_new_full(g_str_hash,
					   g_str_equal,
					   g_free,
					   (GDestroyNotify)tender_docker_tool_run_free);
	self->queue = tender_docker_tool_queue_new(TENDER_DOCKER_TOOLS_QUEUED_DEFAULT);
	self->waiters = tender_docker_tool_waiters_new();
	self->max_kept = TENDER_DOCKER_TOOLS_KEPT_DEFAULT;
	self->cancellable = g_cancellable_new();
}

/**
 * tender_docker_tools_new:
 * @client: the client, connected before recover is called
 * @state_dir: the plugin's state dir: the records go to STATE_DIR/tools
 * @max_concurrent: how many runs at once, from 1 to TENDER_DOCKER_TOOLS_CONCURRENT_MAX
 * @result_ttl_sec: how long a run that has ended is kept; 0 for as long as there is room
 * @output_max: how many bytes of stdout, and of stderr, a run keeps
 *
 * Returns: (transfer full): the tools, which run nothing before recover has been through
 */
TenderDockerTools *
tender_docker_tools_new(TenderDockerClient *client,
			const gchar *state_dir,
			guint max_concurrent,
			guint64 result_ttl_sec,
			gsize output_max)
{
	TenderDockerTools *self;
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(TENDER_IS_DOCKER_CLIENT(client), NULL);
	g_return_val_if_fail(state_dir != NULL, NULL);
	self = g_object_new(TENDER_TYPE_DOCKER_TOOLS, NULL);
	dir = g_build_filename(state_dir, "tools", NULL);
	self->client = g_object_ref(client);
	self->store = tender_docker_tool_store_new(dir);
	self->max_concurrent = CLAMP(max_concurrent, 1, TENDER_DOCKER_TOOLS_CONCURRENT_MAX);
	self->result_ttl_sec = MIN(result_ttl_sec, G_MAXINT64 / G_USEC_PER_SEC);
	self->output_max = output_max;
	return self;
}

/**
 * tender_docker_tools_set_limits:
 * @self: a #TenderDockerTools
 * @max_kept: how many runs are kept at most (queued, running, ended)
 * @max_queued: how many may wait for a slot
 */
void
tender_docker_tools_set_limits(TenderDockerTools *self, guint max_kept, guint max_queued)
{
	g_return_if_fail(TENDER_IS_DOCKER_TOOLS(self));
	self->max_kept = MAX(max_kept, 1);
	tender_docker_tool_queue_set_max(self->queue, max_queued);
}

/**
 * tender_docker_tools_is_idle:
 * @self: a #TenderDockerTools
 *
 * Returns: whether nothing runs, recovers, or is being saved
 */
gboolean
tender_docker_tools_is_idle(TenderDockerTools *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOLS(self), TRUE);
	return g_hash_table_size(self->runs) == 0 && !self->recovering &&
	       tender_docker_tool_store_is_idle(self->store);
}

static void
tender_docker_tools_save(TenderDockerTools *self, TenderDockerTool *tool)
{
	g_autoptr(JsonObject) state = tender_docker_tool_to_state(tool);

	tender_docker_tool_store_save_async(self->store,
					    tender_docker_tool_get_id(tool),
					    state,
					    NULL,
					    NULL,
					    NULL);
}

/* --- expiry --- */

static gint64
tender_docker_tools_expires_at(TenderDockerTools *self, TenderDockerTool *tool)
{
	gint64 ended_at =
	    MAX(tender_docker_tool_get_finished_at(tool), tender_docker_tool_get_queued_at(tool));

	return ended_at + (gint64)self->result_ttl_sec * G_USEC_PER_SEC;
}

static void
tender_docker_tools_arm_expiry(TenderDockerTools *self);

static gboolean
tender_docker_tools_expiry_cb(gpointer user_data)
{
	TenderDockerTools *self = user_data;
	gint64 now = g_get_real_time();
	GHashTableIter iter;
	gpointer value = NULL;

	self->expiry_id = 0;
	g_hash_table_iter_init(&iter, self->tools);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		TenderDockerTool *tool = value;
		if (!tender_docker_tool_status_is_final(tender_docker_tool_get_status(tool)) ||
		    g_hash_table_contains(self->runs, tender_docker_tool_get_id(tool)) ||
		    tender_docker_tools_expires_at(self, tool) > now)
			continue;
		g_debug("Tool run %s has expired", tender_docker_tool_get_id(tool));
		tender_docker_tool_store_remove(self->store, tender_docker_tool_get_id(tool));
		g_hash_table_iter_remove(&iter);
	}
	tender_docker_tools_arm_expiry(self);
	return G_SOURCE_REMOVE;
}

/* the timer of the next run to expire */
static void
tender_docker_tools_arm_expiry(TenderDockerTools *self)
{
	gint64 next = G_MAXINT64;
	gint64 delay_ms;
	GHashTableIter iter;
	gpointer value = NULL;

	g_clear_handle_id(&self->expiry_id, g_source_remove);
	if (self->result_ttl_sec == 0)
		return;
	g_hash_table_iter_init(&iter, self->tools);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (tender_docker_tool_status_is_final(tender_docker_tool_get_status(value)))
			next = MIN(next, tender_docker_tools_expires_at(self, value));
	}
	if (next == G_MAXINT64)
		return;
	delay_ms = (next - g_get_real_time()) / 1000 + 1;
	self->expiry_id = g_timeout_add((guint)CLAMP(delay_ms, 0, G_MAXUINT),
					tender_docker_tools_expiry_cb,
					self);
}

/* --- runs --- */

static void
tender_docker_tools_schedule(TenderDockerTools *self);

/* a run has ended */
static void
tender_docker_tools_finished(TenderDockerTools *self, TenderDockerTool *tool)
{
	g_signal_emit(self, signals[SIGNAL_FINISHED], 0, tool);
	tender_docker_tool_waiters_answer(self->waiters, tool, TRUE);
	tender_docker_tools_arm_expiry(self);
}

static void
tender_docker_tools_run_started_cb(TenderDockerToolRun *run, gpointer user_data)
{
	TenderDockerTools *self = user_data;

	tender_docker_tool_waiters_answer(self->waiters,
					  tender_docker_tool_run_get_tool(run),
					  FALSE);
}

static void
tender_docker_tools_run_ended_cb(TenderDockerToolRun *run, gpointer user_data)
{
	TenderDockerTools *self = user_data;
	g_autoptr(TenderDockerTool) tool = g_object_ref(tender_docker_tool_run_get_tool(run));

	/* frees the run, which does nothing after this */
	g_hash_table_remove(self->runs, tender_docker_tool_get_id(tool));
	tender_docker_tools_finished(self, tool);
	tender_docker_tools_schedule(self);
}

static TenderDockerToolRun *
tender_docker_tools_add_run(TenderDockerTools *self, TenderDockerTool *tool)
{
	TenderDockerToolRun *run = tender_docker_tool_run_new(self->client,
							      self->store,
							      tool,
							      self->output_max,
							      tender_docker_tools_run_started_cb,
							      tender_docker_tools_run_ended_cb,
							      self);

	tender_docker_tool_set_status(tool, TENDER_DOCKER_TOOL_STATUS_RUNNING);
	g_hash_table_insert(self->runs, g_strdup(tender_docker_tool_get_id(tool)), run);
	return run;
}

/* starts queued runs while there are free slots */
static void
tender_docker_tools_schedule(TenderDockerTools *self)
{
	if (!self->recovered)
		return;
	while (g_hash_table_size(self->runs) < self->max_concurrent) {
		g_autoptr(TenderDockerTool) tool = tender_docker_tool_queue_pop(self->queue);
		TenderDockerToolRun *run;
		if (tool == NULL)
			return;
		run = tender_docker_tools_add_run(self, tool);
		tender_docker_tools_save(self, tool);
		tender_docker_tool_run_start(run);
	}
}

/* --- execute, lookup, list, cancel --- */

/**
 * tender_docker_tools_execute_async:
 * @self: a #TenderDockerTools
 * @request: issue 14 §2's request (tender_docker_tool_request_new_from_json())
 * @cancellable: (nullable): a #GCancellable, which stops waiting (the run goes on)
 * @callback: called once the run has ended (wait) or once it is queued or started
 * @user_data: for @callback
 *
 * Queues a tool run, which starts as soon as a slot is free.  A run that cannot start (no
 * such image ...) ends as failed: that is a result, not an error of this call.
 */
void
tender_docker_tools_execute_async(TenderDockerTools *self,
				  JsonObject *request,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(TenderDockerToolRequest) parsed = NULL;
	g_autoptr(TenderDockerTool) tool = NULL;
	g_autofree gchar *id = NULL;
	GError *error = NULL;
	gboolean wait;

	g_task_set_source_tag(task, tender_docker_tools_execute_async);
	parsed = tender_docker_tool_request_new_from_json(request, &error);
	if (parsed == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (g_hash_table_size(self->tools) >= self->max_kept) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_LIMIT_REACHED,
					"tender keeps %u tool runs (queued, running, and results "
					"until they expire), as many as it may",
					g_hash_table_size(self->tools));
		return;
	}
	do {
		g_free(id);
		id = tender_docker_tool_new_id();
	} while (g_hash_table_contains(self->tools, id));
	wait = parsed->wait;
	tool = tender_docker_tool_new(id, g_steal_pointer(&parsed), g_get_real_time());
	if (!tender_docker_tool_queue_push(self->queue, tool, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_hash_table_insert(self->tools, g_strdup(id), g_object_ref(tool));
	tender_docker_tools_save(self, tool);
	tender_docker_tools_schedule(self);
	if (!wait && tender_docker_tool_get_status(tool) == TENDER_DOCKER_TOOL_STATUS_QUEUED) {
		g_task_return_pointer(task, g_object_ref(tool), g_object_unref);
		return;
	}
	tender_docker_tool_waiters_add(self->waiters,
				       task,
				       tool,
				       wait ? TENDER_DOCKER_TOOL_WAIT_ENDED
					    : TENDER_DOCKER_TOOL_WAIT_STARTED);
}

/**
 * tender_docker_tools_execute_finish:
 * @self: a #TenderDockerTools
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the run; %NULL if the request is wrong
 * (%TENDER_ERROR_INVALID_ARGUMENT naming the member) or there are too many runs
 * (%TENDER_ERROR_LIMIT_REACHED)
 */
TenderDockerTool *
tender_docker_tools_execute_finish(TenderDockerTools *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/**
 * tender_docker_tools_lookup:
 * @self: a #TenderDockerTools
 * @id: a run's id
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the run, or %NULL (%TENDER_ERROR_NOT_FOUND)
 */
TenderDockerTool *
tender_docker_tools_lookup(TenderDockerTools *self, const gchar *id, GError **error)
{
	TenderDockerTool *tool;

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOLS(self), NULL);
	tool = tender_docker_tool_check_id(id) ? g_hash_table_lookup(self->tools, id) : NULL;
	if (tool == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No tool run %s",
			    id != NULL ? id : "(null)");
		return NULL;
	}
	return g_object_ref(tool);
}

static gint
tender_docker_tools_compare(gconstpointer a, gconstpointer b)
{
	TenderDockerTool *tool_a = *(TenderDockerTool *const *)a;
	TenderDockerTool *tool_b = *(TenderDockerTool *const *)b;
	gint64 queued_a = tender_docker_tool_get_queued_at(tool_a);
	gint64 queued_b = tender_docker_tool_get_queued_at(tool_b);

	if (queued_a != queued_b)
		return queued_a < queued_b ? -1 : 1;
	return g_strcmp0(tender_docker_tool_get_id(tool_a), tender_docker_tool_get_id(tool_b));
}

/**
 * tender_docker_tools_list:
 * @self: a #TenderDockerTools
 * @session_id: (nullable): a session's id, or %NULL for all
 *
 * Returns: (transfer full) (element-type TenderDockerTool): the runs kept (of the session),
 * in the order they were asked for
 */
GPtrArray *
tender_docker_tools_list(TenderDockerTools *self, const gchar *session_id)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(g_object_unref);
	GHashTableIter iter;
	gpointer value = NULL;

	g_return_val_if_fail(TENDER_IS_DOCKER_TOOLS(self), list);
	g_hash_table_iter_init(&iter, self->tools);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (session_id == NULL ||
		    g_strcmp0(tender_docker_tool_get_session_id(value), session_id) == 0)
			g_ptr_array_add(list, g_object_ref(value));
	}
	g_ptr_array_sort(list, tender_docker_tools_compare);
	return list;
}

/**
 * tender_docker_tools_cancel_async:
 * @self: a #TenderDockerTools
 * @id: a run's id
 * @cancellable: (nullable): a #GCancellable, which stops waiting (the cancel goes on)
 * @callback: called once the run has ended
 * @user_data: for @callback
 *
 * Cancels a run: takes it off the queue, or kills its container.
 */
void
tender_docker_tools_cancel_async(TenderDockerTools *self,
				 const gchar *id,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(TenderDockerTool) tool = NULL;
	TenderDockerToolRun *run;
	TenderDockerToolStatus status;
	GError *error = NULL;

	g_task_set_source_tag(task, tender_docker_tools_cancel_async);
	tool = tender_docker_tools_lookup(self, id, &error);
	if (tool == NULL) {
		g_task_return_error(task, error);
		return;
	}
	status = tender_docker_tool_get_status(tool);
	if (tender_docker_tool_queue_remove(self->queue, tool)) {
		tender_docker_tool_finish(tool,
					  TENDER_DOCKER_TOOL_STATUS_CANCELLED,
					  NULL,
					  "The tool run was cancelled before it started",
					  g_get_real_time());
		tender_docker_tools_save(self, tool);
		tender_docker_tools_finished(self, tool);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (tender_docker_tool_status_is_final(status)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Tool run %s has ended (%s)",
					id,
					tender_docker_tool_status_to_string(status));
		return;
	}
	run = g_hash_table_lookup(self->runs, id);
	if (run == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_BUSY,
					"Tool run %s is not recovered yet: tender is not connected "
					"to dockerd",
					id);
		return;
	}
	if (!tender_docker_tool_run_kill(run, TENDER_DOCKER_TOOL_STATUS_CANCELLED, &error)) {
		g_task_return_error(task, error);
		return;
	}
	tender_docker_tool_waiters_add(self->waiters, task, tool, TENDER_DOCKER_TOOL_WAIT_CANCEL);
}

/**
 * tender_docker_tools_cancel_finish:
 * @self: a #TenderDockerTools
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: %TRUE once the run has ended as cancelled; %FALSE with %TENDER_ERROR_NOT_FOUND, or
 * %TENDER_ERROR_INVALID_STATE if it was not queued or running (or ended by itself before the
 * kill)
 */
gboolean
tender_docker_tools_cancel_finish(TenderDockerTools *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_docker_tools_forget:
 * @self: a #TenderDockerTools
 * @id: the id of a run that has ended
 * @error: (nullable): return location for a #GError
 *
 * Forgets a run that has ended, before its result expires (its container, if it was kept, is
 * the caller's to remove).
 *
 * Returns: %FALSE with %TENDER_ERROR_NOT_FOUND, or %TENDER_ERROR_INVALID_STATE if it has not
 *   ended
 */
gboolean
tender_docker_tools_forget(TenderDockerTools *self, const gchar *id, GError **error)
{
	g_autoptr(TenderDockerTool) tool = tender_docker_tools_lookup(self, id, error);
	TenderDockerToolStatus status;

	if (tool == NULL)
		return FALSE;
	status = tender_docker_tool_get_status(tool);
	if (!tender_docker_tool_status_is_final(status) || g_hash_table_contains(self->runs, id)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Tool run %s is %s: cancel it first",
			    id,
			    tender_docker_tool_status_to_string(status));
		return FALSE;
	}
	tender_docker_tool_store_remove(self->store, id);
	g_hash_table_remove(self->tools, id);
	tender_docker_tools_arm_expiry(self);
	return TRUE;
}

/* --- recover --- */

/* the largest record read: stdout and stderr, escaped, the result, the request */
static gsize
tender_docker_tools_record_max(TenderDockerTools *self)
{
	return 16 * self->output_max + 2 * TENDER_DOCKER_TOOL_REQUEST_MAX + 1024 * 1024;
}

/* a run that a container tells of, without a record: its labels say enough */
static TenderDockerTool *
tender_docker_tools_tool_from_container(JsonObject *container, JsonObject *labels, const gchar *id)
{
	g_autoptr(JsonObject) request = json_object_new();
	g_autoptr(GError) error = NULL;
	TenderDockerToolRequest *parsed;
	const gchar *name =
	    json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_TOOL, NULL);
	const gchar *session =
	    json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_SESSION, NULL);
	const gchar *image = json_object_get_string_member_with_default(container, "Image", NULL);
	gint64 created = json_object_get_int_member_with_default(container, "Created", 0);

	if (name == NULL || session == NULL || image == NULL)
		return NULL;
	json_object_set_string_member(request, "tool_name", name);
	json_object_set_string_member(request, "session_id", session);
	json_object_set_string_member(request, "image", image);
	parsed = tender_docker_tool_request_new_from_json(request, &error);
	if (parsed == NULL) {
		g_warning("Leaving the container of tool run %s alone: %s", id, error->message);
		return NULL;
	}
	return tender_docker_tool_new(id, parsed, created * G_USEC_PER_SEC);
}

static void
tender_docker_tools_requeue(TenderDockerTools *self, TenderDockerTool *tool)
{
	tender_docker_tool_set_status(tool, TENDER_DOCKER_TOOL_STATUS_QUEUED);
	tender_docker_tool_set_container_id(tool, NULL);
	tender_docker_tool_set_started_at(tool, 0);
	tender_docker_tool_set_ending(tool, TENDER_DOCKER_TOOL_STATUS_RUNNING);
	tender_docker_tool_queue_insert(self->queue, tool);
	tender_docker_tools_save(self, tool);
}

typedef struct {
	TenderDockerTools *self;
	TenderDockerTool *tool; /* to queue again once its container is gone, or NULL */
} TenderDockerToolsRemoval;

static void
tender_docker_tools_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerToolsRemoval *removal = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) answer =
	    tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);

	if (error != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
	    !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
		g_warning("Cannot remove a tool's container: %s", error->message);
	if (removal->tool != NULL && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		tender_docker_tools_requeue(removal->self, removal->tool);
		tender_docker_tools_schedule(removal->self);
	}
	g_clear_object(&removal->tool);
	g_free(removal);
}

/* removes a container of a run; then queues the run again if @requeue is given */
static void
tender_docker_tools_remove_container(TenderDockerTools *self,
				     const gchar *container_id,
				     TenderDockerTool *requeue)
{
	TenderDockerToolsRemoval *removal = g_new0(TenderDockerToolsRemoval, 1);
	g_autofree gchar *escaped = tender_docker_api_escape(container_id);
	g_autofree gchar *base = g_strdup_printf("/containers/%s", escaped);
	g_autofree gchar *path = tender_docker_api_build_path(base, "force", "1", "v", "1", NULL);

	removal->self = self;
	removal->tool = requeue != NULL ? g_object_ref(requeue) : NULL;
	tender_docker_client_request_async(self->client,
					   "DELETE",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_tools_removed_cb,
					   removal);
}

/* one container labelled as a tool's; @seen gets the run's id */
static void
tender_docker_tools_recover_container(TenderDockerTools *self,
				      JsonObject *container,
				      GHashTable *seen)
{
	JsonObject *labels = json_object_get_object_member(container, "Labels");
	const gchar *container_id =
	    json_object_get_string_member_with_default(container, "Id", NULL);
	const gchar *state = json_object_get_string_member_with_default(container, "State", "");
	const gchar *id =
	    labels != NULL
		? json_object_get_string_member_with_default(labels, TENDER_DOCKER_LABEL_ID, NULL)
		: NULL;
	TenderDockerTool *tool;

	if (container_id == NULL || !tender_docker_tool_check_id(id) ||
	    g_hash_table_contains(self->runs, id))
		return;
	g_hash_table_add(seen, g_strdup(id));
	tool = g_hash_table_lookup(self->tools, id);
	if (tool == NULL) {
		tool = tender_docker_tools_tool_from_container(container, labels, id);
		if (tool == NULL)
			return;
		g_hash_table_insert(self->tools, g_strdup(id), tool);
	}
	if (tender_docker_tool_status_is_final(tender_docker_tool_get_status(tool))) {
		/* ended, and saved so, before its container was removed */
		if (tender_docker_tool_get_request(tool)->cleanup)
			tender_docker_tools_remove_container(self, container_id, NULL);
		return;
	}
	(void)tender_docker_tool_queue_remove(self->queue, tool);
	if (g_strcmp0(state, "created") == 0) {
		/* it never started: it starts anew, once this container is gone */
		g_debug("Tool run %s had not started: queued again", id);
		tender_docker_tool_set_status(tool, TENDER_DOCKER_TOOL_STATUS_QUEUED);
		tender_docker_tools_remove_container(self, container_id, tool);
		return;
	}
	g_debug("Adopting tool run %s (container %s, %s)", id, container_id, state);
	tender_docker_tool_set_container_id(tool, container_id);
	tender_docker_tool_run_adopt(tender_docker_tools_add_run(self, tool));
}

/* a run that has no container: queued again if it had not made one, else failed */
static void
tender_docker_tools_recover_record(TenderDockerTools *self, TenderDockerTool *tool)
{
	TenderDockerToolStatus status = tender_docker_tool_get_status(tool);
	const gchar *container_id = tender_docker_tool_get_container_id(tool);
	g_autofree gchar *message = NULL;

	if (tender_docker_tool_status_is_final(status) ||
	    tender_docker_tool_queue_get_position(self->queue, tool) != G_MAXUINT)
		return;
	if (status == TENDER_DOCKER_TOOL_STATUS_QUEUED || container_id == NULL) {
		tender_docker_tools_requeue(self, tool);
		return;
	}
	message = g_strdup_printf("The tool's container %s was removed while tenderd was away",
				  container_id);
	tender_docker_tool_finish(tool,
				  TENDER_DOCKER_TOOL_STATUS_FAILED,
				  NULL,
				  message,
				  g_get_real_time());
	tender_docker_tools_save(self, tool);
	tender_docker_tools_finished(self, tool);
}

static void
tender_docker_tools_recover_return(GTask *task, GError *error)
{
	TenderDockerTools *self = g_task_get_source_object(task);

	self->recovering = FALSE;
	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	self->recovered = TRUE;
	tender_docker_tools_arm_expiry(self);
	tender_docker_tools_schedule(self);
	g_task_return_boolean(task, TRUE);
}

static void
tender_docker_tools_listed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerTools *self = g_task_get_source_object(task);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) records = NULL;
	g_autoptr(JsonNode) answer = NULL;
	GError *error = NULL;
	JsonArray *containers;

	answer = tender_docker_client_request_finish(TENDER_DOCKER_CLIENT(source), res, &error);
	containers =
	    answer != NULL ? tender_docker_api_get_array(answer, "containers", &error) : NULL;
	if (containers == NULL) {
		tender_docker_tools_recover_return(task, error);
		return;
	}
	for (guint i = 0; i < json_array_get_length(containers); i++) {
		JsonNode *node = json_array_get_element(containers, i);
		if (JSON_NODE_HOLDS_OBJECT(node))
			tender_docker_tools_recover_container(self,
							      json_node_get_object(node),
							      seen);
	}
	records = tender_docker_tools_list(self, NULL);
	for (guint i = 0; i < records->len; i++) {
		TenderDockerTool *tool = g_ptr_array_index(records, i);
		if (!g_hash_table_contains(seen, tender_docker_tool_get_id(tool)) &&
		    !g_hash_table_contains(self->runs, tender_docker_tool_get_id(tool)))
			tender_docker_tools_recover_record(self, tool);
	}
	tender_docker_tools_recover_return(task, NULL);
}

static void
tender_docker_tools_loaded_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerTools *self = g_task_get_source_object(task);
	g_autoptr(GPtrArray) records = NULL;
	g_autofree gchar *filters = NULL;
	g_autofree gchar *path = NULL;
	GError *error = NULL;
	gint64 now = g_get_real_time();

	records =
	    tender_docker_tool_store_load_finish(TENDER_DOCKER_TOOL_STORE(source), res, &error);
	if (records == NULL) {
		tender_docker_tools_recover_return(task, error);
		return;
	}
	for (guint i = 0; i < records->len; i++) {
		g_autoptr(GError) record_error = NULL;
		g_autoptr(TenderDockerTool) tool =
		    tender_docker_tool_new_from_state(g_ptr_array_index(records, i), &record_error);
		if (tool == NULL) {
			g_warning("Ignoring a tool run's record: %s", record_error->message);
			continue;
		}
		if (g_hash_table_contains(self->tools, tender_docker_tool_get_id(tool)))
			continue;
		if (tender_docker_tool_status_is_final(tender_docker_tool_get_status(tool)) &&
		    self->result_ttl_sec > 0 && tender_docker_tools_expires_at(self, tool) <= now) {
			tender_docker_tool_store_remove(self->store,
							tender_docker_tool_get_id(tool));
			continue;
		}
		g_hash_table_insert(self->tools,
				    g_strdup(tender_docker_tool_get_id(tool)),
				    g_object_ref(tool));
	}
	filters = tender_docker_api_build_filters("label",
						  TENDER_DOCKER_LABEL_OWNER "=tender",
						  "label",
						  TENDER_DOCKER_LABEL_KIND "=tool",
						  NULL);
	path =
	    tender_docker_api_build_path("/containers/json", "all", "1", "filters", filters, NULL);
	tender_docker_client_request_async(self->client,
					   "GET",
					   path,
					   NULL,
					   self->cancellable,
					   tender_docker_tools_listed_cb,
					   g_steal_pointer(&task));
}

/**
 * tender_docker_tools_recover_async:
 * @self: a #TenderDockerTools
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the runs are recovered (not ended: adopted runs go on)
 * @user_data: for @callback
 *
 * Reads the records of the state dir and adopts the tool containers of an earlier tenderd
 * (see above); then lets queued runs start.  Called again, it adopts what it did not know.
 */
void
tender_docker_tools_recover_async(TenderDockerTools *self,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_docker_tools_recover_async);
	if (self->recovering) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_BUSY,
					"The tool runs are being recovered already");
		return;
	}
	self->recovering = TRUE;
	tender_docker_tool_store_load_async(self->store,
					    self->max_kept,
					    tender_docker_tools_record_max(self),
					    cancellable,
					    tender_docker_tools_loaded_cb,
					    g_steal_pointer(&task));
}

/**
 * tender_docker_tools_recover_finish:
 * @self: a #TenderDockerTools
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE if the records could not be read, or dockerd did not answer (the records
 * read are kept: lookup finds them, and a later recover adopts their containers)
 */
gboolean
tender_docker_tools_recover_finish(TenderDockerTools *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}
