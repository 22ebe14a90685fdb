/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "tenderctl-spec.h"

#define TENDER_CTL_BUS_NAME	    "org.tender.Agent1"
#define TENDER_CTL_MANAGER_PATH	    "/org/tender/Agent1"
#define TENDER_CTL_MANAGER_IFACE    "org.tender.Agent1.Manager"
#define TENDER_CTL_WORKLOAD_IFACE   "org.tender.Agent1.Workload"
#define TENDER_CTL_PROPERTIES_IFACE "org.freedesktop.DBus.Properties"

/* StartWorkload, StopWorkload and RemoveWorkload return only once systemd is done, which can
 * take as long as the stop timeout (up to an hour): wait for them as systemctl waits for jobs */
#define TENDER_CTL_TIMEOUT_DEFAULT -1
#define TENDER_CTL_TIMEOUT_NONE	   G_MAXINT

typedef enum {
	TENDER_CTL_OPTS_NONE = 0,
	TENDER_CTL_OPTS_SPEC = 1 << 0,
	TENDER_CTL_OPTS_TIMEOUT = 1 << 1,
	TENDER_CTL_OPTS_SIGNAL = 1 << 2,
	TENDER_CTL_OPTS_FORCE = 1 << 3,
	TENDER_CTL_OPTS_OUTPUT = 1 << 4,
	TENDER_CTL_OPTS_NAME = 1 << 5,
	TENDER_CTL_OPTS_LOGS = 1 << 6,
	TENDER_CTL_OPTS_WATCH = 1 << 7,
	TENDER_CTL_OPTS_PAYLOAD = 1 << 8,
	TENDER_CTL_OPTS_EXEC = 1 << 9,
	TENDER_CTL_OPTS_IMAGE = 1 << 10,
	TENDER_CTL_OPTS_TOOL_RUN = 1 << 11,
	TENDER_CTL_OPTS_TOOL_LIST = 1 << 12,
	TENDER_CTL_OPTS_RELIC_START = 1 << 13,
	TENDER_CTL_OPTS_RELIC_LIST = 1 << 14,
	TENDER_CTL_OPTS_DOCKER_CLEANUP = 1 << 15,
	TENDER_CTL_OPTS_SESSION_GET = 1 << 16,
	TENDER_CTL_OPTS_SESSION_LIST = 1 << 17,
	TENDER_CTL_OPTS_SESSION_EXEC = 1 << 18,
	TENDER_CTL_OPTS_SESSION_START = 1 << 19,
	TENDER_CTL_OPTS_SESSION_WRITE = 1 << 20,
	TENDER_CTL_OPTS_SESSION_LOGS = 1 << 21,
	TENDER_CTL_OPTS_SESSION_CLOSE = 1 << 22,
} TenderCtlOpts;

typedef enum {
	TENDER_CTL_ARGS_NONE,	      /* no arguments */
	TENDER_CTL_ARGS_NAMES,	      /* NAME... */
	TENDER_CTL_ARGS_NAME,	      /* NAME */
	TENDER_CTL_ARGS_NAME_COMMAND, /* NAME -- CMD [ARG...] */
	TENDER_CTL_ARGS_ONE,	      /* exactly one argument */
	TENDER_CTL_ARGS_ANY_NAMES,    /* [NAME...] */
	TENDER_CTL_ARGS_ADAPTER,      /* VERB INSTANCE [KEY=VALUE...] */
	TENDER_CTL_ARGS_IMAGE,	      /* VERB [NAME...] [FILE] */
	TENDER_CTL_ARGS_TOOL,	      /* VERB ... (tool without a verb it knows) */
	TENDER_CTL_ARGS_TOOL_RUN,     /* IMAGE [-- CMD [ARG...]] */
	TENDER_CTL_ARGS_RELIC,	      /* VERB ... (relic without a verb it knows) */
	TENDER_CTL_ARGS_RELIC_START,  /* IMAGE */
	TENDER_CTL_ARGS_DOCKER,	      /* VERB ... (docker without a verb it knows) */
	TENDER_CTL_ARGS_DOCKER_VERB,  /* docker stats [ID], docker cleanup (checked there) */
	TENDER_CTL_ARGS_SESSION,      /* VERB ... (session without a verb it knows) */
	TENDER_CTL_ARGS_SESSION_VERB, /* USER SESSION ... (checked in tenderctl-session.c) */
} TenderCtlArgs;

typedef struct _TenderCtlSessionOpts TenderCtlSessionOpts;

typedef struct {
	/* global options, from before and after the command */
	gboolean json;
	gboolean version;
	gchar *bus_global;
	gchar *bus_command;
	const gchar *bus;
	GDBusConnection *connection;

	/* the arguments after the command, and what follows "--" */
	gchar **names;
	gchar **argv;
	gboolean has_separator;

	/* the options of the commands as given; those of the spec in spec_flags */
	TenderCtlSpec *spec_flags;
	gchar *timeout;
	gchar *signal;
	gboolean force;
	gchar *output;
	gchar *import_name;
	gchar *lines;
	gboolean follow;
	gchar *stream;
	gboolean watch;
	gchar *payload;
	gboolean exec_tty;
	gchar **exec_env;
	gchar *exec_workdir;
	gboolean replace;
	gchar *image_verb; /* image: the verb, taken off names */

	/* tool run and list (--timeout is timeout) */
	gchar *tool_name;
	gchar *tool_session;
	gchar **tool_params;
	gchar **tool_env;
	gchar *tool_memory;
	gchar *tool_cpus;
	gchar *tool_pids;
	gchar *tool_network;
	gboolean tool_keep;
	gboolean tool_no_wait;

	/* relic start and list (--name, --session, --env, --memory and --cpus are the tool's) */
	gchar *relic_port;
	gchar *relic_network;
	gboolean relic_private_network;
	gchar *relic_health;
	gchar *relic_health_timeout;
	/* docker cleanup (--session is tool_session, --force force) */
	gboolean docker_networks;
	/* session: its verbs' own options (tenderctl-session.h) */
	TenderCtlSessionOpts *session;

	/* what they make */
	GVariant *spec;
	GVariant *options;
	GVariant *tool_request;
	GVariant *relic_request;
	gint signo;

	/* for inspect */
	guint n_shown;
	JsonArray *json_results;

	/* for logs --follow */
	GMainLoop *loop;
	GDataInputStream *log_stream;
	FILE *log_last;

	/* tenderctl's exit status when the command succeeded: exec's is the command's */
	gint exit_status;
} TenderCtl;

typedef gboolean (*TenderCtlFunc)(TenderCtl *self, GError **error);
typedef gboolean (*TenderCtlNameFunc)(TenderCtl *self, const gchar *name, GError **error);

typedef struct {
	const gchar *name;
	const gchar *parameters;
	const gchar *brief;
	const gchar *summary;
	const gchar *description;
	TenderCtlOpts opts;
	TenderCtlArgs args;
	TenderCtlFunc func;
} TenderCtlCommand;

/* tenderctl-bus.c: connecting, calling tenderd, telling errors */
void
tender_ctl_run_until_interrupted(GMainLoop *loop);
gboolean
tender_ctl_bus_error_is_not_running(const GError *error);
void
tender_ctl_bus_error_prefix_name(GError **error, const gchar *verb, const gchar *name);
void
tender_ctl_bus_print_error(const GError *error);
gboolean
tender_ctl_bus_connect(TenderCtl *self, GError **error);
gboolean
tender_ctl_bus_error_is_no_owner(const GError *error);
void
tender_ctl_bus_propagate_error(GError **error, GError *error_local);
GVariant *
tender_ctl_bus_list(TenderCtl *self,
		    const gchar *method,
		    const gchar *type,
		    const gchar *what,
		    GError **error);
GVariant *
tender_ctl_bus_get_property(TenderCtl *self, const gchar *path, const gchar *property);
gchar *
tender_ctl_bus_get_workload_path(TenderCtl *self, const gchar *name, GError **error);
GVariant *
tender_ctl_bus_call(TenderCtl *self,
		    const gchar *object_path,
		    const gchar *interface_name,
		    const gchar *method_name,
		    GVariant *parameters,
		    const GVariantType *reply_type,
		    gint timeout_msec,
		    GError **error);
GVariant *
tender_ctl_bus_call_with_fds(TenderCtl *self,
			     const gchar *object_path,
			     const gchar *interface_name,
			     const gchar *method_name,
			     GVariant *parameters,
			     const GVariantType *reply_type,
			     gint timeout_msec,
			     GUnixFDList *fd_list,
			     GError **error);
gboolean
tender_ctl_bus_error_is_unknown_object(const GError *error);
GVariant *
tender_ctl_feature_call(TenderCtl *self,
			const gchar *plugin,
			const gchar *object_path,
			const gchar *interface_name,
			const gchar *method_name,
			GVariant *parameters,
			const GVariantType *reply_type,
			GError **error);

/* tenderctl-options.c: the options of tenderctl and of each command, and their checks */
void
tender_ctl_options_add_global(GOptionContext *context,
			      TenderCtl *self,
			      gchar **bus,
			      gboolean with_version);
void
tender_ctl_options_add_command(GOptionContext *context, TenderCtl *self, TenderCtlOpts opts);
gboolean
tender_ctl_options_check_bus(TenderCtl *self, GError **error);
gboolean
tender_ctl_options_prepare(TenderCtl *self, const TenderCtlCommand *cmd, GError **error);
void
tender_ctl_options_split_argv(TenderCtl *self, gint argc, gchar **argv, gchar ***args);

/* tenderctl-print.c: JSON output and the properties of inspect */
void
tender_ctl_print_json(JsonNode *root);
void
tender_ctl_print_properties(GVariant *props);
void
tender_ctl_print_key(const gchar *key, const gchar *value);
void
tender_ctl_print_dict(const gchar *key, GVariant *dict);

/* tenderctl-workloads.c: list, create, run, start, stop, kill, inspect, export, import,
 * pause, resume and remove */
gboolean
tender_ctl_foreach_name(TenderCtl *self, TenderCtlNameFunc func, GError **error);
gboolean
tender_ctl_cmd_list(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_create(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_run(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_start(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_stop(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_kill(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_remove(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_inspect(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_export(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_import(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_pause(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_resume(TenderCtl *self, GError **error);

/* tenderctl-exec.c */
void
tender_ctl_exec_add_entries(GOptionContext *context, TenderCtl *self);
gboolean
tender_ctl_cmd_exec(TenderCtl *self, GError **error);

/* tenderctl-logs.c */
gboolean
tender_ctl_cmd_logs(TenderCtl *self, GError **error);

/* tenderctl-stats.c */
gboolean
tender_ctl_cmd_stats(TenderCtl *self, GError **error);

/* tenderctl-events.c */
gboolean
tender_ctl_cmd_events(TenderCtl *self, GError **error);

/* tenderctl-adapters.c: adapters and plugins */
gboolean
tender_ctl_cmd_adapters(TenderCtl *self, GError **error);
gboolean
tender_ctl_adapters_check_args(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_adapter(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_plugins(TenderCtl *self, GError **error);

/* tenderctl-images.c: image import, list, inspect and remove */
gboolean
tender_ctl_images_check_args(TenderCtl *self, GError **error);
gboolean
tender_ctl_cmd_image(TenderCtl *self, GError **error);

/* tenderctl-options.c: the command of a verb of a group of commands (tool, relic, docker) */
const TenderCtlCommand *
tender_ctl_find_verb(const TenderCtlCommand *commands, guint n_commands, const gchar *verb);

/* tenderctl-docker.c: tool run, show, logs, cancel and list (the Docker plugin's tools) */
const TenderCtlCommand *
tender_ctl_tool_find_verb(const gchar *verb);
void
tender_ctl_tool_add_entries(GOptionContext *context, TenderCtl *self, gboolean run);
gboolean
tender_ctl_tool_check_verb(TenderCtl *self, GError **error);
gboolean
tender_ctl_tool_build_request(TenderCtl *self, GError **error);
/* and what tenderctl-relic.c shares of them */
GVariant *
tender_ctl_tool_call(TenderCtl *self,
		     const gchar *method,
		     GVariant *parameters,
		     const GVariantType *reply_type,
		     const gchar *id,
		     GError **error);
void
tender_ctl_tool_print_member(const gchar *key, JsonNode *node);
gchar *
tender_ctl_tool_default_name(const gchar *image);
gboolean
tender_ctl_tool_parse_uint(const gchar *text, const gchar *option, guint64 *value, GError **error);
gboolean
tender_ctl_tool_add_env(TenderCtl *self, GVariantBuilder *request, GError **error);
gboolean
tender_ctl_tool_add_limits(TenderCtl *self, GVariantBuilder *request, GError **error);

/* tenderctl-relic.c: relic start, list, show, stop and rm (the Docker plugin's relics) */
const TenderCtlCommand *
tender_ctl_relic_find_verb(const gchar *verb);
void
tender_ctl_relic_add_entries(GOptionContext *context, TenderCtl *self, gboolean start);
gboolean
tender_ctl_relic_check_verb(TenderCtl *self, GError **error);
gboolean
tender_ctl_relic_build_request(TenderCtl *self, GError **error);

/* tenderctl-docker-maint.c: docker stats and docker cleanup */
const TenderCtlCommand *
tender_ctl_docker_find_verb(const gchar *verb);
void
tender_ctl_docker_add_entries(GOptionContext *context, TenderCtl *self);
gboolean
tender_ctl_docker_check_verb(TenderCtl *self, GError **error);
gboolean
tender_ctl_docker_check_args(TenderCtl *self, const TenderCtlCommand *cmd, GError **error);

/* tenderctl-session.c: session get, list, show, exec, ... (the sessions plugin's sessions) */
TenderCtlSessionOpts *
tender_ctl_session_opts_new(void);
void
tender_ctl_session_opts_free(TenderCtlSessionOpts *opts);
const TenderCtlCommand *
tender_ctl_session_find_verb(const gchar *verb);
void
tender_ctl_session_add_entries(GOptionContext *context, TenderCtl *self, TenderCtlOpts opts);
gboolean
tender_ctl_session_check_verb(TenderCtl *self, GError **error);
gboolean
tender_ctl_session_check_args(TenderCtl *self, const TenderCtlCommand *cmd, GError **error);
