/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A shared object that is not a tender plugin: it has no tender_plugin_describe.
 */
int
not_a_plugin_answer(void);

int
not_a_plugin_answer(void)
{
	return 42;
}
