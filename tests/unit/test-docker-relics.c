/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "tender-docker-relic-request.h"
#include "tender-docker-relic.h"
#include "tender-error.h"

/* the pure parts of the Docker plugin's relics (plugins/docker/tender-docker-relic*.c) */

static JsonObject *
parse_object(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string(text, &error);

	g_assert_no_error(error);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

static gchar *
object_to_string(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	json_node_set_object(node, obj);
	return json_to_string(node, FALSE);
}

static TenderDockerRelicRequest *
parse_request(const gchar *text, GError **error)
{
	g_autoptr(JsonObject) obj = parse_object(text);

	return tender_docker_relic_request_new_from_json(obj, error);
}

#define BASE "\"relic_name\":\"kv\",\"session_id\":\"s1\",\"image\":\"tender-test/web:latest\""

static void
assert_request_error(const gchar *text, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelicRequest) request = parse_request(text, &error);

	g_assert_null(request);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, message);
}

static void
test_docker_relic_request(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelicRequest) request = parse_request("{" BASE "}", &error);
	g_autoptr(TenderDockerRelicRequest) full = NULL;
	g_autoptr(TenderDockerRelicRequest) again = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *network = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(request->relic_name, ==, "kv");
	g_assert_cmpstr(request->session_id, ==, "s1");
	g_assert_cmpuint(request->port, ==, 0);
	g_assert_true(request->private_network);
	g_assert_cmpstr(request->health_endpoint, ==, "/health");
	g_assert_cmpuint(request->health_timeout_seconds, ==, 30);
	g_assert_cmpuint(request->memory_mb, ==, 512);
	network = tender_docker_relic_request_get_network_name(request);
	g_assert_cmpstr(network, ==, "tender-session-s1");

	/* Cortex's names, and its members that ask nothing of tender */
	full = parse_request("{" BASE ",\"environment\":{\"A\":\"b\"},\"port\":9000,"
			     "\"ports\":{},\"create_private_network\":false,"
			     "\"health_check_endpoint\":\"/ready?x=1\","
			     "\"health_check_interval_seconds\":10,"
			     "\"health_check_timeout_seconds\":5,\"resource_limits\":"
			     "{\"memory_mb\":128,\"cpu_limit\":0.5,\"timeout_seconds\":300}}",
			     &error);
	g_assert_no_error(error);
	g_assert_cmpuint(full->port, ==, 9000);
	g_assert_false(full->private_network);
	g_assert_cmpstr(full->health_endpoint, ==, "/ready?x=1");
	g_assert_cmpuint(full->health_timeout_seconds, ==, 5);
	g_assert_cmpuint(full->memory_mb, ==, 128);
	g_assert_cmpfloat(full->cpu_limit, ==, 0.5);
	g_assert_cmpstr(json_object_get_string_member(full->env, "A"), ==, "b");
	g_free(network);
	network = tender_docker_relic_request_get_network_name(full);
	g_assert_cmpstr(network, ==, "bridge");

	/* written out, and read back the same */
	obj = tender_docker_relic_request_to_json(full);
	again = tender_docker_relic_request_new_from_json(obj, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(again->port, ==, 9000);
	g_assert_false(again->private_network);
	g_assert_cmpstr(again->health_endpoint, ==, "/ready?x=1");
	g_assert_cmpuint(again->memory_mb, ==, 128);
	g_assert_cmpstr(json_object_get_string_member(again->env, "A"), ==, "b");
}

/* restart_policy and health_check_interval_seconds: defaults, taken, written out and read
 * back, and the container's restart policy */
static void
test_docker_relic_request_restart(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelicRequest) plain = parse_request("{" BASE "}", &error);
	g_autoptr(TenderDockerRelicRequest) asked = NULL;
	g_autoptr(TenderDockerRelicRequest) again = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(JsonNode) body = NULL;
	JsonObject *host;

	g_assert_no_error(error);
	g_assert_cmpstr(plain->restart_policy, ==, "unless-stopped");
	g_assert_cmpuint(plain->health_interval_seconds, ==, 0);
	obj = tender_docker_relic_request_to_json(plain);
	g_assert_false(json_object_has_member(obj, "health_check_interval_seconds"));
	g_clear_pointer(&obj, json_object_unref);

	asked = parse_request("{" BASE ",\"restart_policy\":\"on-failure\","
			      "\"health_check_interval_seconds\":3600}",
			      &error);
	g_assert_no_error(error);
	g_assert_cmpstr(asked->restart_policy, ==, "on-failure");
	g_assert_cmpuint(asked->health_interval_seconds, ==, 3600);
	asked->port = 8080;
	obj = tender_docker_relic_request_to_json(asked);
	again = tender_docker_relic_request_new_from_json(obj, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(again->restart_policy, ==, "on-failure");
	g_assert_cmpuint(again->health_interval_seconds, ==, 3600);
	body = tender_docker_relic_request_build_create_body(asked,
							     "relic_0123456789abcdef",
							     "relic_kv_s1_01234567");
	host = json_object_get_object_member(json_node_get_object(body), "HostConfig");
	g_assert_cmpstr(
	    json_object_get_string_member(json_object_get_object_member(host, "RestartPolicy"),
					  "Name"),
	    ==,
	    "on-failure");

	assert_request_error("{" BASE ",\"restart_policy\":\"sometimes\"}",
			     "Member 'restart_policy' must be no, on-failure, always or "
			     "unless-stopped");
	assert_request_error("{" BASE ",\"restart_policy\":1}",
			     "Member 'restart_policy' must be a string, not a number");
	assert_request_error("{" BASE ",\"health_check_interval_seconds\":0}",
			     "Member 'health_check_interval_seconds' must be an integer from 1 "
			     "to 3600");
	assert_request_error("{" BASE ",\"health_check_interval_seconds\":3601}",
			     "Member 'health_check_interval_seconds' must be an integer from 1 "
			     "to 3600");
}

static void
test_docker_relic_request_errors(void)
{
	assert_request_error("{\"session_id\":\"s1\",\"image\":\"x\"}",
			     "Member 'relic_name' is required");
	assert_request_error("{\"relic_name\":\"a b\",\"session_id\":\"s1\",\"image\":\"x\"}",
			     "Member 'relic_name' must be 1 to 64 letters, digits, '_', '.' or "
			     "'-', beginning with a letter or digit");
	assert_request_error("{\"relic_name\":\"kv\",\"session_id\":\"s/1\",\"image\":\"x\"}",
			     "Member 'session_id' must be 1 to 64 letters, digits, '_', '.' or "
			     "'-', beginning with a letter or digit");
	assert_request_error("{\"relic_name\":\"kv\",\"session_id\":\"s1\"}",
			     "Member 'image' is required");
	assert_request_error("{" BASE ",\"bogus\":1}",
			     "Member 'bogus' is not one of a relic request's");
	assert_request_error("{" BASE ",\"port\":0}",
			     "Member 'port' must be an integer from 1 to 65535");
	assert_request_error("{" BASE ",\"port\":\"80\"}",
			     "Member 'port' must be an integer from 1 to 65535");
	assert_request_error("{" BASE ",\"health_check_timeout_seconds\":601}",
			     "Member 'health_check_timeout_seconds' must be an integer from 1 "
			     "to 600");
	assert_request_error("{" BASE ",\"health_check_endpoint\":\"health\"}",
			     "Member 'health_check_endpoint' must be a path: '/' then printable "
			     "ASCII without spaces or '#', at most 1024 bytes");
	assert_request_error("{" BASE ",\"create_private_network\":1}",
			     "Member 'create_private_network' must be a boolean");
	assert_request_error("{" BASE ",\"env\":{\"RELIC_NAME\":\"x\"}}",
			     "Member 'env.RELIC_NAME' is set by tender (RELIC_NAME, SESSION_ID)");
	assert_request_error("{" BASE ",\"env\":{\"SESSION_ID\":\"x\"}}",
			     "Member 'env.SESSION_ID' is set by tender (TOOL_NAME, SESSION_ID, "
			     "PARAMETERS)");
	assert_request_error("{" BASE ",\"resource_limits\":{\"memory_mb\":1}}",
			     "Member 'resource_limits.memory_mb' is 1; it must be from 6 to "
			     "1048576");
	assert_request_error("{" BASE ",\"ports\":{\"8080\":8080}}",
			     "Member 'ports' must be empty: tender publishes no host ports; a "
			     "relic is reached on its session's network (internal_url)");
	assert_request_error("{" BASE ",\"volumes\":{\"/a\":\"/b\"}}",
			     "Member 'volumes' is not supported: tender mounts no host paths into "
			     "tools");
}

static void
assert_port(const gchar *image, guint expected, const gchar *message)
{
	g_autoptr(JsonObject) obj = parse_object(image);
	g_autoptr(GError) error = NULL;
	guint port = 0;
	gboolean ok = tender_docker_relic_request_port_from_image(obj, &port, &error);

	if (message == NULL) {
		g_assert_no_error(error);
		g_assert_true(ok);
		g_assert_cmpuint(port, ==, expected);
	} else {
		g_assert_false(ok);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_cmpstr(error->message, ==, message);
	}
}

static void
test_docker_relic_port(void)
{
	assert_port("{\"Config\":{\"ExposedPorts\":{\"8080/tcp\":{}}}}", 8080, NULL);
	assert_port("{\"Config\":{\"ExposedPorts\":null}}",
		    0,
		    "Member 'port' is required: the image exposes 0 ports, not one");
	assert_port("{\"Config\":{}}",
		    0,
		    "Member 'port' is required: the image exposes 0 ports, not one");
	assert_port("{\"Config\":{\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{}}}}",
		    0,
		    "Member 'port' is required: the image exposes 2 ports, not one");
	assert_port("{\"Config\":{\"ExposedPorts\":{\"53/udp\":{}}}}",
		    0,
		    "Member 'port' is required: the image exposes 53/udp, not a TCP port");
}

static void
test_docker_relic_create_body(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerRelicRequest) request =
	    parse_request("{" BASE ",\"port\":8080,\"env\":{\"A\":\"b\"},"
			  "\"resource_limits\":{\"memory_mb\":64,\"cpu_limit\":0.5,\"pids\":100}}",
			  &error);
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(JsonNode) network = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *network_text = NULL;

	g_assert_no_error(error);
	body = tender_docker_relic_request_build_create_body(request,
							     "relic_0123456789abcdef",
							     "relic_kv_s1_01234567");
	text = json_to_string(body, FALSE);
	g_assert_cmpstr(
	    text,
	    ==,
	    "{\"Image\":\"tender-test/web:latest\",\"Env\":[\"A=b\",\"RELIC_NAME=kv\","
	    "\"SESSION_ID=s1\"],\"Labels\":{\"org.tender.owner\":\"tender\",\"org.tender.kind\":"
	    "\"relic\",\"org.tender.session\":\"s1\",\"org.tender.id\":\"relic_0123456789abcdef\","
	    "\"org.tender.relic\":\"kv\",\"org.tender.port\":\"8080\"},\"HostConfig\":{\"Memory\":"
	    "67108864,\"MemorySwap\":67108864,\"NanoCpus\":500000000,\"PidsLimit\":100,"
	    "\"NetworkMode\":\"tender-session-s1\",\"RestartPolicy\":{\"Name\":"
	    "\"unless-stopped\"}},\"NetworkingConfig\":{\"EndpointsConfig\":{"
	    "\"tender-session-s1\":{\"Aliases\":[\"relic_kv_s1_01234567\"]}}}}");
	network = tender_docker_relic_request_build_network_body("s1");
	network_text = json_to_string(network, FALSE);
	g_assert_cmpstr(network_text,
			==,
			"{\"Name\":\"tender-session-s1\",\"Driver\":\"bridge\",\"CheckDuplicate\":"
			"true,\"Labels\":{\"org.tender.owner\":\"tender\",\"org.tender.kind\":"
			"\"network\",\"org.tender.session\":\"s1\"}}");
}

static void
test_docker_relic_naming(void)
{
	g_autofree gchar *id = tender_docker_relic_new_id();
	g_autofree gchar *name = NULL;

	g_assert_true(tender_docker_relic_check_id(id));
	g_assert_cmpuint(strlen(id), ==, 22);
	g_assert_true(g_str_has_prefix(id, "relic_"));
	g_assert_false(tender_docker_relic_check_id("relic_0123456789ABCDEF"));
	g_assert_false(tender_docker_relic_check_id("exec_0123456789abcdef"));
	g_assert_false(tender_docker_relic_check_id("relic_0123456789abcde"));
	g_assert_false(tender_docker_relic_check_id(NULL));
	name = tender_docker_relic_build_container_name("relic_0123456789abcdef", "kv", "s1");
	g_assert_cmpstr(name, ==, "relic_kv_s1_01234567");
	g_assert_true(tender_docker_relic_request_check_name("a.b-c_D9"));
	g_assert_false(tender_docker_relic_request_check_name(""));
	g_assert_false(tender_docker_relic_request_check_name("a/b"));
	g_assert_false(tender_docker_relic_request_check_name("_a"));
	g_assert_false(tender_docker_relic_request_check_name(
	    "01234567890123456789012345678901234567890123456789012345678901234"));
}

static TenderDockerRelic *
new_relic(void)
{
	g_autoptr(GError) error = NULL;
	TenderDockerRelicRequest *request = parse_request("{" BASE ",\"port\":8080}", &error);

	g_assert_no_error(error);
	return tender_docker_relic_new("relic_0123456789abcdef", request);
}

static void
test_docker_relic_json(void)
{
	g_autoptr(TenderDockerRelic) relic = new_relic();
	g_autoptr(TenderDockerRelic) again = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(JsonObject) cortex = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autoptr(JsonObject) state_again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *cortex_text = NULL;
	g_autofree gchar *state_text = NULL;
	g_autofree gchar *state_again_text = NULL;
	/* 2026-01-02T03:04:05.5Z, and 03:04:06 */
	gint64 started = (gint64)1767323045 * G_USEC_PER_SEC + 500000;

	/* being made */
	obj = tender_docker_relic_to_json(relic);
	text = object_to_string(obj);
	g_assert_cmpstr(text,
			==,
			"{\"relic_id\":\"relic_0123456789abcdef\",\"relic_name\":\"kv\","
			"\"session_id\":\"s1\",\"status\":\"created\",\"container_id\":null,"
			"\"container_name\":\"relic_kv_s1_01234567\",\"network_id\":null,"
			"\"network_name\":\"tender-session-s1\",\"internal_url\":"
			"\"http://"
			"relic_kv_s1_01234567:8080\",\"healthy\":false,\"started_at\":null,"
			"\"port\":8080}");

	/* up, and unhealthy: running for Cortex */
	tender_docker_relic_set_container_id(relic, "c0ffee");
	tender_docker_relic_set_network_id(relic, "beef");
	tender_docker_relic_set_started_at(relic, started);
	tender_docker_relic_set_status(relic, TENDER_DOCKER_RELIC_STATUS_UNHEALTHY);
	cortex = tender_docker_relic_to_cortex_json(relic);
	cortex_text = object_to_string(cortex);
	g_assert_cmpstr(cortex_text,
			==,
			"{\"relic_id\":\"relic_0123456789abcdef\",\"relic_name\":\"kv\","
			"\"session_id\":\"s1\",\"status\":\"running\",\"started_at\":"
			"\"2026-01-02T03:04:05.500000\",\"container_id\":\"c0ffee\","
			"\"container_name\":\"relic_kv_s1_01234567\",\"network_id\":\"beef\","
			"\"network_name\":\"tender-session-s1\",\"internal_url\":"
			"\"http://relic_kv_s1_01234567:8080\",\"healthy\":false,"
			"\"last_health_check\":null,\"memory_used_mb\":null,\"cpu_percent\":null}");

	/* healthy */
	tender_docker_relic_set_healthy(relic, TRUE, started + 500000);
	tender_docker_relic_set_status(relic, TENDER_DOCKER_RELIC_STATUS_RUNNING);
	g_clear_pointer(&obj, json_object_unref);
	g_clear_pointer(&text, g_free);
	obj = tender_docker_relic_to_json(relic);
	text = object_to_string(obj);
	g_assert_cmpstr(text,
			==,
			"{\"relic_id\":\"relic_0123456789abcdef\",\"relic_name\":\"kv\","
			"\"session_id\":\"s1\",\"status\":\"running\",\"container_id\":\"c0ffee\","
			"\"container_name\":\"relic_kv_s1_01234567\",\"network_id\":\"beef\","
			"\"network_name\":\"tender-session-s1\",\"internal_url\":"
			"\"http://relic_kv_s1_01234567:8080\",\"healthy\":true,\"started_at\":"
			"\"2026-01-02T03:04:05.500000Z\",\"port\":8080}");
	g_clear_pointer(&cortex, json_object_unref);
	cortex = tender_docker_relic_to_cortex_json(relic);
	g_assert_cmpstr(json_object_get_string_member(cortex, "last_health_check"),
			==,
			"2026-01-02T03:04:06");

	/* the record, read back the same */
	state = tender_docker_relic_to_state(relic);
	again = tender_docker_relic_new_from_state(state, &error);
	g_assert_no_error(error);
	state_again = tender_docker_relic_to_state(again);
	state_text = object_to_string(state);
	state_again_text = object_to_string(state_again);
	g_assert_cmpstr(state_text, ==, state_again_text);

	/* stopped: not healthy; exited for Cortex */
	tender_docker_relic_set_status(relic, TENDER_DOCKER_RELIC_STATUS_STOPPED);
	g_assert_false(tender_docker_relic_get_healthy(relic));
	g_assert_cmpstr(tender_docker_relic_status_to_cortex(tender_docker_relic_get_status(relic)),
			==,
			"exited");
}

static void
test_docker_relic_state_errors(void)
{
	const gchar *records[] = {
	    "{\"version\":2,\"id\":\"relic_0123456789abcdef\",\"status\":\"running\"}",
	    "{\"version\":1,\"id\":\"exec_0123456789abcdef\",\"status\":\"running\"}",
	    "{\"version\":1,\"id\":\"relic_0123456789abcdef\",\"status\":\"gone\"}",
	    "{\"version\":1,\"id\":\"relic_0123456789abcdef\",\"status\":\"running\"}",
	};
	const gchar *members[] = {"version", "id", "status", "request"};

	for (guint i = 0; i < G_N_ELEMENTS(records); i++) {
		g_autoptr(JsonObject) obj = parse_object(records[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(TenderDockerRelic) relic =
		    tender_docker_relic_new_from_state(obj, &error);
		g_autofree gchar *message =
		    g_strdup_printf("A relic's record has no valid '%s'", members[i]);
		g_assert_null(relic);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		g_assert_cmpstr(error->message, ==, message);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/relic/request", test_docker_relic_request);
	g_test_add_func("/docker/relic/request-errors", test_docker_relic_request_errors);
	g_test_add_func("/docker/relic/request-restart", test_docker_relic_request_restart);
	g_test_add_func("/docker/relic/port", test_docker_relic_port);
	g_test_add_func("/docker/relic/create-body", test_docker_relic_create_body);
	g_test_add_func("/docker/relic/naming", test_docker_relic_naming);
	g_test_add_func("/docker/relic/json", test_docker_relic_json);
	g_test_add_func("/docker/relic/state-errors", test_docker_relic_state_errors);
	return g_test_run();
}
