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

/* a token of the file: the SHA-256 digest of the token, in hex, and its user */
typedef struct {
	gchar *digest;
	guint32 uid;
} TenderHttpToken;

static void
tender_http_token_clear(TenderHttpToken *token)
{
	g_free(token->digest);
}

/* the tokens of a tokens file's @text, or %NULL with an error if it is malformed */
static GArray *
tender_http_tokens_parse(const gchar *text, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	g_autoptr(GArray) tokens = g_array_new(FALSE, TRUE, sizeof(TenderHttpToken));

	g_array_set_clear_func(tokens, (GDestroyNotify)tender_http_token_clear);
	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = NULL;
		gchar *line = g_strstrip(lines[i]);
		guint64 value = 0;
		TenderHttpToken token;

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
				return NULL;
			}
		}
		if (strlen(fields[0]) < TENDER_HTTP_TOKENS_MIN_LENGTH) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the token on line %u is shorter than %d characters",
				    i + 1,
				    TENDER_HTTP_TOKENS_MIN_LENGTH);
			return NULL;
		}
		if (!g_ascii_string_to_unsigned(fields[1], 10, 0, G_MAXUINT32 - 1, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "the uid on line %u is not a number",
				    i + 1);
			return NULL;
		}
		if (tokens->len >= TENDER_HTTP_TOKENS_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "more than %d tokens",
				    TENDER_HTTP_TOKENS_MAX);
			return NULL;
		}
		token.digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, fields[0], -1);
		token.uid = (guint32)value;
		g_array_append_val(tokens, token);
	}
	return g_steal_pointer(&tokens);
}

/* looks @token up in @tokens, in time that depends on neither where nor whether it is */
static gboolean
tender_http_tokens_find(GArray *tokens, const gchar *token, guint32 *uid, GError **error)
{
	g_autofree gchar *wanted = g_compute_checksum_for_string(G_CHECKSUM_SHA256, token, -1);
	gboolean found = FALSE;
	guint32 found_uid = 0;

	for (guint i = 0; i < tokens->len; i++) {
		const TenderHttpToken *t = &g_array_index(tokens, TenderHttpToken, i);
		/* no early exit: every line costs the same */
		if (tender_http_tokens_digest_equal(t->digest, wanted) && !found) {
			found = TRUE;
			found_uid = t->uid;
		}
	}
	if (!found)
		return tender_http_tokens_invalid(error);
	*uid = found_uid;
	return TRUE;
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
	g_autoptr(GArray) tokens = tender_http_tokens_parse(text, error);

	return tokens != NULL && tender_http_tokens_find(tokens, token, uid, error);
}

/*
 * The file's tokens as last read, kept while the file is the same: same inode, size, mtime
 * and ctime.  A write within the clock tick of the last change might leave them all alike,
 * so the copy is trusted only if it was read more than a second after the file's last
 * change (ctime); until then the file is read again for each request.  Any change after
 * that moves ctime on, so that adding or revoking a token still takes effect at once.
 */
static struct {
	gchar *path;
	struct stat st;
	gint64 read_at; /* real time, µs */
	GArray *tokens; /* NULL: malformed */
	gchar *malformed;
} tender_http_tokens_cache;

#define TENDER_HTTP_TOKENS_SETTLED_USEC G_USEC_PER_SEC

static gboolean
tender_http_tokens_cache_is_valid(const gchar *path, const struct stat *st)
{
	const struct stat *c = &tender_http_tokens_cache.st;
	gint64 ctime_usec =
	    (gint64)st->st_ctim.tv_sec * G_USEC_PER_SEC + st->st_ctim.tv_nsec / 1000;

	return g_strcmp0(tender_http_tokens_cache.path, path) == 0 && c->st_dev == st->st_dev &&
	       c->st_ino == st->st_ino && c->st_size == st->st_size &&
	       c->st_mtim.tv_sec == st->st_mtim.tv_sec &&
	       c->st_mtim.tv_nsec == st->st_mtim.tv_nsec &&
	       c->st_ctim.tv_sec == st->st_ctim.tv_sec &&
	       c->st_ctim.tv_nsec == st->st_ctim.tv_nsec &&
	       tender_http_tokens_cache.read_at - ctime_usec > TENDER_HTTP_TOKENS_SETTLED_USEC;
}

static void
tender_http_tokens_cache_set(const gchar *path,
			     const struct stat *st,
			     gint64 read_at,
			     GArray *tokens,
			     const gchar *malformed)
{
	g_free(tender_http_tokens_cache.path);
	tender_http_tokens_cache.path = g_strdup(path);
	tender_http_tokens_cache.st = *st;
	tender_http_tokens_cache.read_at = read_at;
	g_clear_pointer(&tender_http_tokens_cache.tokens, g_array_unref);
	tender_http_tokens_cache.tokens = tokens;
	g_free(tender_http_tokens_cache.malformed);
	tender_http_tokens_cache.malformed = g_strdup(malformed);
}

/**
 * tender_http_tokens_lookup:
 * @path: the tokens file
 * @token: the token a client sent
 * @uid: (out): the user it stands for
 * @error: (nullable): a #GError
 *
 * Reads @path, which must be a regular file owned by root without any access for group or
 * others, and looks @token up in it.  The file's tokens are kept while it does not change
 * (see tender_http_tokens_cache above).
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
	if (!tender_http_tokens_cache_is_valid(path, &st)) {
		gint64 read_at = g_get_real_time();
		g_autoptr(GArray) tokens = NULL;

		if (!g_file_get_contents(path, &text, &len, &error_local)) {
			g_warning("cannot read %s: %s", path, error_local->message);
			return tender_http_tokens_invalid(error);
		}
		tokens = tender_http_tokens_parse(text, &error_local);
		tender_http_tokens_cache_set(path,
					     &st,
					     read_at,
					     g_steal_pointer(&tokens),
					     error_local != NULL ? error_local->message : NULL);
	}
	if (tender_http_tokens_cache.tokens == NULL) {
		g_warning("%s is ignored: %s", path, tender_http_tokens_cache.malformed);
		return tender_http_tokens_invalid(error);
	}
	return tender_http_tokens_find(tender_http_tokens_cache.tokens, token, uid, error);
}
