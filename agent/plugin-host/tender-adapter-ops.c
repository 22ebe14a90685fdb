/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-adapter-instance-private.h"
#include "tender-error.h"
#include "tender-state.h"
#include "tender-util.h"

/*
 * An adapter instance's operations (start, update, stop, metrics): queued, and run one at a
 * time against the class and its engine workload.
 */

/* --- operations, one at a time --- */

typedef enum {
	TENDER_ADAPTER_OP_START,
	TENDER_ADAPTER_OP_UPDATE,
	TENDER_ADAPTER_OP_STOP,
	TENDER_ADAPTER_OP_METRICS,
	TENDER_ADAPTER_OP_PROMETHEUS,
} TenderAdapterOpKind;

typedef struct {
	TenderAdapterOpKind kind;
	JsonObject *payload;
	GVariant *pre_start; /* start: the adapter's hooks, once asked */
	GVariant *spec;	     /* start: the adapter's spec, then the workload's */
	GVariant *post_stop;
	JsonObject *metrics; /* metrics, prometheus: the answer, once built */
	GStrv lines;	     /* prometheus: the adapter's own lines, checked */
	TenderAdapterUpdateResult result;
	gboolean payload_written; /* start: the state file holds op->payload already */
} TenderAdapterOp;

/* what a prometheus operation returns */
typedef struct {
	JsonObject *metrics;
	GStrv lines;
} TenderAdapterExposition;

static void
tender_adapter_exposition_free(TenderAdapterExposition *exposition)
{
	if (exposition->metrics != NULL)
		json_object_unref(exposition->metrics);
	g_strfreev(exposition->lines);
	g_free(exposition);
}

static void
tender_adapter_op_free(TenderAdapterOp *op)
{
	if (op->payload != NULL)
		json_object_unref(op->payload);
	g_clear_pointer(&op->pre_start, g_variant_unref);
	g_clear_pointer(&op->spec, g_variant_unref);
	g_clear_pointer(&op->post_stop, g_variant_unref);
	if (op->metrics != NULL)
		json_object_unref(op->metrics);
	g_strfreev(op->lines);
	g_free(op);
}

static void
tender_adapter_run_next(TenderAdapter *self);

/* ends the operation under way, then starts the next */
static void
tender_adapter_op_done(TenderAdapter *self, GError *error)
{
	g_autoptr(GTask) task = g_steal_pointer(&self->current);
	TenderAdapterOp *op = g_task_get_task_data(task);

	if (error != NULL && op->payload_written) {
		/* the start failed: the file goes back to the payload of the last start */
		g_autoptr(GError) error_undo = NULL;
		if (!tender_adapter_payload_write(self->name,
						  self->state_path,
						  self->payload,
						  &error_undo))
			g_warning("%s", error_undo->message);
	}
	if (op->kind == TENDER_ADAPTER_OP_START) {
		self->starts--;
		self->start_failed = error != NULL;
	} else if (op->kind == TENDER_ADAPTER_OP_STOP && error == NULL) {
		self->start_failed = FALSE;
	}
	if (error != NULL) {
		g_task_return_error(task, error);
	} else if (op->kind == TENDER_ADAPTER_OP_UPDATE) {
		g_task_return_int(task, op->result);
	} else if (op->kind == TENDER_ADAPTER_OP_METRICS) {
		g_task_return_pointer(task,
				      g_steal_pointer(&op->metrics),
				      (GDestroyNotify)json_object_unref);
	} else if (op->kind == TENDER_ADAPTER_OP_PROMETHEUS) {
		TenderAdapterExposition *exposition = g_new0(TenderAdapterExposition, 1);
		exposition->metrics = g_steal_pointer(&op->metrics);
		exposition->lines = g_steal_pointer(&op->lines);
		g_task_return_pointer(task,
				      exposition,
				      (GDestroyNotify)tender_adapter_exposition_free);
	} else {
		g_task_return_boolean(task, TRUE);
	}
	tender_adapter_run_next(self);
}

static TenderAdapterOp *
tender_adapter_current_op(TenderAdapter *self)
{
	return g_task_get_task_data(self->current);
}

/*
 * The task given to a class function; its result comes back to @callback.  The caller keeps
 * its reference and drops it after the call: a class that completes the task later takes
 * its own.
 */
static GTask *
tender_adapter_class_task(TenderAdapter *self, GAsyncReadyCallback callback)
{
	GTask *task = g_task_new(self, NULL, callback, NULL);
	g_task_set_source_tag(task, tender_adapter_class_task);
	return task;
}

/* stopping the workload: the class first, then the engine */

static void
tender_adapter_stop_engine_cb(GObject *source, GAsyncResult *res, gpointer user_data);

static void
tender_adapter_stop_engine(TenderAdapter *self)
{
	tender_engine_stop_workload_async(self->engine,
					  self->workload_name,
					  NULL,
					  NULL,
					  tender_adapter_stop_engine_cb,
					  g_object_ref(self));
}

static void
tender_adapter_class_stop_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	g_autoptr(GError) error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error))
		g_warning("adapter %s: stop: %s; stopping the workload anyway",
			  self->name,
			  error->message);
	tender_adapter_stop_engine(self);
}

static void
tender_adapter_start_replace(TenderAdapter *self);

static void
tender_adapter_stop_engine_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderAdapter) self = TENDER_ADAPTER(user_data);
	GError *error = NULL;

	if (!tender_engine_stop_workload_finish(TENDER_ENGINE(source), res, &error) &&
	    !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE)) {
		tender_adapter_op_done(self, error);
		return;
	}
	/* a workload that ended meanwhile is stopped as well */
	g_clear_error(&error);
	if (tender_adapter_current_op(self)->kind == TENDER_ADAPTER_OP_START) {
		tender_adapter_start_replace(self);
		return;
	}
	tender_adapter_op_done(self, NULL);
}

/* stops the workload if it runs, then goes on with the operation under way */
static void
tender_adapter_stop_workload(TenderAdapter *self)
{
	TenderState state = tender_adapter_get_state(self);

	if (state == TENDER_STATE_LAST || !tender_state_is_active(state)) {
		if (tender_adapter_current_op(self)->kind == TENDER_ADAPTER_OP_START)
			tender_adapter_start_replace(self);
		else
			tender_adapter_op_done(self, NULL);
		return;
	}
	if (self->klass->stop != NULL && state != TENDER_STATE_STOPPING) {
		g_autoptr(GTask) task =
		    tender_adapter_class_task(self, tender_adapter_class_stop_cb);
		self->klass->stop(self, task);
		return;
	}
	tender_adapter_stop_engine(self);
}

/*
 * start, in the order of seed 000's core: the payload kept, the running workload stopped
 * (its post-stop hooks run as it ends) and removed, then the adapter asked for the new
 * pre-start hooks, the spec and the post-stop hooks, and the new workload created and
 * started.  If the payload cannot be kept, the running workload goes on as it was.
 */

static void
tender_adapter_start_engine_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderAdapter) self = TENDER_ADAPTER(user_data);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;

	if (!tender_engine_start_workload_finish(TENDER_ENGINE(source), res, &error)) {
		tender_adapter_op_done(self, error);
		return;
	}
	/* what tender_adapter_start_workload() wrote is now the payload of the running one */
	if (self->payload != NULL)
		json_object_unref(self->payload);
	self->payload = op->payload != NULL ? json_object_ref(op->payload) : NULL;
	g_info("adapter %s started workload %s", self->name, self->workload_name);
	tender_adapter_op_done(self, NULL);
}

/* the workload of the spec the adapter gave, with the instance's settings and hooks */
static void
tender_adapter_start_create(TenderAdapter *self)
{
	TenderAdapterOp *op = tender_adapter_current_op(self);
	g_autoptr(GVariant) class_spec = g_steal_pointer(&op->spec);
	GError *error = NULL;

	op->spec = tender_adapter_config_build_spec(self->config,
						    self->name,
						    class_spec,
						    op->pre_start,
						    op->post_stop,
						    &error);
	if (op->spec == NULL || tender_engine_create_workload(self->engine,
							      self->workload_name,
							      op->spec,
							      NULL,
							      &error) == NULL) {
		tender_adapter_op_done(self, error);
		return;
	}
	tender_engine_start_workload_async(self->engine,
					   self->workload_name,
					   NULL,
					   NULL,
					   tender_adapter_start_engine_cb,
					   g_object_ref(self));
}

/* the adapter's commands, an "aas" or %NULL; %NULL for none */
static gboolean
tender_adapter_take_commands(TenderAdapter *self,
			     GAsyncResult *res,
			     const gchar *what,
			     GVariant **commands,
			     GError **error)
{
	GVariant *value = g_task_propagate_pointer(G_TASK(res), error);

	if (value == NULL)
		return error == NULL || *error == NULL;
	g_variant_take_ref(value);
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE("aas"))) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Adapter %s gave %s hooks of type %s, not aas",
			    self->config->type,
			    what,
			    g_variant_get_type_string(value));
		g_variant_unref(value);
		return FALSE;
	}
	if (g_variant_n_children(value) == 0)
		g_variant_unref(value);
	else
		*commands = value;
	return TRUE;
}

static void
tender_adapter_class_post_stop_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;

	if (!tender_adapter_take_commands(self, res, "post-stop", &op->post_stop, &error)) {
		tender_adapter_op_done(self, error);
		return;
	}
	tender_adapter_start_create(self);
}

static void
tender_adapter_class_start_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;
	GVariant *spec = g_task_propagate_pointer(G_TASK(res), &error);

	if (spec == NULL) {
		if (error == NULL)
			error = g_error_new(TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "Adapter %s gave no spec for instance %s",
					    self->config->type,
					    self->name);
		tender_adapter_op_done(self, error);
		return;
	}
	op->spec = g_variant_take_ref(spec);
	if (self->klass->post_stop_hooks != NULL) {
		g_autoptr(GTask) task =
		    tender_adapter_class_task(self, tender_adapter_class_post_stop_cb);
		self->klass->post_stop_hooks(self, op->payload, task);
		return;
	}
	tender_adapter_start_create(self);
}

static void
tender_adapter_class_start(TenderAdapter *self)
{
	TenderAdapterOp *op = tender_adapter_current_op(self);
	g_autoptr(GTask) task = tender_adapter_class_task(self, tender_adapter_class_start_cb);

	self->klass->start(self, op->payload, task);
}

static void
tender_adapter_class_pre_start_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;

	if (!tender_adapter_take_commands(self, res, "pre-start", &op->pre_start, &error)) {
		tender_adapter_op_done(self, error);
		return;
	}
	tender_adapter_class_start(self);
}

/* the old workload is gone: the adapter's part of the new one */
static void
tender_adapter_start_prepare(TenderAdapter *self)
{
	TenderAdapterOp *op = tender_adapter_current_op(self);

	if (self->klass->pre_start_hooks != NULL) {
		g_autoptr(GTask) task =
		    tender_adapter_class_task(self, tender_adapter_class_pre_start_cb);
		self->klass->pre_start_hooks(self, op->payload, task);
		return;
	}
	tender_adapter_class_start(self);
}

static void
tender_adapter_start_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderAdapter) self = TENDER_ADAPTER(user_data);
	GError *error = NULL;

	if (!tender_engine_remove_workload_finish(TENDER_ENGINE(source), res, &error)) {
		tender_adapter_op_done(self, error);
		return;
	}
	tender_adapter_start_prepare(self);
}

/* the old workload, stopped, makes room for the new one */
static void
tender_adapter_start_replace(TenderAdapter *self)
{
	if (tender_adapter_get_workload(self) == NULL) {
		tender_adapter_start_prepare(self);
		return;
	}
	tender_engine_remove_workload_async(self->engine,
					    self->workload_name,
					    NULL,
					    NULL,
					    tender_adapter_start_removed_cb,
					    g_object_ref(self));
}

static void
tender_adapter_start_workload(TenderAdapter *self)
{
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;

	if (!tender_adapter_payload_write(self->name, self->state_path, op->payload, &error)) {
		tender_adapter_op_done(self, error);
		return;
	}
	op->payload_written = TRUE;
	tender_adapter_stop_workload(self);
}

/* update */

static void
tender_adapter_class_update_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	GError *error = NULL;
	gssize result = g_task_propagate_int(G_TASK(res), &error);

	if (error != NULL) {
		/* applying it went wrong: the adapter's own message, as a failure (seed 000's
		 * "raised", HTTP 500) whatever the adapter's code was */
		GError *failed =
		    g_error_new_literal(TENDER_ERROR, TENDER_ERROR_FAILED, error->message);
		g_warning("adapter %s: update: %s", self->name, error->message);
		g_error_free(error);
		tender_adapter_op_done(self, failed);
		return;
	}
	if (result < TENDER_ADAPTER_UPDATE_APPLIED || result > TENDER_ADAPTER_UPDATE_DECLINED) {
		tender_adapter_op_done(self,
				       g_error_new(TENDER_ERROR,
						   TENDER_ERROR_FAILED,
						   "Adapter %s gave the unknown update result %d",
						   self->config->type,
						   (gint)result));
		return;
	}
	op->result = (TenderAdapterUpdateResult)result;
	g_info("adapter %s: update %s",
	       self->name,
	       tender_adapter_update_result_to_string(op->result));
	tender_adapter_op_done(self, NULL);
}

/* metrics, and the adapter's Prometheus lines */

static void
tender_adapter_class_prometheus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) lines = g_task_propagate_pointer(G_TASK(res), &error);
	g_autofree gchar *why = NULL;
	guint n_dropped = 0;

	if (error != NULL)
		g_warning("adapter %s: Prometheus lines: %s", self->name, error->message);
	op->lines = tender_adapter_prometheus_filter((const gchar *const *)lines, &n_dropped, &why);
	/* said once, until the adapter's lines are good again */
	if (n_dropped > 0 && !self->warned_lines)
		g_warning("adapter %s: %u of its Prometheus lines are left out, the first %s",
			  self->name,
			  n_dropped,
			  why);
	self->warned_lines = n_dropped > 0;
	tender_adapter_op_done(self, NULL);
}

/* the metrics are complete: a prometheus operation asks for the lines */
static void
tender_adapter_metrics_done(TenderAdapter *self)
{
	TenderAdapterOp *op = tender_adapter_current_op(self);

	if (op->kind == TENDER_ADAPTER_OP_PROMETHEUS && self->klass->prometheus_metrics != NULL) {
		g_autoptr(GTask) task =
		    tender_adapter_class_task(self, tender_adapter_class_prometheus_cb);
		self->klass->prometheus_metrics(self, task);
		return;
	}
	if (op->kind == TENDER_ADAPTER_OP_PROMETHEUS)
		op->lines = g_new0(gchar *, 1);
	tender_adapter_op_done(self, NULL);
}

static void
tender_adapter_class_metrics_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAdapter *self = TENDER_ADAPTER(source);
	TenderAdapterOp *op = tender_adapter_current_op(self);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) adapter = g_task_propagate_pointer(G_TASK(res), &error);

	if (error != NULL) {
		/* the workload's metrics are still worth having */
		g_warning("adapter %s: metrics: %s", self->name, error->message);
		json_object_set_string_member(op->metrics, "adapter_error", error->message);
	}
	if (adapter != NULL)
		json_object_set_object_member(op->metrics, "adapter", g_steal_pointer(&adapter));
	else
		json_object_set_null_member(op->metrics, "adapter");
	tender_adapter_metrics_done(self);
}

/* runs the operation at the head of the queue, if none is under way */
static void
tender_adapter_run_next(TenderAdapter *self)
{
	TenderAdapterOp *op;
	TenderState state;
	GTask *task;

	if (self->current != NULL || g_queue_is_empty(&self->queue))
		return;
	self->current = g_queue_pop_head(&self->queue);
	op = tender_adapter_current_op(self);
	switch (op->kind) {
	case TENDER_ADAPTER_OP_START:
		tender_adapter_start_workload(self);
		break;
	case TENDER_ADAPTER_OP_UPDATE:
		state = tender_adapter_get_state(self);
		if (state != TENDER_STATE_RUNNING) {
			op->result = TENDER_ADAPTER_UPDATE_NOT_RUNNING;
			tender_adapter_op_done(self, NULL);
			break;
		}
		if (self->klass->update == NULL) {
			op->result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;
			tender_adapter_op_done(self, NULL);
			break;
		}
		task = tender_adapter_class_task(self, tender_adapter_class_update_cb);
		self->klass->update(self, op->payload, task);
		g_object_unref(task);
		break;
	case TENDER_ADAPTER_OP_STOP:
		tender_adapter_stop_workload(self);
		break;
	case TENDER_ADAPTER_OP_METRICS:
	case TENDER_ADAPTER_OP_PROMETHEUS:
	default:
		op->metrics = tender_adapter_metrics_new(self);
		if (self->klass->get_metrics == NULL) {
			json_object_set_null_member(op->metrics, "adapter");
			tender_adapter_metrics_done(self);
			break;
		}
		task = tender_adapter_class_task(self, tender_adapter_class_metrics_cb);
		self->klass->get_metrics(self, task);
		g_object_unref(task);
		break;
	}
}

static void
tender_adapter_queue(TenderAdapter *self,
		     TenderAdapterOpKind kind,
		     JsonObject *payload,
		     GCancellable *cancellable,
		     GAsyncReadyCallback callback,
		     gpointer user_data,
		     gpointer source_tag)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderAdapterOp *op = g_new0(TenderAdapterOp, 1);

	g_task_set_source_tag(task, source_tag);
	op->kind = kind;
	op->payload = payload != NULL ? json_object_ref(payload) : NULL;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_adapter_op_free);
	if (g_queue_get_length(&self->queue) >= TENDER_ADAPTER_QUEUE_MAX) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Adapter instance '%s' has %u operations waiting already",
					self->name,
					(guint)TENDER_ADAPTER_QUEUE_MAX);
		return;
	}
	if (kind == TENDER_ADAPTER_OP_START)
		self->starts++;
	g_queue_push_tail(&self->queue, g_steal_pointer(&task));
	tender_adapter_run_next(self);
}

/**
 * tender_adapter_start_async:
 * @self: a #TenderAdapter
 * @payload: the start payload, which must hold the primary payload key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the workload runs or could not start
 * @user_data: for @callback
 *
 * Starts the instance's workload from @payload, stopping the one that runs first.
 */
void
tender_adapter_start_async(TenderAdapter *self,
			   JsonObject *payload,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	GError *error = NULL;

	g_return_if_fail(TENDER_IS_ADAPTER(self));
	if (!tender_adapter_check_payload(payload, self->config->primary_payload_key, &error)) {
		g_task_report_error(self, callback, user_data, tender_adapter_start_async, error);
		return;
	}
	tender_adapter_queue(self,
			     TENDER_ADAPTER_OP_START,
			     payload,
			     cancellable,
			     callback,
			     user_data,
			     tender_adapter_start_async);
}

gboolean
tender_adapter_start_finish(TenderAdapter *self, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_adapter_update_async:
 * @self: a #TenderAdapter
 * @payload: the update
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Asks the adapter to apply @payload to the running workload, without a restart.
 */
void
tender_adapter_update_async(TenderAdapter *self,
			    JsonObject *payload,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_return_if_fail(TENDER_IS_ADAPTER(self));
	g_return_if_fail(payload != NULL);
	tender_adapter_queue(self,
			     TENDER_ADAPTER_OP_UPDATE,
			     payload,
			     cancellable,
			     callback,
			     user_data,
			     tender_adapter_update_async);
}

gboolean
tender_adapter_update_finish(TenderAdapter *self,
			     GAsyncResult *res,
			     TenderAdapterUpdateResult *result,
			     GError **error)
{
	GError *error_local = NULL;
	gssize value = g_task_propagate_int(G_TASK(res), &error_local);

	if (error_local != NULL) {
		g_propagate_error(error, error_local);
		return FALSE;
	}
	*result = (TenderAdapterUpdateResult)value;
	return TRUE;
}

/**
 * tender_adapter_stop_async:
 * @self: a #TenderAdapter
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the workload has ended (at once if it does not run)
 * @user_data: for @callback
 */
void
tender_adapter_stop_async(TenderAdapter *self,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_return_if_fail(TENDER_IS_ADAPTER(self));
	tender_adapter_queue(self,
			     TENDER_ADAPTER_OP_STOP,
			     NULL,
			     cancellable,
			     callback,
			     user_data,
			     tender_adapter_stop_async);
}

gboolean
tender_adapter_stop_finish(TenderAdapter *self, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_adapter_get_metrics_async:
 * @self: a #TenderAdapter
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the metrics
 * @user_data: for @callback
 *
 * The workload's own usage from its cgroup (while it runs), the adapter's metrics under
 * "adapter", and "timestamp".
 */
void
tender_adapter_get_metrics_async(TenderAdapter *self,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_return_if_fail(TENDER_IS_ADAPTER(self));
	tender_adapter_queue(self,
			     TENDER_ADAPTER_OP_METRICS,
			     NULL,
			     cancellable,
			     callback,
			     user_data,
			     tender_adapter_get_metrics_async);
}

JsonObject *
tender_adapter_get_metrics_finish(TenderAdapter *self, GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

/**
 * tender_adapter_get_prometheus_async:
 * @self: a #TenderAdapter
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the metrics and the lines
 * @user_data: for @callback
 *
 * What tender_adapter_get_metrics_async() gives, and the adapter's own Prometheus lines,
 * checked (tender_adapter_prometheus_filter()).
 */
void
tender_adapter_get_prometheus_async(TenderAdapter *self,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_return_if_fail(TENDER_IS_ADAPTER(self));
	tender_adapter_queue(self,
			     TENDER_ADAPTER_OP_PROMETHEUS,
			     NULL,
			     cancellable,
			     callback,
			     user_data,
			     tender_adapter_get_prometheus_async);
}

JsonObject *
tender_adapter_get_prometheus_finish(TenderAdapter *self,
				     GAsyncResult *res,
				     GStrv *lines,
				     GError **error)
{
	TenderAdapterExposition *exposition = g_task_propagate_pointer(G_TASK(res), error);
	JsonObject *metrics;

	if (exposition == NULL)
		return NULL;
	metrics = g_steal_pointer(&exposition->metrics);
	*lines = g_steal_pointer(&exposition->lines);
	tender_adapter_exposition_free(exposition);
	return metrics;
}

/**
 * tender_adapter_get_app_status:
 * @self: a #TenderAdapter
 *
 * The instance's status as seed 000's core named it: "initializing" (never started, or a
 * start is waiting or under way), "running" (also paused or stopping), "stopped" (stopped,
 * or exited with status 0) or "error" (the last start failed, or the workload failed or
 * exited with another status).
 *
 * Returns: the status
 */
const gchar *
tender_adapter_get_app_status(TenderAdapter *self)
{
	TenderWorkload *w = tender_adapter_get_workload(self);

	if (self->starts > 0)
		return "initializing";
	if (self->start_failed)
		return "error";
	switch (w != NULL ? tender_workload_get_state(w) : TENDER_STATE_LAST) {
	case TENDER_STATE_RUNNING:
	case TENDER_STATE_PAUSED:
	case TENDER_STATE_STOPPING:
		return "running";
	case TENDER_STATE_STOPPED:
		return "stopped";
	case TENDER_STATE_EXITED:
		return tender_workload_get_exit_code(w) == 0 ? "stopped" : "error";
	case TENDER_STATE_FAILED:
		return "error";
	case TENDER_STATE_CREATED:
	case TENDER_STATE_STARTING:
	case TENDER_STATE_LAST:
	default:
		return "initializing";
	}
}
