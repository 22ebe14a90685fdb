/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tender-docker-tool-request.h"

G_BEGIN_DECLS

/* a tool run's id: "exec_" and 16 hex digits, as Cortex's execution_id */
#define TENDER_DOCKER_TOOL_ID_PREFIX "exec_"
#define TENDER_DOCKER_TOOL_ID_LEN    21
/* the version of the files of state_dir/tools */
#define TENDER_DOCKER_TOOL_STATE_VERSION 1

/**
 * TenderDockerToolStatus:
 * @TENDER_DOCKER_TOOL_STATUS_QUEUED: waiting for a free slot (Cortex: pending)
 * @TENDER_DOCKER_TOOL_STATUS_RUNNING: its container is being made, or runs
 * @TENDER_DOCKER_TOOL_STATUS_COMPLETED: it exited 0 (Cortex: success)
 * @TENDER_DOCKER_TOOL_STATUS_FAILED: it exited otherwise, or could not run
 * @TENDER_DOCKER_TOOL_STATUS_TIMEOUT: it ran out of time, and was killed
 * @TENDER_DOCKER_TOOL_STATUS_CANCELLED: it was cancelled (and killed, if it ran)
 */
typedef enum {
	TENDER_DOCKER_TOOL_STATUS_QUEUED,
	TENDER_DOCKER_TOOL_STATUS_RUNNING,
	TENDER_DOCKER_TOOL_STATUS_COMPLETED,
	TENDER_DOCKER_TOOL_STATUS_FAILED,
	TENDER_DOCKER_TOOL_STATUS_TIMEOUT,
	TENDER_DOCKER_TOOL_STATUS_CANCELLED,
	TENDER_DOCKER_TOOL_STATUS_LAST, /*< skip >*/
} TenderDockerToolStatus;

const gchar *
tender_docker_tool_status_to_string(TenderDockerToolStatus status);
const gchar *
tender_docker_tool_status_to_cortex(TenderDockerToolStatus status);
gboolean
tender_docker_tool_status_from_string(const gchar *text, TenderDockerToolStatus *status);
gboolean
tender_docker_tool_status_is_final(TenderDockerToolStatus status);

#define TENDER_TYPE_DOCKER_TOOL (tender_docker_tool_get_type())
G_DECLARE_FINAL_TYPE(TenderDockerTool, tender_docker_tool, TENDER, DOCKER_TOOL, GObject)

gchar *
tender_docker_tool_new_id(void);
gboolean
tender_docker_tool_check_id(const gchar *id);
TenderDockerTool *
tender_docker_tool_new(const gchar *id, TenderDockerToolRequest *request, gint64 queued_at);
TenderDockerTool *
tender_docker_tool_new_from_state(JsonObject *obj, GError **error);
JsonObject *
tender_docker_tool_to_state(TenderDockerTool *self);

const gchar *
tender_docker_tool_get_id(TenderDockerTool *self);
TenderDockerToolRequest *
tender_docker_tool_get_request(TenderDockerTool *self);
const gchar *
tender_docker_tool_get_session_id(TenderDockerTool *self);
TenderDockerToolStatus
tender_docker_tool_get_status(TenderDockerTool *self);
void
tender_docker_tool_set_status(TenderDockerTool *self, TenderDockerToolStatus status);
TenderDockerToolStatus
tender_docker_tool_get_ending(TenderDockerTool *self);
void
tender_docker_tool_set_ending(TenderDockerTool *self, TenderDockerToolStatus ending);
const gchar *
tender_docker_tool_get_container_id(TenderDockerTool *self);
void
tender_docker_tool_set_container_id(TenderDockerTool *self, const gchar *container_id);
gint64
tender_docker_tool_get_queued_at(TenderDockerTool *self);
gint64
tender_docker_tool_get_started_at(TenderDockerTool *self);
void
tender_docker_tool_set_started_at(TenderDockerTool *self, gint64 started_at);
gint64
tender_docker_tool_get_finished_at(TenderDockerTool *self);
gboolean
tender_docker_tool_get_exit_code(TenderDockerTool *self, gint *exit_code);
const gchar *
tender_docker_tool_get_error(TenderDockerTool *self);
const gchar *
tender_docker_tool_get_stdout(TenderDockerTool *self);
const gchar *
tender_docker_tool_get_stderr(TenderDockerTool *self);
void
tender_docker_tool_add_usage(TenderDockerTool *self, gint64 memory_bytes, gint64 cpu_time_ns);
void
tender_docker_tool_set_output(TenderDockerTool *self,
			      const guint8 *out,
			      gsize out_len,
			      const guint8 *err,
			      gsize err_len,
			      gboolean truncated);
void
tender_docker_tool_finish(TenderDockerTool *self,
			  TenderDockerToolStatus status,
			  const gint *exit_code,
			  const gchar *error,
			  gint64 finished_at);

JsonObject *
tender_docker_tool_to_json(TenderDockerTool *self);
JsonObject *
tender_docker_tool_to_cortex_json(TenderDockerTool *self);
JsonObject *
tender_docker_tool_get_logs_json(TenderDockerTool *self);

gchar *
tender_docker_tool_output_to_text(const guint8 *data, gsize len);
JsonNode *
tender_docker_tool_parse_result(const gchar *text, gboolean truncated, gchar **result_error);
gchar *
tender_docker_tool_format_time(gint64 usec, gboolean cortex);

G_END_DECLS
