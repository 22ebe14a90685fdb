/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-health-tracker.h"

/*
 * TenderHealthTracker turns the results of health checks into a status, as Docker does:
 * "starting" until the first verdict; a check that passes makes it "healthy" and clears the
 * count of failures; `retries` failures in a row make it "unhealthy".  Failures during the
 * start period do not count, but a check that passes counts at once and ends the period.
 */

static const gchar *const tender_health_status_names[] = {
    [TENDER_HEALTH_STATUS_NONE] = "none",
    [TENDER_HEALTH_STATUS_STARTING] = "starting",
    [TENDER_HEALTH_STATUS_HEALTHY] = "healthy",
    [TENDER_HEALTH_STATUS_UNHEALTHY] = "unhealthy",
};

G_STATIC_ASSERT(G_N_ELEMENTS(tender_health_status_names) == TENDER_HEALTH_STATUS_LAST);

/**
 * tender_health_status_to_string:
 * @status: a #TenderHealthStatus
 *
 * Returns: the value of the Health property, e.g. "healthy"
 */
const gchar *
tender_health_status_to_string(TenderHealthStatus status)
{
	if ((guint)status >= TENDER_HEALTH_STATUS_LAST)
		return NULL;
	return tender_health_status_names[status];
}

/**
 * tender_health_tracker_init:
 * @self: a #TenderHealthTracker
 * @retries: failures in a row that make it unhealthy, at least 1
 * @start_period_end: when the start period ends, on the clock of the times given to
 *   tender_health_tracker_add_result()
 *
 * Sets @self to "starting", with no failure counted.
 */
void
tender_health_tracker_init(TenderHealthTracker *self, guint retries, gint64 start_period_end)
{
	self->status = TENDER_HEALTH_STATUS_STARTING;
	self->failures = 0;
	self->retries = MAX(retries, 1);
	self->start_period_end = start_period_end;
	self->passed_once = FALSE;
}

/**
 * tender_health_tracker_add_result:
 * @self: a #TenderHealthTracker
 * @passed: whether the check passed
 * @when: when the check began
 *
 * Returns: the status after this result
 */
TenderHealthStatus
tender_health_tracker_add_result(TenderHealthTracker *self, gboolean passed, gint64 when)
{
	if (passed) {
		self->passed_once = TRUE;
		self->failures = 0;
		self->status = TENDER_HEALTH_STATUS_HEALTHY;
		return self->status;
	}
	if (!self->passed_once && when < self->start_period_end)
		return self->status;
	if (self->failures < G_MAXUINT)
		self->failures++;
	if (self->failures >= self->retries)
		self->status = TENDER_HEALTH_STATUS_UNHEALTHY;
	return self->status;
}
