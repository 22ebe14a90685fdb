/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

GVariant *
tender_docker_json_to_variant(JsonNode *node);
GVariant *
tender_docker_json_to_vardict(JsonObject *obj);
JsonObject *
tender_docker_json_from_vardict(GVariant *dict);

G_END_DECLS
