/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "tender-error.h"
#include "tender-units.h"

/* the binary prefixes, in order: K is 1024^1, P is 1024^5 */
static const gchar tender_units_prefixes[] = "KMGTP";

typedef struct {
	const gchar *name;
	gint signo;
} TenderUnitsSignal;

/* the first entry for a number is its canonical name, later ones are accepted aliases */
static const TenderUnitsSignal tender_units_signals[] = {
    {"HUP", SIGHUP},
    {"INT", SIGINT},
    {"QUIT", SIGQUIT},
    {"ILL", SIGILL},
    {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},
    {"BUS", SIGBUS},
    {"FPE", SIGFPE},
    {"KILL", SIGKILL},
    {"USR1", SIGUSR1},
    {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE},
    {"ALRM", SIGALRM},
    {"TERM", SIGTERM},
#ifdef SIGSTKFLT
    {"STKFLT", SIGSTKFLT},
#endif
    {"CHLD", SIGCHLD},
    {"CONT", SIGCONT},
    {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU},
    {"URG", SIGURG},
    {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},
    {"IO", SIGIO},
#ifdef SIGPWR
    {"PWR", SIGPWR},
#endif
    {"SYS", SIGSYS},
    /* aliases */
    {"IOT", SIGABRT},
    {"POLL", SIGIO},
    {"CLD", SIGCHLD},
};

/* names of the real-time signals by their offset from SIGRTMIN */
static const gchar *const tender_units_rt_signals[] = {
    "RTMIN",	"RTMIN+1",  "RTMIN+2",	"RTMIN+3",  "RTMIN+4",	"RTMIN+5",  "RTMIN+6",
    "RTMIN+7",	"RTMIN+8",  "RTMIN+9",	"RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13",
    "RTMIN+14", "RTMIN+15", "RTMIN+16", "RTMIN+17", "RTMIN+18", "RTMIN+19", "RTMIN+20",
    "RTMIN+21", "RTMIN+22", "RTMIN+23", "RTMIN+24", "RTMIN+25", "RTMIN+26", "RTMIN+27",
    "RTMIN+28", "RTMIN+29", "RTMIN+30", "RTMIN+31", "RTMIN+32",
};

/* scans [0-9]+ at *p and moves *p past it; @kind and @text are only for the error message */
static gboolean
tender_units_scan_uint(const gchar *kind,
		       const gchar *text,
		       const gchar **p,
		       guint64 *value,
		       GError **error)
{
	guint64 tmp = 0;

	if (!g_ascii_isdigit(**p)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected a number",
			    kind,
			    text);
		return FALSE;
	}
	for (; g_ascii_isdigit(**p); (*p)++) {
		guint digit = (guint)(**p - '0');
		if (tmp > (G_MAXUINT64 - digit) / 10) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid %s '%s': the number is too large",
				    kind,
				    text);
			return FALSE;
		}
		tmp = tmp * 10 + digit;
	}
	*value = tmp;
	return TRUE;
}

/* the empty and negative checks every parser shares */
static gboolean
tender_units_check_start(const gchar *kind, const gchar *text, GError **error)
{
	if (text == NULL || text[0] == '\0') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '': the value is empty",
			    kind);
		return FALSE;
	}
	if (text[0] == '-') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': the value must not be negative",
			    kind,
			    text);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_units_parse_size:
 * @text: a size such as "512", "512B", "64M", "64MiB", "1.5G" or "1T"
 * @value: (out): the size in bytes
 * @error: (nullable): optional return location for an error
 *
 * Parses a size as systemd's MemoryMax= does: the suffixes K, M, G, T and P (in either case,
 * optionally followed by "i", "iB" or "B") are powers of 1024, a plain number or one with the
 * suffix B is bytes.  A fraction needs one of the suffixes K to P; the result is rounded down to
 * whole bytes.
 *
 * Returns: %TRUE for success, or %FALSE with a #TENDER_ERROR_INVALID_ARGUMENT that quotes @text
 */
gboolean
tender_units_parse_size(const gchar *text, guint64 *value, GError **error)
{
	const gchar *p = text;
	const gchar *frac_start = NULL;
	const gchar *frac_end = NULL;
	guint64 ipart = 0;
	guint64 factor = 1;
	guint64 frac = 0;
	gboolean too_large;

	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!tender_units_check_start("size", text, error))
		return FALSE;
	if (!g_ascii_isdigit(*p)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid size '%s': expected a number of bytes, optionally followed by "
			    "K, M, G, T or P",
			    text);
		return FALSE;
	}
	if (!tender_units_scan_uint("size", text, &p, &ipart, error))
		return FALSE;

	/* fraction */
	if (*p == '.') {
		p++;
		frac_start = p;
		while (g_ascii_isdigit(*p))
			p++;
		frac_end = p;
		if (frac_start == frac_end) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid size '%s': expected digits after the decimal point",
				    text);
			return FALSE;
		}
	}

	/* suffix */
	if (*p != '\0') {
		const gchar *prefix = strchr(tender_units_prefixes, g_ascii_toupper(*p));
		if (prefix != NULL) {
			guint exponent = (guint)(prefix - tender_units_prefixes) + 1;
			for (guint i = 0; i < exponent; i++)
				factor *= 1024;
			p++;
			if (*p != '\0' && g_ascii_strcasecmp(p, "i") != 0 &&
			    g_ascii_strcasecmp(p, "iB") != 0 && g_ascii_strcasecmp(p, "B") != 0) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid size '%s': unexpected '%s' after the suffix",
					    text,
					    p);
				return FALSE;
			}
		} else if (g_ascii_strcasecmp(p, "B") != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid size '%s': unknown suffix '%s', "
				    "expected K, M, G, T or P",
				    text,
				    p);
			return FALSE;
		}
	}
	if (frac_start != NULL && factor == 1) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid size '%s': a fraction of a byte is not a size, use a suffix "
			    "such as K or M",
			    text);
		return FALSE;
	}

	/* the integer part */
	too_large = ipart > G_MAXUINT64 / factor;
	if (!too_large) {
		ipart *= factor;

		/* the fraction, exactly: Horner's scheme from the last digit, each step rounding
		 * down, gives floor(0.d1d2...dn * factor), as floor((a + floor(x)) / 10) equals
		 * floor((a + x) / 10) for an integer a */
		if (frac_start != NULL) {
			for (const gchar *q = frac_end; q > frac_start; q--)
				frac = ((guint64)(q[-1] - '0') * factor + frac) / 10;
		}
		too_large = frac > G_MAXUINT64 - ipart;
	}
	if (too_large) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid size '%s': the size is too large",
			    text);
		return FALSE;
	}
	*value = ipart + frac;
	return TRUE;
}

/**
 * tender_units_parse_percent:
 * @text: a whole percentage such as "50%", "50" or "250%"
 * @value: (out): the percentage
 * @error: (nullable): optional return location for an error
 *
 * Parses a whole, non-negative percentage; whether it is a sensible limit is for the daemon to
 * judge, so 0 and values above 100 are accepted.
 *
 * Returns: %TRUE for success, or %FALSE with a #TENDER_ERROR_INVALID_ARGUMENT that quotes @text
 */
gboolean
tender_units_parse_percent(const gchar *text, guint *value, GError **error)
{
	const gchar *p = text;
	guint64 tmp = 0;

	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!tender_units_check_start("percentage", text, error))
		return FALSE;
	if (!tender_units_scan_uint("percentage", text, &p, &tmp, error))
		return FALSE;
	if (*p == '.' && g_ascii_isdigit(p[1])) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid percentage '%s': expected a whole number",
			    text);
		return FALSE;
	}
	if (*p == '%')
		p++;
	if (*p != '\0') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid percentage '%s': expected a whole number, optionally followed "
			    "by '%%'",
			    text);
		return FALSE;
	}
	if (tmp > G_MAXUINT) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid percentage '%s': the number is too large",
			    text);
		return FALSE;
	}
	*value = (guint)tmp;
	return TRUE;
}

/**
 * tender_units_parse_duration:
 * @text: a duration such as "30", "30s", "500ms", "5m", "1h30m" or "2d"
 * @msec: (out): the duration in milliseconds
 * @error: (nullable): optional return location for an error
 *
 * Parses a duration as a sum of whole numbers, each followed by a unit: ms, s (sec), m
 * (min), h or d; a plain number is seconds.
 *
 * Returns: %TRUE for success, or %FALSE with a #TENDER_ERROR_INVALID_ARGUMENT that quotes @text
 */
gboolean
tender_units_parse_duration(const gchar *text, guint64 *msec, GError **error)
{
	const struct {
		const gchar *suffix;
		guint64 msec;
	} units[] = {{"ms", 1},
		     {"min", 60000},
		     {"sec", 1000},
		     {"s", 1000},
		     {"m", 60000},
		     {"h", 3600000},
		     {"d", 86400000}};
	const gchar *p = text;
	guint64 total = 0;

	g_return_val_if_fail(msec != NULL, FALSE);
	if (!tender_units_check_start("duration", text, error))
		return FALSE;
	while (*p != '\0') {
		guint64 n = 0;
		guint64 unit = 0;
		if (!tender_units_scan_uint("duration", text, &p, &n, error))
			return FALSE;
		for (guint i = 0; i < G_N_ELEMENTS(units) && unit == 0; i++) {
			if (g_str_has_prefix(p, units[i].suffix)) {
				unit = units[i].msec;
				p += strlen(units[i].suffix);
			}
		}
		if (unit == 0 && *p == '\0' && p != text && total == 0)
			unit = 1000; /* a plain number is seconds */
		if (unit == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid duration '%s': expected numbers with the units ms, s, "
				    "m, h or d, e.g. 90s or 1h30m",
				    text);
			return FALSE;
		}
		if (n > (G_MAXUINT64 - total) / unit) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid duration '%s': it is too long",
				    text);
			return FALSE;
		}
		total += n * unit;
	}
	*msec = total;
	return TRUE;
}

/* parses "RTMIN", "RTMIN+N", "RTMAX" or "RTMAX-N", without "SIG" */
static gboolean
tender_units_parse_rt_signal(const gchar *text, const gchar *name, gint *signo, GError **error)
{
	const gchar *p = name + strlen("RTMIN");
	gboolean from_min = g_ascii_strncasecmp(name, "RTMIN", 5) == 0;
	guint64 offset = 0;
	gint64 tmp;

	if (*p != '\0') {
		gboolean valid = *p == (from_min ? '+' : '-');
		if (valid) {
			p++;
			if (!tender_units_scan_uint("signal", text, &p, &offset, error))
				return FALSE;
			valid = *p == '\0';
		}
		if (!valid) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid signal '%s': expected RTMIN+N or RTMAX-N",
				    text);
			return FALSE;
		}
	}
	if (offset > (guint64)(SIGRTMAX - SIGRTMIN)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid signal '%s': there are only %d real-time signals",
			    text,
			    SIGRTMAX - SIGRTMIN + 1);
		return FALSE;
	}
	tmp = from_min ? SIGRTMIN + (gint64)offset : SIGRTMAX - (gint64)offset;
	if (tmp > TENDER_UNITS_SIGNAL_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid signal '%s': signal %" G_GINT64_FORMAT " is out of "
			    "range (1..%d)",
			    text,
			    tmp,
			    TENDER_UNITS_SIGNAL_MAX);
		return FALSE;
	}
	*signo = (gint)tmp;
	return TRUE;
}

/**
 * tender_units_parse_signal:
 * @text: a signal number or name, e.g. "9", "KILL", "SIGKILL", "sigterm" or "RTMIN+3"
 * @signo: (out): the signal number
 * @error: (nullable): optional return location for an error
 *
 * Parses a signal as kill(1) does.  Names are matched regardless of case and may start with
 * "SIG".  Numbers must be within 1..%TENDER_UNITS_SIGNAL_MAX.
 *
 * Returns: %TRUE for success, or %FALSE with a #TENDER_ERROR_INVALID_ARGUMENT that quotes @text
 */
gboolean
tender_units_parse_signal(const gchar *text, gint *signo, GError **error)
{
	const gchar *name = text;

	g_return_val_if_fail(signo != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!tender_units_check_start("signal", text, error))
		return FALSE;

	/* a number */
	if (g_ascii_isdigit(text[0])) {
		const gchar *p = text;
		guint64 tmp = 0;
		if (!tender_units_scan_uint("signal", text, &p, &tmp, error))
			return FALSE;
		if (*p != '\0') {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid signal '%s': expected a number or a name",
				    text);
			return FALSE;
		}
		if (tmp < 1 || tmp > TENDER_UNITS_SIGNAL_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid signal '%s': out of range (1..%d)",
				    text,
				    TENDER_UNITS_SIGNAL_MAX);
			return FALSE;
		}
		*signo = (gint)tmp;
		return TRUE;
	}

	/* a name */
	if (g_ascii_strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (guint i = 0; i < G_N_ELEMENTS(tender_units_signals); i++) {
		if (g_ascii_strcasecmp(name, tender_units_signals[i].name) == 0) {
			*signo = tender_units_signals[i].signo;
			return TRUE;
		}
	}
	if (g_ascii_strncasecmp(name, "RTMIN", 5) == 0 ||
	    g_ascii_strncasecmp(name, "RTMAX", 5) == 0)
		return tender_units_parse_rt_signal(text, name, signo, error);
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Invalid signal '%s': expected a number (1..%d) or a name such as TERM, KILL "
		    "or RTMIN+3",
		    text,
		    TENDER_UNITS_SIGNAL_MAX);
	return FALSE;
}

/**
 * tender_units_signal_to_string:
 * @signo: a signal number
 *
 * Returns: the signal's name without "SIG", e.g. "KILL" or "RTMIN+3", or %NULL if unknown
 */
const gchar *
tender_units_signal_to_string(gint signo)
{
	for (guint i = 0; i < G_N_ELEMENTS(tender_units_signals); i++) {
		if (tender_units_signals[i].signo == signo)
			return tender_units_signals[i].name;
	}
	if (signo >= SIGRTMIN && signo <= SIGRTMAX &&
	    (guint)(signo - SIGRTMIN) < G_N_ELEMENTS(tender_units_rt_signals))
		return tender_units_rt_signals[signo - SIGRTMIN];
	return NULL;
}

/**
 * tender_units_format_size:
 * @bytes: a size in bytes
 *
 * Formats a size the way tender_units_parse_size() reads it: "512B" below 1 KiB, "64M" when the
 * size is a whole number of the largest fitting unit, otherwise rounded to one decimal, "1.5G".
 *
 * Returns: (transfer full): the size, e.g. "64M"
 */
gchar *
tender_units_format_size(guint64 bytes)
{
	guint64 unit = 1;
	guint idx = 0;
	guint64 tenths;

	if (bytes < 1024)
		return g_strdup_printf("%" G_GUINT64_FORMAT "B", bytes);

	/* the largest unit that fits */
	while (idx < sizeof(tender_units_prefixes) - 1 && bytes / unit >= 1024) {
		unit *= 1024;
		idx++;
	}
	if (bytes % unit == 0)
		return g_strdup_printf("%" G_GUINT64_FORMAT "%c",
				       bytes / unit,
				       tender_units_prefixes[idx - 1]);

	/* round to tenths without overflowing; 1023.96K rounds up to the next unit, 1.0M */
	tenths = (bytes / unit) * 10 + ((bytes % unit) * 10 + unit / 2) / unit;
	if (tenths >= 10240 && idx < sizeof(tender_units_prefixes) - 1) {
		unit *= 1024;
		idx++;
		tenths = (bytes / unit) * 10 + ((bytes % unit) * 10 + unit / 2) / unit;
	}
	return g_strdup_printf("%" G_GUINT64_FORMAT ".%u%c",
			       tenths / 10,
			       (guint)(tenths % 10),
			       tender_units_prefixes[idx - 1]);
}
