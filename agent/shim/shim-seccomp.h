/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* the strict level's system call filter; plain C, no GLib: tender-shim and tender-nsenter
 * load it */

#include <stddef.h>

int
tender_shim_seccomp_load(char *why, size_t why_len);
