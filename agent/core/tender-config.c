/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "tender-config.h"
#include "tender-error.h"
#include "tender-units.h"

#define TENDER_CONFIG_STOP_TIMEOUT_MAX 3600
#define TENDER_CONFIG_WORKLOADS_MAX    100000

/**
 * tender_config_new:
 *
 * Returns: (transfer full): the built-in defaults
 */
TenderConfig *
tender_config_new(void)
{
	TenderConfig *self = g_new0(TenderConfig, 1);
	self->state_dir = g_strdup(TENDER_CONFIG_DEFAULT_STATE_DIR);
	self->shim = g_strdup(TENDER_CONFIG_DEFAULT_SHIM);
	self->stop_timeout_sec = 10;
	self->max_workloads = 1024;
	self->http_listen = g_strdup(TENDER_CONFIG_DEFAULT_HTTP_LISTEN);
	self->http_socket = g_strdup(TENDER_CONFIG_DEFAULT_HTTP_SOCKET);
	self->http_tokens = g_strdup(TENDER_CONFIG_DEFAULT_HTTP_TOKENS);
	self->http_body_max = 1024 * 1024;
	self->http_header_timeout_sec = 10;
	self->http_idle_timeout_sec = 60;
	self->http_max_connections = 64;
	self->adapters_dir = g_strdup(TENDER_CONFIG_DEFAULT_ADAPTERS_DIR);
	self->plugin_path = g_new0(gchar *, 2);
	self->plugin_path[0] = g_strdup(TENDER_CONFIG_DEFAULT_PLUGIN_DIR);
	self->plugins_disabled = g_new0(gchar *, 1);
	self->network_bridge = g_strdup(TENDER_CONFIG_DEFAULT_NETWORK_BRIDGE);
	self->network_subnet = g_strdup(TENDER_CONFIG_DEFAULT_NETWORK_SUBNET);
	self->network_publish_address = g_strdup(TENDER_CONFIG_DEFAULT_NETWORK_PUBLISH_ADDRESS);
	self->images_max_size = TENDER_CONFIG_DEFAULT_IMAGES_MAX;
	self->keyfile = g_key_file_new();
	return self;
}

/**
 * tender_config_free:
 * @self: (nullable): a #TenderConfig
 */
void
tender_config_free(TenderConfig *self)
{
	if (self == NULL)
		return;
	g_free(self->state_dir);
	g_free(self->shim);
	g_free(self->http_listen);
	g_free(self->http_socket);
	g_free(self->http_tokens);
	g_free(self->adapters_dir);
	g_strfreev(self->plugin_path);
	g_strfreev(self->plugins_disabled);
	g_free(self->network_bridge);
	g_free(self->network_subnet);
	g_free(self->network_publish_address);
	g_free(self->images_dir);
	g_key_file_unref(self->keyfile);
	g_free(self);
}

static gboolean
tender_config_get_uint(GKeyFile *kf,
		       const gchar *path,
		       const gchar *group,
		       const gchar *key,
		       guint min,
		       guint max,
		       guint *out,
		       GError **error)
{
	g_autofree gchar *text = g_key_file_get_value(kf, group, key, NULL);
	guint64 value = 0;

	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(g_strstrip(text), 10, min, max, &value, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: [%s] %s=%s is not a number from %u to %u",
			    path,
			    group,
			    key,
			    text,
			    min,
			    max);
		return FALSE;
	}
	*out = (guint)value;
	return TRUE;
}

/* --- the [http] group --- */

static gboolean
tender_config_get_string(GKeyFile *kf,
			 const gchar *path,
			 const gchar *group,
			 const gchar *key,
			 gboolean absolute,
			 gchar **out,
			 GError **error)
{
	g_autofree gchar *text = g_key_file_get_string(kf, group, key, NULL);

	if (text == NULL)
		return TRUE;
	g_strstrip(text);
	if (absolute && !g_path_is_absolute(text)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: [%s] %s=%s is not an absolute path",
			    path,
			    group,
			    key,
			    text);
		return FALSE;
	}
	g_free(*out);
	*out = g_steal_pointer(&text);
	return TRUE;
}

static gboolean
tender_config_load_http(TenderConfig *self, GKeyFile *kf, const gchar *path, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "http", NULL, NULL);
	const gchar *known[] = {"listen",
				"socket",
				"tokens",
				"body-max",
				"header-timeout-sec",
				"idle-timeout-sec",
				"max-connections",
				NULL};

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i]))
			g_warning("%s: unknown key [http] %s ignored", path, keys[i]);
	}
	if (!tender_config_get_string(kf, path, "http", "listen", FALSE, &self->http_listen, error))
		return FALSE;
	if (!tender_config_get_string(kf, path, "http", "socket", TRUE, &self->http_socket, error))
		return FALSE;
	if (!tender_config_get_string(kf, path, "http", "tokens", TRUE, &self->http_tokens, error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "http",
				    "body-max",
				    1024,
				    64 * 1024 * 1024,
				    &self->http_body_max,
				    error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "http",
				    "header-timeout-sec",
				    1,
				    3600,
				    &self->http_header_timeout_sec,
				    error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "http",
				    "idle-timeout-sec",
				    1,
				    86400,
				    &self->http_idle_timeout_sec,
				    error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "http",
				    "max-connections",
				    1,
				    10000,
				    &self->http_max_connections,
				    error))
		return FALSE;
	return TRUE;
}

/* [plugins] path= comes before the built-in directory, so a plugin there wins */
static gboolean
tender_config_load_plugins(TenderConfig *self, GKeyFile *kf, const gchar *path, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "plugins", NULL, NULL);
	g_auto(GStrv) dirs = NULL;
	g_auto(GStrv) disabled = NULL;
	const gchar *known[] = {"path", "disabled", NULL};

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i]))
			g_warning("%s: unknown key [plugins] %s ignored", path, keys[i]);
	}
	dirs = g_key_file_get_string_list(kf, "plugins", "path", NULL, NULL);
	if (dirs != NULL) {
		g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
		for (guint i = 0; dirs[i] != NULL; i++) {
			g_strstrip(dirs[i]);
			if (dirs[i][0] == '\0')
				continue;
			if (!g_path_is_absolute(dirs[i])) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "%s: [plugins] path: %s is not an absolute path",
					    path,
					    dirs[i]);
				return FALSE;
			}
			g_strv_builder_add(builder, dirs[i]);
		}
		g_strv_builder_addv(builder, (const gchar **)self->plugin_path);
		g_strfreev(self->plugin_path);
		self->plugin_path = g_strv_builder_end(builder);
	}
	disabled = g_key_file_get_string_list(kf, "plugins", "disabled", NULL, NULL);
	if (disabled != NULL) {
		for (guint i = 0; disabled[i] != NULL; i++)
			g_strstrip(disabled[i]);
		g_strfreev(self->plugins_disabled);
		self->plugins_disabled = g_steal_pointer(&disabled);
	}
	return TRUE;
}

/* --- the [network] group: the private network of the native container engine --- */

static gboolean
tender_config_invalid(GError **error,
		      const gchar *path,
		      const gchar *key,
		      const gchar *value,
		      const gchar *why)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "%s: [network] %s=%s is not %s",
		    path,
		    key,
		    value,
		    why);
	return FALSE;
}

/* a network interface name: 1 to 15 characters of A-Z a-z 0-9 _ . - */
static gboolean
tender_config_check_ifname(const gchar *name)
{
	gsize len = strlen(name);

	if (len == 0 || len > 15 || g_strcmp0(name, ".") == 0 || g_strcmp0(name, "..") == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
			return FALSE;
	}
	return TRUE;
}

/* an IPv4 subnet A.B.C.D/N, N from 8 to 30, without host bits (the network module checks
 * the ranges a bridge cannot use) */
static gboolean
tender_config_check_subnet(const gchar *text)
{
	g_autoptr(GInetAddressMask) mask = NULL;

	if (strchr(text, '/') == NULL)
		return FALSE;
	mask = g_inet_address_mask_new_from_string(text, NULL);
	return mask != NULL && g_inet_address_mask_get_family(mask) == G_SOCKET_FAMILY_IPV4 &&
	       g_inet_address_mask_get_length(mask) >= 8 &&
	       g_inet_address_mask_get_length(mask) <= 30;
}

static gboolean
tender_config_load_network(TenderConfig *self, GKeyFile *kf, const gchar *path, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "network", NULL, NULL);
	g_autoptr(GInetAddress) address = NULL;
	const gchar *known[] = {"bridge", "subnet", "publish-address", NULL};

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i]))
			g_warning("%s: unknown key [network] %s ignored", path, keys[i]);
	}
	if (!tender_config_get_string(kf,
				      path,
				      "network",
				      "bridge",
				      FALSE,
				      &self->network_bridge,
				      error))
		return FALSE;
	if (!tender_config_check_ifname(self->network_bridge))
		return tender_config_invalid(error,
					     path,
					     "bridge",
					     self->network_bridge,
					     "an interface name (1 to 15 of A-Z a-z 0-9 _ . -)");
	if (!tender_config_get_string(kf,
				      path,
				      "network",
				      "subnet",
				      FALSE,
				      &self->network_subnet,
				      error))
		return FALSE;
	if (!tender_config_check_subnet(self->network_subnet))
		return tender_config_invalid(error,
					     path,
					     "subnet",
					     self->network_subnet,
					     "an IPv4 subnet A.B.C.D/N with N from 8 to 30 and no "
					     "host "
					     "bits set");
	if (!tender_config_get_string(kf,
				      path,
				      "network",
				      "publish-address",
				      FALSE,
				      &self->network_publish_address,
				      error))
		return FALSE;
	address = g_inet_address_new_from_string(self->network_publish_address);
	if (address == NULL)
		return tender_config_invalid(error,
					     path,
					     "publish-address",
					     self->network_publish_address,
					     "an IP address");
	return TRUE;
}

/* [images] dir= (absolute) and max-size= (a size, as MemoryMax= takes it) */
static gboolean
tender_config_load_images(TenderConfig *self, GKeyFile *kf, const gchar *path, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, "images", NULL, NULL);
	g_autofree gchar *max = g_key_file_get_string(kf, "images", "max-size", NULL);
	g_autoptr(GError) error_local = NULL;
	const gchar *known[] = {"dir", "max-size", NULL};

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i]))
			g_warning("%s: unknown key [images] %s ignored", path, keys[i]);
	}
	if (!tender_config_get_string(kf, path, "images", "dir", TRUE, &self->images_dir, error))
		return FALSE;
	if (max != NULL &&
	    !tender_units_parse_size(g_strstrip(max), &self->images_max_size, &error_local)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: [images] max-size: %s",
			    path,
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_config_load:
 * @self: a #TenderConfig
 * @path: a GKeyFile
 * @required: whether a missing file is an error
 * @error: (nullable): a #GError
 *
 * Reads the [daemon], [http], [plugins], [network] and [images] groups of @path over the
 * defaults.  Unknown groups and keys are ignored with a warning, so a newer file still starts
 * an older tenderd.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_config_load(TenderConfig *self, const gchar *path, gboolean required, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) error_local = NULL;
	g_auto(GStrv) keys = NULL;
	const gchar *known[] =
	    {"state-dir", "shim", "stop-timeout-sec", "max-workloads", "adapters-dir", NULL};

	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &error_local)) {
		if (!required && g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Cannot read %s: %s",
			    path,
			    error_local->message);
		return FALSE;
	}
	keys = g_key_file_get_keys(kf, "daemon", NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i]))
			g_warning("%s: unknown key [daemon] %s ignored", path, keys[i]);
	}
	if (!tender_config_get_string(kf,
				      path,
				      "daemon",
				      "state-dir",
				      TRUE,
				      &self->state_dir,
				      error))
		return FALSE;
	if (!tender_config_get_string(kf, path, "daemon", "shim", TRUE, &self->shim, error))
		return FALSE;
	if (!tender_config_get_string(kf,
				      path,
				      "daemon",
				      "adapters-dir",
				      TRUE,
				      &self->adapters_dir,
				      error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "daemon",
				    "stop-timeout-sec",
				    1,
				    TENDER_CONFIG_STOP_TIMEOUT_MAX,
				    &self->stop_timeout_sec,
				    error))
		return FALSE;
	if (!tender_config_get_uint(kf,
				    path,
				    "daemon",
				    "max-workloads",
				    1,
				    TENDER_CONFIG_WORKLOADS_MAX,
				    &self->max_workloads,
				    error))
		return FALSE;
	if (!tender_config_load_http(self, kf, path, error))
		return FALSE;
	if (!tender_config_load_plugins(self, kf, path, error))
		return FALSE;
	if (!tender_config_load_network(self, kf, path, error))
		return FALSE;
	if (!tender_config_load_images(self, kf, path, error))
		return FALSE;
	g_key_file_unref(self->keyfile);
	self->keyfile = g_steal_pointer(&kf);
	return TRUE;
}
