/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-api.h"
#include "tender-docker-client.h"
#include "tender-docker-relic-request.h"
#include "tender-docker-tool-request.h"

/*
 * A relic's request (issue 14 §3).  What a relic shares with a tool run (its session, image,
 * environment and resource limits, and Cortex's members tender does not do) is checked by the
 * tool request's parser, given those members under a tool's names; the rest here.  Its
 * container: the request's environment then RELIC_NAME and SESSION_ID (as Cortex sets them),
 * tender's labels, the limits, its restart policy (unless-stopped unless asked), and on the
 * session's network with the container's name as its alias.
 */

static const gchar *const tender_docker_relic_request_members[] = {
    "relic_name",
    "session_id",
    "image",
    "env",
    "environment",
    "resource_limits",
    "port",
    "ports",
    "create_private_network",
    "health_check_endpoint",
    "health_check_interval_seconds",
    "health_check_timeout_seconds",
    "dockerfile",
    "build_context",
    "volumes",
    "restart_policy",
    NULL,
};
/* dockerd's restart policies */
static const gchar *const tender_docker_relic_request_restart_policies[] = {
    "no",
    "on-failure",
    "always",
    "unless-stopped",
    NULL,
};
/* handed to the tool request's parser */
static const gchar *const tender_docker_relic_request_shared[] = {
    "session_id",
    "image",
    "env",
    "environment",
    "resource_limits",
    "dockerfile",
    "build_context",
    "volumes",
    NULL,
};

void
tender_docker_relic_request_free(TenderDockerRelicRequest *self)
{
	if (self == NULL)
		return;
	g_free(self->relic_name);
	g_free(self->session_id);
	g_free(self->image);
	if (self->env != NULL)
		json_object_unref(self->env);
	g_free(self->health_endpoint);
	g_free(self->restart_policy);
	g_free(self);
}

/**
 * tender_docker_relic_request_check_name:
 * @text: (nullable): a relic name or session id
 *
 * Returns: whether it is 1 to 64 letters, digits, '_', '.' or '-', beginning with a letter or
 * digit (as a tool run's)
 */
gboolean
tender_docker_relic_request_check_name(const gchar *text)
{
	return tender_docker_api_check_name(text, TENDER_DOCKER_RELIC_NAME_MAX);
}

static gboolean
tender_docker_relic_request_invalid(GError **error, const gchar *member, const gchar *what)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Member '%s' must be %s",
		    member,
		    what);
	return FALSE;
}

/* a relic name or session id, required */
static gboolean
tender_docker_relic_request_name(JsonObject *obj,
				 const gchar *member,
				 const gchar **out,
				 GError **error)
{
	if (!tender_docker_tool_request_string(obj, member, TRUE, out, error))
		return FALSE;
	if (!tender_docker_relic_request_check_name(*out))
		return tender_docker_relic_request_invalid(error,
							   member,
							   "1 to 64 letters, digits, '_', '.' or "
							   "'-', beginning with a letter or digit");
	return TRUE;
}

/* an integer member from min to max; *out is left as it is if the member is missing */
static gboolean
tender_docker_relic_request_integer(JsonObject *obj,
				    const gchar *member,
				    gint64 min,
				    gint64 max,
				    guint *out,
				    GError **error)
{
	JsonNode *node = tender_docker_tool_request_member(obj, member);
	g_autofree gchar *what = NULL;

	if (node == NULL)
		return TRUE;
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64 &&
	    json_node_get_int(node) >= min && json_node_get_int(node) <= max) {
		*out = (guint)json_node_get_int(node);
		return TRUE;
	}
	what =
	    g_strdup_printf("an integer from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, min, max);
	return tender_docker_relic_request_invalid(error, member, what);
}

static gboolean
tender_docker_relic_request_check_endpoint(const gchar *text)
{
	gsize len = strlen(text);

	if (len == 0 || len > TENDER_DOCKER_RELIC_ENDPOINT_MAX || text[0] != '/')
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (text[i] <= ' ' || text[i] > '~' || text[i] == '#')
			return FALSE;
	}
	return TRUE;
}

/* the members shared with a tool run, checked by the tool request's parser */
static gboolean
tender_docker_relic_request_parse_shared(TenderDockerRelicRequest *self,
					 JsonObject *obj,
					 GError **error)
{
	g_autoptr(JsonObject) tool = json_object_new();
	g_autoptr(TenderDockerToolRequest) request = NULL;
	JsonNode *env;

	json_object_set_string_member(tool, "tool_name", self->relic_name);
	for (guint i = 0; tender_docker_relic_request_shared[i] != NULL; i++) {
		JsonNode *node = json_object_get_member(obj, tender_docker_relic_request_shared[i]);
		if (node != NULL)
			json_object_set_member(tool,
					       tender_docker_relic_request_shared[i],
					       json_node_copy(node));
	}
	request = tender_docker_tool_request_new_from_json(tool, error);
	if (request == NULL)
		return FALSE;
	if (json_object_has_member(request->env, "RELIC_NAME")) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member 'env.RELIC_NAME' is set by tender (RELIC_NAME, "
				    "SESSION_ID)");
		return FALSE;
	}
	self->session_id = g_strdup(request->session_id);
	self->image = g_strdup(request->image);
	env = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(env, request->env);
	self->env = json_node_dup_object(env);
	json_node_unref(env);
	self->memory_mb = request->memory_mb;
	self->cpu_limit = request->cpu_limit;
	self->pids = request->pids;
	return TRUE;
}

/* restart_policy: one of dockerd's, unless-stopped when absent */
static gboolean
tender_docker_relic_request_restart(TenderDockerRelicRequest *self, JsonObject *obj, GError **error)
{
	const gchar *policy = NULL;

	if (!tender_docker_tool_request_string(obj, "restart_policy", FALSE, &policy, error))
		return FALSE;
	if (policy == NULL)
		policy = TENDER_DOCKER_RELIC_RESTART_DEFAULT;
	if (!g_strv_contains(tender_docker_relic_request_restart_policies, policy))
		return tender_docker_relic_request_invalid(error,
							   "restart_policy",
							   "no, on-failure, always or "
							   "unless-stopped");
	self->restart_policy = g_strdup(policy);
	return TRUE;
}

static gboolean
tender_docker_relic_request_parse(TenderDockerRelicRequest *self, JsonObject *obj, GError **error)
{
	g_autoptr(GList) names = json_object_get_members(obj);
	const gchar *relic_name = NULL;
	const gchar *session_id = NULL;
	const gchar *endpoint = NULL;
	JsonNode *node;

	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(tender_docker_relic_request_members, l->data)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Member '%s' is not one of a relic request's",
				    (const gchar *)l->data);
			return FALSE;
		}
	}
	if (!tender_docker_relic_request_name(obj, "relic_name", &relic_name, error) ||
	    !tender_docker_relic_request_name(obj, "session_id", &session_id, error))
		return FALSE;
	self->relic_name = g_strdup(relic_name);
	if (!tender_docker_relic_request_parse_shared(self, obj, error))
		return FALSE;
	/* Cortex's host port mappings: a relic is reached on its session's network */
	node = tender_docker_tool_request_member(obj, "ports");
	if (node != NULL && !(JSON_NODE_HOLDS_OBJECT(node) &&
			      json_object_get_size(json_node_get_object(node)) == 0))
		return tender_docker_relic_request_invalid(error,
							   "ports",
							   "empty: tender publishes no host ports; "
							   "a relic is reached on its session's "
							   "network (internal_url)");
	self->private_network = TRUE;
	node = tender_docker_tool_request_member(obj, "create_private_network");
	if (node != NULL) {
		if (!JSON_NODE_HOLDS_VALUE(node) ||
		    json_node_get_value_type(node) != G_TYPE_BOOLEAN)
			return tender_docker_relic_request_invalid(error,
								   "create_private_network",
								   "a boolean");
		self->private_network = json_node_get_boolean(node);
	}
	if (!tender_docker_tool_request_string(obj,
					       "health_check_endpoint",
					       FALSE,
					       &endpoint,
					       error))
		return FALSE;
	if (endpoint != NULL && !tender_docker_relic_request_check_endpoint(endpoint))
		return tender_docker_relic_request_invalid(error,
							   "health_check_endpoint",
							   "a path: '/' then printable ASCII "
							   "without "
							   "spaces or '#', at most 1024 bytes");
	self->health_endpoint = g_strdup(endpoint != NULL ? endpoint : "/health");
	self->health_timeout_seconds = TENDER_DOCKER_RELIC_HEALTH_TIMEOUT_DEFAULT;
	if (!tender_docker_relic_request_restart(self, obj, error))
		return FALSE;
	return tender_docker_relic_request_integer(obj, "port", 1, 65535, &self->port, error) &&
	       tender_docker_relic_request_integer(obj,
						   "health_check_timeout_seconds",
						   1,
						   TENDER_DOCKER_RELIC_HEALTH_TIMEOUT_MAX,
						   &self->health_timeout_seconds,
						   error) &&
	       tender_docker_relic_request_integer(obj,
						   "health_check_interval_seconds",
						   1,
						   TENDER_DOCKER_RELIC_HEALTH_INTERVAL_MAX,
						   &self->health_interval_seconds,
						   error);
}

/**
 * tender_docker_relic_request_new_from_json:
 * @obj: a request: relic_name, session_id, image (required); env (or environment),
 *       resource_limits {memory_mb, cpu_limit, pids}, port (default: the image's), ports (empty
 *       only), create_private_network (default true), health_check_endpoint (default
 *       "/health"), health_check_timeout_seconds (default 30, at most 600),
 *       health_check_interval_seconds (1 to 3600: its health is checked that often after the
 *       start; none when absent), restart_policy (no, on-failure, always or unless-stopped,
 *       the default)
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the request checked, or %NULL (%TENDER_ERROR_INVALID_ARGUMENT
 * naming the member that is wrong)
 */
TenderDockerRelicRequest *
tender_docker_relic_request_new_from_json(JsonObject *obj, GError **error)
{
	g_autoptr(TenderDockerRelicRequest) self = g_new0(TenderDockerRelicRequest, 1);

	g_return_val_if_fail(obj != NULL, NULL);
	if (!tender_docker_relic_request_parse(self, obj, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * tender_docker_relic_request_to_json:
 * @self: a request
 *
 * Returns: (transfer full): the request with every member written out, which
 * tender_docker_relic_request_new_from_json() takes back
 */
JsonObject *
tender_docker_relic_request_to_json(TenderDockerRelicRequest *self)
{
	JsonObject *obj = json_object_new();
	JsonObject *limits = json_object_new();
	g_autoptr(JsonNode) env = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(env, self->env);
	json_object_set_string_member(obj, "relic_name", self->relic_name);
	json_object_set_string_member(obj, "session_id", self->session_id);
	json_object_set_string_member(obj, "image", self->image);
	json_object_set_member(obj, "env", json_node_copy(env));
	json_object_set_int_member(limits, "memory_mb", (gint64)self->memory_mb);
	json_object_set_double_member(limits, "cpu_limit", self->cpu_limit);
	json_object_set_int_member(limits, "pids", (gint64)self->pids);
	json_object_set_object_member(obj, "resource_limits", limits);
	if (self->port != 0)
		json_object_set_int_member(obj, "port", self->port);
	json_object_set_boolean_member(obj, "create_private_network", self->private_network);
	json_object_set_string_member(obj, "health_check_endpoint", self->health_endpoint);
	json_object_set_int_member(obj,
				   "health_check_timeout_seconds",
				   self->health_timeout_seconds);
	if (self->health_interval_seconds != 0)
		json_object_set_int_member(obj,
					   "health_check_interval_seconds",
					   self->health_interval_seconds);
	json_object_set_string_member(obj, "restart_policy", self->restart_policy);
	return obj;
}

/**
 * tender_docker_relic_request_get_network_name:
 * @self: a request
 *
 * Returns: (transfer full): the network the relic joins: "tender-session-SESSION", or
 * "bridge" without a private network
 */
gchar *
tender_docker_relic_request_get_network_name(TenderDockerRelicRequest *self)
{
	if (!self->private_network)
		return g_strdup("bridge");
	return g_strconcat(TENDER_DOCKER_RELIC_NETWORK_PREFIX, self->session_id, NULL);
}

/**
 * tender_docker_relic_request_port_from_image:
 * @image: an image, as GET /images/NAME/json tells of it
 * @port: (out): its exposed port
 * @error: (nullable): return location for a #GError
 *
 * Returns: whether the image exposes exactly one TCP port (else
 * %TENDER_ERROR_INVALID_ARGUMENT: the request must name it)
 */
gboolean
tender_docker_relic_request_port_from_image(JsonObject *image, guint *port, GError **error)
{
	JsonObject *config = NULL;
	JsonObject *exposed = NULL;
	g_autoptr(GList) names = NULL;
	guint64 value = 0;
	g_auto(GStrv) parts = NULL;

	if (json_object_has_member(image, "Config") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(image, "Config")))
		config = json_object_get_object_member(image, "Config");
	if (config != NULL && json_object_has_member(config, "ExposedPorts") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(config, "ExposedPorts")))
		exposed = json_object_get_object_member(config, "ExposedPorts");
	if (exposed != NULL)
		names = json_object_get_members(exposed);
	if (names == NULL || names->next != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member 'port' is required: the image exposes %u ports, not one",
			    g_list_length(names));
		return FALSE;
	}
	parts = g_strsplit(names->data, "/", 2);
	if ((parts[1] != NULL && g_strcmp0(parts[1], "tcp") != 0) ||
	    !g_ascii_string_to_unsigned(parts[0], 10, 1, 65535, &value, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Member 'port' is required: the image exposes %s, not a TCP port",
			    (const gchar *)names->data);
		return FALSE;
	}
	*port = (guint)value;
	return TRUE;
}

static JsonObject *
tender_docker_relic_request_build_labels(TenderDockerRelicRequest *self, const gchar *id)
{
	JsonObject *labels = json_object_new();
	g_autofree gchar *port = g_strdup_printf("%u", self->port);

	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_OWNER, "tender");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_KIND, "relic");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_SESSION, self->session_id);
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_ID, id);
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_RELIC, self->relic_name);
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_PORT, port);
	return labels;
}

static JsonArray *
tender_docker_relic_request_build_env(TenderDockerRelicRequest *self)
{
	JsonArray *env = json_array_new();
	g_autoptr(GList) names = json_object_get_members(self->env);
	g_autofree gchar *relic = g_strconcat("RELIC_NAME=", self->relic_name, NULL);
	g_autofree gchar *session = g_strconcat("SESSION_ID=", self->session_id, NULL);

	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *name = l->data;
		g_autofree gchar *entry =
		    g_strdup_printf("%s=%s", name, json_object_get_string_member(self->env, name));
		json_array_add_string_element(env, entry);
	}
	json_array_add_string_element(env, relic);
	json_array_add_string_element(env, session);
	return env;
}

/**
 * tender_docker_relic_request_build_create_body:
 * @self: a request, its port known
 * @id: the relic's id
 * @container_name: its container's name
 *
 * Returns: (transfer full): the body of POST /containers/create?name=CONTAINER_NAME
 */
JsonNode *
tender_docker_relic_request_build_create_body(TenderDockerRelicRequest *self,
					      const gchar *id,
					      const gchar *container_name)
{
	JsonObject *body = json_object_new();
	JsonObject *host = json_object_new();
	JsonObject *restart = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *network = tender_docker_relic_request_get_network_name(self);
	guint64 memory = self->memory_mb * 1024 * 1024;

	json_object_set_string_member(body, "Image", self->image);
	json_object_set_array_member(body, "Env", tender_docker_relic_request_build_env(self));
	json_object_set_object_member(body,
				      "Labels",
				      tender_docker_relic_request_build_labels(self, id));
	json_object_set_int_member(host, "Memory", (gint64)memory);
	json_object_set_int_member(host, "MemorySwap", (gint64)memory);
	json_object_set_int_member(host, "NanoCpus", (gint64)(self->cpu_limit * 1e9 + 0.5));
	json_object_set_int_member(host, "PidsLimit", (gint64)self->pids);
	json_object_set_string_member(host, "NetworkMode", network);
	json_object_set_string_member(restart, "Name", self->restart_policy);
	json_object_set_object_member(host, "RestartPolicy", restart);
	json_object_set_object_member(body, "HostConfig", host);
	/* an alias is for user-defined networks only */
	if (self->private_network) {
		JsonObject *networking = json_object_new();
		JsonObject *endpoints = json_object_new();
		JsonObject *endpoint = json_object_new();
		JsonArray *aliases = json_array_new();
		json_array_add_string_element(aliases, container_name);
		json_object_set_array_member(endpoint, "Aliases", aliases);
		json_object_set_object_member(endpoints, network, endpoint);
		json_object_set_object_member(networking, "EndpointsConfig", endpoints);
		json_object_set_object_member(body, "NetworkingConfig", networking);
	}
	json_node_take_object(node, body);
	return node;
}

/**
 * tender_docker_relic_request_build_network_body:
 * @session_id: a session
 *
 * Returns: (transfer full): the body of POST /networks/create for the session's network
 */
JsonNode *
tender_docker_relic_request_build_network_body(const gchar *session_id)
{
	JsonObject *body = json_object_new();
	JsonObject *labels = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *name = g_strconcat(TENDER_DOCKER_RELIC_NETWORK_PREFIX, session_id, NULL);

	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_OWNER, "tender");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_KIND, "network");
	json_object_set_string_member(labels, TENDER_DOCKER_LABEL_SESSION, session_id);
	json_object_set_string_member(body, "Name", name);
	json_object_set_string_member(body, "Driver", "bridge");
	json_object_set_boolean_member(body, "CheckDuplicate", TRUE);
	json_object_set_object_member(body, "Labels", labels);
	json_node_take_object(node, body);
	return node;
}
