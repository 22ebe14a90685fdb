/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-health-tracker.h"

#define SEC G_USEC_PER_SEC

static void
test_health_status_strings(void)
{
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_NONE), ==, "none");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_STARTING),
			==,
			"starting");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_HEALTHY),
			==,
			"healthy");
	g_assert_cmpstr(tender_health_status_to_string(TENDER_HEALTH_STATUS_UNHEALTHY),
			==,
			"unhealthy");
	g_assert_null(tender_health_status_to_string(TENDER_HEALTH_STATUS_LAST));
}

static void
test_health_retries(void)
{
	TenderHealthTracker t;

	tender_health_tracker_init(&t, 3, 0);
	g_assert_cmpint(t.status, ==, TENDER_HEALTH_STATUS_STARTING);
	/* failures before the retries are used up leave the status as it is */
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 2 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 3 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 4 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	/* one success is enough to be healthy again, and clears the count */
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 5 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpuint(t.failures, ==, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 6 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 7 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	/* a success in between starts the count again */
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 8 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 9 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 10 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 11 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_one_retry(void)
{
	TenderHealthTracker t;

	tender_health_tracker_init(&t, 1, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
	/* 0 retries would make no sense: it counts as 1 */
	tender_health_tracker_init(&t, 0, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_start_period(void)
{
	TenderHealthTracker t;

	/* the start period ends at 10 s: failures of checks begun before do not count */
	tender_health_tracker_init(&t, 2, 10 * SEC);
	for (gint64 when = 0; when < 10 * SEC; when += SEC)
		g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, when),
				==,
				TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpuint(t.failures, ==, 0);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 10 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 11 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

static void
test_health_start_period_success(void)
{
	TenderHealthTracker t;

	/* a success within the start period counts, and ends the period */
	tender_health_tracker_init(&t, 2, 100 * SEC);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 1 * SEC),
			==,
			TENDER_HEALTH_STATUS_STARTING);
	g_assert_cmpint(tender_health_tracker_add_result(&t, TRUE, 2 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 3 * SEC),
			==,
			TENDER_HEALTH_STATUS_HEALTHY);
	g_assert_cmpint(tender_health_tracker_add_result(&t, FALSE, 4 * SEC),
			==,
			TENDER_HEALTH_STATUS_UNHEALTHY);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/health/status-strings", test_health_status_strings);
	g_test_add_func("/health/retries", test_health_retries);
	g_test_add_func("/health/one-retry", test_health_one_retry);
	g_test_add_func("/health/start-period", test_health_start_period);
	g_test_add_func("/health/start-period-success", test_health_start_period_success);
	return g_test_run();
}
