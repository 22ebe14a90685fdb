/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include "tender-error.h"
#include "tender-spec-private.h"

/*
 * The isolation keys of a spec: volumes, ports and rlimits (their own kinds of key), the
 * checks between the keys (what each isolation level allows), and the values a key that is
 * not given stands for.
 */

/* the rlimits a spec may set, by seed 001's and ulimit's names */
static const struct {
	const gchar *name;
	gint resource;
} tender_spec_rlimit_names[] = {
    {"nofile", RLIMIT_NOFILE},
    {"nproc", RLIMIT_NPROC},
    {"as", RLIMIT_AS},
    {"core", RLIMIT_CORE},
    {"fsize", RLIMIT_FSIZE},
    {"stack", RLIMIT_STACK},
    {"memlock", RLIMIT_MEMLOCK},
    {"cpu", RLIMIT_CPU},
};

/**
 * tender_spec_rlimit_from_name:
 * @name: nofile, nproc, as, core, fsize, stack, memlock or cpu
 *
 * Returns: its RLIMIT_*, or -1
 */
gint
tender_spec_rlimit_from_name(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_spec_rlimit_names); i++) {
		if (g_strcmp0(tender_spec_rlimit_names[i].name, name) == 0)
			return tender_spec_rlimit_names[i].resource;
	}
	return -1;
}

/**
 * tender_spec_rlimit_to_name:
 * @resource: an RLIMIT_* a spec may set
 *
 * Returns: its name
 */
const gchar *
tender_spec_rlimit_to_name(gint resource)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_spec_rlimit_names); i++) {
		if (tender_spec_rlimit_names[i].resource == resource)
			return tender_spec_rlimit_names[i].name;
	}
	g_assert_not_reached();
}

/* at most key->max elements of @what */
static gboolean
tender_spec_check_list_size(const TenderSpecKey *key,
			    GVariant *value,
			    const gchar *what,
			    GError **error)
{
	if (g_variant_n_children(value) <= key->max)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' has %" G_GSIZE_FORMAT " %s; at most %u are allowed",
		    key->name,
		    g_variant_n_children(value),
		    what,
		    (guint)key->max);
	return FALSE;
}

static void
tender_spec_volume_free(TenderSpecVolume *volume)
{
	g_free(volume->source);
	g_free(volume->destination);
	g_free(volume);
}

/* an absolute path without "..", "." or empty components, "/" only if @root */
static gboolean
tender_spec_check_clean_path(const gchar *key, const gchar *what, const gchar *path, GError **error)
{
	g_auto(GStrv) parts = NULL;

	if (!g_path_is_absolute(path) || strlen(path) > TENDER_SPEC_PATH_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' has the %s '%s': it must be an absolute path",
			    key,
			    what,
			    path);
		return FALSE;
	}
	parts = g_strsplit(path + 1, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (g_strcmp0(parts[i], "..") == 0 || g_strcmp0(parts[i], ".") == 0 ||
		    (parts[i][0] == '\0' && parts[i + 1] != NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has the %s '%s': it must not have '..', '.' or "
				    "empty components",
				    key,
				    what,
				    path);
			return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_spec_parse_volumes:
 * @key: the key
 * @value: an a(ssb)
 * @out: (out): a #GPtrArray of #TenderSpecVolume, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if every volume has absolute clean paths, a destination other than /, and
 *   no destination is given twice
 */
gboolean
tender_spec_parse_volumes(const TenderSpecKey *key,
			  GVariant *value,
			  GPtrArray **out,
			  GError **error)
{
	g_autoptr(GPtrArray) volumes =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_spec_volume_free);
	GVariantIter iter;
	const gchar *source;
	const gchar *destination;
	gboolean read_only;

	if (!tender_spec_check_list_size(key, value, "volumes", error))
		return FALSE;
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "(&s&sb)", &source, &destination, &read_only)) {
		TenderSpecVolume *volume;
		if (!tender_spec_check_clean_path(key->name, "source", source, error) ||
		    !tender_spec_check_clean_path(key->name, "destination", destination, error))
			return FALSE;
		if (g_strcmp0(destination, "/") == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' mounts '%s' on /: use 'rootfs' for a root of "
				    "its own",
				    key->name,
				    source);
			return FALSE;
		}
		for (guint i = 0; i < volumes->len; i++) {
			TenderSpecVolume *other = g_ptr_array_index(volumes, i);
			if (g_strcmp0(other->destination, destination) == 0) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' mounts two volumes on '%s'",
					    key->name,
					    destination);
				return FALSE;
			}
		}
		volume = g_new0(TenderSpecVolume, 1);
		volume->source = g_strdup(source);
		volume->destination = g_strdup(destination);
		volume->read_only = read_only;
		g_ptr_array_add(volumes, volume);
	}
	*out = volumes->len > 0 ? g_steal_pointer(&volumes) : NULL;
	return TRUE;
}

/**
 * tender_spec_parse_ports:
 * @key: the key
 * @value: an a(qqs)
 * @out: (out): a #GArray of #TenderSpecPort, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if every port is 1 to 65535, the protocol tcp or udp, and no host port is
 *   published twice for one protocol
 */
gboolean
tender_spec_parse_ports(const TenderSpecKey *key, GVariant *value, GArray **out, GError **error)
{
	g_autoptr(GArray) ports = g_array_new(FALSE, TRUE, sizeof(TenderSpecPort));
	GVariantIter iter;
	guint16 host_port;
	guint16 container_port;
	const gchar *protocol;

	if (!tender_spec_check_list_size(key, value, "ports", error))
		return FALSE;
	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "(qq&s)", &host_port, &container_port, &protocol)) {
		TenderSpecPort port = {host_port, container_port, g_strcmp0(protocol, "udp") == 0};
		if (host_port == 0 || container_port == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has the port 0; ports are 1 to 65535",
				    key->name);
			return FALSE;
		}
		if (g_strcmp0(protocol, "tcp") != 0 && g_strcmp0(protocol, "udp") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has the protocol '%s'; it must be tcp or udp",
				    key->name,
				    protocol);
			return FALSE;
		}
		for (guint i = 0; i < ports->len; i++) {
			TenderSpecPort *other = &g_array_index(ports, TenderSpecPort, i);
			if (other->host_port == host_port && other->udp == port.udp) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' publishes the host port %u/%s twice",
					    key->name,
					    host_port,
					    protocol);
				return FALSE;
			}
		}
		g_array_append_val(ports, port);
	}
	*out = ports->len > 0 ? g_steal_pointer(&ports) : NULL;
	return TRUE;
}

/**
 * tender_spec_parse_rlimits:
 * @key: the key
 * @value: an a{st}
 * @out: (out): a #GArray of #TenderSpecRlimit, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if every name is one tender_spec_rlimit_from_name() knows; a value of
 *   2^63 - 1 or more is kept as G_MAXUINT64, unlimited
 */
gboolean
tender_spec_parse_rlimits(const TenderSpecKey *key, GVariant *value, GArray **out, GError **error)
{
	g_autoptr(GArray) rlimits = g_array_new(FALSE, TRUE, sizeof(TenderSpecRlimit));
	GVariantIter iter;
	const gchar *name;
	guint64 number;

	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&st}", &name, &number)) {
		/* 2^63 - 1 and above (JSON's largest number) is unlimited */
		TenderSpecRlimit rlimit = {tender_spec_rlimit_from_name(name),
					   number >= (guint64)G_MAXINT64 ? G_MAXUINT64 : number};
		if (rlimit.resource < 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' has the unknown rlimit '%s'; known are nofile, "
				    "nproc, as, core, fsize, stack, memlock and cpu",
				    key->name,
				    name);
			return FALSE;
		}
		for (guint i = 0; i < rlimits->len; i++) {
			if (g_array_index(rlimits, TenderSpecRlimit, i).resource ==
			    rlimit.resource) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' sets '%s' twice",
					    key->name,
					    name);
				return FALSE;
			}
		}
		g_array_append_val(rlimits, rlimit);
	}
	*out = rlimits->len > 0 ? g_steal_pointer(&rlimits) : NULL;
	return TRUE;
}

/**
 * tender_spec_isolation_to_variant:
 * @key: a key of kind volumes, ports or rlimits
 * @field: where the key is kept
 *
 * Returns: (transfer floating) (nullable): its a{sv} value, or %NULL when there is none
 */
GVariant *
tender_spec_isolation_to_variant(const TenderSpecKey *key, gconstpointer field)
{
	GVariantBuilder builder;

	if (*(const gpointer *)field == NULL)
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE(key->type));
	if (key->kind == TENDER_SPEC_KEY_KIND_VOLUMES) {
		GPtrArray *volumes = *(GPtrArray *const *)field;
		for (guint i = 0; i < volumes->len; i++) {
			TenderSpecVolume *volume = g_ptr_array_index(volumes, i);
			g_variant_builder_add(&builder,
					      "(ssb)",
					      volume->source,
					      volume->destination,
					      volume->read_only);
		}
	} else if (key->kind == TENDER_SPEC_KEY_KIND_PORTS) {
		GArray *ports = *(GArray *const *)field;
		for (guint i = 0; i < ports->len; i++) {
			TenderSpecPort *port = &g_array_index(ports, TenderSpecPort, i);
			g_variant_builder_add(&builder,
					      "(qqs)",
					      port->host_port,
					      port->container_port,
					      port->udp ? "udp" : "tcp");
		}
	} else {
		/* in the order of the table, whatever the order given (JSON objects have none) */
		GArray *rlimits = *(GArray *const *)field;
		for (guint n = 0; n < G_N_ELEMENTS(tender_spec_rlimit_names); n++) {
			for (guint i = 0; i < rlimits->len; i++) {
				TenderSpecRlimit *rlimit =
				    &g_array_index(rlimits, TenderSpecRlimit, i);
				if (rlimit->resource != tender_spec_rlimit_names[n].resource)
					continue;
				g_variant_builder_add(&builder,
						      "{st}",
						      tender_spec_rlimit_names[n].name,
						      rlimit->value);
			}
		}
	}
	return g_variant_builder_end(&builder);
}

/* a key that needs a level with namespaces, given at minimal */
static gboolean
tender_spec_needs_namespaces(const gchar *key, GError **error)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' needs isolation 'standard' or 'strict'",
		    key);
	return FALSE;
}

static gboolean
tender_spec_get_runtime_is_scope(const TenderSpec *self)
{
	return self->runtime == NULL || g_strcmp0(self->runtime, TENDER_SPEC_RUNTIME_DEFAULT) == 0;
}

/**
 * tender_spec_check_isolation:
 * @self: a parsed #TenderSpec
 * @error: (nullable): a #GError
 *
 * The checks between the isolation keys: what needs namespaces is refused at minimal, and
 * keys that contradict each other are refused (image and rootfs; ports without the private
 * network).
 *
 * Returns: %TRUE if they agree
 */
gboolean
tender_spec_check_isolation(const TenderSpec *self, GError **error)
{
	if (self->image != NULL && self->rootfs != NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec keys 'image' and 'rootfs' cannot both be given");
		return FALSE;
	}
	if (self->ports != NULL && self->network != TENDER_NETWORK_PRIVATE) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'ports' needs network 'private'");
		return FALSE;
	}
	if (self->isolation != TENDER_ISOLATION_MINIMAL)
		return TRUE;
	if (self->image != NULL)
		return tender_spec_needs_namespaces("image", error);
	if (self->rootfs != NULL)
		return tender_spec_needs_namespaces("rootfs", error);
	/* a plugin's runtime binds volumes its own way (its check_spec says whether it does) */
	if (self->volumes != NULL && tender_spec_get_runtime_is_scope(self))
		return tender_spec_needs_namespaces("volumes", error);
	if (self->network == TENDER_NETWORK_NONE || self->network == TENDER_NETWORK_PRIVATE)
		return tender_spec_needs_namespaces("network", error);
	if (self->hostname != NULL)
		return tender_spec_needs_namespaces("hostname", error);
	if (self->read_only_rootfs == TRUE)
		return tender_spec_needs_namespaces("read_only_rootfs", error);
	if (self->init == TRUE)
		return tender_spec_needs_namespaces("init", error);
	return TRUE;
}

/**
 * tender_spec_get_network:
 * @self: a #TenderSpec
 *
 * Returns: its network: as given, else none for strict and host otherwise
 */
TenderNetwork
tender_spec_get_network(const TenderSpec *self)
{
	if (self->network != TENDER_NETWORK_DEFAULT)
		return (TenderNetwork)self->network;
	return self->isolation == TENDER_ISOLATION_STRICT ? TENDER_NETWORK_NONE
							  : TENDER_NETWORK_HOST;
}

/**
 * tender_spec_get_read_only_rootfs:
 * @self: a #TenderSpec
 *
 * Returns: whether its root is read-only: as given, else only for strict
 */
gboolean
tender_spec_get_read_only_rootfs(const TenderSpec *self)
{
	if (self->read_only_rootfs >= 0)
		return self->read_only_rootfs != 0;
	return self->isolation == TENDER_ISOLATION_STRICT;
}

/**
 * tender_spec_get_init:
 * @self: a #TenderSpec
 *
 * Returns: whether a minimal init is its PID 1: as given, else when it has a PID namespace
 */
gboolean
tender_spec_get_init(const TenderSpec *self)
{
	if (self->init >= 0)
		return self->init != 0;
	return self->isolation != TENDER_ISOLATION_MINIMAL;
}

/**
 * tender_spec_get_hostname:
 * @self: a #TenderSpec
 * @workload: the workload's name
 *
 * Returns: its host name: as given, else @workload
 */
const gchar *
tender_spec_get_hostname(const TenderSpec *self, const gchar *workload)
{
	return self->hostname != NULL ? self->hostname : workload;
}
