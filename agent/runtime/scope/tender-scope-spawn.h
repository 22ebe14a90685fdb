/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* what a descriptor of the child is when tenderd gives none: /dev/null for 0 to 2 (none
 * above), or tenderd's own (0 to 2 only) */
#define TENDER_SCOPE_SPAWN_FD_NULL    (-1)
#define TENDER_SCOPE_SPAWN_FD_INHERIT (-2)

typedef struct {
	const gchar *path;	  /* the program, not searched in PATH */
	const gchar *const *argv; /* NULL-terminated */
	const gchar *const *envp; /* NULL-terminated; NULL: an empty environment */
	const gchar *cwd;	  /* NULL: tenderd's */
	const gint *fds;	  /* the child's descriptor i is fds[i], see above */
	guint n_fds;		  /* every descriptor from here on is closed */
} TenderScopeSpawn;

gboolean
tender_scope_spawn_run(const TenderScopeSpawn *spawn, GPid *pid, GError **error);

G_END_DECLS
