/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <sys/capability.h>

#include "tender-error.h"
#include "tender-spec.h"

/**
 * tender_spec_new:
 *
 * Returns: (transfer full): an empty spec
 */
TenderSpec *
tender_spec_new(void)
{
	TenderSpec *self = g_new0(TenderSpec, 1);
	self->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->working_directory = g_strdup("/");
	self->restart_max = TENDER_SPEC_RESTART_MAX_DEFAULT;
	self->restart_delay_ms = TENDER_SPEC_RESTART_DELAY_DEFAULT;
	return self;
}

static void
tender_spec_health_free(TenderHealthSpec *health)
{
	if (health == NULL)
		return;
	g_strfreev(health->command);
	g_free(health->http_url);
	g_free(health);
}

static const gchar *const tender_spec_restart_names[] = {"no", "on-failure", "always", NULL};
static const gchar *const tender_spec_health_action_names[] = {"none", "restart", "stop", NULL};

/**
 * tender_spec_restart_to_string:
 * @policy: a #TenderRestartPolicy
 *
 * Returns: "no", "on-failure" or "always"
 */
const gchar *
tender_spec_restart_to_string(TenderRestartPolicy policy)
{
	g_return_val_if_fail(policy <= TENDER_RESTART_ALWAYS, NULL);
	return tender_spec_restart_names[policy];
}

/**
 * tender_spec_health_action_to_string:
 * @action: a #TenderHealthAction
 *
 * Returns: "none", "restart" or "stop"
 */
const gchar *
tender_spec_health_action_to_string(TenderHealthAction action)
{
	g_return_val_if_fail(action <= TENDER_HEALTH_ACTION_STOP, NULL);
	return tender_spec_health_action_names[action];
}

/**
 * tender_spec_free:
 * @self: (nullable): a #TenderSpec
 */
void
tender_spec_free(TenderSpec *self)
{
	if (self == NULL)
		return;
	g_strfreev(self->argv);
	g_strfreev(self->env);
	g_free(self->working_directory);
	g_free(self->description);
	g_hash_table_unref(self->labels);
	tender_spec_health_free(self->health);
	g_free(self->user);
	g_free(self->group);
	g_strfreev(self->capabilities);
	if (self->pre_start != NULL)
		g_ptr_array_unref(self->pre_start);
	g_free(self);
}

static gboolean
tender_spec_check_type(const gchar *key, GVariant *value, const gchar *type, GError **error)
{
	if (g_variant_is_of_type(value, G_VARIANT_TYPE(type)))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' must be of type '%s', not '%s'",
		    key,
		    type,
		    g_variant_get_type_string(value));
	return FALSE;
}

static gboolean
tender_spec_check_range(const gchar *key,
			guint64 value,
			guint64 min,
			guint64 max,
			const gchar *unit,
			GError **error)
{
	if (value >= min && value <= max)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' is %" G_GUINT64_FORMAT
		    " %s; it must be between %" G_GUINT64_FORMAT " and %" G_GUINT64_FORMAT,
		    key,
		    value,
		    unit,
		    min,
		    max);
	return FALSE;
}

static gboolean
tender_spec_check_text(const gchar *key, const gchar *value, gsize max, GError **error)
{
	if (strlen(value) > max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is longer than %" G_GSIZE_FORMAT " bytes",
			    key,
			    max);
		return FALSE;
	}
	for (const gchar *p = value; *p != '\0'; p++) {
		if (g_ascii_iscntrl(*p)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' contains a control character",
				    key);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
tender_spec_parse_argv(TenderSpec *self, GVariant *value, gsize *bytes, GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = NULL;

	if (!tender_spec_check_type("argv", value, "as", error))
		return FALSE;
	strv = g_variant_get_strv(value, &n);
	if (n == 0 || strv[0][0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'argv' must name a command: it is empty");
		return FALSE;
	}
	if (n > TENDER_SPEC_ARGV_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'argv' has %" G_GSIZE_FORMAT
			    " elements; at most %d are allowed",
			    n,
			    TENDER_SPEC_ARGV_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++)
		*bytes += strlen(strv[i]) + 1;
	self->argv = g_variant_dup_strv(value, NULL);
	return TRUE;
}

static gboolean
tender_spec_env_key_is_valid(const gchar *entry)
{
	const gchar *eq = strchr(entry, '=');

	if (eq == NULL || eq == entry)
		return FALSE;
	if (!g_ascii_isalpha(entry[0]) && entry[0] != '_')
		return FALSE;
	for (const gchar *p = entry; p < eq; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	}
	return TRUE;
}

static gboolean
tender_spec_parse_env(TenderSpec *self, GVariant *value, gsize *bytes, GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = NULL;

	if (!tender_spec_check_type("env", value, "as", error))
		return FALSE;
	strv = g_variant_get_strv(value, &n);
	if (n > TENDER_SPEC_ENV_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'env' has %" G_GSIZE_FORMAT
			    " entries; at most %d are allowed",
			    n,
			    TENDER_SPEC_ENV_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++) {
		if (!tender_spec_env_key_is_valid(strv[i])) {
			g_autofree gchar *shown = g_strndup(strv[i], 64);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'env': entry %" G_GSIZE_FORMAT
				    " ('%s') is not KEY=VALUE with KEY made of A-Z a-z 0-9 _",
				    i + 1,
				    shown);
			return FALSE;
		}
		*bytes += strlen(strv[i]) + 1;
	}
	self->env = g_variant_dup_strv(value, NULL);
	return TRUE;
}

static gboolean
tender_spec_parse_labels(TenderSpec *self, GVariant *value, GError **error)
{
	GVariantIter iter;
	const gchar *k;
	const gchar *v;

	if (!tender_spec_check_type("labels", value, "a{ss}", error))
		return FALSE;
	if (g_variant_n_children(value) > TENDER_SPEC_LABELS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'labels' has %" G_GSIZE_FORMAT
			    " entries; at most %d are allowed",
			    g_variant_n_children(value),
			    TENDER_SPEC_LABELS_MAX);
		return FALSE;
	}
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&s&s}", &k, &v)) {
		if (k[0] == '\0' || strlen(k) > TENDER_SPEC_LABEL_KEY_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'labels': a label key must have 1 to %d bytes",
				    TENDER_SPEC_LABEL_KEY_MAX);
			return FALSE;
		}
		if (!tender_spec_check_text("labels", k, TENDER_SPEC_LABEL_KEY_MAX, error) ||
		    !tender_spec_check_text("labels", v, TENDER_SPEC_LABEL_VALUE_MAX, error))
			return FALSE;
		g_hash_table_insert(self->labels, g_strdup(k), g_strdup(v));
	}
	return TRUE;
}

static gboolean
tender_spec_parse_u64(const gchar *key,
		      GVariant *value,
		      guint64 min,
		      guint64 max,
		      const gchar *unit,
		      guint64 *out,
		      GError **error)
{
	if (!tender_spec_check_type(key, value, "t", error))
		return FALSE;
	if (!tender_spec_check_range(key, g_variant_get_uint64(value), min, max, unit, error))
		return FALSE;
	*out = g_variant_get_uint64(value);
	return TRUE;
}

static gboolean
tender_spec_parse_u32(const gchar *key,
		      GVariant *value,
		      guint min,
		      guint max,
		      const gchar *unit,
		      guint *out,
		      GError **error)
{
	if (!tender_spec_check_type(key, value, "u", error))
		return FALSE;
	if (!tender_spec_check_range(key, g_variant_get_uint32(value), min, max, unit, error))
		return FALSE;
	*out = g_variant_get_uint32(value);
	return TRUE;
}

/* @value is one of @names; its index goes to @out */
static gboolean
tender_spec_parse_enum(const gchar *key,
		       GVariant *value,
		       const gchar *const *names,
		       guint *out,
		       GError **error)
{
	const gchar *str;
	g_autofree gchar *all = NULL;

	if (!tender_spec_check_type(key, value, "s", error))
		return FALSE;
	str = g_variant_get_string(value, NULL);
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_strcmp0(str, names[i]) == 0) {
			*out = i;
			return TRUE;
		}
	}
	all = g_strjoinv("', '", (gchar **)names);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' must be one of '%s'",
		    key,
		    all);
	return FALSE;
}

static gboolean
tender_spec_parse_health_url(TenderHealthSpec *health, GVariant *value, GError **error)
{
	const gchar *url;
	g_autoptr(GUri) uri = NULL;

	if (!tender_spec_check_type("health.http_url", value, "s", error))
		return FALSE;
	url = g_variant_get_string(value, NULL);
	if (!tender_spec_check_text("health.http_url", url, TENDER_SPEC_HEALTH_URL_MAX, error))
		return FALSE;
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0' ||
	    (g_strcmp0(g_uri_get_scheme(uri), "http") != 0 &&
	     g_strcmp0(g_uri_get_scheme(uri), "https") != 0)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'health.http_url' must be an http:// or https:// URL "
				    "with a host");
		return FALSE;
	}
	health->http_url = g_strdup(url);
	return TRUE;
}

static gboolean
tender_spec_parse_health_entry(TenderHealthSpec *health,
			       const gchar *key,
			       GVariant *value,
			       GError **error)
{
	if (g_strcmp0(key, "command") == 0) {
		gsize n = 0;
		gsize bytes = 0;
		g_autofree const gchar **strv = NULL;
		if (!tender_spec_check_type("health.command", value, "as", error))
			return FALSE;
		strv = g_variant_get_strv(value, &n);
		if (n == 0 || strv[0][0] == '\0' || n > TENDER_SPEC_ARGV_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'health.command' must name a command, with at most "
				    "%d elements",
				    TENDER_SPEC_ARGV_MAX);
			return FALSE;
		}
		for (gsize i = 0; i < n; i++)
			bytes += strlen(strv[i]) + 1;
		if (bytes > TENDER_SPEC_STRINGS_BYTES_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'health.command' holds more than %d bytes",
				    TENDER_SPEC_STRINGS_BYTES_MAX);
			return FALSE;
		}
		health->command = g_variant_dup_strv(value, NULL);
		return TRUE;
	}
	if (g_strcmp0(key, "http_url") == 0)
		return tender_spec_parse_health_url(health, value, error);
	if (g_strcmp0(key, "interval_sec") == 0)
		return tender_spec_parse_u32("health.interval_sec",
					     value,
					     1,
					     TENDER_SPEC_HEALTH_INTERVAL_MAX,
					     "seconds",
					     &health->interval_sec,
					     error);
	if (g_strcmp0(key, "timeout_sec") == 0)
		return tender_spec_parse_u32("health.timeout_sec",
					     value,
					     1,
					     TENDER_SPEC_HEALTH_TIMEOUT_MAX,
					     "seconds",
					     &health->timeout_sec,
					     error);
	if (g_strcmp0(key, "retries") == 0)
		return tender_spec_parse_u32("health.retries",
					     value,
					     1,
					     TENDER_SPEC_HEALTH_RETRIES_MAX,
					     "checks",
					     &health->retries,
					     error);
	if (g_strcmp0(key, "start_period_sec") == 0)
		return tender_spec_parse_u32("health.start_period_sec",
					     value,
					     0,
					     TENDER_SPEC_HEALTH_INTERVAL_MAX,
					     "seconds",
					     &health->start_period_sec,
					     error);
	if (g_strcmp0(key, "on_unhealthy") == 0) {
		guint action = 0;
		if (!tender_spec_parse_enum("health.on_unhealthy",
					    value,
					    tender_spec_health_action_names,
					    &action,
					    error))
			return FALSE;
		health->on_unhealthy = (TenderHealthAction)action;
		return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown spec key 'health.%s'",
		    key);
	return FALSE;
}

static gboolean
tender_spec_parse_health(TenderSpec *self, GVariant *value, GError **error)
{
	TenderHealthSpec *health;
	GVariantIter iter;
	const gchar *key;
	GVariant *child;

	if (!tender_spec_check_type("health", value, "a{sv}", error))
		return FALSE;
	health = g_new0(TenderHealthSpec, 1);
	health->interval_sec = TENDER_SPEC_HEALTH_INTERVAL_DEFAULT;
	health->timeout_sec = TENDER_SPEC_HEALTH_TIMEOUT_DEFAULT;
	health->retries = TENDER_SPEC_HEALTH_RETRIES_DEFAULT;
	tender_spec_health_free(self->health);
	self->health = health;
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &child)) {
		g_autoptr(GVariant) owned = child;
		if (!tender_spec_parse_health_entry(health, key, owned, error))
			return FALSE;
	}
	if ((health->command == NULL) == (health->http_url == NULL)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'health' must have either 'command' or 'http_url'");
		return FALSE;
	}
	return TRUE;
}

/* --- user, group, capabilities and pre_start --- */

/**
 * tender_spec_drops_privileges:
 * @self: a #TenderSpec
 *
 * Returns: %TRUE if the workload runs with other ids or fewer capabilities than root's: the
 * spec has a user, a group or capabilities
 */
gboolean
tender_spec_drops_privileges(const TenderSpec *self)
{
	return self->user != NULL || self->group != NULL || self->capabilities != NULL;
}

/* a user or group: a name as useradd(8) takes it, or a numeric id */
static gboolean
tender_spec_parse_identity(const gchar *key, GVariant *value, gchar **out, GError **error)
{
	const gchar *text;

	if (!tender_spec_check_type(key, value, "s", error))
		return FALSE;
	text = g_variant_get_string(value, NULL);
	if (text[0] == '\0' || strlen(text) > TENDER_SPEC_IDENTITY_NAME_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must be a name or a numeric id of 1 to %d bytes",
			    key,
			    TENDER_SPEC_IDENTITY_NAME_MAX);
		return FALSE;
	}
	if (g_ascii_isdigit(text[0])) {
		guint64 id = 0;
		if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32 - 1, &id, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is '%s', which is not a valid numeric id",
				    key,
				    text);
			return FALSE;
		}
	} else {
		for (const gchar *p = text; *p != '\0'; p++) {
			if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.' &&
			    !(*p == '$' && p[1] == '\0')) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' must be a name of letters, digits, '_', "
					    "'-' and '.', or a numeric id",
					    key);
				return FALSE;
			}
		}
		if (text[0] == '-' || text[0] == '.') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' must not begin with '%c'",
				    key,
				    text[0]);
			return FALSE;
		}
	}
	g_free(*out);
	*out = g_strdup(text);
	return TRUE;
}

/**
 * tender_spec_capability_from_name:
 * @name: "CAP_NET_BIND_SERVICE", "cap_net_bind_service" or "net_bind_service"
 * @value: (out) (optional): the capability's number
 *
 * Returns: (transfer full) (nullable): the canonical name, e.g. "CAP_NET_BIND_SERVICE", or
 * %NULL if libcap or the running kernel does not know the capability
 */
gchar *
tender_spec_capability_from_name(const gchar *name, gint *value)
{
	g_autofree gchar *lower = g_ascii_strdown(name, -1);
	g_autofree gchar *full = NULL;
	g_autofree gchar *canonical = NULL;
	cap_value_t cap = 0;
	gchar *text;

	if (lower[0] == '\0' || strlen(lower) > 64)
		return NULL;
	for (const gchar *p = lower; *p != '\0'; p++) {
		if (!g_ascii_isalpha(*p) && *p != '_')
			return NULL;
	}
	full = g_str_has_prefix(lower, "cap_") ? g_strdup(lower) : g_strconcat("cap_", lower, NULL);
	if (cap_from_name(full, &cap) != 0 || cap < 0 || cap >= (cap_value_t)cap_max_bits())
		return NULL;
	text = cap_to_name(cap);
	if (text == NULL)
		return NULL;
	canonical = g_ascii_strup(text, -1);
	cap_free(text);
	if (value != NULL)
		*value = (gint)cap;
	return g_steal_pointer(&canonical);
}

static gboolean
tender_spec_parse_capabilities(TenderSpec *self, GVariant *value, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	GVariantIter iter;
	const gchar *name;

	if (!tender_spec_check_type("capabilities", value, "as", error))
		return FALSE;
	if (g_variant_n_children(value) > TENDER_SPEC_CAPABILITIES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'capabilities' has more than %d elements",
			    TENDER_SPEC_CAPABILITIES_MAX);
		return FALSE;
	}
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "&s", &name)) {
		g_autofree gchar *canonical = tender_spec_capability_from_name(name, NULL);
		g_autofree gchar *shown = g_strescape(name, NULL);
		if (canonical == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'capabilities' names an unknown capability '%.64s'",
				    shown);
			return FALSE;
		}
		if (!g_ptr_array_find_with_equal_func(names, canonical, g_str_equal, NULL))
			g_ptr_array_add(names, g_steal_pointer(&canonical));
	}
	g_ptr_array_add(names, NULL);
	g_strfreev(self->capabilities);
	self->capabilities = (gchar **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
	return TRUE;
}

static gboolean
tender_spec_parse_pre_start(TenderSpec *self, GVariant *value, gsize *bytes, GError **error)
{
	g_autoptr(GPtrArray) hooks = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GVariantIter iter;
	GVariant *child;
	gsize n_hooks = 0;

	if (!tender_spec_check_type("pre_start", value, "aas", error))
		return FALSE;
	n_hooks = g_variant_n_children(value);
	if (n_hooks > TENDER_SPEC_PRE_START_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'pre_start' has %" G_GSIZE_FORMAT
			    " commands; at most %d are allowed",
			    n_hooks,
			    TENDER_SPEC_PRE_START_MAX);
		return FALSE;
	}
	g_variant_iter_init(&iter, value);
	while ((child = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = child;
		gsize n = 0;
		g_autofree const gchar **strv = g_variant_get_strv(owned, &n);
		if (n == 0 || strv[0][0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key 'pre_start' has an empty command");
			return FALSE;
		}
		if (n > TENDER_SPEC_ARGV_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'pre_start' has a command of %" G_GSIZE_FORMAT
				    " elements; at most %d are allowed",
				    n,
				    TENDER_SPEC_ARGV_MAX);
			return FALSE;
		}
		for (gsize i = 0; i < n; i++)
			*bytes += strlen(strv[i]) + 1;
		g_ptr_array_add(hooks, g_variant_dup_strv(owned, NULL));
	}
	if (self->pre_start != NULL)
		g_ptr_array_unref(self->pre_start);
	self->pre_start = hooks->len > 0 ? g_steal_pointer(&hooks) : NULL;
	return TRUE;
}

static gboolean
tender_spec_parse_entry(TenderSpec *self,
			const gchar *key,
			GVariant *value,
			gsize *bytes,
			GError **error)
{
	if (g_strcmp0(key, "argv") == 0)
		return tender_spec_parse_argv(self, value, bytes, error);
	if (g_strcmp0(key, "env") == 0)
		return tender_spec_parse_env(self, value, bytes, error);
	if (g_strcmp0(key, "labels") == 0)
		return tender_spec_parse_labels(self, value, error);
	if (g_strcmp0(key, "working_directory") == 0) {
		const gchar *dir;
		if (!tender_spec_check_type(key, value, "s", error))
			return FALSE;
		dir = g_variant_get_string(value, NULL);
		if (!g_path_is_absolute(dir) || strlen(dir) >= 4096) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key 'working_directory' must be an absolute "
					    "path");
			return FALSE;
		}
		g_free(self->working_directory);
		self->working_directory = g_strdup(dir);
		return TRUE;
	}
	if (g_strcmp0(key, "description") == 0) {
		if (!tender_spec_check_type(key, value, "s", error))
			return FALSE;
		if (!tender_spec_check_text(key,
					    g_variant_get_string(value, NULL),
					    TENDER_SPEC_DESCRIPTION_MAX,
					    error))
			return FALSE;
		g_free(self->description);
		self->description = g_variant_dup_string(value, NULL);
		return TRUE;
	}
	if (g_strcmp0(key, "memory_max") == 0)
		return tender_spec_parse_u64(key,
					     value,
					     TENDER_SPEC_MEMORY_MIN,
					     TENDER_SPEC_BYTES_MAX,
					     "bytes",
					     &self->memory_max,
					     error);
	if (g_strcmp0(key, "cpu_quota_percent") == 0) {
		if (!tender_spec_check_type(key, value, "u", error))
			return FALSE;
		if (!tender_spec_check_range(key,
					     g_variant_get_uint32(value),
					     1,
					     TENDER_SPEC_CPU_PERCENT_MAX,
					     "percent",
					     error))
			return FALSE;
		self->cpu_quota_percent = g_variant_get_uint32(value);
		return TRUE;
	}
	if (g_strcmp0(key, "tasks_max") == 0)
		return tender_spec_parse_u64(key,
					     value,
					     1,
					     TENDER_SPEC_TASKS_MAX,
					     "tasks",
					     &self->tasks_max,
					     error);
	if (g_strcmp0(key, "io_read_bandwidth_max") == 0)
		return tender_spec_parse_u64(key,
					     value,
					     TENDER_SPEC_IO_MIN,
					     TENDER_SPEC_BYTES_MAX,
					     "bytes/s",
					     &self->io_read_bandwidth_max,
					     error);
	if (g_strcmp0(key, "io_write_bandwidth_max") == 0)
		return tender_spec_parse_u64(key,
					     value,
					     TENDER_SPEC_IO_MIN,
					     TENDER_SPEC_BYTES_MAX,
					     "bytes/s",
					     &self->io_write_bandwidth_max,
					     error);
	if (g_strcmp0(key, "restart") == 0) {
		guint policy = 0;
		if (!tender_spec_parse_enum(key, value, tender_spec_restart_names, &policy, error))
			return FALSE;
		self->restart = (TenderRestartPolicy)policy;
		return TRUE;
	}
	if (g_strcmp0(key, "restart_max") == 0)
		return tender_spec_parse_u32(key,
					     value,
					     0,
					     TENDER_SPEC_RESTART_MAX_MAX,
					     "restarts",
					     &self->restart_max,
					     error);
	if (g_strcmp0(key, "restart_delay_ms") == 0)
		return tender_spec_parse_u32(key,
					     value,
					     0,
					     TENDER_SPEC_RESTART_DELAY_MAX,
					     "ms",
					     &self->restart_delay_ms,
					     error);
	if (g_strcmp0(key, "max_runtime_sec") == 0)
		return tender_spec_parse_u64(key,
					     value,
					     1,
					     TENDER_SPEC_MAX_RUNTIME_MAX,
					     "seconds",
					     &self->max_runtime_sec,
					     error);
	if (g_strcmp0(key, "health") == 0)
		return tender_spec_parse_health(self, value, error);
	if (g_strcmp0(key, "user") == 0)
		return tender_spec_parse_identity(key, value, &self->user, error);
	if (g_strcmp0(key, "group") == 0)
		return tender_spec_parse_identity(key, value, &self->group, error);
	if (g_strcmp0(key, "capabilities") == 0)
		return tender_spec_parse_capabilities(self, value, error);
	if (g_strcmp0(key, "pre_start") == 0)
		return tender_spec_parse_pre_start(self, value, bytes, error);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown spec key '%s'",
		    key);
	return FALSE;
}

/**
 * tender_spec_new_from_variant:
 * @value: an a{sv} as given to CreateWorkload
 * @error: (nullable): a #GError
 *
 * Parses and checks a spec.  Every unknown key, wrong type, empty argv, zero or absurd limit
 * is refused with %TENDER_ERROR_INVALID_ARGUMENT and a message naming the key.
 *
 * Returns: (transfer full): the spec, or %NULL
 */
TenderSpec *
tender_spec_new_from_variant(GVariant *value, GError **error)
{
	g_autoptr(TenderSpec) self = tender_spec_new();
	GVariantIter iter;
	const gchar *key;
	GVariant *child;
	gsize bytes = 0;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The spec must be of type 'a{sv}', not '%s'",
			    g_variant_get_type_string(value));
		return NULL;
	}
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &child)) {
		g_autoptr(GVariant) owned = child;
		if (!g_hash_table_add(seen, (gpointer)key)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is given twice",
				    key);
			return NULL;
		}
		if (!tender_spec_parse_entry(self, key, owned, &bytes, error))
			return NULL;
	}
	if (self->argv == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'argv' is required");
		return NULL;
	}
	if (bytes > TENDER_SPEC_STRINGS_BYTES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec keys 'argv', 'env' and 'pre_start' hold %" G_GSIZE_FORMAT
			    " bytes; at most %d are allowed",
			    bytes,
			    TENDER_SPEC_STRINGS_BYTES_MAX);
		return NULL;
	}
	return g_steal_pointer(&self);
}

static GVariant *
tender_spec_health_to_variant(const TenderHealthSpec *health)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (health->command != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "command",
				      g_variant_new_strv((const gchar *const *)health->command,
							 -1));
	if (health->http_url != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "http_url",
				      g_variant_new_string(health->http_url));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "interval_sec",
			      g_variant_new_uint32(health->interval_sec));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "timeout_sec",
			      g_variant_new_uint32(health->timeout_sec));
	g_variant_builder_add(&builder, "{sv}", "retries", g_variant_new_uint32(health->retries));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "start_period_sec",
			      g_variant_new_uint32(health->start_period_sec));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "on_unhealthy",
			      g_variant_new_string(
				  tender_spec_health_action_to_string(health->on_unhealthy)));
	return g_variant_builder_end(&builder);
}

/**
 * tender_spec_to_variant:
 * @self: a #TenderSpec
 *
 * Returns: (transfer floating): the spec as an a{sv} that tender_spec_new_from_variant()
 * accepts; limits that are not set are left out
 */
GVariant *
tender_spec_to_variant(const TenderSpec *self)
{
	GVariantBuilder builder;
	GVariantBuilder labels;
	g_autoptr(GList) keys = NULL;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)self->argv, -1));
	if (self->env != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)self->env, -1));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "working_directory",
			      g_variant_new_string(self->working_directory));
	if (self->description != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "description",
				      g_variant_new_string(self->description));
	g_variant_builder_init(&labels, G_VARIANT_TYPE("a{ss}"));
	keys = g_hash_table_get_keys(self->labels);
	keys = g_list_sort(keys, (GCompareFunc)g_strcmp0);
	for (GList *l = keys; l != NULL; l = l->next)
		g_variant_builder_add(&labels,
				      "{ss}",
				      (const gchar *)l->data,
				      (const gchar *)g_hash_table_lookup(self->labels, l->data));
	g_variant_builder_add(&builder, "{sv}", "labels", g_variant_builder_end(&labels));
	if (self->memory_max > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "memory_max",
				      g_variant_new_uint64(self->memory_max));
	if (self->cpu_quota_percent > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "cpu_quota_percent",
				      g_variant_new_uint32(self->cpu_quota_percent));
	if (self->tasks_max > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "tasks_max",
				      g_variant_new_uint64(self->tasks_max));
	if (self->io_read_bandwidth_max > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_read_bandwidth_max",
				      g_variant_new_uint64(self->io_read_bandwidth_max));
	if (self->io_write_bandwidth_max > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_write_bandwidth_max",
				      g_variant_new_uint64(self->io_write_bandwidth_max));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "restart",
			      g_variant_new_string(tender_spec_restart_to_string(self->restart)));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "restart_max",
			      g_variant_new_uint32(self->restart_max));
	g_variant_builder_add(&builder,
			      "{sv}",
			      "restart_delay_ms",
			      g_variant_new_uint32(self->restart_delay_ms));
	if (self->max_runtime_sec > 0)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "max_runtime_sec",
				      g_variant_new_uint64(self->max_runtime_sec));
	if (self->health != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "health",
				      tender_spec_health_to_variant(self->health));
	if (self->user != NULL)
		g_variant_builder_add(&builder, "{sv}", "user", g_variant_new_string(self->user));
	if (self->group != NULL)
		g_variant_builder_add(&builder, "{sv}", "group", g_variant_new_string(self->group));
	if (self->capabilities != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "capabilities",
				      g_variant_new_strv((const gchar *const *)self->capabilities,
							 -1));
	if (self->pre_start != NULL) {
		GVariantBuilder hooks;
		g_variant_builder_init(&hooks, G_VARIANT_TYPE("aas"));
		for (guint i = 0; i < self->pre_start->len; i++)
			g_variant_builder_add_value(
			    &hooks,
			    g_variant_new_strv(g_ptr_array_index(self->pre_start, i), -1));
		g_variant_builder_add(&builder, "{sv}", "pre_start", g_variant_builder_end(&hooks));
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_spec_build_environ:
 * @self: a #TenderSpec
 *
 * The workload's environment: a default PATH, then the spec's env (a later entry for the same
 * key wins).  Nothing of tenderd's own environment leaks into it.
 *
 * Returns: (transfer full): a NULL-terminated environment
 */
gchar **
tender_spec_build_environ(const TenderSpec *self)
{
	g_auto(GStrv) envp = g_environ_setenv(NULL, "PATH", TENDER_SPEC_DEFAULT_PATH, TRUE);

	for (guint i = 0; self->env != NULL && self->env[i] != NULL; i++) {
		const gchar *eq = strchr(self->env[i], '=');
		g_autofree gchar *key = g_strndup(self->env[i], (gsize)(eq - self->env[i]));
		envp = g_environ_setenv(envp, key, eq + 1, TRUE);
	}
	return g_steal_pointer(&envp);
}
