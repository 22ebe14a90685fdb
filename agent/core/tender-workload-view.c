/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-workload-view.h"

/* in the order of TenderWorkloadProp, which is the order of the introspection XML */
static const TenderWorkloadPropInfo tender_workload_props[] = {
    {"Name", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"State", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"Reason", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"Unit", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"ControlGroup", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"MainPID", "u", TENDER_WORKLOAD_PROP_KIND_PID},
    {"ExitCode", "i", TENDER_WORKLOAD_PROP_KIND_CODE},
    {"ExitSignal", "i", TENDER_WORKLOAD_PROP_KIND_SIGNAL},
    {"CreatedAt", "s", TENDER_WORKLOAD_PROP_KIND_TIME},
    {"StartedAt", "s", TENDER_WORKLOAD_PROP_KIND_TIME},
    {"StoppedAt", "s", TENDER_WORKLOAD_PROP_KIND_TIME},
    {"Command", "as", TENDER_WORKLOAD_PROP_KIND_COMMAND},
    {"Spec", "a{sv}", TENDER_WORKLOAD_PROP_KIND_DICT},
    {"RestartCount", "u", TENDER_WORKLOAD_PROP_KIND_COUNT},
    {"OOMKilled", "b", TENDER_WORKLOAD_PROP_KIND_FLAG},
    {"Health", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"Limits", "a{sv}", TENDER_WORKLOAD_PROP_KIND_DICT},
    {"Owner", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
    {"Address", "s", TENDER_WORKLOAD_PROP_KIND_TEXT},
};
G_STATIC_ASSERT(G_N_ELEMENTS(tender_workload_props) == TENDER_WORKLOAD_PROP_LAST);

/**
 * tender_workload_prop_get_info:
 * @prop: a property
 *
 * Returns: (transfer none): its name, type and kind
 */
const TenderWorkloadPropInfo *
tender_workload_prop_get_info(TenderWorkloadProp prop)
{
	g_return_val_if_fail(prop < TENDER_WORKLOAD_PROP_LAST, NULL);
	return &tender_workload_props[prop];
}

/**
 * tender_workload_prop_get_name:
 * @prop: a property
 *
 * Returns: its D-Bus name, e.g. "MainPID"
 */
const gchar *
tender_workload_prop_get_name(TenderWorkloadProp prop)
{
	g_return_val_if_fail(prop < TENDER_WORKLOAD_PROP_LAST, NULL);
	return tender_workload_props[prop].name;
}

/**
 * tender_workload_prop_lookup:
 * @name: a D-Bus property name
 * @prop: (out): the property
 *
 * Returns: %TRUE if @name is a property of org.tender.Agent1.Workload
 */
gboolean
tender_workload_prop_lookup(const gchar *name, TenderWorkloadProp *prop)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_workload_props); i++) {
		if (g_strcmp0(name, tender_workload_props[i].name) == 0) {
			*prop = (TenderWorkloadProp)i;
			return TRUE;
		}
	}
	return FALSE;
}
