/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

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
	return self;
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
			    "Spec keys 'argv' and 'env' hold %" G_GSIZE_FORMAT
			    " bytes; at most %d are allowed",
			    bytes,
			    TENDER_SPEC_STRINGS_BYTES_MAX);
		return NULL;
	}
	return g_steal_pointer(&self);
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
