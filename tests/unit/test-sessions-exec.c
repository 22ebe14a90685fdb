/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>
#include <tender-json.h>

#include "tender-session-exec.h"
#include "tender-session-ports.h"
#include "tender-session-processes.h"
#include "tender-session-stream.h"

/* the sessions plugin's commands: Exec's and StartProcess's options, the listening ports
 * parsed from /proc (fixture text of a little-endian host), signals and log tails */

static TenderSessionExecOptions *
parse_json(const gchar *text, gboolean background, GError **error)
{
	g_autoptr(JsonNode) node = tender_json_parse(text, -1, TENDER_JSON_DEPTH_MAX, NULL);
	g_assert_nonnull(node);
	return tender_session_exec_options_from_json(json_node_get_object(node), background, error);
}

static void
test_exec_options(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSessionExecOptions) opts = NULL;
	g_autoptr(GVariant) core = NULL;
	g_autoptr(GVariant) dict = NULL;
	const gchar *argv[] = {"ls", "-l", NULL};
	const gchar *empty[] = {NULL};
	const gchar *cwd = NULL;
	guint64 max = 0;

	opts = parse_json("{\"command\": \"echo $A\", \"env\": {\"A\": \"1\"}, \"timeout_sec\": 5, "
			  "\"stdin\": \"in\"}",
			  FALSE,
			  &error);
	g_assert_no_error(error);
	g_assert_cmpstrv(opts->argv, ((const gchar *[]){"sh", "-c", "echo $A", NULL}));
	g_assert_cmpstr(g_environ_getenv(opts->env, "A"), ==, "1");
	g_assert_cmpuint(opts->timeout_sec, ==, 5);
	g_assert_cmpuint(g_bytes_get_size(opts->stdin_data), ==, 2);
	/* the core's options: /workspace by default, the output cap, no timeout (ours) */
	core = g_variant_ref_sink(tender_session_exec_options_to_variant(opts, TRUE));
	g_assert_true(g_variant_lookup(core, "working_directory", "&s", &cwd));
	g_assert_cmpstr(cwd, ==, "/workspace");
	g_assert_true(g_variant_lookup(core, "max_output", "t", &max));
	g_assert_cmpuint(max, ==, TENDER_SESSION_EXEC_OUTPUT_DEFAULT);
	g_assert_false(g_variant_lookup(core, "timeout_sec", "u", NULL));
	g_clear_pointer(&core, g_variant_unref);
	core = g_variant_ref_sink(tender_session_exec_options_to_variant(opts, FALSE));
	g_assert_false(g_variant_lookup(core, "working_directory", "&s", &cwd));
	g_clear_pointer(&opts, tender_session_exec_options_free);

	dict = g_variant_ref_sink(g_variant_new_parsed(
	    "{'working_directory': <'/tmp'>, 'max_output': <@t 10>, 'env': <{'B': '2'}>}"));
	opts = tender_session_exec_options_from_vardict(argv, dict, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_cmpstrv(opts->argv, argv);
	g_assert_cmpstr(opts->working_directory, ==, "/tmp");
	g_assert_cmpuint(opts->max_output, ==, 10);
	g_clear_pointer(&opts, tender_session_exec_options_free);
	g_clear_pointer(&dict, g_variant_unref);

	dict = g_variant_ref_sink(g_variant_new_parsed("{'shell': <'true'>}"));
	opts = tender_session_exec_options_from_vardict(empty, dict, NULL, TRUE, &error);
	g_assert_no_error(error);
	g_assert_true(opts->background);
	g_assert_cmpstr(opts->argv[2], ==, "true");
}

static void
test_exec_options_bad(void)
{
	const struct {
		const gchar *json;
		gboolean background;
		const gchar *what;
	} bad[] = {
	    {"{}", FALSE, "empty"},
	    {"{\"command\": []}", FALSE, "empty"},
	    {"{\"command\": [\"\"]}", FALSE, "empty"},
	    {"{\"command\": [1]}", FALSE, "'command'"},
	    {"{\"command\": \"\"}", FALSE, "'shell'"},
	    {"{\"command\": \"x\", \"env\": {\"1A\": \"x\"}}", FALSE, "'env'"},
	    {"{\"command\": \"x\", \"env\": {\"A\": 1}}", FALSE, "'env'"},
	    {"{\"command\": \"x\", \"working_directory\": \"rel\"}", FALSE, "'working_directory'"},
	    {"{\"command\": \"x\", \"timeout_sec\": -1}", FALSE, "'timeout_sec'"},
	    {"{\"command\": \"x\", \"timeout_sec\": 99999999}", FALSE, "'timeout_sec'"},
	    {"{\"command\": \"x\", \"max_output\": 99999999999}", FALSE, "'max_output'"},
	    {"{\"command\": \"x\", \"stdin\": \"in\"}", TRUE, "'stdin'"},
	    {"{\"command\": \"x\", \"timeout_sec\": 1}", TRUE, "'timeout_sec'"},
	    {"{\"command\": \"x\", \"colour\": 1}", FALSE, "'colour'"},
	};
	const gchar *argv[] = {"ls", NULL};
	g_autoptr(GVariant) both = g_variant_ref_sink(g_variant_new_parsed("{'shell': <'ls'>}"));
	g_autoptr(GVariant) fd = g_variant_ref_sink(g_variant_new_parsed("{'stdout': <@h 0>}"));
	g_autoptr(GVariant) type =
	    g_variant_ref_sink(g_variant_new_parsed("{'timeout_sec': <'1'>}"));
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) e = NULL;
		g_assert_null(parse_json(bad[i].json, bad[i].background, &e));
		g_assert_error(e, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		if (strstr(e->message, bad[i].what) == NULL)
			g_error("%s: '%s' does not name %s", bad[i].json, e->message, bad[i].what);
	}
	g_assert_null(tender_session_exec_options_from_vardict(argv, both, NULL, FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	/* a handle, but no descriptor came with the call */
	g_assert_null(tender_session_exec_options_from_vardict(argv, fd, NULL, FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "descriptors"));
	g_clear_error(&error);
	g_assert_null(tender_session_exec_options_from_vardict(argv, type, NULL, FALSE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "'timeout_sec'"));
}

static void
test_ports_parse(void)
{
	const gchar *tcp =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	    "timeout inode\n"
	    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0   "
	    "     0 12345 1 0000000000000000 100 0 0 10 0\n"
	    "   1: 00000000:1CB2 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000   "
	    "     0 23456 1 0000000000000000 100 0 0 10 0\n"
	    "   2: 0100007F:1F90 0100007F:D1C2 01 00000000:00000000 00:00000000 00000000     0   "
	    "     0 34567 1 0000000000000000 20 4 30 10 -1\n"
	    "   3: garbage\n";
	const gchar *tcp6 =
	    "  sl  local_address                         remote_address                        st "
	    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 45678 1 0000000000000000 100 0 "
	    "0 "
	    "10 0\n"
	    "   1: 0000000000000000FFFF00000100007F:0016 00000000000000000000000000000000:0000 0A "
	    "00000000:00000000 00:00000000 00000000     0        0 56789 1 0000000000000000 100 0 "
	    "0 "
	    "10 0\n";
	g_autoptr(GPtrArray) v4 = tender_session_ports_parse_net_tcp(tcp, FALSE);
	g_autoptr(GPtrArray) v6 = tender_session_ports_parse_net_tcp(tcp6, TRUE);
	TenderSessionListener *l;

	g_assert_cmpuint(v4->len, ==, 2);
	l = g_ptr_array_index(v4, 0);
	g_assert_cmpstr(l->address, ==, "127.0.0.1");
	g_assert_cmpuint(l->port, ==, 8080);
	g_assert_cmpuint(l->inode, ==, 12345);
	l = g_ptr_array_index(v4, 1);
	g_assert_cmpstr(l->address, ==, "0.0.0.0");
	g_assert_cmpuint(l->port, ==, 7346);
	g_assert_cmpuint(v6->len, ==, 2);
	l = g_ptr_array_index(v6, 0);
	g_assert_cmpstr(l->address, ==, "::1");
	g_assert_cmpuint(l->port, ==, 8081);
	l = g_ptr_array_index(v6, 1);
	g_assert_cmpstr(l->address, ==, "::ffff:127.0.0.1");
	g_assert_cmpuint(l->inode, ==, 56789);
}

static void
test_ports_links(void)
{
	guint64 inode = 0;
	guint32 ppid = 0;

	g_assert_true(tender_session_ports_parse_socket_link("socket:[4242]", &inode));
	g_assert_cmpuint(inode, ==, 4242);
	g_assert_false(tender_session_ports_parse_socket_link("pipe:[4242]", &inode));
	g_assert_false(tender_session_ports_parse_socket_link("socket:[]", &inode));
	g_assert_false(tender_session_ports_parse_socket_link("socket:[12x]", &inode));
	g_assert_true(tender_session_ports_parse_stat_ppid("77 (sh) S 12 77 1 0 -1", &ppid));
	g_assert_cmpuint(ppid, ==, 12);
	/* a command name with spaces and parentheses */
	g_assert_true(tender_session_ports_parse_stat_ppid("78 (a) b (c) R 13 78 1 0", &ppid));
	g_assert_cmpuint(ppid, ==, 13);
	g_assert_false(tender_session_ports_parse_stat_ppid("78 a R 13", &ppid));
}

static void
test_signals_and_tail(void)
{
	g_autoptr(GBytes) log = g_bytes_new_static("a\nb\nc\n", 6);
	g_autoptr(GBytes) partial = g_bytes_new_static("a\nb\nc", 5);
	g_autoptr(GBytes) t1 = tender_session_log_tail(log, 1);
	g_autoptr(GBytes) t2 = tender_session_log_tail(partial, 2);
	g_autoptr(GBytes) t9 = tender_session_log_tail(log, 9);
	g_autoptr(GBytes) t0 = tender_session_log_tail(log, 0);
	gint signo = 0;

	g_assert_true(tender_session_signal_parse("TERM", &signo, NULL));
	g_assert_cmpint(signo, ==, 15);
	g_assert_true(tender_session_signal_parse("SIGKILL", &signo, NULL));
	g_assert_cmpint(signo, ==, 9);
	g_assert_true(tender_session_signal_parse("10", &signo, NULL));
	g_assert_cmpint(signo, ==, 10);
	g_assert_false(tender_session_signal_parse("0", &signo, NULL));
	g_assert_false(tender_session_signal_parse("65", &signo, NULL));
	g_assert_false(tender_session_signal_parse("BOGUS", &signo, NULL));
	g_assert_cmpmem(g_bytes_get_data(t1, NULL), g_bytes_get_size(t1), "c\n", 2);
	g_assert_cmpmem(g_bytes_get_data(t2, NULL), g_bytes_get_size(t2), "b\nc", 3);
	g_assert_cmpuint(g_bytes_get_size(t9), ==, 6);
	g_assert_cmpuint(g_bytes_get_size(t0), ==, 6);
}

/* a streamed chunk's text: a character cut by the chunk's end waits for the next one */
static void
test_stream_text(void)
{
	g_autoptr(GByteArray) pending = g_byte_array_new();
	const guint8 u_umlaut[] = {0xc3, 0xbc};
	const guint8 euro[] = {0xe2, 0x82, 0xac};
	gchar *text;

	text = tender_session_stream_take_text(pending, NULL, 0, FALSE);
	g_assert_cmpstr(text, ==, "");
	g_free(text);
	text = tender_session_stream_take_text(pending, (const guint8 *)"ab\xc3", 3, FALSE);
	g_assert_cmpstr(text, ==, "ab");
	g_assert_cmpuint(pending->len, ==, 1);
	g_free(text);
	text = tender_session_stream_take_text(pending, u_umlaut + 1, 1, FALSE);
	g_assert_cmpstr(text, ==, "\xc3\xbc");
	g_assert_cmpuint(pending->len, ==, 0);
	g_free(text);
	/* three bytes in three chunks */
	for (guint i = 0; i < 2; i++) {
		text = tender_session_stream_take_text(pending, euro + i, 1, FALSE);
		g_assert_cmpstr(text, ==, "");
		g_free(text);
	}
	text = tender_session_stream_take_text(pending, euro + 2, 1, FALSE);
	g_assert_cmpstr(text, ==, "\xe2\x82\xac");
	g_free(text);
	/* an invalid byte in the middle is replaced at once, not kept */
	text = tender_session_stream_take_text(pending, (const guint8 *)"x\xffy", 3, FALSE);
	g_assert_cmpstr(text, ==, "x\xef\xbf\xbdy");
	g_assert_cmpuint(pending->len, ==, 0);
	g_free(text);
	/* a cut character at the end of the stream is replaced */
	text = tender_session_stream_take_text(pending, u_umlaut, 1, FALSE);
	g_assert_cmpstr(text, ==, "");
	g_free(text);
	text = tender_session_stream_take_text(pending, NULL, 0, TRUE);
	g_assert_cmpstr(text, ==, "\xef\xbf\xbd");
	g_assert_cmpuint(pending->len, ==, 0);
	g_free(text);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/sessions/exec/options", test_exec_options);
	g_test_add_func("/sessions/exec/options-bad", test_exec_options_bad);
	g_test_add_func("/sessions/ports/parse", test_ports_parse);
	g_test_add_func("/sessions/ports/links", test_ports_links);
	g_test_add_func("/sessions/signals-and-tail", test_signals_and_tail);
	g_test_add_func("/sessions/stream/text", test_stream_text);
	return g_test_run();
}
