/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the bounds of a request: all of it written out, its parameters written out, its env */
#define TENDER_DOCKER_TOOL_REQUEST_MAX	  (256 * 1024)
#define TENDER_DOCKER_TOOL_PARAMETERS_MAX (64 * 1024)
#define TENDER_DOCKER_TOOL_ENV_MAX	  128
#define TENDER_DOCKER_TOOL_ENV_VALUE_MAX  (32 * 1024)
#define TENDER_DOCKER_TOOL_COMMAND_MAX	  256
/* the longest tool name, session id or network name */
#define TENDER_DOCKER_TOOL_NAME_MAX  128
#define TENDER_DOCKER_TOOL_IMAGE_MAX 255

/* the defaults of resource_limits (those of Cortex, and a bound on tasks) */
#define TENDER_DOCKER_TOOL_MEMORY_MB_DEFAULT	   512
#define TENDER_DOCKER_TOOL_CPU_LIMIT_DEFAULT	   1.0
#define TENDER_DOCKER_TOOL_TIMEOUT_SECONDS_DEFAULT 300
#define TENDER_DOCKER_TOOL_PIDS_DEFAULT		   1024
/* and their bounds: dockerd's smallest memory limit is 6 MiB */
#define TENDER_DOCKER_TOOL_MEMORY_MB_MIN       6
#define TENDER_DOCKER_TOOL_MEMORY_MB_MAX       (1024 * 1024)
#define TENDER_DOCKER_TOOL_CPU_LIMIT_MIN       0.01
#define TENDER_DOCKER_TOOL_CPU_LIMIT_MAX       1024.0
#define TENDER_DOCKER_TOOL_TIMEOUT_SECONDS_MAX (24 * 3600)
#define TENDER_DOCKER_TOOL_PIDS_MAX	       (4 * 1024 * 1024)

/* the labels of a tool's container, besides org.tender.owner */
#define TENDER_DOCKER_LABEL_KIND    "org.tender.kind"
#define TENDER_DOCKER_LABEL_SESSION "org.tender.session"
#define TENDER_DOCKER_LABEL_ID	    "org.tender.id"
#define TENDER_DOCKER_LABEL_TOOL    "org.tender.tool"

/**
 * TenderDockerToolRequest:
 * @tool_name: the tool's name
 * @session_id: the session it runs for
 * @image: the image it runs
 * @command: (nullable): its command, or %NULL for the image's
 * @parameters: its parameters, a JSON object
 * @env: its environment, an object of strings (without TOOL_NAME, SESSION_ID, PARAMETERS)
 * @memory_mb: its memory limit
 * @cpu_limit: how many CPUs it may use
 * @timeout_seconds: how long it may run
 * @pids: how many tasks it may have
 * @network: its network mode: none, bridge, host or a network's name
 * @cleanup: whether its container is removed once it has ended
 * @wait: whether executing it finishes once it has ended (else once it is queued or started)
 *
 * A tool run's request, checked: issue 14 §2's members, which also take Cortex's names
 * (environment, network_mode).
 */
typedef struct {
	gchar *tool_name;
	gchar *session_id;
	gchar *image;
	gchar **command;
	JsonObject *parameters;
	JsonObject *env;
	guint64 memory_mb;
	gdouble cpu_limit;
	guint timeout_seconds;
	guint64 pids;
	gchar *network;
	gboolean cleanup;
	gboolean wait;
} TenderDockerToolRequest;

TenderDockerToolRequest *
tender_docker_tool_request_new_from_json(JsonObject *obj, GError **error);
void
tender_docker_tool_request_free(TenderDockerToolRequest *self);
JsonObject *
tender_docker_tool_request_to_json(TenderDockerToolRequest *self);
gchar *
tender_docker_tool_request_get_parameters_text(TenderDockerToolRequest *self);
GBytes *
tender_docker_tool_request_get_stdin(TenderDockerToolRequest *self);
JsonNode *
tender_docker_tool_request_build_create_body(TenderDockerToolRequest *self,
					     const gchar *id,
					     gsize output_max);
gboolean
tender_docker_tool_request_check_name(const gchar *text);
JsonNode *
tender_docker_tool_request_member(JsonObject *obj, const gchar *member);
gboolean
tender_docker_tool_request_string(JsonObject *obj,
				  const gchar *member,
				  gboolean required,
				  const gchar **out,
				  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerToolRequest, tender_docker_tool_request_free)

G_END_DECLS
