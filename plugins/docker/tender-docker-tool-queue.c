/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <tender-error.h>

#include "tender-docker-tool-queue.h"

/*
 * The tool runs that wait for a free slot, first asked first run: ordered by the time each was
 * asked for (queued_at), so that the runs a restart of tenderd found queued keep their order
 * and come before those asked for since; runs asked for at the same time keep the order they
 * came in.  A queue has a length it refuses to pass (TENDER_ERROR_LIMIT_REACHED), except for
 * runs that were queued already (tender_docker_tool_queue_insert()).
 */

struct _TenderDockerToolQueue {
	GQueue tools; /* of TenderDockerTool, owned */
	guint max;
};

/**
 * tender_docker_tool_queue_new:
 * @max: how many runs may wait
 *
 * Returns: (transfer full): an empty queue
 */
TenderDockerToolQueue *
tender_docker_tool_queue_new(guint max)
{
	TenderDockerToolQueue *self = g_new0(TenderDockerToolQueue, 1);

	g_queue_init(&self->tools);
	self->max = max;
	return self;
}

void
tender_docker_tool_queue_free(TenderDockerToolQueue *self)
{
	if (self == NULL)
		return;
	g_queue_clear_full(&self->tools, g_object_unref);
	g_free(self);
}

void
tender_docker_tool_queue_set_max(TenderDockerToolQueue *self, guint max)
{
	self->max = max;
}

/**
 * tender_docker_tool_queue_insert:
 * @self: a queue
 * @tool: a run
 *
 * Puts @tool after every run asked for no later than it, whatever the queue's length.
 */
void
tender_docker_tool_queue_insert(TenderDockerToolQueue *self, TenderDockerTool *tool)
{
	gint64 queued_at = tender_docker_tool_get_queued_at(tool);
	GList *l = self->tools.tail;

	while (l != NULL && tender_docker_tool_get_queued_at(l->data) > queued_at)
		l = l->prev;
	if (l == NULL)
		g_queue_push_head(&self->tools, g_object_ref(tool));
	else
		g_queue_insert_after(&self->tools, l, g_object_ref(tool));
}

/**
 * tender_docker_tool_queue_push:
 * @self: a queue
 * @tool: a run asked for now
 * @error: (nullable): return location for a #GError
 *
 * Returns: %FALSE (%TENDER_ERROR_LIMIT_REACHED) if the queue is full
 */
gboolean
tender_docker_tool_queue_push(TenderDockerToolQueue *self, TenderDockerTool *tool, GError **error)
{
	if (self->tools.length >= self->max) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_LIMIT_REACHED,
			    "%u tool runs wait for a free slot already, as many as may wait",
			    self->tools.length);
		return FALSE;
	}
	tender_docker_tool_queue_insert(self, tool);
	return TRUE;
}

/**
 * tender_docker_tool_queue_remove:
 * @self: a queue
 * @tool: a run
 *
 * Returns: whether @tool was queued (and is not any more)
 */
gboolean
tender_docker_tool_queue_remove(TenderDockerToolQueue *self, TenderDockerTool *tool)
{
	if (!g_queue_remove(&self->tools, tool))
		return FALSE;
	g_object_unref(tool);
	return TRUE;
}

/**
 * tender_docker_tool_queue_pop:
 * @self: a queue
 *
 * Returns: (transfer full) (nullable): the run to start next, taken off the queue
 */
TenderDockerTool *
tender_docker_tool_queue_pop(TenderDockerToolQueue *self)
{
	return g_queue_pop_head(&self->tools);
}

guint
tender_docker_tool_queue_get_length(TenderDockerToolQueue *self)
{
	return self->tools.length;
}

/**
 * tender_docker_tool_queue_get_position:
 * @self: a queue
 * @tool: a run
 *
 * Returns: how many runs start before @tool, or G_MAXUINT if it is not queued
 */
guint
tender_docker_tool_queue_get_position(TenderDockerToolQueue *self, TenderDockerTool *tool)
{
	gint index = g_queue_index(&self->tools, tool);

	return index < 0 ? G_MAXUINT : (guint)index;
}
