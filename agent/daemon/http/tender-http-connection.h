/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _TenderHttpConnection TenderHttpConnection;

/* called once, when the connection has closed (whoever closed it) */
typedef void (*TenderHttpConnectionClosedFunc)(TenderHttpConnection *conn, gpointer user_data);

/* one connection tenderd accepted and handed to libsoup; reference counted (GRcBox) */
struct _TenderHttpConnection {
	GSocketConnection *stream;
	gboolean is_unix;
	gboolean over_limit; /* answered 503 */
	GPid pid;	     /* the peer's, on the unix socket; else -1 */
	guint32 uid;	     /* the peer's, on the unix socket; else G_MAXUINT32 */
	/* the rest is tender-http-connection.c's */
	guint idle_timeout_sec;
	gboolean closed;
	SoupServerMessage *last; /* while idle: the message answered last */
	GSource *hangup;	 /* while idle: the client sends or goes */
	GSource *idle;		 /* while idle: the idle timeout */
	TenderHttpConnectionClosedFunc closed_func;
	gpointer closed_data;
};

TenderHttpConnection *
tender_http_connection_new(GSocket *sock, guint idle_timeout_sec);
void
tender_http_connection_release(TenderHttpConnection *conn);
void
tender_http_connection_set_closed_func(TenderHttpConnection *conn,
				       TenderHttpConnectionClosedFunc func,
				       gpointer user_data);
gboolean
tender_http_connection_enable_keepalive(SoupServer *server, GError **error);
void
tender_http_connection_attach(TenderHttpConnection *conn, GSocketAddress *remote);
void
tender_http_connection_request_started(TenderHttpConnection *conn, SoupServerMessage *msg);
void
tender_http_connection_request_finished(TenderHttpConnection *conn, SoupServerMessage *msg);
TenderHttpConnection *
tender_http_connection_from_message(SoupServerMessage *msg);
GSocket *
tender_http_connection_get_message_socket(SoupServerMessage *msg);

G_END_DECLS
