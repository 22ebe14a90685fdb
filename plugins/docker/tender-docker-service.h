/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <tender-plugin.h>

#include "tender-docker-relics.h"
#include "tender-docker-tools.h"

G_BEGIN_DECLS

typedef struct _TenderDockerService TenderDockerService;

gboolean
tender_docker_service_register(TenderPlugin *plugin,
			       TenderDockerClient *client,
			       TenderDockerTools *tools,
			       TenderDockerRelics *relics,
			       gboolean cortex_api,
			       GError **error);

G_END_DECLS
