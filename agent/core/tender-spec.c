/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-spec-private.h"

/*
 * A spec is parsed from and written to an a{sv} by the key table of tender-spec-keys.c: each
 * key's kind says how it is checked, and its offset where it is kept (in TenderSpec, or in
 * TenderHealthSpec for the keys of health).
 */

/* the field of @key in @base, a TenderSpec or a TenderHealthSpec */
#define TENDER_SPEC_FIELD(type, base, key) G_STRUCT_MEMBER(type, base, (glong)(key)->offset)

/* enums are kept as the index of their name */
G_STATIC_ASSERT(sizeof(TenderRestartPolicy) == sizeof(guint));
G_STATIC_ASSERT(sizeof(TenderHealthAction) == sizeof(guint));
G_STATIC_ASSERT(sizeof(TenderIsolation) == sizeof(guint));
G_STATIC_ASSERT(sizeof(TenderNetwork) == sizeof(guint));

static void
tender_spec_set_defaults(gpointer base, const TenderSpecKey *parent)
{
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;

	tender_spec_key_iter_init(&iter, parent);
	while (tender_spec_key_iter_next(&iter, &key)) {
		switch (key->kind) {
		case TENDER_SPEC_KEY_KIND_UINT64:
			TENDER_SPEC_FIELD(guint64, base, key) = key->default_number;
			break;
		case TENDER_SPEC_KEY_KIND_UINT32:
		case TENDER_SPEC_KEY_KIND_ENUM:
			TENDER_SPEC_FIELD(guint, base, key) = (guint)key->default_number;
			break;
		case TENDER_SPEC_KEY_KIND_TEXT:
		case TENDER_SPEC_KEY_KIND_PATH:
			TENDER_SPEC_FIELD(gchar *, base, key) = g_strdup(key->default_text);
			break;
		case TENDER_SPEC_KEY_KIND_LABELS:
			TENDER_SPEC_FIELD(GHashTable *, base, key) =
			    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
			break;
		case TENDER_SPEC_KEY_KIND_BOOLEAN:
			TENDER_SPEC_FIELD(gint, base, key) = -1;
			break;
		default:
			/* NULL: not set (or, for a name, the default) */
			break;
		}
	}
}

/**
 * tender_spec_new:
 *
 * Returns: (transfer full): an empty spec
 */
TenderSpec *
tender_spec_new(void)
{
	TenderSpec *self = g_new0(TenderSpec, 1);
	tender_spec_set_defaults(self, NULL);
	return self;
}

static void
tender_spec_clear_values(gpointer base, const TenderSpecKey *parent);

/* frees what @key holds in @base and sets it to NULL */
static void
tender_spec_clear_value(gpointer base, const TenderSpecKey *key)
{
	gpointer *field = &TENDER_SPEC_FIELD(gpointer, base, key);

	switch (key->kind) {
	case TENDER_SPEC_KEY_KIND_TEXT:
	case TENDER_SPEC_KEY_KIND_PATH:
	case TENDER_SPEC_KEY_KIND_IDENTITY:
	case TENDER_SPEC_KEY_KIND_NAME:
	case TENDER_SPEC_KEY_KIND_URL:
		g_clear_pointer(field, g_free);
		break;
	case TENDER_SPEC_KEY_KIND_ARGV:
	case TENDER_SPEC_KEY_KIND_COMMAND:
	case TENDER_SPEC_KEY_KIND_ENV:
	case TENDER_SPEC_KEY_KIND_CAPABILITIES:
		g_clear_pointer(field, g_strfreev);
		break;
	case TENDER_SPEC_KEY_KIND_COMMANDS:
	case TENDER_SPEC_KEY_KIND_VOLUMES:
		g_clear_pointer(field, g_ptr_array_unref);
		break;
	case TENDER_SPEC_KEY_KIND_PORTS:
	case TENDER_SPEC_KEY_KIND_RLIMITS:
		g_clear_pointer(field, g_array_unref);
		break;
	case TENDER_SPEC_KEY_KIND_LABELS:
	case TENDER_SPEC_KEY_KIND_EXTENSION:
		g_clear_pointer(field, g_hash_table_unref);
		break;
	case TENDER_SPEC_KEY_KIND_HEALTH:
		if (*field != NULL)
			tender_spec_clear_values(*field, key);
		g_clear_pointer(field, g_free);
		break;
	default:
		break;
	}
}

/* replaces what @key holds in @base with @value, a pointer */
static gboolean
tender_spec_take_value(gpointer base, const TenderSpecKey *key, gpointer value)
{
	tender_spec_clear_value(base, key);
	TENDER_SPEC_FIELD(gpointer, base, key) = value;
	return TRUE;
}

static void
tender_spec_clear_values(gpointer base, const TenderSpecKey *parent)
{
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;

	tender_spec_key_iter_init(&iter, parent);
	while (tender_spec_key_iter_next(&iter, &key))
		tender_spec_clear_value(base, key);
}

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
	tender_spec_clear_values(self, NULL);
	g_free(self);
}

/**
 * tender_spec_get_runtime:
 * @self: a #TenderSpec
 *
 * Returns: the runtime that runs the workload: the spec's "runtime", or
 *   %TENDER_SPEC_RUNTIME_DEFAULT
 */
const gchar *
tender_spec_get_runtime(const TenderSpec *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->runtime != NULL ? self->runtime : TENDER_SPEC_RUNTIME_DEFAULT;
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

/* refuses @n children of @key beyond its bound, counted as @what ("entries", ...) */
static gboolean
tender_spec_check_count(const TenderSpecKey *key, gsize n, const gchar *what, GError **error)
{
	if (n <= key->max)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' has %" G_GSIZE_FORMAT " %s; at most %" G_GUINT64_FORMAT
		    " are allowed",
		    key->name,
		    n,
		    what,
		    key->max);
	return FALSE;
}

/* the bytes @strv takes, each string with its NUL */
static gsize
tender_spec_strv_bytes(const gchar *const *strv, gsize n)
{
	gsize bytes = 0;
	for (gsize i = 0; i < n; i++)
		bytes += strlen(strv[i]) + 1;
	return bytes;
}

static gboolean
tender_spec_parse_argv(gpointer base,
		       const TenderSpecKey *key,
		       GVariant *value,
		       gsize *bytes,
		       GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = g_variant_get_strv(value, &n);

	if (n == 0 || strv[0][0] == '\0') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must name a command: it is empty",
			    key->name);
		return FALSE;
	}
	if (!tender_spec_check_count(key, n, "elements", error))
		return FALSE;
	*bytes += tender_spec_strv_bytes(strv, n);
	return tender_spec_take_value(base, key, g_variant_dup_strv(value, NULL));
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
tender_spec_parse_env(gpointer base,
		      const TenderSpecKey *key,
		      GVariant *value,
		      gsize *bytes,
		      GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = g_variant_get_strv(value, &n);

	if (!tender_spec_check_count(key, n, "entries", error))
		return FALSE;
	for (gsize i = 0; i < n; i++) {
		if (!tender_spec_env_key_is_valid(strv[i])) {
			g_autofree gchar *shown = g_strndup(strv[i], 64);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s': entry %" G_GSIZE_FORMAT
				    " ('%s') is not KEY=VALUE with KEY made of A-Z a-z 0-9 _",
				    key->name,
				    i + 1,
				    shown);
			return FALSE;
		}
		*bytes += strlen(strv[i]) + 1;
	}
	return tender_spec_take_value(base, key, g_variant_dup_strv(value, NULL));
}

static gboolean
tender_spec_parse_labels(gpointer base, const TenderSpecKey *key, GVariant *value, GError **error)
{
	GHashTable *labels = TENDER_SPEC_FIELD(GHashTable *, base, key);
	GVariantIter iter;
	const gchar *k;
	const gchar *v;

	if (!tender_spec_check_count(key, g_variant_n_children(value), "entries", error))
		return FALSE;
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&s&s}", &k, &v)) {
		if (k[0] == '\0' || strlen(k) > TENDER_SPEC_LABEL_KEY_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s': a label key must have 1 to %d bytes",
				    key->name,
				    TENDER_SPEC_LABEL_KEY_MAX);
			return FALSE;
		}
		if (!tender_spec_check_text(key->name, k, TENDER_SPEC_LABEL_KEY_MAX, error) ||
		    !tender_spec_check_text(key->name, v, TENDER_SPEC_LABEL_VALUE_MAX, error))
			return FALSE;
		g_hash_table_insert(labels, g_strdup(k), g_strdup(v));
	}
	return TRUE;
}

/* @value is one of the key's choices; its index is kept */
static gboolean
tender_spec_parse_enum(gpointer base,
		       const TenderSpecKey *key,
		       const gchar *name,
		       GVariant *value,
		       GError **error)
{
	const gchar *str = g_variant_get_string(value, NULL);
	g_autofree gchar *all = NULL;

	for (guint i = 0; key->choices[i] != NULL; i++) {
		if (g_strcmp0(str, key->choices[i]) == 0) {
			TENDER_SPEC_FIELD(guint, base, key) = i;
			return TRUE;
		}
	}
	all = g_strjoinv("', '", (gchar **)key->choices);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' must be one of '%s'",
		    name,
		    all);
	return FALSE;
}

static gboolean
tender_spec_parse_url(gpointer base,
		      const TenderSpecKey *key,
		      const gchar *name,
		      GVariant *value,
		      GError **error)
{
	const gchar *url = g_variant_get_string(value, NULL);
	g_autoptr(GUri) uri = NULL;

	if (!tender_spec_check_text(name, url, key->max, error))
		return FALSE;
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (uri == NULL || g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0' ||
	    (g_strcmp0(g_uri_get_scheme(uri), "http") != 0 &&
	     g_strcmp0(g_uri_get_scheme(uri), "https") != 0)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must be an http:// or https:// URL with a host",
			    name);
		return FALSE;
	}
	return tender_spec_take_value(base, key, g_strdup(url));
}

/* a command with its own bound on bytes (health.command) */
static gboolean
tender_spec_parse_command(gpointer base,
			  const TenderSpecKey *key,
			  const gchar *name,
			  GVariant *value,
			  GError **error)
{
	gsize n = 0;
	g_autofree const gchar **strv = g_variant_get_strv(value, &n);

	if (n == 0 || strv[0][0] == '\0' || n > key->max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must name a command, with at most %" G_GUINT64_FORMAT
			    " elements",
			    name,
			    key->max);
		return FALSE;
	}
	if (tender_spec_strv_bytes(strv, n) > TENDER_SPEC_STRINGS_BYTES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' holds more than %d bytes",
			    name,
			    TENDER_SPEC_STRINGS_BYTES_MAX);
		return FALSE;
	}
	return tender_spec_take_value(base, key, g_variant_dup_strv(value, NULL));
}

static gboolean
tender_spec_parse_value(gpointer base,
			const TenderSpecKey *key,
			const gchar *name,
			GVariant *value,
			gsize *bytes,
			GError **error);

/* checks @value of the key @child_name among @parent's children (called @name in messages) */
static gboolean
tender_spec_parse_child(gpointer base,
			const TenderSpecKey *parent,
			const gchar *child_name,
			const gchar *name,
			GVariant *value,
			gsize *bytes,
			GError **error)
{
	const TenderSpecKey *key = tender_spec_key_lookup(parent, child_name);

	if (key != NULL)
		return tender_spec_parse_value(base, key, name, value, bytes, error);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown spec key '%s'",
		    name);
	return FALSE;
}

/* a dictionary of the keys in @key's children, e.g. health */
static gboolean
tender_spec_parse_health(gpointer base, const TenderSpecKey *key, GVariant *value, GError **error)
{
	TenderHealthSpec *health = g_new0(TenderHealthSpec, 1);
	GVariantIter iter;
	const gchar *child_name;
	GVariant *child;

	tender_spec_set_defaults(health, key);
	tender_spec_take_value(base, key, health);
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&sv}", &child_name, &child)) {
		g_autoptr(GVariant) owned = child;
		g_autofree gchar *full = g_strdup_printf("%s.%s", key->name, child_name);
		gsize bytes = 0;

		if (!tender_spec_parse_child(health, key, child_name, full, owned, &bytes, error))
			return FALSE;
	}
	if ((health->command == NULL) == (health->http_url == NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must have either 'command' or 'http_url'",
			    key->name);
		return FALSE;
	}
	return TRUE;
}

/* --- pre_start and post_stop --- */

static gboolean
tender_spec_parse_commands(gpointer base,
			   const TenderSpecKey *key,
			   GVariant *value,
			   gsize *bytes,
			   GError **error)
{
	g_autoptr(GPtrArray) hooks = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	GVariantIter iter;
	GVariant *child;
	gsize n_hooks = g_variant_n_children(value);

	if (!tender_spec_check_count(key, n_hooks, "commands", error))
		return FALSE;
	g_variant_iter_init(&iter, value);
	while ((child = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) owned = child;
		gsize n = 0;
		g_autofree const gchar **strv = g_variant_get_strv(owned, &n);
		if (n == 0 || strv[0][0] == '\0') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has an empty command",
				    key->name);
			return FALSE;
		}
		if (n > TENDER_SPEC_ARGV_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has a command of %" G_GSIZE_FORMAT
				    " elements; at most %d are allowed",
				    key->name,
				    n,
				    TENDER_SPEC_ARGV_MAX);
			return FALSE;
		}
		*bytes += tender_spec_strv_bytes(strv, n);
		g_ptr_array_add(hooks, g_variant_dup_strv(owned, NULL));
	}
	return tender_spec_take_value(base, key, hooks->len > 0 ? g_steal_pointer(&hooks) : NULL);
}

/* --- runtime and the x-NAME keys --- */

static gboolean
tender_spec_parse_name(gpointer base,
		       const TenderSpecKey *key,
		       const gchar *name,
		       GVariant *value,
		       GError **error)
{
	const gchar *text = g_variant_get_string(value, NULL);

	if (!tender_spec_key_check_name(text)) {
		g_autofree gchar *shown = g_strescape(text, NULL);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is '%.64s', which is not a name of 1 to "
			    "%" G_GUINT64_FORMAT " characters, [a-z][a-z0-9-]*",
			    name,
			    shown,
			    key->max);
		return FALSE;
	}
	return tender_spec_take_value(base,
				      key,
				      g_strcmp0(text, key->default_text) != 0 ? g_strdup(text)
									      : NULL);
}

/* checks @value of @key (called @name in messages) and keeps it in @base */
static gboolean
tender_spec_parse_value(gpointer base,
			const TenderSpecKey *key,
			const gchar *name,
			GVariant *value,
			gsize *bytes,
			GError **error)
{
	if (key->kind == TENDER_SPEC_KEY_KIND_EXTENSION &&
	    !tender_spec_key_check_name(name + strlen(key->name))) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is not x-NAME with NAME of 1 to %d characters, "
			    "[a-z][a-z0-9-]*",
			    name,
			    TENDER_SPEC_RUNTIME_NAME_MAX);
		return FALSE;
	}
	if (!tender_spec_check_type(name, value, key->type, error))
		return FALSE;
	switch (key->kind) {
	case TENDER_SPEC_KEY_KIND_UINT64:
	case TENDER_SPEC_KEY_KIND_UINT32: {
		guint64 number = key->kind == TENDER_SPEC_KEY_KIND_UINT64
				     ? g_variant_get_uint64(value)
				     : g_variant_get_uint32(value);
		if (!tender_spec_check_range(name,
					     number,
					     key->min,
					     key->max,
					     key->unit_name,
					     error))
			return FALSE;
		if (key->kind == TENDER_SPEC_KEY_KIND_UINT64)
			TENDER_SPEC_FIELD(guint64, base, key) = number;
		else
			TENDER_SPEC_FIELD(guint, base, key) = (guint)number;
		return TRUE;
	}
	case TENDER_SPEC_KEY_KIND_ENUM:
		return tender_spec_parse_enum(base, key, name, value, error);
	case TENDER_SPEC_KEY_KIND_TEXT:
		if (!tender_spec_check_text(name,
					    g_variant_get_string(value, NULL),
					    key->max,
					    error))
			return FALSE;
		if (key->check != NULL) {
			g_autofree gchar *what = g_strdup_printf("Spec key '%s'", name);
			if (!key->check(what, g_variant_get_string(value, NULL), error))
				return FALSE;
		}
		return tender_spec_take_value(base, key, g_variant_dup_string(value, NULL));
	case TENDER_SPEC_KEY_KIND_PATH:
		if (!g_path_is_absolute(g_variant_get_string(value, NULL)) ||
		    strlen(g_variant_get_string(value, NULL)) > key->max) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' must be an absolute path",
				    name);
			return FALSE;
		}
		return tender_spec_take_value(base, key, g_variant_dup_string(value, NULL));
	case TENDER_SPEC_KEY_KIND_IDENTITY:
		return tender_spec_parse_identity(name,
						  value,
						  key->max,
						  &TENDER_SPEC_FIELD(gchar *, base, key),
						  error);
	case TENDER_SPEC_KEY_KIND_NAME:
		return tender_spec_parse_name(base, key, name, value, error);
	case TENDER_SPEC_KEY_KIND_URL:
		return tender_spec_parse_url(base, key, name, value, error);
	case TENDER_SPEC_KEY_KIND_ARGV:
		return tender_spec_parse_argv(base, key, value, bytes, error);
	case TENDER_SPEC_KEY_KIND_COMMAND:
		return tender_spec_parse_command(base, key, name, value, error);
	case TENDER_SPEC_KEY_KIND_ENV:
		return tender_spec_parse_env(base, key, value, bytes, error);
	case TENDER_SPEC_KEY_KIND_CAPABILITIES: {
		gchar **names = tender_spec_parse_capabilities(key, value, error);
		if (names == NULL)
			return FALSE;
		return tender_spec_take_value(base, key, names);
	}
	case TENDER_SPEC_KEY_KIND_COMMANDS:
		return tender_spec_parse_commands(base, key, value, bytes, error);
	case TENDER_SPEC_KEY_KIND_LABELS:
		return tender_spec_parse_labels(base, key, value, error);
	case TENDER_SPEC_KEY_KIND_HEALTH:
		return tender_spec_parse_health(base, key, value, error);
	case TENDER_SPEC_KEY_KIND_EXTENSION:
		return tender_spec_parse_extension(base, key, name, value, error);
	case TENDER_SPEC_KEY_KIND_BOOLEAN:
		TENDER_SPEC_FIELD(gint, base, key) = g_variant_get_boolean(value) ? 1 : 0;
		return TRUE;
	case TENDER_SPEC_KEY_KIND_VOLUMES: {
		GPtrArray *volumes = NULL;
		if (!tender_spec_parse_volumes(key, value, &volumes, error))
			return FALSE;
		return tender_spec_take_value(base, key, volumes);
	}
	case TENDER_SPEC_KEY_KIND_PORTS:
	case TENDER_SPEC_KEY_KIND_RLIMITS: {
		GArray *array = NULL;
		if (!(key->kind == TENDER_SPEC_KEY_KIND_PORTS
			  ? tender_spec_parse_ports(key, value, &array, error)
			  : tender_spec_parse_rlimits(key, value, &array, error)))
			return FALSE;
		return tender_spec_take_value(base, key, array);
	}
	default:
		g_assert_not_reached();
	}
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
	const gchar *name;
	GVariant *child;
	gsize bytes = 0;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	TenderSpecKeyIter keys = {NULL};
	const TenderSpecKey *key;

	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The spec must be of type 'a{sv}', not '%s'",
			    g_variant_get_type_string(value));
		return NULL;
	}
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &child)) {
		g_autoptr(GVariant) owned = child;
		if (!g_hash_table_add(seen, (gpointer)name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is given twice",
				    name);
			return NULL;
		}
		if (!tender_spec_parse_child(self, NULL, name, name, owned, &bytes, error))
			return NULL;
	}
	tender_spec_key_iter_init(&keys, NULL);
	while (tender_spec_key_iter_next(&keys, &key)) {
		/* an image's config may give what its spec leaves out, and so may a plugin's
		 * runtime; the runtime checks that it does (tender_runtime_resolve_command(), its
		 * check_spec) */
		if ((key->flags & TENDER_SPEC_KEY_FLAG_REQUIRED) &&
		    TENDER_SPEC_FIELD(gpointer, self, key) == NULL &&
		    !((key->flags & TENDER_SPEC_KEY_FLAG_IMAGE_GIVES) && self->image != NULL) &&
		    !((key->flags & TENDER_SPEC_KEY_FLAG_RUNTIME_GIVES) && self->runtime != NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is required",
				    key->name);
			return NULL;
		}
	}
	if (!tender_spec_check_isolation(self, error))
		return NULL;
	if (bytes > TENDER_SPEC_STRINGS_BYTES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec keys 'argv', 'env', 'pre_start' and 'post_stop' hold "
			    "%" G_GSIZE_FORMAT " bytes; at most %d are allowed",
			    bytes,
			    TENDER_SPEC_STRINGS_BYTES_MAX);
		return NULL;
	}
	return g_steal_pointer(&self);
}

static GVariant *
tender_spec_values_to_variant(gconstpointer base, const TenderSpecKey *parent);

/* the value of @key in @base, or %NULL if the a{sv} leaves it out */
static GVariant *
tender_spec_value_to_variant(gconstpointer base, const TenderSpecKey *key)
{
	gpointer field = G_STRUCT_MEMBER_P(base, (glong)key->offset);
	gboolean optional = (key->flags & TENDER_SPEC_KEY_FLAG_OPTIONAL) != 0;

	switch (key->kind) {
	case TENDER_SPEC_KEY_KIND_UINT64: {
		guint64 value = *(const guint64 *)field;
		return optional && value == 0 ? NULL : g_variant_new_uint64(value);
	}
	case TENDER_SPEC_KEY_KIND_UINT32: {
		guint value = *(const guint *)field;
		return optional && value == 0 ? NULL : g_variant_new_uint32(value);
	}
	case TENDER_SPEC_KEY_KIND_ENUM: {
		guint index = *(const guint *)field;
		return optional && index == key->default_number
			   ? NULL
			   : g_variant_new_string(key->choices[index]);
	}
	case TENDER_SPEC_KEY_KIND_BOOLEAN: {
		gint value = *(const gint *)field;
		return value < 0 ? NULL : g_variant_new_boolean(value != 0);
	}
	case TENDER_SPEC_KEY_KIND_VOLUMES:
	case TENDER_SPEC_KEY_KIND_PORTS:
	case TENDER_SPEC_KEY_KIND_RLIMITS:
		return tender_spec_isolation_to_variant(key, field);
	case TENDER_SPEC_KEY_KIND_TEXT:
	case TENDER_SPEC_KEY_KIND_PATH:
	case TENDER_SPEC_KEY_KIND_IDENTITY:
	case TENDER_SPEC_KEY_KIND_NAME:
	case TENDER_SPEC_KEY_KIND_URL: {
		const gchar *text = *(const gchar **)field;
		return text == NULL ? NULL : g_variant_new_string(text);
	}
	case TENDER_SPEC_KEY_KIND_ARGV:
	case TENDER_SPEC_KEY_KIND_COMMAND:
	case TENDER_SPEC_KEY_KIND_ENV:
	case TENDER_SPEC_KEY_KIND_CAPABILITIES: {
		const gchar *const *strv = *(const gchar *const **)field;
		return strv == NULL ? NULL : g_variant_new_strv(strv, -1);
	}
	case TENDER_SPEC_KEY_KIND_COMMANDS: {
		GPtrArray *hooks = *(GPtrArray **)field;
		GVariantBuilder builder;
		if (hooks == NULL)
			return NULL;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("aas"));
		for (guint i = 0; i < hooks->len; i++)
			g_variant_builder_add_value(&builder,
						    g_variant_new_strv(g_ptr_array_index(hooks, i),
								       -1));
		return g_variant_builder_end(&builder);
	}
	case TENDER_SPEC_KEY_KIND_LABELS: {
		GHashTable *labels = *(GHashTable **)field;
		g_autoptr(GList) keys = g_hash_table_get_keys(labels);
		GVariantBuilder builder;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
		keys = g_list_sort(keys, (GCompareFunc)g_strcmp0);
		for (GList *l = keys; l != NULL; l = l->next)
			g_variant_builder_add(&builder,
					      "{ss}",
					      (const gchar *)l->data,
					      (const gchar *)g_hash_table_lookup(labels, l->data));
		return g_variant_builder_end(&builder);
	}
	case TENDER_SPEC_KEY_KIND_HEALTH: {
		gconstpointer health = *(gconstpointer *)field;
		return health == NULL ? NULL : tender_spec_values_to_variant(health, key);
	}
	case TENDER_SPEC_KEY_KIND_EXTENSION:
	default:
		g_assert_not_reached();
	}
}

static GVariant *
tender_spec_values_to_variant(gconstpointer base, const TenderSpecKey *parent)
{
	GVariantBuilder builder;
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	tender_spec_key_iter_init(&iter, parent);
	while (tender_spec_key_iter_next(&iter, &key)) {
		GVariant *value;
		if (key->kind == TENDER_SPEC_KEY_KIND_EXTENSION) {
			const TenderSpec *self = base;
			g_auto(GStrv) names = tender_spec_get_extension_names(self);
			for (guint i = 0; names[i] != NULL; i++)
				g_variant_builder_add(&builder,
						      "{sv}",
						      names[i],
						      g_hash_table_lookup(self->extensions,
									  names[i]));
			continue;
		}
		value = tender_spec_value_to_variant(base, key);
		if (value != NULL)
			g_variant_builder_add(&builder, "{sv}", key->name, value);
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_spec_to_variant:
 * @self: a #TenderSpec
 *
 * Returns: (transfer floating): the spec as an a{sv} that tender_spec_new_from_variant()
 * accepts; limits that are not set are left out, and so is the default runtime
 */
GVariant *
tender_spec_to_variant(const TenderSpec *self)
{
	return tender_spec_values_to_variant(self, NULL);
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
