/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-runtime-exec.h"

/* what the request's started was told */
typedef struct {
	guint calls;
	guint32 pid;
} StartedSeen;

static void
started_cb(guint32 pid, gpointer data)
{
	StartedSeen *seen = data;
	seen->calls++;
	seen->pid = pid;
}

/* a runtime's report of the pid: in the answer, and told once */
static void
test_report_started(void)
{
	g_autoptr(TenderRuntimeExec) exec = tender_runtime_exec_new();
	StartedSeen seen = {0};

	g_assert_cmpuint(exec->pid, ==, 0);
	exec->started = started_cb;
	exec->started_data = &seen;
	tender_runtime_exec_report_started(exec, 4242);
	g_assert_cmpuint(exec->pid, ==, 4242);
	g_assert_cmpuint(seen.calls, ==, 1);
	g_assert_cmpuint(seen.pid, ==, 4242);
	/* a second report changes nothing */
	tender_runtime_exec_report_started(exec, 4243);
	g_assert_cmpuint(exec->pid, ==, 4242);
	g_assert_cmpuint(seen.calls, ==, 1);
}

/* without started: only the answer */
static void
test_report_started_without_callback(void)
{
	g_autoptr(TenderRuntimeExec) exec = tender_runtime_exec_new();

	tender_runtime_exec_report_started(exec, 17);
	g_assert_cmpuint(exec->pid, ==, 17);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/runtime-exec/report-started", test_report_started);
	g_test_add_func("/runtime-exec/report-started-without-callback",
			test_report_started_without_callback);
	return g_test_run();
}
