/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* sockets of a process tree looked at, at most */
#define TENDER_SESSION_PORTS_PROCESSES_MAX 4096
#define TENDER_SESSION_PORTS_FDS_MAX	   65536

typedef struct {
	guint16 port;
	gchar *address; /* as inet_ntop writes it */
	guint64 inode;
} TenderSessionListener;

void
tender_session_listener_free(TenderSessionListener *listener);

GPtrArray *
tender_session_ports_parse_net_tcp(const gchar *text, gboolean ipv6);
gboolean
tender_session_ports_parse_socket_link(const gchar *target, guint64 *inode);
gboolean
tender_session_ports_parse_stat_ppid(const gchar *stat, guint32 *ppid);
JsonArray *
tender_session_ports_of_process(guint32 sandbox_pid, guint32 pid);

G_END_DECLS
