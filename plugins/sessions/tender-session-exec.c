/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <unistd.h>

#include "tender-session-exec.h"

/*
 * Commands in a session's sandbox: the options of Exec and StartProcess (D-Bus a{sv} or the
 * HTTP routes' JSON) checked into a TenderSessionExecOptions, and Exec's run through
 * tender_plugin_exec_workload_async() with its timeout: at @timeout_sec the command's
 * process group is killed (SIGKILL, by cancelling it) and the result says timed_out.
 */

void
tender_session_exec_options_free(TenderSessionExecOptions *self)
{
	g_strfreev(self->argv);
	g_strfreev(self->env);
	g_free(self->working_directory);
	g_clear_pointer(&self->stdin_data, g_bytes_unref);
	for (guint i = 0; i < G_N_ELEMENTS(self->fds); i++) {
		if (self->fds[i] >= 0)
			(void)close(self->fds[i]);
	}
	g_free(self);
}

static gboolean
tender_session_exec_invalid(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
tender_session_exec_invalid(GError **error, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, message);
	return FALSE;
}

static gboolean
tender_session_exec_set_argv(TenderSessionExecOptions *self,
			     const gchar *const *argv,
			     GError **error)
{
	guint n = argv != NULL ? g_strv_length((gchar **)argv) : 0;

	if (n > TENDER_SESSION_EXEC_ARGV_MAX)
		return tender_session_exec_invalid(error,
						   "The command has %u arguments; at most %d",
						   n,
						   TENDER_SESSION_EXEC_ARGV_MAX);
	for (guint i = 0; i < n; i++) {
		if (strlen(argv[i]) > TENDER_SESSION_EXEC_ARG_MAX)
			return tender_session_exec_invalid(error,
							   "Argument %u of the command is over %d "
							   "bytes",
							   i,
							   TENDER_SESSION_EXEC_ARG_MAX);
	}
	if (n > 0 && argv[0][0] == '\0')
		return tender_session_exec_invalid(error, "The command's name (argv[0]) is empty");
	g_strfreev(self->argv);
	self->argv = g_strdupv((gchar **)argv);
	return TRUE;
}

static gboolean
tender_session_exec_set_shell(TenderSessionExecOptions *self, const gchar *shell, GError **error)
{
	if (self->argv != NULL && self->argv[0] != NULL)
		return tender_session_exec_invalid(error,
						   "Give either a command (argv) or the option "
						   "'shell', not both");
	if (shell[0] == '\0' || strlen(shell) > TENDER_SESSION_EXEC_ARG_MAX)
		return tender_session_exec_invalid(error,
						   "Option 'shell' must be 1 to %d bytes",
						   TENDER_SESSION_EXEC_ARG_MAX);
	g_strfreev(self->argv);
	self->argv = g_strdupv((gchar *[]){(gchar *)"sh", (gchar *)"-c", (gchar *)shell, NULL});
	return TRUE;
}

static gboolean
tender_session_exec_add_env(TenderSessionExecOptions *self,
			    const gchar *key,
			    const gchar *value,
			    GError **error)
{
	gboolean ok = key[0] != '\0' && !g_ascii_isdigit(key[0]) && strlen(key) <= 256;

	for (const gchar *p = key; ok && *p != '\0'; p++)
		ok = g_ascii_isalnum(*p) || *p == '_';
	if (!ok)
		return tender_session_exec_invalid(error,
						   "Option 'env': '%s' is not a name of A-Z a-z "
						   "0-9 _ (not starting with a digit)",
						   key);
	if (g_strv_length(self->env) >= TENDER_SESSION_EXEC_ENV_MAX)
		return tender_session_exec_invalid(error,
						   "Option 'env' has more than %d variables",
						   TENDER_SESSION_EXEC_ENV_MAX);
	if (strlen(value) > TENDER_SESSION_EXEC_ARG_MAX)
		return tender_session_exec_invalid(error,
						   "Option 'env': the value of %s is over %d bytes",
						   key,
						   TENDER_SESSION_EXEC_ARG_MAX);
	self->env = g_environ_setenv(self->env, key, value, TRUE);
	return TRUE;
}

static gboolean
tender_session_exec_set_cwd(TenderSessionExecOptions *self, const gchar *dir, GError **error)
{
	if (!g_path_is_absolute(dir) || strlen(dir) > 4096)
		return tender_session_exec_invalid(error,
						   "Option 'working_directory' must be an absolute "
						   "path (of at most 4096 bytes)");
	g_free(self->working_directory);
	self->working_directory = g_strdup(dir);
	return TRUE;
}

static gboolean
tender_session_exec_set_number(TenderSessionExecOptions *self,
			       const gchar *key,
			       guint64 value,
			       GError **error)
{
	if (self->background)
		return tender_session_exec_invalid(error,
						   "Option '%s' is Exec's; a background process "
						   "has none",
						   key);
	if (g_strcmp0(key, "timeout_sec") == 0) {
		if (value > TENDER_SESSION_EXEC_TIMEOUT_MAX)
			return tender_session_exec_invalid(error,
							   "Option 'timeout_sec' must be at most "
							   "%d",
							   TENDER_SESSION_EXEC_TIMEOUT_MAX);
		self->timeout_sec = (guint32)value;
		return TRUE;
	}
	if (value > TENDER_SESSION_EXEC_OUTPUT_MAX)
		return tender_session_exec_invalid(error,
						   "Option 'max_output' must be at most %d bytes",
						   TENDER_SESSION_EXEC_OUTPUT_MAX);
	self->max_output = value;
	return TRUE;
}

static gboolean
tender_session_exec_set_stdin(TenderSessionExecOptions *self, GBytes *data, GError **error)
{
	if (self->background)
		return tender_session_exec_invalid(error,
						   "Option 'stdin' is Exec's; a background process "
						   "has none");
	if (g_bytes_get_size(data) > TENDER_SESSION_EXEC_STDIN_MAX)
		return tender_session_exec_invalid(error,
						   "Option 'stdin' is over %d bytes",
						   TENDER_SESSION_EXEC_STDIN_MAX);
	g_clear_pointer(&self->stdin_data, g_bytes_unref);
	self->stdin_data = g_bytes_ref(data);
	return TRUE;
}

static TenderSessionExecOptions *
tender_session_exec_options_new(gboolean background)
{
	TenderSessionExecOptions *self = g_new0(TenderSessionExecOptions, 1);

	self->background = background;
	self->env = g_new0(gchar *, 1);
	self->max_output = TENDER_SESSION_EXEC_OUTPUT_DEFAULT;
	for (guint i = 0; i < G_N_ELEMENTS(self->fds); i++)
		self->fds[i] = -1;
	return self;
}

static TenderSessionExecOptions *
tender_session_exec_options_check(TenderSessionExecOptions *self, GError **error)
{
	if (self->stdin_data != NULL && self->fds[0] >= 0) {
		tender_session_exec_invalid(error,
					    "Option 'stdin' is given twice: as bytes and as a "
					    "descriptor");
		return NULL;
	}
	if (self->argv == NULL || self->argv[0] == NULL) {
		tender_session_exec_invalid(error,
					    "The command is empty: give its argv, or the option "
					    "'shell'");
		tender_session_exec_options_free(self);
		return NULL;
	}
	return self;
}

static gboolean
tender_session_exec_check_type(const gchar *key, GVariant *value, const gchar *type, GError **error)
{
	if (g_variant_is_of_type(value, G_VARIANT_TYPE(type)))
		return TRUE;
	return tender_session_exec_invalid(error,
					   "Option '%s' is a '%s', not a '%s'",
					   key,
					   type,
					   g_variant_get_type_string(value));
}

/* option stdin, stdout or stderr as a descriptor of the call's */
static gboolean
tender_session_exec_set_fd(TenderSessionExecOptions *self,
			   const gchar *key,
			   GVariant *value,
			   GUnixFDList *fd_list,
			   GError **error)
{
	guint which = g_strcmp0(key, "stdin") == 0 ? 0 : g_strcmp0(key, "stdout") == 0 ? 1 : 2;
	gint32 handle = g_variant_get_handle(value);
	gint fd;

	if (self->background)
		return tender_session_exec_invalid(error,
						   "Option '%s' is Exec's: a background process's "
						   "output goes to its logs",
						   key);
	if (fd_list == NULL || handle < 0 || handle >= g_unix_fd_list_get_length(fd_list))
		return tender_session_exec_invalid(
		    error,
		    "Option '%s' is the handle %d, but the call came "
		    "with %d descriptors",
		    key,
		    handle,
		    fd_list != NULL ? g_unix_fd_list_get_length(fd_list) : 0);
	fd = g_unix_fd_list_get(fd_list, handle, error);
	if (fd < 0)
		return FALSE;
	if (self->fds[which] >= 0)
		(void)close(self->fds[which]);
	self->fds[which] = fd;
	return TRUE;
}

static gboolean
tender_session_exec_parse_option(TenderSessionExecOptions *self,
				 const gchar *key,
				 GVariant *value,
				 GUnixFDList *fd_list,
				 GError **error)
{
	if (g_strv_contains((const gchar *const[]){"stdin", "stdout", "stderr", NULL}, key) &&
	    g_variant_is_of_type(value, G_VARIANT_TYPE_HANDLE))
		return tender_session_exec_set_fd(self, key, value, fd_list, error);
	if (g_strcmp0(key, "shell") == 0)
		return tender_session_exec_check_type(key, value, "s", error) &&
		       tender_session_exec_set_shell(self,
						     g_variant_get_string(value, NULL),
						     error);
	if (g_strcmp0(key, "env") == 0) {
		GVariantIter iter;
		const gchar *k;
		const gchar *v;
		if (!tender_session_exec_check_type(key, value, "a{ss}", error))
			return FALSE;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&s&s}", &k, &v)) {
			if (!tender_session_exec_add_env(self, k, v, error))
				return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(key, "working_directory") == 0)
		return tender_session_exec_check_type(key, value, "s", error) &&
		       tender_session_exec_set_cwd(self, g_variant_get_string(value, NULL), error);
	if (g_strcmp0(key, "timeout_sec") == 0)
		return tender_session_exec_check_type(key, value, "u", error) &&
		       tender_session_exec_set_number(self,
						      key,
						      g_variant_get_uint32(value),
						      error);
	if (g_strcmp0(key, "max_output") == 0)
		return tender_session_exec_check_type(key, value, "t", error) &&
		       tender_session_exec_set_number(self,
						      key,
						      g_variant_get_uint64(value),
						      error);
	if (g_strcmp0(key, "stdin") == 0) {
		g_autoptr(GBytes) data = NULL;
		if (!tender_session_exec_check_type(key, value, "ay", error))
			return FALSE;
		data = g_variant_get_data_as_bytes(value);
		return tender_session_exec_set_stdin(self, data, error);
	}
	return tender_session_exec_invalid(error, "Unknown option '%s'", key);
}

/**
 * tender_session_exec_options_from_vardict:
 * @argv: the command, empty with the option shell
 * @options: a{sv}: shell s, env a{ss}, working_directory s, and for Exec timeout_sec u,
 *   stdin ay or h, stdout h, stderr h, max_output t
 * @fd_list: (nullable): the call's descriptors, which the handles (h) index
 * @background: StartProcess's (no stdin, timeout, descriptors nor max_output)
 *
 * Returns: (transfer full): the options, or %NULL with InvalidArgument naming what is wrong
 */
TenderSessionExecOptions *
tender_session_exec_options_from_vardict(const gchar *const *argv,
					 GVariant *options,
					 GUnixFDList *fd_list,
					 gboolean background,
					 GError **error)
{
	g_autoptr(TenderSessionExecOptions) self = tender_session_exec_options_new(background);
	GVariantIter iter;
	const gchar *key;
	GVariant *value;

	if (!tender_session_exec_set_argv(self, argv, error))
		return NULL;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		if (!tender_session_exec_parse_option(self, key, value, fd_list, error))
			return NULL;
	}
	return tender_session_exec_options_check(g_steal_pointer(&self), error);
}

static gboolean
tender_session_exec_json_uint(JsonNode *node, const gchar *key, guint64 *out, GError **error)
{
	if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_INT64 &&
	    json_node_get_int(node) >= 0) {
		*out = (guint64)json_node_get_int(node);
		return TRUE;
	}
	return tender_session_exec_invalid(error, "'%s' must be a number, 0 or more", key);
}

static gboolean
tender_session_exec_json_member(TenderSessionExecOptions *self,
				const gchar *key,
				JsonNode *node,
				GError **error)
{
	guint64 number = 0;
	gboolean is_string =
	    JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING;

	if (g_strcmp0(key, "command") == 0 && is_string)
		return tender_session_exec_set_shell(self, json_node_get_string(node), error);
	if (g_strcmp0(key, "command") == 0 && JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		g_autoptr(GPtrArray) argv = g_ptr_array_new();
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *item = json_array_get_element(array, i);
			if (!JSON_NODE_HOLDS_VALUE(item) ||
			    json_node_get_value_type(item) != G_TYPE_STRING)
				return tender_session_exec_invalid(error,
								   "'command' must be an array "
								   "of strings, or a string");
			g_ptr_array_add(argv, (gpointer)json_node_get_string(item));
		}
		g_ptr_array_add(argv, NULL);
		return tender_session_exec_set_argv(self, (const gchar *const *)argv->pdata, error);
	}
	if (g_strcmp0(key, "command") == 0)
		return tender_session_exec_invalid(error,
						   "'command' must be an array of strings, or a "
						   "string");
	if (g_strcmp0(key, "env") == 0) {
		JsonObject *env = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		g_autoptr(GList) names = env != NULL ? json_object_get_members(env) : NULL;
		if (env == NULL)
			return tender_session_exec_invalid(error,
							   "'env' must be an object of strings");
		for (GList *l = names; l != NULL; l = l->next) {
			JsonNode *v = json_object_get_member(env, l->data);
			if (!JSON_NODE_HOLDS_VALUE(v) ||
			    json_node_get_value_type(v) != G_TYPE_STRING)
				return tender_session_exec_invalid(error,
								   "'env' must be an object of "
								   "strings");
			if (!tender_session_exec_add_env(self,
							 l->data,
							 json_node_get_string(v),
							 error))
				return FALSE;
		}
		return TRUE;
	}
	if (g_strcmp0(key, "working_directory") == 0 && is_string)
		return tender_session_exec_set_cwd(self, json_node_get_string(node), error);
	if (g_strcmp0(key, "working_directory") == 0)
		return tender_session_exec_invalid(error, "'working_directory' must be a string");
	if (g_strcmp0(key, "timeout_sec") == 0 || g_strcmp0(key, "max_output") == 0)
		return tender_session_exec_json_uint(node, key, &number, error) &&
		       tender_session_exec_set_number(self, key, number, error);
	if (g_strcmp0(key, "stdin") == 0 && is_string) {
		const gchar *text = json_node_get_string(node);
		g_autoptr(GBytes) data = g_bytes_new(text, strlen(text));
		return tender_session_exec_set_stdin(self, data, error);
	}
	if (g_strcmp0(key, "stdin") == 0)
		return tender_session_exec_invalid(error, "'stdin' must be a string");
	return tender_session_exec_invalid(error, "Unknown member '%s'", key);
}

/**
 * tender_session_exec_options_from_json:
 * @obj: {command: [..] or "shell string", env {K: V}, working_directory, and for Exec
 *   timeout_sec, stdin (text), max_output}
 *
 * Returns: (transfer full): the options, or %NULL with InvalidArgument
 */
TenderSessionExecOptions *
tender_session_exec_options_from_json(JsonObject *obj, gboolean background, GError **error)
{
	g_autoptr(TenderSessionExecOptions) self = tender_session_exec_options_new(background);
	g_autoptr(GList) names = json_object_get_members(obj);
	JsonNode *command = json_object_get_member(obj, "command");

	/* the command first: 'shell' cannot be told from argv otherwise */
	if (command != NULL && !tender_session_exec_json_member(self, "command", command, error))
		return NULL;
	for (GList *l = names; l != NULL; l = l->next) {
		if (g_strcmp0(l->data, "command") == 0)
			continue;
		if (!tender_session_exec_json_member(self,
						     l->data,
						     json_object_get_member(obj, l->data),
						     error))
			return NULL;
	}
	return tender_session_exec_options_check(g_steal_pointer(&self), error);
}

/**
 * tender_session_exec_options_to_variant:
 * @has_workspace: the session has /workspace, the default working directory
 *
 * Returns: (transfer floating): the options of tender_plugin_exec_workload_async() (the
 *   timeout is not among them: tender_session_exec_run_async() keeps it)
 */
GVariant *
tender_session_exec_options_to_variant(TenderSessionExecOptions *self, gboolean has_workspace)
{
	GVariantBuilder builder;
	const gchar *cwd = self->working_directory;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	if (cwd == NULL && has_workspace)
		cwd = TENDER_SESSION_EXEC_CWD_DEFAULT;
	if (cwd != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(cwd));
	if (self->env[0] != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)self->env, -1));
	if (!self->background) {
		g_variant_builder_add(&builder,
				      "{sv}",
				      "max_output",
				      g_variant_new_uint64(self->max_output));
		if (self->stdin_data != NULL)
			g_variant_builder_add(&builder,
					      "{sv}",
					      "stdin",
					      g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING,
								       self->stdin_data,
								       TRUE));
	}
	return g_variant_builder_end(&builder);
}

/* --- Exec's run --- */

typedef struct {
	GCancellable *cancellable; /* ours: the timeout's and the caller's */
	gulong cancelled_id;
	GCancellable *caller;
	guint timeout_id;
	gboolean timed_out;
	TenderPluginExecStartedFunc started;
	gpointer started_data;
} TenderSessionExecRun;

static void
tender_session_exec_run_free(TenderSessionExecRun *run)
{
	g_clear_handle_id(&run->timeout_id, g_source_remove);
	if (run->caller != NULL) {
		g_cancellable_disconnect(run->caller, run->cancelled_id);
		g_object_unref(run->caller);
	}
	g_object_unref(run->cancellable);
	g_free(run);
}

static gboolean
tender_session_exec_timeout_cb(gpointer user_data)
{
	TenderSessionExecRun *run = user_data;

	run->timeout_id = 0;
	run->timed_out = TRUE;
	g_cancellable_cancel(run->cancellable);
	return G_SOURCE_REMOVE;
}

static void
tender_session_exec_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	g_cancellable_cancel(user_data);
}

static void
tender_session_exec_started_cb(TenderPlugin *plugin, guint32 pid, gpointer user_data)
{
	GTask *task = user_data;
	TenderSessionExecRun *run = g_task_get_task_data(task);

	if (run->started != NULL)
		run->started(plugin, pid, run->started_data);
}

static void
tender_session_exec_ran_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderSessionExecRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) result = NULL;
	GVariantDict dict;

	result = tender_plugin_exec_workload_finish(TENDER_PLUGIN(source), res, &error);
	if (result == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_variant_dict_init(&dict, result);
	g_variant_dict_insert(&dict, "timed_out", "b", run->timed_out);
	g_task_return_pointer(task,
			      g_variant_ref_sink(g_variant_dict_end(&dict)),
			      (GDestroyNotify)g_variant_unref);
}

/**
 * tender_session_exec_run_async:
 * @workload: the session's sandbox, running
 * @has_workspace: it has /workspace (the default working directory)
 *
 * Runs Exec's command and gives its result, killed (its process group, SIGKILL) at its
 * timeout or when @cancellable is cancelled.  The descriptors of @options are taken (then
 * -1), @started is called with the command's pid once it runs (@user_data is its too).
 */
void
tender_session_exec_run_async(TenderPlugin *plugin,
			      const gchar *workload,
			      TenderSessionExecOptions *options,
			      gboolean has_workspace,
			      TenderPluginExecStartedFunc started,
			      GCancellable *cancellable,
			      GAsyncReadyCallback callback,
			      gpointer user_data)
{
	GTask *task = g_task_new(NULL, cancellable, callback, user_data);
	TenderSessionExecRun *run = g_new0(TenderSessionExecRun, 1);

	run->cancellable = g_cancellable_new();
	run->started = started;
	run->started_data = user_data;
	if (cancellable != NULL) {
		run->caller = g_object_ref(cancellable);
		run->cancelled_id =
		    g_cancellable_connect(cancellable,
					  G_CALLBACK(tender_session_exec_cancelled_cb),
					  run->cancellable,
					  NULL);
	}
	g_task_set_task_data(task, run, (GDestroyNotify)tender_session_exec_run_free);
	if (options->timeout_sec > 0)
		run->timeout_id = g_timeout_add((guint)options->timeout_sec * 1000,
						tender_session_exec_timeout_cb,
						run);
	tender_plugin_exec_workload_async(plugin,
					  workload,
					  (const gchar *const *)options->argv,
					  tender_session_exec_options_to_variant(options,
										 has_workspace),
					  options->fds[0],
					  options->fds[1],
					  options->fds[2],
					  tender_session_exec_started_cb,
					  run->cancellable,
					  tender_session_exec_ran_cb,
					  task);
	/* taken by the call, whatever happens */
	for (guint i = 0; i < G_N_ELEMENTS(options->fds); i++)
		options->fds[i] = -1;
}

/**
 * tender_session_exec_run_finish:
 *
 * Returns: (transfer full): the a{sv} of tender_plugin_exec_workload_finish() and timed_out b
 */
GVariant *
tender_session_exec_run_finish(GAsyncResult *res, GError **error)
{
	return g_task_propagate_pointer(G_TASK(res), error);
}

static void
tender_session_exec_json_text(JsonObject *obj, GVariant *result, const gchar *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(result, key, G_VARIANT_TYPE_BYTESTRING);
	gsize len = 0;
	const gchar *data = value != NULL ? g_variant_get_fixed_array(value, &len, 1) : NULL;
	g_autofree gchar *text = g_utf8_make_valid(data != NULL ? data : "", (gssize)len);

	json_object_set_string_member(obj, key, text);
}

/**
 * tender_session_exec_result_to_json:
 *
 * Returns: (transfer full): Exec's result for HTTP: stdout and stderr as text (invalid UTF-8
 *   replaced), exit_code, signal, truncated, timed_out, duration_ms
 */
JsonObject *
tender_session_exec_result_to_json(GVariant *result)
{
	JsonObject *obj = json_object_new();
	gint32 code = -1;
	gint32 signo = 0;
	gboolean truncated = FALSE;
	gboolean timed_out = FALSE;
	guint64 duration = 0;

	(void)g_variant_lookup(result, "exit_code", "i", &code);
	(void)g_variant_lookup(result, "signal", "i", &signo);
	(void)g_variant_lookup(result, "truncated", "b", &truncated);
	(void)g_variant_lookup(result, "timed_out", "b", &timed_out);
	(void)g_variant_lookup(result, "duration_ms", "t", &duration);
	json_object_set_int_member(obj, "exit_code", code);
	json_object_set_int_member(obj, "signal", signo);
	tender_session_exec_json_text(obj, result, "stdout");
	tender_session_exec_json_text(obj, result, "stderr");
	json_object_set_boolean_member(obj, "truncated", truncated);
	json_object_set_boolean_member(obj, "timed_out", timed_out);
	json_object_set_int_member(obj, "duration_ms", (gint64)duration);
	return obj;
}
