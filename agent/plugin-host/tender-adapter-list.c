/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-list.h"
#include "tender-error.h"

/*
 * TenderAdapterList holds the adapter instances configured in the adapters directory
 * (/etc/tender/adapters, [daemon] adapters-dir): one per INSTANCE.conf, of a type some
 * loaded plugin registered.  A file that cannot be used is logged and skipped; tenderd runs
 * on without it.
 */

/* the most instance files read; a directory of more is a mistake worth a message */
#define TENDER_ADAPTER_LIST_MAX 256
/* the largest instance file */
#define TENDER_ADAPTER_LIST_FILE_MAX (64 * 1024)

struct _TenderAdapterList {
	GObject parent_instance;
	TenderEngine *engine;
	TenderPluginList *plugins;
	const TenderConfig *config;
	GHashTable *adapters; /* name → TenderAdapter */
	TenderAdapter *root_api;
};

G_DEFINE_TYPE(TenderAdapterList, tender_adapter_list, G_TYPE_OBJECT)

static TenderAdapter *
tender_adapter_list_load_file(TenderAdapterList *self,
			      const gchar *name,
			      const gchar *path,
			      GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autoptr(TenderAdapterConfig) config = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *contents = NULL;
	const TenderAdapterVTable *klass;
	gsize len = 0;

	if (!g_file_get_contents(path, &contents, &len, error))
		return NULL;
	if (len > TENDER_ADAPTER_LIST_FILE_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s is larger than %u bytes",
			    path,
			    (guint)TENDER_ADAPTER_LIST_FILE_MAX);
		return NULL;
	}
	if (!g_key_file_load_from_data(keyfile, contents, len, G_KEY_FILE_NONE, &error_local)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s: %s",
			    path,
			    error_local->message);
		return NULL;
	}
	config = tender_adapter_config_new_from_keyfile(keyfile, path, error);
	if (config == NULL)
		return NULL;
	klass = tender_plugin_list_find_adapter(self->plugins, config->type, NULL);
	if (klass == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "%s: [adapter] type: no loaded plugin provides the adapter type '%s'",
			    path,
			    config->type);
		return NULL;
	}
	if (config->root_api && self->root_api != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "%s: [adapter] root_api: instance '%s' answers on /api/... already; "
			    "only one instance may",
			    path,
			    tender_adapter_get_name(self->root_api));
		return NULL;
	}
	return tender_adapter_new(self->engine,
				  klass,
				  name,
				  path,
				  keyfile,
				  g_steal_pointer(&config),
				  self->config->state_dir,
				  error);
}

static gint
tender_adapter_list_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * tender_adapter_list_load:
 * @self: a #TenderAdapterList
 *
 * Reads every *.conf of the adapters directory, in the order of their names.
 */
void
tender_adapter_list_load(TenderAdapterList *self)
{
	const gchar *dir_path = self->config->adapters_dir;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	const gchar *entry;

	g_return_if_fail(TENDER_IS_ADAPTER_LIST(self));
	dir = g_dir_open(dir_path, 0, &error);
	if (dir == NULL) {
		if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_debug("no adapter instances: %s does not exist", dir_path);
		else
			g_warning("cannot read the adapter instances in %s: %s",
				  dir_path,
				  error->message);
		return;
	}
	while ((entry = g_dir_read_name(dir)) != NULL) {
		if (!g_str_has_suffix(entry, ".conf") || entry[0] == '.')
			continue;
		if (files->len >= TENDER_ADAPTER_LIST_MAX) {
			g_warning("%s has more than %u instance files; the others are skipped",
				  dir_path,
				  (guint)TENDER_ADAPTER_LIST_MAX);
			break;
		}
		g_ptr_array_add(files, g_strdup(entry));
	}
	g_ptr_array_sort(files, tender_adapter_list_compare_names);
	for (guint i = 0; i < files->len; i++) {
		const gchar *file = g_ptr_array_index(files, i);
		g_autofree gchar *name = g_strndup(file, strlen(file) - strlen(".conf"));
		g_autofree gchar *path = g_build_filename(dir_path, file, NULL);
		g_autoptr(GError) error_local = NULL;
		TenderAdapter *adapter;

		adapter = tender_adapter_list_load_file(self, name, path, &error_local);
		if (adapter == NULL) {
			g_warning("adapter instance %s skipped: %s", name, error_local->message);
			continue;
		}
		if (tender_adapter_get_root_api(adapter))
			self->root_api = adapter;
		g_hash_table_insert(self->adapters, g_strdup(name), adapter);
		g_info("adapter instance %s (%s) loaded from %s",
		       name,
		       tender_adapter_get_type_name(adapter),
		       path);
	}
}

static gint
tender_adapter_list_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(tender_adapter_get_name(*(TenderAdapter *const *)a),
			 tender_adapter_get_name(*(TenderAdapter *const *)b));
}

/**
 * tender_adapter_list_get_adapters:
 * @self: a #TenderAdapterList
 *
 * Returns: (transfer container) (element-type TenderAdapter): the instances, by name
 */
GPtrArray *
tender_adapter_list_get_adapters(TenderAdapterList *self)
{
	GPtrArray *array = g_ptr_array_new_with_free_func(g_object_unref);
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->adapters);
	while (g_hash_table_iter_next(&iter, NULL, &value))
		g_ptr_array_add(array, g_object_ref(value));
	g_ptr_array_sort(array, tender_adapter_list_compare);
	return array;
}

/**
 * tender_adapter_list_find:
 * @self: a #TenderAdapterList
 * @name: an instance name
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none): the instance, or %NULL with %TENDER_ERROR_NOT_FOUND
 */
TenderAdapter *
tender_adapter_list_find(TenderAdapterList *self, const gchar *name, GError **error)
{
	TenderAdapter *adapter = g_hash_table_lookup(self->adapters, name);

	if (adapter == NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No adapter instance '%s'",
			    name);
	return adapter;
}

/**
 * tender_adapter_list_get_root_api:
 * @self: a #TenderAdapterList
 *
 * Returns: (transfer none) (nullable): the instance with root_api=true, if any
 */
TenderAdapter *
tender_adapter_list_get_root_api(TenderAdapterList *self)
{
	return self->root_api;
}

static void
tender_adapter_list_dispose(GObject *object)
{
	TenderAdapterList *self = TENDER_ADAPTER_LIST(object);

	self->root_api = NULL;
	g_hash_table_remove_all(self->adapters);
	g_clear_object(&self->plugins);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_adapter_list_parent_class)->dispose(object);
}

static void
tender_adapter_list_finalize(GObject *object)
{
	TenderAdapterList *self = TENDER_ADAPTER_LIST(object);

	g_hash_table_unref(self->adapters);
	G_OBJECT_CLASS(tender_adapter_list_parent_class)->finalize(object);
}

static void
tender_adapter_list_class_init(TenderAdapterListClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_adapter_list_dispose;
	object_class->finalize = tender_adapter_list_finalize;
}

static void
tender_adapter_list_init(TenderAdapterList *self)
{
	self->adapters = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * tender_adapter_list_new:
 * @engine: the engine the instances' workloads live in
 * @plugins: the loaded plugins, which provide the adapter types
 * @config: tenderd's settings (adapters_dir, state_dir); must outlive the list
 *
 * Returns: (transfer full): an empty list; tender_adapter_list_load() fills it
 */
TenderAdapterList *
tender_adapter_list_new(TenderEngine *engine, TenderPluginList *plugins, const TenderConfig *config)
{
	TenderAdapterList *self = g_object_new(TENDER_TYPE_ADAPTER_LIST, NULL);

	self->engine = g_object_ref(engine);
	self->plugins = g_object_ref(plugins);
	self->config = config;
	return self;
}
