/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-sessions.h"

G_BEGIN_DECLS

gboolean
tender_sessions_service_register(TenderPlugin *plugin, TenderSessions *sessions, GError **error);

G_END_DECLS
