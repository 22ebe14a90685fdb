/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <unistd.h>

#include "tender-dbus-daemon-private.h"
#include "tender-error.h"
#include "tender-options.h"

/*
 * The image store on D-Bus: the Manager's ImportImage (the caller's descriptor, passed with
 * the call), ListImages and RemoveImage, and one object per image,
 * /org/tender/Agent1/image/NAME with org.tender.Agent1.Image: a built-in service of
 * properties only (read with org.tender.images.read, as "Image.Get" for polkit rules, with
 * the detail "image"), exported by the service bridge as images come and go.
 */

#define TENDER_DBUS_IMAGE_IFACE "org.tender.Agent1.Image"

static GVariant *
tender_dbus_images_property(gpointer user_data, const gchar *property)
{
	return tender_image_get_property(TENDER_IMAGE(user_data), property);
}

/* org.tender.Agent1.Image has properties only */
static const TenderServiceMethod tender_dbus_images_methods[] = {{NULL}};

static const TenderServiceProperties tender_dbus_images_properties = {
    TENDER_AUTHORITY_ACTION_IMAGES_READ,
    "Image.Get",
    tender_dbus_images_property,
};

static void
tender_dbus_images_added_cb(TenderImageStore *store, TenderImage *image, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	g_autoptr(TenderService) service = NULL;
	g_autoptr(GError) error = NULL;

	service =
	    tender_service_new_builtin(tender_image_get_name(image),
				       tender_image_get_object_path(image),
				       g_dbus_node_info_lookup_interface(self->introspection,
									 TENDER_DBUS_IMAGE_IFACE),
				       tender_dbus_images_methods,
				       &tender_dbus_images_properties,
				       g_object_ref(image),
				       g_object_unref,
				       &error);
	if (service == NULL) {
		g_warning("cannot export image %s: %s",
			  tender_image_get_name(image),
			  error->message);
		g_object_unref(image);
		return;
	}
	tender_service_add_detail(service, "image", tender_image_get_name(image));
	if (!tender_service_list_add(self->image_services, service, &error))
		g_warning("cannot export image %s: %s",
			  tender_image_get_name(image),
			  error->message);
}

static void
tender_dbus_images_removed_cb(TenderImageStore *store, TenderImage *image, gpointer user_data)
{
	TenderDbusDaemon *self = TENDER_DBUS_DAEMON(user_data);
	TenderService *service =
	    tender_service_list_find(self->image_services, tender_image_get_name(image), NULL);

	if (service != NULL)
		tender_service_list_remove(self->image_services, service);
}

/**
 * tender_dbus_daemon_register_images:
 * @self: a #TenderDbusDaemon whose services are there
 *
 * Exports an object for every image, now and as they come.
 */
void
tender_dbus_daemon_register_images(TenderDbusDaemon *self)
{
	g_autoptr(GPtrArray) images = NULL;

	if (self->images == NULL)
		return;
	self->image_services = tender_service_list_new("image", tender_dbus_images_methods);
	images = tender_image_store_list(self->images);
	for (guint i = 0; i < images->len; i++)
		tender_dbus_images_added_cb(self->images, g_ptr_array_index(images, i), self);
	g_signal_connect_object(self->images,
				"image-added",
				G_CALLBACK(tender_dbus_images_added_cb),
				self,
				0);
	g_signal_connect_object(self->images,
				"image-removed",
				G_CALLBACK(tender_dbus_images_removed_cb),
				self,
				0);
	tender_dbus_service_add_list(self->services, self->image_services);
}

/* the store, or %FALSE once the call is answered */
static gboolean
tender_dbus_images_check_store(TenderDbusDaemon *self, GDBusMethodInvocation *invocation)
{
	if (self->images != NULL)
		return TRUE;
	g_dbus_method_invocation_return_error_literal(invocation,
						      TENDER_ERROR,
						      TENDER_ERROR_NOT_SUPPORTED,
						      "This tenderd has no image store");
	return FALSE;
}

static void
tender_dbus_images_import_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GDBusMethodInvocation) invocation = user_data;
	g_autoptr(TenderImage) image = NULL;
	GError *error = NULL;

	image = tender_image_store_import_finish(TENDER_IMAGE_STORE(source), res, &error);
	if (image == NULL) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation,
					      g_variant_new("(o)",
							    tender_image_get_object_path(image)));
}

void
tender_dbus_daemon_import_image(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request)
{
	GUnixFDList *fds =
	    g_dbus_message_get_unix_fd_list(g_dbus_method_invocation_get_message(invocation));
	const gchar *name = NULL;
	g_autoptr(GVariant) options = NULL;
	GError *error = NULL;
	gint32 handle = -1;
	gint fd;
	/* a peer-to-peer connection is trusted as tenderd's own user */
	guint32 uid = g_dbus_method_invocation_get_sender(invocation) != NULL
			  ? tender_caller_get_uid(tender_request_get_subject(request))
			  : (guint32)getuid();

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&sh@a{sv})",
		      &name,
		      &handle,
		      &options);
	if (!tender_dbus_images_check_store(self, invocation))
		return;
	if (fds == NULL || handle < 0 || handle >= g_unix_fd_list_get_length(fds)) {
		g_dbus_method_invocation_return_error_literal(invocation,
							      TENDER_ERROR,
							      TENDER_ERROR_INVALID_ARGUMENT,
							      "ImportImage needs the file "
							      "descriptor of what to import");
		return;
	}
	if (!tender_image_store_check_caller(options, uid, &error)) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	fd = g_unix_fd_list_get(fds, handle, &error);
	if (fd < 0) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	/* the store reads a duplicate of its own */
	tender_image_store_import_async(self->images,
					name,
					fd,
					options,
					NULL,
					tender_dbus_images_import_cb,
					g_object_ref(invocation));
	(void)close(fd);
}

void
tender_dbus_daemon_list_images(TenderDbusDaemon *self,
			       GDBusMethodInvocation *invocation,
			       TenderRequest *request)
{
	g_autoptr(GPtrArray) images = NULL;
	GVariantBuilder builder;

	if (!tender_dbus_images_check_store(self, invocation))
		return;
	images = tender_image_store_list(self->images);
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(stssso)"));
	for (guint i = 0; i < images->len; i++) {
		TenderImage *image = g_ptr_array_index(images, i);
		g_autoptr(GVariant) created =
		    g_variant_ref_sink(tender_image_get_property(image, "CreatedAt"));

		g_variant_builder_add(&builder,
				      "(stss@so)",
				      tender_image_get_name(image),
				      tender_image_get_size(image),
				      tender_image_get_digest(image),
				      tender_image_get_source(image),
				      created,
				      tender_image_get_object_path(image));
	}
	g_dbus_method_invocation_return_value(invocation, g_variant_new("(a(stssso))", &builder));
}

void
tender_dbus_daemon_remove_image(TenderDbusDaemon *self,
				GDBusMethodInvocation *invocation,
				TenderRequest *request)
{
	const gchar *name = NULL;
	g_autoptr(GVariant) options = NULL;
	GVariantIter iter;
	const gchar *key;
	GVariant *value;
	gboolean force = FALSE;
	GError *error = NULL;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation),
		      "(&s@a{sv})",
		      &name,
		      &options);
	if (!tender_dbus_images_check_store(self, invocation))
		return;
	g_variant_iter_init(&iter, options);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &value)) {
		g_autoptr(GVariant) owned = value;
		const gchar *type = tender_options_get_type("RemoveImage", key);

		if (type == NULL || !g_variant_is_of_type(value, G_VARIANT_TYPE(type))) {
			g_dbus_method_invocation_return_error(invocation,
							      TENDER_ERROR,
							      TENDER_ERROR_INVALID_ARGUMENT,
							      type == NULL
								  ? "Unknown option '%s'"
								  : "Option '%s' must be a boolean",
							      key);
			return;
		}
	}
	(void)g_variant_lookup(options, "force", "b", &force);
	if (!tender_image_store_remove(self->images, name, force, &error)) {
		tender_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_dbus_method_invocation_return_value(invocation, NULL);
}
