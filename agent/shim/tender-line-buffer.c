/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "tender-line-buffer.h"

/*
 * TenderLineBuffer cuts a byte stream into lines in a buffer of fixed size: whatever is fed,
 * it holds at most one partial line of TENDER_LINE_BUFFER_MAX bytes.  Lines are passed on
 * without their newline; a line longer than the buffer is passed on in pieces of
 * TENDER_LINE_BUFFER_MAX bytes, the rest of it as the next piece.
 */

/**
 * tender_line_buffer_init:
 * @self: a #TenderLineBuffer
 *
 * Empties @self.
 */
void
tender_line_buffer_init(TenderLineBuffer *self)
{
	self->len = 0;
}

/**
 * tender_line_buffer_feed:
 * @self: a #TenderLineBuffer
 * @data: bytes read
 * @len: how many
 * @func: called with each line that is complete now
 * @user_data: for @func
 */
void
tender_line_buffer_feed(TenderLineBuffer *self,
			const char *data,
			size_t len,
			TenderLineBufferFunc func,
			void *user_data)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t take = nl != NULL ? (size_t)(nl - data) : len;
		size_t room = TENDER_LINE_BUFFER_MAX - self->len;

		if (take > room) {
			/* too long: what fits is one piece, the rest goes on */
			memcpy(self->data + self->len, data, room);
			func(self->data, TENDER_LINE_BUFFER_MAX, user_data);
			self->len = 0;
			data += room;
			len -= room;
			continue;
		}
		if (nl != NULL && self->len == 0) {
			/* a whole line in @data: no need to copy it */
			func(data, take, user_data);
		} else if (nl != NULL) {
			memcpy(self->data + self->len, data, take);
			func(self->data, self->len + take, user_data);
			self->len = 0;
		} else {
			memcpy(self->data + self->len, data, take);
			self->len += take;
		}
		data += take;
		len -= take;
		if (nl != NULL) {
			data++;
			len--;
		}
	}
}

/**
 * tender_line_buffer_flush:
 * @self: a #TenderLineBuffer
 * @func: called with the last, unterminated line, if there is one
 * @user_data: for @func
 *
 * At the end of the stream: passes on what is left and empties @self.
 */
void
tender_line_buffer_flush(TenderLineBuffer *self, TenderLineBufferFunc func, void *user_data)
{
	if (self->len == 0)
		return;
	func(self->data, self->len, user_data);
	self->len = 0;
}
