/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* limits on what the [exec] group and a payload may hold */
#define EXEC_CONFIG_HOOKS_MAX	16 /* pre_start.N, and post_stop.N */
#define EXEC_CONFIG_UPDATES_MAX 64
#define EXEC_CONFIG_VALUE_MAX	(64 * 1024)

/**
 * ExecUpdateAction:
 * @key: the payload key
 * @file: (nullable): the file rewritten with the new value, before the signal
 * @signo: the signal sent to the workload afterwards, or 0
 *
 * What an update of one payload key does.
 */
typedef struct {
	gchar *key;
	gchar *file;
	gint signo;
} ExecUpdateAction;

/**
 * ExecConfig:
 * @working_directory: (nullable): the workload's directory
 * @pre_start: (element-type GStrv): the privileged hooks before a run, in order
 * @post_stop: (element-type GStrv): the privileged hooks after a run, in order
 * @updates: (element-type ExecUpdateAction): the live updates, by key
 * @prometheus_file: (nullable): the Prometheus text file the workload writes
 */
typedef struct {
	gchar *working_directory;
	GPtrArray *pre_start;
	GPtrArray *post_stop;
	GPtrArray *updates;
	gchar *prometheus_file;
} ExecConfig;

ExecConfig *
exec_config_new_from_keyfile(GKeyFile *keyfile, const gchar *group, GError **error);
void
exec_config_free(ExecConfig *self);
gboolean
exec_config_parse_signal(const gchar *text, gint *signo);
gchar **
exec_config_parse_command(JsonNode *node, const gchar *key, GError **error);
gchar *
exec_config_value_to_string(JsonNode *node);
gchar *
exec_config_env_name(const gchar *key);
gchar **
exec_config_build_env(JsonObject *payload, const gchar *primary_key, GError **error);
GPtrArray *
exec_config_plan_update(ExecConfig *self, JsonObject *payload, gint *result, gchar **unplanned);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ExecConfig, exec_config_free)

G_END_DECLS
