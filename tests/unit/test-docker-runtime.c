/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include "tender-docker-inspect.h"
#include "tender-docker-spec.h"
#include "tender-error.h"
#include "tender-json.h"

/* the pure parts of the Docker plugin's runtime (plugins/docker): what a spec makes of a
 * container, and what dockerd's answers say of it */

static TenderDockerSpec *
spec_new(const gchar *text, GError **error)
{
	g_autoptr(GVariant) spec = g_variant_ref_sink(g_variant_new_parsed(text));

	return tender_docker_spec_new("web", spec, error);
}

static void
assert_refused(const gchar *text, gint code, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerSpec) spec = spec_new(text, &error);

	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, code);
	g_assert_cmpstr(error->message, ==, message);
}

static void
test_docker_spec_parse(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerSpec) spec = NULL;
	g_autoptr(TenderDockerSpec) bare = NULL;
	TenderDockerPort *port;

	spec =
	    spec_new("{'argv': <['sh', '-c', 'echo hi']>, 'env': <['A=1', 'B=core']>, "
		     "'working_directory': <'/'>, 'memory_max': <uint64 67108864>, "
		     "'cpu_quota_percent': <uint32 50>, 'tasks_max': <uint64 32>, "
		     "'x-docker': <{'image': <'tender-test/busybox:latest'>, "
		     "'env': <{'B': 'x-docker', 'C': '3'}>, 'entrypoint': <['/bin/entry']>, "
		     "'user': <'1000:1000'>, 'workdir': <'/srv/my app'>, "
		     "'ports': <[(uint16 18080, uint16 8080, 'tcp'), (uint16 18081, uint16 8080, "
		     "'tcp'), (uint16 5353, uint16 53, 'udp')]>, 'network': <'none'>}>}",
		     &error);
	g_assert_no_error(error);
	g_assert_cmpstr(spec->image, ==, "tender-test/busybox:latest");
	g_assert_cmpstr(spec->cmd[2], ==, "echo hi");
	g_assert_cmpstr(spec->entrypoint[0], ==, "/bin/entry");
	/* the spec's env, then x-docker's (which wins), then TENDER_WORKLOAD */
	g_assert_cmpstr(g_environ_getenv(spec->env, "A"), ==, "1");
	g_assert_cmpstr(g_environ_getenv(spec->env, "B"), ==, "x-docker");
	g_assert_cmpstr(g_environ_getenv(spec->env, "C"), ==, "3");
	g_assert_cmpstr(g_environ_getenv(spec->env, "TENDER_WORKLOAD"), ==, "web");
	g_assert_cmpuint(g_strv_length(spec->env), ==, 4);
	g_assert_cmpstr(spec->user, ==, "1000:1000");
	g_assert_cmpstr(spec->workdir, ==, "/srv/my app");
	g_assert_cmpstr(spec->network, ==, "none");
	g_assert_cmpuint(spec->ports->len, ==, 3);
	port = &g_array_index(spec->ports, TenderDockerPort, 2);
	g_assert_cmpuint(port->host, ==, 5353);
	g_assert_cmpuint(port->container, ==, 53);
	g_assert_cmpstr(port->protocol, ==, "udp");
	g_assert_cmpuint(spec->memory_max, ==, 67108864);
	g_assert_cmpuint(spec->cpu_quota_percent, ==, 50);
	g_assert_cmpuint(spec->tasks_max, ==, 32);

	/* the image alone: its own Cmd, no limits; a workload may not pass for another */
	bare = spec_new("{'x-docker': <{'image': <'busybox'>, 'env': <{'TENDER_WORKLOAD': "
			"'other'}>}>}",
			&error);
	g_assert_no_error(error);
	g_assert_null(bare->cmd);
	g_assert_null(bare->entrypoint);
	g_assert_null(bare->user);
	g_assert_cmpuint(bare->ports->len, ==, 0);
	g_assert_cmpuint(bare->memory_max, ==, 0);
	g_assert_cmpstr(g_environ_getenv(bare->env, "TENDER_WORKLOAD"), ==, "web");
	g_assert_cmpuint(g_strv_length(bare->env), ==, 1);
}

/* x-docker as an HTTP client writes it by hand, a JSON object (tenderd takes it with JSON's
 * types: av for an array, a{sv} for an object, x for a number) */
static void
test_docker_spec_json(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node =
	    tender_json_parse("{\"image\": \"busybox\", \"env\": {\"A\": \"1\"}, \"entrypoint\": "
			      "[\"/bin/sh\", "
			      "\"-c\"], \"ports\": [[18080, 8080, \"tcp\"], [5353, 53, \"udp\"]]}",
			      -1,
			      TENDER_JSON_DEPTH_MAX,
			      &error);
	g_autoptr(GVariant) x = NULL;
	g_autoptr(GVariant) spec = NULL;
	g_autoptr(TenderDockerSpec) dspec = NULL;
	g_autoptr(GVariant) bad_x = NULL;
	g_autoptr(GVariant) bad = NULL;
	g_autoptr(JsonNode) bad_node = NULL;
	GVariantDict dict;
	TenderDockerPort *port;

	g_assert_no_error(error);
	x = g_variant_ref_sink(json_gvariant_deserialize(node, "a{sv}", &error));
	g_assert_no_error(error);
	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert_value(&dict, "x-docker", x);
	spec = g_variant_ref_sink(g_variant_dict_end(&dict));
	dspec = tender_docker_spec_new("web", spec, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(g_environ_getenv(dspec->env, "A"), ==, "1");
	g_assert_cmpstr(dspec->entrypoint[1], ==, "-c");
	g_assert_cmpuint(dspec->ports->len, ==, 2);
	port = &g_array_index(dspec->ports, TenderDockerPort, 0);
	g_assert_cmpuint(port->host, ==, 18080);
	g_assert_cmpuint(port->container, ==, 8080);
	g_assert_cmpstr(port->protocol, ==, "tcp");

	/* what stands for no value of the key's type is refused as ever */
	bad_node = tender_json_parse("{\"image\": \"busybox\", \"ports\": [[70000, 80, \"tcp\"]]}",
				     -1,
				     TENDER_JSON_DEPTH_MAX,
				     &error);
	g_assert_no_error(error);
	bad_x = g_variant_ref_sink(json_gvariant_deserialize(bad_node, "a{sv}", &error));
	g_assert_no_error(error);
	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert_value(&dict, "x-docker", bad_x);
	bad = g_variant_ref_sink(g_variant_dict_end(&dict));
	g_assert_null(tender_docker_spec_new("web", bad, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_true(g_str_has_prefix(error->message,
				       "Spec key 'x-docker.ports' must be of type 'a(qqs)', not "));
}

/* x-docker is checked when the workload is created, each refusal naming the key */
static void
test_docker_spec_refused(void)
{
	const gint invalid = TENDER_ERROR_INVALID_ARGUMENT;

	assert_refused("{'argv': <['true']>}",
		       invalid,
		       "Spec key 'x-docker.image' is required: workload 'web' runs in runtime "
		       "'docker'");
	assert_refused("{'x-docker': <{'env': <{'A': '1'}>}>}",
		       invalid,
		       "Spec key 'x-docker.image' is required: workload 'web' runs in runtime "
		       "'docker'");
	assert_refused("{'x-docker': <{'image': <''>}>}",
		       invalid,
		       "Spec key 'x-docker.image' is empty");
	assert_refused("{'x-docker': <{'image': <'bad image'>}>}",
		       invalid,
		       "Spec key 'x-docker.image' contains a blank");
	assert_refused("{'x-docker': <{'image': <'busybox\\n'>}>}",
		       invalid,
		       "Spec key 'x-docker.image' contains a control character");
	assert_refused("{'x-docker': <{'image': <uint32 5>}>}",
		       invalid,
		       "Spec key 'x-docker.image' must be of type 's', not 'u'");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'env': <['A=1']>}>}",
		       invalid,
		       "Spec key 'x-docker.env' must be of type 'a{ss}', not 'as'");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'env': <{'1A': 'x'}>}>}",
		       invalid,
		       "Spec key 'x-docker.env': '1A' is not a variable name of A-Z a-z 0-9 _");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'entrypoint': <@as []>}>}",
		       invalid,
		       "Spec key 'x-docker.entrypoint' must name a command: it is empty");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'workdir': <'srv'>}>}",
		       invalid,
		       "Spec key 'x-docker.workdir' must be an absolute path");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'ports': <[(uint16 0, uint16 80, "
		       "'tcp')]>}>}",
		       invalid,
		       "Spec key 'x-docker.ports' has a port 0: 1 to 65535");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'ports': <[(uint16 80, uint16 80, "
		       "'sctp')]>}>}",
		       invalid,
		       "Spec key 'x-docker.ports' has a protocol that is neither tcp nor udp");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'ports': <[(uint16 80, uint16 80, "
		       "'tcp'), (uint16 80, uint16 81, 'tcp')]>}>}",
		       invalid,
		       "Spec key 'x-docker.ports' publishes host port 80/tcp twice");
	assert_refused("{'x-docker': <{'image': <'busybox'>, 'command': <['true']>}>}",
		       invalid,
		       "Unknown spec key 'x-docker.command': it has image, env, entrypoint, user, "
		       "workdir, ports and network");
	assert_refused("{'x-docker': <{'image': <'busybox'>}>, 'memory_max': <uint64 1048576>}",
		       invalid,
		       "Spec key 'memory_max' is 1048576 bytes; dockerd takes no less than "
		       "6291456");
	/* the core's keys it cannot do: NotSupported, saying what to use */
	assert_refused("{'x-docker': <{'image': <'busybox'>}>, 'user': <'nobody'>}",
		       TENDER_ERROR_NOT_SUPPORTED,
		       "Workload 'web': runtime 'docker' does not do the spec key 'user'; use "
		       "x-docker's 'user'");
	assert_refused("{'x-docker': <{'image': <'busybox'>}>, 'pre_start': <[['true']]>}",
		       TENDER_ERROR_NOT_SUPPORTED,
		       "Workload 'web': runtime 'docker' does not do the spec key 'pre_start'");
	assert_refused("{'x-docker': <{'image': <'busybox'>}>, 'working_directory': <'/srv'>}",
		       TENDER_ERROR_NOT_SUPPORTED,
		       "Workload 'web': runtime 'docker' does not do the spec key "
		       "'working_directory'; use x-docker's 'workdir'");
}

static JsonObject *
member_object(JsonObject *obj, const gchar *name)
{
	g_assert_true(json_object_has_member(obj, name));
	return json_object_get_object_member(obj, name);
}

/* the body of POST /containers/create: image, command, env, labels, limits, the journald log
 * driver that the core's logs read, ports on 127.0.0.1 */
static void
test_docker_spec_create(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerSpec) spec = NULL;
	g_autoptr(TenderDockerSpec) same = NULL;
	g_autoptr(TenderDockerSpec) other = NULL;
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(JsonNode) again = NULL;
	g_autoptr(JsonNode) different = NULL;
	g_autoptr(JsonNode) bare_body = NULL;
	g_autoptr(TenderDockerSpec) bare = NULL;
	g_autofree gchar *name = tender_docker_spec_container_name("web");
	JsonObject *obj;
	JsonObject *host;
	JsonObject *labels;
	JsonObject *log;
	JsonArray *bindings;
	JsonArray *env;
	const gchar *spec_text =
	    "{'argv': <['sh', '-c', 'echo hi']>, 'memory_max': <uint64 67108864>, "
	    "'cpu_quota_percent': <uint32 150>, 'tasks_max': <uint64 32>, "
	    "'x-docker': <{'image': <'tender-test/busybox:latest'>, "
	    "'ports': <[(uint16 18080, uint16 8080, 'tcp'), (uint16 18081, uint16 8080, 'tcp')]>, "
	    "'network': <'bridge'>}>}";

	g_assert_cmpstr(name, ==, "tender-web");
	spec = spec_new(spec_text, &error);
	g_assert_no_error(error);
	body = tender_docker_spec_build_create(spec, "web");
	obj = json_node_get_object(body);
	g_assert_cmpstr(json_object_get_string_member(obj, "Image"),
			==,
			"tender-test/busybox:latest");
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(obj, "Cmd"), 2),
			==,
			"echo hi");
	g_assert_false(json_object_has_member(obj, "Entrypoint"));
	g_assert_false(json_object_has_member(obj, "User"));
	env = json_object_get_array_member(obj, "Env");
	g_assert_cmpuint(json_array_get_length(env), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(env, 0), ==, "TENDER_WORKLOAD=web");
	labels = member_object(obj, "Labels");
	g_assert_cmpstr(json_object_get_string_member(labels, "org.tender.owner"), ==, "tender");
	g_assert_cmpstr(json_object_get_string_member(labels, "org.tender.kind"), ==, "workload");
	g_assert_cmpstr(json_object_get_string_member(labels, "org.tender.id"), ==, "web");
	g_assert_cmpuint(strlen(tender_docker_spec_get_digest(body)), ==, 64);
	g_assert_true(json_object_has_member(member_object(obj, "ExposedPorts"), "8080/tcp"));
	g_assert_cmpuint(json_object_get_size(member_object(obj, "ExposedPorts")), ==, 1);

	host = member_object(obj, "HostConfig");
	g_assert_cmpint(json_object_get_int_member(host, "Memory"), ==, 67108864);
	g_assert_cmpint(json_object_get_int_member(host, "MemorySwap"), ==, 67108864);
	/* percent of one CPU: 150% is 1.5 CPUs */
	g_assert_cmpint(json_object_get_int_member(host, "NanoCpus"), ==, 1500000000);
	g_assert_cmpint(json_object_get_int_member(host, "PidsLimit"), ==, 32);
	g_assert_cmpstr(json_object_get_string_member(host, "NetworkMode"), ==, "bridge");
	log = member_object(host, "LogConfig");
	g_assert_cmpstr(json_object_get_string_member(log, "Type"), ==, "journald");
	g_assert_cmpstr(json_object_get_string_member(member_object(log, "Config"), "env"),
			==,
			"TENDER_WORKLOAD");
	bindings = json_object_get_array_member(member_object(host, "PortBindings"), "8080/tcp");
	g_assert_cmpuint(json_array_get_length(bindings), ==, 2);
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(bindings, 0),
						      "HostIp"),
			==,
			"127.0.0.1");
	g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(bindings, 1),
						      "HostPort"),
			==,
			"18081");

	/* the digest is what the container is made of: the same spec, the same digest */
	same = spec_new(spec_text, &error);
	g_assert_no_error(error);
	again = tender_docker_spec_build_create(same, "web");
	g_assert_cmpstr(tender_docker_spec_get_digest(again),
			==,
			tender_docker_spec_get_digest(body));
	other = spec_new("{'x-docker': <{'image': <'tender-test/busybox:latest'>}>}", &error);
	g_assert_no_error(error);
	different = tender_docker_spec_build_create(other, "web");
	g_assert_cmpstr(tender_docker_spec_get_digest(different),
			!=,
			tender_docker_spec_get_digest(body));

	/* without limits, ports or network, HostConfig has only the log driver */
	bare = spec_new("{'x-docker': <{'image': <'busybox'>}>}", &error);
	g_assert_no_error(error);
	bare_body = tender_docker_spec_build_create(bare, "web");
	obj = json_node_get_object(bare_body);
	g_assert_false(json_object_has_member(obj, "Cmd"));
	g_assert_false(json_object_has_member(obj, "ExposedPorts"));
	host = member_object(obj, "HostConfig");
	g_assert_cmpuint(json_object_get_size(host), ==, 1);
	g_assert_true(json_object_has_member(host, "LogConfig"));
}

static JsonObject *
parse_object(const gchar *text, JsonNode **root)
{
	g_autoptr(GError) error = NULL;

	*root = tender_json_parse(text, -1, TENDER_JSON_DEPTH_MAX, &error);
	g_assert_no_error(error);
	return json_node_get_object(*root);
}

/* what a container's inspect says: whose it is, whether it runs, how its run ended */
static void
test_docker_inspect_end(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) running = NULL;
	g_autoptr(JsonNode) exited = NULL;
	g_autoptr(JsonNode) oom = NULL;
	g_autoptr(JsonNode) killed = NULL;
	g_autoptr(JsonNode) foreign = NULL;
	g_autoptr(GVariant) limits = NULL;
	g_autoptr(GVariant) none = NULL;
	TenderDockerEnd end = {0};
	JsonObject *obj;
	guint64 memory = 0;
	guint32 cpu = 0;
	guint64 tasks = 0;

	obj = parse_object("{\"Id\": \"abc\", \"State\": {\"Status\": \"running\", \"Running\": "
			   "true, \"Paused\": true, \"Pid\": 4242, \"ExitCode\": 0}, "
			   "\"Config\": {\"Labels\": {\"org.tender.owner\": \"tender\", "
			   "\"org.tender.kind\": \"workload\", \"org.tender.id\": \"web\"}}, "
			   "\"HostConfig\": {\"Memory\": 67108864, \"NanoCpus\": 1500000000, "
			   "\"PidsLimit\": 32}}",
			   &running);
	g_assert_cmpstr(tender_docker_inspect_get_id(obj), ==, "abc");
	g_assert_true(tender_docker_inspect_check_owner(obj, "web", &error));
	g_assert_no_error(error);
	g_assert_false(tender_docker_inspect_check_owner(obj, "other", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);
	g_assert_cmpstr(tender_docker_inspect_get_label(obj, "org.tender.id"), ==, "web");
	g_assert_null(tender_docker_inspect_get_label(obj, "nope"));
	g_assert_true(tender_docker_inspect_get_running(obj));
	g_assert_true(tender_docker_inspect_get_paused(obj));
	g_assert_cmpuint(tender_docker_inspect_get_pid(obj), ==, 4242);
	g_assert_false(tender_docker_inspect_get_end(obj, 0, &end));
	limits = g_variant_ref_sink(tender_docker_inspect_get_limits(obj));
	g_assert_true(g_variant_lookup(limits, "memory_max", "t", &memory));
	g_assert_cmpuint(memory, ==, 67108864);
	g_assert_true(g_variant_lookup(limits, "cpu_quota_percent", "u", &cpu));
	g_assert_cmpuint(cpu, ==, 150);
	g_assert_true(g_variant_lookup(limits, "tasks_max", "t", &tasks));
	g_assert_cmpuint(tasks, ==, 32);

	/* exited: its exit code */
	obj = parse_object("{\"State\": {\"Status\": \"exited\", \"Running\": false, \"Pid\": 0, "
			   "\"ExitCode\": 3, \"OOMKilled\": false}, \"HostConfig\": "
			   "{\"Memory\": 0, \"NanoCpus\": 0, \"PidsLimit\": null}}",
			   &exited);
	g_assert_cmpuint(tender_docker_inspect_get_pid(obj), ==, 0);
	g_assert_true(tender_docker_inspect_get_end(obj, 0, &end));
	g_assert_cmpint(end.exit_code, ==, 3);
	g_assert_cmpint(end.exit_signal, ==, 0);
	g_assert_null(end.reason);
	none = g_variant_ref_sink(tender_docker_inspect_get_limits(obj));
	g_assert_cmpuint(g_variant_n_children(none), ==, 0);
	/* not labelled: not the plugin's */
	g_assert_false(tender_docker_inspect_check_owner(obj, "web", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	g_clear_error(&error);

	/* killed by the OOM killer: SIGKILL, the core's reason oom-kill */
	obj = parse_object("{\"State\": {\"Running\": false, \"ExitCode\": 137, \"OOMKilled\": "
			   "true}}",
			   &oom);
	g_assert_true(tender_docker_inspect_get_end(obj, 0, &end));
	g_assert_cmpint(end.exit_code, ==, -1);
	g_assert_cmpint(end.exit_signal, ==, SIGKILL);
	g_assert_cmpstr(end.reason, ==, "oom-kill");

	/* 128 + N is signal N only when the runtime sent it: dockerd says no more */
	obj = parse_object("{\"State\": {\"Running\": false, \"ExitCode\": 143}}", &killed);
	g_assert_true(tender_docker_inspect_get_end(obj, 0, &end));
	g_assert_cmpint(end.exit_code, ==, 143);
	g_assert_cmpint(end.exit_signal, ==, 0);
	g_assert_true(tender_docker_inspect_get_end(obj, TENDER_DOCKER_SIGNAL_BIT(SIGKILL), &end));
	g_assert_cmpint(end.exit_code, ==, 143);
	g_assert_true(tender_docker_inspect_get_end(obj,
						    TENDER_DOCKER_SIGNAL_BIT(SIGTERM) |
							TENDER_DOCKER_SIGNAL_BIT(SIGKILL),
						    &end));
	g_assert_cmpint(end.exit_code, ==, -1);
	g_assert_cmpint(end.exit_signal, ==, SIGTERM);
	g_assert_null(end.reason);

	/* members of the wrong type count as absent */
	obj = parse_object("{\"Config\": {\"Labels\": [\"org.tender.owner\"]}, \"State\": "
			   "{\"Running\": \"yes\", \"Pid\": \"1\"}}",
			   &foreign);
	g_assert_false(tender_docker_inspect_get_running(obj));
	g_assert_cmpuint(tender_docker_inspect_get_pid(obj), ==, 0);
	g_assert_false(tender_docker_inspect_check_owner(obj, "web", NULL));
	g_assert_null(tender_docker_inspect_get_id(obj));
}

/* GET /containers/ID/stats?stream=false: cgroup v1 and v2 */
static void
test_docker_inspect_stats(void)
{
	g_autoptr(JsonNode) v1 = NULL;
	g_autoptr(JsonNode) v2 = NULL;
	g_autoptr(JsonNode) stopped = NULL;
	TenderRunMetrics metrics;
	JsonObject *obj;

	obj = parse_object(
	    "{\"cpu_stats\": {\"cpu_usage\": {\"total_usage\": 123456789}}, \"memory_stats\": "
	    "{\"usage\": 1048576, \"max_usage\": 2097152}, \"pids_stats\": {\"current\": 3}, "
	    "\"blkio_stats\": {\"io_service_bytes_recursive\": [{\"major\": 8, \"minor\": 0, "
	    "\"op\": \"Read\", \"value\": 4096}, {\"major\": 8, \"minor\": 0, \"op\": \"Write\", "
	    "\"value\": 512}, {\"major\": 8, \"minor\": 16, \"op\": \"Read\", \"value\": 1024}, "
	    "{\"major\": 8, \"minor\": 0, \"op\": \"Total\", \"value\": 5632}]}}",
	    &v1);
	g_assert_true(tender_docker_inspect_read_stats(obj, &metrics));
	g_assert_cmpuint(metrics.cpu_usage_nsec, ==, 123456789);
	g_assert_cmpuint(metrics.memory_bytes, ==, 1048576);
	g_assert_cmpuint(metrics.memory_peak_bytes, ==, 2097152);
	g_assert_cmpuint(metrics.tasks, ==, 3);
	g_assert_cmpuint(metrics.io_read_bytes, ==, 5120);
	g_assert_cmpuint(metrics.io_write_bytes, ==, 512);

	obj = parse_object("{\"cpu_stats\": {\"cpu_usage\": {\"total_usage\": 5}}, "
			   "\"memory_stats\": {\"usage\": 8192}, \"pids_stats\": {}, "
			   "\"blkio_stats\": {\"io_service_bytes_recursive\": [{\"op\": \"read\", "
			   "\"value\": 7}, {\"op\": \"write\", \"value\": 9}]}}",
			   &v2);
	g_assert_true(tender_docker_inspect_read_stats(obj, &metrics));
	g_assert_cmpuint(metrics.memory_bytes, ==, 8192);
	g_assert_cmpuint(metrics.memory_peak_bytes, ==, 0);
	g_assert_cmpuint(metrics.tasks, ==, 0);
	g_assert_cmpuint(metrics.io_read_bytes, ==, 7);
	g_assert_cmpuint(metrics.io_write_bytes, ==, 9);

	/* a container that does not run has no figures */
	obj = parse_object("{\"read\": \"0001-01-01T00:00:00Z\", \"cpu_stats\": {\"cpu_usage\": "
			   "{\"total_usage\": 0}}, \"memory_stats\": {}, \"blkio_stats\": "
			   "{\"io_service_bytes_recursive\": null}}",
			   &stopped);
	g_assert_false(tender_docker_inspect_read_stats(obj, &metrics));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker-runtime/spec/parse", test_docker_spec_parse);
	g_test_add_func("/docker-runtime/spec/refused", test_docker_spec_refused);
	g_test_add_func("/docker-runtime/spec/json", test_docker_spec_json);
	g_test_add_func("/docker-runtime/spec/create", test_docker_spec_create);
	g_test_add_func("/docker-runtime/inspect/end", test_docker_inspect_end);
	g_test_add_func("/docker-runtime/inspect/stats", test_docker_inspect_stats);
	return g_test_run();
}
