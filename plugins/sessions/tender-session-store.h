/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-session.h"

G_BEGIN_DECLS

GPtrArray *
tender_session_store_load(const gchar *dir, GError **error);
gboolean
tender_session_store_save(const gchar *dir, TenderSession *session, GError **error);
gboolean
tender_session_store_delete(const gchar *dir, TenderSession *session, GError **error);

G_END_DECLS
