/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-http-fastapi.h"
#include "tender-http-message.h"
#include "tender-json.h"

/*
 * Seed 000's core is a FastAPI application (on pydantic 1): the bodies of its routes are
 * validated before its code runs, and a body that does not validate is a 422 with
 * pydantic's list of errors, {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}.
 * The root_api routes answer the same, so that its clients see what they know.
 */

/* {"detail": [{"loc": ["body", @field], "msg": @message, "type": @type, "ctx": @ctx}]} */
static void
tender_http_fastapi_reply_invalid(SoupServerMessage *msg,
				  const gchar *field,
				  gint64 pos,
				  const gchar *message,
				  const gchar *type,
				  JsonNode *ctx)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "detail");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "loc");
	json_builder_begin_array(b);
	json_builder_add_string_value(b, "body");
	if (field != NULL)
		json_builder_add_string_value(b, field);
	if (pos >= 0)
		json_builder_add_int_value(b, pos);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "msg");
	json_builder_add_string_value(b, message);
	json_builder_set_member_name(b, "type");
	json_builder_add_string_value(b, type);
	if (ctx != NULL) {
		json_builder_set_member_name(b, "ctx");
		json_builder_add_value(b, json_node_copy(ctx));
	}
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_end_object(b);
	root = json_builder_get_root(b);
	tender_http_message_reply_json(msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, root);
}

/* the byte offset of 1-based @line and @column in @data */
static gint64
tender_http_fastapi_offset(const gchar *data, gsize len, guint64 line, guint64 column)
{
	gsize pos = 0;

	for (guint64 l = 1; l < line && pos < len; pos++) {
		if (data[pos] == '\n')
			l++;
	}
	pos += column > 0 ? column - 1 : 0;
	return (gint64)MIN(pos, len);
}

/*
 * A body that is not JSON: json.JSONDecodeError's shape, with tender's parser's message
 * ("<data>:LINE:COLUMN: Parse error: WHAT") as Python's would be, "WHAT: line L column C
 * (char P)", and its parts in ctx.
 */
static void
tender_http_fastapi_reply_decode(SoupServerMessage *msg,
				 const gchar *data,
				 gsize len,
				 const GError *error)
{
	g_autoptr(JsonBuilder) ctx = json_builder_new();
	g_autoptr(JsonNode) ctx_node = NULL;
	g_autofree gchar *message = NULL;
	g_autofree gchar *doc = g_utf8_make_valid(data, (gssize)len);
	const gchar *what = error->message;
	guint64 line = 1;
	guint64 column = 1;
	gint64 pos;

	if (g_str_has_prefix(what, "<data>:")) {
		gchar *end = NULL;
		line = g_ascii_strtoull(what + strlen("<data>:"), &end, 10);
		if (end != NULL && *end == ':')
			column = g_ascii_strtoull(end + 1, &end, 10);
		what = strstr(what, "Parse error: ") != NULL
			   ? strstr(what, "Parse error: ") + strlen("Parse error: ")
			   : what;
	}
	pos = tender_http_fastapi_offset(data, len, line, column);
	message = g_strdup_printf("%s: line %" G_GUINT64_FORMAT " column %" G_GUINT64_FORMAT
				  " (char %" G_GINT64_FORMAT ")",
				  what,
				  line,
				  column,
				  pos);
	json_builder_begin_object(ctx);
	json_builder_set_member_name(ctx, "msg");
	json_builder_add_string_value(ctx, what);
	json_builder_set_member_name(ctx, "doc");
	json_builder_add_string_value(ctx, doc);
	json_builder_set_member_name(ctx, "pos");
	json_builder_add_int_value(ctx, pos);
	json_builder_set_member_name(ctx, "lineno");
	json_builder_add_int_value(ctx, (gint64)line);
	json_builder_set_member_name(ctx, "colno");
	json_builder_add_int_value(ctx, (gint64)column);
	json_builder_end_object(ctx);
	ctx_node = json_builder_get_root(ctx);
	tender_http_fastapi_reply_invalid(msg,
					  NULL,
					  pos,
					  message,
					  "value_error.jsondecode",
					  ctx_node);
}

/* FastAPI reads a body as JSON without a Content-Type, or with application/json or
 * application/...+json; any other body goes on as bytes */
static gboolean
tender_http_fastapi_is_json(SoupServerMessage *msg)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *type = soup_message_headers_get_content_type(headers, NULL);

	return type == NULL || g_ascii_strcasecmp(type, "application/json") == 0 ||
	       (g_str_has_prefix(type, "application/") && g_str_has_suffix(type, "+json"));
}

/*
 * pydantic 1 validates a dict with dict(v): a JSON array of pairs ([key, value] or a string
 * of two characters) is a dict too, [] the empty one.  Returns %NULL for anything else.
 * (Keys that are not strings, which Python would take, are not: a JSON object has none.)
 */
static JsonObject *
tender_http_fastapi_dict_from_pairs(JsonArray *array)
{
	g_autoptr(JsonObject) obj = json_object_new();

	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *el = json_array_get_element(array, i);
		if (JSON_NODE_HOLDS_ARRAY(el) &&
		    json_array_get_length(json_node_get_array(el)) == 2) {
			JsonArray *pair = json_node_get_array(el);
			JsonNode *key = json_array_get_element(pair, 0);
			if (!JSON_NODE_HOLDS_VALUE(key) ||
			    json_node_get_value_type(key) != G_TYPE_STRING)
				return NULL;
			json_object_set_member(obj,
					       json_node_get_string(key),
					       json_node_copy(json_array_get_element(pair, 1)));
		} else if (JSON_NODE_HOLDS_VALUE(el) &&
			   json_node_get_value_type(el) == G_TYPE_STRING &&
			   g_utf8_strlen(json_node_get_string(el), -1) == 2) {
			const gchar *text = json_node_get_string(el);
			const gchar *second = g_utf8_next_char(text);
			g_autofree gchar *key = g_strndup(text, (gsize)(second - text));
			json_object_set_string_member(obj, key, second);
		} else {
			return NULL;
		}
	}
	return g_steal_pointer(&obj);
}

/**
 * tender_http_fastapi_read_object:
 * @msg: a message whose body was read
 * @body: (out) (transfer full): the body
 *
 * Reads the body of a route whose one parameter is a dict or a pydantic model, as FastAPI
 * does: no body (or null) is a missing field, a body that is not JSON a decode error, and
 * anything but a JSON object (or an array of pairs, as Python's dict() takes) not a valid
 * dict; each answered with its 422.
 *
 * Returns: %FALSE if @msg was answered
 */
gboolean
tender_http_fastapi_read_object(SoupServerMessage *msg, JsonObject **body)
{
	SoupMessageBody *request = soup_server_message_get_request_body(msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten(request);
	g_autoptr(JsonNode) node = NULL;
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);

	if (len > 0 && !tender_http_fastapi_is_json(msg)) {
		tender_http_fastapi_reply_invalid(msg,
						  NULL,
						  -1,
						  "value is not a valid dict",
						  "type_error.dict",
						  NULL);
		return FALSE;
	}
	if (len > 0) {
		node = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, &error);
		if (node == NULL) {
			tender_http_fastapi_reply_decode(msg, data, len, error);
			return FALSE;
		}
	}
	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		tender_http_fastapi_reply_invalid(msg,
						  NULL,
						  -1,
						  "field required",
						  "value_error.missing",
						  NULL);
		return FALSE;
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		*body = tender_http_fastapi_dict_from_pairs(json_node_get_array(node));
		if (*body != NULL)
			return TRUE;
	}
	if (!JSON_NODE_HOLDS_OBJECT(node)) {
		tender_http_fastapi_reply_invalid(msg,
						  NULL,
						  -1,
						  "value is not a valid dict",
						  "type_error.dict",
						  NULL);
		return FALSE;
	}
	*body = json_object_ref(json_node_get_object(node));
	return TRUE;
}

/* pydantic 1's bool: true, false, 0, 1 and the words it knows */
static gboolean
tender_http_fastapi_is_bool(JsonNode *node)
{
	const gchar *words[] =
	    {"0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes", NULL};
	GType type;

	if (JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (!JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	type = json_node_get_value_type(node);
	if (type == G_TYPE_BOOLEAN)
		return TRUE;
	if (type == G_TYPE_INT64)
		return json_node_get_int(node) == 0 || json_node_get_int(node) == 1;
	if (type == G_TYPE_DOUBLE)
		return json_node_get_double(node) == 0.0 || json_node_get_double(node) == 1.0;
	if (type == G_TYPE_STRING) {
		g_autofree gchar *lower = g_ascii_strdown(json_node_get_string(node), -1);
		return g_strv_contains(words, lower);
	}
	return FALSE;
}

/**
 * tender_http_fastapi_check_bool:
 * @msg: a message
 * @body: its body
 * @field: a field of type Optional[bool]
 *
 * Returns: %FALSE if @field is there and is no bool pydantic knows; @msg was answered
 */
gboolean
tender_http_fastapi_check_bool(SoupServerMessage *msg, JsonObject *body, const gchar *field)
{
	JsonNode *node = json_object_get_member(body, field);

	if (node == NULL || tender_http_fastapi_is_bool(node))
		return TRUE;
	tender_http_fastapi_reply_invalid(msg,
					  field,
					  -1,
					  "value could not be parsed to a boolean",
					  "type_error.bool",
					  NULL);
	return FALSE;
}

/**
 * tender_http_fastapi_reply_detail:
 * @msg: a message
 * @status: the HTTP status
 * @detail: the text
 *
 * Answers as FastAPI's HTTPException(@status, @detail): {"detail": @detail}.
 */
void
tender_http_fastapi_reply_detail(SoupServerMessage *msg, guint status, const gchar *detail)
{
	tender_http_message_reply_member(msg, status, "detail", detail);
}

/**
 * tender_http_fastapi_reply_message:
 * @msg: a message
 * @message: the text
 *
 * Answers 200 with {"message": @message}, the core's answer to its POST routes.
 */
void
tender_http_fastapi_reply_message(SoupServerMessage *msg, const gchar *message)
{
	tender_http_message_reply_member(msg, SOUP_STATUS_OK, "message", message);
}
