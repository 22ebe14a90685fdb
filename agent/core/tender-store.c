/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tender-store.h"
#include "tender-util.h"

/*
 * TenderStore keeps one JSON file per workload in STATE_DIR/workloads/NAME.json: what
 * ExportWorkload gives (the spec and the last known state), plus a "run" object with what a
 * restarted tenderd needs to find the run again.  Files are replaced atomically.  A file that
 * cannot be read is moved aside, never deleted, and never stops tenderd.
 *
 * Two kinds of writes: tender_store_save() makes the new file durable before it returns
 * (temporary file, fsync, rename, fsync of the directory); tender_store_save_full() without
 * sync only renames it into place.  An unsynced file is what a tenderd that restarts after a
 * crash of its own (kill -9) reads, since the kernel has it; only a crash of the machine may
 * lose it, and then the previous durable file is what the next boot finds.
 * tender_store_sync() makes the last unsynced file of a workload durable (fsync of the file,
 * fsync of the directory), and does nothing if there is none: the engine calls it before it
 * answers a caller, so that one call costs one sync, however many states the workload went
 * through meanwhile.
 *
 * A rename without fsync may leave an empty file after a crash of the machine (ext4 and btrfs
 * write the data of a file renamed over another one first, other filesystems may not), so the
 * first unsynced write after a durable one keeps the durable file as NAME.json.synced, a hard
 * link, until the next sync removes it in the same fsync of the directory that makes the sync
 * durable.  A NAME.json that cannot be read next to a NAME.json.synced that can is moved
 * aside and replaced by it: the last state that a caller was told of, or a later one.  A
 * NAME.json.synced alone is what a removal left.
 */

#define TENDER_STORE_FILE_MAX (4 * 1024 * 1024)

struct _TenderStore {
	GObject parent_instance;
	gchar *dir;
	/* the names whose file was renamed into place without being synced since */
	GHashTable *unsynced;
};

G_DEFINE_TYPE(TenderStore, tender_store, G_TYPE_OBJECT)

static gchar *
tender_store_path(TenderStore *self, const gchar *name)
{
	g_autofree gchar *basename = g_strdup_printf("%s.json", name);
	return g_build_filename(self->dir, basename, NULL);
}

/* the durable file that an unsynced one replaced, until the next sync */
static gchar *
tender_store_synced_path(TenderStore *self, const gchar *name)
{
	g_autofree gchar *basename = g_strdup_printf("%s.json.synced", name);
	return g_build_filename(self->dir, basename, NULL);
}

/* before the first unsynced write after a durable one: the durable file stays as
 * NAME.json.synced (one that is there already is the last durable file still) */
static gboolean
tender_store_keep_synced(TenderStore *self, const gchar *name)
{
	g_autofree gchar *path = tender_store_path(self, name);
	g_autofree gchar *synced = tender_store_synced_path(self, name);

	if (link(path, synced) == 0 || errno == EEXIST)
		return TRUE;
	g_debug("cannot link %s to %s (%s): writing it durably", synced, path, g_strerror(errno));
	return FALSE;
}

/* NAME.json is durable, or gone: NAME.json.synced goes, and the directory is synced, which
 * makes both durable at once */
static gboolean
tender_store_settle(TenderStore *self, const gchar *name, GError **error)
{
	g_autofree gchar *synced = tender_store_synced_path(self, name);

	if (g_unlink(synced) < 0 && errno != ENOENT) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot remove %s: %s",
			    synced,
			    g_strerror(errno));
		return FALSE;
	}
	if (!tender_util_fsync_path(self->dir, error))
		return FALSE;
	g_hash_table_remove(self->unsynced, name);
	return TRUE;
}

/**
 * tender_store_save_full:
 * @self: a #TenderStore
 * @workload: the workload
 * @run: (nullable): its run
 * @sync: whether to wait for the disk
 * @error: (nullable): a #GError
 *
 * Replaces the workload's state file atomically: with @sync, durably (temporary file, fsync,
 * rename, fsync of the directory); without, by a rename only, which a restarted tenderd
 * reads at once but a machine that crashes before tender_store_sync() may lose, coming back
 * with the last durable file.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_store_save_full(TenderStore *self,
		       TenderWorkload *workload,
		       const TenderStoreRun *run,
		       gboolean sync,
		       GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *name = tender_workload_get_name(workload);
	g_autofree gchar *path = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;

	g_return_val_if_fail(TENDER_IS_STORE(self), FALSE);
	root = tender_workload_to_json(workload);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "id");
	json_builder_add_string_value(builder,
				      run != NULL && run->run_id != NULL ? run->run_id : "");
	json_builder_set_member_name(builder, "shim_pid");
	json_builder_add_int_value(builder, run != NULL ? run->shim_pid : 0);
	json_builder_set_member_name(builder, "restart_pending");
	json_builder_add_boolean_value(builder, run != NULL && run->restart_pending);
	json_builder_end_object(builder);
	json_object_set_member(json_node_get_object(root), "run", json_builder_get_root(builder));

	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, &len);
	path = tender_store_path(self, name);
	/* without a durable file to come back to, this one must be durable */
	if (!sync && !g_hash_table_contains(self->unsynced, name) &&
	    !tender_store_keep_synced(self, name))
		sync = TRUE;
	if (!tender_util_write_file_replace(path,
					    data,
					    (gssize)len,
					    0600,
					    sync ? TENDER_UTIL_WRITE_SYNC_DATA
						 : TENDER_UTIL_WRITE_NONE,
					    error))
		return FALSE;
	if (sync)
		return tender_store_settle(self, name, error);
	g_hash_table_add(self->unsynced, g_strdup(name));
	return TRUE;
}

/**
 * tender_store_save:
 * @self: a #TenderStore
 * @workload: the workload
 * @run: (nullable): its run
 * @error: (nullable): a #GError
 *
 * Replaces the workload's state file atomically and durably: tender_store_save_full() with
 * sync.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_store_save(TenderStore *self,
		  TenderWorkload *workload,
		  const TenderStoreRun *run,
		  GError **error)
{
	return tender_store_save_full(self, workload, run, TRUE, error);
}

/**
 * tender_store_sync:
 * @self: a #TenderStore
 * @name: a workload name
 * @error: (nullable): a #GError
 *
 * Makes the workload's state file durable (fsync of the file and of the directory) if it was
 * last written by tender_store_save_full() without sync; does nothing otherwise.
 *
 * Returns: %TRUE if what the file says is on the disk
 */
gboolean
tender_store_sync(TenderStore *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(TENDER_IS_STORE(self), FALSE);
	if (!g_hash_table_contains(self->unsynced, name))
		return TRUE;
	path = tender_store_path(self, name);
	return tender_util_fsync_path(path, error) && tender_store_settle(self, name, error);
}

/**
 * tender_store_delete:
 * @self: a #TenderStore
 * @name: a workload name
 * @error: (nullable): a #GError
 *
 * Removes the workload's state file, durably (unlink, fsync of the directory), and the
 * durable file that an unsynced one replaced, if there is one.
 *
 * Returns: %TRUE if the workload's state file is gone (or never was)
 */
gboolean
tender_store_delete(TenderStore *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(TENDER_IS_STORE(self), FALSE);
	path = tender_store_path(self, name);
	if (g_unlink(path) < 0 && errno != ENOENT) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot remove %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	/* a removal that the caller is told of stays one after a crash of the machine */
	return tender_store_settle(self, name, error);
}

static void
tender_store_item_free(TenderStoreItem *item)
{
	g_object_unref(item->workload);
	g_free(item->run.run_id);
	g_free(item);
}

/* a file that cannot be used goes to NAME.json.broken-TIMESTAMP, for a human to look at */
static void
tender_store_move_aside(const gchar *path, const gchar *why)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *stamp = g_date_time_format(now, "%Y%m%dT%H%M%S");
	g_autofree gchar *aside = g_strdup_printf("%s.broken-%s", path, stamp);

	if (g_rename(path, aside) < 0) {
		g_warning("cannot use %s (%s), nor move it aside: %s",
			  path,
			  why,
			  g_strerror(errno));
		return;
	}
	g_warning("cannot use %s: %s; moved it to %s", path, why, aside);
}

static gint
tender_store_compare_names_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static TenderStoreItem *
tender_store_load_file(const gchar *path, const gchar *name, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;
	JsonNode *run;
	TenderStoreItem *item;
	TenderWorkload *workload;

	if (!g_file_get_contents(path, &data, &len, error))
		return NULL;
	if (len > TENDER_STORE_FILE_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "it has %" G_GSIZE_FORMAT " bytes, more than a workload can have",
			    len);
		return NULL;
	}
	root = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, error);
	if (root == NULL)
		return NULL;
	workload = tender_workload_new_from_json(root, NULL, TRUE, error);
	if (workload == NULL)
		return NULL;
	if (g_strcmp0(tender_workload_get_name(workload), name) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "it is the state of workload '%s'",
			    tender_workload_get_name(workload));
		g_object_unref(workload);
		return NULL;
	}
	item = g_new0(TenderStoreItem, 1);
	item->workload = workload;
	run = json_object_get_member(json_node_get_object(root), "run");
	if (run != NULL && JSON_NODE_HOLDS_OBJECT(run)) {
		JsonObject *obj = json_node_get_object(run);
		const gchar *id = json_object_get_string_member_with_default(obj, "id", "");
		gint64 pid = json_object_get_int_member_with_default(obj, "shim_pid", 0);
		item->run.run_id = id[0] != '\0' ? g_strdup(id) : NULL;
		item->run.shim_pid = pid > 0 && pid <= G_MAXINT32 ? (GPid)pid : 0;
		item->run.restart_pending =
		    json_object_get_boolean_member_with_default(obj, "restart_pending", FALSE);
	}
	return item;
}

static gboolean
tender_store_has_synced(TenderStore *self, const gchar *name)
{
	g_autofree gchar *synced = tender_store_synced_path(self, name);
	return g_file_test(synced, G_FILE_TEST_EXISTS);
}

/* NAME.json could not be used: NAME.json.synced, if there is one, takes its place */
static TenderStoreItem *
tender_store_restore_synced(TenderStore *self, const gchar *path, const gchar *name)
{
	g_autofree gchar *synced = tender_store_synced_path(self, name);
	g_autoptr(GError) error = NULL;
	TenderStoreItem *item;

	if (!tender_store_has_synced(self, name))
		return NULL;
	item = tender_store_load_file(synced, name, &error);
	if (item == NULL) {
		tender_store_move_aside(synced, error->message);
		return NULL;
	}
	if (g_rename(synced, path) < 0)
		g_warning("cannot rename %s to %s: %s", synced, path, g_strerror(errno));
	else
		g_warning("%s is the last durable state of workload %s: it is back", path, name);
	return item;
}

/**
 * tender_store_load:
 * @self: a #TenderStore
 *
 * Reads every state file.  Files that cannot be used are moved aside with a warning, and
 * replaced by the durable file that an unsynced one replaced, if there is one; temporary
 * files a crash left behind are removed.
 *
 * Returns: (transfer container) (element-type TenderStoreItem): the workloads, by name
 */
GPtrArray *
tender_store_load(TenderStore *self)
{
	GPtrArray *items = g_ptr_array_new_with_free_func((GDestroyNotify)tender_store_item_free);
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *entry;

	g_return_val_if_fail(TENDER_IS_STORE(self), items);
	dir = g_dir_open(self->dir, 0, &error);
	if (dir == NULL) {
		g_warning("cannot read %s: %s", self->dir, error->message);
		return items;
	}
	while ((entry = g_dir_read_name(dir)) != NULL)
		g_ptr_array_add(names, g_strdup(entry));
	g_ptr_array_sort(names, tender_store_compare_names_cb);
	for (guint i = 0; i < names->len; i++) {
		const gchar *basename = g_ptr_array_index(names, i);
		g_autofree gchar *path = g_build_filename(self->dir, basename, NULL);
		g_autofree gchar *name = NULL;
		g_autoptr(GError) error_local = NULL;
		TenderStoreItem *item;

		if (strstr(basename, ".json.tmp.") != NULL) {
			/* a write that a crash interrupted; the old file is still whole */
			if (g_unlink(path) < 0)
				g_warning("cannot remove %s: %s", path, g_strerror(errno));
			continue;
		}
		if (g_str_has_suffix(basename, ".json.synced")) {
			/* after its NAME.json, by the order of names: what a removal left */
			g_autofree gchar *of = g_strndup(path, strlen(path) - 7);
			if (!g_file_test(of, G_FILE_TEST_EXISTS) && g_unlink(path) < 0)
				g_warning("cannot remove %s: %s", path, g_strerror(errno));
			continue;
		}
		if (!g_str_has_suffix(basename, ".json"))
			continue;
		name = g_strndup(basename, strlen(basename) - 5);
		if (!tender_util_check_name(name, &error_local)) {
			tender_store_move_aside(path, error_local->message);
			continue;
		}
		item = tender_store_load_file(path, name, &error_local);
		if (item == NULL) {
			tender_store_move_aside(path, error_local->message);
			item = tender_store_restore_synced(self, path, name);
			if (item == NULL)
				continue;
		} else if (tender_store_has_synced(self, name)) {
			/* NAME.json may not be durable: the next sync makes it so */
			g_hash_table_add(self->unsynced, g_strdup(name));
		}
		g_ptr_array_add(items, item);
	}
	return items;
}

/**
 * tender_store_setup:
 * @self: a #TenderStore
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the directory exists (mode 0700)
 */
gboolean
tender_store_setup(TenderStore *self, GError **error)
{
	g_return_val_if_fail(TENDER_IS_STORE(self), FALSE);
	if (g_mkdir_with_parents(self->dir, 0700) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    self->dir,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_store_get_dir:
 * @self: a #TenderStore
 *
 * Returns: where the state files are
 */
const gchar *
tender_store_get_dir(TenderStore *self)
{
	g_return_val_if_fail(TENDER_IS_STORE(self), NULL);
	return self->dir;
}

static void
tender_store_finalize(GObject *object)
{
	TenderStore *self = TENDER_STORE(object);
	g_free(self->dir);
	g_hash_table_unref(self->unsynced);
	G_OBJECT_CLASS(tender_store_parent_class)->finalize(object);
}

static void
tender_store_class_init(TenderStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_store_finalize;
}

static void
tender_store_init(TenderStore *self)
{
	self->unsynced = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * tender_store_new:
 * @state_dir: tenderd's state directory
 *
 * Returns: (transfer full): a store for STATE_DIR/workloads
 */
TenderStore *
tender_store_new(const gchar *state_dir)
{
	TenderStore *self = g_object_new(TENDER_TYPE_STORE, NULL);
	self->dir = g_build_filename(state_dir, "workloads", NULL);
	return self;
}
