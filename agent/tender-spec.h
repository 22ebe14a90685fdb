/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

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

#define TENDER_SPEC_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderSpec, tender_spec_free)

G_END_DECLS
