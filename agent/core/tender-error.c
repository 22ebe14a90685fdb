/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error-private.h"

static const GDBusErrorEntry tender_error_entries[] = {
    {TENDER_ERROR_INVALID_ARGUMENT, "org.tender.Agent1.Error.InvalidArgument"},
    {TENDER_ERROR_NOT_FOUND, "org.tender.Agent1.Error.NotFound"},
    {TENDER_ERROR_ALREADY_EXISTS, "org.tender.Agent1.Error.AlreadyExists"},
    {TENDER_ERROR_INVALID_STATE, "org.tender.Agent1.Error.InvalidState"},
    {TENDER_ERROR_ACCESS_DENIED, "org.tender.Agent1.Error.AccessDenied"},
    {TENDER_ERROR_FAILED, "org.tender.Agent1.Error.Failed"},
    {TENDER_ERROR_NOT_SUPPORTED, "org.tender.Agent1.Error.NotSupported"},
    {TENDER_ERROR_BUSY, "org.tender.Agent1.Error.Busy"},
    {TENDER_ERROR_LIMIT_REACHED, "org.tender.Agent1.Error.LimitReached"},
    {TENDER_ERROR_UNAVAILABLE, "org.tender.Agent1.Error.Unavailable"},
};

/* the same codes as HTTP status codes, for the HTTP mirror and the plugins' routes; indexed
 * by code like the names above */
static const guint tender_error_http_statuses[] = {
    [TENDER_ERROR_INVALID_ARGUMENT] = 400, /* Bad Request */
    [TENDER_ERROR_NOT_FOUND] = 404,	   /* Not Found */
    [TENDER_ERROR_ALREADY_EXISTS] = 409,   /* Conflict */
    [TENDER_ERROR_INVALID_STATE] = 409,	   /* Conflict */
    [TENDER_ERROR_ACCESS_DENIED] = 403,	   /* Forbidden */
    [TENDER_ERROR_FAILED] = 500,	   /* Internal Server Error */
    [TENDER_ERROR_NOT_SUPPORTED] = 501,	   /* Not Implemented */
    [TENDER_ERROR_BUSY] = 409,		   /* Conflict */
    [TENDER_ERROR_LIMIT_REACHED] = 429,	   /* Too Many Requests */
    [TENDER_ERROR_UNAVAILABLE] = 503,	   /* Service Unavailable */
};

G_STATIC_ASSERT(G_N_ELEMENTS(tender_error_entries) == TENDER_ERROR_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(tender_error_http_statuses) == TENDER_ERROR_LAST);

/**
 * tender_error_quark:
 *
 * Returns: the error domain, registered with GDBus so that errors cross the bus by name and
 * come back as #TENDER_ERROR on the client side.
 *
 * Since: 0.1
 */
GQuark
tender_error_quark(void)
{
	static gsize quark = 0;
	g_dbus_error_register_error_domain("tender-error-quark",
					   &quark,
					   tender_error_entries,
					   G_N_ELEMENTS(tender_error_entries));
	return (GQuark)quark;
}

/**
 * tender_error_to_dbus_name:
 * @code: a #TenderError
 *
 * Returns: the D-Bus error name, e.g. "org.tender.Agent1.Error.NotFound".
 *
 * Since: 0.1
 */
const gchar *
tender_error_to_dbus_name(TenderError code)
{
	if ((guint)code >= TENDER_ERROR_LAST)
		return tender_error_entries[TENDER_ERROR_FAILED].dbus_error_name;
	return tender_error_entries[code].dbus_error_name;
}

/**
 * tender_error_to_http_status:
 * @error: a #GError
 *
 * The HTTP mirror answers an error with the status of its code, e.g. 404 for
 * %TENDER_ERROR_NOT_FOUND.  Errors of other domains are 500: convert them first.
 *
 * Returns: an HTTP status code, 4xx or 5xx
 */
guint
tender_error_to_http_status(const GError *error)
{
	g_return_val_if_fail(error != NULL, 500);
	if (error->domain != TENDER_ERROR || error->code < 0 || error->code >= TENDER_ERROR_LAST)
		return tender_error_http_statuses[TENDER_ERROR_FAILED];
	return tender_error_http_statuses[error->code];
}

/**
 * tender_error_convert:
 * @error: (nullable): an error from GIO, GLib or GDBus
 *
 * Maps foreign errors onto #TENDER_ERROR so that every reply carries one of our names.
 *
 * Since: 0.1
 */
void
tender_error_convert(GError **error)
{
	GError *e;

	if (error == NULL || *error == NULL)
		return;
	e = *error;
	if (e->domain == TENDER_ERROR)
		return;
	g_dbus_error_strip_remote_error(e);
	if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
	    g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
		e->code = TENDER_ERROR_NOT_FOUND;
	} else if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT) ||
		   g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS)) {
		e->code = TENDER_ERROR_INVALID_ARGUMENT;
	} else if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
		e->code = TENDER_ERROR_ALREADY_EXISTS;
	} else if (g_error_matches(e, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
		   g_error_matches(e, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
		   g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
		   g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_PERM)) {
		e->code = TENDER_ERROR_ACCESS_DENIED;
	} else {
		e->code = TENDER_ERROR_FAILED;
	}
	e->domain = TENDER_ERROR;
}
