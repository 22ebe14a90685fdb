/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "tender-error.h"
#include "tender-network-ipam.h"
#include "tender-network-link.h"
#include "tender-network-manager.h"
#include "tender-network-proxy.h"
#include "tender-network-rules.h"
#include "tender-spec-types.h"
#include "tender-util.h"

/*
 * TenderNetworkManager is the host side of the `private` network: the bridge, an address
 * per workload, a veth pair joining the workload's network namespace to the bridge, tender's
 * nftables table (outbound NAT, DNAT of published ports) and the userspace proxies of
 * published ports on the publish address.
 *
 * What touches links and rules runs in a thread, one job at a time and in the order they
 * were asked for (self->pool; setup() takes self->lock too): each job rebuilds the whole
 * table from `published`, the ports of the workloads attached so far, so the last one
 * always leaves the rules of every attached workload.  The attachments (proxies) and the
 * addresses belong to the main context, where the API is called.
 *
 * When the last workload is detached and the bridge has no port left, the table and the
 * bridge go too; the next attach makes them again.
 */

struct _TenderNetworkManager {
	GObject parent_instance;
	gchar *bridge;
	gchar *publish_address;
	gchar *dnat_address; /* (nullable): the only address DNAT applies to */
	TenderNetworkIpam *ipam;
	GHashTable *attachments; /* main context: name → TenderNetworkAttachment */
	GThreadPool *pool;	 /* one thread: the jobs on links and rules, in order */
	GMutex lock;		 /* the pool's thread or setup; guards published */
	GHashTable *published;	 /* name → GPtrArray of TenderNetworkPublish, once attached */
};

G_DEFINE_TYPE(TenderNetworkManager, tender_network_manager, G_TYPE_OBJECT)

typedef struct {
	gchar *workload;
	GCancellable *cancellable; /* cancelled when detached */
	GPtrArray *proxies;	   /* TenderNetworkProxy, in the order of the ports */
	GArray *ports;		   /* TenderSpecPort */
	gchar *address;
	gboolean fresh; /* the address was given by this attach: a failed one frees it again */
	gboolean ready;
} TenderNetworkAttachment;

static void
tender_network_attachment_free(TenderNetworkAttachment *attachment)
{
	g_cancellable_cancel(attachment->cancellable);
	for (guint i = 0; i < attachment->proxies->len; i++)
		tender_network_proxy_stop(g_ptr_array_index(attachment->proxies, i));
	g_ptr_array_unref(attachment->proxies);
	g_array_unref(attachment->ports);
	g_object_unref(attachment->cancellable);
	g_free(attachment->workload);
	g_free(attachment->address);
	g_free(attachment);
}

/* what an attach or detach thread works on */
typedef struct {
	gchar *workload;
	gchar *host_name;
	GPid pid;
	gchar *address;
	GPtrArray *published;	   /* TenderNetworkPublish */
	GCancellable *cancellable; /* the attachment's: who it was made for */
} TenderNetworkJob;

static void
tender_network_job_free(TenderNetworkJob *job)
{
	g_free(job->workload);
	g_free(job->host_name);
	g_free(job->address);
	if (job->published != NULL)
		g_ptr_array_unref(job->published);
	g_clear_object(&job->cancellable);
	g_free(job);
}

static TenderNetworkJob *
tender_network_job_new(const gchar *workload)
{
	TenderNetworkJob *job = g_new0(TenderNetworkJob, 1);
	job->workload = g_strdup(workload);
	job->host_name = tender_network_link_host_name(workload);
	return job;
}

/* --- in threads, with self->lock held --- */

static gboolean
tender_network_manager_apply_rules(TenderNetworkManager *self, GError **error)
{
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	g_autofree gchar *ruleset = NULL;
	GHashTableIter iter;
	gpointer value;

	g_hash_table_iter_init(&iter, self->published);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		GPtrArray *ports = value;
		for (guint i = 0; i < ports->len; i++)
			g_ptr_array_add(all, g_ptr_array_index(ports, i));
	}
	ruleset = tender_network_rules_build(self->bridge,
					     tender_network_ipam_get_subnet(self->ipam),
					     self->dnat_address,
					     all);
	return tender_network_rules_apply(ruleset, error);
}

static gboolean
tender_network_manager_ensure_bridge(TenderNetworkManager *self, GError **error)
{
	if (!tender_network_link_ensure_bridge(self->bridge,
					       tender_network_ipam_get_subnet(self->ipam),
					       error))
		return FALSE;
	return tender_network_link_enable_forwarding(error);
}

static gboolean
tender_network_manager_attach_locked(TenderNetworkManager *self,
				     TenderNetworkJob *job,
				     GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (!g_cancellable_is_cancelled(job->cancellable) &&
	    !tender_network_manager_ensure_bridge(self, error))
		return FALSE;
	if (!g_cancellable_is_cancelled(job->cancellable) &&
	    !tender_network_link_attach(self->bridge,
					job->host_name,
					job->pid,
					tender_network_ipam_get_subnet(self->ipam),
					job->address,
					error))
		return FALSE;
	/* detached while its veth was being made: nothing of it may stay */
	if (g_cancellable_set_error_if_cancelled(job->cancellable, &error_local)) {
		(void)tender_network_link_delete(job->host_name, NULL);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload %s was detached while being attached",
			    job->workload);
		return FALSE;
	}
	g_hash_table_replace(self->published,
			     g_strdup(job->workload),
			     g_ptr_array_ref(job->published));
	if (!tender_network_manager_apply_rules(self, error)) {
		g_hash_table_remove(self->published, job->workload);
		(void)tender_network_link_delete(job->host_name, NULL);
		return FALSE;
	}
	return TRUE;
}

/* the last workload gone and no veth left on the bridge (none of a workload that runs on
 * from before a restart of tenderd): the table and the bridge go */
static gboolean
tender_network_manager_detach_locked(TenderNetworkManager *self,
				     TenderNetworkJob *job,
				     GError **error)
{
	g_autofree gchar *ruleset = NULL;
	guint ports = 0;

	g_hash_table_remove(self->published, job->workload);
	if (!tender_network_link_delete(job->host_name, error))
		return FALSE;
	if (g_hash_table_size(self->published) > 0)
		return tender_network_manager_apply_rules(self, error);
	if (!tender_network_link_count_ports(self->bridge, &ports, error))
		return FALSE;
	if (ports > 0)
		return tender_network_manager_apply_rules(self, error);
	ruleset = tender_network_rules_build_delete();
	if (!tender_network_rules_apply(ruleset, error))
		return FALSE;
	return tender_network_link_delete(self->bridge, error);
}

/* runs in self->pool: an attach job has the workload's process, a detach job has none */
static void
tender_network_manager_job_run(gpointer data, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(data);
	TenderNetworkManager *self = TENDER_NETWORK_MANAGER(user_data);
	TenderNetworkJob *job = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	gboolean ok;

	g_mutex_lock(&self->lock);
	if (job->pid != 0)
		ok = tender_network_manager_attach_locked(self, job, &error);
	else
		ok = tender_network_manager_detach_locked(self, job, &error);
	g_mutex_unlock(&self->lock);
	if (!ok) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* jobs run one at a time, in the order they were asked for: a run's detach always comes
 * before the next run's attach */
static void
tender_network_manager_job_push(TenderNetworkManager *self, GTask *task, TenderNetworkJob *job)
{
	g_task_set_task_data(task, job, (GDestroyNotify)tender_network_job_free);
	g_thread_pool_push(self->pool, g_object_ref(task), NULL);
}

/* --- the main context --- */

/**
 * tender_network_manager_new:
 * @state_dir: tenderd's state directory, which keeps the addresses in network.json
 * @bridge: (nullable): the bridge's name, "tender0" when %NULL
 * @subnet: (nullable): the IPv4 subnet, "10.88.0.0/16" when %NULL; the bridge has its first
 *   address
 * @publish_address: (nullable): the address the proxies of published ports listen on,
 *   "127.0.0.1" when %NULL
 * @error: (nullable): a #GError
 *
 * Reads the addresses kept in @state_dir; touches no link and no rule yet.
 *
 * Returns: (transfer full): a #TenderNetworkManager, or %NULL with InvalidArgument for a bad
 *   setting or Failed when the state file cannot be read
 */
TenderNetworkManager *
tender_network_manager_new(const gchar *state_dir,
			   const gchar *bridge,
			   const gchar *subnet,
			   const gchar *publish_address,
			   GError **error)
{
	g_autoptr(TenderNetworkManager) self = g_object_new(TENDER_TYPE_NETWORK_MANAGER, NULL);
	g_autofree gchar *path = g_build_filename(state_dir, TENDER_NETWORK_STATE_FILE, NULL);
	g_autoptr(GInetAddress) address = NULL;

	self->bridge = g_strdup(bridge != NULL ? bridge : TENDER_CONFIG_DEFAULT_NETWORK_BRIDGE);
	self->publish_address =
	    g_strdup(publish_address != NULL ? publish_address
					     : TENDER_CONFIG_DEFAULT_NETWORK_PUBLISH_ADDRESS);
	if (!tender_network_link_check_name(self->bridge, error))
		return NULL;
	address = g_inet_address_new_from_string(self->publish_address);
	if (address == NULL) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid publish address '%s'",
			    self->publish_address);
		return NULL;
	}
	/* a specific host address: DNAT there only; loopback or any: every other address */
	if (g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV4 &&
	    !g_inet_address_get_is_loopback(address) && !g_inet_address_get_is_any(address))
		self->dnat_address = g_strdup(self->publish_address);
	self->ipam =
	    tender_network_ipam_new(subnet != NULL ? subnet : TENDER_CONFIG_DEFAULT_NETWORK_SUBNET,
				    path,
				    error);
	if (self->ipam == NULL)
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * tender_network_manager_new_for_config:
 * @config: tenderd's settings: its state directory and the [network] group
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): a #TenderNetworkManager, as tender_network_manager_new()
 */
TenderNetworkManager *
tender_network_manager_new_for_config(const TenderConfig *config, GError **error)
{
	return tender_network_manager_new(config->state_dir,
					  config->network_bridge,
					  config->network_subnet,
					  config->network_publish_address,
					  error);
}

/**
 * tender_network_manager_setup:
 * @self: a #TenderNetworkManager
 * @error: (nullable): a #GError
 *
 * Creates the bridge with the subnet's first address unless it exists, sets
 * net.ipv4.ip_forward, and replaces tender's nftables table with the rules of the workloads
 * attached so far (none in a tenderd that just started: attach the workloads that still run
 * again, which keeps their veth and publishes their ports again).  Never duplicates a rule.
 * Blocks for a few milliseconds: call it when tenderd starts, before the main loop runs.
 * attach does the same by itself.
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_manager_setup(TenderNetworkManager *self, GError **error)
{
	gboolean ok;

	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), FALSE);
	g_mutex_lock(&self->lock);
	ok = tender_network_manager_ensure_bridge(self, error) &&
	     tender_network_manager_apply_rules(self, error);
	g_mutex_unlock(&self->lock);
	return ok;
}

static gboolean
tender_network_manager_check_taken(TenderNetworkManager *self,
				   const gchar *workload,
				   GArray *ports,
				   GError **error)
{
	for (guint i = 0; ports != NULL && i < ports->len; i++) {
		TenderSpecPort *port = &g_array_index(ports, TenderSpecPort, i);
		GHashTableIter iter;
		gpointer value;

		if (port->host_port == 0 || port->container_port == 0) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid port %u:%u: ports are 1 to 65535",
				    port->host_port,
				    port->container_port);
			return FALSE;
		}
		for (guint j = 0; j < i; j++) {
			TenderSpecPort *other = &g_array_index(ports, TenderSpecPort, j);
			if (other->host_port == port->host_port && other->udp == port->udp) {
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Host port %u/%s is published twice",
					    port->host_port,
					    port->udp ? "udp" : "tcp");
				return FALSE;
			}
		}
		g_hash_table_iter_init(&iter, self->attachments);
		while (g_hash_table_iter_next(&iter, NULL, &value)) {
			TenderNetworkAttachment *attachment = value;
			if (g_strcmp0(attachment->workload, workload) == 0)
				continue;
			for (guint j = 0; j < attachment->ports->len; j++) {
				TenderSpecPort *other =
				    &g_array_index(attachment->ports, TenderSpecPort, j);
				if (other->host_port != port->host_port || other->udp != port->udp)
					continue;
				g_set_error(error,
					    TENDER_ERROR,
					    TENDER_ERROR_INVALID_ARGUMENT,
					    "Host port %u/%s is already taken by workload %s",
					    port->host_port,
					    port->udp ? "udp" : "tcp",
					    attachment->workload);
				return FALSE;
			}
		}
	}
	return TRUE;
}

/**
 * tender_network_manager_check_ports:
 * @self: a #TenderNetworkManager
 * @workload: the workload's name
 * @ports: (nullable) (element-type TenderSpecPort): the ports it would publish
 * @error: (nullable): a #GError
 *
 * What a create (and every later use of the spec) checks: every host port is valid,
 * published once, not published by another attached workload, and, unless @workload is
 * attached itself (its proxies hold them), free on the publish address right now (bound and
 * closed again).
 *
 * Returns: %TRUE if they could be published, %FALSE with InvalidArgument naming the port
 */
gboolean
tender_network_manager_check_ports(TenderNetworkManager *self,
				   const gchar *workload,
				   GArray *ports,
				   GError **error)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), FALSE);
	if (!tender_network_manager_check_taken(self, workload, ports, error))
		return FALSE;
	if (g_hash_table_contains(self->attachments, workload))
		return TRUE;
	for (guint i = 0; ports != NULL && i < ports->len; i++) {
		TenderSpecPort *port = &g_array_index(ports, TenderSpecPort, i);
		g_autoptr(TenderNetworkProxy) proxy =
		    tender_network_proxy_new(self->publish_address,
					     port->host_port,
					     port->udp,
					     error);
		if (proxy == NULL)
			return FALSE;
		tender_network_proxy_stop(proxy);
	}
	return TRUE;
}

static TenderNetworkAttachment *
tender_network_manager_attachment_new(TenderNetworkManager *self,
				      const gchar *workload,
				      GArray *ports,
				      GError **error)
{
	TenderNetworkAttachment *attachment = g_new0(TenderNetworkAttachment, 1);

	attachment->workload = g_strdup(workload);
	attachment->cancellable = g_cancellable_new();
	attachment->proxies = g_ptr_array_new_with_free_func(g_object_unref);
	attachment->ports = g_array_new(FALSE, FALSE, sizeof(TenderSpecPort));
	if (ports != NULL)
		g_array_append_vals(attachment->ports, ports->data, ports->len);
	for (guint i = 0; i < attachment->ports->len; i++) {
		TenderSpecPort *port = &g_array_index(attachment->ports, TenderSpecPort, i);
		TenderNetworkProxy *proxy = tender_network_proxy_new(self->publish_address,
								     port->host_port,
								     port->udp,
								     error);
		if (proxy == NULL) {
			tender_network_attachment_free(attachment);
			return NULL;
		}
		g_ptr_array_add(attachment->proxies, proxy);
	}
	attachment->fresh = tender_network_ipam_lookup(self->ipam, workload) == NULL;
	attachment->address = tender_network_ipam_allocate(self->ipam, workload, error);
	if (attachment->address == NULL) {
		tender_network_attachment_free(attachment);
		return NULL;
	}
	return attachment;
}

static void
tender_network_manager_attached_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	TenderNetworkManager *self = TENDER_NETWORK_MANAGER(source);
	g_autoptr(GTask) task = G_TASK(user_data);
	TenderNetworkJob *job = g_task_get_task_data(G_TASK(res));
	TenderNetworkAttachment *attachment = g_hash_table_lookup(self->attachments, job->workload);
	g_autoptr(GError) error = NULL;

	/* the job holds the cancellable, so no later attachment can have the same one */
	if (attachment != NULL && attachment->cancellable != job->cancellable)
		attachment = NULL;
	if (!g_task_propagate_boolean(G_TASK(res), &error)) {
		g_autoptr(GError) error_release = NULL;
		if (attachment != NULL && attachment->fresh &&
		    !tender_network_ipam_release(self->ipam, job->workload, &error_release))
			g_warning("%s", error_release->message);
		if (attachment != NULL)
			g_hash_table_remove(self->attachments, job->workload);
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (attachment == NULL || g_cancellable_is_cancelled(job->cancellable)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload %s was detached while being attached",
					job->workload);
		return;
	}
	for (guint i = 0; i < attachment->proxies->len; i++) {
		TenderSpecPort *port = &g_array_index(attachment->ports, TenderSpecPort, i);
		tender_network_proxy_start(g_ptr_array_index(attachment->proxies, i),
					   attachment->address,
					   port->container_port);
	}
	attachment->ready = TRUE;
	g_task_return_pointer(task, g_strdup(attachment->address), g_free);
}

/**
 * tender_network_manager_attach_async:
 * @self: a #TenderNetworkManager
 * @workload: the workload's name
 * @pid: a process in the workload's own network namespace (the shim's first child)
 * @ports: (nullable) (element-type TenderSpecPort): the ports to publish
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * Joins the network namespace of @pid to the private network: gives @workload its address
 * (the one it had, if any), makes the veth pair (eth0 inside, with the address, the default
 * route via the bridge, lo up; kept as it is when it exists already, after a restart of
 * tenderd), adds the DNAT rules of @ports and starts their proxies on the publish address.
 * A host port that is taken (by a workload or anything else on the host) is refused at once
 * with InvalidArgument naming it, before anything is made.  The work on links and rules runs
 * in a thread.
 */
void
tender_network_manager_attach_async(TenderNetworkManager *self,
				    const gchar *workload,
				    GPid pid,
				    GArray *ports,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GTask) thread = NULL;
	g_autoptr(GError) error = NULL;
	TenderNetworkAttachment *attachment;
	TenderNetworkJob *job;

	g_return_if_fail(TENDER_IS_NETWORK_MANAGER(self));
	g_task_set_source_tag(task, tender_network_manager_attach_async);
	if (!tender_util_check_name(workload, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	if (pid <= 1) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_ARGUMENT,
					"Invalid process %d for workload %s",
					(gint)pid,
					workload);
		return;
	}
	if (g_hash_table_contains(self->attachments, workload)) {
		g_task_return_new_error(task,
					TENDER_ERROR,
					TENDER_ERROR_INVALID_STATE,
					"Workload %s is attached already",
					workload);
		return;
	}
	if (!tender_network_manager_check_taken(self, workload, ports, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	attachment = tender_network_manager_attachment_new(self, workload, ports, &error);
	if (attachment == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_hash_table_insert(self->attachments, g_strdup(workload), attachment);

	job = tender_network_job_new(workload);
	job->pid = pid;
	job->address = g_strdup(attachment->address);
	job->cancellable = g_object_ref(attachment->cancellable);
	job->published =
	    g_ptr_array_new_with_free_func((GDestroyNotify)tender_network_publish_free);
	for (guint i = 0; i < attachment->ports->len; i++) {
		TenderSpecPort *port = &g_array_index(attachment->ports, TenderSpecPort, i);
		g_ptr_array_add(job->published,
				tender_network_publish_new(workload,
							   attachment->address,
							   port->host_port,
							   port->container_port,
							   port->udp));
	}
	thread = g_task_new(self, NULL, tender_network_manager_attached_cb, g_steal_pointer(&task));
	tender_network_manager_job_push(self, thread, job);
}

/**
 * tender_network_manager_attach_finish:
 * @self: a #TenderNetworkManager
 * @res: the #GAsyncResult
 * @error: (nullable): a #GError
 *
 * Returns: (transfer full): the workload's address, or %NULL on error
 */
gchar *
tender_network_manager_attach_finish(TenderNetworkManager *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), NULL);
	return g_task_propagate_pointer(G_TASK(res), error);
}

/**
 * tender_network_manager_detach_async:
 * @self: a #TenderNetworkManager
 * @workload: the workload's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: (nullable): called when done
 * @user_data: for @callback
 *
 * The workload's run ended: its proxies close at once; then, in a thread, its veth is
 * deleted (if its namespace has not taken it along already) and its DNAT rules go.  When no
 * workload is attached any more and the bridge has no port left, tender's table and the
 * bridge are deleted too.  The address stays the workload's until
 * tender_network_manager_release().  Detaching a workload that is not attached (e.g. one
 * that ended while tenderd was down) is fine.
 */
void
tender_network_manager_detach_async(TenderNetworkManager *self,
				    const gchar *workload,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error = NULL;

	g_return_if_fail(TENDER_IS_NETWORK_MANAGER(self));
	g_task_set_source_tag(task, tender_network_manager_detach_async);
	if (!tender_util_check_name(workload, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_hash_table_remove(self->attachments, workload);
	tender_network_manager_job_push(self, task, tender_network_job_new(workload));
}

/**
 * tender_network_manager_detach_finish:
 * @self: a #TenderNetworkManager
 * @res: the #GAsyncResult
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
tender_network_manager_detach_finish(TenderNetworkManager *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * tender_network_manager_release:
 * @self: a #TenderNetworkManager
 * @workload: the workload's name
 * @error: (nullable): a #GError
 *
 * The workload was removed: its address is free again (and network.json written).
 *
 * Returns: %TRUE on success, %FALSE with InvalidState while it is still attached
 */
gboolean
tender_network_manager_release(TenderNetworkManager *self, const gchar *workload, GError **error)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), FALSE);
	if (g_hash_table_contains(self->attachments, workload)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_STATE,
			    "Workload %s is still attached to the private network",
			    workload);
		return FALSE;
	}
	return tender_network_ipam_release(self->ipam, workload, error);
}

/**
 * tender_network_manager_get_address:
 * @self: a #TenderNetworkManager
 * @workload: the workload's name
 *
 * Returns: (transfer none) (nullable): the workload's address, if it has one
 */
const gchar *
tender_network_manager_get_address(TenderNetworkManager *self, const gchar *workload)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), NULL);
	return tender_network_ipam_lookup(self->ipam, workload);
}

/**
 * tender_network_manager_get_bridge:
 * @self: a #TenderNetworkManager
 *
 * Returns: (transfer none): the bridge's name
 */
const gchar *
tender_network_manager_get_bridge(TenderNetworkManager *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), NULL);
	return self->bridge;
}

/**
 * tender_network_manager_get_gateway:
 * @self: a #TenderNetworkManager
 *
 * Returns: (transfer full): the bridge's address, the workloads' default route (and a
 *   server of the host that they can reach)
 */
gchar *
tender_network_manager_get_gateway(TenderNetworkManager *self)
{
	g_return_val_if_fail(TENDER_IS_NETWORK_MANAGER(self), NULL);
	return tender_network_address_to_string(
	    tender_network_subnet_get_gateway(tender_network_ipam_get_subnet(self->ipam)));
}

static void
tender_network_manager_finalize(GObject *object)
{
	TenderNetworkManager *self = TENDER_NETWORK_MANAGER(object);

	g_hash_table_unref(self->attachments);
	g_thread_pool_free(self->pool, FALSE, TRUE);
	g_hash_table_unref(self->published);
	g_clear_object(&self->ipam);
	g_mutex_clear(&self->lock);
	g_free(self->bridge);
	g_free(self->publish_address);
	g_free(self->dnat_address);
	G_OBJECT_CLASS(tender_network_manager_parent_class)->finalize(object);
}

static void
tender_network_manager_class_init(TenderNetworkManagerClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = tender_network_manager_finalize;
}

static void
tender_network_manager_init(TenderNetworkManager *self)
{
	g_mutex_init(&self->lock);
	self->pool = g_thread_pool_new(tender_network_manager_job_run, self, 1, FALSE, NULL);
	self->attachments = g_hash_table_new_full(g_str_hash,
						  g_str_equal,
						  g_free,
						  (GDestroyNotify)tender_network_attachment_free);
	self->published = g_hash_table_new_full(g_str_hash,
						g_str_equal,
						g_free,
						(GDestroyNotify)g_ptr_array_unref);
}
