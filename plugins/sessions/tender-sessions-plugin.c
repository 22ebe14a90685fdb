/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-plugin.h>

#include "tender-session-files.h"
#include "tender-sessions-service.h"

/*
 * The sessions plugin: a sandbox per (user, session), get-or-create, with a workspace, files,
 * exec, background processes, lifetime, idle expiry and a health monitor (issue 15), on the
 * native engine or on dockerd (through the Docker plugin's runtime).  Its init reads [plugin
 * sessions], declares org.tender.Agent1.Sessions and its routes, then reads the sessions' records
 * and reconnects each to its workload.
 *
 * [plugin sessions] in tenderd.conf:
 *   backend=native|docker   the default backend (native)
 *   image=NAME              the default image of tender's store (native)
 *   workspace-root=PATH     the workspaces' root, /var/lib/tender/workspaces by default
 *   max-sessions=N          sessions at most (default 64, at most 4096)
 *   max-file-size=BYTES     of a file written or read (default 16 MiB, at most 64 MiB)
 *   max-processes=N         background processes running at once per session (default 64)
 *   process-log-max=BYTES   of each of a background process's stdout and stderr logs kept
 *                           (default 8 MiB, 4 KiB to 256 MiB; the oldest half goes)
 *   health-interval=SEC     how often the health monitor looks at the sandboxes (default 30)
 */

static gboolean
tender_sessions_plugin_init(TenderPlugin *plugin, GError **error)
{
	g_autofree gchar *backend = tender_plugin_get_config_string(plugin, "backend", "native");
	g_autofree gchar *image = tender_plugin_get_config_string(plugin, "image", NULL);
	g_autofree gchar *root =
	    tender_plugin_get_config_string(plugin,
					    "workspace-root",
					    TENDER_SESSIONS_WORKSPACE_ROOT_DEFAULT);
	g_autoptr(TenderSessions) sessions = NULL;
	TenderSessionsSettings settings = {0};
	guint64 max_sessions = 0;
	guint64 max_file = 0;
	guint64 max_processes = 0;
	guint64 log_max = 0;

	if (g_strcmp0(backend, "native") != 0 && g_strcmp0(backend, "docker") != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[plugin sessions] backend=%s: give native or docker",
			    backend);
		return FALSE;
	}
	if (!g_path_is_absolute(root)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[plugin sessions] workspace-root=%s is not an absolute path",
			    root);
		return FALSE;
	}
	if (!tender_plugin_get_config_uint64(plugin,
					     "max-sessions",
					     TENDER_SESSIONS_MAX_DEFAULT,
					     TENDER_SESSIONS_MAX_MAX,
					     &max_sessions,
					     error) ||
	    !tender_plugin_get_config_uint64(plugin,
					     "max-file-size",
					     TENDER_SESSION_FILE_MAX_DEFAULT,
					     TENDER_SESSION_FILE_MAX_MAX,
					     &max_file,
					     error) ||
	    !tender_plugin_get_config_uint64(plugin,
					     "max-processes",
					     TENDER_SESSION_PROCESSES_MAX_DEFAULT,
					     TENDER_SESSION_PROCESSES_MAX_MAX,
					     &max_processes,
					     error) ||
	    !tender_plugin_get_config_uint64(plugin,
					     "process-log-max",
					     TENDER_SESSION_PROCESS_LOG_DEFAULT,
					     TENDER_SESSION_PROCESS_LOG_MAX,
					     &log_max,
					     error))
		return FALSE;
	if (log_max < TENDER_SESSION_PROCESS_LOG_MIN || max_processes == 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "[plugin sessions] process-log-max must be at least %d, max-processes "
			    "at least 1",
			    TENDER_SESSION_PROCESS_LOG_MIN);
		return FALSE;
	}
	settings.workspace_root = root;
	settings.default_backend = backend;
	settings.default_image = image != NULL && image[0] != '\0' ? image : NULL;
	settings.max_sessions = (guint)max_sessions;
	settings.max_file_size = (gsize)max_file;
	settings.max_processes = (guint)max_processes;
	settings.process_log_max = (gsize)log_max;
	sessions = tender_sessions_new(plugin, &settings);
	if (!tender_sessions_service_register(plugin, sessions, error) ||
	    !tender_sessions_load(sessions, error))
		return FALSE;
	tender_plugin_set_data(plugin, g_steal_pointer(&sessions), g_object_unref);
	return TRUE;
}

TENDER_PLUGIN_DEFINE("sessions",
		     PACKAGE_VERSION,
		     "sandbox sessions per user and session, with a workspace and files",
		     tender_sessions_plugin_init,
		     NULL)
