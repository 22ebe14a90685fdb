/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <string.h>

#include <tender-error.h>
#include <tender-json.h>

#include "tender-docker-api.h"

/*
 * What the Docker client needs of the Engine API that is pure: API versions and their
 * negotiation, request paths and their queries, and errors from an answer's status and body
 * (or from a connection that failed).  Unit-tested in tests/unit/test-docker-client.c.
 */

/* how much of a text (not JSON) error answer becomes the message */
#define TENDER_DOCKER_API_MESSAGE_MAX 1024

/**
 * tender_docker_api_version_parse:
 * @text: (nullable): an API version, "1.41"
 * @major: (out): its major number
 * @minor: (out): its minor number
 *
 * Returns: %TRUE if @text is MAJOR.MINOR
 */
gboolean
tender_docker_api_version_parse(const gchar *text, guint *major, guint *minor)
{
	g_auto(GStrv) parts = NULL;
	guint64 a = 0;
	guint64 b = 0;

	if (text == NULL)
		return FALSE;
	parts = g_strsplit(text, ".", 3);
	if (g_strv_length(parts) != 2 ||
	    !g_ascii_string_to_unsigned(parts[0], 10, 0, 999, &a, NULL) ||
	    !g_ascii_string_to_unsigned(parts[1], 10, 0, 999, &b, NULL))
		return FALSE;
	*major = (guint)a;
	*minor = (guint)b;
	return TRUE;
}

/**
 * tender_docker_api_version_compare:
 * @a: an API version
 * @b: another
 *
 * Both must parse (tender_docker_api_version_parse()).
 *
 * Returns: less than, equal to or greater than zero as @a is older than, the same as or newer
 * than @b
 */
gint
tender_docker_api_version_compare(const gchar *a, const gchar *b)
{
	guint a_major = 0;
	guint a_minor = 0;
	guint b_major = 0;
	guint b_minor = 0;

	g_return_val_if_fail(tender_docker_api_version_parse(a, &a_major, &a_minor), 0);
	g_return_val_if_fail(tender_docker_api_version_parse(b, &b_major, &b_minor), 0);
	if (a_major != b_major)
		return a_major < b_major ? -1 : 1;
	if (a_minor != b_minor)
		return a_minor < b_minor ? -1 : 1;
	return 0;
}

/**
 * tender_docker_api_negotiate:
 * @socket_path: dockerd's socket, for messages
 * @server_version: the newest API dockerd speaks (/version's ApiVersion)
 * @server_min_version: (nullable): the oldest (MinAPIVersion)
 * @error: (nullable): return location for a #GError
 *
 * The API version to speak: the older of dockerd's and TENDER_DOCKER_API_MAX.
 *
 * Returns: (transfer full): "MAJOR.MINOR", or %NULL (%TENDER_ERROR_NOT_SUPPORTED) if dockerd
 * speaks no version from TENDER_DOCKER_API_MIN to TENDER_DOCKER_API_MAX
 */
gchar *
tender_docker_api_negotiate(const gchar *socket_path,
			    const gchar *server_version,
			    const gchar *server_min_version,
			    GError **error)
{
	guint major = 0;
	guint minor = 0;

	if (!tender_docker_api_version_parse(server_version, &major, &minor)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "dockerd at %s gives no API version that tender understands (%s)",
			    socket_path,
			    server_version != NULL ? server_version : "none");
		return NULL;
	}
	if (tender_docker_api_version_compare(server_version, TENDER_DOCKER_API_MIN) < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "dockerd at %s speaks API %s, older than " TENDER_DOCKER_API_MIN,
			    socket_path,
			    server_version);
		return NULL;
	}
	if (server_min_version != NULL &&
	    tender_docker_api_version_parse(server_min_version, &major, &minor) &&
	    tender_docker_api_version_compare(server_min_version, TENDER_DOCKER_API_MAX) > 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_SUPPORTED,
			    "dockerd at %s speaks no API older than %s, and tender none newer "
			    "than " TENDER_DOCKER_API_MAX,
			    socket_path,
			    server_min_version);
		return NULL;
	}
	if (tender_docker_api_version_compare(server_version, TENDER_DOCKER_API_MAX) > 0)
		return g_strdup(TENDER_DOCKER_API_MAX);
	return g_strdup(server_version);
}

/**
 * tender_docker_api_escape:
 * @text: a path segment (a container's name or id) or a query's value
 *
 * Returns: (transfer full): @text with every character but the unreserved ones escaped
 */
gchar *
tender_docker_api_escape(const gchar *text)
{
	return g_uri_escape_string(text, NULL, FALSE);
}

/**
 * tender_docker_api_build_path:
 * @path: the path, its segments escaped already ("/containers/ID/logs")
 * @first_key: (nullable): the first query parameter's name, then its value, then more pairs,
 *             ending with %NULL; a pair whose value is %NULL is left out
 *
 * Returns: (transfer full): PATH?KEY=VALUE&..., each value escaped
 */
gchar *
tender_docker_api_build_path(const gchar *path, const gchar *first_key, ...)
{
	GString *out = g_string_new(path);
	const gchar *key = first_key;
	gboolean first = TRUE;
	va_list args;

	va_start(args, first_key);
	while (key != NULL) {
		const gchar *value = va_arg(args, const gchar *);
		if (value != NULL) {
			g_autofree gchar *escaped = tender_docker_api_escape(value);
			g_string_append_printf(out, "%s%s=%s", first ? "?" : "&", key, escaped);
			first = FALSE;
		}
		key = va_arg(args, const gchar *);
	}
	va_end(args);
	return g_string_free(out, FALSE);
}

/**
 * tender_docker_api_build_filters:
 * @first_key: the first filter's name, then its value, then more pairs, ending with %NULL;
 *             values of the same name are listed together
 *
 * Returns: (transfer full): a filters query value, {"NAME":["VALUE",...],...} (not escaped)
 */
gchar *
tender_docker_api_build_filters(const gchar *first_key, ...)
{
	g_autoptr(JsonObject) filters = json_object_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	const gchar *key = first_key;
	va_list args;

	va_start(args, first_key);
	while (key != NULL) {
		const gchar *value = va_arg(args, const gchar *);
		JsonArray *values = json_object_has_member(filters, key)
					? json_object_get_array_member(filters, key)
					: NULL;
		if (values == NULL) {
			values = json_array_new();
			json_object_set_array_member(filters, key, values);
		}
		json_array_add_string_element(values, value);
		key = va_arg(args, const gchar *);
	}
	va_end(args);
	json_node_set_object(root, filters);
	return json_to_string(root, FALSE);
}

static TenderError
tender_docker_api_error_code(guint status)
{
	switch (status) {
	case SOUP_STATUS_BAD_REQUEST:
		return TENDER_ERROR_INVALID_ARGUMENT;
	case SOUP_STATUS_NOT_FOUND:
		return TENDER_ERROR_NOT_FOUND;
	case SOUP_STATUS_CONFLICT:
		return TENDER_ERROR_INVALID_STATE;
	default:
		return TENDER_ERROR_FAILED;
	}
}

/* dockerd's {"message"}, or the text of an answer that is not JSON, or NULL */
static gchar *
tender_docker_api_error_message(const guint8 *body, gsize body_len)
{
	g_autoptr(JsonNode) root = NULL;
	const gchar *end = NULL;
	gsize len;

	if (body == NULL || body_len == 0)
		return NULL;
	root =
	    tender_json_parse((const gchar *)body, (gssize)body_len, TENDER_JSON_DEPTH_MAX, NULL);
	if (root != NULL) {
		JsonObject *obj = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
		const gchar *message =
		    obj != NULL ? json_object_get_string_member_with_default(obj, "message", NULL)
				: NULL;
		return message != NULL && message[0] != '\0' ? g_strdup(message) : NULL;
	}
	/* a text answer: its valid first line, at most TENDER_DOCKER_API_MESSAGE_MAX bytes */
	len = MIN(body_len, TENDER_DOCKER_API_MESSAGE_MAX);
	(void)g_utf8_validate((const gchar *)body, (gssize)len, &end);
	len = (gsize)(end - (const gchar *)body);
	for (gsize i = 0; i < len; i++) {
		if (body[i] == '\n' || body[i] == '\r') {
			len = i;
			break;
		}
	}
	return len > 0 ? g_strndup((const gchar *)body, len) : NULL;
}

/**
 * tender_docker_api_check_status:
 * @status: an answer's HTTP status
 * @reason: (nullable): its reason phrase
 * @body: (array length=body_len) (nullable): its body, or the first bytes of it
 * @body_len: how many
 * @error: (nullable): return location for a #GError
 *
 * Maps an answer of dockerd to an error: 400 is %TENDER_ERROR_INVALID_ARGUMENT, 404
 * %TENDER_ERROR_NOT_FOUND, 409 %TENDER_ERROR_INVALID_STATE, every other status but a 2xx
 * and 304 (not modified: a container started or stopped already) %TENDER_ERROR_FAILED.  The
 * message is dockerd's own, {"message": ...}, or the status if it gave none.
 *
 * Returns: %TRUE for a 2xx or 304 answer
 */
gboolean
tender_docker_api_check_status(guint status,
			       const gchar *reason,
			       const guint8 *body,
			       gsize body_len,
			       GError **error)
{
	g_autofree gchar *message = NULL;

	if (SOUP_STATUS_IS_SUCCESSFUL(status) || status == SOUP_STATUS_NOT_MODIFIED)
		return TRUE;
	message = tender_docker_api_error_message(body, body_len);
	if (message == NULL) {
		if (reason == NULL || reason[0] == '\0')
			reason = soup_status_get_phrase(status);
		message = g_strdup_printf("dockerd answered %u %s", status, reason);
	}
	g_set_error_literal(error, TENDER_ERROR, tender_docker_api_error_code(status), message);
	return FALSE;
}

/**
 * tender_docker_api_not_answering:
 * @error: (nullable): a connection's error, or %NULL
 * @socket_path: dockerd's socket
 *
 * Makes *@error %TENDER_ERROR_NOT_SUPPORTED "dockerd is not answering at SOCKET: ...",
 * unless it is %G_IO_ERROR_CANCELLED or of the %TENDER_ERROR domain already.
 */
void
tender_docker_api_not_answering(GError **error, const gchar *socket_path)
{
	GError *old;

	if (error == NULL || *error == NULL)
		return;
	old = *error;
	if (old->domain == TENDER_ERROR || g_error_matches(old, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	*error = g_error_new(TENDER_ERROR,
			     TENDER_ERROR_NOT_SUPPORTED,
			     "dockerd is not answering at %s: %s",
			     socket_path,
			     old->message);
	g_error_free(old);
}

/**
 * tender_docker_api_find_head_end:
 * @data: (array length=len): the first bytes of an answer
 * @len: how many
 *
 * Returns: the length of the answer's status line and headers with the blank line after
 * them, or -1 if they do not end in @data
 */
gssize
tender_docker_api_find_head_end(const guint8 *data, gsize len)
{
	for (gsize i = 0; i + 3 < len; i++) {
		if (memcmp(data + i, "\r\n\r\n", 4) == 0)
			return (gssize)(i + 4);
	}
	return -1;
}

/**
 * tender_docker_api_parse_head:
 * @head: (array length=len): an answer's status line and headers, with the blank line
 * @len: how many bytes
 * @status: (out): its status
 * @reason: (out) (transfer full) (optional): its reason phrase
 * @headers: (out) (transfer full) (optional): its headers
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE (%TENDER_ERROR_FAILED) if it is not an HTTP/1.x answer
 */
gboolean
tender_docker_api_parse_head(const gchar *head,
			     gsize len,
			     guint *status,
			     gchar **reason,
			     SoupMessageHeaders **headers,
			     GError **error)
{
	g_autoptr(SoupMessageHeaders) parsed =
	    soup_message_headers_new(SOUP_MESSAGE_HEADERS_RESPONSE);
	g_autofree gchar *phrase = NULL;

	if (!soup_headers_parse_response(head, (int)len, parsed, NULL, status, &phrase)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_FAILED,
				    "dockerd's answer is not HTTP");
		return FALSE;
	}
	if (reason != NULL)
		*reason = g_steal_pointer(&phrase);
	if (headers != NULL)
		*headers = g_steal_pointer(&parsed);
	return TRUE;
}

/**
 * tender_docker_api_check_name:
 * @text: (nullable): a name the plugin takes: a tool's, a relic's, a session's, a network's
 * @max: how long it may be
 *
 * Returns: whether it is 1 to @max letters, digits, '_', '.' or '-', beginning with a letter
 *   or digit
 */
gboolean
tender_docker_api_check_name(const gchar *text, gsize max)
{
	gsize len = text != NULL ? strlen(text) : 0;

	if (len == 0 || len > max || !g_ascii_isalnum(text[0]))
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(text[i]) && strchr("_.-", text[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

/**
 * tender_docker_api_get_array:
 * @answer: (nullable): an answer of dockerd that is a list, e.g. GET /containers/json
 * @what: what it lists, for the message
 * @error: (nullable): a #GError
 *
 * Returns: (transfer none) (nullable): the list, or %NULL with Failed if it is not one
 */
JsonArray *
tender_docker_api_get_array(JsonNode *answer, const gchar *what, GError **error)
{
	if (answer != NULL && JSON_NODE_HOLDS_ARRAY(answer))
		return json_node_get_array(answer);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_FAILED,
		    "dockerd's list of %s is not an array",
		    what);
	return NULL;
}
