/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tender-error.h"
#include "tender-scope-image.h"

/*
 * What an image's config (its Env, Entrypoint, Cmd, WorkingDir and User, as the image store
 * keeps them) gives a workload whose spec leaves them out, as podman does:
 *
 *  - the command is the Entrypoint followed by the spec's argv, which replaces the Cmd; the
 *    Cmd only without an argv in the spec; one of them must say something;
 *  - the environment is tenderd's defaults (PATH), then the image's Env, then the spec's env,
 *    which wins;
 *  - the working directory is the spec's, unless it is the default (/), then the image's;
 *  - the user is the spec's (resolved on the host, as for any workload), else the image's,
 *    whose names are looked up in the image's own /etc/passwd and /etc/group.
 */

/* the image's /etc/passwd or /etc/group is read up to this size */
#define TENDER_SCOPE_IMAGE_DB_MAX (1024 * 1024)

static gchar **
tender_scope_image_dup_strv(GVariant *config, const gchar *key)
{
	g_autoptr(GVariant) value =
	    g_variant_lookup_value(config, key, G_VARIANT_TYPE_STRING_ARRAY);
	return value != NULL ? g_variant_dup_strv(value, NULL) : NULL;
}

static gchar *
tender_scope_image_dup_string(GVariant *config, const gchar *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(config, key, G_VARIANT_TYPE_STRING);
	const gchar *text = value != NULL ? g_variant_get_string(value, NULL) : NULL;
	return text != NULL && text[0] != '\0' ? g_strdup(text) : NULL;
}

/**
 * tender_scope_image_new:
 * @name: the image's name
 * @rootfs: its root filesystem
 * @config: (nullable): its config, an a{sv} (env as, entrypoint as, cmd as,
 *	working_directory s, user s)
 *
 * Returns: (transfer full): a #TenderScopeImage
 */
TenderScopeImage *
tender_scope_image_new(const gchar *name, const gchar *rootfs, GVariant *config)
{
	TenderScopeImage *self = g_new0(TenderScopeImage, 1);

	self->name = g_strdup(name);
	self->rootfs = g_strdup(rootfs);
	if (config == NULL || !g_variant_is_of_type(config, G_VARIANT_TYPE_VARDICT))
		return self;
	self->entrypoint = tender_scope_image_dup_strv(config, "entrypoint");
	self->cmd = tender_scope_image_dup_strv(config, "cmd");
	self->env = tender_scope_image_dup_strv(config, "env");
	self->working_directory = tender_scope_image_dup_string(config, "working_directory");
	self->user = tender_scope_image_dup_string(config, "user");
	return self;
}

/**
 * tender_scope_image_free:
 * @self: (nullable): a #TenderScopeImage
 */
void
tender_scope_image_free(TenderScopeImage *self)
{
	if (self == NULL)
		return;
	g_free(self->name);
	g_free(self->rootfs);
	g_free(self->digest);
	g_strfreev(self->entrypoint);
	g_strfreev(self->cmd);
	g_strfreev(self->env);
	g_free(self->working_directory);
	g_free(self->user);
	g_free(self);
}

/**
 * tender_scope_image_build_argv:
 * @self: (nullable): the workload's image
 * @spec: its spec
 * @workload: its name, for messages
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the command: the image's Entrypoint, then the spec's argv or, if
 *	it has none, the image's Cmd; %NULL with %TENDER_ERROR_INVALID_ARGUMENT if that is empty
 */
gchar **
tender_scope_image_build_argv(const TenderScopeImage *self,
			      const TenderSpec *spec,
			      const gchar *workload,
			      GError **error)
{
	g_autoptr(GStrvBuilder) builder = g_strv_builder_new();
	g_auto(GStrv) argv = NULL;

	if (self != NULL && self->entrypoint != NULL)
		g_strv_builder_addv(builder, (const gchar **)self->entrypoint);
	if (spec->argv != NULL)
		g_strv_builder_addv(builder, (const gchar **)spec->argv);
	else if (self != NULL && self->cmd != NULL)
		g_strv_builder_addv(builder, (const gchar **)self->cmd);
	argv = g_strv_builder_end(builder);
	if (argv[0] == NULL || argv[0][0] == '\0') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Workload '%s': neither its spec nor image '%s' says what to run; "
			    "give a command (spec key 'argv')",
			    workload,
			    self != NULL ? self->name : "");
		return NULL;
	}
	return g_steal_pointer(&argv);
}

/* whether @env sets @key */
static gboolean
tender_scope_image_env_has(gchar **env, const gchar *key)
{
	gsize len = strlen(key);

	for (guint i = 0; env != NULL && env[i] != NULL; i++) {
		if (strncmp(env[i], key, len) == 0 && env[i][len] == '=')
			return TRUE;
	}
	return FALSE;
}

/**
 * tender_scope_image_merge_environ:
 * @self: (nullable): the workload's image
 * @spec: its spec
 * @envp: (transfer full): the environment made from the spec alone
 *
 * Returns: (transfer full): @envp with the image's Env, under the spec's own env
 */
gchar **
tender_scope_image_merge_environ(const TenderScopeImage *self, const TenderSpec *spec, gchar **envp)
{
	for (guint i = 0; self != NULL && self->env != NULL && self->env[i] != NULL; i++) {
		const gchar *eq = strchr(self->env[i], '=');
		g_autofree gchar *key = NULL;
		if (eq == NULL || eq == self->env[i])
			continue;
		key = g_strndup(self->env[i], (gsize)(eq - self->env[i]));
		if (!tender_scope_image_env_has(spec->env, key))
			envp = g_environ_setenv(envp, key, eq + 1, TRUE);
	}
	return envp;
}

/**
 * tender_scope_image_get_working_directory:
 * @self: (nullable): the workload's image
 * @spec: its spec
 *
 * Returns: (transfer none): the working directory of the workload's processes: the spec's,
 *	unless it is the default (/), then the image's WorkingDir, else /
 */
const gchar *
tender_scope_image_get_working_directory(const TenderScopeImage *self, const TenderSpec *spec)
{
	const gchar *dir = spec->working_directory != NULL ? spec->working_directory : "/";

	if (self != NULL && self->working_directory != NULL && g_strcmp0(dir, "/") == 0)
		return self->working_directory;
	return dir;
}

/* the image's @path (/etc/passwd or /etc/group), read inside its root: a link in it cannot lead
 * out of it; NULL if it has none */
static gchar *
tender_scope_image_read_db(const TenderScopeImage *self, const gchar *path)
{
	struct open_how how = {
	    .flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	g_autofree gchar *buf = g_malloc(TENDER_SCOPE_IMAGE_DB_MAX + 1);
	g_autoptr(GInputStream) in = NULL;
	gsize done = 0;
	gint root = open(self->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	gint fd;

	if (root < 0)
		return NULL;
	fd = (gint)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		/* a kernel (or valgrind) without openat2: one component at a time, following no
		 * link at all, which a link in the image's /etc then fails */
		gint etc = openat(root, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (etc >= 0) {
			fd = openat(etc,
				    path + strlen("/etc/"),
				    O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			(void)close(etc);
		}
	}
	(void)close(root);
	if (fd < 0)
		return NULL;
	in = g_unix_input_stream_new(fd, TRUE);
	if (!g_input_stream_read_all(in, buf, TENDER_SCOPE_IMAGE_DB_MAX, &done, NULL, NULL))
		return NULL;
	buf[done] = '\0';
	return g_steal_pointer(&buf);
}

/* the line of @db (passwd or group format) whose name, or id if @numeric, is @key: its
 * fields, or NULL */
static gchar **
tender_scope_image_lookup_db(const gchar *db, const gchar *key, gboolean numeric)
{
	g_auto(GStrv) lines = g_strsplit(db != NULL ? db : "", "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_auto(GStrv) fields = g_strsplit(lines[i], ":", -1);
		if (g_strv_length(fields) < 4)
			continue;
		if (g_strcmp0(numeric ? fields[2] : fields[0], key) == 0)
			return g_steal_pointer(&fields);
	}
	return NULL;
}

/* a numeric user or group id */
static gboolean
tender_scope_image_parse_id(const gchar *text, guint32 *id)
{
	guint64 v = 0;
	gboolean ok = g_ascii_isdigit(text[0]) &&
		      g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT32 - 1, &v, NULL);

	if (ok)
		*id = (guint32)v;
	return ok;
}

/* resolves the image's User's @part ("user" or "group") @text into @id */
static gboolean
tender_scope_image_resolve(const TenderScopeImage *self,
			   const gchar *part,
			   const gchar *text,
			   guint32 *id,
			   gchar ***fields,
			   GError **error)
{
	g_autofree gchar *db = NULL;
	gboolean numeric = tender_scope_image_parse_id(text, id);

	db =
	    tender_scope_image_read_db(self,
				       g_strcmp0(part, "user") == 0 ? "/etc/passwd" : "/etc/group");
	*fields = tender_scope_image_lookup_db(db, text, numeric);
	if (numeric)
		return TRUE;
	if (*fields != NULL && tender_scope_image_parse_id((*fields)[2], id))
		return TRUE;
	g_set_error(error,
		    TENDER_ERROR,
		    TENDER_ERROR_INVALID_ARGUMENT,
		    "Image '%s' runs as %s '%s', which its /etc/%s does not have",
		    self->name,
		    part,
		    text,
		    g_strcmp0(part, "user") == 0 ? "passwd" : "group");
	return FALSE;
}

/**
 * tender_scope_image_new_identity:
 * @self: the workload's image, whose User is set
 * @spec: its spec, without a user
 * @error: (nullable): a #GError
 *
 * The identity of a workload that runs as its image's User: its ids from the image's own user
 * and group databases (a numeric id needs none), the spec's group and capabilities.
 *
 * Returns: (transfer full): the identity, or %NULL with %TENDER_ERROR_INVALID_ARGUMENT
 */
TenderIdentity *
tender_scope_image_new_identity(const TenderScopeImage *self,
				const TenderSpec *spec,
				GError **error)
{
	g_autoptr(TenderIdentity) identity = tender_identity_new_from_spec(spec, error);
	g_auto(GStrv) parts = NULL;
	g_auto(GStrv) user = NULL;
	g_auto(GStrv) group = NULL;
	guint32 gid = 0;

	if (identity == NULL)
		return NULL;
	parts = g_strsplit(self->user, ":", 2);
	if (!tender_scope_image_resolve(self, "user", parts[0], &identity->uid, &user, error))
		return NULL;
	identity->drop = TRUE;
	/* the user's primary group, unless the spec names one */
	if (spec->group == NULL)
		identity->gid =
		    user != NULL && tender_scope_image_parse_id(user[3], &gid) ? gid : 0;
	g_free(identity->user_name);
	g_free(identity->home);
	g_free(identity->shell);
	identity->user_name = g_strdup(user != NULL ? user[0] : parts[0]);
	identity->home =
	    g_strdup(user != NULL && g_strv_length(user) > 5 && user[5][0] != '\0' ? user[5] : "/");
	identity->shell = g_strdup(
	    user != NULL && g_strv_length(user) > 6 && user[6][0] != '\0' ? user[6] : "/bin/sh");
	/* the spec's group wins over the image's */
	if (spec->group == NULL && parts[1] != NULL &&
	    !tender_scope_image_resolve(self, "group", parts[1], &identity->gid, &group, error))
		return NULL;
	return g_steal_pointer(&identity);
}
