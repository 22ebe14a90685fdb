/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-session.h"

G_BEGIN_DECLS

/* the command of a sandbox: it only has to be there (busybox and coreutils sleep take it) */
#define TENDER_SESSION_SLEEP_SEC "2147483647"

#define TENDER_SESSION_BACKEND_NATIVE "native"
#define TENDER_SESSION_BACKEND_DOCKER "docker"

GVariant *
tender_session_backend_spec(TenderSession *session);
void
tender_session_backend_check_create(TenderSession *session, GError **error);

G_END_DECLS
