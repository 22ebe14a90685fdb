/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "tender-session-ports.h"

/*
 * The listening TCP ports of a process and its descendants, with no tool in the sandbox:
 * the sockets of the sandbox's network namespace from /proc/SANDBOX/net/tcp and tcp6 (state
 * 0A, LISTEN), matched by inode to the "socket:[INODE]" links of /proc/P/fd of each process
 * of the tree (found by their parent in /proc/P/stat).  The parsing is pure, and
 * unit-tested on fixture text.
 */

#define TENDER_SESSION_TCP_LISTEN "0A"

void
tender_session_listener_free(TenderSessionListener *listener)
{
	g_free(listener->address);
	g_free(listener);
}

/* "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), each 32 bits as the host orders them */
static gboolean
tender_session_ports_parse_address(const gchar *text, gboolean ipv6, gchar **address, guint16 *port)
{
	const gchar *colon = strchr(text, ':');
	gsize words = ipv6 ? 4 : 1;
	guint32 addr[4] = {0};
	gchar buf[INET6_ADDRSTRLEN] = {0};
	guint64 value = 0;

	if (colon == NULL || (gsize)(colon - text) != words * 8)
		return FALSE;
	for (gsize i = 0; i < words; i++) {
		g_autofree gchar *word = g_strndup(text + i * 8, 8);
		if (!g_ascii_string_to_unsigned(word, 16, 0, G_MAXUINT32, &value, NULL))
			return FALSE;
		addr[i] = (guint32)value;
	}
	if (!g_ascii_string_to_unsigned(colon + 1, 16, 0, G_MAXUINT16, &value, NULL))
		return FALSE;
	if (inet_ntop(ipv6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf)) == NULL)
		return FALSE;
	*address = g_strdup(buf);
	*port = (guint16)value;
	return TRUE;
}

/**
 * tender_session_ports_parse_net_tcp:
 * @text: the content of /proc/PID/net/tcp or tcp6
 * @ipv6: it is tcp6's
 *
 * Returns: (transfer container) (element-type TenderSessionListener): the listening sockets;
 *   lines that do not parse are skipped
 */
GPtrArray *
tender_session_ports_parse_net_tcp(const gchar *text, gboolean ipv6)
{
	GPtrArray *list =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_listener_free);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	/* the first line is the header */
	for (guint i = 1; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit_set(g_strstrip(lines[i]), " \t", -1);
		g_autoptr(GPtrArray) cols = g_ptr_array_new();
		TenderSessionListener *listener;
		guint64 inode = 0;
		gchar *address = NULL;
		guint16 port = 0;

		for (guint j = 0; fields[j] != NULL; j++) {
			if (fields[j][0] != '\0')
				g_ptr_array_add(cols, fields[j]);
		}
		if (cols->len < 10 ||
		    g_strcmp0(g_ptr_array_index(cols, 3), TENDER_SESSION_TCP_LISTEN) != 0 ||
		    !g_ascii_string_to_unsigned(g_ptr_array_index(cols, 9),
						10,
						0,
						G_MAXUINT64,
						&inode,
						NULL) ||
		    !tender_session_ports_parse_address(g_ptr_array_index(cols, 1),
							ipv6,
							&address,
							&port))
			continue;
		listener = g_new0(TenderSessionListener, 1);
		listener->address = address;
		listener->port = port;
		listener->inode = inode;
		g_ptr_array_add(list, listener);
	}
	return list;
}

/**
 * tender_session_ports_parse_socket_link:
 * @target: what a /proc/P/fd/N link points to
 *
 * Returns: %TRUE with @inode if it is "socket:[INODE]"
 */
gboolean
tender_session_ports_parse_socket_link(const gchar *target, guint64 *inode)
{
	g_autofree gchar *digits = NULL;
	gsize len = strlen(target);

	if (!g_str_has_prefix(target, "socket:[") || len < 10 || target[len - 1] != ']')
		return FALSE;
	digits = g_strndup(target + 8, len - 9);
	return g_ascii_string_to_unsigned(digits, 10, 0, G_MAXUINT64, inode, NULL);
}

/**
 * tender_session_ports_parse_stat_ppid:
 * @stat: the content of /proc/P/stat ("PID (COMM) STATE PPID ..."; COMM may hold spaces and
 *   parentheses)
 *
 * Returns: %TRUE with @ppid
 */
gboolean
tender_session_ports_parse_stat_ppid(const gchar *stat, guint32 *ppid)
{
	const gchar *end = strrchr(stat, ')');
	g_auto(GStrv) fields = NULL;
	guint64 value = 0;

	if (end == NULL)
		return FALSE;
	fields = g_strsplit(end + 1, " ", 4);
	/* "", STATE, PPID, rest */
	if (g_strv_length(fields) < 3 ||
	    !g_ascii_string_to_unsigned(fields[2], 10, 0, G_MAXUINT32, &value, NULL))
		return FALSE;
	*ppid = (guint32)value;
	return TRUE;
}

/* @pid and its descendants, from the parents of every process in /proc */
static GArray *
tender_session_ports_tree(guint32 pid)
{
	g_autoptr(GDir) dir = g_dir_open("/proc", 0, NULL);
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) ppids = g_array_new(FALSE, FALSE, sizeof(guint32));
	GArray *tree = g_array_new(FALSE, FALSE, sizeof(guint32));
	const gchar *name;

	g_array_append_val(tree, pid);
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *stat = NULL;
		guint64 value = 0;
		guint32 p;
		guint32 ppid = 0;
		if (!g_ascii_string_to_unsigned(name, 10, 1, G_MAXUINT32, &value, NULL))
			continue;
		path = g_strdup_printf("/proc/%s/stat", name);
		if (!g_file_get_contents(path, &stat, NULL, NULL) ||
		    !tender_session_ports_parse_stat_ppid(stat, &ppid))
			continue;
		p = (guint32)value;
		g_array_append_val(pids, p);
		g_array_append_val(ppids, ppid);
	}
	/* breadth first: each found process adds its children */
	for (guint i = 0; i < tree->len && tree->len < TENDER_SESSION_PORTS_PROCESSES_MAX; i++) {
		guint32 parent = g_array_index(tree, guint32, i);
		for (guint j = 0; j < pids->len; j++) {
			if (g_array_index(ppids, guint32, j) == parent)
				g_array_append_val(tree, g_array_index(pids, guint32, j));
		}
	}
	return tree;
}

static void
tender_session_ports_add_sockets(GHashTable *inodes, guint32 pid)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%u/fd", pid);
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL &&
	       g_hash_table_size(inodes) < TENDER_SESSION_PORTS_FDS_MAX) {
		g_autofree gchar *link = g_build_filename(path, name, NULL);
		g_autofree gchar *target = g_file_read_link(link, NULL);
		guint64 inode = 0;
		if (target != NULL && tender_session_ports_parse_socket_link(target, &inode))
			g_hash_table_add(inodes, g_memdup2(&inode, sizeof(inode)));
	}
}

/**
 * tender_session_ports_of_process:
 * @sandbox_pid: a process in the sandbox's network namespace (its main one)
 * @pid: the process
 *
 * Returns: (transfer full): the TCP ports @pid and its descendants listen on, each
 *   {port, address}, by port
 */
JsonArray *
tender_session_ports_of_process(guint32 sandbox_pid, guint32 pid)
{
	g_autoptr(GHashTable) inodes =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	g_autoptr(GArray) tree = tender_session_ports_tree(pid);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	JsonArray *array = json_array_new();

	for (guint i = 0; i < tree->len; i++)
		tender_session_ports_add_sockets(inodes, g_array_index(tree, guint32, i));
	for (guint v6 = 0; v6 <= 1; v6++) {
		g_autofree gchar *path =
		    g_strdup_printf("/proc/%u/net/%s", sandbox_pid, v6 ? "tcp6" : "tcp");
		g_autofree gchar *text = NULL;
		g_autoptr(GPtrArray) listeners = NULL;
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		listeners = tender_session_ports_parse_net_tcp(text, v6);
		for (guint i = 0; i < listeners->len; i++) {
			TenderSessionListener *listener = g_ptr_array_index(listeners, i);
			g_autofree gchar *key = NULL;
			JsonObject *obj;
			if (!g_hash_table_contains(inodes, &listener->inode))
				continue;
			key = g_strdup_printf("%s/%u", listener->address, listener->port);
			if (!g_hash_table_add(seen, g_steal_pointer(&key)))
				continue;
			obj = json_object_new();
			json_object_set_int_member(obj, "port", listener->port);
			json_object_set_string_member(obj, "address", listener->address);
			json_array_add_object_element(array, obj);
		}
	}
	return array;
}
