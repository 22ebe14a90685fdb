/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TenderState:
 * @TENDER_STATE_CREATED: registered, never started
 * @TENDER_STATE_STARTING: the scope is being created
 * @TENDER_STATE_RUNNING: the command runs in its scope
 * @TENDER_STATE_STOPPING: asked to stop, waiting for the end
 * @TENDER_STATE_STOPPED: ended after a stop request
 * @TENDER_STATE_EXITED: ended by itself
 * @TENDER_STATE_FAILED: killed by a signal it was not asked to take, or could not start
 * @TENDER_STATE_PAUSED: running, but frozen by the cgroup freezer
 *
 * The lifecycle of a workload.
 */
typedef enum {
	TENDER_STATE_CREATED,
	TENDER_STATE_STARTING,
	TENDER_STATE_RUNNING,
	TENDER_STATE_STOPPING,
	TENDER_STATE_STOPPED,
	TENDER_STATE_EXITED,
	TENDER_STATE_FAILED,
	TENDER_STATE_PAUSED,
	TENDER_STATE_LAST,
} TenderState;

const gchar *
tender_state_to_string(TenderState state);
TenderState
tender_state_from_string(const gchar *str);
gboolean
tender_state_transition_is_valid(TenderState from, TenderState to);
gboolean
tender_state_is_active(TenderState state);
gboolean
tender_state_check_startable(TenderState state, const gchar *name, GError **error);
gboolean
tender_state_check_stoppable(TenderState state, const gchar *name, GError **error);
gboolean
tender_state_check_removable(TenderState state, const gchar *name, GError **error);

G_END_DECLS
