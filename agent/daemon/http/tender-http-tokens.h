/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TENDER_HTTP_TOKENS_MIN_LENGTH 16
#define TENDER_HTTP_TOKENS_MAX	      1024

gboolean
tender_http_tokens_match(const gchar *text, const gchar *token, guint32 *uid, GError **error);
gboolean
tender_http_tokens_lookup(const gchar *path, const gchar *token, guint32 *uid, GError **error);

G_END_DECLS
