/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-spec.h"

static GVariant *
parse_text(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	GVariant *v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
	g_assert_no_error(error);
	return v;
}

static void
assert_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GVariant) v = parse_text(text);
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);

	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	if (strstr(error->message, needle) == NULL)
		g_error("'%s' does not mention '%s'", error->message, needle);
}

static void
test_spec_full(void)
{
	g_autoptr(GVariant) v =
	    parse_text("{'argv': <['sleep', '100']>, 'env': <['A=1', 'B=x=y']>,"
		       " 'working_directory': <'/tmp'>, 'description': <'a test'>,"
		       " 'labels': <{'team': 'core'}>, 'memory_max': <uint64 33554432>,"
		       " 'cpu_quota_percent': <uint32 50>, 'tasks_max': <uint64 16>,"
		       " 'io_read_bandwidth_max': <uint64 10485760>,"
		       " 'io_write_bandwidth_max': <uint64 1048576>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(GVariant) back = NULL;
	g_autoptr(TenderSpec) again = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(spec);
	g_assert_cmpstr(spec->argv[0], ==, "sleep");
	g_assert_cmpstr(spec->argv[1], ==, "100");
	g_assert_cmpuint(g_strv_length(spec->env), ==, 2);
	g_assert_cmpstr(spec->working_directory, ==, "/tmp");
	g_assert_cmpstr(spec->description, ==, "a test");
	g_assert_cmpstr(g_hash_table_lookup(spec->labels, "team"), ==, "core");
	g_assert_cmpuint(spec->memory_max, ==, 32 * 1024 * 1024);
	g_assert_cmpuint(spec->cpu_quota_percent, ==, 50);
	g_assert_cmpuint(spec->tasks_max, ==, 16);
	g_assert_cmpuint(spec->io_read_bandwidth_max, ==, 10485760);
	g_assert_cmpuint(spec->io_write_bandwidth_max, ==, 1048576);

	/* round trip */
	back = g_variant_ref_sink(tender_spec_to_variant(spec));
	again = tender_spec_new_from_variant(back, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(again->memory_max, ==, spec->memory_max);
	g_assert_cmpstr(again->description, ==, spec->description);
	g_assert_cmpstr(g_hash_table_lookup(again->labels, "team"), ==, "core");
}

static void
test_spec_defaults(void)
{
	g_autoptr(GVariant) v = parse_text("{'argv': <['true']>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(spec->working_directory, ==, "/");
	g_assert_null(spec->description);
	g_assert_cmpuint(spec->memory_max, ==, 0);
	g_assert_cmpuint(spec->cpu_quota_percent, ==, 0);
}

static void
test_spec_environ(void)
{
	g_autoptr(GVariant) v =
	    parse_text("{'argv': <['true']>, 'env': <['FOO=bar', 'PATH=/x', 'FOO=baz']>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_auto(GStrv) envp = NULL;

	g_assert_no_error(error);
	g_setenv("TENDER_TEST_LEAK", "1", TRUE);
	envp = tender_spec_build_environ(spec);
	g_assert_cmpstr(g_environ_getenv(envp, "FOO"), ==, "baz");
	g_assert_cmpstr(g_environ_getenv(envp, "PATH"), ==, "/x");
	g_assert_null(g_environ_getenv(envp, "TENDER_TEST_LEAK"));
}

static void
test_spec_invalid(void)
{
	assert_invalid("{}", "'argv' is required");
	assert_invalid("{'argv': <@as []>}", "'argv'");
	assert_invalid("{'argv': <['']>}", "'argv'");
	assert_invalid("{'argv': <'sleep 1'>}", "'argv' must be of type 'as'");
	assert_invalid("{'argv': <['true']>, 'bogus': <1>}", "Unknown spec key 'bogus'");
	assert_invalid("{'argv': <['true']>, 'memory_max': <'64M'>}", "'memory_max'");
	assert_invalid("{'argv': <['true']>, 'memory_max': <uint64 0>}", "'memory_max'");
	assert_invalid("{'argv': <['true']>, 'memory_max': <uint64 18446744073709551615>}",
		       "'memory_max'");
	assert_invalid("{'argv': <['true']>, 'memory_max': <uint64 4096>}", "'memory_max'");
	assert_invalid("{'argv': <['true']>, 'cpu_quota_percent': <uint32 0>}",
		       "'cpu_quota_percent'");
	assert_invalid("{'argv': <['true']>, 'cpu_quota_percent': <uint32 4000000>}",
		       "'cpu_quota_percent'");
	assert_invalid("{'argv': <['true']>, 'cpu_quota_percent': <uint64 50>}",
		       "'cpu_quota_percent' must be of type 'u'");
	assert_invalid("{'argv': <['true']>, 'tasks_max': <uint64 0>}", "'tasks_max'");
	assert_invalid("{'argv': <['true']>, 'tasks_max': <uint64 99999999999>}", "'tasks_max'");
	assert_invalid("{'argv': <['true']>, 'io_read_bandwidth_max': <uint64 0>}",
		       "'io_read_bandwidth_max'");
	assert_invalid("{'argv': <['true']>, 'io_write_bandwidth_max': <uint64 1>}",
		       "'io_write_bandwidth_max'");
	assert_invalid("{'argv': <['true']>, 'working_directory': <'relative/dir'>}",
		       "'working_directory'");
	assert_invalid("{'argv': <['true']>, 'env': <['NOEQUALS']>}", "'env'");
	assert_invalid("{'argv': <['true']>, 'env': <['1X=y']>}", "'env'");
	assert_invalid("{'argv': <['true']>, 'env': <['=y']>}", "'env'");
	assert_invalid("{'argv': <['true']>, 'description': <'two\\nlines'>}", "'description'");
	assert_invalid("{'argv': <['true']>, 'labels': <{'': 'x'}>}", "'labels'");
	assert_invalid("{'argv': <['true']>, 'labels': <['x']>}", "'labels'");
}

static void
test_spec_duplicate_key(void)
{
	GVariantBuilder b;
	g_autoptr(GVariant) v = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = NULL;
	const gchar *one[] = {"true", NULL};

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "argv", g_variant_new_strv(one, -1));
	g_variant_builder_add(&b, "{sv}", "argv", g_variant_new_strv(one, -1));
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	spec = tender_spec_new_from_variant(v, &error);
	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'argv' is given twice"));
}

static void
test_spec_limits_on_size(void)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GVariant) v = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = NULL;
	GVariantBuilder b;

	for (guint i = 0; i < TENDER_SPEC_ARGV_MAX + 1; i++)
		g_ptr_array_add(argv, g_strdup("x"));
	g_ptr_array_add(argv, NULL);
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)argv->pdata, -1));
	v = g_variant_ref_sink(g_variant_builder_end(&b));
	spec = tender_spec_new_from_variant(v, &error);
	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'argv'"));
}

static void
test_spec_not_a_dict(void)
{
	g_autoptr(GVariant) v = g_variant_ref_sink(g_variant_new_string("nope"));
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/spec/full", test_spec_full);
	g_test_add_func("/spec/defaults", test_spec_defaults);
	g_test_add_func("/spec/environ", test_spec_environ);
	g_test_add_func("/spec/invalid", test_spec_invalid);
	g_test_add_func("/spec/duplicate-key", test_spec_duplicate_key);
	g_test_add_func("/spec/limits-on-size", test_spec_limits_on_size);
	g_test_add_func("/spec/not-a-dict", test_spec_not_a_dict);
	return g_test_run();
}
