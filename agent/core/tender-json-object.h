/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *
tender_json_object_parse(const gchar *data, gssize length, const gchar *what, GError **error);

G_END_DECLS
