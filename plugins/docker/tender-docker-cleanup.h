/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the most networks of tender's that one cleanup of networks looks at */
#define TENDER_DOCKER_CLEANUP_NETWORKS_MAX 1024

/**
 * TenderDockerCleanup:
 * @session_id: (nullable): the session cleaned up; %NULL for a cleanup of networks
 * @force: whether what runs was stopped too
 * @tools: the ids of the tool runs removed (their results, and containers if kept)
 * @relics: the ids of the relics removed (their containers and records)
 * @containers: the ids of the containers removed
 * @networks: the names of the networks removed
 * @left: what was left: the ids of tools and relics that run (without force), or containers
 *   of the session that tender no longer knows of and that run; the networks still in use
 * @errors: what went wrong, one message each
 *
 * What a cleanup removed and left (issue 14 §4).
 */
typedef struct {
	gchar *session_id;
	gboolean force;
	GPtrArray *tools;
	GPtrArray *relics;
	GPtrArray *containers;
	GPtrArray *networks;
	GPtrArray *left;
	GPtrArray *errors;
} TenderDockerCleanup;

TenderDockerCleanup *
tender_docker_cleanup_new(const gchar *session_id, gboolean force);
void
tender_docker_cleanup_free(TenderDockerCleanup *self);
void
tender_docker_cleanup_add_error(TenderDockerCleanup *self, const gchar *format, ...)
    G_GNUC_PRINTF(2, 3);
JsonObject *
tender_docker_cleanup_to_json(const TenderDockerCleanup *self);
JsonObject *
tender_docker_cleanup_to_cortex_json(const TenderDockerCleanup *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerCleanup, tender_docker_cleanup_free)

G_END_DECLS
