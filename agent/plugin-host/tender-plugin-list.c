/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-feature.h"
#include "tender-plugin-list.h"
#include "tender-plugin-private.h"
#include "tender-state.h"

/*
 * TenderPluginList: finds, checks and loads the plugins, and hands them workload events.
 *
 * Every way a plugin file can be wrong ends the same way: a warning in the journal naming
 * the file and the reason, an entry with status "failed: REASON" in ListPlugins, and tenderd
 * going on without it.  The checks, in order: the module opens with all its symbols
 * resolved (RTLD_NOW, so a plugin that needs a symbol tenderd does not export fails here
 * and not at its first call), it exports tender_plugin_describe, the descriptor's ABI
 * version and size match, its name is valid and unique, it is not disabled, and its init
 * (or probe) succeeds.  A plugin whose probe defers is listed "deferred: REASON" and probed
 * again until it succeeds or fails (tender_plugin_start()).  Modules that got as far as init stay
 * resident: they may have registered GTypes, which cannot be unregistered.
 */

struct _TenderPluginList {
	GObject parent_instance;
	TenderEngine *engine;
	const TenderConfig *config;
	TenderAuthority *authority;
	GPtrArray *plugins; /* of TenderPlugin, in load order */
	gulong added_id;
	gulong removed_id;
};

G_DEFINE_TYPE(TenderPluginList, tender_plugin_list, G_TYPE_OBJECT)

/**
 * tender_plugin_list_check_name:
 * @what: "plugin" or "adapter", for the message
 * @name: (nullable): a name
 * @error: (nullable): a #GError
 *
 * Checks @name against `[a-z0-9][a-z0-9_-]{0,31}`.
 *
 * Returns: %TRUE if @name is valid
 */
gboolean
tender_plugin_list_check_name(const gchar *what, const gchar *name, GError **error)
{
	gboolean valid = name != NULL && g_ascii_isalnum(name[0]) && !g_ascii_isupper(name[0]) &&
			 strlen(name) <= TENDER_PLUGIN_NAME_MAX;

	for (const gchar *p = name; valid && *p != '\0'; p++) {
		if (!(g_ascii_isdigit(*p) || g_ascii_islower(*p) || *p == '_' || *p == '-'))
			valid = FALSE;
	}
	if (!valid) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s name '%s': use 1 to %d of a-z, 0-9, '_' and '-', starting "
			    "with a letter or digit",
			    what,
			    name != NULL ? name : "",
			    TENDER_PLUGIN_NAME_MAX);
		return FALSE;
	}
	return TRUE;
}

/* a plugin other than @except that took @name (an active or a disabled one) */
static TenderPlugin *
tender_plugin_list_find(TenderPluginList *self, const gchar *name, TenderPlugin *except)
{
	for (guint i = 0; i < self->plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(self->plugins, i);
		if (plugin != except &&
		    tender_plugin_get_status(plugin) != TENDER_PLUGIN_STATUS_FAILED &&
		    g_strcmp0(tender_plugin_get_name(plugin), name) == 0)
			return plugin;
	}
	return NULL;
}

/* the descriptor makes sense for this tenderd */
static gboolean
tender_plugin_list_check_descriptor(TenderPluginList *self,
				    TenderPlugin *plugin,
				    const TenderPluginDescriptor *descriptor,
				    GError **error)
{
	TenderPlugin *other;

	if (descriptor == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    TENDER_PLUGIN_ENTRY_POINT "() returned no descriptor");
		return FALSE;
	}
	if (descriptor->abi_version != TENDER_PLUGIN_ABI_VERSION) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "built for plugin ABI %u, but this tenderd has ABI %d: rebuild it "
			    "against tender-plugin-1",
			    descriptor->abi_version,
			    TENDER_PLUGIN_ABI_VERSION);
		return FALSE;
	}
	if (descriptor->struct_size != sizeof(TenderPluginDescriptor)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "its descriptor is %u bytes, not %u: it was built with a broken header",
			    descriptor->struct_size,
			    (guint)sizeof(TenderPluginDescriptor));
		return FALSE;
	}
	if (!tender_plugin_list_check_name("plugin", descriptor->name, error))
		return FALSE;
	if (descriptor->init == NULL && descriptor->probe == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "its descriptor has no init function and no probe");
		return FALSE;
	}
	other = tender_plugin_list_find(self, descriptor->name, plugin);
	if (other != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "a plugin named '%s' is loaded already, from %s",
			    descriptor->name,
			    tender_plugin_get_filename(other));
		return FALSE;
	}
	return TRUE;
}

/* open, check and init one file; whatever happens, @plugin says so in its status */
static void
tender_plugin_list_load_file(TenderPluginList *self, TenderPlugin *plugin)
{
	const gchar *filename = tender_plugin_get_filename(plugin);
	g_autoptr(GError) error = NULL;
	TenderPluginDescribeFunc describe = NULL;
	const TenderPluginDescriptor *descriptor;
	GModule *module;

	module = g_module_open(filename, G_MODULE_BIND_LOCAL);
	if (module == NULL) {
		g_autofree gchar *message = g_strdup_printf("cannot load it: %s", g_module_error());
		tender_plugin_set_status(plugin, TENDER_PLUGIN_STATUS_FAILED, message);
		return;
	}
	if (!g_module_symbol(module, TENDER_PLUGIN_ENTRY_POINT, (gpointer *)&describe) ||
	    describe == NULL) {
		tender_plugin_set_status(plugin,
					 TENDER_PLUGIN_STATUS_FAILED,
					 "not a tender plugin: it has no " TENDER_PLUGIN_ENTRY_POINT
					 "() entry point");
		g_module_close(module);
		return;
	}
	descriptor = describe();
	if (!tender_plugin_list_check_descriptor(self, plugin, descriptor, &error)) {
		tender_plugin_set_status(plugin, TENDER_PLUGIN_STATUS_FAILED, error->message);
		g_module_close(module);
		return;
	}
	tender_plugin_set_descriptor(plugin, module, descriptor);
	if (g_strv_contains((const gchar *const *)self->config->plugins_disabled,
			    descriptor->name)) {
		/* never initialized: nothing of it can be in use */
		tender_plugin_set_status(plugin, TENDER_PLUGIN_STATUS_DISABLED, NULL);
		return;
	}
	g_module_make_resident(module);
	tender_plugin_start(plugin);
}

static gint
tender_plugin_list_compare_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
tender_plugin_list_load_dir(TenderPluginList *self, const gchar *dir)
{
	g_autoptr(GDir) gdir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	const gchar *name;

	gdir = g_dir_open(dir, 0, &error);
	if (gdir == NULL) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning("cannot read the plugin directory %s: %s", dir, error->message);
		return;
	}
	while ((name = g_dir_read_name(gdir)) != NULL) {
		if (g_str_has_suffix(name, "." G_MODULE_SUFFIX) && name[0] != '.')
			g_ptr_array_add(names, g_strdup(name));
	}
	/* the same order on every start */
	g_ptr_array_sort(names, tender_plugin_list_compare_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *filename =
		    g_build_filename(dir, g_ptr_array_index(names, i), NULL);
		TenderPlugin *plugin =
		    tender_plugin_new(filename, self->engine, self->config, self->authority);

		g_ptr_array_add(self->plugins, plugin);
		tender_plugin_set_peers(plugin, self->plugins);
		tender_plugin_list_load_file(self, plugin);
		tender_plugin_log_status(plugin);
	}
}

static void
tender_plugin_list_dispatch(TenderPluginList *self,
			    const gchar *workload,
			    const gchar *old_state,
			    const gchar *new_state,
			    const gchar *reason)
{
	/* a plugin's callback may create or remove workloads: go over a copy */
	g_autoptr(GPtrArray) plugins = g_ptr_array_new_with_free_func(g_object_unref);

	for (guint i = 0; i < self->plugins->len; i++)
		g_ptr_array_add(plugins, g_object_ref(g_ptr_array_index(self->plugins, i)));
	for (guint i = 0; i < plugins->len; i++)
		tender_plugin_dispatch_state(g_ptr_array_index(plugins, i),
					     workload,
					     old_state,
					     new_state,
					     reason);
}

static void
tender_plugin_list_state_changed_cb(TenderWorkload *w,
				    guint old_state,
				    guint new_state,
				    const gchar *reason,
				    gpointer user_data)
{
	tender_plugin_list_dispatch(TENDER_PLUGIN_LIST(user_data),
				    tender_workload_get_name(w),
				    tender_state_to_string(old_state),
				    tender_state_to_string(new_state),
				    reason != NULL ? reason : "");
}

static void
tender_plugin_list_watch(TenderPluginList *self, TenderWorkload *w)
{
	g_signal_connect_object(w,
				"state-changed",
				G_CALLBACK(tender_plugin_list_state_changed_cb),
				self,
				0);
}

static void
tender_plugin_list_workload_added_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderPluginList *self = TENDER_PLUGIN_LIST(user_data);

	tender_plugin_list_watch(self, w);
	tender_plugin_list_dispatch(self,
				    tender_workload_get_name(w),
				    "",
				    tender_state_to_string(tender_workload_get_state(w)),
				    tender_workload_get_reason(w));
}

static void
tender_plugin_list_workload_removed_cb(TenderEngine *engine, TenderWorkload *w, gpointer user_data)
{
	TenderPluginList *self = TENDER_PLUGIN_LIST(user_data);

	g_signal_handlers_disconnect_by_data(w, self);
	tender_plugin_list_dispatch(self,
				    tender_workload_get_name(w),
				    tender_state_to_string(tender_workload_get_state(w)),
				    "",
				    "");
}

/**
 * tender_plugin_list_load:
 * @self: a #TenderPluginList
 *
 * Loads the plugins of every directory of the plugin path, in order, each directory's
 * files in name order.  Never fails: a plugin that cannot be loaded is logged and listed.
 */
void
tender_plugin_list_load(TenderPluginList *self)
{
	g_autoptr(GPtrArray) workloads = NULL;

	g_return_if_fail(TENDER_IS_PLUGIN_LIST(self));
	if (!g_module_supported()) {
		g_warning("this system cannot load modules: no plugins");
		return;
	}
	for (guint i = 0; self->config->plugin_path[i] != NULL; i++)
		tender_plugin_list_load_dir(self, self->config->plugin_path[i]);

	/* every workload, the restored ones included, from now on */
	workloads = tender_engine_get_workloads(self->engine);
	for (guint i = 0; i < workloads->len; i++)
		tender_plugin_list_watch(self, g_ptr_array_index(workloads, i));
	self->added_id = g_signal_connect(self->engine,
					  "workload-added",
					  G_CALLBACK(tender_plugin_list_workload_added_cb),
					  self);
	self->removed_id = g_signal_connect(self->engine,
					    "workload-removed",
					    G_CALLBACK(tender_plugin_list_workload_removed_cb),
					    self);
}

/**
 * tender_plugin_list_shutdown:
 * @self: a #TenderPluginList
 *
 * Calls every active plugin's shutdown, in the reverse order of loading.
 */
void
tender_plugin_list_shutdown(TenderPluginList *self)
{
	g_return_if_fail(TENDER_IS_PLUGIN_LIST(self));
	for (guint i = self->plugins->len; i > 0; i--)
		tender_plugin_shutdown_plugin(g_ptr_array_index(self->plugins, i - 1));
}

/**
 * tender_plugin_list_get_plugins:
 * @self: a #TenderPluginList
 *
 * Returns: (transfer none) (element-type TenderPlugin): every plugin file found, whatever
 *   its status
 */
GPtrArray *
tender_plugin_list_get_plugins(TenderPluginList *self)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_LIST(self), NULL);
	return self->plugins;
}

/**
 * tender_plugin_list_to_variant:
 * @self: a #TenderPluginList
 *
 * Returns: (transfer floating): an a(sss) of name, version and status, as ListPlugins
 *   returns it
 */
GVariant *
tender_plugin_list_to_variant(TenderPluginList *self)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(sss)"));
	for (guint i = 0; i < self->plugins->len; i++) {
		TenderPlugin *plugin = g_ptr_array_index(self->plugins, i);
		g_autofree gchar *status = tender_plugin_get_status_string(plugin);
		g_variant_builder_add(&builder,
				      "(sss)",
				      tender_plugin_get_name(plugin),
				      tender_plugin_get_version(plugin),
				      status);
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_plugin_list_find_adapter:
 * @self: a #TenderPluginList
 * @name: an adapter name, type= in an instance file
 * @plugin: (out) (optional) (transfer none): the plugin that registered it
 *
 * Returns: (nullable): the adapter class, from an active plugin
 */
const TenderAdapterVTable *
tender_plugin_list_find_adapter(TenderPluginList *self, const gchar *name, TenderPlugin **plugin)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN_LIST(self), NULL);
	for (guint i = 0; i < self->plugins->len; i++) {
		TenderPlugin *p = g_ptr_array_index(self->plugins, i);
		GPtrArray *adapters = tender_plugin_get_adapters(p);
		if (tender_plugin_get_status(p) != TENDER_PLUGIN_STATUS_ACTIVE)
			continue;
		for (guint j = 0; j < adapters->len; j++) {
			const TenderAdapterVTable *klass = g_ptr_array_index(adapters, j);
			if (g_strcmp0(klass->name, name) != 0)
				continue;
			if (plugin != NULL)
				*plugin = p;
			return klass;
		}
	}
	return NULL;
}

static void
tender_plugin_list_dispose(GObject *object)
{
	TenderPluginList *self = TENDER_PLUGIN_LIST(object);

	if (self->engine != NULL) {
		g_clear_signal_handler(&self->added_id, self->engine);
		g_clear_signal_handler(&self->removed_id, self->engine);
	}
	tender_plugin_list_shutdown(self);
	g_ptr_array_set_size(self->plugins, 0);
	g_clear_object(&self->authority);
	g_clear_object(&self->engine);
	G_OBJECT_CLASS(tender_plugin_list_parent_class)->dispose(object);
}

static void
tender_plugin_list_finalize(GObject *object)
{
	TenderPluginList *self = TENDER_PLUGIN_LIST(object);

	g_ptr_array_unref(self->plugins);
	G_OBJECT_CLASS(tender_plugin_list_parent_class)->finalize(object);
}

static void
tender_plugin_list_class_init(TenderPluginListClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = tender_plugin_list_dispose;
	object_class->finalize = tender_plugin_list_finalize;
}

static void
tender_plugin_list_init(TenderPluginList *self)
{
	self->plugins = g_ptr_array_new_with_free_func(g_object_unref);
}

/**
 * tender_plugin_list_new:
 * @engine: the engine plugins' workloads go to
 * @config: tenderd's settings: the plugin path, disabled plugins, [plugin NAME] groups
 * @authority: the polkit authority plugins ask
 *
 * Returns: (transfer full): an empty list; tender_plugin_list_load() fills it
 */
TenderPluginList *
tender_plugin_list_new(TenderEngine *engine, const TenderConfig *config, TenderAuthority *authority)
{
	TenderPluginList *self = g_object_new(TENDER_TYPE_PLUGIN_LIST, NULL);
	self->engine = g_object_ref(engine);
	self->config = config;
	self->authority = g_object_ref(authority);
	return self;
}
