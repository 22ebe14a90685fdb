/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tender-spec.h"
#include "tender-state.h"

G_BEGIN_DECLS

/* the "format" of tender_workload_to_json(): what ExportWorkload returns */
#define TENDER_WORKLOAD_JSON_FORMAT "tender-workload/1"

/* the longest owner: a plugin name */
#define TENDER_WORKLOAD_OWNER_MAX 32

#define TENDER_TYPE_WORKLOAD (tender_workload_get_type())
G_DECLARE_FINAL_TYPE(TenderWorkload, tender_workload, TENDER, WORKLOAD, GObject)

TenderWorkload *
tender_workload_new(const gchar *name, TenderSpec *spec);
const gchar *
tender_workload_get_name(TenderWorkload *self);
const TenderSpec *
tender_workload_get_spec(TenderWorkload *self);
const gchar *
tender_workload_get_object_path(TenderWorkload *self);
const gchar *
tender_workload_get_unit(TenderWorkload *self);
void
tender_workload_set_unit(TenderWorkload *self, const gchar *unit);
TenderState
tender_workload_get_state(TenderWorkload *self);
const gchar *
tender_workload_get_reason(TenderWorkload *self);
gboolean
tender_workload_set_state(TenderWorkload *self, TenderState state, const gchar *reason);
void
tender_workload_reset_state(TenderWorkload *self, TenderState state, const gchar *reason);
void
tender_workload_replace_state(TenderWorkload *self, TenderState state, const gchar *reason);
const gchar *
tender_workload_get_control_group(TenderWorkload *self);
void
tender_workload_set_control_group(TenderWorkload *self, const gchar *cgroup);
const gchar *
tender_workload_get_address(TenderWorkload *self);
void
tender_workload_set_address(TenderWorkload *self, const gchar *address);
guint32
tender_workload_get_main_pid(TenderWorkload *self);
void
tender_workload_set_main_pid(TenderWorkload *self, guint32 pid);
gint32
tender_workload_get_exit_code(TenderWorkload *self);
gint32
tender_workload_get_exit_signal(TenderWorkload *self);
void
tender_workload_set_exit(TenderWorkload *self, gint32 exit_code, gint32 exit_signal);
const gchar *
tender_workload_get_created_at(TenderWorkload *self);
const gchar *
tender_workload_get_started_at(TenderWorkload *self);
const gchar *
tender_workload_get_stopped_at(TenderWorkload *self);
void
tender_workload_set_started_at(TenderWorkload *self, const gchar *timestamp);
void
tender_workload_set_stopped_at(TenderWorkload *self, const gchar *timestamp);
guint32
tender_workload_get_restart_count(TenderWorkload *self);
void
tender_workload_set_restart_count(TenderWorkload *self, guint32 count);
gboolean
tender_workload_get_oom_killed(TenderWorkload *self);
void
tender_workload_set_oom_killed(TenderWorkload *self, gboolean oom_killed);
const gchar *
tender_workload_get_health(TenderWorkload *self);
void
tender_workload_set_health(TenderWorkload *self, const gchar *health);

const gchar *
tender_workload_get_owner(TenderWorkload *self);
void
tender_workload_set_owner(TenderWorkload *self, const gchar *owner);
const gchar *const *
tender_workload_get_command(TenderWorkload *self);
void
tender_workload_set_command(TenderWorkload *self, const gchar *const *command);

JsonNode *
tender_workload_to_json(TenderWorkload *self);
TenderWorkload *
tender_workload_new_from_json(JsonNode *node,
			      const gchar *name,
			      gboolean restore_state,
			      GError **error);

G_END_DECLS
