/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-image.h"

G_BEGIN_DECLS

#define TENDER_TYPE_IMAGE_STORE (tender_image_store_get_type())
G_DECLARE_FINAL_TYPE(TenderImageStore, tender_image_store, TENDER, IMAGE_STORE, GObject)

/* [images] max-size= when tenderd.conf does not say */
#define TENDER_IMAGE_STORE_DEFAULT_MAX_SIZE (G_GUINT64_CONSTANT(4) << 30)

/**
 * TenderImageInUseFunc:
 * @name: an image
 * @running: (out): whether one of the workloads that use it runs
 * @data: the function's data
 *
 * Returns: whether a workload uses the image
 */
typedef gboolean (*TenderImageInUseFunc)(const gchar *name, gboolean *running, gpointer data);

gboolean
tender_image_store_check_name(const gchar *name, GError **error);
gboolean
tender_image_store_check_caller(GVariant *options, guint32 uid, GError **error);
TenderImageStore *
tender_image_store_new(const gchar *dir, guint64 max_size, GError **error);
guint64
tender_image_store_get_max_size(TenderImageStore *self);
void
tender_image_store_set_in_use_func(TenderImageStore *self,
				   TenderImageInUseFunc func,
				   gpointer data);
void
tender_image_store_import_async(TenderImageStore *self,
				const gchar *name,
				gint fd,
				GVariant *options,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
TenderImage *
tender_image_store_import_finish(TenderImageStore *self, GAsyncResult *res, GError **error);
GPtrArray *
tender_image_store_list(TenderImageStore *self);
TenderImage *
tender_image_store_lookup(TenderImageStore *self, const gchar *name, GError **error);
gboolean
tender_image_store_remove(TenderImageStore *self,
			  const gchar *name,
			  gboolean force,
			  GError **error);

G_END_DECLS
