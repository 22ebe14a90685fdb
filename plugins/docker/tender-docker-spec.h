/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the runtime's name, and the spec key of its own settings */
#define TENDER_DOCKER_RUNTIME  "docker"
#define TENDER_DOCKER_SPEC_KEY "x-docker"
/* a workload's container is "tender-NAME" */
#define TENDER_DOCKER_NAME_PREFIX "tender-"
/* the labels of everything the plugin creates, and the env var its logs are found by */
#define TENDER_DOCKER_LABEL_KIND "org.tender.kind"
#define TENDER_DOCKER_LABEL_ID	 "org.tender.id"
/* the SHA-256 of the body of the create that made a workload's container */
#define TENDER_DOCKER_LABEL_DIGEST  "org.tender.spec-digest"
#define TENDER_DOCKER_OWNER	    "tender"
#define TENDER_DOCKER_KIND_WORKLOAD "workload"
#define TENDER_DOCKER_WORKLOAD_ENV  "TENDER_WORKLOAD"
/* the address published ports listen on */
#define TENDER_DOCKER_PUBLISH_ADDRESS "127.0.0.1"

typedef struct {
	guint16 host;
	guint16 container;
	gchar *protocol; /* tcp or udp */
} TenderDockerPort;

/**
 * TenderDockerSpec:
 * @image: the image, as dockerd names it
 * @cmd: (nullable): the container's Cmd, the spec's argv; %NULL for the image's
 * @entrypoint: (nullable): its Entrypoint; %NULL for the image's
 * @env: its Env, KEY=VALUE: the spec's env, then x-docker's, then TENDER_WORKLOAD
 * @user: (nullable): its User
 * @workdir: (nullable): its WorkingDir
 * @ports: (element-type TenderDockerPort): published on TENDER_DOCKER_PUBLISH_ADDRESS
 * @network: (nullable): its network (HostConfig.NetworkMode)
 * @memory_max: HostConfig.Memory (and MemorySwap: no swap), 0 for none
 * @cpu_quota_percent: HostConfig.NanoCpus / 10^7, 0 for none
 * @tasks_max: HostConfig.PidsLimit, 0 for none
 * @volumes: (nullable): the core's volumes, an a(ssb) (source, destination, read-only):
 *   HostConfig.Mounts of type bind
 *
 * What the container of a workload of the runtime docker is made of: its spec's x-docker
 * and the core's keys that map onto a container.
 */
typedef struct {
	gchar *image;
	gchar **cmd;
	gchar **entrypoint;
	gchar **env;
	gchar *user;
	gchar *workdir;
	GArray *ports;
	gchar *network;
	guint64 memory_max;
	guint32 cpu_quota_percent;
	guint64 tasks_max;
	GVariant *volumes;
} TenderDockerSpec;

TenderDockerSpec *
tender_docker_spec_new(const gchar *workload, GVariant *spec, GError **error);
void
tender_docker_spec_free(TenderDockerSpec *self);
JsonNode *
tender_docker_spec_build_create(const TenderDockerSpec *self, const gchar *workload);
const gchar *
tender_docker_spec_get_digest(JsonNode *create);
gchar *
tender_docker_spec_container_name(const gchar *workload);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerSpec, tender_docker_spec_free)

G_END_DECLS
