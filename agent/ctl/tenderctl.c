/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* tenderctl: the command table, --help, and main(), which parses the command line and runs
 * the command */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>

#include "tender-error.h"
#include "tenderctl-private.h"

#define TENDER_CTL_EXIT_FAILURE 1
#define TENDER_CTL_EXIT_USAGE	2

static TenderCtl *
tender_ctl_new(void)
{
	TenderCtl *self = g_new0(TenderCtl, 1);
	self->signo = SIGTERM;
	self->spec_flags = tender_ctl_spec_new();
	self->session = tender_ctl_session_opts_new();
	return self;
}

static void
tender_ctl_free(TenderCtl *self)
{
	g_free(self->bus_global);
	g_free(self->bus_command);
	g_clear_object(&self->connection);
	g_strfreev(self->names);
	g_strfreev(self->argv);
	tender_ctl_spec_free(self->spec_flags);
	g_free(self->timeout);
	g_free(self->signal);
	g_free(self->output);
	g_free(self->import_name);
	g_free(self->lines);
	g_free(self->stream);
	g_free(self->payload);
	g_free(self->image_verb);
	g_free(self->tool_name);
	g_free(self->tool_session);
	g_strfreev(self->tool_params);
	g_strfreev(self->tool_env);
	g_free(self->tool_memory);
	g_free(self->tool_cpus);
	g_free(self->tool_pids);
	g_free(self->tool_network);
	g_clear_pointer(&self->tool_request, g_variant_unref);
	g_free(self->relic_port);
	g_free(self->relic_network);
	g_free(self->relic_health);
	g_free(self->relic_health_timeout);
	g_clear_pointer(&self->relic_request, g_variant_unref);
	tender_ctl_session_opts_free(self->session);
	g_strfreev(self->exec_env);
	g_free(self->exec_workdir);
	g_clear_pointer(&self->spec, g_variant_unref);
	g_clear_pointer(&self->options, g_variant_unref);
	g_clear_pointer(&self->json_results, json_array_unref);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_clear_object(&self->log_stream);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderCtl, tender_ctl_free)

static gboolean
tender_ctl_interrupt_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_CONTINUE;
}

/* runs @loop until it quits, or until Ctrl-C or SIGTERM end it (a normal end, as for
 * `journalctl -f` or `busctl monitor`) */
void
tender_ctl_run_until_interrupted(GMainLoop *loop)
{
	guint sigint_id = g_unix_signal_add(SIGINT, tender_ctl_interrupt_cb, loop);
	guint sigterm_id = g_unix_signal_add(SIGTERM, tender_ctl_interrupt_cb, loop);

	g_main_loop_run(loop);
	g_source_remove(sigint_id);
	g_source_remove(sigterm_id);
}

static gint
tender_ctl_usage_error(const gchar *command, const gchar *message)
{
	g_printerr("tenderctl: %s\n", message);
	if (command != NULL)
		g_printerr("Try 'tenderctl %s --help'.\n", command);
	else
		g_printerr("Try 'tenderctl --help'.\n");
	return TENDER_CTL_EXIT_USAGE;
}

static const TenderCtlCommand tender_ctl_commands[] = {
    {
	"list",
	"",
	"List workloads",
	"List workloads: their name, state, systemd unit and main PID.",
	"With --json, prints an array of objects with the keys Name, State, Unit, ObjectPath and\n"
	"MainPID (absent if it could not be read).",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_list,
    },
    {
	"create",
	"NAME [SPEC-OPTION...] -- CMD [ARG...]",
	"Register a workload",
	"Register a workload without starting it; its state is \"created\".\n"
	"\n"
	"NAME is [A-Za-z0-9][A-Za-z0-9_.-]{0,63}.  Everything after '--' is the command and its\n"
	"arguments; the command is looked up in PATH unless it contains a slash.  With --image\n"
	"it may be left out: the image's Entrypoint and Cmd run (a command replaces the Cmd).",
	TENDER_CTL_SPEC_HELP
	"\n"
	"Example:\n"
	"  tenderctl create web --memory 512M --cpu 50% --env PORT=8080 -- \\\n"
	"          python3 -m http.server 8080",
	TENDER_CTL_OPTS_SPEC,
	TENDER_CTL_ARGS_NAME_COMMAND,
	tender_ctl_cmd_create,
    },
    {
	"run",
	"NAME [SPEC-OPTION...] -- CMD [ARG...]",
	"Register a workload and start it",
	"Register a workload and start it; returns once the command runs.\n"
	"\n"
	"NAME is [A-Za-z0-9][A-Za-z0-9_.-]{0,63}.  Everything after '--' is the command and its\n"
	"arguments; the command is looked up in PATH unless it contains a slash.  With --image\n"
	"it may be left out: the image's Entrypoint and Cmd run (a command replaces the Cmd).\n"
	"If the workload cannot be started it is kept in state \"failed\": 'tenderctl inspect\n"
	"NAME' tells why.",
	TENDER_CTL_SPEC_HELP
	"\n"
	"Examples:\n"
	"  tenderctl run web --memory 512M --cpu 50% --workdir /srv/www -- \\\n"
	"          python3 -m http.server 8080\n"
	"  tenderctl run batch --tasks 64 --io-write 20M --label team=data -- sh -c 'make all'\n"
	"  tenderctl run app --image app",
	TENDER_CTL_OPTS_SPEC,
	TENDER_CTL_ARGS_NAME_COMMAND,
	tender_ctl_cmd_run,
    },
    {
	"start",
	"NAME...",
	"Start workloads",
	"Start workloads that are created, stopped, exited or failed; returns once they run.",
	"Example:\n"
	"  tenderctl start web db",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_start,
    },
    {
	"stop",
	"NAME... [--timeout=SEC]",
	"Stop workloads",
	"Stop running workloads: SIGTERM to every process, SIGKILL to those left after the\n"
	"timeout.  Returns once they have ended; their state is then \"stopped\".",
	"Example:\n"
	"  tenderctl stop web --timeout 30",
	TENDER_CTL_OPTS_TIMEOUT,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_stop,
    },
    {
	"kill",
	"NAME... [--signal=SIG]",
	"Send a signal to workloads",
	"Send a signal to every process of running workloads.  A workload that dies of it ends\n"
	"\"failed\", as it was not asked to stop; use 'tenderctl stop' for that.",
	"SIG is a name or a number: TERM, SIGKILL, hup, RTMIN+3 or 9.\n"
	"\n"
	"Example:\n"
	"  tenderctl kill web --signal HUP",
	TENDER_CTL_OPTS_SIGNAL,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_kill,
    },
    {
	"inspect",
	"NAME...",
	"Show all properties of workloads",
	"Show the state, exit status, command, spec and current limits of workloads.",
	"With --json, prints an array with one object of D-Bus properties per workload.",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_inspect,
    },
    {
	"export",
	"NAME [-o FILE]",
	"Print a workload as JSON",
	"Print a workload's spec and state as JSON, for 'tenderctl import' here or on another\n"
	"host.",
	"The format is \"tender-workload/1\": an object with the keys format, name, spec and\n"
	"state; see ExportWorkload in org.tender.Agent1.xml.\n"
	"\n"
	"Example:\n"
	"  tenderctl export web -o web.json",
	TENDER_CTL_OPTS_OUTPUT,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_export,
    },
    {
	"import",
	"FILE [--name NAME]",
	"Create a workload from an export",
	"Create a workload from what 'tenderctl export' wrote; its state is \"created\".  FILE\n"
	"may be - for standard input.  The spec is checked exactly as for 'tenderctl create'.",
	"Example:\n"
	"  tenderctl import web.json --name web-copy",
	TENDER_CTL_OPTS_NAME,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_import,
    },
    {
	"stats",
	"[NAME...] [--watch]",
	"Show the resource use of workloads",
	"Show the CPU, memory, process and block I/O use of workloads, read from their cgroups:\n"
	"those named, or all that run or are paused.  Prints once; with --watch, again every\n"
	"2 seconds until Ctrl-C.",
	"CPU % is in percent of one CPU (200% is two CPUs busy), measured over the second before\n"
	"the table (with --watch, over the time since the previous one).  MEM USAGE / LIMIT is\n"
	"the memory in use and the memory limit the kernel holds (- if none), MEM % the usage in\n"
	"percent of the limit, PEAK the most memory ever in use, PIDS the processes and threads\n"
	"(tender-shim included), BLOCK I/O the bytes read from and written to block devices.\n"
	"\n"
	"With --json, prints an array of objects with the keys Name, memory_max (if limited) and\n"
	"Metrics (what GetMetrics returns); with --watch, one such array per line.\n"
	"\n"
	"Examples:\n"
	"  tenderctl stats\n"
	"  tenderctl stats web --watch",
	TENDER_CTL_OPTS_WATCH,
	TENDER_CTL_ARGS_ANY_NAMES,
	tender_ctl_cmd_stats,
    },
    {
	"pause",
	"NAME...",
	"Freeze workloads",
	"Freeze every process of running workloads with the cgroup freezer; their state becomes\n"
	"\"paused\".  A paused workload uses no CPU and keeps its memory.",
	"Signals sent to a paused workload ('tenderctl kill') wait until it is resumed;\n"
	"'tenderctl stop' resumes it first.\n"
	"\n"
	"Example:\n"
	"  tenderctl pause web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_pause,
    },
    {
	"resume",
	"NAME...",
	"Thaw paused workloads",
	"Thaw paused workloads: they run on from where they were; their state is \"running\"\n"
	"again.",
	"Example:\n"
	"  tenderctl resume web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_resume,
    },
    {
	"plugins",
	"",
	"List plugins",
	"List the plugins tenderd found when it started: their name, version and status, which\n"
	"is \"active\", \"disabled\" (by [plugins] disabled= in tenderd.conf) or \"failed:\"\n"
	"and the reason it was refused (the journal of tenderd.service says the same).",
	"With --json, prints an array of objects with the keys Name, Version and Status.\n"
	"\n"
	"Example:\n"
	"  tenderctl plugins",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_plugins,
    },
    {
	"events",
	"[NAME...]",
	"Print state changes as they happen",
	"Print every state change of workloads (all, or those named) as it happens, until\n"
	"Ctrl-C: the time it was seen, the name, the old and the new state, and the reason.",
	"With --json, prints one object per line with the keys timestamp, name, old_state,\n"
	"new_state and reason.  The changes come from the signal WorkloadStateChanged.\n"
	"\n"
	"Example:\n"
	"  tenderctl events web",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ANY_NAMES,
	tender_ctl_cmd_events,
    },
    {
	"remove",
	"NAME... [--force]",
	"Remove workloads",
	"Forget workloads that are not running; with --force, stop running ones first.",
	"Example:\n"
	"  tenderctl remove --force --timeout 5 web",
	TENDER_CTL_OPTS_FORCE | TENDER_CTL_OPTS_TIMEOUT,
	TENDER_CTL_ARGS_NAMES,
	tender_ctl_cmd_remove,
    },
    {
	"exec",
	"NAME [-t] [-e KEY=VALUE]... [-w DIR] [--timeout SEC] -- CMD [ARG...]",
	"Run a command in a running workload",
	"Run a command in a running workload, as its own processes run: in its control groups\n"
	"and namespaces, as its user with its capabilities, with its environment.  The command\n"
	"reads tenderctl's stdin and writes to tenderctl's stdout and stderr as it goes; the exit\n"
	"status is the command's, or 128+N if signal N killed it (137 after --timeout).",
	"With -t the command runs on a new terminal of the workload's (a pty of its own devpts),\n"
	"of the size of tenderctl's; tenderctl's terminal is in raw mode meanwhile, so that keys\n"
	"such as Ctrl-C go to the command.  Ending tenderctl kills the command.\n"
	"\n"
	"Examples:\n"
	"  tenderctl exec web -- ps aux\n"
	"  tenderctl exec -t web -- sh\n"
	"  tenderctl exec -e DEBUG=1 -w /srv --timeout 60 web -- ./check.sh",
	TENDER_CTL_OPTS_EXEC,
	TENDER_CTL_ARGS_NAME_COMMAND,
	tender_ctl_cmd_exec,
    },
    {
	"logs",
	"NAME [-n N] [-f] [--stream=STREAM]",
	"Show what a workload printed",
	"Show what a workload printed, across all its runs, from the journal: what it wrote to\n"
	"stdout on stdout, what it wrote to stderr on stderr.",
	"STREAM is stdout, stderr or both (the default).  With --json, prints one JSON object per\n"
	"line, with the keys message, stream, timestamp (UTC) and cursor.\n"
	"\n"
	"Examples:\n"
	"  tenderctl logs web -n 20\n"
	"  tenderctl logs web -f --stream stderr",
	TENDER_CTL_OPTS_LOGS,
	TENDER_CTL_ARGS_NAME,
	tender_ctl_cmd_logs,
    },
    {
	"adapters",
	"",
	"List adapter instances",
	"List the adapter instances tenderd loaded from /etc/tender/adapters: their name, type\n"
	"(the adapter) and object path.",
	"With --json, prints an array of objects with the keys Name, Type and ObjectPath.",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_adapters,
    },
    {
	"adapter",
	"start|update|stop|metrics INSTANCE [KEY=VALUE...]",
	"Start, update, stop an adapter instance, or show its metrics",
	"Start, update or stop the workload of an adapter instance, or show its metrics (JSON).\n"
	"\n"
	"start and update take a payload: a JSON object given with --payload, plus one key for\n"
	"each KEY=VALUE argument.  A VALUE that is valid JSON (a number, true, [\"a\", \"b\"]) is\n"
	"taken as such, anything else as a string.  start restarts a running workload.",
	"update prints \"applied\"; it fails (exit status 1) if the adapter will not apply the\n"
	"payload (\"declined\"), does no live updates (\"unsupported\"), or the workload does\n"
	"not run (\"not-running\").\n"
	"\n"
	"Examples:\n"
	"  tenderctl adapter start flows flowfile=/srv/flows.json bandwidth=20\n"
	"  tenderctl adapter update flows log_level=debug\n"
	"  tenderctl adapter start web --payload '{\"command\": [\"sleep\", \"100\"]}'\n"
	"  tenderctl adapter metrics flows",
	TENDER_CTL_OPTS_PAYLOAD,
	TENDER_CTL_ARGS_ADAPTER,
	tender_ctl_cmd_adapter,
    },
    {
	"image",
	"import|list|inspect|remove [NAME...] [FILE]",
	"Import, list, inspect or remove images",
	"Manage the images that workloads may have as their root file system:\n"
	"  image import NAME FILE|-   import an archive from FILE, or from standard input\n"
	"  image list                 list the images: name, size, source, creation, digest\n"
	"  image inspect NAME...      show the properties of images\n"
	"  image remove NAME...       remove images that no workload uses\n"
	"\n"
	"NAME is [a-z0-9][a-z0-9._-]{0,127}.  An archive is a root file system as a tar file\n"
	"(plain, gzip, xz or zstd), an OCI image layout as a tar file, or what 'docker save'\n"
	"writes; tenderd tells them apart by their content and refuses archives that would\n"
	"write outside the image, device nodes, and more than [images] max-size (4G).",
	"tenderctl opens FILE itself and hands tenderd the open file: tenderd never opens a path\n"
	"for its caller.  import prints the image's digest, the sha256 of the archive.  root may\n"
	"import a directory DIR as it is instead: tenderctl image import NAME DIR.\n"
	"\n"
	"With --json, list prints an array of objects with the keys Name, Size, Digest, Source,\n"
	"CreatedAt and ObjectPath; inspect an array with one object of D-Bus properties per\n"
	"image.\n"
	"\n"
	"Examples:\n"
	"  tenderctl image import busybox busybox.tar.gz\n"
	"  docker save alpine | tenderctl image import alpine -\n"
	"  tenderctl image inspect busybox\n"
	"  tenderctl image remove --force busybox",
	TENDER_CTL_OPTS_IMAGE,
	TENDER_CTL_ARGS_IMAGE,
	tender_ctl_cmd_image,
    },
    {
	"tool",
	"run|show|logs|cancel|list [ARG...]",
	"Run tools in containers of dockerd, show them",
	"Run tools, short-lived containers of dockerd that run one command and leave a result,\n"
	"and show, cancel and list them:\n"
	"  tool run IMAGE [OPTION...] [-- CMD [ARG...]]  run a tool, wait, print its output\n"
	"  tool show ID                                 show a tool's status and result\n"
	"  tool logs ID                                 print its stdout and stderr\n"
	"  tool cancel ID                               kill a queued or running tool\n"
	"  tool list [--session ID]                     list the tools, of a session or all\n"
	"\n"
	"Tools are the Docker plugin's (org.tender.Agent1.Docker on /org/tender/Agent1/docker);\n"
	"while it is not active (dockerd absent: 'tenderctl plugins' says why) these fail.",
	"Run 'tenderctl tool VERB --help' for the options of each.  A tool's id is \"exec_\"\n"
	"and 16 hex digits; its result is kept for [plugin docker] result-ttl (an hour).  Reading\n"
	"tools takes the polkit action org.tender.docker.read, running and cancelling them\n"
	"org.tender.docker.manage, which is as good as root.\n"
	"\n"
	"Examples:\n"
	"  tenderctl tool run -p n=1 busybox -- sh -c 'echo \"$PARAMETERS\"'\n"
	"  tenderctl tool list --session cli\n"
	"  tenderctl tool show exec_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_TOOL,
	tender_ctl_tool_check_verb,
    },
    {
	"relic",
	"start|list|show|stop|rm [ARG...]",
	"Run a session's service containers of dockerd",
	"Run relics, long-lived service containers of dockerd that a session's other\n"
	"containers reach on the session's network, and list, show, stop and remove them:\n"
	"  relic start IMAGE [OPTION...]  start a relic, wait for its health, print it\n"
	"  relic list [--session ID]      list the relics, of a session or all\n"
	"  relic show ID                  show a relic\n"
	"  relic stop ID                  stop its container (kept, with its record)\n"
	"  relic rm ID                    remove its container and its record\n"
	"\n"
	"Relics are the Docker plugin's (org.tender.Agent1.Docker on /org/tender/Agent1/docker);\n"
	"while it is not active (dockerd absent: 'tenderctl plugins' says why) these fail.",
	"Run 'tenderctl relic VERB --help' for the options of each.  A relic's id is \"relic_\"\n"
	"and 16 hex digits.  Reading relics takes the polkit action org.tender.docker.read,\n"
	"starting, stopping and removing them org.tender.docker.manage, which is as good as\n"
	"root.\n"
	"\n"
	"Examples:\n"
	"  tenderctl relic start --session s1 --name cache tender-test/web\n"
	"  tenderctl relic list --session s1\n"
	"  tenderctl relic rm relic_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_RELIC,
	tender_ctl_relic_check_verb,
    },
    {
	"docker",
	"stats|cleanup [ARG...]",
	"Show the use of tender's containers, clean up",
	"Show the resource use of the Docker plugin's containers, and remove a session's tools,\n"
	"relics and network, or tender's networks that no container uses:\n"
	"  docker stats [ID]                            CPU, memory, network, block I/O, pids\n"
	"  docker cleanup --session ID [--force]        remove a session's containers, network\n"
	"  docker cleanup --networks                    remove unused networks of tender's\n"
	"\n"
	"These are the Docker plugin's (org.tender.Agent1.Docker on /org/tender/Agent1/docker);\n"
	"while it is not active (dockerd absent: 'tenderctl plugins' says why) they fail.",
	"Run 'tenderctl docker VERB --help' for the options of each.  Stats take the polkit\n"
	"action org.tender.docker.read, cleanups org.tender.docker.manage, which is as good as\n"
	"root.  Only what carries the label org.tender.owner=tender is shown or removed.\n"
	"\n"
	"Examples:\n"
	"  tenderctl docker stats\n"
	"  tenderctl docker cleanup --session s1 --force",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_DOCKER,
	tender_ctl_docker_check_verb,
    },
    {
	"session",
	"get|list|show|exec|... [ARG...]",
	"Use the sandboxes of the sessions plugin",
	"Get or create a sandbox per (user, session), run commands in it, move files in and out,\n"
	"run background processes, and close it:\n"
	"  session get USER SESSION [OPTION...]     get-or-create a session, print it\n"
	"  session list [--user USER]               list the sessions\n"
	"  session show USER SESSION                show a session\n"
	"  session exec USER SESSION -- CMD...      run a command, with tenderctl's stdio\n"
	"  session write USER SESSION PATH          write standard input to a file\n"
	"  session read USER SESSION PATH           print a file\n"
	"  session ls USER SESSION [PATH]           list a directory\n"
	"  session rm USER SESSION PATH             remove a file or an empty directory\n"
	"  session start USER SESSION -- CMD...     start a background process, print its id\n"
	"  session ps USER SESSION                  list the background processes\n"
	"  session logs USER SESSION ID             print what a background process wrote\n"
	"  session kill USER SESSION ID             send a background process a signal\n"
	"  session close USER SESSION               remove the sandbox (and its workspace)\n"
	"\n"
	"Sessions are the sessions plugin's (org.tender.Agent1.Sessions on\n"
	"/org/tender/Agent1/sessions); while it is not active ('tenderctl plugins' says why)\n"
	"these fail.",
	"Run 'tenderctl session VERB --help' for the options of each.  USER and SESSION are ids\n"
	"of 1 to 64 of [A-Za-z0-9_.-].  All of it takes the polkit action\n"
	"org.tender.sessions.use, close and get --recreate org.tender.sessions.manage.\n"
	"\n"
	"Examples:\n"
	"  tenderctl session get alice s1 --image busybox\n"
	"  tenderctl session exec alice s1 -- sh -c 'echo hello > hello.txt'\n"
	"  tenderctl session close --delete-workspace alice s1",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_SESSION,
	tender_ctl_session_check_verb,
    },
};

static const TenderCtlCommand *
tender_ctl_find_command(const gchar *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_commands); i++) {
		if (g_strcmp0(tender_ctl_commands[i].name, name) == 0)
			return &tender_ctl_commands[i];
	}
	return NULL;
}

static gchar *
tender_ctl_main_description(void)
{
	g_autoptr(GString) str = g_string_new("Commands:\n");

	for (guint i = 0; i < G_N_ELEMENTS(tender_ctl_commands); i++) {
		const TenderCtlCommand *cmd = &tender_ctl_commands[i];
		g_autofree gchar *usage = g_strdup_printf("%s %s", cmd->name, cmd->parameters);
		g_string_append_printf(str, "  %-44s  %s\n", usage, cmd->brief);
	}
	g_string_append(str,
			"\n"
			"Run 'tenderctl COMMAND --help' for the options of a command.\n"
			"\n"
			"BUS is \"system\" (the default), \"session\" or a D-Bus address; the\n"
			"environment variable TENDER_BUS sets it too.\n"
			"\n"
			"Exit status: 0 on success, 1 if a request failed, 2 on bad usage.");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

int
main(int argc, char *argv[])
{
	g_autoptr(TenderCtl) self = tender_ctl_new();
	g_autoptr(GOptionContext) context = NULL;
	g_autoptr(GOptionContext) context_cmd = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GStrvBuilder) args_cmd_builder = g_strv_builder_new();
	g_autoptr(GStrvBuilder) names = g_strv_builder_new();
	g_auto(GStrv) args = NULL;
	g_auto(GStrv) args_cmd = NULL;
	g_autofree gchar *description = tender_ctl_main_description();
	g_autofree gchar *parameters = NULL;
	const TenderCtlCommand *cmd = NULL;
	guint n_verb = 0;

	setlocale(LC_ALL, "");
	g_set_prgname("tenderctl");

	/* remote errors of tenderd arrive as TENDER_ERROR */
	(void)tender_error_quark();

	tender_ctl_options_split_argv(self, argc, argv, &args);

	/* the global options, up to the command */
	context = g_option_context_new("COMMAND ...");
	g_option_context_set_strict_posix(context, TRUE);
	g_option_context_set_summary(context, "Control tenderd, the host workload agent.");
	g_option_context_set_description(context, description);
	tender_ctl_options_add_global(context, self, &self->bus_global, TRUE);
	if (!g_option_context_parse_strv(context, &args, &error))
		return tender_ctl_usage_error(NULL, error->message);
	if (self->version) {
		g_print("tenderctl %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (args[1] == NULL)
		return tender_ctl_usage_error(NULL, "Missing command");
	if (g_strcmp0(args[1], "help") == 0) {
		g_autofree gchar *help = g_option_context_get_help(context, TRUE, NULL);
		g_print("%s", help);
		return EXIT_SUCCESS;
	}
	cmd = tender_ctl_find_command(args[1]);
	if (cmd == NULL) {
		g_autofree gchar *msg = g_strdup_printf("Unknown command '%s'", args[1]);
		return tender_ctl_usage_error(NULL, msg);
	}
	/* tool VERB, relic VERB: the verb's own command, options and help */
	if (cmd->args == TENDER_CTL_ARGS_TOOL && tender_ctl_tool_find_verb(args[2]) != NULL) {
		cmd = tender_ctl_tool_find_verb(args[2]);
		n_verb = 1;
	} else if (cmd->args == TENDER_CTL_ARGS_RELIC &&
		   tender_ctl_relic_find_verb(args[2]) != NULL) {
		cmd = tender_ctl_relic_find_verb(args[2]);
		n_verb = 1;
	}
	if (cmd->args == TENDER_CTL_ARGS_DOCKER && tender_ctl_docker_find_verb(args[2]) != NULL) {
		cmd = tender_ctl_docker_find_verb(args[2]);
		n_verb = 1;
	}
	if (cmd->args == TENDER_CTL_ARGS_SESSION && tender_ctl_session_find_verb(args[2]) != NULL) {
		cmd = tender_ctl_session_find_verb(args[2]);
		n_verb = 1;
	}

	/* the options of the command, and the global ones again */
	parameters = cmd->parameters[0] != '\0'
			 ? g_strdup_printf("%s %s", cmd->name, cmd->parameters)
			 : g_strdup(cmd->name);
	context_cmd = g_option_context_new(parameters);
	g_option_context_set_summary(context_cmd, cmd->summary);
	if (cmd->description != NULL)
		g_option_context_set_description(context_cmd, cmd->description);
	tender_ctl_options_add_command(context_cmd, self, cmd->opts);
	tender_ctl_options_add_global(context_cmd, self, &self->bus_command, FALSE);
	g_strv_builder_add(args_cmd_builder, args[0]);
	for (guint i = 2 + n_verb; args[i] != NULL; i++)
		g_strv_builder_add(args_cmd_builder, args[i]);
	args_cmd = g_strv_builder_end(args_cmd_builder);
	if (!g_option_context_parse_strv(context_cmd, &args_cmd, &error))
		return tender_ctl_usage_error(cmd->name, error->message);

	/* the names; after "--" too, unless that is the workload's command (a session verb's
	 * is told apart in tenderctl-session.c) */
	g_strv_builder_addv(names, (const gchar **)args_cmd + 1);
	if (cmd->args != TENDER_CTL_ARGS_NAME_COMMAND && cmd->args != TENDER_CTL_ARGS_TOOL_RUN &&
	    cmd->args != TENDER_CTL_ARGS_SESSION_VERB) {
		g_strv_builder_addv(names, (const gchar **)self->argv);
		g_clear_pointer(&self->argv, g_strfreev);
	}
	self->names = g_strv_builder_end(names);
	if (!tender_ctl_options_prepare(self, cmd, &error))
		return tender_ctl_usage_error(cmd->name, error->message);
	if (!tender_ctl_options_check_bus(self, &error))
		return tender_ctl_usage_error(NULL, error->message);

	if (!tender_ctl_bus_connect(self, &error) || !cmd->func(self, &error)) {
		tender_ctl_bus_print_error(error);
		return TENDER_CTL_EXIT_FAILURE;
	}
	return self->exit_status;
}
