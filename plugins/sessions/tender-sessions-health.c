/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-sessions-private.h"

/*
 * The health monitor: every [plugin sessions] health-interval seconds, each session whose
 * sandbox should run (state running) but does not (its main process killed from outside, its
 * container removed, OOM-killed) is recovered.  First the last log lines of its workload are
 * kept on the session (last_logs), then its sandbox is started again; if that fails it is
 * removed and made anew (the workspace, a host directory, is kept); if that fails too the
 * session is failed, last_error saying why.  A session that is stopped (its lifetime reached),
 * expired, failed, closing, or whose sandbox is being started by a call is left alone.
 */

/* what the monitor keeps of a session, by its key */
typedef struct {
	gchar **last_logs; /* the last lines of its workload's output before its recovery */
	gboolean recovering;
	guint recoveries;
} TenderSessionsHealth;

static void
tender_sessions_health_free(TenderSessionsHealth *health)
{
	g_strfreev(health->last_logs);
	g_free(health);
}

static TenderSessionsHealth *
tender_sessions_health_get(TenderSessions *self, TenderSession *session)
{
	g_autofree gchar *key = tender_session_key(session->user, session->id);
	TenderSessionsHealth *health = g_hash_table_lookup(self->health, key);

	if (health == NULL) {
		health = g_new0(TenderSessionsHealth, 1);
		g_hash_table_insert(self->health, g_steal_pointer(&key), health);
	}
	return health;
}

typedef struct {
	TenderSessions *self;
	TenderSession *session;
	gchar *why; /* what was wrong */
	gboolean recreated;
} TenderSessionsRecovery;

static void
tender_sessions_recovery_free(TenderSessionsRecovery *recovery)
{
	g_object_unref(recovery->self);
	tender_session_unref(recovery->session);
	g_free(recovery->why);
	g_free(recovery);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionsRecovery, tender_sessions_recovery_free)

static void
tender_sessions_health_ensure(TenderSessionsRecovery *recovery);

static void
tender_sessions_health_done(TenderSessionsRecovery *recovery, const GError *error)
{
	TenderSession *session = recovery->session;
	TenderSessionsHealth *health = tender_sessions_health_get(recovery->self, session);
	g_autofree gchar *text = NULL;

	health->recovering = FALSE;
	if (error != NULL) {
		text = g_strdup_printf("%s; the health monitor could not recover it: %s",
				       recovery->why,
				       error->message);
		g_warning("session %s/%s failed: %s", session->user, session->id, text);
		tender_session_set_state(session, TENDER_SESSION_STATE_FAILED, text);
	} else {
		health->recoveries++;
		text = g_strdup_printf("%s; the health monitor %s",
				       recovery->why,
				       recovery->recreated
					   ? "made the sandbox anew (the workspace kept)"
					   : "started it again");
		g_info("session %s/%s: %s", session->user, session->id, text);
		tender_session_set_state(session, session->state, text);
	}
	tender_sessions_save(recovery->self, session);
}

static void
tender_sessions_health_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsRecovery) recovery = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_sessions_sandbox_remove_finish(res, &error)) {
		tender_sessions_health_done(recovery, error);
		return;
	}
	recovery->recreated = TRUE;
	tender_sessions_health_ensure(g_steal_pointer(&recovery));
}

static void
tender_sessions_health_ensured_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsRecovery) recovery = user_data;
	g_autoptr(TenderSession) session = NULL;
	g_autoptr(GError) error = NULL;

	session = g_task_propagate_pointer(G_TASK(res), &error);
	if (session != NULL) {
		tender_sessions_health_done(recovery, NULL);
		return;
	}
	/* it cannot be started again: made anew, once */
	if (!recovery->recreated && !recovery->session->closing && !recovery->session->removing) {
		TenderSessions *self = recovery->self;
		TenderSession *target = recovery->session;
		g_info("session %s/%s: %s; making its sandbox anew",
		       target->user,
		       target->id,
		       error->message);
		tender_sessions_sandbox_remove(self,
					       target,
					       tender_sessions_health_removed_cb,
					       g_steal_pointer(&recovery));
		return;
	}
	tender_sessions_health_done(recovery, error);
}

/* the sandbox made to run, as a call's use does (and with the calls waiting meanwhile) */
static void
tender_sessions_health_ensure(TenderSessionsRecovery *recovery)
{
	TenderSessions *self = recovery->self;
	TenderSession *session = recovery->session;
	g_autoptr(GTask) task = g_task_new(self, NULL, tender_sessions_health_ensured_cb, recovery);

	tender_sessions_sandbox_ensure(self, session, task);
}

static void
tender_sessions_health_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessionsRecovery *recovery = user_data;
	TenderSessionsHealth *health =
	    tender_sessions_health_get(recovery->self, recovery->session);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) entries = NULL;
	g_autoptr(GStrvBuilder) lines = g_strv_builder_new();

	entries = tender_plugin_get_workload_logs_finish(TENDER_PLUGIN(source), res, &error);
	if (entries == NULL) {
		g_debug("no logs of %s: %s", recovery->session->workload, error->message);
	} else {
		gsize n = g_variant_n_children(entries);
		for (gsize i = n > TENDER_SESSIONS_HEALTH_LOG_LINES
				   ? n - TENDER_SESSIONS_HEALTH_LOG_LINES
				   : 0;
		     i < n;
		     i++) {
			g_autoptr(GVariant) entry = g_variant_get_child_value(entries, i);
			const gchar *message = NULL;
			if (g_variant_lookup(entry, "message", "&s", &message))
				g_strv_builder_add(lines, message);
		}
		g_strfreev(health->last_logs);
		health->last_logs = g_strv_builder_end(lines);
	}
	if (recovery->session->closing || recovery->session->removing ||
	    recovery->session->state != TENDER_SESSION_STATE_RUNNING) {
		health->recovering = FALSE;
		tender_sessions_recovery_free(recovery);
		return;
	}
	tender_sessions_health_ensure(recovery);
}

/* why a sandbox that should run does not, from its workload */
static gchar *
tender_sessions_health_why(TenderSessions *self, TenderSession *session, const gchar *state)
{
	g_autoptr(GVariant) props =
	    tender_plugin_get_workload(self->plugin, session->workload, NULL);
	const gchar *reason = NULL;

	if (state == NULL)
		return g_strdup("the sandbox's workload was gone");
	if (props != NULL && g_variant_lookup(props, "Reason", "&s", &reason) && reason[0] != '\0')
		return g_strdup_printf("the sandbox was %s (%s)", state, reason);
	return g_strdup_printf("the sandbox was %s", state);
}

static void
tender_sessions_health_check(TenderSessions *self, TenderSession *session)
{
	TenderSessionsHealth *health = tender_sessions_health_get(self, session);
	g_autofree gchar *state = NULL;
	TenderSessionsRecovery *recovery;
	GVariantBuilder options;

	if (session->state != TENDER_SESSION_STATE_RUNNING || session->closing ||
	    session->removing || session->waiters->len > 0 || health->recovering)
		return;
	state = tender_sessions_sandbox_workload_state(self, session, NULL, NULL);
	/* running, or on its way */
	if (g_strcmp0(state, "running") == 0 || g_strcmp0(state, "starting") == 0 ||
	    g_strcmp0(state, "stopping") == 0 || g_strcmp0(state, "paused") == 0)
		return;
	recovery = g_new0(TenderSessionsRecovery, 1);
	recovery->self = g_object_ref(self);
	recovery->session = tender_session_ref(session);
	recovery->why = session->last_error != NULL &&
				g_str_has_prefix(session->last_error, TENDER_SESSIONS_ENDED_PREFIX)
			    ? g_strdup(session->last_error)
			    : tender_sessions_health_why(self, session, state);
	g_info("session %s/%s: %s; recovering it", session->user, session->id, recovery->why);
	health->recovering = TRUE;
	if (state == NULL) {
		tender_sessions_health_ensure(recovery);
		return;
	}
	g_variant_builder_init(&options, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&options,
			      "{sv}",
			      "lines",
			      g_variant_new_uint32(TENDER_SESSIONS_HEALTH_LOG_LINES));
	tender_plugin_get_workload_logs_async(self->plugin,
					      session->workload,
					      g_variant_builder_end(&options),
					      NULL,
					      tender_sessions_health_logs_cb,
					      recovery);
}

static gboolean
tender_sessions_health_cb(gpointer user_data)
{
	TenderSessions *self = user_data;
	g_autoptr(GPtrArray) sessions = tender_sessions_list(self, NULL);

	for (guint i = 0; i < sessions->len; i++)
		tender_sessions_health_check(self, g_ptr_array_index(sessions, i));
	return G_SOURCE_CONTINUE;
}

/**
 * tender_sessions_health_start:
 *
 * Reads [plugin sessions] health-interval and starts the monitor.
 *
 * Returns: %TRUE, or %FALSE with InvalidArgument for a bad interval
 */
gboolean
tender_sessions_health_start(TenderSessions *self, GError **error)
{
	guint64 interval = 0;

	if (self->health == NULL)
		self->health = g_hash_table_new_full(g_str_hash,
						     g_str_equal,
						     g_free,
						     (GDestroyNotify)tender_sessions_health_free);
	if (!tender_plugin_get_config_uint64(self->plugin,
					     "health-interval",
					     TENDER_SESSIONS_HEALTH_INTERVAL_DEFAULT,
					     TENDER_SESSIONS_HEALTH_INTERVAL_MAX,
					     &interval,
					     error))
		return FALSE;
	if (interval == 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "[plugin sessions] health-interval=0: give 1 to 86400 seconds");
		return FALSE;
	}
	g_clear_handle_id(&self->health_id, g_source_remove);
	self->health_id = g_timeout_add_seconds((guint)interval, tender_sessions_health_cb, self);
	return TRUE;
}

void
tender_sessions_health_stop(TenderSessions *self)
{
	g_clear_handle_id(&self->health_id, g_source_remove);
	g_clear_pointer(&self->health, g_hash_table_unref);
}

/* the monitor's word on a session, in its description: last_logs, recoveries */
void
tender_sessions_health_describe(TenderSessions *self, TenderSession *session, JsonObject *obj)
{
	g_autofree gchar *key = tender_session_key(session->user, session->id);
	TenderSessionsHealth *health =
	    self->health != NULL ? g_hash_table_lookup(self->health, key) : NULL;
	JsonArray *lines;

	if (health == NULL)
		return;
	json_object_set_int_member(obj, "recoveries", health->recoveries);
	if (health->last_logs == NULL)
		return;
	lines = json_array_new();
	for (guint i = 0; health->last_logs[i] != NULL; i++)
		json_array_add_string_element(lines, health->last_logs[i]);
	json_object_set_array_member(obj, "last_logs", lines);
}

/* the session is gone: so is what the monitor kept of it */
void
tender_sessions_health_forget(TenderSessions *self, TenderSession *session)
{
	g_autofree gchar *key = tender_session_key(session->user, session->id);

	if (self->health != NULL)
		g_hash_table_remove(self->health, key);
}
