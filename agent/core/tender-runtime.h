/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-runtime-exec.h"
#include "tender-runtime-run.h"
#include "tender-workload.h"

G_BEGIN_DECLS

/* the runtime of the core: a transient systemd scope with tender-shim as its first process */
#define TENDER_RUNTIME_SCOPE "scope"

#define TENDER_TYPE_RUNTIME (tender_runtime_get_type())
G_DECLARE_DERIVABLE_TYPE(TenderRuntime, tender_runtime, TENDER, RUNTIME, GObject)

/**
 * TenderRuntimeClass:
 * @setup: (optional): gets ready to run workloads, before tenderd takes over those of a
 *	previous tenderd; a failure stops tenderd
 * @new_run: a new run of @workload, not started yet
 * @forget_workload: (optional): @workload is being removed: drop what was kept for it
 * @prepare_workload: (optional): @workload runs in this runtime from now on: set what the
 *	runtime shows of it before any run (the scope runtime: its unit name)
 * @check_spec: (optional): whether the runtime can run a workload of @spec, at create and
 *	import; without it, a spec with isolation keys (an isolation level other than minimal,
 *	rlimits) is refused with %TENDER_ERROR_NOT_SUPPORTED
 * @exec_async: (optional): runs the command of @exec in the running @run, as its workload's
 *	own processes run (ExecWorkload, and the command health checks of standard and strict
 *	workloads); @exec stays valid until @callback, and the runtime fills in its answer, and
 *	its working directory if it has none (the workload's own).  Without it, ExecWorkload
 *	answers %TENDER_ERROR_NOT_SUPPORTED.
 * @exec_finish: (optional): finishes @exec_async
 * @resolve_command: (optional): the command a workload of @spec runs, as the runtime makes it
 *	(the scope runtime: an image's Entrypoint, then the spec's argv or else the image's Cmd);
 *	asked after @check_spec at create, import and every start, and when tenderd takes a
 *	workload over.  Without it, the spec's argv.
 *
 * How a workload runs.  The engine holds one of each by name, and keeps the lifecycle, the
 * restart policy, health checks, the state files and the events.
 */
struct _TenderRuntimeClass {
	GObjectClass parent_class;
	gboolean (*setup)(TenderRuntime *self, GError **error);
	TenderRuntimeRun *(*new_run)(TenderRuntime *self, TenderWorkload *workload);
	void (*forget_workload)(TenderRuntime *self, TenderWorkload *workload);
	void (*prepare_workload)(TenderRuntime *self, TenderWorkload *workload);
	gboolean (*check_spec)(TenderRuntime *self,
			       const gchar *name,
			       const TenderSpec *spec,
			       GError **error);
	void (*exec_async)(TenderRuntime *self,
			   TenderRuntimeRun *run,
			   TenderRuntimeExec *exec,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
	gboolean (*exec_finish)(TenderRuntime *self, GAsyncResult *res, GError **error);
	gchar **(*resolve_command)(TenderRuntime *self,
				   const gchar *name,
				   const TenderSpec *spec,
				   GError **error);
	/*< private >*/
	gpointer padding[3];
};

const gchar *
tender_runtime_get_name(TenderRuntime *self);
gboolean
tender_runtime_setup(TenderRuntime *self, GError **error);
TenderRuntimeRun *
tender_runtime_new_run(TenderRuntime *self, TenderWorkload *workload);
void
tender_runtime_forget_workload(TenderRuntime *self, TenderWorkload *workload);
void
tender_runtime_prepare_workload(TenderRuntime *self, TenderWorkload *workload);
gboolean
tender_runtime_check_spec(TenderRuntime *self,
			  const gchar *name,
			  const TenderSpec *spec,
			  GError **error);
gboolean
tender_runtime_check_isolation_keys(TenderRuntime *self,
				    const gchar *name,
				    const TenderSpec *spec,
				    GError **error);
gchar **
tender_runtime_resolve_command(TenderRuntime *self,
			       const gchar *name,
			       const TenderSpec *spec,
			       GError **error);
void
tender_runtime_exec_async(TenderRuntime *self,
			  TenderRuntimeRun *run,
			  TenderRuntimeExec *exec,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data);
gboolean
tender_runtime_exec_finish(TenderRuntime *self, GAsyncResult *res, GError **error);

G_END_DECLS
