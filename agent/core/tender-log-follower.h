/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib-object.h>

#include "tender-journal.h"

G_BEGIN_DECLS

#define TENDER_TYPE_LOG_FOLLOWER (tender_log_follower_get_type())
G_DECLARE_FINAL_TYPE(TenderLogFollower, tender_log_follower, TENDER, LOG_FOLLOWER, GObject)

TenderLogFollower *
tender_log_follower_new(const gchar *workload, TenderJournal *journal, gint fd);
const gchar *
tender_log_follower_get_workload(TenderLogFollower *self);

G_END_DECLS
