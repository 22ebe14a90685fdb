/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-tool-store.h"
#include "tender-docker-tool.h"

/*
 * TenderDockerToolStore keeps the tool runs' records in a folder (STATE_DIR/tools), one file a
 * run, ID.json, replaced atomically (a temporary file beside it, fsync, rename: a crash leaves
 * the old record or the new one).  The files are written, removed and read in worker threads,
 * never on the main loop.  The operations on one run's file are done one at a time, in the
 * order asked: while one is in a thread, the next waits, and a newer save replaces a save that
 * waits (its callers are answered when the newer one is written).
 */

typedef struct {
	gboolean busy;	       /* an operation on the file is in a thread */
	gchar *next_text;      /* the next save's contents, or NULL */
	gboolean next_remove;  /* the next operation removes the file */
	GPtrArray *next_tasks; /* of GTask: answered once the next operation is done */
} TenderDockerToolStoreEntry;

struct _TenderDockerToolStore {
	GObject parent_instance;
	gchar *dir;
	gchar *prefix;			       /* of the ids, and of the files' names */
	TenderDockerToolStoreCheckId check_id; /* which names are records' */
	GHashTable *entries; /* id → TenderDockerToolStoreEntry, while an operation waits or runs */
};

G_DEFINE_TYPE(TenderDockerToolStore, tender_docker_tool_store, G_TYPE_OBJECT)

static void
tender_docker_tool_store_entry_free(TenderDockerToolStoreEntry *entry)
{
	g_free(entry->next_text);
	g_ptr_array_unref(entry->next_tasks);
	g_free(entry);
}

static void
tender_docker_tool_store_finalize(GObject *object)
{
	TenderDockerToolStore *self = TENDER_DOCKER_TOOL_STORE(object);

	g_free(self->dir);
	g_free(self->prefix);
	g_hash_table_unref(self->entries);
	G_OBJECT_CLASS(tender_docker_tool_store_parent_class)->finalize(object);
}

static void
tender_docker_tool_store_class_init(TenderDockerToolStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_docker_tool_store_finalize;
}

static void
tender_docker_tool_store_init(TenderDockerToolStore *self)
{
	self->entries = g_hash_table_new_full(g_str_hash,
					      g_str_equal,
					      g_free,
					      (GDestroyNotify)tender_docker_tool_store_entry_free);
}

/**
 * tender_docker_tool_store_new:
 * @dir: the folder of the records, made when first written
 *
 * Returns: (transfer full): a store
 */
TenderDockerToolStore *
tender_docker_tool_store_new(const gchar *dir)
{
	return tender_docker_tool_store_new_full(dir,
						 TENDER_DOCKER_TOOL_ID_PREFIX,
						 tender_docker_tool_check_id);
}

/**
 * tender_docker_tool_store_new_full:
 * @dir: the folder of the records, made when first written
 * @prefix: how the ids begin
 * @check_id: whether a file's name (without .json) is a record's id
 *
 * A store of other records than tool runs' (the relics').
 *
 * Returns: (transfer full): a store
 */
TenderDockerToolStore *
tender_docker_tool_store_new_full(const gchar *dir,
				  const gchar *prefix,
				  TenderDockerToolStoreCheckId check_id)
{
	TenderDockerToolStore *self = g_object_new(TENDER_TYPE_DOCKER_TOOL_STORE, NULL);

	self->dir = g_strdup(dir);
	self->prefix = g_strdup(prefix);
	self->check_id = check_id;
	return self;
}

const gchar *
tender_docker_tool_store_get_dir(TenderDockerToolStore *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL_STORE(self), NULL);
	return self->dir;
}

/**
 * tender_docker_tool_store_is_idle:
 * @self: a #TenderDockerToolStore
 *
 * Returns: whether no operation runs or waits
 */
gboolean
tender_docker_tool_store_is_idle(TenderDockerToolStore *self)
{
	g_return_val_if_fail(TENDER_IS_DOCKER_TOOL_STORE(self), TRUE);
	return g_hash_table_size(self->entries) == 0;
}

static gboolean
tender_docker_tool_store_make_dir(const gchar *dir, GError **error)
{
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		gint saved = errno;
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot make %s: %s",
			    dir,
			    g_strerror(saved));
		return FALSE;
	}
	return TRUE;
}

/* --- one operation on a file, in a thread --- */

typedef struct {
	gchar *dir;
	gchar *path;
	gchar *text; /* NULL: remove the file */
	GPtrArray *tasks;
} TenderDockerToolStoreOp;

static void
tender_docker_tool_store_op_free(TenderDockerToolStoreOp *op)
{
	g_free(op->dir);
	g_free(op->path);
	g_free(op->text);
	g_ptr_array_unref(op->tasks);
	g_free(op);
}

static void
tender_docker_tool_store_op_thread(GTask *task,
				   gpointer source_object,
				   gpointer task_data,
				   GCancellable *cancellable)
{
	TenderDockerToolStoreOp *op = task_data;
	GError *error = NULL;

	if (op->text == NULL) {
		if (g_unlink(op->path) < 0 && errno != ENOENT) {
			gint saved = errno;
			g_task_return_new_error(task,
						TENDER_ERROR,
						TENDER_ERROR_FAILED,
						"Cannot remove %s: %s",
						op->path,
						g_strerror(saved));
			return;
		}
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (!tender_docker_tool_store_make_dir(op->dir, &error) ||
	    !g_file_set_contents_full(op->path,
				      op->text,
				      -1,
				      G_FILE_SET_CONTENTS_CONSISTENT,
				      0600,
				      &error)) {
		if (error->domain != TENDER_ERROR) {
			GError *old = error;
			error = g_error_new(TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "Cannot write %s: %s",
					    op->path,
					    old->message);
			g_error_free(old);
		}
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
tender_docker_tool_store_kick(TenderDockerToolStore *self, const gchar *id);

static void
tender_docker_tool_store_op_done(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderDockerToolStore *self = TENDER_DOCKER_TOOL_STORE(source);
	g_autofree gchar *id = user_data;
	TenderDockerToolStoreOp *op = g_task_get_task_data(G_TASK(res));
	g_autoptr(GPtrArray) tasks = g_ptr_array_ref(op->tasks);
	TenderDockerToolStoreEntry *entry = g_hash_table_lookup(self->entries, id);
	g_autoptr(GError) error = NULL;

	if (!g_task_propagate_boolean(G_TASK(res), &error))
		g_warning("%s", error->message);
	for (guint i = 0; i < tasks->len; i++) {
		GTask *task = g_ptr_array_index(tasks, i);
		if (error != NULL)
			g_task_return_error(task, g_error_copy(error));
		else
			g_task_return_boolean(task, TRUE);
	}
	entry->busy = FALSE;
	if (entry->next_text == NULL && !entry->next_remove) {
		g_hash_table_remove(self->entries, id);
		return;
	}
	tender_docker_tool_store_kick(self, id);
}

/* starts the next operation on the file of @id */
static void
tender_docker_tool_store_kick(TenderDockerToolStore *self, const gchar *id)
{
	TenderDockerToolStoreEntry *entry = g_hash_table_lookup(self->entries, id);
	TenderDockerToolStoreOp *op = g_new0(TenderDockerToolStoreOp, 1);
	g_autofree gchar *name = g_strconcat(id, ".json", NULL);
	g_autoptr(GTask) task =
	    g_task_new(self, NULL, tender_docker_tool_store_op_done, g_strdup(id));

	op->dir = g_strdup(self->dir);
	op->path = g_build_filename(self->dir, name, NULL);
	op->text = g_steal_pointer(&entry->next_text);
	op->tasks = entry->next_tasks;
	entry->next_tasks = g_ptr_array_new_with_free_func(g_object_unref);
	entry->next_remove = FALSE;
	entry->busy = TRUE;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_docker_tool_store_op_free);
	g_task_run_in_thread(task, tender_docker_tool_store_op_thread);
}

static TenderDockerToolStoreEntry *
tender_docker_tool_store_entry(TenderDockerToolStore *self, const gchar *id)
{
	TenderDockerToolStoreEntry *entry = g_hash_table_lookup(self->entries, id);

	if (entry == NULL) {
		entry = g_new0(TenderDockerToolStoreEntry, 1);
		entry->next_tasks = g_ptr_array_new_with_free_func(g_object_unref);
		g_hash_table_insert(self->entries, g_strdup(id), entry);
	}
	return entry;
}

/**
 * tender_docker_tool_store_save_async:
 * @self: a #TenderDockerToolStore
 * @id: a run's id
 * @state: its record, from tender_docker_tool_to_state()
 * @cancellable: (nullable): a #GCancellable (for the answer only: the file is written anyway)
 * @callback: (nullable): called once the file holds @state, or something newer
 * @user_data: for @callback
 *
 * Replaces the run's file with @state.
 */
void
tender_docker_tool_store_save_async(TenderDockerToolStore *self,
				    const gchar *id,
				    JsonObject *state,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerToolStoreEntry *entry = tender_docker_tool_store_entry(self, id);
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);

	g_task_set_source_tag(task, tender_docker_tool_store_save_async);
	json_node_set_object(node, state);
	g_free(entry->next_text);
	entry->next_text = json_to_string(node, FALSE);
	entry->next_remove = FALSE;
	g_ptr_array_add(entry->next_tasks, task);
	if (!entry->busy)
		tender_docker_tool_store_kick(self, id);
}

gboolean
tender_docker_tool_store_save_finish(TenderDockerToolStore *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_docker_tool_store_remove:
 * @self: a #TenderDockerToolStore
 * @id: a run's id
 *
 * Removes the run's file (after the operations on it that were asked before).
 */
void
tender_docker_tool_store_remove(TenderDockerToolStore *self, const gchar *id)
{
	TenderDockerToolStoreEntry *entry;

	g_return_if_fail(TENDER_IS_DOCKER_TOOL_STORE(self));
	entry = tender_docker_tool_store_entry(self, id);
	g_clear_pointer(&entry->next_text, g_free);
	entry->next_remove = TRUE;
	if (!entry->busy)
		tender_docker_tool_store_kick(self, id);
}

/* --- loading --- */

typedef struct {
	gchar *dir;
	guint max_files;
	gsize max_size;
	gchar *prefix;
	TenderDockerToolStoreCheckId check_id;
} TenderDockerToolStoreLoad;

static void
tender_docker_tool_store_load_free(TenderDockerToolStoreLoad *load)
{
	g_free(load->dir);
	g_free(load->prefix);
	g_free(load);
}

/* a record's file: NULL (and a warning) if it cannot be used, and then it is removed */
static JsonObject *
tender_docker_tool_store_load_file(const gchar *path, gsize max_size)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;
	GStatBuf st;

	if (g_stat(path, &st) < 0 || !S_ISREG(st.st_mode) || (guint64)st.st_size > max_size) {
		g_warning("Ignoring %s: not a file of at most %" G_GSIZE_FORMAT " bytes",
			  path,
			  max_size);
		return NULL;
	}
	if (!g_file_get_contents(path, &data, &len, &error)) {
		g_warning("Cannot read %s: %s", path, error->message);
		return NULL;
	}
	root = tender_json_parse(data, (gssize)len, TENDER_DOCKER_TOOL_STORE_DEPTH_MAX, &error);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_warning("Removing %s: it is not a tool run's record%s%s",
			  path,
			  error != NULL ? ": " : "",
			  error != NULL ? error->message : "");
		(void)g_unlink(path);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

static void
tender_docker_tool_store_load_thread(GTask *task,
				     gpointer source_object,
				     gpointer task_data,
				     GCancellable *cancellable)
{
	TenderDockerToolStoreLoad *load = task_data;
	g_autoptr(GPtrArray) records =
	    g_ptr_array_new_with_free_func((GDestroyNotify)json_object_unref);
	g_autoptr(GDir) dir = NULL;
	GError *error = NULL;
	const gchar *name;

	if (!tender_docker_tool_store_make_dir(load->dir, &error)) {
		g_task_return_error(task, error);
		return;
	}
	dir = g_dir_open(load->dir, 0, &error);
	if (dir == NULL) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"Cannot read %s: %s",
					load->dir,
					error->message);
		g_error_free(error);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(load->dir, name, NULL);
		g_autofree gchar *id = NULL;
		JsonObject *record;
		if (g_str_has_prefix(name, load->prefix) && strstr(name, ".json.") != NULL) {
			/* the temporary file of a save that a crash cut short */
			(void)g_unlink(path);
			continue;
		}
		if (!g_str_has_suffix(name, ".json"))
			continue;
		id = g_strndup(name, strlen(name) - strlen(".json"));
		if (!load->check_id(id))
			continue;
		if (records->len >= load->max_files) {
			g_warning("Ignoring %s: tender keeps at most %u tool runs",
				  path,
				  load->max_files);
			continue;
		}
		record = tender_docker_tool_store_load_file(path, load->max_size);
		if (record != NULL)
			g_ptr_array_add(records, record);
	}
	g_task_return_pointer(task, g_steal_pointer(&records), (GDestroyNotify)g_ptr_array_unref);
}

/**
 * tender_docker_tool_store_load_async:
 * @self: a #TenderDockerToolStore
 * @max_files: how many records to read at most
 * @max_size: the largest file read
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the records
 * @user_data: for @callback
 *
 * Reads the records (making the folder if it is not there), and removes what a crash left:
 * temporary files, and files that are not JSON objects.
 */
void
tender_docker_tool_store_load_async(TenderDockerToolStore *self,
				    guint max_files,
				    gsize max_size,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	TenderDockerToolStoreLoad *load = g_new0(TenderDockerToolStoreLoad, 1);

	g_task_set_source_tag(task, tender_docker_tool_store_load_async);
	load->dir = g_strdup(self->dir);
	load->max_files = max_files;
	load->max_size = max_size;
	load->prefix = g_strdup(self->prefix);
	load->check_id = self->check_id;
	g_task_set_task_data(task, load, (GDestroyNotify)tender_docker_tool_store_load_free);
	g_task_run_in_thread(task, tender_docker_tool_store_load_thread);
}

/**
 * tender_docker_tool_store_load_finish:
 * @self: a #TenderDockerToolStore
 * @res: the result
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full) (element-type JsonObject): the records, in no order
 */
GPtrArray *
tender_docker_tool_store_load_finish(TenderDockerToolStore *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
