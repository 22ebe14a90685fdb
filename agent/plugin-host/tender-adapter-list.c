/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-adapter-list.h"
#include "tender-error.h"
#include "tender-resources.h"

/*
 * TenderAdapterList holds the adapter instances configured in the adapters directory
 * (/etc/tender/adapters, [daemon] adapters-dir): one per INSTANCE.conf, of a type some
 * active plugin registered.  A file that cannot be used is logged and skipped; tenderd runs
 * on without it.  A file whose type no plugin provides yet waits for it: a plugin that
 * becomes active later (a deferred one) brings the instances of its types, and they go
 * again when the plugin's registrations are dropped.
 *
 * Each instance is served as a built-in service (tender-adapter-service.c) of the list's
 * services, which the front-ends export; the one with root_api=true is their alias
 * "root_api".
 */

/* the most instance files read; a directory of more is a mistake worth a message */
#define TENDER_ADAPTER_LIST_MAX 256
/* the largest instance file */
#define TENDER_ADAPTER_LIST_FILE_MAX (64 * 1024)
#define TENDER_ADAPTER_LIST_IFACE    "org.tender.Agent1.Adapter"

struct _TenderAdapterList {
	GObject parent_instance;
	TenderEngine *engine;
	TenderPluginList *plugins;
	const TenderConfig *config;
	GHashTable *adapters; /* name → TenderAdapter */
	TenderAdapter *root_api;
	GHashTable *waiting;	     /* name → the adapter type its file waits for */
	TenderServiceList *services; /* one per instance */
	GDBusNodeInfo *introspection;
};

G_DEFINE_TYPE(TenderAdapterList, tender_adapter_list, G_TYPE_OBJECT)

/* @waiting: (out): the type, if no active plugin provides it (yet) */
static TenderAdapter *
tender_adapter_list_load_file(TenderAdapterList *self,
			      const gchar *name,
			      const gchar *path,
			      gchar **waiting,
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
		*waiting = g_strdup(config->type);
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

/* serves an instance, and makes it the root_api one if it is */
static gboolean
tender_adapter_list_add(TenderAdapterList *self, TenderAdapter *adapter, GError **error)
{
	GDBusInterfaceInfo *iface =
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_ADAPTER_LIST_IFACE);
	g_autoptr(TenderService) service = tender_adapter_service_new(adapter, iface, error);

	if (service == NULL || !tender_service_list_add(self->services, service, error))
		return FALSE;
	g_hash_table_insert(self->adapters,
			    g_strdup(tender_adapter_get_name(adapter)),
			    g_object_ref(adapter));
	if (tender_adapter_get_root_api(adapter)) {
		self->root_api = adapter;
		tender_service_list_set_alias(self->services, "root_api", service);
	}
	return TRUE;
}

/* loads the instance file NAME.conf, or has it wait for its type */
static void
tender_adapter_list_load_name(TenderAdapterList *self, const gchar *name)
{
	g_autofree gchar *file = g_strdup_printf("%s.conf", name);
	g_autofree gchar *path = g_build_filename(self->config->adapters_dir, file, NULL);
	g_autofree gchar *waiting = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderAdapter) adapter = NULL;

	adapter = tender_adapter_list_load_file(self, name, path, &waiting, &error);
	if (adapter == NULL || !tender_adapter_list_add(self, adapter, &error)) {
		g_warning("adapter instance %s skipped: %s", name, error->message);
		if (waiting != NULL)
			g_hash_table_insert(self->waiting,
					    g_strdup(name),
					    g_steal_pointer(&waiting));
		return;
	}
	g_info("adapter instance %s (%s) loaded from %s",
	       name,
	       tender_adapter_get_type_name(adapter),
	       path);
}

/* the names waiting for @type, in order */
static GPtrArray *
tender_adapter_list_get_waiting(TenderAdapterList *self, const gchar *type)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_hash_table_iter_init(&iter, self->waiting);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (g_strcmp0(value, type) == 0)
			g_ptr_array_add(names, g_strdup(key));
	}
	g_ptr_array_sort(names, tender_adapter_list_compare_names);
	return names;
}

/* a plugin became active with an adapter type: the instances that waited for it */
static void
tender_adapter_list_adapter_added_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderAdapterList *self = TENDER_ADAPTER_LIST(user_data);
	const TenderAdapterVTable *vtable = data;
	g_autoptr(GPtrArray) names = tender_adapter_list_get_waiting(self, vtable->name);

	for (guint i = 0; i < names->len; i++) {
		g_hash_table_remove(self->waiting, g_ptr_array_index(names, i));
		tender_adapter_list_load_name(self, g_ptr_array_index(names, i));
	}
}

/* the plugin's registrations are dropped: the instances of the type wait for it again */
static void
tender_adapter_list_adapter_removed_cb(TenderPlugin *plugin, gpointer data, gpointer user_data)
{
	TenderAdapterList *self = TENDER_ADAPTER_LIST(user_data);
	const TenderAdapterVTable *vtable = data;
	g_autoptr(GPtrArray) adapters = tender_adapter_list_get_adapters(self);

	for (guint i = 0; i < adapters->len; i++) {
		TenderAdapter *adapter = g_ptr_array_index(adapters, i);
		const gchar *name = tender_adapter_get_name(adapter);

		if (tender_adapter_get_vtable(adapter) != vtable)
			continue;
		g_info("adapter instance %s dropped: its plugin %s no longer provides the type %s",
		       name,
		       tender_plugin_get_name(plugin),
		       vtable->name);
		if (self->root_api == adapter)
			self->root_api = NULL;
		tender_service_list_remove(self->services,
					   tender_service_list_find(self->services, name, NULL));
		g_hash_table_insert(self->waiting, g_strdup(name), g_strdup(vtable->name));
		g_hash_table_remove(self->adapters, name);
	}
}

/**
 * tender_adapter_list_load:
 * @self: a #TenderAdapterList
 *
 * Reads every *.conf of the adapters directory, in the order of their names.  A file whose
 * type no active plugin provides waits for a plugin to register it.
 */
void
tender_adapter_list_load(TenderAdapterList *self)
{
	const gchar *dir_path = self->config->adapters_dir;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *plugins = NULL;
	const gchar *entry;

	g_return_if_fail(TENDER_IS_ADAPTER_LIST(self));
	plugins = tender_plugin_list_get_plugins(self->plugins);
	for (guint i = 0; i < plugins->len; i++) {
		g_signal_connect_object(g_ptr_array_index(plugins, i),
					"adapter-added",
					G_CALLBACK(tender_adapter_list_adapter_added_cb),
					self,
					0);
		g_signal_connect_object(g_ptr_array_index(plugins, i),
					"adapter-removed",
					G_CALLBACK(tender_adapter_list_adapter_removed_cb),
					self,
					0);
	}
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
		g_ptr_array_add(files, g_strndup(entry, strlen(entry) - strlen(".conf")));
	}
	g_ptr_array_sort(files, tender_adapter_list_compare_names);
	for (guint i = 0; i < files->len; i++)
		tender_adapter_list_load_name(self, g_ptr_array_index(files, i));
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
 * tender_adapter_list_get_services:
 * @self: a #TenderAdapterList
 *
 * Returns: (transfer none): the instances as services, for the front-ends to serve
 */
TenderServiceList *
tender_adapter_list_get_services(TenderAdapterList *self)
{
	return self->services;
}

/**
 * tender_adapter_list_to_variant:
 * @self: a #TenderAdapterList
 *
 * Returns: (transfer floating): the instances as ListAdapters answers them, a(sso)
 */
GVariant *
tender_adapter_list_to_variant(TenderAdapterList *self)
{
	g_autoptr(GPtrArray) adapters = tender_adapter_list_get_adapters(self);
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(sso)"));
	for (guint i = 0; i < adapters->len; i++) {
		TenderAdapter *adapter = g_ptr_array_index(adapters, i);
		g_variant_builder_add(&builder,
				      "(sso)",
				      tender_adapter_get_name(adapter),
				      tender_adapter_get_type_name(adapter),
				      tender_adapter_get_object_path(adapter));
	}
	return g_variant_builder_end(&builder);
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
	if (self->plugins != NULL) {
		GPtrArray *plugins = tender_plugin_list_get_plugins(self->plugins);
		for (guint i = 0; i < plugins->len; i++)
			g_signal_handlers_disconnect_by_data(g_ptr_array_index(plugins, i), self);
	}
	g_clear_object(&self->services);
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
	g_hash_table_unref(self->waiting);
	if (self->introspection != NULL)
		g_dbus_node_info_unref(self->introspection);
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
	self->waiting = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->services =
	    tender_service_list_new("adapter instance", tender_adapter_service_get_methods());
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
	g_autoptr(GBytes) xml = NULL;
	g_autoptr(GError) error = NULL;

	self->engine = g_object_ref(engine);
	self->plugins = g_object_ref(plugins);
	self->config = config;
	/* org.tender.Agent1.Adapter, as tenderd's introspection XML declares it */
	xml = g_resource_lookup_data(tender_get_resource(),
				     "/org/tender/Agent1/org.tender.Agent1.xml",
				     G_RESOURCE_LOOKUP_FLAGS_NONE,
				     &error);
	if (xml != NULL)
		self->introspection =
		    g_dbus_node_info_new_for_xml(g_bytes_get_data(xml, NULL), &error);
	if (self->introspection == NULL ||
	    g_dbus_node_info_lookup_interface(self->introspection, TENDER_ADAPTER_LIST_IFACE) ==
		NULL)
		g_error("tenderd's introspection XML has no %s: %s",
			TENDER_ADAPTER_LIST_IFACE,
			error != NULL ? error->message : "it is not there");
	return self;
}
