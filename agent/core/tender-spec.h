/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* limits on what a caller may put into a spec */
#define TENDER_SPEC_ARGV_MAX	      1024
#define TENDER_SPEC_ENV_MAX	      1024
#define TENDER_SPEC_STRINGS_BYTES_MAX (256 * 1024)
#define TENDER_SPEC_LABELS_MAX	      64
#define TENDER_SPEC_LABEL_KEY_MAX     128
#define TENDER_SPEC_LABEL_VALUE_MAX   4096
#define TENDER_SPEC_DESCRIPTION_MAX   256
#define TENDER_SPEC_MEMORY_MIN	      (G_GUINT64_CONSTANT(1) << 20)
#define TENDER_SPEC_BYTES_MAX	      (G_GUINT64_CONSTANT(1) << 50)
#define TENDER_SPEC_CPU_PERCENT_MAX   102400
#define TENDER_SPEC_TASKS_MAX	      G_GUINT64_CONSTANT(4194304)
#define TENDER_SPEC_IO_MIN	      G_GUINT64_CONSTANT(1024)

#define TENDER_SPEC_RESTART_MAX_DEFAULT	    5
#define TENDER_SPEC_RESTART_MAX_MAX	    10000
#define TENDER_SPEC_RESTART_DELAY_DEFAULT   100
#define TENDER_SPEC_RESTART_DELAY_MAX	    60000
#define TENDER_SPEC_MAX_RUNTIME_MAX	    (G_GUINT64_CONSTANT(10) * 366 * 24 * 3600)
#define TENDER_SPEC_HEALTH_INTERVAL_DEFAULT 30
#define TENDER_SPEC_HEALTH_INTERVAL_MAX	    86400
#define TENDER_SPEC_HEALTH_TIMEOUT_DEFAULT  30
#define TENDER_SPEC_HEALTH_TIMEOUT_MAX	    3600
#define TENDER_SPEC_HEALTH_RETRIES_DEFAULT  3
#define TENDER_SPEC_HEALTH_RETRIES_MAX	    100
#define TENDER_SPEC_HEALTH_URL_MAX	    2048
#define TENDER_SPEC_IDENTITY_NAME_MAX	    256
#define TENDER_SPEC_CAPABILITIES_MAX	    64
#define TENDER_SPEC_PRE_START_MAX	    16

#define TENDER_SPEC_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/**
 * TenderRestartPolicy:
 * @TENDER_RESTART_NO: never restarted by tenderd
 * @TENDER_RESTART_ON_FAILURE: restarted when it ends other than with exit status 0
 * @TENDER_RESTART_ALWAYS: restarted whenever it ends by itself
 *
 * What tenderd does when a workload ends without a StopWorkload.
 */
typedef enum {
	TENDER_RESTART_NO,
	TENDER_RESTART_ON_FAILURE,
	TENDER_RESTART_ALWAYS,
} TenderRestartPolicy;

/**
 * TenderHealthAction:
 * @TENDER_HEALTH_ACTION_NONE: only report "unhealthy"
 * @TENDER_HEALTH_ACTION_RESTART: stop the workload and start it again
 * @TENDER_HEALTH_ACTION_STOP: stop the workload
 *
 * What tenderd does when a workload becomes unhealthy.
 */
typedef enum {
	TENDER_HEALTH_ACTION_NONE,
	TENDER_HEALTH_ACTION_RESTART,
	TENDER_HEALTH_ACTION_STOP,
} TenderHealthAction;

/**
 * TenderHealthSpec:
 *
 * How a workload's health is checked: either @command (run in the workload's scope, healthy
 * if it exits 0 within @timeout_sec) or @http_url (healthy on a 2xx or 3xx answer).
 */
typedef struct {
	gchar **command;
	gchar *http_url;
	guint interval_sec;
	guint timeout_sec;
	guint retries;
	guint start_period_sec;
	TenderHealthAction on_unhealthy;
} TenderHealthSpec;

/**
 * TenderSpec:
 *
 * What a workload runs and within which limits.  A limit of 0 means "not set".
 */
typedef struct {
	gchar **argv;
	gchar **env;
	gchar *working_directory;
	gchar *description;
	GHashTable *labels; /* gchar* → gchar* */
	guint64 memory_max;
	guint cpu_quota_percent;
	guint64 tasks_max;
	guint64 io_read_bandwidth_max;
	guint64 io_write_bandwidth_max;
	TenderRestartPolicy restart;
	guint restart_max;
	guint restart_delay_ms;
	guint64 max_runtime_sec;
	TenderHealthSpec *health; /* NULL if there is no health check */
	gchar *user;		  /* a name or a numeric id; NULL: root */
	gchar *group;		  /* likewise; NULL: the user's primary group */
	gchar **capabilities;	  /* canonical names, e.g. "CAP_NET_BIND_SERVICE"; or NULL */
	GPtrArray *pre_start;	  /* of gchar** (argv); NULL if there are no hooks */
} TenderSpec;

TenderSpec *
tender_spec_new(void);
void
tender_spec_free(TenderSpec *self);
TenderSpec *
tender_spec_new_from_variant(GVariant *value, GError **error);
GVariant *
tender_spec_to_variant(const TenderSpec *self);
gchar **
tender_spec_build_environ(const TenderSpec *self);
JsonNode *
tender_spec_to_json(const TenderSpec *self);
TenderSpec *
tender_spec_new_from_json(JsonNode *node, GError **error);
GVariant *
tender_spec_variant_from_json(JsonNode *node, GError **error);
const gchar *
tender_spec_restart_to_string(TenderRestartPolicy policy);
const gchar *
tender_spec_health_action_to_string(TenderHealthAction action);
gboolean
tender_spec_drops_privileges(const TenderSpec *self);
gchar *
tender_spec_capability_from_name(const gchar *name, gint *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSpec, tender_spec_free)

G_END_DECLS
