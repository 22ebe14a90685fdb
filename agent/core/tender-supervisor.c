/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-engine-private.h"
#include "tender-error.h"
#include "tender-supervisor.h"
#include "tender-util.h"

/*
 * TenderSupervisor looks after one workload for the engine: it starts and stops its runs
 * through the workload's runtime, applies the restart policy, max_runtime_sec and the health
 * check's actions, decides the state a run ends in from why it was stopped, completes the
 * calls that wait for the end, and writes the state file as the state changes.
 */

void
tender_supervisor_free(TenderSupervisor *self)
{
	if (self->run != NULL) {
		g_signal_handler_disconnect(self->run, self->ended_id);
		g_object_unref(self->run);
	}
	g_clear_handle_id(&self->restart_id, g_source_remove);
	g_clear_handle_id(&self->runtime_id, g_source_remove);
	g_clear_signal_handler(&self->state_id, self->workload);
	if (self->health != NULL)
		g_signal_handlers_disconnect_by_data(self->health, self);
	g_clear_object(&self->health);
	g_object_unref(self->workload);
	g_ptr_array_unref(self->waiters);
	g_ptr_array_unref(self->unsaved_starts);
	g_clear_error(&self->save_error);
	g_clear_error(&self->unsaved_error);
	g_free(self->missing_reason);
	g_free(self->missing_run.run_id);
	g_free(self);
}

/*
 * Durability: a call succeeds only once what it changed is on the disk, and a call costs at
 * most one sync of the state file (two fsyncs: the file, the directory).
 *
 * Create and import write the file durably before the workload exists.  Every state after
 * that is written as it comes (renamed into place, see TenderStore), so that a tenderd that
 * restarts after a crash of its own (kill -9) finds the last one: start and stop write the
 * new state (starting, stopping) before they spawn or signal anything, and undo nothing
 * because they changed nothing yet when the write fails.  Only before a caller is answered
 * is the file synced (tender_supervisor_sync()): a start once its run runs (or has failed),
 * a stop once the run has ended; a remove unlinks the file and syncs the directory.  A start
 * whose running state cannot be written or synced is stopped again and fails.
 *
 * What may be lost in a crash of the machine is what no caller was told of, and the state
 * that the next boot finds instead is one that recovery maps to the truth, since no run
 * survives a boot: "starting" or the state before it (created, stopped, exited, failed) of a
 * start that was not answered, "running" or "stopping" of a stop that was not answered (the
 * run is found gone: its exit record, or "lost"), and the states tenderd reaches by itself (a
 * run ended, a restart is due, paused or resumed), which a restarted tenderd takes from the
 * scope, the shim's exit record and the cgroup freezer, not from the file.
 */

/* writes the state file of the workload, with its run, durably */
gboolean
tender_supervisor_save(TenderSupervisor *self, GError **error)
{
	return tender_engine_save_workload(self->engine, self->workload, self, TRUE, error);
}

/* writes the state file of the workload, with its run, for tender_supervisor_sync() */
static gboolean
tender_supervisor_save_unsynced(TenderSupervisor *self, GError **error)
{
	return tender_engine_save_workload(self->engine, self->workload, self, FALSE, error);
}

/**
 * tender_supervisor_sync:
 * @self: a #TenderSupervisor
 * @error: (nullable): a #GError
 *
 * Makes the workload's state file durable before a caller hears of what it says.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_supervisor_sync(TenderSupervisor *self, GError **error)
{
	return tender_engine_sync_workload(self->engine, self->workload, error);
}

/*
 * Moves the workload to @state only once the state file says so: on failure nothing has
 * changed, neither the file nor what anyone sees.  The file is not synced: the call that
 * moved it syncs it before it answers.
 */
gboolean
tender_supervisor_set_state_written(TenderSupervisor *self,
				    TenderState state,
				    const gchar *reason,
				    GError **error)
{
	TenderWorkload *w = self->workload;
	TenderState old_state = tender_workload_get_state(w);
	g_autofree gchar *old_reason = g_strdup(tender_workload_get_reason(w));
	gboolean ok;

	if (!tender_state_transition_is_valid(old_state, state)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' cannot go from %s to %s",
			    tender_workload_get_name(w),
			    tender_state_to_string(old_state),
			    tender_state_to_string(state));
		return FALSE;
	}
	tender_workload_reset_state(w, state, reason);
	ok = tender_supervisor_save_unsynced(self, error);
	tender_workload_reset_state(w, old_state, old_reason);
	if (!ok)
		return FALSE;
	g_clear_error(&self->save_error);
	self->saved_ahead = TRUE;
	tender_workload_set_state(w, state, reason);
	self->saved_ahead = FALSE;
	return TRUE;
}

/* the delay before restart number @count (1, 2, ...): restart_delay_ms, doubled each time */
static guint
tender_supervisor_restart_delay(const TenderSpec *spec, guint count)
{
	guint64 delay = spec->restart_delay_ms;

	for (guint i = 1; i < count && delay < TENDER_SPEC_RESTART_DELAY_MAX; i++)
		delay *= 2;
	return (guint)MIN(delay, TENDER_SPEC_RESTART_DELAY_MAX);
}

static gboolean
tender_supervisor_restart_cb(gpointer user_data)
{
	TenderSupervisor *self = user_data;
	TenderWorkload *w = self->workload;

	g_autoptr(GError) error = NULL;
	guint count = tender_workload_get_restart_count(w);

	self->restart_id = 0;
	tender_workload_set_restart_count(w, count + 1);
	g_info("restarting workload %s (restart %u of %u)",
	       tender_workload_get_name(w),
	       count + 1,
	       tender_workload_get_spec(w)->restart_max);
	if (!tender_supervisor_start(self, NULL, &error)) {
		/* the state file still says a restart is due: a restarted tenderd tries again */
		tender_workload_set_restart_count(w, count);
		g_warning("workload %s is not restarted: %s",
			  tender_workload_get_name(w),
			  error->message);
	}
	return G_SOURCE_REMOVE;
}

void
tender_supervisor_schedule_restart(TenderSupervisor *self)
{
	TenderWorkload *w = self->workload;
	guint delay = tender_supervisor_restart_delay(tender_workload_get_spec(w),
						      tender_workload_get_restart_count(w) + 1);

	g_clear_handle_id(&self->restart_id, g_source_remove);
	self->restart_id = g_timeout_add(delay, tender_supervisor_restart_cb, self);
	g_info("workload %s will be restarted in %u ms", tender_workload_get_name(w), delay);
}

/* does the restart policy ask for a restart after a run that ended in @state? */
static gboolean
tender_supervisor_policy_wants_restart(TenderSupervisor *self, TenderState state)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);

	if (self->stop_cause == TENDER_SUPERVISOR_STOP_USER ||
	    self->stop_cause == TENDER_SUPERVISOR_STOP_UNHEALTHY || state == TENDER_STATE_STOPPED)
		return FALSE;
	if (spec->restart == TENDER_RESTART_ALWAYS)
		return state == TENDER_STATE_EXITED || state == TENDER_STATE_FAILED;
	if (spec->restart == TENDER_RESTART_ON_FAILURE)
		return state == TENDER_STATE_FAILED ||
		       (state == TENDER_STATE_EXITED &&
			tender_workload_get_exit_code(self->workload) != 0);
	return FALSE;
}

/* --- health checks --- */

static void
tender_supervisor_health_status_cb(TenderHealth *health, guint status, gpointer user_data)
{
	TenderSupervisor *self = user_data;
	tender_workload_set_health(self->workload,
				   tender_health_status_to_string((TenderHealthStatus)status));
}

/* on_unhealthy "stop" and "restart" both stop the run; the end of the run decides the rest */
static void
tender_supervisor_health_unhealthy_cb(TenderHealth *health, gpointer user_data)
{
	TenderSupervisor *self = user_data;
	const TenderHealthSpec *spec = tender_workload_get_spec(self->workload)->health;
	const gchar *name = tender_workload_get_name(self->workload);
	g_autoptr(GError) error = NULL;

	if (spec->on_unhealthy == TENDER_HEALTH_ACTION_NONE || self->run == NULL ||
	    tender_runtime_run_has_ended(self->run))
		return;
	g_info("workload %s is unhealthy: %s it",
	       name,
	       spec->on_unhealthy == TENDER_HEALTH_ACTION_RESTART ? "restarting" : "stopping");
	if (self->stop_cause == TENDER_SUPERVISOR_STOP_NONE)
		self->stop_cause = TENDER_SUPERVISOR_STOP_UNHEALTHY;
	if (!tender_runtime_run_stop(self->run, self->engine->config->stop_timeout_sec, &error))
		g_warning("workload %s: %s", name, error->message);
}

static void
tender_supervisor_health_clear(TenderSupervisor *self)
{
	if (self->health == NULL)
		return;
	g_signal_handlers_disconnect_by_data(self->health, self);
	g_clear_object(&self->health);
}

/*
 * Health checks follow the run's state: they begin (status "starting") when it reaches
 * running, also when tenderd re-adopts it; they are suspended while it is paused; they end
 * when it leaves running and paused.  Health is "none" once the run has ended; while it
 * stops, the last verdict stays.
 */
static void
tender_supervisor_health_state_changed(TenderSupervisor *self, TenderState state)
{
	TenderWorkload *w = self->workload;

	if (tender_workload_get_spec(w)->health == NULL)
		return;
	if (state == TENDER_STATE_RUNNING) {
		if (self->health == NULL) {
			/* which runs the checks of an isolated workload */
			TenderRuntime *runtime =
			    tender_engine_runtime_for_workload(self->engine, w, NULL);
			self->health = tender_health_new(w, self->run, runtime);
			g_signal_connect(self->health,
					 "status-changed",
					 G_CALLBACK(tender_supervisor_health_status_cb),
					 self);
			g_signal_connect(self->health,
					 "unhealthy",
					 G_CALLBACK(tender_supervisor_health_unhealthy_cb),
					 self);
			tender_workload_set_health(w,
						   tender_health_status_to_string(
						       tender_health_get_status(self->health)));
		}
		tender_health_start(self->health);
	} else if (state == TENDER_STATE_PAUSED) {
		if (self->health != NULL)
			tender_health_suspend(self->health);
	} else {
		tender_supervisor_health_clear(self);
		if (state != TENDER_STATE_STOPPING)
			tender_workload_set_health(w, "none");
	}
}

/*
 * A run that was stopped for being unhealthy has ended.  With on_unhealthy "restart" it is
 * started again as the restart policy would: after restart_delay_ms, counted in RestartCount,
 * at most restart_max times.  A StopWorkload or RemoveWorkload that came meanwhile wins.
 */
static void
tender_supervisor_health_run_ended(TenderSupervisor *self, gboolean stop_requested)
{
	TenderWorkload *w = self->workload;
	const TenderSpec *spec = tender_workload_get_spec(w);

	if (self->stop_cause != TENDER_SUPERVISOR_STOP_UNHEALTHY || spec->health == NULL ||
	    spec->health->on_unhealthy != TENDER_HEALTH_ACTION_RESTART || self->remove_when_ended ||
	    stop_requested)
		return;
	if (tender_workload_get_restart_count(w) >= spec->restart_max) {
		g_info("workload %s will not be restarted: it was restarted restart_max (%u) times",
		       tender_workload_get_name(w),
		       spec->restart_max);
		return;
	}
	tender_supervisor_schedule_restart(self);
}

static void
tender_supervisor_run_ended_cb(TenderRuntimeRun *run,
			       guint ended_state,
			       const gchar *ended_reason,
			       gpointer user_data)
{
	TenderSupervisor *self = user_data;
	TenderEngine *engine = self->engine;
	TenderWorkload *w = self->workload;
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&self->waiters);
	g_autoptr(GPtrArray) unsaved_starts = g_steal_pointer(&self->unsaved_starts);
	g_autoptr(GError) unsaved_error = g_steal_pointer(&self->unsaved_error);
	g_autoptr(GError) answer_error = NULL;
	g_autofree gchar *unsaved_reason = NULL;
	TenderState state = (TenderState)ended_state;
	const gchar *reason = ended_reason;
	TenderState current = tender_workload_get_state(w);
	/* a start that a previous tenderd left unfinished did start, as far as anyone knows */
	gboolean started =
	    current != TENDER_STATE_STARTING || tender_runtime_run_was_abandoned(run);

	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	self->unsaved_starts = g_ptr_array_new_with_free_func(g_object_unref);
	g_clear_handle_id(&self->runtime_id, g_source_remove);

	/* the stop that was asked for decides, whatever the command did meanwhile */
	if (self->stop_cause == TENDER_SUPERVISOR_STOP_UNSAVED) {
		state = TENDER_STATE_FAILED;
		/* set with the stop cause, in tender_supervisor_run_started_cb() */
		unsaved_reason = g_strdup_printf("unsaved: %s", unsaved_error->message);
		reason = unsaved_reason;
		started = FALSE;
	} else if (self->stop_cause == TENDER_SUPERVISOR_STOP_TIMEOUT) {
		state = TENDER_STATE_FAILED;
		reason = "timeout";
	} else if (self->stop_cause == TENDER_SUPERVISOR_STOP_UNHEALTHY) {
		state = TENDER_STATE_STOPPED;
		reason = "unhealthy";
	} else if (current == TENDER_STATE_STOPPING && state != TENDER_STATE_STOPPED) {
		state = TENDER_STATE_STOPPED;
		reason = "";
	}
	/* a run that never started is not restarted: its next start would fail the same way */
	if (started && !self->remove_when_ended &&
	    tender_supervisor_policy_wants_restart(self, state)) {
		if (tender_workload_get_restart_count(w) <
		    tender_workload_get_spec(w)->restart_max) {
			tender_supervisor_schedule_restart(self);
		} else {
			state = TENDER_STATE_FAILED;
			reason = "restart-limit";
		}
	}
	tender_supervisor_health_run_ended(self, waiters->len > 0);
	self->stop_cause = TENDER_SUPERVISOR_STOP_NONE;
	tender_workload_set_state(w, state, reason);
	g_info("workload %s is %s%s%s",
	       tender_workload_get_name(self->workload),
	       tender_state_to_string(tender_workload_get_state(self->workload)),
	       tender_workload_get_reason(self->workload)[0] != '\0' ? ": " : "",
	       tender_workload_get_reason(self->workload));
	/* the stops and removes that waited for the end are answered once it is durable; a
	 * successful remove frees @self */
	if (self->remove_when_ended) {
		if (!tender_engine_remove_entry(engine, self, &answer_error))
			self->remove_when_ended = FALSE;
	} else if (waiters->len > 0) {
		tender_util_crash_point("stop-unsynced");
		(void)tender_supervisor_sync(self, &answer_error);
	}
	for (guint i = 0; i < waiters->len; i++) {
		if (answer_error != NULL)
			g_task_return_error(g_ptr_array_index(waiters, i),
					    g_error_copy(answer_error));
		else
			g_task_return_boolean(g_ptr_array_index(waiters, i), TRUE);
	}
	/* only a start whose running state was not saved is kept here, with unsaved_error */
	for (guint i = 0; i < unsaved_starts->len; i++)
		g_task_return_error(g_ptr_array_index(unsaved_starts, i),
				    g_error_copy(unsaved_error));
}

static gboolean
tender_supervisor_runtime_cb(gpointer user_data)
{
	TenderSupervisor *self = user_data;
	g_autoptr(GError) error = NULL;

	self->runtime_id = 0;
	if (self->run == NULL || tender_runtime_run_has_ended(self->run))
		return G_SOURCE_REMOVE;
	g_info("workload %s ran for max_runtime_sec (%" G_GUINT64_FORMAT " s): stopping it",
	       tender_workload_get_name(self->workload),
	       tender_workload_get_spec(self->workload)->max_runtime_sec);
	if (self->stop_cause == TENDER_SUPERVISOR_STOP_NONE)
		self->stop_cause = TENDER_SUPERVISOR_STOP_TIMEOUT;
	if (!tender_runtime_run_stop(self->run, self->engine->config->stop_timeout_sec, &error))
		g_warning("workload %s: %s",
			  tender_workload_get_name(self->workload),
			  error->message);
	return G_SOURCE_REMOVE;
}

/* max_runtime_sec counts from StartedAt, also across a restart of tenderd */
static void
tender_supervisor_arm_runtime(TenderSupervisor *self)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);
	g_autoptr(GDateTime) started = NULL;
	gint64 left_ms;

	g_clear_handle_id(&self->runtime_id, g_source_remove);
	if (spec->max_runtime_sec == 0)
		return;
	started =
	    g_date_time_new_from_iso8601(tender_workload_get_started_at(self->workload), NULL);
	left_ms = (gint64)spec->max_runtime_sec * 1000;
	if (started != NULL)
		left_ms -= g_get_real_time() / 1000 - (g_date_time_to_unix(started) * 1000 +
						       g_date_time_get_microsecond(started) / 1000);
	self->runtime_id =
	    g_timeout_add((guint)CLAMP(left_ms, 0, G_MAXINT32), tender_supervisor_runtime_cb, self);
}

static void
tender_supervisor_state_changed_cb(TenderWorkload *w,
				   guint old_state,
				   guint new_state,
				   const gchar *reason,
				   gpointer user_data)
{
	TenderSupervisor *self = user_data;

	if (old_state == TENDER_STATE_STARTING && new_state == TENDER_STATE_RUNNING)
		tender_supervisor_arm_runtime(self);
	tender_supervisor_health_state_changed(self, (TenderState)new_state);
	if (self->saved_ahead)
		return;
	g_clear_error(&self->save_error);
	if (!tender_supervisor_save_unsynced(self, &self->save_error))
		g_warning("%s", self->save_error->message);
}

/**
 * tender_supervisor_new:
 * @engine: the engine, which holds the supervisor
 * @workload: (transfer full): the workload to supervise
 *
 * Returns: (transfer full): a #TenderSupervisor, without a run
 */
TenderSupervisor *
tender_supervisor_new(TenderEngine *engine, TenderWorkload *workload)
{
	TenderSupervisor *self = g_new0(TenderSupervisor, 1);

	self->engine = engine;
	self->workload = workload;
	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	self->unsaved_starts = g_ptr_array_new_with_free_func(g_object_unref);
	self->state_id = g_signal_connect(workload,
					  "state-changed",
					  G_CALLBACK(tender_supervisor_state_changed_cb),
					  self);
	return self;
}

typedef struct {
	TenderEngine *engine;
	gchar *name;
	GTask *task; /* nullable: a restart of the policy has no caller */
} TenderSupervisorStart;

static void
tender_supervisor_start_free(TenderSupervisorStart *start)
{
	g_object_unref(start->engine);
	g_free(start->name);
	g_clear_object(&start->task);
	g_free(start);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSupervisorStart, tender_supervisor_start_free)

/* the answer to a start is sent once the state it gives is durable: a start that runs and
 * cannot be synced is stopped again, as one whose running state could not be written */
static void
tender_supervisor_run_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSupervisorStart) start = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) sync_error = NULL;
	TenderSupervisor *self = g_hash_table_lookup(start->engine->entries, start->name);
	gboolean ours = self != NULL && self->run == TENDER_RUNTIME_RUN(source);
	gboolean running;

	if (!tender_runtime_run_start_finish(TENDER_RUNTIME_RUN(source), res, &error)) {
		/* the state it failed in is part of the answer */
		if (ours && start->task != NULL && !tender_supervisor_sync(self, &sync_error))
			g_warning("%s", sync_error->message);
		if (start->task != NULL)
			g_task_return_error(start->task, g_steal_pointer(&error));
		else
			g_info("%s", error->message);
		return;
	}
	running = ours && tender_workload_get_state(self->workload) == TENDER_STATE_RUNNING;
	/* (a running state that could not be written is not synced: the run is stopped) */
	if (ours && start->task != NULL && !(running && self->save_error != NULL)) {
		tender_util_crash_point("start-unsynced");
		if (!tender_supervisor_sync(self, &sync_error) && running) {
			g_clear_error(&self->save_error);
			self->save_error = g_steal_pointer(&sync_error);
		}
	}
	if (running && self->save_error != NULL) {
		/* a restarted tenderd would not know that it runs: it must not run */
		g_warning("workload %s runs, but its state could not be saved: stopping it",
			  start->name);
		g_clear_error(&self->unsaved_error);
		self->unsaved_error = g_error_copy(self->save_error);
		if (start->task != NULL)
			g_ptr_array_add(self->unsaved_starts, g_steal_pointer(&start->task));
		self->stop_cause = TENDER_SUPERVISOR_STOP_UNSAVED;
		if (!tender_runtime_run_stop(self->run, 0, &error))
			g_warning("workload %s: %s", start->name, error->message);
		return;
	}
	if (sync_error != NULL) {
		/* it ended already, in a state that is not on the disk */
		g_task_return_error(start->task, g_steal_pointer(&sync_error));
		return;
	}
	tender_util_crash_point("start-running");
	if (start->task != NULL)
		g_task_return_boolean(start->task, TRUE);
}

/* starts a new run of @self once its state file says "starting"; @task, if any, completes
 * once it runs or has failed */
gboolean
tender_supervisor_start(TenderSupervisor *self, GTask *task, GError **error)
{
	TenderEngine *engine = self->engine;
	const gchar *name = tender_workload_get_name(self->workload);
	TenderRuntime *runtime = tender_engine_runtime_for_workload(engine, self->workload, error);
	g_autoptr(TenderRuntimeRun) previous = NULL;
	TenderSupervisorStart *start;

	/* what the image gives may have changed since the last start */
	if (runtime == NULL || !tender_engine_resolve_command(engine, self->workload, error))
		return FALSE;
	previous = g_steal_pointer(&self->run);
	self->run = tender_runtime_new_run(runtime, self->workload);
	if (!tender_supervisor_set_state_written(self, TENDER_STATE_STARTING, "", error)) {
		g_clear_object(&self->run);
		self->run = g_steal_pointer(&previous);
		return FALSE;
	}
	if (previous != NULL)
		g_clear_signal_handler(&self->ended_id, previous);
	tender_util_crash_point("start-saved");
	self->stop_cause = TENDER_SUPERVISOR_STOP_NONE;
	self->ended_id =
	    g_signal_connect(self->run, "ended", G_CALLBACK(tender_supervisor_run_ended_cb), self);
	tender_workload_set_oom_killed(self->workload, FALSE);
	g_info("starting workload %s", name);
	start = g_new0(TenderSupervisorStart, 1);
	start->engine = g_object_ref(engine);
	start->name = g_strdup(name);
	start->task = task != NULL ? g_object_ref(task) : NULL;
	tender_runtime_run_start_async(self->run, NULL, tender_supervisor_run_started_cb, start);
	return TRUE;
}

/* stop the run and have @task completed when it has ended */
gboolean
tender_supervisor_stop(TenderSupervisor *self, guint32 timeout, GTask *task, GError **error)
{
	if (!tender_supervisor_check_runtime(self, error))
		return FALSE;
	if (self->run == NULL || tender_runtime_run_has_ended(self->run)) {
		g_task_return_boolean(task, TRUE);
		return TRUE;
	}
	/* once "stopping" is saved, a restarted tenderd finishes the stop */
	if (tender_workload_get_state(self->workload) != TENDER_STATE_STOPPING &&
	    !tender_supervisor_set_state_written(self, TENDER_STATE_STOPPING, "", error))
		return FALSE;
	tender_util_crash_point("stop-saved");
	if (!tender_runtime_run_stop(self->run, timeout, error))
		return FALSE;
	g_ptr_array_add(self->waiters, g_object_ref(task));
	return TRUE;
}

/* a pause or resume under way */
typedef struct {
	gchar *name;
	TenderWorkload *workload; /* tells the supervisor from a later one of the same name */
	TenderRuntimeRun *run;
	gboolean paused; /* what it asked for */
} TenderSupervisorPause;

static void
tender_supervisor_pause_free(TenderSupervisorPause *op)
{
	g_free(op->name);
	g_object_unref(op->workload);
	g_object_unref(op->run);
	g_free(op);
}

static void
tender_supervisor_paused_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderEngine *engine = g_task_get_source_object(task);
	TenderSupervisorPause *op = g_task_get_task_data(task);
	TenderSupervisor *self = g_hash_table_lookup(engine->entries, op->name);
	TenderState from = op->paused ? TENDER_STATE_RUNNING : TENDER_STATE_PAUSED;
	TenderState state = tender_workload_get_state(op->workload);
	const gchar *verb = op->paused ? "paused" : "resumed";
	g_autoptr(GError) error = NULL;

	if (self != NULL && self->workload == op->workload)
		self->pause_busy = FALSE;
	if (!tender_runtime_run_set_paused_finish(TENDER_RUNTIME_RUN(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (self == NULL || self->workload != op->workload || self->run != op->run ||
	    tender_runtime_run_has_ended(op->run) || state != from) {
		/* stopped (or ended) meanwhile: the run carries on with that */
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' became %s while it was being %s",
					op->name,
					tender_state_to_string(state),
					verb);
		return;
	}
	tender_workload_set_state(op->workload,
				  op->paused ? TENDER_STATE_PAUSED : TENDER_STATE_RUNNING,
				  "");
	g_info("workload %s %s", op->name, verb);
	g_task_return_boolean(task, TRUE);
}

/* pauses (or resumes) the run of a workload that is running (or paused), if no other pause
 * or resume is under way; @task, of the engine, completes once it is done or has failed */
void
tender_supervisor_set_paused(TenderSupervisor *self, gboolean paused, GTask *task)
{
	const gchar *name = tender_workload_get_name(self->workload);
	TenderState wanted = paused ? TENDER_STATE_RUNNING : TENDER_STATE_PAUSED;
	TenderSupervisorPause *op;
	TenderState state;
	g_autoptr(GError) error = NULL;

	if (!tender_supervisor_check_runtime(self, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	state = tender_workload_get_state(self->workload);
	if (state != wanted || self->run == NULL || tender_runtime_run_has_ended(self->run)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' is %s, not %s",
					name,
					tender_state_to_string(state),
					tender_state_to_string(wanted));
		return;
	}
	if (self->pause_busy) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' is being paused or resumed already",
					name);
		return;
	}
	self->pause_busy = TRUE;
	op = g_new0(TenderSupervisorPause, 1);
	op->name = g_strdup(name);
	op->workload = g_object_ref(self->workload);
	op->run = g_object_ref(self->run);
	op->paused = paused;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_supervisor_pause_free);
	g_info("%s workload %s", paused ? "pausing" : "resuming", name);
	tender_runtime_run_set_paused_async(op->run,
					    paused,
					    NULL,
					    tender_supervisor_paused_cb,
					    g_object_ref(task));
}

/* the runtime of a workload that a state file brought back is not there (yet): the workload
 * is kept as the file says, with a reason that says so, until the runtime is added */
static void
tender_supervisor_wait_for_runtime(TenderSupervisor *self,
				   const TenderStoreRun *run,
				   const GError *error)
{
	TenderWorkload *w = self->workload;
	g_autofree gchar *reason =
	    g_strdup_printf("no-runtime: %s", tender_spec_get_runtime(tender_workload_get_spec(w)));

	g_message("%s; it is kept until that runtime is there", error->message);
	self->runtime_missing = TRUE;
	self->missing_reason = g_strdup(tender_workload_get_reason(w));
	self->missing_run.run_id = g_strdup(run->run_id);
	self->missing_run.shim_pid = run->shim_pid;
	self->missing_run.restart_pending = run->restart_pending;
	tender_workload_reset_state(w, tender_workload_get_state(w), reason);
}

/**
 * tender_supervisor_check_runtime:
 * @self: a #TenderSupervisor
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE unless the workload waits for its runtime; then %FALSE with
 *   %TENDER_ERROR_NOT_SUPPORTED
 */
gboolean
tender_supervisor_check_runtime(TenderSupervisor *self, GError **error)
{
	if (!self->runtime_missing)
		return TRUE;
	return tender_engine_runtime_for_workload(self->engine, self->workload, error) != NULL;
}

/**
 * tender_supervisor_take_over:
 * @self: the supervisor of a workload that a state file brought back
 * @run: what the state file says of its run
 *
 * After a restart of tenderd: the run that a previous tenderd left is adopted (or, if it was
 * still starting, abandoned), and a restart that was due is due again.  A workload whose
 * runtime is not there waits for it, as its state file says.
 */
void
tender_supervisor_take_over(TenderSupervisor *self, const TenderStoreRun *run)
{
	TenderWorkload *w = self->workload;
	const gchar *name = tender_workload_get_name(w);
	TenderState state = tender_workload_get_state(w);
	TenderRuntime *runtime;
	g_autoptr(GError) error = NULL;
	TenderState running;

	runtime = tender_engine_runtime_for_workload(self->engine, w, &error);
	if (runtime == NULL) {
		tender_supervisor_wait_for_runtime(self, run, error);
		return;
	}
	/* its Command as its runtime makes it now; if it cannot, the spec's, until a start */
	if (!tender_engine_resolve_command(self->engine, w, &error))
		g_debug("%s", error->message);
	g_clear_error(&error);
	if (!tender_state_is_active(state)) {
		if (run->restart_pending)
			tender_supervisor_schedule_restart(self);
		return;
	}
	self->run = tender_runtime_new_run(runtime, w);
	self->ended_id =
	    g_signal_connect(self->run, "ended", G_CALLBACK(tender_supervisor_run_ended_cb), self);
	if (state == TENDER_STATE_STARTING) {
		/* tenderd went away in the middle of the start, before the caller heard of a
		 * command that runs: whatever of it runs is stopped, and the run ends */
		tender_runtime_run_abandon(self->run, run->run_id != NULL ? run->run_id : "");
		return;
	}
	tender_runtime_run_adopt(self->run, run->run_id != NULL ? run->run_id : "", run->shim_pid);
	if (tender_runtime_run_has_ended(self->run))
		return;
	tender_supervisor_arm_runtime(self);
	/* paused or not is what the runtime says: a pause or resume may have been under way */
	running =
	    tender_runtime_run_get_paused(self->run) ? TENDER_STATE_PAUSED : TENDER_STATE_RUNNING;
	tender_workload_reset_state(w, running, "");
	if (state == TENDER_STATE_STOPPING) {
		/* the stop was under way: finish it (a frozen run is thawed on the way) */
		self->stop_cause = TENDER_SUPERVISOR_STOP_USER;
		if (!tender_runtime_run_stop(self->run,
					     self->engine->config->stop_timeout_sec,
					     &error))
			g_warning("workload %s: %s", name, error->message);
	}
	if (tender_workload_get_state(w) == TENDER_STATE_RUNNING)
		tender_supervisor_health_state_changed(self, TENDER_STATE_RUNNING);
	/* what the runtime gave, which a later restart would find again: no sync */
	if (!tender_supervisor_save_unsynced(self, &error))
		g_warning("%s", error->message);
}

/**
 * tender_supervisor_runtime_added:
 * @self: a supervisor whose workload waits for its runtime
 *
 * The runtime is there now: the workload is as its state file says again, and its run is
 * taken over, as at a restart of tenderd.
 */
void
tender_supervisor_runtime_added(TenderSupervisor *self)
{
	g_autofree gchar *reason = g_steal_pointer(&self->missing_reason);
	TenderStoreRun run = self->missing_run;

	g_return_if_fail(self->runtime_missing);
	self->runtime_missing = FALSE;
	self->missing_run.run_id = NULL;
	tender_workload_replace_state(self->workload,
				      tender_workload_get_state(self->workload),
				      reason);
	g_info("workload %s: its runtime is there, taking it over",
	       tender_workload_get_name(self->workload));
	tender_runtime_prepare_workload(tender_engine_runtime_for_workload(self->engine,
									   self->workload,
									   NULL),
					self->workload);
	tender_supervisor_take_over(self, &run);
	g_free(run.run_id);
}
