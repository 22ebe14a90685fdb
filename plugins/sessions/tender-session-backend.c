/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <tender-plugin.h>

#include "tender-session-backend.h"

/*
 * What a session's sandbox is made of, for each backend: a tender workload (CreateWorkload's
 * a{sv}) owned by the plugin, its command a long sleep of the image, its labels naming the
 * session, the workspace bound at /workspace and the caller's volumes (read-only ones too),
 * the limits, and max_runtime_sec for the container's lifetime.
 *
 * Native: the engine's own runtime, its isolation (standard by default), its image (of
 * tender's store) or rootfs, published ports on a private network, env and user.
 *
 * Docker: `runtime docker`, a container of dockerd's; x-docker carries what is the Docker
 * runtime's own: the image (one dockerd has), the user, the ports (published on 127.0.0.1),
 * the network (private is dockerd's bridge) and /workspace as the working directory.  The
 * core's `volumes` are its binds, the core's limits its HostConfig's.
 */

static void
tender_session_backend_add(GVariantBuilder *spec, const gchar *key, GVariant *value)
{
	g_variant_builder_add(spec, "{sv}", key, value);
}

/* what both backends' workloads have */
static void
tender_session_backend_common(TenderSession *session, GVariantBuilder *spec)
{
	TenderSessionConfig *config = session->config;
	g_autofree gchar *description =
	    g_strdup_printf("tender session %s/%s", session->user, session->id);
	const gchar *argv[] = {"sleep", TENDER_SESSION_SLEEP_SEC, NULL};
	GVariantBuilder builder;

	tender_session_backend_add(spec, "argv", g_variant_new_strv(argv, -1));
	tender_session_backend_add(spec, "description", g_variant_new_string(description));
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	g_variant_builder_add(&builder, "{ss}", "org.tender.session.user", session->user);
	g_variant_builder_add(&builder, "{ss}", "org.tender.session.id", session->id);
	tender_session_backend_add(spec, "labels", g_variant_builder_end(&builder));
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
	tender_session_backend_add(spec, "volumes", g_variant_builder_end(&builder));
	if (config->memory_limit > 0)
		tender_session_backend_add(spec,
					   "memory_max",
					   g_variant_new_uint64(config->memory_limit));
	if (config->cpu_limit > 0)
		tender_session_backend_add(spec,
					   "cpu_quota_percent",
					   g_variant_new_uint32(
					       (guint32)(config->cpu_limit * 100 + 0.5)));
	if (config->pids_limit > 0)
		tender_session_backend_add(spec,
					   "tasks_max",
					   g_variant_new_uint64(config->pids_limit));
	if (config->env->len > 0)
		tender_session_backend_add(spec,
					   "env",
					   g_variant_new_strv((const gchar *const *)
								  config->env->pdata,
							      (gssize)config->env->len));
	if (config->lifetime_sec > 0)
		tender_session_backend_add(spec,
					   "max_runtime_sec",
					   g_variant_new_uint64(config->lifetime_sec));
}

/* the published ports, as both runtimes take them */
static GVariant *
tender_session_backend_ports(TenderSessionConfig *config)
{
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a(qqs)"));
	for (guint i = 0; i < config->ports->len; i++) {
		TenderSessionPort *port = g_ptr_array_index(config->ports, i);
		g_variant_builder_add(&builder,
				      "(qqs)",
				      port->host_port,
				      port->container_port,
				      port->protocol);
	}
	return g_variant_builder_end(&builder);
}

static GVariant *
tender_session_backend_native_spec(TenderSession *session)
{
	TenderSessionConfig *config = session->config;
	GVariantBuilder spec;

	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	tender_session_backend_common(session, &spec);
	tender_session_backend_add(&spec, "isolation", g_variant_new_string(config->isolation));
	tender_session_backend_add(&spec, "hostname", g_variant_new_string("sandbox"));
	if (config->image != NULL)
		tender_session_backend_add(&spec, "image", g_variant_new_string(config->image));
	if (config->rootfs != NULL)
		tender_session_backend_add(&spec, "rootfs", g_variant_new_string(config->rootfs));
	if (session->workspace != NULL)
		tender_session_backend_add(&spec,
					   "working_directory",
					   g_variant_new_string(TENDER_SESSION_WORKSPACE_PATH));
	if (config->ports->len > 0)
		tender_session_backend_add(&spec, "ports", tender_session_backend_ports(config));
	if (config->network != NULL)
		tender_session_backend_add(&spec, "network", g_variant_new_string(config->network));
	if (config->user != NULL)
		tender_session_backend_add(&spec, "user", g_variant_new_string(config->user));
	return g_variant_builder_end(&spec);
}

/* a session's network as dockerd's NetworkMode: private is its bridge */
static const gchar *
tender_session_backend_docker_network(const gchar *network)
{
	if (g_strcmp0(network, "private") == 0)
		return "bridge";
	return network;
}

static GVariant *
tender_session_backend_docker_spec(TenderSession *session)
{
	TenderSessionConfig *config = session->config;
	GVariantBuilder spec;
	GVariantBuilder x;

	g_variant_builder_init(&spec, G_VARIANT_TYPE_VARDICT);
	tender_session_backend_common(session, &spec);
	tender_session_backend_add(&spec, "runtime", g_variant_new_string("docker"));
	g_variant_builder_init(&x, G_VARIANT_TYPE_VARDICT);
	tender_session_backend_add(&x, "image", g_variant_new_string(config->image));
	if (config->user != NULL)
		tender_session_backend_add(&x, "user", g_variant_new_string(config->user));
	if (session->workspace != NULL)
		tender_session_backend_add(&x,
					   "workdir",
					   g_variant_new_string(TENDER_SESSION_WORKSPACE_PATH));
	if (config->ports->len > 0)
		tender_session_backend_add(&x, "ports", tender_session_backend_ports(config));
	if (config->network != NULL)
		tender_session_backend_add(&x,
					   "network",
					   g_variant_new_string(
					       tender_session_backend_docker_network(
						   config->network)));
	tender_session_backend_add(&spec, "x-docker", g_variant_builder_end(&x));
	return g_variant_builder_end(&spec);
}

/**
 * tender_session_backend_spec:
 * @session: a session, its workspace decided
 *
 * Returns: (transfer floating): the spec of its workload, for its backend
 */
GVariant *
tender_session_backend_spec(TenderSession *session)
{
	if (g_strcmp0(session->config->backend, TENDER_SESSION_BACKEND_DOCKER) == 0)
		return tender_session_backend_docker_spec(session);
	return tender_session_backend_native_spec(session);
}

/**
 * tender_session_backend_check_create:
 * @session: a session
 * @error: what CreateWorkload said
 *
 * What a failed CreateWorkload means for the session: the Docker backend without the Docker
 * plugin's runtime (the plugin not active: not loaded, disabled, or waiting for dockerd) is
 * Unavailable, naming the plugin.
 */
void
tender_session_backend_check_create(TenderSession *session, GError **error)
{
	GError *old;

	if (error == NULL || *error == NULL ||
	    g_strcmp0(session->config->backend, TENDER_SESSION_BACKEND_DOCKER) != 0 ||
	    !g_error_matches(*error, TENDER_ERROR, TENDER_ERROR_NOT_SUPPORTED) ||
	    strstr((*error)->message, "which this tenderd does not have") == NULL)
		return;
	old = *error;
	*error = g_error_new(TENDER_ERROR,
			     TENDER_ERROR_UNAVAILABLE,
			     "Session backend docker needs the Docker plugin, which is not active "
			     "(is dockerd running? see tenderctl plugins): %s",
			     old->message);
	g_error_free(old);
}
