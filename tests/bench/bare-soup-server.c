/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * bare-soup-server: the floor of tenderd's HTTP API in the benchmarks (section 3 of
 * tests/bench/bench.py): a libsoup 3 server with one route and nothing else, written as
 * libsoup's documentation shows, with libsoup's own listener and its defaults (keep-alive).
 *
 *   bare-soup-server PORT
 *
 * GET /api/health answers {"status": "ok", "version": "...", "workloads": 0} built with
 * json-glib, as tenderd's does; any other path is 404, any other method 405.  Listens on
 * 127.0.0.1:PORT only, until SIGTERM or SIGINT.
 */

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdlib.h>

static void
bare_soup_server_health_cb(SoupServer *server,
			   SoupServerMessage *msg,
			   const char *path,
			   GHashTable *query,
			   gpointer user_data)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	gsize len = 0;
	gchar *body;

	if (g_strcmp0(path, "/api/health") != 0) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_FOUND, NULL);
		return;
	}
	if (g_strcmp0(soup_server_message_get_method(msg), "GET") != 0) {
		soup_server_message_set_status(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
		return;
	}
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "status");
	json_builder_add_string_value(b, "ok");
	json_builder_set_member_name(b, "version");
	json_builder_add_string_value(b, "0");
	json_builder_set_member_name(b, "workloads");
	json_builder_add_int_value(b, 0);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	body = json_generator_to_data(gen, &len);
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_TAKE, body, len);
}

static gboolean
bare_soup_server_quit_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	g_autoptr(SoupServer) server = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autoptr(GInetAddress) lo = NULL;
	g_autoptr(GSocketAddress) addr = NULL;
	g_autoptr(GError) error = NULL;
	gchar *end = NULL;
	guint64 port;

	if (argc != 2) {
		g_printerr("usage: bare-soup-server PORT\n");
		return 2;
	}
	port = g_ascii_strtoull(argv[1], &end, 10);
	if (end == argv[1] || *end != '\0' || port == 0 || port > 65535) {
		g_printerr("bare-soup-server: '%s' is not a port (1-65535)\n", argv[1]);
		return 2;
	}
	server = soup_server_new("server-header", "bare-soup-server", NULL);
	soup_server_add_handler(server, "/api/health", bare_soup_server_health_cb, NULL, NULL);
	lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	addr = g_inet_socket_address_new(lo, (guint16)port);
	if (!soup_server_listen(server, addr, 0, &error)) {
		g_printerr("bare-soup-server: listening on 127.0.0.1:%u: %s\n",
			   (guint)port,
			   error->message);
		return 1;
	}
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, bare_soup_server_quit_cb, loop);
	g_unix_signal_add(SIGINT, bare_soup_server_quit_cb, loop);
	g_main_loop_run(loop);
	return 0;
}
