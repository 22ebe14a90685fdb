/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-json.h"

/*
 * JSON and D-Bus: the plugin's records are JSON (what HTTP answers); D-Bus has them as a{sv}.
 * Objects are a{sv}, arrays av, numbers x or d, and JSON's null is an absent member (or an
 * absent element): a{sv} has no null.
 */

/**
 * tender_docker_json_to_variant:
 * @node: a JSON value
 *
 * Returns: (transfer floating) (nullable): it as a GVariant, %NULL for null
 */
GVariant *
tender_docker_json_to_variant(JsonNode *node)
{
	GVariantBuilder builder;

	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return tender_docker_json_to_vardict(json_node_get_object(node));
	case JSON_NODE_ARRAY: {
		JsonArray *array = json_node_get_array(node);
		g_variant_builder_init(&builder, G_VARIANT_TYPE("av"));
		for (guint i = 0; i < json_array_get_length(array); i++) {
			GVariant *value =
			    tender_docker_json_to_variant(json_array_get_element(array, i));
			if (value != NULL)
				g_variant_builder_add(&builder, "v", value);
		}
		return g_variant_builder_end(&builder);
	}
	case JSON_NODE_VALUE:
		switch (json_node_get_value_type(node)) {
		case G_TYPE_BOOLEAN:
			return g_variant_new_boolean(json_node_get_boolean(node));
		case G_TYPE_INT64:
			return g_variant_new_int64(json_node_get_int(node));
		case G_TYPE_DOUBLE:
			return g_variant_new_double(json_node_get_double(node));
		default:
			return g_variant_new_string(json_node_get_string(node));
		}
	case JSON_NODE_NULL:
	default:
		return NULL;
	}
}

/**
 * tender_docker_json_to_vardict:
 * @obj: a JSON object
 *
 * Returns: (transfer floating): it as an a{sv}, without its null members
 */
GVariant *
tender_docker_json_to_vardict(JsonObject *obj)
{
	GVariantBuilder builder;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &name, &member)) {
		GVariant *value = tender_docker_json_to_variant(member);
		if (value != NULL)
			g_variant_builder_add(&builder, "{sv}", name, value);
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_docker_json_from_vardict:
 * @dict: an a{sv}
 *
 * Returns: (transfer full): it as a JSON object (json-glib's mapping of GVariant)
 */
JsonObject *
tender_docker_json_from_vardict(GVariant *dict)
{
	g_autoptr(JsonNode) node = json_gvariant_serialize(dict);
	return json_object_ref(json_node_get_object(node));
}
