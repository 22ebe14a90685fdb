/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include "tender-error.h"
#include "tender-http-tokens.h"

/*
 * The bearer tokens of the HTTP API over TCP: a file, one "TOKEN UID" a line ('#' starts a
 * comment), owned by root and readable by root only.  Each token stands for the user @uid,
 * whose authorization then applies.  The file is read on every request that carries a token,
 * so that adding or revoking a token takes effect at once.  Tokens are compared by their
 * SHA-256 digests, in time that does not depend on where they differ, and never logged.
 */

#define TENDER_HTTP_TOKENS_FILE_MAX (1024 * 1024)

/* what a client is told of any token that is not accepted, whatever the reason */
static gboolean
tender_http_tokens_invalid(GError **error)
{
	g_set_error_literal(error,
			    TENDER_ERROR,
			    TENDER_ERROR_ACCESS_DENIED,
			    "The bearer token is not valid");
	return FALSE;
}

static gboolean
tender_http_tokens_digest_equal(const gchar *a, const gchar *b)
{
	guint diff = 0;

	/* both are hex SHA-256 digests of the same length */
	for (guint i = 0; a[i] != '\0' && b[i] != '\0'; i++)
		diff |= (guint)(a[i] ^ b[i]);
	return diff == 0 && strlen(a) == strlen(b);
}

/**
 * tender_http_tokens_match:
 * @text: the contents of a tokens file
 * @token: the token a client sent
 * @uid: (out): the user it stands for
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @token is in @text; %FALSE with %TENDER_ERROR_ACCESS_DENIED if not, or
 * with %TENDER_ERROR_INVALID_ARGUMENT if @text is malformed
 */
gboolean
tender_http_tokens_match(const gchar *text, const gchar *token, guint32 *uid, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autofree gchar *wanted = g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);
	gboolean found = FALSE;
	guint32 found_uid = 0;
	guint count = 0;

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = NULL;
		g_autofree gchar *digest = NULL;
		gchar *line = g_strstrip(lines[i]);
		guint64 value = 0;

		if (line[0] == '\0' || line[0] == '#')
			continue;
		fields = g_strsplit_set(line, " \t", -1);
		{
			guint n = 0;
			for (guint j = 0; fields[j] != NULL; j++) {
				if (fields[j][0] != '\0')
					fields[n++] = fields[j];
				else
					g_free(fields[j]);
			}
			fields[n] = NULL;
			if (n != 2) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "line %u is not 'TOKEN UID'",
					    i + 1);
				return FALSE;
			}
		}
		if (strlen(fields[0]) < TENDER_HTTP_TOKENS_MIN_LENGTH) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the token on line %u is shorter than %d characters",
				    i + 1,
				    TENDER_HTTP_TOKENS_MIN_LENGTH);
			return FALSE;
		}
		if (!g_ascii_string_to_unsigned(fields[1], 10, 0, G_MAXUINT32 - 1, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the uid on line %u is not a number",
				    i + 1);
			return FALSE;
		}
		if (++count > TENDER_HTTP_TOKENS_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "more than %d tokens",
				    TENDER_HTTP_TOKENS_MAX);
			return FALSE;
		}
		digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, fields[0], -1);
		/* no early exit: every line costs the same */
		if (tender_http_tokens_digest_equal(digest, wanted) && !found) {
			found = TRUE;
			found_uid = (guint32)value;
		}
	}
	if (!found)
		return tender_http_tokens_invalid(error);
	*uid = found_uid;
	return TRUE;
}

/**
 * tender_http_tokens_lookup:
 * @path: the tokens file
 * @token: the token a client sent
 * @uid: (out): the user it stands for
 * @error: (nullable): a #GError
 *
 * Reads @path, which must be a regular file owned by root without any access for group or
 * others, and looks @token up in it.
 *
 * Returns: %TRUE if @token is valid; else %FALSE with %TENDER_ERROR_ACCESS_DENIED (the
 * file's own problems are logged, never the token)
 */
gboolean
tender_http_tokens_lookup(const gchar *path, const gchar *token, guint32 *uid, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *text = NULL;
	gsize len = 0;
	struct stat st;

	if (stat(path, &st) != 0)
		return tender_http_tokens_invalid(error);
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077) != 0 ||
	    st.st_size > TENDER_HTTP_TOKENS_FILE_MAX) {
		g_warning("%s is ignored: it must be a regular file of root, mode 0600 or "
			  "stricter, of at most %d bytes",
			  path,
			  TENDER_HTTP_TOKENS_FILE_MAX);
		return tender_http_tokens_invalid(error);
	}
	if (!g_file_get_contents(path, &text, &len, &error_local)) {
		g_warning("cannot read %s: %s", path, error_local->message);
		return tender_http_tokens_invalid(error);
	}
	if (!tender_http_tokens_match(text, token, uid, &error_local)) {
		if (!g_error_matches(error_local, TENDER_ERROR, TENDER_ERROR_ACCESS_DENIED))
			g_warning("%s is ignored: %s", path, error_local->message);
		return tender_http_tokens_invalid(error);
	}
	return TRUE;
}
