/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TENDER_TYPE_IMAGE (tender_image_get_type())
G_DECLARE_FINAL_TYPE(TenderImage, tender_image, TENDER, IMAGE, GObject)

/* where image objects are on the bus: PREFIX + the escaped name */
#define TENDER_IMAGE_PATH_PREFIX "/org/tender/Agent1/image/"

TenderImage *
tender_image_new(const gchar *dir,
		 const gchar *name,
		 guint64 size,
		 const gchar *digest,
		 const gchar *source,
		 gint64 created,
		 GVariant *config);
TenderImage *
tender_image_new_from_file(const gchar *dir, const gchar *name, GError **error);
gboolean
tender_image_save(TenderImage *self, const gchar *path, GError **error);
const gchar *
tender_image_get_name(TenderImage *self);
const gchar *
tender_image_get_rootfs(TenderImage *self);
guint64
tender_image_get_size(TenderImage *self);
const gchar *
tender_image_get_digest(TenderImage *self);
const gchar *
tender_image_get_source(TenderImage *self);
gint64
tender_image_get_created(TenderImage *self);
GVariant *
tender_image_get_config(TenderImage *self);
const gchar *
tender_image_get_object_path(TenderImage *self);
GVariant *
tender_image_get_property(TenderImage *self, const gchar *property);

G_END_DECLS
