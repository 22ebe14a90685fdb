/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-api.h"
#include "tender-docker-client.h"
#include "tender-docker-tool-request.h"

/*
 * A tool run's request (issue 14 §2), checked member by member: an error is
 * TENDER_ERROR_INVALID_ARGUMENT naming the member ("Member 'resource_limits.memory_mb' ...").
 * Cortex's names are taken too (environment for env, network_mode for network), as are its
 * members that tender does not do (dockerfile, build_context, volumes, resource_limits.disk_mb)
 * when they are null or empty, as a client that writes out its whole model sends them; any
 * other member is refused, so that a misspelt limit is not silently the default.  A member
 * that is null is left to its default.
 *
 * The container a request makes: its labels (org.tender.owner=tender, kind=tool, session, id,
 * and org.tender.tool, the tool's name), its env (the request's, then TOOL_NAME, SESSION_ID and
 * PARAMETERS, the parameters as compact JSON, as Cortex sets them), the parameters on stdin
 * too (OpenStdin, StdinOnce: the JSON and a newline), its limits (Memory and MemorySwap, so
 * no swap; NanoCpus; PidsLimit), its network mode, and a json-file log of bounded size.
 */

/* the members of a request, and those of its resource_limits */
static const gchar *const tender_docker_tool_request_members[] = {
    "tool_name",
    "session_id",
    "image",
    "command",
    "parameters",
    "env",
    "environment",
    "resource_limits",
    "network",
    "network_mode",
    "cleanup",
    "wait",
    "dockerfile",
    "build_context",
    "volumes",
    NULL,
};
static const gchar *const tender_docker_tool_request_limits[] = {
    "memory_mb",
    "cpu_limit",
    "timeout_seconds",
    "pids",
    "disk_mb",
    NULL,
};

/* json-file keeps at most this many times output_max (JSON lines take more than the output
 * they hold), and at least TENDER_DOCKER_TOOL_LOG_SIZE_MIN, in two files */
#define TENDER_DOCKER_TOOL_LOG_FACTOR	8
#define TENDER_DOCKER_TOOL_LOG_SIZE_MIN (1024 * 1024)

void
tender_docker_tool_request_free(TenderDockerToolRequest *self)
{
	if (self == NULL)
		return;
	g_free(self->tool_name);
	g_free(self->session_id);
	g_free(self->image);
	g_strfreev(self->command);
	if (self->parameters != NULL)
		json_object_unref(self->parameters);
	if (self->env != NULL)
		json_object_unref(self->env);
	g_free(self->network);
	g_free(self);
}

/**
 * tender_docker_tool_request_check_name:
 * @text: a tool name, session id or network name
 *
 * Returns: whether it is 1 to TENDER_DOCKER_TOOL_NAME_MAX of [A-Za-z0-9_.-], beginning with a
 * letter or digit
 */
gboolean
tender_docker_tool_request_check_name(const gchar *text)
{
	return tender_docker_api_check_name(text, TENDER_DOCKER_TOOL_NAME_MAX);
}

/* an image reference's characters: NAME[:TAG][@DIGEST] */
static gboolean
tender_docker_tool_request_check_image(const gchar *text)
{
	gsize len = strlen(text);

	if (len == 0 || len > TENDER_DOCKER_TOOL_IMAGE_MAX || !g_ascii_isalnum(text[0]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(text[i]) && strchr("_.-:/@", text[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

static gboolean
tender_docker_tool_request_check_env_name(const gchar *name)
{
	gsize len = strlen(name);

	if (len == 0 || len > TENDER_DOCKER_TOOL_NAME_MAX ||
	    (!g_ascii_isalpha(name[0]) && name[0] != '_'))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(name[i]) && name[i] != '_')
			return FALSE;
	}
	return TRUE;
}

static const gchar *
tender_docker_tool_request_type_name(JsonNode *node)
{
	if (JSON_NODE_HOLDS_OBJECT(node))
		return "an object";
	if (JSON_NODE_HOLDS_ARRAY(node))
		return "an array";
	if (JSON_NODE_HOLDS_NULL(node))
		return "null";
	switch (json_node_get_value_type(node)) {
	case G_TYPE_BOOLEAN:
		return "a boolean";
	case G_TYPE_STRING:
		return "a string";
	default:
		return "a number";
	}
}

static gboolean
tender_docker_tool_request_type_error(GError **error,
				      const gchar *member,
				      const gchar *wanted,
				      JsonNode *node)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Member '%s' must be %s, not %s",
		    member,
		    wanted,
		    tender_docker_tool_request_type_name(node));
	return FALSE;
}

/**
 * tender_docker_tool_request_member:
 * @obj: a request
 * @member: one of its members
 *
 * Returns: (transfer none) (nullable): the member's node, %NULL if it is missing or null
 */
JsonNode *
tender_docker_tool_request_member(JsonObject *obj, const gchar *member)
{
	JsonNode *node = json_object_get_member(obj, member);

	return node != NULL && !JSON_NODE_HOLDS_NULL(node) ? node : NULL;
}

static gboolean
tender_docker_tool_request_check_members(JsonObject *obj,
					 const gchar *const *known,
					 const gchar *prefix,
					 GError **error)
{
	g_autoptr(GList) names = json_object_get_members(obj);

	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(known, l->data)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s%s' is not one of a tool request's",
				    prefix,
				    (const gchar *)l->data);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_docker_tool_request_string:
 * @obj: a request (a tool's or a relic's)
 * @member: one of its members
 * @required: whether it must be there
 * @out: (out) (transfer none): its text, %NULL if it is missing (and not required)
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the member is a string, or missing and not required; else %FALSE with
 *   InvalidArgument naming it
 */
gboolean
tender_docker_tool_request_string(JsonObject *obj,
				  const gchar *member,
				  gboolean required,
				  const gchar **out,
				  GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, member);

	*out = NULL;
	if (node == NULL && required) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member '%s' is required",
			    member);
		return FALSE;
	}
	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return tender_docker_tool_request_type_error(error, member, "a string", node);
	*out = json_node_get_string(node);
	return TRUE;
}

/* a tool name, session id or network name */
static gboolean
tender_docker_tool_request_name(JsonObject *obj,
				const gchar *member,
				gboolean required,
				const gchar **out,
				GError **error)
{
	if (!tender_docker_tool_request_string(obj, member, required, out, error))
		return FALSE;
	if (*out != NULL && !tender_docker_tool_request_check_name(*out)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member '%s' must be 1 to %d letters, digits, '_', '.' or '-', "
			    "beginning with a letter or digit",
			    member,
			    TENDER_DOCKER_TOOL_NAME_MAX);
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_docker_tool_request_boolean(JsonObject *obj,
				   const gchar *member,
				   gboolean *out,
				   GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, member);

	if (node == NULL)
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
		return tender_docker_tool_request_type_error(error, member, "a boolean", node);
	*out = json_node_get_boolean(node);
	return TRUE;
}

/* a number member of resource_limits, from min to max; an integer one may be written 512.0 */
static gboolean
tender_docker_tool_request_number(JsonObject *limits,
				  const gchar *member,
				  gboolean integer,
				  gdouble min,
				  gdouble max,
				  gdouble *out,
				  GError **error)
{
	JsonNode *node = limits != NULL ? tender_docker_tool_request_member(limits, member) : NULL;
	g_autofree gchar *name = g_strconcat("resource_limits.", member, NULL);
	GType type;
	gdouble value;

	if (node == NULL)
		return TRUE;
	type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
	if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
		return tender_docker_tool_request_type_error(error,
							     name,
							     integer ? "an integer" : "a number",
							     node);
	value =
	    type == G_TYPE_INT64 ? (gdouble)json_node_get_int(node) : json_node_get_double(node);
	if (integer && value != (gdouble)(gint64)value)
		return tender_docker_tool_request_type_error(error, name, "an integer", node);
	if (!(value >= min && value <= max)) {
		g_autofree gchar *text = g_strdup_printf("%.15g", value);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member '%s' is %s; it must be from %.15g to %.15g",
			    name,
			    text,
			    min,
			    max);
		return FALSE;
	}
	*out = value;
	return TRUE;
}

/* Cortex's members that tender does not do: null or empty only */
static gboolean
tender_docker_tool_request_unsupported(JsonObject *obj,
				       const gchar *member,
				       const gchar *prefix,
				       const gchar *why,
				       GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, member);

	if (node == NULL)
		return TRUE;
	if (JSON_NODE_HOLDS_OBJECT(node) && json_object_get_size(json_node_get_object(node)) == 0)
		return TRUE;
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING &&
	    json_node_get_string(node)[0] == '\0')
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Member '%s%s' is not supported: %s",
		    prefix,
		    member,
		    why);
	return FALSE;
}

/* one of two names for the same member; NULL if neither is given */
static gboolean
tender_docker_tool_request_alias(JsonObject *obj,
				 const gchar *member,
				 const gchar *alias,
				 const gchar **name,
				 GError **error)
{
	gboolean has_member = tender_docker_tool_request_member(obj, member) != NULL;
	gboolean has_alias = tender_docker_tool_request_member(obj, alias) != NULL;

	if (has_member && has_alias) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Members '%s' and '%s' are the same; give one",
			    member,
			    alias);
		return FALSE;
	}
	*name = has_member ? member : has_alias ? alias : NULL;
	return TRUE;
}

static gboolean
tender_docker_tool_request_parse_command(TenderDockerToolRequest *self,
					 JsonObject *obj,
					 GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, "command");
	g_autoptr(GStrvBuilder) argv = g_strv_builder_new();
	JsonArray *array;

	if (node == NULL)
		return TRUE;
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING) {
		/* the shell form, as a Dockerfile's CMD */
		const gchar *text = json_node_get_string(node);
		if (text[0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Member 'command' is empty; leave it out to run the "
					    "image's command");
			return FALSE;
		}
		g_strv_builder_add_many(argv, "/bin/sh", "-c", text, NULL);
		self->command = g_strv_builder_end(argv);
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_ARRAY(node))
		return tender_docker_tool_request_type_error(error,
							     "command",
							     "an array of strings or a string",
							     node);
	array = json_node_get_array(node);
	if (json_array_get_length(array) == 0 ||
	    json_array_get_length(array) > TENDER_DOCKER_TOOL_COMMAND_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member 'command' has %u arguments; it must have 1 to %d (leave it out "
			    "to run the image's command)",
			    json_array_get_length(array),
			    TENDER_DOCKER_TOOL_COMMAND_MAX);
		return FALSE;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *arg = json_array_get_element(array, i);
		if (!JSON_NODE_HOLDS_VALUE(arg) || json_node_get_value_type(arg) != G_TYPE_STRING)
			return tender_docker_tool_request_type_error(error,
								     "command",
								     "an array of strings",
								     arg);
		g_strv_builder_add(argv, json_node_get_string(arg));
	}
	self->command = g_strv_builder_end(argv);
	return TRUE;
}

static gboolean
tender_docker_tool_request_parse_parameters(TenderDockerToolRequest *self,
					    JsonObject *obj,
					    GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, "parameters");
	g_autofree gchar *text = NULL;

	if (node == NULL) {
		self->parameters = json_object_new();
		return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return tender_docker_tool_request_type_error(error,
							     "parameters",
							     "an object",
							     node);
	if (!tender_json_node_check_depth(node, TENDER_JSON_DEPTH_MAX, error)) {
		g_prefix_error(error, "Member 'parameters': ");
		return FALSE;
	}
	self->parameters = json_object_ref(json_node_get_object(node));
	text = tender_docker_tool_request_get_parameters_text(self);
	if (strlen(text) > TENDER_DOCKER_TOOL_PARAMETERS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member 'parameters' is %" G_GSIZE_FORMAT
			    " bytes of JSON; it must be at most %d",
			    strlen(text),
			    TENDER_DOCKER_TOOL_PARAMETERS_MAX);
		return FALSE;
	}
	return TRUE;
}

static gboolean
tender_docker_tool_request_parse_env(TenderDockerToolRequest *self, JsonObject *obj, GError **error)
{
	const gchar *member = NULL;
	const gchar *const ours[] = {"TOOL_NAME", "SESSION_ID", "PARAMETERS", NULL};
	g_autoptr(GList) names = NULL;
	JsonNode *node;

	self->env = json_object_new();
	if (!tender_docker_tool_request_alias(obj, "env", "environment", &member, error))
		return FALSE;
	if (member == NULL)
		return TRUE;
	node = json_object_get_member(obj, member);
	if (!JSON_NODE_HOLDS_OBJECT(node))
		return tender_docker_tool_request_type_error(error,
							     member,
							     "an object of strings",
							     node);
	names = json_object_get_members(json_node_get_object(node));
	if (g_list_length(names) > TENDER_DOCKER_TOOL_ENV_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member '%s' has %u variables; it may have at most %d",
			    member,
			    g_list_length(names),
			    TENDER_DOCKER_TOOL_ENV_MAX);
		return FALSE;
	}
	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *value = json_object_get_member(json_node_get_object(node), name);
		g_autofree gchar *path = g_strdup_printf("%s.%s", member, name);
		if (!tender_docker_tool_request_check_env_name(name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s' is not a variable's name: [A-Za-z_][A-Za-z0-9_]*, "
				    "at most %d bytes",
				    path,
				    TENDER_DOCKER_TOOL_NAME_MAX);
			return FALSE;
		}
		if (g_strv_contains(ours, name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s' is set by tender (TOOL_NAME, SESSION_ID, "
				    "PARAMETERS)",
				    path);
			return FALSE;
		}
		if (!JSON_NODE_HOLDS_VALUE(value) ||
		    json_node_get_value_type(value) != G_TYPE_STRING)
			return tender_docker_tool_request_type_error(error,
								     path,
								     "a string",
								     value);
		if (strlen(json_node_get_string(value)) > TENDER_DOCKER_TOOL_ENV_VALUE_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s' is longer than %d bytes",
				    path,
				    TENDER_DOCKER_TOOL_ENV_VALUE_MAX);
			return FALSE;
		}
		json_object_set_string_member(self->env, name, json_node_get_string(value));
	}
	return TRUE;
}

static gboolean
tender_docker_tool_request_parse_limits(TenderDockerToolRequest *self,
					JsonObject *obj,
					GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, "resource_limits");
	JsonObject *limits = NULL;
	gdouble memory_mb = TENDER_DOCKER_TOOL_MEMORY_MB_DEFAULT;
	gdouble cpu_limit = TENDER_DOCKER_TOOL_CPU_LIMIT_DEFAULT;
	gdouble timeout_seconds = TENDER_DOCKER_TOOL_TIMEOUT_SECONDS_DEFAULT;
	gdouble pids = TENDER_DOCKER_TOOL_PIDS_DEFAULT;

	if (node != NULL && !JSON_NODE_HOLDS_OBJECT(node))
		return tender_docker_tool_request_type_error(error,
							     "resource_limits",
							     "an object",
							     node);
	if (node != NULL) {
		limits = json_node_get_object(node);
		if (!tender_docker_tool_request_check_members(limits,
							      tender_docker_tool_request_limits,
							      "resource_limits.",
							      error) ||
		    !tender_docker_tool_request_unsupported(limits,
							    "disk_mb",
							    "resource_limits.",
							    "tender does not limit a tool's disk",
							    error))
			return FALSE;
	}
	if (!tender_docker_tool_request_number(limits,
					       "memory_mb",
					       TRUE,
					       TENDER_DOCKER_TOOL_MEMORY_MB_MIN,
					       TENDER_DOCKER_TOOL_MEMORY_MB_MAX,
					       &memory_mb,
					       error) ||
	    !tender_docker_tool_request_number(limits,
					       "cpu_limit",
					       FALSE,
					       TENDER_DOCKER_TOOL_CPU_LIMIT_MIN,
					       TENDER_DOCKER_TOOL_CPU_LIMIT_MAX,
					       &cpu_limit,
					       error) ||
	    !tender_docker_tool_request_number(limits,
					       "timeout_seconds",
					       TRUE,
					       1,
					       TENDER_DOCKER_TOOL_TIMEOUT_SECONDS_MAX,
					       &timeout_seconds,
					       error) ||
	    !tender_docker_tool_request_number(limits,
					       "pids",
					       TRUE,
					       1,
					       TENDER_DOCKER_TOOL_PIDS_MAX,
					       &pids,
					       error))
		return FALSE;
	self->memory_mb = (guint64)memory_mb;
	self->cpu_limit = cpu_limit;
	self->timeout_seconds = (guint)timeout_seconds;
	self->pids = (guint64)pids;
	return TRUE;
}

static gboolean
tender_docker_tool_request_parse(TenderDockerToolRequest *self, JsonObject *obj, GError **error)
{
	const gchar *tool_name = NULL;
	const gchar *session_id = NULL;
	const gchar *image = NULL;
	const gchar *network_member = NULL;
	const gchar *network = NULL;

	if (!tender_docker_tool_request_check_members(obj,
						      tender_docker_tool_request_members,
						      "",
						      error) ||
	    !tender_docker_tool_request_unsupported(obj,
						    "dockerfile",
						    "",
						    "tender runs images that are there, and builds "
						    "none",
						    error) ||
	    !tender_docker_tool_request_unsupported(obj,
						    "build_context",
						    "",
						    "tender runs images that are there, and builds "
						    "none",
						    error) ||
	    !tender_docker_tool_request_unsupported(obj,
						    "volumes",
						    "",
						    "tender mounts no host paths into tools",
						    error))
		return FALSE;
	if (!tender_docker_tool_request_name(obj, "tool_name", TRUE, &tool_name, error) ||
	    !tender_docker_tool_request_name(obj, "session_id", TRUE, &session_id, error) ||
	    !tender_docker_tool_request_string(obj, "image", TRUE, &image, error))
		return FALSE;
	if (!tender_docker_tool_request_check_image(image)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member 'image' is not an image's name: 1 to %d letters, digits, "
			    "'_', '.', '-', ':', '/' or '@'",
			    TENDER_DOCKER_TOOL_IMAGE_MAX);
		return FALSE;
	}
	self->tool_name = g_strdup(tool_name);
	self->session_id = g_strdup(session_id);
	self->image = g_strdup(image);
	if (!tender_docker_tool_request_alias(obj,
					      "network",
					      "network_mode",
					      &network_member,
					      error))
		return FALSE;
	if (network_member != NULL &&
	    !tender_docker_tool_request_name(obj, network_member, FALSE, &network, error))
		return FALSE;
	self->network = g_strdup(network != NULL ? network : "none");
	self->cleanup = TRUE;
	self->wait = TRUE;
	return tender_docker_tool_request_parse_command(self, obj, error) &&
	       tender_docker_tool_request_parse_parameters(self, obj, error) &&
	       tender_docker_tool_request_parse_env(self, obj, error) &&
	       tender_docker_tool_request_parse_limits(self, obj, error) &&
	       tender_docker_tool_request_boolean(obj, "cleanup", &self->cleanup, error) &&
	       tender_docker_tool_request_boolean(obj, "wait", &self->wait, error);
}

/**
 * tender_docker_tool_request_new_from_json:
 * @obj: a request: tool_name, session_id, image (required); command (an array of strings, or
 *       a string for /bin/sh -c), parameters (an object), env (or environment: an object of
 *       strings), resource_limits {memory_mb, cpu_limit, timeout_seconds, pids}, network (or
 *       network_mode; default none), cleanup (default true), wait (default true)
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the request checked, or %NULL (%TENDER_ERROR_INVALID_ARGUMENT
 * naming the member that is wrong)
 */
TenderDockerToolRequest *
tender_docker_tool_request_new_from_json(JsonObject *obj, GError **error)
{
	g_autoptr(TenderDockerToolRequest) self = g_new0(TenderDockerToolRequest, 1);
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *text = NULL;

	g_return_val_if_fail(obj != NULL, NULL);
	json_node_set_object(root, obj);
	if (!tender_json_node_check_depth(root, TENDER_JSON_DEPTH_MAX, error))
		return NULL;
	text = json_to_string(root, FALSE);
	if (strlen(text) > TENDER_DOCKER_TOOL_REQUEST_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The tool request is %" G_GSIZE_FORMAT
			    " bytes of JSON; it must be at most %d",
			    strlen(text),
			    TENDER_DOCKER_TOOL_REQUEST_MAX);
		return NULL;
	}
	if (!tender_docker_tool_request_parse(self, obj, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * tender_docker_tool_request_to_json:
 * @self: a request
 *
 * Returns: (transfer full): the request with every member written out (env, network),
 * which tender_docker_tool_request_new_from_json() takes back
 */
JsonObject *
tender_docker_tool_request_to_json(TenderDockerToolRequest *self)
{
	JsonObject *obj = json_object_new();
	JsonObject *limits = json_object_new();

	json_object_set_string_member(obj, "tool_name", self->tool_name);
	json_object_set_string_member(obj, "session_id", self->session_id);
	json_object_set_string_member(obj, "image", self->image);
	if (self->command != NULL) {
		JsonArray *command = json_array_new();
		for (guint i = 0; self->command[i] != NULL; i++)
			json_array_add_string_element(command, self->command[i]);
		json_object_set_array_member(obj, "command", command);
	}
	json_object_set_object_member(obj, "parameters", json_object_ref(self->parameters));
	json_object_set_object_member(obj, "env", json_object_ref(self->env));
	json_object_set_int_member(limits, "memory_mb", (gint64)self->memory_mb);
	json_object_set_double_member(limits, "cpu_limit", self->cpu_limit);
	json_object_set_int_member(limits, "timeout_seconds", self->timeout_seconds);
	json_object_set_int_member(limits, "pids", (gint64)self->pids);
	json_object_set_object_member(obj, "resource_limits", limits);
	json_object_set_string_member(obj, "network", self->network);
	json_object_set_boolean_member(obj, "cleanup", self->cleanup);
	json_object_set_boolean_member(obj, "wait", self->wait);
	return obj;
}

/**
 * tender_docker_tool_request_get_parameters_text:
 * @self: a request
 *
 * Returns: (transfer full): the parameters as compact JSON, as PARAMETERS holds them
 */
gchar *
tender_docker_tool_request_get_parameters_text(TenderDockerToolRequest *self)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(node, self->parameters);
	return json_to_string(node, FALSE);
}

/**
 * tender_docker_tool_request_get_stdin:
 * @self: a request
 *
 * Returns: (transfer full): what the tool reads on stdin: its parameters as JSON, and a
 * newline
 */
GBytes *
tender_docker_tool_request_get_stdin(TenderDockerToolRequest *self)
{
	gchar *text = tender_docker_tool_request_get_parameters_text(self);
	gchar *line = g_strconcat(text, "\n", NULL);

	g_free(text);
	return g_bytes_new_take(line, strlen(line));
}

static JsonObject *
tender_docker_tool_request_build_labels(TenderDockerToolRequest *self, const gchar *id)
{
	JsonObject *labels = json_object_new();

	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_OWNER, "tender");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_KIND, "tool");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_SESSION, self->session_id);
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_ID, id);
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_TOOL, self->tool_name);
	return labels;
}

static JsonArray *
tender_docker_tool_request_build_env(TenderDockerToolRequest *self)
{
	JsonArray *env = json_array_new();
	g_autoptr(GList) names = json_object_get_members(self->env);
	g_autofree gchar *parameters = tender_docker_tool_request_get_parameters_text(self);
	g_autofree gchar *tool = g_strconcat("TOOL_NAME=", self->tool_name, NULL);
	g_autofree gchar *session = g_strconcat("SESSION_ID=", self->session_id, NULL);
	g_autofree gchar *params = g_strconcat("PARAMETERS=", parameters, NULL);

	/* the request's, then tender's, as Cortex orders them */
	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *name = l->data;
		g_autofree gchar *entry =
		    g_strdup_printf("%s=%s", name, json_object_get_string_member(self->env, name));
		json_array_add_string_element(env, entry);
	}
	json_array_add_string_element(env, tool);
	json_array_add_string_element(env, session);
	json_array_add_string_element(env, params);
	return env;
}

static JsonObject *
tender_docker_tool_request_build_host_config(TenderDockerToolRequest *self, gsize output_max)
{
	JsonObject *host = json_object_new();
	JsonObject *log = json_object_new();
	JsonObject *log_config = json_object_new();
	guint64 memory = self->memory_mb * 1024 * 1024;
	guint64 log_size = MAX((guint64)output_max * TENDER_DOCKER_TOOL_LOG_FACTOR,
			       TENDER_DOCKER_TOOL_LOG_SIZE_MIN);
	g_autofree gchar *log_size_text = g_strdup_printf("%" G_GUINT64_FORMAT, log_size);

	json_object_set_int_member(host, "Memory", (gint64)memory);
	json_object_set_int_member(host, "MemorySwap", (gint64)memory);
	json_object_set_int_member(host, "NanoCpus", (gint64)(self->cpu_limit * 1e9 + 0.5));
	json_object_set_int_member(host, "PidsLimit", (gint64)self->pids);
	json_object_set_string_member(host, "NetworkMode", self->network);
	json_object_set_string_member(log_config, "max-size", log_size_text);
	json_object_set_string_member(log_config, "max-file", "2");
	json_object_set_string_member(log, "Type", "json-file");
	json_object_set_object_member(log, "Config", log_config);
	json_object_set_object_member(host, "LogConfig", log);
	return host;
}

/**
 * tender_docker_tool_request_build_create_body:
 * @self: a request
 * @id: the tool run's id
 * @output_max: how much of stdout and of stderr is kept (the log holds more)
 *
 * Returns: (transfer full): the body of POST /containers/create for the run
 */
JsonNode *
tender_docker_tool_request_build_create_body(TenderDockerToolRequest *self,
					     const gchar *id,
					     gsize output_max)
{
	JsonObject *body = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);

	json_object_set_string_member(body, "Image", self->image);
	if (self->command != NULL) {
		JsonArray *cmd = json_array_new();
		for (guint i = 0; self->command[i] != NULL; i++)
			json_array_add_string_element(cmd, self->command[i]);
		json_object_set_array_member(body, "Cmd", cmd);
	}
	json_object_set_array_member(body, "Env", tender_docker_tool_request_build_env(self));
	json_object_set_object_member(body,
				      "Labels",
				      tender_docker_tool_request_build_labels(self, id));
	/* stdin: open until the first attach has written the parameters and closed it */
	json_object_set_boolean_member(body, "AttachStdin", TRUE);
	json_object_set_boolean_member(body, "OpenStdin", TRUE);
	json_object_set_boolean_member(body, "StdinOnce", TRUE);
	json_object_set_boolean_member(body, "Tty", FALSE);
	json_object_set_object_member(body,
				      "HostConfig",
				      tender_docker_tool_request_build_host_config(self,
										   output_max));
	json_node_take_object(node, body);
	return node;
}
