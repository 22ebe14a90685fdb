/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-network-check: drives TenderNetworkManager, the host side of the private network,
 * without tenderd (test_network.py).  It reads one command a line on stdin and answers each
 * with one line on stdout, "ok [VALUE]" or "error: org.tender.Agent1.Error.NAME: MESSAGE":
 *
 *   setup
 *   attach NAME PID [HOST:CONTAINER[/udp]...]   → ok ADDRESS
 *   detach NAME
 *   restart NAME PID [PORTS...]   detach and attach at once, as a restart policy does
 *                                 → ok ADDRESS (of the attach)
 *   release NAME
 *   address NAME                                → ok ADDRESS, or ok -
 *
 * The published ports stay open while it runs; it ends at the end of its input.
 *
 *   tender-network-check --state-dir DIR [--bridge NAME] [--subnet A.B.C.D/N]
 *                        [--publish-address ADDRESS]
 */
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>

#include "tender-error.h"
#include "tender-network-manager.h"
#include "tender-spec-types.h"

typedef struct {
	GMainLoop *loop;
	GDataInputStream *input;
	TenderNetworkManager *manager;
} TenderNetworkCheck;

static void
tender_network_check_next(TenderNetworkCheck *check);

static void
tender_network_check_reply(TenderNetworkCheck *check, const gchar *value, const GError *error)
{
	if (error != NULL && error->domain == TENDER_ERROR)
		g_print("error: %s: %s\n", tender_error_to_dbus_name(error->code), error->message);
	else if (error != NULL)
		g_print("error: %s\n", error->message);
	else if (value != NULL)
		g_print("ok %s\n", value);
	else
		g_print("ok\n");
	fflush(stdout);
	tender_network_check_next(check);
}

/* "8080:80" or "5353:53/udp" */
static gboolean
tender_network_check_parse_port(const gchar *text, TenderSpecPort *port)
{
	g_auto(GStrv) proto = g_strsplit(text, "/", 2);
	g_auto(GStrv) numbers = g_strsplit(proto[0], ":", 2);
	guint64 host = 0;
	guint64 container = 0;

	if (g_strv_length(numbers) != 2 ||
	    !g_ascii_string_to_unsigned(numbers[0], 10, 0, G_MAXUINT16, &host, NULL) ||
	    !g_ascii_string_to_unsigned(numbers[1], 10, 0, G_MAXUINT16, &container, NULL))
		return FALSE;
	if (proto[1] != NULL && g_strcmp0(proto[1], "udp") != 0 && g_strcmp0(proto[1], "tcp") != 0)
		return FALSE;
	port->host_port = (guint16)host;
	port->container_port = (guint16)container;
	port->udp = g_strcmp0(proto[1], "udp") == 0;
	return TRUE;
}

static void
tender_network_check_attached_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *address =
	    tender_network_manager_attach_finish(TENDER_NETWORK_MANAGER(source), res, &error);

	tender_network_check_reply(user_data, address, error);
}

static void
tender_network_check_detached_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	(void)tender_network_manager_detach_finish(TENDER_NETWORK_MANAGER(source), res, &error);
	tender_network_check_reply(user_data, NULL, error);
}

/* a detach whose answer nobody waits for: the attach after it must still come after it */
static void
tender_network_check_detached_quietly_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!tender_network_manager_detach_finish(TENDER_NETWORK_MANAGER(source), res, &error))
		g_printerr("tender-network-check: detach: %s\n", error->message);
}

static void
tender_network_check_attach(TenderNetworkCheck *check, gchar **words)
{
	g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(TenderSpecPort));
	g_autoptr(GError) error = NULL;
	guint64 pid = 0;

	if (words[1] == NULL || words[2] == NULL ||
	    !g_ascii_string_to_unsigned(words[2], 10, 1, G_MAXINT, &pid, NULL)) {
		g_set_error_literal(&error, G_IO_ERROR, G_IO_ERROR_FAILED, "attach NAME PID PORTS");
		tender_network_check_reply(check, NULL, error);
		return;
	}
	for (guint i = 3; words[i] != NULL; i++) {
		TenderSpecPort port = {0};
		if (!tender_network_check_parse_port(words[i], &port)) {
			g_set_error(&error, G_IO_ERROR, G_IO_ERROR_FAILED, "bad port %s", words[i]);
			tender_network_check_reply(check, NULL, error);
			return;
		}
		g_array_append_val(ports, port);
	}
	tender_network_manager_attach_async(check->manager,
					    words[1],
					    (GPid)pid,
					    ports,
					    NULL,
					    tender_network_check_attached_cb,
					    check);
}

static void
tender_network_check_run(TenderNetworkCheck *check, const gchar *line)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	g_autoptr(GError) error = NULL;
	const gchar *verb = words[0];

	if (g_strcmp0(verb, "setup") == 0) {
		(void)tender_network_manager_setup(check->manager, &error);
		tender_network_check_reply(check, NULL, error);
	} else if (g_strcmp0(verb, "attach") == 0) {
		tender_network_check_attach(check, words);
	} else if (g_strcmp0(verb, "restart") == 0 && words[1] != NULL) {
		tender_network_manager_detach_async(check->manager,
						    words[1],
						    NULL,
						    tender_network_check_detached_quietly_cb,
						    NULL);
		tender_network_check_attach(check, words);
	} else if (g_strcmp0(verb, "detach") == 0 && words[1] != NULL) {
		tender_network_manager_detach_async(check->manager,
						    words[1],
						    NULL,
						    tender_network_check_detached_cb,
						    check);
	} else if (g_strcmp0(verb, "release") == 0 && words[1] != NULL) {
		(void)tender_network_manager_release(check->manager, words[1], &error);
		tender_network_check_reply(check, NULL, error);
	} else if (g_strcmp0(verb, "address") == 0 && words[1] != NULL) {
		const gchar *address = tender_network_manager_get_address(check->manager, words[1]);
		tender_network_check_reply(check, address != NULL ? address : "-", NULL);
	} else {
		g_set_error(&error, G_IO_ERROR, G_IO_ERROR_FAILED, "unknown command '%s'", line);
		tender_network_check_reply(check, NULL, error);
	}
}

static void
tender_network_check_line_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderNetworkCheck *check = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *line =
	    g_data_input_stream_read_line_finish(G_DATA_INPUT_STREAM(source), res, NULL, &error);

	if (line == NULL) {
		if (error != NULL)
			g_printerr("tender-network-check: %s\n", error->message);
		g_main_loop_quit(check->loop);
		return;
	}
	tender_network_check_run(check, g_strstrip(line));
}

static void
tender_network_check_next(TenderNetworkCheck *check)
{
	g_data_input_stream_read_line_async(check->input,
					    G_PRIORITY_DEFAULT,
					    NULL,
					    tender_network_check_line_cb,
					    check);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *state_dir = NULL;
	g_autofree gchar *bridge = NULL;
	g_autofree gchar *subnet = NULL;
	g_autofree gchar *publish_address = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("- drive the private network");
	g_autoptr(GError) error = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new(0, FALSE);
	g_autoptr(GDataInputStream) input = g_data_input_stream_new(stdin_stream);
	g_autoptr(TenderNetworkManager) manager = NULL;
	TenderNetworkCheck check = {loop, input, NULL};
	const GOptionEntry entries[] = {
	    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "where network.json is", "DIR"},
	    {"bridge", 0, 0, G_OPTION_ARG_STRING, &bridge, "the bridge", "NAME"},
	    {"subnet", 0, 0, G_OPTION_ARG_STRING, &subnet, "the subnet", "A.B.C.D/N"},
	    {"publish-address",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &publish_address,
	     "where published ports listen",
	     "ADDRESS"},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error) || state_dir == NULL) {
		g_printerr("tender-network-check: %s\n",
			   error != NULL ? error->message : "--state-dir is required");
		return 2;
	}
	manager = tender_network_manager_new(state_dir, bridge, subnet, publish_address, &error);
	if (manager == NULL) {
		g_printerr("tender-network-check: %s\n", error->message);
		return 1;
	}
	check.manager = manager;
	tender_network_check_next(&check);
	g_main_loop_run(loop);
	return EXIT_SUCCESS;
}
