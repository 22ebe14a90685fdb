/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-docker-cleanup.h"

/*
 * What a cleanup did (TenderDockerCleanupJob does it): tender's answer, which names what was
 * removed and left, and seed 002's, which counts them (SessionCleanupResult for a session;
 * {"status", "networks_removed"} for all networks).
 */

/**
 * tender_docker_cleanup_new:
 * @session_id: (nullable): the session, or %NULL for a cleanup of networks
 * @force: whether what runs is stopped too
 *
 * Returns: (transfer full): an empty record
 */
TenderDockerCleanup *
tender_docker_cleanup_new(const gchar *session_id, gboolean force)
{
	TenderDockerCleanup *self = g_new0(TenderDockerCleanup, 1);

	self->session_id = g_strdup(session_id);
	self->force = force;
	self->tools = g_ptr_array_new_with_free_func(g_free);
	self->relics = g_ptr_array_new_with_free_func(g_free);
	self->containers = g_ptr_array_new_with_free_func(g_free);
	self->networks = g_ptr_array_new_with_free_func(g_free);
	self->left = g_ptr_array_new_with_free_func(g_free);
	self->errors = g_ptr_array_new_with_free_func(g_free);
	return self;
}

void
tender_docker_cleanup_free(TenderDockerCleanup *self)
{
	if (self == NULL)
		return;
	g_free(self->session_id);
	g_ptr_array_unref(self->tools);
	g_ptr_array_unref(self->relics);
	g_ptr_array_unref(self->containers);
	g_ptr_array_unref(self->networks);
	g_ptr_array_unref(self->left);
	g_ptr_array_unref(self->errors);
	g_free(self);
}

void
tender_docker_cleanup_add_error(TenderDockerCleanup *self, const gchar *format, ...)
{
	va_list args;

	va_start(args, format);
	g_ptr_array_add(self->errors, g_strdup_vprintf(format, args));
	va_end(args);
}

static JsonArray *
tender_docker_cleanup_strings(GPtrArray *strings)
{
	JsonArray *array = json_array_sized_new(strings->len);

	for (guint i = 0; i < strings->len; i++)
		json_array_add_string_element(array, g_ptr_array_index(strings, i));
	return array;
}

/**
 * tender_docker_cleanup_to_json:
 * @self: what a cleanup did
 *
 * Returns: (transfer full): tender's answer: for a session session_id, force, tools_removed,
 *   relics_removed, containers_removed, networks_removed, left and errors; for networks
 *   networks_removed, left (those in use) and errors
 */
JsonObject *
tender_docker_cleanup_to_json(const TenderDockerCleanup *self)
{
	JsonObject *obj = json_object_new();

	if (self->session_id != NULL) {
		json_object_set_string_member(obj, "session_id", self->session_id);
		json_object_set_boolean_member(obj, "force", self->force);
		json_object_set_array_member(obj,
					     "tools_removed",
					     tender_docker_cleanup_strings(self->tools));
		json_object_set_array_member(obj,
					     "relics_removed",
					     tender_docker_cleanup_strings(self->relics));
		json_object_set_array_member(obj,
					     "containers_removed",
					     tender_docker_cleanup_strings(self->containers));
	}
	json_object_set_array_member(obj,
				     "networks_removed",
				     tender_docker_cleanup_strings(self->networks));
	json_object_set_array_member(obj, "left", tender_docker_cleanup_strings(self->left));
	json_object_set_array_member(obj, "errors", tender_docker_cleanup_strings(self->errors));
	return obj;
}

/**
 * tender_docker_cleanup_to_cortex_json:
 * @self: what a cleanup did
 *
 * Returns: (transfer full): seed 002's answer, its members in its order: for a session
 *   SessionCleanupResult (session_id, containers_removed, networks_removed, volumes_removed,
 *   errors: counts, and what went wrong or was left); for networks status "completed" and
 *   networks_removed, a count
 */
JsonObject *
tender_docker_cleanup_to_cortex_json(const TenderDockerCleanup *self)
{
	JsonObject *obj = json_object_new();

	if (self->session_id == NULL) {
		json_object_set_string_member(obj, "status", "completed");
		json_object_set_int_member(obj, "networks_removed", self->networks->len);
		return obj;
	}
	json_object_set_string_member(obj, "session_id", self->session_id);
	json_object_set_int_member(obj, "containers_removed", self->containers->len);
	json_object_set_int_member(obj, "networks_removed", self->networks->len);
	json_object_set_int_member(obj, "volumes_removed", 0);
	json_object_set_array_member(obj, "errors", tender_docker_cleanup_strings(self->errors));
	return obj;
}
