/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tenderctl exec: a command in a running workload, with tenderctl's own stdin, stdout and
 * stderr (ExecWorkload's fd options), or a terminal (-t) */

#include "config.h"

#include <gio/gunixfdlist.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "tender-error.h"
#include "tenderctl-private.h"

/* the terminal as it was before -t made it raw, restored however tenderctl ends */
static struct termios tender_ctl_exec_saved;
static gboolean tender_ctl_exec_raw = FALSE;

void
tender_ctl_exec_add_entries(GOptionContext *context, TenderCtl *self)
{
	const GOptionEntry entries[] = {
	    {"tty",
	     't',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->exec_tty,
	     "Run the command on a terminal of the workload's, tenderctl's terminal in raw mode",
	     NULL},
	    {"env",
	     'e',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->exec_env,
	     "Set an environment variable of the command (repeatable)",
	     "KEY=VALUE"},
	    {"workdir",
	     'w',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->exec_workdir,
	     "The command's working directory, default the workload's",
	     "DIR"},
	    {"timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->timeout,
	     "Kill the command after SEC seconds (exit status 137)",
	     "SEC"},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
}

static void
tender_ctl_exec_restore_terminal(void)
{
	if (tender_ctl_exec_raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &tender_ctl_exec_saved);
	tender_ctl_exec_raw = FALSE;
}

/* a signal that ends tenderctl leaves the terminal as it was */
static void
tender_ctl_exec_signal_cb(int signo)
{
	tender_ctl_exec_restore_terminal();
	(void)signal(signo, SIG_DFL);
	(void)raise(signo);
}

static void
tender_ctl_exec_make_raw(void)
{
	const int signals[] = {SIGTERM, SIGHUP, SIGINT, SIGQUIT};
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tender_ctl_exec_saved) < 0)
		return;
	raw = tender_ctl_exec_saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) < 0)
		return;
	tender_ctl_exec_raw = TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(signals); i++)
		(void)signal(signals[i], tender_ctl_exec_signal_cb);
}

/* ExecWorkload's options: tenderctl's descriptors in @fd_list, and the flags */
static GVariant *
tender_ctl_exec_build_options(TenderCtl *self, GUnixFDList *fd_list, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	const gchar *const streams[] = {"stdin", "stdout", "stderr"};
	struct winsize size = {0};

	/* with a terminal, its stderr is the terminal too */
	for (gint fd = 0; fd < (self->exec_tty ? 2 : 3); fd++) {
		gint handle = g_unix_fd_list_append(fd_list, fd, error);
		if (handle < 0)
			return NULL;
		g_variant_builder_add(&builder, "{sv}", streams[fd], g_variant_new_handle(handle));
	}
	if (self->exec_env != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)self->exec_env, -1));
	if (self->exec_workdir != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(self->exec_workdir));
	if (self->timeout != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->timeout, 10, 1, G_MAXUINT32, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid timeout '%s': expected a whole number of seconds",
				    self->timeout);
			return NULL;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "timeout_sec",
				      g_variant_new_uint32((guint32)value));
	}
	if (self->exec_tty) {
		g_variant_builder_add(&builder, "{sv}", "tty", g_variant_new_boolean(TRUE));
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 ||
		    ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
			g_variant_builder_add(&builder,
					      "{sv}",
					      "terminal_size",
					      g_variant_new("(qq)", size.ws_row, size.ws_col));
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_ctl_cmd_exec:
 * @self: tenderctl
 * @error: (nullable): a #GError
 *
 * Runs the command after "--" in the workload, with tenderctl's stdin, stdout and stderr; the
 * exit status of tenderctl is the command's, or 128 + N when signal N killed it.
 *
 * Returns: %FALSE if tenderd could not run it
 */
gboolean
tender_ctl_cmd_exec(TenderCtl *self, GError **error)
{
	const gchar *name = self->names[0];
	g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error_local = NULL;
	GVariant *options = tender_ctl_exec_build_options(self, fd_list, error);
	gint32 exit_code = 0;
	gint32 signo = 0;

	if (options == NULL)
		return FALSE;
	if (self->exec_tty)
		tender_ctl_exec_make_raw();
	reply = g_dbus_connection_call_with_unix_fd_list_sync(
	    self->connection,
	    TENDER_CTL_BUS_NAME,
	    TENDER_CTL_MANAGER_PATH,
	    TENDER_CTL_MANAGER_IFACE,
	    "ExecWorkload",
	    g_variant_new("(s^as@a{sv})", name, self->argv, options),
	    G_VARIANT_TYPE("(iiayayb)"),
	    G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
	    G_MAXINT,
	    fd_list,
	    NULL,
	    NULL,
	    &error_local);
	tender_ctl_exec_restore_terminal();
	if (reply == NULL) {
		/* tenderd's messages name the workload and the command */
		tender_ctl_bus_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_variant_get(reply, "(ii@ay@ayb)", &exit_code, &signo, NULL, NULL, NULL);
	self->exit_status = signo > 0 ? 128 + signo : exit_code;
	return TRUE;
}
