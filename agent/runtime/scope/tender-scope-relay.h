/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TenderScopeRelay TenderScopeRelay;

TenderScopeRelay *
tender_scope_relay_new(gint master,
		       gint in_fd,
		       gint out_fd,
		       GSourceFunc done,
		       gpointer done_data,
		       GError **error);
void
tender_scope_relay_stop(TenderScopeRelay *self);
void
tender_scope_relay_free(TenderScopeRelay *self);

G_END_DECLS
