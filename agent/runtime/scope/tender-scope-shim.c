/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-json.h"
#include "tender-scope-shim.h"

/*
 * What tenderd and tender-shim (agent/shim/) say to each other beyond the go and status
 * pipes: the shim's arguments for the user, group and capabilities of the command and for
 * its pre_start and post_stop hooks, and the exit record the shim writes when the run ends.
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

/**
 * tender_scope_shim_add_args:
 * @identity: the user, group and capabilities the command runs with
 * @spec: the workload's spec
 * @argv: tender-shim's arguments, to which those for @identity and the hooks are added
 * @owned: keeps the strings made here, as long as @argv is used
 */
void
tender_scope_shim_add_args(const TenderIdentity *identity,
			   const TenderSpec *spec,
			   GPtrArray *argv,
			   GPtrArray *owned)
{
	if (identity->drop) {
		gchar *uid = g_strdup_printf("%u", identity->uid);
		gchar *gid = g_strdup_printf("%u", identity->gid);
		gchar *caps = tender_identity_caps_to_string(identity);
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
	tender_scope_shim_add_hook_args("--pre-start", spec->pre_start, argv, owned);
	tender_scope_shim_add_hook_args("--post-stop", spec->post_stop, argv, owned);
}
