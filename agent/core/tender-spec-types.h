/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/* what a spec holds, with GLib only: tender-spec-keys.c and tenderctl use it without json-glib */

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
#define TENDER_SPEC_POST_STOP_MAX	    16
#define TENDER_SPEC_WORKING_DIRECTORY_MAX   4095

/* the runtime that runs a workload when the spec names none: the core's only one */
#define TENDER_SPEC_RUNTIME_DEFAULT "scope"
/* a runtime name, and the NAME of an x-NAME key: [a-z][a-z0-9-]{0,31} */
#define TENDER_SPEC_RUNTIME_NAME_MAX 32
/* the x-NAME keys: how many, how large (serialized, and as GVariant text), and how many
 * containers (arrays, dictionaries, tuples, variants) deep, the a{sv} itself included */
#define TENDER_SPEC_EXTENSIONS_MAX	8
#define TENDER_SPEC_EXTENSION_SIZE_MAX	(64 * 1024)
#define TENDER_SPEC_EXTENSION_TEXT_MAX	(256 * 1024)
#define TENDER_SPEC_EXTENSION_DEPTH_MAX 32
#define TENDER_SPEC_EXTENSION_PREFIX	"x-"

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
	GPtrArray *post_stop;	  /* likewise, run once the command has ended */
	gchar *runtime;		  /* NULL: TENDER_SPEC_RUNTIME_DEFAULT */
	GHashTable *extensions;	  /* "x-NAME" → GVariant a{sv}, as given; NULL if none */
} TenderSpec;

G_END_DECLS
