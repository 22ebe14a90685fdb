/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tender-adapter-private.h"
#include "tender-error.h"
#include "tender-json-object.h"
#include "tender-json.h"
#include "tender-util.h"

/* the payloads of an adapter instance */

/* --- the last start payload, kept in the state directory --- */

/**
 * tender_adapter_payload_load:
 * @name: the instance's name, for messages
 * @path: its state file
 *
 * Returns: (transfer full) (nullable): the last start payload, or %NULL if there is none (or
 *   none that can be read: a warning says why)
 */
JsonObject *
tender_adapter_payload_load(const gchar *name, const gchar *path)
{
	g_autofree gchar *data = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;

	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return NULL;
	if (g_file_get_contents(path, &data, &len, &error))
		root = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, &error);
	if (root == NULL) {
		g_warning("adapter %s: ignoring %s: %s", name, path, error->message);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_warning("adapter %s: ignoring %s: not a JSON object", name, path);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/**
 * tender_adapter_payload_write:
 * @name: the instance's name, for messages
 * @path: its state file
 * @payload: (nullable): the start payload, or %NULL for none
 * @error: (nullable): a #GError
 *
 * Replaces the state file atomically with @payload, or removes it.
 *
 * Returns: %TRUE for success
 */
gboolean
tender_adapter_payload_write(const gchar *name,
			     const gchar *path,
			     JsonObject *payload,
			     GError **error)
{
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(JsonNode) node = NULL;
	g_autofree gchar *text = NULL;

	if (payload == NULL) {
		if (g_unlink(path) < 0 && errno != ENOENT) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "Cannot remove %s: %s",
				    path,
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	if (!tender_util_mkdir_with_parents(dir, 0700, error))
		return FALSE;
	node = json_node_init_object(json_node_alloc(), payload);
	text = json_to_string(node, FALSE);
	if (!tender_util_write_file_atomic(path, text, -1, 0600, error)) {
		g_prefix_error(error, "Adapter %s cannot keep the payload: ", name);
		return FALSE;
	}
	return TRUE;
}

/* --- payloads from callers --- */

/**
 * tender_adapter_check_payload:
 * @payload: (nullable): a start payload
 * @primary_key: the key it must hold
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @payload is an object holding @primary_key
 */
gboolean
tender_adapter_check_payload(JsonObject *payload, const gchar *primary_key, GError **error)
{
	if (payload == NULL || !json_object_has_member(payload, primary_key) ||
	    JSON_NODE_HOLDS_NULL(json_object_get_member(payload, primary_key))) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The start payload needs the key '%s'",
			    primary_key);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_adapter_payload_from_json:
 * @text: a payload as JSON text
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the payload, a JSON object of at most
 *   %TENDER_ADAPTER_PAYLOAD_MAX bytes, or %NULL
 */
JsonObject *
tender_adapter_payload_from_json(const gchar *text, GError **error)
{
	g_autoptr(JsonNode) root = NULL;

	if (strlen(text) > TENDER_ADAPTER_PAYLOAD_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The payload is larger than %u bytes",
			    (guint)TENDER_ADAPTER_PAYLOAD_MAX);
		return NULL;
	}
	root = tender_json_object_parse(text, -1, "The payload", error);
	if (root == NULL)
		return NULL;
	return json_object_ref(json_node_get_object(root));
}

/**
 * tender_adapter_payload_from_variant:
 * @value: a payload as an a{sv}
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the payload as a JSON object, or %NULL
 */
JsonObject *
tender_adapter_payload_from_variant(GVariant *value, GError **error)
{
	g_autoptr(JsonNode) node = NULL;

	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The payload must be an a{sv}");
		return NULL;
	}
	if (g_variant_get_size(value) > TENDER_ADAPTER_PAYLOAD_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The payload is larger than %u bytes",
			    (guint)TENDER_ADAPTER_PAYLOAD_MAX);
		return NULL;
	}
	node = json_gvariant_serialize(value);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The payload cannot be turned into JSON");
		return NULL;
	}
	/* it is saved, and read back when tenderd starts */
	if (!tender_json_node_check_depth(node, TENDER_JSON_DEPTH_MAX, error)) {
		g_prefix_error(error, "The payload cannot be turned into JSON: ");
		return NULL;
	}
	return json_object_ref(json_node_get_object(node));
}

/**
 * tender_adapter_update_result_to_string:
 * @result: a #TenderAdapterUpdateResult
 *
 * Returns: "applied", "unsupported", "not-running" or "declined"
 */
const gchar *
tender_adapter_update_result_to_string(TenderAdapterUpdateResult result)
{
	switch (result) {
	case TENDER_ADAPTER_UPDATE_APPLIED:
		return "applied";
	case TENDER_ADAPTER_UPDATE_NOT_RUNNING:
		return "not-running";
	case TENDER_ADAPTER_UPDATE_DECLINED:
		return "declined";
	case TENDER_ADAPTER_UPDATE_UNSUPPORTED:
	default:
		return "unsupported";
	}
}
