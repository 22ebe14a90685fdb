/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* plain C, no GLib, no libsystemd: tender-shim's client of journald's native protocol */

#include <stddef.h>
#include <sys/uio.h>

/* where journald reads entries of its native protocol */
#define TENDER_SHIM_JOURNAL_SOCKET "/run/systemd/journal/socket"
/* how many fields one entry may have */
#define TENDER_SHIM_JOURNAL_FIELDS_MAX 16
/* how long a field's name may be (journald's own limit) */
#define TENDER_SHIM_JOURNAL_NAME_MAX 64
/* the largest entry sent, its encoding included: what a memfd carries at most */
#define TENDER_SHIM_JOURNAL_ENTRY_MAX (32 * 1024 * 1024)

int
tender_shim_journal_sendv(const char *socket_path, const struct iovec *fields, size_t n_fields);
