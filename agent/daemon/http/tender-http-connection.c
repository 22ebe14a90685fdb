/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "tender-http-connection.h"

/*
 * TenderHttpConnection: what tenderd knows of a connection before libsoup reads a byte of it,
 * its client's credentials on the unix socket and whether it is over max-connections.  It
 * hangs on the connection's remote address, the object libsoup has from
 * soup_server_accept_iostream() and gives back for each of its messages.
 */

#define TENDER_HTTP_CONNECTION_KEY "tender-http-connection"

static void
tender_http_connection_clear(TenderHttpConnection *conn)
{
	g_clear_object(&conn->stream);
}

/**
 * tender_http_connection_new:
 * @sock: a connection just accepted
 *
 * Returns: (transfer full): a connection, with the credentials of a unix socket's client
 */
TenderHttpConnection *
tender_http_connection_new(GSocket *sock)
{
	TenderHttpConnection *conn = g_rc_box_new0(TenderHttpConnection);
	g_autoptr(GCredentials) creds = NULL;

	conn->stream = g_socket_connection_factory_create_connection(sock);
	conn->is_unix = g_socket_get_family(sock) == G_SOCKET_FAMILY_UNIX;
	conn->uid = G_MAXUINT32;
	conn->pid = -1;
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
 * tender_http_connection_is_closed:
 * @conn: a #TenderHttpConnection
 *
 * Returns: whether libsoup has closed it
 */
gboolean
tender_http_connection_is_closed(TenderHttpConnection *conn)
{
	return g_io_stream_is_closed(G_IO_STREAM(conn->stream));
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
