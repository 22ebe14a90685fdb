/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-runtime-exec.h"
#include "tender-scope-image.h"
#include "tender-workload.h"

G_BEGIN_DECLS

gboolean
tender_scope_exec_prepare(TenderRuntimeExec *exec,
			  const TenderSpec *spec,
			  const TenderScopeImage *image,
			  GError **error);
void
tender_scope_exec_start(gpointer source_object,
			const gchar *helper,
			TenderWorkload *workload,
			TenderRuntimeExec *exec,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data);

G_END_DECLS
