/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* the most path components an entry of an image may have, and so the deepest recursion of the
 * walks below */
#define TENDER_IMAGE_FS_DEPTH_MAX 128

/**
 * TenderImageLimits:
 * @max_size: the most bytes an archive may have, and the most its unpacking may write
 * @unpacked: what the unpacking has written so far: the entries' data, and 512 bytes an
 *   entry (a tar header), so that millions of empty files count too
 * @devices: whether device nodes may be made
 * @owner: whether the entries' owners, and their security.capability, are restored (root)
 * @cancellable: (nullable): stops the import
 *
 * What one import may do, shared by its passes (the archive, then its layers).
 */
typedef struct {
	guint64 max_size;
	guint64 unpacked;
	gboolean devices;
	gboolean owner;
	GCancellable *cancellable;
} TenderImageLimits;

gboolean
tender_image_limits_add(TenderImageLimits *limits, guint64 bytes, GError **error);

gchar *
tender_image_fs_normalize(const gchar *path, GError **error);
gboolean
tender_image_fs_link_escapes(const gchar *path, const gchar *target);
gboolean
tender_image_fs_check_link(const gchar *path, const gchar *target, GError **error);
gint
tender_image_fs_open_parent(gint rootfd, const gchar *path, const gchar **base, GError **error);
gint
tender_image_fs_open_beneath(gint rootfd, const gchar *path, gint flags, GError **error);
GPtrArray *
tender_image_fs_list(gint fd, GError **error);
gboolean
tender_image_fs_remove_at(gint dirfd, const gchar *name, GError **error);
guint64
tender_image_fs_tree_size(gint dirfd);
gboolean
tender_image_fs_copy_tree(gint srcfd,
			  gint dstfd,
			  TenderImageLimits *limits,
			  GChecksum *checksum,
			  GError **error);

G_END_DECLS
