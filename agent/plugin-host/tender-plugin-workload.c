/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-plugin-private.h"
#include "tender-workload-view.h"

#include "tender-error.h"

/*
 * TenderPlugin's workloads: a plugin creates, starts, stops and reads workloads through the
 * engine, exactly as the Manager's methods do, with the same checks and limits.  What a plugin
 * creates, it owns: it may start, stop, kill and remove only those (users, through the
 * Manager, may manage any); it may read any.
 */

/* a plugin manages only the workloads it created */
gboolean
tender_plugin_check_owner(TenderPlugin *self, const gchar *name, GError **error)
{
	TenderWorkload *w = tender_engine_get_workload(tender_plugin_get_engine(self), name, error);
	const gchar *owner;

	if (w == NULL)
		return FALSE;
	owner = tender_workload_get_owner(w);
	if (g_strcmp0(owner, tender_plugin_get_name(self)) == 0)
		return TRUE;
	if (owner[0] == '\0')
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ACCESS_DENIED,
			    "Workload '%s' belongs to the users, not to plugin '%s'",
			    name,
			    tender_plugin_get_name(self));
	else
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ACCESS_DENIED,
			    "Workload '%s' belongs to plugin '%s', not to plugin '%s'",
			    name,
			    owner,
			    tender_plugin_get_name(self));
	return FALSE;
}

/* completes @task with the error if @self may not manage @name */
static gboolean
tender_plugin_task_check_owner(TenderPlugin *self, const gchar *name, GTask *task)
{
	g_autoptr(GError) error = NULL;

	if (tender_plugin_check_owner(self, name, &error))
		return TRUE;
	g_task_return_error(task, g_steal_pointer(&error));
	g_object_unref(task);
	return FALSE;
}

/**
 * tender_plugin_create_workload:
 * @self: a #TenderPlugin
 * @name: the new workload's name
 * @spec: an a{sv} spec, as org.tender.Agent1.Manager.CreateWorkload takes it
 * @error: (nullable): a #GError
 *
 * Creates a workload exactly as CreateWorkload does: the same checks, the same limits, the
 * same state file; it shows up in ListWorkloads and tenderctl like any other, with the
 * plugin's name as its Owner.  The plugin may manage only the workloads it owns.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_create_workload(TenderPlugin *self, const gchar *name, GVariant *spec, GError **error)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	return tender_engine_create_owned_workload(tender_plugin_get_engine(self),
						   tender_plugin_get_name(self),
						   name,
						   spec,
						   NULL,
						   error) != NULL;
}

static void
tender_plugin_engine_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	gboolean (*finish)(TenderEngine *, GAsyncResult *, GError **) = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!finish(TENDER_ENGINE(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static GTask *
tender_plugin_engine_task(TenderPlugin *self,
			  gpointer tag,
			  gboolean (*finish)(TenderEngine *, GAsyncResult *, GError **),
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, tag);
	g_task_set_task_data(task, (gpointer)finish, NULL);
	return task;
}

/**
 * tender_plugin_start_workload_async:
 * @self: a #TenderPlugin
 * @name: a workload
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the workload runs in its scope, or failed to
 * @user_data: for @callback
 *
 * Starts a workload the plugin owns, as StartWorkload does; another's is
 * %TENDER_ERROR_ACCESS_DENIED.
 *
 * Since: 0.1
 */
void
tender_plugin_start_workload_async(TenderPlugin *self,
				   const gchar *name,
				   GCancellable *cancellable,
				   GAsyncReadyCallback callback,
				   gpointer user_data)
{
	GTask *task = tender_plugin_engine_task(self,
						tender_plugin_start_workload_async,
						tender_engine_start_workload_finish,
						cancellable,
						callback,
						user_data);

	if (!tender_plugin_task_check_owner(self, name, task))
		return;
	tender_engine_start_workload_async(tender_plugin_get_engine(self),
					   name,
					   NULL,
					   cancellable,
					   tender_plugin_engine_cb,
					   task);
}

/**
 * tender_plugin_start_workload_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload runs
 *
 * Since: 0.1
 */
gboolean
tender_plugin_start_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_plugin_stop_workload_async:
 * @self: a #TenderPlugin
 * @name: a workload
 * @timeout_sec: seconds from SIGTERM to SIGKILL, 0 for tenderd's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the workload has stopped
 * @user_data: for @callback
 *
 * Stops a workload the plugin owns, as StopWorkload does; another's is
 * %TENDER_ERROR_ACCESS_DENIED.
 *
 * Since: 0.1
 */
void
tender_plugin_stop_workload_async(TenderPlugin *self,
				  const gchar *name,
				  guint timeout_sec,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	GTask *task = tender_plugin_engine_task(self,
						tender_plugin_stop_workload_async,
						tender_engine_stop_workload_finish,
						cancellable,
						callback,
						user_data);
	g_autoptr(GVariant) options = NULL;
	GVariantDict dict;

	if (!tender_plugin_task_check_owner(self, name, task))
		return;
	g_variant_dict_init(&dict, NULL);
	if (timeout_sec > 0)
		g_variant_dict_insert(&dict, "timeout_sec", "u", (guint32)timeout_sec);
	options = g_variant_ref_sink(g_variant_dict_end(&dict));
	tender_engine_stop_workload_async(tender_plugin_get_engine(self),
					  name,
					  options,
					  cancellable,
					  tender_plugin_engine_cb,
					  task);
}

/**
 * tender_plugin_stop_workload_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload has stopped
 *
 * Since: 0.1
 */
gboolean
tender_plugin_stop_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_plugin_remove_workload_async:
 * @self: a #TenderPlugin
 * @name: a workload
 * @force: stop it first if it runs (else a running workload is an error)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the workload is gone
 * @user_data: for @callback
 *
 * Removes a workload the plugin owns, as RemoveWorkload does; another's is
 * %TENDER_ERROR_ACCESS_DENIED.
 *
 * Since: 0.1
 */
void
tender_plugin_remove_workload_async(TenderPlugin *self,
				    const gchar *name,
				    gboolean force,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = tender_plugin_engine_task(self,
						tender_plugin_remove_workload_async,
						tender_engine_remove_workload_finish,
						cancellable,
						callback,
						user_data);
	g_autoptr(GVariant) options = NULL;
	GVariantDict dict;

	if (!tender_plugin_task_check_owner(self, name, task))
		return;
	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert(&dict, "force", "b", force);
	options = g_variant_ref_sink(g_variant_dict_end(&dict));
	tender_engine_remove_workload_async(tender_plugin_get_engine(self),
					    name,
					    options,
					    cancellable,
					    tender_plugin_engine_cb,
					    task);
}

/**
 * tender_plugin_remove_workload_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the workload is gone
 *
 * Since: 0.1
 */
gboolean
tender_plugin_remove_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_plugin_kill_workload:
 * @self: a #TenderPlugin
 * @name: a running workload
 * @signo: a signal number
 * @error: (nullable): a #GError
 *
 * Sends @signo to every process of a workload the plugin owns, as KillWorkload does;
 * another's is %TENDER_ERROR_ACCESS_DENIED.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
tender_plugin_kill_workload(TenderPlugin *self, const gchar *name, gint signo, GError **error)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), FALSE);
	if (!tender_plugin_check_owner(self, name, error))
		return FALSE;
	return tender_engine_kill_workload(tender_plugin_get_engine(self), name, signo, error);
}

/**
 * tender_plugin_get_workload:
 * @self: a #TenderPlugin
 * @name: a workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv} of the workload's org.tender.Agent1.Workload
 *   properties (State, MainPID, ExitCode, Reason, ...), or %NULL if there is no such workload
 *
 * Since: 0.1
 */
GVariant *
tender_plugin_get_workload(TenderPlugin *self, const gchar *name, GError **error)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	return tender_engine_get_workload_properties(tender_plugin_get_engine(self), name, error);
}

/**
 * tender_plugin_get_workload_properties:
 * @self: a #TenderPlugin
 * @name: a workload
 * @properties: the org.tender.Agent1.Workload properties wanted, e.g. {"State", "MainPID",
 *   NULL}
 * @error: (nullable): a #GError
 *
 * Reads only some properties: cheaper than tender_plugin_get_workload(), which reads every
 * property (the limits the kernel holds among them, from the cgroup's files), for a plugin
 * that asks on every call of its own.
 *
 * Returns: (transfer full): an a{sv} of those properties, or %NULL if there is no such
 *   workload (NotFound) or a name is no property of a workload (InvalidArgument)
 *
 * Since: 0.5
 */
GVariant *
tender_plugin_get_workload_properties(TenderPlugin *self,
				      const gchar *name,
				      const gchar *const *properties,
				      GError **error)
{
	TenderEngine *engine;
	TenderWorkload *w;
	GVariantBuilder builder;

	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	g_return_val_if_fail(properties != NULL, NULL);
	for (guint i = 0; properties[i] != NULL; i++) {
		TenderWorkloadProp prop;
		if (!tender_workload_prop_lookup(properties[i], &prop)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' is no property of a workload",
				    properties[i]);
			return NULL;
		}
	}
	engine = tender_plugin_get_engine(self);
	w = tender_engine_get_workload(engine, name, error);
	if (w == NULL)
		return NULL;
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; properties[i] != NULL; i++)
		g_variant_builder_add(&builder,
				      "{sv}",
				      properties[i],
				      tender_engine_get_workload_property(engine,
									  w,
									  properties[i]));
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

/**
 * tender_plugin_get_workload_metrics:
 * @self: a #TenderPlugin
 * @name: a workload
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv} of the workload's metrics from its cgroup, as
 *   GetMetrics returns them
 *
 * Since: 0.1
 */
GVariant *
tender_plugin_get_workload_metrics(TenderPlugin *self, const gchar *name, GError **error)
{
	g_return_val_if_fail(TENDER_IS_PLUGIN(self), NULL);
	return tender_engine_get_metrics(tender_plugin_get_engine(self), name, error);
}

static void
tender_plugin_logs_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GError) error = NULL;
	GVariant *entries = tender_engine_get_logs_finish(TENDER_ENGINE(source), res, &error);

	if (entries == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_pointer(task, entries, (GDestroyNotify)g_variant_unref);
}

/**
 * tender_plugin_get_workload_logs_async:
 * @self: a #TenderPlugin
 * @name: a workload
 * @options: (nullable): an a{sv} as GetLogs takes it: lines u, since s, stream s
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the entries
 * @user_data: for @callback
 *
 * Reads the workload's output from the journal, as GetLogs does (with its limits), in a
 * worker thread.
 *
 * Since: 0.1
 */
void
tender_plugin_get_workload_logs_async(TenderPlugin *self,
				      const gchar *name,
				      GVariant *options,
				      GCancellable *cancellable,
				      GAsyncReadyCallback callback,
				      gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, tender_plugin_get_workload_logs_async);
	tender_engine_get_logs_async(tender_plugin_get_engine(self),
				     name,
				     options,
				     cancellable,
				     tender_plugin_logs_cb,
				     task);
}

/**
 * tender_plugin_get_workload_logs_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the aa{sv} of entries, oldest first, each with message, stream,
 *   timestamp and cursor, as GetLogs returns them
 *
 * Since: 0.1
 */
GVariant *
tender_plugin_get_workload_logs_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
