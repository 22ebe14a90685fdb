/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-spec-private.h"

/*
 * The x-NAME keys of a spec: for the runtime NAME, an a{sv} that the spec keeps as it is
 * given (in normal form), within bounds, and hands to that runtime.
 */

/**
 * tender_spec_get_extension:
 * @self: a #TenderSpec
 * @name: an x-NAME key, e.g. "x-docker"
 *
 * Returns: (transfer none) (nullable): the a{sv} of that key as it was given, or %NULL
 */
GVariant *
tender_spec_get_extension(const TenderSpec *self, const gchar *name)
{
	g_return_val_if_fail(self != NULL && name != NULL, NULL);
	if (self->extensions == NULL)
		return NULL;
	return g_hash_table_lookup(self->extensions, name);
}

static gint
tender_spec_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * tender_spec_get_extension_names:
 * @self: a #TenderSpec
 *
 * Returns: (transfer full): the x-NAME keys of the spec, sorted, %NULL-terminated
 */
gchar **
tender_spec_get_extension_names(const TenderSpec *self)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();

	g_return_val_if_fail(self != NULL, NULL);
	if (self->extensions != NULL) {
		GHashTableIter iter;
		gpointer name;
		g_hash_table_iter_init(&iter, self->extensions);
		while (g_hash_table_iter_next(&iter, &name, NULL))
			g_ptr_array_add(names, g_strdup(name));
		g_ptr_array_sort(names, tender_spec_compare_names);
	}
	g_ptr_array_add(names, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

/* whether @value has at most @depth containers in a row */
static gboolean
tender_spec_variant_depth_ok(GVariant *value, guint depth)
{
	const GVariantType *type = g_variant_get_type(value);
	gsize n;

	if (!g_variant_is_container(value))
		return TRUE;
	if (depth == 0)
		return FALSE;
	/* an array of numbers or strings is one level, however long */
	if (g_variant_type_is_array(type) && g_variant_type_is_basic(g_variant_type_element(type)))
		return TRUE;
	n = g_variant_n_children(value);
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(value, i);
		if (!tender_spec_variant_depth_ok(child, depth - 1))
			return FALSE;
	}
	return TRUE;
}

/* an x-NAME key: kept as it is given, within bounds, and only if its GVariant text (the form
 * of tender-spec-json.c) reads back to the very same value */
gboolean
tender_spec_parse_extension(TenderSpec *self,
			    const TenderSpecKey *key,
			    const gchar *name,
			    GVariant *value,
			    GError **error)
{
	g_autofree gchar *text = NULL;
	g_autoptr(GVariant) back = NULL;
	g_autoptr(GVariant) normal = NULL;

	if (self->extensions != NULL &&
	    g_hash_table_size(self->extensions) >= TENDER_SPEC_EXTENSIONS_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is one x- key too many: at most %d are allowed",
			    name,
			    TENDER_SPEC_EXTENSIONS_MAX);
		return FALSE;
	}
	if (g_variant_get_size(value) > key->max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' has %" G_GSIZE_FORMAT
			    " bytes; at most %" G_GUINT64_FORMAT " are allowed",
			    name,
			    g_variant_get_size(value),
			    key->max);
		return FALSE;
	}
	if (!tender_spec_variant_depth_ok(value, TENDER_SPEC_EXTENSION_DEPTH_MAX)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is nested more than %d containers deep",
			    name,
			    TENDER_SPEC_EXTENSION_DEPTH_MAX);
		return FALSE;
	}
	/* kept in normal form: a value from D-Bus may come in another, equal to it */
	normal = g_variant_get_normal_form(value);
	text = g_variant_print(normal, TRUE);
	if (strlen(text) > TENDER_SPEC_EXTENSION_TEXT_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is longer than %d bytes as GVariant text",
			    name,
			    TENDER_SPEC_EXTENSION_TEXT_MAX);
		return FALSE;
	}
	/* a safety net: GVariant text keeps every value (NaN, infinities and handles too) */
	back = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
	if (back == NULL || !g_variant_equal(back, normal)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' holds a value whose GVariant text does not read back",
			    name);
		return FALSE;
	}
	if (self->extensions == NULL)
		self->extensions = g_hash_table_new_full(g_str_hash,
							 g_str_equal,
							 g_free,
							 (GDestroyNotify)g_variant_unref);
	g_hash_table_insert(self->extensions, g_strdup(name), g_steal_pointer(&normal));
	return TRUE;
}
