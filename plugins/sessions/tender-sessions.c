/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-session-files.h"
#include "tender-session-store.h"
#include "tender-sessions-private.h"

/*
 * TenderSessions, the manager: the sessions by (user, id), their records in the plugin's state
 * dir (read again when tenderd starts, each reconnected to its workload), get-or-create, list,
 * describe, use (a session's sandbox made to run for a call) and close.  Its signals "added"
 * and "removed" tell the service which session objects to export.
 */

G_DEFINE_TYPE(TenderSessions, tender_sessions, G_TYPE_OBJECT)

enum { SIGNAL_ADDED, SIGNAL_REMOVED, SIGNAL_LAST };
static guint tender_sessions_signals[SIGNAL_LAST] = {0};

static void
tender_sessions_flush(TenderSessions *self);

static void
tender_sessions_finalize(GObject *object)
{
	TenderSessions *self = TENDER_SESSIONS(object);

	if (self->watch_id != 0)
		tender_plugin_unwatch_workloads(self->plugin, self->watch_id);
	tender_sessions_health_stop(self);
	g_clear_handle_id(&self->flush_id, g_source_remove);
	tender_sessions_flush(self);
	g_hash_table_unref(self->unsaved);
	g_hash_table_unref(self->sessions);
	g_free(self->workspace_root);
	g_free(self->default_backend);
	g_free(self->default_image);
	g_free(self->records_dir);
	G_OBJECT_CLASS(tender_sessions_parent_class)->finalize(object);
}

static void
tender_sessions_class_init(TenderSessionsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = tender_sessions_finalize;
	tender_sessions_signals[SIGNAL_ADDED] = g_signal_new("added",
							     G_TYPE_FROM_CLASS(klass),
							     G_SIGNAL_RUN_LAST,
							     0,
							     NULL,
							     NULL,
							     NULL,
							     G_TYPE_NONE,
							     1,
							     G_TYPE_POINTER);
	tender_sessions_signals[SIGNAL_REMOVED] = g_signal_new("removed",
							       G_TYPE_FROM_CLASS(klass),
							       G_SIGNAL_RUN_LAST,
							       0,
							       NULL,
							       NULL,
							       NULL,
							       G_TYPE_NONE,
							       1,
							       G_TYPE_POINTER);
}

static void
tender_sessions_init(TenderSessions *self)
{
	self->sessions = g_hash_table_new_full(g_str_hash,
					       g_str_equal,
					       g_free,
					       (GDestroyNotify)tender_session_unref);
	self->unsaved = g_hash_table_new_full(g_direct_hash,
					      g_direct_equal,
					      (GDestroyNotify)tender_session_unref,
					      NULL);
}

TenderSessions *
tender_sessions_new(TenderPlugin *plugin, const TenderSessionsSettings *settings)
{
	TenderSessions *self = g_object_new(TENDER_TYPE_SESSIONS, NULL);

	self->plugin = plugin;
	self->settings = *settings;
	self->workspace_root = g_strdup(settings->workspace_root);
	self->default_backend = g_strdup(settings->default_backend);
	self->default_image = g_strdup(settings->default_image);
	self->settings.workspace_root = self->workspace_root;
	self->settings.default_backend = self->default_backend;
	self->settings.default_image = self->default_image;
	self->records_dir = g_build_filename(tender_plugin_get_state_dir(plugin), "sessions", NULL);
	return self;
}

const TenderSessionsSettings *
tender_sessions_get_settings(TenderSessions *self)
{
	return &self->settings;
}

void
tender_sessions_save(TenderSessions *self, TenderSession *session)
{
	g_autoptr(GError) error = NULL;

	/* what is saved now has the last activity too */
	g_hash_table_remove(self->unsaved, session);
	if (session->closing)
		return;
	if (!tender_session_store_save(self->records_dir, session, &error))
		g_warning("cannot save the session %s/%s: %s",
			  session->user,
			  session->id,
			  error->message);
}

/* the last activities not saved yet, of the sessions that are still there */
static void
tender_sessions_flush(TenderSessions *self)
{
	g_autoptr(GList) unsaved = g_hash_table_get_keys(self->unsaved);

	for (GList *l = unsaved; l != NULL; l = l->next) {
		TenderSession *session = l->data;
		g_autofree gchar *key = tender_session_key(session->user, session->id);
		if (g_hash_table_lookup(self->sessions, key) == session)
			tender_sessions_save(self, session);
	}
	g_hash_table_remove_all(self->unsaved);
}

static gboolean
tender_sessions_flush_cb(gpointer user_data)
{
	TenderSessions *self = user_data;

	self->flush_id = 0;
	tender_sessions_flush(self);
	return G_SOURCE_REMOVE;
}

/* a call on the session: its idle time starts again (saved in a while, with others) */
void
tender_sessions_touch(TenderSessions *self, TenderSession *session)
{
	session->last_activity = g_get_real_time();
	if (g_hash_table_contains(self->unsaved, session))
		return;
	g_hash_table_add(self->unsaved, tender_session_ref(session));
	if (self->flush_id == 0)
		self->flush_id = g_timeout_add_seconds(TENDER_SESSIONS_ACTIVITY_FLUSH_SEC,
						       tender_sessions_flush_cb,
						       self);
}

static void
tender_sessions_add(TenderSessions *self, TenderSession *session)
{
	g_hash_table_replace(self->sessions,
			     tender_session_key(session->user, session->id),
			     session);
	g_signal_emit(self, tender_sessions_signals[SIGNAL_ADDED], 0, session);
}

/**
 * tender_sessions_load:
 *
 * Reads the records and reconnects each session to its workload; follows the workloads;
 * starts the health monitor.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_sessions_load(TenderSessions *self, GError **error)
{
	g_autoptr(GPtrArray) sessions = tender_session_store_load(self->records_dir, error);

	if (sessions == NULL || !tender_sessions_health_start(self, error))
		return FALSE;
	tender_sessions_sandbox_watch(self);
	for (guint i = 0; i < sessions->len; i++) {
		TenderSession *session = tender_session_ref(g_ptr_array_index(sessions, i));
		tender_sessions_add(self, session);
		tender_sessions_sandbox_reconcile(self, session);
	}
	return TRUE;
}

/**
 * tender_sessions_lookup:
 *
 * Returns: (transfer full): the session, or %NULL with InvalidArgument (a bad id) or NotFound
 */
TenderSession *
tender_sessions_lookup(TenderSessions *self, const gchar *user, const gchar *id, GError **error)
{
	g_autofree gchar *key = NULL;
	TenderSession *session;

	if (!tender_session_check_id("user", user, error) ||
	    !tender_session_check_id("session", id, error))
		return NULL;
	key = tender_session_key(user, id);
	session = g_hash_table_lookup(self->sessions, key);
	if (session == NULL || session->closing) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No session %s of user %s",
			    id,
			    user);
		return NULL;
	}
	return tender_session_ref(session);
}

static gint
tender_sessions_cmp(gconstpointer a, gconstpointer b)
{
	const TenderSession *x = *(TenderSession *const *)a;
	const TenderSession *y = *(TenderSession *const *)b;
	gint rc = g_strcmp0(x->user, y->user);
	return rc != 0 ? rc : g_strcmp0(x->id, y->id);
}

/**
 * tender_sessions_list:
 * @user: (nullable): only this user's
 *
 * Returns: (transfer container) (element-type TenderSession): the sessions, by user and id
 */
GPtrArray *
tender_sessions_list(TenderSessions *self, const gchar *user)
{
	GPtrArray *list = g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_unref);
	GHashTableIter iter;
	TenderSession *session;

	g_hash_table_iter_init(&iter, self->sessions);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&session)) {
		if (session->closing || (user != NULL && g_strcmp0(user, session->user) != 0))
			continue;
		g_ptr_array_add(list, tender_session_ref(session));
	}
	g_ptr_array_sort(list, tender_sessions_cmp);
	return list;
}

/**
 * tender_sessions_describe:
 *
 * Returns: (transfer full): what GetSession's object and GET /v1/sessions/USER/ID tell: state,
 *   backend, image, workspace, ports with their host mapping, times, health, last error
 */
JsonObject *
tender_sessions_describe(TenderSessions *self, TenderSession *session)
{
	JsonObject *obj = json_object_new();
	JsonObject *config = tender_session_config_to_json(session->config);
	g_autofree gchar *address = NULL;
	guint32 pid = 0;
	g_autofree gchar *state =
	    tender_sessions_sandbox_workload_state(self, session, &pid, &address);
	gboolean running = g_strcmp0(state, "running") == 0;
	JsonArray *ports = json_array_new();
	const gchar *health = "none";

	json_object_set_string_member(obj, "user", session->user);
	json_object_set_string_member(obj, "session", session->id);
	json_object_set_string_member(obj, "state", tender_session_state_to_string(session->state));
	json_object_set_string_member(obj, "backend", session->config->backend);
	if (session->config->image != NULL)
		json_object_set_string_member(obj, "image", session->config->image);
	if (session->config->rootfs != NULL)
		json_object_set_string_member(obj, "rootfs", session->config->rootfs);
	json_object_set_string_member(obj, "workload", session->workload);
	if (session->workspace != NULL) {
		json_object_set_string_member(obj, "workspace", session->workspace);
		json_object_set_string_member(obj, "workspace_path", TENDER_SESSION_WORKSPACE_PATH);
	}
	for (guint i = 0; i < session->config->ports->len; i++) {
		TenderSessionPort *port = g_ptr_array_index(session->config->ports, i);
		JsonObject *mapping = json_object_new();
		json_object_set_int_member(mapping, "container_port", port->container_port);
		json_object_set_int_member(mapping, "host_port", port->host_port);
		json_object_set_string_member(mapping, "protocol", port->protocol);
		if (address != NULL && address[0] != '\0')
			json_object_set_string_member(mapping, "container_address", address);
		json_array_add_object_element(ports, mapping);
	}
	json_object_set_array_member(obj, "ports", ports);
	tender_session_set_time(obj, "created_at", session->created_at);
	tender_session_set_time(obj, "last_activity", session->last_activity);
	tender_session_set_time(obj, "expires_at", tender_session_get_expires_at(session));
	tender_session_set_time(obj, "started_at", session->started_at);
	if (session->state == TENDER_SESSION_STATE_RUNNING && session->config->lifetime_sec > 0)
		tender_session_set_time(obj,
					"stops_at",
					session->started_at +
					    (gint64)session->config->lifetime_sec * G_USEC_PER_SEC);
	if (session->state == TENDER_SESSION_STATE_RUNNING)
		health = running ? "healthy" : "dead";
	json_object_set_string_member(obj, "health", health);
	if (running)
		json_object_set_int_member(obj, "main_pid", pid);
	if (session->last_error != NULL)
		json_object_set_string_member(obj, "last_error", session->last_error);
	tender_sessions_health_describe(self, session, obj);
	json_object_set_int_member(obj,
				   "processes_running",
				   session->processes != NULL
				       ? tender_session_processes_get_running(session->processes)
				       : 0);
	json_object_set_object_member(obj, "config", config);
	return obj;
}

/* --- get-or-create --- */

typedef struct {
	TenderSessionConfig *config;
	gchar *key;
	gboolean created;
} TenderSessionsGet;

static void
tender_sessions_get_free(TenderSessionsGet *get)
{
	g_clear_pointer(&get->config, tender_session_config_free);
	g_free(get->key);
	g_free(get);
}

/* the workload name of a new session: USER-ID unless that is another's (or another workload) */
static void
tender_sessions_name(TenderSessions *self, TenderSession *session)
{
	GHashTableIter iter;
	TenderSession *other;
	g_autoptr(GVariant) props = NULL;
	gboolean taken = FALSE;

	g_hash_table_iter_init(&iter, self->sessions);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&other)) {
		if (other != session && g_strcmp0(other->workload, session->workload) == 0)
			taken = TRUE;
	}
	props = tender_plugin_get_workload(self->plugin, session->workload, NULL);
	if (props != NULL) {
		g_autoptr(GVariant) spec = g_variant_lookup_value(props, "Spec", NULL);
		g_autoptr(GVariant) labels =
		    spec != NULL ? g_variant_lookup_value(spec, "labels", NULL) : NULL;
		const gchar *user = NULL;
		const gchar *id = NULL;
		if (labels == NULL ||
		    !g_variant_lookup(labels, "org.tender.session.user", "&s", &user) ||
		    !g_variant_lookup(labels, "org.tender.session.id", "&s", &id) ||
		    g_strcmp0(user, session->user) != 0 || g_strcmp0(id, session->id) != 0)
			taken = TRUE;
	}
	if (!taken)
		return;
	g_free(session->workload);
	session->workload = tender_session_workload_name(session->user, session->id, TRUE);
}

static void
tender_sessions_get_recreated_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessions *self = TENDER_SESSIONS(source);
	g_autoptr(GTask) task = user_data;
	TenderSessionsGet *get = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session = NULL;

	session = g_hash_table_lookup(self->sessions, get->key);
	if (session != NULL)
		tender_session_ref(session);
	if (!tender_sessions_sandbox_remove_finish(res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (session == NULL || session->closing) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_NOT_FOUND,
					"The session was closed meanwhile");
		return;
	}
	tender_session_config_free(session->config);
	session->config = g_steal_pointer(&get->config);
	session->created_at = g_get_real_time();
	get->created = TRUE;
	/* a new config: saved now */
	tender_sessions_touch(self, session);
	tender_sessions_save(self, session);
	tender_sessions_sandbox_ensure(self, session, task);
}

/**
 * tender_sessions_get_async:
 * @user: the user's id
 * @id: the session's id
 * @config: (transfer full): what the request asks
 *
 * Returns the session (user, id): the live one, its sandbox started again if it stopped, or
 * a new one (also when it had expired: a new sandbox over the same workspace).  A live
 * session whose config differs from @config in a key @config gives is refused
 * (InvalidState naming the key) unless @config asks to recreate it.
 */
void
tender_sessions_get_async(TenderSessions *self,
			  const gchar *user,
			  const gchar *id,
			  TenderSessionConfig *config,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderSessionsGet *get = g_new0(TenderSessionsGet, 1);
	TenderSession *session;
	const gchar *differs;
	GError *error = NULL;

	get->config = config;
	g_task_set_task_data(task, get, (GDestroyNotify)tender_sessions_get_free);
	if (!tender_session_check_id("user", user, &error) ||
	    !tender_session_check_id("session", id, &error)) {
		g_task_return_error(task, error);
		return;
	}
	get->key = tender_session_key(user, id);
	session = g_hash_table_lookup(self->sessions, get->key);
	if (session != NULL && session->closing) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_BUSY,
					"Session %s/%s is being closed; try again",
					user,
					id);
		return;
	}
	/* a new sandbox of the request's config: it must say what root */
	if ((session == NULL || get->config->recreate ||
	     (session->state == TENDER_SESSION_STATE_EXPIRED &&
	      g_hash_table_size(get->config->given) > 0)) &&
	    !tender_session_config_check_new(get->config, &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (session == NULL) {
		if (g_hash_table_size(self->sessions) >= self->settings.max_sessions) {
			g_task_return_new_error(task,
						TENDER_ERROR,
						TENDER_ERROR_LIMIT_REACHED,
						"There are %u sessions, the most [plugin sessions] "
						"max-sessions allows; close one",
						g_hash_table_size(self->sessions));
			return;
		}
		session = tender_session_new(user, id, g_steal_pointer(&get->config));
		tender_sessions_name(self, session);
		get->created = TRUE;
		tender_sessions_add(self, session);
		tender_sessions_sandbox_ensure(self, session, task);
		return;
	}
	if (get->config->recreate) {
		tender_sessions_sandbox_remove(self,
					       session,
					       tender_sessions_get_recreated_cb,
					       g_steal_pointer(&task));
		return;
	}
	if (session->state == TENDER_SESSION_STATE_EXPIRED) {
		/* a new sandbox: of the request's config if it gives one */
		if (g_hash_table_size(get->config->given) > 0) {
			tender_session_config_free(session->config);
			session->config = g_steal_pointer(&get->config);
		}
		get->created = TRUE;
	} else if ((differs = tender_session_config_differs(get->config, session->config)) !=
		   NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Session %s/%s exists with another %s; close it, or ask "
					"again with recreate",
					user,
					id,
					differs);
		return;
	}
	tender_sessions_touch(self, session);
	tender_sessions_sandbox_ensure(self, session, task);
}

/**
 * tender_sessions_get_finish:
 * @created: (out) (optional): whether the session (or its sandbox, for an expired or
 *   recreated one) is new
 *
 * Returns: (transfer full): the session, its sandbox running
 */
TenderSession *
tender_sessions_get_finish(TenderSessions *self,
			   GAsyncResult *res,
			   gboolean *created,
			   GError **error)
{
	TenderSessionsGet *get = g_task_get_task_data(G_TASK(res));

	if (created != NULL)
		*created = get->created;
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* --- use: a call that needs the sandbox running --- */

/**
 * tender_sessions_use_async:
 *
 * The session, its sandbox started again if it stopped, held busy (it does not expire) until
 * tender_sessions_release().  An expired session is InvalidState: GetSession makes it anew.
 */
void
tender_sessions_use_async(TenderSessions *self,
			  const gchar *user,
			  const gchar *id,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(TenderSession) session = NULL;
	GError *error = NULL;

	session = tender_sessions_lookup(self, user, id, &error);
	if (session == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (session->state == TENDER_SESSION_STATE_EXPIRED) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Session %s/%s expired (no activity for %" G_GUINT64_FORMAT
					" s); GetSession makes it again",
					user,
					id,
					session->config->inactivity_sec);
		return;
	}
	tender_sessions_touch(self, session);
	tender_sessions_sandbox_ensure(self, session, task);
}

/**
 * tender_sessions_use_finish:
 * @main_pid: (out): the sandbox's main process
 *
 * Returns: (transfer full): the session, busy until tender_sessions_release()
 */
TenderSession *
tender_sessions_use_finish(TenderSessions *self,
			   GAsyncResult *res,
			   guint32 *main_pid,
			   GError **error)
{
	TenderSession *session = g_task_propagate_pointer(G_TASK(res), error);
	g_autofree gchar *state = NULL;

	if (session == NULL)
		return NULL;
	*main_pid = 0;
	state = tender_sessions_sandbox_workload_state(self, session, main_pid, NULL);
	if (g_strcmp0(state, "running") != 0 || *main_pid == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "The sandbox of %s/%s is not running (%s)",
			    session->user,
			    session->id,
			    state != NULL ? state : "gone");
		tender_session_unref(session);
		return NULL;
	}
	session->busy++;
	return session;
}

void
tender_sessions_release(TenderSessions *self, TenderSession *session)
{
	g_return_if_fail(session->busy > 0);
	session->busy--;
	tender_sessions_touch(self, session);
}

/* --- close --- */

typedef struct {
	TenderSession *session;
	gboolean delete_workspace;
} TenderSessionsClose;

static void
tender_sessions_close_free(TenderSessionsClose *close)
{
	tender_session_unref(close->session);
	g_free(close);
}

static void
tender_sessions_close_thread(GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
	TenderSessionsClose *close = data;
	GError *error = NULL;

	if (!tender_session_files_remove_tree(close->session->workspace, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
tender_sessions_close_done(TenderSessions *self, GTask *task)
{
	TenderSessionsClose *close = g_task_get_task_data(task);
	TenderSession *session = close->session;
	g_autofree gchar *key = tender_session_key(session->user, session->id);
	g_autoptr(GError) error = NULL;

	if (!tender_session_store_delete(self->records_dir, session, &error))
		g_warning("%s", error->message);
	g_clear_pointer(&session->processes, tender_session_processes_free);
	g_signal_emit(self, tender_sessions_signals[SIGNAL_REMOVED], 0, session);
	tender_sessions_health_forget(self, session);
	g_hash_table_remove(self->sessions, key);
}

static void
tender_sessions_close_workspace_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	g_autoptr(GError) error = NULL;

	/* the session goes whatever: its sandbox is gone; the error says what was left */
	tender_sessions_close_done(TENDER_SESSIONS(g_task_get_source_object(task)), task);
	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_prefix_error(&error,
			       "The session is closed, but its workspace is not all gone: ");
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
tender_sessions_close_removed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessions *self = TENDER_SESSIONS(source);
	g_autoptr(GTask) task = user_data;
	TenderSessionsClose *close = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!tender_sessions_sandbox_remove_finish(res, &error)) {
		close->session->closing = FALSE;
		tender_sessions_sandbox_schedule(self, close->session);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (close->delete_workspace && close->session->workspace != NULL) {
		g_autoptr(GTask) thread = g_task_new(self,
						     NULL,
						     tender_sessions_close_workspace_cb,
						     g_steal_pointer(&task));
		g_task_set_task_data(thread,
				     g_new0(TenderSessionsClose, 1),
				     (GDestroyNotify)tender_sessions_close_free);
		((TenderSessionsClose *)g_task_get_task_data(thread))->session =
		    tender_session_ref(close->session);
		g_task_run_in_thread(thread, tender_sessions_close_thread);
		return;
	}
	tender_sessions_close_done(self, task);
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_sessions_close_async:
 * @delete_workspace: also remove its workspace (else it is kept on the host)
 *
 * Removes the session's sandbox and its record.
 */
void
tender_sessions_close_async(TenderSessions *self,
			    const gchar *user,
			    const gchar *id,
			    gboolean delete_workspace,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderSessionsClose *close = g_new0(TenderSessionsClose, 1);
	GError *error = NULL;

	g_task_set_task_data(task, close, (GDestroyNotify)tender_sessions_close_free);
	close->delete_workspace = delete_workspace;
	close->session = tender_sessions_lookup(self, user, id, &error);
	if (close->session == NULL) {
		g_task_return_error(task, error);
		return;
	}
	if (close->session->removing || close->session->waiters->len > 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_BUSY,
					"Session %s/%s is busy starting or removing its sandbox; "
					"try again",
					user,
					id);
		return;
	}
	close->session->closing = TRUE;
	g_clear_handle_id(&close->session->idle_id, g_source_remove);
	tender_sessions_sandbox_remove(self,
				       close->session,
				       tender_sessions_close_removed_cb,
				       g_steal_pointer(&task));
}

gboolean
tender_sessions_close_finish(TenderSessions *self, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}
