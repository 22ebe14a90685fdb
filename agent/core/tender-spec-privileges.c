/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <sys/capability.h>

#include "tender-error.h"
#include "tender-spec-private.h"

/* the keys user, group and capabilities of a spec */

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
gboolean
tender_spec_parse_identity(const gchar *key,
			   GVariant *value,
			   guint64 max,
			   gchar **out,
			   GError **error)
{
	const gchar *text = g_variant_get_string(value, NULL);

	if (text[0] == '\0' || strlen(text) > max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must be a name or a numeric id of 1 to "
			    "%" G_GUINT64_FORMAT " bytes",
			    key,
			    max);
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

/* the canonical names of the capabilities in @value, each once; or %NULL */
gchar **
tender_spec_parse_capabilities(const TenderSpecKey *key, GVariant *value, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	GVariantIter iter;
	const gchar *name;

	if (g_variant_n_children(value) > key->max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' has more than %" G_GUINT64_FORMAT " elements",
			    key->name,
			    key->max);
		return NULL;
	}
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "&s", &name)) {
		g_autofree gchar *canonical = tender_spec_capability_from_name(name, NULL);
		g_autofree gchar *shown = g_strescape(name, NULL);
		if (canonical == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' names an unknown capability '%.64s'",
				    key->name,
				    shown);
			return NULL;
		}
		if (!g_ptr_array_find_with_equal_func(names, canonical, g_str_equal, NULL))
			g_ptr_array_add(names, g_steal_pointer(&canonical));
	}
	g_ptr_array_add(names, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}
