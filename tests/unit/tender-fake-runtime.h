/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-runtime.h"

G_BEGIN_DECLS

#define TENDER_TYPE_FAKE_RUNTIME (tender_fake_runtime_get_type())
G_DECLARE_FINAL_TYPE(TenderFakeRuntime, tender_fake_runtime, TENDER, FAKE_RUNTIME, TenderRuntime)

#define TENDER_TYPE_FAKE_RUN (tender_fake_run_get_type())
G_DECLARE_FINAL_TYPE(TenderFakeRun, tender_fake_run, TENDER, FAKE_RUN, TenderRuntimeRun)

TenderFakeRuntime *
tender_fake_runtime_new(const gchar *name, const gchar *join_file);
TenderFakeRuntime *
tender_fake_runtime_new_bare(const gchar *name, const gchar *join_file);
void
tender_fake_runtime_set_entrypoint(TenderFakeRuntime *self,
				   const gchar *const *entrypoint,
				   gboolean no_command);
void
tender_fake_runtime_set_fail_start(TenderFakeRuntime *self, gboolean fail_start);
void
tender_fake_runtime_set_ignore_sigterm(TenderFakeRuntime *self, gboolean ignore_sigterm);
void
tender_fake_runtime_set_cpu_usage(TenderFakeRuntime *self, guint64 cpu_usage_nsec);
gint
tender_fake_runtime_get_n_reads_off_main(TenderFakeRuntime *self);
guint
tender_fake_runtime_get_n_starts(TenderFakeRuntime *self);
TenderFakeRun *
tender_fake_runtime_get_last_run(TenderFakeRuntime *self);
gboolean
tender_fake_runtime_has_forgotten(TenderFakeRuntime *self, const gchar *name);
void
tender_fake_runtime_kill_run(TenderFakeRuntime *self, const gchar *run_id);

void
tender_fake_run_exit(TenderFakeRun *self, gint exit_code, gint signo);
gboolean
tender_fake_run_got_signal(TenderFakeRun *self, gint signo);
gint64
tender_fake_run_get_signal_time(TenderFakeRun *self, gint signo);
gint64
tender_fake_run_get_started_time(TenderFakeRun *self);
gboolean
tender_fake_run_was_adopted(TenderFakeRun *self);

G_END_DECLS
