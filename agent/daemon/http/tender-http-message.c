/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-error-private.h"
#include "tender-http-message.h"
#include "tender-json-object.h"
#include "tender-json.h"

/*
 * The answers of the HTTP mirror, for the core's routes and the plugins' alike: JSON bodies,
 * errors as {"error": {"name", "message"}} with the status of their code
 * (tender_error_to_http_status), and the request body as a JSON object.  The routes of seed
 * 000's core (a root_api adapter instance's) answer errors in its FastAPI form instead,
 * {"detail": "message"}: tender_http_message_set_detail_errors().
 */

#define TENDER_HTTP_MESSAGE_DETAIL_KEY "tender-http-detail-errors"

/**
 * tender_http_message_set_detail_errors:
 * @msg: a message
 *
 * Makes every error answer of @msg, whoever gives it, {"detail": "message"}, as FastAPI's
 * HTTPException is: the form seed 000's clients read.
 */
void
tender_http_message_set_detail_errors(SoupServerMessage *msg)
{
	g_object_set_data(G_OBJECT(msg), TENDER_HTTP_MESSAGE_DETAIL_KEY, GINT_TO_POINTER(TRUE));
}

/**
 * tender_http_message_reply_json:
 * @msg: a message
 * @status: an HTTP status
 * @node: the body
 *
 * Answers @msg with a JSON body.
 */
void
tender_http_message_reply_json(SoupServerMessage *msg, guint status, JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	gchar *text;

	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	tender_http_message_reply_text(msg, status, "application/json", text);
}

/**
 * tender_http_message_reply_text:
 * @msg: a message
 * @status: an HTTP status
 * @content_type: the body's type
 * @text: (transfer full): the body
 *
 * Answers @msg with @text.
 */
void
tender_http_message_reply_text(SoupServerMessage *msg,
			       guint status,
			       const gchar *content_type,
			       gchar *text)
{
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, content_type, SOUP_MEMORY_TAKE, text, strlen(text));
}

/**
 * tender_http_message_reply_bytes:
 * @msg: a message
 * @status: an HTTP status
 * @content_type: the body's type
 * @bytes: the body, which @msg holds a reference to
 *
 * Answers @msg with @bytes, without a copy: several answers may share one body.
 */
void
tender_http_message_reply_bytes(SoupServerMessage *msg,
				guint status,
				const gchar *content_type,
				GBytes *bytes)
{
	soup_server_message_set_status(msg, status, NULL);
	soup_message_headers_replace(soup_server_message_get_response_headers(msg),
				     "Content-Type",
				     content_type);
	soup_message_body_append_bytes(soup_server_message_get_response_body(msg), bytes);
}

/**
 * tender_http_message_reply_member:
 * @msg: a message
 * @status: an HTTP status
 * @member: the one member's name
 * @text: its value
 *
 * Answers @msg with a JSON object of one string member, {@member: @text}: FastAPI's
 * {"detail": ...} and {"message": ...}.
 */
void
tender_http_message_reply_member(SoupServerMessage *msg,
				 guint status,
				 const gchar *member,
				 const gchar *text)
{
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(JsonNode) node = NULL;

	json_object_set_string_member(obj, member, text);
	node = json_node_init_object(json_node_alloc(), obj);
	tender_http_message_reply_json(msg, status, node);
}

/**
 * tender_http_message_reply_error:
 * @msg: a message
 * @status: an HTTP status, 4xx or 5xx
 * @code: the error's code, whose D-Bus name the body carries
 * @message: what went wrong
 *
 * Answers @msg with {"error": {"name", "message"}} (or {"detail": "message"}, see
 * tender_http_message_set_detail_errors()); a 401 also says that a bearer token is wanted.
 */
/* {"error": {"name", "message"}} */
static JsonNode *
tender_http_message_error_node(TenderError code, const gchar *message)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "error");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, tender_error_to_dbus_name(code));
	json_builder_set_member_name(builder, "message");
	json_builder_add_string_value(builder, message);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

void
tender_http_message_reply_error(SoupServerMessage *msg,
				guint status,
				TenderError code,
				const gchar *message)
{
	g_autoptr(JsonNode) root = NULL;

	if (g_object_get_data(G_OBJECT(msg), TENDER_HTTP_MESSAGE_DETAIL_KEY) != NULL) {
		tender_http_message_reply_member(msg, status, "detail", message);
	} else {
		root = tender_http_message_error_node(code, message);
		tender_http_message_reply_json(msg, status, root);
	}
	if (status == SOUP_STATUS_UNAUTHORIZED)
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "WWW-Authenticate",
					     "Bearer realm=\"tender\"");
}

/**
 * tender_http_message_reply_gerror:
 * @msg: a message
 * @error: any error; a copy is converted to %TENDER_ERROR (tender_error_convert())
 *
 * Answers @msg with {"error": {"name", "message"}} and the status of the error's code.
 */
void
tender_http_message_reply_gerror(SoupServerMessage *msg, const GError *error)
{
	g_autoptr(GError) converted = g_error_copy(error);

	tender_error_convert(&converted);
	tender_http_message_reply_error(msg,
					tender_error_to_http_status(converted),
					(TenderError)converted->code,
					converted->message);
}

/**
 * tender_http_message_render_gerror:
 * @error: any error; a copy is converted to %TENDER_ERROR (tender_error_convert())
 *
 * Returns: (transfer full): {"error": {"name", "message"}} as one line of JSON, without its
 *   newline: the last line of a stream that ends with an error
 */
gchar *
tender_http_message_render_gerror(const GError *error)
{
	g_autoptr(GError) converted = g_error_copy(error);
	g_autoptr(JsonNode) root = NULL;

	tender_error_convert(&converted);
	root = tender_http_message_error_node((TenderError)converted->code, converted->message);
	return json_to_string(root, FALSE);
}

/**
 * tender_http_message_get_body:
 * @msg: a message whose body was read
 * @error: (nullable): a #GError, %TENDER_ERROR_INVALID_ARGUMENT when the body is not a JSON
 *   object
 *
 * Returns: (transfer full) (nullable): the body, a JSON object, or %NULL without error when
 *   there is none
 */
JsonNode *
tender_http_message_get_body(SoupServerMessage *msg, GError **error)
{
	SoupMessageBody *body = soup_server_message_get_request_body(msg);
	g_autoptr(GBytes) bytes = soup_message_body_flatten(body);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(bytes, &len);

	if (len == 0)
		return NULL;
	return tender_json_object_parse(data, (gssize)len, "The request body", error);
}
