/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-network-ipam.h"

G_BEGIN_DECLS

/* the name of a workload's veth inside its network namespace */
#define TENDER_NETWORK_LINK_PEER "eth0"

gboolean
tender_network_link_check_name(const gchar *name, GError **error);
gchar *
tender_network_link_host_name(const gchar *workload);
gboolean
tender_network_link_ensure_bridge(const gchar *bridge,
				  const TenderNetworkSubnet *subnet,
				  GError **error);
gboolean
tender_network_link_enable_forwarding(GError **error);
gboolean
tender_network_link_attach(const gchar *bridge,
			   const gchar *host_name,
			   GPid pid,
			   const TenderNetworkSubnet *subnet,
			   const gchar *address,
			   GError **error);
gboolean
tender_network_link_delete(const gchar *name, GError **error);
gboolean
tender_network_link_count_ports(const gchar *bridge, guint *ports, GError **error);

G_END_DECLS
