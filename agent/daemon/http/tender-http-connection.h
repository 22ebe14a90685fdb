/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* one connection tenderd accepted and handed to libsoup; reference counted (GRcBox) */
typedef struct {
	GSocketConnection *stream;
	gboolean is_unix;
	gboolean over_limit; /* answered 503 */
	GPid pid;	     /* the peer's, on the unix socket; else -1 */
	guint32 uid;	     /* the peer's, on the unix socket; else G_MAXUINT32 */
} TenderHttpConnection;

TenderHttpConnection *
tender_http_connection_new(GSocket *sock);
void
tender_http_connection_release(TenderHttpConnection *conn);
gboolean
tender_http_connection_is_closed(TenderHttpConnection *conn);
void
tender_http_connection_attach(TenderHttpConnection *conn, GSocketAddress *remote);
TenderHttpConnection *
tender_http_connection_from_message(SoupServerMessage *msg);
GSocket *
tender_http_connection_get_message_socket(SoupServerMessage *msg);

G_END_DECLS
