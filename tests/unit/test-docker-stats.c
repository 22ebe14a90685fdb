/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-cleanup.h"
#include "tender-docker-stats.h"

/* the pure parts of the Docker plugin's stats and cleanups (plugins/docker/tender-docker-stats.c,
 * tender-docker-cleanup.c): the figures from dockerd's answers, and the answers' shapes */

/* GET /containers/ID/stats?stream=false of dockerd 20.10 on cgroup v2, cut down: the CPU went
 * from 2.0 s to 2.5 s while the system's went 2 s further, on 2 CPUs: 50% */
static const gchar *const stats_v2 =
    "{\"read\":\"2026-01-02T03:04:07.000000001Z\",\"pids_stats\":{\"current\":3,\"limit\":64},"
    "\"blkio_stats\":{\"io_service_bytes_recursive\":["
    "{\"major\":8,\"minor\":0,\"op\":\"read\",\"value\":4096},"
    "{\"major\":8,\"minor\":0,\"op\":\"write\",\"value\":8192},"
    "{\"major\":8,\"minor\":16,\"op\":\"read\",\"value\":100}]},"
    "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":2500000000,\"usage_in_usermode\":2000000000},"
    "\"system_cpu_usage\":200000000000,\"online_cpus\":2},"
    "\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":2000000000},"
    "\"system_cpu_usage\":198000000000,\"online_cpus\":2},"
    "\"memory_stats\":{\"usage\":10485760,\"stats\":{\"inactive_file\":2097152,\"anon\":1},"
    "\"limit\":67108864},"
    "\"name\":\"/tender-web\",\"id\":\"0123abcd\","
    "\"networks\":{\"eth0\":{\"rx_bytes\":1000,\"tx_bytes\":500},"
    "\"eth1\":{\"rx_bytes\":24,\"tx_bytes\":12}}}";

/* cgroup v1: no online_cpus (the per-CPU figures count), total_inactive_file, ops Read/Write */
static const gchar *const stats_v1 =
    "{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":400,\"percpu_usage\":[100,100,100,100]},"
    "\"system_cpu_usage\":2000},"
    "\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":300},\"system_cpu_usage\":1000},"
    "\"memory_stats\":{\"usage\":5000,\"stats\":{\"total_inactive_file\":1000,"
    "\"inactive_file\":4000},\"limit\":10000},"
    "\"blkio_stats\":{\"io_service_bytes_recursive\":[{\"op\":\"Read\",\"value\":7},"
    "{\"op\":\"Write\",\"value\":9},{\"op\":\"Total\",\"value\":16}]}}";

static const gchar *const inspect_relic =
    "{\"Id\":\"0123abcd\",\"Name\":\"/relic_web_s1_0123\","
    "\"Created\":\"2026-01-02T03:04:05.123456789Z\","
    "\"State\":{\"Status\":\"running\",\"Running\":true,"
    "\"StartedAt\":\"2026-01-02T03:04:06.5Z\"},"
    "\"Config\":{\"Labels\":{\"org.tender.owner\":\"tender\",\"org.tender.kind\":\"relic\","
    "\"org.tender.session\":\"s1\",\"org.tender.id\":\"relic_0123456789abcdef\"}}}";

static JsonObject *
object_from(const gchar *text)
{
	g_autoptr(JsonNode) node = json_from_string(text, NULL);

	g_assert_true(node != NULL && JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

static gchar *
text_of(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	return json_to_string(node, FALSE);
}

static void
test_docker_stats_cpu(void)
{
	g_autoptr(JsonObject) v2 = object_from(stats_v2);
	g_autoptr(JsonObject) v1 = object_from(stats_v1);
	g_autoptr(JsonObject) idle =
	    object_from("{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":5},"
			"\"system_cpu_usage\":10,\"online_cpus\":4},"
			"\"precpu_stats\":{\"cpu_usage\":{\"total_usage\":5},"
			"\"system_cpu_usage\":5}}");
	g_autoptr(JsonObject) wrong = object_from("{\"cpu_stats\":\"busy\",\"precpu_stats\":[1]}");

	g_assert_cmpfloat_with_epsilon(tender_docker_stats_cpu_percent(v2), 50.0, 1e-9);
	/* 100 of 1000, times 4 CPUs */
	g_assert_cmpfloat_with_epsilon(tender_docker_stats_cpu_percent(v1), 40.0, 1e-9);
	g_assert_cmpfloat(tender_docker_stats_cpu_percent(idle), ==, 0.0);
	g_assert_cmpfloat(tender_docker_stats_cpu_percent(wrong), ==, 0.0);
	/* memory: the inactive file pages left out, v1's name first */
	g_assert_cmpuint(tender_docker_stats_memory_usage(v2), ==, 8388608);
	g_assert_cmpuint(tender_docker_stats_memory_usage(v1), ==, 4000);
}

static void
test_docker_stats_figures(void)
{
	g_autoptr(JsonObject) inspect = object_from(inspect_relic);
	g_autoptr(JsonObject) stats = object_from(stats_v2);
	g_autoptr(JsonObject) stats1 = object_from(stats_v1);
	g_autoptr(TenderDockerStats) figures = tender_docker_stats_new(inspect, stats);
	g_autoptr(TenderDockerStats) figures1 = tender_docker_stats_new(inspect, stats1);
	g_autoptr(TenderDockerStats) none = tender_docker_stats_new(inspect, NULL);

	g_assert_true(tender_docker_stats_is_owned(inspect));
	g_assert_cmpstr(figures->name, ==, "relic_web_s1_0123");
	g_assert_cmpstr(figures->kind, ==, "relic");
	g_assert_cmpfloat_with_epsilon(figures->memory_percent, 12.5, 1e-9);
	g_assert_cmpuint(figures->network_rx, ==, 1024);
	g_assert_cmpuint(figures->network_tx, ==, 512);
	g_assert_cmpuint(figures->block_read, ==, 4196);
	g_assert_cmpuint(figures->block_write, ==, 8192);
	g_assert_cmpuint(figures->pids, ==, 3);
	g_assert_cmpuint(figures1->block_read, ==, 7);
	g_assert_cmpuint(figures1->block_write, ==, 9);
	g_assert_cmpfloat_with_epsilon(figures1->memory_percent, 40.0, 1e-9);
	/* no stats (a container that has gone): its figures are 0 */
	g_assert_cmpuint(none->memory_limit, ==, 0);
	g_assert_cmpfloat(none->cpu_percent, ==, 0.0);
	g_assert_true(none->running);
}

static void
test_docker_stats_owner(void)
{
	const gchar *const foreign[] = {
	    "{\"Id\":\"x\"}",
	    "{\"Config\":{\"Labels\":null}}",
	    "{\"Config\":{\"Labels\":{\"org.tender.owner\":\"someone\"}}}",
	    "{\"Config\":{\"Labels\":{\"org.tender.owner\":7}}}",
	};

	for (guint i = 0; i < G_N_ELEMENTS(foreign); i++) {
		g_autoptr(JsonObject) inspect = object_from(foreign[i]);
		g_assert_false(tender_docker_stats_is_owned(inspect));
	}
}

static void
test_docker_stats_json(void)
{
	g_autoptr(JsonObject) inspect = object_from(inspect_relic);
	g_autoptr(JsonObject) stats = object_from(stats_v2);
	g_autoptr(TenderDockerStats) figures = tender_docker_stats_new(inspect, stats);
	g_autoptr(JsonObject) obj = tender_docker_stats_to_json(figures);
	g_autoptr(JsonObject) cortex = tender_docker_stats_to_cortex_json(figures);
	g_autofree gchar *text = text_of(obj);
	g_autofree gchar *cortex_text = text_of(cortex);

	g_assert_cmpstr(text,
			==,
			"{\"id\":\"relic_0123456789abcdef\",\"kind\":\"relic\",\"session_id\":"
			"\"s1\","
			"\"container_id\":\"0123abcd\",\"name\":\"relic_web_s1_0123\","
			"\"status\":\"running\",\"running\":true,\"cpu_percent\":50.0,"
			"\"memory_usage_bytes\":8388608,\"memory_limit_bytes\":67108864,"
			"\"memory_percent\":12.5,\"network_rx_bytes\":1024,"
			"\"network_tx_bytes\":512,\"block_read_bytes\":4196,"
			"\"block_write_bytes\":8192,\"pids\":3,"
			"\"created_at\":\"2026-01-02T03:04:05.123456789Z\","
			"\"started_at\":\"2026-01-02T03:04:06.5Z\"}");
	/* seed 002's ContainerStats: its members in its order, MiB, Python's isoformat */
	g_assert_cmpstr(cortex_text,
			==,
			"{\"container_id\":\"0123abcd\",\"name\":\"relic_web_s1_0123\","
			"\"status\":\"running\",\"running\":true,\"cpu_percent\":50.0,"
			"\"memory_used_mb\":8.0,\"memory_limit_mb\":64.0,\"memory_percent\":12.5,"
			"\"network_rx_mb\":0.0009765625,\"network_tx_mb\":0.00048828125,"
			"\"disk_read_mb\":0.004001617431640625,\"disk_write_mb\":0.0078125,"
			"\"created_at\":\"2026-01-02T03:04:05.123456+00:00\","
			"\"started_at\":\"2026-01-02T03:04:06.500000+00:00\"}");
}

static void
test_docker_stats_time(void)
{
	g_autoptr(JsonObject) inspect =
	    object_from("{\"Id\":\"y\",\"Name\":\"/t\",\"Created\":\"2026-01-02T03:04:05Z\","
			"\"State\":{\"Status\":\"created\",\"Running\":false,"
			"\"StartedAt\":\"0001-01-01T00:00:00Z\"}}");
	g_autoptr(TenderDockerStats) figures = tender_docker_stats_new(inspect, NULL);
	g_autoptr(JsonObject) cortex = tender_docker_stats_to_cortex_json(figures);
	g_autofree gchar *exact = tender_docker_stats_format_cortex_time("2026-01-02T03:04:05Z");
	g_autofree gchar *bad = tender_docker_stats_format_cortex_time("yesterday");

	g_assert_cmpstr(exact, ==, "2026-01-02T03:04:05+00:00");
	g_assert_null(bad);
	/* never started: null, not dockerd's zero time */
	g_assert_null(figures->started_at);
	g_assert_true(json_object_get_null_member(cortex, "started_at"));
	g_assert_cmpstr(json_object_get_string_member(cortex, "created_at"),
			==,
			"2026-01-02T03:04:05+00:00");
}

static void
test_docker_cleanup_json(void)
{
	g_autoptr(TenderDockerCleanup) cleanup = tender_docker_cleanup_new("s1", FALSE);
	g_autoptr(TenderDockerCleanup) networks = tender_docker_cleanup_new(NULL, FALSE);
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(JsonObject) cortex = NULL;
	g_autoptr(JsonObject) net_obj = NULL;
	g_autoptr(JsonObject) net_cortex = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *cortex_text = NULL;
	g_autofree gchar *net_text = NULL;
	g_autofree gchar *net_cortex_text = NULL;

	g_ptr_array_add(cleanup->tools, g_strdup("exec_0123456789abcdef"));
	g_ptr_array_add(cleanup->containers, g_strdup("c1"));
	g_ptr_array_add(cleanup->containers, g_strdup("c2"));
	g_ptr_array_add(cleanup->left, g_strdup("relic_0123456789abcdef"));
	tender_docker_cleanup_add_error(cleanup, "Relic %s runs", "relic_0123456789abcdef");
	obj = tender_docker_cleanup_to_json(cleanup);
	cortex = tender_docker_cleanup_to_cortex_json(cleanup);
	text = text_of(obj);
	cortex_text = text_of(cortex);
	g_assert_cmpstr(text,
			==,
			"{\"session_id\":\"s1\",\"force\":false,"
			"\"tools_removed\":[\"exec_0123456789abcdef\"],\"relics_removed\":[],"
			"\"containers_removed\":[\"c1\",\"c2\"],\"networks_removed\":[],"
			"\"left\":[\"relic_0123456789abcdef\"],"
			"\"errors\":[\"Relic relic_0123456789abcdef runs\"]}");
	/* seed 002's SessionCleanupResult counts */
	g_assert_cmpstr(cortex_text,
			==,
			"{\"session_id\":\"s1\",\"containers_removed\":2,\"networks_removed\":0,"
			"\"volumes_removed\":0,\"errors\":[\"Relic relic_0123456789abcdef "
			"runs\"]}");
	g_ptr_array_add(networks->networks, g_strdup("tender-session-s1"));
	g_ptr_array_add(networks->left, g_strdup("tender-session-s2"));
	net_obj = tender_docker_cleanup_to_json(networks);
	net_cortex = tender_docker_cleanup_to_cortex_json(networks);
	net_text = text_of(net_obj);
	net_cortex_text = text_of(net_cortex);
	g_assert_cmpstr(net_text,
			==,
			"{\"networks_removed\":[\"tender-session-s1\"],"
			"\"left\":[\"tender-session-s2\"],\"errors\":[]}");
	g_assert_cmpstr(net_cortex_text, ==, "{\"status\":\"completed\",\"networks_removed\":1}");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/stats/cpu", test_docker_stats_cpu);
	g_test_add_func("/docker/stats/figures", test_docker_stats_figures);
	g_test_add_func("/docker/stats/owner", test_docker_stats_owner);
	g_test_add_func("/docker/stats/json", test_docker_stats_json);
	g_test_add_func("/docker/stats/time", test_docker_stats_time);
	g_test_add_func("/docker/cleanup/json", test_docker_cleanup_json);
	return g_test_run();
}
