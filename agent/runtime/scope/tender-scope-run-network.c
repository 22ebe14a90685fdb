/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tender-scope-run-private.h"

/*
 * A run on the private network: the shim names the container's first process ("N <pid>"),
 * which waits until TenderNetworkManager has joined its network namespace to the bridge; the
 * shim is then given the address ("N <address>" on its go pipe), or the end of the pipe if
 * that failed, and the start fails with the reason.  The run's end detaches it; a run adopted
 * after a restart of tenderd is joined again (its veth is kept, its rules and published ports
 * come back).
 */

static void
tender_scope_run_joined_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderScopeRun) self = TENDER_SCOPE_RUN(user_data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *address = NULL;
	g_autofree gchar *line = NULL;

	address = tender_network_manager_attach_finish(TENDER_NETWORK_MANAGER(source), res, &error);
	if (address == NULL) {
		g_autofree gchar *why = g_strdup_printf("network: %s", error->message);
		/* the shim ends the container at the end of the pipe, and runs its post_stop hooks
		 */
		if (self->start_error == NULL)
			self->start_error = g_steal_pointer(&why);
		tender_scope_run_close_go(self);
		return;
	}
	tender_workload_set_address(self->workload, address);
	/* gone meanwhile: its end detaches it again */
	if (self->go_fd < 0)
		return;
	line = g_strdup_printf("N %s\n", address);
	if (write(self->go_fd, line, strlen(line)) != (gssize)strlen(line)) {
		g_autofree gchar *why = g_strdup_printf("tender-shim: %s", g_strerror(errno));
		tender_scope_run_fail_start(self, why);
		return;
	}
	tender_scope_run_close_go(self);
}

/* the shim names the container's first process, which waits for its network */
void
tender_scope_run_join_network(TenderScopeRun *self, GPid pid)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);

	if (self->network == NULL || self->network_joined ||
	    tender_spec_get_network(spec) != TENDER_NETWORK_PRIVATE) {
		if (self->start_error == NULL)
			self->start_error = g_strdup(
			    self->network == NULL
				? "network: this tenderd has no private network (see its log)"
				: "network: tender-shim asked to join it twice");
		tender_scope_run_close_go(self);
		return;
	}
	self->network_joined = TRUE;
	tender_network_manager_attach_async(self->network,
					    tender_workload_get_name(self->workload),
					    pid,
					    spec->ports,
					    NULL,
					    tender_scope_run_joined_cb,
					    g_object_ref(self));
}

static void
tender_scope_run_rejoined_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(TenderScopeRun) self = TENDER_SCOPE_RUN(user_data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *address = NULL;

	address = tender_network_manager_attach_finish(TENDER_NETWORK_MANAGER(source), res, &error);
	if (address == NULL) {
		g_warning("workload %s: cannot join it to the private network again: %s",
			  tender_workload_get_name(self->workload),
			  error->message);
		return;
	}
	tender_workload_set_address(self->workload, address);
}

/* an adopted run on the private network: its veth is still there; its rules and published
 * ports come back */
void
tender_scope_run_rejoin_network(TenderScopeRun *self)
{
	const TenderSpec *spec = tender_workload_get_spec(self->workload);
	GPid pid = (GPid)tender_workload_get_main_pid(self->workload);

	if (tender_spec_get_network(spec) != TENDER_NETWORK_PRIVATE)
		return;
	if (self->network == NULL || pid <= 1) {
		g_warning("workload %s: cannot join it to the private network again: %s",
			  tender_workload_get_name(self->workload),
			  self->network == NULL ? "tenderd has no private network" : "no MainPID");
		return;
	}
	self->network_joined = TRUE;
	tender_network_manager_attach_async(self->network,
					    tender_workload_get_name(self->workload),
					    pid,
					    spec->ports,
					    NULL,
					    tender_scope_run_rejoined_cb,
					    g_object_ref(self));
}

/* a run on the private network that ended while tenderd was away: its end detaches it (there
 * may be a veth, rules, the bridge left of it) */
void
tender_scope_run_mark_network(TenderScopeRun *self)
{
	if (self->network != NULL && tender_spec_get_network(tender_workload_get_spec(
					 self->workload)) == TENDER_NETWORK_PRIVATE)
		self->network_joined = TRUE;
}

/* the run has ended: its veth, rules and proxies go; the address stays the workload's until
 * it is removed */
void
tender_scope_run_leave_network(TenderScopeRun *self)
{
	if (!self->network_joined)
		return;
	self->network_joined = FALSE;
	tender_network_manager_detach_async(self->network,
					    tender_workload_get_name(self->workload),
					    NULL,
					    NULL,
					    NULL);
}

/**
 * tender_scope_run_set_network:
 * @self: a #TenderScopeRun
 * @network: (nullable): the private network, for a workload with network "private"
 */
void
tender_scope_run_set_network(TenderScopeRun *self, TenderNetworkManager *network)
{
	g_return_if_fail(TENDER_IS_SCOPE_RUN(self));
	g_set_object(&self->network, network);
}
