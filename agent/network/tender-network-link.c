/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <netlink/cache.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "tender-error.h"
#include "tender-network-link.h"

/*
 * The links of the private network, through libnl-route-3: the bridge, and for each workload
 * a veth pair whose host end (tnd-HASH) is a port of the bridge and whose other end is eth0
 * in the workload's network namespace.  What is done inside that namespace runs in a thread
 * of its own that setns()es there and then ends, so no thread ever goes back to the host's
 * namespace by mistake.  Everything here blocks: call it from a worker thread.
 */

#define TENDER_NETWORK_LINK_PREFIX "tnd-"

typedef struct nl_sock TenderNlSock;
typedef struct rtnl_link TenderNlLink;
typedef struct rtnl_addr TenderNlRtAddr;
typedef struct rtnl_route TenderNlRoute;
typedef struct nl_addr TenderNlAddr;
typedef struct nl_cache TenderNlCache;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlSock, nl_socket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlLink, rtnl_link_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlRtAddr, rtnl_addr_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlRoute, rtnl_route_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlAddr, nl_addr_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderNlCache, nl_cache_free)

static gboolean
tender_network_link_fail(GError **error, gint err, const gchar *what, const gchar *name)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "Cannot %s %s: %s",
		    what,
		    name,
		    nl_geterror(err));
	return FALSE;
}

static TenderNlSock *
tender_network_link_socket(GError **error)
{
	g_autoptr(TenderNlSock) sock = nl_socket_alloc();
	gint err;

	if (sock == NULL) {
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_FAILED, "Out of memory");
		return NULL;
	}
	err = nl_connect(sock, NETLINK_ROUTE);
	if (err < 0) {
		tender_network_link_fail(error, err, "open", "a netlink socket");
		return NULL;
	}
	return g_steal_pointer(&sock);
}

/* @link is NULL when there is no such link */
static gboolean
tender_network_link_lookup(TenderNlSock *sock,
			   const gchar *name,
			   TenderNlLink **link,
			   GError **error)
{
	gint err = rtnl_link_get_kernel(sock, 0, name, link);

	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) {
		*link = NULL;
		return TRUE;
	}
	if (err < 0)
		return tender_network_link_fail(error, err, "look up link", name);
	return TRUE;
}

/* like tender_network_link_lookup(), but a missing link is an error */
static TenderNlLink *
tender_network_link_find(TenderNlSock *sock, const gchar *name, GError **error)
{
	TenderNlLink *link = NULL;

	if (!tender_network_link_lookup(sock, name, &link, error))
		return NULL;
	if (link == NULL)
		tender_network_link_fail(error, -NLE_OBJ_NOTFOUND, "find link", name);
	return link;
}

static TenderNlAddr *
tender_network_link_addr(guint32 address, guint prefix)
{
	guint32 be = htonl(address);
	TenderNlAddr *addr = nl_addr_build(AF_INET, &be, sizeof(be));

	nl_addr_set_prefixlen(addr, (gint)prefix);
	return addr;
}

/* brings @link up and, when @master is not 0, makes it a port of the bridge @master */
static gboolean
tender_network_link_set_up(TenderNlSock *sock, TenderNlLink *link, gint master, GError **error)
{
	g_autoptr(TenderNlLink) change = rtnl_link_alloc();
	gint err;

	rtnl_link_set_flags(change, IFF_UP);
	if (master != 0)
		rtnl_link_set_master(change, master);
	err = rtnl_link_change(sock, link, change, 0);
	if (err < 0)
		return tender_network_link_fail(error, err, "bring up", rtnl_link_get_name(link));
	return TRUE;
}

/* an address that is there already is fine */
static gboolean
tender_network_link_add_address(TenderNlSock *sock,
				TenderNlLink *link,
				guint32 address,
				guint prefix,
				GError **error)
{
	g_autoptr(TenderNlRtAddr) addr = rtnl_addr_alloc();
	g_autoptr(TenderNlAddr) local = tender_network_link_addr(address, prefix);
	gint err;

	rtnl_addr_set_ifindex(addr, rtnl_link_get_ifindex(link));
	rtnl_addr_set_family(addr, AF_INET);
	rtnl_addr_set_local(addr, local);
	rtnl_addr_set_prefixlen(addr, (gint)prefix);
	err = rtnl_addr_add(sock, addr, 0);
	if (err < 0 && err != -NLE_EXIST)
		return tender_network_link_fail(error,
						err,
						"add an address to",
						rtnl_link_get_name(link));
	return TRUE;
}

/**
 * tender_network_link_check_name:
 * @name: a network interface name
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @name is 1 to 15 characters of A-Z a-z 0-9 _ . -
 */
gboolean
tender_network_link_check_name(const gchar *name, GError **error)
{
	gsize len = name != NULL ? strlen(name) : 0;

	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(name[i]) && name[i] != '_' && name[i] != '.' && name[i] != '-')
			len = 0;
	}
	if (len == 0 || len >= IFNAMSIZ || g_strcmp0(name, ".") == 0 ||
	    g_strcmp0(name, "..") == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid bridge name '%s': 1 to %d characters of A-Z a-z 0-9 _ . -",
			    name != NULL ? name : "",
			    IFNAMSIZ - 1);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_network_link_host_name:
 * @workload: a workload name
 *
 * Returns: (transfer full): the name of the host end of @workload's veth, "tnd-" and 11 hex
 *   digits of the SHA-256 of the name
 */
gchar *
tender_network_link_host_name(const gchar *workload)
{
	g_autofree gchar *hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, workload, -1);
	return g_strdup_printf("%s%.11s", TENDER_NETWORK_LINK_PREFIX, hash);
}

/**
 * tender_network_link_ensure_bridge:
 * @bridge: the bridge's name
 * @subnet: the private network's subnet
 * @error: (nullable): a #GError
 *
 * Creates the bridge unless it exists, gives it the subnet's first address and brings it up.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_link_ensure_bridge(const gchar *bridge,
				  const TenderNetworkSubnet *subnet,
				  GError **error)
{
	g_autoptr(TenderNlSock) sock = tender_network_link_socket(error);
	g_autoptr(TenderNlLink) link = NULL;
	gint err;

	if (sock == NULL)
		return FALSE;
	if (!tender_network_link_lookup(sock, bridge, &link, error))
		return FALSE;
	if (link != NULL && !rtnl_link_is_bridge(link)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s exists and is not a bridge",
			    bridge);
		return FALSE;
	}
	if (link == NULL) {
		err = rtnl_link_bridge_add(sock, bridge);
		if (err < 0 && err != -NLE_EXIST)
			return tender_network_link_fail(error, err, "create bridge", bridge);
		link = tender_network_link_find(sock, bridge, error);
		if (link == NULL)
			return FALSE;
	}
	if (!tender_network_link_add_address(sock,
					     link,
					     tender_network_subnet_get_gateway(subnet),
					     subnet->prefix,
					     error))
		return FALSE;
	return tender_network_link_set_up(sock, link, 0, error);
}

/**
 * tender_network_link_enable_forwarding:
 * @error: (nullable): a #GError
 *
 * Sets net.ipv4.ip_forward to 1, as docker and podman do, unless it is already: the
 * workloads' traffic is routed between the bridge and the host's other interfaces.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_link_enable_forwarding(GError **error)
{
	const gchar *path = "/proc/sys/net/ipv4/ip_forward";
	g_autofree gchar *now = NULL;
	gint fd;
	gssize n;

	if (g_file_get_contents(path, &now, NULL, NULL) && g_str_has_prefix(now, "1"))
		return TRUE;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot open %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	n = write(fd, "1\n", 2);
	if (n != 2) {
		gint saved = errno;
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot enable IPv4 forwarding in %s: %s",
			    path,
			    g_strerror(saved));
		return FALSE;
	}
	(void)close(fd);
	return TRUE;
}

/* what a thread does inside the workload's network namespace */
typedef struct {
	gint ns_fd;
	gint host_ifindex;
	gboolean check_only; /* only tell whether eth0 is the peer of host_ifindex */
	gboolean is_peer;
	guint32 address;
	guint prefix;
	guint32 gateway;
	GError *error;
} TenderNetworkLinkNs;

static gboolean
tender_network_link_ns_configure(TenderNetworkLinkNs *ns, TenderNlSock *sock, GError **error)
{
	g_autoptr(TenderNlLink) lo = NULL;
	g_autoptr(TenderNlLink) eth = NULL;
	g_autoptr(TenderNlRoute) route = NULL;
	g_autoptr(TenderNlAddr) any = NULL;
	g_autoptr(TenderNlAddr) gateway = NULL;
	struct rtnl_nexthop *nh;
	gint err;

	eth = tender_network_link_find(sock, TENDER_NETWORK_LINK_PEER, error);
	if (eth == NULL)
		return FALSE;
	if (ns->check_only) {
		ns->is_peer = rtnl_link_is_veth(eth) && rtnl_link_get_link(eth) == ns->host_ifindex;
		return TRUE;
	}
	lo = tender_network_link_find(sock, "lo", error);
	if (lo == NULL || !tender_network_link_set_up(sock, lo, 0, error))
		return FALSE;
	if (!tender_network_link_add_address(sock, eth, ns->address, ns->prefix, error))
		return FALSE;
	if (!tender_network_link_set_up(sock, eth, 0, error))
		return FALSE;
	route = rtnl_route_alloc();
	rtnl_route_set_family(route, AF_INET);
	rtnl_route_set_table(route, RT_TABLE_MAIN);
	rtnl_route_set_protocol(route, RTPROT_STATIC);
	rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
	any = tender_network_link_addr(0, 0);
	rtnl_route_set_dst(route, any);
	gateway = tender_network_link_addr(ns->gateway, 32);
	nh = rtnl_route_nh_alloc();
	rtnl_route_nh_set_gateway(nh, gateway);
	rtnl_route_nh_set_ifindex(nh, rtnl_link_get_ifindex(eth));
	rtnl_route_add_nexthop(route, nh);
	err = rtnl_route_add(sock, route, 0);
	if (err < 0 && err != -NLE_EXIST)
		return tender_network_link_fail(error, err, "add the default route on", "eth0");
	return TRUE;
}

static gpointer
tender_network_link_ns_thread(gpointer data)
{
	TenderNetworkLinkNs *ns = data;
	g_autoptr(TenderNlSock) sock = NULL;

	if (setns(ns->ns_fd, CLONE_NEWNET) < 0) {
		g_set_error(&ns->error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot enter the workload's network namespace: %s",
			    g_strerror(errno));
		return NULL;
	}
	sock = tender_network_link_socket(&ns->error);
	if (sock == NULL)
		return NULL;
	(void)tender_network_link_ns_configure(ns, sock, &ns->error);
	return NULL;
}

/* runs @ns in a thread of its own, which ends in the workload's namespace */
static gboolean
tender_network_link_ns_run(TenderNetworkLinkNs *ns, GError **error)
{
	GThread *thread =
	    g_thread_try_new("tender-netns", tender_network_link_ns_thread, ns, error);

	if (thread == NULL)
		return FALSE;
	g_thread_join(thread);
	if (ns->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&ns->error));
		return FALSE;
	}
	return TRUE;
}

static gint
tender_network_link_open_netns(GPid pid, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/ns/net", (gint)pid);
	struct stat self_st;
	struct stat st;
	gint fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot open the network namespace of process %d: %s",
			    (gint)pid,
			    g_strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || stat("/proc/self/ns/net", &self_st) < 0 ||
	    (st.st_dev == self_st.st_dev && st.st_ino == self_st.st_ino)) {
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Process %d is not in a network namespace of its own",
			    (gint)pid);
		return -1;
	}
	return fd;
}

/* makes the veth pair, its peer created as eth0 right in the namespace of @ns_fd */
static gboolean
tender_network_link_add_veth(TenderNlSock *sock, const gchar *host_name, gint ns_fd, GError **error)
{
	g_autoptr(TenderNlLink) link = rtnl_link_veth_alloc();
	TenderNlLink *peer;
	gint err;

	if (link == NULL) {
		g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_FAILED, "Out of memory");
		return FALSE;
	}
	rtnl_link_set_name(link, host_name);
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(peer, TENDER_NETWORK_LINK_PEER);
	rtnl_link_set_ns_fd(peer, ns_fd);
	rtnl_link_put(peer);
	err = rtnl_link_add(sock, link, NLM_F_CREATE | NLM_F_EXCL);
	if (err < 0)
		return tender_network_link_fail(error, err, "create veth", host_name);
	return TRUE;
}

/* the host end exists: keep it if its peer is the namespace's eth0 (tenderd restarted while
 * the workload ran), else it is left over from an earlier run and goes */
static gboolean
tender_network_link_reuse(TenderNlSock *sock,
			  TenderNlLink *host,
			  gint ns_fd,
			  gboolean *reused,
			  GError **error)
{
	TenderNetworkLinkNs check = {.ns_fd = ns_fd,
				     .host_ifindex = rtnl_link_get_ifindex(host),
				     .check_only = TRUE};
	g_autoptr(GError) error_local = NULL;
	gint err;

	if (rtnl_link_is_veth(host) && tender_network_link_ns_run(&check, &error_local) &&
	    check.is_peer) {
		*reused = TRUE;
		return TRUE;
	}
	*reused = FALSE;
	err = rtnl_link_delete(sock, host);
	if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV)
		return tender_network_link_fail(error, err, "delete", rtnl_link_get_name(host));
	return TRUE;
}

static gboolean
tender_network_link_attach_ns(TenderNlSock *sock,
			      const gchar *bridge,
			      const gchar *host_name,
			      gint ns_fd,
			      const TenderNetworkSubnet *subnet,
			      guint32 address,
			      GError **error)
{
	g_autoptr(TenderNlLink) br = tender_network_link_find(sock, bridge, error);
	g_autoptr(TenderNlLink) host = NULL;
	TenderNetworkLinkNs ns = {.ns_fd = ns_fd,
				  .address = address,
				  .prefix = subnet->prefix,
				  .gateway = tender_network_subnet_get_gateway(subnet)};
	gboolean reused = FALSE;

	if (br == NULL || !tender_network_link_lookup(sock, host_name, &host, error))
		return FALSE;
	if (host != NULL && !tender_network_link_reuse(sock, host, ns_fd, &reused, error))
		return FALSE;
	if (!reused) {
		g_clear_pointer(&host, rtnl_link_put);
		if (!tender_network_link_add_veth(sock, host_name, ns_fd, error))
			return FALSE;
		host = tender_network_link_find(sock, host_name, error);
		if (host == NULL)
			return FALSE;
	}
	if (!tender_network_link_set_up(sock, host, rtnl_link_get_ifindex(br), error))
		return FALSE;
	if (reused)
		return TRUE;
	return tender_network_link_ns_run(&ns, error);
}

/**
 * tender_network_link_attach:
 * @bridge: the bridge's name
 * @host_name: the name of the veth's host end, from tender_network_link_host_name()
 * @pid: a process in the workload's network namespace
 * @subnet: the private network's subnet
 * @address: the workload's address
 * @error: (nullable): a #GError
 *
 * Joins the network namespace of @pid to the bridge: a veth pair, @host_name on the bridge
 * and eth0 in the namespace with @address, the default route via the bridge's address, and
 * lo up.  When @host_name exists already and its peer is that namespace's eth0, it is kept
 * as it is.  On failure the veth is deleted again.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_link_attach(const gchar *bridge,
			   const gchar *host_name,
			   GPid pid,
			   const TenderNetworkSubnet *subnet,
			   const gchar *address,
			   GError **error)
{
	g_autoptr(TenderNlSock) sock = NULL;
	guint32 addr = 0;
	gint ns_fd;
	gboolean ok;

	if (!tender_network_address_parse(address, &addr)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid address '%s'",
			    address);
		return FALSE;
	}
	sock = tender_network_link_socket(error);
	if (sock == NULL)
		return FALSE;
	ns_fd = tender_network_link_open_netns(pid, error);
	if (ns_fd < 0)
		return FALSE;
	ok = tender_network_link_attach_ns(sock, bridge, host_name, ns_fd, subnet, addr, error);
	(void)close(ns_fd);
	if (!ok)
		(void)tender_network_link_delete(host_name, NULL);
	return ok;
}

/**
 * tender_network_link_delete:
 * @name: a link's name
 * @error: (nullable): a #GError
 *
 * Deletes the link @name (with its peer, for a veth), if it exists.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_link_delete(const gchar *name, GError **error)
{
	g_autoptr(TenderNlSock) sock = tender_network_link_socket(error);
	g_autoptr(TenderNlLink) link = rtnl_link_alloc();
	gint err;

	if (sock == NULL)
		return FALSE;
	rtnl_link_set_name(link, name);
	err = rtnl_link_delete(sock, link);
	if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_NODEV)
		return tender_network_link_fail(error, err, "delete", name);
	return TRUE;
}

/**
 * tender_network_link_count_ports:
 * @bridge: the bridge's name
 * @ports: (out): how many links are ports of @bridge, 0 if it does not exist
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_link_count_ports(const gchar *bridge, guint *ports, GError **error)
{
	g_autoptr(TenderNlSock) sock = tender_network_link_socket(error);
	g_autoptr(TenderNlCache) cache = NULL;
	gint ifindex;
	gint err;

	*ports = 0;
	if (sock == NULL)
		return FALSE;
	err = rtnl_link_alloc_cache(sock, AF_UNSPEC, &cache);
	if (err < 0)
		return tender_network_link_fail(error, err, "list", "the links");
	ifindex = rtnl_link_name2i(cache, bridge);
	if (ifindex == 0)
		return TRUE;
	for (struct nl_object *obj = nl_cache_get_first(cache); obj != NULL;
	     obj = nl_cache_get_next(obj)) {
		if (rtnl_link_get_master((struct rtnl_link *)obj) == ifindex)
			(*ports)++;
	}
	return TRUE;
}
