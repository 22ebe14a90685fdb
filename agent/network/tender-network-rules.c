/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <nftables/libnftables.h>

#include "tender-error.h"
#include "tender-network-rules.h"

/*
 * The private network's nftables rules, all in tender's own table `inet tender`, which is
 * always written whole: the text deletes the table and defines it again in one transaction,
 * so a restarted tenderd never duplicates a rule and the kernel never sees half a ruleset.
 *
 *   prerouting, output  traffic to a local address other than loopback (or to the publish
 *                       address only, when it is a specific one) goes to `published`
 *   published           one DNAT rule per published port, commented with its workload
 *   postrouting         the subnet's traffic leaving it is masqueraded; traffic DNATed back
 *                       onto the bridge too (a workload reaching a published port: hairpin)
 *
 * Loopback is left to tenderd's userspace proxies, so route_localnet is never needed.
 */

/**
 * tender_network_publish_new:
 * @workload: the workload's name
 * @address: the workload's address
 * @host_port: the port on the host
 * @container_port: the port in the workload
 * @udp: UDP rather than TCP
 *
 * Returns: (transfer full): a #TenderNetworkPublish
 */
TenderNetworkPublish *
tender_network_publish_new(const gchar *workload,
			   const gchar *address,
			   guint16 host_port,
			   guint16 container_port,
			   gboolean udp)
{
	TenderNetworkPublish *self = g_new0(TenderNetworkPublish, 1);
	self->workload = g_strdup(workload);
	self->address = g_strdup(address);
	self->host_port = host_port;
	self->container_port = container_port;
	self->udp = udp;
	return self;
}

/**
 * tender_network_publish_free:
 * @self: (nullable): a #TenderNetworkPublish
 */
void
tender_network_publish_free(TenderNetworkPublish *self)
{
	if (self == NULL)
		return;
	g_free(self->workload);
	g_free(self->address);
	g_free(self);
}

static gint
tender_network_publish_compare(gconstpointer a, gconstpointer b)
{
	const TenderNetworkPublish *pa = *(const TenderNetworkPublish *const *)a;
	const TenderNetworkPublish *pb = *(const TenderNetworkPublish *const *)b;
	gint rc = g_strcmp0(pa->workload, pb->workload);

	if (rc != 0)
		return rc;
	if (pa->host_port != pb->host_port)
		return pa->host_port < pb->host_port ? -1 : 1;
	return (gint)pa->udp - (gint)pb->udp;
}

static void
tender_network_rules_add_hook(GString *out,
			      const gchar *chain,
			      const gchar *hook,
			      const gchar *priority,
			      const gchar *match)
{
	g_string_append_printf(out,
			       "\tchain %s {\n"
			       "\t\ttype nat hook %s priority %s; policy accept;\n"
			       "\t\t%s jump published\n"
			       "\t}\n",
			       chain,
			       hook,
			       priority,
			       match);
}

/**
 * tender_network_rules_build:
 * @bridge: the bridge's name
 * @subnet: the private network's subnet
 * @dnat_address: (nullable): the only host address published ports are DNATed on, or %NULL
 *   for every local address but loopback
 * @published: (element-type TenderNetworkPublish): the published ports of every attached
 *   workload
 *
 * Returns: (transfer full): the nft script that replaces tender's table with these rules
 */
gchar *
tender_network_rules_build(const gchar *bridge,
			   const TenderNetworkSubnet *subnet,
			   const gchar *dnat_address,
			   GPtrArray *published)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	g_autofree gchar *net = tender_network_subnet_to_string(subnet);
	g_autofree gchar *match = NULL;

	if (dnat_address != NULL)
		match = g_strdup_printf("ip daddr %s", dnat_address);
	else
		match = g_strdup("fib daddr type local ip daddr != 127.0.0.0/8");
	for (guint i = 0; published != NULL && i < published->len; i++)
		g_ptr_array_add(sorted, g_ptr_array_index(published, i));
	g_ptr_array_sort(sorted, tender_network_publish_compare);

	g_string_append_printf(out,
			       "add table inet %s\n"
			       "delete table inet %s\n"
			       "table inet %s {\n",
			       TENDER_NETWORK_TABLE,
			       TENDER_NETWORK_TABLE,
			       TENDER_NETWORK_TABLE);
	tender_network_rules_add_hook(out, "prerouting", "prerouting", "dstnat", match);
	tender_network_rules_add_hook(out, "output", "output", "-100", match);
	g_string_append(out, "\tchain published {\n");
	for (guint i = 0; i < sorted->len; i++) {
		TenderNetworkPublish *p = g_ptr_array_index(sorted, i);
		g_string_append_printf(out,
				       "\t\t%s dport %u dnat ip to %s:%u comment \"%s\"\n",
				       p->udp ? "udp" : "tcp",
				       p->host_port,
				       p->address,
				       p->container_port,
				       p->workload);
	}
	g_string_append(out, "\t}\n");
	g_string_append_printf(out,
			       "\tchain postrouting {\n"
			       "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
			       "\t\tip saddr %s ip daddr != %s masquerade\n"
			       "\t\toifname \"%s\" ip saddr %s ct status dnat masquerade\n"
			       "\t}\n"
			       "}\n",
			       net,
			       net,
			       bridge,
			       net);
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * tender_network_rules_build_delete:
 *
 * Returns: (transfer full): the nft script that deletes tender's table, if it exists
 */
gchar *
tender_network_rules_build_delete(void)
{
	return g_strdup_printf("add table inet %s\ndelete table inet %s\n",
			       TENDER_NETWORK_TABLE,
			       TENDER_NETWORK_TABLE);
}

/**
 * tender_network_rules_apply:
 * @ruleset: an nft script
 * @error: (nullable): a #GError
 *
 * Runs @ruleset through libnftables, as one transaction.  Blocks: call it from a thread.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_rules_apply(const gchar *ruleset, GError **error)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	gboolean ok;

	if (nft == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot create an nftables context");
		return FALSE;
	}
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	ok = nft_run_cmd_from_buffer(nft, ruleset) == 0;
	if (!ok) {
		g_autofree gchar *why = g_strdup(nft_ctx_get_error_buffer(nft));
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "nftables refused tender's table: %s",
			    why != NULL ? g_strstrip(why) : "unknown error");
	}
	nft_ctx_free(nft);
	return ok;
}
