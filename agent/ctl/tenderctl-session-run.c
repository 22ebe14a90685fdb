/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* session exec, start, ps, logs and kill: commands and background processes in a session;
 * session write, read, ls and rm: its files (through org.tender.Agent1.Session) */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <string.h>
#include <unistd.h>

#include "tender-error.h"
#include "tenderctl-session.h"

/* the most a session's file may be: [plugin sessions] max-file-size is at most 64 MiB */
#define TENDER_CTL_SESSION_FILE_MAX (64 * 1024 * 1024)
/* Exec's timeout_sec and GetProcessLogs's tail, at most */
#define TENDER_CTL_SESSION_TIMEOUT_MAX 604800
#define TENDER_CTL_SESSION_TAIL_MAX    100000
/* the exit status of a command that --timeout killed, as timeout(1)'s */
#define TENDER_CTL_SESSION_EXIT_TIMEOUT 124

/**
 * tender_ctl_session_build_command_options:
 * @exec: Exec's (with --timeout), else StartProcess's
 *
 * The options of Exec or StartProcess from --env, --workdir and --timeout; Exec's descriptors
 * are added when it is called.
 */
gboolean
tender_ctl_session_build_command_options(TenderCtl *self, gboolean exec, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	guint64 timeout = 0;

	if (!tender_ctl_tool_add_env(self, &builder, error))
		return FALSE;
	if (self->exec_workdir != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(self->exec_workdir));
	if (exec && self->timeout != NULL) {
		if (!tender_ctl_session_parse_uint(self->timeout,
						   "timeout",
						   TENDER_CTL_SESSION_TIMEOUT_MAX,
						   &timeout,
						   error))
			return FALSE;
		if (timeout == 0)
			return tender_ctl_session_usage(error,
							"Invalid timeout '0': expected 1 to %d "
							"seconds",
							TENDER_CTL_SESSION_TIMEOUT_MAX);
		g_variant_builder_add(&builder,
				      "{sv}",
				      "timeout_sec",
				      g_variant_new_uint32((guint32)timeout));
	}
	self->session->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/* the options of WriteFile (--mode, --append) and of GetProcessLogs (--tail) */
gboolean
tender_ctl_session_build_file_options(TenderCtl *self, GError **error)
{
	TenderCtlSessionOpts *opts = self->session;
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	guint64 value = 0;

	if (opts->mode != NULL) {
		if (!g_ascii_string_to_unsigned(opts->mode, 8, 0, 0777, &value, NULL))
			return tender_ctl_session_usage(error,
							"Invalid mode '%s': expected octal, 0 to "
							"0777",
							opts->mode);
		g_variant_builder_add(&builder,
				      "{sv}",
				      "mode",
				      g_variant_new_uint32((guint32)value));
	}
	if (opts->append)
		g_variant_builder_add(&builder, "{sv}", "append", g_variant_new_boolean(TRUE));
	if (!tender_ctl_session_parse_uint(opts->tail,
					   "number of lines",
					   TENDER_CTL_SESSION_TAIL_MAX,
					   &value,
					   error))
		return FALSE;
	if (opts->tail != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "tail",
				      g_variant_new_uint32((guint32)value));
	opts->options = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}

/*
 * The verb's options, and tenderctl's own descriptors as handles of @fd_list: for Exec
 * (@follow FALSE) its stdout and stderr, and its stdin unless it is a terminal (each if
 * open); for GetProcessLogs with follow, its stdout and stderr
 */
static GVariant *
tender_ctl_session_options_with_fds(TenderCtl *self,
				    GUnixFDList *fd_list,
				    gboolean follow,
				    GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	const gchar *const streams[] = {"stdin", "stdout", "stderr"};
	GVariantIter iter;
	const gchar *key = NULL;
	GVariant *value = NULL;

	g_variant_iter_init(&iter, self->session->options);
	while (g_variant_iter_loop(&iter, "{&sv}", &key, &value))
		g_variant_builder_add(&builder, "{sv}", key, value);
	if (follow)
		g_variant_builder_add(&builder, "{sv}", "follow", g_variant_new_boolean(TRUE));
	for (gint fd = follow ? STDOUT_FILENO : STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		gint handle;
		if (!follow && (fcntl(fd, F_GETFD) < 0 || (fd == STDIN_FILENO && isatty(fd))))
			continue;
		handle = g_unix_fd_list_append(fd_list, fd, error);
		if (handle < 0)
			return NULL;
		g_variant_builder_add(&builder, "{sv}", streams[fd], g_variant_new_handle(handle));
	}
	return g_variant_builder_end(&builder);
}

/**
 * tender_ctl_cmd_session_exec:
 *
 * Runs the command after "--" in the session with tenderctl's stdin, stdout and stderr; the
 * exit status of tenderctl is the command's, 128 + N when signal N ended it, and 124 when its
 * timeout did.
 */
gboolean
tender_ctl_cmd_session_exec(TenderCtl *self, GError **error)
{
	g_autoptr(GUnixFDList) fd_list = g_unix_fd_list_new();
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	GVariant *options = tender_ctl_session_options_with_fds(self, fd_list, FALSE, error);
	gint32 exit_code = 0;
	gint32 signo = 0;
	gboolean timed_out = FALSE;

	if (options == NULL)
		return FALSE;
	reply = tender_ctl_session_call(self,
					"Exec",
					g_variant_new("(^as@a{sv})", self->argv, options),
					G_VARIANT_TYPE("(a{sv})"),
					fd_list,
					error);
	if (reply == NULL)
		return FALSE;
	result = g_variant_get_child_value(reply, 0);
	(void)g_variant_lookup(result, "exit_code", "i", &exit_code);
	(void)g_variant_lookup(result, "signal", "i", &signo);
	(void)g_variant_lookup(result, "timed_out", "b", &timed_out);
	if (timed_out) {
		g_printerr("tenderctl: the command was killed after its timeout of %s s\n",
			   self->timeout);
		self->exit_status = TENDER_CTL_SESSION_EXIT_TIMEOUT;
	} else if (signo > 0) {
		self->exit_status = 128 + signo;
	} else {
		self->exit_status = exit_code >= 0 && exit_code <= 255 ? exit_code : 255;
	}
	return TRUE;
}

gboolean
tender_ctl_cmd_session_start(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	const gchar *id = NULL;

	reply = tender_ctl_session_call(self,
					"StartProcess",
					g_variant_new("(^as@a{sv})",
						      self->argv,
						      self->session->options),
					G_VARIANT_TYPE("(s)"),
					NULL,
					error);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(&s)", &id);
	g_print("%s\n", id);
	return TRUE;
}

/* a process's ports, "8081,9000" */
static gchar *
tender_ctl_session_process_ports(JsonObject *process)
{
	g_autoptr(GString) str = g_string_new(NULL);
	JsonNode *node = json_object_get_member(process, "ports");
	JsonArray *ports;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return g_strdup("-");
	ports = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(ports); i++) {
		JsonNode *port = json_array_get_element(ports, i);
		if (!JSON_NODE_HOLDS_OBJECT(port))
			continue;
		g_string_append_printf(str,
				       "%s%" G_GINT64_FORMAT,
				       str->len > 0 ? "," : "",
				       json_object_get_int_member_with_default(json_node_get_object(
										   port),
									       "port",
									       0));
	}
	return g_string_free(str->len > 0 ? g_steal_pointer(&str) : g_string_new("-"), FALSE);
}

/* a process's argv, its arguments quoted where a shell would need it */
static gchar *
tender_ctl_session_process_argv(JsonObject *process)
{
	g_autoptr(GString) str = g_string_new(NULL);
	JsonArray *argv = json_object_get_array_member(process, "argv");

	for (guint i = 0; argv != NULL && i < json_array_get_length(argv); i++) {
		const gchar *arg = json_array_get_string_element(argv, i);
		g_autofree gchar *quoted = NULL;
		if (arg == NULL)
			continue;
		quoted = arg[0] != '\0' && strpbrk(arg, " \t\n'\"\\$`;&|<>*?()") == NULL
			     ? g_strdup(arg)
			     : g_shell_quote(arg);
		g_string_append_printf(str, "%s%s", i > 0 ? " " : "", quoted);
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

gboolean
tender_ctl_cmd_session_ps(TenderCtl *self, GError **error)
{
	const gchar *const header[] = {"ID", "PID", "STATE", "EXIT", "ARGV", "PORTS", NULL};
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	JsonArray *processes;

	reply = tender_ctl_session_call(self,
					"ListProcesses",
					NULL,
					G_VARIANT_TYPE("(aa{sv})"),
					NULL,
					error);
	if (reply == NULL)
		return FALSE;
	root = tender_ctl_session_reply_json(reply);
	if (self->json) {
		tender_ctl_print_json(root);
		return TRUE;
	}
	processes = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(processes); i++) {
		JsonObject *obj = json_array_get_object_element(processes, i);
		const gchar *state = tender_ctl_session_json_string(obj, "state");
		gint64 signo = json_object_get_int_member_with_default(obj, "signal", 0);
		gchar **row = g_new0(gchar *, G_N_ELEMENTS(header));

		row[0] = g_strdup(tender_ctl_session_json_string(obj, "id"));
		row[1] = g_strdup_printf("%" G_GINT64_FORMAT,
					 json_object_get_int_member_with_default(obj, "pid", 0));
		row[2] = g_strdup(state);
		if (g_str_equal(state, "running"))
			row[3] = g_strdup("-");
		else if (signo > 0)
			row[3] = g_strdup_printf("signal %" G_GINT64_FORMAT, signo);
		else
			row[3] =
			    g_strdup_printf("%" G_GINT64_FORMAT,
					    json_object_get_int_member_with_default(obj,
										    "exit_code",
										    0));
		row[4] = tender_ctl_session_process_argv(obj);
		row[5] = tender_ctl_session_process_ports(obj);
		g_ptr_array_add(rows, row);
	}
	tender_ctl_session_print_table(header, rows);
	return TRUE;
}

/* @data to @stream as it is */
static gboolean
tender_ctl_session_write_out(FILE *stream, GVariant *data, GError **error)
{
	gsize len = 0;
	const guint8 *bytes = g_variant_get_fixed_array(data, &len, 1);

	if ((len > 0 && fwrite(bytes, 1, len, stream) != len) || fflush(stream) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "Failed to write the output: %s",
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

gboolean
tender_ctl_cmd_session_logs(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) out = NULL;
	g_autoptr(GVariant) err = NULL;
	g_autoptr(GUnixFDList) fd_list = NULL;
	GVariant *options = self->session->options;

	if (self->session->follow) {
		fd_list = g_unix_fd_list_new();
		options = tender_ctl_session_options_with_fds(self, fd_list, TRUE, error);
		if (options == NULL)
			return FALSE;
	}
	reply = tender_ctl_session_call(self,
					"GetProcessLogs",
					g_variant_new("(s@a{sv})", self->names[2], options),
					G_VARIANT_TYPE("(ayay)"),
					fd_list,
					error);
	if (reply == NULL)
		return FALSE;
	out = g_variant_get_child_value(reply, 0);
	err = g_variant_get_child_value(reply, 1);
	return tender_ctl_session_write_out(stdout, out, error) &&
	       tender_ctl_session_write_out(stderr, err, error);
}

gboolean
tender_ctl_cmd_session_kill(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply =
	    tender_ctl_session_call(self,
				    "KillProcess",
				    g_variant_new("(si)", self->names[2], self->signo),
				    G_VARIANT_TYPE("()"),
				    NULL,
				    error);
	return reply != NULL;
}

/* standard input, up to the most a session's file may be */
static GBytes *
tender_ctl_session_read_stdin(GError **error)
{
	g_autoptr(GByteArray) data = g_byte_array_new();
	guint8 buf[65536];

	for (;;) {
		gssize n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "Failed to read standard input: %s",
				    g_strerror(errno));
			return NULL;
		}
		if (n == 0)
			break;
		if (data->len + (gsize)n > TENDER_CTL_SESSION_FILE_MAX) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_LIMIT_REACHED,
				    "Standard input is over %d MiB, more than a session's file may "
				    "be ([plugin sessions] max-file-size, 16 MiB by default)",
				    TENDER_CTL_SESSION_FILE_MAX / (1024 * 1024));
			return NULL;
		}
		g_byte_array_append(data, buf, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&data));
}

gboolean
tender_ctl_cmd_session_write(TenderCtl *self, GError **error)
{
	g_autoptr(GBytes) content = tender_ctl_session_read_stdin(error);
	g_autoptr(GVariant) reply = NULL;

	if (content == NULL)
		return FALSE;
	reply = tender_ctl_session_call(
	    self,
	    "WriteFile",
	    g_variant_new("(s@ay@a{sv})",
			  self->names[2],
			  g_variant_new_from_bytes(G_VARIANT_TYPE_BYTESTRING, content, TRUE),
			  self->session->options),
	    G_VARIANT_TYPE("(t)"),
	    NULL,
	    error);
	return reply != NULL;
}

gboolean
tender_ctl_cmd_session_read(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_session_call(self,
							    "ReadFile",
							    g_variant_new("(s)", self->names[2]),
							    G_VARIANT_TYPE("(ay)"),
							    NULL,
							    error);
	g_autoptr(GVariant) content = NULL;

	if (reply == NULL)
		return FALSE;
	content = g_variant_get_child_value(reply, 0);
	return tender_ctl_session_write_out(stdout, content, error);
}

/* an entry of ListFiles as a row of ls */
static gchar **
tender_ctl_session_ls_row(JsonObject *obj)
{
	const gchar *type = tender_ctl_session_json_string(obj, "type");
	gint64 mtime = json_object_get_int_member_with_default(obj, "mtime", 0);
	g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(mtime);
	gchar **row = g_new0(gchar *, 6);

	row[0] = g_str_equal(type, "symlink")
		     ? g_strdup_printf("%s -> %s",
				       tender_ctl_session_json_string(obj, "name"),
				       tender_ctl_session_json_string(obj, "target"))
		     : g_strdup(tender_ctl_session_json_string(obj, "name"));
	row[1] = g_strdup(type);
	row[2] = g_strdup_printf("%" G_GINT64_FORMAT,
				 json_object_get_int_member_with_default(obj, "size", 0));
	row[3] = g_strdup_printf("%04" G_GINT64_MODIFIER "o",
				 json_object_get_int_member_with_default(obj, "mode", 0) & 07777);
	row[4] = when != NULL ? g_date_time_format(when, "%Y-%m-%dT%H:%M:%SZ") : g_strdup("-");
	return row;
}

gboolean
tender_ctl_cmd_session_ls(TenderCtl *self, GError **error)
{
	const gchar *const header[] = {"NAME", "TYPE", "SIZE", "MODE", "MTIME", NULL};
	const gchar *path = self->names[2] != NULL ? self->names[2] : "/workspace";
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) entries = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	gboolean truncated = FALSE;
	JsonArray *array;

	reply = tender_ctl_session_call(self,
					"ListFiles",
					g_variant_new("(s)", path),
					G_VARIANT_TYPE("(aa{sv}b)"),
					NULL,
					error);
	if (reply == NULL)
		return FALSE;
	g_variant_get(reply, "(@aa{sv}b)", &entries, &truncated);
	root = json_gvariant_serialize(entries);
	if (truncated)
		g_printerr("tenderctl: %s has more entries than the 10000 listed\n", path);
	if (self->json) {
		tender_ctl_print_json(root);
		return TRUE;
	}
	array = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(array); i++)
		g_ptr_array_add(rows,
				tender_ctl_session_ls_row(json_array_get_object_element(array, i)));
	tender_ctl_session_print_table(header, rows);
	return TRUE;
}

gboolean
tender_ctl_cmd_session_rm(TenderCtl *self, GError **error)
{
	g_autoptr(GVariant) reply = tender_ctl_session_call(self,
							    "DeleteFile",
							    g_variant_new("(s)", self->names[2]),
							    G_VARIANT_TYPE("()"),
							    NULL,
							    error);
	return reply != NULL;
}
