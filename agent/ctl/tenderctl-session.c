/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* session: the verbs, their options, arguments and help.  The sessions plugin's sandboxes,
 * through org.tender.Agent1.Sessions on /org/tender/Agent1/sessions and each session's
 * org.tender.Agent1.Session (get, list, show and close are in tenderctl-session-show.c;
 * exec, files and background processes in tenderctl-session-run.c) */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tenderctl-session.h"

TenderCtlSessionOpts *
tender_ctl_session_opts_new(void)
{
	return g_new0(TenderCtlSessionOpts, 1);
}

void
tender_ctl_session_opts_free(TenderCtlSessionOpts *opts)
{
	g_free(opts->backend);
	g_free(opts->image);
	g_free(opts->rootfs);
	g_free(opts->isolation);
	g_free(opts->memory);
	g_free(opts->cpu);
	g_free(opts->pids);
	g_strfreev(opts->volumes);
	g_strfreev(opts->ports);
	g_free(opts->network);
	g_free(opts->user);
	g_free(opts->lifetime);
	g_free(opts->idle_timeout);
	g_free(opts->list_user);
	g_free(opts->mode);
	g_free(opts->tail);
	g_clear_pointer(&opts->options, g_variant_unref);
	g_free(opts);
}

static void
tender_ctl_session_add_get_entries(GOptionContext *context, TenderCtl *self)
{
	TenderCtlSessionOpts *opts = self->session;
	const GOptionEntry entries[] = {
	    {"backend",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->backend,
	     "native (tender's own engine) or docker (a container of dockerd); default: "
	     "[plugin sessions] backend",
	     "NAME"},
	    {"image",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->image,
	     "native: an image of tender's store (default: [plugin sessions] image); docker: "
	     "an image dockerd has (required)",
	     "IMG"},
	    {"rootfs",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &opts->rootfs,
	     "native only: a host directory as the root, instead of an image",
	     "DIR"},
	    {"isolation",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->isolation,
	     "native only: standard (the default) or strict",
	     "L"},
	    {"memory",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->memory,
	     "The memory limit: 512m, 1g, 64MiB or bytes, 4 MiB to 1 TiB",
	     "M"},
	    {"cpu",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->cpu,
	     "The CPUs it may use, 0.01 to 1024",
	     "C"},
	    {"pids",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->pids,
	     "At most N processes, 1 to 1000000",
	     "N"},
	    {"env",
	     'e',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->tool_env,
	     "Set an environment variable of the sandbox (repeatable, at most 256)",
	     "KEY=VALUE"},
	    {"volume",
	     'v',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &opts->volumes,
	     "Mount a host directory, read-only with :ro (repeatable, at most 32; not "
	     "/workspace)",
	     "HOST:CONTAINER[:ro]"},
	    {"port",
	     'p',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &opts->ports,
	     "Publish a container port on the host's 127.0.0.1, at HOST (default the same), "
	     "tcp or udp (default tcp); the network is then private (repeatable, at most 32)",
	     "[HOST:]CONTAINER[/PROTO]"},
	    {"network",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->network,
	     "host, none or private (default: the isolation's)",
	     "N"},
	    {"user",
	     'u',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->user,
	     "The user commands run as inside: a name of the image's, or a number",
	     "U"},
	    {"lifetime",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->lifetime,
	     "Stop the sandbox SEC seconds after each start; the next use starts it again "
	     "(0, the default: never)",
	     "SEC"},
	    {"idle-timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &opts->idle_timeout,
	     "The session expires after SEC seconds without a call (default 3600; 0: never; "
	     "at most 30 days)",
	     "SEC"},
	    {"no-workspace",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &opts->no_workspace,
	     "Do not mount the workspace at /workspace",
	     NULL},
	    {"recreate",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &opts->recreate,
	     "Replace a live session of another config (org.tender.sessions.manage)",
	     NULL},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
}

/* the options of the session verbs that have some (the flags of their commands) */
void
tender_ctl_session_add_entries(GOptionContext *context, TenderCtl *self, TenderCtlOpts opts)
{
	TenderCtlSessionOpts *session = self->session;
	const GOptionEntry entries_list[] = {
	    {"user",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &session->list_user,
	     "Only the sessions of USER",
	     "USER"},
	    {NULL},
	};
	const GOptionEntry entries_command[] = {
	    {"env",
	     'e',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->tool_env,
	     "Set an environment variable of the command (repeatable, at most 256)",
	     "KEY=VALUE"},
	    {"workdir",
	     'w',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->exec_workdir,
	     "The command's working directory, absolute (default /workspace)",
	     "DIR"},
	    {NULL},
	};
	const GOptionEntry entries_exec[] = {
	    {"timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->timeout,
	     "Kill the command after SEC seconds, 1 to 604800 (exit status 124)",
	     "SEC"},
	    {NULL},
	};
	const GOptionEntry entries_write[] = {
	    {"mode",
	     'm',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &session->mode,
	     "The file's mode, 0 to 0777 (default 0644 for a new file; an existing one's is "
	     "kept)",
	     "OCTAL"},
	    {"append",
	     'a',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &session->append,
	     "Add at the end of the file instead of replacing it",
	     NULL},
	    {NULL},
	};
	const GOptionEntry entries_logs[] = {
	    {"tail",
	     'n',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &session->tail,
	     "Only the last N lines of each of stdout and stderr, 1 to 100000",
	     "N"},
	    {"follow",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &session->follow,
	     "Go on printing what the process writes, until it ends (Ctrl-C stops following, "
	     "not the process)",
	     NULL},
	    {NULL},
	};
	const GOptionEntry entries_close[] = {
	    {"delete-workspace",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &session->delete_workspace,
	     "Remove the workspace on the host too (else it stays)",
	     NULL},
	    {NULL},
	};

	if (opts & TENDER_CTL_OPTS_SESSION_GET)
		tender_ctl_session_add_get_entries(context, self);
	if (opts & TENDER_CTL_OPTS_SESSION_LIST)
		g_option_context_add_main_entries(context, entries_list, NULL);
	if (opts & (TENDER_CTL_OPTS_SESSION_EXEC | TENDER_CTL_OPTS_SESSION_START))
		g_option_context_add_main_entries(context, entries_command, NULL);
	if (opts & TENDER_CTL_OPTS_SESSION_EXEC)
		g_option_context_add_main_entries(context, entries_exec, NULL);
	if (opts & TENDER_CTL_OPTS_SESSION_WRITE)
		g_option_context_add_main_entries(context, entries_write, NULL);
	if (opts & TENDER_CTL_OPTS_SESSION_LOGS)
		g_option_context_add_main_entries(context, entries_logs, NULL);
	if (opts & TENDER_CTL_OPTS_SESSION_CLOSE)
		g_option_context_add_main_entries(context, entries_close, NULL);
}

/* sets @error to InvalidArgument with the message: a usage error */
gboolean
tender_ctl_session_usage(GError **error, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	g_propagate_error(error,
			  g_error_new_valist(TENDER_ERROR,
					     TENDER_ERROR_INVALID_ARGUMENT,
					     format,
					     args));
	va_end(args);
	return FALSE;
}

/* 'session' alone, or with a verb it does not know */
gboolean
tender_ctl_session_check_verb(TenderCtl *self, GError **error)
{
	static const gchar *verbs = "get, list, show, exec, write, read, ls, rm, ps, start, logs, "
				    "kill or close";

	if (self->names[0] == NULL)
		return tender_ctl_session_usage(error, "'session' needs a verb: %s", verbs);
	return tender_ctl_session_usage(error,
					"Unknown session verb '%s'; use %s",
					self->names[0],
					verbs);
}

/* a whole number from 0 to @max; %NULL is none, left as it is */
gboolean
tender_ctl_session_parse_uint(const gchar *text,
			      const gchar *option,
			      guint64 max,
			      guint64 *value,
			      GError **error)
{
	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, max, value, NULL))
		return tender_ctl_session_usage(error,
						"Invalid %s '%s': expected a whole number from 0 "
						"to %" G_GUINT64_FORMAT,
						option,
						text,
						max);
	return TRUE;
}

/* the arguments a verb takes: USER SESSION and then some */
typedef struct {
	const gchar *verb;
	guint n_min;
	guint n_max;
	gboolean command; /* -- CMD [ARG...] */
} TenderCtlSessionArgs;

static const TenderCtlSessionArgs tender_ctl_session_args[] = {
    {"list", 0, 0, FALSE},
    {"get", 2, 2, FALSE},
    {"show", 2, 2, FALSE},
    {"close", 2, 2, FALSE},
    {"exec", 2, 2, TRUE},
    {"start", 2, 2, TRUE},
    {"write", 3, 3, FALSE},
    {"read", 3, 3, FALSE},
    {"ls", 2, 3, FALSE},
    {"rm", 3, 3, FALSE},
    {"ps", 2, 2, FALSE},
    {"logs", 3, 3, FALSE},
    {"kill", 3, 3, FALSE},
};

/* the command after "--" of exec and start */
static gboolean
tender_ctl_session_check_command(TenderCtl *self, const TenderCtlCommand *cmd, GError **error)
{
	if (!self->has_separator)
		return tender_ctl_session_usage(error,
						"The command must follow '--', e.g. tenderctl %s "
						"%s %s -- ls",
						cmd->name,
						self->names[0],
						self->names[1]);
	if (self->argv == NULL || self->argv[0] == NULL)
		return tender_ctl_session_usage(error, "Missing the command after '--'");
	for (guint i = 0; self->argv[i] != NULL; i++) {
		if (!g_utf8_validate(self->argv[i], -1, NULL))
			return tender_ctl_session_usage(error,
							"Argument %u of the command is not valid "
							"UTF-8",
							i + 1);
	}
	return TRUE;
}

/* what follows "--" of a verb without a command is arguments too (a PATH that starts with
 * '-') */
static void
tender_ctl_session_take_argv(TenderCtl *self)
{
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();

	if (self->argv == NULL || self->argv[0] == NULL)
		return;
	g_strv_builder_addv(names, (const gchar **)self->names);
	g_strv_builder_addv(names, (const gchar **)self->argv);
	g_strfreev(self->names);
	self->names = g_strv_builder_end(names);
	g_clear_pointer(&self->argv, g_strfreev);
}

/* the arguments and options of a session verb, and what goes on the bus, before tenderctl
 * connects: a bad one is a usage error */
gboolean
tender_ctl_session_check_args(TenderCtl *self, const TenderCtlCommand *cmd, GError **error)
{
	const gchar *verb = strchr(cmd->name, ' ') + 1;
	const TenderCtlSessionArgs *args = NULL;
	guint n_names;

	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_session_args); i++) {
		if (g_str_equal(tender_ctl_session_args[i].verb, verb))
			args = &tender_ctl_session_args[i];
	}
	g_assert(args != NULL);
	if (!args->command)
		tender_ctl_session_take_argv(self);
	n_names = g_strv_length(self->names);
	if (n_names < args->n_min)
		return tender_ctl_session_usage(error,
						"'%s' needs %s",
						cmd->name,
						n_names == 0   ? "a user and a session"
						: n_names == 1 ? "a session"
							       : cmd->parameters);
	if (n_names > args->n_max)
		return tender_ctl_session_usage(error,
						"Unexpected argument '%s'%s",
						self->names[args->n_max],
						args->command ? " before '--'" : "");
	for (guint i = 0; i < MIN(n_names, 2); i++) {
		if (self->names[i][0] == '\0')
			return tender_ctl_session_usage(error,
							i == 0 ? "The user is empty"
							       : "The session is empty");
	}
	if (args->command && !tender_ctl_session_check_command(self, cmd, error))
		return FALSE;
	if (g_str_equal(verb, "get"))
		return tender_ctl_session_build_config(self, error);
	if (g_str_equal(verb, "exec") || g_str_equal(verb, "start"))
		return tender_ctl_session_build_command_options(self,
								g_str_equal(verb, "exec"),
								error);
	if (g_str_equal(verb, "write") || g_str_equal(verb, "logs"))
		return tender_ctl_session_build_file_options(self, error);
	return TRUE;
}

static const TenderCtlCommand tender_ctl_session_commands[] = {
    {
	"session get",
	"USER SESSION [OPTION...]",
	"Get or create a session",
	"Get the live session (USER, SESSION), its sandbox started again if it stopped, or create\n"
	"it: its sandbox made and started, with its workspace [plugin sessions]\n"
	"workspace-root/USER/SESSION on the host mounted at /workspace.  Prints the session: its\n"
	"object, whether it was created (or its sandbox is new), state, health, backend, image,\n"
	"workspace, ports, times and config.",
	"The options are the session's config, each optional; a live session's config is compared\n"
	"with those given: one that differs is refused naming the key, unless --recreate.  An\n"
	"expired session is made again over the same workspace.  Each call counts as activity.\n"
	"With --json, prints the session as a JSON object (Describe's members and \"created\").\n"
	"\n"
	"Examples:\n"
	"  tenderctl session get alice s1 --image busybox --memory 512m --cpu 1\n"
	"  tenderctl session get bob web --image busybox -p 8081 -e LOG_LEVEL=INFO\n"
	"  tenderctl session get bob ro --image busybox -v /srv/datasets:/data:ro\n"
	"  tenderctl session get bob py --backend docker --image python:3.12-slim",
	TENDER_CTL_OPTS_SESSION_GET,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_get,
    },
    {
	"session list",
	"[--user USER]",
	"List sessions",
	"List the sessions, all or those of USER, by user and session: USER, SESSION, STATE\n"
	"(running, stopped, expired or failed), HEALTH (healthy, dead: the session runs but its\n"
	"sandbox does not, or none), BACKEND, IMAGE (or the rootfs) and LAST-ACTIVITY (UTC).",
	"With --json, prints an array of sessions, each as 'session show --json' prints it.\n"
	"\n"
	"Examples:\n"
	"  tenderctl session list\n"
	"  tenderctl session list --user alice --json",
	TENDER_CTL_OPTS_SESSION_LIST,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_list,
    },
    {
	"session show",
	"USER SESSION",
	"Show a session",
	"Show a session: its object, state, health, backend, image or rootfs, workload,\n"
	"workspace, published ports, main pid, times (ISO 8601 UTC), last error, recoveries by\n"
	"the health monitor, background processes running and config; - is none.",
	"With --json, prints it as a JSON object, Describe's members.  Showing a session is\n"
	"activity.\n"
	"\n"
	"Example:\n"
	"  tenderctl session show alice s1",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_show,
    },
    {
	"session exec",
	"USER SESSION [-w DIR] [-e KEY=VALUE]... [--timeout SEC] -- CMD [ARG...]",
	"Run a command in a session",
	"Run a command in the session's sandbox, as its user, in its namespaces and control "
	"group,\n"
	"and wait for it.  The command writes to tenderctl's stdout and stderr as it goes (no\n"
	"cap); it reads tenderctl's stdin if that is not a terminal (a pipe or a file), else\n"
	"/dev/null (there is no terminal in the sandbox).  CMD is looked up in the sandbox's "
	"PATH;\n"
	"run 'sh -c' for a shell's syntax.",
	"Exit status: the command's; 128+N if signal N ended it (as shells say it); 124 if\n"
	"--timeout killed it (as timeout(1)), with a message on stderr; 1 if it could not run\n"
	"(no such command: the plugin's message).  Ending tenderctl (Ctrl-C, a kill) kills the\n"
	"command: the plugin kills a command whose caller left the bus.\n"
	"\n"
	"Examples:\n"
	"  tenderctl session exec alice s1 -- ls -l\n"
	"  tar c src | tenderctl session exec alice s1 -- tar x\n"
	"  tenderctl session exec -w /tmp -e DEBUG=1 --timeout 60 alice s1 -- sh -c './run.sh'",
	TENDER_CTL_OPTS_SESSION_EXEC,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_exec,
    },
    {
	"session write",
	"USER SESSION PATH [--mode OCTAL] [--append]",
	"Write standard input to a file of a session",
	"Write what tenderctl reads on its standard input, bytes as they are, to PATH in the\n"
	"sandbox: made if missing (and its directories), as the sandbox's user.  A relative PATH\n"
	"is relative to /workspace; PATH is resolved inside the sandbox's root, never outside.",
	"A file is at most [plugin sessions] max-file-size (16 MiB by default): more is refused,\n"
	"and the file is left as it was.  tenderctl reads at most 64 MiB, the most that limit can\n"
	"be.  A read-only volume refuses the write.\n"
	"\n"
	"Examples:\n"
	"  tenderctl session write alice s1 data/input.csv < input.csv\n"
	"  echo 'echo hi' | tenderctl session write --mode 0755 alice s1 run.sh",
	TENDER_CTL_OPTS_SESSION_WRITE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_write,
    },
    {
	"session read",
	"USER SESSION PATH",
	"Print a file of a session",
	"Write the content of a regular file of the sandbox to standard output, bytes as they\n"
	"are.  A relative PATH is relative to /workspace.",
	"A file is at most [plugin sessions] max-file-size (16 MiB by default).\n"
	"\n"
	"Example:\n"
	"  tenderctl session read alice s1 output.png > output.png",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_read,
    },
    {
	"session ls",
	"USER SESSION [PATH]",
	"List a directory of a session",
	"List a directory of the sandbox (default /workspace) by name: NAME (a symbolic link's\n"
	"with -> and its target), TYPE (file, directory, symlink, other), SIZE in bytes, MODE\n"
	"(octal) and MTIME (UTC).",
	"At most 10000 entries are listed; tenderctl says so on stderr when there were more.  "
	"With\n"
	"--json, prints an array of objects with the keys name, type, size, mode, uid, gid, mtime\n"
	"(Unix time) and target.\n"
	"\n"
	"Example:\n"
	"  tenderctl session ls alice s1 data",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_ls,
    },
    {
	"session rm",
	"USER SESSION PATH",
	"Remove a file of a session",
	"Remove a file, a symbolic link (not its target) or an empty directory of the sandbox.",
	"Example:\n"
	"  tenderctl session rm alice s1 data/input.csv",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_rm,
    },
    {
	"session ps",
	"USER SESSION",
	"List the background processes of a session",
	"List the background processes of a session, by start: ID, PID (as the host sees it),\n"
	"STATE (running, exited, or killed: ended by a signal), EXIT (its exit code, or the\n"
	"signal that ended it), ARGV, and PORTS (the TCP ports a running one listens on).",
	"With --json, prints an array of objects with the keys id, pid, argv, state, exit_code,\n"
	"signal, started_at, ended_at and ports.\n"
	"\n"
	"Example:\n"
	"  tenderctl session ps bob web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_ps,
    },
    {
	"session start",
	"USER SESSION [-w DIR] [-e KEY=VALUE]... -- CMD [ARG...]",
	"Start a background process in a session",
	"Start a command in the background in the sandbox, as exec runs one, and print its id\n"
	"(p1, p2, ...) once it runs.  Its stdout and stderr go to logs that 'session logs'\n"
	"prints.",
	"The session does not expire while one runs.  At most [plugin sessions] max-processes\n"
	"(64) run at once per session.  Ended ones are kept, with their logs, until the session "
	"is\n"
	"closed.\n"
	"\n"
	"Example:\n"
	"  tenderctl session start bob web -- httpd -f -p 8081 -h /workspace",
	TENDER_CTL_OPTS_SESSION_START,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_start,
    },
    {
	"session logs",
	"USER SESSION ID [--tail N] [--follow]",
	"Print what a background process wrote",
	"Print what a background process wrote, as kept: its stdout on stdout, its stderr on\n"
	"stderr, bytes as they are.  With --follow, go on printing what it writes as it writes\n"
	"it, until it ends.",
	"Each log is capped at [plugin sessions] process-log-max (8 MiB): past it, the older half\n"
	"is dropped.\n"
	"\n"
	"Example:\n"
	"  tenderctl session logs bob web p1 --tail 20\n"
	"  tenderctl session logs -f bob web p1",
	TENDER_CTL_OPTS_SESSION_LOGS,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_logs,
    },
    {
	"session kill",
	"USER SESSION ID [--signal SIG]",
	"Send a signal to a background process",
	"Send a signal (default TERM) to a running background process and its process group.",
	"SIG is a name (TERM, SIGKILL) or a number from 1 to 64.  A process that ended is\n"
	"refused.\n"
	"\n"
	"Example:\n"
	"  tenderctl session kill --signal KILL bob web p1",
	TENDER_CTL_OPTS_SIGNAL,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_kill,
    },
    {
	"session close",
	"USER SESSION [--delete-workspace]",
	"Close a session",
	"Remove the session's sandbox and record; its workspace stays on the host unless\n"
	"--delete-workspace.  The next 'session get' makes a new one.",
	"Closing takes the polkit action org.tender.sessions.manage.\n"
	"\n"
	"Example:\n"
	"  tenderctl session close --delete-workspace alice s1",
	TENDER_CTL_OPTS_SESSION_CLOSE,
	TENDER_CTL_ARGS_SESSION_VERB,
	tender_ctl_cmd_session_close,
    },
};

/**
 * tender_ctl_session_find_verb:
 * @verb: (nullable): what follows "session"
 *
 * Returns: (nullable): the command of 'session @verb', or %NULL if it is none
 */
const TenderCtlCommand *
tender_ctl_session_find_verb(const gchar *verb)
{
	return tender_ctl_find_verb(tender_ctl_session_commands,
				    G_N_ELEMENTS(tender_ctl_session_commands),
				    verb);
}
