/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-state.h"

static const gchar *tender_state_names[] = {
    [TENDER_STATE_CREATED] = "created",
    [TENDER_STATE_STARTING] = "starting",
    [TENDER_STATE_RUNNING] = "running",
    [TENDER_STATE_STOPPING] = "stopping",
    [TENDER_STATE_STOPPED] = "stopped",
    [TENDER_STATE_EXITED] = "exited",
    [TENDER_STATE_FAILED] = "failed",
    [TENDER_STATE_PAUSED] = "paused",
};

G_STATIC_ASSERT(G_N_ELEMENTS(tender_state_names) == TENDER_STATE_LAST);

/**
 * tender_state_to_string:
 * @state: a #TenderState
 *
 * Returns: the lower-case name used on the bus, e.g. "running"
 */
const gchar *
tender_state_to_string(TenderState state)
{
	if ((guint)state >= TENDER_STATE_LAST)
		return NULL;
	return tender_state_names[state];
}

/**
 * tender_state_from_string:
 * @str: (nullable): a state name
 *
 * Returns: the state, or %TENDER_STATE_LAST if @str names none
 */
TenderState
tender_state_from_string(const gchar *str)
{
	for (guint i = 0; str != NULL && i < TENDER_STATE_LAST; i++) {
		if (g_strcmp0(str, tender_state_names[i]) == 0)
			return (TenderState)i;
	}
	return TENDER_STATE_LAST;
}

/**
 * tender_state_is_active:
 * @state: a #TenderState
 *
 * Returns: %TRUE while a scope may exist for the workload (starting, running, paused,
 * stopping)
 */
gboolean
tender_state_is_active(TenderState state)
{
	return state == TENDER_STATE_STARTING || state == TENDER_STATE_RUNNING ||
	       state == TENDER_STATE_PAUSED || state == TENDER_STATE_STOPPING;
}

/**
 * tender_state_transition_is_valid:
 * @from: the current state
 * @to: the next state
 *
 * The lifecycle: created → starting → running → (stopping → stopped | exited | failed), and
 * any ended state (stopped, exited, failed) may start again.  A start may fail, and a stop
 * may be overtaken by the workload ending by itself, which still counts as stopped.  A stop
 * that tenderd itself made (max_runtime_sec) ends failed.  A running workload may be paused
 * and resumed; a paused one may be stopped, and may still end (a SIGKILL reaches frozen
 * processes).
 *
 * Returns: %TRUE if the workload may go from @from to @to
 */
gboolean
tender_state_transition_is_valid(TenderState from, TenderState to)
{
	switch (from) {
	case TENDER_STATE_CREATED:
	case TENDER_STATE_STOPPED:
	case TENDER_STATE_EXITED:
	case TENDER_STATE_FAILED:
		return to == TENDER_STATE_STARTING;
	case TENDER_STATE_STARTING:
		return to == TENDER_STATE_RUNNING || to == TENDER_STATE_FAILED;
	case TENDER_STATE_RUNNING:
		return to == TENDER_STATE_STOPPING || to == TENDER_STATE_EXITED ||
		       to == TENDER_STATE_FAILED || to == TENDER_STATE_PAUSED;
	case TENDER_STATE_PAUSED:
		return to == TENDER_STATE_RUNNING || to == TENDER_STATE_STOPPING ||
		       to == TENDER_STATE_EXITED || to == TENDER_STATE_FAILED;
	case TENDER_STATE_STOPPING:
		return to == TENDER_STATE_STOPPED || to == TENDER_STATE_FAILED;
	case TENDER_STATE_LAST:
	default:
		return FALSE;
	}
}

/**
 * tender_state_check_startable:
 * @state: the workload's state
 * @name: the workload's name, for the message
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if a workload in @state may be started
 */
gboolean
tender_state_check_startable(TenderState state, const gchar *name, GError **error)
{
	if (tender_state_transition_is_valid(state, TENDER_STATE_STARTING))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_STATE,
		    "Workload '%s' is %s; only a created, stopped, exited or failed workload "
		    "can be started",
		    name,
		    tender_state_to_string(state));
	return FALSE;
}

/**
 * tender_state_check_stoppable:
 * @state: the workload's state
 * @name: the workload's name, for the message
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if a workload in @state may be stopped (or is stopping already)
 */
gboolean
tender_state_check_stoppable(TenderState state, const gchar *name, GError **error)
{
	if (state == TENDER_STATE_RUNNING || state == TENDER_STATE_PAUSED ||
	    state == TENDER_STATE_STOPPING)
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_STATE,
		    "Workload '%s' is %s, not running",
		    name,
		    tender_state_to_string(state));
	return FALSE;
}

/**
 * tender_state_check_removable:
 * @state: the workload's state
 * @name: the workload's name, for the message
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if a workload in @state may be removed without being stopped first
 */
gboolean
tender_state_check_removable(TenderState state, const gchar *name, GError **error)
{
	if (!tender_state_is_active(state))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_STATE,
		    "Workload '%s' is %s; stop it first or remove it with force",
		    name,
		    tender_state_to_string(state));
	return FALSE;
}
