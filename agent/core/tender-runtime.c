/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-runtime.h"

/*
 * TenderRuntime is a way for a workload to run: the core's "scope" runtime (a transient
 * systemd scope, agent/runtime/scope), and whatever else registers one.  It makes runs
 * (TenderRuntimeRun), one for each start or adoption of a workload.
 *
 * Runtimes are abstract GObject classes rather than GInterfaces so that the base classes can
 * hold what every runtime shares (the name here; the SIGKILL after a stop's timeout, the
 * report of the end and the metrics samples in TenderRuntimeRun), and a runtime only fills
 * in its vfuncs.
 */

typedef struct {
	gchar *name;
} TenderRuntimePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE(TenderRuntime, tender_runtime, G_TYPE_OBJECT)

#define GET_PRIVATE(o) (tender_runtime_get_instance_private(o))

enum { PROP_0, PROP_NAME, PROP_LAST };

/**
 * tender_runtime_get_name:
 * @self: a #TenderRuntime
 *
 * Returns: the runtime's name, which a workload's spec selects it by, e.g. "scope"
 */
const gchar *
tender_runtime_get_name(TenderRuntime *self)
{
	TenderRuntimePrivate *priv = GET_PRIVATE(self);
	g_return_val_if_fail(TENDER_IS_RUNTIME(self), NULL);
	return priv->name;
}

/**
 * tender_runtime_setup:
 * @self: a #TenderRuntime
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the runtime can run workloads
 */
gboolean
tender_runtime_setup(TenderRuntime *self, GError **error)
{
	TenderRuntimeClass *klass = TENDER_RUNTIME_GET_CLASS(self);

	g_return_val_if_fail(TENDER_IS_RUNTIME(self), FALSE);
	if (klass->setup == NULL)
		return TRUE;
	return klass->setup(self, error);
}

/**
 * tender_runtime_new_run:
 * @self: a #TenderRuntime
 * @workload: the workload to run
 *
 * Returns: (transfer full): a new run of @workload, to start, adopt or abandon
 */
TenderRuntimeRun *
tender_runtime_new_run(TenderRuntime *self, TenderWorkload *workload)
{
	g_return_val_if_fail(TENDER_IS_RUNTIME(self), NULL);
	g_return_val_if_fail(TENDER_IS_WORKLOAD(workload), NULL);
	return TENDER_RUNTIME_GET_CLASS(self)->new_run(self, workload);
}

/**
 * tender_runtime_prepare_workload:
 * @self: a #TenderRuntime
 * @workload: a workload that runs in @self, created, imported or restored
 *
 * Lets the runtime set what it shows of @workload (Unit, for the scope runtime): the engine
 * never makes these up itself.
 */
void
tender_runtime_prepare_workload(TenderRuntime *self, TenderWorkload *workload)
{
	TenderRuntimeClass *klass;

	g_return_if_fail(TENDER_IS_RUNTIME(self));
	klass = TENDER_RUNTIME_GET_CLASS(self);
	if (klass->prepare_workload != NULL)
		klass->prepare_workload(self, workload);
}

/**
 * tender_runtime_forget_workload:
 * @self: a #TenderRuntime
 * @workload: a workload that is being removed; it has no run under way
 */
void
tender_runtime_forget_workload(TenderRuntime *self, TenderWorkload *workload)
{
	TenderRuntimeClass *klass = TENDER_RUNTIME_GET_CLASS(self);

	g_return_if_fail(TENDER_IS_RUNTIME(self));
	if (klass->forget_workload != NULL)
		klass->forget_workload(self, workload);
}

/**
 * tender_runtime_exec_async:
 * @self: a #TenderRuntime
 * @run: the run of a running workload
 * @exec: the command to run in it; valid until @callback is called, which finds the answer
 *	in it
 * @cancellable: (nullable): a #GCancellable: the caller has gone, the command is killed
 * @callback: called once the command has ended, or could not be run
 * @user_data: for @callback
 *
 * Runs a command in the workload, as its own processes run.
 */
void
tender_runtime_exec_async(TenderRuntime *self,
			  TenderRuntimeRun *run,
			  TenderRuntimeExec *exec,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data)
{
	TenderRuntimeClass *klass;

	g_return_if_fail(TENDER_IS_RUNTIME(self));
	klass = TENDER_RUNTIME_GET_CLASS(self);
	if (klass->exec_async == NULL) {
		g_task_report_new_error(self,
					callback,
					user_data,
					tender_runtime_exec_async,
					TENDER_ERROR,
					TENDER_ERROR_NOT_SUPPORTED,
					"The runtime '%s' cannot run commands in its workloads",
					tender_runtime_get_name(self));
		return;
	}
	klass->exec_async(self, run, exec, cancellable, callback, user_data);
}

/**
 * tender_runtime_exec_finish:
 * @self: a #TenderRuntime
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if the command ran (its answer is in the #TenderRuntimeExec), %FALSE if it
 *   could not be run
 */
gboolean
tender_runtime_exec_finish(TenderRuntime *self, GAsyncResult *res, GError **error)
{
	TenderRuntimeClass *klass = TENDER_RUNTIME_GET_CLASS(self);

	if (g_async_result_is_tagged(res, tender_runtime_exec_async))
		return g_task_propagate_boolean(G_TASK(res), error);
	return klass->exec_finish(self, res, error);
}

static void
tender_runtime_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	TenderRuntimePrivate *priv = GET_PRIVATE(TENDER_RUNTIME(object));

	switch (prop_id) {
	case PROP_NAME:
		g_value_set_string(value, priv->name);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
tender_runtime_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	TenderRuntimePrivate *priv = GET_PRIVATE(TENDER_RUNTIME(object));

	switch (prop_id) {
	case PROP_NAME:
		g_free(priv->name);
		priv->name = g_value_dup_string(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
tender_runtime_finalize(GObject *object)
{
	TenderRuntimePrivate *priv = GET_PRIVATE(TENDER_RUNTIME(object));
	g_free(priv->name);
	G_OBJECT_CLASS(tender_runtime_parent_class)->finalize(object);
}

static void
tender_runtime_class_init(TenderRuntimeClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = tender_runtime_get_property;
	object_class->set_property = tender_runtime_set_property;
	object_class->finalize = tender_runtime_finalize;

	/**
	 * TenderRuntime:name:
	 *
	 * The name a workload's spec selects the runtime by.
	 */
	g_object_class_install_property(object_class,
					PROP_NAME,
					g_param_spec_string("name",
							    NULL,
							    NULL,
							    NULL,
							    G_PARAM_READWRITE |
								G_PARAM_CONSTRUCT_ONLY |
								G_PARAM_STATIC_STRINGS));
}

static void
tender_runtime_init(TenderRuntime *self)
{
}

/**
 * tender_runtime_check_spec:
 * @self: a #TenderRuntime
 * @name: the workload's name
 * @spec: its spec
 * @error: (nullable): a #GError
 *
 * Whether @self can run a workload of @spec: asked when it is created or imported.
 *
 * Returns: %TRUE if it can; else %FALSE with the reason
 */
gboolean
tender_runtime_check_spec(TenderRuntime *self,
			  const gchar *name,
			  const TenderSpec *spec,
			  GError **error)
{
	TenderRuntimeClass *klass;

	g_return_val_if_fail(TENDER_IS_RUNTIME(self), FALSE);
	klass = TENDER_RUNTIME_GET_CLASS(self);
	if (klass->check_spec != NULL)
		return klass->check_spec(self, name, spec, error);
	return tender_runtime_check_isolation_keys(self, name, spec, error);
}

/**
 * tender_runtime_check_isolation_keys:
 * @self: a #TenderRuntime
 * @name: the workload's name
 * @spec: its spec
 * @error: (nullable): a #GError
 *
 * The check of a runtime that does no isolation: it refuses the isolation keys.
 *
 * Returns: %TRUE if @spec asks for no isolation; else %FALSE with NotSupported
 */
gboolean
tender_runtime_check_isolation_keys(TenderRuntime *self,
				    const gchar *name,
				    const TenderSpec *spec,
				    GError **error)
{
	if (spec->isolation == TENDER_ISOLATION_MINIMAL && spec->rlimits == NULL)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_NOT_SUPPORTED,
		    "Workload '%s': runtime '%s' does not do the isolation keys (isolation, "
		    "rlimits)",
		    name,
		    tender_runtime_get_name(self));
	return FALSE;
}

/**
 * tender_runtime_resolve_command:
 * @self: a #TenderRuntime
 * @name: the workload's name
 * @spec: its spec, which tender_runtime_check_spec() took
 * @error: (nullable): a #GError
 *
 * The command a workload of @spec runs: what the workload's Command property shows.  The
 * runtime may make it from more than the spec's argv: the scope runtime puts an image's
 * Entrypoint first, and runs the image's Cmd when the spec has no argv.
 *
 * Returns: (transfer full): the command, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT if
 *	nothing says what to run
 */
gchar **
tender_runtime_resolve_command(TenderRuntime *self,
			       const gchar *name,
			       const TenderSpec *spec,
			       GError **error)
{
	TenderRuntimeClass *klass;

	g_return_val_if_fail(TENDER_IS_RUNTIME(self), NULL);
	klass = TENDER_RUNTIME_GET_CLASS(self);
	if (klass->resolve_command != NULL)
		return klass->resolve_command(self, name, spec, error);
	if (spec->argv != NULL)
		return g_strdupv(spec->argv);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Workload '%s' has no command: give one (spec key 'argv')",
		    name);
	return NULL;
}
