/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-cgroup-private.h"
#include "tender-error.h"
#include "tender-util.h"

/*
 * TenderCgroup resolves and reads cgroup files below one root (normally /sys/fs/cgroup), so
 * that the readers can be tested on fixture trees.  Both layouts are supported:
 *   v2: ROOT/CGROUP/FILE                   (ROOT/cgroup.controllers exists)
 *   v1: ROOT/CONTROLLER/CGROUP/FILE        (one hierarchy per controller; the process
 *                                           hierarchy is ROOT/systemd, named "name=systemd")
 */

struct _TenderCgroup {
	GObject parent_instance;
	gchar *root;
	TenderCgroupVersion version;
};

G_DEFINE_TYPE(TenderCgroup, tender_cgroup, G_TYPE_OBJECT)

/* the kernel's "no limit" on v1 is PAGE_COUNTER_MAX pages: anything this big is unlimited */
#define TENDER_CGROUP_V1_UNLIMITED (G_GUINT64_CONSTANT(1) << 62)

static void
tender_cgroup_finalize(GObject *object)
{
	TenderCgroup *self = TENDER_CGROUP(object);
	g_free(self->root);
	G_OBJECT_CLASS(tender_cgroup_parent_class)->finalize(object);
}

static void
tender_cgroup_class_init(TenderCgroupClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_cgroup_finalize;
}

static void
tender_cgroup_init(TenderCgroup *self)
{
}

/**
 * tender_cgroup_new:
 * @root: (nullable): where the cgroup file systems are mounted, default /sys/fs/cgroup
 *
 * Returns: (transfer full): a #TenderCgroup; its version is detected from the tree
 */
TenderCgroup *
tender_cgroup_new(const gchar *root)
{
	TenderCgroup *self = g_object_new(TENDER_TYPE_CGROUP, NULL);
	g_autofree gchar *controllers = NULL;
	g_autofree gchar *systemd = NULL;
	g_autofree gchar *memory = NULL;

	self->root = g_strdup(root != NULL ? root : "/sys/fs/cgroup");
	controllers = g_build_filename(self->root, "cgroup.controllers", NULL);
	systemd = g_build_filename(self->root, "systemd", NULL);
	memory = g_build_filename(self->root, "memory", NULL);
	if (g_file_test(controllers, G_FILE_TEST_EXISTS))
		self->version = TENDER_CGROUP_VERSION_2;
	else if (g_file_test(systemd, G_FILE_TEST_IS_DIR) ||
		 g_file_test(memory, G_FILE_TEST_IS_DIR))
		self->version = TENDER_CGROUP_VERSION_1;
	return self;
}

/**
 * tender_cgroup_get_root:
 * @self: a #TenderCgroup
 *
 * Returns: the root directory
 */
const gchar *
tender_cgroup_get_root(TenderCgroup *self)
{
	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	return self->root;
}

/**
 * tender_cgroup_get_version:
 * @self: a #TenderCgroup
 *
 * Returns: the layout found below the root
 */
TenderCgroupVersion
tender_cgroup_get_version(TenderCgroup *self)
{
	g_return_val_if_fail(TENDER_IS_CGROUP(self), TENDER_CGROUP_VERSION_UNKNOWN);
	return self->version;
}

/**
 * tender_cgroup_build_path:
 * @self: a #TenderCgroup
 * @controller: (nullable): a v1 controller such as "memory", or %NULL for the hierarchy that
 *   tracks processes (name=systemd on v1); ignored on v2
 * @cgroup: a cgroup path such as "/tender.slice/tender-web.scope"
 * @file: (nullable): a file in that cgroup
 *
 * Returns: (transfer full): the path in the file system
 */
gchar *
tender_cgroup_build_path(TenderCgroup *self,
			 const gchar *controller,
			 const gchar *cgroup,
			 const gchar *file)
{
	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	if (self->version == TENDER_CGROUP_VERSION_2)
		return g_build_filename(self->root, cgroup, file, NULL);
	return g_build_filename(self->root,
				controller != NULL ? controller : "systemd",
				cgroup,
				file,
				NULL);
}

gboolean
tender_cgroup_read_file(TenderCgroup *self,
			const gchar *controller,
			const gchar *cgroup,
			const gchar *file,
			gchar **contents,
			GError **error)
{
	g_autofree gchar *path = tender_cgroup_build_path(self, controller, cgroup, file);

	if (g_file_get_contents(path, contents, NULL, error))
		return TRUE;
	/* a cgroup that systemd removes while it is read answers ENODEV: it is gone, as with
	 * ENOENT (RemoveWorkload failed on it) */
	if (error != NULL && g_error_matches(*error, G_FILE_ERROR, G_FILE_ERROR_NODEV))
		(*error)->code = G_FILE_ERROR_NOENT;
	tender_error_convert(error);
	return FALSE;
}

static gboolean
tender_cgroup_parse_u64(const gchar *path_hint, const gchar *text, guint64 *value, GError **error)
{
	g_autofree gchar *stripped = g_strstrip(g_strdup(text));
	if (g_strcmp0(stripped, "max") == 0) {
		*value = G_MAXUINT64;
		return TRUE;
	}
	if (!g_ascii_string_to_unsigned(stripped, 10, 0, G_MAXUINT64, value, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot parse '%s' in %s",
			    stripped,
			    path_hint);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_cgroup_read_u64:
 * @self: a #TenderCgroup
 * @controller: (nullable): see tender_cgroup_build_path()
 * @cgroup: the cgroup path
 * @file: a file holding one number, or "max"
 * @value: (out): the number; "max" is %G_MAXUINT64
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
tender_cgroup_read_u64(TenderCgroup *self,
		       const gchar *controller,
		       const gchar *cgroup,
		       const gchar *file,
		       guint64 *value,
		       GError **error)
{
	g_autofree gchar *contents = NULL;
	if (!tender_cgroup_read_file(self, controller, cgroup, file, &contents, error))
		return FALSE;
	return tender_cgroup_parse_u64(file, contents, value, error);
}

/**
 * tender_cgroup_read_keyed:
 * @self: a #TenderCgroup
 * @controller: (nullable): see tender_cgroup_build_path()
 * @cgroup: the cgroup path
 * @file: a file of "KEY VALUE" lines, such as memory.events or memory.oom_control
 * @key: the key to read
 * @value: (out): its value
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success; %TENDER_ERROR_NOT_FOUND if the key is absent
 */
gboolean
tender_cgroup_read_keyed(TenderCgroup *self,
			 const gchar *controller,
			 const gchar *cgroup,
			 const gchar *file,
			 const gchar *key,
			 guint64 *value,
			 GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	gsize keylen = strlen(key);

	if (!tender_cgroup_read_file(self, controller, cgroup, file, &contents, error))
		return FALSE;
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (strncmp(lines[i], key, keylen) == 0 && lines[i][keylen] == ' ')
			return tender_cgroup_parse_u64(file, lines[i] + keylen + 1, value, error);
	}
	g_set_error(error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND, "No key '%s' in %s", key, file);
	return FALSE;
}

static void
tender_cgroup_add_limit(GVariantBuilder *builder, const gchar *key, guint64 value)
{
	if (value == G_MAXUINT64 || value >= TENDER_CGROUP_V1_UNLIMITED)
		return;
	g_variant_builder_add(builder, "{sv}", key, g_variant_new_uint64(value));
}

/* "MAJ:MIN rbps=N wbps=N ..." (v2 io.max) or "MAJ:MIN N" (v1 blkio.throttle.*) */
static guint64
tender_cgroup_parse_io_line(const gchar *line, const gchar *field)
{
	g_auto(GStrv) words = g_strsplit_set(line, " \t", -1);
	guint64 value = G_MAXUINT64;

	if (g_strv_length(words) < 2)
		return G_MAXUINT64;
	for (guint i = 1; words[i] != NULL; i++) {
		const gchar *text = words[i];
		if (field != NULL) {
			gsize len = strlen(field);
			if (strncmp(text, field, len) != 0 || text[len] != '=')
				continue;
			text += len + 1;
		}
		if (!g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &value, NULL))
			value = G_MAXUINT64;
		break;
	}
	return value;
}

static guint64
tender_cgroup_read_io_limit(TenderCgroup *self,
			    const gchar *cgroup,
			    const gchar *v1_file,
			    const gchar *v2_field)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	gboolean v2 = self->version == TENDER_CGROUP_VERSION_2;

	if (!tender_cgroup_read_file(self,
				     "blkio",
				     cgroup,
				     v2 ? "io.max" : v1_file,
				     &contents,
				     NULL))
		return G_MAXUINT64;
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		guint64 value = tender_cgroup_parse_io_line(lines[i], v2 ? v2_field : NULL);
		if (value != G_MAXUINT64)
			return value;
	}
	return G_MAXUINT64;
}

/**
 * tender_cgroup_read_limits:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path
 * @error: (nullable): a #GError
 *
 * Reads the limits the kernel holds for @cgroup: memory_max t, cpu_quota_percent u,
 * tasks_max t, io_read_bandwidth_max t and io_write_bandwidth_max t (the first device that
 * has one).  A limit that is not set is left out.
 *
 * Returns: (transfer floating): an a{sv}, or %NULL if the cgroup does not exist
 */
GVariant *
tender_cgroup_read_limits(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	GVariantBuilder builder;
	guint64 value = 0;
	gboolean v2;
	gboolean has_quota = FALSE;
	guint64 quota = 0;
	guint64 period = 0;

	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	v2 = self->version == TENDER_CGROUP_VERSION_2;
	if (!tender_cgroup_check_exists(self, cgroup, error))
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);

	if (tender_cgroup_read_u64(self,
				   "memory",
				   cgroup,
				   v2 ? "memory.max" : "memory.limit_in_bytes",
				   &value,
				   NULL))
		tender_cgroup_add_limit(&builder, "memory_max", value);

	/* the CPU quota per period: cpu.max "QUOTA PERIOD" on v2 ("max PERIOD" without one),
	 * cpu.cfs_quota_us and cpu.cfs_period_us on v1 (a quota of -1 without one) */
	if (v2) {
		g_autofree gchar *contents = NULL;
		if (tender_cgroup_read_file(self, "cpu", cgroup, "cpu.max", &contents, NULL)) {
			g_auto(GStrv) words = g_strsplit_set(g_strstrip(contents), " ", -1);
			has_quota =
			    g_strv_length(words) == 2 &&
			    g_ascii_string_to_unsigned(words[0],
						       10,
						       1,
						       G_MAXUINT64,
						       &quota,
						       NULL) &&
			    g_ascii_string_to_unsigned(words[1], 10, 1, G_MAXUINT64, &period, NULL);
		}
	} else {
		g_autofree gchar *quota_text = NULL;
		if (tender_cgroup_read_file(self,
					    "cpu",
					    cgroup,
					    "cpu.cfs_quota_us",
					    &quota_text,
					    NULL) &&
		    tender_cgroup_read_u64(self,
					   "cpu",
					   cgroup,
					   "cpu.cfs_period_us",
					   &period,
					   NULL) &&
		    period > 0) {
			gint64 quota_us = g_ascii_strtoll(quota_text, NULL, 10);
			has_quota = quota_us > 0;
			quota = has_quota ? (guint64)quota_us : 0;
		}
	}
	if (has_quota)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "cpu_quota_percent",
				      g_variant_new_uint32((guint32)(quota * 100 / period)));

	if (tender_cgroup_read_u64(self, "pids", cgroup, "pids.max", &value, NULL))
		tender_cgroup_add_limit(&builder, "tasks_max", value);

	tender_cgroup_add_limit(&builder,
				"io_read_bandwidth_max",
				tender_cgroup_read_io_limit(self,
							    cgroup,
							    "blkio.throttle.read_bps_device",
							    "rbps"));
	tender_cgroup_add_limit(&builder,
				"io_write_bandwidth_max",
				tender_cgroup_read_io_limit(self,
							    cgroup,
							    "blkio.throttle.write_bps_device",
							    "wbps"));
	return g_variant_builder_end(&builder);
}

/**
 * tender_cgroup_get_pids:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (element-type GPid): the processes in @cgroup
 */
GArray *
tender_cgroup_get_pids(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GArray) pids = g_array_new(FALSE, FALSE, sizeof(GPid));

	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	if (!tender_cgroup_read_file(self, NULL, cgroup, "cgroup.procs", &contents, error))
		return NULL;
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		guint64 pid = 0;
		if (lines[i][0] == '\0')
			continue;
		if (!g_ascii_string_to_unsigned(lines[i], 10, 1, G_MAXINT32, &pid, NULL))
			continue;
		g_array_append_val(pids, (GPid){(GPid)pid});
	}
	return g_steal_pointer(&pids);
}

/**
 * tender_cgroup_kill:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path
 * @signo: the signal
 * @exclude: a process to spare (tender-shim), or 0
 * @n_signalled: (out) (optional): how many processes were signalled
 * @error: (nullable): a #GError
 *
 * Sends @signo to every process in @cgroup but @exclude.  A process that is gone already is
 * not an error, nor is a cgroup that is gone already (systemd removes a scope's cgroup once
 * its last process has exited): nothing is signalled then.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_cgroup_kill(TenderCgroup *self,
		   const gchar *cgroup,
		   gint signo,
		   GPid exclude,
		   guint *n_signalled,
		   GError **error)
{
	g_autoptr(GError) local_error = NULL;
	g_autoptr(GArray) pids = tender_cgroup_get_pids(self, cgroup, &local_error);
	guint n = 0;

	if (n_signalled != NULL)
		*n_signalled = 0;
	if (pids == NULL) {
		if (g_error_matches(local_error, TENDER_ERROR, TENDER_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&local_error));
		return FALSE;
	}
	for (guint i = 0; i < pids->len; i++) {
		GPid pid = g_array_index(pids, GPid, i);
		if (pid == exclude)
			continue;
		if (kill(pid, signo) == 0) {
			n++;
		} else if (errno != ESRCH) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot send signal %d to process %d: %s",
				    signo,
				    (gint)pid,
				    g_strerror(errno));
			return FALSE;
		}
	}
	if (n_signalled != NULL)
		*n_signalled = n;
	return TRUE;
}

/**
 * tender_cgroup_parse_proc_cgroup:
 * @contents: the text of /proc/PID/cgroup
 * @controller: (nullable): a v1 controller ("memory", "name=systemd"), or %NULL for the
 *   v2 entry ("0::")
 *
 * Returns: (transfer full) (nullable): the process's cgroup path in that hierarchy
 */
gchar *
tender_cgroup_parse_proc_cgroup(const gchar *contents, const gchar *controller)
{
	g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(lines[i], ":", 3);
		if (g_strv_length(parts) != 3)
			continue;
		if (controller == NULL) {
			if (g_strcmp0(parts[0], "0") == 0 && parts[1][0] == '\0')
				return g_strdup(parts[2]);
			continue;
		}
		{
			g_auto(GStrv) ctrls = g_strsplit(parts[1], ",", -1);
			if (g_strv_contains((const gchar *const *)ctrls, controller))
				return g_strdup(parts[2]);
		}
	}
	return NULL;
}

static gint
tender_cgroup_strcmp_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * tender_cgroup_get_procs_files:
 * @self: a #TenderCgroup
 * @cgroup: a cgroup path such as "/tender.slice/tender-web.scope"
 * @error: (nullable): a #GError
 *
 * The files a process writes "0" into to join @cgroup as its processes are: on v2 the one
 * cgroup.procs of the unified hierarchy; on v1 a cgroup.procs in each hierarchy, name=systemd
 * (and the unified one of a hybrid layout) included: that of @cgroup where it has a
 * directory, else that of its nearest ancestor, as systemd places a scope's processes in a
 * hierarchy the scope has no directory in.  A hierarchy mounted under several names
 * (symbolic links such as cpu → cpu,cpuacct) is listed once; directories below the root
 * that hold no cgroup.procs are no hierarchies and are left out.
 *
 * Returns: (transfer full): the paths, sorted; %NULL with %TENDER_ERROR_NOT_FOUND if @cgroup
 *   does not exist
 */
gchar **
tender_cgroup_get_procs_files(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *tracking = NULL;

	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	if (!tender_cgroup_check_exists(self, cgroup, error))
		return NULL;
	tracking = tender_cgroup_build_path(self, NULL, cgroup, NULL);
	if (self->version == TENDER_CGROUP_VERSION_2) {
		g_ptr_array_add(files, g_build_filename(tracking, "cgroup.procs", NULL));
	} else {
		g_autoptr(GDir) dir = g_dir_open(self->root, 0, NULL);
		const gchar *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *mount = g_build_filename(self->root, name, NULL);
			g_autofree gchar *path = NULL;
			if (g_file_test(mount, G_FILE_TEST_IS_SYMLINK) ||
			    !g_file_test(mount, G_FILE_TEST_IS_DIR))
				continue;
			path = g_build_filename(mount, cgroup, NULL);
			while (strlen(path) >= strlen(mount)) {
				g_autofree gchar *procs =
				    g_build_filename(path, "cgroup.procs", NULL);
				g_autofree gchar *parent = NULL;
				if (g_file_test(procs, G_FILE_TEST_EXISTS)) {
					g_ptr_array_add(files, g_steal_pointer(&procs));
					break;
				}
				if (strcmp(path, mount) == 0)
					break;
				parent = g_path_get_dirname(path);
				g_free(path);
				path = g_steal_pointer(&parent);
			}
		}
		g_ptr_array_sort(files, tender_cgroup_strcmp_cb);
	}
	g_ptr_array_add(files, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&files), FALSE);
}
