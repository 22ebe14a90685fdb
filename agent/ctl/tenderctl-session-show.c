/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* session get, list, show and close: GetSession's config from the options, the calls of the
 * session's object (and NotFound for a session that has none), and the printing of sessions
 * and tables */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tenderctl-session.h"

/* the members of a session that get and show print, in this order (a newer plugin's follow) */
static const gchar *const tender_ctl_session_members[] = {
    "user",	  "session",	       "object_path", "created",  "state",
    "health",	  "backend",	       "image",	      "rootfs",	  "workload",
    "workspace",  "workspace_path",    "ports",	      "main_pid", "created_at",
    "started_at", "last_activity",     "expires_at",  "stops_at", "last_error",
    "recoveries", "processes_running", "last_logs",   "config",	  NULL,
};

/* --volume HOST:CONTAINER[:ro|:rw] as the config's {source, target, read_only} */
static gboolean
tender_ctl_session_add_volumes(TenderCtlSessionOpts *opts, GVariantBuilder *config, GError **error)
{
	g_auto(GVariantBuilder) volumes = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aa{sv}"));

	if (opts->volumes == NULL)
		return TRUE;
	for (guint i = 0; opts->volumes[i] != NULL; i++) {
		g_auto(GStrv) parts = g_strsplit(opts->volumes[i], ":", 3);
		gboolean read_only = FALSE;

		if (g_strv_length(parts) < 2 || parts[0][0] == '\0' || parts[1][0] == '\0' ||
		    (parts[2] != NULL && g_strcmp0(parts[2], "ro") != 0 &&
		     g_strcmp0(parts[2], "rw") != 0))
			return tender_ctl_session_usage(error,
							"Invalid volume '%s': expected "
							"HOST:CONTAINER, HOST:CONTAINER:ro or "
							"HOST:CONTAINER:rw",
							opts->volumes[i]);
		read_only = g_strcmp0(parts[2], "ro") == 0;
		g_variant_builder_add_parsed(&volumes,
					     "{'source': <%s>, 'target': <%s>, 'read_only': <%b>}",
					     parts[0],
					     parts[1],
					     read_only);
	}
	g_variant_builder_add(config, "{sv}", "volumes", g_variant_builder_end(&volumes));
	return TRUE;
}

/* a port number, 1 to 65535 */
static gboolean
tender_ctl_session_parse_port(const gchar *text, guint64 *port)
{
	return g_ascii_string_to_unsigned(text, 10, 1, G_MAXUINT16, port, NULL);
}

/* --port [HOST:]CONTAINER[/PROTO] as the config's {container_port, host_port, protocol} */
static gboolean
tender_ctl_session_add_ports(TenderCtlSessionOpts *opts, GVariantBuilder *config, GError **error)
{
	g_auto(GVariantBuilder) ports = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("av"));

	if (opts->ports == NULL)
		return TRUE;
	for (guint i = 0; opts->ports[i] != NULL; i++) {
		g_auto(GStrv) proto = g_strsplit(opts->ports[i], "/", 2);
		g_auto(GStrv) parts = g_strsplit(proto[0] != NULL ? proto[0] : "", ":", 2);
		const gchar *protocol = proto[0] != NULL && proto[1] != NULL ? proto[1] : "tcp";
		guint64 container_port = 0;
		guint64 host_port = 0;

		if (parts[0] == NULL ||
		    !tender_ctl_session_parse_port(parts[1] != NULL ? parts[1] : parts[0],
						   &container_port) ||
		    (parts[1] != NULL && !tender_ctl_session_parse_port(parts[0], &host_port)) ||
		    (g_strcmp0(protocol, "tcp") != 0 && g_strcmp0(protocol, "udp") != 0))
			return tender_ctl_session_usage(error,
							"Invalid port '%s': expected "
							"[HOST:]CONTAINER[/tcp|udp], ports from 1 "
							"to 65535",
							opts->ports[i]);
		g_variant_builder_add(&ports,
				      "v",
				      g_variant_new_parsed("{'container_port': <%u>, 'host_port': "
							   "<%u>, 'protocol': <%s>}",
							   (guint32)container_port,
							   (guint32)(host_port > 0
									 ? host_port
									 : container_port),
							   protocol));
	}
	g_variant_builder_add(config, "{sv}", "ports", g_variant_builder_end(&ports));
	return TRUE;
}

static void
tender_ctl_session_add_string(GVariantBuilder *config, const gchar *key, const gchar *value)
{
	if (value != NULL)
		g_variant_builder_add(config, "{sv}", key, g_variant_new_string(value));
}

/* session get's options as GetSession's config; keys only when given */
gboolean
tender_ctl_session_build_config(TenderCtl *self, GError **error)
{
	TenderCtlSessionOpts *opts = self->session;
	g_auto(GVariantBuilder) config = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	guint64 pids = 0;
	guint64 lifetime = 0;
	guint64 idle = 0;

	tender_ctl_session_add_string(&config, "backend", opts->backend);
	tender_ctl_session_add_string(&config, "image", opts->image);
	tender_ctl_session_add_string(&config, "rootfs", opts->rootfs);
	tender_ctl_session_add_string(&config, "isolation", opts->isolation);
	tender_ctl_session_add_string(&config, "memory_limit", opts->memory);
	tender_ctl_session_add_string(&config, "network", opts->network);
	tender_ctl_session_add_string(&config, "user", opts->user);
	if (opts->cpu != NULL) {
		gchar *end = NULL;
		gdouble cpus = g_ascii_strtod(opts->cpu, &end);
		if (opts->cpu[0] == '\0' || *end != '\0' || !(cpus > 0))
			return tender_ctl_session_usage(error,
							"Invalid CPUs '%s': expected a number "
							"such as 0.5 or 2",
							opts->cpu);
		g_variant_builder_add(&config, "{sv}", "cpu_limit", g_variant_new_double(cpus));
	}
	if (!tender_ctl_session_parse_uint(opts->pids,
					   "number of processes",
					   G_MAXUINT32,
					   &pids,
					   error) ||
	    !tender_ctl_session_parse_uint(opts->lifetime,
					   "lifetime",
					   G_MAXUINT32,
					   &lifetime,
					   error) ||
	    !tender_ctl_session_parse_uint(opts->idle_timeout,
					   "idle timeout",
					   G_MAXUINT32,
					   &idle,
					   error))
		return FALSE;
	if (opts->pids != NULL)
		g_variant_builder_add(&config, "{sv}", "pids_limit", g_variant_new_uint64(pids));
	if (opts->lifetime != NULL)
		g_variant_builder_add(&config,
				      "{sv}",
				      "container_lifetime_seconds",
				      g_variant_new_uint64(lifetime));
	if (opts->idle_timeout != NULL)
		g_variant_builder_add(&config,
				      "{sv}",
				      "inactivity_timeout_seconds",
				      g_variant_new_uint64(idle));
	if (!tender_ctl_tool_add_env(self, &config, error) ||
	    !tender_ctl_session_add_volumes(opts, &config, error) ||
	    !tender_ctl_session_add_ports(opts, &config, error))
		return FALSE;
	if (opts->no_workspace)
		g_variant_builder_add(&config, "{sv}", "workspace", g_variant_new_boolean(FALSE));
	if (opts->recreate)
		g_variant_builder_add(&config, "{sv}", "recreate", g_variant_new_boolean(TRUE));
	opts->options = g_variant_ref_sink(g_variant_builder_end(&config));
	return TRUE;
}

/* a method of org.tender.Agent1.Sessions; the object is there only while the plugin is */
static GVariant *
tender_ctl_sessions_call(TenderCtl *self,
			 const gchar *method,
			 GVariant *parameters,
			 const GVariantType *reply_type,
			 GError **error)
{
	return tender_ctl_feature_call(self,
				       "sessions",
				       TENDER_CTL_SESSIONS_PATH,
				       TENDER_CTL_SESSIONS_IFACE,
				       method,
				       parameters,
				       reply_type,
				       error);
}

/* the object of the session (USER, SESSION), as the plugin names it: each id with characters
 * other than letters and digits as _XX, hex */
static gchar *
tender_ctl_session_path(const gchar *user, const gchar *session)
{
	GString *str = g_string_new(TENDER_CTL_SESSIONS_PATH);
	const gchar *ids[] = {user, session};

	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		g_string_append_c(str, '/');
		for (const gchar *p = ids[i]; *p != '\0'; p++) {
			if (g_ascii_isalnum(*p))
				g_string_append_c(str, *p);
			else
				g_string_append_printf(str, "_%02x", (guint)(guchar)*p);
		}
	}
	return g_string_free(str, FALSE);
}

/**
 * tender_ctl_session_call:
 * @self: tenderctl, whose names[0] and names[1] are the user and the session
 * @fd_list: (nullable): descriptors the call carries
 *
 * Calls @method of the session's org.tender.Agent1.Session.  A session that has no object
 * (none, or closed) is NotFound, as the plugin says it; the plugin's own errors are its.
 *
 * Returns: (transfer full) (nullable): the reply
 */
GVariant *
tender_ctl_session_call(TenderCtl *self,
			const gchar *method,
			GVariant *parameters,
			const GVariantType *reply_type,
			GUnixFDList *fd_list,
			GError **error)
{
	const gchar *user = self->names[0];
	const gchar *session = self->names[1];
	g_autofree gchar *path = tender_ctl_session_path(user, session);
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) listed = NULL;
	GVariant *reply;

	reply = tender_ctl_bus_call_with_fds(self,
					     path,
					     TENDER_CTL_SESSION_IFACE,
					     method,
					     parameters,
					     reply_type,
					     TENDER_CTL_TIMEOUT_NONE,
					     fd_list,
					     &error_local);
	if (reply != NULL)
		return reply;
	if (!tender_ctl_bus_error_is_unknown_object(error_local)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	/* no such object: the plugin is not active, the user is not an id, or no session */
	listed = tender_ctl_sessions_call(self,
					  "ListSessions",
					  g_variant_new("(s)", user),
					  G_VARIANT_TYPE("(aa{sv})"),
					  error);
	if (listed != NULL)
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_NOT_FOUND,
			    "No session %s of user %s",
			    session,
			    user);
	return NULL;
}

/* the first value of @reply as JSON */
JsonNode *
tender_ctl_session_reply_json(GVariant *reply)
{
	g_autoptr(GVariant) value = g_variant_get_child_value(reply, 0);
	return json_gvariant_serialize(value);
}

/* a string member, or "-" when it is absent or empty */
const gchar *
tender_ctl_session_json_string(JsonObject *obj, const gchar *key)
{
	const gchar *value = json_object_get_string_member_with_default(obj, key, NULL);
	return value != NULL && value[0] != '\0' ? value : "-";
}

static void
tender_ctl_session_print_cell(const gchar *text, glong width, gboolean last)
{
	g_print("%s", text);
	if (last) {
		g_print("\n");
		return;
	}
	for (glong i = g_utf8_strlen(text, -1); i < width + 2; i++)
		g_print(" ");
}

/* @header and @rows (GStrv each, as many columns), in columns; the last one not padded */
void
tender_ctl_session_print_table(const gchar *const *header, GPtrArray *rows)
{
	guint n = g_strv_length((gchar **)header);
	g_autofree glong *widths = g_new0(glong, n);

	for (guint c = 0; c < n; c++) {
		widths[c] = g_utf8_strlen(header[c], -1);
		for (guint r = 0; r < rows->len; r++) {
			const gchar *const *row = g_ptr_array_index(rows, r);
			widths[c] = MAX(widths[c], g_utf8_strlen(row[c], -1));
		}
	}
	for (guint c = 0; c < n; c++)
		tender_ctl_session_print_cell(header[c], widths[c], c + 1 == n);
	for (guint r = 0; r < rows->len; r++) {
		const gchar *const *row = g_ptr_array_index(rows, r);
		for (guint c = 0; c < n; c++)
			tender_ctl_session_print_cell(row[c], widths[c], c + 1 == n);
	}
}

/* ports as docker ps shows them: 127.0.0.1:8080->80/tcp, ... */
static gchar *
tender_ctl_session_format_ports(JsonNode *node)
{
	g_autoptr(GString) str = g_string_new(NULL);
	JsonArray *ports;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return NULL;
	ports = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(ports); i++) {
		JsonNode *element = json_array_get_element(ports, i);
		JsonObject *port;
		if (!JSON_NODE_HOLDS_OBJECT(element))
			continue;
		port = json_node_get_object(element);
		g_string_append_printf(str,
				       "%s127.0.0.1:%" G_GINT64_FORMAT "->%" G_GINT64_FORMAT "/%s",
				       str->len > 0 ? ", " : "",
				       json_object_get_int_member_with_default(port,
									       "host_port",
									       0),
				       json_object_get_int_member_with_default(port,
									       "container_port",
									       0),
				       tender_ctl_session_json_string(port, "protocol"));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* a session as people read it, or with --json as its JSON */
static void
tender_ctl_session_print(TenderCtl *self, JsonNode *root)
{
	JsonObject *obj = json_node_get_object(root);
	g_autoptr(GList) names = json_object_get_members(obj);

	if (self->json) {
		tender_ctl_print_json(root);
		return;
	}
	for (guint i = 0; tender_ctl_session_members[i] != NULL; i++) {
		const gchar *key = tender_ctl_session_members[i];
		JsonNode *member = json_object_get_member(obj, key);
		if (g_str_equal(key, "created") && member == NULL)
			continue;
		if (g_str_equal(key, "ports")) {
			g_autofree gchar *ports = tender_ctl_session_format_ports(member);
			g_autoptr(JsonNode) text =
			    json_node_init_string(json_node_alloc(), ports != NULL ? ports : "");
			tender_ctl_tool_print_member(key, text);
			continue;
		}
		tender_ctl_tool_print_member(key, member);
	}
	for (GList *l = names; l != NULL; l = l->next) {
		if (!g_strv_contains(tender_ctl_session_members, l->data))
			tender_ctl_tool_print_member(l->data, json_object_get_member(obj, l->data));
	}
}

/* Describe, printed; @created: GetSession's, or -1 */
static gboolean
tender_ctl_session_describe_print(TenderCtl *self, gint created, GError **error)
{
	g_autoptr(GVariant) reply =
	    tender_ctl_session_call(self, "Describe", NULL, G_VARIANT_TYPE("(a{sv})"), NULL, error);
	g_autoptr(JsonNode) root = NULL;

	if (reply == NULL)
		return FALSE;
	root = tender_ctl_session_reply_json(reply);
	if (created >= 0)
		json_object_set_boolean_member(json_node_get_object(root), "created", created);
	tender_ctl_session_print(self, root);
	return TRUE;
}

gboolean
tender_ctl_cmd_session_get(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	gboolean created = FALSE;

	reply = tender_ctl_sessions_call(self,
					 "GetSession",
					 g_variant_new("(ss@a{sv})",
						       self->names[0],
						       self->names[1],
						       self->session->options),
					 G_VARIANT_TYPE("(ob)"),
					 error);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(&ob)", NULL, &created);
	return tender_ctl_session_describe_print(self, created, error);
}

gboolean
tender_ctl_cmd_session_show(TenderCtl *self, GError **error)
{
	return tender_ctl_session_describe_print(self, -1, error);
}

gboolean
tender_ctl_cmd_session_close(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply =
	    tender_ctl_session_call(self,
				    "Close",
				    g_variant_new("(b)", self->session->delete_workspace),
				    G_VARIANT_TYPE("()"),
				    NULL,
				    error);
	return reply != NULL;
}

gboolean
tender_ctl_cmd_session_list(TenderCtl *self, GError **error)
{
	const gchar *const header[] =
	    {"USER", "SESSION", "STATE", "HEALTH", "BACKEND", "IMAGE", "LAST-ACTIVITY", NULL};
	const gchar *user = self->session->list_user != NULL ? self->session->list_user : "";
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	JsonArray *sessions;

	reply = tender_ctl_sessions_call(self,
					 "ListSessions",
					 g_variant_new("(s)", user),
					 G_VARIANT_TYPE("(aa{sv})"),
					 error);
	if (reply == NULL)
		return FALSE;
	root = tender_ctl_session_reply_json(reply);
	if (self->json) {
		tender_ctl_print_json(root);
		return TRUE;
	}
	sessions = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(sessions); i++) {
		JsonObject *obj = json_array_get_object_element(sessions, i);
		const gchar *image = tender_ctl_session_json_string(obj, "image");
		gchar **row = g_new0(gchar *, G_N_ELEMENTS(header));

		if (g_str_equal(image, "-"))
			image = tender_ctl_session_json_string(obj, "rootfs");
		row[0] = g_strdup(tender_ctl_session_json_string(obj, "user"));
		row[1] = g_strdup(tender_ctl_session_json_string(obj, "session"));
		row[2] = g_strdup(tender_ctl_session_json_string(obj, "state"));
		row[3] = g_strdup(tender_ctl_session_json_string(obj, "health"));
		row[4] = g_strdup(tender_ctl_session_json_string(obj, "backend"));
		row[5] = g_strdup(image);
		row[6] = g_strdup(tender_ctl_session_json_string(obj, "last_activity"));
		g_ptr_array_add(rows, row);
	}
	tender_ctl_session_print_table(header, rows);
	return TRUE;
}
