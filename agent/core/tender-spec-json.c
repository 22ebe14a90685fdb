/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-spec-keys.h"
#include "tender-spec.h"

/*
 * The JSON of a spec, for export, import and the state files: an object with the keys and
 * values of tender_spec_to_variant(), typed by the key table.  Numbers, strings, arrays of
 * strings and objects map one to one.  An x-NAME key (an a{sv} of any content, for a plugin
 * runtime) is a JSON string holding its GVariant text format with type annotations
 * (g_variant_print(value, TRUE)), e.g. "{'image': <'nginx'>, 'ports': <[uint16 80]>}":
 * unlike JSON, it keeps every GVariant type (u or t, as or av, nested a{sv}), so the value
 * read back is the very value given; the spec parser refuses a value whose text would not
 * read back.  On the way in, a JSON object is taken too, with JSON's own types (a number is
 * x or d, an array av): what an HTTP client writes by hand, and what GET answers.
 */

/* a tuple of basic values (s, b, q) as an object of @fields */
static JsonNode *
tender_spec_tuple_to_json(GVariant *tuple, const gchar *const *fields)
{
	JsonObject *obj = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);

	for (gsize i = 0; i < g_variant_n_children(tuple) && fields[i] != NULL; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(tuple, i);
		if (g_variant_is_of_type(child, G_VARIANT_TYPE_STRING))
			json_object_set_string_member(obj,
						      fields[i],
						      g_variant_get_string(child, NULL));
		else if (g_variant_is_of_type(child, G_VARIANT_TYPE_BOOLEAN))
			json_object_set_boolean_member(obj,
						       fields[i],
						       g_variant_get_boolean(child));
		else
			json_object_set_int_member(obj, fields[i], g_variant_get_uint16(child));
	}
	json_node_take_object(node, obj);
	return node;
}

static JsonNode *
tender_spec_variant_to_json(GVariant *value, const gchar *const *fields)
{
	JsonNode *node;

	if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING)) {
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_string(node, g_variant_get_string(value, NULL));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32)) {
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_int(node, g_variant_get_uint32(value));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64)) {
		/* every uint64 in a spec is bounded well below 2^53 */
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_int(node, (gint64)g_variant_get_uint64(value));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
		JsonArray *array = json_array_new();
		GVariantIter iter;
		const gchar *str;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "&s", &str))
			json_array_add_string_element(array, str);
		node = json_node_new(JSON_NODE_ARRAY);
		json_node_take_array(node, array);
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE("aas")) ||
		   (fields != NULL && g_variant_is_of_type(value, G_VARIANT_TYPE_ARRAY))) {
		/* commands, or tuples as objects of @fields (volumes, ports) */
		JsonArray *array = json_array_new();
		GVariantIter iter;
		GVariant *child;
		g_variant_iter_init(&iter, value);
		while ((child = g_variant_iter_next_value(&iter)) != NULL) {
			g_autoptr(GVariant) owned = child;
			json_array_add_element(array,
					       fields != NULL
						   ? tender_spec_tuple_to_json(owned, fields)
						   : tender_spec_variant_to_json(owned, NULL));
		}
		node = json_node_new(JSON_NODE_ARRAY);
		json_node_take_array(node, array);
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN)) {
		node = json_node_new(JSON_NODE_VALUE);
		json_node_set_boolean(node, g_variant_get_boolean(value));
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE("a{st}"))) {
		JsonObject *obj = json_object_new();
		GVariantIter iter;
		const gchar *k;
		guint64 v;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&st}", &k, &v))
			json_object_set_int_member(obj, k, (gint64)MIN(v, (guint64)G_MAXINT64));
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(node, obj);
	} else if (g_variant_is_of_type(value, G_VARIANT_TYPE("a{ss}"))) {
		JsonObject *obj = json_object_new();
		GVariantIter iter;
		const gchar *k;
		const gchar *v;
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&s&s}", &k, &v))
			json_object_set_string_member(obj, k, v);
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(node, obj);
	} else {
		JsonObject *obj = json_object_new();
		GVariantIter iter;
		const gchar *k;
		GVariant *child;
		g_assert(g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT));
		g_variant_iter_init(&iter, value);
		while (g_variant_iter_next(&iter, "{&sv}", &k, &child)) {
			g_autoptr(GVariant) owned = child;
			json_object_set_member(obj, k, tender_spec_variant_to_json(owned, NULL));
		}
		node = json_node_new(JSON_NODE_OBJECT);
		json_node_take_object(node, obj);
	}
	return node;
}

/**
 * tender_spec_to_json:
 * @self: a #TenderSpec
 *
 * Returns: (transfer full): the spec as a JSON object with the keys and values of
 * tender_spec_to_variant(): strings, numbers, arrays of strings, and objects; an x-NAME key
 * as a string of GVariant text
 */
JsonNode *
tender_spec_to_json(const TenderSpec *self)
{
	g_autoptr(GVariant) value = g_variant_ref_sink(tender_spec_to_variant(self));
	JsonObject *obj = json_object_new();
	JsonNode *node = json_node_new(JSON_NODE_OBJECT);
	GVariantIter iter;
	const gchar *name;
	GVariant *child;

	g_variant_iter_init(&iter, value);
	while (g_variant_iter_next(&iter, "{&sv}", &name, &child)) {
		g_autoptr(GVariant) owned = child;
		const TenderSpecKey *key = tender_spec_key_lookup(NULL, name);
		if (key != NULL && key->kind == TENDER_SPEC_KEY_KIND_EXTENSION) {
			g_autofree gchar *text = g_variant_print(owned, TRUE);
			json_object_set_string_member(obj, name, text);
			continue;
		}
		json_object_set_member(obj,
				       name,
				       tender_spec_variant_to_json(owned,
								   key != NULL ? key->fields
									       : NULL));
	}
	json_node_take_object(node, obj);
	return node;
}

static GVariant *
tender_spec_json_object_to_variant(JsonObject *obj, const TenderSpecKey *parent, GError **error);

/* an object of @fields as a tuple of @type, e.g. (ssb); (transfer floating) */
static GVariant *
tender_spec_json_to_tuple(JsonNode *node,
			  const gchar *key,
			  const gchar *type,
			  const gchar *const *fields,
			  GError **error)
{
	GVariantBuilder builder;
	JsonObject *obj;
	guint n = 0;

	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must be an array of objects",
			    key);
		return NULL;
	}
	obj = json_node_get_object(node);
	g_variant_builder_init(&builder, G_VARIANT_TYPE(type));
	for (guint i = 0; fields[i] != NULL; i++) {
		JsonNode *member = json_object_get_member(obj, fields[i]);
		GType value_type = member != NULL && JSON_NODE_HOLDS_VALUE(member)
				       ? json_node_get_value_type(member)
				       : G_TYPE_INVALID;
		gchar t = type[i + 1];

		if (member != NULL)
			n++;
		if (t == 'b' && member == NULL) {
			/* a flag left out is false */
			g_variant_builder_add(&builder, "b", FALSE);
		} else if (t == 's' && value_type == G_TYPE_STRING) {
			g_variant_builder_add(&builder, "s", json_node_get_string(member));
		} else if (t == 'b' && value_type == G_TYPE_BOOLEAN) {
			g_variant_builder_add(&builder, "b", json_node_get_boolean(member));
		} else if (t == 'q' && value_type == G_TYPE_INT64 &&
			   json_node_get_int(member) >= 0 &&
			   json_node_get_int(member) <= G_MAXUINT16) {
			g_variant_builder_add(&builder, "q", (guint16)json_node_get_int(member));
		} else {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' needs \"%s\": %s",
				    key,
				    fields[i],
				    t == 's'   ? "a string"
				    : t == 'b' ? "true or false"
					       : "a port number, 0 to 65535");
			return NULL;
		}
	}
	if (n != json_object_get_size(obj)) {
		g_variant_builder_clear(&builder);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' has an object with an unknown member",
			    key);
		return NULL;
	}
	return g_variant_builder_end(&builder);
}

static GVariant *
tender_spec_json_to_variant(JsonNode *node,
			    const gchar *key,
			    const gchar *type,
			    const gchar *const *fields,
			    GError **error)
{
	JsonNodeType node_type = json_node_get_node_type(node);
	GType value_type = json_node_get_value_type(node);

	if (g_strcmp0(type, "b") == 0 && node_type == JSON_NODE_VALUE &&
	    value_type == G_TYPE_BOOLEAN)
		return g_variant_new_boolean(json_node_get_boolean(node));
	/* an array of commands (aas), or of tuples given as objects (volumes, ports) */
	if ((fields != NULL || g_strcmp0(type, "aas") == 0) && node_type == JSON_NODE_ARRAY) {
		JsonArray *array = json_node_get_array(node);
		GVariantBuilder builder;
		g_variant_builder_init(&builder, G_VARIANT_TYPE(type));
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *member = json_array_get_element(array, i);
			GVariant *el =
			    fields != NULL
				? tender_spec_json_to_tuple(member, key, type + 1, fields, error)
				: tender_spec_json_to_variant(member, key, "as", NULL, error);
			if (el == NULL) {
				g_variant_builder_clear(&builder);
				return NULL;
			}
			g_variant_builder_add_value(&builder, el);
		}
		return g_variant_builder_end(&builder);
	}
	if (g_strcmp0(type, "a{st}") == 0 && node_type == JSON_NODE_OBJECT) {
		JsonObjectIter iter;
		const gchar *k;
		JsonNode *v;
		GVariantBuilder builder;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("a{st}"));
		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, &k, &v)) {
			if (!JSON_NODE_HOLDS_VALUE(v) ||
			    json_node_get_value_type(v) != G_TYPE_INT64 ||
			    json_node_get_int(v) < 0) {
				g_variant_builder_clear(&builder);
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' must map names to numbers",
					    key);
				return NULL;
			}
			g_variant_builder_add(&builder, "{st}", k, (guint64)json_node_get_int(v));
		}
		return g_variant_builder_end(&builder);
	}

	if (g_strcmp0(type, "s") == 0 && node_type == JSON_NODE_VALUE &&
	    value_type == G_TYPE_STRING)
		return g_variant_new_string(json_node_get_string(node));
	if ((g_strcmp0(type, "u") == 0 || g_strcmp0(type, "t") == 0) &&
	    node_type == JSON_NODE_VALUE && value_type == G_TYPE_INT64) {
		gint64 v = json_node_get_int(node);
		if (v < 0 || (g_strcmp0(type, "u") == 0 && v > G_MAXUINT32)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is %" G_GINT64_FORMAT ", out of range",
				    key,
				    v);
			return NULL;
		}
		return g_strcmp0(type, "u") == 0 ? g_variant_new_uint32((guint32)v)
						 : g_variant_new_uint64((guint64)v);
	}
	if (g_strcmp0(type, "as") == 0 && node_type == JSON_NODE_ARRAY) {
		JsonArray *array = json_node_get_array(node);
		GVariantBuilder builder;
		g_variant_builder_init(&builder, G_VARIANT_TYPE_STRING_ARRAY);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *el = json_array_get_element(array, i);
			if (!JSON_NODE_HOLDS_VALUE(el) ||
			    json_node_get_value_type(el) != G_TYPE_STRING) {
				g_variant_builder_clear(&builder);
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' must be an array of strings",
					    key);
				return NULL;
			}
			g_variant_builder_add(&builder, "s", json_node_get_string(el));
		}
		return g_variant_builder_end(&builder);
	}
	if (g_strcmp0(type, "a{ss}") == 0 && node_type == JSON_NODE_OBJECT) {
		JsonObject *obj = json_node_get_object(node);
		JsonObjectIter iter;
		const gchar *k;
		JsonNode *v;
		GVariantBuilder builder;
		g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
		json_object_iter_init(&iter, obj);
		while (json_object_iter_next(&iter, &k, &v)) {
			if (!JSON_NODE_HOLDS_VALUE(v) ||
			    json_node_get_value_type(v) != G_TYPE_STRING) {
				g_variant_builder_clear(&builder);
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Spec key '%s' must map strings to strings",
					    key);
				return NULL;
			}
			g_variant_builder_add(&builder, "{ss}", k, json_node_get_string(v));
		}
		return g_variant_builder_end(&builder);
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s' has the wrong JSON type",
		    key);
	return NULL;
}

/* an x-NAME key: a string of GVariant text, or a JSON object; (transfer full), not floating */
static GVariant *
tender_spec_json_extension_to_variant(JsonNode *node, const gchar *key, GError **error)
{
	const gchar *text;
	g_autoptr(GError) error_local = NULL;
	GVariant *value;

	if (JSON_NODE_HOLDS_OBJECT(node)) {
		/* written by hand (an HTTP client): JSON's own types, as json-glib maps them */
		value = json_gvariant_deserialize(node, "a{sv}", &error_local);
		if (value == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key '%s' is not an object of plain values: %s",
				    key,
				    error_local->message);
			return NULL;
		}
		/* not floating, as g_variant_parse()'s below */
		return g_variant_take_ref(value);
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' must be an object, or a string: an a{sv} in GVariant "
			    "text format",
			    key);
		return NULL;
	}
	text = json_node_get_string(node);
	if (strlen(text) > TENDER_SPEC_EXTENSION_TEXT_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is longer than %d bytes as GVariant text",
			    key,
			    TENDER_SPEC_EXTENSION_TEXT_MAX);
		return NULL;
	}
	value = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error_local);
	if (value == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Spec key '%s' is not an a{sv} in GVariant text format: %s",
			    key,
			    error_local->message);
		return NULL;
	}
	return value;
}

/* the members of @obj, the keys of @parent (or of the spec, if %NULL) */
static GVariant *
tender_spec_json_object_to_variant(JsonObject *obj, const TenderSpecKey *parent, GError **error)
{
	GVariantBuilder builder;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &name, &member)) {
		g_autofree gchar *full =
		    parent != NULL ? g_strdup_printf("%s.%s", parent->name, name) : g_strdup(name);
		const TenderSpecKey *key = tender_spec_key_lookup(parent, name);
		g_autoptr(GVariant) extension = NULL;
		GVariant *value;

		if (key == NULL) {
			g_variant_builder_clear(&builder);
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Unknown spec key '%s'",
				    full);
			return NULL;
		}
		if (key->kind == TENDER_SPEC_KEY_KIND_EXTENSION)
			/* parsed, not floating: the builder takes a reference of its own */
			extension = value =
			    tender_spec_json_extension_to_variant(member, full, error);
		else if (key->children != NULL && JSON_NODE_HOLDS_OBJECT(member))
			value = tender_spec_json_object_to_variant(json_node_get_object(member),
								   key,
								   error);
		else
			value = tender_spec_json_to_variant(member,
							    full,
							    key->type,
							    key->fields,
							    error);
		if (value == NULL) {
			g_variant_builder_clear(&builder);
			return NULL;
		}
		g_variant_builder_add(&builder, "{sv}", name, value);
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_spec_new_from_json:
 * @node: a JSON object, as tender_spec_to_json() writes it
 * @error: (nullable): a #GError
 *
 * Parses and checks a spec exactly as tender_spec_new_from_variant() does; a JSON value of the
 * wrong type is refused with %TENDER_ERROR_INVALID_ARGUMENT naming the key.
 *
 * Returns: (transfer full): the spec, or %NULL
 */
TenderSpec *
tender_spec_new_from_json(JsonNode *node, GError **error)
{
	g_autoptr(GVariant) value = tender_spec_variant_from_json(node, error);

	if (value == NULL)
		return NULL;
	return tender_spec_new_from_variant(value, error);
}

/**
 * tender_spec_variant_from_json:
 * @node: a JSON object, as tender_spec_new_from_json() reads it
 * @error: (nullable): a #GError
 *
 * Converts a spec in JSON to the a{sv} that CreateWorkload takes, checking only the key
 * names and JSON types (the engine checks the values).
 *
 * Returns: (transfer full): a floating-free a{sv}, or %NULL
 */
GVariant *
tender_spec_variant_from_json(JsonNode *node, GError **error)
{
	GVariant *value;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "The spec must be a JSON object");
		return NULL;
	}
	value = tender_spec_json_object_to_variant(json_node_get_object(node), NULL, error);
	if (value == NULL)
		return NULL;
	return g_variant_ref_sink(value);
}
