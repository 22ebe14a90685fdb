/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tender-engine-private.h"
#include "tender-error.h"
#include "tender-identity.h"

/*
 * ExecWorkload, the engine's part: which workload a command may run in (a running one, of a
 * runtime that can), what the command gets of it (its user, group and capabilities, its
 * environment plus the call's, its working directory unless the call names another), and the
 * call's options.  The runtime runs it (tender_runtime_exec_async(); the scope runtime's is
 * agent/runtime/scope/tender-scope-exec.c); polkit has been asked by the front-end, through
 * the one request path, with the command as "program" and "command_line".
 */

/* characters of an environment variable's name */
#define TENDER_ENGINE_EXEC_ENV_NAME                                                                \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

typedef struct {
	TenderRuntime *runtime;
	TenderRuntimeExec *exec;
} TenderEngineExec;

static void
tender_engine_exec_free(TenderEngineExec *op)
{
	g_clear_object(&op->runtime);
	tender_runtime_exec_free(op->exec);
	g_free(op);
}

static gboolean
tender_engine_exec_check_type(const gchar *key, GVariant *value, const gchar *type, GError **error)
{
	if (g_variant_is_of_type(value, G_VARIANT_TYPE(type)))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Option '%s' of ExecWorkload is a '%s', not a '%s'",
		    key,
		    type,
		    g_variant_get_type_string(value));
	return FALSE;
}

/* the descriptor the handle @value of option @key stands for, a duplicate of the call's */
static gboolean
tender_engine_exec_take_fd(const gchar *key,
			   GVariant *value,
			   GUnixFDList *fd_list,
			   gint *fd,
			   GError **error)
{
	gint32 handle = g_variant_get_handle(value);

	if (fd_list == NULL || handle < 0 || handle >= g_unix_fd_list_get_length(fd_list)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option '%s': no file descriptor %d came with the call",
			    key,
			    handle);
		return FALSE;
	}
	*fd = g_unix_fd_list_get(fd_list, handle, error);
	return *fd >= 0;
}

/* the options "env": the call's environment variables, KEY=VALUE */
static gboolean
tender_engine_exec_parse_env(TenderRuntimeExec *exec, GVariant *value, GError **error)
{
	gsize n = 0;
	g_autofree const gchar **entries = g_variant_get_strv(value, &n);

	if (n > TENDER_SPEC_ENV_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Option 'env' has more than %d entries",
			    TENDER_SPEC_ENV_MAX);
		return FALSE;
	}
	for (gsize i = 0; i < n; i++) {
		gsize len = strspn(entries[i], TENDER_ENGINE_EXEC_ENV_NAME);
		g_autofree gchar *key = NULL;
		if (len == 0 || entries[i][len] != '=' || g_ascii_isdigit(entries[i][0])) {
			g_autofree gchar *shown = g_strndup(entries[i], 64);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'env': entry %" G_GSIZE_FORMAT
				    " ('%s') is not KEY=VALUE with KEY made of A-Z a-z 0-9 _",
				    i + 1,
				    shown);
			return FALSE;
		}
		key = g_strndup(entries[i], len);
		exec->envp = g_environ_setenv(exec->envp, key, entries[i] + len + 1, TRUE);
		exec->env = g_environ_setenv(exec->env, key, entries[i] + len + 1, TRUE);
	}
	return TRUE;
}

/* one option of ExecWorkload into @exec */
static gboolean
tender_engine_exec_parse_option(TenderRuntimeExec *exec,
				const gchar *key,
				GVariant *value,
				GUnixFDList *fd_list,
				GError **error)
{
	if (g_strcmp0(key, "env") == 0)
		return tender_engine_exec_check_type(key, value, "as", error) &&
		       tender_engine_exec_parse_env(exec, value, error);
	if (g_strcmp0(key, "working_directory") == 0) {
		const gchar *dir = NULL;
		if (!tender_engine_exec_check_type(key, value, "s", error))
			return FALSE;
		dir = g_variant_get_string(value, NULL);
		if (!g_path_is_absolute(dir) || strlen(dir) > TENDER_SPEC_WORKING_DIRECTORY_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'working_directory' must be an absolute path");
			return FALSE;
		}
		g_free(exec->working_directory);
		exec->working_directory = g_strdup(dir);
		return TRUE;
	}
	if (g_strcmp0(key, "timeout_sec") == 0) {
		if (!tender_engine_exec_check_type(key, value, "u", error))
			return FALSE;
		exec->timeout_sec = g_variant_get_uint32(value);
		return TRUE;
	}
	if (g_strcmp0(key, "max_output") == 0) {
		if (!tender_engine_exec_check_type(key, value, "t", error))
			return FALSE;
		exec->max_output = g_variant_get_uint64(value);
		if (exec->max_output > TENDER_RUNTIME_EXEC_OUTPUT_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'max_output' must be at most %d bytes",
				    TENDER_RUNTIME_EXEC_OUTPUT_MAX);
			return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(key, "tty") == 0) {
		if (!tender_engine_exec_check_type(key, value, "b", error))
			return FALSE;
		exec->tty = g_variant_get_boolean(value);
		return TRUE;
	}
	if (g_strcmp0(key, "terminal_size") == 0) {
		if (!tender_engine_exec_check_type(key, value, "(qq)", error))
			return FALSE;
		g_variant_get(value, "(qq)", &exec->rows, &exec->columns);
		return TRUE;
	}
	if (g_strcmp0(key, "stdin") == 0 &&
	    g_variant_is_of_type(value, G_VARIANT_TYPE_BYTESTRING)) {
		g_clear_pointer(&exec->stdin_data, g_bytes_unref);
		exec->stdin_data = g_variant_get_data_as_bytes(value);
		return TRUE;
	}
	if (g_strcmp0(key, "stdin") == 0 || g_strcmp0(key, "stdout") == 0 ||
	    g_strcmp0(key, "stderr") == 0) {
		gint *fd = g_strcmp0(key, "stdin") == 0	   ? &exec->stdin_fd
			   : g_strcmp0(key, "stdout") == 0 ? &exec->stdout_fd
							   : &exec->stderr_fd;
		if (!g_variant_is_of_type(value, G_VARIANT_TYPE_HANDLE)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option '%s' of ExecWorkload is an 'h'%s, not a '%s'",
				    key,
				    g_strcmp0(key, "stdin") == 0 ? " or 'ay'" : "",
				    g_variant_get_type_string(value));
			return FALSE;
		}
		if (*fd >= 0) {
			(void)g_close(*fd, NULL);
			*fd = -1;
		}
		return tender_engine_exec_take_fd(key, value, fd_list, fd, error);
	}
	g_set_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, "Unknown option '%s'", key);
	return FALSE;
}

/* the call's argv and options into @exec, whose environment is the workload's already */
static gboolean
tender_engine_exec_parse(TenderRuntimeExec *exec,
			 const gchar *const *argv,
			 GVariant *options,
			 GUnixFDList *fd_list,
			 GError **error)
{
	gboolean has_size = FALSE;

	if (argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Argument 'argv' must name a command: it is empty");
		return FALSE;
	}
	if (g_strv_length((gchar **)argv) > TENDER_SPEC_ARGV_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Argument 'argv' has more than %d elements",
			    TENDER_SPEC_ARGV_MAX);
		return FALSE;
	}
	exec->argv = g_strdupv((gchar **)argv);
	/* the front-ends give an a{sv}: D-Bus checks the call's signature */
	g_return_val_if_fail(options == NULL ||
				 g_variant_is_of_type(options, G_VARIANT_TYPE_VARDICT),
			     FALSE);
	for (gsize i = 0; options != NULL && i < g_variant_n_children(options); i++) {
		const gchar *key = NULL;
		g_autoptr(GVariant) value = NULL;
		g_variant_get_child(options, i, "{&sv}", &key, &value);
		if (!tender_engine_exec_parse_option(exec, key, value, fd_list, error))
			return FALSE;
		has_size |= g_strcmp0(key, "terminal_size") == 0;
	}
	if (exec->tty && exec->stderr_fd >= 0) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'stderr': with 'tty' the terminal is the command's "
				    "stderr");
		return FALSE;
	}
	if (has_size && !exec->tty) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Option 'terminal_size' needs 'tty'");
		return FALSE;
	}
	return TRUE;
}

/* the workload's own: its run, its runtime, its user and its environment */
static TenderEngineExec *
tender_engine_exec_prepare(TenderEngine *self,
			   const gchar *name,
			   const gchar *const *argv,
			   GVariant *options,
			   GUnixFDList *fd_list,
			   TenderRuntimeRun **run,
			   GError **error)
{
	TenderSupervisor *entry = tender_engine_lookup(self, name, error);
	g_autoptr(TenderRuntimeExec) exec = NULL;
	TenderRuntime *runtime;
	TenderState state;
	TenderEngineExec *op;

	if (entry == NULL || !tender_supervisor_check_runtime(entry, error))
		return NULL;
	/* the working directory, unless the call names one, and what an image gives (its Env
	 * under the spec's env) are the runtime's to fill in, as for the workload's command */
	exec = tender_runtime_exec_new_for_spec(tender_workload_get_spec(entry->workload), error);
	if (exec == NULL || !tender_engine_exec_parse(exec, argv, options, fd_list, error))
		return NULL;
	state = tender_workload_get_state(entry->workload);
	if (state != TENDER_STATE_RUNNING || entry->run == NULL ||
	    tender_runtime_run_has_ended(entry->run)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload '%s' is %s; commands run only in a running workload",
			    name,
			    tender_state_to_string(state));
		return NULL;
	}
	runtime = tender_engine_runtime_for_workload(self, entry->workload, error);
	if (runtime == NULL)
		return NULL;
	op = g_new0(TenderEngineExec, 1);
	op->runtime = g_object_ref(runtime);
	op->exec = g_steal_pointer(&exec);
	*run = entry->run;
	return op;
}

static void
tender_engine_exec_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	GError *error = NULL;

	if (!tender_runtime_exec_finish(TENDER_RUNTIME(source), res, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * tender_engine_exec_workload_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @argv: the command and its arguments
 * @options: (nullable): an a{sv}: env as, working_directory s, timeout_sec u, stdin ay or h,
 *   stdout h, stderr h, max_output t, tty b, terminal_size (qq) (see ExecWorkload in
 *   org.tender.Agent1.xml)
 * @fd_list: (nullable): the descriptors the call brought, which the handles of @options
 *   index; the engine takes duplicates
 * @cancellable: (nullable): cancel it when the caller has gone: the command is killed
 * @callback: called once the command has ended and its output is read, or it cannot run
 * @user_data: for @callback
 *
 * Runs a command in a running workload, as the workload's own processes run: in its control
 * groups and namespaces, as its user with its capabilities, with its environment and the
 * call's env, in its working directory or the call's.
 */
void
tender_engine_exec_workload_async(TenderEngine *self,
				  const gchar *name,
				  const gchar *const *argv,
				  GVariant *options,
				  GUnixFDList *fd_list,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	tender_engine_exec_workload_full_async(self,
					       name,
					       argv,
					       options,
					       fd_list,
					       NULL,
					       NULL,
					       cancellable,
					       callback,
					       user_data);
}

/**
 * tender_engine_exec_workload_full_async:
 * @self: a #TenderEngine
 * @name: the workload
 * @argv: the command and its arguments
 * @options: (nullable): ExecWorkload's a{sv}, as tender_engine_exec_workload_async() takes it
 * @fd_list: (nullable): the descriptors its handles index; the engine takes duplicates
 * @started: (nullable): told the command's pid (as the host sees it) once it runs, before
 *   @callback; not if it never runs
 * @started_data: for @started
 * @cancellable: (nullable): cancel it to kill the command (its answer says so: signal 9)
 * @callback: called once the command has ended and its output is read, or it cannot run
 * @user_data: for @callback
 *
 * tender_engine_exec_workload_async(), and the command's pid as soon as it runs: for those
 * who keep track of what runs (a plugin's background processes).
 */
void
tender_engine_exec_workload_full_async(TenderEngine *self,
				       const gchar *name,
				       const gchar *const *argv,
				       GVariant *options,
				       GUnixFDList *fd_list,
				       TenderRuntimeExecStartedFunc started,
				       gpointer started_data,
				       GCancellable *cancellable,
				       GAsyncReadyCallback callback,
				       gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, callback, user_data);
	g_autoptr(GError) error = NULL;
	TenderRuntimeRun *run = NULL;
	TenderEngineExec *op;

	g_return_if_fail(TENDER_IS_ENGINE(self));
	g_task_set_source_tag(task, tender_engine_exec_workload_full_async);
	op = tender_engine_exec_prepare(self, name, argv, options, fd_list, &run, &error);
	if (op == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	op->exec->started = started;
	op->exec->started_data = started_data;
	g_task_set_task_data(task, op, (GDestroyNotify)tender_engine_exec_free);
	g_debug("workload %s: exec %s", name, argv[0]);
	tender_runtime_exec_async(op->runtime,
				  run,
				  op->exec,
				  cancellable,
				  tender_engine_exec_cb,
				  g_steal_pointer(&task));
}

/**
 * tender_engine_exec_workload_finish:
 * @self: a #TenderEngine
 * @res: the result
 * @error: (nullable): a #GError
 *
 * Finishes tender_engine_exec_workload_async() and tender_engine_exec_workload_full_async().
 *
 * Returns: (transfer full): the command and how it ended (exit_code, signo, out, err,
 *   truncated, pid), or %NULL if it could not run
 */
TenderRuntimeExec *
tender_engine_exec_workload_finish(TenderEngine *self, GAsyncResult *res, GError **error)
{
	TenderEngineExec *op;

	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	if (!g_task_propagate_boolean(G_TASK(res), error))
		return NULL;
	op = g_task_get_task_data(G_TASK(res));
	return g_steal_pointer(&op->exec);
}
