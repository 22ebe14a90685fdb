/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-plugin-runtime.h"
#include "tender-runtime-run.h"

G_BEGIN_DECLS

#define TENDER_TYPE_PLUGIN_RUN (tender_plugin_run_get_type())
G_DECLARE_FINAL_TYPE(TenderPluginRun, tender_plugin_run, TENDER, PLUGIN_RUN, TenderRuntimeRun)

TenderRuntimeRun *
tender_plugin_run_new(TenderPluginRuntime *runtime, TenderWorkload *workload);
void
tender_plugin_run_detach(TenderPluginRun *self);
void
tender_plugin_run_exec(TenderPluginRun *self,
		       TenderRuntimeExec *exec,
		       GCancellable *cancellable,
		       GTask *task);

G_END_DECLS
