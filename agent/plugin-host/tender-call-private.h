/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-call.h"

G_BEGIN_DECLS

/*
 * The core's side of TenderCall: the front-end that made the call gets the outcome, once,
 * through a TenderCallReplyFunc.
 */

/**
 * TenderCallReplyFunc:
 * @value: (nullable): the out-args tuple, checked against the out-signature, on success
 * @error: (nullable): a #TENDER_ERROR, on failure
 * @user_data: the front-end's, for it to free
 *
 * Called exactly once per call.
 */
typedef void (*TenderCallReplyFunc)(GVariant *value, const GError *error, gpointer user_data);

TenderCall *
tender_call_new(const gchar *plugin_name,
		const TenderCaller *caller,
		const gchar *subpath,
		const gchar *method,
		GVariant *parameters,
		const GVariantType *out_type,
		TenderCallReplyFunc func,
		gpointer user_data);

G_END_DECLS
