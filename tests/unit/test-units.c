/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "tender-error.h"
#include "tender-units.h"

static void
tender_units_size_good_func(void)
{
	struct {
		const gchar *text;
		guint64 value;
	} cases[] = {
	    {"0", 0},
	    {"100", 100},
	    {"007", 7},
	    {"512B", 512},
	    {"512b", 512},
	    {"512K", 512 * 1024},
	    {"64M", 64 * 1024 * 1024},
	    {"64m", 64 * 1024 * 1024},
	    {"64Mi", 64 * 1024 * 1024},
	    {"64MiB", 64 * 1024 * 1024},
	    {"64mib", 64 * 1024 * 1024},
	    {"10MB", 10 * 1024 * 1024},
	    {"1.5G", 3 * G_GUINT64_CONSTANT(512) * 1024 * 1024},
	    {"0.5K", 512},
	    {"1T", G_GUINT64_CONSTANT(1) << 40},
	    {"1P", G_GUINT64_CONSTANT(1) << 50},
	    {"1.25T", (G_GUINT64_CONSTANT(5) << 40) / 4},
	    /* a fraction is rounded down to whole bytes */
	    {"0.001K", 1},
	    {"0.0001K", 0},
	    {"1.0000000000000000000000000001K", 1024},
	    /* the largest values that fit */
	    {"18446744073709551615", G_MAXUINT64},
	    {"16383P", G_GUINT64_CONSTANT(16383) << 50},
	    {"16383.99999999999999999999P", G_MAXUINT64},
	    {"16383.999P",
	     (G_GUINT64_CONSTANT(16383) << 50) + (G_GUINT64_CONSTANT(999) << 50) / 1000},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint64 value = G_MAXUINT64 - 1;
		gboolean ret = tender_units_parse_size(cases[i].text, &value, &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		g_assert_cmpuint(value, ==, cases[i].value);
	}
}

static void
tender_units_size_bad_func(void)
{
	const gchar *cases[] = {
	    "",
	    "-1",
	    "-1M",
	    "+1",
	    " 1",
	    "1 ",
	    "1 M",
	    "M",
	    "abc",
	    "1.5",
	    "1.5B",
	    "1.",
	    "1.M",
	    ".5M",
	    "1,5M",
	    "5X",
	    "5E",
	    "5MM",
	    "5MiBs",
	    "5iB",
	    "0x10",
	    "1e6",
	    "18446744073709551616",
	    "99999999999999999999999",
	    "16384P",
	    "17179869184T",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint64 value = 42;
		gboolean ret = tender_units_parse_size(cases[i], &value, &error);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_false(ret);
		g_assert_cmpuint(value, ==, 42);
	}
}

static void
tender_units_size_message_func(void)
{
	g_autoptr(GError) error = NULL;
	guint64 value = 0;

	g_assert_false(tender_units_parse_size("12Q", &value, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'12Q'"));
	g_clear_error(&error);

	g_assert_false(tender_units_parse_size(NULL, &value, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
}

static void
tender_units_percent_good_func(void)
{
	struct {
		const gchar *text;
		guint value;
	} cases[] = {
	    {"50%", 50},
	    {"50", 50},
	    {"250%", 250},
	    {"0", 0},
	    {"0%", 0},
	    {"102400%", 102400},
	    {"4294967295", G_MAXUINT},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint value = 42;
		gboolean ret = tender_units_parse_percent(cases[i].text, &value, &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		g_assert_cmpuint(value, ==, cases[i].value);
	}
}

static void
tender_units_percent_bad_func(void)
{
	const gchar *cases[] = {
	    "",
	    "%",
	    "-5%",
	    "-5",
	    "+5",
	    "12.5%",
	    "12.5",
	    "50%%",
	    "50 %",
	    "fifty",
	    "50x",
	    "4294967296",
	    "99999999999999999999999%",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		guint value = 42;
		gboolean ret = tender_units_parse_percent(cases[i], &value, &error);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_false(ret);
		g_assert_cmpuint(value, ==, 42);
		g_assert_nonnull(strstr(error->message, cases[i]));
	}
}

static void
tender_units_signal_good_func(void)
{
	struct {
		const gchar *text;
		gint signo;
	} cases[] = {
	    {"9", SIGKILL},
	    {"1", 1},
	    {"64", 64},
	    {"KILL", SIGKILL},
	    {"SIGKILL", SIGKILL},
	    {"kill", SIGKILL},
	    {"sigterm", SIGTERM},
	    {"SigHup", SIGHUP},
	    {"TERM", SIGTERM},
	    {"USR1", SIGUSR1},
	    {"WINCH", SIGWINCH},
	    {"IOT", SIGABRT},
	    {"CLD", SIGCHLD},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint signo = -1;
		gboolean ret = tender_units_parse_signal(cases[i].text, &signo, &error);
		g_assert_no_error(error);
		g_assert_true(ret);
		g_assert_cmpint(signo, ==, cases[i].signo);
	}
}

static void
tender_units_signal_rt_func(void)
{
	struct {
		const gchar *text;
		gint signo;
	} cases[] = {
	    {"RTMIN", SIGRTMIN},
	    {"RTMIN+0", SIGRTMIN},
	    {"RTMIN+3", SIGRTMIN + 3},
	    {"SIGRTMIN+3", SIGRTMIN + 3},
	    {"sigrtmin+3", SIGRTMIN + 3},
	    {"RTMAX", SIGRTMAX},
	    {"RTMAX-1", SIGRTMAX - 1},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint signo = -1;
		gboolean ret = tender_units_parse_signal(cases[i].text, &signo, &error);
		if (cases[i].signo > TENDER_UNITS_SIGNAL_MAX) {
			g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
			continue;
		}
		g_assert_no_error(error);
		g_assert_true(ret);
		g_assert_cmpint(signo, ==, cases[i].signo);
	}
}

static void
tender_units_signal_bad_func(void)
{
	const gchar *cases[] = {
	    "",
	    "0",
	    "65",
	    "-9",
	    "+9",
	    "9x",
	    " 9",
	    "SIG",
	    "SIGFOO",
	    "FOO",
	    "KILLER",
	    "SIGSIGKILL",
	    "RTMIN-1",
	    "RTMAX+1",
	    "RTMIN+",
	    "RTMIN+x",
	    "RTMIN+1000",
	    "RTMIN+99999999999999999999999",
	    "99999999999999999999999",
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gint signo = -1;
		gboolean ret = tender_units_parse_signal(cases[i], &signo, &error);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_false(ret);
		g_assert_cmpint(signo, ==, -1);
	}
}

static void
tender_units_signal_to_string_func(void)
{
	g_assert_cmpstr(tender_units_signal_to_string(SIGKILL), ==, "KILL");
	g_assert_cmpstr(tender_units_signal_to_string(SIGTERM), ==, "TERM");
	g_assert_cmpstr(tender_units_signal_to_string(SIGHUP), ==, "HUP");
	/* the canonical name, not an alias */
	g_assert_cmpstr(tender_units_signal_to_string(SIGABRT), ==, "ABRT");
	g_assert_cmpstr(tender_units_signal_to_string(SIGCHLD), ==, "CHLD");
	g_assert_cmpstr(tender_units_signal_to_string(SIGIO), ==, "IO");
	g_assert_cmpstr(tender_units_signal_to_string(SIGRTMIN), ==, "RTMIN");
	g_assert_cmpstr(tender_units_signal_to_string(SIGRTMIN + 3), ==, "RTMIN+3");
	g_assert_null(tender_units_signal_to_string(0));
	g_assert_null(tender_units_signal_to_string(-1));
	g_assert_null(tender_units_signal_to_string(1000));
}

static void
tender_units_signal_roundtrip_func(void)
{
	for (gint signo = 1; signo <= TENDER_UNITS_SIGNAL_MAX; signo++) {
		g_autoptr(GError) error = NULL;
		const gchar *name = tender_units_signal_to_string(signo);
		gint parsed = 0;
		if (name == NULL)
			continue;
		g_assert_true(tender_units_parse_signal(name, &parsed, &error));
		g_assert_no_error(error);
		g_assert_cmpint(parsed, ==, signo);
	}
}

static void
tender_units_format_size_func(void)
{
	struct {
		guint64 bytes;
		const gchar *text;
	} cases[] = {
	    {0, "0B"},
	    {1, "1B"},
	    {512, "512B"},
	    {1023, "1023B"},
	    {1024, "1K"},
	    {1536, "1.5K"},
	    {1025, "1.0K"},
	    {512 * 1024, "512K"},
	    {1024 * 1024 - 1, "1.0M"},
	    {64 * 1024 * 1024, "64M"},
	    {3 * G_GUINT64_CONSTANT(512) * 1024 * 1024, "1.5G"},
	    {G_GUINT64_CONSTANT(1) << 30, "1G"},
	    {(G_GUINT64_CONSTANT(1) << 30) + 1, "1.0G"},
	    {G_GUINT64_CONSTANT(1) << 40, "1T"},
	    {G_GUINT64_CONSTANT(1) << 50, "1P"},
	    {G_GUINT64_CONSTANT(2048) << 50, "2048P"},
	    {G_MAXUINT64, "16384.0P"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *text = tender_units_format_size(cases[i].bytes);
		g_assert_cmpstr(text, ==, cases[i].text);
	}
}

static void
tender_units_format_size_roundtrip_func(void)
{
	const guint64 sizes[] = {
	    0,
	    100,
	    1024,
	    4096,
	    1024 * 1024,
	    64 * 1024 * 1024,
	    G_GUINT64_CONSTANT(3) << 30,
	    G_GUINT64_CONSTANT(5) << 40,
	    G_GUINT64_CONSTANT(1) << 50,
	};

	/* exact sizes survive formatting and parsing again */
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *text = tender_units_format_size(sizes[i]);
		guint64 value = 0;
		g_assert_true(tender_units_parse_size(text, &value, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(value, ==, sizes[i]);
	}
}

static void
tender_units_duration_func(void)
{
	const struct {
		const gchar *text;
		guint64 msec;
	} good[] = {
	    {"0", 0},
	    {"30", 30000},
	    {"30s", 30000},
	    {"30sec", 30000},
	    {"500ms", 500},
	    {"5m", 300000},
	    {"5min", 300000},
	    {"2h", 7200000},
	    {"1d", 86400000},
	    {"1h30m", 5400000},
	    {"1m30s250ms", 90250},
	};
	const gchar *bad[] = {"",
			      "-1",
			      "s",
			      "1x",
			      "1.5s",
			      "1h30",
			      "30 s",
			      "ms5",
			      "99999999999999999999d",
			      "213503982334601d"};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		guint64 msec = G_MAXUINT64;
		g_assert_true(tender_units_parse_duration(good[i].text, &msec, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(msec, ==, good[i].msec);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		guint64 msec = 7;
		if (tender_units_parse_duration(bad[i], &msec, &error))
			g_error("'%s' was accepted as %" G_GUINT64_FORMAT " ms", bad[i], msec);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "duration"));
		g_assert_cmpuint(msec, ==, 7);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/tender/units/size/good", tender_units_size_good_func);
	g_test_add_func("/tender/units/size/bad", tender_units_size_bad_func);
	g_test_add_func("/tender/units/size/message", tender_units_size_message_func);
	g_test_add_func("/tender/units/percent/good", tender_units_percent_good_func);
	g_test_add_func("/tender/units/percent/bad", tender_units_percent_bad_func);
	g_test_add_func("/tender/units/duration", tender_units_duration_func);
	g_test_add_func("/tender/units/signal/good", tender_units_signal_good_func);
	g_test_add_func("/tender/units/signal/rt", tender_units_signal_rt_func);
	g_test_add_func("/tender/units/signal/bad", tender_units_signal_bad_func);
	g_test_add_func("/tender/units/signal/to-string", tender_units_signal_to_string_func);
	g_test_add_func("/tender/units/signal/roundtrip", tender_units_signal_roundtrip_func);
	g_test_add_func("/tender/units/format-size", tender_units_format_size_func);
	g_test_add_func("/tender/units/format-size/roundtrip",
			tender_units_format_size_roundtrip_func);
	return g_test_run();
}
