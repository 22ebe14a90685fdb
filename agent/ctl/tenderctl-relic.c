/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* relic start, list, show, stop and rm: the Docker plugin's relics, through its feature
 * service org.tender.Agent1.Docker on /org/tender/Agent1/docker (the calls, the request's
 * environment and limits are tool's: tenderctl-docker.c, tenderctl-docker-request.c) */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tenderctl-private.h"

/* the members of a relic that relic show prints, in this order (a newer plugin's follow) */
static const gchar *const tender_ctl_relic_members[] = {
    "relic_id",
    "relic_name",
    "session_id",
    "status",
    "healthy",
    "internal_url",
    "port",
    "container_id",
    "container_name",
    "network_id",
    "network_name",
    "started_at",
    NULL,
};

void
tender_ctl_relic_add_entries(GOptionContext *context, TenderCtl *self, gboolean start)
{
	const GOptionEntry entries_start[] = {
	    {"name",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_name,
	     "The relic's name, default the image's last path component without its tag",
	     "NAME"},
	    {"port",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->relic_port,
	     "The port it serves on, 1 to 65535 (default the image's one exposed port)",
	     "PORT"},
	    {"network",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->relic_network,
	     "session (the default: the session's network tender-session-ID) or bridge "
	     "(dockerd's default bridge)",
	     "NET"},
	    {"private-network",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->relic_private_network,
	     "The session's network (--network session)",
	     NULL},
	    {"health",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->relic_health,
	     "The path its health wait asks for (default /health)",
	     "PATH"},
	    {"health-timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->relic_health_timeout,
	     "How long the health wait lasts, 1 to 600 seconds (default 30)",
	     "SEC"},
	    {"memory",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_memory,
	     "Its memory limit in MiB, 6 to 1048576 (default 512; no swap)",
	     "MB"},
	    {"cpus",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_cpus,
	     "The CPUs it may use, 0.01 to 1024 (default 1)",
	     "N"},
	    {"env",
	     'e',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->tool_env,
	     "Set an environment variable of the relic (repeatable)",
	     "KEY=VALUE"},
	    {NULL},
	};
	const GOptionEntry entries_session[] = {
	    {"session",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_session,
	     start ? "The session the relic serves (default \"cli\")"
		   : "Only the relics of this session",
	     "ID"},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries_session, NULL);
	if (start)
		g_option_context_add_main_entries(context, entries_start, NULL);
}

/* 'relic' alone, or with a verb it does not know */
gboolean
tender_ctl_relic_check_verb(TenderCtl *self, GError **error)
{
	if (self->names[0] == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'relic' needs a verb: start, list, show, stop or rm");
		return FALSE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown relic verb '%s'; use start, list, show, stop or rm",
		    self->names[0]);
	return FALSE;
}

/* --network and --private-network: whether the relic is on its session's network */
static gboolean
tender_ctl_relic_private_network(TenderCtl *self, gboolean *private_network, GError **error)
{
	*private_network = TRUE;
	if (self->relic_network == NULL || g_str_equal(self->relic_network, "session"))
		return TRUE;
	if (g_str_equal(self->relic_network, "bridge") && !self->relic_private_network) {
		*private_network = FALSE;
		return TRUE;
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    self->relic_private_network
			? "--private-network is --network session, not --network %s"
			: "Invalid network '%s': expected session or bridge",
		    self->relic_network);
	return FALSE;
}

/* relic start IMAGE: StartRelic's request, built before connecting, so that a bad option is
 * a usage error */
gboolean
tender_ctl_relic_build_request(TenderCtl *self, GError **error)
{
	g_auto(GVariantBuilder) request = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autofree gchar *name = NULL;
	const gchar *image = self->names[0];
	guint64 port = 0;
	guint64 timeout = 0;
	gboolean private_network = TRUE;

	if (image == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'relic start' needs an image");
		return FALSE;
	}
	if (self->names[1] != NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unexpected argument '%s': a relic runs its image's command",
			    self->names[1]);
		return FALSE;
	}
	if (!tender_ctl_tool_parse_uint(self->relic_port, "port", &port, error) ||
	    !tender_ctl_tool_parse_uint(self->relic_health_timeout,
					"health timeout",
					&timeout,
					error) ||
	    !tender_ctl_relic_private_network(self, &private_network, error))
		return FALSE;
	name = self->tool_name != NULL ? g_strdup(self->tool_name)
				       : tender_ctl_tool_default_name(image);
	g_variant_builder_add(&request, "{sv}", "relic_name", g_variant_new_string(name));
	g_variant_builder_add(&request,
			      "{sv}",
			      "session_id",
			      g_variant_new_string(self->tool_session != NULL ? self->tool_session
									      : "cli"));
	g_variant_builder_add(&request, "{sv}", "image", g_variant_new_string(image));
	if (port > 0)
		g_variant_builder_add(&request, "{sv}", "port", g_variant_new_int64((gint64)port));
	g_variant_builder_add(&request,
			      "{sv}",
			      "create_private_network",
			      g_variant_new_boolean(private_network));
	if (self->relic_health != NULL)
		g_variant_builder_add(&request,
				      "{sv}",
				      "health_check_endpoint",
				      g_variant_new_string(self->relic_health));
	if (timeout > 0)
		g_variant_builder_add(&request,
				      "{sv}",
				      "health_check_timeout_seconds",
				      g_variant_new_int64((gint64)timeout));
	if (!tender_ctl_tool_add_env(self, &request, error) ||
	    !tender_ctl_tool_add_limits(self, &request, error))
		return FALSE;
	self->relic_request = g_variant_ref_sink(g_variant_builder_end(&request));
	return TRUE;
}

/* a relic as people read it, or with --json as its JSON */
static void
tender_ctl_relic_print(TenderCtl *self, GVariant *relic)
{
	g_autoptr(JsonNode) root = json_gvariant_serialize(relic);
	JsonObject *obj = json_node_get_object(root);
	g_autoptr(GList) names = json_object_get_members(obj);

	if (self->json) {
		tender_ctl_print_json(root);
		return;
	}
	for (guint i = 0; tender_ctl_relic_members[i] != NULL; i++)
		tender_ctl_tool_print_member(tender_ctl_relic_members[i],
					     json_object_get_member(obj,
								    tender_ctl_relic_members[i]));
	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(tender_ctl_relic_members, l->data))
			tender_ctl_tool_print_member(l->data, json_object_get_member(obj, l->data));
	}
}

/* a method that answers with one relic, printed */
static gboolean
tender_ctl_relic_call_print(TenderCtl *self,
			    const gchar *method,
			    GVariant *parameters,
			    GError **error)
{
	g_autoptr(GVariant) reply =
	    tender_ctl_tool_call(self, method, parameters, G_VARIANT_TYPE("(a{sv})"), NULL, error);
	g_autoptr(GVariant) relic = NULL;

	if (reply == NULL)
		return FALSE;
	relic = g_variant_get_child_value(reply, 0);
	tender_ctl_relic_print(self, relic);
	return TRUE;
}

static gboolean
tender_ctl_cmd_relic_start(TenderCtl *self, GError **error)
{
	return tender_ctl_relic_call_print(self,
					   "StartRelic",
					   g_variant_new("(@a{sv})", self->relic_request),
					   error);
}

static gboolean
tender_ctl_cmd_relic_show(TenderCtl *self, GError **error)
{
	return tender_ctl_relic_call_print(self,
					   "GetRelic",
					   g_variant_new("(s)", self->names[0]),
					   error);
}

static gboolean
tender_ctl_cmd_relic_stop(TenderCtl *self, GError **error)
{
	return tender_ctl_relic_call_print(self,
					   "StopRelic",
					   g_variant_new("(s)", self->names[0]),
					   error);
}

static gboolean
tender_ctl_cmd_relic_rm(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_tool_call(self,
							 "DeleteRelic",
							 g_variant_new("(s)", self->names[0]),
							 G_VARIANT_TYPE("()"),
							 NULL,
							 error);
	return reply != NULL;
}

static const gchar *
tender_ctl_relic_lookup_string(GVariant *relic, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(relic, key, "&s", &value) || value[0] == '\0')
		return "-";
	return value;
}

static gboolean
tender_ctl_cmd_relic_list(TenderCtl *self, GError **error)
{
	static const gchar *const columns[] = {"relic_id", "relic_name", "session_id", NULL};
	gint widths[] = {strlen("ID"), strlen("NAME"), strlen("SESSION")};
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) relics = NULL;
	gsize n;

	reply = tender_ctl_tool_call(self,
				     "ListRelics",
				     g_variant_new("(s)",
						   self->tool_session != NULL ? self->tool_session
									      : ""),
				     G_VARIANT_TYPE("(aa{sv})"),
				     NULL,
				     error);
	if (reply == NULL)
		return FALSE;
	relics = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(JsonNode) root = json_gvariant_serialize(relics);
		tender_ctl_print_json(root);
		return TRUE;
	}
	n = g_variant_n_children(relics);
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) relic = g_variant_get_child_value(relics, i);
		for (guint c = 0; columns[c] != NULL; c++)
			widths[c] =
			    MAX(widths[c],
				(gint)strlen(tender_ctl_relic_lookup_string(relic, columns[c])));
	}
	g_print("%-*s  %-*s  %-*s  %-9s  %-7s  %s\n",
		widths[0],
		"ID",
		widths[1],
		"NAME",
		widths[2],
		"SESSION",
		"STATUS",
		"HEALTHY",
		"URL");
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) relic = g_variant_get_child_value(relics, i);
		gboolean healthy = FALSE;

		(void)g_variant_lookup(relic, "healthy", "b", &healthy);
		g_print("%-*s  %-*s  %-*s  %-9s  %-7s  %s\n",
			widths[0],
			tender_ctl_relic_lookup_string(relic, "relic_id"),
			widths[1],
			tender_ctl_relic_lookup_string(relic, "relic_name"),
			widths[2],
			tender_ctl_relic_lookup_string(relic, "session_id"),
			tender_ctl_relic_lookup_string(relic, "status"),
			healthy ? "yes" : "no",
			tender_ctl_relic_lookup_string(relic, "internal_url"));
	}
	return TRUE;
}

static const TenderCtlCommand tender_ctl_relic_commands[] = {
    {
	"relic start",
	"IMAGE [OPTION...]",
	"Start a relic",
	"Start a relic: a container of IMAGE (an image dockerd has: nothing is pulled) that runs\n"
	"the image's command and serves on a port, on its session's network\n"
	"tender-session-ID (made if it is not there) where the session's other containers reach\n"
	"it by its container's name.  tenderctl waits for its health: GET PATH (--health,\n"
	"default /health) on the relic's address until a 2xx answer or --health-timeout, and\n"
	"prints the relic: its id, status (running, or unhealthy when its health check did not\n"
	"answer in time: the container is kept, for inspection), internal_url\n"
	"(http://CONTAINER_NAME:PORT), container and network.",
	"The port is the image's one exposed TCP port unless --port; an image that exposes none\n"
	"or several needs --port.  The relic has at most 512 MiB and 1 CPU unless told\n"
	"otherwise, the restart policy unless-stopped, RELIC_NAME and SESSION_ID in its\n"
	"environment, and the labels org.tender.owner=tender, org.tender.kind=relic,\n"
	"org.tender.session and org.tender.id.  With --json, prints the relic as a JSON object.\n"
	"Exit status: 0 once it has started (healthy or not), 1 when it could not start.\n"
	"\n"
	"Examples:\n"
	"  tenderctl relic start --session s1 --name cache tender-test/web\n"
	"  tenderctl relic start --port 6379 --health /ping --health-timeout 60 \\\n"
	"          -e MODE=lru --memory 256 redis-health:7",
	TENDER_CTL_OPTS_RELIC_START,
	TENDER_CTL_ARGS_RELIC_START,
	tender_ctl_cmd_relic_start,
    },
    {
	"relic list",
	"[--session ID]",
	"List relics",
	"List the relics: all, or those of a session.  ID is the relic's id, NAME its name,\n"
	"SESSION its session, STATUS created, running, unhealthy, stopped or exited, HEALTHY\n"
	"whether its last health check answered, URL its internal_url.",
	"With --json, prints an array of relics, each as 'relic show --json' prints it.\n"
	"\n"
	"Examples:\n"
	"  tenderctl relic list\n"
	"  tenderctl relic list --session s1",
	TENDER_CTL_OPTS_RELIC_LIST,
	TENDER_CTL_ARGS_NONE,
	tender_ctl_cmd_relic_list,
    },
    {
	"relic show",
	"ID",
	"Show a relic",
	"Show a relic: its id, name, session, status, health, internal_url, port, container,\n"
	"network and when it started; - is none.",
	"Its status follows its container at once: exited when it died or was killed, stopped\n"
	"when it was stopped, running when it started again.  With --json, prints it as a JSON\n"
	"object, as GET /v1/docker/relics/ID answers.\n"
	"\n"
	"Example:\n"
	"  tenderctl relic show relic_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_relic_show,
    },
    {
	"relic stop",
	"ID",
	"Stop a relic",
	"Stop a relic's container (SIGTERM, then SIGKILL after dockerd's grace) and print the\n"
	"relic, stopped.  Its restart policy does not start it again; its container and record\n"
	"are kept ('relic rm' removes them).",
	"Example:\n"
	"  tenderctl relic stop relic_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_relic_stop,
    },
    {
	"relic rm",
	"ID",
	"Remove a relic",
	"Remove a relic's container, running or not, and its record.  Its session's network\n"
	"stays, for the session's other relics.",
	"Example:\n"
	"  tenderctl relic rm relic_0123456789abcdef",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_ONE,
	tender_ctl_cmd_relic_rm,
    },
};

/**
 * tender_ctl_relic_find_verb:
 * @verb: (nullable): what follows "relic"
 *
 * Returns: (nullable): the command of 'relic @verb', or %NULL if it is none
 */
const TenderCtlCommand *
tender_ctl_relic_find_verb(const gchar *verb)
{
	return tender_ctl_find_verb(tender_ctl_relic_commands,
				    G_N_ELEMENTS(tender_ctl_relic_commands),
				    verb);
}
