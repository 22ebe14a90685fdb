/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>
/* after a libc header, which tells whether it is glibc */
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tender-engine-private.h"
#include "tender-error.h"
#include "tender-identity.h"
#include "tender-json.h"
#include "tender-options.h"
#include "tender-runtime.h"
#include "tender-util.h"
#include "tender-workload-view.h"

/*
 * TenderEngine owns the workloads and carries out every request, whichever front-end it came
 * through.  It knows nothing of D-Bus or HTTP: requests come in as names and GVariants, and
 * answers go out as GErrors in the TENDER_ERROR domain.
 */

G_DEFINE_TYPE(TenderEngine, tender_engine, G_TYPE_OBJECT)

enum { SIGNAL_WORKLOAD_ADDED, SIGNAL_WORKLOAD_REMOVED, SIGNAL_LAST };

/* seconds after the last removal before the heap is trimmed */
#define TENDER_ENGINE_TRIM_DELAY_SEC 2
static guint signals[SIGNAL_LAST] = {0};

/* says which workload's state a failed write or sync was of; returns %FALSE */
static gboolean
tender_engine_save_failed(TenderWorkload *workload, GError **error)
{
	g_prefix_error(error,
		       "Cannot save the state of workload '%s': ",
		       tender_workload_get_name(workload));
	return FALSE;
}

/* writes @workload's state file, with @supervisor's run if there is one: durably with @sync,
 * or to be made durable by tender_engine_sync_workload() before a caller hears of it */
gboolean
tender_engine_save_workload(TenderEngine *self,
			    TenderWorkload *workload,
			    TenderSupervisor *supervisor,
			    gboolean sync,
			    GError **error)
{
	TenderStoreRun run = {NULL};

	if (supervisor != NULL && supervisor->run != NULL) {
		run.run_id = (gchar *)tender_runtime_run_get_id(supervisor->run);
		run.shim_pid = tender_runtime_run_get_pid(supervisor->run);
	}
	run.restart_pending = supervisor != NULL && supervisor->restart_id != 0;
	return tender_store_save_full(self->store, workload, &run, sync, error) ||
	       tender_engine_save_failed(workload, error);
}

/* makes what tender_engine_save_workload() last wrote of @workload durable, if it is not */
gboolean
tender_engine_sync_workload(TenderEngine *self, TenderWorkload *workload, GError **error)
{
	return tender_store_sync(self->store, tender_workload_get_name(workload), error) ||
	       tender_engine_save_failed(workload, error);
}

/* @options of @method, checked against the one schema, into the places @table names */
gboolean
tender_engine_parse_options(const gchar *method,
			    GVariant *options,
			    const TenderEngineOption *table,
			    GError **error)
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
		const gchar *type = tender_options_get_type(method, key);
		gpointer place = NULL;

		if (type == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown option '%s'",
				    key);
			return FALSE;
		}
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE(type))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' must be of type '%s', not '%s'",
				    key,
				    type,
				    g_variant_get_type_string(value));
			return FALSE;
		}
		for (guint i = 0; table != NULL && table[i].key != NULL; i++) {
			if (g_strcmp0(table[i].key, key) == 0)
				place = table[i].value;
		}
		g_return_val_if_fail(place != NULL, FALSE);
		if (g_strcmp0(type, "u") == 0)
			*(guint32 *)place = g_variant_get_uint32(value);
		else if (g_strcmp0(type, "b") == 0)
			*(gboolean *)place = g_variant_get_boolean(value);
		else if (g_strcmp0(type, "s") == 0) {
			g_free(*(gchar **)place);
			*(gchar **)place = g_variant_dup_string(value, NULL);
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

TenderSupervisor *
tender_engine_lookup(TenderEngine *self, const gchar *name, GError **error)
{
	TenderSupervisor *entry;

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

/* a while after the last removal, the free memory at the heap's top and in its middle goes
 * back to the system: glibc keeps what many removed workloads freed otherwise, and tenderd's
 * RSS would stay at its high-water mark */
static gboolean
tender_engine_trim_cb(gpointer user_data)
{
	TenderEngine *self = TENDER_ENGINE(user_data);

	self->trim_id = 0;
#ifdef __GLIBC__
	(void)malloc_trim(0);
#endif
	return G_SOURCE_REMOVE;
}

/* removes the state file first: a workload whose file is still there is not gone */
gboolean
tender_engine_remove_entry(TenderEngine *self, TenderSupervisor *entry, GError **error)
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
	if (self->trim_id != 0)
		g_source_remove(self->trim_id);
	self->trim_id =
	    g_timeout_add_seconds(TENDER_ENGINE_TRIM_DELAY_SEC, tender_engine_trim_cb, self);
	return TRUE;
}

/* the engine holds the new workload from now on */
static TenderSupervisor *
tender_engine_add_entry(TenderEngine *self, TenderWorkload *workload)
{
	TenderRuntime *runtime = tender_engine_runtime_for_workload(self, workload, NULL);
	TenderSupervisor *supervisor;

	/* what the runtime shows of it; a runtime that is not there yet does so once it comes */
	if (runtime != NULL)
		tender_runtime_prepare_workload(runtime, workload);
	supervisor = tender_supervisor_new(self, workload);

	g_hash_table_insert(self->entries,
			    g_strdup(tender_workload_get_name(workload)),
			    supervisor);
	return supervisor;
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
			    TENDER_ERROR_LIMIT_REACHED,
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
 * Returns: (transfer none): the new workload, in state "created", owned by the users
 */
TenderWorkload *
tender_engine_create_workload(TenderEngine *self,
			      const gchar *name,
			      GVariant *spec,
			      GVariant *options,
			      GError **error)
{
	return tender_engine_create_owned_workload(self, NULL, name, spec, options, error);
}

/**
 * tender_engine_create_owned_workload:
 * @self: a #TenderEngine
 * @owner: (nullable): the plugin that creates it, or %NULL for the users
 * @name: the new workload's name
 * @spec: its spec, an a{sv}
 * @options: (nullable): an a{sv}; none are defined yet
 * @error: (nullable): a #GError
 *
 * Creates a workload, refused with %TENDER_ERROR_NOT_SUPPORTED if its spec names a runtime
 * the engine does not have, and with %TENDER_ERROR_LIMIT_REACHED beyond max-workloads.
 *
 * Returns: (transfer none): the new workload, in state "created"
 */
TenderWorkload *
tender_engine_create_owned_workload(TenderEngine *self,
				    const gchar *owner,
				    const gchar *name,
				    GVariant *spec,
				    GVariant *options,
				    GError **error)
{
	TenderSupervisor *entry;
	TenderSpec *parsed;
	g_autoptr(TenderWorkload) workload = NULL;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	if (!tender_engine_check_new_name(self, name, error))
		return NULL;
	parsed = tender_spec_new_from_variant(spec, error);
	if (parsed == NULL)
		return NULL;
	if (!tender_engine_parse_options("CreateWorkload", options, NULL, error) ||
	    !tender_engine_check_runtime(self, name, parsed, error) ||
	    !tender_engine_check_identity(parsed, error)) {
		tender_spec_free(parsed);
		return NULL;
	}
	workload = tender_workload_new(name, parsed);
	tender_workload_set_owner(workload, owner);
	if (!tender_engine_resolve_command(self, workload, error) ||
	    !tender_engine_save_workload(self, workload, NULL, TRUE, error))
		return NULL;
	entry = tender_engine_add_entry(self, g_steal_pointer(&workload));
	g_info("workload %s created%s%s",
	       name,
	       owner != NULL ? " by plugin " : "",
	       owner != NULL ? owner : "");
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_ADDED], 0, entry->workload);
	return entry->workload;
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
	TenderSupervisor *entry;
	guint restart_id;
	guint restart_count;

	g_task_set_source_tag(task, tender_engine_start_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options("StartWorkload", options, NULL, &error) ||
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
	if (!tender_supervisor_start(entry, task, &error)) {
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
	const TenderEngineOption table[] = {{"timeout_sec", &timeout}, {NULL}};
	TenderSupervisor *entry;

	g_task_set_source_tag(task, tender_engine_stop_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options("StopWorkload", options, table, &error) ||
	    !tender_engine_check_timeout(timeout, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry->restart_id != 0) {
		/* ended, waiting to be restarted: the stop cancels the restart, once saved */
		guint restart_id = entry->restart_id;
		entry->restart_id = 0;
		if (!tender_supervisor_save(entry, &error)) {
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
	    !tender_supervisor_stop(entry, timeout, task, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry->stop_cause == TENDER_SUPERVISOR_STOP_NONE)
		entry->stop_cause = TENDER_SUPERVISOR_STOP_USER;
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
	TenderSupervisor *entry;
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
	if (!tender_supervisor_check_runtime(entry, error))
		return FALSE;
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
	const TenderEngineOption table[] = {{"force", &force}, {"timeout_sec", &timeout}, {NULL}};
	TenderSupervisor *entry;
	TenderState state;

	g_task_set_source_tag(task, tender_engine_remove_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL ||
	    !tender_engine_parse_options("RemoveWorkload", options, table, &error) ||
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
	if (entry->runtime_missing) {
		/* nothing here can reach its run: forgetting it is all there is to do */
		g_message("workload %s is removed without a stop: its runtime is not there", name);
		if (!tender_engine_remove_entry(self, entry, &error)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		g_task_return_boolean(task, TRUE);
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
	if (entry->stop_cause == TENDER_SUPERVISOR_STOP_NONE)
		entry->stop_cause = TENDER_SUPERVISOR_STOP_USER;
	if (!tender_supervisor_stop(entry, timeout, task, &error)) {
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
	TenderSupervisor *entry;

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
		TenderSupervisor *entry = value;
		g_ptr_array_add(array, g_object_ref(entry->workload));
	}
	g_ptr_array_sort(array, tender_engine_sort_by_name_cb);
	return array;
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
	TenderSupervisor *entry;
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
	const TenderEngineOption table[] = {{"name", &name}, {NULL}};
	TenderWorkload *workload;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	if (!tender_engine_parse_options("ImportWorkload", options, table, error))
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
	    !tender_engine_check_runtime(self,
					 tender_workload_get_name(workload),
					 tender_workload_get_spec(workload),
					 error) ||
	    !tender_engine_resolve_command(self, workload, error) ||
	    !tender_engine_save_workload(self, workload, NULL, TRUE, error)) {
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
	TenderWorkload *w = item->workload;

	if (g_hash_table_contains(self->entries, tender_workload_get_name(w)))
		return;
	tender_supervisor_take_over(tender_engine_add_entry(self, g_object_ref(w)), &item->run);
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
	self->set_up = TRUE;
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
	g_clear_handle_id(&self->trim_id, g_source_remove);
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
					      (GDestroyNotify)tender_supervisor_free);
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
