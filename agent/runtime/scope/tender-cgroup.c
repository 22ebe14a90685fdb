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

#include "tender-cgroup.h"
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

static gboolean
tender_cgroup_read_file(TenderCgroup *self,
			const gchar *controller,
			const gchar *cgroup,
			const gchar *file,
			gchar **contents,
			GError **error)
{
	g_autofree gchar *path = tender_cgroup_build_path(self, controller, cgroup, file);
	if (!g_file_get_contents(path, contents, NULL, error)) {
		tender_error_convert(error);
		return FALSE;
	}
	return TRUE;
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
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(TENDER_IS_CGROUP(self), NULL);
	v2 = self->version == TENDER_CGROUP_VERSION_2;
	dir = tender_cgroup_build_path(self, NULL, cgroup, NULL);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "Control group %s does not exist",
			    cgroup);
		return NULL;
	}
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);

	if (tender_cgroup_read_u64(self,
				   "memory",
				   cgroup,
				   v2 ? "memory.max" : "memory.limit_in_bytes",
				   &value,
				   NULL))
		tender_cgroup_add_limit(&builder, "memory_max", value);

	if (v2) {
		g_autofree gchar *contents = NULL;
		if (tender_cgroup_read_file(self, "cpu", cgroup, "cpu.max", &contents, NULL)) {
			g_auto(GStrv) words = g_strsplit_set(g_strstrip(contents), " ", -1);
			guint64 quota = 0;
			guint64 period = 0;
			if (g_strv_length(words) == 2 &&
			    g_ascii_string_to_unsigned(words[0],
						       10,
						       1,
						       G_MAXUINT64,
						       &quota,
						       NULL) &&
			    g_ascii_string_to_unsigned(words[1], 10, 1, G_MAXUINT64, &period, NULL))
				g_variant_builder_add(&builder,
						      "{sv}",
						      "cpu_quota_percent",
						      g_variant_new_uint32(
							  (guint32)(quota * 100 / period)));
		}
	} else {
		g_autofree gchar *quota_text = NULL;
		guint64 period = 0;
		gint64 quota = -1;
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
			quota = g_ascii_strtoll(quota_text, NULL, 10);
			if (quota > 0)
				g_variant_builder_add(&builder,
						      "{sv}",
						      "cpu_quota_percent",
						      g_variant_new_uint32((
							  guint32)((guint64)quota * 100 / period)));
		}
	}

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
	tracking = tender_cgroup_build_path(self, NULL, cgroup, NULL);
	if (!g_file_test(tracking, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "Control group %s does not exist",
			    cgroup);
		return NULL;
	}
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

/* --- metrics ---
 *
 * GetMetrics may be asked for thousands of workloads every few seconds: these readers build
 * their paths and read their files into buffers on the stack and parse them in place, without
 * allocating.  A metric whose file is missing or malformed is 0.
 */

/* a line of io.stat or blkio.*io_service_bytes is far shorter; longer ones are skipped */
#define TENDER_CGROUP_LINE_MAX 512

typedef void (*TenderCgroupLineFunc)(gchar *line, gpointer user_data);

/* ROOT[/CONTROLLER]/CGROUP[/FILE] into @buf, as tender_cgroup_build_path() builds it */
static gboolean
tender_cgroup_format_path(TenderCgroup *self,
			  gchar *buf,
			  gsize size,
			  const gchar *controller,
			  const gchar *cgroup,
			  const gchar *file)
{
	gboolean v2 = self->version == TENDER_CGROUP_VERSION_2;
	gint n = g_snprintf(buf,
			    size,
			    "%s%s%s%s%s%s%s",
			    self->root,
			    v2 ? "" : "/",
			    v2 ? "" : (controller != NULL ? controller : "systemd"),
			    cgroup[0] == '/' ? "" : "/",
			    cgroup,
			    file != NULL ? "/" : "",
			    file != NULL ? file : "");
	return n > 0 && (gsize)n < size;
}

/* the cgroup exists in the hierarchy that tracks processes; %TENDER_ERROR_NOT_FOUND if not */
static gboolean
tender_cgroup_check_exists(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	gchar path[PATH_MAX];
	struct stat st;

	if (tender_cgroup_format_path(self, path, sizeof(path), NULL, cgroup, NULL) &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_NOT_FOUND,
		    "Control group %s does not exist",
		    cgroup);
	return FALSE;
}

/* the decimal number at @text, which must start with a digit; FALSE if it has more than 64 bits */
static gboolean
tender_cgroup_parse_decimal(const gchar *text, const gchar **end, guint64 *value)
{
	guint64 v = 0;
	const gchar *p = text;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		guint digit = (guint)(*p - '0');
		if (v > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		v = v * 10 + digit;
	}
	*end = p;
	*value = v;
	return TRUE;
}

static gboolean
tender_cgroup_is_blank(const gchar *text)
{
	for (; *text != '\0'; text++) {
		if (!g_ascii_isspace(*text))
			return FALSE;
	}
	return TRUE;
}

static guint64
tender_cgroup_add_saturated(guint64 a, guint64 b)
{
	return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

/* "N", optionally followed by white space; FALSE for anything else */
static gboolean
tender_cgroup_parse_number(const gchar *text, guint64 *value)
{
	const gchar *end = NULL;

	return tender_cgroup_parse_decimal(text, &end, value) && tender_cgroup_is_blank(end);
}

/* reads a file of at most @size - 1 bytes into @buf; FALSE with errno set if it cannot */
static gboolean
tender_cgroup_read_buffer(const gchar *path, gchar *buf, gsize size)
{
	gsize len = 0;
	gint fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return FALSE;
	while (len < size - 1) {
		gssize n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint saved = errno;
			(void)close(fd);
			errno = saved;
			return FALSE;
		}
		if (n == 0)
			break;
		len += (gsize)n;
	}
	(void)close(fd);
	buf[len] = '\0';
	return TRUE;
}

/* a file holding one number; FALSE, and 0, if it is missing or holds something else */
static gboolean
tender_cgroup_read_number(TenderCgroup *self,
			  const gchar *controller,
			  const gchar *cgroup,
			  const gchar *file,
			  guint64 *value)
{
	gchar path[PATH_MAX];
	gchar buf[64];

	*value = 0;
	if (tender_cgroup_format_path(self, path, sizeof(path), controller, cgroup, file) &&
	    tender_cgroup_read_buffer(path, buf, sizeof(buf)) &&
	    tender_cgroup_parse_number(buf, value))
		return TRUE;
	*value = 0;
	return FALSE;
}

/* calls @func for each line of a file of any length, without its newline; FALSE (errno set)
 * if the file cannot be opened */
static gboolean
tender_cgroup_foreach_line(const gchar *path, TenderCgroupLineFunc func, gpointer user_data)
{
	gchar buf[TENDER_CGROUP_LINE_MAX];
	gsize len = 0;
	gboolean skipping = FALSE; /* in a line too long for the buffer */
	gint fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return FALSE;
	for (;;) {
		gssize n = read(fd, buf + len, sizeof(buf) - 1 - len);
		gsize start = 0;
		gchar *newline;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (gsize)n;
		while ((newline = memchr(buf + start, '\n', len - start)) != NULL) {
			*newline = '\0';
			if (!skipping)
				func(buf + start, user_data);
			skipping = FALSE;
			start = (gsize)(newline - buf) + 1;
		}
		memmove(buf, buf + start, len - start);
		len -= start;
		if (len == sizeof(buf) - 1) {
			skipping = TRUE;
			len = 0;
		}
	}
	if (len > 0 && !skipping) {
		buf[len] = '\0';
		func(buf, user_data);
	}
	(void)close(fd);
	return TRUE;
}

typedef struct {
	const gchar *key;
	guint64 value;
	gboolean found;
} TenderCgroupKeyed;

/* "KEY N" (cpu.stat, cgroup.events) */
static void
tender_cgroup_keyed_line_cb(gchar *line, gpointer user_data)
{
	TenderCgroupKeyed *keyed = user_data;
	gsize len = strlen(keyed->key);

	if (keyed->found || strncmp(line, keyed->key, len) != 0 || line[len] != ' ')
		return;
	keyed->found = tender_cgroup_parse_number(line + len + 1, &keyed->value);
}

/* "MAJ:MIN Read N" and "MAJ:MIN Write N" of blkio.*io_service_bytes; "Total N" is no device */
static void
tender_cgroup_blkio_line_cb(gchar *line, gpointer user_data)
{
	TenderCgroupMetrics *metrics = user_data;
	gchar *op = strchr(line, ' ');
	gchar *colon = strchr(line, ':');
	gchar *number;
	guint64 value = 0;

	if (op == NULL || colon == NULL || colon > op)
		return;
	op++;
	number = strchr(op, ' ');
	if (number == NULL)
		return;
	*number++ = '\0';
	if (!tender_cgroup_parse_number(number, &value))
		return;
	if (strcmp(op, "Read") == 0)
		metrics->io_read_bytes = tender_cgroup_add_saturated(metrics->io_read_bytes, value);
	else if (strcmp(op, "Write") == 0)
		metrics->io_write_bytes =
		    tender_cgroup_add_saturated(metrics->io_write_bytes, value);
}

/* "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" of io.stat */
static void
tender_cgroup_io_stat_line_cb(gchar *line, gpointer user_data)
{
	TenderCgroupMetrics *metrics = user_data;
	gchar *space = strchr(line, ' ');
	gchar *colon = strchr(line, ':');

	if (space == NULL || colon == NULL || colon > space)
		return;
	while (space != NULL) {
		gchar *word = space + 1;
		guint64 value = 0;
		space = strchr(word, ' ');
		if (space != NULL)
			*space = '\0';
		if (g_str_has_prefix(word, "rbytes=") &&
		    tender_cgroup_parse_number(word + strlen("rbytes="), &value))
			metrics->io_read_bytes =
			    tender_cgroup_add_saturated(metrics->io_read_bytes, value);
		else if (g_str_has_prefix(word, "wbytes=") &&
			 tender_cgroup_parse_number(word + strlen("wbytes="), &value))
			metrics->io_write_bytes =
			    tender_cgroup_add_saturated(metrics->io_write_bytes, value);
	}
}

/* the block I/O of a v1 cgroup, from the first of the blkio statistics the kernel has */
static void
tender_cgroup_read_blkio(TenderCgroup *self, const gchar *cgroup, TenderCgroupMetrics *metrics)
{
	const gchar *files[] = {"blkio.throttle.io_service_bytes_recursive",
				"blkio.throttle.io_service_bytes",
				"blkio.io_service_bytes_recursive",
				"blkio.io_service_bytes",
				NULL};
	gchar path[PATH_MAX];

	for (guint i = 0; files[i] != NULL; i++) {
		if (tender_cgroup_format_path(self,
					      path,
					      sizeof(path),
					      "blkio",
					      cgroup,
					      files[i]) &&
		    tender_cgroup_foreach_line(path, tender_cgroup_blkio_line_cb, metrics))
			return;
	}
}

/* usage_usec of cpu.stat (v2, or the unified hierarchy of a v1 hybrid layout), in ns */
static gboolean
tender_cgroup_read_cpu_stat(TenderCgroup *self,
			    const gchar *controller,
			    const gchar *cgroup,
			    guint64 *nsec)
{
	gchar path[PATH_MAX];
	TenderCgroupKeyed usage = {"usage_usec", 0, FALSE};

	*nsec = 0;
	if (!tender_cgroup_format_path(self, path, sizeof(path), controller, cgroup, "cpu.stat") ||
	    !tender_cgroup_foreach_line(path, tender_cgroup_keyed_line_cb, &usage) || !usage.found)
		return FALSE;
	*nsec = usage.value > G_MAXUINT64 / 1000 ? G_MAXUINT64 : usage.value * 1000;
	return TRUE;
}

/**
 * tender_cgroup_read_metrics:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path
 * @metrics: (out caller-allocates): what the kernel says
 * @error: (nullable): a #GError
 *
 * Reads the usage of @cgroup: v1 cpuacct.usage (or, where systemd did not put the scope in the
 * cpuacct hierarchy, cpu.stat usage_usec of the unified hierarchy of a hybrid layout),
 * memory.usage_in_bytes, memory.max_usage_in_bytes, pids.current and blkio's
 * io_service_bytes; v2 cpu.stat usage_usec, memory.current, memory.peak, pids.current and
 * io.stat.  The block I/O is summed over all devices.  A metric whose file is missing or
 * cannot be parsed is 0.  Allocates nothing unless it fails.
 *
 * Returns: %TRUE on success; %TENDER_ERROR_NOT_FOUND if @cgroup does not exist
 */
gboolean
tender_cgroup_read_metrics(TenderCgroup *self,
			   const gchar *cgroup,
			   TenderCgroupMetrics *metrics,
			   GError **error)
{
	gchar path[PATH_MAX];

	g_return_val_if_fail(TENDER_IS_CGROUP(self), FALSE);
	g_return_val_if_fail(cgroup != NULL, FALSE);
	memset(metrics, 0, sizeof(*metrics));
	if (!tender_cgroup_check_exists(self, cgroup, error))
		return FALSE;
	if (self->version == TENDER_CGROUP_VERSION_2) {
		(void)tender_cgroup_read_cpu_stat(self, NULL, cgroup, &metrics->cpu_usage_nsec);
		(void)tender_cgroup_read_number(self,
						NULL,
						cgroup,
						"memory.current",
						&metrics->memory_bytes);
		(void)tender_cgroup_read_number(self,
						NULL,
						cgroup,
						"memory.peak",
						&metrics->memory_peak_bytes);
		if (tender_cgroup_format_path(self, path, sizeof(path), NULL, cgroup, "io.stat"))
			(void)tender_cgroup_foreach_line(path,
							 tender_cgroup_io_stat_line_cb,
							 metrics);
	} else {
		/* systemd puts a scope in the cpuacct hierarchy only where it is mounted together
		 * with cpu; otherwise the unified hierarchy of a hybrid layout has the usage */
		if (!tender_cgroup_read_number(self,
					       "cpuacct",
					       cgroup,
					       "cpuacct.usage",
					       &metrics->cpu_usage_nsec))
			(void)tender_cgroup_read_cpu_stat(self,
							  "unified",
							  cgroup,
							  &metrics->cpu_usage_nsec);
		(void)tender_cgroup_read_number(self,
						"memory",
						cgroup,
						"memory.usage_in_bytes",
						&metrics->memory_bytes);
		(void)tender_cgroup_read_number(self,
						"memory",
						cgroup,
						"memory.max_usage_in_bytes",
						&metrics->memory_peak_bytes);
		tender_cgroup_read_blkio(self, cgroup, metrics);
	}
	(void)tender_cgroup_read_number(self, "pids", cgroup, "pids.current", &metrics->tasks);
	return TRUE;
}

/* --- the freezer ---
 *
 * On cgroup v2 the scope's own cgroup is frozen (cgroup.freeze).  On v1, systemd does not
 * manage the freezer hierarchy: the scope's processes are moved into a cgroup of the same
 * path in it (ROOT/freezer/CGROUP), which is then frozen with freezer.state.
 */

/* how often the scope is searched for processes that escaped the move into the freezer */
#define TENDER_CGROUP_FREEZER_ROUNDS 64

static gboolean
tender_cgroup_write_string(TenderCgroup *self,
			   const gchar *controller,
			   const gchar *cgroup,
			   const gchar *file,
			   const gchar *text,
			   gint flags,
			   GError **error)
{
	gchar path[PATH_MAX];
	gsize len = strlen(text);
	gssize n;
	gint fd;

	if (!tender_cgroup_format_path(self, path, sizeof(path), controller, cgroup, file)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The control group path %s is too long",
			    cgroup);
		return FALSE;
	}
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | flags);
	if (fd < 0) {
		gint saved = errno;
		g_set_error(error,
			    TENDER_ERROR,
			    saved == ENOENT ? TENDER_ERROR_NOT_FOUND : TENDER_ERROR_FAILED,
			    "Cannot open %s: %s",
			    path,
			    g_strerror(saved));
		errno = saved;
		return FALSE;
	}
	do {
		n = write(fd, text, len);
	} while (n < 0 && errno == EINTR);
	if (n != (gssize)len) {
		gint saved = n < 0 ? errno : EIO;
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot write '%.*s' to %s: %s",
			    (gint)strcspn(text, "\n"),
			    text,
			    path,
			    g_strerror(saved));
		errno = saved;
		return FALSE;
	}
	(void)close(fd);
	return TRUE;
}

/* the processes of @cgroup in one hierarchy, as a set */
static GHashTable *
tender_cgroup_get_pid_set(TenderCgroup *self,
			  const gchar *controller,
			  const gchar *cgroup,
			  GError **error)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GHashTable) set = g_hash_table_new(g_direct_hash, g_direct_equal);

	if (!tender_cgroup_read_file(self, controller, cgroup, "cgroup.procs", &contents, error))
		return NULL;
	lines = g_strsplit(contents, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		guint64 pid = 0;
		if (g_ascii_string_to_unsigned(lines[i], 10, 1, G_MAXINT32, &pid, NULL))
			g_hash_table_add(set, GUINT_TO_POINTER((guint)pid));
	}
	return g_steal_pointer(&set);
}

/**
 * tender_cgroup_join_freezer:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path of a scope
 * @error: (nullable): a #GError
 *
 * On cgroup v1, creates the cgroup of the same path in the freezer hierarchy and moves every
 * process of @cgroup into it, again and again until none is left outside: a process forked
 * during the move does not escape.  Nothing to do on v2.
 *
 * Returns: %TRUE once every process of @cgroup is in its freezer cgroup
 */
gboolean
tender_cgroup_join_freezer(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	g_autofree gchar *dir = NULL;

	g_return_val_if_fail(TENDER_IS_CGROUP(self), FALSE);
	if (self->version == TENDER_CGROUP_VERSION_2)
		return TRUE;
	if (!tender_cgroup_check_exists(self, cgroup, error))
		return FALSE;
	dir = g_build_filename(self->root, "freezer", NULL);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The cgroup v1 freezer is not mounted at %s",
			    dir);
		return FALSE;
	}
	g_free(dir);
	dir = tender_cgroup_build_path(self, "freezer", cgroup, NULL);
	if (!tender_util_mkdir_with_parents(dir, 0755, error))
		return FALSE;
	for (guint round = 0; round < TENDER_CGROUP_FREEZER_ROUNDS; round++) {
		g_autoptr(GHashTable) scope = tender_cgroup_get_pid_set(self, NULL, cgroup, error);
		g_autoptr(GHashTable) frozen = NULL;
		GHashTableIter iter;
		gpointer key;
		guint moved = 0;

		if (scope == NULL)
			return FALSE;
		frozen = tender_cgroup_get_pid_set(self, "freezer", cgroup, error);
		if (frozen == NULL)
			return FALSE;
		g_hash_table_iter_init(&iter, scope);
		while (g_hash_table_iter_next(&iter, &key, NULL)) {
			gchar pid[16];
			g_autoptr(GError) error_local = NULL;
			if (g_hash_table_contains(frozen, key))
				continue;
			moved++;
			g_snprintf(pid, sizeof(pid), "%u\n", GPOINTER_TO_UINT(key));
			if (tender_cgroup_write_string(self,
						       "freezer",
						       cgroup,
						       "cgroup.procs",
						       pid,
						       O_APPEND,
						       &error_local))
				continue;
			/* a process that is gone already needs no freezing */
			if (errno == ESRCH)
				continue;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (moved == 0)
			return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "New processes kept appearing in %s while they were moved into the freezer",
		    cgroup);
	return FALSE;
}

/**
 * tender_cgroup_set_frozen:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path of a scope
 * @frozen: %TRUE to freeze, %FALSE to thaw
 * @error: (nullable): a #GError
 *
 * Asks the kernel to freeze or thaw @cgroup: v1 freezer.state in the freezer hierarchy (see
 * tender_cgroup_join_freezer()), v2 cgroup.freeze.  Freezing takes a while: wait until
 * tender_cgroup_get_frozen() says so.  Thawing a v1 scope that has no freezer cgroup (it was
 * never frozen) does nothing.
 *
 * Returns: %TRUE if the kernel took the request
 */
gboolean
tender_cgroup_set_frozen(TenderCgroup *self, const gchar *cgroup, gboolean frozen, GError **error)
{
	g_return_val_if_fail(TENDER_IS_CGROUP(self), FALSE);
	if (self->version == TENDER_CGROUP_VERSION_2)
		return tender_cgroup_write_string(self,
						  NULL,
						  cgroup,
						  "cgroup.freeze",
						  frozen ? "1\n" : "0\n",
						  O_TRUNC,
						  error);
	if (!frozen) {
		/* a scope that never was frozen has no freezer cgroup: it is thawed */
		gchar path[PATH_MAX];
		if (tender_cgroup_format_path(self, path, sizeof(path), "freezer", cgroup, NULL) &&
		    access(path, F_OK) < 0 && errno == ENOENT)
			return TRUE;
	}
	return tender_cgroup_write_string(self,
					  "freezer",
					  cgroup,
					  "freezer.state",
					  frozen ? "FROZEN\n" : "THAWED\n",
					  O_TRUNC,
					  error);
}

/**
 * tender_cgroup_get_frozen:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path of a scope
 * @frozen: (out): %TRUE if every process of @cgroup is frozen
 * @error: (nullable): a #GError
 *
 * Tells whether @cgroup is frozen: v1 freezer.state is FROZEN (not merely FREEZING) in the
 * freezer hierarchy, v2 cgroup.events says "frozen 1".  On v1 a scope that never was frozen
 * has no freezer cgroup, and is not frozen.
 *
 * Returns: %TRUE on success; %TENDER_ERROR_NOT_FOUND if @cgroup does not exist
 */
gboolean
tender_cgroup_get_frozen(TenderCgroup *self, const gchar *cgroup, gboolean *frozen, GError **error)
{
	gchar path[PATH_MAX];
	gchar buf[64];

	g_return_val_if_fail(TENDER_IS_CGROUP(self), FALSE);
	*frozen = FALSE;
	if (!tender_cgroup_check_exists(self, cgroup, error))
		return FALSE;
	if (self->version == TENDER_CGROUP_VERSION_2) {
		TenderCgroupKeyed events = {"frozen", 0, FALSE};
		if (!tender_cgroup_format_path(self,
					       path,
					       sizeof(path),
					       NULL,
					       cgroup,
					       "cgroup.events") ||
		    !tender_cgroup_foreach_line(path, tender_cgroup_keyed_line_cb, &events) ||
		    !events.found) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot read the freezer state of %s from cgroup.events",
				    cgroup);
			return FALSE;
		}
		*frozen = events.value == 1;
		return TRUE;
	}
	if (!tender_cgroup_format_path(self,
				       path,
				       sizeof(path),
				       "freezer",
				       cgroup,
				       "freezer.state"))
		return TRUE;
	if (!tender_cgroup_read_buffer(path, buf, sizeof(buf))) {
		if (errno == ENOENT)
			return TRUE;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot read %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	g_strchomp(buf);
	if (strcmp(buf, "FROZEN") == 0) {
		*frozen = TRUE;
	} else if (strcmp(buf, "FREEZING") != 0 && strcmp(buf, "THAWED") != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Unknown freezer state '%s' in %s",
			    buf,
			    path);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_cgroup_remove_freezer:
 * @self: a #TenderCgroup
 * @cgroup: the cgroup path of a scope
 * @error: (nullable): a #GError
 *
 * Removes the freezer cgroup that tender_cgroup_join_freezer() made (v1); one that does not
 * exist is no error.  Nothing to do on v2.
 *
 * Returns: %TRUE if it is gone; %TENDER_ERROR_INVALID_STATE while processes are still in it
 */
gboolean
tender_cgroup_remove_freezer(TenderCgroup *self, const gchar *cgroup, GError **error)
{
	gchar path[PATH_MAX];

	g_return_val_if_fail(TENDER_IS_CGROUP(self), FALSE);
	if (self->version == TENDER_CGROUP_VERSION_2)
		return TRUE;
	if (!tender_cgroup_format_path(self, path, sizeof(path), "freezer", cgroup, NULL))
		return TRUE;
	if (rmdir(path) == 0 || errno == ENOENT) {
		/* and the slices made for it, once no other scope needs them: a process that
		 * joins the scope's nearest cgroup in each hierarchy (a health check) must not
		 * find a stray tender.slice in the freezer hierarchy */
		gchar root[PATH_MAX];
		gchar *slash;
		if (!tender_cgroup_format_path(self, root, sizeof(root), "freezer", "/", NULL))
			return TRUE;
		while ((slash = strrchr(path, '/')) != NULL) {
			*slash = '\0';
			if (strlen(path) <= strlen(root) || rmdir(path) < 0)
				break;
		}
		return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    errno == EBUSY ? TENDER_ERROR_INVALID_STATE : TENDER_ERROR_FAILED,
		    "Cannot remove %s: %s",
		    path,
		    g_strerror(errno));
	return FALSE;
}
