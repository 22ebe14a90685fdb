/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* sends @signo to the workload */
typedef gboolean (*ExecUpdateKillFunc)(gpointer user_data, gint signo, GError **error);

gboolean
exec_update_apply(GPtrArray *plan,
		  JsonObject *payload,
		  ExecUpdateKillFunc kill_func,
		  gpointer user_data,
		  GError **error);

G_END_DECLS
