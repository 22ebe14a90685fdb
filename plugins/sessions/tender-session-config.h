/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* the bounds of what a session's config may ask */
#define TENDER_SESSION_CPU_MAX		  1024.0			 /* CPUs */
#define TENDER_SESSION_MEMORY_MIN	  (4ull * 1024 * 1024)		 /* 4 MiB */
#define TENDER_SESSION_MEMORY_MAX	  (1024ull * 1024 * 1024 * 1024) /* 1 TiB */
#define TENDER_SESSION_PIDS_MAX		  1000000
#define TENDER_SESSION_ENV_MAX		  256
#define TENDER_SESSION_VOLUMES_MAX	  32
#define TENDER_SESSION_PORTS_MAX	  32
#define TENDER_SESSION_STRING_MAX	  4096
#define TENDER_SESSION_LIFETIME_MAX	  (10ull * 365 * 24 * 3600) /* ten years */
#define TENDER_SESSION_INACTIVITY_MAX	  (30ull * 24 * 3600)	    /* thirty days */
#define TENDER_SESSION_INACTIVITY_DEFAULT 3600
#define TENDER_SESSION_WORKSPACE_PATH	  "/workspace"

typedef struct {
	gchar *source;
	gchar *target;
	gboolean read_only;
} TenderSessionVolume;

typedef struct {
	guint16 container_port;
	guint16 host_port;
	gchar *protocol; /* "tcp" or "udp" */
} TenderSessionPort;

/**
 * TenderSessionConfig:
 *
 * What a session's sandbox is: the config of GetSession (a{sv}) or POST /v1/sessions/... (a
 * JSON object), checked and bounded.  @given names the keys the request gave, so that a
 * request for an existing session is compared on those only.
 */
typedef struct {
	gchar *backend;	      /* "native" or "docker" */
	gchar *image;	      /* an image of tender's store (docker: of dockerd's), or NULL */
	gchar *rootfs;	      /* a host directory as the root, or NULL */
	gchar *isolation;     /* "standard" or "strict" */
	gdouble cpu_limit;    /* CPUs, 0 for none */
	guint64 memory_limit; /* bytes, 0 for none */
	guint64 pids_limit;   /* 0 for none */
	GPtrArray *env;	      /* of "KEY=VALUE", sorted by key */
	GPtrArray *volumes;   /* of TenderSessionVolume */
	GPtrArray *ports;     /* of TenderSessionPort */
	gchar *network;	      /* "host", "none", "private", or NULL: the isolation's default */
	gchar *user;	      /* inside, or NULL: the image's */
	guint64 lifetime_sec; /* container_lifetime_seconds, 0 for none */
	guint64 inactivity_sec;
	gboolean workspace;
	gboolean recreate; /* not compared: what the request asks */
	GHashTable *given; /* the keys the request gave */
} TenderSessionConfig;

TenderSessionConfig *
tender_session_config_new(const gchar *backend, const gchar *image);
void
tender_session_config_free(TenderSessionConfig *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSessionConfig, tender_session_config_free)

TenderSessionConfig *
tender_session_config_from_json(JsonObject *obj,
				const gchar *default_backend,
				const gchar *default_image,
				GError **error);
TenderSessionConfig *
tender_session_config_from_vardict(GVariant *dict,
				   const gchar *default_backend,
				   const gchar *default_image,
				   GError **error);
gboolean
tender_session_config_check_new(const TenderSessionConfig *self, GError **error);
JsonObject *
tender_session_config_to_json(const TenderSessionConfig *self);
const gchar *
tender_session_config_differs(const TenderSessionConfig *request, const TenderSessionConfig *live);

G_END_DECLS
