/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TenderSpecUnit:
 * @TENDER_SPEC_UNIT_NONE: not a quantity (a string, a list...)
 * @TENDER_SPEC_UNIT_BYTES: bytes; as text a size such as 512M
 * @TENDER_SPEC_UNIT_BYTES_PER_SECOND: bytes per second; as text a size such as 10M
 * @TENDER_SPEC_UNIT_PERCENT: percent of one CPU; as text 50 or 50%
 * @TENDER_SPEC_UNIT_COUNT: a number of things (tasks, restarts, checks); as text a number
 * @TENDER_SPEC_UNIT_MILLISECONDS: milliseconds; as text a number
 * @TENDER_SPEC_UNIT_SECONDS: seconds; as text a duration such as 90s or 1h, whole seconds
 *
 * What a number of the spec counts, and how it is written as text.
 */
typedef enum {
	TENDER_SPEC_UNIT_NONE,
	TENDER_SPEC_UNIT_BYTES,
	TENDER_SPEC_UNIT_BYTES_PER_SECOND,
	TENDER_SPEC_UNIT_PERCENT,
	TENDER_SPEC_UNIT_COUNT,
	TENDER_SPEC_UNIT_MILLISECONDS,
	TENDER_SPEC_UNIT_SECONDS,
} TenderSpecUnit;

/**
 * TenderSpecKeyKind:
 * @TENDER_SPEC_KEY_KIND_UINT64: a #guint64 in [min, max]
 * @TENDER_SPEC_KEY_KIND_UINT32: a #guint in [min, max]
 * @TENDER_SPEC_KEY_KIND_ENUM: a #guint, the index of the string in @choices
 * @TENDER_SPEC_KEY_KIND_TEXT: a #gchar* of at most max bytes, no control characters
 * @TENDER_SPEC_KEY_KIND_PATH: a #gchar*, an absolute path of at most max bytes
 * @TENDER_SPEC_KEY_KIND_IDENTITY: a #gchar*, a user or group name or a numeric id
 * @TENDER_SPEC_KEY_KIND_NAME: a #gchar*, [a-z][a-z0-9-]{0,31}; %NULL for the default
 * @TENDER_SPEC_KEY_KIND_URL: a #gchar*, an http:// or https:// URL with a host
 * @TENDER_SPEC_KEY_KIND_ARGV: a #gchar**, a command of at most max elements
 * @TENDER_SPEC_KEY_KIND_COMMAND: a #gchar**, a command with its own bound on bytes
 * @TENDER_SPEC_KEY_KIND_ENV: a #gchar** of at most max KEY=VALUE entries
 * @TENDER_SPEC_KEY_KIND_CAPABILITIES: a #gchar** of canonical capability names
 * @TENDER_SPEC_KEY_KIND_COMMANDS: a #GPtrArray of at most max commands (#gchar**)
 * @TENDER_SPEC_KEY_KIND_LABELS: a #GHashTable of at most max string pairs
 * @TENDER_SPEC_KEY_KIND_HEALTH: a #TenderHealthSpec*, its keys in @children
 * @TENDER_SPEC_KEY_KIND_EXTENSION: an x-NAME key: an a{sv} kept as it is given, for the
 *   runtime NAME, in TenderSpec.extensions
 * @TENDER_SPEC_KEY_KIND_BOOLEAN: a #gint, 0 or 1; -1 when not given
 * @TENDER_SPEC_KEY_KIND_VOLUMES: a #GPtrArray of at most max #TenderSpecVolume
 * @TENDER_SPEC_KEY_KIND_PORTS: a #GArray of at most max #TenderSpecPort
 * @TENDER_SPEC_KEY_KIND_RLIMITS: a #GArray of #TenderSpecRlimit, by name
 *
 * How a key is checked, and how it is kept in its structure (at @offset).
 */
typedef enum {
	TENDER_SPEC_KEY_KIND_UINT64,
	TENDER_SPEC_KEY_KIND_UINT32,
	TENDER_SPEC_KEY_KIND_ENUM,
	TENDER_SPEC_KEY_KIND_TEXT,
	TENDER_SPEC_KEY_KIND_PATH,
	TENDER_SPEC_KEY_KIND_IDENTITY,
	TENDER_SPEC_KEY_KIND_NAME,
	TENDER_SPEC_KEY_KIND_URL,
	TENDER_SPEC_KEY_KIND_ARGV,
	TENDER_SPEC_KEY_KIND_COMMAND,
	TENDER_SPEC_KEY_KIND_ENV,
	TENDER_SPEC_KEY_KIND_CAPABILITIES,
	TENDER_SPEC_KEY_KIND_COMMANDS,
	TENDER_SPEC_KEY_KIND_LABELS,
	TENDER_SPEC_KEY_KIND_HEALTH,
	TENDER_SPEC_KEY_KIND_EXTENSION,
	TENDER_SPEC_KEY_KIND_BOOLEAN,
	TENDER_SPEC_KEY_KIND_VOLUMES,
	TENDER_SPEC_KEY_KIND_PORTS,
	TENDER_SPEC_KEY_KIND_RLIMITS,
} TenderSpecKeyKind;

/**
 * TenderSpecKeyFlags:
 * @TENDER_SPEC_KEY_FLAG_NONE: nothing special
 * @TENDER_SPEC_KEY_FLAG_REQUIRED: every spec has it
 * @TENDER_SPEC_KEY_FLAG_OPTIONAL: left out of the a{sv} (and JSON) when not set (0, %NULL
 *   or the default)
 * @TENDER_SPEC_KEY_FLAG_LIMIT: an adapter instance file may set it in [limits]
 * @TENDER_SPEC_KEY_FLAG_PREFIX: the entry stands for every key that begins with its name
 *   (x-NAME)
 * @TENDER_SPEC_KEY_FLAG_IMAGE_GIVES: with %TENDER_SPEC_KEY_FLAG_REQUIRED: a spec with an
 *   image may leave it out, as the image's config gives it (argv: its Entrypoint and Cmd)
 * @TENDER_SPEC_KEY_FLAG_RUNTIME_GIVES: with %TENDER_SPEC_KEY_FLAG_REQUIRED: a spec whose
 *   runtime is a plugin's (not scope) may leave it out; that runtime's check of the spec
 *   says whether it can do without (argv: the docker runtime runs the image's Cmd)
 */
typedef enum {
	TENDER_SPEC_KEY_FLAG_NONE = 0,
	TENDER_SPEC_KEY_FLAG_REQUIRED = 1 << 0,
	TENDER_SPEC_KEY_FLAG_OPTIONAL = 1 << 1,
	TENDER_SPEC_KEY_FLAG_LIMIT = 1 << 2,
	TENDER_SPEC_KEY_FLAG_PREFIX = 1 << 3,
	TENDER_SPEC_KEY_FLAG_IMAGE_GIVES = 1 << 4,
	TENDER_SPEC_KEY_FLAG_RUNTIME_GIVES = 1 << 5,
} TenderSpecKeyFlags;

typedef struct _TenderSpecKey TenderSpecKey;

/**
 * TenderSpecKey:
 * @name: the key, e.g. "memory_max"; "x-" for the x-NAME keys
 * @type: its GVariant type string
 * @kind: how it is checked and kept
 * @flags: #TenderSpecKeyFlags
 * @offset: where it is kept: in #TenderSpec, or in #TenderHealthSpec for the keys of health
 * @min: the smallest value of a number
 * @max: the largest value of a number; the most bytes of a string, elements of a list or
 *   entries of a dictionary; the most serialized bytes of an x-NAME key
 * @unit: what a number counts
 * @unit_name: how messages name the unit: "bytes", "tasks"...; %NULL if not a number
 * @choices: (nullable): the strings of an enum, %NULL-terminated
 * @default_number: the value of a number or enum index that is not given
 * @default_text: (nullable): the value of a string that is not given
 * @children: (nullable): the keys of a dictionary key (health), ending with a %NULL name
 * @doc: one line about it
 * @cli: (nullable): tenderctl's flag for it, when it is not the name with '_' as '-' (for a
 *   key of health: "health-" and its name); "" for none
 * @cli_arg: (nullable): the flag's placeholder in --help, when not the one of its unit or kind
 * @cli_what: (nullable): how tenderctl's messages name a bad value, when not "number of" and
 *   @unit_name (a count) or its name with '_' as ' ' (for a key of health: "health " first)
 * @check: (nullable): a text key's own check of its value, after the kind's
 * @fields: (nullable): the JSON member names of the fields of a key whose elements are
 *   tuples (volumes, ports), in order
 *
 * One key of a workload spec.  This table is the spec: the a{sv} parser and writer, the JSON
 * codec, the [limits] of adapter instance files and tenderctl's flags all follow it.
 */
struct _TenderSpecKey {
	const gchar *name;
	const gchar *type;
	TenderSpecKeyKind kind;
	TenderSpecKeyFlags flags;
	gsize offset;
	guint64 min;
	guint64 max;
	TenderSpecUnit unit;
	const gchar *unit_name;
	const gchar *const *choices;
	guint64 default_number;
	const gchar *default_text;
	const TenderSpecKey *children;
	const gchar *doc;
	const gchar *cli;
	const gchar *cli_arg;
	const gchar *cli_what;
	gboolean (*check)(const gchar *key, const gchar *value, GError **error);
	const gchar *const *fields;
};

/**
 * TenderSpecKeyIter:
 *
 * Walks the keys of a spec, or of one of its dictionary keys, in the order the a{sv} has them.
 */
typedef struct {
	/*< private >*/
	const TenderSpecKey *next;
} TenderSpecKeyIter;

extern const gchar *const tender_spec_restart_names[];
extern const gchar *const tender_spec_health_action_names[];
extern const gchar *const tender_spec_isolation_names[];
extern const gchar *const tender_spec_network_names[];

void
tender_spec_key_iter_init(TenderSpecKeyIter *iter, const TenderSpecKey *parent);
gboolean
tender_spec_key_iter_next(TenderSpecKeyIter *iter, const TenderSpecKey **key);
const TenderSpecKey *
tender_spec_key_lookup(const TenderSpecKey *parent, const gchar *name);
gboolean
tender_spec_key_check_name(const gchar *name);
GVariant *
tender_spec_key_parse_text(const TenderSpecKey *key, const gchar *text, GError **error);
gboolean
tender_spec_check_image_name(const gchar *key, const gchar *value, GError **error);
gboolean
tender_spec_check_hostname(const gchar *key, const gchar *value, GError **error);

G_END_DECLS
