/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* an option a Manager method takes in its a{sv} of options */
typedef struct {
	const gchar *key;
	const gchar *type; /* "u", "b" or "s" */
} TenderOptionInfo;

const gchar *
tender_options_get_type(const gchar *method, const gchar *key);
GVariant *
tender_options_from_text(const gchar *method,
			 GHashTable *values,
			 const gchar *const *ignored,
			 GError **error);

G_END_DECLS
