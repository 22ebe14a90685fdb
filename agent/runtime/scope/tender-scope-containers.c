/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-containers.h"
#include "tender-util.h"

/*
 * TenderScopeContainers resolves a workload's image through the image store, and keeps what
 * the scope runtime holds on disk for the containers of workloads with an image root:
 * /var/lib/tender/containers/NAME/{upper,work}, the overlay's upper layer (the container's changes)
 * and its work directory.  NAME is root's only (0700); upper takes the mode of the image's root, as
 * it becomes the container's /.  They are made at a start, kept across stops and starts (so the
 * changes stay, as with `podman start`) and deleted with the workload.  Nothing is ever mounted
 * here: the overlay exists only in the container's own mount namespace.
 *
 * NAME/image-digest holds the digest of the image NAME was made for: an upper layer goes over
 * the lower layer it was made over only, so a start whose image has another digest now (removed
 * with force and imported again) is refused, and nothing is deleted.  A NAME made before
 * tenderd kept it takes the digest of the image it starts with.
 *
 * A removal renames NAME to NAME.removed-RANDOM at once, so that a workload of the same name
 * starts afresh right away, and deletes it in a thread; what a tenderd that stopped on the way
 * left behind is deleted at the next start.
 */

#define TENDER_SCOPE_CONTAINERS_REMOVED ".removed-"
#define TENDER_SCOPE_CONTAINERS_DIGEST	"image-digest"

struct _TenderScopeContainers {
	GObject parent_instance;
	gchar *dir;
	TenderImageStore *images; /* NULL: no image roots */
};

G_DEFINE_TYPE(TenderScopeContainers, tender_scope_containers, G_TYPE_OBJECT)

static gboolean
tender_scope_containers_delete_failed(const gchar *name, GError **error)
{
	g_set_error(error, TENDER_ERROR, TENDER_ERROR_FAILED, "%s: %s", name, g_strerror(errno));
	return FALSE;
}

/* deletes @name in @parent and everything below it, never following a symbolic link */
static gboolean
tender_scope_containers_delete_at(gint parent, const gchar *name, GError **error)
{
	gint fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	gboolean ok = TRUE;
	DIR *dir;
	struct dirent *entry;

	if (fd < 0 && (errno == ENOTDIR || errno == ELOOP) && unlinkat(parent, name, 0) == 0)
		return TRUE;
	if (fd < 0)
		return errno == ENOENT || tender_scope_containers_delete_failed(name, error);
	dir = fdopendir(fd);
	if (dir == NULL) {
		(void)close(fd);
		return tender_scope_containers_delete_failed(name, error);
	}
	while (ok && (entry = readdir(dir)) != NULL) {
		if (g_strcmp0(entry->d_name, ".") == 0 || g_strcmp0(entry->d_name, "..") == 0)
			continue;
		ok = tender_scope_containers_delete_at(dirfd(dir), entry->d_name, error);
	}
	(void)closedir(dir);
	if (!ok) {
		g_prefix_error(error, "%s/", name);
		return FALSE;
	}
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return tender_scope_containers_delete_failed(name, error);
	return TRUE;
}

static void
tender_scope_containers_delete_thread(GTask *task,
				      gpointer source,
				      gpointer task_data,
				      GCancellable *cancellable)
{
	TenderScopeContainers *self = TENDER_SCOPE_CONTAINERS(source);
	const gchar *name = task_data;
	g_autoptr(GError) error = NULL;
	gint parent = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (parent < 0) {
		g_warning("cannot open %s: %s", self->dir, g_strerror(errno));
	} else if (!tender_scope_containers_delete_at(parent, name, &error)) {
		g_warning("cannot delete %s/%s", self->dir, error->message);
	}
	if (parent >= 0)
		(void)close(parent);
	g_task_return_boolean(task, TRUE);
}

/* deletes @name in the containers directory, in a thread */
static void
tender_scope_containers_delete_async(TenderScopeContainers *self, const gchar *name)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, NULL, NULL);

	g_task_set_source_tag(task, tender_scope_containers_delete_async);
	g_task_set_task_data(task, g_strdup(name), g_free);
	g_task_run_in_thread(task, tender_scope_containers_delete_thread);
}

/**
 * tender_scope_containers_setup:
 * @self: a #TenderScopeContainers
 * @error: (nullable): a #GError
 *
 * Makes the containers directory (0700), and deletes what removals left behind.
 *
 * Returns: %TRUE if it is there
 */
gboolean
tender_scope_containers_setup(TenderScopeContainers *self, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	if (!tender_util_mkdir_with_parents(self->dir, 0700, error))
		return FALSE;
	dir = g_dir_open(self->dir, 0, error);
	if (dir == NULL)
		return FALSE;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (strstr(name, TENDER_SCOPE_CONTAINERS_REMOVED) != NULL)
			tender_scope_containers_delete_async(self, name);
	}
	return TRUE;
}

/**
 * tender_scope_containers_set_image_store:
 * @self: a #TenderScopeContainers
 * @images: (nullable): the image store
 */
void
tender_scope_containers_set_image_store(TenderScopeContainers *self, TenderImageStore *images)
{
	g_set_object(&self->images, images);
}

/**
 * tender_scope_containers_lookup_image:
 * @self: a #TenderScopeContainers
 * @name: an image's name
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the image as the store has it now, or %NULL with
 *	%TENDER_ERROR_INVALID_ARGUMENT if the store does not have it (%TENDER_ERROR_NOT_SUPPORTED
 *	without a store)
 */
TenderScopeImage *
tender_scope_containers_lookup_image(TenderScopeContainers *self, const gchar *name, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	TenderScopeImage *scope_image;
	TenderImage *image;

	if (self->images == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "Spec key 'image': this tenderd has no image store for '%s'",
			    name);
		return NULL;
	}
	image = tender_image_store_lookup(self->images, name, &error_local);
	if (image == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key 'image': %s",
			    error_local->message);
		return NULL;
	}
	scope_image = tender_scope_image_new(tender_image_get_name(image),
					     tender_image_get_rootfs(image),
					     tender_image_get_config(image));
	scope_image->digest = g_strdup(tender_image_get_digest(image));
	return scope_image;
}

/* the image of @spec, if it has one with namespaces: @image stays %NULL without */
static gboolean
tender_scope_containers_lookup_spec_image(TenderScopeContainers *self,
					  const TenderSpec *spec,
					  TenderScopeImage **image,
					  GError **error)
{
	if (spec->image == NULL || spec->isolation == TENDER_ISOLATION_MINIMAL)
		return TRUE;
	*image = tender_scope_containers_lookup_image(self, spec->image, error);
	return *image != NULL;
}

/**
 * tender_scope_containers_build_command:
 * @self: a #TenderScopeContainers
 * @workload: the workload's name
 * @spec: its spec
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the command a workload of @spec runs: with an image, its
 *	Entrypoint, then the spec's argv or else its Cmd (tender_scope_image_build_argv()); %NULL
 *	with %TENDER_ERROR_INVALID_ARGUMENT if the store does not have the image or nothing
 *	says what to run
 */
gchar **
tender_scope_containers_build_command(TenderScopeContainers *self,
				      const gchar *workload,
				      const TenderSpec *spec,
				      GError **error)
{
	g_autoptr(TenderScopeImage) image = NULL;

	if (!tender_scope_containers_lookup_spec_image(self, spec, &image, error))
		return NULL;
	return tender_scope_image_build_argv(image, spec, workload, error);
}

/* @path as a directory owned by root, made with @mode if missing */
static gboolean
tender_scope_containers_make_dir(const gchar *path, mode_t mode, GError **error)
{
	struct stat st;

	if (!tender_util_mkdir_with_parents(path, (gint)mode, error))
		return FALSE;
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s is not a directory",
			    path);
		return FALSE;
	}
	/* what the workload's root writes stays root's */
	if ((st.st_uid != 0 || st.st_gid != 0) && lchown(path, 0, 0) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot chown %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* the container directory @dir was made for @image, or before tenderd kept that: then it is
 * from now on */
static gboolean
tender_scope_containers_check_digest(const gchar *dir,
				     const gchar *workload,
				     const TenderScopeImage *image,
				     GError **error)
{
	g_autofree gchar *path = g_build_filename(dir, TENDER_SCOPE_CONTAINERS_DIGEST, NULL);
	g_autofree gchar *recorded = NULL;
	g_autofree gchar *line = NULL;
	g_autoptr(GError) error_local = NULL;

	if (image->digest == NULL)
		return TRUE;
	if (!g_file_get_contents(path, &recorded, NULL, &error_local)) {
		if (!g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    error_local->message);
			return FALSE;
		}
		line = g_strdup_printf("%s\n", image->digest);
		return tender_util_write_file_atomic(path, line, -1, 0600, error);
	}
	if (g_strcmp0(g_strstrip(recorded), image->digest) == 0)
		return TRUE;
	/* the spec's image is not the one the changes were made over: as for a user that is
	 * gone, the spec's fault */
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Workload '%s': its changes (%s/upper) were made over image '%s' %s, "
		    "which is %s now, and cannot go over another image: remove the workload and "
		    "create it again (its changes go with it)",
		    workload,
		    dir,
		    image->name,
		    recorded,
		    image->digest);
	return FALSE;
}

/**
 * tender_scope_containers_prepare:
 * @self: a #TenderScopeContainers
 * @workload: the workload's name
 * @image: its image
 * @error: (nullable): a #GError
 *
 * Makes the workload's container directory with its upper and work directories, recording
 * the image's digest, or keeps them as they are if they were made for that image.
 *
 * Returns: (transfer full): the container directory, or %NULL (with
 *	%TENDER_ERROR_INVALID_ARGUMENT if it was made for another image of that name)
 */
gchar *
tender_scope_containers_prepare(TenderScopeContainers *self,
				const gchar *workload,
				const TenderScopeImage *image,
				GError **error)
{
	g_autofree gchar *dir = g_build_filename(self->dir, workload, NULL);
	g_autofree gchar *upper = g_build_filename(dir, "upper", NULL);
	g_autofree gchar *work = g_build_filename(dir, "work", NULL);
	struct stat root;
	mode_t mode = 0755;

	/* the container's / has the mode of the image's */
	if (stat(image->rootfs, &root) == 0)
		mode = root.st_mode & 07777;
	if (!tender_scope_containers_make_dir(self->dir, 0700, error) ||
	    !tender_scope_containers_make_dir(dir, 0700, error) ||
	    !tender_scope_containers_check_digest(dir, workload, image, error) ||
	    !tender_scope_containers_make_dir(upper, mode, error) ||
	    !tender_scope_containers_make_dir(work, 0700, error))
		return NULL;
	return g_steal_pointer(&dir);
}

/**
 * tender_scope_containers_prepare_spec:
 * @self: a #TenderScopeContainers
 * @workload: the workload's name
 * @spec: its spec
 * @image: (out): its image, if it has one with namespaces
 * @container_dir: (out): then its container directory, made ready
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE, or %FALSE if the image is not there, or the directory cannot be made or
 *	was made for another image
 */
gboolean
tender_scope_containers_prepare_spec(TenderScopeContainers *self,
				     const gchar *workload,
				     const TenderSpec *spec,
				     TenderScopeImage **image,
				     gchar **container_dir,
				     GError **error)
{
	if (!tender_scope_containers_lookup_spec_image(self, spec, image, error))
		return FALSE;
	if (*image == NULL)
		return TRUE;
	*container_dir = tender_scope_containers_prepare(self, workload, *image, error);
	return *container_dir != NULL;
}

/**
 * tender_scope_containers_remove:
 * @self: a #TenderScopeContainers
 * @workload: a removed workload's name
 *
 * Deletes the workload's container directory, if it has one: the container's changes go.
 */
void
tender_scope_containers_remove(TenderScopeContainers *self, const gchar *workload)
{
	g_autofree gchar *dir = g_build_filename(self->dir, workload, NULL);
	g_autofree gchar *uuid = g_uuid_string_random();
	g_autofree gchar *name =
	    g_strdup_printf("%s" TENDER_SCOPE_CONTAINERS_REMOVED "%s", workload, uuid);
	g_autofree gchar *gone = g_build_filename(self->dir, name, NULL);

	if (g_rename(dir, gone) < 0) {
		if (errno != ENOENT)
			g_warning("cannot rename %s: %s", dir, g_strerror(errno));
		return;
	}
	tender_scope_containers_delete_async(self, name);
}

const gchar *
tender_scope_containers_get_dir(TenderScopeContainers *self)
{
	return self->dir;
}

static void
tender_scope_containers_finalize(GObject *object)
{
	TenderScopeContainers *self = TENDER_SCOPE_CONTAINERS(object);
	g_clear_object(&self->images);
	g_free(self->dir);
	G_OBJECT_CLASS(tender_scope_containers_parent_class)->finalize(object);
}

static void
tender_scope_containers_class_init(TenderScopeContainersClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_scope_containers_finalize;
}

static void
tender_scope_containers_init(TenderScopeContainers *self)
{
}

/**
 * tender_scope_containers_new:
 * @dir: where the container directories go, e.g. /var/lib/tender/containers
 *
 * Returns: (transfer full): a #TenderScopeContainers
 */
TenderScopeContainers *
tender_scope_containers_new(const gchar *dir)
{
	TenderScopeContainers *self = g_object_new(TENDER_TYPE_SCOPE_CONTAINERS, NULL);
	self->dir = g_strdup(dir);
	return self;
}
