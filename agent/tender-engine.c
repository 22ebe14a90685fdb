/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "tender-engine.h"
#include "tender-error.h"
#include "tender-journal.h"
#include "tender-log-follower.h"
#include "tender-run.h"
#include "tender-systemd.h"
#include "tender-util.h"

/*
 * TenderEngine owns the workloads and carries out every request, whichever front-end it came
 * through.  It knows nothing of D-Bus or HTTP: requests come in as names and GVariants, and
 * answers go out as GErrors in the TENDER_ERROR domain.
 */

struct _TenderEngine {
	GObject parent_instance;
	TenderConfig *config;
	TenderCgroup *cgroup;
	TenderSystemd *systemd;
	gchar *exit_dir;
	GHashTable *entries; /* name → TenderEngineEntry */
	/* the TenderLogFollowers of FollowLogs, and how many GetLogs are under way */
	GPtrArray *followers;
	guint log_queries;
};

G_DEFINE_TYPE(TenderEngine, tender_engine, G_TYPE_OBJECT)

enum { SIGNAL_WORKLOAD_ADDED, SIGNAL_WORKLOAD_REMOVED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

typedef struct {
	TenderEngine *engine; /* not owned */
	TenderWorkload *workload;
	TenderRun *run;
	gulong ended_id;
	GPtrArray *waiters; /* GTask, completed when the run ends */
	gboolean remove_when_ended;
} TenderEngineEntry;

static void
tender_engine_entry_free(TenderEngineEntry *entry)
{
	if (entry->run != NULL) {
		g_signal_handler_disconnect(entry->run, entry->ended_id);
		g_object_unref(entry->run);
	}
	g_object_unref(entry->workload);
	g_ptr_array_unref(entry->waiters);
	g_free(entry);
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

static gchar *
tender_engine_record_path(TenderEngine *self, const gchar *name)
{
	g_autofree gchar *basename = g_strdup_printf("%s.json", name);
	return g_build_filename(self->exit_dir, basename, NULL);
}

static void
tender_engine_remove_entry(TenderEngine *self, TenderEngineEntry *entry)
{
	g_autoptr(TenderWorkload) workload = g_object_ref(entry->workload);
	g_autofree gchar *record =
	    tender_engine_record_path(self, tender_workload_get_name(workload));

	if (g_unlink(record) < 0 && errno != ENOENT)
		g_warning("cannot remove %s: %s", record, g_strerror(errno));
	g_hash_table_remove(self->entries, tender_workload_get_name(workload));
	g_info("workload %s removed", tender_workload_get_name(workload));
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_REMOVED], 0, workload);
}

static void
tender_engine_run_ended_cb(TenderRun *run, gpointer user_data)
{
	TenderEngineEntry *entry = user_data;
	TenderEngine *self = entry->engine;
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&entry->waiters);

	entry->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	g_info("workload %s is %s%s%s",
	       tender_workload_get_name(entry->workload),
	       tender_state_to_string(tender_workload_get_state(entry->workload)),
	       tender_workload_get_reason(entry->workload)[0] != '\0' ? ": " : "",
	       tender_workload_get_reason(entry->workload));
	if (entry->remove_when_ended)
		tender_engine_remove_entry(self, entry);
	for (guint i = 0; i < waiters->len; i++)
		g_task_return_boolean(g_ptr_array_index(waiters, i), TRUE);
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

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	if (!tender_util_check_name(name, error))
		return NULL;
	if (g_hash_table_contains(self->entries, name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "A workload named '%s' exists already",
			    name);
		return NULL;
	}
	if (g_hash_table_size(self->entries) >= self->config->max_workloads) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "There are %u workloads already, the most this tenderd allows "
			    "(max-workloads in tenderd.conf)",
			    g_hash_table_size(self->entries));
		return NULL;
	}
	parsed = tender_spec_new_from_variant(spec, error);
	if (parsed == NULL)
		return NULL;
	if (!tender_engine_parse_options(options, NULL, error)) {
		tender_spec_free(parsed);
		return NULL;
	}
	entry = g_new0(TenderEngineEntry, 1);
	entry->engine = self;
	entry->workload = tender_workload_new(name, parsed);
	entry->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	g_hash_table_insert(self->entries, g_strdup(name), entry);
	g_info("workload %s created", name);
	g_signal_emit(self, signals[SIGNAL_WORKLOAD_ADDED], 0, entry->workload);
	return entry->workload;
}

static void
tender_engine_run_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;

	if (!tender_run_start_finish(TENDER_RUN(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_engine_start_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @options: (nullable): an a{sv}; none are defined yet
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the command runs or could not be started
 * @user_data: for @callback
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
	g_autofree gchar *record = NULL;
	TenderEngineEntry *entry;
	TenderRun *run;

	g_task_set_source_tag(task, tender_engine_start_workload_async);
	entry = tender_engine_lookup(self, name, &error);
	if (entry == NULL || !tender_engine_parse_options(options, NULL, &error) ||
	    !tender_state_check_startable(tender_workload_get_state(entry->workload),
					  name,
					  &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (entry->run != NULL) {
		g_signal_handler_disconnect(entry->run, entry->ended_id);
		g_clear_object(&entry->run);
	}
	record = tender_engine_record_path(self, name);
	run = tender_run_new(entry->workload,
			     self->systemd,
			     self->cgroup,
			     self->config->shim,
			     record);
	entry->run = run;
	entry->ended_id =
	    g_signal_connect(run, "ended", G_CALLBACK(tender_engine_run_ended_cb), entry);
	tender_workload_set_state(entry->workload, TENDER_STATE_STARTING, "");
	g_info("starting workload %s", name);
	tender_run_start_async(run,
			       cancellable,
			       tender_engine_run_started_cb,
			       g_steal_pointer(&task));
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
	if (entry->run == NULL || tender_run_has_ended(entry->run)) {
		g_task_return_boolean(task, TRUE);
		return TRUE;
	}
	if (!tender_run_stop(entry->run, timeout, error))
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
	    !tender_engine_check_timeout(timeout, &error) ||
	    !tender_state_check_stoppable(tender_workload_get_state(entry->workload),
					  name,
					  &error) ||
	    !tender_engine_stop_entry(self, entry, timeout, task, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
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
	if (state != TENDER_STATE_RUNNING && state != TENDER_STATE_STOPPING) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is %s, not running",
			    name,
			    tender_state_to_string(state));
		return FALSE;
	}
	g_info("sending signal %d to workload %s", signo, name);
	return tender_run_kill(entry->run, signo, error);
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
		tender_engine_remove_entry(self, entry);
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
 * Returns: (transfer floating): the limits the kernel holds for the workload's scope while it
 * runs, an empty a{sv} otherwise
 */
GVariant *
tender_engine_get_limits(TenderEngine *self, TenderWorkload *workload)
{
	const gchar *cgroup = tender_workload_get_control_group(workload);
	GVariant *limits = NULL;
	g_autoptr(GError) error = NULL;

	if (tender_state_is_active(tender_workload_get_state(workload)) && cgroup[0] != '\0')
		limits = tender_cgroup_read_limits(self->cgroup, cgroup, &error);
	if (limits == NULL && error != NULL)
		g_debug("cannot read the limits of %s: %s", cgroup, error->message);
	if (limits == NULL)
		limits = g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	return limits;
}

/**
 * tender_engine_setup:
 * @self: a #TenderEngine
 * @system_bus: the bus PID 1 is on
 * @error: (nullable): a #GError
 *
 * Creates the state directory and subscribes to systemd.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_engine_setup(TenderEngine *self, GDBusConnection *system_bus, GError **error)
{
	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	if (g_mkdir_with_parents(self->exit_dir, 0700) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    self->exit_dir,
			    g_strerror(errno));
		return FALSE;
	}
	if (!g_file_test(self->config->shim, G_FILE_TEST_IS_EXECUTABLE)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s is missing or not executable (set shim= in tenderd.conf)",
			    self->config->shim);
		return FALSE;
	}
	self->systemd = tender_systemd_new(system_bus);
	return tender_systemd_setup(self->systemd, NULL, error);
}

static void
tender_engine_finalize(GObject *object)
{
	TenderEngine *self = TENDER_ENGINE(object);
	g_hash_table_unref(self->entries);
	g_ptr_array_unref(self->followers);
	g_clear_object(&self->systemd);
	g_object_unref(self->cgroup);
	g_free(self->exit_dir);
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
	g_signal_connect(self,
			 "workload-removed",
			 G_CALLBACK(tender_engine_logs_workload_removed_cb),
			 NULL);
}

/**
 * tender_engine_new:
 * @config: the settings (copied)
 * @cgroup: the cgroup reader
 *
 * Returns: (transfer full): a #TenderEngine
 */
TenderEngine *
tender_engine_new(const TenderConfig *config, TenderCgroup *cgroup)
{
	TenderEngine *self = g_object_new(TENDER_TYPE_ENGINE, NULL);
	self->config = tender_config_new();
	g_free(self->config->state_dir);
	g_free(self->config->shim);
	self->config->state_dir = g_strdup(config->state_dir);
	self->config->shim = g_strdup(config->shim);
	self->config->stop_timeout_sec = config->stop_timeout_sec;
	self->config->max_workloads = config->max_workloads;
	self->cgroup = g_object_ref(cgroup);
	self->exit_dir = g_build_filename(config->state_dir, "exit", NULL);
	return self;
}
