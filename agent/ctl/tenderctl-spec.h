/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

/* the flags of create and run that make the spec of a workload, one for each key of the spec
 * key table: what they mean and how they become the a{sv} of CreateWorkload */

#define TENDER_CTL_SPEC_HELP                                                                       \
	"SIZE takes the suffixes K, M, G, T and P, powers of 1024 as in systemd's MemoryMax=,\n"   \
	"e.g. 512M or 1.5G; a plain number is bytes.  PERCENT is of one CPU, e.g. 50% or 200%.\n"  \
	"The I/O limits apply to the block device of the working directory.  A relative\n"         \
	"--workdir is taken from the current directory.  DURATION is a sum of numbers with\n"      \
	"the units ms, s, m, h and d, e.g. 500ms, 90s or 1h30m; a plain number is seconds.\n"      \
	"--x NAME=TEXT gives the key x-NAME, the own keys of the runtime NAME: TEXT is an a{sv}\n" \
	"in GVariant text, e.g. --x docker=\"{'image': <'nginx'>}\".\n"                            \
	"--image, --rootfs, --volume, --hostname, --network none|private, --publish,\n"            \
	"--read-only and --init need namespaces: without --isolation they imply standard.\n"       \
	"With --runtime NAME of a plugin, --image is that runtime's: x-NAME's image, e.g.\n"       \
	"--runtime docker --image busybox:latest; it implies no isolation.\n"

typedef struct _TenderCtlSpec TenderCtlSpec;

TenderCtlSpec *
tender_ctl_spec_new(void);
void
tender_ctl_spec_free(TenderCtlSpec *self);
void
tender_ctl_spec_add_entries(TenderCtlSpec *self, GOptionContext *context);
gboolean
tender_ctl_spec_has_image(TenderCtlSpec *self);
gboolean
tender_ctl_spec_build(TenderCtlSpec *self, gchar **argv, GVariant **spec, GError **error);

/* tenderctl-spec-isolation.c */
GVariant *
tender_ctl_spec_parse_volumes(const gchar *what, gchar **values, GError **error);
GVariant *
tender_ctl_spec_parse_ports(const gchar *what, gchar **values, GError **error);
GVariant *
tender_ctl_spec_parse_rlimits(const gchar *what, gchar **values, GError **error);
