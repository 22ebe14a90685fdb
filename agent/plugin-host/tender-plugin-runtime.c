/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-plugin-list.h"
#include "tender-plugin-private.h"
#include "tender-plugin-run.h"
#include "tender-spec-keys.h"

/*
 * TenderPluginRuntime is a runtime a plugin registered: a TenderRuntime whose runs
 * (TenderPluginRun) call the plain functions of the plugin's TenderRuntimeVTable.  The engine
 * gets it once the plugin is active, and loses it when the plugin's registrations are
 * dropped; its runs are then detached, and the plugin's user_data destroyed.
 */

struct _TenderPluginRuntime {
	TenderRuntime parent_instance;
	const TenderRuntimeVTable *vtable; /* NULL once detached */
	gpointer user_data;
	GDestroyNotify destroy;
	GPtrArray *runs;      /* of TenderPluginRun, not owned: each removes itself */
	TenderEngine *engine; /* the engine that has it, not owned */
};

G_DEFINE_TYPE(TenderPluginRuntime, tender_plugin_runtime, TENDER_TYPE_RUNTIME)

/**
 * tender_plugin_runtime_get_vtable:
 * @self: a #TenderPluginRuntime
 * @error: (nullable): a #GError
 *
 * Returns: (nullable): the plugin's vtable, or %NULL with NotSupported once it was dropped
 */
const TenderRuntimeVTable *
tender_plugin_runtime_get_vtable(TenderPluginRuntime *self, GError **error)
{
	if (self->vtable == NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "Runtime '%s' is gone with its plugin",
			    tender_runtime_get_name(TENDER_RUNTIME(self)));
	return self->vtable;
}

gpointer
tender_plugin_runtime_get_user_data(TenderPluginRuntime *self)
{
	return self->user_data;
}

void
tender_plugin_runtime_add_run(TenderPluginRuntime *self, GObject *run)
{
	g_ptr_array_add(self->runs, run);
}

void
tender_plugin_runtime_remove_run(TenderPluginRuntime *self, GObject *run)
{
	g_ptr_array_remove_fast(self->runs, run);
}

/**
 * tender_plugin_runtime_detach:
 * @self: a #TenderPluginRuntime
 *
 * The plugin's registrations are dropped: the engine loses the runtime, its runs call the
 * plugin no more (their data is destroyed), and so is the runtime's user_data.
 */
void
tender_plugin_runtime_detach(TenderPluginRuntime *self)
{
	GDestroyNotify destroy = g_steal_pointer(&self->destroy);

	if (self->engine != NULL)
		tender_engine_remove_runtime(g_steal_pointer(&self->engine), TENDER_RUNTIME(self));
	while (self->runs->len > 0) {
		TenderPluginRun *run = g_ptr_array_steal_index_fast(self->runs, 0);
		tender_plugin_run_detach(run);
	}
	self->vtable = NULL;
	if (destroy != NULL)
		destroy(g_steal_pointer(&self->user_data));
}

static TenderRuntimeRun *
tender_plugin_runtime_new_run(TenderRuntime *runtime, TenderWorkload *workload)
{
	return tender_plugin_run_new(TENDER_PLUGIN_RUNTIME(runtime), workload);
}

static void
tender_plugin_runtime_forget_workload(TenderRuntime *runtime, TenderWorkload *workload)
{
	TenderPluginRuntime *self = TENDER_PLUGIN_RUNTIME(runtime);

	if (self->vtable != NULL && self->vtable->forget_workload != NULL)
		self->vtable->forget_workload(tender_workload_get_name(workload), self->user_data);
}

/* the core's keys first (no plugin runtime does isolation), then the plugin's own check */
static gboolean
tender_plugin_runtime_check_spec(TenderRuntime *runtime,
				 const gchar *name,
				 const TenderSpec *spec,
				 GError **error)
{
	TenderPluginRuntime *self = TENDER_PLUGIN_RUNTIME(runtime);
	g_autoptr(GVariant) variant = NULL;

	if (!tender_runtime_check_isolation_keys(runtime, name, spec, error))
		return FALSE;
	/* a plugin built with ABI 2's header has no check_spec: its padding is NULL; its runs
	 * have an argv, as they always had */
	if (self->vtable == NULL || self->vtable->check_spec == NULL) {
		if (spec->volumes != NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_NOT_SUPPORTED,
				    "Workload '%s': runtime '%s' does not do the spec key "
				    "'volumes'",
				    name,
				    tender_runtime_get_name(runtime));
			return FALSE;
		}
		if (spec->argv != NULL)
			return TRUE;
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'argv' is required");
		return FALSE;
	}
	variant = g_variant_ref_sink(tender_spec_to_variant(spec));
	return self->vtable->check_spec(name, variant, self->user_data, error);
}

/* the spec's argv; a spec without one runs what the runtime makes of the rest (its check_spec
 * took it), and shows an empty Command */
static gchar **
tender_plugin_runtime_resolve_command(TenderRuntime *runtime,
				      const gchar *name,
				      const TenderSpec *spec,
				      GError **error)
{
	if (spec->argv != NULL)
		return g_strdupv(spec->argv);
	return g_new0(gchar *, 1);
}

/* through the vtable's exec; the task has no cancellable, as a caller that goes gets the
 * command killed, and its end reported */
static void
tender_plugin_runtime_exec_async(TenderRuntime *runtime,
				 TenderRuntimeRun *run,
				 TenderRuntimeExec *exec,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	GTask *task = g_task_new(runtime, NULL, callback, user_data);

	g_task_set_source_tag(task, tender_plugin_runtime_exec_async);
	tender_plugin_run_exec(TENDER_PLUGIN_RUN(run), exec, cancellable, task);
}

static gboolean
tender_plugin_runtime_exec_finish(TenderRuntime *runtime, GAsyncResult *res, GError **error)
{
	return g_task_propagate_boolean(G_TASK(res), error);
}

static void
tender_plugin_runtime_finalize(GObject *object)
{
	TenderPluginRuntime *self = TENDER_PLUGIN_RUNTIME(object);

	tender_plugin_runtime_detach(self);
	g_ptr_array_unref(self->runs);
	G_OBJECT_CLASS(tender_plugin_runtime_parent_class)->finalize(object);
}

static void
tender_plugin_runtime_class_init(TenderPluginRuntimeClass *klass)
{
	TenderRuntimeClass *runtime_class = TENDER_RUNTIME_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = tender_plugin_runtime_finalize;
	runtime_class->new_run = tender_plugin_runtime_new_run;
	runtime_class->forget_workload = tender_plugin_runtime_forget_workload;
	runtime_class->check_spec = tender_plugin_runtime_check_spec;
	runtime_class->resolve_command = tender_plugin_runtime_resolve_command;
	runtime_class->exec_async = tender_plugin_runtime_exec_async;
	runtime_class->exec_finish = tender_plugin_runtime_exec_finish;
}

static void
tender_plugin_runtime_init(TenderPluginRuntime *self)
{
	self->runs = g_ptr_array_new();
}

/**
 * tender_plugin_runtime_new:
 * @name: the runtime's name
 * @vtable: the plugin's functions, checked
 * @user_data: for them
 * @destroy: (nullable): frees @user_data when the runtime is dropped
 *
 * Returns: (transfer full): a #TenderPluginRuntime
 */
TenderPluginRuntime *
tender_plugin_runtime_new(const gchar *name,
			  const TenderRuntimeVTable *vtable,
			  gpointer user_data,
			  GDestroyNotify destroy)
{
	TenderPluginRuntime *self = g_object_new(TENDER_TYPE_PLUGIN_RUNTIME, "name", name, NULL);

	self->vtable = vtable;
	self->user_data = user_data;
	self->destroy = destroy;
	return self;
}

/**
 * tender_plugin_clear_runtimes:
 * @plugin: a #TenderPlugin
 *
 * Drops the runtimes the plugin registered, from the engine too.
 */
void
tender_plugin_clear_runtimes(TenderPlugin *plugin)
{
	GPtrArray *runtimes = tender_plugin_get_runtimes(plugin);

	for (guint i = 0; i < runtimes->len; i++)
		tender_plugin_runtime_detach(g_ptr_array_index(runtimes, i));
	g_ptr_array_set_size(runtimes, 0);
}

/* the engine gets the runtime: workloads may run in it from now on */
static void
tender_plugin_runtime_attach(TenderPluginRuntime *self, TenderPlugin *plugin)
{
	TenderEngine *engine = tender_plugin_get_engine(plugin);
	const gchar *name = tender_runtime_get_name(TENDER_RUNTIME(self));

	if (engine == NULL || self->engine != NULL || self->vtable == NULL)
		return;
	if (tender_engine_has_runtime(engine, name)) {
		g_warning("plugin %s: runtime %s exists already; not adding it",
			  tender_plugin_get_name(plugin),
			  name);
		return;
	}
	tender_engine_add_runtime(engine, TENDER_RUNTIME(self));
	if (tender_engine_has_runtime(engine, name))
		self->engine = engine;
}

/**
 * tender_plugin_announce_runtimes:
 * @plugin: a #TenderPlugin that has become active
 *
 * Hands the runtimes the plugin registered to the engine.
 */
void
tender_plugin_announce_runtimes(TenderPlugin *plugin)
{
	GPtrArray *runtimes = tender_plugin_get_runtimes(plugin);

	for (guint i = 0; i < runtimes->len; i++)
		tender_plugin_runtime_attach(g_ptr_array_index(runtimes, i), plugin);
}

/* whether @name is free: not the core's, not taken by the engine or this plugin */
static gboolean
tender_plugin_runtime_check_free(TenderPlugin *plugin, const gchar *name, GError **error)
{
	TenderEngine *engine = tender_plugin_get_engine(plugin);
	GPtrArray *runtimes = tender_plugin_get_runtimes(plugin);
	gboolean taken = g_strcmp0(name, TENDER_RUNTIME_SCOPE) == 0 ||
			 (engine != NULL && tender_engine_has_runtime(engine, name));

	for (guint i = 0; i < runtimes->len && !taken; i++) {
		TenderRuntime *runtime = g_ptr_array_index(runtimes, i);
		taken = g_strcmp0(tender_runtime_get_name(runtime), name) == 0;
	}
	if (taken) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ALREADY_EXISTS,
			    "Runtime %s exists already",
			    name);
		return FALSE;
	}
	if (runtimes->len >= TENDER_PLUGIN_RUNTIMES_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "A plugin may register at most %d runtimes",
			    TENDER_PLUGIN_RUNTIMES_MAX);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_plugin_register_runtime:
 * @self: a #TenderPlugin
 * @name: the runtime's name, `[a-z][a-z0-9-]{0,31}`, what a spec's "runtime" key says to run
 *   a workload in it; "scope" is the core's, and names are unique across all plugins
 * @vtable: the runtime's functions, a static const (see #TenderRuntimeVTable); start and kill
 *   are required
 * @user_data: (nullable): for the functions
 * @destroy: (nullable): frees @user_data when the runtime is dropped (tenderd exits, or the
 *   plugin's init or probe does not succeed)
 * @error: (nullable): a #GError
 *
 * Registers a runtime: a way to run workloads other than the core's transient systemd scope.
 * Workloads run in it once the plugin is active; those a restarted tenderd finds in their
 * state files wait for it (Reason "no-runtime: NAME") and are taken over when it comes: their
 * runs are adopted (#TenderRuntimeVTable.adopt) or end.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.2
 */
gboolean
tender_plugin_register_runtime(TenderPlugin *self,
			       const gchar *name,
			       const TenderRuntimeVTable *vtable,
			       gpointer user_data,
			       GDestroyNotify destroy,
			       GError **error)
{
	g_autoptr(TenderPluginRuntime) runtime = NULL;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(vtable != NULL, FALSE);
	if (vtable->struct_size < G_STRUCT_OFFSET(TenderRuntimeVTable, exec)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The runtime vtable is %u bytes, from an older or broken header",
			    vtable->struct_size);
		return FALSE;
	}
	if (!tender_plugin_list_check_name("runtime", name, error))
		return FALSE;
	if (!tender_spec_key_check_name(name)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid runtime name '%s': a spec names runtimes [a-z][a-z0-9-]*",
			    name);
		return FALSE;
	}
	if (vtable->start == NULL || vtable->kill == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Runtime %s needs a start and a kill function",
			    name);
		return FALSE;
	}
	if (!tender_plugin_runtime_check_free(self, name, error))
		return FALSE;
	runtime = tender_plugin_runtime_new(name, vtable, user_data, destroy);
	g_ptr_array_add(tender_plugin_get_runtimes(self), g_object_ref(runtime));
	if (tender_plugin_get_initialized(self))
		tender_plugin_runtime_attach(runtime, self);
	return TRUE;
}
