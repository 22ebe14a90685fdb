/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-health-tracker.h"
#include "tender-runtime-run.h"
#include "tender-runtime.h"
#include "tender-workload.h"

G_BEGIN_DECLS

/* a check process that could not join the workload's control groups exits with this */
#define TENDER_HEALTH_EXIT_JOIN_FAILED 125

#define TENDER_TYPE_HEALTH (tender_health_get_type())
G_DECLARE_FINAL_TYPE(TenderHealth, tender_health, TENDER, HEALTH, GObject)

TenderHealth *
tender_health_new(TenderWorkload *workload, TenderRuntimeRun *run, TenderRuntime *runtime);
void
tender_health_start(TenderHealth *self);
void
tender_health_suspend(TenderHealth *self);
TenderHealthStatus
tender_health_get_status(TenderHealth *self);

G_END_DECLS
