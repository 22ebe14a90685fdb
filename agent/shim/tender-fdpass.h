/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* plain C, no GLib: tender-nsenter sends a pty's master with it, tenderd receives it */

int
tender_fdpass_send(int sock, int fd);
int
tender_fdpass_receive(int sock, int flags);
