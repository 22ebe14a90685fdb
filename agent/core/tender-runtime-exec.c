/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <unistd.h>

#include "tender-runtime-exec.h"

/**
 * tender_runtime_exec_new:
 *
 * Returns: (transfer full): a request without a command, no descriptors, the default
 *   max_output, and no answer yet
 */
TenderRuntimeExec *
tender_runtime_exec_new(void)
{
	TenderRuntimeExec *self = g_new0(TenderRuntimeExec, 1);
	self->max_output = TENDER_RUNTIME_EXEC_OUTPUT_DEFAULT;
	self->stdin_fd = -1;
	self->stdout_fd = -1;
	self->stderr_fd = -1;
	self->exit_code = -1;
	self->out = g_byte_array_new();
	self->err = g_byte_array_new();
	return self;
}

static void
tender_runtime_exec_close(gint *fd)
{
	if (*fd >= 0)
		(void)close(*fd);
	*fd = -1;
}

/**
 * tender_runtime_exec_free:
 * @self: (nullable): a #TenderRuntimeExec
 *
 * Frees it, and closes the caller's descriptors it still holds.
 */
void
tender_runtime_exec_free(TenderRuntimeExec *self)
{
	if (self == NULL)
		return;
	g_strfreev(self->argv);
	g_strfreev(self->envp);
	g_free(self->working_directory);
	tender_identity_free(self->identity);
	g_clear_pointer(&self->stdin_data, g_bytes_unref);
	tender_runtime_exec_close(&self->stdin_fd);
	tender_runtime_exec_close(&self->stdout_fd);
	tender_runtime_exec_close(&self->stderr_fd);
	g_byte_array_unref(self->out);
	g_byte_array_unref(self->err);
	g_free(self);
}
