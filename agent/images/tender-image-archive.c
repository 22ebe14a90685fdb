/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-image-archive.h"
#include "tender-units.h"

/*
 * Unpacking one tar archive (plain, gzip, xz or zstd, told apart by libarchive from the
 * content) into a directory, with libarchive's write-to-disk and its own guards
 * (ARCHIVE_EXTRACT_SECURE_NODOTDOT, _SECURE_SYMLINKS, _SECURE_NOABSOLUTEPATHS), and with these
 * checks of tenderd's before each entry reaches it:
 *   - an entry's name is relative and has no ".." (tender_image_fs_normalize());
 *   - no directory on its way is a symbolic link (tender_image_fs_open_parent());
 *   - a symbolic link's relative target stays inside the image, and a hard link's target is
 *     a path of the image reached without a symbolic link;
 *   - device nodes only when the import allows them (root asked), never sockets;
 *   - no more than max-size of archive read, nor of data written (512 bytes count for each
 *     entry besides its data, so that a million empty files count too);
 *   - extended attributes: only user.* and security.capability, and only as root (never
 *     trusted.overlay.*, which overlayfs would obey in a lower layer).
 *
 * libarchive's write-to-disk works on paths relative to the working directory: the caller
 * gives the calling thread a working directory of its own (unshare(CLONE_FS)), which this
 * moves into the target directory.
 */

#define TENDER_IMAGE_ARCHIVE_BLOCK (64 * 1024)

/* the archive's bytes, as read from the caller's descriptor: counted, and hashed */
typedef struct {
	gint fd;
	TenderImageLimits *limits;
	GChecksum *checksum;
	guint64 bytes;
	guchar *buf;
	GError *error; /* why reading stopped: max-size, cancelled, or the descriptor's error */
} TenderImageReader;

static gssize
tender_image_reader_read(TenderImageReader *reader)
{
	gssize n;

	for (;;) {
		struct pollfd pfd = {reader->fd, POLLIN, 0};
		if (g_cancellable_set_error_if_cancelled(reader->limits->cancellable,
							 &reader->error))
			return -1;
		/* a pipe may stay silent: wake up now and then to see whether the import was
		 * cancelled */
		if (poll(&pfd, 1, 250) == 0)
			continue;
		n = read(reader->fd, reader->buf, TENDER_IMAGE_ARCHIVE_BLOCK);
		if (n >= 0)
			break;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		g_set_error(&reader->error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot read the archive: %s",
			    g_strerror(errno));
		return -1;
	}
	if ((guint64)n > reader->limits->max_size - MIN(reader->bytes, reader->limits->max_size)) {
		g_autofree gchar *max = tender_units_format_size(reader->limits->max_size);
		g_set_error(&reader->error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "The archive is larger than [images] max-size (%s)",
			    max);
		return -1;
	}
	reader->bytes += (guint64)n;
	if (reader->checksum != NULL && n > 0)
		g_checksum_update(reader->checksum, reader->buf, n);
	return n;
}

static la_ssize_t
tender_image_reader_cb(struct archive *a, void *user_data, const void **buffer)
{
	TenderImageReader *reader = user_data;
	gssize n = tender_image_reader_read(reader);

	*buffer = reader->buf;
	if (n < 0) {
		archive_set_error(a, EIO, "%s", reader->error->message);
		return -1;
	}
	return n;
}

/* the rest of the input after the archive's end, so that the digest is of all of it */
static gboolean
tender_image_reader_drain(TenderImageReader *reader, GError **error)
{
	gssize n;

	while ((n = tender_image_reader_read(reader)) > 0)
		;
	if (n < 0) {
		g_propagate_error(error, g_steal_pointer(&reader->error));
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	struct archive *in;
	struct archive *disk;
	TenderImageReader *reader;
	gint rootfd;
	TenderImageArchiveFlags flags;
	TenderImageLimits *limits;
	GHashTable *seen; /* the paths this archive made, and their directories */
} TenderImageUnpack;

/* the reader's error if it stopped the archive, else libarchive's */
static gboolean
tender_image_unpack_fail(TenderImageUnpack *u, struct archive *a, const gchar *path, GError **error)
{
	gint err = archive_errno(a);

	if (u->reader->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&u->reader->error));
		return FALSE;
	}
	if (a == u->in) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Not a valid archive: %s",
			    archive_error_string(a) != NULL ? archive_error_string(a)
							    : "cannot be read");
		return FALSE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    err == ENOSPC || err == EDQUOT || err == EIO ? TENDER_ERROR_FAILED
								 : TENDER_ERROR_INVALID_ARGUMENT,
		    "Cannot unpack '%s': %s",
		    path,
		    archive_error_string(a) != NULL ? archive_error_string(a) : g_strerror(err));
	return FALSE;
}

static void
tender_image_unpack_mark(TenderImageUnpack *u, const gchar *path, gboolean is_dir)
{
	g_autofree gchar *dir = g_strdup(path);
	gchar *slash;

	g_hash_table_insert(u->seen, g_strdup(path), GINT_TO_POINTER(is_dir));
	while ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (g_hash_table_contains(u->seen, dir))
			break;
		g_hash_table_insert(u->seen, g_strdup(dir), GINT_TO_POINTER(TRUE));
	}
}

/* the directory @dir ("" for the root) of the image, if it is one; -1 otherwise */
static gint
tender_image_unpack_open_dir(TenderImageUnpack *u, const gchar *dir)
{
	if (dir[0] == '\0')
		return fcntl(u->rootfd, F_DUPFD_CLOEXEC, 3);
	return tender_image_fs_open_beneath(u->rootfd, dir, O_RDONLY | O_DIRECTORY, NULL);
}

/*
 * A whiteout of a layer: .wh.NAME deletes NAME of the layers below, .wh..wh..opq everything
 * they left in its directory (the directory is opaque); what this layer made itself stays,
 * whatever the order of the entries.
 */
static gboolean
tender_image_unpack_whiteout(TenderImageUnpack *u,
			     const gchar *path,
			     const gchar *base,
			     GError **error)
{
	g_autofree gchar *dir = g_strndup(path, (gsize)(base - path) > 0 ? base - path - 1 : 0);
	const gchar *name = base + strlen(".wh.");
	gint dirfd;
	gboolean ok = TRUE;

	if (g_str_has_prefix(base, ".wh..wh.") && g_strcmp0(base, ".wh..wh..opq") != 0)
		return TRUE; /* aufs' own metadata, e.g. .wh..wh.plnk */
	if (name[0] == '\0' || g_strcmp0(name, ".") == 0 || g_strcmp0(name, "..") == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: '%s' is not a valid whiteout",
			    path);
		return FALSE;
	}
	/* a directory that is not there (or is a link) has nothing to delete */
	dirfd = tender_image_unpack_open_dir(u, dir);
	if (dirfd < 0)
		return TRUE;
	if (g_strcmp0(base, ".wh..wh..opq") == 0) {
		g_autoptr(GPtrArray) names = tender_image_fs_list(dirfd, error);
		g_autoptr(GString) child = g_string_new(NULL);

		ok = names != NULL;
		for (guint i = 0; ok && i < names->len; i++) {
			g_string_printf(child,
					"%s%s%s",
					dir,
					dir[0] != '\0' ? "/" : "",
					(const gchar *)g_ptr_array_index(names, i));
			if (!g_hash_table_contains(u->seen, child->str))
				ok = tender_image_fs_remove_at(dirfd,
							       g_ptr_array_index(names, i),
							       error);
		}
	} else {
		g_autofree gchar *victim =
		    dir[0] != '\0' ? g_strdup_printf("%s/%s", dir, name) : g_strdup(name);
		if (!g_hash_table_contains(u->seen, victim))
			ok = tender_image_fs_remove_at(dirfd, name, error);
	}
	(void)close(dirfd);
	return ok;
}

/* what takes @path's place: nothing on the way may be a symbolic link; whatever is there
 * and is not a directory to keep is removed; a directory of a lower layer may give way to a
 * file, but not one of this archive */
static gboolean
tender_image_unpack_make_room(TenderImageUnpack *u,
			      const gchar *path,
			      gboolean is_dir,
			      GError **error)
{
	g_autoptr(GError) error_local = NULL;
	const gchar *base = NULL;
	struct stat st;
	gint parent = tender_image_fs_open_parent(u->rootfd, path, &base, &error_local);
	gboolean ok = TRUE;

	if (parent < 0) {
		/* directories that are not there yet are made on the way */
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    (S_ISDIR(st.st_mode) && is_dir)) {
		(void)close(parent);
		return TRUE;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((u->flags & TENDER_IMAGE_ARCHIVE_LAYER) == 0 ||
		    g_hash_table_contains(u->seen, path)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Refused: '%s' is both a directory and a file in the archive",
				    path);
			ok = FALSE;
		} else {
			ok = tender_image_fs_remove_at(parent, base, error);
		}
	} else if (unlinkat(parent, base, 0) < 0 && errno != ENOENT) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot replace '%s': %s",
			    path,
			    g_strerror(errno));
		ok = FALSE;
	}
	(void)close(parent);
	return ok;
}

/* a hard link's target: a path of the image already there, reached without a symbolic
 * link, and not a directory; @target gets it normalized */
static gboolean
tender_image_unpack_check_hardlink(TenderImageUnpack *u,
				   const gchar *path,
				   const gchar *link,
				   gchar **target,
				   GError **error)
{
	g_autofree gchar *normal = tender_image_fs_normalize(link, error);
	struct stat st;
	gint fd;

	if (normal == NULL) {
		g_prefix_error(error, "The hard link '%s': ", path);
		return FALSE;
	}
	if (normal[0] == '\0' || g_strcmp0(normal, path) == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: the hard link '%s' points to '%s'",
			    path,
			    link);
		return FALSE;
	}
	fd = tender_image_fs_open_beneath(u->rootfd, normal, O_PATH, error);
	if (fd < 0) {
		g_prefix_error(error, "The hard link '%s': ", path);
		return FALSE;
	}
	if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode)) {
		(void)close(fd);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: the hard link '%s' points to the directory '%s'",
			    path,
			    link);
		return FALSE;
	}
	(void)close(fd);
	*target = g_steal_pointer(&normal);
	return TRUE;
}

/* the kinds of entry an image may hold */
static gboolean
tender_image_unpack_check_type(TenderImageUnpack *u,
			       struct archive_entry *entry,
			       const gchar *path,
			       GError **error)
{
	switch (archive_entry_filetype(entry)) {
	case AE_IFREG:
	case AE_IFDIR:
	case AE_IFIFO:
		return TRUE;
	case AE_IFLNK:
		return tender_image_fs_check_link(path, archive_entry_symlink(entry), error);
	case AE_IFCHR:
	case AE_IFBLK:
		if (u->limits->devices)
			return TRUE;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: '%s' is a device node (only root may import those, with the "
			    "option \"devices\")",
			    path);
		return FALSE;
	default:
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Refused: '%s' is neither a file, a directory, a link nor a FIFO",
			    path);
		return FALSE;
	}
}

/* only user.* and security.capability: never trusted.* (overlayfs' own) nor other
 * security.* */
static void
tender_image_unpack_filter_xattrs(struct archive_entry *entry)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	const gchar *name;
	const void *value;
	size_t size;

	if (archive_entry_xattr_reset(entry) == 0)
		return;
	while (archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK) {
		if (!g_str_has_prefix(name, "user.") && g_strcmp0(name, "security.capability") != 0)
			continue;
		g_ptr_array_add(names, g_strdup(name));
		g_ptr_array_add(values, g_bytes_new(value, size));
	}
	archive_entry_xattr_clear(entry);
	for (guint i = 0; i < names->len; i++) {
		gsize len = 0;
		gconstpointer data = g_bytes_get_data(g_ptr_array_index(values, i), &len);
		archive_entry_xattr_add_entry(entry, g_ptr_array_index(names, i), data, len);
	}
}

static gboolean
tender_image_unpack_data(TenderImageUnpack *u, const gchar *path, GError **error)
{
	for (;;) {
		const void *buf = NULL;
		size_t size = 0;
		la_int64_t offset = 0;
		gint r = archive_read_data_block(u->in, &buf, &size, &offset);

		if (r == ARCHIVE_EOF)
			return TRUE;
		if (r < ARCHIVE_WARN)
			return tender_image_unpack_fail(u, u->in, path, error);
		if (archive_write_data_block(u->disk, buf, size, offset) < ARCHIVE_WARN)
			return tender_image_unpack_fail(u, u->disk, path, error);
	}
}

static gboolean
tender_image_unpack_entry(TenderImageUnpack *u, struct archive_entry *entry, GError **error)
{
	g_autofree gchar *path = tender_image_fs_normalize(archive_entry_pathname(entry), error);
	g_autofree gchar *hardlink = NULL;
	const gchar *base;
	gboolean is_dir = archive_entry_filetype(entry) == AE_IFDIR;

	if (path == NULL || !tender_image_limits_add(u->limits, 512, error))
		return FALSE;
	/* the root is ours */
	if (path[0] == '\0')
		return TRUE;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if ((u->flags & TENDER_IMAGE_ARCHIVE_LAYER) != 0 && g_str_has_prefix(base, ".wh."))
		return tender_image_unpack_whiteout(u, path, base, error);
	if (archive_entry_hardlink(entry) != NULL) {
		if (!tender_image_unpack_check_hardlink(u,
							path,
							archive_entry_hardlink(entry),
							&hardlink,
							error))
			return FALSE;
		is_dir = FALSE;
	} else if (!tender_image_unpack_check_type(u, entry, path, error)) {
		return FALSE;
	}
	if (archive_entry_size(entry) > 0 &&
	    !tender_image_limits_add(u->limits, (guint64)archive_entry_size(entry), error))
		return FALSE;
	if (!tender_image_unpack_make_room(u, path, is_dir, error))
		return FALSE;
	tender_image_unpack_mark(u, path, is_dir);
	if (u->limits->owner)
		tender_image_unpack_filter_xattrs(entry);
	archive_entry_set_pathname(entry, path);
	if (hardlink != NULL)
		archive_entry_set_hardlink(entry, hardlink);
	if (archive_write_header(u->disk, entry) < ARCHIVE_WARN)
		return tender_image_unpack_fail(u, u->disk, path, error);
	if (archive_entry_size(entry) > 0 && !tender_image_unpack_data(u, path, error))
		return FALSE;
	if (archive_write_finish_entry(u->disk) < ARCHIVE_WARN)
		return tender_image_unpack_fail(u, u->disk, path, error);
	return TRUE;
}

static gboolean
tender_image_unpack_run(TenderImageUnpack *u, GError **error)
{
	struct archive_entry *entry = NULL;
	gint flags = ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		     ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM |
		     ARCHIVE_EXTRACT_TIME;

	/* the owners as numbers, which are the container's: no lookup of the host's names */
	if (u->limits->owner)
		flags |= ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_XATTR;
	archive_write_disk_set_options(u->disk, flags);
	archive_read_support_filter_gzip(u->in);
	archive_read_support_filter_xz(u->in);
	archive_read_support_filter_zstd(u->in);
	archive_read_support_format_tar(u->in);
	if (fchdir(u->rootfd) < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Cannot enter the image's directory: %s",
			    g_strerror(errno));
		return FALSE;
	}
	if (archive_read_open(u->in, u->reader, NULL, tender_image_reader_cb, NULL) != ARCHIVE_OK)
		return tender_image_unpack_fail(u, u->in, "", error);
	for (;;) {
		gint r = archive_read_next_header(u->in, &entry);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return tender_image_unpack_fail(u, u->in, "", error);
		if (!tender_image_unpack_entry(u, entry, error))
			return FALSE;
	}
	/* directories get their modes and times last */
	if (archive_write_close(u->disk) != ARCHIVE_OK)
		return tender_image_unpack_fail(u, u->disk, "", error);
	return tender_image_reader_drain(u->reader, error);
}

/**
 * tender_image_archive_unpack:
 * @fd: the archive, read to its end
 * @rootfd: the directory to unpack into; the calling thread's working directory becomes it
 * @flags: a root file system, or a layer over others
 * @limits: the import's limits
 * @checksum: (nullable): gets every byte read from @fd
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_INVALID_ARGUMENT for an archive that is
 *   malformed or refused, %TENDER_ERROR_LIMIT_REACHED past max-size, or another error of
 *   reading or writing; what was unpacked stays for the caller to remove
 */
gboolean
tender_image_archive_unpack(gint fd,
			    gint rootfd,
			    TenderImageArchiveFlags flags,
			    TenderImageLimits *limits,
			    GChecksum *checksum,
			    GError **error)
{
	g_autofree guchar *buf = g_malloc(TENDER_IMAGE_ARCHIVE_BLOCK);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	TenderImageReader reader = {fd, limits, checksum, 0, buf, NULL};
	TenderImageUnpack u =
	    {archive_read_new(), archive_write_disk_new(), &reader, rootfd, flags, limits, seen};
	gboolean ok = tender_image_unpack_run(&u, error);

	archive_read_free(u.in);
	archive_write_free(u.disk);
	g_clear_error(&reader.error);
	return ok;
}
