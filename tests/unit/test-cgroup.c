/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tender-cgroup.h"
#include "tender-freezer.h"
#include "tender-error.h"

/* builds a fixture tree: pairs of relative path and contents */
static gchar *
make_tree(const gchar *const *files)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root = g_dir_make_tmp("tender-cgroup-XXXXXX", &error);

	g_assert_no_error(error);
	for (guint i = 0; files[i] != NULL; i += 2) {
		g_autofree gchar *path = g_build_filename(root, files[i], NULL);
		g_autofree gchar *dir = g_path_get_dirname(path);
		g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
		if (files[i + 1] != NULL) {
			g_assert_true(g_file_set_contents(path, files[i + 1], -1, &error));
			g_assert_no_error(error);
		}
	}
	return g_steal_pointer(&root);
}

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);
		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			remove_tree(child);
		else
			g_assert_cmpint(g_unlink(child), ==, 0);
	}
	g_assert_cmpint(g_rmdir(path), ==, 0);
}

#define SCOPE "/tender.slice/tender-web.scope"

static void
test_cgroup_v1_limits(void)
{
	const gchar *files[] = {
	    "systemd/" SCOPE "/cgroup.procs",
	    "100\n101\n",
	    "memory/" SCOPE "/memory.limit_in_bytes",
	    "33554432\n",
	    "memory/" SCOPE "/memory.oom_control",
	    "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
	    "cpu/" SCOPE "/cpu.cfs_quota_us",
	    "50000\n",
	    "cpu/" SCOPE "/cpu.cfs_period_us",
	    "100000\n",
	    "pids/" SCOPE "/pids.max",
	    "16\n",
	    "pids/" SCOPE "/pids.current",
	    "3\n",
	    "blkio/" SCOPE "/blkio.throttle.read_bps_device",
	    "254:0 10485760\n",
	    "blkio/" SCOPE "/blkio.throttle.write_bps_device",
	    "",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) limits = NULL;
	g_autoptr(GArray) pids = NULL;
	guint64 v = 0;
	guint32 cpu = 0;

	g_assert_cmpint(tender_cgroup_get_version(cg), ==, TENDER_CGROUP_VERSION_1);
	limits = g_variant_ref_sink(tender_cgroup_read_limits(cg, SCOPE, &error));
	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(limits, "memory_max", "t", &v));
	g_assert_cmpuint(v, ==, 33554432);
	g_assert_true(g_variant_lookup(limits, "cpu_quota_percent", "u", &cpu));
	g_assert_cmpuint(cpu, ==, 50);
	g_assert_true(g_variant_lookup(limits, "tasks_max", "t", &v));
	g_assert_cmpuint(v, ==, 16);
	g_assert_true(g_variant_lookup(limits, "io_read_bandwidth_max", "t", &v));
	g_assert_cmpuint(v, ==, 10485760);
	g_assert_false(g_variant_lookup(limits, "io_write_bandwidth_max", "t", &v));

	g_assert_true(tender_cgroup_read_keyed(cg,
					       "memory",
					       SCOPE,
					       "memory.oom_control",
					       "oom_kill",
					       &v,
					       &error));
	g_assert_cmpuint(v, ==, 2);
	g_assert_false(
	    tender_cgroup_read_keyed(cg, "memory", SCOPE, "memory.oom_control", "oom", &v, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_true(tender_cgroup_read_u64(cg, "pids", SCOPE, "pids.current", &v, &error));
	g_assert_cmpuint(v, ==, 3);

	pids = tender_cgroup_get_pids(cg, SCOPE, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(pids->len, ==, 2);
	g_assert_cmpint(g_array_index(pids, GPid, 0), ==, 100);
	g_assert_cmpint(g_array_index(pids, GPid, 1), ==, 101);
	remove_tree(root);
}

static void
test_cgroup_v1_unlimited(void)
{
	const gchar *files[] = {
	    "systemd/" SCOPE "/cgroup.procs",
	    "",
	    "memory/" SCOPE "/memory.limit_in_bytes",
	    "9223372036854771712\n",
	    "cpu/" SCOPE "/cpu.cfs_quota_us",
	    "-1\n",
	    "cpu/" SCOPE "/cpu.cfs_period_us",
	    "100000\n",
	    "pids/" SCOPE "/pids.max",
	    "max\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) limits =
	    g_variant_ref_sink(tender_cgroup_read_limits(cg, SCOPE, &error));

	g_assert_no_error(error);
	g_assert_cmpuint(g_variant_n_children(limits), ==, 0);
	remove_tree(root);
}

static void
test_cgroup_v2_limits(void)
{
	const gchar *files[] = {
	    "cgroup.controllers",
	    "cpuset cpu io memory pids\n",
	    SCOPE "/cgroup.procs",
	    "42\n",
	    SCOPE "/memory.max",
	    "67108864\n",
	    SCOPE "/memory.events",
	    "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n",
	    SCOPE "/cpu.max",
	    "150000 100000\n",
	    SCOPE "/pids.max",
	    "20\n",
	    SCOPE "/io.max",
	    "8:0 rbps=1048576 wbps=max riops=max wiops=max\n"
	    "8:16 rbps=max wbps=2097152 riops=max wiops=max\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) limits = NULL;
	g_autofree gchar *path = NULL;
	guint64 v = 0;
	guint32 cpu = 0;

	g_assert_cmpint(tender_cgroup_get_version(cg), ==, TENDER_CGROUP_VERSION_2);
	path = tender_cgroup_build_path(cg, "memory", SCOPE, "memory.max");
	g_assert_true(g_str_has_prefix(path, root));
	g_assert_true(g_str_has_suffix(path, "/tender.slice/tender-web.scope/memory.max"));

	limits = g_variant_ref_sink(tender_cgroup_read_limits(cg, SCOPE, &error));
	g_assert_no_error(error);
	g_assert_true(g_variant_lookup(limits, "memory_max", "t", &v));
	g_assert_cmpuint(v, ==, 67108864);
	g_assert_true(g_variant_lookup(limits, "cpu_quota_percent", "u", &cpu));
	g_assert_cmpuint(cpu, ==, 150);
	g_assert_true(g_variant_lookup(limits, "tasks_max", "t", &v));
	g_assert_cmpuint(v, ==, 20);
	g_assert_true(g_variant_lookup(limits, "io_read_bandwidth_max", "t", &v));
	g_assert_cmpuint(v, ==, 1048576);
	g_assert_true(g_variant_lookup(limits, "io_write_bandwidth_max", "t", &v));
	g_assert_cmpuint(v, ==, 2097152);
	g_assert_true(
	    tender_cgroup_read_keyed(cg, "memory", SCOPE, "memory.events", "oom_kill", &v, &error));
	g_assert_cmpuint(v, ==, 1);
	remove_tree(root);
}

static void
test_cgroup_v2_unlimited(void)
{
	const gchar *files[] = {
	    "cgroup.controllers",
	    "cpu memory pids\n",
	    SCOPE "/memory.max",
	    "max\n",
	    SCOPE "/cpu.max",
	    "max 100000\n",
	    SCOPE "/pids.max",
	    "max\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) limits =
	    g_variant_ref_sink(tender_cgroup_read_limits(cg, SCOPE, &error));

	g_assert_no_error(error);
	g_assert_cmpuint(g_variant_n_children(limits), ==, 0);
	remove_tree(root);
}

static void
test_cgroup_missing(void)
{
	const gchar *files[] = {"cgroup.controllers", "memory\n", NULL, NULL};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	GVariant *limits = tender_cgroup_read_limits(cg, "/nope.scope", &error);
	g_autoptr(GArray) pids = NULL;

	g_assert_null(limits);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	pids = tender_cgroup_get_pids(cg, "/nope.scope", &error);
	g_assert_null(pids);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	remove_tree(root);
}

/* a scope whose last process has exited is gone: signalling it signals no one, and is no
 * error (a forced remove right after a short command ended must not fail) */
static void
test_cgroup_kill_gone(void)
{
	const gchar *files[] = {"cgroup.controllers", "memory\n", NULL, NULL};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	guint n = 42;

	g_assert_true(tender_cgroup_kill(cg, "/nope.scope", SIGTERM, 0, &n, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(n, ==, 0);
	remove_tree(root);
}

static void
test_cgroup_unknown(void)
{
	const gchar *files[] = {"empty/x", "", NULL, NULL};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_assert_cmpint(tender_cgroup_get_version(cg), ==, TENDER_CGROUP_VERSION_UNKNOWN);
	remove_tree(root);
}

static void
test_cgroup_proc_parse(void)
{
	const gchar *v1 = "12:pids:/tender.slice/tender-a.scope\n"
			  "4:cpu,cpuacct:/tender.slice/tender-a.scope\n"
			  "1:name=systemd:/tender.slice/tender-a.scope\n"
			  "0::/tender.slice/tender-a.scope\n";
	const gchar *v2 = "0::/system.slice/tenderd.service\n";
	g_autofree gchar *a = tender_cgroup_parse_proc_cgroup(v1, "name=systemd");
	g_autofree gchar *b = tender_cgroup_parse_proc_cgroup(v1, "cpuacct");
	g_autofree gchar *c = tender_cgroup_parse_proc_cgroup(v2, NULL);
	g_autofree gchar *d = tender_cgroup_parse_proc_cgroup(v2, "memory");

	g_assert_cmpstr(a, ==, "/tender.slice/tender-a.scope");
	g_assert_cmpstr(b, ==, "/tender.slice/tender-a.scope");
	g_assert_cmpstr(c, ==, "/system.slice/tenderd.service");
	g_assert_null(d);
}

static void
test_cgroup_procs_files_v1(void)
{
	const gchar *files[] = {
	    "systemd/cgroup.procs",
	    "",
	    "systemd/" SCOPE "/cgroup.procs",
	    "",
	    "unified/cgroup.procs",
	    "",
	    "unified/" SCOPE "/cgroup.procs",
	    "",
	    "memory/cgroup.procs",
	    "",
	    "memory/" SCOPE "/cgroup.procs",
	    "",
	    "cpu,cpuacct/cgroup.procs",
	    "",
	    "cpu,cpuacct/" SCOPE "/cgroup.procs",
	    "",
	    /* no directory of the scope: its nearest ancestor */
	    "pids/cgroup.procs",
	    "",
	    "pids/tender.slice/cgroup.procs",
	    "",
	    "cpuset/cgroup.procs",
	    "",
	    /* not a hierarchy */
	    "hugetlb/README",
	    "",
	    NULL,
	    NULL,
	};
	const gchar *want[] = {
	    "cpu,cpuacct" SCOPE,
	    "cpuset",
	    "memory" SCOPE,
	    "pids/tender.slice",
	    "systemd" SCOPE,
	    "unified" SCOPE,
	};
	g_autofree gchar *root = make_tree(files);
	g_autofree gchar *link = g_build_filename(root, "cpu", NULL);
	g_autoptr(TenderCgroup) cg = NULL;
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) procs = NULL;
	g_auto(GStrv) missing = NULL;

	/* a hierarchy mounted under two names is joined once */
	g_assert_cmpint(symlink("cpu,cpuacct", link), ==, 0);
	cg = tender_cgroup_new(root);
	procs = tender_cgroup_get_procs_files(cg, SCOPE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(procs);
	g_assert_cmpuint(g_strv_length(procs), ==, G_N_ELEMENTS(want));
	for (guint i = 0; procs[i] != NULL; i++) {
		g_autofree gchar *path = g_build_filename(root, want[i], "cgroup.procs", NULL);
		g_assert_cmpstr(procs[i], ==, path);
	}
	missing = tender_cgroup_get_procs_files(cg, "/tender.slice/tender-gone.scope", &error);
	g_assert_null(missing);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_assert_cmpint(g_unlink(link), ==, 0);
	remove_tree(root);
}

static void
test_cgroup_procs_files_v2(void)
{
	const gchar *files[] = {
	    "cgroup.controllers",
	    "cpu memory pids\n",
	    SCOPE "/cgroup.procs",
	    "",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) procs = tender_cgroup_get_procs_files(cg, SCOPE, &error);
	g_autofree gchar *want = g_build_filename(root, SCOPE, "cgroup.procs", NULL);

	g_assert_no_error(error);
	g_assert_nonnull(procs);
	g_assert_cmpuint(g_strv_length(procs), ==, 1);
	g_assert_cmpstr(procs[0], ==, want);
	remove_tree(root);
}

static void
assert_metrics(const TenderCgroupMetrics *m,
	       guint64 cpu,
	       guint64 memory,
	       guint64 peak,
	       guint64 tasks,
	       guint64 io_read,
	       guint64 io_write)
{
	g_assert_cmpuint(m->cpu_usage_nsec, ==, cpu);
	g_assert_cmpuint(m->memory_bytes, ==, memory);
	g_assert_cmpuint(m->memory_peak_bytes, ==, peak);
	g_assert_cmpuint(m->tasks, ==, tasks);
	g_assert_cmpuint(m->io_read_bytes, ==, io_read);
	g_assert_cmpuint(m->io_write_bytes, ==, io_write);
}

static void
test_cgroup_v1_metrics(void)
{
	const gchar *files[] = {
	    "systemd/" SCOPE "/cgroup.procs",
	    "100\n",
	    "cpuacct/" SCOPE "/cpuacct.usage",
	    "1234567890\n",
	    "memory/" SCOPE "/memory.usage_in_bytes",
	    "67108864\n",
	    "memory/" SCOPE "/memory.max_usage_in_bytes",
	    "100663296\n",
	    "pids/" SCOPE "/pids.current",
	    "3\n",
	    /* the recursive statistics win over the others */
	    "blkio/" SCOPE "/blkio.throttle.io_service_bytes_recursive",
	    "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n"
	    "8:0 Total 12288\n254:0 Read 1000\n254:0 Write 24\n254:0 Total 1024\nTotal 13312\n",
	    "blkio/" SCOPE "/blkio.throttle.io_service_bytes",
	    "8:0 Read 1\n8:0 Write 1\n",
	    /* the unified hierarchy of a hybrid layout: cpuacct is read first */
	    "unified/" SCOPE "/cpu.stat",
	    "usage_usec 5\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	TenderCgroupMetrics m;

	g_assert_true(tender_cgroup_read_metrics(cg, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 1234567890, 67108864, 100663296, 3, 5096, 8216);
	remove_tree(root);
}

static void
test_cgroup_v1_metrics_hybrid(void)
{
	/* cpu and cpuacct mounted apart: systemd leaves the scope out of cpuacct */
	const gchar *files[] = {
	    "systemd/" SCOPE "/cgroup.procs",
	    "100\n",
	    "cpuacct/cpuacct.usage",
	    "999999\n",
	    "unified/" SCOPE "/cpu.stat",
	    "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n",
	    "blkio/" SCOPE "/blkio.throttle.io_service_bytes",
	    "8:0 Read 10\n8:0 Write 20\nTotal 30\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	TenderCgroupMetrics m;

	g_assert_true(tender_cgroup_read_metrics(cg, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 2500000, 0, 0, 0, 10, 20);
	remove_tree(root);
}

static void
test_cgroup_v2_metrics(void)
{
	const gchar *files[] = {
	    "cgroup.controllers",
	    "cpu io memory pids\n",
	    SCOPE "/cgroup.procs",
	    "42\n",
	    SCOPE "/cpu.stat",
	    "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\n",
	    SCOPE "/memory.current",
	    "1048576\n",
	    SCOPE "/memory.peak",
	    "2097152\n",
	    SCOPE "/pids.current",
	    "7\n",
	    SCOPE "/io.stat",
	    "8:0 rbytes=1000 wbytes=2000 rios=1 wios=2 dbytes=0 dios=0\n"
	    "8:16 rbytes=30 wbytes=40 rios=3 wios=4 dbytes=512 dios=1\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(GError) error = NULL;
	TenderCgroupMetrics m;

	g_assert_true(tender_cgroup_read_metrics(cg, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 1500000000, 1048576, 2097152, 7, 1030, 2040);
	remove_tree(root);
}

static void
test_cgroup_metrics_missing_files(void)
{
	/* no controller files at all (memory.peak is missing before Linux 5.19): zeros */
	const gchar *files_v2[] =
	    {"cgroup.controllers", "\n", SCOPE "/cgroup.procs", "", NULL, NULL};
	const gchar *files_v1[] = {"systemd/" SCOPE "/cgroup.procs", "", NULL, NULL};
	g_autofree gchar *root_v2 = make_tree(files_v2);
	g_autofree gchar *root_v1 = make_tree(files_v1);
	g_autoptr(TenderCgroup) cg_v2 = tender_cgroup_new(root_v2);
	g_autoptr(TenderCgroup) cg_v1 = tender_cgroup_new(root_v1);
	g_autoptr(GError) error = NULL;
	TenderCgroupMetrics m;

	memset(&m, 0xff, sizeof(m));
	g_assert_true(tender_cgroup_read_metrics(cg_v2, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 0, 0, 0, 0, 0, 0);
	memset(&m, 0xff, sizeof(m));
	g_assert_true(tender_cgroup_read_metrics(cg_v1, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 0, 0, 0, 0, 0, 0);

	/* but a cgroup that does not exist is an error */
	g_assert_false(tender_cgroup_read_metrics(cg_v2, "/tender.slice/nope.scope", &m, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(tender_cgroup_read_metrics(cg_v1, "/tender.slice/nope.scope", &m, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	remove_tree(root_v2);
	remove_tree(root_v1);
}

static void
test_cgroup_metrics_malformed(void)
{
	g_autofree gchar *long_line = g_strnfill(2000, 'x');
	g_autofree gchar *io_stat = g_strdup_printf("junk\n"
						    "8:0 rbytes=12 wbytes=oops rios=1\n"
						    "8:16 rbytes=99999999999999999999999 wbytes=5\n"
						    "rbytes=1000 wbytes=1000\n"
						    "%s rbytes=1000 wbytes=1000\n"
						    "8:32 rbytes=1 wbytes=1 rbytes=-1 wbytes=+2\n"
						    "8:48 rbytes=7",
						    long_line);
	const gchar *files_v2[] = {
	    "cgroup.controllers",
	    "cpu io memory pids\n",
	    SCOPE "/cgroup.procs",
	    "",
	    SCOPE "/cpu.stat",
	    "usage_usec twelve\nusage_usec 3\n",
	    SCOPE "/memory.current",
	    "abc\n",
	    SCOPE "/memory.peak",
	    "12 34\n",
	    SCOPE "/pids.current",
	    "",
	    SCOPE "/io.stat",
	    io_stat,
	    NULL,
	    NULL,
	};
	const gchar *files_v1[] = {
	    "systemd/" SCOPE "/cgroup.procs",
	    "",
	    "cpuacct/" SCOPE "/cpuacct.usage",
	    "18446744073709551616\n",
	    "memory/" SCOPE "/memory.usage_in_bytes",
	    "-5\n",
	    "memory/" SCOPE "/memory.max_usage_in_bytes",
	    "  \n",
	    "pids/" SCOPE "/pids.current",
	    "4 tasks\n",
	    "blkio/" SCOPE "/blkio.throttle.io_service_bytes_recursive",
	    "254:0 Read\nRead 5\n254:0 Write -3\n254:0 Read 9x\nTotal 100\n254:0 Write 6\n"
	    "254:0 Read 18446744073709551615\n254:0 Read 2\n",
	    NULL,
	    NULL,
	};
	g_autofree gchar *root_v2 = make_tree(files_v2);
	g_autofree gchar *root_v1 = make_tree(files_v1);
	g_autoptr(TenderCgroup) cg_v2 = tender_cgroup_new(root_v2);
	g_autoptr(TenderCgroup) cg_v1 = tender_cgroup_new(root_v1);
	g_autoptr(GError) error = NULL;
	TenderCgroupMetrics m;

	/* what cannot be read is 0; the lines that can be read still count */
	g_assert_true(tender_cgroup_read_metrics(cg_v2, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 3000, 0, 0, 0, 12 + 1 + 7, 5 + 1);
	/* the sum saturates instead of wrapping around */
	g_assert_true(tender_cgroup_read_metrics(cg_v1, SCOPE, &m, &error));
	g_assert_no_error(error);
	assert_metrics(&m, 0, 0, 0, 0, G_MAXUINT64, 6);
	remove_tree(root_v2);
	remove_tree(root_v1);
}

static gchar *
read_fixture(const gchar *root, const gchar *path)
{
	g_autofree gchar *full = g_build_filename(root, path, NULL);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;

	g_assert_true(g_file_get_contents(full, &contents, NULL, &error));
	g_assert_no_error(error);
	return contents;
}

static void
write_fixture(const gchar *root, const gchar *path, const gchar *contents)
{
	g_autofree gchar *full = g_build_filename(root, path, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(full, contents, -1, &error));
	g_assert_no_error(error);
}

static void
test_cgroup_v1_freezer(void)
{
	/* the kernel makes cgroup.procs with the directory; here it is made beforehand */
	const gchar *files[] = {"systemd/" SCOPE "/cgroup.procs",
				"100\n101\n",
				"freezer/" SCOPE "/cgroup.procs",
				"",
				"freezer/" SCOPE "/freezer.state",
				"THAWED\n",
				"systemd/tender.slice/tender-other.scope/cgroup.procs",
				"",
				NULL,
				NULL};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(TenderFreezer) fz = tender_freezer_new(cg, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *procs = NULL;
	g_autofree gchar *state = NULL;
	g_auto(GStrv) moved = NULL;
	gboolean frozen = TRUE;

	/* never frozen: no freezer cgroup, and that is no error */
	g_assert_true(
	    tender_freezer_get_frozen(fz, "/tender.slice/tender-other.scope", &frozen, &error));
	g_assert_no_error(error);
	g_assert_false(frozen);
	g_assert_true(tender_freezer_remove(fz, "/tender.slice/tender-other.scope", &error));
	g_assert_no_error(error);
	g_assert_true(
	    tender_freezer_set_frozen(fz, "/tender.slice/tender-other.scope", FALSE, &error));
	g_assert_no_error(error);
	frozen = TRUE;
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_no_error(error);
	g_assert_false(frozen);

	/* every process of the scope is moved into the freezer cgroup of the same path */
	g_assert_true(tender_freezer_join(fz, SCOPE, &error));
	g_assert_no_error(error);
	procs = read_fixture(root, "freezer/" SCOPE "/cgroup.procs");
	moved = g_strsplit(g_strstrip(procs), "\n", -1);
	g_assert_cmpuint(g_strv_length(moved), ==, 2);
	g_assert_true(g_strv_contains((const gchar *const *)moved, "100"));
	g_assert_true(g_strv_contains((const gchar *const *)moved, "101"));
	/* those in it already are not moved again */
	g_assert_true(tender_freezer_join(fz, SCOPE, &error));
	g_assert_no_error(error);
	g_free(procs);
	procs = read_fixture(root, "freezer/" SCOPE "/cgroup.procs");
	g_assert_cmpstr(procs, ==, "100\n101\n");

	g_assert_true(tender_freezer_set_frozen(fz, SCOPE, TRUE, &error));
	g_assert_no_error(error);
	state = read_fixture(root, "freezer/" SCOPE "/freezer.state");
	g_assert_cmpstr(state, ==, "FROZEN\n");
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_no_error(error);
	g_assert_true(frozen);

	/* still freezing is not frozen */
	write_fixture(root, "freezer/" SCOPE "/freezer.state", "FREEZING\n");
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_false(frozen);
	write_fixture(root, "freezer/" SCOPE "/freezer.state", "MELTING\n");
	g_assert_false(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_clear_error(&error);

	g_assert_true(tender_freezer_set_frozen(fz, SCOPE, FALSE, &error));
	g_assert_no_error(error);
	g_free(state);
	state = read_fixture(root, "freezer/" SCOPE "/freezer.state");
	g_assert_cmpstr(state, ==, "THAWED\n");
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_false(frozen);

	/* a scope that is gone cannot be asked */
	g_assert_false(tender_freezer_get_frozen(fz, "/tender.slice/nope.scope", &frozen, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(tender_freezer_join(fz, "/tender.slice/nope.scope", &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* the kernel refuses to remove a cgroup that is not empty, as rmdir does here */
	g_assert_false(tender_freezer_remove(fz, SCOPE, &error));
	g_assert_nonnull(error);
	g_clear_error(&error);

	/* once empty it goes, and so does its slice, unless another scope is still in it */
	{
		g_autofree gchar *scope = g_build_filename(root, "freezer", SCOPE, NULL);
		g_autofree gchar *slice = g_build_filename(root, "freezer", "tender.slice", NULL);
		g_autofree gchar *other = g_build_filename(slice, "tender-other.scope", NULL);
		g_autofree gchar *mount = g_build_filename(root, "freezer", NULL);
		g_autofree gchar *procs_file = g_build_filename(scope, "cgroup.procs", NULL);
		g_autofree gchar *state_file = g_build_filename(scope, "freezer.state", NULL);

		g_assert_cmpint(g_mkdir(other, 0755), ==, 0);
		g_assert_cmpint(g_unlink(procs_file), ==, 0);
		g_assert_cmpint(g_unlink(state_file), ==, 0);
		g_assert_true(tender_freezer_remove(fz, SCOPE, &error));
		g_assert_no_error(error);
		g_assert_false(g_file_test(scope, G_FILE_TEST_EXISTS));
		g_assert_true(g_file_test(other, G_FILE_TEST_IS_DIR));
		g_assert_true(
		    tender_freezer_remove(fz, "/tender.slice/tender-other.scope", &error));
		g_assert_no_error(error);
		g_assert_false(g_file_test(slice, G_FILE_TEST_EXISTS));
		g_assert_true(g_file_test(mount, G_FILE_TEST_IS_DIR));
	}
	remove_tree(root);
}

static void
test_cgroup_v1_freezer_escapes(void)
{
	/* processes that never show up in the freezer cgroup: the move gives up, it does not
	 * loop forever */
	const gchar *files[] = {"systemd/" SCOPE "/cgroup.procs",
				"100\n",
				"freezer/" SCOPE "/freezer.state",
				"THAWED\n",
				NULL,
				NULL};
	g_autofree gchar *root = make_tree(files);
	g_autofree gchar *procs = g_build_filename(root, "freezer/" SCOPE "/cgroup.procs", NULL);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(TenderFreezer) fz = tender_freezer_new(cg, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(symlink("/dev/null", procs), ==, 0);
	g_assert_false(tender_freezer_join(fz, SCOPE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "kept appearing"));
	remove_tree(root);
}

static void
test_cgroup_v1_freezer_not_mounted(void)
{
	const gchar *files[] = {"systemd/" SCOPE "/cgroup.procs", "100\n", NULL, NULL};
	g_autofree gchar *root = make_tree(files);
	g_autofree gchar *freezer = g_build_filename(root, "freezer", NULL);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(TenderFreezer) fz = tender_freezer_new(cg, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_false(tender_freezer_join(fz, SCOPE, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	g_assert_nonnull(strstr(error->message, "not mounted"));
	/* and nothing was made in its place */
	g_assert_false(g_file_test(freezer, G_FILE_TEST_EXISTS));
	remove_tree(root);
}

static void
test_cgroup_v2_freezer(void)
{
	const gchar *files[] = {"cgroup.controllers",
				"cpu memory pids\n",
				SCOPE "/cgroup.procs",
				"42\n",
				SCOPE "/cgroup.events",
				"populated 1\nfrozen 0\n",
				SCOPE "/cgroup.freeze",
				"0\n",
				NULL,
				NULL};
	g_autofree gchar *root = make_tree(files);
	g_autoptr(TenderCgroup) cg = tender_cgroup_new(root);
	g_autoptr(TenderFreezer) fz = tender_freezer_new(cg, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *freeze = NULL;
	g_autofree gchar *freezer = g_build_filename(root, "freezer", NULL);
	gboolean frozen = TRUE;

	/* the scope's own cgroup is frozen: nothing to join or remove */
	g_assert_true(tender_freezer_join(fz, SCOPE, &error));
	g_assert_no_error(error);
	g_assert_false(g_file_test(freezer, G_FILE_TEST_EXISTS));
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_no_error(error);
	g_assert_false(frozen);
	g_assert_true(tender_freezer_set_frozen(fz, SCOPE, TRUE, &error));
	g_assert_no_error(error);
	freeze = read_fixture(root, SCOPE "/cgroup.freeze");
	g_assert_cmpstr(freeze, ==, "1\n");
	write_fixture(root, SCOPE "/cgroup.events", "populated 1\nfrozen 1\n");
	g_assert_true(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_true(frozen);
	g_assert_true(tender_freezer_set_frozen(fz, SCOPE, FALSE, &error));
	g_free(freeze);
	freeze = read_fixture(root, SCOPE "/cgroup.freeze");
	g_assert_cmpstr(freeze, ==, "0\n");
	g_assert_true(tender_freezer_remove(fz, SCOPE, &error));
	g_assert_no_error(error);

	/* a kernel without the freezer (before 5.2) has no "frozen" key */
	write_fixture(root, SCOPE "/cgroup.events", "populated 1\n");
	g_assert_false(tender_freezer_get_frozen(fz, SCOPE, &frozen, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_FAILED);
	remove_tree(root);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/v1/limits", test_cgroup_v1_limits);
	g_test_add_func("/cgroup/v1/unlimited", test_cgroup_v1_unlimited);
	g_test_add_func("/cgroup/v2/limits", test_cgroup_v2_limits);
	g_test_add_func("/cgroup/v2/unlimited", test_cgroup_v2_unlimited);
	g_test_add_func("/cgroup/missing", test_cgroup_missing);
	g_test_add_func("/cgroup/kill-gone", test_cgroup_kill_gone);
	g_test_add_func("/cgroup/unknown", test_cgroup_unknown);
	g_test_add_func("/cgroup/proc-parse", test_cgroup_proc_parse);
	g_test_add_func("/cgroup/v1/procs-files", test_cgroup_procs_files_v1);
	g_test_add_func("/cgroup/v2/procs-files", test_cgroup_procs_files_v2);
	g_test_add_func("/cgroup/v1/metrics", test_cgroup_v1_metrics);
	g_test_add_func("/cgroup/v1/metrics-hybrid", test_cgroup_v1_metrics_hybrid);
	g_test_add_func("/cgroup/v2/metrics", test_cgroup_v2_metrics);
	g_test_add_func("/cgroup/metrics/missing-files", test_cgroup_metrics_missing_files);
	g_test_add_func("/cgroup/metrics/malformed", test_cgroup_metrics_malformed);
	g_test_add_func("/cgroup/v1/freezer", test_cgroup_v1_freezer);
	g_test_add_func("/cgroup/v1/freezer-escapes", test_cgroup_v1_freezer_escapes);
	g_test_add_func("/cgroup/v1/freezer-not-mounted", test_cgroup_v1_freezer_not_mounted);
	g_test_add_func("/cgroup/v2/freezer", test_cgroup_v2_freezer);
	return g_test_run();
}
