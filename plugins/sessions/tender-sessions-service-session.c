/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-json.h>
#include "tender-sessions-service-private.h"

/*
 * org.tender.Agent1.Session, one object per session: Describe, the files (WriteFile, ReadFile,
 * ListFiles, DeleteFile) and Close.  The file operations are shared with the HTTP routes: the
 * session is used (its sandbox started if it stopped, held busy meanwhile), a pidfd of its
 * main process taken, and the operation run in a worker thread.
 */

typedef struct {
	TenderSessionsService *self;
	TenderCall *call;
	TenderSessionsReply reply;
	TenderSessionFilesOp *op;
	TenderSession *session;
} TenderSessionsFilesCall;

static void
tender_sessions_files_call_free(TenderSessionsFilesCall *files)
{
	if (files->session != NULL) {
		tender_sessions_release(files->self->sessions, files->session);
		tender_session_unref(files->session);
	}
	g_clear_pointer(&files->op, tender_session_files_op_free);
	g_free(files);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionsFilesCall, tender_sessions_files_call_free)

static void
tender_sessions_files_answer_http(TenderSessionsFilesCall *files, TenderSessionFilesOp *op)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *text = NULL;

	/* a file read over HTTP is its bytes, as they are */
	if (op->kind == TENDER_SESSION_FILES_READ) {
		tender_call_return_value(
		    files->call,
		    g_variant_new("(us@ay)",
				  200,
				  "application/octet-stream",
				  g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING,
							   op->content,
							   TRUE)));
		return;
	}
	json_object_set_string_member(obj, "path", op->resolved);
	switch (op->kind) {
	case TENDER_SESSION_FILES_WRITE:
		json_object_set_int_member(obj, "size", (gint64)op->size);
		break;
	case TENDER_SESSION_FILES_LIST:
		json_object_set_array_member(obj, "entries", json_array_ref(op->entries));
		json_object_set_boolean_member(obj, "truncated", op->truncated);
		break;
	case TENDER_SESSION_FILES_DELETE:
	default:
		json_object_set_boolean_member(obj, "deleted", TRUE);
		break;
	}
	if (files->reply == TENDER_SESSIONS_REPLY_HTTP) {
		tender_sessions_service_answer(files->call, 200, obj);
		return;
	}
	/* HttpFiles answers bytes: the JSON text, as application/json */
	node = json_node_init_object(json_node_alloc(), obj);
	text = json_to_string(node, FALSE);
	tender_call_return_value(files->call,
				 g_variant_new("(us@ay)",
					       200,
					       "application/json",
					       g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
									 text,
									 strlen(text),
									 1)));
}

static void
tender_sessions_files_answer_dbus(TenderSessionsFilesCall *files, TenderSessionFilesOp *op)
{
	GVariantBuilder builder;

	switch (op->kind) {
	case TENDER_SESSION_FILES_WRITE:
		tender_call_return_value(files->call, g_variant_new("(t)", op->size));
		break;
	case TENDER_SESSION_FILES_READ:
		tender_call_return_value(
		    files->call,
		    g_variant_new("(@ay)",
				  g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING,
							   op->content,
							   TRUE)));
		break;
	case TENDER_SESSION_FILES_LIST:
		g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
		for (guint i = 0; i < json_array_get_length(op->entries); i++)
			g_variant_builder_add_value(&builder,
						    tender_json_object_to_vardict(
							json_array_get_object_element(op->entries,
										      i)));
		tender_call_return_value(files->call,
					 g_variant_new("(aa{sv}b)", &builder, op->truncated));
		break;
	case TENDER_SESSION_FILES_DELETE:
	default:
		tender_call_return_value(files->call, NULL);
		break;
	}
}

static void
tender_sessions_files_ran_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsFilesCall) files = user_data;
	g_autoptr(GError) error = NULL;
	TenderSessionFilesOp *op = tender_session_files_op_run_finish(res, &error);

	if (op == NULL) {
		tender_call_return_error(files->call, error);
		return;
	}
	if (files->reply != TENDER_SESSIONS_REPLY_DBUS)
		tender_sessions_files_answer_http(files, op);
	else
		tender_sessions_files_answer_dbus(files, op);
}

static void
tender_sessions_files_used_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderSessionsFilesCall) files = user_data;
	g_autoptr(GError) error = NULL;
	guint32 pid = 0;

	files->session = tender_sessions_use_finish(TENDER_SESSIONS(source), res, &pid, &error);
	if (files->session == NULL || !tender_session_files_op_hold(files->op, pid, &error)) {
		tender_call_return_error(files->call, error);
		return;
	}
	files->op->max_size = tender_sessions_get_settings(files->self->sessions)->max_file_size;
	tender_session_files_op_run_async(g_steal_pointer(&files->op),
					  NULL,
					  tender_sessions_files_ran_cb,
					  files);
	/* the op's task now holds the call until it answers */
	files = NULL;
}

/* runs @op (taken) in the session's sandbox and answers @call */
void
tender_sessions_service_files(TenderSessionsService *self,
			      TenderCall *call,
			      TenderSessionsReply reply,
			      const gchar *user,
			      const gchar *id,
			      TenderSessionFilesOp *op)
{
	TenderSessionsFilesCall *files = g_new0(TenderSessionsFilesCall, 1);

	files->self = self;
	files->call = call;
	files->reply = reply;
	files->op = op;
	tender_sessions_use_async(self->sessions,
				  user,
				  id,
				  NULL,
				  tender_sessions_files_used_cb,
				  files);
}

/* --- D-Bus --- */

static void
tender_sessions_session_describe(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session = NULL;
	g_autoptr(JsonObject) obj = NULL;

	session =
	    tender_sessions_lookup(object->service->sessions, object->user, object->id, &error);
	if (session == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_sessions_touch(object->service->sessions, session);
	obj = tender_sessions_service_describe(object->service, session);
	tender_call_return_value(call,
				 g_variant_new("(@a{sv})", tender_json_object_to_vardict(obj)));
}

static void
tender_sessions_session_write_file(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(GVariant) content = NULL;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(TenderSessionFilesOp) op = NULL;
	const gchar *path = NULL;
	guint32 mode = 0;

	g_variant_get(tender_call_get_parameters(call), "(&s@ay@a{sv})", &path, &content, &options);
	op = tender_session_files_op_new(TENDER_SESSION_FILES_WRITE, path);
	op->content = g_variant_get_data_as_bytes(content);
	if (g_variant_lookup(options, "mode", "u", &mode)) {
		if (mode > 0777) {
			g_autoptr(GError) error =
			    g_error_new(TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"Invalid option 'mode': %o is not 0 to 0777",
					mode);
			tender_call_return_error(call, error);
			return;
		}
		op->mode = (gint)mode;
	}
	(void)g_variant_lookup(options, "append", "b", &op->append);
	tender_sessions_service_files(object->service,
				      call,
				      TENDER_SESSIONS_REPLY_DBUS,
				      object->user,
				      object->id,
				      g_steal_pointer(&op));
}

static void
tender_sessions_session_path_op(TenderCall *call,
				TenderSessionsObject *object,
				TenderSessionFilesKind kind)
{
	const gchar *path = NULL;

	g_variant_get(tender_call_get_parameters(call), "(&s)", &path);
	tender_sessions_service_files(object->service,
				      call,
				      TENDER_SESSIONS_REPLY_DBUS,
				      object->user,
				      object->id,
				      tender_session_files_op_new(kind, path));
}

static void
tender_sessions_session_read_file(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_session_path_op(call, user_data, TENDER_SESSION_FILES_READ);
}

static void
tender_sessions_session_list_files(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_session_path_op(call, user_data, TENDER_SESSION_FILES_LIST);
}

static void
tender_sessions_session_delete_file(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_session_path_op(call, user_data, TENDER_SESSION_FILES_DELETE);
}

static void
tender_sessions_session_close(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	gboolean delete_workspace = FALSE;

	g_variant_get(tender_call_get_parameters(call), "(b)", &delete_workspace);
	tender_sessions_service_close(object->service,
				      call,
				      TENDER_SESSIONS_REPLY_DBUS,
				      object->user,
				      object->id,
				      delete_workspace);
}

/* a member of Describe's a{sv} as the property of the XML's @signature: absent ones are
 * empty (or 0) */
static GVariant *
tender_sessions_session_property_value(JsonNode *node, const gchar *signature)
{
	GVariantBuilder builder;

	if (g_strcmp0(signature, "u") == 0)
		return g_variant_new_uint32(node != NULL && JSON_NODE_HOLDS_VALUE(node)
						? (guint32)json_node_get_int(node)
						: 0);
	if (g_strcmp0(signature, "o") == 0)
		return g_variant_new_object_path(node != NULL ? json_node_get_string(node) : "/");
	if (g_strcmp0(signature, "a{sv}") == 0)
		return node != NULL && JSON_NODE_HOLDS_OBJECT(node)
			   ? tender_json_object_to_vardict(json_node_get_object(node))
			   : g_variant_new_array(G_VARIANT_TYPE("{sv}"), NULL, 0);
	if (g_strcmp0(signature, "as") == 0) {
		JsonArray *array =
		    node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("as"));
		for (guint i = 0; array != NULL && i < json_array_get_length(array); i++)
			g_variant_builder_add(&builder,
					      "s",
					      json_array_get_string_element(array, i));
		return g_variant_builder_end(&builder);
	}
	if (g_strcmp0(signature, "aa{sv}") == 0) {
		JsonArray *array =
		    node != NULL && JSON_NODE_HOLDS_ARRAY(node) ? json_node_get_array(node) : NULL;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
		for (guint i = 0; array != NULL && i < json_array_get_length(array); i++)
			g_variant_builder_add_value(&builder,
						    tender_json_object_to_vardict(
							json_array_get_object_element(array, i)));
		return g_variant_builder_end(&builder);
	}
	return g_variant_new_string(
	    node != NULL && JSON_NODE_HOLDS_VALUE(node) ? json_node_get_string(node) : "");
}

/**
 * tender_sessions_service_session_property:
 *
 * Reads a property of a session's object: Describe's member of that name, for a caller
 * allowed org.tender.sessions.use; reading is no activity.
 *
 * Returns: (transfer floating) (nullable): its value, %NULL once the session is gone
 */
GVariant *
tender_sessions_service_session_property(TenderPlugin *plugin,
					 const gchar *subpath,
					 const gchar *property,
					 gpointer user_data)
{
	TenderSessionsObject *object = user_data;
	g_autoptr(TenderSession) session =
	    tender_sessions_lookup(object->service->sessions, object->user, object->id, NULL);
	GDBusInterfaceInfo *iface = object->service->session_node->interfaces[0];
	GDBusPropertyInfo *info = g_dbus_interface_info_lookup_property(iface, property);
	g_autoptr(JsonObject) obj = NULL;

	if (session == NULL || info == NULL)
		return NULL;
	obj = tender_sessions_service_describe(object->service, session);
	return tender_sessions_session_property_value(json_object_get_member(obj, property),
						      info->signature);
}

const TenderPluginServiceMethod tender_sessions_service_session_methods[] = {
    {TENDER_PLUGIN_PROPERTIES_READ, TENDER_SESSIONS_USE, NULL},
    {"Describe", TENDER_SESSIONS_USE, tender_sessions_session_describe},
    {"WriteFile", TENDER_SESSIONS_USE, tender_sessions_session_write_file},
    {"ReadFile", TENDER_SESSIONS_USE, tender_sessions_session_read_file},
    {"ListFiles", TENDER_SESSIONS_USE, tender_sessions_session_list_files},
    {"DeleteFile", TENDER_SESSIONS_USE, tender_sessions_session_delete_file},
    {"Exec", TENDER_SESSIONS_USE, tender_sessions_session_exec},
    {"StartProcess", TENDER_SESSIONS_USE, tender_sessions_session_start_process},
    {"ListProcesses", TENDER_SESSIONS_USE, tender_sessions_session_list_processes},
    {"GetProcessLogs", TENDER_SESSIONS_USE, tender_sessions_session_get_process_logs},
    {"KillProcess", TENDER_SESSIONS_USE, tender_sessions_session_kill_process},
    {"Close", TENDER_SESSIONS_MANAGE, tender_sessions_session_close},
    {NULL, NULL, NULL},
};
