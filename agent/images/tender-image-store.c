/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-image-archive.h"
#include "tender-image-oci.h"
#include "tender-image-store.h"
#include "tender-options.h"

/*
 * TenderImageStore: the images workloads may use as their root file system, one directory
 * each below DIR ([images] dir=, /var/lib/tender/images): DIR/NAME/rootfs and
 * DIR/NAME/image.json (TenderImage).  DIR is root's only (0700): an image's files keep the
 * archive's owners and modes, set-uid ones included.
 *
 * An import reads the caller's descriptor (a duplicate of it: tenderd never opens a path on a
 * caller's behalf) in a thread of its own, into DIR/.tmp-XXXXXX: an archive, its layers if it
 * turns out to be an OCI layout or a `docker save` archive, or, with the option "directory"
 * (the front-ends allow it to root only), a copy of the directory the descriptor is.  Only
 * once all of it is there and synced is it renamed DIR/NAME, on the main thread; a failed
 * import removes its temporary directory, and one that tenderd did not live to finish leaves
 * one that the next start removes.  Removing an image renames it out of the way at once and
 * deletes its files in a thread.
 *
 * The store does not know workloads: the engine tells it, through the in-use function,
 * whether workloads use an image (they may not lose it) and whether one of them runs.
 */

#define TENDER_IMAGE_STORE_TMP_PREFIX ".tmp-"

struct _TenderImageStore {
	GObject parent_instance;
	gchar *dir;
	gint dirfd;
	guint64 max_size;
	GHashTable *images;  /* name → TenderImage */
	GHashTable *pending; /* names being imported */
	TenderImageInUseFunc in_use;
	gpointer in_use_data;
};

G_DEFINE_TYPE(TenderImageStore, tender_image_store, G_TYPE_OBJECT)

enum {
	SIGNAL_IMAGE_ADDED,
	SIGNAL_IMAGE_REMOVED,
	SIGNAL_LAST,
};
static guint signals[SIGNAL_LAST] = {0};

/* one import, from the call to its commit */
typedef struct {
	gchar *dir;
	gchar *name;
	gint fd;
	gboolean replace;
	gboolean directory;
	TenderImageLimits limits;
	gchar *tmp; /* the basename of DIR/.tmp-XXXXXX, once made */
	TenderImage *image;
} TenderImageImport;

static void
tender_image_import_free(TenderImageImport *job)
{
	if (job->fd >= 0)
		(void)close(job->fd);
	g_clear_object(&job->limits.cancellable);
	g_clear_object(&job->image);
	g_free(job->tmp);
	g_free(job->name);
	g_free(job->dir);
	g_free(job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderImageImport, tender_image_import_free)

/**
 * tender_image_store_check_name:
 * @name: an image name
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE for [a-z0-9][a-z0-9._-]{0,127}, %FALSE with %TENDER_ERROR_INVALID_ARGUMENT
 */
gboolean
tender_image_store_check_name(const gchar *name, GError **error)
{
	gsize len = name != NULL ? strlen(name) : 0;
	gboolean valid =
	    len >= 1 && len <= 128 && (g_ascii_islower(name[0]) || g_ascii_isdigit(name[0]));

	for (gsize i = 1; valid && i < len; i++)
		valid = g_ascii_islower(name[i]) || g_ascii_isdigit(name[i]) || name[i] == '.' ||
			name[i] == '_' || name[i] == '-';
	if (!valid) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid image name '%s': expected [a-z0-9][a-z0-9._-]{0,127}",
			    name != NULL ? name : "");
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_image_store_check_caller:
 * @options: (nullable): ImportImage's options
 * @uid: the caller's uid
 * @error: (nullable): a #GError
 *
 * What the front-ends decide before an import: the options directory (a tree of the host
 * taken as it is) and devices (device nodes made as the archive says) are root's.
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_ACCESS_DENIED
 */
gboolean
tender_image_store_check_caller(GVariant *options, guint32 uid, GError **error)
{
	const gchar *root_only[] = {"directory", "devices"};

	for (guint i = 0; options != NULL && uid != 0 && i < G_N_ELEMENTS(root_only); i++) {
		gboolean value = FALSE;
		if (g_variant_lookup(options, root_only[i], "b", &value) && value) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ACCESS_DENIED,
				    "Only root may import with the option %s",
				    root_only[i]);
			return FALSE;
		}
	}
	return TRUE;
}

/* --- removing, in a thread --- */

static void
tender_image_store_remove_thread(GTask *task,
				 gpointer source,
				 gpointer task_data,
				 GCancellable *cancellable)
{
	TenderImageStore *self = TENDER_IMAGE_STORE(source);
	g_autoptr(GError) error = NULL;

	if (!tender_image_fs_remove_at(self->dirfd, task_data, &error))
		g_warning("cannot remove %s/%s: %s", self->dir, (gchar *)task_data, error->message);
	g_task_return_boolean(task, TRUE);
}

/* deletes DIR/@name, which nothing refers to any more, without holding the main loop */
static void
tender_image_store_remove_later(TenderImageStore *self, const gchar *name)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, NULL, NULL);

	g_task_set_task_data(task, g_strdup(name), g_free);
	g_task_run_in_thread(task, tender_image_store_remove_thread);
}

/* renames DIR/@name to a fresh DIR/.tmp-XXXXXX, whose basename it returns */
static gchar *
tender_image_store_move_aside(TenderImageStore *self, const gchar *name, GError **error)
{
	for (guint i = 0; i < 100; i++) {
		g_autofree gchar *aside =
		    g_strdup_printf(TENDER_IMAGE_STORE_TMP_PREFIX "%08x", g_random_int());
		if (renameat2(self->dirfd, name, self->dirfd, aside, RENAME_NOREPLACE) == 0)
			return g_steal_pointer(&aside);
		if (errno != EEXIST)
			break;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "Cannot move %s/%s aside: %s",
		    self->dir,
		    name,
		    g_strerror(errno));
	return NULL;
}

/* --- the import's thread --- */

/* the image from what the caller's descriptor gives, in DIR/.tmp-XXXXXX */
static gboolean
tender_image_store_build(TenderImageImport *job, gint tmpfd, GError **error)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	g_autoptr(GVariant) config = NULL;
	g_autofree gchar *digest = NULL;
	g_autofree gchar *json = NULL;
	const gchar *source = "directory";
	gint rootfd = -1;
	gboolean ok;

	if (mkdirat(tmpfd, "rootfs", 0755) < 0 ||
	    (rootfd = openat(tmpfd, "rootfs", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create the image's directory: %s",
			    g_strerror(errno));
		return FALSE;
	}
	if (job->directory) {
		ok = tender_image_fs_copy_tree(job->fd, rootfd, &job->limits, checksum, error);
	} else {
		TenderImageLayout layout;

		source = "tar";
		ok = tender_image_archive_unpack(job->fd,
						 rootfd,
						 TENDER_IMAGE_ARCHIVE_NONE,
						 &job->limits,
						 checksum,
						 error);
		layout = ok ? tender_image_oci_detect(rootfd) : TENDER_IMAGE_LAYOUT_NONE;
		if (layout != TENDER_IMAGE_LAYOUT_NONE) {
			/* the archive was the layout: its layers make the root file system */
			gint layoutfd = rootfd;

			source = layout == TENDER_IMAGE_LAYOUT_OCI ? "oci" : "docker-archive";
			rootfd = -1;
			job->limits.unpacked = 0;
			ok = renameat(tmpfd, "rootfs", tmpfd, "layout") == 0 &&
			     mkdirat(tmpfd, "rootfs", 0755) == 0 &&
			     (rootfd =
				  openat(tmpfd, "rootfs", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0;
			if (!ok)
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "Cannot create the image's directory: %s",
					    g_strerror(errno));
			if (ok)
				ok = tender_image_oci_apply(layoutfd,
							    layout,
							    rootfd,
							    &job->limits,
							    &config,
							    error);
			(void)close(layoutfd);
			if (ok)
				ok = tender_image_fs_remove_at(tmpfd, "layout", error);
		}
	}
	if (ok) {
		digest = g_strdup_printf("sha256:%s", g_checksum_get_string(checksum));
		job->image = tender_image_new(job->dir,
					      job->name,
					      tender_image_fs_tree_size(rootfd),
					      digest,
					      source,
					      g_get_real_time(),
					      config);
		/* the files reach the disk before the name does */
		(void)syncfs(rootfd);
		json = g_build_filename(job->dir, job->tmp, "image.json", NULL);
		ok = tender_image_save(job->image, json, error);
	}
	if (rootfd >= 0)
		(void)close(rootfd);
	return ok;
}

static void
tender_image_store_import_thread(GTask *task,
				 gpointer source,
				 gpointer task_data,
				 GCancellable *cancellable)
{
	TenderImageStore *self = TENDER_IMAGE_STORE(source);
	TenderImageImport *job = task_data;
	g_autofree gchar *tmp =
	    g_build_filename(self->dir, TENDER_IMAGE_STORE_TMP_PREFIX "XXXXXX", NULL);
	GError *error = NULL;
	gint cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	gint tmpfd = -1;
	gboolean ok;

	/* libarchive writes relative to the working directory: this thread gets one of its own
	 * (it shares no other with the process from here on, and is given back its first one) */
	ok = cwd >= 0 && unshare(CLONE_FS) == 0;
	if (!ok)
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot give the import a working directory: %s",
			    g_strerror(errno));
	if (ok && g_mkdtemp_full(tmp, 0700) == NULL) {
		g_set_error(&error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create a directory in %s: %s",
			    self->dir,
			    g_strerror(errno));
		ok = FALSE;
	}
	if (ok) {
		job->tmp = g_path_get_basename(tmp);
		tmpfd = openat(self->dirfd, job->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ok = tmpfd >= 0 && tender_image_store_build(job, tmpfd, &error);
		if (tmpfd < 0 && error == NULL)
			g_set_error(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot open %s: %s",
				    tmp,
				    g_strerror(errno));
	}
	if (cwd >= 0) {
		if (fchdir(cwd) < 0)
			g_warning("cannot go back to the working directory: %s", g_strerror(errno));
		(void)close(cwd);
	}
	if (tmpfd >= 0)
		(void)close(tmpfd);
	if (!ok) {
		g_autoptr(GError) error_rm = NULL;
		if (job->tmp != NULL &&
		    !tender_image_fs_remove_at(self->dirfd, job->tmp, &error_rm))
			g_warning("cannot remove %s: %s", tmp, error_rm->message);
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* --- the import's start and end, on the main thread --- */

static gboolean
tender_image_store_is_busy(TenderImageStore *self, const gchar *name, gboolean *running)
{
	*running = FALSE;
	return self->in_use != NULL && self->in_use(name, running, self->in_use_data);
}

/* whether the import may take the name of an image there is */
static gboolean
tender_image_store_check_replace(TenderImageStore *self, TenderImageImport *job, GError **error)
{
	gboolean running = FALSE;

	if (!job->replace) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "Image %s exists already (the option replace replaces it)",
			    job->name);
		return FALSE;
	}
	if (tender_image_store_is_busy(self, job->name, &running)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_BUSY,
			    "Image %s is used by a workload and cannot be replaced",
			    job->name);
		return FALSE;
	}
	return TRUE;
}

/* DIR/.tmp-XXXXXX becomes DIR/NAME; an image of that name goes away */
static gboolean
tender_image_store_commit(TenderImageStore *self, TenderImageImport *job, GError **error)
{
	TenderImage *old = g_hash_table_lookup(self->images, job->name);
	gint r;

	if (old != NULL && !tender_image_store_check_replace(self, job, error))
		return FALSE;
	r = renameat2(self->dirfd,
		      job->tmp,
		      self->dirfd,
		      job->name,
		      old != NULL ? RENAME_EXCHANGE : RENAME_NOREPLACE);
	if (r < 0 && old != NULL && (errno == EINVAL || errno == ENOTSUP)) {
		/* a file system without RENAME_EXCHANGE: the old one moves first */
		g_autofree gchar *aside = tender_image_store_move_aside(self, job->name, error);
		if (aside == NULL)
			return FALSE;
		r = renameat(self->dirfd, job->tmp, self->dirfd, job->name);
		if (r == 0) {
			g_free(job->tmp);
			job->tmp = g_steal_pointer(&aside);
		}
	}
	if (r < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot rename %s/%s to %s: %s",
			    self->dir,
			    job->tmp,
			    job->name,
			    g_strerror(errno));
		return FALSE;
	}
	(void)fsync(self->dirfd);
	if (old != NULL) {
		/* the old image is where the new one was */
		g_autoptr(TenderImage) gone = g_object_ref(old);
		g_hash_table_remove(self->images, job->name);
		tender_image_store_remove_later(self, job->tmp);
		g_signal_emit(self, signals[SIGNAL_IMAGE_REMOVED], 0, gone);
	}
	g_hash_table_insert(self->images, g_strdup(job->name), g_object_ref(job->image));
	g_signal_emit(self, signals[SIGNAL_IMAGE_ADDED], 0, job->image);
	g_info("imported image %s (%s, %s)",
	       job->name,
	       tender_image_get_source(job->image),
	       tender_image_get_digest(job->image));
	return TRUE;
}

static void
tender_image_store_import_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderImageStore *self = TENDER_IMAGE_STORE(source);
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderImageImport *job = g_task_get_task_data(G_TASK(res));
	GError *error = NULL;

	g_hash_table_remove(self->pending, job->name);
	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_task_return_error(task, error);
		return;
	}
	if (!tender_image_store_commit(self, job, &error)) {
		tender_image_store_remove_later(self, job->tmp);
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, g_object_ref(job->image), g_object_unref);
}

/* the options of ImportImage's schema (tender-options.c): replace, directory and devices */
static gboolean
tender_image_store_parse_options(TenderImageImport *job, GVariant *options, GError **error)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	if (options == NULL)
		return TRUE;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		const gchar *type = tender_options_get_type("ImportImage", key);

		if (type == NULL || !g_variant_is_of_type(value, G_VARIANT_TYPE(type))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    type == NULL ? "Unknown option '%s'"
						 : "Option '%s' must be a boolean",
				    key);
			return FALSE;
		}
	}
	(void)g_variant_lookup(options, "replace", "b", &job->replace);
	(void)g_variant_lookup(options, "directory", "b", &job->directory);
	(void)g_variant_lookup(options, "devices", "b", &job->limits.devices);
	return TRUE;
}

/* what can be refused before reading a byte */
static gboolean
tender_image_store_check_import(TenderImageStore *self, TenderImageImport *job, GError **error)
{
	struct stat st;

	if (g_hash_table_contains(self->pending, job->name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_BUSY,
			    "Image %s is being imported",
			    job->name);
		return FALSE;
	}
	if (g_hash_table_contains(self->images, job->name) &&
	    !tender_image_store_check_replace(self, job, error))
		return FALSE;
	if (fstat(job->fd, &st) < 0 || S_ISDIR(st.st_mode) != job->directory) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    job->directory
				? "The option directory needs the descriptor of a directory"
				: "The descriptor is a directory, which needs the option "
				  "directory");
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_image_store_import_async:
 * @self: a #TenderImageStore
 * @name: the image's name, [a-z0-9][a-z0-9._-]{0,127}
 * @fd: what to read: a tar archive (plain, gzip, xz or zstd), an OCI image layout or a
 *   `docker save` archive, read to its end; with the option directory, a directory.  The
 *   store reads a duplicate; @fd stays the caller's.
 * @options: (nullable): a{sv}: replace b (an image of that name is replaced, unless a
 *   workload uses it), directory b, devices b (device nodes may be made); the front-ends
 *   allow directory and devices to root only
 * @cancellable: (nullable): stops the import
 * @callback: called once the image is there, or the import failed
 * @user_data: for @callback
 *
 * Imports an image in a thread; a failed import leaves nothing behind.
 */
void
tender_image_store_import_async(TenderImageStore *self,
				const gchar *name,
				gint fd,
				GVariant *options,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GTask) thread = NULL;
	g_autoptr(TenderImageImport) job = g_new0(TenderImageImport, 1);
	GError *error = NULL;

	g_return_if_fail(TENDER_IS_IMAGE_STORE(self));
	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, tender_image_store_import_async);
	job->dir = g_strdup(self->dir);
	job->name = g_strdup(name);
	job->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	job->limits.max_size = self->max_size;
	job->limits.owner = geteuid() == 0;
	job->limits.cancellable = cancellable != NULL ? g_object_ref(cancellable) : NULL;
	if (job->fd < 0) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"Not a file descriptor: %s",
					g_strerror(errno));
		return;
	}
	if (!tender_image_store_check_name(name, &error) ||
	    !tender_image_store_parse_options(job, options, &error) ||
	    !tender_image_store_check_import(self, job, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_hash_table_add(self->pending, g_strdup(name));
	thread =
	    g_task_new(self, cancellable, tender_image_store_import_cb, g_steal_pointer(&task));
	/* a thread that got to the end has an image to commit, or a directory to remove */
	g_task_set_check_cancellable(thread, FALSE);
	g_task_set_task_data(thread,
			     g_steal_pointer(&job),
			     (GDestroyNotify)tender_image_import_free);
	g_task_run_in_thread(thread, tender_image_store_import_thread);
}

/**
 * tender_image_store_import_finish:
 * @self: a #TenderImageStore
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the image, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT (a bad
 *   name, option or archive, or one refused: see tender-image-archive.c),
 *   %TENDER_ERROR_ALREADY_EXISTS, %TENDER_ERROR_BUSY (the name is being imported, or the
 *   image to replace is in use), %TENDER_ERROR_LIMIT_REACHED (past [images] max-size),
 *   %TENDER_ERROR_NOT_SUPPORTED (an OCI index without an image for this machine) or
 *   %TENDER_ERROR_FAILED
 */
TenderImage *
tender_image_store_import_finish(TenderImageStore *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/* --- what there is --- */

static gint
tender_image_store_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(tender_image_get_name(*(TenderImage **)a),
			 tender_image_get_name(*(TenderImage **)b));
}

/**
 * tender_image_store_list:
 * @self: a #TenderImageStore
 *
 * Returns: (transfer container) (element-type TenderImage): the images, by name
 */
GPtrArray *
tender_image_store_list(TenderImageStore *self)
{
	GPtrArray *list = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GList) images = NULL;

	g_return_val_if_fail(TENDER_IS_IMAGE_STORE(self), list);
	images = g_hash_table_get_values(self->images);
	for (GList *l = images; l != NULL; l = l->next)
		g_ptr_array_add(list, g_object_ref(l->data));
	g_ptr_array_sort(list, tender_image_store_compare);
	return list;
}

/**
 * tender_image_store_lookup:
 * @self: a #TenderImageStore
 * @name: an image name
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none): the image, or %NULL with %TENDER_ERROR_NOT_FOUND
 */
TenderImage *
tender_image_store_lookup(TenderImageStore *self, const gchar *name, GError **error)
{
	TenderImage *image;

	g_return_val_if_fail(TENDER_IS_IMAGE_STORE(self), NULL);
	image = name != NULL ? g_hash_table_lookup(self->images, name) : NULL;
	if (image == NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No image %s",
			    name != NULL ? name : "");
	return image;
}

/**
 * tender_image_store_remove:
 * @self: a #TenderImageStore
 * @name: an image name
 * @force: remove it although workloads use it, if none of them runs
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_NOT_FOUND, or %TENDER_ERROR_BUSY while it is
 *   being replaced or workloads use it (without @force), or one of them runs
 */
gboolean
tender_image_store_remove(TenderImageStore *self, const gchar *name, gboolean force, GError **error)
{
	g_autoptr(TenderImage) image = NULL;
	g_autofree gchar *aside = NULL;
	gboolean running = FALSE;

	g_return_val_if_fail(TENDER_IS_IMAGE_STORE(self), FALSE);
	if (tender_image_store_lookup(self, name, error) == NULL)
		return FALSE;
	if (g_hash_table_contains(self->pending, name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_BUSY,
			    "Image %s is being replaced",
			    name);
		return FALSE;
	}
	if (tender_image_store_is_busy(self, name, &running) && (!force || running)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_BUSY,
			    running ? "Image %s is used by a running workload"
				    : "Image %s is used by a workload (force removes it while none "
				      "runs)",
			    name);
		return FALSE;
	}
	aside = tender_image_store_move_aside(self, name, error);
	if (aside == NULL)
		return FALSE;
	(void)fsync(self->dirfd);
	image = g_object_ref(g_hash_table_lookup(self->images, name));
	g_hash_table_remove(self->images, name);
	tender_image_store_remove_later(self, aside);
	g_signal_emit(self, signals[SIGNAL_IMAGE_REMOVED], 0, image);
	g_info("removed image %s", name);
	return TRUE;
}

/**
 * tender_image_store_set_in_use_func:
 * @self: a #TenderImageStore
 * @func: (nullable): tells whether workloads use an image
 * @data: for @func
 */
void
tender_image_store_set_in_use_func(TenderImageStore *self, TenderImageInUseFunc func, gpointer data)
{
	g_return_if_fail(TENDER_IS_IMAGE_STORE(self));
	self->in_use = func;
	self->in_use_data = data;
}

/**
 * tender_image_store_get_max_size:
 * @self: a #TenderImageStore
 *
 * Returns: the most bytes an archive may have, and an image unpacked
 */
guint64
tender_image_store_get_max_size(TenderImageStore *self)
{
	g_return_val_if_fail(TENDER_IS_IMAGE_STORE(self), 0);
	return self->max_size;
}

/* the images of an earlier tenderd, and what its unfinished imports left */
static gboolean
tender_image_store_load(TenderImageStore *self, GError **error)
{
	g_autoptr(GPtrArray) names = tender_image_fs_list(self->dirfd, error);

	if (names == NULL)
		return FALSE;
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		g_autoptr(GError) error_local = NULL;
		TenderImage *image;

		if (g_str_has_prefix(name, TENDER_IMAGE_STORE_TMP_PREFIX)) {
			g_info("removing %s/%s, left by an import or removal", self->dir, name);
			if (!tender_image_fs_remove_at(self->dirfd, name, &error_local))
				g_warning("%s", error_local->message);
			continue;
		}
		if (!tender_image_store_check_name(name, &error_local)) {
			g_warning("%s/%s is not an image: %s",
				  self->dir,
				  name,
				  error_local->message);
			continue;
		}
		image = tender_image_new_from_file(self->dir, name, &error_local);
		if (image == NULL) {
			g_warning("image %s cannot be read: %s", name, error_local->message);
			continue;
		}
		g_hash_table_insert(self->images, g_strdup(name), image);
	}
	return TRUE;
}

static void
tender_image_store_finalize(GObject *object)
{
	TenderImageStore *self = TENDER_IMAGE_STORE(object);

	if (self->dirfd >= 0)
		(void)close(self->dirfd);
	g_hash_table_unref(self->images);
	g_hash_table_unref(self->pending);
	g_free(self->dir);
	G_OBJECT_CLASS(tender_image_store_parent_class)->finalize(object);
}

static void
tender_image_store_class_init(TenderImageStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_image_store_finalize;
	/**
	 * TenderImageStore::image-added:
	 * @image: an image just imported (also one that replaced another)
	 *
	 * TenderImageStore::image-removed:
	 * @image: an image removed, or replaced (before the new one's image-added)
	 */
	for (guint i = 0; i < SIGNAL_LAST; i++)
		signals[i] = g_signal_new(i == SIGNAL_IMAGE_ADDED ? "image-added" : "image-removed",
					  G_TYPE_FROM_CLASS(klass),
					  G_SIGNAL_RUN_LAST,
					  0,
					  NULL,
					  NULL,
					  NULL,
					  G_TYPE_NONE,
					  1,
					  TENDER_TYPE_IMAGE);
}

static void
tender_image_store_init(TenderImageStore *self)
{
	self->dirfd = -1;
	self->images = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	self->pending = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * tender_image_store_new:
 * @dir: the store's directory, made (0700) if missing
 * @max_size: the most bytes an archive may have, and an image unpacked ([images] max-size)
 * @error: (nullable): a #GError
 *
 * Loads the images in @dir and removes what unfinished imports and removals left there.
 *
 * Returns: (transfer full) (nullable): the store, or %NULL if @dir cannot be used
 */
TenderImageStore *
tender_image_store_new(const gchar *dir, guint64 max_size, GError **error)
{
	g_autoptr(TenderImageStore) self = g_object_new(TENDER_TYPE_IMAGE_STORE, NULL);

	self->dir = g_strdup(dir);
	self->max_size = max_size;
	if (g_mkdir_with_parents(dir, 0700) < 0 ||
	    (self->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot use %s for images: %s",
			    dir,
			    g_strerror(errno));
		return NULL;
	}
	if (!tender_image_store_load(self, error))
		return NULL;
	return g_steal_pointer(&self);
}
