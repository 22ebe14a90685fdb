/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-private.h"
#include "tender-error.h"
#include "tender-spec-keys.h"
#include "tender-spec.h"

/* --- the instance file --- */

/**
 * tender_adapter_config_free:
 * @self: a #TenderAdapterConfig
 */
void
tender_adapter_config_free(TenderAdapterConfig *self)
{
	if (self == NULL)
		return;
	g_free(self->type);
	g_free(self->primary_payload_key);
	g_free(self->run_as_user);
	if (self->limits != NULL)
		g_variant_unref(self->limits);
	g_free(self);
}

static gboolean
tender_adapter_config_error(GError **error,
			    const gchar *path,
			    const gchar *group,
			    const gchar *key,
			    const gchar *message)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "%s: [%s] %s: %s",
		    path,
		    group,
		    key,
		    message);
	return FALSE;
}

/* a class name, as in TenderAdapterVTable: [a-z0-9][a-z0-9_-]{0,31} */
static gboolean
tender_adapter_check_type_name(const gchar *name)
{
	gsize len = strlen(name);

	if (len == 0 || len > 32 || !(g_ascii_islower(name[0]) || g_ascii_isdigit(name[0])))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && name[i] != '_' &&
		    name[i] != '-')
			return FALSE;
	}
	return TRUE;
}

static gboolean
tender_adapter_config_parse_limits(GKeyFile *keyfile,
				   const gchar *path,
				   TenderAdapterConfig *config,
				   GError **error)
{
	g_auto(GStrv) keys = NULL;
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_auto(GVariantBuilder) spec = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(TenderSpec) parsed = NULL;
	g_autoptr(GVariant) spec_value = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *argv[] = {"true", NULL};

	if (g_key_file_has_group(keyfile, "limits"))
		keys = g_key_file_get_keys(keyfile, "limits", NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autofree gchar *text = g_key_file_get_string(keyfile, "limits", keys[i], NULL);
		const TenderSpecKey *key = tender_spec_key_lookup(NULL, keys[i]);
		GVariant *value = NULL;

		/* the spec keys that are limits, written as tender_spec_key_parse_text() reads */
		if (key == NULL || (key->flags & TENDER_SPEC_KEY_FLAG_LIMIT) == 0)
			return tender_adapter_config_error(error,
							   path,
							   "limits",
							   keys[i],
							   "unknown key");
		if (text != NULL)
			value = tender_spec_key_parse_text(key, text, &error_local);
		if (value == NULL)
			return tender_adapter_config_error(error,
							   path,
							   "limits",
							   keys[i],
							   error_local != NULL
							       ? error_local->message
							       : "not a valid value");
		g_variant_builder_add(&builder, "{sv}", keys[i], value);
		g_variant_builder_add(&spec, "{sv}", keys[i], value);
	}
	/* the spec decides which values are in range, with its own messages */
	g_variant_builder_add(&spec, "{sv}", "argv", g_variant_new_strv(argv, -1));
	spec_value = g_variant_ref_sink(g_variant_builder_end(&spec));
	parsed = tender_spec_new_from_variant(spec_value, &error_local);
	if (parsed == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: [limits] %s",
			    path,
			    error_local->message);
		return FALSE;
	}
	config->limits = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

static gboolean
tender_adapter_config_parse_adapter(GKeyFile *keyfile,
				    const gchar *path,
				    TenderAdapterConfig *config,
				    GError **error)
{
	g_auto(GStrv) keys = NULL;
	const gchar *required[] = {"type", "primary_payload_key"};

	if (!g_key_file_has_group(keyfile, "adapter")) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: the group [adapter] is missing",
			    path);
		return FALSE;
	}
	keys = g_key_file_get_keys(keyfile, "adapter", NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autofree gchar *text = g_key_file_get_string(keyfile, "adapter", keys[i], NULL);

		if (text == NULL)
			return tender_adapter_config_error(error,
							   path,
							   "adapter",
							   keys[i],
							   "not a valid string");
		if (g_strcmp0(keys[i], "type") == 0) {
			if (!tender_adapter_check_type_name(text))
				return tender_adapter_config_error(error,
								   path,
								   "adapter",
								   keys[i],
								   "must be an adapter name, "
								   "[a-z0-9][a-z0-9_-]{0,31}");
			config->type = g_steal_pointer(&text);
		} else if (g_strcmp0(keys[i], "primary_payload_key") == 0) {
			if (text[0] == '\0' || strlen(text) > 128)
				return tender_adapter_config_error(error,
								   path,
								   "adapter",
								   keys[i],
								   "must be a key of 1 to 128 "
								   "characters");
			config->primary_payload_key = g_steal_pointer(&text);
		} else if (g_strcmp0(keys[i], "run_as_user") == 0) {
			if (text[0] == '\0' || strlen(text) > TENDER_SPEC_IDENTITY_NAME_MAX ||
			    strpbrk(text, " \t:/") != NULL)
				return tender_adapter_config_error(error,
								   path,
								   "adapter",
								   keys[i],
								   "must be a user name or id");
			config->run_as_user = g_steal_pointer(&text);
		} else if (g_strcmp0(keys[i], "root_api") == 0) {
			g_autoptr(GError) error_local = NULL;
			config->root_api =
			    g_key_file_get_boolean(keyfile, "adapter", keys[i], &error_local);
			if (error_local != NULL)
				return tender_adapter_config_error(error,
								   path,
								   "adapter",
								   keys[i],
								   "must be true or false");
		} else {
			return tender_adapter_config_error(error,
							   path,
							   "adapter",
							   keys[i],
							   "unknown key");
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		if (!g_key_file_has_key(keyfile, "adapter", required[i], NULL))
			return tender_adapter_config_error(error,
							   path,
							   "adapter",
							   required[i],
							   "is required");
	}
	return TRUE;
}

/**
 * tender_adapter_config_new_from_keyfile:
 * @keyfile: an instance file
 * @path: its path, for messages
 * @error: (nullable): a #GError
 *
 * Checks the [adapter] and [limits] groups of an instance file; the only other group allowed
 * is the one named after the adapter type, which the adapter class checks.
 *
 * Returns: (transfer full): the instance's settings, or %NULL
 */
TenderAdapterConfig *
tender_adapter_config_new_from_keyfile(GKeyFile *keyfile, const gchar *path, GError **error)
{
	g_autoptr(TenderAdapterConfig) config = g_new0(TenderAdapterConfig, 1);
	g_auto(GStrv) groups = NULL;

	if (!tender_adapter_config_parse_adapter(keyfile, path, config, error) ||
	    !tender_adapter_config_parse_limits(keyfile, path, config, error))
		return NULL;
	groups = g_key_file_get_groups(keyfile, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		if (g_strcmp0(groups[i], "adapter") == 0 || g_strcmp0(groups[i], "limits") == 0 ||
		    g_strcmp0(groups[i], config->type) == 0)
			continue;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: unknown group [%s]; an instance of type %s has [adapter], "
			    "[limits] and [%s]",
			    path,
			    groups[i],
			    config->type,
			    config->type);
		return NULL;
	}
	return g_steal_pointer(&config);
}

static const gchar *tender_adapter_reserved_keys[] = {
    "user",
    "group",
    "capabilities",
    "pre_start",
    "post_stop",
};

/**
 * tender_adapter_config_build_spec:
 * @config: the instance's settings
 * @name: the instance's name
 * @class_spec: the spec the adapter class gave
 * @pre_start: (nullable): its pre_start commands
 * @post_stop: (nullable): its post_stop commands
 * @error: (nullable): a #GError
 *
 * The spec of the instance's workload: the class' spec with the instance file's [limits],
 * run_as_user, the hooks, a description and the label tender.adapter=NAME; checked.
 *
 * Returns: (transfer full): the spec as an a{sv}, or %NULL
 */
GVariant *
tender_adapter_config_build_spec(TenderAdapterConfig *config,
				 const gchar *name,
				 GVariant *class_spec,
				 GVariant *pre_start,
				 GVariant *post_stop,
				 GError **error)
{
	g_autoptr(GVariantDict) dict = NULL;
	g_autoptr(GVariant) labels = NULL;
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(TenderSpec) parsed = NULL;
	gchar *description = NULL;
	GVariantBuilder builder;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	if (class_spec == NULL || !g_variant_is_of_type(class_spec, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Adapter %s gave no spec of type a{sv} for instance %s",
			    config->type,
			    name);
		return NULL;
	}
	for (guint i = 0; i < G_N_ELEMENTS(tender_adapter_reserved_keys); i++) {
		g_autoptr(GVariant) reserved =
		    g_variant_lookup_value(class_spec, tender_adapter_reserved_keys[i], NULL);
		if (reserved == NULL)
			continue;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Adapter %s may not set the spec key '%s' (instance %s)",
			    config->type,
			    tender_adapter_reserved_keys[i],
			    name);
		return NULL;
	}
	description = g_strdup_printf("adapter %s (%s)", name, config->type);
	dict = g_variant_dict_new(class_spec);
	g_variant_iter_init(&iter, config->limits);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_variant_dict_insert_value(dict, key, value);
		g_variant_unref(value);
	}
	if (config->run_as_user != NULL)
		g_variant_dict_insert(dict, "user", "s", config->run_as_user);
	if (pre_start != NULL)
		g_variant_dict_insert_value(dict, "pre_start", pre_start);
	if (post_stop != NULL)
		g_variant_dict_insert_value(dict, "post_stop", post_stop);
	if (!g_variant_dict_contains(dict, "description"))
		g_variant_dict_insert_value(dict,
					    "description",
					    g_variant_new_take_string(description));
	else
		g_free(description);
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	labels = g_variant_lookup_value(class_spec, "labels", G_VARIANT_TYPE("a{ss}"));
	if (labels != NULL) {
		const gchar *v;
		g_variant_iter_init(&iter, labels);
		while (g_variant_iter_next(&iter, "{&s&s}", &key, &v)) {
			if (g_strcmp0(key, "tender.adapter") != 0)
				g_variant_builder_add(&builder, "{ss}", key, v);
		}
	}
	g_variant_builder_add(&builder, "{ss}", "tender.adapter", name);
	g_variant_dict_insert_value(dict, "labels", g_variant_builder_end(&builder));
	spec = g_variant_ref_sink(g_variant_dict_end(dict));
	/* checked here, so that a bad spec fails the start before tender creates anything */
	parsed = tender_spec_new_from_variant(spec, error);
	if (parsed == NULL)
		return NULL;
	return g_steal_pointer(&spec);
}
