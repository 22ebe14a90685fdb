/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the highest signal number the D-Bus API accepts */
#define TENDER_UNITS_SIGNAL_MAX 64

gboolean
tender_units_parse_size(const gchar *text, guint64 *value, GError **error);
gboolean
tender_units_parse_percent(const gchar *text, guint *value, GError **error);
gboolean
tender_units_parse_duration(const gchar *text, guint64 *msec, GError **error);
gboolean
tender_units_parse_signal(const gchar *text, gint *signo, GError **error);
gchar *
tender_units_format_size(guint64 bytes);
const gchar *
tender_units_signal_to_string(gint signo);

G_END_DECLS
