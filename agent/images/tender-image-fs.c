/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-image-fs.h"
#include "tender-units.h"

/*
 * The file system work of the image store, all of it relative to directory descriptors and
 * none of it following a symbolic link: an image's tree is the archive's, and whatever links
 * it holds point into the container's root, not the host's.  Paths inside an image are
 * normalized first (tender_image_fs_normalize()): relative, without "." or "..".
 */

/**
 * tender_image_limits_add:
 * @limits: the import's limits
 * @bytes: what is about to be written
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_LIMIT_REACHED once the import would write more
 *   than max-size, or with %G_IO_ERROR_CANCELLED
 */
gboolean
tender_image_limits_add(TenderImageLimits *limits, guint64 bytes, GError **error)
{
	if (g_cancellable_set_error_if_cancelled(limits->cancellable, error))
		return FALSE;
	if (bytes > limits->max_size || limits->unpacked > limits->max_size - bytes) {
		g_autofree gchar *max = tender_units_format_size(limits->max_size);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "The image is larger than [images] max-size (%s) unpacked",
			    max);
		return FALSE;
	}
	limits->unpacked += bytes;
	return TRUE;
}

/**
 * tender_image_fs_normalize:
 * @path: the name of an archive entry
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (nullable): @path without "." components, repeated or trailing
 *   slashes ("" for the root itself), or %NULL with %TENDER_ERROR_INVALID_ARGUMENT for an
 *   absolute path, a ".." component or one too deep
 */
gchar *
tender_image_fs_normalize(const gchar *path, GError **error)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	guint depth = 0;

	if (path == NULL || path[0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: an entry without a name");
		return NULL;
	}
	if (path[0] == '/') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: the entry '%s' is an absolute path",
			    path);
		return NULL;
	}
	parts = g_strsplit(path, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0' || g_strcmp0(parts[i], ".") == 0)
			continue;
		if (g_strcmp0(parts[i], "..") == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: the entry '%s' has a '..' component (path traversal)",
				    path);
			return NULL;
		}
		if (++depth > TENDER_IMAGE_FS_DEPTH_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: the entry '%.64s...' is more than %u directories "
				    "deep",
				    path,
				    (guint)TENDER_IMAGE_FS_DEPTH_MAX);
			return NULL;
		}
		if (out->len > 0)
			g_string_append_c(out, '/');
		g_string_append(out, parts[i]);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * tender_image_fs_link_escapes:
 * @path: a normalized entry, a symbolic link
 * @target: what it points to
 *
 * A relative target is resolved from the link's directory: it escapes when its ".." climb
 * above the image's root.  An absolute target is the container's own path (the container's
 * root is the image), so it never escapes; tenderd itself never follows a link of an image.
 *
 * Returns: whether @target leaves the image
 */
gboolean
tender_image_fs_link_escapes(const gchar *path, const gchar *target)
{
	g_auto(GStrv) parts = NULL;
	gint depth = 0;

	if (target[0] == '/')
		return FALSE;
	for (const gchar *p = path; *p != '\0'; p++) {
		if (*p == '/')
			depth++;
	}
	parts = g_strsplit(target, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0' || g_strcmp0(parts[i], ".") == 0)
			continue;
		if (g_strcmp0(parts[i], "..") == 0) {
			if (--depth < 0)
				return TRUE;
			continue;
		}
		depth++;
	}
	return FALSE;
}

/**
 * tender_image_fs_check_link:
 * @path: a normalized entry, a symbolic link
 * @target: (nullable): what it points to
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_INVALID_ARGUMENT if @target is empty or
 *   leaves the image (tender_image_fs_link_escapes())
 */
gboolean
tender_image_fs_check_link(const gchar *path, const gchar *target, GError **error)
{
	if (target != NULL && target[0] != '\0' && !tender_image_fs_link_escapes(path, target))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Refused: the symbolic link '%s' points to '%s', outside the image",
		    path,
		    target != NULL ? target : "");
	return FALSE;
}

/**
 * tender_image_fs_open_parent:
 * @rootfd: the image's root
 * @path: a normalized path below it, not ""
 * @base: (out): its last component, in @path
 * @error: (nullable): a #GError
 *
 * Opens the directory @path is in, following no symbolic link on the way.
 *
 * Returns: a descriptor (O_PATH), or -1 with %G_IO_ERROR_NOT_FOUND when a directory on the
 *   way does not exist, or with %TENDER_ERROR_INVALID_ARGUMENT when one is a symbolic link or
 *   not a directory
 */
gint
tender_image_fs_open_parent(gint rootfd, const gchar *path, const gchar **base, GError **error)
{
	const gchar *slash = strrchr(path, '/');
	g_auto(GStrv) parts = NULL;
	g_autofree gchar *dir = NULL;
	gint cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);

	*base = slash != NULL ? slash + 1 : path;
	if (cur < 0 || slash == NULL) {
		if (cur < 0)
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "Cannot open the image's root: %s",
				    g_strerror(errno));
		return cur;
	}
	dir = g_strndup(path, (gsize)(slash - path));
	parts = g_strsplit(dir, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		struct stat st;
		gint fd = openat(cur, parts[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
		gint saved = errno;

		(void)close(cur);
		if (fd < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(saved),
				    "Cannot open '%s' of '%s': %s",
				    parts[i],
				    path,
				    g_strerror(saved));
			return -1;
		}
		if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: '%s' goes through '%s', which is %s",
				    path,
				    parts[i],
				    S_ISLNK(st.st_mode) ? "a symbolic link" : "not a directory");
			(void)close(fd);
			return -1;
		}
		cur = fd;
	}
	return cur;
}

/**
 * tender_image_fs_open_beneath:
 * @rootfd: the image's root
 * @path: a normalized path below it, not ""
 * @flags: open(2) flags; O_NOFOLLOW and O_CLOEXEC are added
 * @error: (nullable): a #GError
 *
 * Returns: a descriptor of @path, reached without following a symbolic link, or -1
 */
gint
tender_image_fs_open_beneath(gint rootfd, const gchar *path, gint flags, GError **error)
{
	const gchar *base = NULL;
	gint parent = tender_image_fs_open_parent(rootfd, path, &base, error);
	gint fd;

	if (parent < 0)
		return -1;
	fd = openat(parent, base, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		gint saved = errno;
		if (saved == ELOOP)
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: '%s' is a symbolic link",
				    path);
		else
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(saved),
				    "Cannot open '%s': %s",
				    path,
				    g_strerror(saved));
	}
	(void)close(parent);
	return fd;
}

/* sets @error from errno: "Cannot @what '@path': ..." */
static gboolean
tender_image_fs_set_errno(GError **error, const gchar *what, const gchar *path)
{
	gint saved = errno;
	g_set_error(error,
		    G_IO_ERROR,
		    g_io_error_from_errno(saved),
		    "Cannot %s '%s': %s",
		    what,
		    path,
		    g_strerror(saved));
	return FALSE;
}

static gboolean
tender_image_fs_remove_children(gint fd, guint depth, GError **error);

/* removes @name in @dirfd, a whole tree if it is a directory; a missing one is no error */
static gboolean
tender_image_fs_remove_depth(gint dirfd, const gchar *name, guint depth, GError **error)
{
	struct stat st;
	gint fd;
	gboolean ok;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT || tender_image_fs_set_errno(error, "remove", name);
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) == 0 || errno == ENOENT ||
		       tender_image_fs_set_errno(error, "remove", name);
	if (depth > TENDER_IMAGE_FS_DEPTH_MAX * 2) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot remove %s: too deep",
			    name);
		return FALSE;
	}
	/* a directory the archive made unwritable (a user without CAP_DAC_OVERRIDE) */
	if ((st.st_mode & 0700) != 0700)
		(void)fchmodat(dirfd, name, 0700, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return tender_image_fs_set_errno(error, "open", name);
	ok = tender_image_fs_remove_children(fd, depth + 1, error);
	(void)close(fd);
	if (!ok)
		return FALSE;
	return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT ||
	       tender_image_fs_set_errno(error, "remove", name);
}

static gint
tender_image_fs_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * tender_image_fs_list:
 * @fd: a directory
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full) (element-type utf8): the names in it, sorted
 */
GPtrArray *
tender_image_fs_list(gint fd, GError **error)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	gint dup = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	DIR *dir = dup >= 0 ? fdopendir(dup) : NULL;
	struct dirent *de;

	if (dir == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot read a directory: %s",
			    g_strerror(errno));
		if (dup >= 0)
			(void)close(dup);
		return NULL;
	}
	rewinddir(dir);
	while ((de = readdir(dir)) != NULL) {
		if (g_strcmp0(de->d_name, ".") != 0 && g_strcmp0(de->d_name, "..") != 0)
			g_ptr_array_add(names, g_strdup(de->d_name));
	}
	(void)closedir(dir);
	g_ptr_array_sort(names, tender_image_fs_compare);
	return g_steal_pointer(&names);
}

static gboolean
tender_image_fs_remove_children(gint fd, guint depth, GError **error)
{
	g_autoptr(GPtrArray) names = tender_image_fs_list(fd, error);

	if (names == NULL)
		return FALSE;
	for (guint i = 0; i < names->len; i++) {
		if (!tender_image_fs_remove_depth(fd, g_ptr_array_index(names, i), depth, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * tender_image_fs_remove_at:
 * @dirfd: a directory
 * @name: a name in it
 * @error: (nullable): a #GError
 *
 * Removes @name, with everything below it if it is a directory, following no symbolic link;
 * succeeds if it is not there.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_image_fs_remove_at(gint dirfd, const gchar *name, GError **error)
{
	return tender_image_fs_remove_depth(dirfd, name, 0, error);
}

/* a file's identity, for hard links */
static guint
tender_image_fs_inode_hash(gconstpointer key)
{
	const struct stat *st = key;
	return g_int64_hash(&st->st_ino) ^ (guint)st->st_dev;
}

static gboolean
tender_image_fs_inode_equal(gconstpointer a, gconstpointer b)
{
	const struct stat *x = a;
	const struct stat *y = b;
	return x->st_ino == y->st_ino && x->st_dev == y->st_dev;
}

static guint64
tender_image_fs_tree_size_depth(gint fd, GHashTable *seen, guint depth)
{
	g_autoptr(GPtrArray) names = tender_image_fs_list(fd, NULL);
	guint64 size = 0;

	for (guint i = 0; names != NULL && i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		struct stat st;
		gint sub;

		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			size += (guint64)st.st_size;
		} else if (S_ISREG(st.st_mode)) {
			if (st.st_nlink > 1) {
				if (g_hash_table_contains(seen, &st))
					continue;
				g_hash_table_add(seen, g_memdup2(&st, sizeof(st)));
			}
			size += (guint64)st.st_size;
		} else if (S_ISDIR(st.st_mode) && depth < TENDER_IMAGE_FS_DEPTH_MAX * 2) {
			sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			size += tender_image_fs_tree_size_depth(sub, seen, depth + 1);
			(void)close(sub);
		}
	}
	return size;
}

/**
 * tender_image_fs_tree_size:
 * @dirfd: a directory
 *
 * Returns: the bytes of its regular files (each hard-linked file once) and symbolic links
 */
guint64
tender_image_fs_tree_size(gint dirfd)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(tender_image_fs_inode_hash,
							   tender_image_fs_inode_equal,
							   g_free,
							   NULL);
	return tender_image_fs_tree_size_depth(dirfd, seen, 0);
}

/* --- copying a directory (the option "directory") --- */

typedef struct {
	gint dstroot;
	TenderImageLimits *limits;
	GChecksum *checksum;
	dev_t dev;
	GHashTable *links; /* struct stat* (dev, ino) → gchar* its copy's path below dstroot */
} TenderImageCopy;

/* owner, mode and times of the copy @name in @dstfd, as @st says */
static gboolean
tender_image_fs_copy_attributes(TenderImageCopy *copy,
				gint dstfd,
				const gchar *name,
				const gchar *path,
				const struct stat *st,
				GError **error)
{
	struct timespec times[2] = {st->st_atim, st->st_mtim};

	if (copy->limits->owner &&
	    fchownat(dstfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return tender_image_fs_set_errno(error, "set the owner of", path);
	if (!S_ISLNK(st->st_mode) && fchmodat(dstfd, name, st->st_mode & 07777, 0) < 0)
		return tender_image_fs_set_errno(error, "set the mode of", path);
	if (utimensat(dstfd, name, times, AT_SYMLINK_NOFOLLOW) < 0)
		return tender_image_fs_set_errno(error, "set the times of", path);
	return TRUE;
}

static gboolean
tender_image_fs_copy_data(TenderImageCopy *copy,
			  gint srcfd,
			  gint dstfd,
			  const gchar *name,
			  const gchar *path,
			  GError **error)
{
	g_autofree guchar *buf = g_malloc(64 * 1024);
	gint in = openat(srcfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	gint out;
	gboolean ok = TRUE;

	if (in < 0)
		return tender_image_fs_set_errno(error, "open", path);
	out = openat(dstfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		(void)close(in);
		return tender_image_fs_set_errno(error, "create", path);
	}
	while (ok) {
		gssize n = read(in, buf, 64 * 1024);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ok = tender_image_fs_set_errno(error, "read", path);
			break;
		}
		if (n == 0)
			break;
		ok = tender_image_limits_add(copy->limits, (guint64)n, error);
		if (ok && copy->checksum != NULL)
			g_checksum_update(copy->checksum, buf, n);
		for (gssize done = 0; ok && done < n;) {
			gssize w = write(out, buf + done, (gsize)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				ok = tender_image_fs_set_errno(error, "write", path);
			else
				done += w;
		}
	}
	(void)close(in);
	(void)close(out);
	return ok;
}

static gboolean
tender_image_fs_copy_dir(TenderImageCopy *copy,
			 gint srcfd,
			 gint dstfd,
			 const gchar *prefix,
			 guint depth,
			 GError **error);

/* one entry of a directory copy; @path is its path below the roots */
static gboolean
tender_image_fs_copy_entry(TenderImageCopy *copy,
			   gint srcfd,
			   gint dstfd,
			   const gchar *name,
			   const gchar *path,
			   guint depth,
			   GError **error)
{
	struct stat st;

	if (fstatat(srcfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return tender_image_fs_set_errno(error, "read", path);
	if (!tender_image_limits_add(copy->limits, 512, error))
		return FALSE;
	/* what the digest of a directory is made of: names, types, modes, targets, data */
	if (copy->checksum != NULL) {
		g_autofree gchar *mode = g_strdup_printf("%o", (guint)st.st_mode);
		g_checksum_update(copy->checksum, (const guchar *)path, (gssize)strlen(path) + 1);
		g_checksum_update(copy->checksum, (const guchar *)mode, (gssize)strlen(mode) + 1);
	}
	if (S_ISDIR(st.st_mode)) {
		gint sub_src;
		gint sub_dst;
		gboolean ok;

		if (depth >= TENDER_IMAGE_FS_DEPTH_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: '%s' is more than %u directories deep",
				    path,
				    (guint)TENDER_IMAGE_FS_DEPTH_MAX);
			return FALSE;
		}
		if (mkdirat(dstfd, name, 0700) < 0)
			return tender_image_fs_set_errno(error, "create", path);
		/* like cp -x: another file system's mount point is copied as an empty directory */
		if (st.st_dev == copy->dev) {
			sub_src =
			    openat(srcfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_src < 0)
				return tender_image_fs_set_errno(error, "open", path);
			sub_dst =
			    openat(dstfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub_dst < 0) {
				(void)close(sub_src);
				return tender_image_fs_set_errno(error, "open", path);
			}
			ok = tender_image_fs_copy_dir(copy,
						      sub_src,
						      sub_dst,
						      path,
						      depth + 1,
						      error);
			(void)close(sub_src);
			(void)close(sub_dst);
			if (!ok)
				return FALSE;
		}
	} else if (S_ISREG(st.st_mode)) {
		const gchar *first = st.st_nlink > 1 ? g_hash_table_lookup(copy->links, &st) : NULL;
		if (first != NULL) {
			if (linkat(copy->dstroot, first, dstfd, name, 0) < 0)
				return tender_image_fs_set_errno(error, "link", path);
			return TRUE;
		}
		if (!tender_image_fs_copy_data(copy, srcfd, dstfd, name, path, error))
			return FALSE;
		if (st.st_nlink > 1)
			g_hash_table_insert(copy->links,
					    g_memdup2(&st, sizeof(st)),
					    g_strdup(path));
	} else if (S_ISLNK(st.st_mode)) {
		g_autofree gchar *target = g_malloc0((gsize)st.st_size + 1);
		gssize n = readlinkat(srcfd, name, target, (gsize)st.st_size + 1);

		if (n < 0 || n > st.st_size)
			return tender_image_fs_set_errno(error, "read the link", path);
		if (!tender_image_fs_check_link(path, target, error))
			return FALSE;
		if (copy->checksum != NULL)
			g_checksum_update(copy->checksum, (const guchar *)target, n);
		if (symlinkat(target, dstfd, name) < 0)
			return tender_image_fs_set_errno(error, "create", path);
	} else if (S_ISFIFO(st.st_mode) ||
		   ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && copy->limits->devices)) {
		if (mknodat(dstfd, name, st.st_mode & (S_IFMT | 0600), st.st_rdev) < 0)
			return tender_image_fs_set_errno(error, "create", path);
	} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: '%s' is a device node (the option \"devices\" allows them)",
			    path);
		return FALSE;
	} else {
		/* sockets: a program's, not a file an image can hold */
		return TRUE;
	}
	return tender_image_fs_copy_attributes(copy, dstfd, name, path, &st, error);
}

static gboolean
tender_image_fs_copy_dir(TenderImageCopy *copy,
			 gint srcfd,
			 gint dstfd,
			 const gchar *prefix,
			 guint depth,
			 GError **error)
{
	g_autoptr(GPtrArray) names = tender_image_fs_list(srcfd, error);

	if (names == NULL)
		return FALSE;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		g_autofree gchar *path =
		    prefix != NULL ? g_strdup_printf("%s/%s", prefix, name) : g_strdup(name);
		if (!tender_image_fs_copy_entry(copy, srcfd, dstfd, name, path, depth, error))
			return FALSE;
	}
	return TRUE;
}

/**
 * tender_image_fs_copy_tree:
 * @srcfd: a directory
 * @dstfd: an empty directory
 * @limits: the import's limits
 * @checksum: (nullable): gets the names, types, modes, link targets and data, in order
 * @error: (nullable): a #GError
 *
 * Copies what is below @srcfd into @dstfd, on @srcfd's file system only, as the unpacking of
 * an archive would: directories, files (hard links kept), symbolic links that stay in the
 * tree, FIFOs, device nodes if @limits allows them, with their modes, times and (as root)
 * owners; not extended attributes, and not sockets.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_image_fs_copy_tree(gint srcfd,
			  gint dstfd,
			  TenderImageLimits *limits,
			  GChecksum *checksum,
			  GError **error)
{
	g_autoptr(GHashTable) links = g_hash_table_new_full(tender_image_fs_inode_hash,
							    tender_image_fs_inode_equal,
							    g_free,
							    g_free);
	TenderImageCopy copy = {dstfd, limits, checksum, 0, links};
	struct stat st;

	if (fstat(srcfd, &st) < 0)
		return tender_image_fs_set_errno(error, "read", "the directory");
	copy.dev = st.st_dev;
	if (fchmod(dstfd, st.st_mode & 07777) < 0)
		return tender_image_fs_set_errno(error, "set the mode of", "the root");
	return tender_image_fs_copy_dir(&copy, srcfd, dstfd, NULL, 0, error);
}
