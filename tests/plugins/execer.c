/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A plugin that runs commands in its workloads with tender_plugin_exec_workload_async(), built
 * out of tree as hello.c is.  Its D-Bus object /org/tender/Agent1/plugin/execer:
 *   Spawn(name, argv): creates and starts a workload of its own;
 *   Exec(name, argv, options, files): runs a command and answers with its result, plus
 *     "started_pid" (what the started callback said, 0 if it was not called) and
 *     "started_calls"; files maps stdin, stdout, stderr to paths the plugin opens and gives
 *     as descriptors;
 *   Start(name, argv, options): answers with the pid once the command runs (started);
 *   Cancel(pid): cancels what Start ran, and answers with its result once it has ended.
 * tests/integration/test_plugin_exec.py builds and drives it.
 */
#define G_LOG_DOMAIN "execer"

#include <errno.h>
#include <fcntl.h>
#include <tender-plugin.h>
#include <unistd.h>

/* how many commands of Start may run at once */
#define EXECER_RUNNING_MAX 16

typedef struct {
	GHashTable *running; /* pid -> ExecerRun, of Start */
	guint n_running;
} Execer;

/* one command: of Exec, or of Start until Cancel */
typedef struct {
	Execer *execer;
	GDBusMethodInvocation *invocation; /* Exec's, Start's until started, then Cancel's */
	GCancellable *cancellable;
	GVariant *result; /* once it has ended */
	GError *error;
	guint32 started_pid;
	guint32 started_calls;
	gboolean background; /* of Start */
} ExecerRun;

static void
execer_run_free(ExecerRun *run)
{
	g_clear_object(&run->invocation);
	g_clear_object(&run->cancellable);
	g_clear_pointer(&run->result, g_variant_unref);
	g_clear_error(&run->error);
	g_free(run);
}

static void
execer_free(gpointer data)
{
	Execer *execer = data;
	g_hash_table_unref(execer->running);
	g_free(execer);
}

static const gchar execer_xml[] = "<node>"
				  "  <interface name='org.tender.Test.Execer'>"
				  "    <method name='Spawn'>"
				  "      <arg name='name' type='s' direction='in'/>"
				  "      <arg name='argv' type='as' direction='in'/>"
				  "    </method>"
				  "    <method name='Exec'>"
				  "      <arg name='name' type='s' direction='in'/>"
				  "      <arg name='argv' type='as' direction='in'/>"
				  "      <arg name='options' type='a{sv}' direction='in'/>"
				  "      <arg name='files' type='a{ss}' direction='in'/>"
				  "      <arg name='result' type='a{sv}' direction='out'/>"
				  "    </method>"
				  "    <method name='Start'>"
				  "      <arg name='name' type='s' direction='in'/>"
				  "      <arg name='argv' type='as' direction='in'/>"
				  "      <arg name='options' type='a{sv}' direction='in'/>"
				  "      <arg name='pid' type='u' direction='out'/>"
				  "    </method>"
				  "    <method name='Cancel'>"
				  "      <arg name='pid' type='u' direction='in'/>"
				  "      <arg name='result' type='a{sv}' direction='out'/>"
				  "    </method>"
				  "  </interface>"
				  "</node>";

static const TenderPluginMethodAction execer_actions[] = {
    {"Spawn", "org.tender.workloads.manage"},
    {"Exec", "org.tender.workloads.manage"},
    {"Start", "org.tender.workloads.manage"},
    {"Cancel", "org.tender.workloads.manage"},
    {NULL, NULL},
};

/* the result, and what started said */
static GVariant *
execer_run_answer(ExecerRun *run)
{
	GVariantDict dict;

	g_variant_dict_init(&dict, run->result);
	g_variant_dict_insert(&dict, "started_pid", "u", run->started_pid);
	g_variant_dict_insert(&dict, "started_calls", "u", run->started_calls);
	return g_variant_new("(@a{sv})", g_variant_dict_end(&dict));
}

static void
execer_started_cb(TenderPlugin *plugin, guint32 pid, gpointer user_data)
{
	ExecerRun *run = user_data;

	run->started_calls++;
	run->started_pid = pid;
	if (!run->background)
		return;
	g_hash_table_insert(run->execer->running, GUINT_TO_POINTER(pid), run);
	g_dbus_method_invocation_return_value(g_steal_pointer(&run->invocation),
					      g_variant_new("(u)", pid));
}

/* answers the call waiting for the command's end (Exec's, Cancel's, or Start's if it never
 * ran), and forgets the command */
static void
execer_run_answer_call(ExecerRun *run)
{
	if (run->error != NULL)
		g_dbus_method_invocation_return_gerror(g_steal_pointer(&run->invocation),
						       run->error);
	else if (run->background && run->started_pid == 0)
		g_dbus_method_invocation_return_error(g_steal_pointer(&run->invocation),
						      TENDER_ERROR,
						      TENDER_ERROR_FAILED,
						      "It ended without having run");
	else
		g_dbus_method_invocation_return_value(g_steal_pointer(&run->invocation),
						      execer_run_answer(run));
	if (run->background && run->started_pid != 0)
		g_hash_table_remove(run->execer->running, GUINT_TO_POINTER(run->started_pid));
	else
		execer_run_free(run);
}

static void
execer_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ExecerRun *run = user_data;

	run->result = tender_plugin_exec_workload_finish(TENDER_PLUGIN(source), res, &run->error);
	if (run->background)
		run->execer->n_running--;
	/* else started, and not cancelled yet: Cancel answers */
	if (run->invocation != NULL)
		execer_run_answer_call(run);
}

/* the descriptor for @key of @files, -1 without one */
static gboolean
execer_open(GVariant *files, const gchar *key, gint *fd, GError **error)
{
	const gchar *path = NULL;

	*fd = -1;
	if (!g_variant_lookup(files, key, "&s", &path))
		return TRUE;
	*fd = g_strcmp0(key, "stdin") == 0
		  ? open(path, O_RDONLY | O_CLOEXEC)
		  : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (*fd < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Cannot open %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static void
execer_exec(TenderPlugin *plugin, Execer *execer, GDBusMethodInvocation *invocation)
{
	ExecerRun *run = g_new0(ExecerRun, 1);
	g_autofree const gchar **argv = NULL;
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GVariant) files = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *name = NULL;
	gint fds[3] = {-1, -1, -1};
	const gchar *keys[] = {"stdin", "stdout", "stderr"};

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s^a&s@a{sv}@a{ss})",
		      &name,
		      &argv,
		      &options,
		      &files);
	run->execer = execer;
	run->invocation = g_object_ref(invocation);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (execer_open(files, keys[i], &fds[i], &error))
			continue;
		for (guint j = 0; j < i; j++) {
			if (fds[j] >= 0)
				close(fds[j]);
		}
		g_dbus_method_invocation_return_gerror(invocation, error);
		execer_run_free(run);
		return;
	}
	tender_plugin_exec_workload_async(plugin,
					  name,
					  argv,
					  options,
					  fds[0],
					  fds[1],
					  fds[2],
					  execer_started_cb,
					  NULL,
					  execer_done_cb,
					  run);
}

static void
execer_start(TenderPlugin *plugin, Execer *execer, GDBusMethodInvocation *invocation)
{
	ExecerRun *run = NULL;
	g_autofree const gchar **argv = NULL;
	g_autoptr(GVariant) options = NULL;
	const gchar *name = NULL;

	if (execer->n_running >= EXECER_RUNNING_MAX) {
		g_dbus_method_invocation_return_error(invocation,
						      TENDER_ERROR,
						      TENDER_ERROR_LIMIT_REACHED,
						      "%d commands run already",
						      EXECER_RUNNING_MAX);
		return;
	}
	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s^a&s@a{sv})",
		      &name,
		      &argv,
		      &options);
	run = g_new0(ExecerRun, 1);
	run->execer = execer;
	run->background = TRUE;
	run->invocation = g_object_ref(invocation);
	run->cancellable = g_cancellable_new();
	execer->n_running++;
	tender_plugin_exec_workload_async(plugin,
					  name,
					  argv,
					  options,
					  -1,
					  -1,
					  -1,
					  execer_started_cb,
					  run->cancellable,
					  execer_done_cb,
					  run);
}

static void
execer_cancel(Execer *execer, GDBusMethodInvocation *invocation)
{
	guint32 pid = 0;
	ExecerRun *run;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(u)", &pid);
	run = g_hash_table_lookup(execer->running, GUINT_TO_POINTER(pid));
	if (run == NULL || run->invocation != NULL) {
		g_dbus_method_invocation_return_error(invocation,
						      TENDER_ERROR,
						      TENDER_ERROR_NOT_FOUND,
						      "No command %u",
						      pid);
		return;
	}
	run->invocation = g_object_ref(invocation);
	if (run->result != NULL || run->error != NULL)
		execer_run_answer_call(run); /* it has ended already */
	else
		g_cancellable_cancel(run->cancellable);
}

static void
execer_method_cb(TenderPlugin *plugin,
		 const TenderCaller *caller,
		 GDBusMethodInvocation *invocation,
		 gpointer user_data)
{
	Execer *execer = user_data;
	const gchar *method = g_dbus_method_invocation_get_method_name(invocation);

	if (g_strcmp0(method, "Spawn") == 0) {
		g_autofree const gchar **argv = NULL;
		g_autoptr(GError) error = NULL;
		const gchar *name = NULL;
		GVariantDict spec;

		g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
			      "(&s^a&s)",
			      &name,
			      &argv);
		g_variant_dict_init(&spec, NULL);
		g_variant_dict_insert_value(&spec, "argv", g_variant_new_strv(argv, -1));
		if (!tender_plugin_create_workload(plugin,
						   name,
						   g_variant_dict_end(&spec),
						   &error)) {
			g_dbus_method_invocation_return_gerror(invocation, error);
			return;
		}
		/* the test waits for it to run */
		tender_plugin_start_workload_async(plugin, name, NULL, NULL, NULL);
		g_dbus_method_invocation_return_value(invocation, NULL);
		return;
	}
	if (g_strcmp0(method, "Exec") == 0) {
		execer_exec(plugin, execer, invocation);
		return;
	}
	if (g_strcmp0(method, "Start") == 0) {
		execer_start(plugin, execer, invocation);
		return;
	}
	execer_cancel(execer, invocation);
}

static gboolean
execer_init(TenderPlugin *plugin, GError **error)
{
	Execer *execer = g_new0(Execer, 1);

	execer->running = g_hash_table_new_full(g_direct_hash,
						g_direct_equal,
						NULL,
						(GDestroyNotify)execer_run_free);
	tender_plugin_set_data(plugin, execer, execer_free);
	return tender_plugin_add_dbus_object(plugin,
					     NULL,
					     execer_xml,
					     execer_actions,
					     execer_method_cb,
					     execer,
					     NULL,
					     error);
}

TENDER_PLUGIN_DEFINE("execer", "1.0.0", "runs commands in its workloads", execer_init, NULL)
