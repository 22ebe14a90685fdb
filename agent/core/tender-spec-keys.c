/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-spec-keys.h"
#include "tender-spec-types.h"
#include "tender-units.h"

/*
 * The keys of a workload spec, in one table: their type, bounds, unit and how they are kept.
 * tender-spec.c parses and writes the a{sv} from it, tender-spec-json.c the JSON, the adapter
 * instance files take their [limits] from it, and tenderctl can build its flags and help from
 * it.  This file uses GLib only (and tender-units.c, tender-error.c), so that tenderctl can
 * link it.  Adding a key of a kind that exists is one row here and one field in TenderSpec.
 */

const gchar *const tender_spec_restart_names[] = {"no", "on-failure", "always", NULL};
const gchar *const tender_spec_health_action_names[] = {"none", "restart", "stop", NULL};
const gchar *const tender_spec_isolation_names[] = {"minimal", "standard", "strict", NULL};
/* "" is the default's name only inside: the a{sv} leaves a network not given out */
const gchar *const tender_spec_network_names[] = {"", "host", "none", "private", NULL};
static const gchar *const tender_spec_volume_fields[] = {"source",
							 "destination",
							 "read_only",
							 NULL};
static const gchar *const tender_spec_port_fields[] = {"host_port",
						       "container_port",
						       "protocol",
						       NULL};

/**
 * tender_spec_check_image_name:
 * @key: the key, for messages
 * @value: an image name
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @value is [a-z0-9][a-z0-9._-]{0,127}
 */
gboolean
tender_spec_check_image_name(const gchar *key, const gchar *value, GError **error)
{
	gsize len = strlen(value);

	if (len == 0 || len > TENDER_SPEC_IMAGE_NAME_MAX ||
	    !(g_ascii_islower(value[0]) || g_ascii_isdigit(value[0])) ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyz0123456789._-") != len) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s '%s' is not an image name: 1 to %d characters, "
			    "[a-z0-9][a-z0-9._-]*",
			    key,
			    value,
			    TENDER_SPEC_IMAGE_NAME_MAX);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_spec_check_hostname:
 * @key: the key, for messages
 * @value: a host name
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @value is a host name: labels of letters, digits and '-' between dots,
 *   not starting or ending with '-', at most 64 characters in all
 */
gboolean
tender_spec_check_hostname(const gchar *key, const gchar *value, GError **error)
{
	g_auto(GStrv) labels = g_strsplit(value, ".", -1);
	gboolean ok = value[0] != '\0' && strlen(value) <= TENDER_SPEC_HOSTNAME_MAX;

	for (guint i = 0; ok && labels[i] != NULL; i++) {
		gsize len = strlen(labels[i]);
		ok = len > 0 && len <= 63 && labels[i][0] != '-' && labels[i][len - 1] != '-' &&
		     strspn(labels[i],
			    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") ==
			 len;
	}
	if (!ok) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s '%s' is not a host name: labels of letters, digits and '-', "
			    "separated by dots, at most %d characters",
			    key,
			    value,
			    TENDER_SPEC_HOSTNAME_MAX);
		return FALSE;
	}
	return TRUE;
}

#define TENDER_SPEC_KEY_AT(field)	 G_STRUCT_OFFSET(TenderSpec, field)
#define TENDER_SPEC_HEALTH_KEY_AT(field) G_STRUCT_OFFSET(TenderHealthSpec, field)

static const TenderSpecKey tender_spec_health_keys[] = {
    {
	.name = "command",
	.type = "as",
	.kind = TENDER_SPEC_KEY_KIND_COMMAND,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(command),
	.max = TENDER_SPEC_ARGV_MAX,
	.doc = "A command run in the workload's scope: healthy if it exits 0 in time",
	.cli = "health-cmd",
    },
    {
	.name = "http_url",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_URL,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(http_url),
	.max = TENDER_SPEC_HEALTH_URL_MAX,
	.doc = "An http:// or https:// URL: healthy on a 2xx or 3xx answer",
	.cli = "health-url",
	.cli_what = "health URL",
    },
    {
	.name = "interval_sec",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(interval_sec),
	.min = 1,
	.max = TENDER_SPEC_HEALTH_INTERVAL_MAX,
	.unit = TENDER_SPEC_UNIT_SECONDS,
	.unit_name = "seconds",
	.default_number = TENDER_SPEC_HEALTH_INTERVAL_DEFAULT,
	.doc = "Time between two checks",
	.cli = "health-interval",
	.cli_what = "--health-interval",
    },
    {
	.name = "timeout_sec",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(timeout_sec),
	.min = 1,
	.max = TENDER_SPEC_HEALTH_TIMEOUT_MAX,
	.unit = TENDER_SPEC_UNIT_SECONDS,
	.unit_name = "seconds",
	.default_number = TENDER_SPEC_HEALTH_TIMEOUT_DEFAULT,
	.doc = "Time a check may take",
	.cli = "health-timeout",
	.cli_what = "--health-timeout",
    },
    {
	.name = "retries",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(retries),
	.min = 1,
	.max = TENDER_SPEC_HEALTH_RETRIES_MAX,
	.unit = TENDER_SPEC_UNIT_COUNT,
	.unit_name = "checks",
	.default_number = TENDER_SPEC_HEALTH_RETRIES_DEFAULT,
	.doc = "Failed checks in a row that make the workload unhealthy",
	.cli_what = "number of health check retries",
    },
    {
	.name = "start_period_sec",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(start_period_sec),
	.min = 0,
	.max = TENDER_SPEC_HEALTH_INTERVAL_MAX,
	.unit = TENDER_SPEC_UNIT_SECONDS,
	.unit_name = "seconds",
	.doc = "Time after a start during which failed checks do not count",
	.cli = "health-start-period",
	.cli_what = "--health-start-period",
    },
    {
	.name = "on_unhealthy",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_ENUM,
	.offset = TENDER_SPEC_HEALTH_KEY_AT(on_unhealthy),
	.choices = tender_spec_health_action_names,
	.default_number = TENDER_HEALTH_ACTION_NONE,
	.doc = "What happens when the workload becomes unhealthy: none, restart or stop",
	.cli_arg = "ACTION",
	.cli_what = "health action",
    },
    {NULL},
};

/* in the order tender_spec_to_variant() writes them */
static const TenderSpecKey tender_spec_keys[] = {
    {
	.name = "argv",
	.type = "as",
	.kind = TENDER_SPEC_KEY_KIND_ARGV,
	.flags = TENDER_SPEC_KEY_FLAG_REQUIRED | TENDER_SPEC_KEY_FLAG_IMAGE_GIVES |
		 TENDER_SPEC_KEY_FLAG_RUNTIME_GIVES,
	.offset = TENDER_SPEC_KEY_AT(argv),
	.max = TENDER_SPEC_ARGV_MAX,
	.doc = "The command and its arguments; with an image, instead of its Cmd",
	.cli = "",
    },
    {
	.name = "env",
	.type = "as",
	.kind = TENDER_SPEC_KEY_KIND_ENV,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(env),
	.max = TENDER_SPEC_ENV_MAX,
	.doc = "Environment variables of the command, KEY=VALUE",
	.cli_what = "environment variable",
    },
    {
	.name = "working_directory",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_PATH,
	.offset = TENDER_SPEC_KEY_AT(working_directory),
	.max = TENDER_SPEC_WORKING_DIRECTORY_MAX,
	.default_text = "/",
	.doc = "The working directory of the command, an absolute path",
	.cli = "workdir",
	.cli_arg = "DIR",
    },
    {
	.name = "description",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_TEXT,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(description),
	.max = TENDER_SPEC_DESCRIPTION_MAX,
	.doc = "The description of the workload's systemd scope",
    },
    {
	.name = "labels",
	.type = "a{ss}",
	.kind = TENDER_SPEC_KEY_KIND_LABELS,
	.offset = TENDER_SPEC_KEY_AT(labels),
	.max = TENDER_SPEC_LABELS_MAX,
	.doc = "Free-form labels, KEY=VALUE",
	.cli = "label",
	.cli_what = "label",
    },
    {
	.name = "memory_max",
	.type = "t",
	.kind = TENDER_SPEC_KEY_KIND_UINT64,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(memory_max),
	.min = TENDER_SPEC_MEMORY_MIN,
	.max = TENDER_SPEC_BYTES_MAX,
	.unit = TENDER_SPEC_UNIT_BYTES,
	.unit_name = "bytes",
	.doc = "Memory limit (MemoryMax=)",
	.cli = "memory",
    },
    {
	.name = "cpu_quota_percent",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(cpu_quota_percent),
	.min = 1,
	.max = TENDER_SPEC_CPU_PERCENT_MAX,
	.unit = TENDER_SPEC_UNIT_PERCENT,
	.unit_name = "percent",
	.doc = "CPU quota in percent of one CPU (CPUQuota=)",
	.cli = "cpu",
    },
    {
	.name = "tasks_max",
	.type = "t",
	.kind = TENDER_SPEC_KEY_KIND_UINT64,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(tasks_max),
	.min = 1,
	.max = TENDER_SPEC_TASKS_MAX,
	.unit = TENDER_SPEC_UNIT_COUNT,
	.unit_name = "tasks",
	.doc = "Maximum number of processes and threads (TasksMax=)",
	.cli = "tasks",
    },
    {
	.name = "io_read_bandwidth_max",
	.type = "t",
	.kind = TENDER_SPEC_KEY_KIND_UINT64,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(io_read_bandwidth_max),
	.min = TENDER_SPEC_IO_MIN,
	.max = TENDER_SPEC_BYTES_MAX,
	.unit = TENDER_SPEC_UNIT_BYTES_PER_SECOND,
	.unit_name = "bytes/s",
	.doc = "Read bandwidth limit per second",
	.cli = "io-read",
    },
    {
	.name = "io_write_bandwidth_max",
	.type = "t",
	.kind = TENDER_SPEC_KEY_KIND_UINT64,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(io_write_bandwidth_max),
	.min = TENDER_SPEC_IO_MIN,
	.max = TENDER_SPEC_BYTES_MAX,
	.unit = TENDER_SPEC_UNIT_BYTES_PER_SECOND,
	.unit_name = "bytes/s",
	.doc = "Write bandwidth limit per second",
	.cli = "io-write",
    },
    {
	.name = "restart",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_ENUM,
	.flags = TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(restart),
	.choices = tender_spec_restart_names,
	.default_number = TENDER_RESTART_NO,
	.doc = "Restart when it ends by itself: no, on-failure or always",
	.cli_arg = "POLICY",
    },
    {
	.name = "restart_max",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.flags = TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(restart_max),
	.min = 0,
	.max = TENDER_SPEC_RESTART_MAX_MAX,
	.unit = TENDER_SPEC_UNIT_COUNT,
	.unit_name = "restarts",
	.default_number = TENDER_SPEC_RESTART_MAX_DEFAULT,
	.doc = "Restarts in a row before tenderd gives up",
    },
    {
	.name = "restart_delay_ms",
	.type = "u",
	.kind = TENDER_SPEC_KEY_KIND_UINT32,
	.flags = TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(restart_delay_ms),
	.min = 0,
	.max = TENDER_SPEC_RESTART_DELAY_MAX,
	.unit = TENDER_SPEC_UNIT_MILLISECONDS,
	.unit_name = "ms",
	.default_number = TENDER_SPEC_RESTART_DELAY_DEFAULT,
	.doc = "Delay before the first restart, doubled for each next one",
	.cli = "restart-delay",
    },
    {
	.name = "max_runtime_sec",
	.type = "t",
	.kind = TENDER_SPEC_KEY_KIND_UINT64,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_LIMIT,
	.offset = TENDER_SPEC_KEY_AT(max_runtime_sec),
	.min = 1,
	.max = TENDER_SPEC_MAX_RUNTIME_MAX,
	.unit = TENDER_SPEC_UNIT_SECONDS,
	.unit_name = "seconds",
	.doc = "Time after which tenderd stops the workload (RuntimeMaxSec=)",
	.cli = "max-runtime",
	.cli_what = "maximum run time",
    },
    {
	.name = "health",
	.type = "a{sv}",
	.kind = TENDER_SPEC_KEY_KIND_HEALTH,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(health),
	.children = tender_spec_health_keys,
	.doc = "A health check: either command or http_url",
    },
    {
	.name = "user",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_IDENTITY,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(user),
	.max = TENDER_SPEC_IDENTITY_NAME_MAX,
	.doc = "The user the command runs as, a name or a numeric id; default root",
	.cli_arg = "USER",
    },
    {
	.name = "group",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_IDENTITY,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(group),
	.max = TENDER_SPEC_IDENTITY_NAME_MAX,
	.doc = "The group the command runs as; default the user's primary group",
	.cli_arg = "GROUP",
    },
    {
	.name = "capabilities",
	.type = "as",
	.kind = TENDER_SPEC_KEY_KIND_CAPABILITIES,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(capabilities),
	.max = TENDER_SPEC_CAPABILITIES_MAX,
	.doc = "The capabilities the command keeps, e.g. CAP_NET_BIND_SERVICE",
	.cli = "cap",
    },
    {
	.name = "pre_start",
	.type = "aas",
	.kind = TENDER_SPEC_KEY_KIND_COMMANDS,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(pre_start),
	.max = TENDER_SPEC_PRE_START_MAX,
	.doc = "Commands run as root, one after the other, before the command",
	.cli_what = "pre-start command",
    },
    {
	.name = "post_stop",
	.type = "aas",
	.kind = TENDER_SPEC_KEY_KIND_COMMANDS,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(post_stop),
	.max = TENDER_SPEC_POST_STOP_MAX,
	.doc = "Commands run as root, one after the other, once the command has ended",
	.cli_what = "post-stop command",
    },
    {
	.name = "runtime",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_NAME,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(runtime),
	.max = TENDER_SPEC_RUNTIME_NAME_MAX,
	.default_text = TENDER_SPEC_RUNTIME_DEFAULT,
	.doc = "The runtime that runs the workload",
    },
    {
	.name = "isolation",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_ENUM,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(isolation),
	.choices = tender_spec_isolation_names,
	.default_number = TENDER_ISOLATION_MINIMAL,
	.doc = "How much of the host it sees: minimal, standard or strict",
	.cli_arg = "LEVEL",
    },
    {
	.name = "image",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_TEXT,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(image),
	.max = TENDER_SPEC_IMAGE_NAME_MAX,
	.doc = "An image of the image store as its root filesystem (standard, strict)",
	.cli_arg = "IMAGE",
	.check = tender_spec_check_image_name,
    },
    {
	.name = "rootfs",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_PATH,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(rootfs),
	.max = TENDER_SPEC_PATH_MAX,
	.doc = "A host directory as its root filesystem instead (standard, strict; root only)",
	.cli_arg = "DIR",
    },
    {
	.name = "volumes",
	.type = "a(ssb)",
	.kind = TENDER_SPEC_KEY_KIND_VOLUMES,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(volumes),
	.max = TENDER_SPEC_VOLUMES_MAX,
	.doc = "Host paths bind-mounted inside: SOURCE:DESTINATION[:ro]",
	.cli = "volume",
	.cli_arg = "SRC:DST[:ro]",
	.cli_what = "volume",
	.fields = tender_spec_volume_fields,
    },
    {
	.name = "network",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_ENUM,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(network),
	.choices = tender_spec_network_names,
	.default_number = TENDER_NETWORK_DEFAULT,
	.doc = "host, none (loopback only) or private (tenderd's bridge); default host, none "
	       "for strict",
	.cli_arg = "NETWORK",
    },
    {
	.name = "ports",
	.type = "a(qqs)",
	.kind = TENDER_SPEC_KEY_KIND_PORTS,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(ports),
	.max = TENDER_SPEC_PORTS_MAX,
	.doc = "Ports published on the host (network private): HOST:CONTAINER[/udp]",
	.cli = "publish",
	.cli_arg = "HOST:CONTAINER[/udp]",
	.cli_what = "published port",
	.fields = tender_spec_port_fields,
    },
    {
	.name = "hostname",
	.type = "s",
	.kind = TENDER_SPEC_KEY_KIND_TEXT,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(hostname),
	.max = TENDER_SPEC_HOSTNAME_MAX,
	.doc = "Its host name (standard, strict); default the workload's name",
	.cli_arg = "NAME",
	.check = tender_spec_check_hostname,
    },
    {
	.name = "rlimits",
	.type = "a{st}",
	.kind = TENDER_SPEC_KEY_KIND_RLIMITS,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(rlimits),
	.doc = "Resource limits: nofile, nproc, as, core, fsize, stack, memlock, cpu",
	.cli = "rlimit",
	.cli_arg = "NAME=N",
	.cli_what = "rlimit",
    },
    {
	.name = "read_only_rootfs",
	.type = "b",
	.kind = TENDER_SPEC_KEY_KIND_BOOLEAN,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(read_only_rootfs),
	.doc = "A read-only root filesystem; default false for standard, true for strict",
	.cli = "read-only",
    },
    {
	.name = "init",
	.type = "b",
	.kind = TENDER_SPEC_KEY_KIND_BOOLEAN,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL,
	.offset = TENDER_SPEC_KEY_AT(init),
	.doc = "A minimal init as PID 1 that reaps zombies and forwards signals; default true "
	       "with a PID namespace",
    },
    {
	.name = TENDER_SPEC_EXTENSION_PREFIX,
	.type = "a{sv}",
	.kind = TENDER_SPEC_KEY_KIND_EXTENSION,
	.flags = TENDER_SPEC_KEY_FLAG_OPTIONAL | TENDER_SPEC_KEY_FLAG_PREFIX,
	.offset = TENDER_SPEC_KEY_AT(extensions),
	.max = TENDER_SPEC_EXTENSION_SIZE_MAX,
	.doc = "x-NAME: the own keys of the runtime NAME, handed to it as they are",
	.cli = "x",
    },
    {NULL},
};

/**
 * tender_spec_key_iter_init:
 * @iter: a #TenderSpecKeyIter
 * @parent: (nullable): a key with children (health), or %NULL for the keys of the spec
 */
void
tender_spec_key_iter_init(TenderSpecKeyIter *iter, const TenderSpecKey *parent)
{
	g_return_if_fail(iter != NULL);
	g_return_if_fail(parent == NULL || parent->children != NULL);
	iter->next = parent != NULL ? parent->children : tender_spec_keys;
}

/**
 * tender_spec_key_iter_next:
 * @iter: a #TenderSpecKeyIter
 * @key: (out): the next key
 *
 * Returns: %FALSE when there are no more keys
 */
gboolean
tender_spec_key_iter_next(TenderSpecKeyIter *iter, const TenderSpecKey **key)
{
	g_return_val_if_fail(iter != NULL && iter->next != NULL, FALSE);
	if (iter->next->name == NULL)
		return FALSE;
	*key = iter->next++;
	return TRUE;
}

/**
 * tender_spec_key_lookup:
 * @parent: (nullable): a key with children (health), or %NULL for the keys of the spec
 * @name: a key, e.g. "memory_max", "x-docker" or, with no @parent, "health.retries"
 *
 * Any name that begins with "x-" finds the x-NAME entry; tender_spec_key_check_name() tells
 * whether the NAME is valid.
 *
 * Returns: (nullable): the key, or %NULL if the spec has no such key
 */
const TenderSpecKey *
tender_spec_key_lookup(const TenderSpecKey *parent, const gchar *name)
{
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;
	const gchar *dot = parent == NULL ? strchr(name, '.') : NULL;

	if (dot != NULL) {
		g_autofree gchar *head = g_strndup(name, (gsize)(dot - name));
		const TenderSpecKey *outer = tender_spec_key_lookup(NULL, head);
		if (outer == NULL || outer->children == NULL)
			return NULL;
		return tender_spec_key_lookup(outer, dot + 1);
	}
	tender_spec_key_iter_init(&iter, parent);
	while (tender_spec_key_iter_next(&iter, &key)) {
		if ((key->flags & TENDER_SPEC_KEY_FLAG_PREFIX) ? g_str_has_prefix(name, key->name)
							       : g_strcmp0(name, key->name) == 0)
			return key;
	}
	return NULL;
}

/**
 * tender_spec_key_check_name:
 * @name: a runtime name, or the NAME of an x-NAME key
 *
 * Returns: %TRUE if @name is [a-z][a-z0-9-]{0,31}
 */
gboolean
tender_spec_key_check_name(const gchar *name)
{
	gsize len = strlen(name);

	if (len == 0 || len > TENDER_SPEC_RUNTIME_NAME_MAX || !g_ascii_islower(name[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++) {
		if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && name[i] != '-')
			return FALSE;
	}
	return TRUE;
}

/* a whole number in the range of @key's type */
static GVariant *
tender_spec_key_parse_number(const TenderSpecKey *key, const gchar *text, GError **error)
{
	gboolean is_u32 = g_strcmp0(key->type, "u") == 0;
	guint64 value = 0;

	if (!g_ascii_string_to_unsigned(text,
					10,
					0,
					is_u32 ? G_MAXUINT32 : G_MAXUINT64,
					&value,
					NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' is not a whole number in range",
			    text);
		return NULL;
	}
	return is_u32 ? g_variant_new_uint32((guint32)value) : g_variant_new_uint64(value);
}

/**
 * tender_spec_key_parse_text:
 * @key: a key of type "t", "u" or "s"
 * @text: its value as text, as an adapter instance file's [limits] has it: a size (512M) for
 *   bytes, a percentage (50%) for percent, a duration (90s, 1h) in whole seconds for seconds,
 *   a whole number for other numbers, the string itself for a string
 * @error: (nullable): a #GError
 *
 * Converts the text of a value to its GVariant; the range is not checked (the spec parser
 * does, with its own messages).
 *
 * Returns: (transfer floating): the value, or %NULL
 */
GVariant *
tender_spec_key_parse_text(const TenderSpecKey *key, const gchar *text, GError **error)
{
	guint64 value = 0;
	guint percent = 0;

	g_return_val_if_fail(key != NULL && text != NULL, NULL);
	if (g_strcmp0(key->type, "s") == 0)
		return g_variant_new_string(text);
	if (g_strcmp0(key->type, "t") != 0 && g_strcmp0(key->type, "u") != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' cannot be given as text",
			    key->name);
		return NULL;
	}
	switch (key->unit) {
	case TENDER_SPEC_UNIT_BYTES:
	case TENDER_SPEC_UNIT_BYTES_PER_SECOND:
		if (!tender_units_parse_size(text, &value, error))
			return NULL;
		break;
	case TENDER_SPEC_UNIT_PERCENT:
		if (!tender_units_parse_percent(text, &percent, error))
			return NULL;
		value = percent;
		break;
	case TENDER_SPEC_UNIT_SECONDS:
		if (!tender_units_parse_duration(text, &value, error))
			return NULL;
		if (value % 1000 != 0) {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "must be whole seconds");
			return NULL;
		}
		value /= 1000;
		break;
	case TENDER_SPEC_UNIT_NONE:
	case TENDER_SPEC_UNIT_COUNT:
	case TENDER_SPEC_UNIT_MILLISECONDS:
	default:
		return tender_spec_key_parse_number(key, text, error);
	}
	if (g_strcmp0(key->type, "u") == 0)
		return g_variant_new_uint32((guint32)MIN(value, G_MAXUINT32));
	return g_variant_new_uint64(value);
}
