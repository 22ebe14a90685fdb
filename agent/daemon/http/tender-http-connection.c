/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-http-connection.h"

/*
 * TenderHttpConnection: what tenderd knows of a connection before libsoup reads a byte of it,
 * its client's credentials on the unix socket and whether it is over max-connections; and
 * the connection's life between requests.  It hangs on the connection's remote address, the
 * object libsoup has from soup_server_accept_iostream() and gives back for each of its
 * messages.
 *
 * A connection is busy from the moment it is accepted until the response to its request is
 * sent (libsoup's request-finished or request-aborted), and from the first byte of each next
 * request (request-started); while busy, libsoup reads and writes it, within the header
 * timeout, the socket's idle timeout and the streams' own rules.  In between it is idle, and
 * tenderd is in charge of it, because libsoup 3.2 is not: it waits for the next request
 * without a limit, and when that request does not come (the client hangs up, resets, or the
 * socket times out), it drops its message without telling the server, which then keeps the
 * connection and its descriptor for good.  So, while idle:
 *
 *  - the socket has no timeout of its own, so that libsoup's wait fails for no timeout;
 *  - tenderd watches the socket, at a higher priority than libsoup's wait (GLib dispatches
 *    only the ready sources of the highest priority in an iteration, so tenderd always looks
 *    first): the first byte of a request ends the watch, and libsoup reads it, which starts
 *    a request (a byte that is there cannot fail to be read: only libsoup reads the socket);
 *    a client that hung up or reset (no byte, end of file or an error) is closed at once;
 *  - after the idle timeout, the connection is closed.
 *
 * tenderd closes an idle connection by taking it back from libsoup with
 * soup_server_message_steal_connection() on the message it answered last, then closing the
 * socket: libsoup frees its waiting message and its connection, and tells the messages of
 * the connection (SoupServerMessage::disconnected), as it does when it closes a connection
 * itself.  That signal, whoever closed the connection, is when it stops counting against
 * max-connections.
 */

#define TENDER_HTTP_CONNECTION_KEY "tender-http-connection"

/* above libsoup's sources (G_PRIORITY_DEFAULT): tenderd sees an idle connection first */
#define TENDER_HTTP_CONNECTION_IDLE_PRIORITY G_PRIORITY_HIGH

static void
tender_http_connection_clear(TenderHttpConnection *conn)
{
	g_clear_object(&conn->stream);
}

/**
 * tender_http_connection_new:
 * @sock: a connection just accepted
 * @idle_timeout_sec: how long it may stay silent, mid-request or between requests
 *
 * Returns: (transfer full): a connection, with the credentials of a unix socket's client
 */
TenderHttpConnection *
tender_http_connection_new(GSocket *sock, guint idle_timeout_sec)
{
	TenderHttpConnection *conn = g_rc_box_new0(TenderHttpConnection);
	g_autoptr(GCredentials) creds = NULL;

	conn->stream = g_socket_connection_factory_create_connection(sock);
	conn->idle_timeout_sec = idle_timeout_sec;
	conn->is_unix = g_socket_get_family(sock) == G_SOCKET_FAMILY_UNIX;
	conn->uid = G_MAXUINT32;
	conn->pid = -1;
	g_socket_set_timeout(sock, idle_timeout_sec);
	if (conn->is_unix) {
		creds = g_socket_get_credentials(sock, NULL);
		if (creds != NULL) {
			conn->uid = (guint32)g_credentials_get_unix_user(creds, NULL);
			conn->pid = g_credentials_get_unix_pid(creds, NULL);
		}
	} else {
		/* a response goes out in several writes, the last one must not wait */
		(void)g_socket_set_option(sock, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
	}
	return conn;
}

/**
 * tender_http_connection_release:
 * @conn: a #TenderHttpConnection
 *
 * Drops a reference.
 */
void
tender_http_connection_release(TenderHttpConnection *conn)
{
	g_rc_box_release_full(conn, (GDestroyNotify)tender_http_connection_clear);
}

/**
 * tender_http_connection_set_closed_func:
 * @conn: a #TenderHttpConnection
 * @func: (nullable): called once when @conn has closed
 * @user_data: for @func
 */
void
tender_http_connection_set_closed_func(TenderHttpConnection *conn,
				       TenderHttpConnectionClosedFunc func,
				       gpointer user_data)
{
	conn->closed_func = func;
	conn->closed_data = user_data;
}

static void
tender_http_connection_source_free(GSource *source)
{
	g_source_destroy(source);
	g_source_unref(source);
}

/* no longer idle: a request starts, or the connection has closed */
static void
tender_http_connection_leave_idle(TenderHttpConnection *conn)
{
	g_clear_pointer(&conn->hangup, tender_http_connection_source_free);
	g_clear_pointer(&conn->idle, tender_http_connection_source_free);
	g_clear_object(&conn->last);
}

/* SoupServerMessage::disconnected, of each message of @conn: libsoup no longer has it */
static void
tender_http_connection_disconnected_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpConnection *conn = user_data;

	if (conn->closed)
		return;
	conn->closed = TRUE;
	tender_http_connection_leave_idle(conn);
	/* libsoup closed it already, unless tenderd took it back */
	(void)g_io_stream_close(G_IO_STREAM(conn->stream), NULL, NULL);
	if (conn->closed_func != NULL)
		conn->closed_func(conn, conn->closed_data);
}

/* an idle connection: takes it back from libsoup, and closes it */
static void
tender_http_connection_close_idle(TenderHttpConnection *conn)
{
	g_autoptr(SoupServerMessage) last = g_steal_pointer(&conn->last);
	g_autoptr(GIOStream) stolen = NULL;

	tender_http_connection_leave_idle(conn);
	/* libsoup waits for the next request with a message of its own (see the top): taking
	 * the connection frees it, and libsoup's connection, and emits ::disconnected */
	stolen = soup_server_message_steal_connection(last);
	if (stolen != NULL)
		(void)g_io_stream_close(stolen, NULL, NULL);
	(void)g_io_stream_close(G_IO_STREAM(conn->stream), NULL, NULL);
}

static gboolean
tender_http_connection_idle_timeout_cb(gpointer user_data)
{
	TenderHttpConnection *conn = user_data;

	g_debug("HTTP connection idle for %u s: closed", conn->idle_timeout_sec);
	tender_http_connection_close_idle(conn);
	return G_SOURCE_REMOVE;
}

/* an idle connection is readable: the next request, or a client that has gone */
static gboolean
tender_http_connection_hangup_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderHttpConnection *conn = user_data;
	gchar byte;
	gssize n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return G_SOURCE_CONTINUE;
	if (n > 0) {
		/* libsoup reads it, and the request starts: the header timeout applies */
		g_clear_pointer(&conn->idle, tender_http_connection_source_free);
		g_clear_pointer(&conn->hangup, g_source_unref);
		return G_SOURCE_REMOVE;
	}
	tender_http_connection_close_idle(conn);
	return G_SOURCE_REMOVE;
}

static GSource *
tender_http_connection_add_source(TenderHttpConnection *conn, GSource *source, GSourceFunc func)
{
	g_source_set_priority(source, TENDER_HTTP_CONNECTION_IDLE_PRIORITY);
	g_source_set_callback(source,
			      func,
			      g_rc_box_acquire(conn),
			      (GDestroyNotify)tender_http_connection_release);
	g_source_attach(source, NULL);
	return source;
}

/**
 * tender_http_connection_request_started:
 * @conn: a #TenderHttpConnection
 * @msg: a request that starts on it (libsoup's request-started)
 *
 * The connection is busy until @msg is answered.
 */
void
tender_http_connection_request_started(TenderHttpConnection *conn, SoupServerMessage *msg)
{
	GSocket *sock = g_socket_connection_get_socket(conn->stream);

	tender_http_connection_leave_idle(conn);
	g_signal_connect(msg,
			 "disconnected",
			 G_CALLBACK(tender_http_connection_disconnected_cb),
			 conn);
	/* a stream lifted it for the request before */
	g_socket_set_timeout(sock, conn->idle_timeout_sec);
}

/**
 * tender_http_connection_request_finished:
 * @conn: a #TenderHttpConnection
 * @msg: the request it answered (libsoup's request-finished or request-aborted)
 *
 * The connection is idle until the next request starts, or closed after the idle timeout,
 * or at once if the client hangs up.  If libsoup closes it now instead (the client or the
 * response said Connection: close, or the request failed), it does so before the main loop
 * looks at the connection again, and it is closed.
 */
void
tender_http_connection_request_finished(TenderHttpConnection *conn, SoupServerMessage *msg)
{
	GSocket *sock = g_socket_connection_get_socket(conn->stream);

	if (conn->closed || conn->last != NULL)
		return;
	conn->last = g_object_ref(msg);
	/* libsoup waits for the next request after this returns: without a timeout (see the
	 * top) */
	g_socket_set_timeout(sock, 0);
	conn->hangup =
	    tender_http_connection_add_source(conn,
					      g_unix_fd_source_new(g_socket_get_fd(sock),
								   G_IO_IN | G_IO_HUP | G_IO_ERR),
					      G_SOURCE_FUNC(tender_http_connection_hangup_cb));
	conn->idle =
	    tender_http_connection_add_source(conn,
					      g_timeout_source_new_seconds(conn->idle_timeout_sec),
					      tender_http_connection_idle_timeout_cb);
}

/**
 * tender_http_connection_enable_keepalive:
 * @server: the server connections are handed to with soup_server_accept_iostream()
 * @error: (nullable): a #GError
 *
 * Lets @server keep connections alive.  libsoup 3.2 keeps a connection alive only on a
 * server with a listener of its own (soup-server.c, request_finished(): "priv->listeners");
 * otherwise it closes each connection after one response.  This gives it one that nobody
 * can connect to: one end of a socketpair(2), connected, not listening, with no address in
 * any namespace (neither a path nor the abstract namespace), whose other end is closed at
 * once.  libsoup's listener takes it (soup_listener_new() wants a listening or connected
 * socket), watches it, finds it readable (end of file), fails to accept(2) on it and stops
 * watching: it never yields a connection, and serves only to be there.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_http_connection_enable_keepalive(SoupServer *server, GError **error)
{
	g_autoptr(GSocket) sock = NULL;
	gint fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create a socket pair: %s",
			    g_strerror(errno));
		return FALSE;
	}
	sock = g_socket_new_from_fd(fds[0], error);
	if (sock == NULL)
		(void)close(fds[0]);
	(void)close(fds[1]);
	return sock != NULL && soup_server_listen_socket(server, sock, 0, error);
}

/**
 * tender_http_connection_attach:
 * @conn: (transfer full): a #TenderHttpConnection
 * @remote: its remote address, to hand to libsoup
 *
 * Hangs @conn on @remote, where tender_http_connection_from_message() finds it.
 */
void
tender_http_connection_attach(TenderHttpConnection *conn, GSocketAddress *remote)
{
	g_object_set_data_full(G_OBJECT(remote),
			       TENDER_HTTP_CONNECTION_KEY,
			       conn,
			       (GDestroyNotify)tender_http_connection_release);
}

/**
 * tender_http_connection_from_message:
 * @msg: a message
 *
 * Returns: (transfer none) (nullable): the connection @msg came on
 */
TenderHttpConnection *
tender_http_connection_from_message(SoupServerMessage *msg)
{
	GSocketAddress *remote = soup_server_message_get_remote_address(msg);
	return remote != NULL ? g_object_get_data(G_OBJECT(remote), TENDER_HTTP_CONNECTION_KEY)
			      : NULL;
}

/**
 * tender_http_connection_get_message_socket:
 * @msg: a message
 *
 * Returns: (transfer none) (nullable): the socket @msg came on
 */
GSocket *
tender_http_connection_get_message_socket(SoupServerMessage *msg)
{
	TenderHttpConnection *conn = tender_http_connection_from_message(msg);
	return conn != NULL ? g_socket_connection_get_socket(conn->stream) : NULL;
}
