/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <signal.h>

#include "tender-session-backend.h"
#include "tender-session-files.h"
#include "tender-sessions-private.h"

/*
 * Each session's sandbox is one workload the plugin owns: made (with its workspace) when
 * missing, started when it does not run (a session whose lifetime was reached is started again
 * on its next use), followed through the engine's state changes, removed when the session
 * expires, is recreated or closed.  Idle expiry: a timer per session, due at its last
 * activity plus its inactivity timeout; a session that is busy then (session->busy: the calls
 * under way, and later its execs and background processes) counts as active.
 */

/* the workload's State (or NULL if it has none), and its MainPID and Address */
gchar *
tender_sessions_sandbox_workload_state(TenderSessions *self,
				       TenderSession *session,
				       guint32 *main_pid,
				       gchar **address)
{
	/* only what is asked for: every call of a session asks */
	const gchar *const wanted[] = {"State", "MainPID", "Address", NULL};
	g_autoptr(GVariant) props =
	    tender_plugin_get_workload_properties(self->plugin, session->workload, wanted, NULL);
	gchar *state = NULL;

	if (props == NULL)
		return NULL;
	(void)g_variant_lookup(props, "State", "s", &state);
	if (main_pid != NULL && !g_variant_lookup(props, "MainPID", "u", main_pid))
		*main_pid = 0;
	if (address != NULL && !g_variant_lookup(props, "Address", "s", address))
		*address = NULL;
	return state;
}

static void
tender_sessions_sandbox_complete(TenderSession *session, const GError *error)
{
	g_autoptr(GPtrArray) waiters = g_steal_pointer(&session->waiters);

	session->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < waiters->len; i++) {
		GTask *task = g_ptr_array_index(waiters, i);
		if (error != NULL)
			g_task_return_error(task, g_error_copy(error));
		else
			g_task_return_pointer(task,
					      tender_session_ref(session),
					      (GDestroyNotify)tender_session_unref);
	}
}

static void
tender_sessions_sandbox_fail(TenderSessions *self, TenderSession *session, const GError *error)
{
	tender_session_set_state(session, TENDER_SESSION_STATE_FAILED, error->message);
	tender_sessions_save(self, session);
	tender_sessions_sandbox_complete(session, error);
}

/* the workload of a session, with its workspace */
static gboolean
tender_sessions_sandbox_create(TenderSessions *self, TenderSession *session, GError **error)
{
	g_autoptr(GVariant) spec = NULL;

	if (session->config->workspace && session->workspace == NULL)
		session->workspace =
		    g_build_filename(self->workspace_root, session->user, session->id, NULL);
	if (!session->config->workspace)
		g_clear_pointer(&session->workspace, g_free);
	if (session->workspace != NULL && g_mkdir_with_parents(session->workspace, 0755) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot make the workspace %s: %s",
			    session->workspace,
			    g_strerror(errno));
		return FALSE;
	}
	/* the record first: a tenderd killed right after knows the workload is the session's */
	tender_sessions_save(self, session);
	spec = g_variant_ref_sink(tender_session_backend_spec(session));
	if (!tender_plugin_create_workload(self->plugin, session->workload, spec, error)) {
		tender_session_backend_check_create(session, error);
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	TenderSessions *self;
	TenderSession *session;
} TenderSessionsSandboxData;

static TenderSessionsSandboxData *
tender_sessions_sandbox_data_new(TenderSessions *self, TenderSession *session)
{
	TenderSessionsSandboxData *data = g_new0(TenderSessionsSandboxData, 1);
	data->self = g_object_ref(self);
	data->session = tender_session_ref(session);
	return data;
}

static void
tender_sessions_sandbox_data_free(TenderSessionsSandboxData *data)
{
	g_object_unref(data->self);
	tender_session_unref(data->session);
	g_free(data);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionsSandboxData, tender_sessions_sandbox_data_free)

static void
tender_sessions_sandbox_started_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsSandboxData) data = user_data;
	TenderSession *session = data->session;
	g_autoptr(GError) error = NULL;
	guint32 pid = 0;
	g_autofree gchar *state = NULL;

	if (!tender_plugin_start_workload_finish(TENDER_PLUGIN(source), res, &error)) {
		g_prefix_error(&error, "Cannot start the sandbox %s: ", session->workload);
		tender_sessions_sandbox_fail(data->self, session, error);
		return;
	}
	tender_session_set_state(session, TENDER_SESSION_STATE_RUNNING, NULL);
	session->started_at = g_get_real_time();
	state = tender_sessions_sandbox_workload_state(data->self, session, &pid, NULL);
	if (session->workspace != NULL && pid != 0 &&
	    !tender_session_files_chown_workspace(session->workspace, pid, &error))
		g_warning("cannot give %s to the sandbox's user: %s",
			  session->workspace,
			  error->message);
	tender_sessions_save(data->self, session);
	tender_sessions_sandbox_schedule(data->self, session);
	tender_sessions_sandbox_complete(session, NULL);
}

/**
 * tender_sessions_sandbox_ensure:
 * @task: returns the session once its sandbox runs
 *
 * Makes the session's sandbox if it has none, starts it if it does not run.  Calls that come
 * meanwhile wait for the same start.
 */
void
tender_sessions_sandbox_ensure(TenderSessions *self, TenderSession *session, GTask *task)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *state = NULL;

	if (session->closing || session->removing) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_BUSY,
					"Session %s/%s is being %s; try again",
					session->user,
					session->id,
					session->closing ? "closed" : "removed");
		return;
	}
	g_ptr_array_add(session->waiters, g_object_ref(task));
	if (session->waiters->len > 1)
		return;
	state = tender_sessions_sandbox_workload_state(self, session, NULL, NULL);
	if (state == NULL && !tender_sessions_sandbox_create(self, session, &error)) {
		g_prefix_error(&error,
			       "Cannot make the sandbox of %s/%s: ",
			       session->user,
			       session->id);
		tender_sessions_sandbox_fail(self, session, error);
		return;
	}
	if (g_strcmp0(state, "running") == 0) {
		if (session->state != TENDER_SESSION_STATE_RUNNING) {
			tender_session_set_state(session, TENDER_SESSION_STATE_RUNNING, NULL);
			tender_sessions_save(self, session);
		}
		tender_sessions_sandbox_schedule(self, session);
		tender_sessions_sandbox_complete(session, NULL);
		return;
	}
	tender_plugin_start_workload_async(self->plugin,
					   session->workload,
					   NULL,
					   tender_sessions_sandbox_started_cb,
					   tender_sessions_sandbox_data_new(self, session));
}

static void
tender_sessions_sandbox_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderSession *session = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	session->removing = FALSE;
	if (!tender_plugin_remove_workload_finish(TENDER_PLUGIN(source), res, &error) &&
	    !g_error_matches(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* removes the session's workload (stopped first), if it has one */
void
tender_sessions_sandbox_remove(TenderSessions *self,
			       TenderSession *session,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	GTask *task = g_task_new(self, NULL, callback, user_data);

	g_task_set_task_data(task,
			     tender_session_ref(session),
			     (GDestroyNotify)tender_session_unref);
	session->removing = TRUE;
	/* nothing in a sandbox is owed a graceful end, and its `sleep` may ignore SIGTERM (as
	 * PID 1 of a container it does): killed, the stop does not wait out its timeout */
	(void)tender_plugin_kill_workload(self->plugin, session->workload, SIGKILL, NULL);
	tender_plugin_remove_workload_async(self->plugin,
					    session->workload,
					    TRUE,
					    NULL,
					    tender_sessions_sandbox_removed_cb,
					    task);
}

gboolean
tender_sessions_sandbox_remove_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_sessions_sandbox_expired_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessions *self = TENDER_SESSIONS(source);
	g_autoptr(TenderSession) session = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_sessions_sandbox_remove_finish(res, &error)) {
		g_warning("cannot remove the sandbox of the expired session %s/%s: %s",
			  session->user,
			  session->id,
			  error->message);
		tender_session_set_state(session, TENDER_SESSION_STATE_EXPIRED, error->message);
	}
	tender_sessions_save(self, session);
}

/* idle for its inactivity timeout: the sandbox goes, the record and workspace stay */
static void
tender_sessions_sandbox_expire(TenderSessions *self, TenderSession *session)
{
	g_info("session %s/%s expired: no activity for %" G_GUINT64_FORMAT " s",
	       session->user,
	       session->id,
	       session->config->inactivity_sec);
	tender_session_set_state(session, TENDER_SESSION_STATE_EXPIRED, NULL);
	tender_sessions_save(self, session);
	tender_sessions_sandbox_remove(self,
				       session,
				       tender_sessions_sandbox_expired_cb,
				       tender_session_ref(session));
}

static gboolean
tender_sessions_sandbox_idle_cb(gpointer user_data)
{
	TenderSessionsSandboxData *data = user_data;
	TenderSession *session = data->session;

	session->idle_id = 0;
	if (session->closing || session->removing)
		return G_SOURCE_REMOVE;
	/* work under way is activity (the hook for execs and background processes) */
	if (session->busy > 0)
		tender_sessions_touch(data->self, session);
	if (g_get_real_time() >= tender_session_get_expires_at(session) &&
	    session->state != TENDER_SESSION_STATE_EXPIRED)
		tender_sessions_sandbox_expire(data->self, session);
	else
		tender_sessions_sandbox_schedule(data->self, session);
	return G_SOURCE_REMOVE;
}

/* the idle expiry's timer, due when the session would expire */
void
tender_sessions_sandbox_schedule(TenderSessions *self, TenderSession *session)
{
	gint64 due = tender_session_get_expires_at(session);
	gint64 left;

	g_clear_handle_id(&session->idle_id, g_source_remove);
	if (due == 0 || session->closing)
		return;
	left = due - g_get_real_time();
	session->idle_id = g_timeout_add_full(G_PRIORITY_DEFAULT,
					      left > 0 ? (guint)((left + 999) / 1000) : 0,
					      tender_sessions_sandbox_idle_cb,
					      tender_sessions_sandbox_data_new(self, session),
					      (GDestroyNotify)tender_sessions_sandbox_data_free);
}

/*
 * A session's sandbox ended (@new_state, @reason): its lifetime reached (reason timeout),
 * the session is stopped and its next use starts it again; else it should still run, and
 * stays running (health dead) with last_error saying what happened, for the health monitor
 * to recover.
 */
static void
tender_sessions_sandbox_ended(TenderSessions *self,
			      TenderSession *session,
			      const gchar *new_state,
			      const gchar *reason)
{
	g_autofree gchar *why = NULL;

	if (g_strcmp0(reason, "timeout") == 0) {
		why = g_strdup_printf("container_lifetime_seconds (%" G_GUINT64_FORMAT
				      " s) reached; the next use starts it again",
				      session->config->lifetime_sec);
		tender_session_set_state(session, TENDER_SESSION_STATE_STOPPED, why);
	} else {
		if (g_strcmp0(reason, "oom-kill") == 0)
			why = g_strdup_printf(TENDER_SESSIONS_ENDED_PREFIX
					      " (%s: oom-kill): it ran out of memory "
					      "(memory_limit %" G_GUINT64_FORMAT
					      " bytes) and was OOM-killed",
					      new_state,
					      session->config->memory_limit);
		else
			why = g_strdup_printf(TENDER_SESSIONS_ENDED_PREFIX " (%s%s%s)",
					      new_state,
					      reason != NULL && reason[0] != '\0' ? ": " : "",
					      reason != NULL ? reason : "");
		tender_session_set_state(session, TENDER_SESSION_STATE_RUNNING, why);
	}
	tender_sessions_save(self, session);
}

/**
 * tender_sessions_sandbox_reconcile:
 *
 * After a restart of tenderd: the session's state from its workload, which tenderd kept
 * (running: reconnected; ended at its lifetime: stopped, started on the next use; ended
 * otherwise or gone: recovered by the health monitor).  An expired session's workload that
 * is still there is removed.
 */
void
tender_sessions_sandbox_reconcile(TenderSessions *self, TenderSession *session)
{
	g_autoptr(GVariant) props =
	    tender_plugin_get_workload(self->plugin, session->workload, NULL);
	const gchar *state = NULL;
	const gchar *reason = NULL;

	if (props != NULL) {
		(void)g_variant_lookup(props, "State", "&s", &state);
		(void)g_variant_lookup(props, "Reason", "&s", &reason);
	}
	if (session->state == TENDER_SESSION_STATE_EXPIRED) {
		if (props != NULL)
			tender_sessions_sandbox_remove(self,
						       session,
						       tender_sessions_sandbox_expired_cb,
						       tender_session_ref(session));
		return;
	}
	if (g_strcmp0(state, "running") == 0)
		tender_session_set_state(session, TENDER_SESSION_STATE_RUNNING, NULL);
	else if (session->state == TENDER_SESSION_STATE_RUNNING && state == NULL)
		tender_session_set_state(session,
					 TENDER_SESSION_STATE_RUNNING,
					 TENDER_SESSIONS_ENDED_PREFIX
					 " (gone after a restart of tenderd)");
	else if (session->state == TENDER_SESSION_STATE_RUNNING)
		tender_sessions_sandbox_ended(self, session, state, reason);
	tender_sessions_save(self, session);
	tender_sessions_sandbox_schedule(self, session);
}

/* a workload of ours changed state: a sandbox that ended */
static void
tender_sessions_sandbox_state_cb(TenderPlugin *plugin,
				 const gchar *workload,
				 const gchar *old_state,
				 const gchar *new_state,
				 const gchar *reason,
				 gpointer user_data)
{
	TenderSessions *self = user_data;
	GHashTableIter iter;
	TenderSession *session;

	if (!g_str_has_prefix(workload, "session-") ||
	    !(g_strcmp0(new_state, "stopped") == 0 || g_strcmp0(new_state, "exited") == 0 ||
	      g_strcmp0(new_state, "failed") == 0))
		return;
	g_hash_table_iter_init(&iter, self->sessions);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&session)) {
		if (g_strcmp0(session->workload, workload) != 0 || session->closing ||
		    session->removing || session->state != TENDER_SESSION_STATE_RUNNING)
			continue;
		tender_sessions_sandbox_ended(self, session, new_state, reason);
	}
}

void
tender_sessions_sandbox_watch(TenderSessions *self)
{
	self->watch_id = tender_plugin_watch_workloads(self->plugin,
						       tender_sessions_sandbox_state_cb,
						       self,
						       NULL);
}
