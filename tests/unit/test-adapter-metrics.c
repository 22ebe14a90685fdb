/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-adapter-private.h"
#include "tender-error.h"

/* the figures of seed 000's core for an adapter instance, and its Prometheus text */

static const gchar net_dev[] =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:  1000      10    0    0    0     0          0         0     1000      10    0    "
    "0    0     0       0          0\n"
    "  eth0: 123456789  2000    1    2    0     0          0         3 987654321   3000    0    "
    "0    0     0       0          0\n";

static void
test_net_dev(void)
{
	TenderAdapterNetCounters counters;
	g_autoptr(GError) error = NULL;

	g_assert_true(tender_adapter_metrics_parse_net_dev(net_dev, &counters, &error));
	g_assert_no_error(error);
	/* summed over every interface, loopback too, as psutil's net_io_counters() */
	g_assert_cmpuint(counters.bytes_recv, ==, 123457789);
	g_assert_cmpuint(counters.packets_recv, ==, 2010);
	g_assert_cmpuint(counters.bytes_sent, ==, 987655321);
	g_assert_cmpuint(counters.packets_sent, ==, 3010);

	/* only the headers: no interface, all zero */
	g_assert_true(tender_adapter_metrics_parse_net_dev("Inter-| Receive\n face |bytes\n",
							   &counters,
							   &error));
	g_assert_cmpuint(counters.bytes_recv + counters.bytes_sent, ==, 0);
}

static void
test_net_dev_bad(void)
{
	const gchar *bad[] = {
	    "",
	    "no header\nat all\n",
	    "Inter-| Receive\n face\n  eth0 1 2 3\n",
	    "Inter-| Receive\n face\n  eth0: 1 2 3\n",
	    "Inter-| Receive\n face\n  eth0: 1 2 3 4 5 6 7 8 x 10 11 12 13 14 15 16\n",
	    "Inter-| Receive\n face\n  eth0: 1 2 3 4 5 6 7 8 -9 10 11 12 13 14 15 16\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		TenderAdapterNetCounters counters;
		g_autoptr(GError) error = NULL;
		g_assert_false(tender_adapter_metrics_parse_net_dev(bad[i], &counters, &error));
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	}
}

static void
test_meminfo(void)
{
	guint64 total = 0;
	guint64 available = 0;
	g_autoptr(GError) error = NULL;

	g_assert_true(tender_adapter_metrics_parse_meminfo("MemTotal:       24576000 kB\n"
							   "MemFree:         1000000 kB\n"
							   "MemAvailable:   20480000 kB\n",
							   &total,
							   &available,
							   &error));
	g_assert_cmpuint(total, ==, 24576000ULL * 1024);
	g_assert_cmpuint(available, ==, 20480000ULL * 1024);
	g_assert_false(
	    tender_adapter_metrics_parse_meminfo("MemTotal: 1 kB\n", &total, &available, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&error);
	g_assert_false(tender_adapter_metrics_parse_meminfo("MemTotal: x kB\nMemAvailable: 1 kB\n",
							    &total,
							    &available,
							    &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
}

static gdouble
member(JsonObject *obj, const gchar *key)
{
	JsonNode *node = json_object_get_member(obj, key);
	g_assert_nonnull(node);
	/* the core's figures are floats, 0.0 included */
	g_assert_cmpint(json_node_get_value_type(node), ==, G_TYPE_DOUBLE);
	return json_node_get_double(node);
}

static void
test_system(void)
{
	const guint64 mib = 1024 * 1024;
	g_autoptr(JsonObject) limited = NULL;
	g_autoptr(JsonObject) host = NULL;
	g_autoptr(JsonObject) idle = NULL;

	/* 150 % of one CPU on 2 CPUs is 75 % of the host; 64 MiB of a 256 MiB limit */
	limited =
	    tender_adapter_metrics_system(150.0, 2, 64 * mib, 256 * mib, 8192 * mib, 4096 * mib);
	g_assert_cmpfloat(member(limited, "cpu_percent"), ==, 75.0);
	g_assert_cmpfloat(member(limited, "memory_percent"), ==, 25.0);
	g_assert_cmpfloat(member(limited, "memory_used_mb"), ==, 64.0);
	g_assert_cmpfloat(member(limited, "memory_available_mb"), ==, 192.0);
	g_assert_cmpuint(json_object_get_size(limited), ==, 4);

	/* no limit: of the host's memory, and what the host has available; rounded as the core
	 * did (one decimal for percents, two for MiB) */
	host = tender_adapter_metrics_system(33.333, 4, 1000000, 0, 8192 * mib, 4096 * mib + 5243);
	g_assert_cmpfloat_with_epsilon(member(host, "cpu_percent"), 8.3, 1e-9);
	g_assert_cmpfloat_with_epsilon(member(host, "memory_percent"), 0.0, 1e-9);
	g_assert_cmpfloat_with_epsilon(member(host, "memory_used_mb"), 0.95, 1e-9);
	g_assert_cmpfloat_with_epsilon(member(host, "memory_available_mb"), 4096.01, 1e-9);

	/* a limit above what the host has available: the host's is what is left */
	idle = tender_adapter_metrics_system(0.0, 2, 0, 16384 * mib, 8192 * mib, 100 * mib);
	g_assert_cmpfloat(member(idle, "cpu_percent"), ==, 0.0);
	g_assert_cmpfloat(member(idle, "memory_available_mb"), ==, 100.0);
}

static void
test_prometheus_lines(void)
{
	const gchar *good[] = {
	    "flows_sent_total 42",
	    "flows_sent_total{flow=\"a b\",dir=\"out\"} 42 1700000000000",
	    "flows_sent_total{flow=\"q\\\"uote\\\\\\n\",} 1.5e3",
	    "up NaN",
	    "ratio -Inf",
	    "ns:flows:rate5m +Inf",
	    "# HELP flows_sent_total Flows sent, since the start",
	    "# TYPE flows_sent_total counter",
	    "# a comment",
	    "#",
	};
	const gchar *bad[] = {
	    "not a metric line",
	    "flows_sent_total",
	    "flows_sent_total x",
	    "flows_sent_total 1 2 3",
	    "flows_sent_total 1 1.5",
	    "9flows 1",
	    "flows{flow=a} 1",
	    "flows{flow=\"a} 1",
	    "flows{flow=\"\\x\"} 1",
	    "flows{=\"a\"} 1",
	    "container_cpu_percent 5",
	    "tender_workloads 3",
	    "# TYPE container_cpu_percent gauge",
	    "# HELP tender_x y",
	    "# TYPE flows_sent_total meter",
	    "# TYPE 9x gauge",
	    "flows\t1\x01",
	    "flows \xff",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_true(tender_adapter_prometheus_check_line(good[i], &error));
		g_assert_no_error(error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		if (tender_adapter_prometheus_check_line(bad[i], &error))
			g_error("kept: %s", bad[i]);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	}
}

static void
test_prometheus_filter(void)
{
	const gchar *lines[] = {"a 1", "", "container_memory_percent 3", "  ", "b 2", "bad", NULL};
	g_autofree gchar *why = NULL;
	g_auto(GStrv) kept = NULL;
	g_auto(GStrv) none = NULL;
	g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) capped = NULL;
	guint n_dropped = 0;

	kept = tender_adapter_prometheus_filter(lines, &n_dropped, &why);
	g_assert_cmpstrv(kept, ((const gchar *const[]){"a 1", "b 2", NULL}));
	g_assert_cmpuint(n_dropped, ==, 2);
	g_assert_true(g_str_has_prefix(why, "'container_memory_percent 3': "));
	g_clear_pointer(&why, g_free);

	none = tender_adapter_prometheus_filter(NULL, &n_dropped, &why);
	g_assert_cmpuint(g_strv_length(none), ==, 0);
	g_assert_cmpuint(n_dropped, ==, 0);
	g_assert_null(why);

	for (guint i = 0; i < TENDER_ADAPTER_PROMETHEUS_LINES_MAX + 5; i++)
		g_ptr_array_add(many, g_strdup_printf("m%u 1", i));
	g_ptr_array_add(many, NULL);
	capped =
	    tender_adapter_prometheus_filter((const gchar *const *)many->pdata, &n_dropped, &why);
	g_assert_cmpuint(g_strv_length(capped), ==, TENDER_ADAPTER_PROMETHEUS_LINES_MAX);
	g_assert_cmpuint(n_dropped, ==, 5);
	g_assert_nonnull(strstr(why, "more than"));
}

static void
test_render_container(void)
{
	g_autoptr(JsonObject) metrics = json_object_new();
	JsonObject *system = json_object_new();
	JsonObject *network = json_object_new();
	const gchar *lines[] = {"# HELP flows_total Flows", "flows_total 7", NULL};
	g_autofree gchar *text = NULL;
	g_autofree gchar *empty = NULL;
	g_autoptr(JsonObject) nothing = json_object_new();

	json_object_set_double_member(system, "cpu_percent", 12.5);
	json_object_set_double_member(system, "memory_percent", 0.0);
	json_object_set_int_member(network, "bytes_sent", 1234);
	json_object_set_int_member(network, "bytes_recv", 5678);
	json_object_set_object_member(metrics, "system", system);
	json_object_set_object_member(metrics, "network", network);
	json_object_set_int_member(metrics, "memory_bytes", 67108864);
	text = tender_adapter_render_container(metrics, lines);
	/* the core's lines, in its order and number formats, then the adapter's */
	g_assert_cmpstr(text,
			==,
			"# HELP container_cpu_percent CPU usage %\n"
			"container_cpu_percent 12.5\n"
			"# HELP container_memory_percent Mem usage %\n"
			"container_memory_percent 0.0\n"
			"# HELP container_memory_used_bytes Used bytes\n"
			"container_memory_used_bytes 67108864\n"
			"# HELP container_network_bytes_sent_total Bytes sent\n"
			"container_network_bytes_sent_total 1234\n"
			"# HELP container_network_bytes_recv_total Bytes recv\n"
			"container_network_bytes_recv_total 5678\n"
			"# HELP flows_total Flows\n"
			"flows_total 7\n");
	/* a workload that does not run */
	empty = tender_adapter_render_container(nothing, NULL);
	g_assert_nonnull(strstr(empty, "\ncontainer_cpu_percent 0.0\n"));
	g_assert_nonnull(strstr(empty, "\ncontainer_memory_used_bytes 0\n"));
	g_assert_true(g_str_has_suffix(empty, "container_network_bytes_recv_total 0\n"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/adapter-metrics/net-dev", test_net_dev);
	g_test_add_func("/adapter-metrics/net-dev-bad", test_net_dev_bad);
	g_test_add_func("/adapter-metrics/meminfo", test_meminfo);
	g_test_add_func("/adapter-metrics/system", test_system);
	g_test_add_func("/adapter-metrics/prometheus-lines", test_prometheus_lines);
	g_test_add_func("/adapter-metrics/prometheus-filter", test_prometheus_filter);
	g_test_add_func("/adapter-metrics/render-container", test_render_container);
	return g_test_run();
}
