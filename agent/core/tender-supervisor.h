/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tender-engine.h"
#include "tender-health.h"
#include "tender-runtime-run.h"
#include "tender-store.h"
#include "tender-workload.h"

G_BEGIN_DECLS

typedef struct _TenderSupervisor TenderSupervisor;

/* why a run is being stopped: it decides the state the workload ends in */
typedef enum {
	TENDER_SUPERVISOR_STOP_NONE,
	TENDER_SUPERVISOR_STOP_USER,	  /* StopWorkload, RemoveWorkload: stopped */
	TENDER_SUPERVISOR_STOP_TIMEOUT,	  /* max_runtime_sec: failed, "timeout" */
	TENDER_SUPERVISOR_STOP_UNHEALTHY, /* on_unhealthy "stop": stopped, "unhealthy" */
	TENDER_SUPERVISOR_STOP_UNSAVED,	  /* its running state could not be saved: failed */
} TenderSupervisorStop;

struct _TenderSupervisor {
	TenderEngine *engine; /* not owned: it holds the supervisor */
	TenderWorkload *workload;
	TenderRuntimeRun *run;
	gulong ended_id;
	gulong state_id;
	GPtrArray *waiters; /* GTask, completed when the run ends */
	gboolean remove_when_ended;
	TenderSupervisorStop stop_cause;
	guint restart_id; /* a restart is due when it fires */
	guint runtime_id; /* max_runtime_sec is over when it fires */
	/* the run's health check, while it runs or is paused */
	TenderHealth *health;

	/* pause and resume: one is under way */
	gboolean pause_busy;

	/* the state file holds the new state already: the state-changed handler skips it */
	gboolean saved_ahead;
	/* why the last write of the state file failed, until one succeeds */
	GError *save_error;
	/* a start whose running state could not be saved: its tasks fail once the run is over */
	GPtrArray *unsaved_starts; /* GTask */
	GError *unsaved_error;

	/* restored from its state file while its runtime is not there: the reason and the run
	 * that the file holds, until the runtime is added and takes it over */
	gboolean runtime_missing;
	gchar *missing_reason;
	TenderStoreRun missing_run;
};

TenderSupervisor *
tender_supervisor_new(TenderEngine *engine, TenderWorkload *workload);
void
tender_supervisor_free(TenderSupervisor *self);
gboolean
tender_supervisor_save(TenderSupervisor *self, GError **error);
gboolean
tender_supervisor_sync(TenderSupervisor *self, GError **error);
gboolean
tender_supervisor_set_state_written(TenderSupervisor *self,
				    TenderState state,
				    const gchar *reason,
				    GError **error);
void
tender_supervisor_schedule_restart(TenderSupervisor *self);
gboolean
tender_supervisor_start(TenderSupervisor *self, GTask *task, GError **error);
gboolean
tender_supervisor_stop(TenderSupervisor *self, guint32 timeout, GTask *task, GError **error);
void
tender_supervisor_set_paused(TenderSupervisor *self, gboolean paused, GTask *task);
void
tender_supervisor_take_over(TenderSupervisor *self, const TenderStoreRun *run);
void
tender_supervisor_runtime_added(TenderSupervisor *self);
gboolean
tender_supervisor_check_runtime(TenderSupervisor *self, GError **error);

G_END_DECLS
