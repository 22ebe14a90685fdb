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
#define TENDER_SPEC_VOLUMES_MAX		    64
#define TENDER_SPEC_PORTS_MAX		    64
#define TENDER_SPEC_PATH_MAX		    4095
#define TENDER_SPEC_IMAGE_NAME_MAX	    128
#define TENDER_SPEC_HOSTNAME_MAX	    64

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
 * TenderIsolation:
 * @TENDER_ISOLATION_MINIMAL: its own scope, limits, rlimits, a clean environment and the
 *   privilege drop: no namespaces
 * @TENDER_ISOLATION_STANDARD: also its own mount, PID, IPC and UTS namespaces, and a root
 *   filesystem of its own (an image, a directory, or a read-only view of the host's)
 * @TENDER_ISOLATION_STRICT: standard, and a read-only root, network none, no capabilities,
 *   no_new_privs, a seccomp filter and masked /proc paths
 *
 * How much of the host a workload sees.
 */
typedef enum {
	TENDER_ISOLATION_MINIMAL,
	TENDER_ISOLATION_STANDARD,
	TENDER_ISOLATION_STRICT,
} TenderIsolation;

/**
 * TenderNetwork:
 * @TENDER_NETWORK_DEFAULT: not given: host, or none for strict
 * @TENDER_NETWORK_HOST: the host's network
 * @TENDER_NETWORK_NONE: its own network namespace, with only loopback
 * @TENDER_NETWORK_PRIVATE: its own network namespace, joined to tenderd's bridge
 *
 * The network a workload sees.
 */
typedef enum {
	TENDER_NETWORK_DEFAULT,
	TENDER_NETWORK_HOST,
	TENDER_NETWORK_NONE,
	TENDER_NETWORK_PRIVATE,
} TenderNetwork;

/**
 * TenderSpecVolume:
 * @source: an absolute host path
 * @destination: an absolute path inside, without ".."
 * @read_only: mounted read-only
 *
 * One bind mount into a workload's root.
 */
typedef struct {
	gchar *source;
	gchar *destination;
	gboolean read_only;
} TenderSpecVolume;

/**
 * TenderSpecPort:
 * @host_port: the port on the host
 * @container_port: the port inside
 * @udp: UDP rather than TCP
 *
 * A published port of a workload on the private network.
 */
typedef struct {
	guint16 host_port;
	guint16 container_port;
	gboolean udp;
} TenderSpecPort;

/**
 * TenderSpecRlimit:
 * @resource: RLIMIT_NOFILE, ...
 * @value: its soft and hard limit; G_MAXUINT64 is unlimited
 *
 * A resource limit of the workload's processes.
 */
typedef struct {
	gint resource;
	guint64 value;
} TenderSpecRlimit;

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
	guint isolation;	  /* TenderIsolation */
	gchar *image;		  /* an image of the store, or NULL */
	gchar *rootfs;		  /* a host directory as the root, or NULL */
	GPtrArray *volumes;	  /* of TenderSpecVolume*; NULL if none */
	guint network;		  /* TenderNetwork */
	GArray *ports;		  /* of TenderSpecPort; NULL if none */
	gchar *hostname;	  /* NULL: the workload's name */
	GArray *rlimits;	  /* of TenderSpecRlimit; NULL if none */
	gint read_only_rootfs;	  /* -1: the level's default */
	gint init;		  /* -1: the level's default */
} TenderSpec;

G_END_DECLS
