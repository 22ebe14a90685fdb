/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixfdlist.h>

#include "tender-plugin-private.h"

#include "tender-error.h"

/*
 * TenderPlugin's commands in its workloads: ExecWorkload for a plugin, on the engine's exec
 * (tender-engine-exec.c), with its options, checks and limits.  The plugin gives its
 * descriptors as arguments, not as handles of the options; it may run commands only in the
 * workloads it owns, as it may manage only those (tender-plugin-workload.c); polkit is not
 * asked: the plugin authorizes its own callers.  It learns the command's pid once it runs,
 * and cancelling kills the command.
 */

/* ExecWorkload's options that are descriptors: a plugin gives those as arguments */
static const gchar *const tender_plugin_exec_fd_keys[] = {"stdin", "stdout", "stderr"};

typedef struct {
	TenderPlugin *plugin; /* the task's source: it outlives us */
	TenderPluginExecStartedFunc started;
	gpointer user_data;
	gint64 begun; /* monotonic, µs */
} TenderPluginExec;

static void
tender_plugin_exec_started_cb(guint32 pid, gpointer data)
{
	TenderPluginExec *op = data;

	if (op->started != NULL)
		op->started(op->plugin, pid, op->user_data);
}

/* ExecWorkload's a{sv}: the plugin's @options, and handles for the descriptors @fds of
 * stdin, stdout and stderr that are given (indexes of them in order, -1 left out) */
static GVariant *
tender_plugin_exec_build_options(GVariant *options, const gint *fds, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (options != NULL && !g_variant_is_of_type(options, G_VARIANT_TYPE_VARDICT)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The options are an 'a{sv}', not a '%s'",
			    g_variant_get_type_string(options));
		return NULL;
	}
	for (gsize i = 0; options != NULL && i < g_variant_n_children(options); i++) {
		const gchar *key = NULL;
		g_autoptr(GVariant) value = NULL;
		g_variant_get_child(options, i, "{&sv}", &key, &value);
		if (g_strv_contains(tender_plugin_exec_fd_keys, key) &&
		    !(g_strcmp0(key, "stdin") == 0 &&
		      g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING))) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' is not for plugins: give the descriptor as an "
				    "argument of tender_plugin_exec_workload_async()",
				    key);
			return NULL;
		}
		if (g_strcmp0(key, "stdin") == 0 && fds[0] >= 0) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Option 'stdin' and a stdin descriptor: give one of "
					    "them");
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", key, value);
	}
	for (guint i = 0, n = 0; i < G_N_ELEMENTS(tender_plugin_exec_fd_keys); i++) {
		if (fds[i] < 0)
			continue;
		g_variant_builder_add(&builder,
				      "{sv}",
				      tender_plugin_exec_fd_keys[i],
				      g_variant_new_handle((gint32)n++));
	}
	return g_variant_ref_sink(g_variant_builder_end(&builder));
}

static void
tender_plugin_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderPluginExec *op = g_task_get_task_data(task);
	g_autoptr(TenderRuntimeExec) exec = NULL;
	GError *error = NULL;
	GVariantDict dict;

	exec = tender_engine_exec_workload_finish(TENDER_ENGINE(source), res, &error);
	if (exec == NULL) {
		g_task_return_error(task, error);
		return;
	}
	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert(&dict, "exit_code", "i", (gint32)exec->exit_code);
	g_variant_dict_insert(&dict, "signal", "i", (gint32)exec->signo);
	g_variant_dict_insert_value(&dict,
				    "stdout",
				    g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
							      exec->out->data,
							      exec->out->len,
							      1));
	g_variant_dict_insert_value(&dict,
				    "stderr",
				    g_variant_new_fixed_array(G_VARIANT_TYPE_BYTE,
							      exec->err->data,
							      exec->err->len,
							      1));
	g_variant_dict_insert(&dict, "truncated", "b", exec->truncated);
	g_variant_dict_insert(&dict, "pid", "u", exec->pid);
	g_variant_dict_insert(&dict,
			      "duration_ms",
			      "t",
			      (guint64)((g_get_monotonic_time() - op->begun) / 1000));
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_dict_end(&dict)),
			      (GDestroyNotify)g_variant_unref);
}

/**
 * tender_plugin_exec_workload_async:
 * @self: a #TenderPlugin
 * @name: a running workload the plugin owns
 * @argv: the command and its arguments
 * @options: (nullable): an a{sv} as ExecWorkload takes it, without descriptors: env as,
 *   working_directory s, timeout_sec u, stdin ay, max_output t, tty b, terminal_size (qq);
 *   consumed if floating
 * @stdin_fd: the command's stdin, or -1: the bytes of option stdin, else nothing (/dev/null)
 * @stdout_fd: the command's stdout, or -1: kept (up to max_output) for the result
 * @stderr_fd: the command's stderr, or -1: kept for the result (with tty: must be -1)
 * @started: (nullable): called with the command's pid once it runs, before @callback
 * @cancellable: (nullable): cancel it to kill the command (SIGKILL to its process group);
 *   the result then says signal 9
 * @callback: called once the command has ended and its output is read, or it cannot run
 * @user_data: for @started and @callback
 *
 * Runs a command in a running workload, as ExecWorkload does: in its control groups and
 * namespaces, as its user with its capabilities, with its environment and the env option,
 * with the same checks and limits.  The descriptors are taken: they are closed, whatever
 * happens.  No polkit check is made: the plugin authorizes its own callers.  A workload of
 * another owner is %TENDER_ERROR_ACCESS_DENIED, one not running %TENDER_ERROR_INVALID_STATE,
 * an empty @argv or a bad option %TENDER_ERROR_INVALID_ARGUMENT.
 *
 * Since: 0.4
 */
void
tender_plugin_exec_workload_async(TenderPlugin *self,
				  const gchar *name,
				  const gchar *const *argv,
				  GVariant *options,
				  gint stdin_fd,
				  gint stdout_fd,
				  gint stderr_fd,
				  TenderPluginExecStartedFunc started,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	gint fds[] = {stdin_fd, stdout_fd, stderr_fd};
	g_autoptr(GArray) taken = g_array_new(FALSE, FALSE, sizeof(gint));
	g_autoptr(GUnixFDList) fd_list = NULL;
	g_autoptr(GVariant) owned = options != NULL ? g_variant_ref_sink(options) : NULL;
	g_autoptr(GVariant) exec_options = NULL;
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	TenderPluginExec *op;

	/* the list owns the descriptors from here on */
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++) {
		if (fds[i] >= 0)
			g_array_append_val(taken, fds[i]);
	}
	fd_list = g_unix_fd_list_new_from_array((const gint *)taken->data, (gint)taken->len);
	g_return_if_fail(TENDER_IS_PLUGIN(self));

	/* not the plugin's cancellable: a cancelled command still has a result */
	task = g_task_new(self, NULL, callback, user_data);
	g_task_set_source_tag(task, tender_plugin_exec_workload_async);
	op = g_new0(TenderPluginExec, 1);
	op->plugin = self;
	op->started = started;
	op->user_data = user_data;
	op->begun = g_get_monotonic_time();
	g_task_set_task_data(task, op, g_free);
	if (!tender_plugin_check_owner(self, name, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	exec_options = tender_plugin_exec_build_options(owned, fds, &error);
	if (exec_options == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_debug("plugin %s: exec in workload %s", tender_plugin_get_name(self), name);
	tender_engine_exec_workload_full_async(tender_plugin_get_engine(self),
					       name,
					       argv,
					       exec_options,
					       fd_list,
					       tender_plugin_exec_started_cb,
					       op,
					       cancellable,
					       tender_plugin_exec_cb,
					       g_steal_pointer(&task));
}

/**
 * tender_plugin_exec_workload_finish:
 * @self: a #TenderPlugin
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): an a{sv}: exit_code i (-1 if killed), signal i (0 if it exited),
 *   stdout ay and stderr ay (what was kept; empty for a descriptor given), truncated b (more
 *   output came than max_output), pid u (the command's, 0 if it never ran), duration_ms t;
 *   or %NULL if the command could not run
 *
 * Since: 0.4
 */
GVariant *
tender_plugin_exec_workload_finish(TenderPlugin *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}
