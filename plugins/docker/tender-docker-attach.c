/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gio/gunixsocketaddress.h>
#include <string.h>

#include <tender-error.h>

#include "tender-docker-api.h"
#include "tender-docker-attach.h"

/*
 * Writing a container's stdin: POST /containers/ID/attach?stream=1&stdin=1 on a connection
 * of its own, which dockerd hijacks ("Upgrade: tcp", answered "101 UPGRADED") to copy
 * whatever comes next into the container's stdin.  libsoup cannot hand over a connection, so
 * this speaks the HTTP/1.1 of the request itself over a GSocketConnection: the request, the
 * answer's head, then the data, then a half-close (shutdown of the writing side), which
 * closes the stdin of a StdinOnce container.  Everything is asynchronous; the answer's head
 * is read to at most TENDER_DOCKER_ATTACH_HEAD_MAX bytes, an error answer's body to
 * TENDER_DOCKER_ERROR_BODY_MAX.
 *
 * Before the container runs, dockerd takes the data only as far as the socket's buffers go
 * (some 200 KiB): it hands it to the container as the container reads.
 *
 * The same exchange, with a JSON body, hijacks POST /exec/ID/start: tender_docker_attach_hijack()
 * hands over the connection once dockerd has answered its head, with what came after the
 * head, for the caller to read the exec's stream from and write its stdin to.
 */

#define TENDER_DOCKER_ATTACH_READ_SIZE 4096

typedef struct {
	gchar *socket_path;
	gchar *path;
	GBytes *data;	/* for stdin; NULL when hijacking */
	JsonNode *body; /* the request's, or NULL */
	gchar *request; /* the request's line and headers, and its body */
	GSocketConnection *connection;
	GByteArray *answer; /* what has been read of the answer */
	gsize head_len;	    /* the length of the answer's head, once it is known */
	guint status;
	gchar *reason;
	gsize body_len; /* of an error answer: Content-Length, capped */
} TenderDockerAttach;

static void
tender_docker_attach_free(TenderDockerAttach *attach)
{
	g_free(attach->socket_path);
	g_free(attach->path);
	g_free(attach->request);
	g_clear_pointer(&attach->data, g_bytes_unref);
	g_clear_pointer(&attach->body, json_node_unref);
	g_clear_object(&attach->connection);
	g_byte_array_unref(attach->answer);
	g_free(attach->reason);
	g_free(attach);
}

/* an error of the connection itself */
static void
tender_docker_attach_return_io_error(GTask *task, GError *error)
{
	TenderDockerAttach *attach = g_task_get_task_data(task);

	tender_docker_api_not_answering(&error, attach->socket_path);
	g_task_return_error(task, error);
}

static void
tender_docker_attach_read_answer(GTask *task);

static void
tender_docker_attach_shut(GTask *task)
{
	TenderDockerAttach *attach = g_task_get_task_data(task);
	GError *error = NULL;

	/* the end of the data: dockerd closes a StdinOnce container's stdin */
	if (!g_socket_shutdown(g_socket_connection_get_socket(attach->connection),
			       FALSE,
			       TRUE,
			       &error)) {
		tender_docker_attach_return_io_error(task, error);
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
tender_docker_attach_data_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		tender_docker_attach_return_io_error(task, error);
		return;
	}
	tender_docker_attach_shut(task);
}

/* the answer is all there (its head, and the body of an error) */
static void
tender_docker_attach_answered(GTask *task)
{
	TenderDockerAttach *attach = g_task_get_task_data(task);
	GOutputStream *output = g_io_stream_get_output_stream(G_IO_STREAM(attach->connection));
	GError *error = NULL;

	if (attach->status != SOUP_STATUS_SWITCHING_PROTOCOLS && attach->status != SOUP_STATUS_OK) {
		gsize have = attach->answer->len - attach->head_len;
		if (!tender_docker_api_check_status(attach->status,
						    attach->reason,
						    attach->answer->data + attach->head_len,
						    MIN(have, attach->body_len),
						    &error)) {
			g_task_return_error(task, error);
			return;
		}
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_FAILED,
					"dockerd at %s did not attach: %u %s",
					attach->socket_path,
					attach->status,
					attach->reason);
		return;
	}
	if (attach->data == NULL) {
		/* a hijack: the connection is the caller's */
		g_task_return_pointer(task, g_object_ref(attach->connection), g_object_unref);
		return;
	}
	if (g_bytes_get_size(attach->data) == 0) {
		tender_docker_attach_shut(task);
		return;
	}
	g_output_stream_write_all_async(output,
					g_bytes_get_data(attach->data, NULL),
					g_bytes_get_size(attach->data),
					G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task),
					tender_docker_attach_data_written_cb,
					g_object_ref(task));
}

/* looks at what has been read: TRUE if the answer is complete */
static gboolean
tender_docker_attach_parse(GTask *task, GError **error)
{
	TenderDockerAttach *attach = g_task_get_task_data(task);
	g_autoptr(SoupMessageHeaders) headers = NULL;
	gssize end;
	goffset length;

	if (attach->head_len == 0) {
		end = tender_docker_api_find_head_end(attach->answer->data, attach->answer->len);
		if (end < 0) {
			if (attach->answer->len >= TENDER_DOCKER_ATTACH_HEAD_MAX) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_FAILED,
					    "dockerd at %s answered the attach with more than %u "
					    "bytes of headers",
					    attach->socket_path,
					    (guint)TENDER_DOCKER_ATTACH_HEAD_MAX);
			}
			return FALSE;
		}
		if (!tender_docker_api_parse_head((const gchar *)attach->answer->data,
						  (gsize)end,
						  &attach->status,
						  &attach->reason,
						  &headers,
						  error))
			return FALSE;
		attach->head_len = (gsize)end;
		/* an error answer: its body, as far as Content-Length says (or what came with the
		 * head, if it does not say) */
		length = soup_message_headers_get_content_length(headers);
		attach->body_len = attach->answer->len - attach->head_len;
		if (length > 0)
			attach->body_len = (gsize)MIN(length, TENDER_DOCKER_ERROR_BODY_MAX);
		if (attach->status == SOUP_STATUS_SWITCHING_PROTOCOLS ||
		    attach->status == SOUP_STATUS_OK)
			return TRUE;
	}
	return attach->answer->len - attach->head_len >= attach->body_len;
}

static void
tender_docker_attach_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerAttach *attach = g_task_get_task_data(task);
	g_autoptr(GBytes) bytes = NULL;
	GError *error = NULL;

	bytes = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), res, &error);
	if (bytes == NULL) {
		tender_docker_attach_return_io_error(task, error);
		return;
	}
	if (g_bytes_get_size(bytes) == 0) {
		if (attach->head_len > 0) {
			/* an error answer shorter than it said */
			attach->body_len = attach->answer->len - attach->head_len;
			tender_docker_attach_answered(task);
			return;
		}
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_NOT_SUPPORTED,
					"dockerd is not answering at %s: it closed the attach "
					"connection",
					attach->socket_path);
		return;
	}
	g_byte_array_append(attach->answer,
			    g_bytes_get_data(bytes, NULL),
			    (guint)g_bytes_get_size(bytes));
	if (tender_docker_attach_parse(task, &error)) {
		tender_docker_attach_answered(task);
		return;
	}
	if (error != NULL) {
		g_task_return_error(task, error);
		return;
	}
	tender_docker_attach_read_answer(task);
}

static void
tender_docker_attach_read_answer(GTask *task)
{
	TenderDockerAttach *attach = g_task_get_task_data(task);
	GInputStream *input = g_io_stream_get_input_stream(G_IO_STREAM(attach->connection));

	g_input_stream_read_bytes_async(input,
					TENDER_DOCKER_ATTACH_READ_SIZE,
					G_PRIORITY_DEFAULT,
					g_task_get_cancellable(task),
					tender_docker_attach_read_cb,
					g_object_ref(task));
}

static void
tender_docker_attach_request_written_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	GError *error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		tender_docker_attach_return_io_error(task, error);
		return;
	}
	tender_docker_attach_read_answer(task);
}

static void
tender_docker_attach_connected_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = user_data;
	TenderDockerAttach *attach = g_task_get_task_data(task);
	GError *error = NULL;
	GOutputStream *output;
	GCancellable *cancellable;

	attach->connection = g_socket_client_connect_finish(G_SOCKET_CLIENT(source), res, &error);
	if (attach->connection == NULL) {
		tender_docker_attach_return_io_error(task, error);
		return;
	}
	if (attach->body != NULL) {
		g_autofree gchar *json = json_to_string(attach->body, FALSE);
		attach->request = g_strdup_printf("POST %s HTTP/1.1\r\n"
						  "Host: docker\r\n"
						  "User-Agent: tender\r\n"
						  "Content-Type: application/json\r\n"
						  "Content-Length: %" G_GSIZE_FORMAT "\r\n"
						  "Connection: Upgrade\r\n"
						  "Upgrade: tcp\r\n"
						  "\r\n%s",
						  attach->path,
						  strlen(json),
						  json);
	} else {
		attach->request = g_strdup_printf("POST %s HTTP/1.1\r\n"
						  "Host: docker\r\n"
						  "User-Agent: tender\r\n"
						  "Content-Type: text/plain\r\n"
						  "Connection: Upgrade\r\n"
						  "Upgrade: tcp\r\n"
						  "\r\n",
						  attach->path);
	}
	output = g_io_stream_get_output_stream(G_IO_STREAM(attach->connection));
	/* the task is given away in the same call */
	cancellable = g_task_get_cancellable(task);
	g_output_stream_write_all_async(output,
					attach->request,
					strlen(attach->request),
					G_PRIORITY_DEFAULT,
					cancellable,
					tender_docker_attach_request_written_cb,
					g_steal_pointer(&task));
}

/* the request, on a connection of its own */
static void
tender_docker_attach_start(GTask *task,
			   const gchar *socket_path,
			   const gchar *path,
			   GBytes *data,
			   JsonNode *body)
{
	TenderDockerAttach *attach = g_new0(TenderDockerAttach, 1);
	g_autoptr(GSocketClient) client = g_socket_client_new();
	g_autoptr(GSocketAddress) address = g_unix_socket_address_new(socket_path);

	attach->socket_path = g_strdup(socket_path);
	attach->path = g_strdup(path);
	attach->data = data != NULL ? g_bytes_ref(data) : NULL;
	attach->body = body != NULL ? json_node_ref(body) : NULL;
	attach->answer = g_byte_array_new();
	g_task_set_task_data(task, attach, (GDestroyNotify)tender_docker_attach_free);
	g_socket_client_connect_async(client,
				      G_SOCKET_CONNECTABLE(address),
				      g_task_get_cancellable(task),
				      tender_docker_attach_connected_cb,
				      task);
}

/**
 * tender_docker_attach_stdin:
 * @task: (transfer full): the task to return %TRUE on once the data is written and stdin
 *        closed (or an error); its cancellable cancels
 * @socket_path: dockerd's socket
 * @path: the request's path, "/vX.Y/containers/ID/attach?stream=1&stdin=1"
 * @data: what to write to the container's stdin
 *
 * Attaches to a container's stdin, writes @data and closes it.
 */
void
tender_docker_attach_stdin(GTask *task, const gchar *socket_path, const gchar *path, GBytes *data)
{
	tender_docker_attach_start(task, socket_path, path, data, NULL);
}

/**
 * tender_docker_attach_hijack:
 * @task: (transfer full): the task to return the connection on (see
 *        tender_docker_attach_hijack_finish()); its cancellable cancels
 * @socket_path: dockerd's socket
 * @path: the request's path, "/vX.Y/exec/ID/start"
 * @body: (nullable): the request's JSON body
 *
 * POSTs @body to @path on a connection of its own, which dockerd hijacks.
 */
void
tender_docker_attach_hijack(GTask *task,
			    const gchar *socket_path,
			    const gchar *path,
			    JsonNode *body)
{
	tender_docker_attach_start(task, socket_path, path, NULL, body);
}

/**
 * tender_docker_attach_hijack_finish:
 * @res: the task of tender_docker_attach_hijack()
 * @rest: (out) (transfer full): what dockerd sent after its answer's head, the stream's
 *        first bytes
 * @error: (nullable): return location for a #GError
 *
 * Returns: (transfer full): the hijacked connection, or %NULL if dockerd refused (the error
 *	maps from its status) or the connection failed
 */
GSocketConnection *
tender_docker_attach_hijack_finish(GAsyncResult *res, GBytes **rest, GError **error)
{
	TenderDockerAttach *attach = g_task_get_task_data(G_TASK(res));
	GSocketConnection *connection = g_task_propagate_pointer(G_TASK(res), error);

	if (connection == NULL)
		return NULL;
	*rest = g_bytes_new(attach->answer->data + attach->head_len,
			    attach->answer->len - attach->head_len);
	return connection;
}
