/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tender-error.h"
#include "tender-plugin-instance-private.h"

/*
 * Starting a plugin: its probe (or init), and for a deferred one the backoff timer and the
 * D-Bus names whose appearing probes it again at once.
 */

/* --- the core's side --- */

/* makes the state directory, and calls the plugin's probe, or its init */
static TenderPluginProbeResult
tender_plugin_probe_plugin(TenderPlugin *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	const gchar *what = self->descriptor->probe != NULL ? "probe" : "init";
	TenderPluginProbeResult result;

	if (self->state_dir == NULL)
		self->state_dir =
		    g_build_filename(self->config->state_dir, "plugins", self->name, NULL);
	if (g_mkdir_with_parents(self->state_dir, 0700) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "Cannot create %s: %s",
			    self->state_dir,
			    g_strerror(errno));
		return TENDER_PLUGIN_PROBE_RESULT_FAIL;
	}
	self->probing = TRUE;
	self->probe_asked = FALSE;
	if (self->descriptor->probe != NULL)
		result = self->descriptor->probe(self, &error_local);
	else
		result = self->descriptor->init(self, &error_local)
			     ? TENDER_PLUGIN_PROBE_RESULT_SUCCESS
			     : TENDER_PLUGIN_PROBE_RESULT_FAIL;
	self->probing = FALSE;
	if (result == TENDER_PLUGIN_PROBE_RESULT_SUCCESS)
		return result;
	tender_plugin_clear_registrations(self);
	if (result != TENDER_PLUGIN_PROBE_RESULT_DEFER)
		result = TENDER_PLUGIN_PROBE_RESULT_FAIL;
	if (error_local == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    result == TENDER_PLUGIN_PROBE_RESULT_DEFER
				? "its %s deferred without saying why"
				: "its %s failed without saying why",
			    what);
	} else if (result == TENDER_PLUGIN_PROBE_RESULT_DEFER) {
		g_propagate_error(error, g_steal_pointer(&error_local));
	} else {
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "its %s failed: ",
					   what);
	}
	return result;
}

void
tender_plugin_unwatch_names(TenderPlugin *self, gboolean forget)
{
	GHashTableIter iter;
	gpointer id;

	g_hash_table_iter_init(&iter, self->names);
	while (g_hash_table_iter_next(&iter, NULL, &id)) {
		if (GPOINTER_TO_UINT(id) != 0)
			g_bus_unwatch_name(GPOINTER_TO_UINT(id));
		g_hash_table_iter_replace(&iter, GUINT_TO_POINTER(0));
	}
	if (forget)
		g_hash_table_remove_all(self->names);
}

static gboolean
tender_plugin_probe_cb(gpointer user_data)
{
	TenderPlugin *self = TENDER_PLUGIN(user_data);

	self->probe_id = 0;
	tender_plugin_start(self);
	if (self->status != TENDER_PLUGIN_STATUS_DEFERRED)
		tender_plugin_log_status(self);
	return G_SOURCE_REMOVE;
}

/* probes a deferred plugin again after @delay_ms, or sooner than scheduled */
static void
tender_plugin_schedule_probe(TenderPlugin *self, guint delay_ms)
{
	g_clear_handle_id(&self->probe_id, g_source_remove);
	self->probe_id = g_timeout_add(delay_ms, tender_plugin_probe_cb, self);
}

/**
 * tender_plugin_start:
 * @self: a #TenderPlugin with a descriptor
 *
 * Probes the plugin (or calls its init) and says how it went in its status: active, failed
 * (whatever it registered is dropped again), or deferred, to be probed again on a backoff
 * timer and when a name it watches appears.
 */
void
tender_plugin_start(TenderPlugin *self)
{
	g_autoptr(GError) error = NULL;

	switch (tender_plugin_probe_plugin(self, &error)) {
	case TENDER_PLUGIN_PROBE_RESULT_SUCCESS:
		self->initialized = TRUE;
		g_clear_handle_id(&self->probe_id, g_source_remove);
		tender_plugin_unwatch_names(self, TRUE);
		tender_plugin_set_status(self, TENDER_PLUGIN_STATUS_ACTIVE, NULL);
		tender_plugin_announce_registrations(self);
		break;
	case TENDER_PLUGIN_PROBE_RESULT_DEFER:
		tender_plugin_set_status(self, TENDER_PLUGIN_STATUS_DEFERRED, error->message);
		/* a plugin that asked for it during its probe is probed again at once */
		if (self->probe_asked) {
			tender_plugin_schedule_probe(self, 0);
			break;
		}
		tender_plugin_schedule_probe(self, self->probe_delay_ms);
		g_debug("plugin %s deferred, probed again in %u ms: %s",
			self->name,
			self->probe_delay_ms,
			error->message);
		self->probe_delay_ms =
		    MIN(self->probe_delay_ms * 2, TENDER_PLUGIN_PROBE_DELAY_MAX_MS);
		break;
	case TENDER_PLUGIN_PROBE_RESULT_FAIL:
	default:
		tender_plugin_unwatch_names(self, TRUE);
		tender_plugin_set_status(self, TENDER_PLUGIN_STATUS_FAILED, error->message);
		break;
	}
}

static void
tender_plugin_name_appeared_cb(GDBusConnection *connection,
			       const gchar *name,
			       const gchar *name_owner,
			       gpointer user_data)
{
	TenderPlugin *self = TENDER_PLUGIN(user_data);

	if (self->status != TENDER_PLUGIN_STATUS_DEFERRED)
		return;
	g_debug("plugin %s: %s appeared, probing it now", self->name, name);
	tender_plugin_schedule_probe(self, 0);
}

/* watches the names on the bus tenderd serves on, once it is there */
void
tender_plugin_arm_names(TenderPlugin *self)
{
	GHashTableIter iter;
	gpointer name;
	gpointer id;

	g_hash_table_iter_init(&iter, self->names);
	while (g_hash_table_iter_next(&iter, &name, &id)) {
		if (GPOINTER_TO_UINT(id) != 0 || self->connection == NULL)
			continue;
		id = GUINT_TO_POINTER(g_bus_watch_name_on_connection(self->connection,
								     name,
								     G_BUS_NAME_WATCHER_FLAGS_NONE,
								     tender_plugin_name_appeared_cb,
								     NULL,
								     self,
								     NULL));
		g_hash_table_iter_replace(&iter, id);
	}
}

/**
 * tender_plugin_log_status:
 * @self: a #TenderPlugin
 *
 * Says in the journal what became of the plugin: loaded, disabled, deferred or refused.
 */
void
tender_plugin_log_status(TenderPlugin *self)
{
	switch (self->status) {
	case TENDER_PLUGIN_STATUS_ACTIVE:
		g_info("plugin %s %s loaded from %s", self->name, self->version, self->filename);
		break;
	case TENDER_PLUGIN_STATUS_DISABLED:
		g_info("plugin %s (%s) is disabled in tenderd.conf", self->name, self->filename);
		break;
	case TENDER_PLUGIN_STATUS_DEFERRED:
		g_info("plugin %s (%s) deferred: %s",
		       self->name,
		       self->filename,
		       self->status_message);
		break;
	case TENDER_PLUGIN_STATUS_FAILED:
	default:
		g_warning("plugin %s refused: %s", self->filename, self->status_message);
		break;
	}
}

/**
 * tender_plugin_shutdown_plugin:
 * @self: a #TenderPlugin
 *
 * Calls the plugin's shutdown once, if its init or probe succeeded; a deferred plugin is
 * not probed again.
 */
void
tender_plugin_shutdown_plugin(TenderPlugin *self)
{
	g_clear_handle_id(&self->probe_id, g_source_remove);
	tender_plugin_unwatch_names(self, TRUE);
	if (!self->initialized)
		return;
	self->initialized = FALSE;
	if (self->descriptor->shutdown != NULL)
		self->descriptor->shutdown(self);
}

/* --- the plugin API: probing again --- */

/**
 * tender_plugin_watch_name:
 * @self: a #TenderPlugin
 * @name: a well-known D-Bus name, e.g. "org.freedesktop.NetworkManager"
 *
 * For a probe that is about to return %TENDER_PLUGIN_PROBE_RESULT_DEFER: probe the plugin
 * again as soon as @name appears on the bus tenderd serves on, rather than when the backoff
 * timer says.  Watches stay across deferred probes (watching a name twice is watching it
 * once) and end when a probe succeeds or fails.
 *
 * Since: 0.2
 */
void
tender_plugin_watch_name(TenderPlugin *self, const gchar *name)
{
	g_return_if_fail(TENDER_IS_PLUGIN(self));
	g_return_if_fail(name != NULL && g_dbus_is_name(name) && !g_dbus_is_unique_name(name));
	if (self->initialized || g_hash_table_contains(self->names, name))
		return;
	g_hash_table_insert(self->names, g_strdup(name), GUINT_TO_POINTER(0));
	tender_plugin_arm_names(self);
}

/**
 * tender_plugin_request_probe:
 * @self: a #TenderPlugin
 *
 * For a plugin whose probe deferred because what it needs was not there yet, and which
 * learns by itself that it has come (a connection it began in the probe succeeded, a file
 * appeared): probe the plugin again on the next iteration of the main loop, rather than
 * when the backoff timer says.  Called from within the probe, the probe that follows a
 * deferral comes at once.  Does nothing for a plugin that is not deferred (active, failed,
 * or one that is not probed).
 *
 * Since: 0.3
 */
void
tender_plugin_request_probe(TenderPlugin *self)
{
	g_return_if_fail(TENDER_IS_PLUGIN(self));
	if (self->probing) {
		self->probe_asked = TRUE;
		return;
	}
	if (self->status != TENDER_PLUGIN_STATUS_DEFERRED || self->descriptor == NULL ||
	    self->descriptor->probe == NULL)
		return;
	g_debug("plugin %s asked to be probed again", self->name);
	tender_plugin_schedule_probe(self, 0);
}
