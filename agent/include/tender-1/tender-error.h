/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TENDER_ERROR (tender_error_quark())

/**
 * TenderError:
 * @TENDER_ERROR_INVALID_ARGUMENT: a name, key, option or value is malformed
 * @TENDER_ERROR_NOT_FOUND: no such workload
 * @TENDER_ERROR_ALREADY_EXISTS: the workload exists already
 * @TENDER_ERROR_INVALID_STATE: the request does not fit the workload's state
 * @TENDER_ERROR_ACCESS_DENIED: the caller is not authorized
 * @TENDER_ERROR_FAILED: systemd or the kernel refused
 * @TENDER_ERROR_NOT_SUPPORTED: the request is known but this host, runtime or plugin cannot do it
 * @TENDER_ERROR_BUSY: the object is busy with another request; try again later
 * @TENDER_ERROR_LIMIT_REACHED: a configured limit (e.g. max-workloads) does not allow more
 * @TENDER_ERROR_UNAVAILABLE: a service the request needs (e.g. dockerd for the Docker plugin)
 *   is not answering; try again later.  HTTP 503.  Since: 0.3
 *
 * The error domain shared by the D-Bus API (as org.tender.Agent1.Error.*) and the HTTP mirror.
 */
typedef enum {
	TENDER_ERROR_INVALID_ARGUMENT,
	TENDER_ERROR_NOT_FOUND,
	TENDER_ERROR_ALREADY_EXISTS,
	TENDER_ERROR_INVALID_STATE,
	TENDER_ERROR_ACCESS_DENIED,
	TENDER_ERROR_FAILED,
	TENDER_ERROR_NOT_SUPPORTED,
	TENDER_ERROR_BUSY,
	TENDER_ERROR_LIMIT_REACHED,
	TENDER_ERROR_UNAVAILABLE,
	TENDER_ERROR_LAST, /*< skip >*/
} TenderError;

GQuark
tender_error_quark(void);
const gchar *
tender_error_to_dbus_name(TenderError code);
void
tender_error_convert(GError **error);

G_END_DECLS
