/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TenderCaller:
 *
 * Who made a request: a D-Bus client, a process on the HTTP unix socket, or a user known by
 * the bearer token of an HTTP request over TCP.  Opaque; tenderd owns it and it is valid for
 * as long as the request it came with.
 *
 * Since: 0.1
 */
typedef struct _TenderAuthoritySubject TenderCaller;

guint32
tender_caller_get_uid(const TenderCaller *caller);
gchar *
tender_caller_to_string(const TenderCaller *caller);

G_END_DECLS
