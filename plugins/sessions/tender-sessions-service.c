/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-json.h>
#include "tender-sessions-service-private.h"

/*
 * The sessions plugin's feature service, org.tender.Agent1.Sessions on
 * /org/tender/Agent1/sessions (org.tender.Agent1.Sessions.xml, a resource of the plugin), and
 * one feature object per session, org.tender.Agent1.Session with its properties, on
 * /org/tender/Agent1/sessions/USER/ID, declared as sessions come and removed as they are
 * closed.  What a session
 * is and does is TenderSessions'; this translates, for D-Bus and for the HTTP routes.
 */

#define TENDER_SESSIONS_SERVICE_XML "/org/tender/sessions/org.tender.Agent1.Sessions.xml"
#define TENDER_SESSIONS_SESSION_XML "/org/tender/sessions/org.tender.Agent1.Session.xml"

void
tender_sessions_object_free(TenderSessionsObject *object)
{
	g_free(object->user);
	g_free(object->id);
	g_free(object);
}

/* an HTTP route's answer: a status and a JSON object */
void
tender_sessions_service_answer(TenderCall *call, guint status, JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	g_autofree gchar *text = json_to_string(node, FALSE);

	tender_call_return_value(call, g_variant_new("(us)", status, text));
}

/* the session's feature object, below /org/tender/Agent1/sessions: "USER/ID", escaped */
gchar *
tender_sessions_service_subpath(TenderSession *session)
{
	g_autofree gchar *subpath = tender_session_subpath(session->user, session->id);

	/* without the "session/" of an object below the plugin's own */
	return g_strdup(strchr(subpath, '/') + 1);
}

/* the session as D-Bus and HTTP tell it, with the path of its object */
JsonObject *
tender_sessions_service_describe(TenderSessionsService *self, TenderSession *session)
{
	JsonObject *obj = tender_sessions_describe(self->sessions, session);
	g_autofree gchar *subpath = tender_sessions_service_subpath(session);
	g_autofree gchar *path = tender_plugin_get_feature_object_path(self->plugin, subpath);

	json_object_set_string_member(obj, "object_path", path);
	return obj;
}

/* its state or last error changed: watchers read the properties again */
static void
tender_sessions_service_changed_cb(gpointer data, gpointer user_data)
{
	TenderSessionsService *self = user_data;
	g_autofree gchar *subpath = tender_sessions_service_subpath(data);
	const gchar *const names[] = {"state", "health", "last_error", "main_pid", NULL};
	g_autoptr(GError) error = NULL;

	if (!tender_plugin_emit_feature_properties_changed(self->plugin, subpath, names, &error))
		g_debug("%s: %s", subpath, error->message);
}

static void
tender_sessions_service_added_cb(TenderSessions *sessions, gpointer data, gpointer user_data)
{
	TenderSessionsService *self = user_data;
	TenderSession *session = data;
	g_autofree gchar *subpath = tender_sessions_service_subpath(session);
	TenderSessionsObject *object = g_new0(TenderSessionsObject, 1);
	g_autoptr(GError) error = NULL;

	object->service = self;
	object->user = g_strdup(session->user);
	object->id = g_strdup(session->id);
	session->changed = tender_sessions_service_changed_cb;
	session->changed_data = self;
	if (!tender_plugin_add_feature_object(self->plugin,
					      subpath,
					      g_bytes_get_data(self->session_xml, NULL),
					      tender_sessions_service_session_methods,
					      tender_sessions_service_session_property,
					      object,
					      (GDestroyNotify)tender_sessions_object_free,
					      &error)) {
		g_warning("cannot declare the object of session %s/%s: %s",
			  session->user,
			  session->id,
			  error->message);
		tender_sessions_object_free(object);
	}
}

static void
tender_sessions_service_removed_cb(TenderSessions *sessions, gpointer data, gpointer user_data)
{
	TenderSessionsService *self = user_data;
	TenderSession *session = data;
	g_autofree gchar *subpath = tender_sessions_service_subpath(session);
	g_autoptr(GError) error = NULL;

	session->changed = NULL;
	session->changed_data = NULL;
	if (!tender_plugin_remove_feature_object(self->plugin, subpath, &error))
		g_debug("%s: %s", subpath, error->message);
}

/* --- get-or-create --- */

typedef struct {
	TenderSessionsService *self;
	TenderCall *call;
	TenderSessionsReply reply;
	gchar *user;
	gchar *id;
	TenderSessionConfig *config;
} TenderSessionsGetCall;

static void
tender_sessions_get_call_free(TenderSessionsGetCall *get)
{
	g_free(get->user);
	g_free(get->id);
	g_clear_pointer(&get->config, tender_session_config_free);
	g_free(get);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionsGetCall, tender_sessions_get_call_free)

static void
tender_sessions_service_got_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsGetCall) get = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session = NULL;
	g_autoptr(JsonObject) obj = NULL;
	gboolean created = FALSE;

	session = tender_sessions_get_finish(TENDER_SESSIONS(source), res, &created, &error);
	if (session == NULL) {
		tender_call_return_error(get->call, error);
		return;
	}
	obj = tender_sessions_service_describe(get->self, session);
	if (get->reply == TENDER_SESSIONS_REPLY_HTTP) {
		json_object_set_boolean_member(obj, "created", created);
		tender_sessions_service_answer(get->call, created ? 201 : 200, obj);
		return;
	}
	tender_call_return_value(get->call,
				 g_variant_new("(ob)",
					       json_object_get_string_member(obj, "object_path"),
					       created));
}

static void
tender_sessions_service_get_now(TenderSessionsGetCall *get)
{
	tender_sessions_get_async(get->self->sessions,
				  get->user,
				  get->id,
				  g_steal_pointer(&get->config),
				  NULL,
				  tender_sessions_service_got_cb,
				  get);
}

static void
tender_sessions_service_recreate_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsGetCall) get = user_data;
	g_autoptr(GError) error = NULL;

	if (!tender_plugin_check_authorization_finish(TENDER_PLUGIN(source), res, &error)) {
		g_prefix_error(&error, "recreate needs %s: ", TENDER_SESSIONS_MANAGE);
		tender_call_return_error(get->call, error);
		return;
	}
	tender_sessions_service_get_now(g_steal_pointer(&get));
}

/* get-or-create; recreate asks polkit for org.tender.sessions.manage first */
void
tender_sessions_service_get(TenderSessionsService *self,
			    TenderCall *call,
			    TenderSessionsReply reply,
			    const gchar *user,
			    const gchar *id,
			    TenderSessionConfig *config)
{
	TenderSessionsGetCall *get = g_new0(TenderSessionsGetCall, 1);
	g_autoptr(GHashTable) details = NULL;

	get->self = self;
	get->call = call;
	get->reply = reply;
	get->user = g_strdup(user);
	get->id = g_strdup(id);
	get->config = config;
	if (!config->recreate) {
		tender_sessions_service_get_now(get);
		return;
	}
	details = g_hash_table_new(g_str_hash, g_str_equal);
	g_hash_table_insert(details, (gpointer) "user", get->user);
	g_hash_table_insert(details, (gpointer) "session", get->id);
	tender_plugin_check_authorization_async(self->plugin,
						tender_call_get_caller(call),
						TENDER_SESSIONS_MANAGE,
						details,
						NULL,
						tender_sessions_service_recreate_cb,
						get);
}

static void
tender_sessions_service_get_session(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsService *self = user_data;
	const TenderSessionsSettings *settings = tender_sessions_get_settings(self->sessions);
	g_autoptr(GVariant) dict = NULL;
	const gchar *user = NULL;
	const gchar *id = NULL;
	g_autoptr(GError) error = NULL;
	TenderSessionConfig *config;

	g_variant_get(tender_call_get_parameters(call), "(&s&s@a{sv})", &user, &id, &dict);
	config = tender_session_config_from_vardict(dict,
						    settings->default_backend,
						    settings->default_image,
						    &error);
	if (config == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_sessions_service_get(self, call, TENDER_SESSIONS_REPLY_DBUS, user, id, config);
}

static void
tender_sessions_service_list_sessions(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsService *self = user_data;
	g_autoptr(GPtrArray) list = NULL;
	const gchar *user = NULL;
	GVariantBuilder builder;
	g_autoptr(GError) error = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &user);
	/* "" is every user's; another id that no session can have is an error, not nothing */
	if (user[0] != '\0' && !tender_session_check_id("user", user, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	list = tender_sessions_list(self->sessions, user[0] != '\0' ? user : NULL);
	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < list->len; i++) {
		g_autoptr(JsonObject) obj =
		    tender_sessions_service_describe(self, g_ptr_array_index(list, i));
		g_variant_builder_add_value(&builder, tender_json_object_to_vardict(obj));
	}
	tender_call_return_value(call, g_variant_new("(aa{sv})", &builder));
}

/* --- close --- */

typedef struct {
	TenderCall *call;
	TenderSessionsReply reply;
} TenderSessionsCloseCall;

static void
tender_sessions_service_closed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderSessionsCloseCall *close = user_data;
	TenderCall *call = close->call;
	TenderSessionsReply reply = close->reply;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = NULL;

	g_free(close);
	if (!tender_sessions_close_finish(TENDER_SESSIONS(source), res, &error)) {
		tender_call_return_error(call, error);
		return;
	}
	if (reply == TENDER_SESSIONS_REPLY_DBUS) {
		tender_call_return_value(call, NULL);
		return;
	}
	obj = json_object_new();
	json_object_set_boolean_member(obj, "closed", TRUE);
	tender_sessions_service_answer(call, 200, obj);
}

void
tender_sessions_service_close(TenderSessionsService *self,
			      TenderCall *call,
			      TenderSessionsReply reply,
			      const gchar *user,
			      const gchar *id,
			      gboolean delete_workspace)
{
	TenderSessionsCloseCall *close = g_new0(TenderSessionsCloseCall, 1);

	close->call = call;
	close->reply = reply;
	tender_sessions_close_async(self->sessions,
				    user,
				    id,
				    delete_workspace,
				    NULL,
				    tender_sessions_service_closed_cb,
				    close);
}

/* --- the declaration --- */

static void
tender_sessions_service_free(TenderSessionsService *self)
{
	g_signal_handler_disconnect(self->sessions, self->added_id);
	g_signal_handler_disconnect(self->sessions, self->removed_id);
	g_object_unref(self->sessions);
	g_bytes_unref(self->session_xml);
	g_clear_pointer(&self->session_node, g_dbus_node_info_unref);
	g_free(self);
}

static const TenderPluginServiceMethod tender_sessions_service_methods[] = {
    {"GetSession", TENDER_SESSIONS_USE, tender_sessions_service_get_session},
    {"ListSessions", TENDER_SESSIONS_USE, tender_sessions_service_list_sessions},
    {"HttpUse", TENDER_SESSIONS_USE, tender_sessions_service_http_use},
    {"HttpManage", TENDER_SESSIONS_MANAGE, tender_sessions_service_http_manage},
    {"HttpFiles", TENDER_SESSIONS_USE, tender_sessions_service_http_files},
    {NULL, NULL, NULL},
};

/**
 * tender_sessions_service_register:
 * @plugin: the sessions plugin, in its init
 * @sessions: its manager, its records not read yet
 *
 * Declares org.tender.Agent1.Sessions, its HTTP routes, and an object per session from now
 * on.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_sessions_service_register(TenderPlugin *plugin, TenderSessions *sessions, GError **error)
{
	g_autoptr(GBytes) xml = g_resources_lookup_data(TENDER_SESSIONS_SERVICE_XML,
							G_RESOURCE_LOOKUP_FLAGS_NONE,
							error);
	g_autoptr(GBytes) session_xml = NULL;
	g_autoptr(GDBusNodeInfo) session_node = NULL;
	TenderSessionsService *self;

	if (xml == NULL)
		return FALSE;
	session_xml = g_resources_lookup_data(TENDER_SESSIONS_SESSION_XML,
					      G_RESOURCE_LOOKUP_FLAGS_NONE,
					      error);
	if (session_xml == NULL)
		return FALSE;
	session_node = g_dbus_node_info_new_for_xml(g_bytes_get_data(session_xml, NULL), error);
	if (session_node == NULL)
		return FALSE;
	self = g_new0(TenderSessionsService, 1);
	self->plugin = plugin;
	self->sessions = g_object_ref(sessions);
	self->session_node = g_steal_pointer(&session_node);
	self->session_xml = g_steal_pointer(&session_xml);
	self->added_id =
	    g_signal_connect(sessions, "added", G_CALLBACK(tender_sessions_service_added_cb), self);
	self->removed_id = g_signal_connect(sessions,
					    "removed",
					    G_CALLBACK(tender_sessions_service_removed_cb),
					    self);
	if (!tender_plugin_add_feature_service(plugin,
					       g_bytes_get_data(xml, NULL),
					       tender_sessions_service_methods,
					       self,
					       (GDestroyNotify)tender_sessions_service_free,
					       error)) {
		tender_sessions_service_free(self);
		return FALSE;
	}
	return tender_sessions_service_add_http_aliases(self, error);
}
