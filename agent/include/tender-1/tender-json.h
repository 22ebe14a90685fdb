/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * TENDER_JSON_DEPTH_MAX:
 *
 * How deep arrays and objects may nest in a JSON document that tender reads: request bodies,
 * imported workloads, state files, exit records, adapter payloads and replies.  tender's own
 * documents nest at most 4 levels; adapter payloads are application settings.
 *
 * Since: 0.1
 */
#define TENDER_JSON_DEPTH_MAX 64

JsonNode *
tender_json_parse(const gchar *data, gssize length, guint max_depth, GError **error);
gboolean
tender_json_node_check_depth(JsonNode *node, guint max_depth, GError **error);
GVariant *
tender_json_node_to_variant(JsonNode *node);
GVariant *
tender_json_object_to_vardict(JsonObject *obj);
JsonObject *
tender_json_object_new_from_vardict(GVariant *dict);

G_END_DECLS
