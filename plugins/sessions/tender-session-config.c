/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <string.h>
#include <tender-error.h>

#include "tender-session-config.h"

/*
 * A session's config: parsed from a JSON object (HTTP) or an a{sv} (D-Bus, through its JSON
 * form), every key checked and bounded, with an InvalidArgument that names the key; written
 * back as JSON (the session's record, Describe); and compared with the live session's on the
 * keys a request gave.
 */

/* the keys, in the order of the record and of the comparison */
static const gchar *const tender_session_config_keys[] = {
    "backend",
    "image",
    "rootfs",
    "isolation",
    "cpu_limit",
    "memory_limit",
    "pids_limit",
    "env",
    "volumes",
    "ports",
    "network",
    "user",
    "container_lifetime_seconds",
    "inactivity_timeout_seconds",
    "workspace",
    NULL,
};

static void
tender_session_volume_free(TenderSessionVolume *volume)
{
	g_free(volume->source);
	g_free(volume->target);
	g_free(volume);
}

static void
tender_session_port_free(TenderSessionPort *port)
{
	g_free(port->protocol);
	g_free(port);
}

TenderSessionConfig *
tender_session_config_new(const gchar *backend, const gchar *image)
{
	TenderSessionConfig *self = g_new0(TenderSessionConfig, 1);

	self->backend = g_strdup(backend != NULL ? backend : "native");
	self->image = g_strdup(image);
	self->isolation = g_strdup("standard");
	self->env = g_ptr_array_new_with_free_func(g_free);
	self->volumes = g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_volume_free);
	self->ports = g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_port_free);
	self->inactivity_sec = TENDER_SESSION_INACTIVITY_DEFAULT;
	self->workspace = TRUE;
	self->given = g_hash_table_new(g_str_hash, g_str_equal);
	return self;
}

void
tender_session_config_free(TenderSessionConfig *self)
{
	g_free(self->backend);
	g_free(self->image);
	g_free(self->rootfs);
	g_free(self->isolation);
	g_ptr_array_unref(self->env);
	g_ptr_array_unref(self->volumes);
	g_ptr_array_unref(self->ports);
	g_free(self->network);
	g_free(self->user);
	g_hash_table_unref(self->given);
	g_free(self);
}

static gboolean
tender_session_config_invalid(GError **error, const gchar *key, const gchar *why)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid session config '%s': %s",
		    key,
		    why);
	return FALSE;
}

/* a string member: at most TENDER_SESSION_STRING_MAX bytes of UTF-8 */
static gboolean
tender_session_config_string(JsonNode *node, const gchar *key, gchar **out, GError **error)
{
	const gchar *value;

	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING)
		return tender_session_config_invalid(error, key, "not a string");
	value = json_node_get_string(node);
	if (value[0] == '\0')
		return tender_session_config_invalid(error, key, "empty");
	if (strlen(value) > TENDER_SESSION_STRING_MAX)
		return tender_session_config_invalid(error, key, "longer than 4096 bytes");
	g_free(*out);
	*out = g_strdup(value);
	return TRUE;
}

static gboolean
tender_session_config_choice(JsonNode *node,
			     const gchar *key,
			     const gchar *const *choices,
			     gchar **out,
			     GError **error)
{
	g_autofree gchar *value = NULL;
	g_autofree gchar *why = NULL;
	g_autofree gchar *list = NULL;

	if (!tender_session_config_string(node, key, &value, error))
		return FALSE;
	if (g_strv_contains(choices, value)) {
		g_free(*out);
		*out = g_steal_pointer(&value);
		return TRUE;
	}
	list = g_strjoinv(", ", (gchar **)choices);
	why = g_strdup_printf("'%s' is not one of %s", value, list);
	return tender_session_config_invalid(error, key, why);
}

/* an integer member in [min, max] (a double only if it is whole) */
static gboolean
tender_session_config_uint(JsonNode *node,
			   const gchar *key,
			   guint64 min,
			   guint64 max,
			   guint64 *out,
			   GError **error)
{
	g_autofree gchar *why = NULL;
	gdouble value;

	if (!JSON_NODE_HOLDS_VALUE(node))
		return tender_session_config_invalid(error, key, "not a number");
	if (json_node_get_value_type(node) == G_TYPE_INT64) {
		gint64 v = json_node_get_int(node);
		value = v < 0 ? -1.0 : (gdouble)v;
		if (v >= 0 && (guint64)v >= min && (guint64)v <= max) {
			*out = (guint64)v;
			return TRUE;
		}
	} else if (json_node_get_value_type(node) == G_TYPE_DOUBLE) {
		value = json_node_get_double(node);
		if (value != floor(value))
			return tender_session_config_invalid(error, key, "not a whole number");
		if (value >= (gdouble)min && value <= (gdouble)max) {
			*out = (guint64)value;
			return TRUE;
		}
	} else {
		return tender_session_config_invalid(error, key, "not a number");
	}
	why = g_strdup_printf("%.0f is out of range: %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
			      value,
			      min,
			      max);
	return tender_session_config_invalid(error, key, why);
}

static gboolean
tender_session_config_cpu(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	GType type = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_NONE;
	gdouble value;

	if (type == G_TYPE_INT64)
		value = (gdouble)json_node_get_int(node);
	else if (type == G_TYPE_DOUBLE)
		value = json_node_get_double(node);
	else
		return tender_session_config_invalid(error, "cpu_limit", "not a number of CPUs");
	if (!(value >= 0.01 && value <= TENDER_SESSION_CPU_MAX))
		return tender_session_config_invalid(error,
						     "cpu_limit",
						     "out of range: 0.01 to 1024 CPUs");
	self->cpu_limit = value;
	return TRUE;
}

/* "512m", "1g", "1.5G", "64MiB" or a number of bytes */
static gboolean
tender_session_config_memory(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	const gchar *key = "memory_limit";
	const gchar *text;
	gchar *end = NULL;
	gdouble value;
	gdouble unit = 1;

	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) != G_TYPE_STRING)
		return tender_session_config_uint(node,
						  key,
						  TENDER_SESSION_MEMORY_MIN,
						  TENDER_SESSION_MEMORY_MAX,
						  &self->memory_limit,
						  error);
	if (!JSON_NODE_HOLDS_VALUE(node))
		return tender_session_config_invalid(error, key, "not a size");
	text = json_node_get_string(node);
	if (!g_ascii_isdigit(text[0]))
		return tender_session_config_invalid(error, key, "not a size such as 512m or 1g");
	value = g_ascii_strtod(text, &end);
	switch (g_ascii_tolower(*end)) {
	case 'k':
		unit = 1024.0;
		break;
	case 'm':
		unit = 1024.0 * 1024;
		break;
	case 'g':
		unit = 1024.0 * 1024 * 1024;
		break;
	case 't':
		unit = 1024.0 * 1024 * 1024 * 1024;
		break;
	default:
		break;
	}
	if (unit > 1)
		end++;
	if (g_ascii_strcasecmp(end, "") != 0 && g_ascii_strcasecmp(end, "b") != 0 &&
	    !(unit > 1 && g_ascii_strcasecmp(end, "ib") == 0))
		return tender_session_config_invalid(error, key, "not a size such as 512m or 1g");
	value *= unit;
	if (!(value >= (gdouble)TENDER_SESSION_MEMORY_MIN &&
	      value <= (gdouble)TENDER_SESSION_MEMORY_MAX))
		return tender_session_config_invalid(error, key, "out of range: 4m to 1t");
	self->memory_limit = (guint64)value;
	return TRUE;
}

static gboolean
tender_session_config_env_add(TenderSessionConfig *self,
			      const gchar *name,
			      const gchar *value,
			      GError **error)
{
	g_autofree gchar *why = NULL;

	if (name[0] == '\0' || g_ascii_isdigit(name[0]) ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
		strlen(name) ||
	    strlen(name) > 256) {
		why = g_strdup_printf("'%s' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)", name);
		return tender_session_config_invalid(error, "env", why);
	}
	if (strlen(value) > TENDER_SESSION_STRING_MAX)
		return tender_session_config_invalid(error, "env", "a value is over 4096 bytes");
	if (self->env->len >= TENDER_SESSION_ENV_MAX)
		return tender_session_config_invalid(error, "env", "more than 256 variables");
	for (guint i = 0; i < self->env->len; i++) {
		const gchar *other = g_ptr_array_index(self->env, i);
		if (g_str_has_prefix(other, name) && other[strlen(name)] == '=') {
			why = g_strdup_printf("%s is given twice", name);
			return tender_session_config_invalid(error, "env", why);
		}
	}
	g_ptr_array_add(self->env, g_strdup_printf("%s=%s", name, value));
	return TRUE;
}

static gint
tender_session_config_env_cmp(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* {"KEY": "VALUE"} or ["KEY=VALUE"] */
static gboolean
tender_session_config_env(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObjectIter iter;
		const gchar *name;
		JsonNode *value;
		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, &name, &value)) {
			if (!JSON_NODE_HOLDS_VALUE(value) ||
			    json_node_get_value_type(value) != G_TYPE_STRING)
				return tender_session_config_invalid(error,
								     "env",
								     "a value is not a string");
			if (!tender_session_config_env_add(self,
							   name,
							   json_node_get_string(value),
							   error))
				return FALSE;
		}
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *element = json_array_get_element(array, i);
			g_auto(GStrv) pair = NULL;
			if (!JSON_NODE_HOLDS_VALUE(element) ||
			    json_node_get_value_type(element) != G_TYPE_STRING ||
			    strchr(json_node_get_string(element), '=') == NULL)
				return tender_session_config_invalid(error,
								     "env",
								     "an element is not KEY=VALUE");
			pair = g_strsplit(json_node_get_string(element), "=", 2);
			if (!tender_session_config_env_add(self, pair[0], pair[1], error))
				return FALSE;
		}
	} else {
		return tender_session_config_invalid(error,
						     "env",
						     "neither an object nor an array of KEY=VALUE");
	}
	g_ptr_array_sort(self->env, tender_session_config_env_cmp);
	return TRUE;
}

/* an absolute path without "." or ".." components */
static gboolean
tender_session_config_check_path(const gchar *path, const gchar *key, GError **error)
{
	g_auto(GStrv) parts = NULL;
	g_autofree gchar *why = NULL;

	if (!g_path_is_absolute(path) || strlen(path) > TENDER_SESSION_STRING_MAX) {
		why = g_strdup_printf("'%s' is not an absolute path", path);
		return tender_session_config_invalid(error, key, why);
	}
	parts = g_strsplit(path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (g_strcmp0(parts[i], ".") == 0 || g_strcmp0(parts[i], "..") == 0) {
			why = g_strdup_printf("'%s' has a '.' or '..' component", path);
			return tender_session_config_invalid(error, key, why);
		}
	}
	return TRUE;
}

static gboolean
tender_session_config_volume(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	TenderSessionVolume *volume;
	JsonObject *obj;
	JsonNode *member;
	JsonObjectIter iter;
	const gchar *name;

	if (!JSON_NODE_HOLDS_OBJECT(node))
		return tender_session_config_invalid(error,
						     "volumes",
						     "an element is not an object {source, target, "
						     "read_only}");
	obj = json_node_get_object(node);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &name, &member)) {
		if (!g_strv_contains((const gchar *const[]){"source",
							    "target",
							    "destination",
							    "read_only",
							    NULL},
				     name)) {
			g_autofree gchar *why = g_strdup_printf("unknown member '%s'", name);
			return tender_session_config_invalid(error, "volumes", why);
		}
	}
	volume = g_new0(TenderSessionVolume, 1);
	g_ptr_array_add(self->volumes, volume);
	member = json_object_get_member(obj, "source");
	if (member == NULL)
		return tender_session_config_invalid(error, "volumes", "a source is missing");
	if (!tender_session_config_string(member, "volumes", &volume->source, error))
		return FALSE;
	member = json_object_get_member(obj, "target");
	if (member == NULL)
		member = json_object_get_member(obj, "destination");
	if (member == NULL)
		return tender_session_config_invalid(error, "volumes", "a target is missing");
	if (!tender_session_config_string(member, "volumes", &volume->target, error))
		return FALSE;
	member = json_object_get_member(obj, "read_only");
	if (member != NULL) {
		if (!JSON_NODE_HOLDS_VALUE(member) ||
		    json_node_get_value_type(member) != G_TYPE_BOOLEAN)
			return tender_session_config_invalid(error,
							     "volumes",
							     "read_only is not a boolean");
		volume->read_only = json_node_get_boolean(member);
	}
	if (!tender_session_config_check_path(volume->source, "volumes", error) ||
	    !tender_session_config_check_path(volume->target, "volumes", error))
		return FALSE;
	if (g_strcmp0(volume->target, "/") == 0)
		return tender_session_config_invalid(error, "volumes", "a target is /");
	for (guint i = 0; i + 1 < self->volumes->len; i++) {
		TenderSessionVolume *other = g_ptr_array_index(self->volumes, i);
		if (g_strcmp0(other->target, volume->target) == 0) {
			g_autofree gchar *why =
			    g_strdup_printf("the target %s is given twice", volume->target);
			return tender_session_config_invalid(error, "volumes", why);
		}
	}
	return TRUE;
}

static gboolean
tender_session_config_volumes(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node))
		return tender_session_config_invalid(error, "volumes", "not an array");
	array = json_node_get_array(node);
	if (json_array_get_length(array) > TENDER_SESSION_VOLUMES_MAX)
		return tender_session_config_invalid(error, "volumes", "more than 32 volumes");
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!tender_session_config_volume(self, json_array_get_element(array, i), error))
			return FALSE;
	}
	return TRUE;
}

/* 80, or {"container_port": 80, "host_port": 8080, "protocol": "tcp"} */
static gboolean
tender_session_config_port(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	TenderSessionPort *port = g_new0(TenderSessionPort, 1);
	guint64 value = 0;
	JsonNode *member;

	g_ptr_array_add(self->ports, port);
	port->protocol = g_strdup("tcp");
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		if (!tender_session_config_uint(node, "ports", 1, G_MAXUINT16, &value, error))
			return FALSE;
		port->container_port = port->host_port = (guint16)value;
		return TRUE;
	}
	member = json_object_get_member(json_node_get_object(node), "container_port");
	if (member == NULL)
		return tender_session_config_invalid(error, "ports", "a container_port is missing");
	if (!tender_session_config_uint(member, "ports", 1, G_MAXUINT16, &value, error))
		return FALSE;
	port->container_port = port->host_port = (guint16)value;
	member = json_object_get_member(json_node_get_object(node), "host_port");
	if (member != NULL) {
		if (!tender_session_config_uint(member, "ports", 1, G_MAXUINT16, &value, error))
			return FALSE;
		port->host_port = (guint16)value;
	}
	member = json_object_get_member(json_node_get_object(node), "protocol");
	if (member != NULL &&
	    !tender_session_config_choice(member,
					  "ports",
					  (const gchar *const[]){"tcp", "udp", NULL},
					  &port->protocol,
					  error))
		return FALSE;
	return TRUE;
}

static gboolean
tender_session_config_ports(TenderSessionConfig *self, JsonNode *node, GError **error)
{
	JsonArray *array;

	if (!JSON_NODE_HOLDS_ARRAY(node))
		return tender_session_config_invalid(error, "ports", "not an array");
	array = json_node_get_array(node);
	if (json_array_get_length(array) > TENDER_SESSION_PORTS_MAX)
		return tender_session_config_invalid(error, "ports", "more than 32 ports");
	for (guint i = 0; i < json_array_get_length(array); i++) {
		if (!tender_session_config_port(self, json_array_get_element(array, i), error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
tender_session_config_boolean(JsonNode *node, const gchar *key, gboolean *out, GError **error)
{
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN)
		return tender_session_config_invalid(error, key, "not a boolean");
	*out = json_node_get_boolean(node);
	return TRUE;
}

static gboolean
tender_session_config_member(TenderSessionConfig *self,
			     const gchar *key,
			     JsonNode *node,
			     GError **error)
{
	if (g_strcmp0(key, "backend") == 0)
		return tender_session_config_choice(node,
						    key,
						    (const gchar *const[]){"native",
									   "docker",
									   NULL},
						    &self->backend,
						    error);
	if (g_strcmp0(key, "image") == 0)
		return tender_session_config_string(node, key, &self->image, error);
	if (g_strcmp0(key, "rootfs") == 0)
		return tender_session_config_string(node, key, &self->rootfs, error) &&
		       tender_session_config_check_path(self->rootfs, key, error);
	if (g_strcmp0(key, "isolation") == 0)
		return tender_session_config_choice(node,
						    key,
						    (const gchar *const[]){"standard",
									   "strict",
									   NULL},
						    &self->isolation,
						    error);
	if (g_strcmp0(key, "cpu_limit") == 0)
		return tender_session_config_cpu(self, node, error);
	if (g_strcmp0(key, "memory_limit") == 0)
		return tender_session_config_memory(self, node, error);
	if (g_strcmp0(key, "pids_limit") == 0)
		return tender_session_config_uint(node,
						  key,
						  1,
						  TENDER_SESSION_PIDS_MAX,
						  &self->pids_limit,
						  error);
	if (g_strcmp0(key, "env") == 0)
		return tender_session_config_env(self, node, error);
	if (g_strcmp0(key, "volumes") == 0)
		return tender_session_config_volumes(self, node, error);
	if (g_strcmp0(key, "ports") == 0)
		return tender_session_config_ports(self, node, error);
	if (g_strcmp0(key, "network") == 0)
		return tender_session_config_choice(node,
						    key,
						    (const gchar *const[]){"host",
									   "none",
									   "private",
									   NULL},
						    &self->network,
						    error);
	if (g_strcmp0(key, "user") == 0)
		return tender_session_config_string(node, key, &self->user, error);
	if (g_strcmp0(key, "container_lifetime_seconds") == 0)
		return tender_session_config_uint(node,
						  key,
						  0,
						  TENDER_SESSION_LIFETIME_MAX,
						  &self->lifetime_sec,
						  error);
	if (g_strcmp0(key, "inactivity_timeout_seconds") == 0)
		return tender_session_config_uint(node,
						  key,
						  0,
						  TENDER_SESSION_INACTIVITY_MAX,
						  &self->inactivity_sec,
						  error);
	if (g_strcmp0(key, "workspace") == 0)
		return tender_session_config_boolean(node, key, &self->workspace, error);
	if (g_strcmp0(key, "recreate") == 0)
		return tender_session_config_boolean(node, key, &self->recreate, error);
	return tender_session_config_invalid(error, key, "no such key");
}

/* what the keys say together */
static gboolean
tender_session_config_check(TenderSessionConfig *self, GError **error)
{
	if (self->user != NULL && strlen(self->user) > 64)
		return tender_session_config_invalid(error, "user", "longer than 64 characters");
	/* a rootfs given replaces the default image */
	if (self->rootfs != NULL && !g_hash_table_contains(self->given, "image"))
		g_clear_pointer(&self->image, g_free);
	if (self->image != NULL && self->rootfs != NULL)
		return tender_session_config_invalid(error,
						     "rootfs",
						     "give image or rootfs, not both");
	if (self->ports->len > 0 && self->network == NULL)
		self->network = g_strdup("private");
	if (self->ports->len > 0 && g_strcmp0(self->network, "private") != 0)
		return tender_session_config_invalid(error,
						     "ports",
						     "published ports need the network private");
	for (guint i = 0; self->workspace && i < self->volumes->len; i++) {
		TenderSessionVolume *volume = g_ptr_array_index(self->volumes, i);
		if (g_strcmp0(volume->target, TENDER_SESSION_WORKSPACE_PATH) == 0)
			return tender_session_config_invalid(error,
							     "volumes",
							     "the target /workspace is the "
							     "workspace's (set workspace false)");
	}
	/* the docker backend: a container of dockerd's image, isolated as dockerd does */
	if (g_strcmp0(self->backend, "docker") == 0) {
		if (self->rootfs != NULL)
			return tender_session_config_invalid(error,
							     "rootfs",
							     "the docker backend takes an image "
							     "dockerd has, not a rootfs");
		if (g_hash_table_contains(self->given, "isolation"))
			return tender_session_config_invalid(error,
							     "isolation",
							     "the native backend's; a docker "
							     "sandbox is isolated as dockerd does");
	}
	return TRUE;
}

/**
 * tender_session_config_check_new:
 *
 * What a config that makes a new sandbox needs besides (a request for a live session needs
 * not repeat it).
 *
 * Returns: %TRUE if it has a root: an image or a rootfs
 */
gboolean
tender_session_config_check_new(const TenderSessionConfig *self, GError **error)
{
	if (self->image != NULL || self->rootfs != NULL)
		return TRUE;
	return tender_session_config_invalid(error,
					     "image",
					     "a session needs an image of tender's store (or a "
					     "rootfs); none is given "
					     "and [plugin sessions] has no image=");
}

/**
 * tender_session_config_from_json:
 * @obj: the config, as a JSON object
 * @default_backend: [plugin sessions] backend
 * @default_image: (nullable): [plugin sessions] image
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the config, or %NULL with an InvalidArgument naming the key
 */
TenderSessionConfig *
tender_session_config_from_json(JsonObject *obj,
				const gchar *default_backend,
				const gchar *default_image,
				GError **error)
{
	g_autoptr(TenderSessionConfig) self =
	    tender_session_config_new(default_backend, default_image);
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *node;

	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &key, &node)) {
		const gchar *known = NULL;
		if (!tender_session_config_member(self, key, node, error))
			return NULL;
		for (guint i = 0; tender_session_config_keys[i] != NULL; i++) {
			if (g_strcmp0(tender_session_config_keys[i], key) == 0)
				known = tender_session_config_keys[i];
		}
		if (known != NULL)
			g_hash_table_add(self->given, (gpointer)known);
	}
	if (!tender_session_config_check(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * tender_session_config_from_vardict:
 * @dict: the config, as an a{sv} (its JSON form is read: numbers of any type, strings,
 *   booleans, as, a{ss}, aa{sv}, av)
 *
 * Returns: (transfer full): the config, or %NULL with an InvalidArgument naming the key
 */
TenderSessionConfig *
tender_session_config_from_vardict(GVariant *dict,
				   const gchar *default_backend,
				   const gchar *default_image,
				   GError **error)
{
	g_autoptr(JsonNode) node = json_gvariant_serialize(dict);

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid session config: not an a{sv}");
		return NULL;
	}
	return tender_session_config_from_json(json_node_get_object(node),
					       default_backend,
					       default_image,
					       error);
}

static JsonNode *
tender_session_config_string_node(JsonNode *node, const gchar *value)
{
	if (value == NULL)
		return json_node_init_null(node);
	return json_node_init_string(node, value);
}

static JsonNode *
tender_session_config_member_node(const TenderSessionConfig *self, const gchar *key)
{
	JsonNode *node = json_node_alloc();

	if (g_strcmp0(key, "backend") == 0)
		return json_node_init_string(node, self->backend);
	if (g_strcmp0(key, "image") == 0)
		return tender_session_config_string_node(node, self->image);
	if (g_strcmp0(key, "rootfs") == 0)
		return tender_session_config_string_node(node, self->rootfs);
	/* a docker sandbox is isolated as dockerd does: no isolation level to tell */
	if (g_strcmp0(key, "isolation") == 0 && g_strcmp0(self->backend, "docker") == 0)
		return json_node_init_null(node);
	if (g_strcmp0(key, "isolation") == 0)
		return json_node_init_string(node, self->isolation);
	if (g_strcmp0(key, "cpu_limit") == 0)
		return self->cpu_limit > 0 ? json_node_init_double(node, self->cpu_limit)
					   : json_node_init_null(node);
	if (g_strcmp0(key, "memory_limit") == 0)
		return self->memory_limit > 0 ? json_node_init_int(node, (gint64)self->memory_limit)
					      : json_node_init_null(node);
	if (g_strcmp0(key, "pids_limit") == 0)
		return self->pids_limit > 0 ? json_node_init_int(node, (gint64)self->pids_limit)
					    : json_node_init_null(node);
	if (g_strcmp0(key, "env") == 0) {
		JsonObject *env = json_object_new();
		for (guint i = 0; i < self->env->len; i++) {
			g_auto(GStrv) pair = g_strsplit(g_ptr_array_index(self->env, i), "=", 2);
			json_object_set_string_member(env, pair[0], pair[1]);
		}
		json_node_init_object(node, env);
		json_object_unref(env);
		return node;
	}
	if (g_strcmp0(key, "volumes") == 0) {
		JsonArray *array = json_array_new();
		for (guint i = 0; i < self->volumes->len; i++) {
			TenderSessionVolume *volume = g_ptr_array_index(self->volumes, i);
			JsonObject *obj = json_object_new();
			json_object_set_string_member(obj, "source", volume->source);
			json_object_set_string_member(obj, "target", volume->target);
			json_object_set_boolean_member(obj, "read_only", volume->read_only);
			json_array_add_object_element(array, obj);
		}
		json_node_init_array(node, array);
		json_array_unref(array);
		return node;
	}
	if (g_strcmp0(key, "ports") == 0) {
		JsonArray *array = json_array_new();
		for (guint i = 0; i < self->ports->len; i++) {
			TenderSessionPort *port = g_ptr_array_index(self->ports, i);
			JsonObject *obj = json_object_new();
			json_object_set_int_member(obj, "container_port", port->container_port);
			json_object_set_int_member(obj, "host_port", port->host_port);
			json_object_set_string_member(obj, "protocol", port->protocol);
			json_array_add_object_element(array, obj);
		}
		json_node_init_array(node, array);
		json_array_unref(array);
		return node;
	}
	if (g_strcmp0(key, "network") == 0)
		return tender_session_config_string_node(node, self->network);
	if (g_strcmp0(key, "user") == 0)
		return tender_session_config_string_node(node, self->user);
	if (g_strcmp0(key, "container_lifetime_seconds") == 0)
		return json_node_init_int(node, (gint64)self->lifetime_sec);
	if (g_strcmp0(key, "inactivity_timeout_seconds") == 0)
		return json_node_init_int(node, (gint64)self->inactivity_sec);
	return json_node_init_boolean(node, self->workspace);
}

/**
 * tender_session_config_to_json:
 *
 * Returns: (transfer full): every key, null for those not set
 */
JsonObject *
tender_session_config_to_json(const TenderSessionConfig *self)
{
	JsonObject *obj = json_object_new();

	for (guint i = 0; tender_session_config_keys[i] != NULL; i++)
		json_object_set_member(obj,
				       tender_session_config_keys[i],
				       tender_session_config_member_node(self,
									 tender_session_config_keys
									     [i]));
	return obj;
}

/**
 * tender_session_config_differs:
 * @request: a request's config
 * @live: the live session's
 *
 * Returns: (nullable): the first key @request gave whose value is not @live's, or %NULL
 */
const gchar *
tender_session_config_differs(const TenderSessionConfig *request, const TenderSessionConfig *live)
{
	for (guint i = 0; tender_session_config_keys[i] != NULL; i++) {
		const gchar *key = tender_session_config_keys[i];
		g_autoptr(JsonNode) a = NULL;
		g_autoptr(JsonNode) b = NULL;
		if (!g_hash_table_contains(request->given, key))
			continue;
		a = tender_session_config_member_node(request, key);
		b = tender_session_config_member_node(live, key);
		if (!json_node_equal(a, b))
			return key;
	}
	return NULL;
}
