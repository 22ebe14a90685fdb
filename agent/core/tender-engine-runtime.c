/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-engine-private.h"
#include "tender-error.h"

/*
 * The runtimes of the engine, by name: the core's "scope", and those plugins register, which
 * may come (and go) while tenderd runs.  A workload runs in the runtime its spec names.  One
 * that a state file brings back while its runtime is not there is kept, waiting for it (see
 * tender_supervisor_take_over()), and taken over once the runtime is added.
 */

static gint
tender_engine_compare_names_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * tender_engine_dup_runtime_names:
 * @self: a #TenderEngine
 *
 * Returns: (transfer full): the names of the runtimes the engine has, sorted, joined by ", "
 */
gchar *
tender_engine_dup_runtime_names(TenderEngine *self)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new();
	GHashTableIter iter;
	gpointer name;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	g_hash_table_iter_init(&iter, self->runtimes);
	while (g_hash_table_iter_next(&iter, &name, NULL))
		g_ptr_array_add(names, name);
	g_ptr_array_sort(names, tender_engine_compare_names_cb);
	g_ptr_array_add(names, NULL);
	return g_strjoinv(", ", (gchar **)names->pdata);
}

/**
 * tender_engine_add_runtime:
 * @self: a #TenderEngine
 * @runtime: a runtime, by a name the engine has none of yet
 *
 * Makes @runtime one the workloads may run in.  Runtimes added before tender_engine_setup()
 * are set up there, before it takes over the runs a previous tenderd left.  A runtime added
 * later (a plugin's) is set up at once, and takes over the workloads that were waiting for it:
 * their runs are adopted, or end, as at a restart of tenderd.
 */
void
tender_engine_add_runtime(TenderEngine *self, TenderRuntime *runtime)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) waiting = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;
	const gchar *name;

	g_return_if_fail(TENDER_IS_ENGINE(self));
	g_return_if_fail(TENDER_IS_RUNTIME(runtime));
	name = tender_runtime_get_name(runtime);
	g_return_if_fail(name != NULL && !g_hash_table_contains(self->runtimes, name));
	if (self->set_up && !tender_runtime_setup(runtime, &error)) {
		g_warning("runtime %s cannot run workloads: %s", name, error->message);
		return;
	}
	g_hash_table_insert(self->runtimes, g_strdup(name), g_object_ref(runtime));
	if (!self->set_up)
		return;
	g_info("runtime %s added", name);
	g_hash_table_iter_init(&iter, self->entries);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		TenderSupervisor *entry = value;
		if (entry->runtime_missing &&
		    g_strcmp0(tender_spec_get_runtime(tender_workload_get_spec(entry->workload)),
			      name) == 0)
			g_ptr_array_add(waiting, entry);
	}
	for (guint i = 0; i < waiting->len; i++)
		tender_supervisor_runtime_added(g_ptr_array_index(waiting, i));
}

/**
 * tender_engine_remove_runtime:
 * @self: a #TenderEngine
 * @runtime: a runtime that was added
 *
 * The runtime goes (its plugin is dropped): workloads of it can no longer be started.  Runs
 * under way keep their #TenderRuntimeRun, which answers what it can without its runtime.
 */
void
tender_engine_remove_runtime(TenderEngine *self, TenderRuntime *runtime)
{
	const gchar *name;

	g_return_if_fail(TENDER_IS_ENGINE(self));
	g_return_if_fail(TENDER_IS_RUNTIME(runtime));
	name = tender_runtime_get_name(runtime);
	if (g_hash_table_lookup(self->runtimes, name) != runtime)
		return;
	g_info("runtime %s removed", name);
	g_hash_table_remove(self->runtimes, name);
}

/**
 * tender_engine_has_runtime:
 * @self: a #TenderEngine
 * @name: a runtime name
 *
 * Returns: %TRUE if the engine has a runtime of that name
 */
gboolean
tender_engine_has_runtime(TenderEngine *self, const gchar *name)
{
	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	return g_hash_table_contains(self->runtimes, name);
}

/**
 * tender_engine_check_runtime:
 * @self: a #TenderEngine
 * @name: the workload, for the message
 * @spec: its spec
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the engine has the runtime @spec names and it can run @spec
 *   (tender_runtime_check_spec()); else %FALSE with %TENDER_ERROR_NOT_SUPPORTED, naming the
 *   runtimes it has, or the runtime's reason
 */
gboolean
tender_engine_check_runtime(TenderEngine *self,
			    const gchar *name,
			    const TenderSpec *spec,
			    GError **error)
{
	const gchar *runtime = tender_spec_get_runtime(spec);
	g_autofree gchar *names = NULL;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), FALSE);
	if (g_hash_table_contains(self->runtimes, runtime))
		return tender_runtime_check_spec(g_hash_table_lookup(self->runtimes, runtime),
						 name,
						 spec,
						 error);
	names = tender_engine_dup_runtime_names(self);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_NOT_SUPPORTED,
		    "Workload '%s' runs in runtime '%s', which this tenderd does not have; "
		    "it has: %s",
		    name,
		    runtime,
		    names);
	return FALSE;
}

/**
 * tender_engine_runtime_for_workload:
 * @self: a #TenderEngine
 * @workload: a workload
 * @error: (nullable): a #GError
 *
 * The runtime a workload runs in is the one its spec names (the spec key "runtime"; "scope"
 * when it names none).
 *
 * Returns: (transfer none): the runtime, or %NULL with %TENDER_ERROR_NOT_SUPPORTED if the
 *   engine has none of that name
 */
TenderRuntime *
tender_engine_runtime_for_workload(TenderEngine *self, TenderWorkload *workload, GError **error)
{
	const TenderSpec *spec;

	g_return_val_if_fail(TENDER_IS_ENGINE(self), NULL);
	g_return_val_if_fail(TENDER_IS_WORKLOAD(workload), NULL);
	spec = tender_workload_get_spec(workload);
	if (!tender_engine_check_runtime(self, tender_workload_get_name(workload), spec, error))
		return NULL;
	return g_hash_table_lookup(self->runtimes, tender_spec_get_runtime(spec));
}

/**
 * tender_engine_resolve_command:
 * @self: a #TenderEngine
 * @workload: a workload whose runtime took its spec (tender_engine_check_runtime())
 * @error: (nullable): a #GError
 *
 * Keeps as the workload's Command what its runtime makes of its spec
 * (tender_runtime_resolve_command()): with an image, what the image gives too.  A workload
 * whose runtime is not there keeps the one it has.
 *
 * Returns: %TRUE, or %FALSE with %TENDER_ERROR_INVALID_ARGUMENT if nothing says what to run
 */
gboolean
tender_engine_resolve_command(TenderEngine *self, TenderWorkload *workload, GError **error)
{
	const TenderSpec *spec = tender_workload_get_spec(workload);
	TenderRuntime *runtime = g_hash_table_lookup(self->runtimes, tender_spec_get_runtime(spec));
	g_auto(GStrv) command = NULL;

	if (runtime == NULL)
		return TRUE;
	command = tender_runtime_resolve_command(runtime,
						 tender_workload_get_name(workload),
						 spec,
						 error);
	if (command == NULL)
		return FALSE;
	tender_workload_set_command(workload, (const gchar *const *)command);
	return TRUE;
}
