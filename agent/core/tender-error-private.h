/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-error.h"

G_BEGIN_DECLS

/* the core's side of TenderError: not part of the plugin API */

guint
tender_error_to_http_status(const GError *error);

G_END_DECLS
