/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-json.h"
#include "tender-spec.h"
#include "tender-workload.h"

/* @depth levels of @open around "1" and as many of @close */
static gchar *
nested(guint depth, const gchar *open, const gchar *close)
{
	GString *str = g_string_new(NULL);

	for (guint i = 0; i < depth; i++)
		g_string_append(str, open);
	g_string_append(str, "1");
	for (guint i = 0; i < depth; i++)
		g_string_append(str, close);
	return g_string_free(str, FALSE);
}

static void
assert_too_deep(const gchar *text, guint max_depth)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = tender_json_parse(text, -1, max_depth, &error);
	g_autofree gchar *message =
	    g_strdup_printf("it nests deeper than the limit of %u levels", max_depth);

	g_assert_null(node);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, message);
}

static JsonNode *
assert_parses(const gchar *text, guint max_depth)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = tender_json_parse(text, -1, max_depth, &error);

	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static void
test_json_limit(void)
{
	const gchar *kinds[][2] = {{"[", "]"}, {"{\"a\":", "}"}, {"[{\"a\": ", "}]"}};

	g_assert_cmpuint(TENDER_JSON_DEPTH_MAX, ==, 64);
	for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
		/* [{"a": ...}] has two levels a step */
		guint steps = k == 2 ? TENDER_JSON_DEPTH_MAX / 2 : TENDER_JSON_DEPTH_MAX;
		g_autofree gchar *under = nested(steps - 1, kinds[k][0], kinds[k][1]);
		g_autofree gchar *at = nested(steps, kinds[k][0], kinds[k][1]);
		g_autofree gchar *over = nested(steps + 1, kinds[k][0], kinds[k][1]);
		g_autoptr(JsonNode) node_under = assert_parses(under, TENDER_JSON_DEPTH_MAX);
		g_autoptr(JsonNode) node_at = assert_parses(at, TENDER_JSON_DEPTH_MAX);

		assert_too_deep(over, TENDER_JSON_DEPTH_MAX);
		g_assert_true(tender_json_node_check_depth(node_at, TENDER_JSON_DEPTH_MAX, NULL));
		g_assert_false(
		    tender_json_node_check_depth(node_at, TENDER_JSON_DEPTH_MAX - 1, NULL));
	}

	/* siblings do not add up; closing brackets count */
	{
		g_autoptr(JsonNode) node = assert_parses("[[1], [2], {\"a\": 3}, []]", 2);
		g_assert_true(tender_json_node_check_depth(node, 2, NULL));
	}
	assert_too_deep("[[1], [2], {\"a\": [3]}]", 2);
	assert_too_deep("[[[]]]", 2);
	assert_too_deep("{\"a\": {\"b\": {}}}", 2);
	/* a scalar nests no level at all */
	{
		g_autoptr(JsonNode) node = assert_parses("\"[[[\"", 0);
		g_assert_true(tender_json_node_check_depth(node, 0, NULL));
	}
	assert_too_deep("[]", 0);
}

static void
test_json_strings(void)
{
	g_autofree gchar *brackets = nested(1000, "[{", "}]");
	g_autofree gchar *in_string = g_strdup_printf("[\"%s\", {\"%s\": 1}]", brackets, brackets);
	const gchar *shallow[] = {
	    "[\"\\\"[[[[[\", \"]]]]\\\"{{{{\"]",
	    "[\"\\\\\", \"[[[[\"]",
	    "[\"\\/[[[\\b\\f\\n\\r\\t[[[\"]",
	    "[\"\\u005b\\u005B[[[\", \"\\ud83d\\ude00[[[\"]",
	    "[\"'[[[[\", \"/*[[[[*/\"]",
	    "{\"[[[[\": \"{{{{\", \"]]]]\": \"}}}}\"}",
	    "[\"\xc3\xa4[[[[\"]",
	    /* a byte order mark, which json-glib skips */
	    "\xef\xbb\xbf[\"[[[[\"]",
	    " [ \"[[[[\" , 1.5e3 , -2 , true , false , null ]",
	};

	{
		g_autoptr(JsonNode) node = assert_parses(in_string, 2);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 2);
	}
	for (guint i = 0; i < G_N_ELEMENTS(shallow); i++) {
		g_autoptr(JsonNode) node = assert_parses(shallow[i], 1);
		g_assert_true(JSON_NODE_HOLDS_ARRAY(node) || JSON_NODE_HOLDS_OBJECT(node));
	}
	/* an escaped backslash ends with its string: what follows is structure */
	assert_too_deep("[\"\\\\\", [[1]]]", 2);
	assert_too_deep("[\"a\\\"b\", [[1]]]", 2);
	assert_too_deep("{\"a\": \"\\u005d\", \"b\": [[1]]}", 2);
}

/* texts json-glib 1.6 reads otherwise than RFC 8259 does: the nesting its parser sees hides
 * in what a scanner that knows only double-quoted strings takes for a string */
static void
test_json_not_rfc8259(void)
{
	g_autofree gchar *deep = nested(70, "[", "]");
	/* what goes before and after 70 levels of '[' */
	const gchar *tricks[][2] = {
	    /* a string in single quotes */
	    {"['\"', ", ", '\"']"},
	    /* a comment, from one '/' to the next */
	    {"[/ \" /", "/ \" /]"},
	    /* after a lone surrogate, json-glib 1.6 takes one more character: the quote */
	    {"[\"\\ud800\"\", ", "]"},
	    /* an escape RFC 8259 does not have, and a number glued to a quote */
	    {"[\"\\x\", ", "]"},
	    {"[0x\"\", ", "]"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(tricks); i++) {
		g_autofree gchar *text = g_strconcat(tricks[i][0], deep, tricks[i][1], NULL);

		assert_too_deep(text, TENDER_JSON_DEPTH_MAX);
#if !JSON_CHECK_VERSION(1, 9, 0)
		if (i < 3) {
			/* json-glib itself really nests that deep */
			g_autoptr(JsonParser) parser = json_parser_new();
			g_assert_true(json_parser_load_from_data(parser, text, -1, NULL));
			g_assert_false(tender_json_node_check_depth(json_parser_get_root(parser),
								    TENDER_JSON_DEPTH_MAX,
								    NULL));
		}
#endif
	}
	/* the rest is counted, not followed: within the limit it is json-glib's to judge */
	{
		g_autoptr(JsonNode) node = assert_parses("['[', '{']", 3);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)), ==, 2);
	}
}

static void
test_json_huge(void)
{
	const guint depth = 400000;
	g_autoptr(GString) arrays = g_string_new(NULL);
	g_autoptr(GString) objects = g_string_new(NULL);
	g_autoptr(GString) flat = g_string_new("[");
	g_autoptr(GTimer) timer = NULL;

	for (guint i = 0; i < depth; i++) {
		g_string_append_c(arrays, '[');
		g_string_append(objects, "{\"a\":");
	}
	for (guint i = 0; i < (1 << 20) / 2; i++)
		g_string_append(flat, "1,");
	g_string_append(flat, "1]");

	/* refused at the 65th byte, never given to json-glib */
	timer = g_timer_new();
	assert_too_deep(arrays->str, TENDER_JSON_DEPTH_MAX);
	assert_too_deep(objects->str, TENDER_JSON_DEPTH_MAX);
	/* the same when they come after something json-glib may read otherwise */
	g_string_prepend(arrays, "['', ");
	assert_too_deep(arrays->str, TENDER_JSON_DEPTH_MAX);
	g_assert_cmpfloat(g_timer_elapsed(timer, NULL), <, 1.0);
	/* and a megabyte that nests one level is one pass */
	{
		g_autoptr(JsonNode) node = assert_parses(flat->str, TENDER_JSON_DEPTH_MAX);
		g_assert_cmpuint(json_array_get_length(json_node_get_array(node)),
				 ==,
				 (1 << 20) / 2 + 1);
	}
}

static void
test_json_malformed(void)
{
	const gchar *bad[] = {"{\"name\": ", "[1, 2", "{nope}", "[1]]", "]", "\"open"};
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(JsonNode) none = tender_json_parse(bad[i], -1, 64, &error);
		g_assert_null(none);
		g_assert_nonnull(error);
		g_assert_true(error->domain == JSON_PARSER_ERROR);
		g_clear_error(&error);
	}
	/* nothing at all */
	g_assert_null(tender_json_parse("", -1, 64, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "it is empty");
	g_clear_error(&error);
	g_assert_null(tender_json_parse(" \n", -1, 64, &error));
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	/* a length: the rest is not read */
	node = tender_json_parse("[1][[[[[[[[[[", 3, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpint(json_array_get_int_element(json_node_get_array(node), 0), ==, 1);
}

/* the deepest document tender writes itself: a workload with a health check and hooks */
static void
test_json_tender_documents(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) v =
	    g_variant_parse(NULL,
			    "{'argv': <['sleep', '1']>, 'labels': <{'a': 'b'}>,"
			    " 'health': <{'command': <['true']>, 'interval_sec': <@u 5>}>,"
			    " 'pre_start': <[['mkdir', '-p', '/run/x']]>}",
			    NULL,
			    NULL,
			    NULL);
	TenderSpec *spec = tender_spec_new_from_variant(v, &error);
	g_autoptr(TenderWorkload) w = NULL;
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(JsonNode) parsed = NULL;
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	w = tender_workload_new("deepest", spec);
	node = tender_workload_to_json(w);
	text = json_to_string(node, TRUE);
	parsed = tender_json_parse(text, -1, 4, &error);
	g_assert_no_error(error);
	g_assert_true(json_node_equal(parsed, node));
	g_assert_false(tender_json_node_check_depth(node, 3, NULL));
	assert_too_deep(text, 3);
}

/* JSON and a{sv}, both ways, as plugins answer D-Bus and HTTP alike */
static void
test_json_vardict(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) node = tender_json_parse("{\"s\": \"x\", \"i\": 7, \"d\": 1.5, "
						     "\"b\": true, \"n\": null, "
						     "\"a\": [1, null, \"y\"], \"o\": {\"k\": []}}",
						     -1,
						     TENDER_JSON_DEPTH_MAX,
						     &error);
	g_autoptr(GVariant) dict = NULL;
	g_autoptr(GVariant) in = NULL;
	g_autoptr(JsonObject) obj = NULL;
	g_autoptr(JsonNode) back = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *printed = NULL;

	g_assert_no_error(error);
	dict = g_variant_ref_sink(tender_json_object_to_vardict(json_node_get_object(node)));
	printed = g_variant_print(dict, TRUE);
	/* null is an absent member, or element; numbers are x or d */
	g_assert_cmpstr(printed,
			==,
			"{'s': <'x'>, 'i': <int64 7>, 'd': <1.5>, 'b': <true>, "
			"'a': <[<int64 1>, <'y'>]>, 'o': <{'k': <@av []>}>}");
	g_assert_null(
	    tender_json_node_to_variant(json_object_get_member(json_node_get_object(node), "n")));
	/* and back, as json-glib maps GVariants: integers of every width are numbers */
	in = g_variant_ref_sink(g_variant_new_parsed(
	    "{'u': <uint32 3>, 'y': <@ay [1, 2]>, 'v': <<'z'>>, 'm': <{'q': <false>}>}"));
	obj = tender_json_object_new_from_vardict(in);
	back = json_node_init_object(json_node_alloc(), obj);
	text = json_to_string(back, FALSE);
	g_assert_cmpstr(text, ==, "{\"u\":3,\"y\":[1,2],\"v\":\"z\",\"m\":{\"q\":false}}");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json/limit", test_json_limit);
	g_test_add_func("/json/vardict", test_json_vardict);
	g_test_add_func("/json/strings", test_json_strings);
	g_test_add_func("/json/not-rfc8259", test_json_not_rfc8259);
	g_test_add_func("/json/huge", test_json_huge);
	g_test_add_func("/json/malformed", test_json_malformed);
	g_test_add_func("/json/tender-documents", test_json_tender_documents);
	return g_test_run();
}
