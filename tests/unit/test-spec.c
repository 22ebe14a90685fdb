/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <math.h>

#include "tender-error.h"
#include "tender-spec-keys.h"
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
assert_variant_invalid(GVariant *v, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);

	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	if (strstr(error->message, needle) == NULL)
		g_error("'%s' does not mention '%s'", error->message, needle);
}

static void
assert_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GVariant) v = parse_text(text);
	assert_variant_invalid(v, needle);
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

static void
test_spec_policy_and_health(void)
{
	g_autoptr(GVariant) v =
	    parse_text("{'argv': <['true']>, 'restart': <'on-failure'>, 'restart_max': <uint32 7>,"
		       " 'restart_delay_ms': <uint32 250>, 'max_runtime_sec': <uint64 3600>,"
		       " 'health': <{'command': <['check', '--quick']>, 'interval_sec': <uint32 5>,"
		       " 'on_unhealthy': <'restart'>}>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(TenderSpec) defaults = NULL;
	g_autoptr(GVariant) plain = parse_text("{'argv': <['true']>}");

	g_assert_no_error(error);
	g_assert_cmpint(spec->restart, ==, TENDER_RESTART_ON_FAILURE);
	g_assert_cmpuint(spec->restart_max, ==, 7);
	g_assert_cmpuint(spec->restart_delay_ms, ==, 250);
	g_assert_cmpuint(spec->max_runtime_sec, ==, 3600);
	g_assert_nonnull(spec->health);
	g_assert_cmpstr(spec->health->command[1], ==, "--quick");
	g_assert_null(spec->health->http_url);
	g_assert_cmpuint(spec->health->interval_sec, ==, 5);
	g_assert_cmpuint(spec->health->timeout_sec, ==, TENDER_SPEC_HEALTH_TIMEOUT_DEFAULT);
	g_assert_cmpuint(spec->health->retries, ==, TENDER_SPEC_HEALTH_RETRIES_DEFAULT);
	g_assert_cmpuint(spec->health->start_period_sec, ==, 0);
	g_assert_cmpint(spec->health->on_unhealthy, ==, TENDER_HEALTH_ACTION_RESTART);

	defaults = tender_spec_new_from_variant(plain, &error);
	g_assert_no_error(error);
	g_assert_cmpint(defaults->restart, ==, TENDER_RESTART_NO);
	g_assert_cmpuint(defaults->restart_max, ==, 5);
	g_assert_cmpuint(defaults->restart_delay_ms, ==, 100);
	g_assert_cmpuint(defaults->max_runtime_sec, ==, 0);
	g_assert_null(defaults->health);

	assert_invalid("{'argv': <['true']>, 'restart': <'sometimes'>}",
		       "'restart' must be one of");
	assert_invalid("{'argv': <['true']>, 'restart_max': <uint64 1>}", "'restart_max'");
	assert_invalid("{'argv': <['true']>, 'restart_delay_ms': <uint32 60001>}",
		       "'restart_delay_ms'");
	assert_invalid("{'argv': <['true']>, 'max_runtime_sec': <uint64 0>}", "'max_runtime_sec'");
	assert_invalid("{'argv': <['true']>, 'health': <{'interval_sec': <uint32 5>}>}",
		       "either 'command' or 'http_url'");
	assert_invalid("{'argv': <['true']>, 'health': <{'command': <['a']>,"
		       " 'http_url': <'http://127.0.0.1/'>}>}",
		       "either 'command' or 'http_url'");
	assert_invalid("{'argv': <['true']>, 'health': <{'command': <@as []>}>}",
		       "'health.command'");
	assert_invalid("{'argv': <['true']>, 'health': <{'http_url': <'ftp://x/'>}>}",
		       "'health.http_url'");
	assert_invalid("{'argv': <['true']>, 'health': <{'http_url': <'not a url'>}>}",
		       "'health.http_url'");
	assert_invalid("{'argv': <['true']>, 'health': <{'command': <['a']>,"
		       " 'retries': <uint32 0>}>}",
		       "'health.retries'");
	assert_invalid("{'argv': <['true']>, 'health': <{'command': <['a']>,"
		       " 'on_unhealthy': <'panic'>}>}",
		       "'health.on_unhealthy'");
	assert_invalid("{'argv': <['true']>, 'health': <{'command': <['a']>, 'colour': <1>}>}",
		       "Unknown spec key 'health.colour'");
	assert_invalid("{'argv': <['true']>, 'health': <'yes'>}", "'health' must be of type");
}

static TenderSpec *
spec_from_json(const gchar *text, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
	return tender_spec_new_from_json(json_parser_get_root(parser), error);
}

static void
assert_json_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = spec_from_json(text, &error);

	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	if (strstr(error->message, needle) == NULL)
		g_error("'%s' does not mention '%s'", error->message, needle);
}

static void
test_spec_json(void)
{
	g_autoptr(GVariant) v = parse_text(
	    "{'argv': <['sleep', '100']>, 'env': <['A=1']>, 'labels': <{'team': 'core'}>,"
	    " 'memory_max': <uint64 1125899906842624>, 'cpu_quota_percent': <uint32 50>,"
	    " 'restart': <'always'>, 'max_runtime_sec': <uint64 60>,"
	    " 'health': <{'http_url': <'http://127.0.0.1:8080/health'>}>}");
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, NULL);
	g_autoptr(JsonNode) node = tender_spec_to_json(spec);
	g_autofree gchar *text = json_to_string(node, FALSE);
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) back = spec_from_json(text, &error);
	g_autoptr(GVariant) v1 = NULL;
	g_autoptr(GVariant) v2 = NULL;

	g_assert_no_error(error);
	/* the round trip loses nothing, not even a 2^50 limit */
	v1 = g_variant_ref_sink(tender_spec_to_variant(spec));
	v2 = g_variant_ref_sink(tender_spec_to_variant(back));
	g_assert_true(g_variant_equal(v1, v2));
	g_assert_cmpuint(back->memory_max, ==, G_GUINT64_CONSTANT(1) << 50);
	g_assert_cmpstr(back->health->http_url, ==, "http://127.0.0.1:8080/health");

	/* JSON gets exactly the checks a{sv} gets, and wrong JSON types are named */
	assert_json_invalid("[1]", "JSON object");
	assert_json_invalid("{\"argv\": []}", "'argv'");
	assert_json_invalid("{\"argv\": [\"true\", 1]}", "'argv' must be an array of strings");
	assert_json_invalid("{\"argv\": [\"true\"], \"memory_max\": \"1G\"}",
			    "'memory_max' has the wrong JSON type");
	assert_json_invalid("{\"argv\": [\"true\"], \"memory_max\": -5}", "'memory_max' is -5");
	assert_json_invalid("{\"argv\": [\"true\"], \"cpu_quota_percent\": 4294967296}",
			    "'cpu_quota_percent'");
	assert_json_invalid("{\"argv\": [\"true\"], \"memory_max\": 1}", "'memory_max' is 1");
	assert_json_invalid("{\"argv\": [\"true\"], \"labels\": {\"a\": 1}}", "'labels'");
	assert_json_invalid("{\"argv\": [\"true\"], \"nope\": 1}", "Unknown spec key 'nope'");
	assert_json_invalid("{\"argv\": [\"true\"], \"health\": {\"command\": [\"x\"],"
			    " \"nope\": 1}}",
			    "Unknown spec key 'health.nope'");
	assert_json_invalid("{\"argv\": [\"true\"], \"health\": {\"retries\": true}}",
			    "'health.retries'");
}

/* the a{sv} and the JSON of a spec, byte for byte, as state files and ExportWorkload hold them */
static void
test_spec_output_stable(void)
{
	g_autoptr(GVariant) full = parse_text(
	    "{'argv': <['sleep', '100']>, 'env': <['A=1', 'B=\"q\"']>,"
	    " 'working_directory': <'/tmp'>, 'description': <'a test'>,"
	    " 'labels': <{'team': 'core', 'app': 'web'}>, 'memory_max': <uint64 33554432>,"
	    " 'cpu_quota_percent': <uint32 50>, 'tasks_max': <uint64 16>,"
	    " 'io_read_bandwidth_max': <uint64 10485760>,"
	    " 'io_write_bandwidth_max': <uint64 1048576>, 'restart': <'on-failure'>,"
	    " 'restart_max': <uint32 7>, 'restart_delay_ms': <uint32 250>,"
	    " 'max_runtime_sec': <uint64 3600>, 'health': <{'command': <['check', '--quick']>,"
	    " 'interval_sec': <uint32 5>, 'on_unhealthy': <'restart'>}>, 'user': <'nobody'>,"
	    " 'group': <'65534'>, 'capabilities': <['net_raw']>,"
	    " 'pre_start': <[['true'], ['echo', 'hi']]>}");
	g_autoptr(GVariant) small =
	    parse_text("{'argv': <['true']>, 'health': <{'http_url': <'http://127.0.0.1/'>}>}");
	const gchar *full_variant =
	    "{'argv': <['sleep', '100']>, 'env': <['A=1', 'B=\"q\"']>, 'working_directory': "
	    "<'/tmp'>, 'description': <'a test'>, 'labels': <{'app': 'web', 'team': 'core'}>, "
	    "'memory_max': <uint64 33554432>, 'cpu_quota_percent': <uint32 50>, 'tasks_max': "
	    "<uint64 16>, 'io_read_bandwidth_max': <uint64 10485760>, 'io_write_bandwidth_max': "
	    "<uint64 1048576>, 'restart': <'on-failure'>, 'restart_max': <uint32 7>, "
	    "'restart_delay_ms': <uint32 250>, 'max_runtime_sec': <uint64 3600>, 'health': "
	    "<{'command': <['check', '--quick']>, 'interval_sec': <uint32 5>, 'timeout_sec': "
	    "<uint32 30>, 'retries': <uint32 3>, 'start_period_sec': <uint32 0>, 'on_unhealthy': "
	    "<'restart'>}>, 'user': <'nobody'>, 'group': <'65534'>, 'capabilities': "
	    "<['CAP_NET_RAW']>, 'pre_start': <[['true'], ['echo', 'hi']]>}";
	const gchar *full_json =
	    "{\"argv\":[\"sleep\",\"100\"],\"env\":[\"A=1\",\"B=\\\"q\\\"\"],\"working_directory\":"
	    "\"/tmp\",\"description\":\"a test\",\"labels\":{\"app\":\"web\",\"team\":\"core\"},"
	    "\"memory_max\":33554432,\"cpu_quota_percent\":50,\"tasks_max\":16,"
	    "\"io_read_bandwidth_max\":10485760,\"io_write_bandwidth_max\":1048576,\"restart\":"
	    "\"on-failure\",\"restart_max\":7,\"restart_delay_ms\":250,\"max_runtime_sec\":3600,"
	    "\"health\":{\"command\":[\"check\",\"--quick\"],\"interval_sec\":5,\"timeout_sec\":30,"
	    "\"retries\":3,\"start_period_sec\":0,\"on_unhealthy\":\"restart\"},\"user\":"
	    "\"nobody\",\"group\":\"65534\",\"capabilities\":[\"CAP_NET_RAW\"],\"pre_start\":"
	    "[[\"true\"],[\"echo\",\"hi\"]]}";
	const gchar *small_variant =
	    "{'argv': <['true']>, 'working_directory': <'/'>, 'labels': <@a{ss} {}>, 'restart': "
	    "<'no'>, 'restart_max': <uint32 5>, 'restart_delay_ms': <uint32 100>, 'health': "
	    "<{'http_url': <'http://127.0.0.1/'>, 'interval_sec': <uint32 30>, 'timeout_sec': "
	    "<uint32 30>, 'retries': <uint32 3>, 'start_period_sec': <uint32 0>, 'on_unhealthy': "
	    "<'none'>}>}";
	const gchar *small_json =
	    "{\"argv\":[\"true\"],\"working_directory\":\"/\",\"labels\":{},\"restart\":\"no\","
	    "\"restart_max\":5,\"restart_delay_ms\":100,\"health\":{\"http_url\":"
	    "\"http://127.0.0.1/\",\"interval_sec\":30,\"timeout_sec\":30,\"retries\":3,"
	    "\"start_period_sec\":0,\"on_unhealthy\":\"none\"}}";
	struct {
		GVariant *in;
		const gchar *variant;
		const gchar *json;
	} cases[] = {{full, full_variant, full_json}, {small, small_variant, small_json}};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(cases[i].in, &error);
		g_autoptr(GVariant) out = NULL;
		g_autoptr(JsonNode) node = NULL;
		g_autofree gchar *printed = NULL;
		g_autofree gchar *json = NULL;
		g_autoptr(TenderSpec) back = NULL;
		g_autoptr(GVariant) again = NULL;

		g_assert_no_error(error);
		out = g_variant_ref_sink(tender_spec_to_variant(spec));
		printed = g_variant_print(out, TRUE);
		g_assert_cmpstr(printed, ==, cases[i].variant);
		node = tender_spec_to_json(spec);
		json = json_to_string(node, FALSE);
		g_assert_cmpstr(json, ==, cases[i].json);
		/* and what a state file holds reads back to the same bytes */
		back = spec_from_json(json, &error);
		g_assert_no_error(error);
		again = g_variant_ref_sink(tender_spec_to_variant(back));
		g_assert_cmpmem(g_variant_get_data(again),
				g_variant_get_size(again),
				g_variant_get_data(out),
				g_variant_get_size(out));
	}
}

static void
test_spec_runtime(void)
{
	g_autoptr(GVariant) plain = parse_text("{'argv': <['true']>}");
	g_autoptr(GVariant) scope = parse_text("{'argv': <['true']>, 'runtime': <'scope'>}");
	g_autoptr(GVariant) other = parse_text("{'argv': <['true']>, 'runtime': <'my-vm2'>}");
	g_autoptr(TenderSpec) spec = NULL;
	g_autoptr(TenderSpec) back = NULL;
	g_autoptr(GVariant) out = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *long_name = g_strnfill(33, 'a');
	g_autofree gchar *too_long = NULL;
	g_autofree gchar *longest = NULL;
	GVariant *defaults[] = {plain, scope};

	/* the default is the scope runtime, and it is not written out */
	for (guint i = 0; i < G_N_ELEMENTS(defaults); i++) {
		spec = tender_spec_new_from_variant(defaults[i], &error);
		g_assert_no_error(error);
		g_assert_cmpstr(tender_spec_get_runtime(spec), ==, "scope");
		out = g_variant_ref_sink(tender_spec_to_variant(spec));
		g_assert_false(g_variant_lookup(out, "runtime", "&s", NULL));
		g_clear_pointer(&spec, tender_spec_free);
		g_clear_pointer(&out, g_variant_unref);
	}

	/* another runtime is kept, and round-trips through a{sv} and JSON */
	spec = tender_spec_new_from_variant(other, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_spec_get_runtime(spec), ==, "my-vm2");
	node = tender_spec_to_json(spec);
	json = json_to_string(node, FALSE);
	g_assert_nonnull(strstr(json, "\"runtime\":\"my-vm2\""));
	back = spec_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(tender_spec_get_runtime(back), ==, "my-vm2");

	/* only the form is checked: [a-z][a-z0-9-]{0,31} */
	longest = g_strdup_printf("{'argv': <['true']>, 'runtime': <'%.32s'>}", long_name);
	g_clear_pointer(&spec, tender_spec_free);
	g_clear_pointer(&out, g_variant_unref);
	out = parse_text(longest);
	spec = tender_spec_new_from_variant(out, &error);
	g_assert_no_error(error);
	too_long = g_strdup_printf("{'argv': <['true']>, 'runtime': <'%s'>}", long_name);
	assert_invalid(too_long, "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <''>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'Docker'>}", "'runtime' is 'Docker'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'1vm'>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'-vm'>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'my_vm'>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'a b'>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <'vm\\n'>}", "'runtime'");
	assert_invalid("{'argv': <['true']>, 'runtime': <uint32 1>}",
		       "'runtime' must be of type 's'");
	assert_json_invalid("{\"argv\": [\"true\"], \"runtime\": 1}", "'runtime'");
	assert_json_invalid("{\"argv\": [\"true\"], \"runtime\": \"Vm\"}", "'runtime'");
}

#define X_NESTED                                                                                   \
	"{'s': <'text \\'quoted\\''>, 'x': <int64 -9007199254740993>, 'b': <true>,"                \
	" 'd': <0.1>, 'as': <['a', 'b']>, 'empty': <@as []>, 'u': <uint32 7>,"                     \
	" 't': <uint64 18446744073709551615>, 'ay': <b'bytes'>, 'av': <[<1>, <'two'>]>,"           \
	" 'nested': <{'inner': <{'deep': <[int16 -1, 2]>}>, 'tuple': <('a', 1.5)>}>}"

static void
test_spec_extensions(void)
{
	g_autoptr(GVariant) v = parse_text("{'argv': <['true']>, 'x-docker': <" X_NESTED ">,"
					   " 'x-a': <@a{sv} {}>}");
	g_autoptr(GVariant) nested = parse_text(X_NESTED);
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(TenderSpec) again = NULL;
	g_autoptr(TenderSpec) back = NULL;
	g_autoptr(GVariant) out = NULL;
	g_autoptr(GVariant) out2 = NULL;
	g_autoptr(GVariant) out3 = NULL;
	g_autoptr(GVariant) from_json = NULL;
	g_autoptr(GVariant) x_json = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *json = NULL;
	g_auto(GStrv) names = NULL;
	const gchar *const expected_names[] = {"x-a", "x-docker", NULL};

	g_assert_no_error(error);
	g_assert_true(g_variant_equal(tender_spec_get_extension(spec, "x-docker"), nested));
	g_assert_null(tender_spec_get_extension(spec, "x-podman"));
	names = tender_spec_get_extension_names(spec);
	g_assert_true(g_strv_equal((const gchar *const *)names, expected_names));

	/* a{sv}: the very same value comes back */
	out = g_variant_ref_sink(tender_spec_to_variant(spec));
	again = tender_spec_new_from_variant(out, &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_equal(tender_spec_get_extension(again, "x-docker"), nested));
	out2 = g_variant_ref_sink(tender_spec_to_variant(again));
	g_assert_true(g_variant_equal(out, out2));

	/* JSON (export, import, state files, HTTP): a string of GVariant text, every type kept */
	node = tender_spec_to_json(spec);
	g_assert_cmpint(json_node_get_value_type(
			    json_object_get_member(json_node_get_object(node), "x-docker")),
			==,
			G_TYPE_STRING);
	json = json_to_string(node, FALSE);
	back = spec_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_equal(tender_spec_get_extension(back, "x-docker"), nested));
	out3 = g_variant_ref_sink(tender_spec_to_variant(back));
	g_assert_true(g_variant_equal(out, out3));
	g_assert_true(json_parser_load_from_data(parser, json, -1, NULL));
	from_json = tender_spec_variant_from_json(json_parser_get_root(parser), &error);
	g_assert_no_error(error);
	x_json = g_variant_lookup_value(from_json, "x-docker", NULL);
	g_assert_true(g_variant_equal(x_json, nested));
}

/* {'argv': <['true']>, NAME: <{KEY: <VALUE>}>} */
static GVariant *
spec_with_extension(const gchar *name, const gchar *key, GVariant *value)
{
	GVariantBuilder b;
	GVariantBuilder x;
	const gchar *one[] = {"true", NULL};

	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_init(&x, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&x, "{sv}", key, value);
	g_variant_builder_add(&b, "{sv}", "argv", g_variant_new_strv(one, -1));
	g_variant_builder_add(&b, "{sv}", name, g_variant_builder_end(&x));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
test_spec_extensions_invalid(void)
{
	GString *many = g_string_new("{'argv': <['true']>");
	g_autofree gchar *many_text = NULL;
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autofree gchar *deep_text = NULL;
	g_autofree gchar *ok_text = NULL;
	g_autoptr(GVariant) ok = NULL;
	g_autoptr(TenderSpec) spec = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree guint8 *blob = g_malloc0(TENDER_SPEC_EXTENSION_SIZE_MAX);
	g_autoptr(GVariant) big = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(TenderSpec) back = NULL;

	/* the names */
	assert_invalid("{'argv': <['true']>, 'x-': <@a{sv} {}>}", "'x-'");
	assert_invalid("{'argv': <['true']>, 'x-Docker': <@a{sv} {}>}", "'x-Docker' is not x-NAME");
	assert_invalid("{'argv': <['true']>, 'x-1d': <@a{sv} {}>}", "'x-1d'");
	assert_invalid("{'argv': <['true']>, 'x-a_b': <@a{sv} {}>}", "'x-a_b'");
	assert_invalid("{'argv': <['true']>, 'x-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa': <@a{sv} {}>}",
		       "'x-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'");
	/* the type */
	assert_invalid("{'argv': <['true']>, 'x-docker': <'image'>}",
		       "'x-docker' must be of type 'a{sv}'");
	assert_invalid("{'argv': <['true']>, 'x-docker': <{'a': 'b'}>}",
		       "'x-docker' must be of type 'a{sv}'");

	/* at most 8 */
	for (guint i = 0; i < TENDER_SPEC_EXTENSIONS_MAX; i++)
		g_string_append_printf(many, ", 'x-r%u': <@a{sv} {}>", i);
	ok_text = g_strdup_printf("%s}", many->str);
	ok = parse_text(ok_text);
	spec = tender_spec_new_from_variant(ok, &error);
	g_assert_no_error(error);
	g_string_append(many, ", 'x-one-more': <@a{sv} {}>}");
	many_text = g_string_free(many, FALSE);
	assert_invalid(many_text, "'x-one-more' is one x- key too many: at most 8");

	/* at most 64 KiB */
	big = spec_with_extension("x-big",
				  "blob",
				  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
							    blob,
							    TENDER_SPEC_EXTENSION_SIZE_MAX,
							    1));
	assert_variant_invalid(big, "'x-big' has 655");
	assert_variant_invalid(big, "bytes; at most 65536 are allowed");

	/* and at most 256 KiB as GVariant text: 60000 bytes are "[byte 0x00, 0x00, ...]" */
	g_clear_pointer(&big, g_variant_unref);
	big = spec_with_extension("x-text",
				  "blob",
				  g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE, blob, 60000, 1));
	assert_variant_invalid(big, "'x-text' is longer than 262144 bytes");

	/* nesting: a{sv} in a{sv}... each level is 3 containers (a, {}, v) */
	for (guint i = 0; i < 11; i++)
		g_string_append(deep, "{'n': <");
	g_string_append(deep, "1");
	for (guint i = 0; i < 11; i++)
		g_string_append(deep, ">}");
	deep_text = g_strdup_printf("{'argv': <['true']>, 'x-deep': <%s>}", deep->str);
	assert_invalid(deep_text, "'x-deep' is nested more than 32");

	/* GVariant text keeps even what JSON numbers cannot: NaN and infinities */
	g_clear_pointer(&big, g_variant_unref);
	big = spec_with_extension("x-nan", "d", g_variant_new_double(NAN));
	g_clear_pointer(&spec, tender_spec_free);
	spec = tender_spec_new_from_variant(big, &error);
	g_assert_no_error(error);
	node = tender_spec_to_json(spec);
	json = json_to_string(node, FALSE);
	back = spec_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_true(g_variant_equal(tender_spec_get_extension(back, "x-nan"),
				      tender_spec_get_extension(spec, "x-nan")));

	/* JSON: a string of GVariant text, or an object with JSON's own types */
	g_clear_pointer(&back, tender_spec_free);
	back = spec_from_json("{\"argv\": [\"true\"], \"x-docker\": {\"image\": \"nginx\", "
			      "\"ports\": [80], \"tty\": true}}",
			      &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *text =
		    g_variant_print(tender_spec_get_extension(back, "x-docker"), TRUE);
		g_assert_cmpstr(text,
				==,
				"{'image': <'nginx'>, 'ports': <[<int64 80>]>, 'tty': <true>}");
	}
	assert_json_invalid("{\"argv\": [\"true\"], \"x-docker\": [\"nginx\"]}",
			    "'x-docker' must be an object, or a string");
	assert_json_invalid("{\"argv\": [\"true\"], \"x-docker\": \"{'image': nginx}\"}",
			    "'x-docker' is not an a{sv} in GVariant text");
	assert_json_invalid("{\"argv\": [\"true\"], \"x-docker\": \"['a']\"}", "'x-docker'");
	assert_json_invalid("{\"argv\": [\"true\"], \"x-Docker\": \"@a{sv} {}\"}", "'x-Docker'");
}

static void
test_spec_keys(void)
{
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;
	const TenderSpecKey *health;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GError) error = NULL;
	guint limits = 0;
	struct {
		const gchar *key;
		const gchar *text;
		const gchar *value;
	} texts[] = {
	    {"memory_max", "2G", "uint64 2147483648"},
	    {"io_read_bandwidth_max", "10M", "uint64 10485760"},
	    {"max_runtime_sec", "1h", "uint64 3600"},
	    {"cpu_quota_percent", "150%", "uint32 150"},
	    {"restart_delay_ms", "250", "uint32 250"},
	    {"tasks_max", "64", "uint64 64"},
	    {"restart", "always", "'always'"},
	};

	/* every key once, each with a type; the table has the JSON keys and their types */
	tender_spec_key_iter_init(&iter, NULL);
	while (tender_spec_key_iter_next(&iter, &key)) {
		g_assert_true(g_hash_table_add(seen, (gpointer)key->name));
		g_assert_true(g_variant_type_string_is_valid(key->type));
		g_assert_nonnull(key->doc);
		if (key->flags & TENDER_SPEC_KEY_FLAG_LIMIT)
			limits++;
	}
	g_assert_cmpuint(g_hash_table_size(seen), ==, 32);
	g_assert_cmpuint(limits, ==, 9);
	key = tender_spec_key_lookup(NULL, "memory_max");
	g_assert_nonnull(key);
	g_assert_cmpstr(key->type, ==, "t");
	g_assert_cmpint(key->unit, ==, TENDER_SPEC_UNIT_BYTES);
	g_assert_cmpuint(key->min, ==, TENDER_SPEC_MEMORY_MIN);
	g_assert_cmpuint(key->max, ==, TENDER_SPEC_BYTES_MAX);
	g_assert_cmpstr(tender_spec_key_lookup(NULL, "x-docker")->name, ==, "x-");
	g_assert_cmpint(tender_spec_key_lookup(NULL, "x-docker")->kind,
			==,
			TENDER_SPEC_KEY_KIND_EXTENSION);
	g_assert_null(tender_spec_key_lookup(NULL, "bogus"));
	g_assert_null(tender_spec_key_lookup(NULL, "health.bogus"));
	g_assert_null(tender_spec_key_lookup(NULL, "memory_max.x"));
	health = tender_spec_key_lookup(NULL, "health");
	g_assert_nonnull(health->children);
	g_assert_true(tender_spec_key_lookup(NULL, "health.retries") ==
		      tender_spec_key_lookup(health, "retries"));
	g_assert_cmpstr(tender_spec_key_lookup(health, "retries")->unit_name, ==, "checks");
	g_assert_true(tender_spec_key_check_name("docker"));
	g_assert_false(tender_spec_key_check_name("Docker"));

	/* values as text, as adapter [limits] and tenderctl give them */
	for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
		const TenderSpecKey *k = tender_spec_key_lookup(NULL, texts[i].key);
		g_autofree gchar *printed = NULL;
		value = g_variant_ref_sink(tender_spec_key_parse_text(k, texts[i].text, &error));
		g_assert_no_error(error);
		printed = g_variant_print(value, TRUE);
		g_assert_cmpstr(printed, ==, texts[i].value);
		g_clear_pointer(&value, g_variant_unref);
	}
	g_assert_null(tender_spec_key_parse_text(tender_spec_key_lookup(NULL, "max_runtime_sec"),
						 "1500ms",
						 &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "must be whole seconds");
	g_clear_error(&error);
	g_assert_null(
	    tender_spec_key_parse_text(tender_spec_key_lookup(NULL, "restart_max"), "x", &error));
	g_assert_cmpstr(error->message, ==, "'x' is not a whole number in range");
	g_clear_error(&error);
	g_assert_null(
	    tender_spec_key_parse_text(tender_spec_key_lookup(NULL, "argv"), "x", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
}

static void
test_spec_privileges(void)
{
	g_autoptr(GVariant) v = parse_text(
	    "{'argv': <['true']>, 'user': <'nobody'>, 'group': <'65534'>,"
	    " 'capabilities': <['net_bind_service', 'CAP_NET_RAW', 'cap_net_bind_service']>,"
	    " 'pre_start': <[['tc', 'qdisc', 'add'], ['true']]>}");
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(TenderSpec) plain = NULL;
	g_autoptr(GVariant) plain_v = parse_text("{'argv': <['true']>}");
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(TenderSpec) back = NULL;
	g_autoptr(GVariant) v1 = NULL;
	g_autoptr(GVariant) v2 = NULL;
	g_autofree gchar *name = NULL;
	const gchar *const caps[] = {"CAP_NET_BIND_SERVICE", "CAP_NET_RAW", NULL};
	gchar **hook;
	gint value = -1;

	g_assert_no_error(error);
	g_assert_cmpstr(spec->user, ==, "nobody");
	g_assert_cmpstr(spec->group, ==, "65534");
	/* canonical names, each once */
	g_assert_true(g_strv_equal((const gchar *const *)spec->capabilities, caps));
	g_assert_nonnull(spec->pre_start);
	g_assert_cmpuint(spec->pre_start->len, ==, 2);
	hook = g_ptr_array_index(spec->pre_start, 0);
	g_assert_cmpstr(hook[0], ==, "tc");
	g_assert_cmpstr(hook[2], ==, "add");
	g_assert_null(hook[3]);
	g_assert_true(tender_spec_drops_privileges(spec));

	plain = tender_spec_new_from_variant(plain_v, NULL);
	g_assert_false(tender_spec_drops_privileges(plain));
	g_assert_null(plain->pre_start);

	/* the keys survive a round trip through a{sv} and JSON */
	node = tender_spec_to_json(spec);
	text = json_to_string(node, FALSE);
	back = spec_from_json(text, &error);
	g_assert_no_error(error);
	v1 = g_variant_ref_sink(tender_spec_to_variant(spec));
	v2 = g_variant_ref_sink(tender_spec_to_variant(back));
	g_assert_true(g_variant_equal(v1, v2));
	g_assert_cmpuint(back->pre_start->len, ==, 2);

	name = tender_spec_capability_from_name("Net_Admin", &value);
	g_assert_cmpstr(name, ==, "CAP_NET_ADMIN");
	g_assert_cmpint(value, ==, 12);
	g_assert_null(tender_spec_capability_from_name("12", NULL));
	g_assert_null(tender_spec_capability_from_name("", NULL));
	g_assert_null(tender_spec_capability_from_name("cap_", NULL));
}

static void
test_spec_privileges_invalid(void)
{
	g_autoptr(GPtrArray) hooks = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *joined = NULL;
	g_autofree gchar *too_many = NULL;

	assert_invalid("{'argv': <['true']>, 'user': <''>}", "'user'");
	assert_invalid("{'argv': <['true']>, 'user': <uint32 0>}", "'user' must be of type 's'");
	assert_invalid("{'argv': <['true']>, 'user': <'two words'>}", "'user'");
	assert_invalid("{'argv': <['true']>, 'user': <'-rf'>}", "'user'");
	assert_invalid("{'argv': <['true']>, 'user': <'4294967295'>}", "'user'");
	assert_invalid("{'argv': <['true']>, 'user': <'12ab'>}", "'user'");
	assert_invalid("{'argv': <['true']>, 'group': <'a:b'>}", "'group'");
	assert_invalid("{'argv': <['true']>, 'group': <'x\\ny'>}", "'group'");
	assert_invalid("{'argv': <['true']>, 'capabilities': <['CAP_NO_SUCH']>}",
		       "'capabilities' names an unknown capability 'CAP_NO_SUCH'");
	assert_invalid("{'argv': <['true']>, 'capabilities': <['']>}", "'capabilities'");
	assert_invalid("{'argv': <['true']>, 'capabilities': <['all']>}", "'capabilities'");
	assert_invalid("{'argv': <['true']>, 'capabilities': <'CAP_NET_RAW'>}",
		       "'capabilities' must be of type 'as'");
	assert_invalid("{'argv': <['true']>, 'pre_start': <['true']>}",
		       "'pre_start' must be of type 'aas'");
	assert_invalid("{'argv': <['true']>, 'pre_start': <[@as []]>}", "'pre_start'");
	assert_invalid("{'argv': <['true']>, 'pre_start': <[['']]>}", "'pre_start'");
	for (guint i = 0; i < TENDER_SPEC_PRE_START_MAX + 1; i++)
		g_ptr_array_add(hooks, g_strdup("['true']"));
	g_ptr_array_add(hooks, NULL);
	joined = g_strjoinv(", ", (gchar **)hooks->pdata);
	too_many = g_strdup_printf("{'argv': <['true']>, 'pre_start': <[%s]>}", joined);
	assert_invalid(too_many, "at most 16");
	assert_json_invalid("{\"argv\": [\"true\"], \"pre_start\": [\"true\"]}", "'pre_start'");
	assert_json_invalid("{\"argv\": [\"true\"], \"pre_start\": [[1]]}", "'pre_start'");
	assert_json_invalid("{\"argv\": [\"true\"], \"user\": 0}", "'user'");
}

/* post_stop: the counterpart of pre_start, kept after it, with the same bounds */
static void
test_spec_post_stop(void)
{
	g_autoptr(GVariant) v =
	    parse_text("{'argv': <['true']>, 'pre_start': <[['true']]>,"
		       " 'post_stop': <[['tc', 'qdisc', 'del'], ['rm', '-f', '/run/x']]>}");
	const TenderSpecKey *key = tender_spec_key_lookup(NULL, "post_stop");
	g_autoptr(GVariant) plain = parse_text("{'argv': <['true']>}");
	g_autoptr(TenderSpec) none = tender_spec_new_from_variant(plain, NULL);
	g_autoptr(GVariant) none_out = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(GVariant) out = NULL;
	g_autoptr(GVariant) hooks = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GVariant) again = NULL;
	g_autoptr(TenderSpec) back = NULL;
	gchar **hook;

	g_assert_no_error(error);
	g_assert_nonnull(key);
	g_assert_cmpstr(key->type, ==, "aas");
	g_assert_cmpuint(key->max, ==, TENDER_SPEC_POST_STOP_MAX);
	g_assert_cmpuint(spec->pre_start->len, ==, 1);
	g_assert_cmpuint(spec->post_stop->len, ==, 2);
	hook = g_ptr_array_index(spec->post_stop, 1);
	g_assert_cmpstr(hook[0], ==, "rm");
	g_assert_cmpstr(hook[2], ==, "/run/x");
	g_assert_null(hook[3]);
	g_assert_null(none->post_stop);
	none_out = g_variant_ref_sink(tender_spec_to_variant(none));
	g_assert_false(g_variant_lookup(none_out, "post_stop", "@aas", NULL));

	/* the a{sv} and the JSON have it right after pre_start, and read back the same */
	out = g_variant_ref_sink(tender_spec_to_variant(spec));
	hooks = g_variant_lookup_value(out, "post_stop", G_VARIANT_TYPE("aas"));
	g_assert_nonnull(hooks);
	g_assert_cmpuint(g_variant_n_children(hooks), ==, 2);
	node = tender_spec_to_json(spec);
	json = json_to_string(node, FALSE);
	g_assert_true(
	    g_str_has_suffix(json,
			     "\"pre_start\":[[\"true\"]],\"post_stop\":[[\"tc\",\"qdisc\","
			     "\"del\"],[\"rm\",\"-f\",\"/run/x\"]]}"));
	back = spec_from_json(json, &error);
	g_assert_no_error(error);
	again = g_variant_ref_sink(tender_spec_to_variant(back));
	g_assert_true(g_variant_equal(again, out));
}

/* a spec of @argv_bytes in argv and one post_stop hook of @hook_bytes */
static GVariant *
spec_with_sizes(gsize argv_bytes, gsize hook_bytes)
{
	g_autofree gchar *arg = g_strnfill(argv_bytes, 'a');
	g_autofree gchar *hook_arg = g_strnfill(hook_bytes, 'h');
	const gchar *argv[] = {"echo", arg, NULL};
	const gchar *hook[] = {"echo", hook_arg, NULL};
	GVariantBuilder b;
	GVariantBuilder hooks;

	g_variant_builder_init(&hooks, G_VARIANT_TYPE("aas"));
	g_variant_builder_add_value(&hooks, g_variant_new_strv(hook, -1));
	g_variant_builder_init(&b, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&b, "{sv}", "argv", g_variant_new_strv(argv, -1));
	g_variant_builder_add(&b, "{sv}", "post_stop", g_variant_builder_end(&hooks));
	return g_variant_ref_sink(g_variant_builder_end(&b));
}

static void
test_spec_post_stop_invalid(void)
{
	g_autoptr(GString) many = g_string_new("{'argv': <['true']>, 'post_stop': <[");
	g_autoptr(GString) long_hook = g_string_new("{'argv': <['true']>, 'post_stop': <[['x'");
	g_autoptr(GVariant) fits = spec_with_sizes(100, 200 * 1024);
	g_autoptr(GVariant) too_big = spec_with_sizes(100 * 1024, 200 * 1024);
	g_autoptr(TenderSpec) spec = NULL;
	g_autoptr(GError) error = NULL;

	assert_invalid("{'argv': <['true']>, 'post_stop': <['true']>}",
		       "'post_stop' must be of type 'aas'");
	assert_invalid("{'argv': <['true']>, 'post_stop': <[['true'], @as []]>}",
		       "'post_stop' has an empty command");
	assert_invalid("{'argv': <['true']>, 'post_stop': <[['', 'x']]>}",
		       "'post_stop' has an empty command");
	for (guint i = 0; i <= TENDER_SPEC_POST_STOP_MAX; i++)
		g_string_append(many, i > 0 ? ", ['true']" : "['true']");
	g_string_append(many, "]>}");
	assert_invalid(many->str, "'post_stop' has 17 commands; at most 16 are allowed");
	for (guint i = 0; i < TENDER_SPEC_ARGV_MAX; i++)
		g_string_append(long_hook, ", 'x'");
	g_string_append(long_hook, "]]>}");
	assert_invalid(long_hook->str, "'post_stop' has a command of 1025 elements");
	assert_json_invalid("{\"argv\": [\"true\"], \"post_stop\": [[\"ok\"], [2]]}",
			    "'post_stop'");
	assert_json_invalid("{\"argv\": [\"true\"], \"post_stop\": \"true\"}", "'post_stop'");

	/* its bytes count with argv's towards the one bound */
	spec = tender_spec_new_from_variant(fits, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(spec->post_stop->len, ==, 1);
	assert_variant_invalid(too_big, "'post_stop' hold");
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
	g_test_add_func("/spec/policy-and-health", test_spec_policy_and_health);
	g_test_add_func("/spec/json", test_spec_json);
	g_test_add_func("/spec/output-stable", test_spec_output_stable);
	g_test_add_func("/spec/runtime", test_spec_runtime);
	g_test_add_func("/spec/extensions", test_spec_extensions);
	g_test_add_func("/spec/extensions-invalid", test_spec_extensions_invalid);
	g_test_add_func("/spec/keys", test_spec_keys);
	g_test_add_func("/spec/privileges", test_spec_privileges);
	g_test_add_func("/spec/privileges-invalid", test_spec_privileges_invalid);
	g_test_add_func("/spec/post-stop", test_spec_post_stop);
	g_test_add_func("/spec/post-stop-invalid", test_spec_post_stop_invalid);
	return g_test_run();
}
