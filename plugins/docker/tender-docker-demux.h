/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* the largest frame accepted: dockerd sends log lines of at most 16 KiB and attach output in
 * pieces of 32 KiB, so a longer one means the stream is not what it should be */
#define TENDER_DOCKER_DEMUX_FRAME_MAX (1024 * 1024)

/**
 * TenderDockerStream:
 * @TENDER_DOCKER_STREAM_STDOUT: the container's standard output (and stdin, which dockerd
 *                               writes there)
 * @TENDER_DOCKER_STREAM_STDERR: its standard error
 */
typedef enum {
	TENDER_DOCKER_STREAM_STDOUT,
	TENDER_DOCKER_STREAM_STDERR,
	TENDER_DOCKER_STREAM_LAST, /*< skip >*/
} TenderDockerStream;

typedef struct _TenderDockerDemux TenderDockerDemux;

typedef void (*TenderDockerDemuxFunc)(TenderDockerStream stream,
				      const guint8 *data,
				      gsize len,
				      gpointer user_data);

TenderDockerDemux *
tender_docker_demux_new(gsize max);
void
tender_docker_demux_free(TenderDockerDemux *self);
void
tender_docker_demux_set_func(TenderDockerDemux *self,
			     TenderDockerDemuxFunc func,
			     gpointer user_data);
gboolean
tender_docker_demux_feed(TenderDockerDemux *self, const guint8 *data, gsize len, GError **error);
gboolean
tender_docker_demux_end(TenderDockerDemux *self, GError **error);
GByteArray *
tender_docker_demux_get_data(TenderDockerDemux *self, TenderDockerStream stream);
guint64
tender_docker_demux_get_dropped(TenderDockerDemux *self, TenderDockerStream stream);
gboolean
tender_docker_demux_get_truncated(TenderDockerDemux *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderDockerDemux, tender_docker_demux_free)

G_END_DECLS
