/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-network-ipam.h"

G_BEGIN_DECLS

/* tender's own nftables table: nothing else of the host's ruleset is ever touched */
#define TENDER_NETWORK_TABLE "tender"

/**
 * TenderNetworkPublish:
 * @workload: the workload's name
 * @address: the workload's address
 * @host_port: the port on the host
 * @container_port: the port in the workload
 * @udp: UDP rather than TCP
 *
 * A published port: the DNAT rule that sends @host_port to @address:@container_port.
 */
typedef struct {
	gchar *workload;
	gchar *address;
	guint16 host_port;
	guint16 container_port;
	gboolean udp;
} TenderNetworkPublish;

TenderNetworkPublish *
tender_network_publish_new(const gchar *workload,
			   const gchar *address,
			   guint16 host_port,
			   guint16 container_port,
			   gboolean udp);
void
tender_network_publish_free(TenderNetworkPublish *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNetworkPublish, tender_network_publish_free)

gchar *
tender_network_rules_build(const gchar *bridge,
			   const TenderNetworkSubnet *subnet,
			   const gchar *dnat_address,
			   GPtrArray *published);
gchar *
tender_network_rules_build_delete(void);
gboolean
tender_network_rules_apply(const gchar *ruleset, GError **error);

G_END_DECLS
