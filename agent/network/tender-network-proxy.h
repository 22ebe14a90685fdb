/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* a UDP peer's session ends after this long without a datagram either way */
#define TENDER_NETWORK_PROXY_UDP_TIMEOUT_SEC 30
/* at most this many UDP peers at once per published port; datagrams of more are dropped */
#define TENDER_NETWORK_PROXY_UDP_SESSIONS_MAX 1024

#define TENDER_TYPE_NETWORK_PROXY (tender_network_proxy_get_type())
G_DECLARE_FINAL_TYPE(TenderNetworkProxy, tender_network_proxy, TENDER, NETWORK_PROXY, GObject)

TenderNetworkProxy *
tender_network_proxy_new(const gchar *listen_address, guint16 port, gboolean udp, GError **error);
void
tender_network_proxy_start(TenderNetworkProxy *self,
			   const gchar *target_address,
			   guint16 target_port);
void
tender_network_proxy_stop(TenderNetworkProxy *self);
guint16
tender_network_proxy_get_port(TenderNetworkProxy *self);
gboolean
tender_network_proxy_get_udp(TenderNetworkProxy *self);

G_END_DECLS
