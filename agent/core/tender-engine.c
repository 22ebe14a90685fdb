/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

#include "tender-engine.h"
#include "tender-identity.h"
#include "tender-error.h"
#include "tender-health.h"
#include "tender-journal.h"
#include "tender-json.h"
#include "tender-log-follower.h"
#include "tender-runtime.h"
#include "tender-store.h"
#include "tender-util.h"

/*
 * TenderEngine owns the workloads and carries out every request, whichever front-end it came
 * through.  It knows nothing of D-Bus or HTTP: requests come in as names and GVariants, and
 * answers go out as GErrors in the TENDER_ERROR domain.
 */

struct _TenderEngine {
	GObject parent_instance;
	TenderConfig *config;
	TenderStore *store;
	GHashTable *runtimes; /* name → TenderRuntime */
	GHashTable *entries;  /* name → TenderEngineEntry */
	/* the TenderLogFollowers of FollowLogs, and how many GetLogs are under way */
	GPtrArray *followers;
	guint log_queries;
};

G_DEFINE_TYPE(TenderEngine, tender_engine, G_TYPE_OBJECT)

enum { SIGNAL_WORKLOAD_ADDED, SIGNAL_WORKLOAD_REMOVED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

/* why a run is being stopped: it decides the state the workload ends in */
typedef enum {
	TENDER_ENGINE_STOP_NONE,
	TENDER_ENGINE_STOP_USER,      /* StopWorkload, RemoveWorkload: stopped */
	TENDER_ENGINE_STOP_TIMEOUT,   /* max_runtime_sec: failed, "timeout" */
	TENDER_ENGINE_STOP_UNHEALTHY, /* on_unhealthy "stop": stopped, "unhealthy" */
	TENDER_ENGINE_STOP_UNSAVED,   /* its running state could not be saved: failed */
} TenderEngineStop;

typedef struct {
	TenderEngine *engine; /* not owned */
	TenderWorkload *workload;
	TenderRuntimeRun *run;
	gulong ended_id;
	gulong state_id;
	GPtrArray *waiters; /* GTask, completed when the run ends */
	gboolean remove_when_ended;
	TenderEngineStop stop_cause;
	guint restart_id; /* a restart is due when it fires */
	guint runtime_id; /* max_runtime_sec is over when it fires */
	/* the run's health check, while it runs or is paused */
	TenderHealth *health;

	/* pause and resume: one is under way */
	gboolean pause_busy;

	/* the state file holds the new state already: the state-changed handler skips it */
	gboolean saved_ahead;
	/* why the last write of the state file failed, until one succeeds */
	GError *save_error;
	/* a start whose running state could not be saved: its tasks fail once the run is over */
	GPtrArray *unsaved_starts; /* GTask */
	GError *unsaved_error;
} TenderEngineEntry;

static void
tender_engine_entry_free(TenderEngineEntry *entry)
{
	if (entry->run != NULL) {
		g_signal_handler_disconnect(entry->run, entry->ended_id);
		g_object_unref(entry->run);
	}
	g_clear_handle_id(&entry->restart_id, g_source_remove);
	g_clear_handle_id(&entry->runtime_id, g_source_remove);
	g_clear_signal_handler(&entry->state_id, entry->workload);
	if (entry->health != NULL)
		g_signal_handlers_disconnect_by_data(entry->health, entry);
	g_clear_object(&entry->health);
	g_object_unref(entry->workload);
	g_ptr_array_unref(entry->waiters);
	g_ptr_array_unref(entry->unsaved_starts);
	g_clear_error(&entry->save_error);
	g_clear_error(&entry->unsaved_error);
	g_free(entry);
}

/*
 * Durability: a call succeeds only once what it changed is in the state file.  Create and
 * import write the file before the workload exists; start and stop write the new state
 * (starting, stopping) before they spawn or signal anything, and undo nothing because they
 * changed nothing yet when the write fails.  A start whose running state then cannot be
 * written is stopped again and fails.  States that tenderd reaches by itself (a run ended,
 * a restart is due) are written as they come; a failure there is logged, and the previous
 * file is what a restarted tenderd finds.
 */

/* writes @workload's state file, with @entry's run if there is one */
static gboolean
tender_engine_save_workload(TenderEngine *self,
			    TenderWorkload *workload,
			    TenderEngineEntry *entry,
			    GError **error)
{
	TenderStoreRun run = {NULL};

	if (entry != NULL && entry->run != NULL) {
		run.run_id = (gchar *)tender_runtime_run_get_id(entry->run);
		run.shim_pid = tender_runtime_run_get_pid(entry->run);
	}
	run.restart_pending = entry != NULL && entry->restart_id != 0;
	if (!tender_store_save(self->store, workload, &run, error)) {
		g_prefix_error(error,
			       "Cannot save the state of workload '%s': ",
			       tender_workload_get_name(workload));
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_engine_save(TenderEngine *self, TenderEngineEntry *entry, GError **error)
{
	return tender_engine_save_workload(self, entry->workload, entry, error);
}

/*
 * Moves the workload to @state only once the state file says so: on failure nothing has
 * changed, neither the file nor what anyone sees.
 */
static gboolean
tender_engine_set_state_durable(TenderEngine *self,
				TenderEngineEntry *entry,
				TenderState state,
				const gchar *reason,
				GError **error)
{
	TenderWorkload *w = entry->workload;
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
	ok = tender_engine_save(self, entry, error);
	tender_workload_reset_state(w, old_state, old_reason);
	if (!ok)
		return FALSE;
	g_clear_error(&entry->save_error);
	entry->saved_ahead = TRUE;
	tender_workload_set_state(w, state, reason);
	entry->saved_ahead = FALSE;
	return TRUE;
}

typedef struct {
	const gchar *key;
	const gchar *type;
	gpointer value; /* guint32* for "u", gboolean* for "b", gchar** for "s" */
} TenderEngineOption;

static gboolean
tender_engine_parse_options(GVariant *options, const TenderEngineOption *table, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *child;

	if (options == NULL)
		return TRUE;
	if (!g_variant_is_of_type(options, G_VARIANT_TYPE_VARDICT)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Options must be of type 'a{sv}'");
		return FALSE;
	}
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &child)) {
		g_autoptr(GVariant) value = child;
		const TenderEngineOption *opt = NULL;
		for (guint i = 0; table != NULL && table[i].key != NULL; i++) {
			if (g_strcmp0(table[i].key, key) == 0)
				opt = &table[i];
		}
		if (opt == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown option '%s'",
				    key);
			return FALSE;
		}
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE(opt->type))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' must be of type '%s', not '%s'",
				    key,
				    opt->type,
				    g_variant_get_type_string(value));
			return FALSE;
		}
		if (g_strcmp0(opt->type, "u") == 0)
			*(guint32 *)opt->value = g_variant_get_uint32(value);
		else if (g_strcmp0(opt->type, "b") == 0)
			*(gboolean *)opt->value = g_variant_get_boolean(value);
		else if (g_strcmp0(opt->type, "s") == 0) {
			g_free(*(gchar **)opt->value);
			*(gchar **)opt->value = g_variant_dup_string(value, NULL);
		}
	}
	return TRUE;
}

static gboolean
tender_engine_check_timeout(guint32 timeout, GError **error)
{
	if (timeout <= TENDER_ENGINE_STOP_TIMEOUT_MAX)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Option 'timeout_sec' is %u; it must be at most %d",
		    timeout,
		    TENDER_ENGINE_STOP_TIMEOUT_MAX);
	return FALSE;
}

static TenderEngineEntry *
tender_engine_lookup(TenderEngine *self, const gchar *name, GError **error)
{
	TenderEngineEntry *entry;

	if (!tender_util_check_name(name, error))
		return NULL;
	entry = g_hash_table_lookup(self->entries, name);
	if (entry == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No workload named '%s'",
			    name);
		return NULL;
	}
	return entry;
}

/**
 * tender_engine_add_runtime:
 * @self: a #TenderEngine
 * @runtime: a runtime, by a name the engine has none of yet
 *
 * Makes @runtime one the workloads may run in.  Add runtimes before tender_engine_setup(),
 * which sets them up and takes over the runs a previous tenderd left.
 */
void
tender_engine_add_runtime(TenderEngine *self, TenderRuntime *runtime)
{
	const gchar *name;

	g_return_if_fail(TENDER_IS_ENGINE(self));
	g_return_if_fail(TENDER_IS_RUNTIME(runtime));
	name = tender_runtime_get_name(runtime);
	g_return_if_fail(name != NULL && !g_hash_table_contains(self->runtimes, name));
	g_hash_table_insert(self->runtimes, g_strdup(name), g_object_ref(runtime));
}

/**
 * tender_engine_runtime_for_workload:
 * @self: a #TenderEngine
 * @workload: a workload
 * @error: (nullable): a #GError
 *
 * The runtime a workload runs in is the one its spec names; a spec that names none, as every
 * spec does until the spec key "runtime" exists, runs in "scope".
 *
 * Returns: (transfer none): the runtime, or %NULL if the engine has none of that name
 */
TenderRuntime *
tender_engine_runtime_for_workload(TenderEngine *self, TenderWorkload *workload, GError **error)
{
	const gchar *name = TENDER_RUNTIME_SCOPE;
	TenderRuntime *runtime;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	g_return_val_if_fail(TENDER_IS_WORKLOAD(workload), NULL);
	runtime = g_hash_table_lookup(self->runtimes, name);
	if (runtime == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Workload '%s' runs in runtime '%s', which this tenderd does not have",
			    tender_workload_get_name(workload),
			    name);
		return NULL;
	}
	return runtime;
}

/* removes the state file first: a workload whose file is still there is not gone */
static gboolean
tender_engine_remove_entry(TenderEngine *self, TenderEngineEntry *entry, GError **error)
{
	g_autoptr(TenderWorkload) workload = g_object_ref(entry->workload);
	TenderRuntime *runtime = tender_engine_runtime_for_workload(self, workload, NULL);

	if (!tender_store_delete(self->store, tender_workload_get_name(workload), error))
		return FALSE;
	if (runtime != NULL)
		tender_runtime_forget_workload(runtime, workload);
	g_hash_table_remove(self->entries, tender_workload_get_name(workload));
	g_info("workload %s removed", tender_workload_get_name(workload));
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_REMOVED], 0, workload);
	return TRUE;
}

static gboolean
tender_engine_start_entry(TenderEngine *self,
			  TenderEngineEntry *entry,
			  GTask *task,
			  GError **error);

/* the delay before restart number @count (1, 2, ...): restart_delay_ms, doubled each time */
static guint
tender_engine_restart_delay(const TenderSpec *spec, guint count)
{
	guint64 delay = spec->restart_delay_ms;

	for (guint i = 1; i < count && delay < TENDER_SPEC_RESTART_DELAY_MAX; i++)
		delay *= 2;
	return (guint)MIN(delay, TENDER_SPEC_RESTART_DELAY_MAX);
}

static gboolean
tender_engine_restart_cb(gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	TenderWorkload *w = entry->workload;

	g_autoptr(GError) error = NULL;
	guint count = tender_workload_get_restart_count(w);

	entry->restart_id = 0;
	tender_workload_set_restart_count(w, count + 1);
	g_info("restarting workload %s (restart %u of %u)",
	       tender_workload_get_name(w),
	       count + 1,
	       tender_workload_get_spec(w)->restart_max);
	if (!tender_engine_start_entry(entry->engine, entry, NULL, &error)) {
		/* the state file still says a restart is due: a restarted tenderd tries again */
		tender_workload_set_restart_count(w, count);
		g_warning("workload %s is not restarted: %s",
			  tender_workload_get_name(w),
			  error->message);
	}
	return G_SOURCE_REMOVE;
}

static void
tender_engine_schedule_restart(TenderEngineEntry *entry)
{
	TenderWorkload *w = entry->workload;
	guint delay = tender_engine_restart_delay(tender_workload_get_spec(w),
						  tender_workload_get_restart_count(w) + 1);

	g_clear_handle_id(&entry->restart_id, g_source_remove);
	entry->restart_id = g_timeout_add(delay, tender_engine_restart_cb, entry);
	g_info("workload %s will be restarted in %u ms", tender_workload_get_name(w), delay);
}

/* does the restart policy ask for a restart after a run that ended in @state? */
static gboolean
tender_engine_policy_wants_restart(TenderEngineEntry *entry, TenderState state)
{
	const TenderSpec *spec = tender_workload_get_spec(entry->workload);

	if (entry->stop_cause == TENDER_ENGINE_STOP_USER ||
	    entry->stop_cause == TENDER_ENGINE_STOP_UNHEALTHY || state == TENDER_STATE_STOPPED)
		return FALSE;
	if (spec->restart == TENDER_RESTART_ALWAYS)
		return state == TENDER_STATE_EXITED || state == TENDER_STATE_FAILED;
	if (spec->restart == TENDER_RESTART_ON_FAILURE)
		return state == TENDER_STATE_FAILED ||
		       (state == TENDER_STATE_EXITED &&
			tender_workload_get_exit_code(entry->workload) != 0);
	return FALSE;
}

/* --- health checks --- */

static void
tender_engine_health_status_cb(TenderHealth *health, guint status, gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	tender_workload_set_health(entry->workload,
				   tender_health_status_to_string((TenderHealthStatus)status));
}

/* on_unhealthy "stop" and "restart" both stop the run; the end of the run decides the rest */
static void
tender_engine_health_unhealthy_cb(TenderHealth *health, gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	const TenderHealthSpec *spec = tender_workload_get_spec(entry->workload)->health;
	const gchar *name = tender_workload_get_name(entry->workload);
	g_autoptr(GError) error = NULL;

	if (spec->on_unhealthy == TENDER_HEALTH_ACTION_NONE || entry->run == NULL ||
	    tender_runtime_run_has_ended(entry->run))
		return;
	g_info("workload %s is unhealthy: %s it",
	       name,
	       spec->on_unhealthy == TENDER_HEALTH_ACTION_RESTART ? "restarting" : "stopping");
	if (entry->stop_cause == TENDER_ENGINE_STOP_NONE)
		entry->stop_cause = TENDER_ENGINE_STOP_UNHEALTHY;
	if (!tender_runtime_run_stop(entry->run, entry->engine->config->stop_timeout_sec, &error))
		g_warning("workload %s: %s", name, error->message);
}

static void
tender_engine_health_clear(TenderEngineEntry *entry)
{
	if (entry->health == NULL)
		return;
	g_signal_handlers_disconnect_by_data(entry->health, entry);
	g_clear_object(&entry->health);
}

/*
 * Health checks follow the run's state: they begin (status "starting") when it reaches
 * running, also when tenderd re-adopts it; they are suspended while it is paused; they end
 * when it leaves running and paused.  Health is "none" once the run has ended; while it
 * stops, the last verdict stays.
 */
static void
tender_engine_health_state_changed(TenderEngineEntry *entry, TenderState state)
{
	TenderWorkload *w = entry->workload;

	if (tender_workload_get_spec(w)->health == NULL)
		return;
	if (state == TENDER_STATE_RUNNING) {
		if (entry->health == NULL) {
			entry->health = tender_health_new(w, entry->run);
			g_signal_connect(entry->health,
					 "status-changed",
					 G_CALLBACK(tender_engine_health_status_cb),
					 entry);
			g_signal_connect(entry->health,
					 "unhealthy",
					 G_CALLBACK(tender_engine_health_unhealthy_cb),
					 entry);
			tender_workload_set_health(w,
						   tender_health_status_to_string(
						       tender_health_get_status(entry->health)));
		}
		tender_health_start(entry->health);
	} else if (state == TENDER_STATE_PAUSED) {
		if (entry->health != NULL)
			tender_health_suspend(entry->health);
	} else {
		tender_engine_health_clear(entry);
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
tender_engine_health_run_ended(TenderEngineEntry *entry, gboolean stop_requested)
{
	TenderWorkload *w = entry->workload;
	const TenderSpec *spec = tender_workload_get_spec(w);

	if (entry->stop_cause != TENDER_ENGINE_STOP_UNHEALTHY || spec->health == NULL ||
	    spec->health->on_unhealthy != TENDER_HEALTH_ACTION_RESTART ||
	    entry->remove_when_ended || stop_requested)
		return;
	if (tender_workload_get_restart_count(w) >= spec->restart_max) {
		g_info("workload %s will not be restarted: it was restarted restart_max (%u) times",
		       tender_workload_get_name(w),
		       spec->restart_max);
		return;
	}
	tender_engine_schedule_restart(entry);
}

static void
tender_engine_run_ended_cb(TenderRuntimeRun *run,
			   guint ended_state,
			   const gchar *ended_reason,
			   gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	TenderEngine *self = entry->engine;
	TenderWorkload *w = entry->workload;
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&entry->waiters);
	g_autoptr(GPtrArray) unsaved_starts = g_steal_pointer(&entry->unsaved_starts);
	g_autoptr(GError) unsaved_error = g_steal_pointer(&entry->unsaved_error);
	g_autoptr(GError) remove_error = NULL;
	g_autofree gchar *unsaved_reason = NULL;
	TenderState state = (TenderState)ended_state;
	const gchar *reason = ended_reason;
	TenderState current = tender_workload_get_state(w);
	/* a start that a previous tenderd left unfinished did start, as far as anyone knows */
	gboolean started =
	    current != TENDER_STATE_STARTING || tender_runtime_run_was_abandoned(run);

	entry->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	entry->unsaved_starts = g_ptr_array_new_with_free_func(g_object_unref);
	g_clear_handle_id(&entry->runtime_id, g_source_remove);

	/* the stop that was asked for decides, whatever the command did meanwhile */
	if (entry->stop_cause == TENDER_ENGINE_STOP_UNSAVED) {
		state = TENDER_STATE_FAILED;
		/* set with the stop cause, in tender_engine_run_started_cb() */
		unsaved_reason = g_strdup_printf("unsaved: %s", unsaved_error->message);
		reason = unsaved_reason;
		started = FALSE;
	} else if (entry->stop_cause == TENDER_ENGINE_STOP_TIMEOUT) {
		state = TENDER_STATE_FAILED;
		reason = "timeout";
	} else if (entry->stop_cause == TENDER_ENGINE_STOP_UNHEALTHY) {
		state = TENDER_STATE_STOPPED;
		reason = "unhealthy";
	} else if (current == TENDER_STATE_STOPPING && state != TENDER_STATE_STOPPED) {
		state = TENDER_STATE_STOPPED;
		reason = "";
	}
	/* a run that never started is not restarted: its next start would fail the same way */
	if (started && !entry->remove_when_ended &&
	    tender_engine_policy_wants_restart(entry, state)) {
		if (tender_workload_get_restart_count(w) <
		    tender_workload_get_spec(w)->restart_max) {
			tender_engine_schedule_restart(entry);
		} else {
			state = TENDER_STATE_FAILED;
			reason = "restart-limit";
		}
	}
	tender_engine_health_run_ended(entry, waiters->len > 0);
	entry->stop_cause = TENDER_ENGINE_STOP_NONE;
	tender_workload_set_state(w, state, reason);
	g_info("workload %s is %s%s%s",
	       tender_workload_get_name(entry->workload),
	       tender_state_to_string(tender_workload_get_state(entry->workload)),
	       tender_workload_get_reason(entry->workload)[0] != '\0' ? ": " : "",
	       tender_workload_get_reason(entry->workload));
	if (entry->remove_when_ended && !tender_engine_remove_entry(self, entry, &remove_error))
		entry->remove_when_ended = FALSE;
	for (guint i = 0; i < waiters->len; i++) {
		if (remove_error != NULL)
			g_task_return_error(g_ptr_array_index(waiters, i),
					    g_error_copy(remove_error));
		else
			g_task_return_boolean(g_ptr_array_index(waiters, i), TRUE);
	}
	/* only a start whose running state was not saved is kept here, with unsaved_error */
	for (guint i = 0; i < unsaved_starts->len; i++)
		g_task_return_error(g_ptr_array_index(unsaved_starts, i),
				    g_error_copy(unsaved_error));
}

static gboolean
tender_engine_runtime_cb(gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	g_autoptr(GError) error = NULL;

	entry->runtime_id = 0;
	if (entry->run == NULL || tender_runtime_run_has_ended(entry->run))
		return G_SOURCE_REMOVE;
	g_info("workload %s ran for max_runtime_sec (%" G_GUINT64_FORMAT " s): stopping it",
	       tender_workload_get_name(entry->workload),
	       tender_workload_get_spec(entry->workload)->max_runtime_sec);
	if (entry->stop_cause == TENDER_ENGINE_STOP_NONE)
		entry->stop_cause = TENDER_ENGINE_STOP_TIMEOUT;
	if (!tender_runtime_run_stop(entry->run, entry->engine->config->stop_timeout_sec, &error))
		g_warning("workload %s: %s",
			  tender_workload_get_name(entry->workload),
			  error->message);
	return G_SOURCE_REMOVE;
}

/* max_runtime_sec counts from StartedAt, also across a restart of tenderd */
static void
tender_engine_arm_runtime(TenderEngineEntry *entry)
{
	const TenderSpec *spec = tender_workload_get_spec(entry->workload);
	g_autoptr(GDateTime) started = NULL;
	gint64 left_ms;

	g_clear_handle_id(&entry->runtime_id, g_source_remove);
	if (spec->max_runtime_sec == 0)
		return;
	started =
	    g_date_time_new_from_iso8601(tender_workload_get_started_at(entry->workload), NULL);
	left_ms = (gint64)spec->max_runtime_sec * 1000;
	if (started != NULL)
		left_ms -= g_get_real_time() / 1000 - (g_date_time_to_unix(started) * 1000 +
						       g_date_time_get_microsecond(started) / 1000);
	entry->runtime_id =
	    g_timeout_add((guint)CLAMP(left_ms, 0, G_MAXINT32), tender_engine_runtime_cb, entry);
}

static void
tender_engine_state_changed_cb(TenderWorkload *w,
			       guint old_state,
			       guint new_state,
			       const gchar *reason,
			       gpointer user_data)
{
	TenderEngineEntry *entry = user_data;

	if (old_state == TENDER_STATE_STARTING && new_state == TENDER_STATE_RUNNING)
		tender_engine_arm_runtime(entry);
	tender_engine_health_state_changed(entry, (TenderState)new_state);
	if (entry->saved_ahead)
		return;
	g_clear_error(&entry->save_error);
	if (!tender_engine_save(entry->engine, entry, &entry->save_error))
		g_warning("%s", entry->save_error->message);
}

static TenderEngineEntry *
tender_engine_add_entry(TenderEngine *self, TenderWorkload *workload)
{
	TenderEngineEntry *entry = g_new0(TenderEngineEntry, 1);

	entry->engine = self;
	entry->workload = workload;
	entry->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	entry->unsaved_starts = g_ptr_array_new_with_free_func(g_object_unref);
	entry->state_id = g_signal_connect(workload,
					   "state-changed",
					   G_CALLBACK(tender_engine_state_changed_cb),
					   entry);
	g_hash_table_insert(self->entries, g_strdup(tender_workload_get_name(workload)), entry);
	return entry;
}

static gboolean
tender_engine_check_new_name(TenderEngine *self, const gchar *name, GError **error)
{
	if (!tender_util_check_name(name, error))
		return FALSE;
	if (g_hash_table_contains(self->entries, name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "A workload named '%s' exists already",
			    name);
		return FALSE;
	}
	if (g_hash_table_size(self->entries) >= self->config->max_workloads) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "There are %u workloads already, the most this tenderd allows "
			    "(max-workloads in tenderd.conf)",
			    g_hash_table_size(self->entries));
		return FALSE;
	}
	return TRUE;
}

/* the spec's user and group must exist now; tender-run resolves them again at each start */
static gboolean
tender_engine_check_identity(const TenderSpec *spec, GError **error)
{
	g_autoptr(TenderIdentity) identity = tender_identity_new_from_spec(spec, error);
	return identity != NULL;
}

/**
 * tender_engine_create_workload:
 * @self: a #TenderEngine
 * @name: the new workload's name
 * @spec: its spec, an a{sv}
 * @options: (nullable): an a{sv}; none are defined yet
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none): the new workload, in state "created"
 */
TenderWorkload *
tender_engine_create_workload(TenderEngine *self,
			      const gchar *name,
			      GVariant *spec,
			      GVariant *options,
			      GError **error)
{
	TenderEngineEntry *entry;
	TenderSpec *parsed;
	g_autoptr(TenderWorkload) workload = NULL;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	if (!tender_engine_check_new_name(self, name, error))
		return NULL;
	parsed = tender_spec_new_from_variant(spec, error);
	if (parsed == NULL)
		return NULL;
	if (!tender_engine_parse_options(options, NULL, error) ||
	    !tender_engine_check_identity(parsed, error)) {
		tender_spec_free(parsed);
		return NULL;
	}
	workload = tender_workload_new(name, parsed);
	if (!tender_engine_save_workload(self, workload, NULL, error))
		return NULL;
	entry = tender_engine_add_entry(self, g_steal_pointer(&workload));
	g_info("workload %s created", name);
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_ADDED], 0, entry->workload);
	return entry->workload;
}

typedef struct {
	TenderEngine *engine;
	gchar *name;
	GTask *task; /* nullable: a restart of the policy has no caller */
} TenderEngineStart;

static void
tender_engine_start_free(TenderEngineStart *start)
{
	g_object_unref(start->engine);
	g_free(start->name);
	g_clear_object(&start->task);
	g_free(start);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderEngineStart, tender_engine_start_free)

static void
tender_engine_run_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderEngineStart) start = user_data;
	g_autoptr(GError) error = NULL;
	TenderEngineEntry *entry;

	if (!tender_runtime_run_start_finish(TENDER_RUNTIME_RUN(source), res, &error)) {
		if (start->task != NULL)
			g_task_return_error(start->task, g_steal_pointer(&error));
		else
			g_info("%s", error->message);
		return;
	}
	entry = g_hash_table_lookup(start->engine->entries, start->name);
	if (entry != NULL && entry->run == TENDER_RUNTIME_RUN(source) &&
	    entry->save_error != NULL &&
	    tender_workload_get_state(entry->workload) == TENDER_STATE_RUNNING) {
		/* a restarted tenderd would not know that it runs: it must not run */
		g_warning("workload %s runs, but its state could not be saved: stopping it",
			  start->name);
		g_clear_error(&entry->unsaved_error);
		entry->unsaved_error = g_error_copy(entry->save_error);
		if (start->task != NULL)
			g_ptr_array_add(entry->unsaved_starts, g_steal_pointer(&start->task));
		entry->stop_cause = TENDER_ENGINE_STOP_UNSAVED;
		if (!tender_runtime_run_stop(entry->run, 0, &error))
			g_warning("workload %s: %s", start->name, error->message);
		return;
	}
	tender_util_crash_point("start-running");
	if (start->task != NULL)
		g_task_return_boolean(start->task, TRUE);
}

/* starts a new run of @entry once its state file says "starting"; @task, if any, completes
 * once it runs or has failed */
static gboolean
tender_engine_start_entry(TenderEngine *self, TenderEngineEntry *entry, GTask *task, GError **error)
{
	const gchar *name = tender_workload_get_name(entry->workload);
	TenderRuntime *runtime = tender_engine_runtime_for_workload(self, entry->workload, error);
	g_autoptr(TenderRuntimeRun) previous = NULL;
	TenderEngineStart *start;

	if (runtime == NULL)
		return FALSE;
	previous = g_steal_pointer(&entry->run);
	entry->run = tender_runtime_new_run(runtime, entry->workload);
	if (!tender_engine_set_state_durable(self, entry, TENDER_STATE_STARTING, "", error)) {
		g_clear_object(&entry->run);
		entry->run = g_steal_pointer(&previous);
		return FALSE;
	}
	if (previous != NULL)
		g_clear_signal_handler(&entry->ended_id, previous);
	tender_util_crash_point("start-saved");
	entry->stop_cause = TENDER_ENGINE_STOP_NONE;
	entry->ended_id =
	    g_signal_connect(entry->run, "ended", G_CALLBACK(tender_engine_run_ended_cb), entry);
	tender_workload_set_oom_killed(entry->workload, FALSE);
	g_info("starting workload %s", name);
	start = g_new0(TenderEngineStart, 1);
	start->engine = g_object_ref(self);
	start->name = g_strdup(name);
	start->task = task != NULL ? g_object_ref(task) : NULL;
	tender_runtime_run_start_async(entry->run, NULL, tender_engine_run_started_cb, start);
	return TRUE;
}

/**
 * tender_engine_start_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}; none are defined yet
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the command runs or could not be started
 * @user_data: for @callback
 *
 * Starts the workload, resetting RestartCount; a restart that was due is cancelled.
 */
void
tender_engine_start_workload_async(TenderEngine *self,
				   const gchar *name,
				   GVariant *options,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	TenderEngineEntry *entry;
	guint restart_id;
	guint restart_count;

	g_task_set_source_tag(task, tender_engine_start_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options(options, NULL, &error) ||
	    !tender_state_check_startable(tender_workload_get_state(entry->workload),
					  name,
					  &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	restart_id = entry->restart_id;
	restart_count = tender_workload_get_restart_count(entry->workload);
	entry->restart_id = 0;
	tender_workload_set_restart_count(entry->workload, 0);
	if (!tender_engine_start_entry(self, entry, task, &error)) {
		/* as it was: the restart that was due is still due */
		entry->restart_id = restart_id;
		tender_workload_set_restart_count(entry->workload, restart_count);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (restart_id != 0)
		g_source_remove(restart_id);
}

/**
 * tender_engine_start_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the command runs in its scope
 */
gboolean
tender_engine_start_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* stop the entry's run and have @task completed when it has ended */
static gboolean
tender_engine_stop_entry(TenderEngine *self,
			 TenderEngineEntry *entry,
			 guint32 timeout,
			 GTask *task,
			 GError **error)
{
	if (entry->run == NULL || tender_runtime_run_has_ended(entry->run)) {
		g_task_return_boolean(task, TRUE);
		return TRUE;
	}
	/* once "stopping" is saved, a restarted tenderd finishes the stop */
	if (tender_workload_get_state(entry->workload) != TENDER_STATE_STOPPING &&
	    !tender_engine_set_state_durable(self, entry, TENDER_STATE_STOPPING, "", error))
		return FALSE;
	if (!tender_runtime_run_stop(entry->run, timeout, error))
		return FALSE;
	g_ptr_array_add(entry->waiters, g_object_ref(task));
	return TRUE;
}

/**
 * tender_engine_stop_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: timeout_sec u
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the workload has ended
 * @user_data: for @callback
 *
 * Stops a running workload: SIGTERM, and SIGKILL after the timeout.  A second stop while one
 * is under way waits for the same end.
 */
void
tender_engine_stop_workload_async(TenderEngine *self,
				  const gchar *name,
				  GVariant *options,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	guint32 timeout = self->config->stop_timeout_sec;
	const TenderEngineOption table[] = {{"timeout_sec", "u", &timeout}, {NULL}};
	TenderEngineEntry *entry;

	g_task_set_source_tag(task, tender_engine_stop_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options(options, table, &error) ||
	    !tender_engine_check_timeout(timeout, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry->restart_id != 0) {
		/* ended, waiting to be restarted: the stop cancels the restart, once saved */
		guint restart_id = entry->restart_id;
		entry->restart_id = 0;
		if (!tender_engine_save(self, entry, &error)) {
			entry->restart_id = restart_id;
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_source_remove(restart_id);
		g_info("workload %s will not be restarted: it was stopped", name);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (!tender_state_check_stoppable(tender_workload_get_state(entry->workload),
					  name,
					  &error) ||
	    !tender_engine_stop_entry(self, entry, timeout, task, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry->stop_cause == TENDER_ENGINE_STOP_NONE)
		entry->stop_cause = TENDER_ENGINE_STOP_USER;
	g_info("stopping workload %s (SIGKILL after %u s)", name, timeout);
}

/**
 * tender_engine_stop_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE once the workload has stopped
 */
gboolean
tender_engine_stop_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_engine_kill_workload:
 * @self: a #TenderEngine
 * @name: the workload
 * @signo: the signal, 1 to SIGRTMAX
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the signal was sent to the workload's processes
 */
gboolean
tender_engine_kill_workload(TenderEngine *self, const gchar *name, gint signo, GError **error)
{
	TenderEngineEntry *entry;
	TenderState state;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	entry = tender_engine_lookup(self, name, error);
	if (entry == NULL)
		return FALSE;
	if (signo < 1 || signo > SIGRTMAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid signal number %d: it must be from 1 to %d",
			    signo,
			    SIGRTMAX);
		return FALSE;
	}
	state = tender_workload_get_state(entry->workload);
	if (state != TENDER_STATE_RUNNING && state != TENDER_STATE_STOPPING &&
	    state != TENDER_STATE_PAUSED) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is %s, not running",
			    name,
			    tender_state_to_string(state));
		return FALSE;
	}
	g_info("sending signal %d to workload %s", signo, name);
	return tender_runtime_run_kill(entry->run, signo, error);
}

/**
 * tender_engine_remove_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: force b, timeout_sec u
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the workload is gone
 * @user_data: for @callback
 */
void
tender_engine_remove_workload_async(TenderEngine *self,
				    const gchar *name,
				    GVariant *options,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	gboolean force = FALSE;
	guint32 timeout = self->config->stop_timeout_sec;
	const TenderEngineOption table[] = {{"force", "b", &force},
					    {"timeout_sec", "u", &timeout},
					    {NULL}};
	TenderEngineEntry *entry;
	TenderState state;

	g_task_set_source_tag(task, tender_engine_remove_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options(options, table, &error) ||
	    !tender_engine_check_timeout(timeout, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	state = tender_workload_get_state(entry->workload);
	if (!tender_state_is_active(state)) {
		if (!tender_engine_remove_entry(self, entry, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (!force) {
		(void)tender_state_check_removable(state, name, &error);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (state == TENDER_STATE_STARTING) {
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is starting; remove it once it runs",
			    name);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	entry->remove_when_ended = TRUE;
	if (entry->stop_cause == TENDER_ENGINE_STOP_NONE)
		entry->stop_cause = TENDER_ENGINE_STOP_USER;
	if (!tender_engine_stop_entry(self, entry, timeout, task, &error)) {
		entry->remove_when_ended = FALSE;
		g_task_return_error(task, g_steal_pointer(&error));
	}
}

/**
 * tender_engine_remove_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE once the workload is gone
 */
gboolean
tender_engine_remove_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* --- logs --- */

#define TENDER_ENGINE_LOG_LINES_MAX 10000
/* GetLogs returns at most this many bytes of messages, well below D-Bus's message size */
#define TENDER_ENGINE_LOG_BYTES_MAX	(8 * 1024 * 1024)
#define TENDER_ENGINE_LOG_QUERIES_MAX	16
#define TENDER_ENGINE_LOG_FOLLOWERS_MAX 64

typedef struct {
	guint32 lines;
	gchar *since;
	gchar *stream_text;
	TenderJournalStream stream;
} TenderEngineLogOptions;

static void
tender_engine_log_options_clear(TenderEngineLogOptions *opts)
{
	g_clear_pointer(&opts->since, g_free);
	g_clear_pointer(&opts->stream_text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(TenderEngineLogOptions, tender_engine_log_options_clear)

/* the workload exists, and the options of GetLogs and FollowLogs are sound */
static gboolean
tender_engine_parse_log_options(TenderEngine *self,
				const gchar *name,
				GVariant *options,
				TenderEngineLogOptions *opts,
				GError **error)
{
	const TenderEngineOption table[] = {{"lines", "u", &opts->lines},
					    {"since", "s", &opts->since},
					    {"stream", "s", &opts->stream_text},
					    {NULL}};

	if (tender_engine_lookup(self, name, error) == NULL ||
	    !tender_engine_parse_options(options, table, error))
		return FALSE;
	if (opts->lines > TENDER_ENGINE_LOG_LINES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'lines' is %u; it must be at most %d",
			    opts->lines,
			    TENDER_ENGINE_LOG_LINES_MAX);
		return FALSE;
	}
	if (opts->since != NULL && !tender_journal_check_cursor(opts->since, error))
		return FALSE;
	opts->stream = TENDER_JOURNAL_STREAM_BOTH;
	if (opts->stream_text != NULL &&
	    !tender_journal_stream_from_string(opts->stream_text, &opts->stream)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'stream' is '%s'; it must be 'stdout', 'stderr' or 'both'",
			    opts->stream_text);
		return FALSE;
	}
	return TRUE;
}

static void
tender_engine_logs_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderEngine *self = g_task_get_source_object(task);
	g_autoptr(GError) error = NULL;
	GVariant *entries;

	self->log_queries--;
	entries = tender_journal_query_finish(res, &error);
	if (entries == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, entries, (GDestroyNotify)g_variant_unref);
}

/**
 * tender_engine_get_logs_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: lines u, since s, stream s
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * Reads the workload's output from the journal, in a worker thread.
 */
void
tender_engine_get_logs_async(TenderEngine *self,
			     const gchar *name,
			     GVariant *options,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;
	g_auto(TenderEngineLogOptions) opts = {.lines = 100};

	g_task_set_source_tag(task, tender_engine_get_logs_async);
	if (!tender_engine_parse_log_options(self, name, options, &opts, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (self->log_queries >= TENDER_ENGINE_LOG_QUERIES_MAX) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"There are %u log queries under way already, the most "
					"tenderd allows; try again later",
					self->log_queries);
		return;
	}
	self->log_queries++;
	tender_journal_query_async(name,
				   opts.stream,
				   opts.lines,
				   opts.since,
				   TENDER_ENGINE_LOG_BYTES_MAX,
				   cancellable,
				   tender_engine_logs_read_cb,
				   g_steal_pointer(&task));
}

/**
 * tender_engine_get_logs_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the entries, an aa{sv}, oldest first
 */
GVariant *
tender_engine_get_logs_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

static void
tender_engine_follower_closed_cb(TenderLogFollower *follower, gpointer user_data)
{
	TenderEngine *self = TENDER_ENGINE(user_data);
	g_ptr_array_remove(self->followers, follower);
}

/* a removed workload's followers end: their readers see the end of the pipe */
static void
tender_engine_logs_workload_removed_cb(TenderEngine *self,
				       TenderWorkload *workload,
				       gpointer user_data)
{
	for (guint i = self->followers->len; i > 0; i--) {
		TenderLogFollower *follower = g_ptr_array_index(self->followers, i - 1);
		if (g_strcmp0(tender_log_follower_get_workload(follower),
			      tender_workload_get_name(workload)) == 0)
			g_ptr_array_remove_index(self->followers, i - 1);
	}
}

/**
 * tender_engine_follow_logs:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}: lines u, since s, stream s
 * @fd: (out): the read end of a pipe, for the caller to pass on and close
 * @error: (nullable): a #GError
 *
 * Writes the workload's output into a pipe, one line of JSON per entry: the last lines (or
 * all after since), then every new one, until the reader closes the pipe or the workload is
 * removed.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_engine_follow_logs(TenderEngine *self,
			  const gchar *name,
			  GVariant *options,
			  gint *fd,
			  GError **error)
{
	g_auto(TenderEngineLogOptions) opts = {.lines = 10};
	g_autoptr(TenderJournal) journal = NULL;
	g_autoptr(GError) error_pipe = NULL;
	TenderLogFollower *follower;
	gint fds[2] = {-1, -1};

	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	if (!tender_engine_parse_log_options(self, name, options, &opts, error))
		return FALSE;
	if (self->followers->len >= TENDER_ENGINE_LOG_FOLLOWERS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "There are %u log followers already, the most tenderd allows",
			    self->followers->len);
		return FALSE;
	}
	journal = tender_journal_open(name, opts.stream, TRUE, error);
	if (journal == NULL || !tender_journal_seek(journal, opts.lines, opts.since, error))
		return FALSE;
	if (!g_unix_open_pipe(fds, FD_CLOEXEC, &error_pipe) ||
	    !g_unix_set_fd_nonblocking(fds[1], TRUE, &error_pipe)) {
		if (fds[0] >= 0) {
			(void)close(fds[0]);
			(void)close(fds[1]);
		}
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create a pipe: %s",
			    error_pipe->message);
		return FALSE;
	}
	follower = tender_log_follower_new(name, g_steal_pointer(&journal), fds[1]);
	g_signal_connect(follower, "closed", G_CALLBACK(tender_engine_follower_closed_cb), self);
	g_ptr_array_add(self->followers, follower);
	g_info("following the logs of workload %s", name);
	*fd = fds[0];
	return TRUE;
}

/**
 * tender_engine_get_workload:
 * @self: a #TenderEngine
 * @name: a workload name
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none): the workload, or %NULL with %TENDER_ERROR_NOT_FOUND
 */
TenderWorkload *
tender_engine_get_workload(TenderEngine *self, const gchar *name, GError **error)
{
	TenderEngineEntry *entry;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	entry = tender_engine_lookup(self, name, error);
	return entry != NULL ? entry->workload : NULL;
}

static gint
tender_engine_sort_by_name_cb(gconstpointer a, gconstpointer b)
{
	TenderWorkload *wa = *(TenderWorkload **)a;
	TenderWorkload *wb = *(TenderWorkload **)b;
	return g_strcmp0(tender_workload_get_name(wa), tender_workload_get_name(wb));
}

/**
 * tender_engine_get_workloads:
 * @self: a #TenderEngine
 *
 * Returns: (transfer container) (element-type TenderWorkload): every workload, by name
 */
GPtrArray *
tender_engine_get_workloads(TenderEngine *self)
{
	GPtrArray *array = g_ptr_array_new_with_free_func(g_object_unref);
	GHashTableIter iter;
	gpointer value;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), array);
	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		TenderEngineEntry *entry = value;
		g_ptr_array_add(array, g_object_ref(entry->workload));
	}
	g_ptr_array_sort(array, tender_engine_sort_by_name_cb);
	return array;
}

/**
 * tender_engine_get_limits:
 * @self: a #TenderEngine
 * @workload: a workload
 *
 * Returns: (transfer floating): the limits the kernel holds for the workload's run while it
 * runs, an empty a{sv} otherwise
 */
GVariant *
tender_engine_get_limits(TenderEngine *self, TenderWorkload *workload)
{
	TenderEngineEntry *entry =
	    g_hash_table_lookup(self->entries, tender_workload_get_name(workload));
	GVariant *limits = NULL;
	g_autoptr(GError) error = NULL;

	if (tender_state_is_active(tender_workload_get_state(workload)) && entry != NULL &&
	    entry->workload == workload && entry->run != NULL)
		limits = tender_runtime_run_read_limits(entry->run, &error);
	if (limits == NULL && error != NULL)
		g_debug("cannot read the limits of workload %s: %s",
			tender_workload_get_name(workload),
			error->message);
	if (limits == NULL)
		limits = g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return limits;
}

/* --- metrics, pause and resume --- */

/**
 * tender_engine_get_metrics:
 * @self: a #TenderEngine
 * @name: the workload
 * @error: (nullable): a #GError
 *
 * Reads the usage of a running or paused workload from its runtime.  cpu_percent is the CPU
 * used since the previous call for the same run of the workload (or since StartedAt, for the
 * first), in percent of one CPU.
 *
 * Returns: (transfer floating): an a{sv} as GetMetrics documents it, or %NULL
 */
GVariant *
tender_engine_get_metrics(TenderEngine *self, const gchar *name, GError **error)
{
	TenderEngineEntry *entry;
	TenderState state;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	entry = tender_engine_lookup(self, name, error);
	if (entry == NULL)
		return NULL;
	state = tender_workload_get_state(entry->workload);
	if ((state != TENDER_STATE_RUNNING && state != TENDER_STATE_PAUSED) || entry->run == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is %s; it has metrics only while it runs or is paused",
			    name,
			    tender_state_to_string(state));
		return NULL;
	}
	return tender_runtime_run_get_metrics(entry->run, error);
}

/* a pause or resume under way */
typedef struct {
	gchar *name;
	TenderWorkload *workload; /* tells the entry from a later one of the same name */
	TenderRuntimeRun *run;
	gboolean paused; /* what it asked for */
} TenderEnginePause;

static void
tender_engine_pause_free(TenderEnginePause *op)
{
	g_free(op->name);
	g_object_unref(op->workload);
	g_object_unref(op->run);
	g_free(op);
}

static void
tender_engine_paused_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderEngine *self = g_task_get_source_object(task);
	TenderEnginePause *op = g_task_get_task_data(task);
	TenderEngineEntry *entry = g_hash_table_lookup(self->entries, op->name);
	TenderState from = op->paused ? TENDER_STATE_RUNNING : TENDER_STATE_PAUSED;
	TenderState state = tender_workload_get_state(op->workload);
	const gchar *verb = op->paused ? "paused" : "resumed";
	g_autoptr(GError) error = NULL;

	if (entry != NULL && entry->workload == op->workload)
		entry->pause_busy = FALSE;
	if (!tender_runtime_run_set_paused_finish(TENDER_RUNTIME_RUN(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry == NULL || entry->workload != op->workload || entry->run != op->run ||
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
 * or resume is under way; @task completes once it is done or has failed */
static void
tender_engine_set_paused(TenderEngine *self, const gchar *name, gboolean paused, GTask *task)
{
	g_autoptr(GError) error = NULL;
	TenderEngineEntry *entry = tender_engine_lookup(self, name, &error);
	TenderState wanted = paused ? TENDER_STATE_RUNNING : TENDER_STATE_PAUSED;
	TenderEnginePause *op;
	TenderState state;

	if (entry == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	state = tender_workload_get_state(entry->workload);
	if (state != wanted || entry->run == NULL || tender_runtime_run_has_ended(entry->run)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' is %s, not %s",
					name,
					tender_state_to_string(state),
					tender_state_to_string(wanted));
		return;
	}
	if (entry->pause_busy) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload '%s' is being paused or resumed already",
					name);
		return;
	}
	entry->pause_busy = TRUE;
	op = g_new0(TenderEnginePause, 1);
	op->name = g_strdup(name);
	op->workload = g_object_ref(entry->workload);
	op->run = g_object_ref(entry->run);
	op->paused = paused;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_engine_pause_free);
	g_info("%s workload %s", paused ? "pausing" : "resuming", name);
	tender_runtime_run_set_paused_async(op->run,
					    paused,
					    NULL,
					    tender_engine_paused_cb,
					    g_object_ref(task));
}

/**
 * tender_engine_pause_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @cancellable: (nullable): a #GCancellable (not used: a freeze is not left half done)
 * @callback: called once every process of the workload is frozen, or the freeze failed
 * @user_data: for @callback
 *
 * Freezes a running workload through its runtime; its state becomes "paused".  A freeze
 * that fails is undone, and the workload runs on.
 */
void
tender_engine_pause_workload_async(TenderEngine *self,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_engine_pause_workload_async);
	tender_engine_set_paused(self, name, TRUE, task);
}

/**
 * tender_engine_pause_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload is paused
 */
gboolean
tender_engine_pause_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_engine_resume_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @cancellable: (nullable): a #GCancellable (not used)
 * @callback: called once the workload's processes run again, or the thaw failed
 * @user_data: for @callback
 *
 * Thaws a paused workload; its state becomes "running" again.
 */
void
tender_engine_resume_workload_async(TenderEngine *self,
				    const gchar *name,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_engine_resume_workload_async);
	tender_engine_set_paused(self, name, FALSE, task);
}

/**
 * tender_engine_resume_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload runs again
 */
gboolean
tender_engine_resume_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* --- export and import --- */

/**
 * tender_engine_export_workload:
 * @self: a #TenderEngine
 * @name: the workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the workload as JSON, as ExportWorkload documents it
 */
gchar *
tender_engine_export_workload(TenderEngine *self, const gchar *name, GError **error)
{
	TenderEngineEntry *entry;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) generator = json_generator_new();

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	entry = tender_engine_lookup(self, name, error);
	if (entry == NULL)
		return NULL;
	root = tender_workload_to_json(entry->workload);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	return json_generator_to_data(generator, NULL);
}

/**
 * tender_engine_import_workload:
 * @self: a #TenderEngine
 * @json: what ExportWorkload returned; its "state" is ignored
 * @options: (nullable): an a{sv}: name s, to create it under another name
 * @error: (nullable): a #GError
 *
 * Creates a workload from an export, checking it exactly as CreateWorkload does.
 *
 * Returns: (transfer none): the new workload, in state "created"
 */
TenderWorkload *
tender_engine_import_workload(TenderEngine *self,
			      const gchar *json,
			      GVariant *options,
			      GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *name = NULL;
	const TenderEngineOption table[] = {{"name", "s", &name}, {NULL}};
	TenderWorkload *workload;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	if (!tender_engine_parse_options(options, table, error))
		return NULL;
	if (strlen(json) > TENDER_ENGINE_IMPORT_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The workload to import has more than %d bytes",
			    TENDER_ENGINE_IMPORT_MAX);
		return NULL;
	}
	root = tender_json_parse(json, -1, TENDER_JSON_DEPTH_MAX, &error_local);
	if (root == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The workload to import is not valid JSON: %s",
			    error_local->message);
		return NULL;
	}
	workload = tender_workload_new_from_json(root, name, FALSE, error);
	if (workload == NULL)
		return NULL;
	if (!tender_engine_check_new_name(self, tender_workload_get_name(workload), error) ||
	    !tender_engine_save_workload(self, workload, NULL, error)) {
		g_object_unref(workload);
		return NULL;
	}
	(void)tender_engine_add_entry(self, workload);
	g_info("workload %s imported", tender_workload_get_name(workload));
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_ADDED], 0, workload);
	return workload;
}

/* --- a restart of tenderd --- */

/* takes over the workload of a state file, and its run if it had one */
static void
tender_engine_restore(TenderEngine *self, TenderStoreItem *item)
{
	TenderWorkload *w = g_object_ref(item->workload);
	const gchar *name = tender_workload_get_name(w);
	TenderState state = tender_workload_get_state(w);
	TenderEngineEntry *entry;
	TenderRuntime *runtime;
	g_autoptr(GError) error = NULL;
	TenderState running;

	if (g_hash_table_contains(self->entries, name)) {
		g_object_unref(w);
		return;
	}
	entry = tender_engine_add_entry(self, w);
	if (!tender_state_is_active(state)) {
		if (item->run.restart_pending)
			tender_engine_schedule_restart(entry);
		return;
	}
	runtime = tender_engine_runtime_for_workload(self, w, &error);
	if (runtime == NULL) {
		/* nothing here can reach its run: it is as good as lost */
		g_warning("%s", error->message);
		tender_workload_set_main_pid(w, 0);
		tender_workload_set_state(w, TENDER_STATE_FAILED, "lost: no runtime for it");
		return;
	}
	entry->run = tender_runtime_new_run(runtime, w);
	entry->ended_id =
	    g_signal_connect(entry->run, "ended", G_CALLBACK(tender_engine_run_ended_cb), entry);
	if (state == TENDER_STATE_STARTING) {
		/* tenderd went away in the middle of the start, before the caller heard of a
		 * command that runs: whatever of it runs is stopped, and the run ends */
		tender_runtime_run_abandon(entry->run,
					   item->run.run_id != NULL ? item->run.run_id : "");
		return;
	}
	tender_runtime_run_adopt(entry->run,
				 item->run.run_id != NULL ? item->run.run_id : "",
				 item->run.shim_pid);
	if (tender_runtime_run_has_ended(entry->run))
		return;
	tender_engine_arm_runtime(entry);
	/* paused or not is what the runtime says: a pause or resume may have been under way */
	running =
	    tender_runtime_run_get_paused(entry->run) ? TENDER_STATE_PAUSED : TENDER_STATE_RUNNING;
	tender_workload_reset_state(w, running, "");
	if (state == TENDER_STATE_STOPPING) {
		/* the stop was under way: finish it (a frozen run is thawed on the way) */
		entry->stop_cause = TENDER_ENGINE_STOP_USER;
		if (!tender_runtime_run_stop(entry->run, self->config->stop_timeout_sec, &error))
			g_warning("workload %s: %s", name, error->message);
	}
	if (tender_workload_get_state(w) == TENDER_STATE_RUNNING)
		tender_engine_health_state_changed(entry, TENDER_STATE_RUNNING);
	if (!tender_engine_save(self, entry, &error))
		g_warning("%s", error->message);
}

/* --- what an authorization check is told about a call --- */

/* argv as one line for people and polkit rules: words with blanks or quotes shell-quoted */
static gchar *
tender_engine_command_line(const gchar *const *argv)
{
	GString *line = g_string_new(NULL);

	for (guint i = 0; argv != NULL && argv[i] != NULL; i++) {
		g_autofree gchar *quoted = NULL;
		if (i > 0)
			g_string_append_c(line, ' ');
		if (argv[i][0] != '\0' && strpbrk(argv[i], " \t\n'\"\\$`;&|<>()*?[]#~") == NULL) {
			g_string_append(line, argv[i]);
			continue;
		}
		quoted = g_shell_quote(argv[i]);
		g_string_append(line, quoted);
	}
	return g_string_free(line, FALSE);
}

static void
tender_engine_details_add_argv(GHashTable *details, const gchar *const *argv)
{
	if (argv == NULL || argv[0] == NULL)
		return;
	g_hash_table_insert(details, g_strdup("program"), g_strdup(argv[0]));
	g_hash_table_insert(details, g_strdup("command_line"), tender_engine_command_line(argv));
}

/**
 * tender_engine_get_workload_property:
 * @self: a #TenderEngine
 * @w: a workload
 * @property: the name of an org.tender.Agent1.Workload property, e.g. "State"
 *
 * Returns: (transfer floating) (nullable): its value, or %NULL for no such property
 */
GVariant *
tender_engine_get_workload_property(TenderEngine *self, TenderWorkload *w, const gchar *property)
{
	if (g_strcmp0(property, "Name") == 0)
		return g_variant_new_string(tender_workload_get_name(w));
	if (g_strcmp0(property, "State") == 0)
		return g_variant_new_string(tender_state_to_string(tender_workload_get_state(w)));
	if (g_strcmp0(property, "Reason") == 0)
		return g_variant_new_string(tender_workload_get_reason(w));
	if (g_strcmp0(property, "Unit") == 0)
		return g_variant_new_string(tender_workload_get_unit(w));
	if (g_strcmp0(property, "ControlGroup") == 0)
		return g_variant_new_string(tender_workload_get_control_group(w));
	if (g_strcmp0(property, "MainPID") == 0)
		return g_variant_new_uint32(tender_workload_get_main_pid(w));
	if (g_strcmp0(property, "ExitCode") == 0)
		return g_variant_new_int32(tender_workload_get_exit_code(w));
	if (g_strcmp0(property, "ExitSignal") == 0)
		return g_variant_new_int32(tender_workload_get_exit_signal(w));
	if (g_strcmp0(property, "CreatedAt") == 0)
		return g_variant_new_string(tender_workload_get_created_at(w));
	if (g_strcmp0(property, "StartedAt") == 0)
		return g_variant_new_string(tender_workload_get_started_at(w));
	if (g_strcmp0(property, "StoppedAt") == 0)
		return g_variant_new_string(tender_workload_get_stopped_at(w));
	if (g_strcmp0(property, "Command") == 0)
		return g_variant_new_strv((const gchar *const *)tender_workload_get_spec(w)->argv,
					  -1);
	if (g_strcmp0(property, "Spec") == 0)
		return tender_spec_to_variant(tender_workload_get_spec(w));
	if (g_strcmp0(property, "RestartCount") == 0)
		return g_variant_new_uint32(tender_workload_get_restart_count(w));
	if (g_strcmp0(property, "OOMKilled") == 0)
		return g_variant_new_boolean(tender_workload_get_oom_killed(w));
	if (g_strcmp0(property, "Health") == 0)
		return g_variant_new_string(tender_workload_get_health(w));
	if (g_strcmp0(property, "Limits") == 0)
		return tender_engine_get_limits(self, w);
	return NULL;
}

/* every property of org.tender.Agent1.Workload */
static const gchar *const tender_engine_workload_properties[] = {"Name",
								 "State",
								 "Reason",
								 "Unit",
								 "ControlGroup",
								 "MainPID",
								 "ExitCode",
								 "ExitSignal",
								 "CreatedAt",
								 "StartedAt",
								 "StoppedAt",
								 "Command",
								 "Spec",
								 "RestartCount",
								 "OOMKilled",
								 "Health",
								 "Limits",
								 NULL};

/**
 * tender_engine_get_workload_properties:
 * @self: a #TenderEngine
 * @name: a workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv} of all the org.tender.Agent1.Workload properties
 */
GVariant *
tender_engine_get_workload_properties(TenderEngine *self, const gchar *name, GError **error)
{
	TenderWorkload *w = tender_engine_get_workload(self, name, error);
	GVariantBuilder builder;

	if (w == NULL)
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; tender_engine_workload_properties[i] != NULL; i++) {
		const gchar *property = tender_engine_workload_properties[i];
		g_variant_builder_add(&builder,
				      "{sv}",
				      property,
				      tender_engine_get_workload_property(self, w, property));
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/**
 * tender_engine_get_call_details:
 * @self: a #TenderEngine
 * @method: the Manager method called, e.g. "StartWorkload"
 * @name: (nullable): the workload it names (for ImportWorkload: the option "name", if given)
 * @spec: (nullable): the spec (a{sv}) of a CreateWorkload
 * @json: (nullable): the text of an ImportWorkload
 *
 * What polkit rules may decide on, the same for every front-end: "method" (the Manager method),
 * "workload" (its name), "program" (argv[0]) and "command_line" (argv, shell-quoted where
 * needed).  The command is the one the call brings for CreateWorkload and ImportWorkload, and
 * the workload's own for a method on an existing workload.  Keys whose value is not known (a
 * malformed spec, no such workload) are left out; the call itself refuses those afterwards.
 *
 * Returns: (transfer full): gchar* → gchar*
 */
GHashTable *
tender_engine_get_call_details(TenderEngine *self,
			       const gchar *method,
			       const gchar *name,
			       GVariant *spec,
			       const gchar *json)
{
	GHashTable *details = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	TenderEngineEntry *entry = NULL;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), details);
	g_hash_table_insert(details, g_strdup("method"), g_strdup(method));
	if (json != NULL && strlen(json) <= TENDER_ENGINE_IMPORT_MAX) {
		g_autoptr(JsonNode) root = tender_json_parse(json, -1, TENDER_JSON_DEPTH_MAX, NULL);
		g_autoptr(TenderWorkload) imported = NULL;
		if (root != NULL)
			imported = tender_workload_new_from_json(root, name, FALSE, NULL);
		if (imported != NULL) {
			g_hash_table_insert(details,
					    g_strdup("workload"),
					    g_strdup(tender_workload_get_name(imported)));
			tender_engine_details_add_argv(details,
						       (const gchar *const *)
							   tender_workload_get_spec(imported)
							       ->argv);
		}
		return details;
	}
	if (name == NULL)
		return details;
	g_hash_table_insert(details, g_strdup("workload"), g_strdup(name));
	if (spec != NULL) {
		g_autoptr(GVariant) argv =
		    g_variant_lookup_value(spec, "argv", G_VARIANT_TYPE_STRING_ARRAY);
		g_autofree const gchar **strv =
		    argv != NULL ? g_variant_get_strv(argv, NULL) : NULL;
		tender_engine_details_add_argv(details, strv);
		return details;
	}
	entry = g_hash_table_lookup(self->entries, name);
	if (entry != NULL)
		tender_engine_details_add_argv(details,
					       (const gchar *const *)tender_workload_get_spec(
						   entry->workload)
						   ->argv);
	return details;
}

/**
 * tender_engine_setup:
 * @self: a #TenderEngine
 * @error: (nullable): a #GError
 *
 * Sets up every runtime, creates the state directory, and takes over the workloads of a
 * previous tenderd: those that still run are re-adopted, those that ended meanwhile get the
 * state their runtime gives.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_engine_setup(TenderEngine *self, GError **error)
{
	g_autoptr(GPtrArray) items = NULL;
	GHashTableIter iter;
	gpointer runtime;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	g_hash_table_iter_init(&iter, self->runtimes);
	while (g_hash_table_iter_next(&iter, NULL, &runtime)) {
		if (!tender_runtime_setup(TENDER_RUNTIME(runtime), error))
			return FALSE;
	}
	if (!tender_store_setup(self->store, error))
		return FALSE;
	items = tender_store_load(self->store);
	for (guint i = 0; i < items->len; i++)
		tender_engine_restore(self, g_ptr_array_index(items, i));
	if (items->len > 0)
		g_info("restored %u workloads from %s",
		       items->len,
		       tender_store_get_dir(self->store));
	return TRUE;
}

static void
tender_engine_finalize(GObject *object)
{
	TenderEngine *self = TENDER_ENGINE(object);
	g_hash_table_unref(self->entries);
	g_ptr_array_unref(self->followers);
	g_object_unref(self->store);
	g_hash_table_unref(self->runtimes);
	tender_config_free(self->config);
	G_OBJECT_CLASS(tender_engine_parent_class)->finalize(object);
}

static void
tender_engine_class_init(TenderEngineClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_engine_finalize;

	/**
	 * TenderEngine::workload-added:
	 * @self: the engine
	 * @workload: the new workload
	 */
	signals[SIGNAL_WORKLOAD_ADDED] = g_signal_new("workload-added",
						      G_TYPE_FROM_CLASS(klass),
						      G_SIGNAL_RUN_LAST,
						      0,
						      NULL,
						      NULL,
						      NULL,
						      G_TYPE_NONE,
						      1,
						      TENDER_TYPE_WORKLOAD);
	/**
	 * TenderEngine::workload-removed:
	 * @self: the engine
	 * @workload: the workload that is gone
	 */
	signals[SIGNAL_WORKLOAD_REMOVED] = g_signal_new("workload-removed",
							G_TYPE_FROM_CLASS(klass),
							G_SIGNAL_RUN_LAST,
							0,
							NULL,
							NULL,
							NULL,
							G_TYPE_NONE,
							1,
							TENDER_TYPE_WORKLOAD);
}

static void
tender_engine_init(TenderEngine *self)
{
	self->entries = g_hash_table_new_full(g_str_hash,
					      g_str_equal,
					      g_free,
					      (GDestroyNotify)tender_engine_entry_free);
	self->followers = g_ptr_array_new_with_free_func(g_object_unref);
	self->runtimes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	g_signal_connect(self,
			 "workload-removed",
			 G_CALLBACK(tender_engine_logs_workload_removed_cb),
			 NULL);
}

/**
 * tender_engine_new:
 * @config: the settings (copied)
 *
 * Add the runtimes with tender_engine_add_runtime(), then call tender_engine_setup().
 *
 * Returns: (transfer full): a #TenderEngine
 */
TenderEngine *
tender_engine_new(const TenderConfig *config)
{
	TenderEngine *self = g_object_new(TENDER_TYPE_ENGINE, NULL);
	self->config = tender_config_new();
	g_free(self->config->state_dir);
	self->config->state_dir = g_strdup(config->state_dir);
	self->config->stop_timeout_sec = config->stop_timeout_sec;
	self->config->max_workloads = config->max_workloads;
	self->store = tender_store_new(config->state_dir);
	return self;
}
