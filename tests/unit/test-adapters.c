/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-private.h"
#include "tender-authority.h"
#include "tender-error.h"
#include "tender-http-alias.h"
#include "tender-resources.h"
#include "tender-json.h"

/* --- instance files --- */

static TenderAdapterConfig *
tender_test_config(const gchar *text, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();

	g_assert_true(g_key_file_load_from_data(keyfile, text, -1, G_KEY_FILE_NONE, NULL));
	return tender_adapter_config_new_from_keyfile(keyfile,
						      "/etc/tender/adapters/x.conf",
						      error);
}

static void
tender_adapter_config_good_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderAdapterConfig) config = NULL;
	guint64 memory = 0;
	guint32 cpu = 0;
	guint64 runtime = 0;
	const gchar *restart = NULL;

	config = tender_test_config("[adapter]\n"
				    "type=exec\n"
				    "primary_payload_key=command\n"
				    "run_as_user=app\n"
				    "root_api=true\n"
				    "[limits]\n"
				    "memory_max=256M\n"
				    "cpu_quota_percent=50%\n"
				    "max_runtime_sec=1h\n"
				    "restart=on-failure\n"
				    "[exec]\n"
				    "anything=is for the adapter\n",
				    &error);
	g_assert_no_error(error);
	g_assert_nonnull(config);
	g_assert_cmpstr(config->type, ==, "exec");
	g_assert_cmpstr(config->primary_payload_key, ==, "command");
	g_assert_cmpstr(config->run_as_user, ==, "app");
	g_assert_true(config->root_api);
	g_assert_true(g_variant_lookup(config->limits, "memory_max", "t", &memory));
	g_assert_cmpuint(memory, ==, 256 * 1024 * 1024);
	g_assert_true(g_variant_lookup(config->limits, "cpu_quota_percent", "u", &cpu));
	g_assert_cmpuint(cpu, ==, 50);
	g_assert_true(g_variant_lookup(config->limits, "max_runtime_sec", "t", &runtime));
	g_assert_cmpuint(runtime, ==, 3600);
	g_assert_true(g_variant_lookup(config->limits, "restart", "&s", &restart));
	g_assert_cmpstr(restart, ==, "on-failure");
}

static void
tender_adapter_config_minimal_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderAdapterConfig) config = NULL;

	config =
	    tender_test_config("[adapter]\ntype=script\nprimary_payload_key=flowfile\n", &error);
	g_assert_no_error(error);
	g_assert_null(config->run_as_user);
	g_assert_false(config->root_api);
	g_assert_cmpuint(g_variant_n_children(config->limits), ==, 0);
}

/* [limits] takes exactly the spec keys marked as limits in the key table, as text */
static void
tender_adapter_config_limits_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderAdapterConfig) config = NULL;
	guint64 u64 = 0;
	guint32 u32 = 0;
	const gchar *not_limits[] = {"argv", "env", "user", "runtime", "x-docker", "health"};

	config = tender_test_config("[adapter]\n"
				    "type=exec\n"
				    "primary_payload_key=command\n"
				    "[limits]\n"
				    "memory_max=1G\n"
				    "cpu_quota_percent=150\n"
				    "tasks_max=64\n"
				    "io_read_bandwidth_max=10M\n"
				    "io_write_bandwidth_max=2048\n"
				    "restart=always\n"
				    "restart_max=3\n"
				    "restart_delay_ms=250\n"
				    "max_runtime_sec=90\n",
				    &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_variant_n_children(config->limits), ==, 9);
	g_assert_true(g_variant_lookup(config->limits, "tasks_max", "t", &u64));
	g_assert_cmpuint(u64, ==, 64);
	g_assert_true(g_variant_lookup(config->limits, "io_read_bandwidth_max", "t", &u64));
	g_assert_cmpuint(u64, ==, 10 * 1024 * 1024);
	g_assert_true(g_variant_lookup(config->limits, "io_write_bandwidth_max", "t", &u64));
	g_assert_cmpuint(u64, ==, 2048);
	g_assert_true(g_variant_lookup(config->limits, "max_runtime_sec", "t", &u64));
	g_assert_cmpuint(u64, ==, 90);
	g_assert_true(g_variant_lookup(config->limits, "restart_max", "u", &u32));
	g_assert_cmpuint(u32, ==, 3);
	g_assert_true(g_variant_lookup(config->limits, "restart_delay_ms", "u", &u32));
	g_assert_cmpuint(u32, ==, 250);
	g_assert_true(g_variant_lookup(config->limits, "cpu_quota_percent", "u", &u32));
	g_assert_cmpuint(u32, ==, 150);

	for (guint i = 0; i < G_N_ELEMENTS(not_limits); i++) {
		g_autofree gchar *text = g_strdup_printf("[adapter]\ntype=exec\n"
							 "primary_payload_key=k\n[limits]\n%s=1\n",
							 not_limits[i]);
		g_autofree gchar *expected =
		    g_strdup_printf("[limits] %s: unknown key", not_limits[i]);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(TenderAdapterConfig) bad = tender_test_config(text, &error_local);
		g_assert_null(bad);
		g_assert_nonnull(strstr(error_local->message, expected));
	}
	g_clear_pointer(&config, tender_adapter_config_free);
	config = tender_test_config("[adapter]\ntype=exec\nprimary_payload_key=k\n"
				    "[limits]\nmax_runtime_sec=1500ms\n",
				    &error);
	g_assert_null(config);
	g_assert_nonnull(strstr(error->message, "[limits] max_runtime_sec: must be whole seconds"));
}

static void
tender_adapter_config_bad_func(void)
{
	struct {
		const gchar *text;
		const gchar *message; /* a part of the error message */
	} cases[] = {
	    {"[limits]\nmemory_max=1G\n", "the group [adapter] is missing"},
	    {"[adapter]\nprimary_payload_key=k\n", "[adapter] type: is required"},
	    {"[adapter]\ntype=exec\n", "[adapter] primary_payload_key: is required"},
	    {"[adapter]\ntype=Exec!\nprimary_payload_key=k\n", "[adapter] type: must be"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\ncolour=red\n",
	     "[adapter] colour: unknown key"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\nroot_api=perhaps\n",
	     "[adapter] root_api: must be true or false"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\nrun_as_user=a b\n",
	     "[adapter] run_as_user: must be a user name"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[limits]\nmemory=1G\n",
	     "[limits] memory: unknown key"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[limits]\nmemory_max=lots\n",
	     "[limits] memory_max:"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[limits]\ntasks_max=-1\n",
	     "[limits] tasks_max:"},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[limits]\nmemory_max=1K\n", "[limits] "},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[limits]\nrestart=sometimes\n",
	     "[limits] "},
	    {"[adapter]\ntype=exec\nprimary_payload_key=k\n[script]\nprogram=/bin/true\n",
	     "unknown group [script]"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderAdapterConfig) config = tender_test_config(cases[i].text, &error);
		g_assert_null(config);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, "/etc/tender/adapters/x.conf"));
		if (strstr(error->message, cases[i].message) == NULL)
			g_error("case %u: '%s' does not say '%s'",
				i,
				error->message,
				cases[i].message);
	}
}

static JsonObject *
tender_test_object(const gchar *json)
{
	g_autoptr(GError) error = NULL;
	JsonObject *obj = tender_adapter_payload_from_json(json, &error);

	g_assert_no_error(error);
	return obj;
}

static void
tender_adapter_payload_func(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) good = tender_test_object("{\"flowfile\": \"/x\"}");
	g_autoptr(JsonObject) null = tender_test_object("{\"flowfile\": null}");
	g_autoptr(JsonObject) other = tender_test_object("{\"other\": 1}");
	g_autoptr(JsonObject) bad = NULL;
	g_autoptr(JsonObject) from_variant = NULL;
	g_autoptr(GVariant) dict = NULL;
	g_autoptr(GString) deep = g_string_new(NULL);
	GVariant *nested = g_variant_ref_sink(g_variant_new_int32(1));

	g_assert_true(tender_adapter_check_payload(good, "flowfile", NULL));
	g_assert_false(tender_adapter_check_payload(null, "flowfile", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'flowfile'"));
	g_clear_error(&error);
	g_assert_false(tender_adapter_check_payload(other, "flowfile", NULL));
	g_assert_false(tender_adapter_check_payload(NULL, "flowfile", NULL));

	bad = tender_adapter_payload_from_json("[1, 2]", &error);
	g_assert_null(bad);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	bad = tender_adapter_payload_from_json("{not json", &error);
	g_assert_null(bad);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	for (guint i = 0; i < 50000; i++)
		g_string_append(deep, "{\"a\":");
	bad = tender_adapter_payload_from_json(deep->str, &error);
	g_assert_null(bad);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message,
			==,
			"The payload is not valid JSON: "
			"it nests deeper than the limit of 64 levels");
	g_clear_error(&error);

	/* what comes over D-Bus is saved as JSON, and must load again */
	for (guint i = 0; i <= TENDER_JSON_DEPTH_MAX; i++) {
		g_autoptr(GVariant) inner = nested;
		g_autoptr(JsonObject) obj = NULL;
		GVariantBuilder builder;

		g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
		g_variant_builder_add(&builder, "{sv}", "a", inner);
		nested = g_variant_ref_sink(g_variant_builder_end(&builder));
		obj = tender_adapter_payload_from_variant(nested, &error);
		if (i < TENDER_JSON_DEPTH_MAX) {
			g_assert_no_error(error);
			g_assert_nonnull(obj);
		} else {
			g_assert_null(obj);
			g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
			g_assert_cmpstr(error->message,
					==,
					"The payload cannot be turned into JSON: "
					"it nests deeper than the limit of 64 levels");
		}
	}
	g_variant_unref(nested);
	g_clear_error(&error);

	dict = g_variant_ref_sink(g_variant_new_parsed("{'flowfile': <'/x'>, 'bw': <@u 20>}"));
	from_variant = tender_adapter_payload_from_variant(dict, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(json_object_get_string_member(from_variant, "flowfile"), ==, "/x");
	g_assert_cmpint(json_object_get_int_member(from_variant, "bw"), ==, 20);
}

static void
tender_adapter_prometheus_func(void)
{
	g_autoptr(JsonObject) metrics = tender_test_object(
	    "{\"instance\": \"web\", \"running\": true, \"memory_bytes\": 1048576, "
	    "\"timestamp\": \"2026-11-25T20:16:37.123456Z\", "
	    "\"adapter\": {\"flows-active\": 3, \"name\": \"x\"}}");
	g_autofree gchar *text = tender_adapter_render_prometheus("we\"b", metrics);

	g_assert_nonnull(strstr(text, "tender_adapter_running{adapter=\"we\\\"b\"} 1\n"));
	g_assert_nonnull(
	    strstr(text, "tender_adapter_memory_bytes{adapter=\"we\\\"b\"} 1048576\n"));
	g_assert_nonnull(
	    strstr(text, "tender_adapter_custom_flows_active{adapter=\"we\\\"b\"} 3\n"));
	/* strings are no metrics */
	g_assert_null(strstr(text, "instance"));
	g_assert_null(strstr(text, "timestamp"));
	g_assert_null(strstr(text, "custom_name"));
}

/* the adapter service's table: Start and StartJson are one call for polkit rules */
static void
tender_adapter_service_table_func(void)
{
	const TenderServiceMethod *methods = tender_adapter_service_get_methods();
	const struct {
		const gchar *method;
		const gchar *detail;
		const gchar *action;
	} cases[] = {
	    {"Start", "Adapter.Start", TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE},
	    {"StartJson", "Adapter.Start", TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE},
	    {"UpdateJson", "Adapter.Update", TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE},
	    {"Stop", "Adapter.Stop", TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE},
	    {"GetMetrics", "Adapter.GetMetrics", TENDER_AUTHORITY_ACTION_ADAPTERS_READ},
	    {"Frobnicate", "Frobnicate", NULL},
	};
	g_autoptr(TenderAuthoritySubject) subject = tender_authority_subject_new_uid(0);
	g_autoptr(GBytes) xml = NULL;
	g_autoptr(GDBusNodeInfo) node = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderService) service = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(TenderRequest) request = tender_request_new(subject, FALSE);
		tender_service_prepare_method(methods, request, cases[i].method);
		g_assert_cmpstr(tender_request_get_method(request), ==, cases[i].detail);
		g_assert_cmpstr(tender_request_get_action(request), ==, cases[i].action);
	}
	/* the interface has properties: a service of it needs a getter */
	xml = g_resource_lookup_data(tender_get_resource(),
				     "/org/tender/Agent1/org.tender.Agent1.xml",
				     G_RESOURCE_LOOKUP_FLAGS_NONE,
				     &error);
	g_assert_no_error(error);
	node = g_dbus_node_info_new_for_xml(g_bytes_get_data(xml, NULL), &error);
	g_assert_no_error(error);
	service = tender_service_new_builtin(
	    "a1",
	    "/org/tender/Agent1/adapter/a1",
	    g_dbus_node_info_lookup_interface(node, "org.tender.Agent1.Adapter"),
	    methods,
	    NULL,
	    NULL,
	    NULL,
	    &error);
	g_assert_null(service);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "nothing reads them"));
}

/* the HTTP routes of adapters are aliases of the service's methods */
static void
tender_adapter_http_aliases_func(void)
{
	const struct {
		const gchar *verb;
		const gchar *path;
		gint route; /* -1: no route */
		const gchar *name;
		const gchar *method; /* the alias's */
		const gchar *allow;  /* of a 405 */
	} cases[] = {
	    {"POST", "/v1/adapters/a1/api/start", TENDER_HTTP_ROUTE_ALIAS, "a1", "StartJson", NULL},
	    {"POST",
	     "/v1/adapters/a1/api/update",
	     TENDER_HTTP_ROUTE_ALIAS,
	     "a1",
	     "UpdateJson",
	     NULL},
	    {"HEAD",
	     "/v1/adapters/a1/metrics",
	     TENDER_HTTP_ROUTE_ALIAS,
	     "a1",
	     "GetPrometheus",
	     NULL},
	    {"GET", "/v1/adapters/a1/api/health", TENDER_HTTP_ROUTE_ALIAS, "a1", NULL, NULL},
	    {"POST", "/api/start", TENDER_HTTP_ROUTE_ALIAS, NULL, "StartJson", NULL},
	    {"GET", "/api/metrics", TENDER_HTTP_ROUTE_ALIAS, NULL, "GetMetrics", NULL},
	    {"GET", "/api/start", -1, NULL, NULL, "POST"},
	    {"DELETE", "/v1/adapters/a1/api/stop", -1, NULL, NULL, "POST"},
	    /* tender's own, unless a root_api instance claims them once the server knows */
	    {"GET", "/api/health", TENDER_HTTP_ROUTE_HEALTH, NULL, NULL, NULL},
	    {"GET", "/metrics", TENDER_HTTP_ROUTE_PROMETHEUS, NULL, NULL, NULL},
	    {"GET", "/v1/adapters", TENDER_HTTP_ROUTE_ADAPTERS, NULL, NULL, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(TenderHttpMatch) match = {0};
		g_autoptr(GString) allow = g_string_new(NULL);
		guint status = 0;
		gboolean found = tender_http_router_match(NULL,
							  cases[i].verb,
							  cases[i].path,
							  &match,
							  &status,
							  allow);

		g_test_message("%s %s", cases[i].verb, cases[i].path);
		g_assert_cmpint(found, ==, cases[i].route >= 0);
		if (!found) {
			g_assert_cmpuint(status, ==, 405);
			g_assert_cmpstr(allow->str, ==, cases[i].allow);
			continue;
		}
		g_assert_cmpint(match.route, ==, cases[i].route);
		g_assert_cmpstr(match.name, ==, cases[i].name);
		if (match.route == TENDER_HTTP_ROUTE_ALIAS)
			g_assert_cmpstr(match.alias->method, ==, cases[i].method);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/adapter/config/good", tender_adapter_config_good_func);
	g_test_add_func("/adapter/config/minimal", tender_adapter_config_minimal_func);
	g_test_add_func("/adapter/config/limits", tender_adapter_config_limits_func);
	g_test_add_func("/adapter/config/bad", tender_adapter_config_bad_func);
	g_test_add_func("/adapter/payload", tender_adapter_payload_func);
	g_test_add_func("/adapter/prometheus", tender_adapter_prometheus_func);
	g_test_add_func("/adapter/service/table", tender_adapter_service_table_func);
	g_test_add_func("/adapter/http/aliases", tender_adapter_http_aliases_func);
	return g_test_run();
}
