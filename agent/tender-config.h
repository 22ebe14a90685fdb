/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TENDER_CONFIG_DEFAULT_PATH	TENDER_SYSCONFDIR "/tender/tenderd.conf"
#define TENDER_CONFIG_DEFAULT_STATE_DIR TENDER_LOCALSTATEDIR "/lib/tender"
#define TENDER_CONFIG_DEFAULT_SHIM	TENDER_LIBEXECDIR "/tender-shim"

/**
 * TenderConfig:
 * @state_dir: where workload state and exit records live
 * @shim: the path of tender-shim
 * @stop_timeout_sec: the default time between SIGTERM and SIGKILL
 * @max_workloads: how many workloads may exist at once
 *
 * tenderd's settings, from /etc/tender/tenderd.conf and the command line.
 */
typedef struct {
	gchar *state_dir;
	gchar *shim;
	guint stop_timeout_sec;
	guint max_workloads;
} TenderConfig;

TenderConfig *
tender_config_new(void);
void
tender_config_free(TenderConfig *self);
gboolean
tender_config_load(TenderConfig *self, const gchar *path, gboolean required, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderConfig, tender_config_free)

G_END_DECLS
