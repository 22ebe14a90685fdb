/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the flags of the isolation keys whose values are lists: --volume SRC:DST[:ro],
 * --publish HOST:CONTAINER[/udp] and --rlimit NAME=N, as the a{sv} values tenderd takes */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tenderctl-spec.h"

static gboolean
tender_ctl_spec_bad(GError **error, const gchar *what, const gchar *text, const gchar *expected)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid %s '%s': expected %s",
		    what,
		    text,
		    expected);
	return FALSE;
}

/* SRC:DST[:ro|rw]; a relative SRC is taken from the current directory */
GVariant *
tender_ctl_spec_parse_volumes(const gchar *what, gchar **values, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a(ssb)"));

	for (guint i = 0; values[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(values[i], ":", -1);
		guint n = g_strv_length(parts);
		g_autofree gchar *source = NULL;
		gboolean read_only = FALSE;

		if (!g_utf8_validate(values[i], -1, NULL) || n < 2 || n > 3 ||
		    parts[0][0] == '\0' || parts[1][0] == '\0' ||
		    (n == 3 && g_strcmp0(parts[2], "ro") != 0 && g_strcmp0(parts[2], "rw") != 0)) {
			tender_ctl_spec_bad(error, what, values[i], "SRC:DST[:ro|rw]");
			return NULL;
		}
		read_only = n == 3 && g_strcmp0(parts[2], "ro") == 0;
		source = g_path_is_absolute(parts[0]) ? g_strdup(parts[0])
						      : g_canonicalize_filename(parts[0], NULL);
		g_variant_builder_add(&builder, "(ssb)", source, parts[1], read_only);
	}
	return g_variant_builder_end(&builder);
}

/* a port, 1 to 65535 */
static gboolean
tender_ctl_spec_port(const gchar *text, guint16 *port)
{
	guint64 value = 0;

	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT16, &value, NULL))
		return FALSE;
	*port = (guint16)value;
	return TRUE;
}

/* HOST:CONTAINER[/tcp|/udp] */
GVariant *
tender_ctl_spec_parse_ports(const gchar *what, gchar **values, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a(qqs)"));

	for (guint i = 0; values[i] != NULL; i++) {
		g_auto(GStrv) proto = g_strsplit(values[i], "/", 2);
		g_auto(GStrv) ports = g_strsplit(proto[0], ":", -1);
		const gchar *protocol = proto[1] != NULL ? proto[1] : "tcp";
		guint16 host = 0;
		guint16 container = 0;

		if (g_strv_length(ports) != 2 || !tender_ctl_spec_port(ports[0], &host) ||
		    !tender_ctl_spec_port(ports[1], &container) ||
		    (g_strcmp0(protocol, "tcp") != 0 && g_strcmp0(protocol, "udp") != 0)) {
			tender_ctl_spec_bad(error,
					    what,
					    values[i],
					    "HOST:CONTAINER or HOST:CONTAINER/udp, ports 1 to "
					    "65535");
			return NULL;
		}
		g_variant_builder_add(&builder, "(qqs)", host, container, protocol);
	}
	return g_variant_builder_end(&builder);
}

/* NAME=N, N a number or "unlimited" */
GVariant *
tender_ctl_spec_parse_rlimits(const gchar *what, gchar **values, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{st}"));
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; values[i] != NULL; i++) {
		const gchar *eq = strchr(values[i], '=');
		g_autofree gchar *name = NULL;
		guint64 value = 0;

		if (eq == NULL || eq == values[i] ||
		    (g_strcmp0(eq + 1, "unlimited") != 0 &&
		     !g_ascii_string_to_unsigned(eq + 1, 10, 0, G_MAXUINT64, &value, NULL))) {
			tender_ctl_spec_bad(error, what, values[i], "NAME=N or NAME=unlimited");
			return NULL;
		}
		if (g_strcmp0(eq + 1, "unlimited") == 0)
			value = G_MAXUINT64;
		name = g_strndup(values[i], (gsize)(eq - values[i]));
		if (!g_hash_table_add(seen, g_strdup(name))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The %s '%s' is given twice",
				    what,
				    name);
			return NULL;
		}
		g_variant_builder_add(&builder, "{st}", name, value);
	}
	return g_variant_builder_end(&builder);
}
