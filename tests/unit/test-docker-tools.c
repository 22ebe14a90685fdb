/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "tender-docker-tool-queue.h"
#include "tender-docker-tool-request.h"
#include "tender-docker-tool-run.h"
#include "tender-docker-tool.h"
#include "tender-docker-tools.h"
#include "tender-error.h"

/* the pure parts of the Docker plugin's tool runs (plugins/docker/tender-docker-tool*.c), and
 * the engine as far as it goes without dockerd */

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

static TenderDockerToolRequest *
parse_request(const gchar *text, GError **error)
{
	g_autoptr(JsonObject) obj = parse_object(text);

	return tender_docker_tool_request_new_from_json(obj, error);
}

#define BASE "\"tool_name\":\"pdf_extractor\",\"session_id\":\"session_abc123\",\"image\":\"x:1\""

static void
assert_request_error(const gchar *text, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerToolRequest) request = parse_request(text, &error);

	g_assert_null(request);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, message);
}

static void
test_docker_tool_request(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerToolRequest) minimal = NULL;
	g_autoptr(TenderDockerToolRequest) full = NULL;
	g_autoptr(TenderDockerToolRequest) cortex = NULL;
	g_autoptr(TenderDockerToolRequest) again = NULL;
	g_autoptr(JsonObject) written = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text_again = NULL;

	/* the defaults: Cortex's limits, no network, cleanup, wait */
	minimal = parse_request("{" BASE "}", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(minimal->tool_name, ==, "pdf_extractor");
	g_assert_cmpstr(minimal->session_id, ==, "session_abc123");
	g_assert_cmpstr(minimal->image, ==, "x:1");
	g_assert_null(minimal->command);
	g_assert_cmpuint(json_object_get_size(minimal->parameters), ==, 0);
	g_assert_cmpuint(json_object_get_size(minimal->env), ==, 0);
	g_assert_cmpuint(minimal->memory_mb, ==, 512);
	g_assert_cmpfloat(minimal->cpu_limit, ==, 1.0);
	g_assert_cmpuint(minimal->timeout_seconds, ==, 300);
	g_assert_cmpuint(minimal->pids, ==, 1024);
	g_assert_cmpstr(minimal->network, ==, "none");
	g_assert_true(minimal->cleanup);
	g_assert_true(minimal->wait);

	full = parse_request(
	    "{" BASE ",\"command\":[\"sh\",\"-c\",\"cat\"],\"parameters\":{\"file\":\"a.pdf\","
	    "\"n\":[1,2]},\"env\":{\"A\":\"1\",\"_B\":\"x=y\"},\"resource_limits\":{\"memory_mb\":"
	    "64.0,\"cpu_limit\":0.5,\"timeout_seconds\":2,\"pids\":16},\"network\":\"bridge\","
	    "\"cleanup\":false,\"wait\":false}",
	    &error);
	g_assert_no_error(error);
	g_assert_cmpstrv(full->command, ((const gchar *[]){"sh", "-c", "cat", NULL}));
	g_assert_cmpuint(full->memory_mb, ==, 64);
	g_assert_cmpfloat(full->cpu_limit, ==, 0.5);
	g_assert_cmpuint(full->timeout_seconds, ==, 2);
	g_assert_cmpuint(full->pids, ==, 16);
	g_assert_cmpstr(full->network, ==, "bridge");
	g_assert_false(full->cleanup);
	g_assert_false(full->wait);
	g_assert_cmpstr(json_object_get_string_member(full->env, "_B"), ==, "x=y");

	/* written out and read back: the same */
	written = tender_docker_tool_request_to_json(full);
	text = object_to_string(written);
	again = tender_docker_tool_request_new_from_json(written, &error);
	g_assert_no_error(error);
	g_clear_pointer(&written, json_object_unref);
	written = tender_docker_tool_request_to_json(again);
	text_again = object_to_string(written);
	g_assert_cmpstr(text, ==, text_again);

	/* Cortex's names, its model written out whole (unsupported members null or empty), and
	 * a command as a string */
	cortex = parse_request(
	    "{" BASE ",\"environment\":{\"K\":\"v\"},\"network_mode\":\"bridge\",\"dockerfile\":"
	    "null,\"build_context\":null,\"volumes\":{},\"resource_limits\":{\"memory_mb\":512,"
	    "\"cpu_limit\":1,\"timeout_seconds\":300,\"disk_mb\":null},\"command\":\"echo hi\"}",
	    &error);
	g_assert_no_error(error);
	g_assert_cmpstr(cortex->network, ==, "bridge");
	g_assert_cmpstr(json_object_get_string_member(cortex->env, "K"), ==, "v");
	g_assert_cmpstrv(cortex->command, ((const gchar *[]){"/bin/sh", "-c", "echo hi", NULL}));
	g_assert_cmpfloat(cortex->cpu_limit, ==, 1.0);
}

static void
test_docker_tool_request_errors(void)
{
	g_autoptr(GString) big = g_string_new("{" BASE ",\"parameters\":{\"p\":\"");
	g_autoptr(GString) huge = g_string_new("{" BASE ",\"env\":{");
	g_autoptr(GString) many = g_string_new("{" BASE ",\"env\":{");

	assert_request_error("{\"session_id\":\"s\",\"image\":\"x\"}",
			     "Member 'tool_name' is required");
	assert_request_error("{\"tool_name\":null,\"session_id\":\"s\",\"image\":\"x\"}",
			     "Member 'tool_name' is required");
	assert_request_error("{\"tool_name\":\"a b\",\"session_id\":\"s\",\"image\":\"x\"}",
			     "Member 'tool_name' must be 1 to 128 letters, digits, '_', '.' or "
			     "'-', beginning with a letter or digit");
	assert_request_error("{\"tool_name\":\"t\",\"session_id\":\"-s\",\"image\":\"x\"}",
			     "Member 'session_id' must be 1 to 128 letters, digits, '_', '.' or "
			     "'-', beginning with a letter or digit");
	assert_request_error("{\"tool_name\":\"t\",\"session_id\":3,\"image\":\"x\"}",
			     "Member 'session_id' must be a string, not a number");
	assert_request_error("{\"tool_name\":\"t\",\"session_id\":\"s\"}",
			     "Member 'image' is required");
	assert_request_error("{\"tool_name\":\"t\",\"session_id\":\"s\",\"image\":\"x y\"}",
			     "Member 'image' is not an image's name: 1 to 255 letters, digits, "
			     "'_', '.', '-', ':', '/' or '@'");
	assert_request_error("{" BASE ",\"tool\":1}",
			     "Member 'tool' is not one of a tool request's");
	assert_request_error("{" BASE ",\"command\":[]}",
			     "Member 'command' has 0 arguments; it must have 1 to 256 (leave it "
			     "out to run the image's command)");
	assert_request_error("{" BASE ",\"command\":[\"a\",1]}",
			     "Member 'command' must be an array of strings, not a number");
	assert_request_error("{" BASE ",\"command\":\"\"}",
			     "Member 'command' is empty; leave it out to run the image's command");
	assert_request_error("{" BASE ",\"command\":{}}",
			     "Member 'command' must be an array of strings or a string, not an "
			     "object");
	assert_request_error("{" BASE ",\"parameters\":[1]}",
			     "Member 'parameters' must be an object, not an array");
	assert_request_error("{" BASE ",\"env\":\"A=1\"}",
			     "Member 'env' must be an object of strings, not a string");
	assert_request_error("{" BASE ",\"env\":{\"1A\":\"x\"}}",
			     "Member 'env.1A' is not a variable's name: [A-Za-z_][A-Za-z0-9_]*, at "
			     "most 128 bytes");
	assert_request_error("{" BASE ",\"environment\":{\"A\":1}}",
			     "Member 'environment.A' must be a string, not a number");
	assert_request_error("{" BASE ",\"env\":{\"PARAMETERS\":\"{}\"}}",
			     "Member 'env.PARAMETERS' is set by tender (TOOL_NAME, SESSION_ID, "
			     "PARAMETERS)");
	assert_request_error("{" BASE ",\"env\":{},\"environment\":{}}",
			     "Members 'env' and 'environment' are the same; give one");
	assert_request_error("{" BASE ",\"network\":\"none\",\"network_mode\":\"none\"}",
			     "Members 'network' and 'network_mode' are the same; give one");
	assert_request_error("{" BASE ",\"network_mode\":\"container:x\"}",
			     "Member 'network_mode' must be 1 to 128 letters, digits, '_', '.' or "
			     "'-', beginning with a letter or digit");
	assert_request_error("{" BASE ",\"resource_limits\":3}",
			     "Member 'resource_limits' must be an object, not a number");
	assert_request_error("{" BASE ",\"resource_limits\":{\"memory\":3}}",
			     "Member 'resource_limits.memory' is not one of a tool request's");
	assert_request_error("{" BASE ",\"resource_limits\":{\"memory_mb\":5}}",
			     "Member 'resource_limits.memory_mb' is 5; it must be from 6 to "
			     "1048576");
	assert_request_error("{" BASE ",\"resource_limits\":{\"memory_mb\":64.5}}",
			     "Member 'resource_limits.memory_mb' must be an integer, not a number");
	assert_request_error("{" BASE ",\"resource_limits\":{\"memory_mb\":\"64\"}}",
			     "Member 'resource_limits.memory_mb' must be an integer, not a string");
	assert_request_error("{" BASE ",\"resource_limits\":{\"cpu_limit\":0}}",
			     "Member 'resource_limits.cpu_limit' is 0; it must be from 0.01 to "
			     "1024");
	assert_request_error("{" BASE ",\"resource_limits\":{\"timeout_seconds\":0}}",
			     "Member 'resource_limits.timeout_seconds' is 0; it must be from 1 to "
			     "86400");
	assert_request_error("{" BASE ",\"resource_limits\":{\"pids\":-1}}",
			     "Member 'resource_limits.pids' is -1; it must be from 1 to 4194304");
	assert_request_error("{" BASE ",\"resource_limits\":{\"disk_mb\":100}}",
			     "Member 'resource_limits.disk_mb' is not supported: tender does not "
			     "limit a tool's disk");
	assert_request_error("{" BASE ",\"volumes\":{\"/etc\":\"/etc\"}}",
			     "Member 'volumes' is not supported: tender mounts no host paths into "
			     "tools");
	assert_request_error("{" BASE ",\"dockerfile\":\"Dockerfile\"}",
			     "Member 'dockerfile' is not supported: tender runs images that are "
			     "there, and builds none");
	assert_request_error("{" BASE ",\"cleanup\":\"yes\"}",
			     "Member 'cleanup' must be a boolean, not a string");
	assert_request_error("{" BASE ",\"wait\":1}",
			     "Member 'wait' must be a boolean, not a number");

	/* bounds: the parameters, the env, the request */
	for (guint i = 0; i < TENDER_DOCKER_TOOL_PARAMETERS_MAX; i++)
		g_string_append_c(big, 'p');
	g_string_append(big, "\"}}");
	assert_request_error(big->str,
			     "Member 'parameters' is 65544 bytes of JSON; it must be at most "
			     "65536");
	for (guint i = 0; i <= TENDER_DOCKER_TOOL_ENV_MAX; i++)
		g_string_append_printf(many, "%s\"V%u\":\"x\"", i > 0 ? "," : "", i);
	g_string_append(many, "}}");
	assert_request_error(many->str, "Member 'env' has 129 variables; it may have at most 128");
	for (guint i = 0; i < 10; i++) {
		g_string_append_printf(huge, "%s\"V%u\":\"", i > 0 ? "," : "", i);
		for (guint j = 0; j < TENDER_DOCKER_TOOL_ENV_VALUE_MAX; j++)
			g_string_append_c(huge, 'v');
		g_string_append_c(huge, '"');
	}
	g_string_append(huge, "}}");
	assert_request_error(huge->str,
			     "The tool request is 327841 bytes of JSON; it must be at most 262144");
}

static void
test_docker_tool_create_body(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderDockerToolRequest) request = parse_request(
	    "{" BASE ",\"command\":[\"cat\"],\"parameters\":{\"file\":\"a.pdf\",\"n\":2},\"env\":"
	    "{\"A\":\"1\"},\"resource_limits\":{\"memory_mb\":64,\"cpu_limit\":0.5,\"pids\":16}}",
	    &error);
	g_autoptr(TenderDockerToolRequest) plain = parse_request("{" BASE "}", &error);
	g_autoptr(JsonNode) body = NULL;
	g_autoptr(JsonNode) plain_body = NULL;
	g_autoptr(GBytes) input = NULL;
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	body = tender_docker_tool_request_build_create_body(request, "exec_0123456789abcdef", 4096);
	text = json_to_string(body, FALSE);
	g_assert_cmpstr(
	    text,
	    ==,
	    "{\"Image\":\"x:1\",\"Cmd\":[\"cat\"],\"Env\":[\"A=1\",\"TOOL_NAME=pdf_extractor\","
	    "\"SESSION_ID=session_abc123\",\"PARAMETERS={\\\"file\\\":\\\"a.pdf\\\",\\\"n\\\":2}"
	    "\"],\"Labels\":{\"org.tender.owner\":\"tender\",\"org.tender.kind\":\"tool\","
	    "\"org.tender.session\":\"session_abc123\",\"org.tender.id\":\"exec_0123456789abcdef\","
	    "\"org.tender.tool\":\"pdf_extractor\"},\"AttachStdin\":true,\"OpenStdin\":true,"
	    "\"StdinOnce\":true,\"Tty\":false,\"HostConfig\":{\"Memory\":67108864,\"MemorySwap\":"
	    "67108864,\"NanoCpus\":500000000,\"PidsLimit\":16,\"NetworkMode\":\"none\","
	    "\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"1048576\","
	    "\"max-file\":\"2\"}}}}");
	input = tender_docker_tool_request_get_stdin(request);
	g_assert_cmpmem(g_bytes_get_data(input, NULL),
			g_bytes_get_size(input),
			"{\"file\":\"a.pdf\",\"n\":2}\n",
			strlen("{\"file\":\"a.pdf\",\"n\":2}\n"));

	/* the image's command; a log of 8 times the output kept */
	plain_body = tender_docker_tool_request_build_create_body(plain, "exec_0", 1024 * 1024);
	g_assert_false(json_object_has_member(json_node_get_object(plain_body), "Cmd"));
	g_clear_pointer(&text, g_free);
	text = json_to_string(plain_body, FALSE);
	g_assert_nonnull(strstr(text, "\"max-size\":\"8388608\""));
	g_assert_nonnull(strstr(text, "\"PARAMETERS={}\""));
}

static void
test_docker_tool_result(void)
{
	g_autofree gchar *error = NULL;
	g_autoptr(JsonNode) object = NULL;
	g_autoptr(JsonNode) array = NULL;
	g_autoptr(JsonNode) number = NULL;
	g_autofree gchar *text = NULL;
	JsonNode *none;
	const guint8 bytes[] = {'a', 0, 'b', 0xff, 0xc3, 0xa9, 0xe2, 0x82};

	object = tender_docker_tool_parse_result("{\"pages\": 3}\n", FALSE, &error);
	g_assert_null(error);
	g_assert_cmpint(json_object_get_int_member(json_node_get_object(object), "pages"), ==, 3);
	/* any JSON value */
	array = tender_docker_tool_parse_result("  [1, \"a\"]  ", FALSE, &error);
	g_assert_null(error);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(array));
	number = tender_docker_tool_parse_result("42\n", FALSE, &error);
	g_assert_null(error);
	g_assert_cmpint(json_node_get_int(number), ==, 42);

	none = tender_docker_tool_parse_result(" \n", FALSE, &error);
	g_assert_null(none);
	g_assert_cmpstr(error, ==, "The tool wrote nothing on stdout");
	g_clear_pointer(&error, g_free);
	none = tender_docker_tool_parse_result("{\"a\":", TRUE, &error);
	g_assert_null(none);
	g_assert_cmpstr(error, ==, "The tool's output was cut, so stdout is not parsed");
	g_clear_pointer(&error, g_free);
	none = tender_docker_tool_parse_result("pages: 3\n", FALSE, &error);
	g_assert_null(none);
	g_assert_true(g_str_has_prefix(error, "stdout is not JSON: "));

	/* output is kept as valid UTF-8: a NUL and bytes of no character are U+FFFD */
	text = tender_docker_tool_output_to_text(bytes, sizeof(bytes));
	g_assert_cmpstr(text,
			==,
			"a\xef\xbf\xbd"
			"b\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	g_assert_true(g_utf8_validate(text, -1, NULL));
}

/* a run that has ended, as its state file has it */
#define RECORD_COMPLETED                                                                           \
	"{\"version\":1,\"id\":\"exec_0123456789abcdef\",\"request\":{\"tool_name\":\"pdf\","      \
	"\"session_id\":\"s1\",\"image\":\"x:1\",\"resource_limits\":{\"timeout_seconds\":30}},"   \
	"\"status\":\"completed\",\"exit_code\":0,\"stdout\":\"{\\\"pages\\\":3}\\n\","            \
	"\"stderr\":\"warn\\n\",\"truncated\":false,\"result\":{\"pages\":3},\"container_id\":"    \
	"\"c0ffee\",\"queued_at\":1767225600000000,\"started_at\":1767225600250000,"               \
	"\"finished_at\":1767225601750000,\"max_memory_bytes\":3145728,\"cpu_time_ns\":12000000}"

static TenderDockerTool *
tool_from_record(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = parse_object(text);
	TenderDockerTool *tool = tender_docker_tool_new_from_state(obj, &error);

	g_assert_no_error(error);
	return tool;
}

static void
assert_rendering(JsonObject *obj, const gchar *expected)
{
	g_autofree gchar *text = object_to_string(obj);

	g_assert_cmpstr(text, ==, expected);
	json_object_unref(obj);
}

static void
test_docker_tool_json(void)
{
	g_autoptr(TenderDockerTool) completed = tool_from_record(RECORD_COMPLETED);
	g_autoptr(TenderDockerTool) timeout = tool_from_record(
	    "{\"version\":1,\"id\":\"exec_00000000000000ff\",\"request\":{\"tool_name\":\"t\","
	    "\"session_id\":\"s1\",\"image\":\"x\",\"resource_limits\":{\"timeout_seconds\":2}},"
	    "\"status\":\"timeout\",\"error\":\"killed\",\"stdout\":\"\",\"stderr\":\"\","
	    "\"result_error\":\"The tool wrote nothing on stdout\",\"container_id\":\"c1\","
	    "\"queued_at\":1767225600000000,\"started_at\":1767225600000001,\"finished_at\":"
	    "1767225602000001}");
	g_autoptr(TenderDockerTool) queued = tool_from_record(
	    "{\"version\":1,\"id\":\"exec_0000000000000001\",\"request\":{\"tool_name\":\"t\","
	    "\"session_id\":\"s2\",\"image\":\"x\"},\"status\":\"queued\",\"queued_at\":"
	    "1767225600000000}");
	g_autoptr(TenderDockerTool) failed = tool_from_record(
	    "{\"version\":1,\"id\":\"exec_0000000000000002\",\"request\":{\"tool_name\":\"t\","
	    "\"session_id\":\"s2\",\"image\":\"x\"},\"status\":\"failed\",\"exit_code\":3,"
	    "\"stdout\":\"[1]\",\"result\":[1],\"queued_at\":1767225600000000,\"started_at\":"
	    "1767225600000000,\"finished_at\":1767225600500000}");

	assert_rendering(
	    tender_docker_tool_to_json(completed),
	    "{\"id\":\"exec_0123456789abcdef\",\"tool_name\":\"pdf\",\"session_id\":\"s1\","
	    "\"image\":\"x:1\",\"status\":\"completed\",\"exit_code\":0,\"error\":null,\"stdout\":"
	    "\"{\\\"pages\\\":3}\\n\",\"stderr\":\"warn\\n\",\"truncated\":false,\"result\":"
	    "{\"pages\":3},\"result_error\":null,\"container_id\":\"c0ffee\",\"queued_at\":"
	    "\"2026-01-01T00:00:00.000000Z\",\"started_at\":\"2026-01-01T00:00:00.250000Z\","
	    "\"finished_at\":\"2026-01-01T00:00:01.750000Z\",\"duration_ms\":1500,"
	    "\"resource_usage\":{\"max_memory_bytes\":3145728,\"cpu_time_ns\":12000000}}");
	assert_rendering(
	    tender_docker_tool_to_cortex_json(completed),
	    "{\"execution_id\":\"exec_0123456789abcdef\",\"tool_name\":\"pdf\",\"session_id\":"
	    "\"s1\",\"status\":\"success\",\"started_at\":\"2026-01-01T00:00:00.250000\","
	    "\"completed_at\":\"2026-01-01T00:00:01.750000\",\"exit_code\":0,\"stdout\":"
	    "\"{\\\"pages\\\":3}\\n\",\"stderr\":\"warn\\n\",\"result\":{\"pages\":3},"
	    "\"container_id\":\"c0ffee\",\"execution_time_seconds\":1.5,\"memory_used_mb\":3.0,"
	    "\"error\":null}");
	assert_rendering(tender_docker_tool_get_logs_json(completed),
			 "{\"stdout\":\"{\\\"pages\\\":3}\\n\",\"stderr\":\"warn\\n\"}");

	/* killed by its timeout: no exit code; Cortex's message */
	assert_rendering(
	    tender_docker_tool_to_json(timeout),
	    "{\"id\":\"exec_00000000000000ff\",\"tool_name\":\"t\",\"session_id\":\"s1\","
	    "\"image\":\"x\",\"status\":\"timeout\",\"exit_code\":null,\"error\":\"killed\","
	    "\"stdout\":\"\",\"stderr\":\"\",\"truncated\":false,\"result\":null,\"result_error\":"
	    "\"The tool wrote nothing on stdout\",\"container_id\":\"c1\",\"queued_at\":"
	    "\"2026-01-01T00:00:00.000000Z\",\"started_at\":\"2026-01-01T00:00:00.000001Z\","
	    "\"finished_at\":\"2026-01-01T00:00:02.000001Z\",\"duration_ms\":2000,"
	    "\"resource_usage\":{\"max_memory_bytes\":null,\"cpu_time_ns\":null}}");
	assert_rendering(
	    tender_docker_tool_to_cortex_json(timeout),
	    "{\"execution_id\":\"exec_00000000000000ff\",\"tool_name\":\"t\",\"session_id\":\"s1\","
	    "\"status\":\"timeout\",\"started_at\":\"2026-01-01T00:00:00.000001\",\"completed_at\":"
	    "\"2026-01-01T00:00:02.000001\",\"exit_code\":null,\"stdout\":\"\",\"stderr\":\"\","
	    "\"result\":null,\"container_id\":\"c1\",\"execution_time_seconds\":2.0,"
	    "\"memory_used_mb\":null,\"error\":\"Execution timed out after 2s\"}");

	/* queued: Cortex's pending, started_at the time it was asked for */
	assert_rendering(
	    tender_docker_tool_to_cortex_json(queued),
	    "{\"execution_id\":\"exec_0000000000000001\",\"tool_name\":\"t\",\"session_id\":\"s2\","
	    "\"status\":\"pending\",\"started_at\":\"2026-01-01T00:00:00\",\"completed_at\":null,"
	    "\"exit_code\":null,\"stdout\":\"\",\"stderr\":\"\",\"result\":null,\"container_id\":"
	    "null,\"execution_time_seconds\":null,\"memory_used_mb\":null,\"error\":null}");
	assert_rendering(
	    tender_docker_tool_to_json(queued),
	    "{\"id\":\"exec_0000000000000001\",\"tool_name\":\"t\",\"session_id\":\"s2\","
	    "\"image\":\"x\",\"status\":\"queued\",\"exit_code\":null,\"error\":null,\"stdout\":"
	    "\"\",\"stderr\":\"\",\"truncated\":false,\"result\":null,\"result_error\":null,"
	    "\"container_id\":null,\"queued_at\":\"2026-01-01T00:00:00.000000Z\",\"started_at\":"
	    "null,\"finished_at\":null,\"duration_ms\":null,\"resource_usage\":"
	    "{\"max_memory_bytes\":null,\"cpu_time_ns\":null}}");

	/* failed: Cortex's "Exit code: N"; a result that is not an object is none for Cortex */
	assert_rendering(
	    tender_docker_tool_to_cortex_json(failed),
	    "{\"execution_id\":\"exec_0000000000000002\",\"tool_name\":\"t\",\"session_id\":\"s2\","
	    "\"status\":\"failed\",\"started_at\":\"2026-01-01T00:00:00\",\"completed_at\":"
	    "\"2026-01-01T00:00:00.500000\",\"exit_code\":3,\"stdout\":\"[1]\",\"stderr\":\"\","
	    "\"result\":null,\"container_id\":null,\"execution_time_seconds\":0.5,"
	    "\"memory_used_mb\":null,\"error\":\"Exit code: 3\"}");
	{
		g_autoptr(JsonObject) obj = tender_docker_tool_to_json(failed);
		g_assert_true(JSON_NODE_HOLDS_ARRAY(json_object_get_member(obj, "result")));
	}
}

static void
test_docker_tool_state(void)
{
	g_autoptr(TenderDockerTool) tool = tool_from_record(RECORD_COMPLETED);
	g_autoptr(JsonObject) state = tender_docker_tool_to_state(tool);
	g_autoptr(TenderDockerTool) again = NULL;
	g_autoptr(JsonObject) state_again = NULL;
	g_autoptr(JsonObject) wrong = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = object_to_string(state);
	g_autofree gchar *text_again = NULL;
	gint exit_code = -1;

	again = tender_docker_tool_new_from_state(state, &error);
	g_assert_no_error(error);
	state_again = tender_docker_tool_to_state(again);
	text_again = object_to_string(state_again);
	g_assert_cmpstr(text, ==, text_again);
	g_assert_true(tender_docker_tool_get_exit_code(again, &exit_code));
	g_assert_cmpint(exit_code, ==, 0);
	g_assert_cmpstr(tender_docker_tool_get_container_id(again), ==, "c0ffee");

	wrong = parse_object("{\"version\":1,\"id\":\"exec_0123456789abcdef\",\"request\":"
			     "{\"tool_name\":\"t\",\"session_id\":\"s\",\"image\":\"x\"},"
			     "\"status\":\"done\"}");
	g_assert_null(tender_docker_tool_new_from_state(wrong, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message,
			==,
			"Member 'status' of a tool's state is missing or wrong");
	g_clear_error(&error);
	json_object_set_string_member(wrong, "id", "../../etc/passwd");
	g_assert_null(tender_docker_tool_new_from_state(wrong, &error));
	g_assert_cmpstr(error->message, ==, "Member 'id' of a tool's state is missing or wrong");
}

static void
test_docker_tool_ids_times(void)
{
	g_autofree gchar *id = tender_docker_tool_new_id();
	g_autofree gchar *other = tender_docker_tool_new_id();
	g_autofree gchar *cortex = NULL;
	g_autofree gchar *cortex_whole = NULL;
	g_autofree gchar *tender = NULL;
	g_autoptr(JsonObject) stats = NULL;
	g_autoptr(JsonObject) stopped = NULL;
	gint64 memory = 0;
	gint64 cpu = 0;

	g_assert_true(tender_docker_tool_check_id(id));
	g_assert_cmpstr(id, !=, other);
	g_assert_true(g_str_has_prefix(id, "exec_"));
	g_assert_false(tender_docker_tool_check_id("exec_0123456789ABCDEF"));
	g_assert_false(tender_docker_tool_check_id("exec_0123456789abcde"));
	g_assert_false(tender_docker_tool_check_id("relic_0123456789abcd"));
	g_assert_false(tender_docker_tool_check_id(NULL));

	cortex = tender_docker_tool_format_time(1767225600123456, TRUE);
	g_assert_cmpstr(cortex, ==, "2026-01-01T00:00:00.123456");
	cortex_whole = tender_docker_tool_format_time(1767225600000000, TRUE);
	g_assert_cmpstr(cortex_whole, ==, "2026-01-01T00:00:00");
	tender = tender_docker_tool_format_time(1767225600000000, FALSE);
	g_assert_cmpstr(tender, ==, "2026-01-01T00:00:00.000000Z");
	g_assert_null(tender_docker_tool_format_time(0, TRUE));

	/* dockerd's times, nanoseconds cut to µs; its zero time is none */
	g_assert_cmpint(tender_docker_tool_run_parse_time("2026-01-01T00:00:00.123456789Z"),
			==,
			1767225600123456);
	g_assert_cmpint(tender_docker_tool_run_parse_time("0001-01-01T00:00:00Z"), ==, 0);
	g_assert_cmpint(tender_docker_tool_run_parse_time("soon"), ==, 0);

	/* stats: cgroup v1 has a peak, v2 the usage; a stopped container's sample is zeros */
	stats = parse_object("{\"memory_stats\":{\"usage\":1000,\"max_usage\":5000},"
			     "\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":777}}}");
	tender_docker_tool_run_parse_stats(stats, &memory, &cpu);
	g_assert_cmpint(memory, ==, 5000);
	g_assert_cmpint(cpu, ==, 777);
	stopped = parse_object("{\"memory_stats\":{},\"cpu_stats\":{\"cpu_usage\":"
			       "{\"total_usage\":0}}}");
	tender_docker_tool_run_parse_stats(stopped, &memory, &cpu);
	g_assert_cmpint(memory, ==, -1);
	g_assert_cmpint(cpu, ==, -1);
}

static TenderDockerTool *
queued_tool(const gchar *id, gint64 queued_at)
{
	g_autoptr(GError) error = NULL;
	TenderDockerToolRequest *request = parse_request("{" BASE "}", &error);

	g_assert_no_error(error);
	return tender_docker_tool_new(id, request, queued_at);
}

static void
test_docker_tool_queue(void)
{
	g_autoptr(TenderDockerToolQueue) queue = tender_docker_tool_queue_new(3);
	g_autoptr(TenderDockerTool) a = queued_tool("exec_000000000000000a", 100);
	g_autoptr(TenderDockerTool) b = queued_tool("exec_000000000000000b", 200);
	g_autoptr(TenderDockerTool) c = queued_tool("exec_000000000000000c", 200);
	g_autoptr(TenderDockerTool) d = queued_tool("exec_000000000000000d", 300);
	g_autoptr(TenderDockerTool) old = queued_tool("exec_00000000000000e0", 50);
	g_autoptr(TenderDockerTool) middle = queued_tool("exec_00000000000000e1", 250);
	g_autoptr(GError) error = NULL;
	const gchar *order[] = {"exec_00000000000000e0",
				"exec_000000000000000a",
				"exec_000000000000000c",
				"exec_00000000000000e1",
				"exec_000000000000000d",
				NULL};

	g_assert_true(tender_docker_tool_queue_push(queue, a, &error));
	g_assert_true(tender_docker_tool_queue_push(queue, b, &error));
	g_assert_true(tender_docker_tool_queue_push(queue, c, &error));
	g_assert_no_error(error);
	/* full */
	g_assert_false(tender_docker_tool_queue_push(queue, d, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
	g_assert_cmpstr(error->message,
			==,
			"3 tool runs wait for a free slot already, as many as may wait");
	g_assert_cmpuint(tender_docker_tool_queue_get_length(queue), ==, 3);
	/* the same time: the order they came in */
	g_assert_cmpuint(tender_docker_tool_queue_get_position(queue, b), ==, 1);
	g_assert_cmpuint(tender_docker_tool_queue_get_position(queue, c), ==, 2);
	g_assert_true(tender_docker_tool_queue_remove(queue, b));
	g_assert_false(tender_docker_tool_queue_remove(queue, b));
	g_assert_cmpuint(tender_docker_tool_queue_get_position(queue, b), ==, G_MAXUINT);
	g_assert_true(tender_docker_tool_queue_push(queue, d, &error));
	/* runs found queued by a restart: in the order they were asked for, past the limit */
	tender_docker_tool_queue_insert(queue, old);
	tender_docker_tool_queue_insert(queue, middle);
	g_assert_cmpuint(tender_docker_tool_queue_get_length(queue), ==, 5);
	for (guint i = 0; order[i] != NULL; i++) {
		g_autoptr(TenderDockerTool) next = tender_docker_tool_queue_pop(queue);
		g_assert_cmpstr(tender_docker_tool_get_id(next), ==, order[i]);
	}
	g_assert_null(tender_docker_tool_queue_pop(queue));
}

/* --- the engine without dockerd --- */

typedef struct {
	GAsyncResult *res;
	guint finished;
	gchar *last_finished;
} EngineHelper;

static void
engine_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	EngineHelper *helper = user_data;

	helper->res = g_object_ref(res);
}

static void
engine_finished_cb(TenderDockerTools *tools, TenderDockerTool *tool, gpointer user_data)
{
	EngineHelper *helper = user_data;

	helper->finished++;
	g_free(helper->last_finished);
	helper->last_finished = g_strdup(tender_docker_tool_get_id(tool));
}

static GAsyncResult *
engine_wait(EngineHelper *helper)
{
	while (helper->res == NULL)
		g_main_context_iteration(NULL, TRUE);
	return g_steal_pointer(&helper->res);
}

static void
engine_settle(TenderDockerTools *tools)
{
	while (!tender_docker_tools_is_idle(tools))
		g_main_context_iteration(NULL, TRUE);
}

static TenderDockerTool *
engine_execute(TenderDockerTools *tools, EngineHelper *helper, const gchar *text, GError **error)
{
	g_autoptr(JsonObject) request = parse_object(text);
	g_autoptr(GAsyncResult) res = NULL;

	tender_docker_tools_execute_async(tools, request, NULL, engine_done_cb, helper);
	res = engine_wait(helper);
	return tender_docker_tools_execute_finish(tools, res, error);
}

static gboolean
engine_cancel(TenderDockerTools *tools, EngineHelper *helper, const gchar *id, GError **error)
{
	g_autoptr(GAsyncResult) res = NULL;

	tender_docker_tools_cancel_async(tools, id, NULL, engine_done_cb, helper);
	res = engine_wait(helper);
	return tender_docker_tools_cancel_finish(tools, res, error);
}

static gchar *
make_state_dir(void)
{
	const gchar *builddir = g_getenv("G_TEST_BUILDDIR");
	g_autofree gchar *template =
	    g_build_filename(builddir != NULL ? builddir : ".", "docker-tools-XXXXXX", NULL);
	gchar *dir = g_mkdtemp(template) != NULL ? g_steal_pointer(&template) : NULL;

	g_assert_nonnull(dir);
	return dir;
}

static void
remove_state_dir(const gchar *dir)
{
	g_autofree gchar *tools = g_build_filename(dir, "tools", NULL);
	g_autoptr(GDir) listing = g_dir_open(tools, 0, NULL);
	const gchar *name;

	while (listing != NULL && (name = g_dir_read_name(listing)) != NULL) {
		g_autofree gchar *path = g_build_filename(tools, name, NULL);
		g_unlink(path);
	}
	g_rmdir(tools);
	g_rmdir(dir);
}

#define NO_WAIT "\"wait\":false"

/* a state dir, and a client of no dockerd */
typedef struct {
	gchar *dir;
	TenderDockerClient *client;
} EngineFixture;

static void
engine_setup(EngineFixture *fixture, gconstpointer data)
{
	g_autofree gchar *socket_path = NULL;

	fixture->dir = make_state_dir();
	socket_path = g_build_filename(fixture->dir, "docker.sock", NULL);
	fixture->client = tender_docker_client_new(socket_path);
}

static void
engine_teardown(EngineFixture *fixture, gconstpointer data)
{
	g_object_unref(fixture->client);
	remove_state_dir(fixture->dir);
	g_free(fixture->dir);
}

static void
test_docker_tools_engine(EngineFixture *fixture, gconstpointer data)
{
	const gchar *dir = fixture->dir;
	TenderDockerClient *client = fixture->client;
	g_autoptr(TenderDockerTools) tools = tender_docker_tools_new(client, dir, 1, 0, 1024);
	g_autoptr(TenderDockerTools) later = NULL;
	g_autoptr(TenderDockerTool) first = NULL;
	g_autoptr(TenderDockerTool) second = NULL;
	g_autoptr(TenderDockerTool) third = NULL;
	g_autoptr(TenderDockerTool) found = NULL;
	g_autoptr(TenderDockerTool) none = NULL;
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) session = NULL;
	g_autoptr(GAsyncResult) res = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *record = NULL;
	g_autofree gchar *contents = NULL;
	g_autofree gchar *expected = NULL;
	EngineHelper helper = {NULL, 0, NULL};

	g_signal_connect(tools, "finished", G_CALLBACK(engine_finished_cb), &helper);
	tender_docker_tools_set_limits(tools, 4, 2);

	/* a wrong request */
	none = engine_execute(tools, &helper, "{\"tool_name\":\"t\"}", &error);
	g_assert_null(none);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Member 'session_id' is required");
	g_clear_error(&error);

	/* nothing starts before recover: without wait, the runs are answered queued */
	first = engine_execute(tools, &helper, "{" BASE "," NO_WAIT "}", &error);
	g_assert_no_error(error);
	g_assert_cmpint(tender_docker_tool_get_status(first), ==, TENDER_DOCKER_TOOL_STATUS_QUEUED);
	second = engine_execute(tools,
				&helper,
				"{\"tool_name\":\"t\",\"session_id\":\"other\",\"image\":\"x\","
				"\"wait\":false}",
				&error);
	g_assert_no_error(error);
	/* two wait: the queue is full */
	none = engine_execute(tools, &helper, "{" BASE "," NO_WAIT "}", &error);
	g_assert_null(none);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED);
	g_clear_error(&error);

	all = tender_docker_tools_list(tools, NULL);
	g_assert_cmpuint(all->len, ==, 2);
	g_assert_true(g_ptr_array_index(all, 0) == first);
	g_assert_true(g_ptr_array_index(all, 1) == second);
	session = tender_docker_tools_list(tools, "other");
	g_assert_cmpuint(session->len, ==, 1);
	g_assert_true(g_ptr_array_index(session, 0) == second);
	found = tender_docker_tools_lookup(tools, tender_docker_tool_get_id(first), &error);
	g_assert_no_error(error);
	g_assert_true(found == first);
	g_assert_null(tender_docker_tools_lookup(tools, "exec_0000000000000000", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_cmpstr(error->message, ==, "No tool run exec_0000000000000000");
	g_clear_error(&error);
	g_assert_null(tender_docker_tools_lookup(tools, "../x", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* cancelled while queued: ended, told, saved */
	g_assert_true(engine_cancel(tools, &helper, tender_docker_tool_get_id(first), &error));
	g_assert_no_error(error);
	g_assert_cmpint(tender_docker_tool_get_status(first),
			==,
			TENDER_DOCKER_TOOL_STATUS_CANCELLED);
	g_assert_false(tender_docker_tool_get_exit_code(first, NULL));
	g_assert_cmpuint(helper.finished, ==, 1);
	g_assert_cmpstr(helper.last_finished, ==, tender_docker_tool_get_id(first));
	g_assert_false(engine_cancel(tools, &helper, tender_docker_tool_get_id(first), &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_STATE);
	expected =
	    g_strdup_printf("Tool run %s has ended (cancelled)", tender_docker_tool_get_id(first));
	g_assert_cmpstr(error->message, ==, expected);
	g_clear_error(&error);

	/* the runs kept: 2 of 4, and a third queued; then no more */
	third = engine_execute(tools, &helper, "{" BASE "," NO_WAIT "}", &error);
	g_assert_no_error(error);
	engine_settle(tools);
	record = g_strdup_printf("%s/tools/%s.json", dir, tender_docker_tool_get_id(first));
	g_assert_true(g_file_get_contents(record, &contents, NULL, &error));
	g_assert_no_error(error);
	g_assert_nonnull(strstr(contents, "\"status\":\"cancelled\""));

	/* no dockerd: recover fails, but reads the records */
	later = tender_docker_tools_new(client, dir, 1, 0, 1024);
	tender_docker_tools_recover_async(later, NULL, engine_done_cb, &helper);
	res = engine_wait(&helper);
	g_assert_false(tender_docker_tools_recover_finish(later, res, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_clear_object(&found);
	found = tender_docker_tools_lookup(later, tender_docker_tool_get_id(first), &error);
	g_assert_no_error(error);
	g_assert_cmpint(tender_docker_tool_get_status(found),
			==,
			TENDER_DOCKER_TOOL_STATUS_CANCELLED);
	g_clear_object(&found);
	found = tender_docker_tools_lookup(later, tender_docker_tool_get_id(third), &error);
	g_assert_no_error(error);
	g_assert_cmpint(tender_docker_tool_get_status(found), ==, TENDER_DOCKER_TOOL_STATUS_QUEUED);
	engine_settle(later);
	g_clear_object(&later);
	g_clear_object(&tools);
	g_free(helper.last_finished);
}

static gboolean
expiry_timeout_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* a run that has ended goes after the ttl, from memory and disk */
static void
test_docker_tools_expiry(EngineFixture *fixture, gconstpointer data)
{
	const gchar *dir = fixture->dir;
	g_autoptr(TenderDockerTools) tools =
	    tender_docker_tools_new(fixture->client, dir, 1, 1, 1024);
	g_autoptr(TenderDockerTool) tool = NULL;
	g_autoptr(TenderDockerTool) kept = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *record = NULL;
	EngineHelper helper = {NULL, 0, NULL};
	gboolean timed_out = FALSE;

	tool = engine_execute(tools, &helper, "{" BASE "," NO_WAIT "}", &error);
	g_assert_no_error(error);
	g_assert_true(engine_cancel(tools, &helper, tender_docker_tool_get_id(tool), &error));
	engine_settle(tools);
	record = g_strdup_printf("%s/tools/%s.json", dir, tender_docker_tool_get_id(tool));
	g_assert_true(g_file_test(record, G_FILE_TEST_EXISTS));
	kept = tender_docker_tools_lookup(tools, tender_docker_tool_get_id(tool), &error);
	g_assert_no_error(error);

	g_timeout_add(2500, expiry_timeout_cb, &timed_out);
	while (!timed_out)
		g_main_context_iteration(NULL, TRUE);
	engine_settle(tools);
	g_assert_null(tender_docker_tools_lookup(tools, tender_docker_tool_get_id(tool), &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_false(g_file_test(record, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/tool/request", test_docker_tool_request);
	g_test_add_func("/docker/tool/request-errors", test_docker_tool_request_errors);
	g_test_add_func("/docker/tool/create-body", test_docker_tool_create_body);
	g_test_add_func("/docker/tool/result", test_docker_tool_result);
	g_test_add_func("/docker/tool/json", test_docker_tool_json);
	g_test_add_func("/docker/tool/state", test_docker_tool_state);
	g_test_add_func("/docker/tool/ids-times", test_docker_tool_ids_times);
	g_test_add_func("/docker/tool/queue", test_docker_tool_queue);
	g_test_add("/docker/tools/engine",
		   EngineFixture,
		   NULL,
		   engine_setup,
		   test_docker_tools_engine,
		   engine_teardown);
	g_test_add("/docker/tools/expiry",
		   EngineFixture,
		   NULL,
		   engine_setup,
		   test_docker_tools_expiry,
		   engine_teardown);
	return g_test_run();
}
