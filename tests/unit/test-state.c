/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tender-error.h"
#include "tender-state.h"
#include "tender-util.h"
#include "tender-workload.h"

static void
test_state_strings(void)
{
	for (guint i = 0; i < TENDER_STATE_LAST; i++) {
		const gchar *s = tender_state_to_string((TenderState)i);
		g_assert_nonnull(s);
		g_assert_cmpint(tender_state_from_string(s), ==, (gint)i);
	}
	g_assert_cmpstr(tender_state_to_string(TENDER_STATE_RUNNING), ==, "running");
	g_assert_cmpint(tender_state_from_string("Running"), ==, TENDER_STATE_LAST);
	g_assert_cmpint(tender_state_from_string(NULL), ==, TENDER_STATE_LAST);
	g_assert_null(tender_state_to_string(TENDER_STATE_LAST));
}

static void
test_state_transitions(void)
{
	/* the full table: every pair, against the documented lifecycle */
	const gchar *allowed[] = {
	    "created>starting",
	    "starting>running",
	    "starting>failed",
	    "running>stopping",
	    "running>exited",
	    "running>failed",
	    "running>paused",
	    "paused>running",
	    "paused>stopping",
	    "paused>exited",
	    "paused>failed",
	    "stopping>stopped",
	    "stopping>failed",
	    "stopped>starting",
	    "exited>starting",
	    "failed>starting",
	    NULL,
	};
	for (guint from = 0; from < TENDER_STATE_LAST; from++) {
		for (guint to = 0; to < TENDER_STATE_LAST; to++) {
			g_autofree gchar *pair =
			    g_strdup_printf("%s>%s",
					    tender_state_to_string((TenderState)from),
					    tender_state_to_string((TenderState)to));
			gboolean expected = g_strv_contains(allowed, pair);
			if (tender_state_transition_is_valid(from, to) != expected)
				g_error("transition %s: expected %s",
					pair,
					expected ? "valid" : "invalid");
		}
	}
}

static void
test_state_checks(void)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(tender_state_check_startable(TENDER_STATE_CREATED, "w", NULL));
	g_assert_true(tender_state_check_startable(TENDER_STATE_EXITED, "w", NULL));
	g_assert_false(tender_state_check_startable(TENDER_STATE_RUNNING, "w", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	g_assert_true(tender_state_check_stoppable(TENDER_STATE_RUNNING, "w", NULL));
	g_assert_true(tender_state_check_stoppable(TENDER_STATE_STOPPING, "w", NULL));
	g_assert_true(tender_state_check_stoppable(TENDER_STATE_PAUSED, "w", NULL));
	g_assert_false(tender_state_check_stoppable(TENDER_STATE_CREATED, "w", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	g_assert_true(tender_state_check_removable(TENDER_STATE_FAILED, "w", NULL));
	g_assert_false(tender_state_check_removable(TENDER_STATE_PAUSED, "w", NULL));
	g_assert_false(tender_state_check_removable(TENDER_STATE_RUNNING, "w", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_assert_nonnull(strstr(error->message, "force"));
}

static void
count_changes_cb(TenderWorkload *w, const gchar *property, gpointer user_data)
{
	GPtrArray *seen = user_data;
	g_ptr_array_add(seen, g_strdup(property));
}

static void
test_workload_lifecycle(void)
{
	g_autoptr(GVariant) v = g_variant_parse(NULL, "{'argv': <['true']>}", NULL, NULL, NULL);
	TenderSpec *spec = tender_spec_new_from_variant(v, NULL);
	g_autoptr(TenderWorkload) w = tender_workload_new("my-app.1", spec);
	g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func(g_free);

	/* the unit is its runtime's to name (the scope runtime: tender-NAME.scope), not its own */
	g_assert_cmpstr(tender_workload_get_unit(w), ==, "");
	g_assert_cmpstr(tender_workload_get_object_path(w),
			==,
			"/org/tender/Agent1/workload/my_2dapp_2e1");
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_CREATED);
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, -1);
	g_assert_cmpint(tender_workload_get_exit_signal(w), ==, 0);
	g_assert_cmpstr(tender_workload_get_started_at(w), ==, "");
	g_assert_true(g_str_has_suffix(tender_workload_get_created_at(w), "Z"));

	g_signal_connect(w, "changed", G_CALLBACK(count_changes_cb), seen);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_STARTING, NULL));
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_RUNNING, NULL));
	g_test_expect_message("tender", G_LOG_LEVEL_WARNING, "*refusing the transition*");
	g_assert_false(tender_workload_set_state(w, TENDER_STATE_CREATED, NULL));
	g_test_assert_expected_messages();
	g_assert_cmpint(tender_workload_get_state(w), ==, TENDER_STATE_RUNNING);
	g_assert_true(tender_workload_set_state(w, TENDER_STATE_EXITED, "exit-code: 7"));
	g_assert_cmpstr(tender_workload_get_reason(w), ==, "exit-code: 7");
	tender_workload_set_exit(w, 7, 0);
	tender_workload_set_exit(w, 7, 0); /* no change, no signal */
	g_assert_cmpint(tender_workload_get_exit_code(w), ==, 7);

	/* State ×3, Reason once, ExitCode once */
	{
		guint states = 0, reasons = 0, codes = 0;
		for (guint i = 0; i < seen->len; i++) {
			const gchar *p = g_ptr_array_index(seen, i);
			states += g_strcmp0(p, "State") == 0;
			reasons += g_strcmp0(p, "Reason") == 0;
			codes += g_strcmp0(p, "ExitCode") == 0;
		}
		g_assert_cmpuint(states, ==, 3);
		g_assert_cmpuint(reasons, ==, 1);
		g_assert_cmpuint(codes, ==, 1);
	}
}

static void
test_util_names(void)
{
	const gchar *good[] = {"a", "A", "0", "web", "my-app", "my_app.v2", "x-", NULL};
	const gchar *bad[] = {"", "-a", ".a", "_a", "a b", "a/b", "a:b", "ä", "a\n", NULL};
	g_autofree gchar *longest = g_strnfill(TENDER_NAME_MAX, 'a');
	g_autofree gchar *too_long = g_strnfill(TENDER_NAME_MAX + 1, 'a');

	for (guint i = 0; good[i] != NULL; i++)
		g_assert_true(tender_util_check_name(good[i], NULL));
	for (guint i = 0; bad[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_util_check_name(bad[i], &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	}
	g_assert_true(tender_util_check_name(longest, NULL));
	g_assert_false(tender_util_check_name(too_long, NULL));
	g_assert_false(tender_util_check_name(NULL, NULL));
}

static void
test_util_paths(void)
{
	g_autofree gchar *p1 = tender_util_object_path_for_name("web");
	g_autofree gchar *p2 = tender_util_object_path_for_name("a_b");
	g_autofree gchar *p3 = tender_util_object_path_for_name("a-b");

	g_assert_cmpstr(p1, ==, "/org/tender/Agent1/workload/web");
	/* "_" is escaped too, so a_b and a-b can never collide */
	g_assert_cmpstr(p2, ==, "/org/tender/Agent1/workload/a_5fb");
	g_assert_cmpstr(p3, ==, "/org/tender/Agent1/workload/a_2db");
	g_assert_true(g_variant_is_object_path(p2));
	g_assert_true(g_variant_is_object_path(p3));
}

static void
test_util_timestamps(void)
{
	g_autofree gchar *t = tender_util_timestamp_format(G_GINT64_CONSTANT(1764101797123456));
	g_autofree gchar *z = tender_util_timestamp_format(0);
	g_autofree gchar *neg = tender_util_timestamp_format(-1);

	g_assert_cmpstr(t, ==, "2025-11-25T20:16:37.123456Z");
	g_assert_cmpstr(z, ==, "1970-01-01T00:00:00.000000Z");
	g_assert_cmpstr(neg, ==, "");
}

static void
test_util_write_atomic(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("tender-test-XXXXXX", &error);
	g_autofree gchar *path = g_build_filename(dir, "f.json", NULL);
	g_autofree gchar *contents = NULL;
	g_autofree gchar *missing = g_build_filename(dir, "nope", "f", NULL);

	g_assert_no_error(error);
	g_assert_true(tender_util_write_file_atomic(path, "one", -1, 0644, &error));
	g_assert_true(tender_util_write_file_atomic(path, "two", -1, 0644, &error));
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	g_assert_cmpstr(contents, ==, "two");
	g_assert_false(tender_util_write_file_atomic(missing, "x", -1, 0644, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpint(g_remove(path), ==, 0);
	g_assert_cmpint(g_rmdir(dir), ==, 0);
}

static void
test_error_names(void)
{
	g_autoptr(GError) error = g_error_new(TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "gone");
	g_autofree gchar *name = NULL;
	g_autoptr(GError) io = g_error_new(G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no file");
	g_autoptr(GError) other = g_error_new(G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "pipe");

	name = g_dbus_error_encode_gerror(error);
	g_assert_cmpstr(name, ==, "org.tender.Agent1.Error.NotFound");
	g_assert_cmpstr(tender_error_to_dbus_name(TENDER_ERROR_INVALID_STATE),
			==,
			"org.tender.Agent1.Error.InvalidState");
	tender_error_convert(&io);
	g_assert_error(io, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	tender_error_convert(&other);
	g_assert_error(other, TENDER_ERROR, TENDER_ERROR_FAILED);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/state/strings", test_state_strings);
	g_test_add_func("/state/transitions", test_state_transitions);
	g_test_add_func("/state/checks", test_state_checks);
	g_test_add_func("/workload/lifecycle", test_workload_lifecycle);
	g_test_add_func("/util/names", test_util_names);
	g_test_add_func("/util/paths", test_util_paths);
	g_test_add_func("/util/timestamps", test_util_timestamps);
	g_test_add_func("/util/write-atomic", test_util_write_atomic);
	g_test_add_func("/error/names", test_error_names);
	return g_test_run();
}
