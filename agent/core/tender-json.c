/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-json.h"

/*
 * json-glib parses arrays and objects by recursion.  Up to 1.8 (Debian 12 has 1.6.6) it has
 * no limit: a request body of 400,000 '[' overflows the stack of tenderd.  1.10 stops at 1024
 * levels, still more than the code that walks a tree afterwards (copies, conversions to
 * GVariant, output) should be given.  So the text is measured before json-glib sees it, in
 * one pass without memory.
 *
 * The measure must never fall below the depth json-glib reaches.  It follows the text as
 * RFC 8259 has it, which every JSON parser reads alike, and counts the '[' and '{' outside
 * strings that are not closed yet.  Where the text leaves RFC 8259 in a way json-glib may read
 * otherwise, the measure stops following the structure and from there on adds every '[' and
 * '{' that is left, inside strings or not: json-glib cannot nest deeper than that, whatever it
 * makes of the rest.  Those places are single quotes and '/' (json-glib 1.6 reads strings in
 * single quotes, and a comment from one '/' to the next), an escape RFC 8259 does not have or
 * a lone surrogate (after "\ud800" json-glib 1.6 takes the next two characters, a closing
 * quote included), and any other character that is not JSON or that sticks to the token
 * before it (after '.', '$', "0x" and "0b" json-glib takes one more character, whatever it
 * is).  Valid JSON never gets there.
 */

static void
tender_json_set_depth_error(GError **error, guint max_depth)
{
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "it nests deeper than the limit of %u levels",
		    max_depth);
}

static gboolean
tender_json_read_hex4(const gchar *p, const gchar *end, guint *value)
{
	guint v = 0;

	if (end - p < 4)
		return FALSE;
	for (guint i = 0; i < 4; i++) {
		gint digit = g_ascii_xdigit_value(p[i]);
		if (digit < 0)
			return FALSE;
		v = (v << 4) | (guint)digit;
	}
	*value = v;
	return TRUE;
}

/* the length of the escape at @p, just after a backslash, if RFC 8259 has it and a surrogate
 * is half of a pair; 0 otherwise */
static gsize
tender_json_escape_length(const gchar *p, const gchar *end)
{
	guint high = 0;
	guint low = 0;

	if (p >= end || *p == '\0')
		return 0;
	if (strchr("\"\\/bfnrt", *p) != NULL)
		return 1;
	if (*p != 'u' || !tender_json_read_hex4(p + 1, end, &high))
		return 0;
	if (high < 0xD800 || high > 0xDFFF)
		return 5;
	if (high > 0xDBFF || end - p < 11 || p[5] != '\\' || p[6] != 'u' ||
	    !tender_json_read_hex4(p + 7, end, &low) || low < 0xDC00 || low > 0xDFFF)
		return 0;
	return 11;
}

/* the string that starts at @p, an opening quote: returns the position of its closing quote,
 * @end if it has none (json-glib fails there), or %NULL where json-glib may read it otherwise */
static const gchar *
tender_json_skip_string(const gchar *p, const gchar *end)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return p;
		if (*p == '\0')
			return NULL;
		if (*p == '\\') {
			gsize len = tender_json_escape_length(p + 1, end);
			if (len == 0)
				return NULL;
			p += len;
		}
	}
	return end;
}

/* whether @c, outside strings and after @prev, is JSON that json-glib reads as RFC 8259 does
 * (brackets and quotes aside) */
static gboolean
tender_json_is_plain(gchar c, gchar prev)
{
	if (c == '.')
		return g_ascii_isdigit(prev);
	return c != '\0' && strchr(" \t\r\n,:0123456789+-eEtrufalsn", c) != NULL;
}

static gboolean
tender_json_check_depth(const gchar *data, gsize length, guint max_depth, GError **error)
{
	const gchar *p = data;
	const gchar *end = data + length;
	gboolean following = TRUE;
	guint depth = 0;
	gchar prev = ' ';

	/* json-glib skips a byte order mark */
	if (length >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (; p < end; p++) {
		gchar c = *p;

		if (c == '[' || c == '{') {
			if (++depth > max_depth) {
				tender_json_set_depth_error(error, max_depth);
				return FALSE;
			}
		} else if (!following) {
			continue;
		} else if (c == ']' || c == '}') {
			if (depth > 0)
				depth--;
		} else if (c == '"' && strchr(" \t\r\n[{,:", prev) != NULL) {
			const gchar *close = tender_json_skip_string(p, end);
			if (close != NULL)
				p = close;
			else
				following = FALSE;
		} else if (!tender_json_is_plain(c, prev)) {
			following = FALSE;
		}
		prev = c;
	}
	return TRUE;
}

/**
 * tender_json_parse:
 * @data: JSON text, e.g. a request body or the contents of a file
 * @length: the length of @data in bytes, or -1 if it ends with a NUL byte
 * @max_depth: how deep arrays and objects may nest, usually %TENDER_JSON_DEPTH_MAX
 * @error: (nullable): a #GError
 *
 * Parses JSON that comes from outside, as json_parser_load_from_data() does, but refuses a
 * document that nests arrays and objects deeper than @max_depth before json-glib reads it:
 * json-glib parses by recursion, and without a limit of its own up to version 1.8.
 *
 * Errors are meant to follow "... is not valid JSON: ": #JSON_PARSER_ERROR for malformed
 * JSON as json-glib reports it; %TENDER_ERROR_INVALID_ARGUMENT for a document that nests too
 * deep, with a message that names the limit, or that is empty.
 *
 * Returns: (transfer full): the root of the document, or %NULL
 *
 * Since: 0.1
 */
JsonNode *
tender_json_parse(const gchar *data, gssize length, guint max_depth, GError **error)
{
	g_autoptr(JsonParser) parser = NULL;
	JsonNode *root;
	gsize len;

	g_return_val_if_fail(data != NULL, NULL);
	len = length < 0 ? strlen(data) : (gsize)length;
	if (!tender_json_check_depth(data, len, max_depth, error))
		return NULL;
	parser = json_parser_new();
	if (!json_parser_load_from_data(parser, data, (gssize)len, error))
		return NULL;
	root = json_parser_steal_root(parser);
	if (root == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "it is empty");
		return NULL;
	}
	return root;
}

static gboolean
tender_json_node_is_within(JsonNode *node, guint levels)
{
	if (JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObjectIter iter;
		JsonNode *member;

		if (levels == 0)
			return FALSE;
		json_object_iter_init(&iter, json_node_get_object(node));
		while (json_object_iter_next(&iter, NULL, &member)) {
			if (!tender_json_node_is_within(member, levels - 1))
				return FALSE;
		}
	} else if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);

		if (levels == 0)
			return FALSE;
		for (guint i = 0; i < json_array_get_length(array); i++) {
			if (!tender_json_node_is_within(json_array_get_element(array, i),
							levels - 1))
				return FALSE;
		}
	}
	return TRUE;
}

/**
 * tender_json_node_check_depth:
 * @node: a JSON tree, e.g. one built from a #GVariant with json_gvariant_serialize()
 * @max_depth: how deep arrays and objects may nest, usually %TENDER_JSON_DEPTH_MAX
 * @error: (nullable): a #GError
 *
 * Checks that a tree built otherwise than by tender_json_parse() would pass it once written
 * out, e.g. before it is saved to a file that is read back.  It looks no deeper than
 * @max_depth.
 *
 * Returns: %TRUE if arrays and objects in @node nest at most @max_depth levels deep; else
 *   %FALSE with %TENDER_ERROR_INVALID_ARGUMENT, as tender_json_parse() reports it
 *
 * Since: 0.1
 */
gboolean
tender_json_node_check_depth(JsonNode *node, guint max_depth, GError **error)
{
	g_return_val_if_fail(node != NULL, FALSE);
	if (!tender_json_node_is_within(node, max_depth)) {
		tender_json_set_depth_error(error, max_depth);
		return FALSE;
	}
	return TRUE;
}

/* --- JSON and a{sv} --- */

/**
 * tender_json_node_to_variant:
 * @node: a JSON value
 *
 * Maps JSON to D-Bus as plugins answer both ways: objects are a{sv}, arrays av, numbers x or
 * d, strings s, booleans b; JSON's null has no GVariant, so it is an absent member (or an
 * absent element of an array).
 *
 * Returns: (transfer floating) (nullable): @node as a GVariant, %NULL for null
 *
 * Since: 0.4
 */
GVariant *
tender_json_node_to_variant(JsonNode *node)
{
	GVariantBuilder builder;
	JsonArray *array;

	g_return_val_if_fail(node != NULL, NULL);
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		return tender_json_object_to_vardict(json_node_get_object(node));
	case JSON_NODE_ARRAY:
		array = json_node_get_array(node);
		g_variant_builder_init(&builder, G_VARIANT_TYPE("av"));
		for (guint i = 0; i < json_array_get_length(array); i++) {
			GVariant *value =
			    tender_json_node_to_variant(json_array_get_element(array, i));
			if (value != NULL)
				g_variant_builder_add(&builder, "v", value);
		}
		return g_variant_builder_end(&builder);
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
 * tender_json_object_to_vardict:
 * @obj: a JSON object
 *
 * Returns: (transfer floating): @obj as an a{sv} (tender_json_node_to_variant()'s mapping),
 *   without its null members
 *
 * Since: 0.4
 */
GVariant *
tender_json_object_to_vardict(JsonObject *obj)
{
	GVariantBuilder builder;
	JsonObjectIter iter;
	const gchar *name;
	JsonNode *member;

	g_return_val_if_fail(obj != NULL, NULL);
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &name, &member)) {
		GVariant *value = tender_json_node_to_variant(member);
		if (value != NULL)
			g_variant_builder_add(&builder, "{sv}", name, value);
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_json_object_new_from_vardict:
 * @dict: an a{sv}
 *
 * Returns: (transfer full): @dict as a JSON object, as json-glib maps GVariants (integers of
 *   every width are numbers, ay is an array of numbers, a variant is its value)
 *
 * Since: 0.4
 */
JsonObject *
tender_json_object_new_from_vardict(GVariant *dict)
{
	g_autoptr(JsonNode) node = NULL;

	g_return_val_if_fail(dict != NULL, NULL);
	g_return_val_if_fail(g_variant_is_of_type(dict, G_VARIANT_TYPE_VARDICT), NULL);
	node = json_gvariant_serialize(dict);
	return json_object_ref(json_node_get_object(node));
}
