/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the Docker section's launches (the tool runs are timed by bench.py, over
 * HTTP).
 *
 *   docker  sequential launches of `true`, each until it has exited, interleaved:
 *           a workload of runtime docker (x-docker.image IMAGE; CreateWorkload +
 *           StartWorkload, until PropertiesChanged says State "exited"), a workload in a
 *           scope at isolation minimal (the same), and `docker run --rm IMAGE true`
 */

#include "tender-bench.h"

void
bench_docker_launch(Bench *b, gint count, const gchar *image, GString *out)
{
	gchar *docker_argv[] = {(gchar *)BENCH_DOCKER,
				(gchar *)"run",
				(gchar *)"--rm",
				(gchar *)image,
				(gchar *)"true",
				NULL};
	BenchPeer peers[] = {
	    {"docker-runtime", OP_TENDER, NULL, FALSE, NULL, NULL, image, 1},
	    {"tender-scope", OP_TENDER, "minimal", FALSE, NULL, NULL, NULL, 1},
	    {"docker-run", OP_SPAWN, NULL, FALSE, docker_argv, NULL, NULL, 1},
	};
	guint id = bench_iso_subscribe(b);

	b->remove_after = TRUE;
	b->wait_exit = TRUE;
	g_string_append_printf(out, "{\"command\": \"docker\", \"count\": %d", count);
	bench_iso_rounds(b, peers, G_N_ELEMENTS(peers), count, NULL, out);
	b->wait_exit = FALSE;
	g_dbus_connection_signal_unsubscribe(b->bus, id);
}
