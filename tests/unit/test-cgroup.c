/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "tender-cgroup.h"
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

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cgroup/v1/limits", test_cgroup_v1_limits);
	g_test_add_func("/cgroup/v1/unlimited", test_cgroup_v1_unlimited);
	g_test_add_func("/cgroup/v2/limits", test_cgroup_v2_limits);
	g_test_add_func("/cgroup/v2/unlimited", test_cgroup_v2_unlimited);
	g_test_add_func("/cgroup/missing", test_cgroup_missing);
	g_test_add_func("/cgroup/unknown", test_cgroup_unknown);
	g_test_add_func("/cgroup/proc-parse", test_cgroup_proc_parse);
	g_test_add_func("/cgroup/v1/procs-files", test_cgroup_procs_files_v1);
	g_test_add_func("/cgroup/v2/procs-files", test_cgroup_procs_files_v2);
	return g_test_run();
}
