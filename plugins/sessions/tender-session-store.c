/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <tender-error.h>
#include <tender-json.h>

#include "tender-session-store.h"

/*
 * The sessions' records: one JSON file per session, USER@SESSION.json ('@' is in no id), in
 * the plugin's state dir, root's only, written whole (a new file renamed over the old).
 */

/* a record is a few KiB; anything much larger is not one */
#define TENDER_SESSION_RECORD_MAX (1024 * 1024)

static gchar *
tender_session_store_path(const gchar *dir, TenderSession *session)
{
	g_autofree gchar *name = g_strdup_printf("%s@%s.json", session->user, session->id);
	return g_build_filename(dir, name, NULL);
}

/**
 * tender_session_store_load:
 * @dir: the records' directory (made if missing)
 *
 * Reads every record; one that cannot be read is logged and left where it is.
 *
 * Returns: (transfer full) (element-type TenderSession): the sessions
 */
GPtrArray *
tender_session_store_load(const gchar *dir, GError **error)
{
	g_autoptr(GPtrArray) sessions =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_session_unref);
	g_autoptr(GDir) d = NULL;
	const gchar *name;

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "cannot make %s: %s",
			    dir,
			    g_strerror(errno));
		return NULL;
	}
	d = g_dir_open(dir, 0, error);
	if (d == NULL)
		return NULL;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *text = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(JsonNode) node = NULL;
		gsize len = 0;
		TenderSession *session = NULL;

		if (!g_str_has_suffix(name, ".json"))
			continue;
		if (g_file_get_contents(path, &text, &len, &error_local) &&
		    len <= TENDER_SESSION_RECORD_MAX &&
		    (node = tender_json_parse(text,
					      (gssize)len,
					      TENDER_JSON_DEPTH_MAX,
					      &error_local)) != NULL &&
		    JSON_NODE_HOLDS_OBJECT(node))
			session =
			    tender_session_from_json(json_node_get_object(node), &error_local);
		if (session == NULL) {
			g_warning("cannot read the session record %s: %s",
				  path,
				  error_local != NULL ? error_local->message : "not a JSON object");
			continue;
		}
		g_ptr_array_add(sessions, session);
	}
	return g_steal_pointer(&sessions);
}

gboolean
tender_session_store_save(const gchar *dir, TenderSession *session, GError **error)
{
	g_autofree gchar *path = tender_session_store_path(dir, session);
	g_autoptr(JsonObject) obj = tender_session_to_json(session);
	g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), obj);
	g_autofree gchar *text = json_to_string(node, TRUE);

	return g_file_set_contents_full(path,
					text,
					-1,
					G_FILE_SET_CONTENTS_CONSISTENT,
					0600,
					error);
}

gboolean
tender_session_store_delete(const gchar *dir, TenderSession *session, GError **error)
{
	g_autofree gchar *path = tender_session_store_path(dir, session);

	if (g_unlink(path) != 0 && errno != ENOENT) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "cannot remove %s: %s",
			    path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
