/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-util.h"
#include "tender-workload.h"

/*
 * TenderWorkload is the record of one workload: its spec and what is known of its last run.
 * It knows nothing of D-Bus; every change emits ::changed with the D-Bus property name so the
 * front-ends can announce it.
 */

struct _TenderWorkload {
	GObject parent_instance;
	gchar *name;
	gchar *object_path;
	gchar *unit;
	TenderSpec *spec;
	TenderState state;
	gchar *reason;
	gchar *control_group;
	guint32 main_pid;
	gint32 exit_code;
	gint32 exit_signal;
	gchar *created_at;
	gchar *started_at;
	gchar *stopped_at;
	guint32 restart_count;
	gboolean oom_killed;
	gchar *health;
};

G_DEFINE_TYPE(TenderWorkload, tender_workload, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, SIGNAL_STATE_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static void
tender_workload_changed(TenderWorkload *self, const gchar *property)
{
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, property);
}

static void
tender_workload_set_string(TenderWorkload *self,
			   gchar **field,
			   const gchar *value,
			   const gchar *property)
{
	if (value == NULL)
		value = "";
	if (g_strcmp0(*field, value) == 0)
		return;
	g_free(*field);
	*field = g_strdup(value);
	tender_workload_changed(self, property);
}

const gchar *
tender_workload_get_name(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->name;
}

const TenderSpec *
tender_workload_get_spec(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->spec;
}

const gchar *
tender_workload_get_object_path(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->object_path;
}

const gchar *
tender_workload_get_unit(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->unit;
}

TenderState
tender_workload_get_state(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), TENDER_STATE_LAST);
	return self->state;
}

const gchar *
tender_workload_get_reason(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->reason;
}

/**
 * tender_workload_set_state:
 * @self: a #TenderWorkload
 * @state: the new state
 * @reason: (nullable): why, or %NULL for none
 *
 * Moves the workload to @state if the lifecycle allows it (see
 * tender_state_transition_is_valid()).
 *
 * Returns: %TRUE if the state changed
 */
gboolean
tender_workload_set_state(TenderWorkload *self, TenderState state, const gchar *reason)
{
	TenderState old;

	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), FALSE);
	if (!tender_state_transition_is_valid(self->state, state)) {
		g_warning("workload %s: refusing the transition %s -> %s",
			  self->name,
			  tender_state_to_string(self->state),
			  tender_state_to_string(state));
		return FALSE;
	}
	g_debug("workload %s: %s -> %s%s%s",
		self->name,
		tender_state_to_string(self->state),
		tender_state_to_string(state),
		reason != NULL && reason[0] != '\0' ? ": " : "",
		reason != NULL ? reason : "");
	old = self->state;
	tender_workload_set_string(self, &self->reason, reason, "Reason");
	self->state = state;
	tender_workload_changed(self, "State");
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0, old, state, self->reason);
	return TRUE;
}

const gchar *
tender_workload_get_control_group(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->control_group;
}

void
tender_workload_set_control_group(TenderWorkload *self, const gchar *cgroup)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->control_group, cgroup, "ControlGroup");
}

guint32
tender_workload_get_main_pid(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), 0);
	return self->main_pid;
}

void
tender_workload_set_main_pid(TenderWorkload *self, guint32 pid)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	if (self->main_pid == pid)
		return;
	self->main_pid = pid;
	tender_workload_changed(self, "MainPID");
}

gint32
tender_workload_get_exit_code(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), -1);
	return self->exit_code;
}

gint32
tender_workload_get_exit_signal(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), 0);
	return self->exit_signal;
}

/**
 * tender_workload_set_exit:
 * @self: a #TenderWorkload
 * @exit_code: the exit status, or -1
 * @exit_signal: the terminating signal, or 0
 */
void
tender_workload_set_exit(TenderWorkload *self, gint32 exit_code, gint32 exit_signal)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	if (self->exit_code != exit_code) {
		self->exit_code = exit_code;
		tender_workload_changed(self, "ExitCode");
	}
	if (self->exit_signal != exit_signal) {
		self->exit_signal = exit_signal;
		tender_workload_changed(self, "ExitSignal");
	}
}

const gchar *
tender_workload_get_created_at(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->created_at;
}

const gchar *
tender_workload_get_started_at(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->started_at;
}

const gchar *
tender_workload_get_stopped_at(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->stopped_at;
}

void
tender_workload_set_started_at(TenderWorkload *self, const gchar *timestamp)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->started_at, timestamp, "StartedAt");
}

void
tender_workload_set_stopped_at(TenderWorkload *self, const gchar *timestamp)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->stopped_at, timestamp, "StoppedAt");
}

guint32
tender_workload_get_restart_count(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), 0);
	return self->restart_count;
}

void
tender_workload_set_restart_count(TenderWorkload *self, guint32 count)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	if (self->restart_count == count)
		return;
	self->restart_count = count;
	tender_workload_changed(self, "RestartCount");
}

gboolean
tender_workload_get_oom_killed(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), FALSE);
	return self->oom_killed;
}

void
tender_workload_set_oom_killed(TenderWorkload *self, gboolean oom_killed)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	if (self->oom_killed == !!oom_killed)
		return;
	self->oom_killed = !!oom_killed;
	tender_workload_changed(self, "OOMKilled");
}

/**
 * tender_workload_get_health:
 * @self: a #TenderWorkload
 *
 * Returns: "none", "starting", "healthy" or "unhealthy"
 */
const gchar *
tender_workload_get_health(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->health;
}

void
tender_workload_set_health(TenderWorkload *self, const gchar *health)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->health, health, "Health");
}

static void
tender_workload_finalize(GObject *object)
{
	TenderWorkload *self = TENDER_WORKLOAD(object);
	g_free(self->name);
	g_free(self->object_path);
	g_free(self->unit);
	tender_spec_free(self->spec);
	g_free(self->reason);
	g_free(self->control_group);
	g_free(self->created_at);
	g_free(self->started_at);
	g_free(self->stopped_at);
	g_free(self->health);
	G_OBJECT_CLASS(tender_workload_parent_class)->finalize(object);
}

static void
tender_workload_class_init(TenderWorkloadClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_workload_finalize;

	/**
	 * TenderWorkload::changed:
	 * @self: the workload
	 * @property: the D-Bus name of the property that changed, e.g. "State"
	 */
	signals[SIGNAL_CHANGED] = g_signal_new("changed",
					       G_TYPE_FROM_CLASS(klass),
					       G_SIGNAL_RUN_LAST,
					       0,
					       NULL,
					       NULL,
					       NULL,
					       G_TYPE_NONE,
					       1,
					       G_TYPE_STRING);
	/**
	 * TenderWorkload::state-changed:
	 * @self: the workload
	 * @old_state: the #TenderState it left
	 * @new_state: the #TenderState it is in
	 * @reason: the new Reason
	 *
	 * Emitted for every transition, in order, after ::changed.
	 */
	signals[SIGNAL_STATE_CHANGED] = g_signal_new("state-changed",
						     G_TYPE_FROM_CLASS(klass),
						     G_SIGNAL_RUN_LAST,
						     0,
						     NULL,
						     NULL,
						     NULL,
						     G_TYPE_NONE,
						     3,
						     G_TYPE_UINT,
						     G_TYPE_UINT,
						     G_TYPE_STRING);
}

static void
tender_workload_init(TenderWorkload *self)
{
	self->state = TENDER_STATE_CREATED;
	self->exit_code = -1;
	self->reason = g_strdup("");
	self->control_group = g_strdup("");
	self->started_at = g_strdup("");
	self->stopped_at = g_strdup("");
	self->health = g_strdup("none");
}

/**
 * tender_workload_new:
 * @name: a valid workload name
 * @spec: (transfer full): its spec
 *
 * Returns: (transfer full): a workload in state "created"
 */
TenderWorkload *
tender_workload_new(const gchar *name, TenderSpec *spec)
{
	TenderWorkload *self = g_object_new(TENDER_TYPE_WORKLOAD, NULL);
	self->name = g_strdup(name);
	self->object_path = tender_util_object_path_for_name(name);
	self->unit = tender_util_unit_for_name(name);
	self->spec = spec;
	self->created_at = tender_util_timestamp_now();
	return self;
}
