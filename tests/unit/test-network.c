/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tender-config.h"
#include "tender-error.h"
#include "tender-network-ipam.h"
#include "tender-network-link.h"
#include "tender-network-manager.h"
#include "tender-network-proxy.h"
#include "tender-network-rules.h"
#include "tender-spec-types.h"

/* a scratch directory in the build tree, removed with its files */
static gchar *
scratch_dir(void)
{
	const gchar *base = g_getenv("G_TEST_BUILDDIR");
	g_autofree gchar *tmpl =
	    g_build_filename(base != NULL ? base : ".", "network-XXXXXX", NULL);
	g_assert_nonnull(g_mkdtemp(tmpl));
	return g_steal_pointer(&tmpl);
}

static void
scratch_remove(const gchar *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_assert_cmpint(g_unlink(path), ==, 0);
	}
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_network_subnet(void)
{
	TenderNetworkSubnet subnet = {0};
	g_autofree gchar *text = NULL;
	const gchar *bad[] = {"10.88.0.0",
			      "10.88.0.0/31",
			      "10.88.0.0/7",
			      "10.88.0.1/16",
			      "127.0.0.0/8",
			      "0.0.0.0/8",
			      "224.1.0.0/16",
			      "10.88.0.0/16/1",
			      "fd00::/64",
			      "10.88.0.0/x",
			      "",
			      NULL};

	g_assert_true(tender_network_subnet_parse("10.88.0.0/16", &subnet, NULL));
	g_assert_cmpuint(subnet.prefix, ==, 16);
	g_assert_cmphex(subnet.network, ==, 0x0a580000);
	g_assert_cmphex(tender_network_subnet_get_gateway(&subnet), ==, 0x0a580001);
	text = tender_network_subnet_to_string(&subnet);
	g_assert_cmpstr(text, ==, "10.88.0.0/16");
	g_assert_false(tender_network_subnet_contains(&subnet, 0x0a580000));
	g_assert_false(tender_network_subnet_contains(&subnet, 0x0a580001));
	g_assert_true(tender_network_subnet_contains(&subnet, 0x0a580002));
	g_assert_true(tender_network_subnet_contains(&subnet, 0x0a58fffe));
	g_assert_false(tender_network_subnet_contains(&subnet, 0x0a58ffff));
	g_assert_false(tender_network_subnet_contains(&subnet, 0x0a590002));
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_network_subnet_parse(bad[i], &subnet, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i]));
	}
	{
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_network_subnet_parse("10.88.0.1/16", &subnet, &error));
		g_assert_nonnull(strstr(error->message, "10.88.0.0/16"));
	}
}

static void
test_network_ipam_allocate(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderNetworkIpam) ipam = tender_network_ipam_new("10.88.0.0/16", NULL, &error);
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *c = NULL;
	g_autofree gchar *d = NULL;

	g_assert_no_error(error);
	a = tender_network_ipam_allocate(ipam, "a", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(a, ==, "10.88.0.2");
	b = tender_network_ipam_allocate(ipam, "b", &error);
	g_assert_cmpstr(b, ==, "10.88.0.3");
	again = tender_network_ipam_allocate(ipam, "a", &error);
	g_assert_cmpstr(again, ==, "10.88.0.2");
	g_assert_cmpstr(tender_network_ipam_lookup(ipam, "b"), ==, "10.88.0.3");
	g_assert_null(tender_network_ipam_lookup(ipam, "c"));
	g_assert_cmpuint(tender_network_ipam_get_size(ipam), ==, 2);

	/* a freed address is the lowest free one again */
	g_assert_true(tender_network_ipam_release(ipam, "a", &error));
	g_assert_true(tender_network_ipam_release(ipam, "a", &error));
	g_assert_null(tender_network_ipam_lookup(ipam, "a"));
	c = tender_network_ipam_allocate(ipam, "c", &error);
	g_assert_cmpstr(c, ==, "10.88.0.2");
	d = tender_network_ipam_allocate(ipam, "d", &error);
	g_assert_cmpstr(d, ==, "10.88.0.4");
}

static void
test_network_ipam_full(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderNetworkIpam) tiny =
	    tender_network_ipam_new("192.168.77.0/30", NULL, &error);
	g_autoptr(TenderNetworkIpam) big = tender_network_ipam_new("10.88.0.0/16", NULL, &error);
	g_autofree gchar *only = NULL;
	g_autofree gchar *none = NULL;
	g_autofree gchar *last = NULL;
	g_autofree gchar *after = NULL;
	g_autofree gchar *freed = NULL;

	g_assert_no_error(error);
	/* .0 network, .1 the bridge, .3 broadcast: one workload */
	only = tender_network_ipam_allocate(tiny, "one", &error);
	g_assert_cmpstr(only, ==, "192.168.77.2");
	none = tender_network_ipam_allocate(tiny, "two", &error);
	g_assert_null(none);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
	g_assert_nonnull(strstr(error->message, "192.168.77.0/30"));
	g_assert_nonnull(strstr(error->message, "two"));
	g_clear_error(&error);
	g_assert_true(tender_network_ipam_release(tiny, "one", &error));
	freed = tender_network_ipam_allocate(tiny, "two", &error);
	g_assert_cmpstr(freed, ==, "192.168.77.2");

	/* a /16 holds 65533 workloads: 10.88.0.2 to 10.88.255.254 */
	for (guint i = 0; i < 65533; i++) {
		g_autofree gchar *name = g_strdup_printf("w%u", i);
		g_autofree gchar *address = tender_network_ipam_allocate(big, name, &error);
		g_assert_no_error(error);
		if (i == 65532)
			last = g_steal_pointer(&address);
	}
	g_assert_cmpstr(last, ==, "10.88.255.254");
	after = tender_network_ipam_allocate(big, "one-more", &error);
	g_assert_null(after);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
}

static void
test_network_ipam_persist(void)
{
	g_autofree gchar *dir = scratch_dir();
	g_autofree gchar *path = g_build_filename(dir, "network.json", NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;

	{
		g_autoptr(TenderNetworkIpam) ipam =
		    tender_network_ipam_new("10.88.0.0/16", path, &error);
		g_autofree gchar *a = NULL;
		g_autofree gchar *b = NULL;
		g_assert_no_error(error);
		g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
		a = tender_network_ipam_allocate(ipam, "web", &error);
		b = tender_network_ipam_allocate(ipam, "db", &error);
		g_assert_true(tender_network_ipam_release(ipam, "web", &error));
		g_free(a);
		a = tender_network_ipam_allocate(ipam, "cache", &error);
		g_assert_cmpstr(a, ==, "10.88.0.2");
	}
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	g_assert_nonnull(strstr(contents, "\"subnet\" : \"10.88.0.0/16\""));
	g_assert_null(strstr(contents, "web"));

	/* what a restarted tenderd reads: the same addresses, none given twice */
	{
		g_autoptr(TenderNetworkIpam) ipam =
		    tender_network_ipam_new("10.88.0.0/16", path, &error);
		g_autofree gchar *next = NULL;
		g_assert_no_error(error);
		g_assert_cmpuint(tender_network_ipam_get_size(ipam), ==, 2);
		g_assert_cmpstr(tender_network_ipam_lookup(ipam, "cache"), ==, "10.88.0.2");
		g_assert_cmpstr(tender_network_ipam_lookup(ipam, "db"), ==, "10.88.0.3");
		next = tender_network_ipam_allocate(ipam, "web", &error);
		g_assert_cmpstr(next, ==, "10.88.0.4");
	}

	/* another subnet now: the addresses outside it are dropped */
	{
		g_autoptr(TenderNetworkIpam) ipam = NULL;
		g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*address 10.88.0.*dropped*");
		g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*address 10.88.0.*dropped*");
		g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*address 10.88.0.*dropped*");
		ipam = tender_network_ipam_new("10.99.0.0/24", path, &error);
		g_test_assert_expected_messages();
		g_assert_no_error(error);
		g_assert_cmpuint(tender_network_ipam_get_size(ipam), ==, 0);
	}

	/* a file that is not one is an error, not an empty network */
	g_assert_true(g_file_set_contents(path, "{\"addresses\": [1]}", -1, NULL));
	{
		g_autoptr(TenderNetworkIpam) ipam =
		    tender_network_ipam_new("10.88.0.0/16", path, &error);
		g_assert_null(ipam);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
		g_clear_error(&error);
	}
	g_assert_true(g_file_set_contents(path, "{ half", -1, NULL));
	{
		g_autoptr(TenderNetworkIpam) ipam =
		    tender_network_ipam_new("10.88.0.0/16", path, &error);
		g_assert_null(ipam);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	}
	scratch_remove(dir);
}

static void
test_network_rules(void)
{
	TenderNetworkSubnet subnet = {0};
	g_autoptr(GPtrArray) published =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_network_publish_free);
	g_autofree gchar *text = NULL;
	g_autofree gchar *only = NULL;
	g_autofree gchar *empty = NULL;
	g_autofree gchar *del = NULL;
	const gchar *expected =
	    "add table inet tender\n"
	    "delete table inet tender\n"
	    "table inet tender {\n"
	    "\tchain prerouting {\n"
	    "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
	    "\t\tfib daddr type local ip daddr != 127.0.0.0/8 jump published\n"
	    "\t}\n"
	    "\tchain output {\n"
	    "\t\ttype nat hook output priority -100; policy accept;\n"
	    "\t\tfib daddr type local ip daddr != 127.0.0.0/8 jump published\n"
	    "\t}\n"
	    "\tchain published {\n"
	    "\t\ttcp dport 5432 dnat ip to 10.88.0.3:5432 comment \"db\"\n"
	    "\t\ttcp dport 8080 dnat ip to 10.88.0.2:80 comment \"web\"\n"
	    "\t\tudp dport 8080 dnat ip to 10.88.0.2:53 comment \"web\"\n"
	    "\t}\n"
	    "\tchain postrouting {\n"
	    "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
	    "\t\tip saddr 10.88.0.0/16 ip daddr != 10.88.0.0/16 masquerade\n"
	    "\t\toifname \"tender0\" ip saddr 10.88.0.0/16 ct status dnat masquerade\n"
	    "\t}\n"
	    "}\n";

	g_assert_true(tender_network_subnet_parse("10.88.0.0/16", &subnet, NULL));
	g_ptr_array_add(published, tender_network_publish_new("web", "10.88.0.2", 8080, 53, TRUE));
	g_ptr_array_add(published, tender_network_publish_new("web", "10.88.0.2", 8080, 80, FALSE));
	g_ptr_array_add(published,
			tender_network_publish_new("db", "10.88.0.3", 5432, 5432, FALSE));
	text = tender_network_rules_build("tender0", &subnet, NULL, published);
	g_assert_cmpstr(text, ==, expected);

	/* a specific publish address: DNAT there only */
	only = tender_network_rules_build("tender0", &subnet, "192.0.2.7", published);
	g_assert_nonnull(strstr(only, "\t\tip daddr 192.0.2.7 jump published\n"));
	g_assert_null(strstr(only, "fib daddr"));

	/* no workload: the NAT of the subnet, an empty DNAT chain */
	empty = tender_network_rules_build("br-x", &subnet, NULL, NULL);
	g_assert_nonnull(strstr(empty, "\tchain published {\n\t}\n"));
	g_assert_nonnull(strstr(empty, "oifname \"br-x\""));

	del = tender_network_rules_build_delete();
	g_assert_cmpstr(del, ==, "add table inet tender\ndelete table inet tender\n");
}

static void
test_network_link_names(void)
{
	g_autofree gchar *a = tender_network_link_host_name("web");
	g_autofree gchar *b = tender_network_link_host_name("web2");
	g_autofree gchar *again = tender_network_link_host_name("web");
	g_autofree gchar *longest = tender_network_link_host_name(
	    "a123456789012345678901234567890123456789012345678901234567890123");
	const gchar *bad[] = {"", "a b", "1234567890123456", "..", "x/y", NULL};

	g_assert_true(g_str_has_prefix(a, "tnd-"));
	g_assert_cmpuint(strlen(a), ==, 15);
	g_assert_cmpuint(strlen(longest), ==, 15);
	g_assert_cmpstr(a, ==, again);
	g_assert_cmpstr(a, !=, b);
	g_assert_true(tender_network_link_check_name("tender0", NULL));
	g_assert_true(tender_network_link_check_name("br_x.1-2", NULL));
	g_assert_true(tender_network_link_check_name(a, NULL));
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_network_link_check_name(bad[i], &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	}
}

static void
test_network_config(void)
{
	g_autofree gchar *dir = scratch_dir();
	g_autofree gchar *path = g_build_filename(dir, "tenderd.conf", NULL);
	g_autoptr(TenderConfig) defaults = tender_config_new();
	g_autoptr(GError) error = NULL;
	const gchar *bad[] = {"bridge=a-name-much-too-long",
			      "bridge=",
			      "subnet=10.88.0.0",
			      "subnet=10.88.0.1/16",
			      "subnet=10.88.0.0/31",
			      "subnet=fd00::/64",
			      "publish-address=localhost",
			      NULL};

	g_assert_cmpstr(defaults->network_bridge, ==, "tender0");
	g_assert_cmpstr(defaults->network_subnet, ==, "10.88.0.0/16");
	g_assert_cmpstr(defaults->network_publish_address, ==, "127.0.0.1");

	g_assert_true(g_file_set_contents(path,
					  "[network]\nbridge=br-t\nsubnet=10.200.0.0/24\n"
					  "publish-address=0.0.0.0\n",
					  -1,
					  NULL));
	{
		g_autoptr(TenderConfig) config = tender_config_new();
		g_assert_true(tender_config_load(config, path, TRUE, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(config->network_bridge, ==, "br-t");
		g_assert_cmpstr(config->network_subnet, ==, "10.200.0.0/24");
		g_assert_cmpstr(config->network_publish_address, ==, "0.0.0.0");
	}
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(TenderConfig) config = tender_config_new();
		g_autofree gchar *text = g_strdup_printf("[network]\n%s\n", bad[i]);
		g_autofree gchar *key = g_strndup(bad[i], strchr(bad[i], '=') - bad[i]);
		g_assert_true(g_file_set_contents(path, text, -1, NULL));
		g_assert_false(tender_config_load(config, path, TRUE, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, key));
		g_clear_error(&error);
	}
	scratch_remove(dir);
}

/* --- the proxies, between two loopback ports --- */

static gpointer
tcp_client_thread(gpointer data)
{
	guint16 port = GPOINTER_TO_UINT(data);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketConnection) conn = NULL;
	g_autoptr(GError) error = NULL;
	gchar buf[64] = {0};
	gsize n = 0;

	conn = g_socket_client_connect_to_host(client, "127.0.0.1", port, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_output_stream_write_all(g_io_stream_get_output_stream(G_IO_STREAM(conn)),
						"ping",
						4,
						NULL,
						NULL,
						&error));
	/* the half-close reaches the server through the proxy, which then answers */
	g_assert_true(g_socket_shutdown(g_socket_connection_get_socket(conn), FALSE, TRUE, &error));
	g_assert_true(g_input_stream_read_all(g_io_stream_get_input_stream(G_IO_STREAM(conn)),
					      buf,
					      sizeof(buf) - 1,
					      &n,
					      NULL,
					      &error));
	g_assert_no_error(error);
	return g_strndup(buf, n);
}

static gpointer
tcp_server_thread(gpointer data)
{
	GSocket *listener = data;
	g_autoptr(GSocket) conn = NULL;
	g_autoptr(GError) error = NULL;
	gchar buf[64] = {0};
	gsize got = 0;
	g_autofree gchar *reply = NULL;

	conn = g_socket_accept(listener, NULL, &error);
	g_assert_no_error(error);
	for (;;) {
		gssize n = g_socket_receive(conn, buf + got, sizeof(buf) - 1 - got, NULL, &error);
		g_assert_cmpint(n, >=, 0);
		if (n == 0)
			break;
		got += (gsize)n;
	}
	reply = g_strdup_printf("pong:%s", buf);
	g_assert_cmpint(g_socket_send(conn, reply, strlen(reply), NULL, &error), ==, strlen(reply));
	g_socket_close(conn, NULL);
	return NULL;
}

static gboolean
thread_done_cb(gpointer data)
{
	GMainLoop *loop = data;
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

typedef struct {
	GThread *thread;
	GMainLoop *loop;
	gpointer result;
} Joiner;

static gpointer
joiner_thread(gpointer data)
{
	Joiner *j = data;
	j->result = g_thread_join(j->thread);
	g_idle_add(thread_done_cb, j->loop);
	return NULL;
}

/* a socket on 127.0.0.1 and a port the kernel chose */
static GSocket *
loopback_socket(GSocketType type, guint16 *port)
{
	g_autoptr(GSocket) socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, NULL);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) where = g_inet_socket_address_new(lo, 0);
	g_autoptr(GSocketAddress) bound = NULL;

	g_assert_true(g_socket_bind(socket, where, type == G_SOCKET_TYPE_STREAM, NULL));
	bound = g_socket_get_local_address(socket, NULL);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	return g_steal_pointer(&socket);
}

static void
assert_port_taken(guint16 port, gboolean udp)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderNetworkProxy) twice =
	    tender_network_proxy_new("127.0.0.1", port, udp, &error);
	g_autofree gchar *named = g_strdup_printf("port %u/%s", port, udp ? "udp" : "tcp");

	g_assert_null(twice);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, named));
}

/* runs @server on @target's socket and @client against the proxy's port, starts @proxy (a
 * client may connect before: the kernel keeps it waiting), and returns what @client got */
static gchar *
relay(TenderNetworkProxy *proxy, GSocket *target, GThreadFunc server, GThreadFunc client)
{
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GSocketAddress) bound = g_socket_get_local_address(target, NULL);
	guint16 port = tender_network_proxy_get_port(proxy);
	GThread *server_thread = g_thread_new("server", server, target);
	Joiner j = {g_thread_new("client", client, GUINT_TO_POINTER(port)), loop, NULL};
	GThread *joiner = g_thread_new("joiner", joiner_thread, &j);

	tender_network_proxy_start(proxy,
				   "127.0.0.1",
				   g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound)));
	g_main_loop_run(loop);
	g_thread_join(joiner);
	g_thread_join(server_thread);
	return j.result;
}

static void
test_network_proxy_tcp(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderNetworkProxy) proxy = NULL;
	g_autoptr(TenderNetworkProxy) again = NULL;
	g_autofree gchar *reply = NULL;
	guint16 target = 0;
	guint16 port = 0;
	g_autoptr(GSocket) listener = loopback_socket(G_SOCKET_TYPE_STREAM, &target);
	g_autoptr(GSocket) probe = loopback_socket(G_SOCKET_TYPE_STREAM, &port);

	g_assert_true(g_socket_listen(listener, NULL));
	g_socket_close(probe, NULL);
	proxy = tender_network_proxy_new("127.0.0.1", port, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(tender_network_proxy_get_port(proxy), ==, port);
	g_assert_false(tender_network_proxy_get_udp(proxy));

	/* the same port again is refused, naming it; so is a port a server listens on */
	assert_port_taken(port, FALSE);
	assert_port_taken(target, FALSE);

	reply = relay(proxy, listener, tcp_server_thread, tcp_client_thread);
	g_assert_cmpstr(reply, ==, "pong:ping");

	/* stopped: the port is free again */
	tender_network_proxy_stop(proxy);
	again = tender_network_proxy_new("127.0.0.1", port, FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(again);
}

static gpointer
udp_client_thread(gpointer data)
{
	guint16 port = GPOINTER_TO_UINT(data);
	g_autoptr(GSocket) socket = g_socket_new(G_SOCKET_FAMILY_IPV4,
						 G_SOCKET_TYPE_DATAGRAM,
						 G_SOCKET_PROTOCOL_DEFAULT,
						 NULL);
	g_autoptr(GSocketAddress) to = g_inet_socket_address_new_from_string("127.0.0.1", port);
	g_autoptr(GError) error = NULL;
	gchar buf[64] = {0};
	gssize n;

	g_socket_set_timeout(socket, 10);
	g_assert_cmpint(g_socket_send_to(socket, to, "hello", 5, NULL, &error), ==, 5);
	n = g_socket_receive(socket, buf, sizeof(buf) - 1, NULL, &error);
	g_assert_no_error(error);
	return g_strndup(buf, (gsize)n);
}

static gpointer
udp_server_thread(gpointer data)
{
	GSocket *server = data;
	g_autoptr(GSocketAddress) peer = NULL;
	g_autoptr(GError) error = NULL;
	gchar buf[64] = {0};
	g_autofree gchar *reply = NULL;
	gssize n;

	n = g_socket_receive_from(server, &peer, buf, sizeof(buf) - 1, NULL, &error);
	g_assert_cmpint(n, >, 0);
	reply = g_strdup_printf("echo:%s", buf);
	g_assert_cmpint(g_socket_send_to(server, peer, reply, strlen(reply), NULL, &error),
			==,
			strlen(reply));
	return NULL;
}

/* what a create checks of the ports (nothing is attached: no link or rule is made) */
static void
test_network_check_ports(void)
{
	g_autofree gchar *dir = scratch_dir();
	g_autoptr(TenderNetworkManager) manager = NULL;
	g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(TenderSpecPort));
	g_autoptr(GError) error = NULL;
	guint16 taken = 0;
	guint16 free_port = 0;
	g_autoptr(GSocket) listener = loopback_socket(G_SOCKET_TYPE_STREAM, &taken);
	g_autoptr(GSocket) probe = loopback_socket(G_SOCKET_TYPE_STREAM, &free_port);
	TenderSpecPort port = {0};

	g_assert_true(g_socket_listen(listener, NULL));
	g_socket_close(probe, NULL);
	manager = tender_network_manager_new(dir, NULL, NULL, "127.0.0.1", &error);
	g_assert_no_error(error);

	/* none, and a free one: fine, and the free one stays free */
	g_assert_true(tender_network_manager_check_ports(manager, "web", NULL, &error));
	g_assert_no_error(error);
	port.host_port = free_port;
	port.container_port = 80;
	g_array_append_val(ports, port);
	g_assert_true(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_no_error(error);
	g_assert_true(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_no_error(error);

	/* the same host port twice, for the same protocol */
	g_array_append_val(ports, port);
	g_assert_false(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "published twice"));
	g_clear_error(&error);
	/* once for tcp, once for udp: fine */
	g_array_index(ports, TenderSpecPort, 1).udp = TRUE;
	g_assert_true(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_no_error(error);

	/* a port a server of the host listens on */
	g_array_set_size(ports, 1);
	g_array_index(ports, TenderSpecPort, 0).host_port = taken;
	g_assert_false(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* port 0 */
	g_array_index(ports, TenderSpecPort, 0).host_port = 0;
	g_assert_false(tender_network_manager_check_ports(manager, "web", ports, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	scratch_remove(dir);
}

static void
test_network_proxy_udp(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderNetworkProxy) proxy = NULL;
	g_autofree gchar *reply = NULL;
	guint16 target = 0;
	guint16 port = 0;
	g_autoptr(GSocket) server = loopback_socket(G_SOCKET_TYPE_DATAGRAM, &target);
	g_autoptr(GSocket) probe = loopback_socket(G_SOCKET_TYPE_DATAGRAM, &port);

	g_socket_close(probe, NULL);
	proxy = tender_network_proxy_new("127.0.0.1", port, TRUE, &error);
	g_assert_no_error(error);
	g_assert_true(tender_network_proxy_get_udp(proxy));
	assert_port_taken(port, TRUE);
	reply = relay(proxy, server, udp_server_thread, udp_client_thread);
	g_assert_cmpstr(reply, ==, "echo:hello");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/network/subnet", test_network_subnet);
	g_test_add_func("/network/ipam/allocate", test_network_ipam_allocate);
	g_test_add_func("/network/ipam/full", test_network_ipam_full);
	g_test_add_func("/network/ipam/persist", test_network_ipam_persist);
	g_test_add_func("/network/rules", test_network_rules);
	g_test_add_func("/network/link-names", test_network_link_names);
	g_test_add_func("/network/config", test_network_config);
	g_test_add_func("/network/proxy/tcp", test_network_proxy_tcp);
	g_test_add_func("/network/proxy/udp", test_network_proxy_udp);
	g_test_add_func("/network/check-ports", test_network_check_ports);
	return g_test_run();
}
