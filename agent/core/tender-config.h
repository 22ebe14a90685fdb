/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TENDER_CONFIG_DEFAULT_PATH	   TENDER_SYSCONFDIR "/tender/tenderd.conf"
#define TENDER_CONFIG_DEFAULT_STATE_DIR	   TENDER_LOCALSTATEDIR "/lib/tender"
#define TENDER_CONFIG_DEFAULT_SHIM	   TENDER_LIBEXECDIR "/tender-shim"
#define TENDER_CONFIG_DEFAULT_HTTP_LISTEN  "127.0.0.1:8086"
#define TENDER_CONFIG_DEFAULT_HTTP_SOCKET  "/run/tender/http.sock"
#define TENDER_CONFIG_DEFAULT_HTTP_TOKENS  TENDER_SYSCONFDIR "/tender/tokens"
#define TENDER_CONFIG_DEFAULT_ADAPTERS_DIR TENDER_SYSCONFDIR "/tender/adapters"
#define TENDER_CONFIG_DEFAULT_PLUGIN_DIR   TENDER_PLUGINDIR
#define TENDER_CONFIG_DEFAULT_IMAGES_MAX   (G_GUINT64_CONSTANT(4) << 30)
/* the private network: Podman's default subnet, published ports on loopback only */
#define TENDER_CONFIG_DEFAULT_NETWORK_BRIDGE	      "tender0"
#define TENDER_CONFIG_DEFAULT_NETWORK_SUBNET	      "10.88.0.0/16"
#define TENDER_CONFIG_DEFAULT_NETWORK_PUBLISH_ADDRESS "127.0.0.1"

/**
 * TenderConfig:
 * @state_dir: where workload state and exit records live
 * @shim: the path of tender-shim
 * @stop_timeout_sec: the default time between SIGTERM and SIGKILL
 * @max_workloads: how many workloads may exist at once
 * @http_listen: the TCP address of the HTTP API ("" for none)
 * @http_socket: the unix socket of the HTTP API
 * @http_tokens: the bearer token file for HTTP over TCP
 * @http_body_max: the largest request body, in bytes
 * @http_header_timeout_sec: how long a client may take to send a request's headers
 * @http_idle_timeout_sec: how long a connection may stay silent
 * @http_max_connections: how many HTTP connections may be open at once
 * @adapters_dir: where the adapter instance files are ([daemon] adapters-dir)
 * @plugin_path: the directories plugins are loaded from, in order ([plugins] path)
 * @plugins_disabled: the names of plugins not to load ([plugins] disabled)
 * @images_dir: where the image store is ([images] dir), %NULL for STATE_DIR/images
 * @images_max_size: the most bytes an image archive may have, and an image unpacked
 *   ([images] max-size)
 * @network_bridge: the private network's bridge ([network] bridge)
 * @network_subnet: the private network's IPv4 subnet ([network] subnet)
 * @network_publish_address: where the proxies of published ports listen ([network]
 *   publish-address)
 * @keyfile: the whole file, for the [plugin NAME] groups that plugins read
 *
 * tenderd's settings, from /etc/tender/tenderd.conf and the command line.
 */
typedef struct {
	gchar *state_dir;
	gchar *shim;
	guint stop_timeout_sec;
	guint max_workloads;
	gchar *http_listen;
	gchar *http_socket;
	gchar *http_tokens;
	guint http_body_max;
	guint http_header_timeout_sec;
	guint http_idle_timeout_sec;
	guint http_max_connections;
	gchar *adapters_dir;
	gchar **plugin_path;
	gchar **plugins_disabled;
	gchar *images_dir;
	guint64 images_max_size;
	gchar *network_bridge;
	gchar *network_subnet;
	gchar *network_publish_address;
	GKeyFile *keyfile;
} TenderConfig;

TenderConfig *
tender_config_new(void);
void
tender_config_free(TenderConfig *self);
gboolean
tender_config_load(TenderConfig *self, const gchar *path, gboolean required, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderConfig, tender_config_free)

G_END_DECLS
