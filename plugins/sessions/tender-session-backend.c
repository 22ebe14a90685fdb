/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "tender-session-backend.h"

/*
 * What a session's sandbox is made of, for each backend.  Native: a tender workload of the
 * engine (CreateWorkload's a{sv}): its isolation (standard by default), its image or rootfs,
 * the workspace bound at /workspace and the caller's volumes (read-only ones too), published
 * ports on a private network, the limits, env and user, and max_runtime_sec for the
 * container's lifetime; its command a long sleep of the image.  The Docker backend comes with
 * the Docker runtime's exec.
 */

/**
 * tender_session_backend_native_spec:
 * @session: a session, its workspace decided
 *
 * Returns: (transfer floating): the spec of its workload
 */
GVariant *
tender_session_backend_native_spec(TenderSession *session)
{
	TenderSessionConfig *config = session->config;
	g_autofree gchar *description =
	    g_strdup_printf("tender session %s/%s", session->user, session->id);
	const gchar *argv[] = {"sleep", TENDER_SESSION_SLEEP_SEC, NULL};
	GVariantBuilder spec;
	GVariantBuilder builder;

	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&spec, "{sv}", "argv", g_variant_new_strv(argv, -1));
	g_variant_builder_add(&spec, "{sv}", "description", g_variant_new_string(description));
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	g_variant_builder_add(&builder, "{ss}", "org.tender.session.user", session->user);
	g_variant_builder_add(&builder, "{ss}", "org.tender.session.id", session->id);
	g_variant_builder_add(&spec, "{sv}", "labels", g_variant_builder_end(&builder));
	g_variant_builder_add(&spec, "{sv}", "isolation", g_variant_new_string(config->isolation));
	g_variant_builder_add(&spec, "{sv}", "hostname", g_variant_new_string("sandbox"));
	if (config->image != NULL)
		g_variant_builder_add(&spec, "{sv}", "image", g_variant_new_string(config->image));
	if (config->rootfs != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "rootfs",
				      g_variant_new_string(config->rootfs));
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(ssb)"));
	if (session->workspace != NULL)
		g_variant_builder_add(&builder,
				      "(ssb)",
				      session->workspace,
				      TENDER_SESSION_WORKSPACE_PATH,
				      FALSE);
	for (guint i = 0; i < config->volumes->len; i++) {
		TenderSessionVolume *volume = g_ptr_array_index(config->volumes, i);
		g_variant_builder_add(&builder,
				      "(ssb)",
				      volume->source,
				      volume->target,
				      volume->read_only);
	}
	g_variant_builder_add(&spec, "{sv}", "volumes", g_variant_builder_end(&builder));
	if (session->workspace != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "working_directory",
				      g_variant_new_string(TENDER_SESSION_WORKSPACE_PATH));
	if (config->ports->len > 0) {
		g_variant_builder_init(&builder, G_VARIANT_TYPE("a(qqs)"));
		for (guint i = 0; i < config->ports->len; i++) {
			TenderSessionPort *port = g_ptr_array_index(config->ports, i);
			g_variant_builder_add(&builder,
					      "(qqs)",
					      port->host_port,
					      port->container_port,
					      port->protocol);
		}
		g_variant_builder_add(&spec, "{sv}", "ports", g_variant_builder_end(&builder));
	}
	if (config->network != NULL)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "network",
				      g_variant_new_string(config->network));
	if (config->memory_limit > 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "memory_max",
				      g_variant_new_uint64(config->memory_limit));
	if (config->cpu_limit > 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "cpu_quota_percent",
				      g_variant_new_uint32(
					  (guint32)(config->cpu_limit * 100 + 0.5)));
	if (config->pids_limit > 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "tasks_max",
				      g_variant_new_uint64(config->pids_limit));
	if (config->env->len > 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "env",
				      g_variant_new_strv((const gchar *const *)config->env->pdata,
							 (gssize)config->env->len));
	if (config->user != NULL)
		g_variant_builder_add(&spec, "{sv}", "user", g_variant_new_string(config->user));
	if (config->lifetime_sec > 0)
		g_variant_builder_add(&spec,
				      "{sv}",
				      "max_runtime_sec",
				      g_variant_new_uint64(config->lifetime_sec));
	return g_variant_builder_end(&spec);
}
