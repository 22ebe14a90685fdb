/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-json-object.h"
#include "tender-json.h"

/**
 * tender_json_object_parse:
 * @data: JSON text from outside, e.g. a request body
 * @length: the length of @data in bytes, or -1 if it ends with a NUL byte
 * @what: what @data is, to begin an error message, e.g. "The request body"
 * @error: (nullable): a #GError
 *
 * Parses JSON that must be one object, as tender_json_parse() does with
 * %TENDER_JSON_DEPTH_MAX.
 *
 * Returns: (transfer full): the root, which holds an object; or %NULL with
 *   %TENDER_ERROR_INVALID_ARGUMENT, "@what is not valid JSON: ..." or "@what must be a JSON
 *   object"
 */
JsonNode *
tender_json_object_parse(const gchar *data, gssize length, const gchar *what, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;

	root = tender_json_parse(data, length, TENDER_JSON_DEPTH_MAX, &error_local);
	if (root == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s is not valid JSON: %s",
			    what,
			    error_local->message);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "%s must be a JSON object",
			    what);
		return NULL;
	}
	return g_steal_pointer(&root);
}
