/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the options of create and run that make the spec of a workload, and the spec a{sv} of
 * CreateWorkload they make */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-units.h"
#include "tenderctl-spec.h"

/* the flags as given, before they are checked */
struct _TenderCtlSpec {
	gchar *memory;
	gchar *cpu;
	gchar *tasks;
	gchar *io_read;
	gchar *io_write;
	gchar **env;
	gchar *workdir;
	gchar *description;
	gchar **labels;
	gchar *restart;
	gchar *restart_max;
	gchar *restart_delay;
	gchar *max_runtime;
	gchar *health_cmd;
	gchar *health_url;
	gchar *health_interval;
	gchar *health_timeout;
	gchar *health_retries;
	gchar *health_start_period;
	gchar *health_on_unhealthy;
	gchar *user;
	gchar *group;
	gchar **caps;
	gchar **pre_start;
};

TenderCtlSpec *
tender_ctl_spec_new(void)
{
	return g_new0(TenderCtlSpec, 1);
}

void
tender_ctl_spec_free(TenderCtlSpec *self)
{
	g_free(self->memory);
	g_free(self->cpu);
	g_free(self->tasks);
	g_free(self->io_read);
	g_free(self->io_write);
	g_strfreev(self->env);
	g_free(self->workdir);
	g_free(self->description);
	g_strfreev(self->labels);
	g_free(self->restart);
	g_free(self->restart_max);
	g_free(self->restart_delay);
	g_free(self->max_runtime);
	g_free(self->health_cmd);
	g_free(self->health_url);
	g_free(self->health_interval);
	g_free(self->health_timeout);
	g_free(self->health_retries);
	g_free(self->health_start_period);
	g_free(self->health_on_unhealthy);
	g_free(self->user);
	g_free(self->group);
	g_strfreev(self->caps);
	g_strfreev(self->pre_start);
	g_free(self);
}

/* the options of create and run that make the spec */
void
tender_ctl_spec_add_entries(TenderCtlSpec *self, GOptionContext *context)
{
	const GOptionEntry entries[] = {
	    {"memory",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->memory,
	     "Memory limit (MemoryMax=), e.g. 512M or 2G",
	     "SIZE"},
	    {"cpu",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->cpu,
	     "CPU quota in percent of one CPU (CPUQuota=), e.g. 50% or 200%",
	     "PERCENT"},
	    {"tasks",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->tasks,
	     "Maximum number of processes and threads (TasksMax=)",
	     "N"},
	    {"io-read",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->io_read,
	     "Read bandwidth limit per second, e.g. 10M",
	     "SIZE"},
	    {"io-write",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->io_write,
	     "Write bandwidth limit per second, e.g. 10M",
	     "SIZE"},
	    {"env",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &self->env,
	     "Set an environment variable of the command (repeatable)",
	     "KEY=VALUE"},
	    {"workdir",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->workdir,
	     "Working directory of the command, default /",
	     "DIR"},
	    {"description",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->description,
	     "Description of the systemd scope, default \"tender workload NAME\"",
	     "TEXT"},
	    {"label",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &self->labels,
	     "Attach a free-form label to the workload (repeatable)",
	     "KEY=VALUE"},
	    {"restart",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart,
	     "Restart when it ends by itself: no (default), on-failure or always",
	     "POLICY"},
	    {"restart-max",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart_max,
	     "Restarts before it is left failed, default 5",
	     "N"},
	    {"restart-delay",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->restart_delay,
	     "Delay before the first restart, doubled for each next one (up to 60s), default 100ms",
	     "DURATION"},
	    {"max-runtime",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->max_runtime,
	     "Stop it once it has run this long; it then ends failed, Reason \"timeout\"",
	     "DURATION"},
	    {"health-cmd",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_cmd,
	     "Health check: a shell command run in the workload (sh -c CMD); healthy if it exits 0",
	     "CMD"},
	    {"health-url",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_url,
	     "Health check: an http:// or https:// URL; healthy on a 2xx or 3xx answer",
	     "URL"},
	    {"health-interval",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_interval,
	     "Time between health checks, whole seconds, default 30s",
	     "DURATION"},
	    {"health-timeout",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_timeout,
	     "A health check that takes longer fails, whole seconds, default 30s",
	     "DURATION"},
	    {"health-retries",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_retries,
	     "Failed health checks in a row that make it unhealthy, default 3",
	     "N"},
	    {"health-start-period",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_start_period,
	     "Failed health checks this soon after the start do not count, default 0s",
	     "DURATION"},
	    {"health-on-unhealthy",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_FILENAME,
	     &self->health_on_unhealthy,
	     "What to do when it becomes unhealthy: none (default), restart or stop",
	     "ACTION"},
	    {"user",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->user,
	     "Run the command as this user (name or id), with no capability but those of --cap",
	     "USER"},
	    {"group",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING,
	     &self->group,
	     "Run the command with this group (name or id), default the user's own",
	     "GROUP"},
	    {"cap",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->caps,
	     "Keep this capability, e.g. CAP_NET_BIND_SERVICE or net_bind_service (repeatable)",
	     "CAPABILITY"},
	    {"pre-start",
	     '\0',
	     G_OPTION_FLAG_NONE,
	     G_OPTION_ARG_STRING_ARRAY,
	     &self->pre_start,
	     "Run this shell command (sh -c CMD) as root in the workload's scope before the "
	     "command; if it fails, the start fails (repeatable)",
	     "CMD"},
	    {NULL},
	};

	g_option_context_add_main_entries(context, entries, NULL);
}

/* the options are taken as bytes, as GOption would refuse UTF-8 in the C locale */
static gboolean
tender_ctl_check_utf8(const gchar *what, const gchar *text, GError **error)
{
	if (!g_utf8_validate(text, -1, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "The %s is not valid UTF-8",
			    what);
		return FALSE;
	}
	return TRUE;
}

/* "KEY=VALUE" with a non-empty KEY */
static gboolean
tender_ctl_check_assignment(const gchar *what, const gchar *text, GError **error)
{
	if (!tender_ctl_check_utf8(what, text, error))
		return FALSE;
	if (text[0] == '=' || strchr(text, '=') == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected KEY=VALUE",
			    what,
			    text);
		return FALSE;
	}
	return TRUE;
}

/* a size, optionally per second as "10M/s" */
static gboolean
tender_ctl_parse_bandwidth(const gchar *text, guint64 *value, GError **error)
{
	g_autofree gchar *size = NULL;

	if (g_str_has_suffix(text, "/s"))
		size = g_strndup(text, strlen(text) - 2);
	else
		size = g_strdup(text);
	return tender_units_parse_size(size, value, error);
}

/* a duration in whole seconds, for the health check options */
static gboolean
tender_ctl_parse_seconds(const gchar *option, const gchar *text, guint32 *value, GError **error)
{
	guint64 msec = 0;

	if (!tender_units_parse_duration(text, &msec, error))
		return FALSE;
	if (msec % 1000 != 0) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': it must be whole seconds",
			    option,
			    text);
		return FALSE;
	}
	*value = (guint32)MIN(msec / 1000, G_MAXUINT32);
	return TRUE;
}

/* the "health" key of the spec, from the --health-* options */
static gboolean
tender_ctl_build_health(TenderCtlSpec *self, GVariantBuilder *spec, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	struct {
		const gchar *option;
		const gchar *key;
		const gchar *text;
	} seconds[] = {
	    {"--health-interval", "interval_sec", self->health_interval},
	    {"--health-timeout", "timeout_sec", self->health_timeout},
	    {"--health-start-period", "start_period_sec", self->health_start_period},
	};

	if (self->health_cmd == NULL && self->health_url == NULL) {
		const gchar *const others[][2] = {
		    {"--health-interval", self->health_interval},
		    {"--health-timeout", self->health_timeout},
		    {"--health-retries", self->health_retries},
		    {"--health-start-period", self->health_start_period},
		    {"--health-on-unhealthy", self->health_on_unhealthy},
		};
		for (guint i = 0; i < G_N_ELEMENTS(others); i++) {
			if (others[i][1] == NULL)
				continue;
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "%s needs a health check: --health-cmd or --health-url",
				    others[i][0]);
			return FALSE;
		}
		return TRUE;
	}
	if (self->health_cmd != NULL && self->health_url != NULL) {
		g_set_error_literal(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "--health-cmd and --health-url cannot be given together");
		return FALSE;
	}
	if (self->health_cmd != NULL) {
		const gchar *argv[] = {"sh", "-c", self->health_cmd, NULL};
		if (!tender_ctl_check_utf8("health command", self->health_cmd, error))
			return FALSE;
		if (self->health_cmd[0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid health command '': the value is empty");
			return FALSE;
		}
		g_variant_builder_add(&builder, "{sv}", "command", g_variant_new_strv(argv, -1));
	} else {
		if (!tender_ctl_check_utf8("health URL", self->health_url, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "http_url",
				      g_variant_new_string(self->health_url));
	}
	for (guint i = 0; i < G_N_ELEMENTS(seconds); i++) {
		guint32 value = 0;
		if (seconds[i].text == NULL)
			continue;
		if (!tender_ctl_parse_seconds(seconds[i].option, seconds[i].text, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      seconds[i].key,
				      g_variant_new_uint32(value));
	}
	if (self->health_retries != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->health_retries,
						10,
						0,
						G_MAXUINT32,
						&value,
						NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of health check retries '%s': expected a whole "
				    "number",
				    self->health_retries);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "retries",
				      g_variant_new_uint32((guint32)value));
	}
	if (self->health_on_unhealthy != NULL) {
		if (!tender_ctl_check_utf8("health action", self->health_on_unhealthy, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "on_unhealthy",
				      g_variant_new_string(self->health_on_unhealthy));
	}
	g_variant_builder_add(spec, "{sv}", "health", g_variant_builder_end(&builder));
	return TRUE;
}

/* --user, --group, --cap and --pre-start: the spec's user, group, capabilities, pre_start */
static gboolean
tender_ctl_build_privileges(TenderCtlSpec *self, GVariantBuilder *spec, GError **error)
{
	if (self->user != NULL)
		g_variant_builder_add(spec, "{sv}", "user", g_variant_new_string(self->user));
	if (self->group != NULL)
		g_variant_builder_add(spec, "{sv}", "group", g_variant_new_string(self->group));
	if (self->caps != NULL)
		g_variant_builder_add(spec,
				      "{sv}",
				      "capabilities",
				      g_variant_new_strv((const gchar *const *)self->caps, -1));
	if (self->pre_start != NULL) {
		g_auto(GVariantBuilder) hooks = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aas"));
		for (guint i = 0; self->pre_start[i] != NULL; i++) {
			const gchar *hook[] = {"sh", "-c", self->pre_start[i], NULL};
			if (self->pre_start[i][0] == '\0') {
				g_set_error_literal(error,
						    TENDER_ERROR,
						    TENDER_ERROR_INVALID_ARGUMENT,
						    "Invalid pre-start command '': the value is "
						    "empty");
				return FALSE;
			}
			g_variant_builder_add_value(&hooks, g_variant_new_strv(hook, -1));
		}
		g_variant_builder_add(spec, "{sv}", "pre_start", g_variant_builder_end(&hooks));
	}
	return TRUE;
}

/* the a{sv} of CreateWorkload: the command @argv and what the flags say, each checked */
gboolean
tender_ctl_spec_build(TenderCtlSpec *self, gchar **argv, GVariant **spec, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);

	g_variant_builder_add(&builder,
			      "{sv}",
			      "argv",
			      g_variant_new_strv((const gchar *const *)argv, -1));

	if (self->env != NULL) {
		for (guint i = 0; self->env[i] != NULL; i++) {
			if (!tender_ctl_check_assignment("environment variable",
							 self->env[i],
							 error))
				return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)self->env, -1));
	}

	if (self->workdir != NULL) {
		g_autofree gchar *workdir = NULL;
		if (self->workdir[0] == '\0') {
			g_set_error_literal(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Invalid working directory '': the value is empty");
			return FALSE;
		}
		workdir = g_path_is_absolute(self->workdir)
			      ? g_strdup(self->workdir)
			      : g_canonicalize_filename(self->workdir, NULL);
		if (!tender_ctl_check_utf8("working directory", workdir, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(workdir));
	}

	if (self->description != NULL) {
		if (!tender_ctl_check_utf8("description", self->description, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "description",
				      g_variant_new_string(self->description));
	}

	if (self->labels != NULL) {
		g_autoptr(GHashTable) seen =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_auto(GVariantBuilder) labels = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));
		for (guint i = 0; self->labels[i] != NULL; i++) {
			const gchar *eq = NULL;
			g_autofree gchar *key = NULL;
			if (!tender_ctl_check_assignment("label", self->labels[i], error))
				return FALSE;
			eq = strchr(self->labels[i], '=');
			key = g_strndup(self->labels[i], eq - self->labels[i]);
			if (g_hash_table_contains(seen, key)) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Label '%s' is given twice",
					    key);
				return FALSE;
			}
			g_variant_builder_add(&labels, "{ss}", key, eq + 1);
			g_hash_table_add(seen, g_steal_pointer(&key));
		}
		g_variant_builder_add(&builder, "{sv}", "labels", g_variant_builder_end(&labels));
	}

	if (self->memory != NULL) {
		guint64 value = 0;
		if (!tender_units_parse_size(self->memory, &value, error))
			return FALSE;
		g_variant_builder_add(&builder, "{sv}", "memory_max", g_variant_new_uint64(value));
	}

	if (self->cpu != NULL) {
		guint value = 0;
		if (!tender_units_parse_percent(self->cpu, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "cpu_quota_percent",
				      g_variant_new_uint32(value));
	}

	if (self->tasks != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->tasks, 10, 0, G_MAXUINT64, &value, NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of tasks '%s': expected a whole number",
				    self->tasks);
			return FALSE;
		}
		g_variant_builder_add(&builder, "{sv}", "tasks_max", g_variant_new_uint64(value));
	}

	if (self->io_read != NULL) {
		guint64 value = 0;
		if (!tender_ctl_parse_bandwidth(self->io_read, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_read_bandwidth_max",
				      g_variant_new_uint64(value));
	}

	if (self->io_write != NULL) {
		guint64 value = 0;
		if (!tender_ctl_parse_bandwidth(self->io_write, &value, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "io_write_bandwidth_max",
				      g_variant_new_uint64(value));
	}

	if (self->restart != NULL)
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart",
				      g_variant_new_string(self->restart));

	if (self->restart_max != NULL) {
		guint64 value = 0;
		if (!g_ascii_string_to_unsigned(self->restart_max,
						10,
						0,
						G_MAXUINT32,
						&value,
						NULL)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid number of restarts '%s': expected a whole number",
				    self->restart_max);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart_max",
				      g_variant_new_uint32((guint32)value));
	}

	if (self->restart_delay != NULL) {
		guint64 msec = 0;
		if (!tender_units_parse_duration(self->restart_delay, &msec, error))
			return FALSE;
		g_variant_builder_add(&builder,
				      "{sv}",
				      "restart_delay_ms",
				      g_variant_new_uint32((guint32)MIN(msec, G_MAXUINT32)));
	}

	if (self->max_runtime != NULL) {
		guint64 msec = 0;
		if (!tender_units_parse_duration(self->max_runtime, &msec, error))
			return FALSE;
		if (msec % 1000 != 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid maximum run time '%s': it must be whole seconds",
				    self->max_runtime);
			return FALSE;
		}
		g_variant_builder_add(&builder,
				      "{sv}",
				      "max_runtime_sec",
				      g_variant_new_uint64(msec / 1000));
	}

	if (!tender_ctl_build_health(self, &builder, error))
		return FALSE;
	if (!tender_ctl_build_privileges(self, &builder, error))
		return FALSE;

	*spec = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}
