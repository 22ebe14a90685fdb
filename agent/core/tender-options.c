/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-options.h"

/*
 * The options of the Manager's methods, the one schema: the engine checks options against
 * it, whatever transport they came in on, and the HTTP mirror types query parameters by it.
 */
static const struct {
	const gchar *method;
	TenderOptionInfo option;
} tender_options[] = {
    {"StopWorkload", {"timeout_sec", "u"}},
    {"RemoveWorkload", {"force", "b"}},
    {"RemoveWorkload", {"timeout_sec", "u"}},
    {"GetLogs", {"lines", "u"}},
    {"GetLogs", {"since", "s"}},
    {"GetLogs", {"stream", "s"}},
    {"FollowLogs", {"lines", "u"}},
    {"FollowLogs", {"since", "s"}},
    {"FollowLogs", {"stream", "s"}},
    {"ImportWorkload", {"name", "s"}},
    {"ImportImage", {"replace", "b"}},
    {"ImportImage", {"directory", "b"}},
    {"ImportImage", {"devices", "b"}},
    {"RemoveImage", {"force", "b"}},
};

/**
 * tender_options_get_type:
 * @method: a Manager method, e.g. "StopWorkload"
 * @key: an option
 *
 * Returns: (nullable): the GVariant type of the option, or %NULL if @method takes no such one
 */
const gchar *
tender_options_get_type(const gchar *method, const gchar *key)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_options); i++) {
		if (g_strcmp0(tender_options[i].method, method) == 0 &&
		    g_strcmp0(tender_options[i].option.key, key) == 0)
			return tender_options[i].option.type;
	}
	return NULL;
}

/* @text as an option of @type, or NULL */
static GVariant *
tender_options_parse_text(const gchar *type, const gchar *text)
{
	guint64 n = 0;

	if (g_strcmp0(type, "s") == 0)
		return g_variant_new_string(text);
	if (g_strcmp0(type, "u") == 0 &&
	    g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32, &n, NULL))
		return g_variant_new_uint32((guint32)n);
	if (g_strcmp0(type, "b") == 0 &&
	    (g_strcmp0(text, "1") == 0 || g_strcmp0(text, "true") == 0 ||
	     g_strcmp0(text, "0") == 0 || g_strcmp0(text, "false") == 0))
		return g_variant_new_boolean(text[0] == '1' || text[0] == 't');
	return NULL;
}

/**
 * tender_options_from_text:
 * @method: a Manager method
 * @values: (nullable): option → text, e.g. an HTTP request's query
 * @ignored: (nullable): keys of @values that are not options
 * @error: (nullable): a #GError
 *
 * The options of @method given as text, typed by the schema.
 *
 * Returns: (transfer full): an a{sv}, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT for an
 *   unknown key or a value that is not of its type
 */
GVariant *
tender_options_from_text(const gchar *method,
			 GHashTable *values,
			 const gchar *const *ignored,
			 GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	GHashTableIter iter;
	gpointer k;
	gpointer v;

	if (values != NULL)
		g_hash_table_iter_init(&iter, values);
	while (values != NULL && g_hash_table_iter_next(&iter, &k, &v)) {
		const gchar *key = k;
		const gchar *type;
		GVariant *value;

		if (ignored != NULL && g_strv_contains(ignored, key))
			continue;
		type = tender_options_get_type(method, key);
		if (type == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown query parameter '%s'",
				    key);
			return NULL;
		}
		value = tender_options_parse_text(type, v);
		if (value == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Query parameter '%s' must be %s, not '%s'",
				    key,
				    g_strcmp0(type, "u") == 0 ? "a number" : "1, 0, true or false",
				    (const gchar *)v);
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", key, value);
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}
