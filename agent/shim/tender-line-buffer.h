/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* plain C, no GLib: tender-shim uses it */

#include <stddef.h>

/* the longest line passed on in one piece; longer lines are split into pieces this long */
#define TENDER_LINE_BUFFER_MAX 16384

typedef void (*TenderLineBufferFunc)(const char *line, size_t len, void *user_data);

/* len first: a buffer that never holds a byte writes only the page of its start */
typedef struct {
	size_t len;
	char data[TENDER_LINE_BUFFER_MAX];
} TenderLineBuffer;

void
tender_line_buffer_init(TenderLineBuffer *self);
void
tender_line_buffer_feed(TenderLineBuffer *self,
			const char *data,
			size_t len,
			TenderLineBufferFunc func,
			void *user_data);
void
tender_line_buffer_flush(TenderLineBuffer *self, TenderLineBufferFunc func, void *user_data);
