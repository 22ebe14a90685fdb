/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-http-images.h"
#include "tender-http-message.h"
#include "tender-http-router.h"
#include "tender-http-server-private.h"
#include "tender-options.h"

/*
 * The image store over HTTP: GET /v1/images, GET /v1/images/NAME (the D-Bus properties of
 * the image), DELETE /v1/images/NAME[?force=1], and POST /v1/images?name=NAME[&replace=1]
 * [&devices=1], whose body is the archive.
 *
 * An import's body is not read into memory, nor held to the mirror's body-max: it is
 * authorized once its headers are there (before a byte of the body is read; a client that
 * sent "Expect: 100-continue" gets its refusal without sending the body), then streamed as
 * it comes into a pipe whose other end is the descriptor the store reads, in its thread.  When
 * the pipe is full, libsoup stops reading the body until the store has taken some.  The
 * answer comes once the store is done: 201 and the image, or the error (413 past
 * [images] max-size; a Content-Length above it is refused at once).  A body the store has
 * stopped reading (an error) is read to its end and dropped.  A client that goes away
 * cancels the import, which leaves nothing behind.
 */

#define TENDER_HTTP_IMAGES_UPLOAD_KEY "tender-http-images-upload"
/* what a pipe to the store holds */
#define TENDER_HTTP_IMAGES_PIPE_SIZE (1024 * 1024)

static const gchar *const tender_http_images_properties[] =
    {"Name", "Size", "Digest", "Source", "CreatedAt", "Config"};

/* @image as D-Bus shows it, org.tender.Agent1.Image's properties */
static void
tender_http_images_reply_image(SoupServerMessage *msg, guint status, TenderImage *image)
{
	GVariantBuilder builder;
	g_autoptr(GVariant) view = NULL;
	g_autoptr(JsonNode) node = NULL;

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	for (guint i = 0; i < G_N_ELEMENTS(tender_http_images_properties); i++)
		g_variant_builder_add(&builder,
				      "{sv}",
				      tender_http_images_properties[i],
				      tender_image_get_property(image,
								tender_http_images_properties[i]));
	view = g_variant_ref_sink(g_variant_builder_end(&builder));
	node = json_gvariant_serialize(view);
	tender_http_message_reply_json(msg, status, node);
}

/* the store, or %NULL once @msg is answered */
static TenderImageStore *
tender_http_images_get_store(TenderHttpServer *self, SoupServerMessage *msg)
{
	TenderImageStore *images = tender_http_server_get_images(self);

	if (images == NULL)
		tender_http_message_reply_error(msg,
						SOUP_STATUS_NOT_IMPLEMENTED,
						TENDER_ERROR_NOT_SUPPORTED,
						"This tenderd has no image store");
	return images;
}

/* an error of the store; past max-size is 413 here, as the body is too large */
static void
tender_http_images_reply_error(SoupServerMessage *msg, const GError *error)
{
	if (g_error_matches(error, TENDER_ERROR, TENDER_ERROR_LIMIT_REACHED)) {
		tender_http_message_reply_error(msg,
						SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
						TENDER_ERROR_LIMIT_REACHED,
						error->message);
		return;
	}
	tender_http_message_reply_gerror(msg, error);
}

/**
 * tender_http_images_prepare:
 * @req: a request whose route is known
 * @request: its authorization
 *
 * Gives the image routes' authorization the detail "image", the name they name; GET
 * /v1/images/NAME is authorized as the D-Bus read of the image's properties, "Image.Get".
 *
 * Returns: whether @req is an image route
 */
gboolean
tender_http_images_prepare(TenderHttpRequest *req, TenderRequest *request)
{
	const gchar *name = req->match.name;

	if (req->match.route != TENDER_HTTP_ROUTE_IMAGES &&
	    req->match.route != TENDER_HTTP_ROUTE_IMAGE_IMPORT &&
	    req->match.route != TENDER_HTTP_ROUTE_IMAGE_GET &&
	    req->match.route != TENDER_HTTP_ROUTE_IMAGE_REMOVE)
		return FALSE;
	if (name == NULL)
		name = tender_http_request_get_query(req, "name");
	if (name != NULL)
		tender_request_set_detail(request, "image", name);
	/* an image's properties, as Properties.GetAll of its object */
	if (req->match.route == TENDER_HTTP_ROUTE_IMAGE_GET)
		tender_request_set_method_action(request,
						 "Image.Get",
						 TENDER_AUTHORITY_ACTION_IMAGES_READ);
	return TRUE;
}

/**
 * tender_http_images_list:
 * @req: GET /v1/images
 *
 * Answers with the images, in short.
 */
void
tender_http_images_list(TenderHttpRequest *req)
{
	TenderImageStore *images = tender_http_images_get_store(req->self, req->msg);
	g_autoptr(GPtrArray) list = NULL;
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	if (images == NULL)
		return;
	list = tender_image_store_list(images);
	json_builder_begin_array(b);
	for (guint i = 0; i < list->len; i++) {
		TenderImage *image = g_ptr_array_index(list, i);
		g_autoptr(GVariant) created = tender_image_get_property(image, "CreatedAt");

		json_builder_begin_object(b);
		json_builder_set_member_name(b, "name");
		json_builder_add_string_value(b, tender_image_get_name(image));
		json_builder_set_member_name(b, "size");
		json_builder_add_int_value(b, (gint64)tender_image_get_size(image));
		json_builder_set_member_name(b, "digest");
		json_builder_add_string_value(b, tender_image_get_digest(image));
		json_builder_set_member_name(b, "source");
		json_builder_add_string_value(b, tender_image_get_source(image));
		json_builder_set_member_name(b, "created_at");
		json_builder_add_string_value(b, g_variant_get_string(created, NULL));
		json_builder_set_member_name(b, "object_path");
		json_builder_add_string_value(b, tender_image_get_object_path(image));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	root = json_builder_get_root(b);
	tender_http_message_reply_json(req->msg, SOUP_STATUS_OK, root);
}

/**
 * tender_http_images_get:
 * @req: GET /v1/images/NAME
 *
 * Answers with the image's properties.
 */
void
tender_http_images_get(TenderHttpRequest *req)
{
	TenderImageStore *images = tender_http_images_get_store(req->self, req->msg);
	g_autoptr(GError) error = NULL;
	TenderImage *image;

	if (images == NULL)
		return;
	image = tender_image_store_lookup(images, req->match.name, &error);
	if (image == NULL) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	tender_http_images_reply_image(req->msg, SOUP_STATUS_OK, image);
}

/**
 * tender_http_images_remove:
 * @req: DELETE /v1/images/NAME[?force=1]
 *
 * Removes the image: 204, or Busy (409) while workloads use it.
 */
void
tender_http_images_remove(TenderHttpRequest *req)
{
	TenderImageStore *images = tender_http_images_get_store(req->self, req->msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) options = NULL;
	gboolean force = FALSE;

	if (images == NULL)
		return;
	options = tender_options_from_text("RemoveImage", req->query, NULL, &error);
	if (options != NULL)
		(void)g_variant_lookup(options, "force", "b", &force);
	if (options == NULL || !tender_image_store_remove(images, req->match.name, force, &error)) {
		tender_http_message_reply_gerror(req->msg, error);
		return;
	}
	soup_server_message_set_status(req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* --- POST /v1/images: the body, streamed to the store --- */

typedef struct {
	TenderHttpRequest *req; /* the import's, once it is authorized */
	SoupServerMessage *msg; /* unowned: the upload is its data; NULL once it is finished */
	GCancellable *cancellable;
	gint pipe;	     /* the write end, -1 once closed */
	GByteArray *pending; /* what the pipe has not taken yet */
	guint watch_id;	     /* the pipe is writable again */
	gboolean paused;     /* by the upload: for the pipe, or for the store's answer */
	gboolean body_done;
	gboolean answered;
} TenderHttpUpload;

static void
tender_http_upload_close_pipe(TenderHttpUpload *upload)
{
	g_clear_handle_id(&upload->watch_id, g_source_remove);
	if (upload->pipe >= 0)
		(void)close(upload->pipe);
	upload->pipe = -1;
	g_byte_array_set_size(upload->pending, 0);
}

static void
tender_http_upload_clear(gpointer data)
{
	TenderHttpUpload *upload = data;

	tender_http_upload_close_pipe(upload);
	g_clear_pointer(&upload->req, tender_http_request_free);
	g_clear_object(&upload->cancellable);
	g_byte_array_unref(upload->pending);
}

static void
tender_http_upload_unref(gpointer data)
{
	g_rc_box_release_full(data, tender_http_upload_clear);
}

static void
tender_http_upload_set_paused(TenderHttpUpload *upload, gboolean paused)
{
	if (upload->msg == NULL || upload->paused == paused)
		return;
	upload->paused = paused;
	if (paused)
		soup_server_message_pause(upload->msg);
	else
		soup_server_message_unpause(upload->msg);
}

static gboolean
tender_http_upload_writable_cb(gint fd, GIOCondition condition, gpointer user_data);

/* hands the pipe what it takes; reading the body waits while it is full */
static void
tender_http_upload_flush(TenderHttpUpload *upload)
{
	while (upload->pipe >= 0 && upload->pending->len > 0) {
		gssize n = write(upload->pipe, upload->pending->data, upload->pending->len);

		if (n > 0) {
			g_byte_array_remove_range(upload->pending, 0, (guint)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (upload->watch_id == 0)
				upload->watch_id = g_unix_fd_add(upload->pipe,
								 G_IO_OUT,
								 tender_http_upload_writable_cb,
								 upload);
			tender_http_upload_set_paused(upload, TRUE);
			return;
		}
		/* the store stopped reading: its answer says why */
		tender_http_upload_close_pipe(upload);
	}
	if (upload->pipe >= 0 && upload->body_done)
		tender_http_upload_close_pipe(upload);
	if (!upload->body_done || upload->answered)
		tender_http_upload_set_paused(upload, FALSE);
}

static gboolean
tender_http_upload_writable_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	TenderHttpUpload *upload = user_data;

	upload->watch_id = 0;
	tender_http_upload_flush(upload);
	return G_SOURCE_REMOVE;
}

static void
tender_http_upload_chunk_cb(SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
	TenderHttpUpload *upload = user_data;
	gsize len = 0;
	gconstpointer data = g_bytes_get_data(chunk, &len);

	/* not authorized (yet), or the store is done with it: dropped */
	if (upload->pipe < 0)
		return;
	g_byte_array_append(upload->pending, data, (guint)len);
	tender_http_upload_flush(upload);
}

/* the whole body is read: the store gets its end, and the answer is waited for */
static void
tender_http_upload_body_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpUpload *upload = user_data;

	upload->body_done = TRUE;
	if (upload->req == NULL)
		return;
	if (!upload->answered)
		tender_http_upload_set_paused(upload, TRUE);
	tender_http_upload_flush(upload);
}

/* answered, or the client went away: the import ends too */
static void
tender_http_upload_finished_cb(SoupServerMessage *msg, gpointer user_data)
{
	TenderHttpUpload *upload = user_data;

	g_cancellable_cancel(upload->cancellable);
	tender_http_upload_close_pipe(upload);
	g_signal_handlers_disconnect_by_data(msg, upload);
	upload->msg = NULL;
	/* the request holds the message, which holds the upload */
	g_clear_pointer(&upload->req, tender_http_request_free);
}

static void
tender_http_upload_import_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderHttpUpload *upload = user_data;
	g_autoptr(TenderImage) image = NULL;
	g_autoptr(GError) error = NULL;

	image = tender_image_store_import_finish(TENDER_IMAGE_STORE(source), res, &error);
	if (upload->msg != NULL) {
		upload->answered = TRUE;
		if (image != NULL)
			tender_http_images_reply_image(upload->msg, SOUP_STATUS_CREATED, image);
		else
			tender_http_images_reply_error(upload->msg, error);
		/* what the store did not read of the body is read and dropped */
		tender_http_upload_close_pipe(upload);
		tender_http_upload_set_paused(upload, FALSE);
	}
	tender_http_upload_unref(upload);
}

/**
 * tender_http_images_import_begin:
 * @self: the server
 * @msg: POST /v1/images, whose headers are there
 * @query: (nullable): its query
 * @owned: (transfer full): its request, authenticated
 *
 * Authorizes the import before its body is read, which then goes to
 * tender_http_images_import() as it comes.
 */
void
tender_http_images_import_begin(TenderHttpServer *self,
				SoupServerMessage *msg,
				GHashTable *query,
				TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderImageStore *images = tender_http_images_get_store(self, msg);
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	TenderHttpUpload *upload;

	if (images == NULL)
		return;
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH &&
	    (guint64)soup_message_headers_get_content_length(headers) >
		tender_image_store_get_max_size(images)) {
		g_autofree gchar *message =
		    g_strdup_printf("The archive is larger than [images] max-size "
				    "(%" G_GUINT64_FORMAT " bytes)",
				    tender_image_store_get_max_size(images));
		tender_http_message_reply_error(msg,
						SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
						TENDER_ERROR_LIMIT_REACHED,
						message);
		return;
	}
	soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
	upload = g_rc_box_new0(TenderHttpUpload);
	upload->msg = msg;
	upload->pipe = -1;
	upload->pending = g_byte_array_new();
	upload->cancellable = g_cancellable_new();
	g_object_set_data_full(G_OBJECT(msg),
			       TENDER_HTTP_IMAGES_UPLOAD_KEY,
			       upload,
			       tender_http_upload_unref);
	g_signal_connect(msg, "got-chunk", G_CALLBACK(tender_http_upload_chunk_cb), upload);
	g_signal_connect(msg, "got-body", G_CALLBACK(tender_http_upload_body_cb), upload);
	g_signal_connect(msg, "finished", G_CALLBACK(tender_http_upload_finished_cb), upload);
	tender_http_request_set_message(req, self, msg, query);
	tender_http_router_authorize(g_steal_pointer(&req));
}

/* ImportImage's options, from the query; NULL once @req is answered */
static GVariant *
tender_http_images_import_options(TenderHttpRequest *req, const gchar **name)
{
	const gchar *const ignored[] = {"name", NULL};
	g_autoptr(GVariant) options = NULL;
	g_autoptr(GError) error = NULL;

	*name = tender_http_request_get_query(req, "name");
	if (*name == NULL) {
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_BAD_REQUEST,
						TENDER_ERROR_INVALID_ARGUMENT,
						"The image's name is missing: POST "
						"/v1/images?name=NAME");
		return NULL;
	}
	options = tender_options_from_text("ImportImage", req->query, ignored, &error);
	if (options != NULL && tender_http_request_get_query(req, "directory") != NULL) {
		g_clear_pointer(&options, g_variant_unref);
		g_set_error_literal(&error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "An import over HTTP is an archive: directory is for D-Bus");
	}
	if (options != NULL &&
	    !tender_image_store_check_caller(options, tender_caller_get_uid(req->subject), &error))
		g_clear_pointer(&options, g_variant_unref);
	if (options == NULL)
		tender_http_message_reply_gerror(req->msg, error);
	return g_steal_pointer(&options);
}

/**
 * tender_http_images_import:
 * @owned: (transfer full): POST /v1/images?name=NAME, authorized, its body not read yet
 *
 * Starts the import from a pipe the body goes into.
 */
void
tender_http_images_import(TenderHttpRequest *owned)
{
	g_autoptr(TenderHttpRequest) req = owned;
	TenderHttpUpload *upload =
	    g_object_get_data(G_OBJECT(req->msg), TENDER_HTTP_IMAGES_UPLOAD_KEY);
	g_autoptr(GVariant) options = NULL;
	const gchar *name = NULL;
	gint fds[2];

	options = tender_http_images_import_options(req, &name);
	if (options == NULL)
		return;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		tender_http_message_reply_error(req->msg,
						SOUP_STATUS_INTERNAL_SERVER_ERROR,
						TENDER_ERROR_FAILED,
						g_strerror(errno));
		return;
	}
	/* a larger pipe, fewer wake-ups (at most /proc/sys/fs/pipe-max-size; best effort) */
	(void)fcntl(fds[1], F_SETPIPE_SZ, TENDER_HTTP_IMAGES_PIPE_SIZE);
	(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	upload->pipe = fds[1];
	tender_image_store_import_async(tender_http_server_get_images(req->self),
					name,
					fds[0],
					options,
					upload->cancellable,
					tender_http_upload_import_cb,
					g_rc_box_acquire(upload));
	(void)close(fds[0]);
	upload->req = g_steal_pointer(&req);
}
