/* Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * tender-bench: the C client of the benchmarks (tests/bench/run drives it, inside the lab).
 *
 * Launches a trivial command again and again, and times each launch from the first call until
 * the command runs in its own scope with its limits applied, through three peers:
 *
 *   tender       CreateWorkload + StartWorkload on org.tender.Agent1 (StartWorkload returns
 *                once the command runs in tender-NAME.scope); RemoveWorkload after, untimed
 *   floor        what any agent must do at least, done here without one: fork, then
 *                StartTransientUnit of a scope holding the child (the same properties and
 *                limits tenderd sets), wait for the job, let the child exec the command and
 *                wait until the exec succeeded
 *   systemd-run  `systemd-run --scope -p MemoryMax=... -p TasksMax=... COMMAND`, until it
 *                exits
 *
 * It also creates, lists, reads the metrics of and removes many workloads, for the scale
 * figures.  Every command prints one JSON object on stdout; times are in milliseconds.
 * A launch or call that fails is counted and named on stderr, and makes the exit status 1.
 */
#include "tender-bench.h"

static const gchar *const bench_peer_names[] = {"tender", "floor", "systemd-run"};
static const gchar bench_usage[] =
    "COMMAND\n\n"
    "Commands (each prints one JSON object; times in ms):\n"
    "  latency       --count N sequential launches of each peer (tender, floor, systemd-run),\n"
    "                interleaved\n"
    "  throughput    --count N launches per peer and round with --jobs in flight, --rounds "
    "times\n"
    "  spawn         create and start --count sleepers named PREFIX-I with --jobs in flight\n"
    "  list          time ListWorkloads (--systemd: systemd's ListUnitsByPatterns of\n"
    "                tender-*.scope), --count times\n"
    "  metrics       time GetMetrics of every workload named PREFIX-*, --jobs in flight, "
    "--count times\n"
    "  remove        remove (force) every workload named PREFIX-*, --jobs in flight\n"
    "  launch        --count N sequential launches of `true` of each peer, interleaved, until\n"
    "                it has exited: tender minimal, standard and strict (--rootfs DIR),\n"
    "                systemd-run --scope bwrap, bwrap, /bin/true spawned\n"
    "                (with --docker-image IMAGE also `docker run --rm IMAGE true`, in every\n"
    "                few rounds, --docker-count times)\n"
    "  exec          --count N ExecWorkload of `true` into a minimal and a strict (--rootfs DIR)\n"
    "                workload, and nsenter -t PID -a /bin/true into them, interleaved (with\n"
    "                --docker-image IMAGE also `docker exec` into a container of it, likewise)\n"
    "  docker        --count N sequential launches of `true` until it has exited, interleaved:\n"
    "                a workload of runtime docker (--docker-image IMAGE), one in a scope, and\n"
    "                `docker run --rm IMAGE true`\n"
    "  sessions      --count N rounds, interleaved, of the sessions plugin's calls and their\n"
    "                peers: Exec of `true` into a native session (--image IMAGE of tender's\n"
    "                store), GetSession of it again, a D-Bus Ping of tenderd, a new native\n"
    "                session; with --docker-image IMAGE also Exec into a docker-backend\n"
    "                session, `docker exec`, a new docker-backend session and `docker run -d\n"
    "                IMAGE sleep`, in every few rounds (--docker-count times)";

int
main(int argc, char **argv)
{
	gint count = 10;
	gint jobs = 16;
	gint rounds = 3;
	gint64 memory_max = 64 * 1024 * 1024;
	gint64 tasks_max = 16;
	gboolean systemd_peer = FALSE;
	g_autofree gchar *prefix = NULL; /* GOption does not free a default */
	g_autofree gchar *rootfs = NULL;
	g_autofree gchar *docker_image = NULL;
	g_autofree gchar *image = NULL;
	gint docker_count = 0;
	/* clang-format off */
	GOptionEntry entries[] = {
		{"count", 'n', 0, G_OPTION_ARG_INT, &count, "launches, workloads or repetitions", "N"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "calls in flight (default 16)", "J"},
		{"rounds", 'r', 0, G_OPTION_ARG_INT, &rounds, "rounds of throughput (default 3)", "R"},
		{"prefix", 'p', 0, G_OPTION_ARG_STRING, &prefix, "name prefix of spawn, metrics, remove", "PREFIX"},
		{"memory-max", 0, 0, G_OPTION_ARG_INT64, &memory_max, "MemoryMax of every launch", "BYTES"},
		{"tasks-max", 0, 0, G_OPTION_ARG_INT64, &tasks_max, "TasksMax of every launch", "N"},
		{"rootfs", 0, 0, G_OPTION_ARG_FILENAME, &rootfs, "launch, exec: the root directory of standard and strict", "DIR"},
		{"systemd", 0, 0, G_OPTION_ARG_NONE, &systemd_peer, "list: systemd's tender-*.scope units instead", NULL},
		{"docker-image", 0, 0, G_OPTION_ARG_STRING, &docker_image, "launch, exec, docker, sessions: the image of the Docker peers", "IMAGE"},
		{"docker-count", 0, 0, G_OPTION_ARG_INT, &docker_count, "launch, exec, sessions: runs of the Docker peers (default --count)", "N"},
		{"image", 0, 0, G_OPTION_ARG_STRING, &image, "sessions: the image of tender's store of the native sessions", "IMAGE"},
		{NULL},
	};
	/* clang-format on */
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	gchar *true_argv[] = {(gchar *)"true", NULL};
	gchar *sleep_argv[] = {(gchar *)"sleep", (gchar *)"infinity", NULL};
	g_auto(Bench) bench = {0};
	Bench *b = &bench;
	const gchar *command;
	g_autofree gchar *escaped = NULL;

	g_option_context_set_summary(context, bench_usage);
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("tender-bench: %s\n", error->message);
		return 2;
	}
	if (argc != 2 || count < 1 || jobs < 1 || rounds < 1 || docker_count < 0) {
		g_printerr("tender-bench: give one COMMAND, and positive numbers (see --help)\n");
		return 2;
	}
	command = argv[1];
	if (prefix == NULL)
		prefix = g_strdup("scale");
	/* the floor's children are reaped by a child watch; systemd-run's by GSubprocess */
	signal(SIGPIPE, SIG_IGN);
	if (!bench_setup(b, &error)) {
		g_printerr("tender-bench: %s\n", error->message);
		return 1;
	}
	b->memory_max = (guint64)memory_max;
	b->tasks_max = (guint64)tasks_max;
	b->workload_argv = true_argv;
	b->name_prefix = g_strdup_printf("bench-%d", (gint)getpid());

	if (g_strcmp0(command, "latency") == 0) {
		GArray *samples[3];
		g_autoptr(GArray) creates = g_array_new(FALSE, FALSE, sizeof(gdouble));
		for (guint p = 0; p < 3; p++)
			samples[p] = g_array_new(FALSE, FALSE, sizeof(gdouble));
		b->remove_after = TRUE;
		b->create_samples = creates;
		/* one launch of each peer in turn, the order rotating, so that noise hits all */
		for (gint i = 0; i < count; i++) {
			for (guint k = 0; k < 3; k++) {
				guint p = (guint)(i + (gint)k) % 3;
				b->samples = samples[p];
				bench_phase(b, (BenchOp)p, 1, 1);
			}
		}
		g_string_append_printf(out, "{\"command\": \"latency\", \"count\": %d", count);
		for (guint p = 0; p < 3; p++) {
			g_string_append_printf(out, ", \"%s\": ", bench_peer_names[p]);
			bench_print_stats(out, samples[p]);
			g_array_unref(samples[p]);
		}
		g_string_append(out, ", \"tender_create\": ");
		bench_print_stats(out, creates);
		b->create_samples = NULL;
	} else if (g_strcmp0(command, "throughput") == 0) {
		GArray *samples[3];
		GString *walls[3];
		for (guint p = 0; p < 3; p++) {
			samples[p] = g_array_new(FALSE, FALSE, sizeof(gdouble));
			walls[p] = g_string_new(NULL);
		}
		b->remove_after = FALSE;
		for (gint r = 0; r < rounds; r++) {
			for (guint k = 0; k < 3; k++) {
				guint p = (guint)(r + (gint)k) % 3;
				gdouble wall;
				b->samples = samples[p];
				wall = bench_phase(b, (BenchOp)p, (guint)count, (guint)jobs);
				g_string_append_printf(walls[p],
						       "%s%.3f",
						       walls[p]->len > 0 ? ", " : "",
						       wall);
				if (p == OP_TENDER)
					bench_cleanup_names(b, (guint)jobs);
			}
		}
		g_string_append_printf(out,
				       "{\"command\": \"throughput\", \"count\": %d, \"jobs\": %d, "
				       "\"rounds\": %d",
				       count,
				       jobs,
				       rounds);
		for (guint p = 0; p < 3; p++) {
			g_string_append_printf(out,
					       ", \"%s\": {\"wall_ms\": [%s], \"latency\": ",
					       bench_peer_names[p],
					       walls[p]->str);
			bench_print_stats(out, samples[p]);
			g_string_append(out, "}");
			g_array_unref(samples[p]);
			g_string_free(walls[p], TRUE);
		}
	} else if (g_strcmp0(command, "spawn") == 0) {
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		guint ok;
		gdouble wall;
		b->samples = samples;
		b->workload_argv = sleep_argv;
		g_free(b->name_prefix);
		b->name_prefix = g_strdup(prefix);
		b->remove_after = FALSE;
		wall = bench_phase(b, OP_TENDER, (guint)count, (guint)jobs);
		ok = samples->len;
		g_string_append_printf(out,
				       "{\"command\": \"spawn\", \"count\": %d, \"started\": %u, "
				       "\"wall_ms\": %.3f, \"latency\": ",
				       count,
				       ok,
				       wall);
		bench_print_stats(out, samples);
	} else if (g_strcmp0(command, "list") == 0) {
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		b->samples = samples;
		b->list_systemd = systemd_peer;
		bench_phase(b, OP_LIST, (guint)count, 1);
		g_string_append_printf(out,
				       "{\"command\": \"list\", \"workloads\": %u, \"latency\": ",
				       b->listed);
		bench_print_stats(out, samples);
	} else if (g_strcmp0(command, "metrics") == 0 || g_strcmp0(command, "remove") == 0) {
		g_autoptr(GArray) walls = g_array_new(FALSE, FALSE, sizeof(gdouble));
		g_autoptr(GArray) samples = g_array_new(FALSE, FALSE, sizeof(gdouble));
		gboolean metrics = g_strcmp0(command, "metrics") == 0;
		guint n;
		if (!bench_list_prefix(b, prefix, &error)) {
			g_printerr("tender-bench: ListWorkloads: %s\n", error->message);
			return 1;
		}
		n = b->names->len;
		b->samples = samples;
		for (gint r = 0; r < (metrics ? count : 1); r++) {
			gdouble wall =
			    bench_phase(b, metrics ? OP_METRICS : OP_REMOVE, n, (guint)jobs);
			g_array_append_val(walls, wall);
		}
		g_string_append_printf(out,
				       "{\"command\": \"%s\", \"workloads\": %u, \"wall\": ",
				       command,
				       n);
		bench_print_stats(out, walls);
		g_string_append(out, ", \"latency\": ");
		bench_print_stats(out, samples);
	} else if (g_strcmp0(command, "launch") == 0 || g_strcmp0(command, "exec") == 0) {
		if (rootfs == NULL || !g_path_is_absolute(rootfs)) {
			g_printerr("tender-bench: %s needs --rootfs DIR, absolute\n", command);
			return 2;
		}
		if (g_strcmp0(command, "launch") == 0)
			bench_iso_launch(b, count, rootfs, docker_image, docker_count, out);
		else
			bench_iso_exec(b, count, rootfs, docker_image, docker_count, out);
	} else if (g_strcmp0(command, "docker") == 0) {
		if (docker_image == NULL) {
			g_printerr("tender-bench: docker needs --docker-image IMAGE\n");
			return 2;
		}
		bench_docker_launch(b, count, docker_image, out);
	} else if (g_strcmp0(command, "sessions") == 0) {
		if (image == NULL) {
			g_printerr("tender-bench: sessions needs --image IMAGE\n");
			return 2;
		}
		bench_sessions(b, count, image, docker_image, docker_count, out);
	} else {
		g_printerr("tender-bench: unknown command '%s' (see --help)\n", command);
		return 2;
	}
	escaped = bench_json_escape(b->first_error != NULL ? b->first_error : "");
	g_string_append_printf(out,
			       ", \"failures\": %u, \"first_error\": \"%s\"}\n",
			       b->failures,
			       escaped);
	fputs(out->str, stdout);
	return b->failures > 0 ? 1 : 0;
}
