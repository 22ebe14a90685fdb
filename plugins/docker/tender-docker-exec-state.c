/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-error.h>

#include "tender-docker-exec.h"

/*
 * The pure parts of the Docker runtime's exec (tender-docker-exec.c): the body of
 * POST /containers/ID/exec, what GET /exec/ID/json says, and what dockerd's exit status and
 * reason mean.
 */

static void
tender_docker_exec_add_strv(JsonBuilder *builder, const gchar *member, const gchar *const *strv)
{
	json_builder_set_member_name(builder, member);
	json_builder_begin_array(builder);
	for (guint i = 0; strv[i] != NULL; i++)
		json_builder_add_string_value(builder, strv[i]);
	json_builder_end_array(builder);
}

/**
 * tender_docker_exec_build_create:
 * @argv: the command
 * @env: the call's "KEY=VALUE" entries (dockerd puts them over the container's)
 * @working_directory: (nullable): where it runs; %NULL for the container's WorkingDir
 * @user: (nullable): its user, the workload's x-docker user; %NULL for the container's
 * @attach_stdin: whether it reads a stdin of ours
 * @tty: whether it gets a terminal
 *
 * Returns: (transfer full): the body of POST /containers/ID/exec
 */
JsonNode *
tender_docker_exec_build_create(const gchar *const *argv,
				const gchar *const *env,
				const gchar *working_directory,
				const gchar *user,
				gboolean attach_stdin,
				gboolean tty)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "AttachStdin");
	json_builder_add_boolean_value(builder, attach_stdin);
	json_builder_set_member_name(builder, "AttachStdout");
	json_builder_add_boolean_value(builder, TRUE);
	json_builder_set_member_name(builder, "AttachStderr");
	json_builder_add_boolean_value(builder, TRUE);
	json_builder_set_member_name(builder, "Tty");
	json_builder_add_boolean_value(builder, tty);
	tender_docker_exec_add_strv(builder, "Cmd", argv);
	if (env != NULL && env[0] != NULL)
		tender_docker_exec_add_strv(builder, "Env", env);
	if (working_directory != NULL) {
		json_builder_set_member_name(builder, "WorkingDir");
		json_builder_add_string_value(builder, working_directory);
	}
	if (user != NULL) {
		json_builder_set_member_name(builder, "User");
		json_builder_add_string_value(builder, user);
	}
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/**
 * tender_docker_exec_read_state:
 * @answer: dockerd's answer to GET /exec/ID/json
 * @state: (out): what it says
 * @error: (nullable): a #GError
 *
 * Returns: %FALSE if the answer is not an exec's inspect
 */
gboolean
tender_docker_exec_read_state(JsonNode *answer, TenderDockerExecState *state, GError **error)
{
	JsonObject *obj;
	JsonNode *code;
	gint64 pid;

	if (answer == NULL || !JSON_NODE_HOLDS_OBJECT(answer)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "dockerd's inspect of the command is no object");
		return FALSE;
	}
	obj = json_node_get_object(answer);
	code = json_object_get_member(obj, "ExitCode");
	pid = json_object_get_int_member_with_default(obj, "Pid", 0);
	state->running = json_object_get_boolean_member_with_default(obj, "Running", FALSE);
	state->exit_code =
	    code != NULL && JSON_NODE_HOLDS_VALUE(code) ? json_node_get_int(code) : -1;
	state->pid = pid > 0 && pid <= G_MAXINT32 ? (guint32)pid : 0;
	return TRUE;
}

/**
 * tender_docker_exec_map_exit:
 * @docker_code: dockerd's ExitCode
 * @killed_by: the signal the command was sent by tenderd, 0 if none
 * @exit_code: (out): its exit status, -1 if killed
 * @signo: (out): the signal that killed it, or 0
 *
 * dockerd says 128+N for a command that signal N ended; that of a command tenderd killed is
 * the signal.  Any other status is the command's own.
 */
void
tender_docker_exec_map_exit(gint64 docker_code, gint killed_by, gint *exit_code, gint *signo)
{
	if (killed_by > 0 && docker_code == 128 + killed_by) {
		*exit_code = -1;
		*signo = killed_by;
		return;
	}
	*exit_code = (gint)CLAMP(docker_code, -1, 255);
	*signo = 0;
}

/**
 * tender_docker_exec_reason_is_missing:
 * @docker_code: dockerd's ExitCode of a command that never ran, 126 or 127
 * @reason: what dockerd wrote on its stdout
 *
 * Returns: whether the command does not exist (dockerd says 127, or 126 with runc's "not
 *	found" or "no such file" in some versions)
 */
gboolean
tender_docker_exec_reason_is_missing(gint64 docker_code, const gchar *reason)
{
	g_autofree gchar *lower = g_ascii_strdown(reason, -1);

	return docker_code == 127 || strstr(lower, "not found") != NULL ||
	       strstr(lower, "no such file") != NULL;
}
