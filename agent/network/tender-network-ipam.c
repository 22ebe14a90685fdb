/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <arpa/inet.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tender-network-ipam.h"
#include "tender-util.h"

/*
 * TenderNetworkIpam gives each workload of the private network an address of the subnet, the
 * lowest free one, and keeps them in a JSON file ({"subnet": "10.88.0.0/16", "addresses":
 * {"NAME": "10.88.0.2", ...}}) so that they survive a restart of tenderd: a workload keeps its
 * address until it is released (removed).  The subnet's first address is the bridge's; the
 * network and broadcast addresses are never given.
 */

struct _TenderNetworkIpam {
	GObject parent_instance;
	TenderNetworkSubnet subnet;
	gchar *path;	       /* (nullable): where the addresses are kept */
	GHashTable *addresses; /* workload name → "10.88.0.2" */
	GHashTable *used;      /* the address (host order) → the workload name, not owned */
	guint32 free_from;     /* no address below it is free */
};

G_DEFINE_TYPE(TenderNetworkIpam, tender_network_ipam, G_TYPE_OBJECT)

/**
 * tender_network_address_parse:
 * @text: a dotted-quad IPv4 address
 * @address: (out): the address in host byte order
 *
 * Returns: %TRUE if @text is an IPv4 address
 */
gboolean
tender_network_address_parse(const gchar *text, guint32 *address)
{
	struct in_addr in;

	if (text == NULL || inet_pton(AF_INET, text, &in) != 1)
		return FALSE;
	*address = ntohl(in.s_addr);
	return TRUE;
}

/**
 * tender_network_address_to_string:
 * @address: an IPv4 address in host byte order
 *
 * Returns: (transfer full): @address as a dotted quad
 */
gchar *
tender_network_address_to_string(guint32 address)
{
	return g_strdup_printf("%u.%u.%u.%u",
			       (address >> 24) & 0xff,
			       (address >> 16) & 0xff,
			       (address >> 8) & 0xff,
			       address & 0xff);
}

static guint32
tender_network_subnet_mask(guint prefix)
{
	return prefix == 0 ? 0 : G_MAXUINT32 << (32 - prefix);
}

/**
 * tender_network_subnet_parse:
 * @text: "A.B.C.D/N"
 * @subnet: (out): the subnet
 * @error: (nullable): a #GError
 *
 * Accepts an IPv4 subnet of /8 to /30 whose host bits are zero, outside 0/8, 127/8 and the
 * multicast and reserved ranges.
 *
 * Returns: %TRUE on success; InvalidArgument naming @text otherwise
 */
gboolean
tender_network_subnet_parse(const gchar *text, TenderNetworkSubnet *subnet, GError **error)
{
	g_auto(GStrv) parts = NULL;
	guint64 prefix = 0;
	guint32 network = 0;
	guint32 first;

	if (text != NULL)
		parts = g_strsplit(text, "/", -1);
	if (parts == NULL || g_strv_length(parts) != 2 ||
	    !tender_network_address_parse(parts[0], &network) ||
	    !g_ascii_string_to_unsigned(parts[1],
					10,
					TENDER_NETWORK_PREFIX_MIN,
					TENDER_NETWORK_PREFIX_MAX,
					&prefix,
					NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid subnet '%s': not an IPv4 subnet A.B.C.D/N with N from %d to "
			    "%d",
			    text != NULL ? text : "",
			    TENDER_NETWORK_PREFIX_MIN,
			    TENDER_NETWORK_PREFIX_MAX);
		return FALSE;
	}
	if ((network & ~tender_network_subnet_mask((guint)prefix)) != 0) {
		g_autofree gchar *base = tender_network_address_to_string(
		    network & tender_network_subnet_mask((guint)prefix));
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid subnet '%s': host bits are set (did you mean %s/%u?)",
			    text,
			    base,
			    (guint)prefix);
		return FALSE;
	}
	first = network >> 24;
	if (first == 0 || first == 127 || first >= 224) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid subnet '%s': not a unicast range a bridge can use",
			    text);
		return FALSE;
	}
	subnet->network = network;
	subnet->prefix = (guint)prefix;
	return TRUE;
}

/**
 * tender_network_subnet_to_string:
 * @subnet: a #TenderNetworkSubnet
 *
 * Returns: (transfer full): "A.B.C.D/N"
 */
gchar *
tender_network_subnet_to_string(const TenderNetworkSubnet *subnet)
{
	g_autofree gchar *base = tender_network_address_to_string(subnet->network);
	return g_strdup_printf("%s/%u", base, subnet->prefix);
}

/**
 * tender_network_subnet_contains:
 * @subnet: a #TenderNetworkSubnet
 * @address: an address in host byte order
 *
 * Returns: %TRUE if @address may be given to a workload: inside @subnet, and neither its
 * network, gateway nor broadcast address
 */
gboolean
tender_network_subnet_contains(const TenderNetworkSubnet *subnet, guint32 address)
{
	guint32 mask = tender_network_subnet_mask(subnet->prefix);

	if ((address & mask) != subnet->network)
		return FALSE;
	return address > tender_network_subnet_get_gateway(subnet) &&
	       address < (subnet->network | ~mask);
}

/**
 * tender_network_subnet_get_gateway:
 * @subnet: a #TenderNetworkSubnet
 *
 * Returns: the bridge's address, the subnet's first usable one, in host byte order
 */
guint32
tender_network_subnet_get_gateway(const TenderNetworkSubnet *subnet)
{
	return subnet->network + 1;
}

static gboolean
tender_network_ipam_save(TenderNetworkIpam *self, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GList) names = NULL;
	g_autofree gchar *subnet = tender_network_subnet_to_string(&self->subnet);
	g_autofree gchar *text = NULL;

	if (self->path == NULL)
		return TRUE;
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "subnet");
	json_builder_add_string_value(builder, subnet);
	json_builder_set_member_name(builder, "addresses");
	json_builder_begin_object(builder);
	names = g_list_sort(g_hash_table_get_keys(self->addresses), (GCompareFunc)g_strcmp0);
	for (GList *l = names; l != NULL; l = l->next) {
		json_builder_set_member_name(builder, l->data);
		json_builder_add_string_value(builder,
					      g_hash_table_lookup(self->addresses, l->data));
	}
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, NULL);
	return tender_util_write_file_atomic(self->path, text, -1, 0600, error);
}

static gboolean
tender_network_ipam_add(TenderNetworkIpam *self, const gchar *workload, guint32 address)
{
	gchar *name;

	if (g_hash_table_contains(self->used, GUINT_TO_POINTER(address)) ||
	    g_hash_table_contains(self->addresses, workload))
		return FALSE;
	name = g_strdup(workload);
	g_hash_table_insert(self->addresses, name, tender_network_address_to_string(address));
	g_hash_table_insert(self->used, GUINT_TO_POINTER(address), name);
	return TRUE;
}

/* addresses outside the subnet (the configuration changed) are dropped: their workloads get
 * a new one when they are attached again */
static gboolean
tender_network_ipam_load(TenderNetworkIpam *self, GError **error)
{
	g_autofree gchar *contents = NULL;
	gsize length = 0;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonNode *node = NULL;
	JsonObject *addresses;
	g_autoptr(GList) members = NULL;

	if (!g_file_get_contents(self->path, &contents, &length, &error_local)) {
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return TRUE;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot read %s: %s",
			    self->path,
			    error_local->message);
		return FALSE;
	}
	root = tender_json_parse(contents, (gssize)length, TENDER_JSON_DEPTH_MAX, &error_local);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root))
		node = json_object_get_member(json_node_get_object(root), "addresses");
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s is not a network state file: %s",
			    self->path,
			    error_local != NULL ? error_local->message : "no \"addresses\" object");
		return FALSE;
	}
	addresses = json_node_get_object(node);
	members = json_object_get_members(addresses);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *member = json_object_get_member(addresses, name);
		const gchar *text =
		    JSON_NODE_HOLDS_VALUE(member) ? json_node_get_string(member) : NULL;
		guint32 address = 0;

		if (!tender_util_check_name(name, NULL) ||
		    !tender_network_address_parse(text, &address) ||
		    !tender_network_subnet_contains(&self->subnet, address) ||
		    !tender_network_ipam_add(self, name, address)) {
			g_warning("%s: address %s of workload %s dropped: not a free address "
				  "of the subnet",
				  self->path,
				  text != NULL ? text : "(none)",
				  name);
		}
	}
	return TRUE;
}

static void
tender_network_ipam_finalize(GObject *object)
{
	TenderNetworkIpam *self = TENDER_NETWORK_IPAM(object);

	g_hash_table_unref(self->used);
	g_hash_table_unref(self->addresses);
	g_free(self->path);
	G_OBJECT_CLASS(tender_network_ipam_parent_class)->finalize(object);
}

static void
tender_network_ipam_class_init(TenderNetworkIpamClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_network_ipam_finalize;
}

static void
tender_network_ipam_init(TenderNetworkIpam *self)
{
	self->addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->used = g_hash_table_new(g_direct_hash, g_direct_equal);
}

/**
 * tender_network_ipam_new:
 * @subnet: the subnet, e.g. "10.88.0.0/16"
 * @path: (nullable): the JSON file the addresses are kept in, read now if it exists; %NULL
 *   to keep them in memory only
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): a #TenderNetworkIpam, or %NULL if @subnet is invalid or @path
 *   cannot be read
 */
TenderNetworkIpam *
tender_network_ipam_new(const gchar *subnet, const gchar *path, GError **error)
{
	g_autoptr(TenderNetworkIpam) self = g_object_new(TENDER_TYPE_NETWORK_IPAM, NULL);

	if (!tender_network_subnet_parse(subnet, &self->subnet, error))
		return NULL;
	self->free_from = tender_network_subnet_get_gateway(&self->subnet) + 1;
	self->path = g_strdup(path);
	if (path != NULL && !tender_network_ipam_load(self, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * tender_network_ipam_get_subnet:
 * @self: a #TenderNetworkIpam
 *
 * Returns: (transfer none): the subnet
 */
const TenderNetworkSubnet *
tender_network_ipam_get_subnet(TenderNetworkIpam *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_IPAM(self), NULL);
	return &self->subnet;
}

/**
 * tender_network_ipam_allocate:
 * @self: a #TenderNetworkIpam
 * @workload: a workload name
 * @error: (nullable): a #GError
 *
 * Gives @workload the lowest free address of the subnet, or the one it has already, and
 * writes the file.
 *
 * Returns: (transfer full): the address, or %NULL with LimitReached when the subnet is full
 */
gchar *
tender_network_ipam_allocate(TenderNetworkIpam *self, const gchar *workload, GError **error)
{
	const gchar *known;
	guint32 broadcast;

	g_return_val_if_fail(TENDER_IS_NETWORK_IPAM(self), NULL);
	known = g_hash_table_lookup(self->addresses, workload);
	if (known != NULL)
		return g_strdup(known);
	broadcast = self->subnet.network | ~tender_network_subnet_mask(self->subnet.prefix);
	for (guint32 address = self->free_from; address < broadcast; address++) {
		if (!tender_network_ipam_add(self, workload, address))
			continue;
		self->free_from = address + 1;
		if (!tender_network_ipam_save(self, error)) {
			g_hash_table_remove(self->used, GUINT_TO_POINTER(address));
			g_hash_table_remove(self->addresses, workload);
			self->free_from = address;
			return NULL;
		}
		return tender_network_address_to_string(address);
	}
	{
		g_autofree gchar *subnet = tender_network_subnet_to_string(&self->subnet);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "No address left in the private network %s for workload %s "
			    "(%u workloads hold one)",
			    subnet,
			    workload,
			    g_hash_table_size(self->addresses));
	}
	return NULL;
}

/**
 * tender_network_ipam_lookup:
 * @self: a #TenderNetworkIpam
 * @workload: a workload name
 *
 * Returns: (transfer none) (nullable): the address of @workload, if it has one
 */
const gchar *
tender_network_ipam_lookup(TenderNetworkIpam *self, const gchar *workload)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_IPAM(self), NULL);
	return g_hash_table_lookup(self->addresses, workload);
}

/**
 * tender_network_ipam_release:
 * @self: a #TenderNetworkIpam
 * @workload: a workload name
 * @error: (nullable): a #GError
 *
 * Frees the address of @workload, if it has one, and writes the file.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_ipam_release(TenderNetworkIpam *self, const gchar *workload, GError **error)
{
	const gchar *text;
	guint32 address = 0;

	g_return_val_if_fail(TENDER_IS_NETWORK_IPAM(self), FALSE);
	text = g_hash_table_lookup(self->addresses, workload);
	if (text == NULL)
		return TRUE;
	if (tender_network_address_parse(text, &address)) {
		g_hash_table_remove(self->used, GUINT_TO_POINTER(address));
		self->free_from = MIN(self->free_from, address);
	}
	g_hash_table_remove(self->addresses, workload);
	return tender_network_ipam_save(self, error);
}

/**
 * tender_network_ipam_get_size:
 * @self: a #TenderNetworkIpam
 *
 * Returns: how many workloads hold an address
 */
guint
tender_network_ipam_get_size(TenderNetworkIpam *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_IPAM(self), 0);
	return g_hash_table_size(self->addresses);
}
