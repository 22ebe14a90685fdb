/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <tender-plugin.h>

#include "tender-docker-client.h"

G_BEGIN_DECLS

/* how much output waits for a caller's descriptor before dockerd's stream is read no more */
#define TENDER_DOCKER_EXEC_PENDING_MAX (256 * 1024)
/* how long a killed command's stream may stay open (a child holding it) before it is closed */
#define TENDER_DOCKER_EXEC_KILL_GRACE_MS 3000
/* how long dockerd may say a command whose stream has ended still runs */
#define TENDER_DOCKER_EXEC_END_WAIT_MS 5000

/**
 * TenderDockerExecState:
 * @running: dockerd says the command runs
 * @exit_code: its ExitCode, -1 while it has none
 * @pid: its Pid, as the host sees it; 0 if it never ran
 *
 * What GET /exec/ID/json says of a command.
 */
typedef struct {
	gboolean running;
	gint64 exit_code;
	guint32 pid;
} TenderDockerExecState;

JsonNode *
tender_docker_exec_build_create(const gchar *const *argv,
				const gchar *const *env,
				const gchar *working_directory,
				const gchar *user,
				gboolean attach_stdin,
				gboolean tty);
gboolean
tender_docker_exec_read_state(JsonNode *answer, TenderDockerExecState *state, GError **error);
gboolean
tender_docker_exec_reason_is_missing(gint64 docker_code, const gchar *reason);
void
tender_docker_exec_map_exit(gint64 docker_code, gint killed_by, gint *exit_code, gint *signo);

gboolean
tender_docker_exec_start(TenderDockerClient *client,
			 const gchar *container_id,
			 const gchar *workload,
			 const gchar *user,
			 TenderRunExec *exec,
			 GCancellable *cancellable,
			 GError **error);

G_END_DECLS
