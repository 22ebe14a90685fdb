/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-image-fs.h"

G_BEGIN_DECLS

/**
 * TenderImageArchiveFlags:
 * @TENDER_IMAGE_ARCHIVE_NONE: a root file system, into an empty directory
 * @TENDER_IMAGE_ARCHIVE_LAYER: a layer of an image, over the layers below it: its whiteouts
 *   (.wh.NAME, .wh..wh..opq) delete what those left, and its entries replace theirs
 */
typedef enum {
	TENDER_IMAGE_ARCHIVE_NONE = 0,
	TENDER_IMAGE_ARCHIVE_LAYER = 1 << 0,
} TenderImageArchiveFlags;

gboolean
tender_image_archive_unpack(gint fd,
			    gint rootfd,
			    TenderImageArchiveFlags flags,
			    TenderImageLimits *limits,
			    GChecksum *checksum,
			    GError **error);

G_END_DECLS
