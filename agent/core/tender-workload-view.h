/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What a workload shows: the properties of org.tender.Agent1.Workload, in the order of the
 * API.  One table for every reader: the engine's view (D-Bus Get/GetAll, the HTTP JSON, the
 * plugin API), the names ::changed carries (PropertiesChanged), and how tenderctl prints them.
 * GLib only, so that tenderctl links it.
 */
typedef enum {
	TENDER_WORKLOAD_PROP_NAME,
	TENDER_WORKLOAD_PROP_STATE,
	TENDER_WORKLOAD_PROP_REASON,
	TENDER_WORKLOAD_PROP_UNIT,
	TENDER_WORKLOAD_PROP_CONTROL_GROUP,
	TENDER_WORKLOAD_PROP_MAIN_PID,
	TENDER_WORKLOAD_PROP_EXIT_CODE,
	TENDER_WORKLOAD_PROP_EXIT_SIGNAL,
	TENDER_WORKLOAD_PROP_CREATED_AT,
	TENDER_WORKLOAD_PROP_STARTED_AT,
	TENDER_WORKLOAD_PROP_STOPPED_AT,
	TENDER_WORKLOAD_PROP_COMMAND,
	TENDER_WORKLOAD_PROP_SPEC,
	TENDER_WORKLOAD_PROP_RESTART_COUNT,
	TENDER_WORKLOAD_PROP_OOM_KILLED,
	TENDER_WORKLOAD_PROP_HEALTH,
	TENDER_WORKLOAD_PROP_LIMITS,
	TENDER_WORKLOAD_PROP_OWNER,
	TENDER_WORKLOAD_PROP_ADDRESS,
	TENDER_WORKLOAD_PROP_LAST
} TenderWorkloadProp;

/* how a property reads to people */
typedef enum {
	TENDER_WORKLOAD_PROP_KIND_TEXT,	   /* s, as it is */
	TENDER_WORKLOAD_PROP_KIND_TIME,	   /* s, an ISO 8601 time or empty */
	TENDER_WORKLOAD_PROP_KIND_PID,	   /* u, 0 for none */
	TENDER_WORKLOAD_PROP_KIND_CODE,	   /* i, negative for none */
	TENDER_WORKLOAD_PROP_KIND_SIGNAL,  /* i, a signal number, 0 for none */
	TENDER_WORKLOAD_PROP_KIND_COUNT,   /* u */
	TENDER_WORKLOAD_PROP_KIND_FLAG,	   /* b */
	TENDER_WORKLOAD_PROP_KIND_COMMAND, /* as */
	TENDER_WORKLOAD_PROP_KIND_DICT,	   /* a{sv} */
} TenderWorkloadPropKind;

typedef struct {
	const gchar *name; /* the D-Bus property, the HTTP JSON member */
	const gchar *type; /* its GVariant type */
	TenderWorkloadPropKind kind;
} TenderWorkloadPropInfo;

const TenderWorkloadPropInfo *
tender_workload_prop_get_info(TenderWorkloadProp prop);
const gchar *
tender_workload_prop_get_name(TenderWorkloadProp prop);
gboolean
tender_workload_prop_lookup(const gchar *name, TenderWorkloadProp *prop);

G_END_DECLS
