/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* what the parts of TenderScopeRun share: tender-scope-run.c, tender-scope-run-shim.c,
 * tender-scope-run-network.c */

#include "tender-freezer.h"
#include "tender-scope-run.h"
#include "tender-scope-watch.h"

G_BEGIN_DECLS

struct _TenderScopeRun {
	TenderRuntimeRun parent_instance;
	TenderWorkload *workload;
	TenderSystemd *systemd; /* NULL: no scope can be started */
	TenderCgroup *cgroup;
	TenderScopeContainers *containers;
	gchar *shim_path;
	gchar *record_path;
	gchar *run_id;
	TenderScopeWatch *watch; /* the runtime's, for the shim's pidfd and status pipe */
	GPid shim_pid;
	gint shim_signal; /* what killed the shim, once reaped */
	guint child_id;	  /* without a pidfd: its child watch */
	gint go_fd;
	gint status_fd; /* ours, non-blocking; -1 once read to its end */
	guint status_watch;
	GString *status; /* what the status pipe said of a line so far */
	GTask *start_task;
	gchar *start_error; /* why the start failed, before the shim has ended */
	gboolean shim_exited;
	gboolean status_done;
	gboolean reached_running;
	gboolean adopted; /* started by a previous tenderd */
	guint abandon_id;
	guint abandon_tries;
	gint pidfd; /* the shim: to signal it, and to watch it end (ours, or an adopted one) */
	guint pidfd_watch;
	/* a stop: when it began, whether its timeout has passed (and the shim was told), and the
	 * second timeout that the post_stop hooks get (see tender_scope_run_cut_stop()) */
	gint64 stop_begun;
	gboolean stop_cut;
	guint cut_id;
	/* pause and resume; on cgroup v1 its freezer cgroup is removed when the run ends */
	TenderFreezer *freezer;
	gboolean frozen;
	/* the private network (NULL without one), and whether this run was joined to it */
	TenderNetworkManager *network;
	gboolean network_joined;
};

/* tender-scope-run.c */
void
tender_scope_run_close_go(TenderScopeRun *self);
void
tender_scope_run_fail_start(TenderScopeRun *self, const gchar *reason);
void
tender_scope_run_finish_start(TenderScopeRun *self, GError *error);
void
tender_scope_run_end(TenderScopeRun *self);

/* tender-scope-run-shim.c */
gboolean
tender_scope_run_spawn_shim(TenderScopeRun *self, GError **error);
void
tender_scope_run_watch_shim(TenderScopeRun *self);
gboolean
tender_scope_run_watch_pidfd(TenderScopeRun *self, GError **error);
void
tender_scope_run_kill_shim(TenderScopeRun *self);
void
tender_scope_run_unwatch(TenderScopeRun *self, guint *id);

/* tender-scope-run-network.c */
void
tender_scope_run_join_network(TenderScopeRun *self, GPid pid);
void
tender_scope_run_rejoin_network(TenderScopeRun *self);
void
tender_scope_run_mark_network(TenderScopeRun *self);
void
tender_scope_run_leave_network(TenderScopeRun *self);

G_END_DECLS
