/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-json.h>

#include "tender-sessions-service-private.h"

/*
 * The HTTP routes of sessions, /v1/sessions and below, each an alias of HttpUse or HttpManage
 * with its tag; errors are the HTTP mirror's {"error": {"name", "message"}} with the status of
 * their name.  POST /v1/sessions gets or creates ({user_id, session_id, config}), GET
 * /v1/sessions[?user=] lists.
 */

/* clang-format off */
static const TenderPluginHttpAlias tender_sessions_service_aliases[] = {
    {.verb = "GET", .pattern = "/v1/sessions", .method = "HttpUse", .tag = "list"},
    {.verb = "POST", .pattern = "/v1/sessions", .method = "HttpUse", .tag = "get"},
    {.verb = "GET", .pattern = "/v1/sessions/{user}/{session}", .method = "HttpUse", .tag = "describe"},
    {.verb = "DELETE", .pattern = "/v1/sessions/{user}/{session}", .method = "HttpManage", .tag = "close"},
    /* raw bytes both ways; the body's limit is max-file-size's */
    {.verb = "PUT", .pattern = "/v1/sessions/{user}/{session}/files", .method = "HttpFiles", .tag = "write", .flags = TENDER_PLUGIN_HTTP_ALIAS_BYTES},
    {.verb = "GET", .pattern = "/v1/sessions/{user}/{session}/files", .method = "HttpFiles", .tag = "read", .flags = TENDER_PLUGIN_HTTP_ALIAS_BYTES},
    {.verb = "DELETE", .pattern = "/v1/sessions/{user}/{session}/files", .method = "HttpUse", .tag = "delete"},
    {.verb = "GET", .pattern = "/v1/sessions/{user}/{session}/files/list", .method = "HttpUse", .tag = "ls"},
    {.verb = "POST", .pattern = "/v1/sessions/{user}/{session}/exec", .method = "HttpUse", .tag = "exec"},
    {.verb = "POST", .pattern = "/v1/sessions/{user}/{session}/processes", .method = "HttpUse", .tag = "start"},
    {.verb = "GET", .pattern = "/v1/sessions/{user}/{session}/processes", .method = "HttpUse", .tag = "ps"},
    {.verb = "GET", .pattern = "/v1/sessions/{user}/{session}/processes/{id}/logs", .method = "HttpUse", .tag = "logs"},
    {.verb = "POST", .pattern = "/v1/sessions/{user}/{session}/processes/{id}/kill", .method = "HttpUse", .tag = "kill"},
    {.verb = NULL},
};
/* clang-format on */

static const gchar *
tender_sessions_http_param(GVariant *params, const gchar *key)
{
	const gchar *value = NULL;
	if (!g_variant_lookup(params, key, "&s", &value))
		return NULL;
	return value;
}

/* answers @call with InvalidArgument: @message; FALSE */
gboolean
tender_sessions_http_invalid(TenderCall *call, const gchar *message)
{
	g_autoptr(GError) error =
	    g_error_new_literal(TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, message);
	tender_call_return_error(call, error);
	return FALSE;
}

/* a boolean query parameter: 1/true/yes or 0/false/no, absent is @def; FALSE once @call is
 * answered with the error */
gboolean
tender_sessions_http_flag(TenderCall *call,
			  GVariant *params,
			  const gchar *key,
			  gboolean *out,
			  gboolean def)
{
	const gchar *value = tender_sessions_http_param(params, key);
	g_autofree gchar *message = NULL;

	*out = def;
	if (value == NULL)
		return TRUE;
	if (g_strv_contains((const gchar *const[]){"1", "true", "yes", NULL}, value)) {
		*out = TRUE;
		return TRUE;
	}
	if (g_strv_contains((const gchar *const[]){"0", "false", "no", NULL}, value)) {
		*out = FALSE;
		return TRUE;
	}
	message = g_strdup_printf("Invalid query parameter '%s': give 1 or 0", key);
	return tender_sessions_http_invalid(call, message);
}

/* a member of POST /v1/sessions's body that is a string, or %NULL after an error */
static const gchar *
tender_sessions_http_member(TenderCall *call, JsonObject *obj, const gchar *name)
{
	JsonNode *node = json_object_get_member(obj, name);
	g_autofree gchar *message = NULL;

	if (node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	    json_node_get_value_type(node) == G_TYPE_STRING)
		return json_node_get_string(node);
	message = g_strdup_printf("The body's '%s' is missing or not a string", name);
	tender_sessions_http_invalid(call, message);
	return NULL;
}

/* the body of POST /v1/sessions: {"user_id", "session_id", "config": {...}}, the config
 * optional */
static void
tender_sessions_http_get(TenderSessionsService *self, TenderCall *call, const gchar *body)
{
	const TenderSessionsSettings *settings = tender_sessions_get_settings(self->sessions);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonObject) empty = json_object_new();
	g_autoptr(GError) error = NULL;
	TenderSessionConfig *config;
	JsonObject *obj;
	JsonNode *member;
	const gchar *user;
	const gchar *id;

	node = tender_json_parse(body, -1, TENDER_JSON_DEPTH_MAX, &error);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		tender_sessions_http_invalid(call,
					     "The body is not a JSON object {\"user_id\", "
					     "\"session_id\", \"config\"}");
		return;
	}
	obj = json_node_get_object(node);
	for (GList *l = json_object_get_members(obj); l != NULL; l = g_list_delete_link(l, l)) {
		g_autofree gchar *message = NULL;
		if (g_strv_contains((const gchar *const[]){"user_id", "session_id", "config", NULL},
				    l->data))
			continue;
		message = g_strdup_printf("Unknown member '%s' of the body: give user_id, "
					  "session_id and config",
					  (const gchar *)l->data);
		g_list_free(l);
		tender_sessions_http_invalid(call, message);
		return;
	}
	user = tender_sessions_http_member(call, obj, "user_id");
	if (user == NULL)
		return;
	id = tender_sessions_http_member(call, obj, "session_id");
	if (id == NULL)
		return;
	member = json_object_get_member(obj, "config");
	if (member != NULL && !JSON_NODE_HOLDS_OBJECT(member) && !JSON_NODE_HOLDS_NULL(member)) {
		tender_sessions_http_invalid(call, "The body's 'config' is not a JSON object");
		return;
	}
	config = tender_session_config_from_json(member != NULL && JSON_NODE_HOLDS_OBJECT(member)
						     ? json_node_get_object(member)
						     : empty,
						 settings->default_backend,
						 settings->default_image,
						 &error);
	if (config == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_sessions_service_get(self, call, TENDER_SESSIONS_REPLY_HTTP, user, id, config);
}

static void
tender_sessions_http_list(TenderSessionsService *self, TenderCall *call, GVariant *params)
{
	const gchar *user = tender_sessions_http_param(params, "user");
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	JsonArray *array = json_array_new();
	g_autoptr(GError) error = NULL;

	if (user != NULL && !tender_session_check_id("user", user, &error)) {
		tender_call_return_error(call, error);
		json_array_unref(array);
		return;
	}
	list = tender_sessions_list(self->sessions, user);
	for (guint i = 0; i < list->len; i++)
		json_array_add_object_element(
		    array,
		    tender_sessions_service_describe(self, g_ptr_array_index(list, i)));
	json_object_set_array_member(obj, "sessions", array);
	tender_sessions_service_answer(call, 200, obj);
}

static void
tender_sessions_http_describe(TenderSessionsService *self,
			      TenderCall *call,
			      const gchar *user,
			      const gchar *id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSession) session = tender_sessions_lookup(self->sessions, user, id, &error);
	g_autoptr(JsonObject) obj = NULL;

	if (session == NULL) {
		tender_call_return_error(call, error);
		return;
	}
	tender_sessions_touch(self->sessions, session);
	obj = tender_sessions_service_describe(self, session);
	tender_sessions_service_answer(call, 200, obj);
}

/* PUT .../files?path=P[&mode=0644][&append=1]: the body is the content, as it is */
static gboolean
tender_sessions_http_write(TenderCall *call,
			   GVariant *params,
			   GBytes *body,
			   TenderSessionFilesOp *op)
{
	const gchar *mode = tender_sessions_http_param(params, "mode");

	if (!tender_sessions_http_flag(call, params, "append", &op->append, FALSE))
		return FALSE;
	if (mode != NULL) {
		gchar *end = NULL;
		guint64 value = g_ascii_strtoull(mode, &end, 8);
		if (mode[0] == '\0' || *end != '\0' || value > 0777)
			return tender_sessions_http_invalid(call,
							    "Invalid query parameter 'mode': give "
							    "octal 0 to 0777");
		op->mode = (gint)value;
	}
	op->content = g_bytes_ref(body);
	return TRUE;
}

/* the file routes: @body is the bytes of a PUT (HttpFiles), or %NULL (HttpUse) */
static void
tender_sessions_http_files(TenderSessionsService *self,
			   TenderCall *call,
			   const gchar *tag,
			   GVariant *params,
			   GBytes *body)
{
	const gchar *user = tender_sessions_http_param(params, "user");
	const gchar *id = tender_sessions_http_param(params, "session");
	const gchar *path = tender_sessions_http_param(params, "path");
	g_autoptr(TenderSessionFilesOp) op = NULL;
	TenderSessionFilesKind kind = TENDER_SESSION_FILES_READ;

	if (g_strcmp0(tag, "write") == 0)
		kind = TENDER_SESSION_FILES_WRITE;
	else if (g_strcmp0(tag, "ls") == 0)
		kind = TENDER_SESSION_FILES_LIST;
	else if (g_strcmp0(tag, "delete") == 0)
		kind = TENDER_SESSION_FILES_DELETE;
	if (path == NULL && kind == TENDER_SESSION_FILES_LIST)
		path = ".";
	if (path == NULL) {
		tender_sessions_http_invalid(call, "The query parameter 'path' is missing");
		return;
	}
	op = tender_session_files_op_new(kind, path);
	if (kind == TENDER_SESSION_FILES_WRITE && body == NULL) {
		tender_sessions_http_invalid(call, "No such route of sessions");
		return;
	}
	if (kind == TENDER_SESSION_FILES_WRITE &&
	    !tender_sessions_http_write(call, params, body, op))
		return;
	tender_sessions_service_files(self,
				      call,
				      body != NULL ? TENDER_SESSIONS_REPLY_HTTP_BYTES
						   : TENDER_SESSIONS_REPLY_HTTP,
				      user,
				      id,
				      g_steal_pointer(&op));
}

static void
tender_sessions_http(TenderCall *call, TenderSessionsService *self, gboolean manage)
{
	g_autoptr(GVariant) params = NULL;
	g_autofree gchar *body = NULL;
	const gchar *tag = NULL;
	const gchar *user;
	const gchar *id;
	gboolean flag = FALSE;

	g_variant_get(tender_call_get_parameters(call), "(@a{ss}s)", &params, &body);
	tag = tender_sessions_http_param(params, "route");
	user = tender_sessions_http_param(params, "user");
	id = tender_sessions_http_param(params, "session");
	if (manage && g_strcmp0(tag, "close") == 0) {
		if (tender_sessions_http_flag(call, params, "delete_workspace", &flag, FALSE))
			tender_sessions_service_close(self,
						      call,
						      TENDER_SESSIONS_REPLY_HTTP,
						      user,
						      id,
						      flag);
		return;
	}
	if (!manage && g_strcmp0(tag, "list") == 0) {
		tender_sessions_http_list(self, call, params);
		return;
	}
	if (!manage && g_strcmp0(tag, "get") == 0) {
		tender_sessions_http_get(self, call, body);
		return;
	}
	if (!manage && g_strcmp0(tag, "describe") == 0) {
		tender_sessions_http_describe(self, call, user, id);
		return;
	}
	if (!manage &&
	    g_strv_contains((const gchar *const[]){"delete", "ls", NULL}, tag != NULL ? tag : "")) {
		tender_sessions_http_files(self, call, tag, params, NULL);
		return;
	}
	if (!manage && tender_sessions_service_http_exec(self, call, tag, params, body))
		return;
	tender_sessions_http_invalid(call, "No such route of sessions");
}

void
tender_sessions_service_http_use(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_http(call, user_data, FALSE);
}

void
tender_sessions_service_http_manage(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	tender_sessions_http(call, user_data, TRUE);
}

/* PUT and GET of .../files: bytes both ways */
void
tender_sessions_service_http_files(TenderPlugin *plugin, TenderCall *call, gpointer user_data)
{
	g_autoptr(GVariant) params = NULL;
	g_autoptr(GVariant) body = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const gchar *tag = NULL;

	g_variant_get(tender_call_get_parameters(call), "(@a{ss}@ay)", &params, &body);
	tag = tender_sessions_http_param(params, "route");
	bytes = g_variant_get_data_as_bytes(body);
	if (!g_strv_contains((const gchar *const[]){"write", "read", NULL},
			     tag != NULL ? tag : "")) {
		tender_sessions_http_invalid(call, "No such route of sessions");
		return;
	}
	tender_sessions_http_files(user_data, call, tag, params, bytes);
}

/**
 * tender_sessions_service_add_http_aliases:
 * @self: the service, its feature service declared
 * @error: (nullable): a #GError
 *
 * Declares the routes; a file's PUT takes a body of at most [plugin sessions] max-file-size.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_sessions_service_add_http_aliases(TenderSessionsService *self, GError **error)
{
	gsize max = tender_sessions_get_settings(self->sessions)->max_file_size;
	g_autofree TenderPluginHttpAlias *aliases =
	    g_memdup2(tender_sessions_service_aliases, sizeof(tender_sessions_service_aliases));

	for (guint i = 0; aliases[i].verb != NULL; i++) {
		if ((aliases[i].flags & TENDER_PLUGIN_HTTP_ALIAS_BYTES) != 0)
			aliases[i].body_max = MIN(max, TENDER_PLUGIN_HTTP_ALIAS_BODY_MAX);
	}
	return tender_plugin_add_http_aliases(self->plugin, aliases, error);
}
