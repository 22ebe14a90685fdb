/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "tender-identity.h"
#include "tender-spec.h"

G_BEGIN_DECLS

/**
 * TenderScopeImage:
 * @name: the image's name
 * @rootfs: its root filesystem, the overlay's read-only lower layer
 * @digest: (nullable): its Digest, which the container directories made for it record
 * @entrypoint: (nullable): its Entrypoint
 * @cmd: (nullable): its Cmd
 * @env: (nullable): its Env, "KEY=VALUE"
 * @working_directory: (nullable): its WorkingDir
 * @user: (nullable): its User: "user", "user:group", numeric or names of the image's own
 *
 * What a workload's image gives it: a root, and what the spec leaves out.
 */
typedef struct {
	gchar *name;
	gchar *rootfs;
	gchar *digest;
	gchar **entrypoint;
	gchar **cmd;
	gchar **env;
	gchar *working_directory;
	gchar *user;
} TenderScopeImage;

TenderScopeImage *
tender_scope_image_new(const gchar *name, const gchar *rootfs, GVariant *config);
void
tender_scope_image_free(TenderScopeImage *self);
gchar **
tender_scope_image_build_argv(const TenderScopeImage *self,
			      const TenderSpec *spec,
			      const gchar *workload,
			      GError **error);
gchar **
tender_scope_image_merge_environ(const TenderScopeImage *self,
				 const TenderSpec *spec,
				 gchar **envp);
const gchar *
tender_scope_image_get_working_directory(const TenderScopeImage *self, const TenderSpec *spec);
TenderIdentity *
tender_scope_image_new_identity(const TenderScopeImage *self,
				const TenderSpec *spec,
				GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderScopeImage, tender_scope_image_free)

G_END_DECLS
