/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include "tender-docker-demux.h"
#include "tender-docker-exec.h"
#include "tender-docker-spec.h"
#include "tender-error.h"

/* the pure parts of the Docker runtime's exec (plugins/docker/tender-docker-exec.c) and of its
 * volumes: the bodies sent to dockerd, what its answers say, the demuxer handing payloads on */

static gchar *
to_text(JsonNode *node)
{
	return json_to_string(node, FALSE);
}

static void
test_docker_exec_create_body(void)
{
	const gchar *argv[] = {"sh", "-c", "echo hi", NULL};
	const gchar *env[] = {"A=1", "B=two words", NULL};
	const gchar *none[] = {NULL};
	g_autoptr(JsonNode) full =
	    tender_docker_exec_build_create(argv, env, "/tmp", "nobody", TRUE, FALSE);
	g_autoptr(JsonNode) bare =
	    tender_docker_exec_build_create(argv, none, NULL, NULL, FALSE, TRUE);
	g_autofree gchar *full_text = to_text(full);
	g_autofree gchar *bare_text = to_text(bare);

	g_assert_cmpstr(full_text,
			==,
			"{\"AttachStdin\":true,\"AttachStdout\":true,\"AttachStderr\":true,"
			"\"Tty\":false,\"Cmd\":[\"sh\",\"-c\",\"echo hi\"],"
			"\"Env\":[\"A=1\",\"B=two "
			"words\"],\"WorkingDir\":\"/tmp\",\"User\":\"nobody\"}");
	/* the container's own env, working directory and user: left out */
	g_assert_cmpstr(bare_text,
			==,
			"{\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,"
			"\"Tty\":true,\"Cmd\":[\"sh\",\"-c\",\"echo hi\"]}");
}

static void
assert_state(const gchar *json, gboolean running, gint64 exit_code, guint32 pid)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = json_from_string(json, &error);
	TenderDockerExecState state = {0};

	g_assert_no_error(error);
	g_assert_true(tender_docker_exec_read_state(node, &state, &error));
	g_assert_no_error(error);
	g_assert_cmpint(state.running, ==, running);
	g_assert_cmpint(state.exit_code, ==, exit_code);
	g_assert_cmpuint(state.pid, ==, pid);
}

static void
test_docker_exec_state(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) list = json_from_string("[]", NULL);
	TenderDockerExecState state = {0};

	assert_state("{\"Running\":true,\"ExitCode\":null,\"Pid\":4242}", TRUE, -1, 4242);
	assert_state("{\"Running\":false,\"ExitCode\":3,\"Pid\":4242}", FALSE, 3, 4242);
	/* never ran */
	assert_state("{\"Running\":false,\"ExitCode\":126,\"Pid\":0}", FALSE, 126, 0);
	assert_state("{}", FALSE, -1, 0);
	assert_state("{\"Pid\":-5}", FALSE, -1, 0);
	g_assert_false(tender_docker_exec_read_state(list, &state, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
}

static void
test_docker_exec_exit(void)
{
	gint code = 0;
	gint signo = 0;

	tender_docker_exec_map_exit(0, 0, &code, &signo);
	g_assert_cmpint(code, ==, 0);
	g_assert_cmpint(signo, ==, 0);
	/* 137 of a command we killed is SIGKILL */
	tender_docker_exec_map_exit(128 + SIGKILL, SIGKILL, &code, &signo);
	g_assert_cmpint(code, ==, -1);
	g_assert_cmpint(signo, ==, SIGKILL);
	/* of one we did not kill, its own status */
	tender_docker_exec_map_exit(128 + SIGKILL, 0, &code, &signo);
	g_assert_cmpint(code, ==, 137);
	g_assert_cmpint(signo, ==, 0);
	tender_docker_exec_map_exit(128 + SIGTERM, SIGKILL, &code, &signo);
	g_assert_cmpint(code, ==, 143);
	g_assert_cmpint(signo, ==, 0);
	tender_docker_exec_map_exit(7, SIGKILL, &code, &signo);
	g_assert_cmpint(code, ==, 7);
	g_assert_cmpint(signo, ==, 0);
}

static void
test_docker_exec_missing(void)
{
	g_assert_true(tender_docker_exec_reason_is_missing(127, ""));
	g_assert_true(tender_docker_exec_reason_is_missing(
	    126,
	    "OCI runtime exec failed: exec failed: unable to start container process: exec: "
	    "\"nope\": executable file not found in $PATH: unknown"));
	g_assert_true(
	    tender_docker_exec_reason_is_missing(126, "stat /x: No such file or directory"));
	g_assert_false(tender_docker_exec_reason_is_missing(126,
							    "exec: \"/etc/passwd\": permission "
							    "denied: unknown"));
}

typedef struct {
	GString *out;
	GString *err;
	guint calls;
} Sink;

static void
sink_cb(TenderDockerStream stream, const guint8 *data, gsize len, gpointer user_data)
{
	Sink *sink = user_data;

	g_string_append_len(stream == TENDER_DOCKER_STREAM_STDERR ? sink->err : sink->out,
			    (const gchar *)data,
			    (gssize)len);
	sink->calls++;
}

static void
test_docker_exec_demux_func(void)
{
	static const guint8 stream[] = {1,    0, 0, 0, 0, 0, 0, 3, 'o', 'n', 'e',
					2,    0, 0, 0, 0, 0, 0, 4, 't', 'w', 'o',
					'\n', 1, 0, 0, 0, 0, 0, 0, 2,	'h', 'i'};
	g_autoptr(TenderDockerDemux) demux = tender_docker_demux_new(1);
	g_autoptr(GError) error = NULL;
	Sink sink = {g_string_new(NULL), g_string_new(NULL), 0};

	tender_docker_demux_set_func(demux, sink_cb, &sink);
	/* a byte at a time: every payload goes on whole, nothing is kept or dropped */
	for (gsize i = 0; i < sizeof(stream); i++)
		g_assert_true(tender_docker_demux_feed(demux, stream + i, 1, &error));
	g_assert_true(tender_docker_demux_end(demux, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(sink.out->str, ==, "onehi");
	g_assert_cmpstr(sink.err->str, ==, "two\n");
	g_assert_cmpuint(sink.calls, ==, 9);
	g_assert_cmpuint(tender_docker_demux_get_data(demux, TENDER_DOCKER_STREAM_STDOUT)->len,
			 ==,
			 0);
	g_assert_false(tender_docker_demux_get_truncated(demux));
	g_string_free(sink.out, TRUE);
	g_string_free(sink.err, TRUE);
}

static void
test_docker_spec_volumes(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) with =
	    g_variant_ref_sink(g_variant_new_parsed("{'argv': <['true']>, 'volumes': <[('/srv/a', "
						    "'/data', false), ('/srv/b', '/ro', true)]>, "
						    "'x-docker': <{'image': <'busybox'>}>}"));
	g_autoptr(GVariant) without =
	    g_variant_ref_sink(g_variant_new_parsed("{'argv': <['true']>, 'volumes': <@a(ssb) []>, "
						    "'x-docker': <{'image': <'busybox'>}>}"));
	g_autoptr(TenderDockerSpec) spec = tender_docker_spec_new("web", with, &error);
	g_autoptr(TenderDockerSpec) bare = NULL;
	g_autoptr(JsonNode) create = NULL;
	g_autoptr(JsonNode) bare_create = NULL;
	g_autofree gchar *mounts = NULL;
	JsonObject *host;

	g_assert_no_error(error);
	create = tender_docker_spec_build_create(spec, "web");
	host = json_object_get_object_member(json_node_get_object(create), "HostConfig");
	mounts = json_to_string(json_object_get_member(host, "Mounts"), FALSE);
	g_assert_cmpstr(mounts,
			==,
			"[{\"Type\":\"bind\",\"Source\":\"/srv/a\",\"Target\":\"/"
			"data\",\"ReadOnly\":"
			"false},{\"Type\":\"bind\",\"Source\":\"/srv/b\",\"Target\":\"/ro\","
			"\"ReadOnly\":true}]");
	/* without volumes, no Mounts: the body (and its digest) of a container made before */
	bare = tender_docker_spec_new("web", without, &error);
	g_assert_no_error(error);
	bare_create = tender_docker_spec_build_create(bare, "web");
	host = json_object_get_object_member(json_node_get_object(bare_create), "HostConfig");
	g_assert_false(json_object_has_member(host, "Mounts"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/docker/exec/create-body", test_docker_exec_create_body);
	g_test_add_func("/docker/exec/state", test_docker_exec_state);
	g_test_add_func("/docker/exec/exit", test_docker_exec_exit);
	g_test_add_func("/docker/exec/missing", test_docker_exec_missing);
	g_test_add_func("/docker/exec/demux-func", test_docker_exec_demux_func);
	g_test_add_func("/docker/spec/volumes", test_docker_spec_volumes);
	return g_test_run();
}
