/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-cgroup.h"
#include "tender-network-manager.h"
#include "tender-runtime-run.h"
#include "tender-scope-containers.h"
#include "tender-scope-watch.h"
#include "tender-systemd.h"

G_BEGIN_DECLS

#define TENDER_TYPE_SCOPE_RUN (tender_scope_run_get_type())
G_DECLARE_FINAL_TYPE(TenderScopeRun, tender_scope_run, TENDER, SCOPE_RUN, TenderRuntimeRun)

TenderScopeRun *
tender_scope_run_new(TenderWorkload *workload,
		     TenderSystemd *systemd,
		     TenderCgroup *cgroup,
		     TenderScopeContainers *containers,
		     TenderScopeWatch *watch,
		     const gchar *shim_path,
		     const gchar *record_path);
void
tender_scope_run_set_network(TenderScopeRun *self, TenderNetworkManager *network);

G_END_DECLS
