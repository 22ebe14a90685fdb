/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <tender-plugin.h>

#include "script-protocol.h"

/*
 * The script adapter: the adapter's logic is a program named in the [script] group of the
 * instance file (program=, timeout=), run once per operation and spoken to in JSON lines
 * (see script-protocol.c).  It runs as the instance's run_as_user, if there is one, with
 * its stderr in the journal, for at most timeout seconds, and may write at most 1 MiB.
 */

typedef struct {
	gchar *program;
	guint timeout_sec;
} ScriptAdapter;

static void
script_adapter_free(ScriptAdapter *self)
{
	g_free(self->program);
	g_free(self);
}

static gboolean
script_adapter_setup(TenderAdapter *adapter, GError **error)
{
	GKeyFile *keyfile = tender_adapter_get_keyfile(adapter);
	g_autofree gchar *program = NULL;
	g_auto(GStrv) keys = NULL;
	guint64 timeout = SCRIPT_PROTOCOL_TIMEOUT_DEFAULT;
	ScriptAdapter *self;

	if (g_key_file_has_group(keyfile, "script"))
		keys = g_key_file_get_keys(keyfile, "script", NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autofree gchar *value = g_key_file_get_string(keyfile, "script", keys[i], NULL);

		if (g_strcmp0(keys[i], "program") == 0 && value != NULL) {
			if (!g_path_is_absolute(value)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "[script] program: must be an absolute path");
				return FALSE;
			}
			program = g_steal_pointer(&value);
		} else if (g_strcmp0(keys[i], "timeout") == 0 && value != NULL) {
			if (!g_ascii_string_to_unsigned(value,
							10,
							1,
							SCRIPT_PROTOCOL_TIMEOUT_MAX,
							&timeout,
							NULL)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "[script] timeout: must be whole seconds from 1 to %u",
					    (guint)SCRIPT_PROTOCOL_TIMEOUT_MAX);
				return FALSE;
			}
		} else {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "[script] %s: unknown key",
				    keys[i]);
			return FALSE;
		}
	}
	if (program == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "[script] program: is required");
		return FALSE;
	}
	self = g_new0(ScriptAdapter, 1);
	self->program = g_steal_pointer(&program);
	self->timeout_sec = (guint)timeout;
	tender_adapter_set_data(adapter, self, (GDestroyNotify)script_adapter_free);
	return TRUE;
}

/* --- one run of the program --- */

typedef void (*ScriptReplyFunc)(TenderAdapter *adapter,
				const gchar *op,
				JsonObject *reply,
				GTask *task);

typedef struct {
	TenderAdapter *adapter;
	GTask *task;
	ScriptReplyFunc reply_func;
	const gchar *op;
	GSubprocess *subprocess;
	GByteArray *output;
	gchar *request;
	gchar *program;
	guint timeout_id;
	gboolean timed_out;
	gboolean too_long;
	uid_t uid;
	gid_t gid;
	gboolean drop;
} ScriptRun;

static void
script_run_free(ScriptRun *run)
{
	g_clear_handle_id(&run->timeout_id, g_source_remove);
	g_object_unref(run->adapter);
	g_object_unref(run->task);
	g_clear_object(&run->subprocess);
	g_byte_array_unref(run->output);
	g_free(run->request);
	g_free(run->program);
	g_free(run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScriptRun, script_run_free)

/* in the child, between fork and exec: only async-signal-safe calls */
static void
script_run_child_setup(gpointer user_data)
{
	ScriptRun *run = user_data;

	if (!run->drop)
		return;
	if (setgroups(1, &run->gid) != 0 || setgid(run->gid) != 0 || setuid(run->uid) != 0)
		_exit(126);
}

static gboolean
script_run_timeout_cb(gpointer user_data)
{
	ScriptRun *run = user_data;

	run->timeout_id = 0;
	run->timed_out = TRUE;
	g_subprocess_force_exit(run->subprocess);
	return G_SOURCE_REMOVE;
}

static void
script_run_waited_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ScriptRun) run = user_data;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) reply = NULL;
	GError *reply_error = NULL;

	(void)g_subprocess_wait_finish(G_SUBPROCESS(source), res, NULL);
	if (run->timed_out) {
		g_task_return_new_error(run->task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The adapter script %s did not answer within its timeout",
					run->program);
		return;
	}
	if (run->too_long) {
		g_task_return_new_error(run->task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The adapter script %s wrote more than %u bytes",
					run->program,
					(guint)SCRIPT_PROTOCOL_REPLY_MAX);
		return;
	}
	reply = script_protocol_parse_reply((const gchar *)run->output->data,
					    run->output->len,
					    &reply_error);
	if (reply == NULL && reply_error->code == TENDER_ERROR_INVALID_ARGUMENT) {
		/* the script's own "error" */
		g_task_return_error(run->task, reply_error);
		return;
	}
	if (!g_subprocess_get_if_exited(run->subprocess) ||
	    g_subprocess_get_exit_status(run->subprocess) != 0) {
		g_clear_error(&reply_error);
		g_task_return_new_error(run->task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"The adapter script %s failed (%s %d)",
					run->program,
					g_subprocess_get_if_exited(run->subprocess) ? "exit status"
										    : "signal",
					g_subprocess_get_if_exited(run->subprocess)
					    ? g_subprocess_get_exit_status(run->subprocess)
					    : g_subprocess_get_term_sig(run->subprocess));
		return;
	}
	if (reply == NULL) {
		g_task_return_error(run->task, reply_error);
		return;
	}
	run->reply_func(run->adapter, run->op, reply, run->task);
}

static void
script_run_read(ScriptRun *run);

static void
script_run_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ScriptRun *run = user_data;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const guint8 *data;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL || g_bytes_get_size(bytes) == 0) {
		g_subprocess_wait_async(run->subprocess, NULL, script_run_waited_cb, run);
		return;
	}
	data = g_bytes_get_data(bytes, &len);
	if (run->output->len + len > SCRIPT_PROTOCOL_REPLY_MAX) {
		run->too_long = TRUE;
		g_subprocess_force_exit(run->subprocess);
		g_subprocess_wait_async(run->subprocess, NULL, script_run_waited_cb, run);
		return;
	}
	g_byte_array_append(run->output, data, (guint)len);
	script_run_read(run);
}

static void
script_run_read(ScriptRun *run)
{
	g_input_stream_read_bytes_async(g_subprocess_get_stdout_pipe(run->subprocess),
					8192,
					G_PRIORITY_DEFAULT,
					NULL,
					script_run_read_cb,
					run);
}

static void
script_run_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	/* a program that does not read its request fails on its own */
	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error))
		g_debug("cannot write the request to the adapter script: %s", error->message);
	(void)g_output_stream_close(G_OUTPUT_STREAM(source), NULL, NULL);
	g_object_unref(source);
}

/* looks run_as_user up; %FALSE if it does not exist */
static gboolean
script_run_lookup_user(ScriptRun *run, const gchar *user, GError **error)
{
	struct passwd pwd;
	struct passwd *result = NULL;
	gchar buf[4096];
	guint64 id = 0;

	if (user == NULL || user[0] == '\0')
		return TRUE;
	if (g_ascii_string_to_unsigned(user, 10, 0, G_MAXUINT32 - 1, &id, NULL)) {
		if (getpwuid_r((uid_t)id, &pwd, buf, sizeof(buf), &result) != 0 || result == NULL) {
			run->uid = (uid_t)id;
			run->gid = (gid_t)id;
			run->drop = TRUE;
			return TRUE;
		}
	} else if (getpwnam_r(user, &pwd, buf, sizeof(buf), &result) != 0 || result == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "The adapter script cannot run as '%s': no such user",
			    user);
		return FALSE;
	}
	run->uid = result->pw_uid;
	run->gid = result->pw_gid;
	run->drop = run->uid != 0;
	return TRUE;
}

/* runs the program with the request for @op; @reply_func completes @task with its reply */
static void
script_adapter_run(TenderAdapter *adapter,
		   const gchar *op,
		   JsonObject *payload,
		   GTask *task,
		   ScriptReplyFunc reply_func)
{
	ScriptAdapter *self = tender_adapter_get_data(adapter);
	g_autoptr(ScriptRun) run = g_new0(ScriptRun, 1);
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autofree gchar *user = NULL;
	GError *error = NULL;
	const gchar *argv[] = {self->program, NULL};

	run->adapter = g_object_ref(adapter);
	run->task = g_object_ref(task);
	run->reply_func = reply_func;
	run->op = op;
	run->output = g_byte_array_new();
	run->program = g_strdup(self->program);
	run->request = script_protocol_request(op,
					       tender_adapter_get_name(adapter),
					       payload,
					       tender_adapter_get_main_pid(adapter));
	user = g_key_file_get_string(tender_adapter_get_keyfile(adapter),
				     "adapter",
				     "run_as_user",
				     NULL);
	if (!script_run_lookup_user(run, user, &error)) {
		g_task_return_error(task, error);
		return;
	}
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
					     G_SUBPROCESS_FLAGS_STDOUT_PIPE);
	g_subprocess_launcher_set_cwd(launcher, "/");
	g_subprocess_launcher_setenv(launcher,
				     "TENDER_ADAPTER_INSTANCE",
				     tender_adapter_get_name(adapter),
				     TRUE);
	g_subprocess_launcher_set_child_setup(launcher, script_run_child_setup, run, NULL);
	run->subprocess = g_subprocess_launcher_spawnv(launcher, argv, &error);
	if (run->subprocess == NULL) {
		g_prefix_error(&error, "Cannot run the adapter script: ");
		g_task_return_error(task, error);
		return;
	}
	run->timeout_id = g_timeout_add_seconds(self->timeout_sec, script_run_timeout_cb, run);
	g_output_stream_write_all_async(g_object_ref(g_subprocess_get_stdin_pipe(run->subprocess)),
					run->request,
					strlen(run->request),
					G_PRIORITY_DEFAULT,
					NULL,
					script_run_written_cb,
					NULL);
	script_run_read(g_steal_pointer(&run));
}

/* runs the program for an op that goes with the last start payload */
static void
script_adapter_run_last(TenderAdapter *adapter,
			const gchar *op,
			GTask *task,
			ScriptReplyFunc reply_func)
{
	script_adapter_run(adapter, op, tender_adapter_get_payload(adapter), task, reply_func);
}

/* --- the operations --- */

/* the reply to start, pre_start, post_stop, metrics and prometheus */
static void
script_adapter_value_reply(TenderAdapter *adapter, const gchar *op, JsonObject *reply, GTask *task)
{
	GError *error = NULL;
	gpointer value = NULL;
	GDestroyNotify destroy = NULL;

	if (!script_protocol_parse_value(op, reply, &value, &destroy, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_pointer(task, value, destroy);
}

static void
script_adapter_start(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	script_adapter_run(adapter, "start", payload, task, script_adapter_value_reply);
}

static void
script_adapter_pre_start_hooks(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	script_adapter_run(adapter, "pre_start", payload, task, script_adapter_value_reply);
}

static void
script_adapter_post_stop_hooks(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	script_adapter_run(adapter, "post_stop", payload, task, script_adapter_value_reply);
}

static void
script_adapter_update_reply(TenderAdapter *adapter, const gchar *op, JsonObject *reply, GTask *task)
{
	GError *error = NULL;
	gint result = TENDER_ADAPTER_UPDATE_UNSUPPORTED;

	if (!script_protocol_parse_update(reply, &result, &error)) {
		g_task_return_error(task, error);
		return;
	}
	g_task_return_int(task, result);
}

static void
script_adapter_update(TenderAdapter *adapter, JsonObject *payload, GTask *task)
{
	script_adapter_run(adapter, "update", payload, task, script_adapter_update_reply);
}

static void
script_adapter_stop_reply(TenderAdapter *adapter, const gchar *op, JsonObject *reply, GTask *task)
{
	g_task_return_boolean(task, TRUE);
}

static void
script_adapter_stop(TenderAdapter *adapter, GTask *task)
{
	script_adapter_run_last(adapter, "stop", task, script_adapter_stop_reply);
}

static void
script_adapter_get_metrics(TenderAdapter *adapter, GTask *task)
{
	script_adapter_run_last(adapter, "metrics", task, script_adapter_value_reply);
}

static void
script_adapter_prometheus_metrics(TenderAdapter *adapter, GTask *task)
{
	script_adapter_run_last(adapter, "prometheus", task, script_adapter_value_reply);
}

static const TenderAdapterVTable script_adapter_class = {
    .name = "script",
    .struct_size = sizeof(TenderAdapterVTable),
    .setup = script_adapter_setup,
    .start = script_adapter_start,
    .pre_start_hooks = script_adapter_pre_start_hooks,
    .update = script_adapter_update,
    .stop = script_adapter_stop,
    .get_metrics = script_adapter_get_metrics,
    .post_stop_hooks = script_adapter_post_stop_hooks,
    .prometheus_metrics = script_adapter_prometheus_metrics,
};

static gboolean
script_adapter_init(TenderPlugin *plugin, GError **error)
{
	return tender_plugin_register_adapter(plugin, &script_adapter_class, error);
}

TENDER_PLUGIN_DEFINE("script",
		     PACKAGE_VERSION,
		     "Adapter: the adapter's logic is a program speaking JSON lines",
		     script_adapter_init,
		     NULL)
