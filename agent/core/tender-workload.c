/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-util.h"
#include "tender-workload.h"
#include "tender-workload-view.h"

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
	gchar *address; /* on the private network, "" for none */
	guint32 main_pid;
	gint32 exit_code;
	gint32 exit_signal;
	gchar *created_at;
	gchar *started_at;
	gchar *stopped_at;
	guint32 restart_count;
	gboolean oom_killed;
	gchar *health;
	gchar *owner;	 /* the plugin that created it, "" for the users */
	gchar **command; /* as the runtime made it; NULL: the spec's argv */
};

G_DEFINE_TYPE(TenderWorkload, tender_workload, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, SIGNAL_STATE_CHANGED, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

static void
tender_workload_changed(TenderWorkload *self, TenderWorkloadProp prop)
{
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, tender_workload_prop_get_name(prop));
}

static void
tender_workload_set_string(TenderWorkload *self,
			   gchar **field,
			   const gchar *value,
			   TenderWorkloadProp property)
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
	tender_workload_set_string(self, &self->reason, reason, TENDER_WORKLOAD_PROP_REASON);
	self->state = state;
	tender_workload_changed(self, TENDER_WORKLOAD_PROP_STATE);
	g_signal_emit(self, signals[SIGNAL_STATE_CHANGED], 0, old, state, self->reason);
	return TRUE;
}

/**
 * tender_workload_set_unit:
 * @self: a #TenderWorkload
 * @unit: (nullable): the systemd unit it runs in, as its runtime names it
 */
void
tender_workload_set_unit(TenderWorkload *self, const gchar *unit)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->unit, unit, TENDER_WORKLOAD_PROP_UNIT);
}

/**
 * tender_workload_reset_state:
 * @self: a #TenderWorkload
 * @state: the state
 * @reason: (nullable): why
 *
 * Sets the state without checking the lifecycle and without announcing it: only for a
 * workload being restored from a state file, before anyone can see it.
 */
void
tender_workload_reset_state(TenderWorkload *self, TenderState state, const gchar *reason)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	self->state = state;
	g_free(self->reason);
	self->reason = g_strdup(reason != NULL ? reason : "");
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
	tender_workload_set_string(self,
				   &self->control_group,
				   cgroup,
				   TENDER_WORKLOAD_PROP_CONTROL_GROUP);
}

const gchar *
tender_workload_get_address(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->address;
}

void
tender_workload_set_address(TenderWorkload *self, const gchar *address)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->address, address, TENDER_WORKLOAD_PROP_ADDRESS);
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
	tender_workload_changed(self, TENDER_WORKLOAD_PROP_MAIN_PID);
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
		tender_workload_changed(self, TENDER_WORKLOAD_PROP_EXIT_CODE);
	}
	if (self->exit_signal != exit_signal) {
		self->exit_signal = exit_signal;
		tender_workload_changed(self, TENDER_WORKLOAD_PROP_EXIT_SIGNAL);
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
	tender_workload_set_string(self,
				   &self->started_at,
				   timestamp,
				   TENDER_WORKLOAD_PROP_STARTED_AT);
}

void
tender_workload_set_stopped_at(TenderWorkload *self, const gchar *timestamp)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self,
				   &self->stopped_at,
				   timestamp,
				   TENDER_WORKLOAD_PROP_STOPPED_AT);
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
	tender_workload_changed(self, TENDER_WORKLOAD_PROP_RESTART_COUNT);
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
	tender_workload_changed(self, TENDER_WORKLOAD_PROP_OOM_KILLED);
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
	tender_workload_set_string(self, &self->health, health, TENDER_WORKLOAD_PROP_HEALTH);
}

/**
 * tender_workload_get_owner:
 * @self: a #TenderWorkload
 *
 * Returns: the name of the plugin that created the workload, or "" for one the users created
 */
const gchar *
tender_workload_get_owner(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return self->owner;
}

/**
 * tender_workload_set_owner:
 * @self: a new #TenderWorkload, before anyone sees it
 * @owner: (nullable): the plugin that creates it, or %NULL for the users
 */
void
tender_workload_set_owner(TenderWorkload *self, const gchar *owner)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	g_free(self->owner);
	self->owner = g_strdup(owner != NULL ? owner : "");
}

/**
 * tender_workload_get_command:
 * @self: a #TenderWorkload
 *
 * Returns: (transfer none) (nullable): the command the workload runs (the Command property):
 *	as its runtime made it at create, import or the last start, else its spec's argv
 *	(%NULL for a spec that leaves it to an image)
 */
const gchar *const *
tender_workload_get_command(TenderWorkload *self)
{
	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	return (const gchar *const *)(self->command != NULL ? self->command : self->spec->argv);
}

/**
 * tender_workload_set_command:
 * @self: a #TenderWorkload
 * @command: the command its runtime made (tender_runtime_resolve_command())
 */
void
tender_workload_set_command(TenderWorkload *self, const gchar *const *command)
{
	const gchar *const *now;
	gboolean same;

	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	g_return_if_fail(command != NULL);
	now = tender_workload_get_command(self);
	same = now != NULL && g_strv_equal(now, command);
	g_strfreev(self->command);
	self->command = g_strdupv((gchar **)command);
	if (!same)
		tender_workload_changed(self, TENDER_WORKLOAD_PROP_COMMAND);
}

/**
 * tender_workload_replace_state:
 * @self: a #TenderWorkload
 * @state: the state
 * @reason: (nullable): why
 *
 * Sets the state without checking the lifecycle, and announces it (::changed, not
 * ::state-changed): for a workload whose state was known only from its state file, now that
 * it can be reached again.
 */
void
tender_workload_replace_state(TenderWorkload *self, TenderState state, const gchar *reason)
{
	g_return_if_fail(TENDER_IS_WORKLOAD(self));
	tender_workload_set_string(self, &self->reason, reason, TENDER_WORKLOAD_PROP_REASON);
	if (self->state == state)
		return;
	self->state = state;
	tender_workload_changed(self, TENDER_WORKLOAD_PROP_STATE);
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
	g_free(self->address);
	g_free(self->created_at);
	g_free(self->started_at);
	g_free(self->stopped_at);
	g_free(self->health);
	g_free(self->owner);
	g_strfreev(self->command);
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
	self->unit = g_strdup("");
	self->control_group = g_strdup("");
	self->address = g_strdup("");
	self->started_at = g_strdup("");
	self->stopped_at = g_strdup("");
	self->health = g_strdup("none");
	self->owner = g_strdup("");
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
	self->spec = spec;
	self->created_at = tender_util_timestamp_now();
	return self;
}

/**
 * tender_workload_to_json:
 * @self: a #TenderWorkload
 *
 * Returns: (transfer full): the workload as ExportWorkload documents it:
 * {"format": "tender-workload/1", "name": ..., "spec": {...}, "state": {...}}, and "owner"
 * for a workload a plugin created
 */
JsonNode *
tender_workload_to_json(TenderWorkload *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	g_return_val_if_fail(TENDER_IS_WORKLOAD(self), NULL);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "format");
	json_builder_add_string_value(builder, TENDER_WORKLOAD_JSON_FORMAT);
	json_builder_set_member_name(builder, "name");
	json_builder_add_string_value(builder, self->name);
	if (self->owner[0] != '\0') {
		json_builder_set_member_name(builder, "owner");
		json_builder_add_string_value(builder, self->owner);
	}
	json_builder_set_member_name(builder, "spec");
	json_builder_add_value(builder, tender_spec_to_json(self->spec));
	json_builder_set_member_name(builder, "state");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "state");
	json_builder_add_string_value(builder, tender_state_to_string(self->state));
	json_builder_set_member_name(builder, "reason");
	json_builder_add_string_value(builder, self->reason);
	json_builder_set_member_name(builder, "exit_code");
	json_builder_add_int_value(builder, self->exit_code);
	json_builder_set_member_name(builder, "exit_signal");
	json_builder_add_int_value(builder, self->exit_signal);
	json_builder_set_member_name(builder, "restart_count");
	json_builder_add_int_value(builder, self->restart_count);
	json_builder_set_member_name(builder, "oom_killed");
	json_builder_add_boolean_value(builder, self->oom_killed);
	json_builder_set_member_name(builder, "main_pid");
	json_builder_add_int_value(builder, self->main_pid);
	json_builder_set_member_name(builder, "control_group");
	json_builder_add_string_value(builder, self->control_group);
	json_builder_set_member_name(builder, "address");
	json_builder_add_string_value(builder, self->address);
	json_builder_set_member_name(builder, "created_at");
	json_builder_add_string_value(builder, self->created_at);
	json_builder_set_member_name(builder, "started_at");
	json_builder_add_string_value(builder, self->started_at);
	json_builder_set_member_name(builder, "stopped_at");
	json_builder_add_string_value(builder, self->stopped_at);
	json_builder_end_object(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static gboolean
tender_workload_json_string(JsonObject *obj,
			    const gchar *member,
			    gboolean required,
			    const gchar **out,
			    GError **error)
{
	JsonNode *node = json_object_get_member(obj, member);

	if (node == NULL && !required)
		return TRUE;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "'%s' must be a string",
			    member);
		return FALSE;
	}
	*out = json_node_get_string(node);
	return TRUE;
}

/* "", or what may be a plugin's name: a plugin may manage the workloads it owns */
static gboolean
tender_workload_check_owner(const gchar *owner, GError **error)
{
	if (owner[0] == '\0' ||
	    (strlen(owner) <= TENDER_WORKLOAD_OWNER_MAX && tender_util_check_name(owner, NULL)))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "'owner' must be the name of a plugin, at most %d characters",
		    TENDER_WORKLOAD_OWNER_MAX);
	return FALSE;
}

/* the last known state, from a state file: trusted as tenderd wrote it, but checked */
static gboolean
tender_workload_restore_state(TenderWorkload *self, JsonObject *obj, GError **error)
{
	const gchar *state = NULL;
	const gchar *timestamps[] = {"created_at", "started_at", "stopped_at"};
	gchar **fields[] = {&self->created_at, &self->started_at, &self->stopped_at};

	if (!tender_workload_json_string(obj, "state", TRUE, &state, error))
		return FALSE;
	self->state = tender_state_from_string(state);
	if (self->state == TENDER_STATE_LAST) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown state '%s'",
			    state);
		return FALSE;
	}
	g_free(self->reason);
	self->reason = g_strdup(json_object_get_string_member_with_default(obj, "reason", ""));
	self->exit_code = (gint32)json_object_get_int_member_with_default(obj, "exit_code", -1);
	self->exit_signal = (gint32)json_object_get_int_member_with_default(obj, "exit_signal", 0);
	self->restart_count =
	    (guint32)json_object_get_int_member_with_default(obj, "restart_count", 0);
	self->oom_killed = json_object_get_boolean_member_with_default(obj, "oom_killed", FALSE);
	self->main_pid = (guint32)json_object_get_int_member_with_default(obj, "main_pid", 0);
	g_free(self->control_group);
	self->control_group =
	    g_strdup(json_object_get_string_member_with_default(obj, "control_group", ""));
	g_free(self->address);
	self->address = g_strdup(json_object_get_string_member_with_default(obj, "address", ""));
	for (guint i = 0; i < G_N_ELEMENTS(timestamps); i++) {
		const gchar *value = "";
		if (!tender_workload_json_string(obj, timestamps[i], FALSE, &value, error))
			return FALSE;
		if (i == 0 && value[0] == '\0')
			continue; /* keep the new workload's own */
		g_free(*fields[i]);
		*fields[i] = g_strdup(value);
	}
	return TRUE;
}

/**
 * tender_workload_new_from_json:
 * @node: what tender_workload_to_json() returned
 * @name: (nullable): the name to give the workload, or %NULL for the one in @node
 * @restore_state: %TRUE to take the state from @node too (tenderd's own state files),
 *   %FALSE for a new workload in state "created" (an import)
 * @error: (nullable): a #GError
 *
 * Checks the spec exactly as tender_spec_new_from_variant() does.
 *
 * Returns: (transfer full): the workload, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT
 */
TenderWorkload *
tender_workload_new_from_json(JsonNode *node,
			      const gchar *name,
			      gboolean restore_state,
			      GError **error)
{
	JsonObject *obj;
	JsonNode *state;
	const gchar *format = NULL;
	const gchar *own_name = NULL;
	const gchar *owner = NULL;
	TenderSpec *spec;
	g_autoptr(TenderWorkload) self = NULL;

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "A workload must be a JSON object");
		return NULL;
	}
	obj = json_node_get_object(node);
	if (!tender_workload_json_string(obj, "format", TRUE, &format, error))
		return NULL;
	if (g_strcmp0(format, TENDER_WORKLOAD_JSON_FORMAT) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Unknown format '%s'; this tenderd reads '%s'",
			    format,
			    TENDER_WORKLOAD_JSON_FORMAT);
		return NULL;
	}
	if (!tender_workload_json_string(obj, "name", name == NULL, &own_name, error))
		return NULL;
	if (name == NULL)
		name = own_name;
	if (!tender_util_check_name(name, error))
		return NULL;
	if (!tender_workload_json_string(obj, "owner", FALSE, &owner, error))
		return NULL;
	if (owner != NULL && !tender_workload_check_owner(owner, error))
		return NULL;
	spec = tender_spec_new_from_json(json_object_get_member(obj, "spec"), error);
	if (spec == NULL)
		return NULL;
	self = tender_workload_new(name, spec);
	tender_workload_set_owner(self, owner);
	if (!restore_state)
		return g_steal_pointer(&self);
	state = json_object_get_member(obj, "state");
	if (state == NULL || !JSON_NODE_HOLDS_OBJECT(state)) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "'state' must be an object");
		return NULL;
	}
	if (!tender_workload_restore_state(self, json_node_get_object(state), error))
		return NULL;
	return g_steal_pointer(&self);
}
