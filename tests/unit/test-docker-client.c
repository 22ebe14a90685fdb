/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "tender-docker-api.h"
#include "tender-docker-client.h"
#include "tender-docker-events.h"
#include "tender-docker-lines.h"
#include "tender-error.h"

/* the pure parts of the Docker plugin's Engine API client (plugins/docker) */

static void
test_docker_api_versions(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *same = NULL;
	g_autofree gchar *newer = NULL;
	g_autofree gchar *between = NULL;
	guint major = 0;
	guint minor = 0;

	g_assert_true(tender_docker_api_version_parse("1.41", &major, &minor));
	g_assert_cmpuint(major, ==, 1);
	g_assert_cmpuint(minor, ==, 41);
	g_assert_false(tender_docker_api_version_parse("1.41.2", &major, &minor));
	g_assert_false(tender_docker_api_version_parse("1", &major, &minor));
	g_assert_false(tender_docker_api_version_parse("v1.41", &major, &minor));
	g_assert_false(tender_docker_api_version_parse(NULL, &major, &minor));
	g_assert_cmpint(tender_docker_api_version_compare("1.41", "1.41"), ==, 0);
	g_assert_cmpint(tender_docker_api_version_compare("1.9", "1.41"), <, 0);
	g_assert_cmpint(tender_docker_api_version_compare("1.100", "1.41"), >, 0);
	g_assert_cmpint(tender_docker_api_version_compare("2.0", "1.41"), >, 0);

	/* the older of dockerd's and ours */
	same = tender_docker_api_negotiate("/run/docker.sock", "1.41", "1.12", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(same, ==, "1.41");
	between = tender_docker_api_negotiate("/run/docker.sock", "1.42", NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(between, ==, "1.42");
	newer = tender_docker_api_negotiate("/run/docker.sock", "1.47", "1.24", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(newer, ==, TENDER_DOCKER_API_MAX);

	g_assert_null(tender_docker_api_negotiate("/run/docker.sock", "1.40", "1.12", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(error->message,
			==,
			"dockerd at /run/docker.sock speaks API 1.40, older than 1.41");
	g_clear_error(&error);
	g_assert_null(tender_docker_api_negotiate("/s.sock", "1.60", "1.50", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(error->message,
			==,
			"dockerd at /s.sock speaks no API older than 1.50, and tender none newer "
			"than " TENDER_DOCKER_API_MAX);
	g_clear_error(&error);
	g_assert_null(tender_docker_api_negotiate("/s.sock", NULL, NULL, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(error->message,
			==,
			"dockerd at /s.sock gives no API version that tender understands (none)");
}

static void
test_docker_api_paths(void)
{
	g_autofree gchar *escaped = tender_docker_api_escape("a/b c?d&e=f%");
	g_autofree gchar *plain =
	    tender_docker_api_build_path("/containers/json", "all", NULL, NULL);
	g_autofree gchar *query = tender_docker_api_build_path("/containers/abc/logs",
							       "stdout",
							       "1",
							       "since",
							       NULL,
							       "stderr",
							       "1",
							       NULL);
	g_autofree gchar *filters = tender_docker_api_build_filters("type",
								    "container",
								    "label",
								    "org.tender.owner",
								    "label",
								    "org.tender.kind=tool",
								    NULL);
	g_autofree gchar *with_filters =
	    tender_docker_api_build_path("/containers/json", "all", "1", "filters", filters, NULL);
	g_autofree gchar *events = tender_docker_events_build_path(0);
	g_autofree gchar *resumed = tender_docker_events_build_path(1700000000000000042);

	g_assert_cmpstr(escaped, ==, "a%2Fb%20c%3Fd%26e%3Df%25");
	g_assert_cmpstr(plain, ==, "/containers/json");
	g_assert_cmpstr(query, ==, "/containers/abc/logs?stdout=1&stderr=1");
	g_assert_cmpstr(filters,
			==,
			"{\"type\":[\"container\"],"
			"\"label\":[\"org.tender.owner\",\"org.tender.kind=tool\"]}");
	g_assert_cmpstr(with_filters,
			==,
			"/containers/json?all=1&filters=%7B%22type%22%3A%5B%22container%22%5D%2C"
			"%22label%22%3A%5B%22org.tender.owner%22%2C%22org.tender.kind%3Dtool%22%5D%"
			"7D");
	g_assert_cmpstr(events,
			==,
			"/events?filters=%7B%22type%22%3A%5B%22container%22%5D%2C%22label%22%3A%5B"
			"%22org.tender.owner%22%5D%7D");
	g_assert_true(g_str_has_suffix(resumed, "%5D%7D&since=1700000000.000000042"));
}

static void
assert_status(guint status, const gchar *body, gint code, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	gboolean ok = tender_docker_api_check_status(status,
						     NULL,
						     (const guint8 *)body,
						     body != NULL ? strlen(body) : 0,
						     &error);

	if (code < 0) {
		g_assert_no_error(error);
		g_assert_true(ok);
		return;
	}
	g_assert_false(ok);
	g_assert_error(error, TENDER_ERROR, code);
	g_assert_cmpstr(error->message, ==, message);
}

static void
test_docker_api_errors(void)
{
	g_autoptr(GError) refused = NULL;
	g_autoptr(GError) cancelled = NULL;
	g_autoptr(GError) ours = NULL;

	assert_status(200, "{}", -1, NULL);
	assert_status(201, "{\"Id\":\"abc\"}", -1, NULL);
	assert_status(204, NULL, -1, NULL);
	/* a container started or stopped already */
	assert_status(304, NULL, -1, NULL);
	assert_status(400,
		      "{\"message\":\"invalid reference format\"}",
		      TENDER_ERROR_INVALID_ARGUMENT,
		      "invalid reference format");
	assert_status(404,
		      "{\"message\":\"No such container: nope\"}\n",
		      TENDER_ERROR_NOT_FOUND,
		      "No such container: nope");
	assert_status(409,
		      "{\"message\":\"Conflict. The container name \\\"/x\\\" is already in use\"}",
		      TENDER_ERROR_INVALID_STATE,
		      "Conflict. The container name \"/x\" is already in use");
	assert_status(500, "{\"message\":\"driver failed\"}", TENDER_ERROR_FAILED, "driver failed");
	/* no message: the status says it */
	assert_status(500, NULL, TENDER_ERROR_FAILED, "dockerd answered 500 Internal Server Error");
	assert_status(404, "{}", TENDER_ERROR_NOT_FOUND, "dockerd answered 404 Not Found");
	assert_status(503,
		      "{\"message\":\"\"}",
		      TENDER_ERROR_FAILED,
		      "dockerd answered 503 Service Unavailable");
	/* a text answer: its first line */
	assert_status(404, "page not found\nmore\n", TENDER_ERROR_NOT_FOUND, "page not found");
	assert_status(502, "\xff\xfe", TENDER_ERROR_FAILED, "dockerd answered 502 Bad Gateway");

	/* a connection that fails: dockerd is not there; cancelling stays cancelling */
	refused =
	    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused");
	tender_docker_api_not_answering(&refused, "/run/docker.sock");
	g_assert_error(refused, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_cmpstr(refused->message,
			==,
			"dockerd is not answering at /run/docker.sock: Connection refused");
	cancelled =
	    g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
	tender_docker_api_not_answering(&cancelled, "/run/docker.sock");
	g_assert_error(cancelled, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	ours = g_error_new_literal(TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No such container: x");
	tender_docker_api_not_answering(&ours, "/run/docker.sock");
	g_assert_error(ours, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	tender_docker_api_not_answering(NULL, "/run/docker.sock");
}

/* the head of an attach answer, as dockerd 20.10 sends it */
static void
test_docker_api_head(void)
{
	const gchar *upgraded = "HTTP/1.1 101 UPGRADED\r\n"
				"Content-Type: application/vnd.docker.raw-stream\r\n"
				"Connection: Upgrade\r\n"
				"Upgrade: tcp\r\n"
				"\r\n"
				"output";
	const gchar *missing = "HTTP/1.1 404 Not Found\r\n"
			       "Content-Type: application/json\r\n"
			       "Content-Length: 38\r\n"
			       "\r\n"
			       "{\"message\":\"No such container: nope\"}\n";
	g_autoptr(SoupMessageHeaders) headers = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *reason = NULL;
	gssize end;
	guint status = 0;

	end = tender_docker_api_find_head_end((const guint8 *)upgraded, strlen(upgraded));
	g_assert_cmpint(end, ==, (gssize)strlen(upgraded) - 6);
	g_assert_cmpint(tender_docker_api_find_head_end((const guint8 *)upgraded, (gsize)end - 1),
			==,
			-1);
	g_assert_true(
	    tender_docker_api_parse_head(upgraded, (gsize)end, &status, &reason, &headers, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(status, ==, 101);
	g_assert_cmpstr(reason, ==, "UPGRADED");
	g_assert_cmpstr(soup_message_headers_get_one(headers, "Upgrade"), ==, "tcp");
	g_clear_pointer(&headers, soup_message_headers_unref);

	end = tender_docker_api_find_head_end((const guint8 *)missing, strlen(missing));
	g_assert_true(
	    tender_docker_api_parse_head(missing, (gsize)end, &status, NULL, &headers, &error));
	g_assert_cmpuint(status, ==, 404);
	g_assert_cmpint(soup_message_headers_get_content_length(headers), ==, 38);
	g_assert_cmpint(end + 38, ==, (gssize)strlen(missing));

	g_assert_false(tender_docker_api_parse_head("SSH-2.0-OpenSSH\r\n\r\n",
						    19,
						    &status,
						    NULL,
						    NULL,
						    &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
}

typedef struct {
	GMainLoop *loop;
	GPtrArray *lines;
	GError *error;
} LinesHelper;

static void
lines_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	LinesHelper *helper = user_data;
	gchar *line =
	    tender_docker_lines_read_finish(TENDER_DOCKER_LINES(source), res, &helper->error);

	if (line == NULL) {
		g_main_loop_quit(helper->loop);
		return;
	}
	g_ptr_array_add(helper->lines, line);
	tender_docker_lines_read_async(TENDER_DOCKER_LINES(source), NULL, lines_read_cb, helper);
}

/* all the lines of @text, read with a limit of @max bytes a line */
static GPtrArray *
read_lines(const gchar *text, gsize max, GError **error)
{
	g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data(text, -1, NULL);
	g_autoptr(TenderDockerLines) lines = tender_docker_lines_new(base, max);
	g_autoptr(GMainLoop) loop = g_main_loop_new(NULL, FALSE);
	LinesHelper helper = {loop, g_ptr_array_new_with_free_func(g_free), NULL};

	tender_docker_lines_read_async(lines, NULL, lines_read_cb, &helper);
	g_main_loop_run(loop);
	if (helper.error != NULL) {
		g_propagate_error(error, helper.error);
		g_ptr_array_unref(helper.lines);
		return NULL;
	}
	return helper.lines;
}

static void
test_docker_lines(void)
{
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GPtrArray) small = NULL;
	g_autoptr(GPtrArray) exact = NULL;
	g_autoptr(GError) error = NULL;

	lines = read_lines("{\"a\":1}\n\nsecond\r\nlast", 64, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(lines->len, ==, 4);
	g_assert_cmpstr(g_ptr_array_index(lines, 0), ==, "{\"a\":1}");
	g_assert_cmpstr(g_ptr_array_index(lines, 1), ==, "");
	g_assert_cmpstr(g_ptr_array_index(lines, 2), ==, "second");
	g_assert_cmpstr(g_ptr_array_index(lines, 3), ==, "last");

	/* a buffer of 9 bytes: lines split over fills, and the buffer compacted */
	small = read_lines("abc\ndefgh\nijklmnop\nq\n", 8, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(small->len, ==, 4);
	g_assert_cmpstr(g_ptr_array_index(small, 1), ==, "defgh");
	g_assert_cmpstr(g_ptr_array_index(small, 2), ==, "ijklmnop");
	g_assert_cmpstr(g_ptr_array_index(small, 3), ==, "q");

	/* one byte too many */
	exact = read_lines("abc\nijklmnopq\nz\n", 8, &error);
	g_assert_null(exact);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "dockerd sent a line longer than 8 bytes");
}

static void
client_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	*(GAsyncResult **)user_data = g_object_ref(res);
}

/* no dockerd: not supported, naming the socket; nothing asked of it before connecting */
static void
test_docker_client_absent(void)
{
	g_autofree gchar *dir = g_dir_make_tmp("tender-docker-XXXXXX", NULL);
	g_autofree gchar *socket_path = g_build_filename(dir, "docker.sock", NULL);
	g_autoptr(TenderDockerClient) client = tender_docker_client_new(socket_path);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *expected =
	    g_strdup_printf("dockerd is not answering at %s: ", socket_path);
	g_autoptr(JsonNode) node = NULL;
	GAsyncResult *res = NULL;

	g_assert_cmpstr(tender_docker_client_get_socket_path(client), ==, socket_path);
	g_assert_null(tender_docker_client_get_api_version(client));
	tender_docker_client_connect_async(client, NULL, client_done_cb, &res);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(tender_docker_client_connect_finish(client, res, &error));
	g_clear_object(&res);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_true(g_str_has_prefix(error->message, expected));
	g_clear_error(&error);
	g_assert_null(tender_docker_client_get_api_version(client));

	tender_docker_client_request_async(client,
					   "GET",
					   "/containers/json",
					   NULL,
					   NULL,
					   client_done_cb,
					   &res);
	while (res == NULL)
		g_main_context_iteration(NULL, TRUE);
	node = tender_docker_client_request_finish(client, res, &error);
	g_clear_object(&res);
	g_assert_null(node);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED);
	g_assert_true(g_str_has_prefix(error->message, "tender is not connected to dockerd at "));
	g_assert_false(tender_docker_client_get_connected(client));
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/api/versions", test_docker_api_versions);
	g_test_add_func("/docker/api/paths", test_docker_api_paths);
	g_test_add_func("/docker/api/errors", test_docker_api_errors);
	g_test_add_func("/docker/api/head", test_docker_api_head);
	g_test_add_func("/docker/lines", test_docker_lines);
	g_test_add_func("/docker/client/absent", test_docker_client_absent);
	return g_test_run();
}
