/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-plugin.h"
#include "tender-runtime-exec.h"

G_BEGIN_DECLS

/* called once when the view is done: the plugin reported its end, or it was orphaned */
typedef void (*TenderRunExecDoneFunc)(TenderRunExec *view, gpointer user_data);

TenderRunExec *
tender_run_exec_new(TenderRuntimeExec *exec,
		    GTask *task,
		    GCancellable *cancellable,
		    TenderRunExecDoneFunc done,
		    gpointer done_data);
TenderRunExec *
tender_run_exec_ref(TenderRunExec *self);
void
tender_run_exec_unref(TenderRunExec *self);
void
tender_run_exec_refuse(TenderRunExec *self, GError *error);
void
tender_run_exec_orphan(TenderRunExec *self, const gchar *why);
guint32
tender_run_exec_get_pid(TenderRunExec *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderRunExec, tender_run_exec_unref)

G_END_DECLS
