/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TENDER_AUTHORITY_ACTION_READ   "org.tender.workloads.read"
#define TENDER_AUTHORITY_ACTION_MANAGE "org.tender.workloads.manage"
/* ExecWorkload: a command in a running workload, as its user */
#define TENDER_AUTHORITY_ACTION_EXEC "org.tender.workloads.exec"

/* the image store: the "method" detail of Properties.Get/GetAll of an image is "Image.Get";
 * "image" is the image's name */
#define TENDER_AUTHORITY_ACTION_IMAGES_READ   "org.tender.images.read"
#define TENDER_AUTHORITY_ACTION_IMAGES_MANAGE "org.tender.images.manage"

/* adapter instances: the "method" detail of their calls is "Adapter.METHOD" */
#define TENDER_AUTHORITY_ACTION_ADAPTERS_READ	"org.tender.adapters.read"
#define TENDER_AUTHORITY_ACTION_ADAPTERS_MANAGE "org.tender.adapters.manage"

/**
 * TenderAuthoritySubject:
 *
 * Who asks: a D-Bus caller (its unique bus name), a local process (an HTTP client on the
 * unix socket, from SO_PEERCRED), or a user known only by uid (an HTTP client on TCP, from
 * its bearer token).
 */
typedef struct _TenderAuthoritySubject TenderAuthoritySubject;

TenderAuthoritySubject *
tender_authority_subject_new_bus_name(const gchar *bus_name);
TenderAuthoritySubject *
tender_authority_subject_new_process(GPid pid, guint32 uid);
TenderAuthoritySubject *
tender_authority_subject_new_uid(guint32 uid);
void
tender_authority_subject_free(TenderAuthoritySubject *subject);
gchar *
tender_authority_subject_to_string(const TenderAuthoritySubject *subject);
void
tender_authority_subject_set_uid(TenderAuthoritySubject *subject, guint32 uid);
TenderAuthoritySubject *
tender_authority_subject_copy(const TenderAuthoritySubject *subject);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(TenderAuthoritySubject, tender_authority_subject_free)

#define TENDER_TYPE_AUTHORITY (tender_authority_get_type())
G_DECLARE_FINAL_TYPE(TenderAuthority, tender_authority, TENDER, AUTHORITY, GObject)

TenderAuthority *
tender_authority_new(GDBusConnection *bus, GDBusConnection *polkit_bus);
void
tender_authority_check_async(TenderAuthority *self,
			     const TenderAuthoritySubject *subject,
			     const gchar *action_id,
			     GHashTable *details,
			     gboolean allow_interaction,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
gboolean
tender_authority_check_finish(TenderAuthority *self, GAsyncResult *res, GError **error);
guint32
tender_authority_check_get_uid(TenderAuthority *self, GAsyncResult *res);

G_END_DECLS
