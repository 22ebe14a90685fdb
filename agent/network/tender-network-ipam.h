/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* the subnets the private network accepts: IPv4, from /8 to /30 (a /30 holds one workload) */
#define TENDER_NETWORK_PREFIX_MIN 8
#define TENDER_NETWORK_PREFIX_MAX 30

/**
 * TenderNetworkSubnet:
 * @network: the subnet's first address, in host byte order
 * @prefix: the prefix length
 *
 * An IPv4 subnet; its first usable address is the bridge's (the gateway).
 */
typedef struct {
	guint32 network;
	guint prefix;
} TenderNetworkSubnet;

gboolean
tender_network_subnet_parse(const gchar *text, TenderNetworkSubnet *subnet, GError **error);
gchar *
tender_network_subnet_to_string(const TenderNetworkSubnet *subnet);
gboolean
tender_network_subnet_contains(const TenderNetworkSubnet *subnet, guint32 address);
guint32
tender_network_subnet_get_gateway(const TenderNetworkSubnet *subnet);
gboolean
tender_network_address_parse(const gchar *text, guint32 *address);
gchar *
tender_network_address_to_string(guint32 address);

#define TENDER_TYPE_NETWORK_IPAM (tender_network_ipam_get_type())
G_DECLARE_FINAL_TYPE(TenderNetworkIpam, tender_network_ipam, TENDER, NETWORK_IPAM, GObject)

TenderNetworkIpam *
tender_network_ipam_new(const gchar *subnet, const gchar *path, GError **error);
const TenderNetworkSubnet *
tender_network_ipam_get_subnet(TenderNetworkIpam *self);
gchar *
tender_network_ipam_allocate(TenderNetworkIpam *self, const gchar *workload, GError **error);
const gchar *
tender_network_ipam_lookup(TenderNetworkIpam *self, const gchar *workload);
gboolean
tender_network_ipam_release(TenderNetworkIpam *self, const gchar *workload, GError **error);
guint
tender_network_ipam_get_size(TenderNetworkIpam *self);

G_END_DECLS
