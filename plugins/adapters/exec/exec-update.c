/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <tender-plugin.h>

#include "exec-config.h"
#include "exec-update.h"

/*
 * What the exec adapter does with a planned live update (exec_config_plan_update()): it
 * rewrites the files of its keys, then sends their signals.  Unit-tested in
 * tests/unit/test-adapters.c.
 */

static gboolean
exec_update_write(ExecUpdateAction *action, JsonObject *payload, GError **error)
{
	g_autofree gchar *value =
	    exec_config_value_to_string(json_object_get_member(payload, action->key));
	g_autofree gchar *contents = NULL;

	if (strlen(value) > EXEC_CONFIG_VALUE_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Update key '%s' is longer than %u bytes",
			    action->key,
			    (guint)EXEC_CONFIG_VALUE_MAX);
		return FALSE;
	}
	contents = g_strdup_printf("%s\n", value);
	if (!g_file_set_contents_full(action->file,
				      contents,
				      -1,
				      G_FILE_SET_CONTENTS_CONSISTENT,
				      0644,
				      error)) {
		/* GLib's message names the temporary file */
		g_prefix_error(error,
			       "Cannot apply update key '%s': cannot write %s: ",
			       action->key,
			       action->file);
		return FALSE;
	}
	return TRUE;
}

/**
 * exec_update_apply:
 * @plan: (element-type ExecUpdateAction): the actions of an update
 * @payload: the update
 * @kill_func: sends a signal to the workload
 * @user_data: for @kill_func
 * @error: (nullable): a #GError
 *
 * Writes every file of @plan first, then sends each of its signals once, in the order of
 * @plan; stops at the first that fails.
 *
 * Returns: %TRUE if the update was applied
 */
gboolean
exec_update_apply(GPtrArray *plan,
		  JsonObject *payload,
		  ExecUpdateKillFunc kill_func,
		  gpointer user_data,
		  GError **error)
{
	g_autoptr(GArray) signals = g_array_new(FALSE, FALSE, sizeof(gint));

	for (guint i = 0; i < plan->len; i++) {
		ExecUpdateAction *action = g_ptr_array_index(plan, i);
		gboolean seen = FALSE;

		if (action->file != NULL && !exec_update_write(action, payload, error))
			return FALSE;
		for (guint s = 0; s < signals->len; s++)
			seen = seen || g_array_index(signals, gint, s) == action->signo;
		if (action->signo != 0 && !seen)
			g_array_append_val(signals, action->signo);
	}
	for (guint s = 0; s < signals->len; s++) {
		gint signo = g_array_index(signals, gint, s);

		if (!kill_func(user_data, signo, error)) {
			g_prefix_error(error,
				       "Cannot apply the update: cannot send signal %d to the "
				       "workload: ",
				       signo);
			return FALSE;
		}
	}
	return TRUE;
}
