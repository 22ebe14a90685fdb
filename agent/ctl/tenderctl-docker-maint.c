/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* docker stats and docker cleanup: the figures of the Docker plugin's containers, and the
 * cleanup of a session or of unused networks, through org.tender.Agent1.Docker */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-units.h"
#include "tenderctl-private.h"

/* the columns of docker stats */
static const gchar *const tender_ctl_docker_stats_header[] = {"CONTAINER",
							      "NAME",
							      "KIND",
							      "ID",
							      "CPU %",
							      "MEM USAGE / LIMIT",
							      "MEM %",
							      "NET I/O",
							      "BLOCK I/O",
							      "PIDS",
							      NULL};

void
tender_ctl_docker_add_entries(GOptionContext *context, TenderCtl *self)
{
	const GOptionEntry entries[] = {
	    {"session",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->tool_session,
	     "Remove the tools, relics and network of this session",
	     "ID"},
	    {"force",
	     'f',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->force,
	     "With --session: cancel the tools and kill the relics that run, and remove them too",
	     NULL},
	    {"networks",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_NONE,
	     &self->docker_networks,
	     "Remove tender's networks that no container uses",
	     NULL},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
}

static gboolean
tender_ctl_docker_usage(GError **error, const gchar *message)
{
	g_set_error_literal(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT, message);
	return FALSE;
}

/* 'docker' alone, or with a verb it does not know */
gboolean
tender_ctl_docker_check_verb(TenderCtl *self, GError **error)
{
	if (self->names[0] == NULL)
		return tender_ctl_docker_usage(error, "'docker' needs a verb: stats or cleanup");
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Unknown docker verb '%s'; use stats or cleanup",
		    self->names[0]);
	return FALSE;
}

/* the arguments and options of docker stats and docker cleanup */
gboolean
tender_ctl_docker_check_args(TenderCtl *self, const TenderCtlCommand *cmd, GError **error)
{
	if (g_strcmp0(cmd->name, "docker stats") == 0) {
		if (g_strv_length(self->names) > 1)
			return tender_ctl_docker_usage(error,
						       "'docker stats' takes at most one ID");
		return TRUE;
	}
	if (self->names[0] != NULL)
		return tender_ctl_docker_usage(error, "'docker cleanup' takes no arguments");
	if (self->tool_session == NULL && !self->docker_networks)
		return tender_ctl_docker_usage(error,
					       "'docker cleanup' needs --session ID or --networks");
	if (self->tool_session != NULL && self->docker_networks)
		return tender_ctl_docker_usage(error,
					       "'docker cleanup' takes either --session ID or "
					       "--networks");
	if (self->force && self->docker_networks)
		return tender_ctl_docker_usage(error, "--force is for --session only");
	return TRUE;
}

static const gchar *
tender_ctl_docker_string(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(dict, key, "&s", &value) || value[0] == '\0')
		return "-";
	return value;
}

static guint64
tender_ctl_docker_uint(GVariant *dict, const gchar *key)
{
	gint64 value = 0;

	(void)g_variant_lookup(dict, key, "x", &value);
	return (guint64)MAX(value, 0);
}

/* "1.5M / 3K": two sizes of @dict */
static gchar *
tender_ctl_docker_pair(GVariant *dict, const gchar *first, const gchar *second)
{
	g_autofree gchar *a = tender_units_format_size(tender_ctl_docker_uint(dict, first));
	g_autofree gchar *b = tender_units_format_size(tender_ctl_docker_uint(dict, second));

	return g_strdup_printf("%s / %s", a, b);
}

/* one line of the table: the cells of @row, each as wide as its column */
static void
tender_ctl_docker_print_row(GPtrArray *cells, guint row, const guint *widths, guint columns)
{
	g_autoptr(GString) line = g_string_new(NULL);

	for (guint c = 0; c < columns; c++) {
		const gchar *cell = g_ptr_array_index(cells, row * columns + c);
		g_string_append(line, cell);
		if (c + 1 < columns)
			g_string_append_printf(line,
					       "%*s",
					       (gint)(widths[c] - g_utf8_strlen(cell, -1) + 3),
					       "");
	}
	g_print("%s\n", line->str);
}

static void
tender_ctl_docker_print_stats(GVariant *stats)
{
	const guint columns = g_strv_length((gchar **)tender_ctl_docker_stats_header);
	g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
	g_autofree guint *widths = g_new0(guint, columns);
	GVariantIter iter;
	GVariant *one;

	for (guint c = 0; c < columns; c++)
		g_ptr_array_add(cells, g_strdup(tender_ctl_docker_stats_header[c]));
	g_variant_iter_init(&iter, stats);
	while ((one = g_variant_iter_next_value(&iter)) != NULL) {
		g_autoptr(GVariant) dict = one;
		g_autofree gchar *container_id =
		    g_strdup(tender_ctl_docker_string(dict, "container_id"));
		gdouble cpu = 0;
		gdouble memory = 0;

		(void)g_variant_lookup(dict, "cpu_percent", "d", &cpu);
		(void)g_variant_lookup(dict, "memory_percent", "d", &memory);
		if (strlen(container_id) > 12)
			container_id[12] = '\0';
		g_ptr_array_add(cells, g_steal_pointer(&container_id));
		g_ptr_array_add(cells, g_strdup(tender_ctl_docker_string(dict, "name")));
		g_ptr_array_add(cells, g_strdup(tender_ctl_docker_string(dict, "kind")));
		g_ptr_array_add(cells, g_strdup(tender_ctl_docker_string(dict, "id")));
		g_ptr_array_add(cells, g_strdup_printf("%.2f%%", cpu));
		g_ptr_array_add(cells,
				tender_ctl_docker_pair(dict,
						       "memory_usage_bytes",
						       "memory_limit_bytes"));
		g_ptr_array_add(cells, g_strdup_printf("%.2f%%", memory));
		g_ptr_array_add(cells,
				tender_ctl_docker_pair(dict,
						       "network_rx_bytes",
						       "network_tx_bytes"));
		g_ptr_array_add(cells,
				tender_ctl_docker_pair(dict,
						       "block_read_bytes",
						       "block_write_bytes"));
		g_ptr_array_add(cells,
				g_strdup_printf("%" G_GUINT64_FORMAT,
						tender_ctl_docker_uint(dict, "pids")));
	}
	for (guint i = 0; i < cells->len; i++) {
		guint width = g_utf8_strlen(g_ptr_array_index(cells, i), -1);
		widths[i % columns] = MAX(widths[i % columns], width);
	}
	for (guint row = 0; row < cells->len / columns; row++)
		tender_ctl_docker_print_row(cells, row, widths, columns);
}

static gboolean
tender_ctl_cmd_docker_stats(TenderCtl *self, GError **error)
{
	const gchar *id = self->names[0] != NULL ? self->names[0] : "";
	g_autoptr(GVariant) reply = tender_ctl_tool_call(self,
							 "GetStats",
							 g_variant_new("(s)", id),
							 G_VARIANT_TYPE("(aa{sv})"),
							 NULL,
							 error);
	g_autoptr(GVariant) stats = NULL;

	if (reply == NULL)
		return FALSE;
	stats = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(JsonNode) root = json_gvariant_serialize(stats);
		tender_ctl_print_json(root);
		return TRUE;
	}
	if (g_variant_n_children(stats) == 0) {
		g_print("No containers of tender's.\n");
		return TRUE;
	}
	tender_ctl_docker_print_stats(stats);
	return TRUE;
}

/* the ids or names of @key of a cleanup's result, one line each after @prefix */
static void
tender_ctl_docker_print_list(GVariant *result, const gchar *key, const gchar *prefix, FILE *out)
{
	g_autoptr(GVariant) list = g_variant_lookup_value(result, key, G_VARIANT_TYPE("av"));
	GVariantIter iter;
	GVariant *item;

	if (list == NULL)
		return;
	g_variant_iter_init(&iter, list);
	while (g_variant_iter_next(&iter, "v", &item)) {
		g_autoptr(GVariant) value = item;
		if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
			fprintf(out, "%s%s\n", prefix, g_variant_get_string(value, NULL));
	}
}

static gboolean
tender_ctl_cmd_docker_cleanup(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;

	if (self->docker_networks)
		reply = tender_ctl_tool_call(self,
					     "CleanupNetworks",
					     NULL,
					     G_VARIANT_TYPE("(a{sv})"),
					     NULL,
					     error);
	else
		reply = tender_ctl_tool_call(self,
					     "CleanupSession",
					     g_variant_new("(sb)", self->tool_session, self->force),
					     G_VARIANT_TYPE("(a{sv})"),
					     NULL,
					     error);
	if (reply == NULL)
		return FALSE;
	result = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(JsonNode) root = json_gvariant_serialize(result);
		tender_ctl_print_json(root);
		return TRUE;
	}
	tender_ctl_docker_print_list(result, "tools_removed", "removed tool ", stdout);
	tender_ctl_docker_print_list(result, "relics_removed", "removed relic ", stdout);
	tender_ctl_docker_print_list(result, "containers_removed", "removed container ", stdout);
	tender_ctl_docker_print_list(result, "networks_removed", "removed network ", stdout);
	tender_ctl_docker_print_list(result, "left", "left: ", stdout);
	tender_ctl_docker_print_list(result, "errors", "tenderctl: ", stderr);
	fflush(stdout);
	return TRUE;
}

static const TenderCtlCommand tender_ctl_docker_commands[] = {
    {
	"docker stats",
	"[ID]",
	"Show the resource use of tender's containers",
	"Show the CPU, memory, network, block I/O and process use of the containers the Docker\n"
	"plugin made (tools, relics and docker workloads, running or not), or of one: ID is a\n"
	"tool's or relic's id, or a container's name or id.  dockerd samples each container\n"
	"twice, a second apart, so this takes a second or two.",
	"CONTAINER is the container's id, NAME its name, KIND tool, relic or workload, ID "
	"tender's\n"
	"id of it.  CPU % is in percent of one CPU (200% is two CPUs busy), computed as docker\n"
	"stats does; MEM USAGE / LIMIT the memory in use (without inactive page cache) and its\n"
	"limit, MEM % the one in percent of the other, NET I/O the bytes received and sent, BLOCK\n"
	"I/O the bytes read and written, PIDS its processes and threads.  A container tender did\n"
	"not make is not shown, nor found by its name.\n"
	"\n"
	"With --json, prints an array of objects, each as GetStats returns it (see\n"
	"org.tender.Agent1.Docker.xml).  Reading takes the polkit action org.tender.docker.read.\n"
	"\n"
	"Examples:\n"
	"  tenderctl docker stats\n"
	"  tenderctl docker stats exec_0123456789abcdef --json",
	TENDER_CTL_OPTS_NONE,
	TENDER_CTL_ARGS_DOCKER_VERB,
	tender_ctl_cmd_docker_stats,
    },
    {
	"docker cleanup",
	"--session ID [--force] | --networks",
	"Remove a session's containers and network, or unused networks",
	"With --session, remove the session's tools (their results, and containers kept with\n"
	"--keep), its relics and their containers, and then its network tender-session-ID if no\n"
	"container uses it.  Without --force, a tool that waits or runs and a relic that runs are\n"
	"left (listed as \"left:\"); with it, they are cancelled or killed and removed.  With\n"
	"--networks, remove the networks tender made that no container, running or not, is\n"
	"connected to.",
	"Prints what was removed, one line each (\"removed tool ID\", \"removed relic ID\",\n"
	"\"removed container ID\", \"removed network NAME\"), what was left (\"left: ID\", with a\n"
	"network still in use), and on stderr why something was left or could not be removed;\n"
	"the exit status is 0 once the cleanup has run.  Containers and networks without tender's\n"
	"label org.tender.owner=tender are never touched.  With --json, prints the result as\n"
	"CleanupSession or CleanupNetworks returns it.  Cleaning up takes the polkit action\n"
	"org.tender.docker.manage, which is as good as root.\n"
	"\n"
	"Examples:\n"
	"  tenderctl docker cleanup --session s1\n"
	"  tenderctl docker cleanup --session s1 --force\n"
	"  tenderctl docker cleanup --networks",
	TENDER_CTL_OPTS_DOCKER_CLEANUP,
	TENDER_CTL_ARGS_DOCKER_VERB,
	tender_ctl_cmd_docker_cleanup,
    },
};

/**
 * tender_ctl_docker_find_verb:
 * @verb: (nullable): what follows "docker"
 *
 * Returns: (nullable): the command of 'docker @verb', or %NULL if it is none
 */
const TenderCtlCommand *
tender_ctl_docker_find_verb(const gchar *verb)
{
	return tender_ctl_find_verb(tender_ctl_docker_commands,
				    G_N_ELEMENTS(tender_ctl_docker_commands),
				    verb);
}
