/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-image-fs.h"

G_BEGIN_DECLS

/**
 * TenderImageLayout:
 * @TENDER_IMAGE_LAYOUT_NONE: a root file system
 * @TENDER_IMAGE_LAYOUT_OCI: an OCI image layout (oci-layout, index.json, blobs/)
 * @TENDER_IMAGE_LAYOUT_DOCKER: what `docker save` writes (manifest.json, layer tars)
 *
 * What an unpacked archive turned out to be.
 */
typedef enum {
	TENDER_IMAGE_LAYOUT_NONE,
	TENDER_IMAGE_LAYOUT_OCI,
	TENDER_IMAGE_LAYOUT_DOCKER,
} TenderImageLayout;

TenderImageLayout
tender_image_oci_detect(gint dirfd);
gboolean
tender_image_oci_apply(gint layoutfd,
		       TenderImageLayout layout,
		       gint rootfd,
		       TenderImageLimits *limits,
		       GVariant **config,
		       GError **error);

G_END_DECLS
