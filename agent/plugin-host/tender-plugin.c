/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tender-error.h"
#include "tender-plugin-feature.h"
#include "tender-plugin-instance-private.h"
#include "tender-plugin-list.h"
#include "tender-plugin-runtime.h"

/*
 * TenderPlugin: one plugin file and, once loaded, what it registered.  Each public function
 * is a thin door into the engine or the front-ends' registries; no plugin gets at tenderd's
 * internals any other way.
 */

typedef struct {
	guint id;
	TenderPluginStateFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} TenderPluginWatch;

G_DEFINE_TYPE(TenderPlugin, tender_plugin, G_TYPE_OBJECT)

enum {
	SIGNAL_DBUS_OBJECT_ADDED,
	SIGNAL_DBUS_OBJECT_REMOVED,
	SIGNAL_SERVICE_ADDED,
	SIGNAL_SERVICE_REMOVED,
	SIGNAL_ADAPTER_ADDED,
	SIGNAL_ADAPTER_REMOVED,
	SIGNAL_LAST,
};
static guint signals[SIGNAL_LAST] = {0};

static void
tender_plugin_watch_clear(gpointer data)
{
	TenderPluginWatch *watch = data;
	if (watch->destroy != NULL)
		watch->destroy(watch->user_data);
}

/* --- the core's side --- */

/**
 * tender_plugin_new:
 * @filename: the shared object
 * @engine: (nullable): the engine its workloads go to (%NULL only in unit tests)
 * @config: tenderd's settings
 * @authority: (nullable): the polkit authority (%NULL only in unit tests)
 *
 * Returns: (transfer full): a plugin not loaded yet, named after its file
 */
TenderPlugin *
tender_plugin_new(const gchar *filename,
		  TenderEngine *engine,
		  const TenderConfig *config,
		  TenderAuthority *authority)
{
	TenderPlugin *self = g_object_new(TENDER_TYPE_PLUGIN, NULL);
	g_autofree gchar *base = g_path_get_basename(filename);

	if (g_str_has_suffix(base, "." G_MODULE_SUFFIX))
		base[strlen(base) - strlen("." G_MODULE_SUFFIX)] = '\0';
	self->filename = g_strdup(filename);
	self->name = g_steal_pointer(&base);
	self->version = g_strdup("");
	self->description = g_strdup("");
	self->engine = engine;
	self->config = config;
	self->authority = authority != NULL ? g_object_ref(authority) : NULL;
	return self;
}

const gchar *
tender_plugin_get_filename(TenderPlugin *self)
{
	return self->filename;
}

const gchar *
tender_plugin_get_version(TenderPlugin *self)
{
	return self->version;
}

const gchar *
tender_plugin_get_description(TenderPlugin *self)
{
	return self->description;
}

TenderPluginStatus
tender_plugin_get_status(TenderPlugin *self)
{
	return self->status;
}

const gchar *
tender_plugin_get_status_message(TenderPlugin *self)
{
	return self->status_message;
}

/**
 * tender_plugin_get_status_string:
 * @self: a #TenderPlugin
 *
 * Returns: "active", "disabled", "deferred: " and what it waits for, or "failed: " and why,
 *   as ListPlugins shows it
 */
gchar *
tender_plugin_get_status_string(TenderPlugin *self)
{
	switch (self->status) {
	case TENDER_PLUGIN_STATUS_ACTIVE:
		return g_strdup("active");
	case TENDER_PLUGIN_STATUS_DISABLED:
		return g_strdup("disabled");
	case TENDER_PLUGIN_STATUS_DEFERRED:
		return g_strdup_printf("deferred: %s", self->status_message);
	case TENDER_PLUGIN_STATUS_FAILED:
	default:
		return g_strdup_printf("failed: %s", self->status_message);
	}
}

void
tender_plugin_set_status(TenderPlugin *self, TenderPluginStatus status, const gchar *message)
{
	self->status = status;
	g_free(self->status_message);
	self->status_message = g_strdup(message != NULL ? message : "");
}

/**
 * tender_plugin_set_descriptor:
 * @self: a #TenderPlugin
 * @module: (transfer full) (nullable): the module the descriptor came from
 * @descriptor: a checked descriptor
 *
 * Takes the name, version and description of the plugin from @descriptor.
 */
void
tender_plugin_set_descriptor(TenderPlugin *self,
			     GModule *module,
			     const TenderPluginDescriptor *descriptor)
{
	self->module = module;
	self->descriptor = descriptor;
	g_free(self->name);
	self->name = g_strdup(descriptor->name);
	g_free(self->version);
	self->version = g_strdup(descriptor->version != NULL ? descriptor->version : "");
	g_free(self->description);
	self->description =
	    g_strdup(descriptor->description != NULL ? descriptor->description : "");
	g_free(self->config_group);
	self->config_group = g_strdup_printf("plugin %s", self->name);
}

/* undo what a failed or deferred probe registered, so nothing of it is ever served */
void
tender_plugin_clear_registrations(TenderPlugin *self)
{
	while (self->dbus_objects->len > 0) {
		TenderPluginDbusObject *obj = g_ptr_array_index(self->dbus_objects, 0);
		g_signal_emit(self, signals[SIGNAL_DBUS_OBJECT_REMOVED], 0, obj);
		g_ptr_array_remove_index(self->dbus_objects, 0);
	}
	while (self->services->len > 0) {
		g_signal_emit(self, signals[SIGNAL_SERVICE_REMOVED], 0, self->services->pdata[0]);
		g_ptr_array_remove_index(self->services, 0);
	}
	while (self->feature_objects->len > 0) {
		g_signal_emit(self,
			      signals[SIGNAL_SERVICE_REMOVED],
			      0,
			      self->feature_objects->pdata[0]);
		g_ptr_array_remove_index(self->feature_objects, 0);
	}
	g_ptr_array_set_size(self->routes, 0);
	tender_plugin_clear_http_aliases(self);
	/* adapter types: their instances go (tender-adapter-list.c) */
	while (self->adapters->len > 0) {
		g_signal_emit(self, signals[SIGNAL_ADAPTER_REMOVED], 0, self->adapters->pdata[0]);
		g_ptr_array_remove_index(self->adapters, 0);
	}
	tender_plugin_clear_runtimes(self);
	g_array_set_size(self->watches, 0);
	if (self->data_destroy != NULL)
		self->data_destroy(self->data);
	self->data = NULL;
	self->data_destroy = NULL;
}

/**
 * tender_plugin_check_subpath_free:
 * @self: a #TenderPlugin
 * @subpath: where an object or a service is to be added
 * @array: the plugin's registrations of that kind
 * @max: how many of them it may have
 * @what: their name in an error, e.g. "services"
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the plugin has neither an object nor a service at @subpath, and fewer
 *   than @max in @array
 */
gboolean
tender_plugin_check_subpath_free(TenderPlugin *self,
				 const gchar *subpath,
				 GPtrArray *array,
				 guint max,
				 const gchar *what,
				 GError **error)
{
	if (tender_plugin_find_dbus_object(self, subpath, NULL) != NULL ||
	    tender_plugin_lookup_service(self, subpath) != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "The plugin has an object at '%s' already",
			    subpath);
		return FALSE;
	}
	if (array->len >= max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The plugin has %u %s already, the most allowed",
			    max,
			    what);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_plugin_add_registration:
 * @self: a #TenderPlugin
 * @array: the plugin's registrations of one kind
 * @item: (transfer full): the new one
 * @signal_name: the signal that announces it, e.g. "service-added"
 *
 * Keeps @item; during init or a probe, it is served once the plugin is active.
 */
void
tender_plugin_add_registration(TenderPlugin *self,
			       GPtrArray *array,
			       gpointer item,
			       const gchar *signal_name)
{
	g_ptr_array_add(array, item);
	if (self->initialized)
		g_signal_emit_by_name(self, signal_name, item);
}

/**
 * tender_plugin_remove_registration:
 * @self: a #TenderPlugin
 * @array: the plugin's registrations of one kind
 * @item: (nullable): the one at @subpath, found at @index of @array
 * @index: its index
 * @signal_name: the signal that takes it off, e.g. "service-removed"
 * @what: its kind in an error, e.g. "service"
 * @subpath: where it was looked for
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @item was there and is removed
 */
gboolean
tender_plugin_remove_registration(TenderPlugin *self,
				  GPtrArray *array,
				  gpointer item,
				  guint index,
				  const gchar *signal_name,
				  const gchar *what,
				  const gchar *subpath,
				  GError **error)
{
	if (item == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "The plugin has no %s at '%s'",
			    what,
			    subpath);
		return FALSE;
	}
	g_signal_emit_by_name(self, signal_name, item);
	g_ptr_array_remove_index(array, index);
	return TRUE;
}

/* once active, what the plugin registered is served: the front-ends hear of it */
void
tender_plugin_announce_registrations(TenderPlugin *self)
{
	for (guint i = 0; i < self->dbus_objects->len; i++)
		g_signal_emit(self,
			      signals[SIGNAL_DBUS_OBJECT_ADDED],
			      0,
			      g_ptr_array_index(self->dbus_objects, i));
	for (guint i = 0; i < self->services->len; i++)
		g_signal_emit(self,
			      signals[SIGNAL_SERVICE_ADDED],
			      0,
			      g_ptr_array_index(self->services, i));
	for (guint i = 0; i < self->feature_objects->len; i++)
		g_signal_emit(self,
			      signals[SIGNAL_SERVICE_ADDED],
			      0,
			      g_ptr_array_index(self->feature_objects, i));
	/* adapter types: their instances come (tender-adapter-list.c) */
	for (guint i = 0; i < self->adapters->len; i++)
		g_signal_emit(self,
			      signals[SIGNAL_ADAPTER_ADDED],
			      0,
			      g_ptr_array_index(self->adapters, i));
	tender_plugin_announce_runtimes(self);
}

/**
 * tender_plugin_get_initialized:
 * @self: a #TenderPlugin
 *
 * Returns: %TRUE once the plugin's init or probe succeeded: what it registers from then on
 *   is served at once, what it registered before was announced when it succeeded
 */
gboolean
tender_plugin_get_initialized(TenderPlugin *self)
{
	return self->initialized;
}

/**
 * tender_plugin_dispatch_state:
 * @self: a #TenderPlugin
 * @workload: the workload's name
 * @old_state: its state before, or ""
 * @new_state: its state now, or ""
 * @reason: its Reason
 *
 * Calls the plugin's watches.
 */
void
tender_plugin_dispatch_state(TenderPlugin *self,
			     const gchar *workload,
			     const gchar *old_state,
			     const gchar *new_state,
			     const gchar *reason)
{
	if (self->status != TENDER_PLUGIN_STATUS_ACTIVE)
		return;
	/* a watch may remove itself (or add one): go by id, from a copy */
	for (guint i = 0; i < self->watches->len; i++) {
		TenderPluginWatch watch = g_array_index(self->watches, TenderPluginWatch, i);
		watch.func(self, workload, old_state, new_state, reason, watch.user_data);
		if (i < self->watches->len &&
		    g_array_index(self->watches, TenderPluginWatch, i).id != watch.id)
			i--;
	}
}

void
tender_plugin_set_connection(TenderPlugin *self, GDBusConnection *connection)
{
	tender_plugin_unwatch_names(self, FALSE);
	g_set_object(&self->connection, connection);
	tender_plugin_arm_names(self);
}

TenderEngine *
tender_plugin_get_engine(TenderPlugin *self)
{
	return self->engine;
}

GDBusConnection *
tender_plugin_get_connection(TenderPlugin *self)
{
	return self->connection;
}

GPtrArray *
tender_plugin_get_dbus_objects(TenderPlugin *self)
{
	return self->dbus_objects;
}

GPtrArray *
tender_plugin_get_routes(TenderPlugin *self)
{
	return self->routes;
}

GPtrArray *
tender_plugin_get_services(TenderPlugin *self)
{
	return self->services;
}

GPtrArray *
tender_plugin_get_adapters(TenderPlugin *self)
{
	return self->adapters;
}

GPtrArray *
tender_plugin_get_runtimes(TenderPlugin *self)
{
	return self->runtimes;
}

/* --- the plugin API: the plugin itself --- */

/**
 * tender_plugin_get_name:
 * @self: a #TenderPlugin
 *
 * Returns: the plugin's name, from its descriptor
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_get_name(TenderPlugin *self)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	return self->name;
}

/**
 * tender_plugin_set_data:
 * @self: a #TenderPlugin
 * @data: (nullable): the plugin's own state
 * @destroy: (nullable): frees @data when tenderd exits, or when init fails
 *
 * Keeps one pointer for the plugin; a previous one is destroyed.
 *
 * Since: 0.1
 */
void
tender_plugin_set_data(TenderPlugin *self, gpointer data, GDestroyNotify destroy)
{
	g_return_if_fail(TENDER_IS_PLUGIN(self));
	if (self->data_destroy != NULL)
		self->data_destroy(self->data);
	self->data = data;
	self->data_destroy = destroy;
}

/**
 * tender_plugin_get_data:
 * @self: a #TenderPlugin
 *
 * Returns: (transfer none) (nullable): what tender_plugin_set_data() kept
 *
 * Since: 0.1
 */
gpointer
tender_plugin_get_data(TenderPlugin *self)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	return self->data;
}

/**
 * tender_plugin_get_state_dir:
 * @self: a #TenderPlugin
 *
 * The plugin's own directory for state that must survive restarts and reboots,
 * STATE_DIR/plugins/NAME (by default /var/lib/tender/plugins/NAME), mode 0700, owned by
 * root.  It exists before init is called.
 *
 * Returns: an absolute path
 *
 * Since: 0.1
 */
const gchar *
tender_plugin_get_state_dir(TenderPlugin *self)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	return self->state_dir;
}

/**
 * tender_plugin_get_config_string:
 * @self: a #TenderPlugin
 * @key: a key of the group [plugin NAME] in tenderd.conf
 * @default_value: (nullable): what to return when the key is not there
 *
 * Returns: (transfer full) (nullable): the value, without surrounding blanks
 *
 * Since: 0.1
 */
gchar *
tender_plugin_get_config_string(TenderPlugin *self, const gchar *key, const gchar *default_value)
{
	gchar *value;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	g_return_val_if_fail(key != NULL, NULL);
	value = g_key_file_get_string(self->config->keyfile, self->config_group, key, NULL);
	if (value == NULL)
		return g_strdup(default_value);
	return g_strstrip(value);
}

/**
 * tender_plugin_get_config_boolean:
 * @self: a #TenderPlugin
 * @key: a key of the group [plugin NAME] in tenderd.conf
 * @default_value: what to return when the key is not there
 * @error: (nullable): a #GError, set when the value is not true or false
 *
 * Returns: the value; on error %FALSE
 *
 * Since: 0.1
 */
gboolean
tender_plugin_get_config_boolean(TenderPlugin *self,
				 const gchar *key,
				 gboolean default_value,
				 GError **error)
{
	g_autofree gchar *text = tender_plugin_get_config_string(self, key, NULL);

	if (text == NULL)
		return default_value;
	if (g_strcmp0(text, "true") == 0)
		return TRUE;
	if (g_strcmp0(text, "false") != 0)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[%s] %s=%s is neither true nor false",
			    self->config_group,
			    key,
			    text);
	return FALSE;
}

/**
 * tender_plugin_get_config_uint64:
 * @self: a #TenderPlugin
 * @key: a key of the group [plugin NAME] in tenderd.conf
 * @default_value: what to use when the key is not there
 * @max: the largest value allowed
 * @value: (out): the value
 * @error: (nullable): a #GError, set when the value is not a number from 0 to @max
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_get_config_uint64(TenderPlugin *self,
				const gchar *key,
				guint64 default_value,
				guint64 max,
				guint64 *value,
				GError **error)
{
	g_autofree gchar *text = tender_plugin_get_config_string(self, key, NULL);

	g_return_val_if_fail(value != NULL, FALSE);
	if (text == NULL) {
		*value = default_value;
		return TRUE;
	}
	if (!g_ascii_string_to_unsigned(text, 10, 0, max, value, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[%s] %s=%s is not a number from 0 to %" G_GUINT64_FORMAT,
			    self->config_group,
			    key,
			    text,
			    max);
		return FALSE;
	}
	return TRUE;
}

/* --- the plugin API: workload events --- */

/**
 * tender_plugin_watch_workloads:
 * @self: a #TenderPlugin
 * @func: called for every state transition of every workload
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data when the watch goes
 *
 * Returns: the watch's id, for tender_plugin_unwatch_workloads()
 *
 * Since: 0.1
 */
guint
tender_plugin_watch_workloads(TenderPlugin *self,
			      TenderPluginStateFunc func,
			      gpointer user_data,
			      GDestroyNotify destroy)
{
	TenderPluginWatch watch = {++self->next_watch_id, func, user_data, destroy};

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), 0);
	g_return_val_if_fail(func != NULL, 0);
	g_array_append_val(self->watches, watch);
	return watch.id;
}

/**
 * tender_plugin_unwatch_workloads:
 * @self: a #TenderPlugin
 * @watch_id: what tender_plugin_watch_workloads() returned
 *
 * Since: 0.1
 */
void
tender_plugin_unwatch_workloads(TenderPlugin *self, guint watch_id)
{
	g_return_if_fail(TENDER_IS_PLUGIN(self));
	for (guint i = 0; i < self->watches->len; i++) {
		if (g_array_index(self->watches, TenderPluginWatch, i).id == watch_id) {
			g_array_remove_index(self->watches, i);
			return;
		}
	}
}

/* --- the plugin API: authorization --- */

static void
tender_plugin_check_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;

	if (!tender_authority_check_finish(TENDER_AUTHORITY(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_plugin_check_authorization_async:
 * @self: a #TenderPlugin
 * @caller: who asks, from a request
 * @action_id: a polkit action, e.g. one the plugin ships in its own policy file
 * @details: (nullable): a string to string #GHashTable of details for polkit rules;
 *   "plugin" is always added
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with polkit's answer
 * @user_data: for @callback
 *
 * Asks polkit whether @caller may do @action_id, without user interaction, as the core
 * does for every method and route.  For checks beyond the one the core made already.
 *
 * Since: 0.1
 */
void
tender_plugin_check_authorization_async(TenderPlugin *self,
					const TenderCaller *caller,
					const gchar *action_id,
					GHashTable *details,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GHashTable) all = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_task_set_source_tag(task, tender_plugin_check_authorization_async);
	if (details != NULL) {
		g_hash_table_iter_init(&iter, details);
		while (g_hash_table_iter_next(&iter, &key, &value))
			g_hash_table_insert(all, g_strdup(key), g_strdup(value));
	}
	g_hash_table_insert(all, g_strdup("plugin"), g_strdup(self->name));
	tender_authority_check_async(self->authority,
				     caller,
				     action_id,
				     all,
				     FALSE,
				     cancellable,
				     tender_plugin_check_cb,
				     task);
}

/**
 * tender_plugin_check_authorization_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError, %TENDER_ERROR_ACCESS_DENIED when polkit says no
 *
 * Returns: %TRUE if the caller is authorized
 *
 * Since: 0.1
 */
gboolean
tender_plugin_check_authorization_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/* --- the plugin API: adapters --- */

/**
 * tender_plugin_register_adapter:
 * @self: a #TenderPlugin
 * @klass: a static adapter class
 * @error: (nullable): a #GError
 *
 * Makes the adapter @klass available to instance files (type=NAME); see tender-adapter.h.
 * Adapter names are unique across all plugins.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_register_adapter(TenderPlugin *self, const TenderAdapterVTable *klass, GError **error)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(klass != NULL, FALSE);
	if (klass->struct_size < G_STRUCT_OFFSET(TenderAdapterVTable, padding)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The adapter class is %u bytes, from an older or broken header",
			    klass->struct_size);
		return FALSE;
	}
	if (!tender_plugin_list_check_name("adapter", klass->name, error))
		return FALSE;
	if (klass->start == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Adapter %s has no start function",
			    klass->name);
		return FALSE;
	}
	for (guint i = 0; i < self->adapters->len; i++) {
		const TenderAdapterVTable *k = g_ptr_array_index(self->adapters, i);
		if (g_strcmp0(k->name, klass->name) == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_ALREADY_EXISTS,
				    "Adapter %s is registered already",
				    klass->name);
			return FALSE;
		}
	}
	g_ptr_array_add(self->adapters, (gpointer)klass);
	/* during init or a probe, its instances come once the plugin is active */
	if (self->initialized)
		g_signal_emit(self, signals[SIGNAL_ADAPTER_ADDED], 0, klass);
	return TRUE;
}

/* --- GObject --- */

static void
tender_plugin_dispose(GObject *object)
{
	TenderPlugin *self = TENDER_PLUGIN(object);

	tender_plugin_shutdown_plugin(self);
	tender_plugin_clear_registrations(self);
	tender_plugin_unwatch_names(self, TRUE);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(tender_plugin_parent_class)->dispose(object);
}

static void
tender_plugin_finalize(GObject *object)
{
	TenderPlugin *self = TENDER_PLUGIN(object);

	/* the module stays resident: its GTypes may be registered */
	g_ptr_array_unref(self->dbus_objects);
	g_ptr_array_unref(self->routes);
	g_ptr_array_unref(self->services);
	g_ptr_array_unref(self->feature_objects);
	g_ptr_array_unref(self->adapters);
	g_ptr_array_unref(self->runtimes);
	g_ptr_array_unref(self->http_aliases);
	g_ptr_array_unref(self->reserved);
	g_array_unref(self->watches);
	g_hash_table_unref(self->names);
	g_clear_object(&self->authority);
	g_free(self->filename);
	g_free(self->name);
	g_free(self->version);
	g_free(self->description);
	g_free(self->status_message);
	g_free(self->state_dir);
	g_free(self->config_group);
	G_OBJECT_CLASS(tender_plugin_parent_class)->finalize(object);
}

static void
tender_plugin_class_init(TenderPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	/*
	 * Each with one argument, still valid during the emission:
	 * TenderPlugin::dbus-object-added: the #TenderPluginDbusObject to put on the bus
	 * TenderPlugin::dbus-object-removed: the #TenderPluginDbusObject to take off the bus
	 * TenderPlugin::service-added: the #TenderService to serve
	 * TenderPlugin::service-removed: the #TenderService to stop serving
	 * TenderPlugin::adapter-added: the #TenderAdapterVTable of a type it provides, active
	 * TenderPlugin::adapter-removed: the #TenderAdapterVTable of a type it no longer does
	 */
	const struct {
		const gchar *name;
		GType arg_type;
	} table[SIGNAL_LAST] = {
	    [SIGNAL_DBUS_OBJECT_ADDED] = {"dbus-object-added", G_TYPE_POINTER},
	    [SIGNAL_DBUS_OBJECT_REMOVED] = {"dbus-object-removed", G_TYPE_POINTER},
	    [SIGNAL_SERVICE_ADDED] = {"service-added", G_TYPE_OBJECT},
	    [SIGNAL_SERVICE_REMOVED] = {"service-removed", G_TYPE_OBJECT},
	    [SIGNAL_ADAPTER_ADDED] = {"adapter-added", G_TYPE_POINTER},
	    [SIGNAL_ADAPTER_REMOVED] = {"adapter-removed", G_TYPE_POINTER},
	};

	object_class->dispose = tender_plugin_dispose;
	object_class->finalize = tender_plugin_finalize;

	for (guint i = 0; i < SIGNAL_LAST; i++)
		signals[i] = g_signal_new(table[i].name,
					  G_TYPE_FROM_CLASS(klass),
					  G_SIGNAL_RUN_LAST,
					  0,
					  NULL,
					  NULL,
					  NULL,
					  G_TYPE_NONE,
					  1,
					  table[i].arg_type);
}

static void
tender_plugin_init(TenderPlugin *self)
{
	self->status = TENDER_PLUGIN_STATUS_FAILED;
	self->status_message = g_strdup("not loaded yet");
	self->dbus_objects =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_plugin_dbus_object_free);
	self->routes = g_ptr_array_new_with_free_func((GDestroyNotify)tender_plugin_route_free);
	self->services = g_ptr_array_new_with_free_func(g_object_unref);
	self->feature_objects = g_ptr_array_new_with_free_func(g_object_unref);
	self->adapters = g_ptr_array_new();
	self->runtimes = g_ptr_array_new_with_free_func(g_object_unref);
	self->http_aliases =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_plugin_alias_free);
	self->reserved =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_plugin_reserved_free);
	self->watches = g_array_new(FALSE, FALSE, sizeof(TenderPluginWatch));
	g_array_set_clear_func(self->watches, tender_plugin_watch_clear);
	self->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->probe_delay_ms = TENDER_PLUGIN_PROBE_DELAY_MIN_MS;
}
