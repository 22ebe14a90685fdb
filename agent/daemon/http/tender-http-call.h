/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "tender-http-request.h"
#include "tender-service.h"

G_BEGIN_DECLS

/**
 * TenderHttpCallReplyFunc:
 * @req: the request, resumed, its client still there
 * @value: the plugin's out-args
 *
 * Answers a call that did not stream, in the route's shape.
 */
typedef void (*TenderHttpCallReplyFunc)(TenderHttpRequest *req, GVariant *value);

void
tender_http_call_dispatch(TenderHttpRequest *req,
			  TenderService *service,
			  const gchar *method,
			  GVariant *parameters,
			  TenderHttpCallReplyFunc reply);

G_END_DECLS
