/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tender-http-connection.h"

/*
 * TenderHttpConnection with a libsoup server, as tender-http-server.c uses it: each client
 * is one end of a socket pair, the other end accepted with soup_server_accept_iostream().
 * Under AddressSanitizer (the default build), its leak check at the end fails the test if a
 * connection, a message or a descriptor of libsoup or tenderd's is lost on the way.
 */

#define HEALTH "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"

typedef struct {
	SoupServer *server;
	guint open; /* connections accepted and not yet closed */
	guint idle_timeout_sec;
} Fixture;

static void
fixture_handler_cb(SoupServer *server,
		   SoupServerMessage *msg,
		   const char *path,
		   GHashTable *query,
		   gpointer user_data)
{
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg,
					 "application/json",
					 SOUP_MEMORY_STATIC,
					 "{\"status\": \"ok\"}",
					 16);
}

static void
fixture_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	tender_http_connection_request_started(tender_http_connection_from_message(msg), msg);
}

static void
fixture_finished_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	tender_http_connection_request_finished(tender_http_connection_from_message(msg), msg);
}

static void
fixture_closed_cb(TenderHttpConnection *conn, gpointer user_data)
{
	Fixture *fx = user_data;
	g_assert_cmpuint(fx->open, >, 0);
	fx->open--;
}

static void
fixture_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) error = NULL;

	fx->idle_timeout_sec = 60;
	fx->server = soup_server_new(NULL, NULL);
	soup_server_add_handler(fx->server, NULL, fixture_handler_cb, fx, NULL);
	g_signal_connect(fx->server, "request-started", G_CALLBACK(fixture_started_cb), fx);
	g_signal_connect(fx->server, "request-finished", G_CALLBACK(fixture_finished_cb), fx);
	g_signal_connect(fx->server, "request-aborted", G_CALLBACK(fixture_finished_cb), fx);
	g_assert_true(tender_http_connection_enable_keepalive(fx->server, &error));
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *fx, gconstpointer data)
{
	soup_server_disconnect(fx->server);
	g_clear_object(&fx->server);
	while (g_main_context_iteration(NULL, FALSE))
		;
}

/* a new client: its end of the socket pair */
static gint
fixture_connect(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) sock = NULL;
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocketAddress) remote = NULL;
	TenderHttpConnection *conn;
	gint fds[2];

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
	sock = g_socket_new_from_fd(fds[1], &error);
	g_assert_no_error(error);
	local = g_socket_get_local_address(sock, &error);
	g_assert_no_error(error);
	remote = g_socket_get_remote_address(sock, &error);
	g_assert_no_error(error);
	conn = tender_http_connection_new(sock, fx->idle_timeout_sec);
	tender_http_connection_set_closed_func(conn, fixture_closed_cb, fx);
	tender_http_connection_attach(conn, remote);
	fx->open++;
	g_assert_true(soup_server_accept_iostream(fx->server,
						  G_IO_STREAM(conn->stream),
						  local,
						  remote,
						  &error));
	g_assert_no_error(error);
	return fds[0];
}

/* sends @len bytes of @text, or all of it if @len is 0 */
static void
fixture_send(gint fd, const gchar *text, gsize len)
{
	gsize size = len != 0 ? len : strlen(text);
	g_assert_cmpint(send(fd, text, size, MSG_NOSIGNAL), ==, (gssize)size);
}

/* what the server sent @fd, once it sent a whole response or closed: NULL if it closed */
static gchar *
fixture_read_response(gint fd)
{
	g_autoptr(GString) got = g_string_new(NULL);

	for (;;) {
		gchar buf[4096];
		gssize n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return NULL;
		if (n > 0) {
			g_string_append_len(got, buf, n);
			/* the body is 16 bytes */
			if (strstr(got->str, "\r\n\r\n") != NULL &&
			    strlen(strstr(got->str, "\r\n\r\n")) == 4 + 16)
				return g_string_free(g_steal_pointer(&got), FALSE);
			continue;
		}
		g_assert_cmpint(errno, ==, EAGAIN);
		g_main_context_iteration(NULL, TRUE);
	}
}

static gboolean
fixture_tick_cb(gpointer user_data)
{
	return G_SOURCE_CONTINUE;
}

static void
fixture_iterate_until_closed(Fixture *fx, guint open, guint timeout_sec)
{
	gint64 deadline = g_get_monotonic_time() + timeout_sec * G_USEC_PER_SEC;
	/* wakes the loop up to look at the time */
	guint tick = g_timeout_add(100, fixture_tick_cb, NULL);

	while (fx->open > open && g_get_monotonic_time() < deadline)
		g_main_context_iteration(NULL, TRUE);
	g_source_remove(tick);
	g_assert_cmpuint(fx->open, ==, open);
}

static void
test_keepalive(Fixture *fx, gconstpointer data)
{
	gint fd = fixture_connect(fx);

	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *response = NULL;
		fixture_send(fd, HEALTH, 0);
		response = fixture_read_response(fd);
		g_assert_nonnull(response);
		g_assert_true(g_str_has_prefix(response, "HTTP/1.1 200 "));
		g_assert_null(strstr(response, "Connection: close"));
		g_assert_cmpuint(fx->open, ==, 1);
	}
	/* the client hangs up between requests: closed at once */
	(void)close(fd);
	fixture_iterate_until_closed(fx, 0, 5);
}

static void
test_connection_close(Fixture *fx, gconstpointer data)
{
	const gchar *request = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	gint fd = fixture_connect(fx);
	g_autofree gchar *response = NULL;

	fixture_send(fd, request, 0);
	response = fixture_read_response(fd);
	g_assert_nonnull(response);
	fixture_iterate_until_closed(fx, 0, 5);
	g_assert_null(fixture_read_response(fd));
	(void)close(fd);
}

static void
test_idle_timeout(Fixture *fx, gconstpointer data)
{
	g_autofree gchar *response = NULL;
	gint64 start;
	gint fd;

	fx->idle_timeout_sec = 1;
	fd = fixture_connect(fx);
	fixture_send(fd, HEALTH, 0);
	response = fixture_read_response(fd);
	g_assert_nonnull(response);
	start = g_get_monotonic_time();
	/* the server closes it: the client reads the end */
	g_assert_null(fixture_read_response(fd));
	g_assert_cmpint(g_get_monotonic_time() - start, >=, G_USEC_PER_SEC / 2);
	g_assert_cmpuint(fx->open, ==, 0);
	(void)close(fd);
}

/* clients that vanish in every way leave nothing: not in the count, and (AddressSanitizer's
 * leak check) not in memory */
static void
test_vanishing_clients(Fixture *fx, gconstpointer data)
{
	for (guint i = 0; i < 2000; i++) {
		gint fd = fixture_connect(fx);
		switch (i % 4) {
		case 0: /* silent */
			break;
		case 1: /* half a request */
			fixture_send(fd, HEALTH, 10);
			break;
		case 2: /* the whole request, unread */
			fixture_send(fd, HEALTH, 0);
			break;
		default: { /* idle after an answer */
			g_autofree gchar *response = NULL;
			fixture_send(fd, HEALTH, 0);
			response = fixture_read_response(fd);
			g_assert_nonnull(response);
		}
		}
		(void)close(fd);
		if (i % 100 == 99)
			fixture_iterate_until_closed(fx, 0, 10);
	}
	fixture_iterate_until_closed(fx, 0, 10);
}

int
main(int argc, char **argv)
{
	const struct {
		const gchar *path;
		void (*func)(Fixture *fx, gconstpointer data);
	} tests[] = {
	    {"/http-connection/keepalive", test_keepalive},
	    {"/http-connection/connection-close", test_connection_close},
	    {"/http-connection/idle-timeout", test_idle_timeout},
	    {"/http-connection/vanishing-clients", test_vanishing_clients},
	};

	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(tests); i++)
		g_test_add(tests[i].path,
			   Fixture,
			   NULL,
			   fixture_setup,
			   tests[i].func,
			   fixture_teardown);
	return g_test_run();
}
