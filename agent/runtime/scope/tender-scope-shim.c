/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <poll.h>
#include <string.h>

#include "tender-error.h"
#include "tender-json.h"
#include "tender-scope-shim.h"

/*
 * What tenderd and tender-shim (agent/shim/) say to each other beyond the go and status
 * pipes: the shim's arguments (the command, its user, group and capabilities, its pre_start
 * and post_stop hooks, its isolation: namespaces, root, volumes, rlimits), its environment,
 * and the exit record the shim writes when the run ends.
 */

/* tender-shim writes less than 1 KiB */
#define TENDER_SCOPE_SHIM_RECORD_MAX (64 * 1024)

/**
 * tender_scope_shim_parse_record:
 * @path: where the shim of the run wrote its exit record, for messages
 * @data: what @path holds
 * @len: its length
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the exit record, or %NULL if @data is not one
 */
JsonObject *
tender_scope_shim_parse_record(const gchar *path, const gchar *data, gsize len, GError **error)
{
	g_autoptr(JsonNode) root = NULL;

	if (len > TENDER_SCOPE_SHIM_RECORD_MAX) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s has more than %d bytes",
			    path,
			    TENDER_SCOPE_SHIM_RECORD_MAX);
		return NULL;
	}
	root = tender_json_parse(data, (gssize)len, TENDER_JSON_DEPTH_MAX, error);
	if (root == NULL) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "%s is not a JSON object",
			    path);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/**
 * tender_scope_shim_sanitize_reason:
 * @text: what the shim says of a failed start
 *
 * Returns: (transfer full): @text as one line of valid UTF-8 without control characters, at
 * most 4 KiB
 */
gchar *
tender_scope_shim_sanitize_reason(const gchar *text)
{
	g_autofree gchar *valid = g_utf8_make_valid(text, -1);
	GString *out = g_string_new(NULL);
	const gchar *p;

	for (p = valid; *p != '\0' && out->len < 4096; p++)
		g_string_append_c(out, g_ascii_iscntrl(*p) ? ' ' : *p);
	g_free(valid);
	/* the cut may have split a character */
	valid = g_utf8_make_valid(out->str, (gssize)out->len);
	g_string_free(out, TRUE);
	return g_steal_pointer(&valid);
}

/**
 * tender_scope_shim_check_pid:
 * @pidfd: a pidfd of @pid
 * @pid: a process
 * @run_id: a run's id
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE if @pid, known by @pidfd, is the tender-shim of run @run_id
 */
gboolean
tender_scope_shim_check_pid(gint pidfd, GPid pid, const gchar *run_id, GError **error)
{
	g_autofree gchar *path = g_strdup_printf("/proc/%d/cmdline", (gint)pid);
	g_autofree gchar *cmdline = NULL;
	gsize len = 0;
	gboolean found = FALSE;
	struct pollfd pfd = {.fd = pidfd, .events = POLLIN};

	if (!g_file_get_contents(path, &cmdline, &len, error))
		return FALSE;
	for (gsize i = 0; i < len; i += strlen(cmdline + i) + 1) {
		if (g_strcmp0(cmdline + i, "--run-id") == 0 && i + 9 < len &&
		    g_strcmp0(cmdline + i + 9, run_id) == 0)
			found = TRUE;
		if (g_strcmp0(cmdline + i, "--") == 0)
			break;
	}
	/* the PID still belongs to the process of @pidfd, so the cmdline read was its own */
	if (poll(&pfd, 1, 0) != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "PID %d has exited",
			    (gint)pid);
		return FALSE;
	}
	if (!found) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_FAILED,
			    "PID %d is not the tender-shim of run %s",
			    (gint)pid,
			    run_id);
		return FALSE;
	}
	return TRUE;
}

/**
 * tender_scope_shim_parse_failure:
 * @text: what follows "E " on the shim's status pipe, "ERRNO" or "ERRNO WHY": a set-up that
 *	failed says why, an exec only its errno; cut at the space
 * @value: (out): the errno
 * @why: (out): the reason, or %NULL
 *
 * Returns: %TRUE if @text is one
 */
gboolean
tender_scope_shim_parse_failure(gchar *text, guint64 *value, const gchar **why)
{
	gchar *space = strchr(text, ' ');

	if (space != NULL) {
		*space = '\0';
		*why = space[1] != '\0' ? space + 1 : NULL;
	}
	return g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT32, value, NULL);
}

/* tender-shim's --pre-start or --post-stop arguments for @hooks; @owned keeps the strings
 * made here */
static void
tender_scope_shim_add_hook_args(const gchar *flag,
				GPtrArray *hooks,
				GPtrArray *argv,
				GPtrArray *owned)
{
	for (guint i = 0; hooks != NULL && i < hooks->len; i++) {
		gchar **hook = g_ptr_array_index(hooks, i);
		gchar *count = g_strdup_printf("%u", g_strv_length(hook));
		g_ptr_array_add(owned, count);
		g_ptr_array_add(argv, (gpointer)flag);
		g_ptr_array_add(argv, count);
		for (guint j = 0; hook[j] != NULL; j++)
			g_ptr_array_add(argv, hook[j]);
	}
}

/* tender-shim's --isolation, root, volume, hostname, network, init and rlimit arguments */
static void
tender_scope_shim_add_isolation_args(const TenderScopeShimTarget *target,
				     GPtrArray *argv,
				     GPtrArray *owned)
{
	const TenderSpec *spec = target->spec;
	const gchar *const networks[] = {"host", "host", "none", "private"};
	TenderNetwork network = tender_spec_get_network(spec);
	const gchar *workdir = spec->working_directory != NULL ? spec->working_directory : "/";

	for (guint i = 0; spec->rlimits != NULL && i < spec->rlimits->len; i++) {
		const TenderSpecRlimit *r = &g_array_index(spec->rlimits, TenderSpecRlimit, i);
		gchar *resource = g_strdup_printf("%d", r->resource);
		gchar *value = g_strdup_printf("%" G_GUINT64_FORMAT, r->value);
		g_ptr_array_add(owned, resource);
		g_ptr_array_add(owned, value);
		g_ptr_array_add(argv, (gpointer) "--rlimit");
		g_ptr_array_add(argv, resource);
		g_ptr_array_add(argv, value);
	}
	if (spec->isolation == TENDER_ISOLATION_MINIMAL)
		return;
	g_ptr_array_add(argv, (gpointer) "--isolation");
	g_ptr_array_add(argv,
			spec->isolation == TENDER_ISOLATION_STRICT ? (gpointer) "strict"
								   : (gpointer) "standard");
	if (target->image != NULL) {
		gchar *upper = g_build_filename(target->container_dir, "upper", NULL);
		gchar *work = g_build_filename(target->container_dir, "work", NULL);
		g_ptr_array_add(owned, upper);
		g_ptr_array_add(owned, work);
		g_ptr_array_add(argv, (gpointer) "--root-image");
		g_ptr_array_add(argv, target->image->rootfs);
		g_ptr_array_add(argv, upper);
		g_ptr_array_add(argv, work);
	} else if (spec->rootfs != NULL) {
		g_ptr_array_add(argv, (gpointer) "--root-dir");
		g_ptr_array_add(argv, spec->rootfs);
	}
	if (tender_spec_get_read_only_rootfs(spec))
		g_ptr_array_add(argv, (gpointer) "--read-only-root");
	for (guint i = 0; spec->volumes != NULL && i < spec->volumes->len; i++) {
		const TenderSpecVolume *v = g_ptr_array_index(spec->volumes, i);
		g_ptr_array_add(argv, (gpointer) "--volume");
		g_ptr_array_add(argv, v->source);
		g_ptr_array_add(argv, v->destination);
		g_ptr_array_add(argv, v->read_only ? (gpointer) "ro" : (gpointer) "rw");
	}
	g_ptr_array_add(argv, (gpointer) "--hostname");
	g_ptr_array_add(argv, (gpointer)tender_spec_get_hostname(spec, target->name));
	g_ptr_array_add(argv, (gpointer) "--network");
	g_ptr_array_add(argv, (gpointer)networks[network]);
	if (tender_spec_get_init(spec))
		g_ptr_array_add(argv, (gpointer) "--init");
	/* the spec's, unless it is the default, /: then the image's */
	if (target->image != NULL && target->image->working_directory != NULL &&
	    g_strcmp0(workdir, "/") == 0)
		workdir = target->image->working_directory;
	g_ptr_array_add(argv, (gpointer) "--workdir");
	g_ptr_array_add(argv, (gpointer)workdir);
}

/* tender-shim's --uid, --gid and --caps */
static void
tender_scope_shim_add_identity_args(const TenderIdentity *identity,
				    GPtrArray *argv,
				    GPtrArray *owned)
{
	gchar *uid;
	gchar *gid;
	gchar *caps;

	if (!identity->drop)
		return;
	uid = g_strdup_printf("%u", identity->uid);
	gid = g_strdup_printf("%u", identity->gid);
	caps = tender_identity_caps_to_string(identity);
	g_ptr_array_add(owned, uid);
	g_ptr_array_add(owned, gid);
	g_ptr_array_add(owned, caps);
	g_ptr_array_add(argv, (gpointer) "--uid");
	g_ptr_array_add(argv, uid);
	g_ptr_array_add(argv, (gpointer) "--gid");
	g_ptr_array_add(argv, gid);
	g_ptr_array_add(argv, (gpointer) "--caps");
	g_ptr_array_add(argv, caps);
}

/**
 * tender_scope_shim_build:
 * @target: what the shim runs, and where
 * @argv: (out) (transfer full): tender-shim's command line, NULL-terminated
 * @envp: (out) (transfer full): its environment, which it hands on to the command
 * @cwd: (out) (transfer full) (nullable): its working directory: the spec's for a workload
 *	without namespaces (tenderd's own if it has none), else / (the shim's --workdir is the
 *	command's, in the container)
 * @error: (nullable): a #GError
 *
 * The identity the command runs as (the spec's user, else an image's), its environment (with
 * an image's Env under the spec's) and the whole of tender-shim's arguments.
 *
 * Returns: %TRUE, or %FALSE if the spec's or the image's user or group cannot be resolved, or
 *	nothing says what to run
 */
gboolean
tender_scope_shim_build(const TenderScopeShimTarget *target,
			gchar ***argv,
			gchar ***envp,
			gchar **cwd,
			GError **error)
{
	const TenderSpec *spec = target->spec;
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(TenderIdentity) identity = NULL;
	g_auto(GStrv) command = NULL;
	g_auto(GStrv) out = NULL;

	if (target->image != NULL && target->image->user != NULL && spec->user == NULL)
		identity = tender_scope_image_new_identity(target->image, spec, error);
	else
		identity = tender_identity_new_from_spec(spec, error);
	if (identity == NULL)
		return FALSE;
	command = tender_scope_image_build_argv(target->image, spec, target->name, error);
	if (command == NULL)
		return FALSE;

	g_ptr_array_add(args, (gpointer)target->shim);
	g_ptr_array_add(args, (gpointer) "--name");
	g_ptr_array_add(args, (gpointer)target->name);
	g_ptr_array_add(args, (gpointer) "--record");
	g_ptr_array_add(args, (gpointer)target->record);
	g_ptr_array_add(args, (gpointer) "--run-id");
	g_ptr_array_add(args, (gpointer)target->run_id);
	tender_scope_shim_add_identity_args(identity, args, owned);
	tender_scope_shim_add_hook_args("--pre-start", spec->pre_start, args, owned);
	tender_scope_shim_add_hook_args("--post-stop", spec->post_stop, args, owned);
	tender_scope_shim_add_isolation_args(target, args, owned);
	g_ptr_array_add(args, (gpointer) "--");
	for (guint i = 0; command[i] != NULL; i++)
		g_ptr_array_add(args, command[i]);

	out = g_new0(gchar *, args->len + 1);
	for (guint i = 0; i < args->len; i++)
		out[i] = g_strdup(g_ptr_array_index(args, i));
	*argv = g_steal_pointer(&out);
	*envp = tender_scope_image_merge_environ(target->image,
						 spec,
						 tender_identity_build_environ(identity, spec));
	*cwd =
	    g_strdup(spec->isolation == TENDER_ISOLATION_MINIMAL ? spec->working_directory : "/");
	return TRUE;
}
