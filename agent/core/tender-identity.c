/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>

#include "tender-error.h"
#include "tender-identity.h"

#define TENDER_IDENTITY_BUF_SIZE (64 * 1024)

static gboolean
tender_identity_is_numeric(const gchar *text, guint32 *id)
{
	guint64 v = 0;

	if (!g_ascii_isdigit(text[0]) ||
	    !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32 - 1, &v, NULL))
		return FALSE;
	*id = (guint32)v;
	return TRUE;
}

/* resolves the spec's @key, "user" or "group", whose value is @text (a name or a numeric id),
 * into @self */
static gboolean
tender_identity_lookup(TenderIdentity *self, const gchar *key, const gchar *text, GError **error)
{
	g_autofree gchar *buf = g_malloc(TENDER_IDENTITY_BUF_SIZE);
	guint32 id = 0;
	gboolean numeric = tender_identity_is_numeric(text, &id);
	gint rc;

	if (g_strcmp0(key, "user") == 0) {
		struct passwd pw;
		struct passwd *found = NULL;
		rc = numeric ? getpwuid_r((uid_t)id, &pw, buf, TENDER_IDENTITY_BUF_SIZE, &found)
			     : getpwnam_r(text, &pw, buf, TENDER_IDENTITY_BUF_SIZE, &found);
		if (found != NULL) {
			self->uid = (guint32)pw.pw_uid;
			self->gid = (guint32)pw.pw_gid;
			self->user_name = g_strdup(pw.pw_name);
			self->home =
			    g_strdup(pw.pw_dir != NULL && pw.pw_dir[0] != '\0' ? pw.pw_dir : "/");
			self->shell =
			    g_strdup(pw.pw_shell != NULL && pw.pw_shell[0] != '\0' ? pw.pw_shell
										   : "/bin/sh");
			return TRUE;
		}
	} else {
		struct group gr;
		struct group *found = NULL;
		rc = numeric ? getgrgid_r((gid_t)id, &gr, buf, TENDER_IDENTITY_BUF_SIZE, &found)
			     : getgrnam_r(text, &gr, buf, TENDER_IDENTITY_BUF_SIZE, &found);
		if (found != NULL) {
			self->gid = (guint32)gr.gr_gid;
			return TRUE;
		}
	}
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Spec key '%s': no %s '%s' exists%s%s",
		    key,
		    key,
		    text,
		    rc != 0 ? ": " : "",
		    rc != 0 ? g_strerror(rc) : "");
	return FALSE;
}

/**
 * tender_identity_new_from_spec:
 * @spec: a workload's spec
 * @error: (nullable): a #GError
 *
 * Resolves the spec's user and group (a name or a numeric id; either must exist in the user
 * or group database) and its capabilities.  Without a group, the user's primary group; without
 * a user, root.
 *
 * Returns: (transfer full): the identity, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT naming
 * the key
 */
TenderIdentity *
tender_identity_new_from_spec(const TenderSpec *spec, GError **error)
{
	g_autoptr(TenderIdentity) self = g_new0(TenderIdentity, 1);

	self->drop = tender_spec_drops_privileges(spec);
	if (spec->user != NULL && !tender_identity_lookup(self, "user", spec->user, error))
		return NULL;
	if (spec->group != NULL && !tender_identity_lookup(self, "group", spec->group, error))
		return NULL;
	for (guint i = 0; spec->capabilities != NULL && spec->capabilities[i] != NULL; i++) {
		g_autofree gchar *name = NULL;
		gint value = 0;
		if (self->n_caps >= TENDER_PRIVDROP_CAPS_MAX)
			break;
		name = tender_spec_capability_from_name(spec->capabilities[i], &value);
		if (name == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Spec key 'capabilities' names an unknown capability '%s'",
				    spec->capabilities[i]);
			return NULL;
		}
		self->caps[self->n_caps++] = value;
	}
	return g_steal_pointer(&self);
}

/**
 * tender_identity_free:
 * @self: (nullable): a #TenderIdentity
 */
void
tender_identity_free(TenderIdentity *self)
{
	if (self == NULL)
		return;
	g_free(self->user_name);
	g_free(self->home);
	g_free(self->shell);
	g_free(self);
}

/**
 * tender_identity_build_environ:
 * @self: a #TenderIdentity
 * @spec: the workload's spec
 *
 * The workload's environment, tender_spec_build_environ(), with HOME, USER, LOGNAME and SHELL
 * of the spec's user (as systemd's User= sets them), unless the spec's env sets them.
 *
 * Returns: (transfer full): a NULL-terminated environment
 */
gchar **
tender_identity_build_environ(const TenderIdentity *self, const TenderSpec *spec)
{
	g_auto(GStrv) envp = tender_spec_build_environ(spec);
	g_auto(GStrv) own = g_environ_setenv(NULL, "PATH", "", TRUE);

	if (self->user_name == NULL)
		return g_steal_pointer(&envp);
	for (guint i = 0; spec->env != NULL && spec->env[i] != NULL; i++) {
		const gchar *eq = strchr(spec->env[i], '=');
		g_autofree gchar *key = g_strndup(spec->env[i], (gsize)(eq - spec->env[i]));
		own = g_environ_setenv(own, key, "", TRUE);
	}
	if (g_environ_getenv(own, "HOME") == NULL)
		envp = g_environ_setenv(envp, "HOME", self->home, TRUE);
	if (g_environ_getenv(own, "USER") == NULL)
		envp = g_environ_setenv(envp, "USER", self->user_name, TRUE);
	if (g_environ_getenv(own, "LOGNAME") == NULL)
		envp = g_environ_setenv(envp, "LOGNAME", self->user_name, TRUE);
	if (g_environ_getenv(own, "SHELL") == NULL)
		envp = g_environ_setenv(envp, "SHELL", self->shell, TRUE);
	return g_steal_pointer(&envp);
}

/**
 * tender_identity_caps_to_string:
 * @self: a #TenderIdentity
 *
 * Returns: (transfer full): the capabilities to keep as numbers separated by commas, as
 * tender-shim's --caps takes them; "" for none
 */
gchar *
tender_identity_caps_to_string(const TenderIdentity *self)
{
	GString *out = g_string_new(NULL);

	for (gint i = 0; i < self->n_caps; i++)
		g_string_append_printf(out, "%s%d", i > 0 ? "," : "", self->caps[i]);
	return g_string_free(out, FALSE);
}

/**
 * tender_identity_prepare_drop:
 * @self: a #TenderIdentity whose drop is %TRUE
 * @drop: (out caller-allocates): what a child applies with tender_privdrop_apply()
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @drop is ready; then tender_privdrop_clear() it once done
 */
gboolean
tender_identity_prepare_drop(const TenderIdentity *self, TenderPrivdrop *drop, GError **error)
{
	cap_value_t keep[TENDER_PRIVDROP_CAPS_MAX];
	gint rc;

	for (gint i = 0; i < self->n_caps; i++)
		keep[i] = (cap_value_t)self->caps[i];
	rc = tender_privdrop_init(drop, (uid_t)self->uid, (gid_t)self->gid, keep, self->n_caps);
	if (rc < 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "cannot prepare the capabilities: %s",
			    g_strerror(-rc));
		return FALSE;
	}
	return TRUE;
}
