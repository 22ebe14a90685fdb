/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-authority-check: asks TenderAuthority on the system bus about a subject with no bus
 * name, as the HTTP mirror does, and prints "allowed" or "denied: MESSAGE".
 *
 *   tender-authority-check uid UID ACTION
 *   tender-authority-check process PID UID ACTION
 */
#include <stdlib.h>

#include "tender-authority.h"

typedef struct {
	GMainLoop *loop;
	gboolean allowed;
} TenderAuthorityCheckRun;

static void
tender_authority_check_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderAuthorityCheckRun *run = user_data;
	g_autoptr(GError) error = NULL;

	run->allowed = tender_authority_check_finish(TENDER_AUTHORITY(source), res, &error);
	if (run->allowed)
		g_print("allowed\n");
	else
		g_print("denied: %s\n", error->message);
	g_main_loop_quit(run->loop);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GDBusConnection) bus = NULL;
	g_autoptr(TenderAuthority) authority = NULL;
	g_autoptr(TenderAuthoritySubject) subject = NULL;
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	TenderAuthorityCheckRun run = {loop, FALSE};
	const gchar *action;

	if (argc == 4 && g_strcmp0(argv[1], "uid") == 0) {
		subject = tender_authority_subject_new_uid((guint32)atoi(argv[2]));
		action = argv[3];
	} else if (argc == 5 && g_strcmp0(argv[1], "process") == 0) {
		subject =
		    tender_authority_subject_new_process(atoi(argv[2]), (guint32)atoi(argv[3]));
		action = argv[4];
	} else {
		g_printerr(
		    "usage: tender-authority-check uid UID ACTION | process PID UID ACTION\n");
		return 2;
	}
	bus = g_bus_get_sync(G_BUS_TYPE_SYSTEM, NULL, &error);
	if (bus == NULL) {
		g_printerr("tender-authority-check: %s\n", error->message);
		return 1;
	}
	authority = tender_authority_new(bus, bus);
	tender_authority_check_async(authority,
				     subject,
				     action,
				     NULL,
				     FALSE,
				     NULL,
				     tender_authority_check_done_cb,
				     &run);
	g_main_loop_run(loop);
	return run.allowed ? 0 : 1;
}
