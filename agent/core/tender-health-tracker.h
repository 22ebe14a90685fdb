/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TenderHealthStatus:
 * @TENDER_HEALTH_STATUS_NONE: no health check, or the workload does not run
 * @TENDER_HEALTH_STATUS_STARTING: no verdict yet
 * @TENDER_HEALTH_STATUS_HEALTHY: the last check passed
 * @TENDER_HEALTH_STATUS_UNHEALTHY: `retries` checks in a row failed
 *
 * The values of the Health property.
 */
typedef enum {
	TENDER_HEALTH_STATUS_NONE,
	TENDER_HEALTH_STATUS_STARTING,
	TENDER_HEALTH_STATUS_HEALTHY,
	TENDER_HEALTH_STATUS_UNHEALTHY,
	TENDER_HEALTH_STATUS_LAST,
} TenderHealthStatus;

/**
 * TenderHealthTracker:
 * @status: the verdict so far
 * @failures: consecutive failures that counted
 * @retries: failures in a row that make it unhealthy
 * @start_period_end: failures of checks begun before this time do not count, unless a check
 *   has passed already; the caller's clock, in microseconds
 * @passed_once: a check has passed, which ends the start period
 *
 * The status machine of a health check, without any I/O: it is told each check's result and
 * the time the check began, and says what the status is.
 */
typedef struct {
	TenderHealthStatus status;
	guint failures;
	guint retries;
	gint64 start_period_end;
	gboolean passed_once;
} TenderHealthTracker;

void
tender_health_tracker_init(TenderHealthTracker *self, guint retries, gint64 start_period_end);
TenderHealthStatus
tender_health_tracker_add_result(TenderHealthTracker *self, gboolean passed, gint64 when);
const gchar *
tender_health_status_to_string(TenderHealthStatus status);

G_END_DECLS
