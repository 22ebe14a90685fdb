/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-cgroup-private.h"
#include "tender-error.h"

/* --- metrics ---
 *
 * GetMetrics may be asked for thousands of workloads every few seconds: these readers build
 * their paths and read their files into buffers on the stack and parse them in place, without
 * allocating.  A metric whose file is missing or malformed is 0.
 */

/* a line of io.stat or blkio.*io_service_bytes is far shorter; longer ones are skipped */
#define TENDER_CGROUP_LINE_MAX 512

/* ROOT[/CONTROLLER]/CGROUP[/FILE] into @buf, as tender_cgroup_build_path() builds it */
gboolean
tender_cgroup_format_path(TenderCgroup *self,
			  gchar *buf,
			  gsize size,
			  const gchar *controller,
			  const gchar *cgroup,
			  const gchar *file)
{
	gboolean v2 = tender_cgroup_get_version(self) == TENDER_CGROUP_VERSION_2;
	gint n = g_snprintf(buf,
			    size,
			    "%s%s%s%s%s%s%s",
			    tender_cgroup_get_root(self),
			    v2 ? "" : "/",
			    v2 ? "" : (controller != NULL ? controller : "systemd"),
			    cgroup[0] == '/' ? "" : "/",
			    cgroup,
			    file != NULL ? "/" : "",
			    file != NULL ? file : "");
	return n > 0 && (gsize)n < size;
}

/* the cgroup exists in the hierarchy that tracks processes; %TENDER_ERROR_NOT_FOUND if not */
gboolean
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
gboolean
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
gboolean
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

/* "KEY N" (cpu.stat, cgroup.events) */
void
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
	if (tender_cgroup_get_version(self) == TENDER_CGROUP_VERSION_2) {
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
