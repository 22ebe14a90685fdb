/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <tender-error.h>

#include "tender-session.h"

/*
 * A session: (user, id), validated; the name of its workload; its state; and its record, the
 * JSON kept in the plugin's state dir.
 */

/* "session-" and the ids, when they fit a workload name (64 characters) */
#define TENDER_SESSION_WORKLOAD_PREFIX "session-"
#define TENDER_SESSION_WORKLOAD_MAX    64

static const gchar *const tender_session_state_names[] = {
    [TENDER_SESSION_STATE_RUNNING] = "running",
    [TENDER_SESSION_STATE_STOPPED] = "stopped",
    [TENDER_SESSION_STATE_EXPIRED] = "expired",
    [TENDER_SESSION_STATE_FAILED] = "failed",
};

TenderSession *
tender_session_new(const gchar *user, const gchar *id, TenderSessionConfig *config)
{
	TenderSession *self = g_new0(TenderSession, 1);

	self->refcount = 1;
	self->user = g_strdup(user);
	self->id = g_strdup(id);
	self->workload = tender_session_workload_name(user, id, FALSE);
	self->config = config;
	self->state = TENDER_SESSION_STATE_STOPPED;
	self->created_at = g_get_real_time();
	self->last_activity = self->created_at;
	self->waiters = g_ptr_array_new_with_free_func(g_object_unref);
	return self;
}

TenderSession *
tender_session_ref(TenderSession *self)
{
	g_atomic_int_inc(&self->refcount);
	return self;
}

void
tender_session_unref(TenderSession *self)
{
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_clear_handle_id(&self->idle_id, g_source_remove);
	g_free(self->user);
	g_free(self->id);
	g_free(self->workload);
	g_free(self->workspace);
	g_clear_pointer(&self->config, tender_session_config_free);
	g_free(self->last_error);
	g_ptr_array_unref(self->waiters);
	g_clear_pointer(&self->processes, tender_session_processes_free);
	g_free(self);
}

/**
 * tender_session_check_id:
 * @what: "user" or "session", for the error
 * @value: an id
 * @error: (nullable): a #GError
 *
 * Checks @value against `[A-Za-z0-9_.-]{1,64}`, "." and ".." excepted (an id names a
 * directory of the workspace root).
 *
 * Returns: %TRUE if it is an id
 */
gboolean
tender_session_check_id(const gchar *what, const gchar *value, GError **error)
{
	gsize len = value != NULL ? strlen(value) : 0;

	if (len == 0 || len > TENDER_SESSION_ID_MAX ||
	    strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
		len ||
	    g_strcmp0(value, ".") == 0 || g_strcmp0(value, "..") == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s id '%s': 1 to %d of A-Z, a-z, 0-9, '_', '.' and '-', not "
			    "'.' or '..'",
			    what,
			    value != NULL ? value : "",
			    TENDER_SESSION_ID_MAX);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_session_workload_name:
 * @hashed: the hashed form in any case (the other is another session's: "a-b"/"c" and
 *   "a"/"b-c" have the same)
 *
 * Returns: `session-USER-ID` when that is a workload name of at most 64 characters starting
 *   with a letter or digit; else `session-` and 16 hex digits of the SHA-256 of USER/ID
 */
gchar *
tender_session_workload_name(const gchar *user, const gchar *id, gboolean hashed)
{
	g_autofree gchar *key = tender_session_key(user, id);
	g_autofree gchar *hash = NULL;

	if (!hashed && strlen(TENDER_SESSION_WORKLOAD_PREFIX) + strlen(user) + 1 + strlen(id) <=
			   TENDER_SESSION_WORKLOAD_MAX)
		return g_strdup_printf(TENDER_SESSION_WORKLOAD_PREFIX "%s-%s", user, id);
	hash = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
	hash[16] = '\0';
	return g_strdup_printf(TENDER_SESSION_WORKLOAD_PREFIX "%s", hash);
}

/**
 * tender_session_key:
 *
 * Returns: "USER/ID", the session's key in the manager and the name of its record
 */
gchar *
tender_session_key(const gchar *user, const gchar *id)
{
	return g_strdup_printf("%s/%s", user, id);
}

/* one id as an element of an object path: letters and digits as they are, others _XX */
static void
tender_session_subpath_append(GString *str, const gchar *value)
{
	for (const gchar *p = value; *p != '\0'; p++) {
		if (g_ascii_isalnum(*p))
			g_string_append_c(str, *p);
		else
			g_string_append_printf(str, "_%02x", (guint)(guchar)*p);
	}
}

/**
 * tender_session_subpath:
 *
 * Returns: the session's object, below the plugin's: "session/USER/ID", each id escaped
 *   (characters other than letters and digits as _XX, hex)
 */
gchar *
tender_session_subpath(const gchar *user, const gchar *id)
{
	GString *str = g_string_new("session/");

	tender_session_subpath_append(str, user);
	g_string_append_c(str, '/');
	tender_session_subpath_append(str, id);
	return g_string_free(str, FALSE);
}

const gchar *
tender_session_state_to_string(TenderSessionState state)
{
	if ((guint)state >= G_N_ELEMENTS(tender_session_state_names))
		return "failed";
	return tender_session_state_names[state];
}

static gboolean
tender_session_state_from_string(const gchar *name, TenderSessionState *state)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_session_state_names); i++) {
		if (g_strcmp0(name, tender_session_state_names[i]) == 0) {
			*state = (TenderSessionState)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* a state, and the error that led to it (NULL: the last error is kept) */
void
tender_session_set_state(TenderSession *self, TenderSessionState state, const gchar *error)
{
	gboolean changed = self->state != state;

	self->state = state;
	if (error != NULL && g_strcmp0(error, self->last_error) != 0) {
		g_free(self->last_error);
		self->last_error = g_strdup(error);
		changed = TRUE;
	}
	if (changed && self->changed != NULL)
		self->changed(self, self->changed_data);
}

/**
 * tender_session_get_expires_at:
 *
 * Returns: when the session expires if nothing happens meanwhile (wall clock, µs), 0 for
 *   never (no inactivity timeout, or expired already)
 */
gint64
tender_session_get_expires_at(TenderSession *self)
{
	if (self->config->inactivity_sec == 0 || self->state == TENDER_SESSION_STATE_EXPIRED)
		return 0;
	return self->last_activity + (gint64)self->config->inactivity_sec * G_USEC_PER_SEC;
}

/**
 * tender_session_to_json:
 *
 * Returns: (transfer full): its record
 */
JsonObject *
tender_session_to_json(TenderSession *self)
{
	JsonObject *obj = json_object_new();

	json_object_set_string_member(obj, "user", self->user);
	json_object_set_string_member(obj, "session", self->id);
	json_object_set_string_member(obj, "workload", self->workload);
	json_object_set_string_member(obj, "state", tender_session_state_to_string(self->state));
	if (self->workspace != NULL)
		json_object_set_string_member(obj, "workspace", self->workspace);
	json_object_set_object_member(obj, "config", tender_session_config_to_json(self->config));
	json_object_set_int_member(obj, "created_at", self->created_at);
	json_object_set_int_member(obj, "last_activity", self->last_activity);
	json_object_set_int_member(obj, "started_at", self->started_at);
	if (self->last_error != NULL)
		json_object_set_string_member(obj, "last_error", self->last_error);
	return obj;
}

/* the record's config: written by tender_session_config_to_json(), so null is "not set" */
static TenderSessionConfig *
tender_session_config_from_record(JsonObject *obj, GError **error)
{
	g_autoptr(JsonObject) copy = json_object_new();
	JsonObjectIter iter;
	const gchar *key;
	JsonNode *node;

	json_object_iter_init(&iter, obj);
	while (json_object_iter_next(&iter, &key, &node)) {
		if (!JSON_NODE_HOLDS_NULL(node))
			json_object_set_member(copy, key, json_node_copy(node));
	}
	return tender_session_config_from_json(copy, "native", NULL, error);
}

/**
 * tender_session_from_json:
 * @obj: a record
 *
 * Returns: (transfer full): the session, or %NULL if the record is not one
 */
TenderSession *
tender_session_from_json(JsonObject *obj, GError **error)
{
	const gchar *user = json_object_get_string_member_with_default(obj, "user", NULL);
	const gchar *id = json_object_get_string_member_with_default(obj, "session", NULL);
	const gchar *state = json_object_get_string_member_with_default(obj, "state", NULL);
	const gchar *workload = json_object_get_string_member_with_default(obj, "workload", NULL);
	JsonObject *config_obj = json_object_get_object_member(obj, "config");
	TenderSessionConfig *config;
	TenderSession *self;

	if (!tender_session_check_id("user", user, error) ||
	    !tender_session_check_id("session", id, error))
		return NULL;
	if (config_obj == NULL || workload == NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the record has no config or workload");
		return NULL;
	}
	config = tender_session_config_from_record(config_obj, error);
	if (config == NULL)
		return NULL;
	self = tender_session_new(user, id, config);
	g_free(self->workload);
	self->workload = g_strdup(workload);
	if (!tender_session_state_from_string(state, &self->state))
		self->state = TENDER_SESSION_STATE_STOPPED;
	self->workspace =
	    g_strdup(json_object_get_string_member_with_default(obj, "workspace", NULL));
	self->created_at = json_object_get_int_member_with_default(obj, "created_at", 0);
	self->last_activity = json_object_get_int_member_with_default(obj, "last_activity", 0);
	self->started_at = json_object_get_int_member_with_default(obj, "started_at", 0);
	self->last_error =
	    g_strdup(json_object_get_string_member_with_default(obj, "last_error", NULL));
	return self;
}

/**
 * tender_session_set_time:
 * @usec: wall clock, µs; 0 or less: no member
 *
 * Sets @member of @obj to @usec as ISO 8601 (UTC, whole seconds).
 */
void
tender_session_set_time(JsonObject *obj, const gchar *member, gint64 usec)
{
	g_autoptr(GDateTime) dt = NULL;
	g_autofree gchar *text = NULL;

	if (usec <= 0)
		return;
	dt = g_date_time_new_from_unix_utc(usec / G_USEC_PER_SEC);
	text = g_date_time_format_iso8601(dt);
	json_object_set_string_member(obj, member, text);
}
