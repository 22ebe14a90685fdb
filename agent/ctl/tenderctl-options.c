/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the options of tenderctl and of its commands, the checks of the arguments, and the
 * option dictionaries they make (the spec options are in tenderctl-spec.c) */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-units.h"
#include "tenderctl-private.h"

void
tender_ctl_options_add_global(GOptionContext *context,
			      TenderCtl *self,
			      gchar **bus,
			      gboolean with_version)
{
	const GOptionEntry entries[] = {
	    {"json",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->json,
	     "Print list, inspect, logs, stats and events output as JSON",
	     NULL},
	    {"bus",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     bus,
	     "The bus tenderd is on: system, session or a D-Bus address",
	     "BUS"},
	    {NULL},
	};
	const GOptionEntry entries_version[] = {
	    {"version",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->version,
	     "Show the version of tenderctl",
	     NULL},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
	if (with_version)
		g_option_context_add_main_entries(context, entries_version, NULL);
}

void
tender_ctl_options_add_command(GOptionContext *context, TenderCtl *self, TenderCtlOpts opts)
{
	const GOptionEntry entries_output[] = {
	    {"output",
	     'o',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->output,
	     "Write to FILE (mode 0600) instead of standard output",
	     "FILE"},
	    {NULL},
	};
	const GOptionEntry entries_name[] = {
	    {"name",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->import_name,
	     "Create the workload under this name instead of the exported one",
	     "NAME"},
	    {NULL},
	};
	const GOptionEntry entries_timeout[] = {
	    {"timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->timeout,
	     (opts & TENDER_CTL_OPTS_FORCE) != 0
		 ? "With --force: seconds between SIGTERM and SIGKILL, default: tenderd's (10)"
		 : "Seconds between SIGTERM and SIGKILL, default: tenderd's (10)",
	     "SEC"},
	    {NULL},
	};
	const GOptionEntry entries_signal[] = {
	    {"signal",
	     's',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->signal,
	     "The signal to send, default TERM",
	     "SIG"},
	    {NULL},
	};
	const GOptionEntry entries_logs[] = {
	    {"lines",
	     'n',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->lines,
	     "Show the last N lines (default 100, with --follow 10; at most 10000)",
	     "N"},
	    {"follow",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->follow,
	     "Then print new lines as the workload prints them, until Ctrl-C",
	     NULL},
	    {"stream",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->stream,
	     "Show only stdout or stderr",
	     "STREAM"},
	    {NULL},
	};

	const GOptionEntry entries_watch[] = {
	    {"watch",
	     'w',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->watch,
	     "Print again every 2 seconds, until Ctrl-C",
	     NULL},
	    {NULL},
	};
	const GOptionEntry entries_payload[] = {
	    {"payload",
	     'p',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->payload,
	     "The payload as a JSON object; KEY=VALUE arguments are added to it",
	     "JSON"},
	    {NULL},
	};
	const GOptionEntry entries_force[] = {
	    {"force",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->force,
	     "Stop the workloads first if they run",
	     NULL},
	    {NULL},
	};

	const GOptionEntry entries_image[] = {
	    {"force",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->force,
	     "With remove: remove images that workloads use, as long as none of them runs",
	     NULL},
	    {"replace",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->replace,
	     "With import: replace an image of that name (unless a workload uses it)",
	     NULL},
	    {NULL},
	};

	if (opts & TENDER_CTL_OPTS_SPEC)
		tender_ctl_spec_add_entries(self->spec_flags, context);
	if (opts & TENDER_CTL_OPTS_IMAGE)
		g_option_context_add_main_entries(context, entries_image, NULL);
	if (opts & TENDER_CTL_OPTS_FORCE)
		g_option_context_add_main_entries(context, entries_force, NULL);
	if (opts & TENDER_CTL_OPTS_TIMEOUT)
		g_option_context_add_main_entries(context, entries_timeout, NULL);
	if (opts & TENDER_CTL_OPTS_SIGNAL)
		g_option_context_add_main_entries(context, entries_signal, NULL);
	if (opts & TENDER_CTL_OPTS_OUTPUT)
		g_option_context_add_main_entries(context, entries_output, NULL);
	if (opts & TENDER_CTL_OPTS_NAME)
		g_option_context_add_main_entries(context, entries_name, NULL);
	if (opts & TENDER_CTL_OPTS_LOGS)
		g_option_context_add_main_entries(context, entries_logs, NULL);
	if (opts & TENDER_CTL_OPTS_WATCH)
		g_option_context_add_main_entries(context, entries_watch, NULL);
	if (opts & TENDER_CTL_OPTS_PAYLOAD)
		g_option_context_add_main_entries(context, entries_payload, NULL);
	if (opts & TENDER_CTL_OPTS_EXEC)
		tender_ctl_exec_add_entries(context, self);
	if (opts & (TENDER_CTL_OPTS_TOOL_RUN | TENDER_CTL_OPTS_TOOL_LIST))
		tender_ctl_tool_add_entries(context, self, (opts & TENDER_CTL_OPTS_TOOL_RUN) != 0);
	if (opts & (TENDER_CTL_OPTS_RELIC_START | TENDER_CTL_OPTS_RELIC_LIST))
		tender_ctl_relic_add_entries(context,
					     self,
					     (opts & TENDER_CTL_OPTS_RELIC_START) != 0);
	if (opts & TENDER_CTL_OPTS_DOCKER_CLEANUP)
		tender_ctl_docker_add_entries(context, self);
	tender_ctl_session_add_entries(context, self, opts);
}

/* the options of GetLogs and FollowLogs; keys only when given */
static gboolean
tender_ctl_build_log_options(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (self->lines != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->lines, 10, 0, 10000, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of lines '%s': expected a whole number from 0 "
				    "to 10000",
				    self->lines);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "lines",
				      g_variant_new_uint32((guint32)value));
	}
	if (self->stream != NULL) {
		if (g_strcmp0(self->stream, "stdout") != 0 &&
		    g_strcmp0(self->stream, "stderr") != 0 &&
		    g_strcmp0(self->stream, "both") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid stream '%s': expected stdout, stderr or both",
				    self->stream);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "stream",
				      g_variant_new_string(self->stream));
	}
	self->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/* the option dictionaries of StopWorkload and RemoveWorkload; keys only when given */
static gboolean
tender_ctl_build_options(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	if (self->force)
		g_variant_builder_add(&builder, "{sv}", "force", g_variant_new_boolean(TRUE));
	if (self->timeout != NULL) {
		g_autofree gchar *seconds =
		    g_str_has_suffix(self->timeout, "s")
			? g_strndup(self->timeout, strlen(self->timeout) - 1)
			: g_strdup(self->timeout);
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(seconds, 10, 0, G_MAXUINT32, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid timeout '%s': expected a whole number of seconds",
				    self->timeout);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "timeout_sec",
				      g_variant_new_uint32((guint32)value));
	}
	self->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

gboolean
tender_ctl_options_check_bus(TenderCtl *self, GError **error)
{
	const gchar *env = g_getenv("TENDER_BUS");

	if (self->bus_command != NULL)
		self->bus = self->bus_command;
	else if (self->bus_global != NULL)
		self->bus = self->bus_global;
	else if (env != NULL && env[0] != '\0')
		self->bus = env;
	else
		self->bus = "system";
	if (g_strcmp0(self->bus, "system") != 0 && g_strcmp0(self->bus, "session") != 0 &&
	    !g_dbus_is_address(self->bus)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid bus '%s'%s: expected system, session or a D-Bus address such "
			    "as unix:path=/run/dbus/system_bus_socket",
			    self->bus,
			    self->bus == env ? " in $TENDER_BUS" : "");
		return FALSE;
	}
	return TRUE;
}

/* checks the arguments of @cmd and turns its options into what goes on the bus */
gboolean
tender_ctl_options_prepare(TenderCtl *self, const TenderCtlCommand *cmd, GError **error)
{
	guint n_names = g_strv_length(self->names);

	for (guint i = 0; i < n_names; i++) {
		if (!g_utf8_validate(self->names[i], -1, NULL)) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "A workload name is not valid UTF-8");
			return FALSE;
		}
	}

	switch (cmd->args) {
	case TENDER_CTL_ARGS_NONE:
		if (n_names > 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' takes no arguments",
				    cmd->name);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAMES:
		if (n_names == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' needs at least one workload name",
				    cmd->name);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAME:
		if (n_names != 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    n_names == 0 ? "'%s' needs a workload name"
						 : "'%s' takes one workload name",
				    cmd->name);
			return FALSE;
		}
		break;

	case TENDER_CTL_ARGS_ANY_NAMES:
		break;
	case TENDER_CTL_ARGS_ADAPTER:
		if (!tender_ctl_adapters_check_args(self, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_IMAGE:
		if (!tender_ctl_images_check_args(self, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_TOOL:
		return tender_ctl_tool_check_verb(self, error);
	case TENDER_CTL_ARGS_DOCKER:
		return tender_ctl_docker_check_verb(self, error);
	case TENDER_CTL_ARGS_DOCKER_VERB:
		if (!tender_ctl_docker_check_args(self, cmd, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_TOOL_RUN:
		if (!tender_ctl_tool_build_request(self, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_RELIC:
		return tender_ctl_relic_check_verb(self, error);
	case TENDER_CTL_ARGS_SESSION:
		return tender_ctl_session_check_verb(self, error);
	case TENDER_CTL_ARGS_SESSION_VERB:
		if (!tender_ctl_session_check_args(self, cmd, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_RELIC_START:
		if (!tender_ctl_relic_build_request(self, error))
			return FALSE;
		break;
	case TENDER_CTL_ARGS_ONE:
		if (n_names != 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' takes exactly one argument: %s",
				    cmd->name,
				    cmd->parameters);
			return FALSE;
		}
		break;
	case TENDER_CTL_ARGS_NAME_COMMAND:
		if (n_names == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'%s' needs a workload name",
				    cmd->name);
			return FALSE;
		}
		/* an image may give the command */
		if (!self->has_separator && n_names == 1 && (cmd->opts & TENDER_CTL_OPTS_SPEC) &&
		    tender_ctl_spec_has_image(self->spec_flags))
			break;
		if (!self->has_separator) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The command must follow '--', "
				    "e.g. tenderctl %s %s -- sleep 100",
				    cmd->name,
				    self->names[0]);
			return FALSE;
		}
		if (n_names > 1) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unexpected argument '%s' before '--'",
				    self->names[1]);
			return FALSE;
		}
		if (self->argv == NULL || self->argv[0] == NULL) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Missing the command after '--'");
			return FALSE;
		}
		for (guint i = 0; self->argv[i] != NULL; i++) {
			if (!g_utf8_validate(self->argv[i], -1, NULL)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Argument %u of the command is not valid UTF-8",
					    i + 1);
				return FALSE;
			}
		}
		break;
	default:
		g_assert_not_reached();
	}

	if ((cmd->opts & TENDER_CTL_OPTS_SPEC) &&
	    !tender_ctl_spec_build(self->spec_flags, self->argv, &self->spec, error))
		return FALSE;
	if ((cmd->opts & (TENDER_CTL_OPTS_TIMEOUT | TENDER_CTL_OPTS_FORCE)) &&
	    !tender_ctl_build_options(self, error))
		return FALSE;
	if ((cmd->opts & TENDER_CTL_OPTS_LOGS) && !tender_ctl_build_log_options(self, error))
		return FALSE;
	if (self->signal != NULL && !tender_units_parse_signal(self->signal, &self->signo, error))
		return FALSE;
	return TRUE;
}

/* splits @argv at the first "--" into what GOptionContext may parse and the command */
void
tender_ctl_options_split_argv(TenderCtl *self, gint argc, gchar **argv, gchar ***args)
{
	g_autoptr(GStrvBuilder) before = g_strv_builder_new();
	g_autoptr(GStrvBuilder) after = g_strv_builder_new();
	gint i;

	for (i = 0; i < argc; i++) {
		if (i > 0 && g_strcmp0(argv[i], "--") == 0) {
			self->has_separator = TRUE;
			break;
		}
		g_strv_builder_add(before, argv[i]);
	}
	for (i++; i < argc; i++)
		g_strv_builder_add(after, argv[i]);
	*args = g_strv_builder_end(before);
	self->argv = g_strv_builder_end(after);
}

/**
 * tender_ctl_find_verb:
 * @commands: the commands of a group ("tool run", "tool show", ...), each named GROUP VERB
 * @n_commands: how many
 * @verb: (nullable): what follows the group's name
 *
 * Returns: (nullable): the command of @verb, or %NULL if it is none
 */
const TenderCtlCommand *
tender_ctl_find_verb(const TenderCtlCommand *commands, guint n_commands, const gchar *verb)
{
	for (guint i = 0; verb != NULL && i < n_commands; i++) {
		const gchar *space = strchr(commands[i].name, ' ');
		if (space != NULL && g_strcmp0(space + 1, verb) == 0)
			return &commands[i];
	}
	return NULL;
}
