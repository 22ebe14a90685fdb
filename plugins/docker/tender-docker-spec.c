/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>

#include "tender-docker-client.h"
#include "tender-docker-spec.h"

/*
 * TenderDockerSpec: what a workload of the runtime docker is, from its spec (the a{sv} the
 * runtime's check_spec and tender_run_get_spec() give, defaults filled in): the x-docker keys
 * (image, env, entrypoint, user, workdir, ports, network), the spec's argv as the Cmd, its
 * env, its volumes (binds), and the limits that map onto HostConfig.  Whatever it cannot do is
 * refused here, when the workload is created, naming the key; and the body of POST
 * /containers/create is made from it.
 */

/* dockerd refuses a smaller Memory */
#define TENDER_DOCKER_MEMORY_MIN (6 * 1024 * 1024)
/* bounds on x-docker's strings */
#define TENDER_DOCKER_TEXT_MAX 4096
#define TENDER_DOCKER_LIST_MAX 1024
/* NanoCpus of 1%: cpu_quota_percent is percent of one CPU */
#define TENDER_DOCKER_NANO_CPUS_PER_PERCENT G_GUINT64_CONSTANT(10000000)

/* the core's keys this runtime cannot do, and what it has instead */
static const struct {
	const gchar *key;
	const gchar *instead;
} tender_docker_spec_refused[] = {
    {"user", "x-docker's 'user'"},
    {"group", "x-docker's 'user' as USER:GROUP"},
    {"capabilities", NULL},
    {"pre_start", NULL},
    {"post_stop", NULL},
    {"io_read_bandwidth_max", NULL},
    {"io_write_bandwidth_max", NULL},
};

static void
tender_docker_port_clear(gpointer data)
{
	TenderDockerPort *port = data;
	g_free(port->protocol);
}

/**
 * tender_docker_spec_free:
 * @self: (nullable): a #TenderDockerSpec
 */
void
tender_docker_spec_free(TenderDockerSpec *self)
{
	if (self == NULL)
		return;
	g_free(self->image);
	g_strfreev(self->cmd);
	g_strfreev(self->entrypoint);
	g_strfreev(self->env);
	g_free(self->user);
	g_clear_pointer(&self->volumes, g_variant_unref);
	g_free(self->workdir);
	g_array_unref(self->ports);
	g_free(self->network);
	g_free(self);
}

static gboolean
tender_docker_spec_invalid(GError **error, const gchar *key, const gchar *why)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '" TENDER_DOCKER_SPEC_KEY ".%s' %s",
		    key,
		    why);
	return FALSE;
}

/* a string of 1 to TENDER_DOCKER_TEXT_MAX bytes without control characters (or blanks) */
static gboolean
tender_docker_spec_check_text(const gchar *key, const gchar *text, gboolean blanks, GError **error)
{
	if (text[0] == '\0')
		return tender_docker_spec_invalid(error, key, "is empty");
	if (strlen(text) > TENDER_DOCKER_TEXT_MAX)
		return tender_docker_spec_invalid(error,
						  key,
						  "is longer than " G_STRINGIFY(
						      TENDER_DOCKER_TEXT_MAX) " bytes");
	for (const gchar *p = text; *p != '\0'; p++) {
		if (g_ascii_iscntrl(*p))
			return tender_docker_spec_invalid(error,
							  key,
							  "contains a control character");
		if (!blanks && *p == ' ')
			return tender_docker_spec_invalid(error, key, "contains a blank");
	}
	return TRUE;
}

/* a name of an environment variable */
static gboolean
tender_docker_spec_env_name_is_valid(const gchar *name)
{
	if (!g_ascii_isalpha(name[0]) && name[0] != '_')
		return FALSE;
	for (const gchar *p = name; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	}
	return TRUE;
}

static gboolean
tender_docker_spec_parse_env(TenderDockerSpec *self,
			     const gchar *key,
			     GVariant *value,
			     GError **error)
{
	GVariantIter iter;
	const gchar *name;
	const gchar *text;

	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&s&s}", &name, &text)) {
		if (!tender_docker_spec_env_name_is_valid(name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '" TENDER_DOCKER_SPEC_KEY ".%s': '%.64s' is not a "
				    "variable name of A-Z a-z 0-9 _",
				    key,
				    name);
			return FALSE;
		}
		self->env = g_environ_setenv(self->env, name, text, TRUE);
	}
	return TRUE;
}

static gboolean
tender_docker_spec_parse_entrypoint(TenderDockerSpec *self,
				    const gchar *key,
				    GVariant *value,
				    GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = g_variant_get_strv(value, &n);

	if (n == 0 || strv[0][0] == '\0')
		return tender_docker_spec_invalid(error, key, "must name a command: it is empty");
	self->entrypoint = g_variant_dup_strv(value, NULL);
	return TRUE;
}

static gboolean
tender_docker_spec_parse_ports(TenderDockerSpec *self,
			       const gchar *key,
			       GVariant *value,
			       GError **error)
{
	GVariantIter iter;
	TenderDockerPort port = {0};
	const gchar *protocol;

	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "(qq&s)", &port.host, &port.container, &protocol)) {
		if (port.host == 0 || port.container == 0)
			return tender_docker_spec_invalid(error, key, "has a port 0: 1 to 65535");
		if (g_strcmp0(protocol, "tcp") != 0 && g_strcmp0(protocol, "udp") != 0)
			return tender_docker_spec_invalid(error,
							  key,
							  "has a protocol that is neither tcp "
							  "nor udp");
		for (guint i = 0; i < self->ports->len; i++) {
			TenderDockerPort *other = &g_array_index(self->ports, TenderDockerPort, i);
			if (other->host == port.host && g_strcmp0(other->protocol, protocol) == 0) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '" TENDER_DOCKER_SPEC_KEY
					    ".%s' publishes host port %u/%s twice",
					    key,
					    port.host,
					    protocol);
				return FALSE;
			}
		}
		port.protocol = g_strdup(protocol);
		g_array_append_val(self->ports, port);
	}
	return TRUE;
}

typedef gboolean (*TenderDockerSpecParseFunc)(TenderDockerSpec *self,
					      const gchar *key,
					      GVariant *value,
					      GError **error);

/* a string of x-docker, kept at @offset of the spec: a path for @path (blanks allowed),
 * else a name without blanks */
static gboolean
tender_docker_spec_parse_text(TenderDockerSpec *self,
			      const gchar *key,
			      GVariant *value,
			      gsize offset,
			      gboolean path,
			      GError **error)
{
	const gchar *text = g_variant_get_string(value, NULL);

	if (!tender_docker_spec_check_text(key, text, path, error))
		return FALSE;
	if (path && !g_path_is_absolute(text))
		return tender_docker_spec_invalid(error, key, "must be an absolute path");
	G_STRUCT_MEMBER(gchar *, self, offset) = g_strdup(text);
	return TRUE;
}

/* the keys of x-docker: those without a parse function are strings, kept at their offset */
static const struct {
	const gchar *name;
	const gchar *type;
	TenderDockerSpecParseFunc parse;
	gsize offset;
	gboolean path;
} tender_docker_spec_keys[] = {
    {"image", "s", NULL, G_STRUCT_OFFSET(TenderDockerSpec, image), FALSE},
    {"env", "a{ss}", tender_docker_spec_parse_env, 0, FALSE},
    {"entrypoint", "as", tender_docker_spec_parse_entrypoint, 0, FALSE},
    {"user", "s", NULL, G_STRUCT_OFFSET(TenderDockerSpec, user), FALSE},
    {"workdir", "s", NULL, G_STRUCT_OFFSET(TenderDockerSpec, workdir), TRUE},
    {"ports", "a(qqs)", tender_docker_spec_parse_ports, 0, FALSE},
    {"network", "s", NULL, G_STRUCT_OFFSET(TenderDockerSpec, network), FALSE},
};

/* @value as a value of @type: itself, or what JSON written by hand (x-docker as an object in
 * the HTTP API) makes of one: av for an array (and a tuple), a{sv} for an object, x for a
 * number.  Returns (transfer full) the value, or %NULL if it stands for none of @type */
static GVariant *
tender_docker_spec_coerce(GVariant *value, const GVariantType *type)
{
	g_autoptr(GPtrArray) children =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_variant_unref);
	const GVariantType *item = NULL;
	GVariantIter iter;
	GVariant *child;

	if (g_variant_is_of_type(value, type))
		return g_variant_ref(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARIANT)) {
		g_autoptr(GVariant) inner = g_variant_get_variant(value);
		return tender_docker_spec_coerce(inner, type);
	}
	if (g_variant_type_equal(type, G_VARIANT_TYPE_UINT16) &&
	    g_variant_is_of_type(value, G_VARIANT_TYPE_INT64) && g_variant_get_int64(value) >= 0 &&
	    g_variant_get_int64(value) <= G_MAXUINT16)
		return g_variant_ref_sink(
		    g_variant_new_uint16((guint16)g_variant_get_int64(value)));
	if (!g_variant_is_container(value) || g_variant_type_is_basic(type) ||
	    g_variant_type_is_variant(type))
		return NULL;
	/* an array, a tuple or a dictionary entry, child by child */
	if (g_variant_type_is_array(type))
		item = g_variant_type_element(type);
	else if (g_variant_type_n_items(type) != g_variant_n_children(value))
		return NULL;
	else
		item = g_variant_type_first(type);
	g_variant_iter_init(&iter, value);
	while ((child = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = child;
		GVariant *coerced = tender_docker_spec_coerce(owned, item);
		if (coerced == NULL)
			return NULL;
		g_ptr_array_add(children, coerced);
		if (!g_variant_type_is_array(type))
			item = g_variant_type_next(item);
	}
	if (g_variant_type_is_array(type))
		return g_variant_ref_sink(g_variant_new_array(g_variant_type_element(type),
							      (GVariant **)children->pdata,
							      children->len));
	if (g_variant_type_is_dict_entry(type))
		return g_variant_ref_sink(
		    g_variant_new_dict_entry(children->pdata[0], children->pdata[1]));
	return g_variant_ref_sink(g_variant_new_tuple((GVariant **)children->pdata, children->len));
}

static gboolean
tender_docker_spec_parse_key(TenderDockerSpec *self,
			     const gchar *key,
			     GVariant *value,
			     GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_docker_spec_keys); i++) {
		g_autoptr(GVariant) typed = NULL;
		if (g_strcmp0(tender_docker_spec_keys[i].name, key) != 0)
			continue;
		typed = tender_docker_spec_coerce(value,
						  G_VARIANT_TYPE(tender_docker_spec_keys[i].type));
		if (typed == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '" TENDER_DOCKER_SPEC_KEY
				    ".%s' must be of type '%s', not '%s'",
				    key,
				    tender_docker_spec_keys[i].type,
				    g_variant_get_type_string(value));
			return FALSE;
		}
		value = typed;
		if (g_variant_is_container(value) &&
		    g_variant_n_children(value) > TENDER_DOCKER_LIST_MAX)
			return tender_docker_spec_invalid(error,
							  key,
							  "has more than " G_STRINGIFY(
							      TENDER_DOCKER_LIST_MAX) " entries");
		if (tender_docker_spec_keys[i].parse == NULL)
			return tender_docker_spec_parse_text(self,
							     key,
							     value,
							     tender_docker_spec_keys[i].offset,
							     tender_docker_spec_keys[i].path,
							     error);
		return tender_docker_spec_keys[i].parse(self, key, value, error);
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown spec key '" TENDER_DOCKER_SPEC_KEY
		    ".%.64s': it has image, env, entrypoint, user, workdir, ports and network",
		    key);
	return FALSE;
}

/* the core's keys: those it cannot do are refused, the rest taken */
static gboolean
tender_docker_spec_parse_core(TenderDockerSpec *self,
			      const gchar *workload,
			      GVariant *spec,
			      GError **error)
{
	const gchar *workdir = NULL;
	g_autofree const gchar **env = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(tender_docker_spec_refused); i++) {
		if (!g_variant_lookup(spec, tender_docker_spec_refused[i].key, "*", NULL))
			continue;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "Workload '%s': runtime '" TENDER_DOCKER_RUNTIME
			    "' does not do the spec key '%s'%s%s",
			    workload,
			    tender_docker_spec_refused[i].key,
			    tender_docker_spec_refused[i].instead != NULL ? "; use " : "",
			    tender_docker_spec_refused[i].instead != NULL
				? tender_docker_spec_refused[i].instead
				: "");
		return FALSE;
	}
	if (g_variant_lookup(spec, "working_directory", "&s", &workdir) &&
	    g_strcmp0(workdir, "/") != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "Workload '%s': runtime '" TENDER_DOCKER_RUNTIME
			    "' does not do the spec key 'working_directory'; use x-docker's "
			    "'workdir'",
			    workload);
		return FALSE;
	}
	(void)g_variant_lookup(spec, "argv", "^as", &self->cmd);
	if (g_variant_lookup(spec, "env", "^a&s", &env)) {
		for (guint i = 0; env[i] != NULL; i++) {
			const gchar *eq = strchr(env[i], '=');
			g_autofree gchar *name =
			    eq != NULL ? g_strndup(env[i], (gsize)(eq - env[i])) : NULL;
			if (name != NULL)
				self->env = g_environ_setenv(self->env, name, eq + 1, TRUE);
		}
	}
	/* the core checked them: absolute clean paths, none on /, no destination twice */
	self->volumes = g_variant_lookup_value(spec, "volumes", G_VARIANT_TYPE("a(ssb)"));
	if (self->volumes != NULL && g_variant_n_children(self->volumes) == 0)
		g_clear_pointer(&self->volumes, g_variant_unref);
	(void)g_variant_lookup(spec, "memory_max", "t", &self->memory_max);
	(void)g_variant_lookup(spec, "cpu_quota_percent", "u", &self->cpu_quota_percent);
	(void)g_variant_lookup(spec, "tasks_max", "t", &self->tasks_max);
	if (self->memory_max != 0 && self->memory_max < TENDER_DOCKER_MEMORY_MIN) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'memory_max' is %" G_GUINT64_FORMAT
			    " bytes; dockerd takes no less than %d",
			    self->memory_max,
			    TENDER_DOCKER_MEMORY_MIN);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_spec_new:
 * @workload: the workload's name
 * @spec: its spec, an a{sv} with the defaults filled in
 * @error: (nullable): a #GError
 *
 * Reads the container a workload of the runtime docker is: x-docker (its image required,
 * every key of the right type, no other key), the spec's argv, env and limits.
 *
 * Returns: (transfer full): the container's spec, or %NULL with InvalidArgument naming the
 *	key (NotSupported for a core key the runtime cannot do)
 */
TenderDockerSpec *
tender_docker_spec_new(const gchar *workload, GVariant *spec, GError **error)
{
	g_autoptr(TenderDockerSpec) self = g_new0(TenderDockerSpec, 1);
	g_autoptr(GVariant) x = NULL;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	g_return_val_if_fail(workload != NULL, NULL);
	g_return_val_if_fail(g_variant_is_of_type(spec, G_VARIANT_TYPE_VARDICT), NULL);
	self->env = g_new0(gchar *, 1);
	self->ports = g_array_new(FALSE, TRUE, sizeof(TenderDockerPort));
	g_array_set_clear_func(self->ports, tender_docker_port_clear);
	if (!tender_docker_spec_parse_core(self, workload, spec, error))
		return NULL;
	x = g_variant_lookup_value(spec, TENDER_DOCKER_SPEC_KEY, NULL);
	if (x != NULL && !g_variant_is_of_type(x, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '" TENDER_DOCKER_SPEC_KEY
			    "' must be of type 'a{sv}', not '%s'",
			    g_variant_get_type_string(x));
		return NULL;
	}
	if (x == NULL)
		x = g_variant_ref_sink(g_variant_new("a{sv}", NULL));
	g_variant_iter_init(&iter, x);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		if (!tender_docker_spec_parse_key(self, key, owned, error))
			return NULL;
	}
	if (self->image == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '" TENDER_DOCKER_SPEC_KEY
			    ".image' is required: workload '%s' runs in runtime "
			    "'" TENDER_DOCKER_RUNTIME "'",
			    workload);
		return NULL;
	}
	/* last, so that it is what its logs are found by */
	self->env = g_environ_setenv(self->env, TENDER_DOCKER_WORKLOAD_ENV, workload, TRUE);
	return g_steal_pointer(&self);
}

/**
 * tender_docker_spec_container_name:
 * @workload: a workload's name
 *
 * Returns: (transfer full): the name of its container, "tender-NAME"
 */
gchar *
tender_docker_spec_container_name(const gchar *workload)
{
	return g_strconcat(TENDER_DOCKER_NAME_PREFIX, workload, NULL);
}

static void
tender_docker_spec_add_strv(JsonBuilder *builder, const gchar *member, gchar **strv)
{
	json_builder_set_member_name(builder, member);
	json_builder_begin_array(builder);
	for (guint i = 0; strv[i] != NULL; i++)
		json_builder_add_string_value(builder, strv[i]);
	json_builder_end_array(builder);
}

static void
tender_docker_spec_add_string(JsonBuilder *builder, const gchar *member, const gchar *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(builder, member);
	json_builder_add_string_value(builder, value);
}

static void
tender_docker_spec_add_int(JsonBuilder *builder, const gchar *member, guint64 value)
{
	if (value == 0)
		return;
	json_builder_set_member_name(builder, member);
	json_builder_add_int_value(builder, (gint64)MIN(value, (guint64)G_MAXINT64));
}

/* ExposedPorts, or PortBindings (@bindings): an entry for each port of the container, with
 * the host ports it is published on */
static void
tender_docker_spec_add_ports(const TenderDockerSpec *self, JsonBuilder *builder, gboolean bindings)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	if (self->ports->len == 0)
		return;
	json_builder_set_member_name(builder, bindings ? "PortBindings" : "ExposedPorts");
	json_builder_begin_object(builder);
	for (guint i = 0; i < self->ports->len; i++) {
		TenderDockerPort *port = &g_array_index(self->ports, TenderDockerPort, i);
		g_autofree gchar *key = g_strdup_printf("%u/%s", port->container, port->protocol);
		if (!g_hash_table_add(seen, g_strdup(key)))
			continue;
		json_builder_set_member_name(builder, key);
		if (!bindings) {
			json_builder_begin_object(builder);
			json_builder_end_object(builder);
			continue;
		}
		json_builder_begin_array(builder);
		for (guint j = i; j < self->ports->len; j++) {
			TenderDockerPort *other = &g_array_index(self->ports, TenderDockerPort, j);
			g_autofree gchar *host = g_strdup_printf("%u", other->host);
			if (other->container != port->container ||
			    g_strcmp0(other->protocol, port->protocol) != 0)
				continue;
			json_builder_begin_object(builder);
			tender_docker_spec_add_string(builder,
						      "HostIp",
						      TENDER_DOCKER_PUBLISH_ADDRESS);
			tender_docker_spec_add_string(builder, "HostPort", host);
			json_builder_end_object(builder);
		}
		json_builder_end_array(builder);
	}
	json_builder_end_object(builder);
}

/* HostConfig.Mounts: a bind of each volume (left out without volumes, so that a container
 * made before volumes were taken keeps its digest) */
static void
tender_docker_spec_add_mounts(const TenderDockerSpec *self, JsonBuilder *builder)
{
	GVariantIter iter;
	const gchar *source;
	const gchar *destination;
	gboolean read_only;

	if (self->volumes == NULL)
		return;
	json_builder_set_member_name(builder, "Mounts");
	json_builder_begin_array(builder);
	g_variant_iter_init(&iter, self->volumes);
	while (g_variant_iter_next(&iter, "(&s&sb)", &source, &destination, &read_only)) {
		json_builder_begin_object(builder);
		tender_docker_spec_add_string(builder, "Type", "bind");
		tender_docker_spec_add_string(builder, "Source", source);
		tender_docker_spec_add_string(builder, "Target", destination);
		json_builder_set_member_name(builder, "ReadOnly");
		json_builder_add_boolean_value(builder, read_only);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
}

/* HostConfig: the limits, the journald log driver, the ports, the network and the volumes */
static void
tender_docker_spec_add_host_config(const TenderDockerSpec *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "HostConfig");
	json_builder_begin_object(builder);
	tender_docker_spec_add_int(builder, "Memory", self->memory_max);
	tender_docker_spec_add_int(builder, "MemorySwap", self->memory_max);
	tender_docker_spec_add_int(builder,
				   "NanoCpus",
				   self->cpu_quota_percent * TENDER_DOCKER_NANO_CPUS_PER_PERCENT);
	tender_docker_spec_add_int(builder, "PidsLimit", self->tasks_max);
	/* the lines carry TENDER_WORKLOAD as a journal field, for the core's logs */
	json_builder_set_member_name(builder, "LogConfig");
	json_builder_begin_object(builder);
	tender_docker_spec_add_string(builder, "Type", "journald");
	json_builder_set_member_name(builder, "Config");
	json_builder_begin_object(builder);
	tender_docker_spec_add_string(builder, "env", TENDER_DOCKER_WORKLOAD_ENV);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	tender_docker_spec_add_ports(self, builder, TRUE);
	tender_docker_spec_add_string(builder, "NetworkMode", self->network);
	tender_docker_spec_add_mounts(self, builder);
	json_builder_end_object(builder);
}

/**
 * tender_docker_spec_build_create:
 * @self: a #TenderDockerSpec
 * @workload: the workload's name
 *
 * The body of POST /containers/create?name=tender-NAME for the workload's container: its
 * image, Cmd, Entrypoint, Env, User, WorkingDir, the labels of the plugin's workloads, the
 * exposed and published ports, and HostConfig (limits, the journald log driver, network,
 * the volumes' binds).
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
tender_docker_spec_build_create(const TenderDockerSpec *self, const gchar *workload)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autofree gchar *text = NULL;
	g_autofree gchar *digest = NULL;
	JsonNode *root;

	json_builder_begin_object(builder);
	tender_docker_spec_add_string(builder, "Image", self->image);
	if (self->cmd != NULL)
		tender_docker_spec_add_strv(builder, "Cmd", self->cmd);
	if (self->entrypoint != NULL)
		tender_docker_spec_add_strv(builder, "Entrypoint", self->entrypoint);
	tender_docker_spec_add_strv(builder, "Env", self->env);
	tender_docker_spec_add_string(builder, "User", self->user);
	tender_docker_spec_add_string(builder, "WorkingDir", self->workdir);
	json_builder_set_member_name(builder, "Labels");
	json_builder_begin_object(builder);
	tender_docker_spec_add_string(builder, TENDER_DOCKER_LABEL_OWNER, TENDER_DOCKER_OWNER);
	tender_docker_spec_add_string(builder,
				      TENDER_DOCKER_LABEL_KIND,
				      TENDER_DOCKER_KIND_WORKLOAD);
	tender_docker_spec_add_string(builder, TENDER_DOCKER_LABEL_ID, workload);
	json_builder_end_object(builder);
	tender_docker_spec_add_ports(self, builder, FALSE);
	tender_docker_spec_add_host_config(self, builder);
	json_builder_end_object(builder);
	/* what it was made of, so that a container of another spec is not taken for it */
	root = json_builder_get_root(builder);
	text = json_to_string(root, FALSE);
	digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
	json_object_set_string_member(json_object_get_object_member(json_node_get_object(root),
								    "Labels"),
				      TENDER_DOCKER_LABEL_DIGEST,
				      digest);
	return root;
}

/**
 * tender_docker_spec_get_digest:
 * @create: a body tender_docker_spec_build_create() made
 *
 * Returns: the digest of what the container is made of, its label
 *	TENDER_DOCKER_LABEL_DIGEST
 */
const gchar *
tender_docker_spec_get_digest(JsonNode *create)
{
	JsonObject *labels = json_object_get_object_member(json_node_get_object(create), "Labels");

	return json_object_get_string_member(labels, TENDER_DOCKER_LABEL_DIGEST);
}
