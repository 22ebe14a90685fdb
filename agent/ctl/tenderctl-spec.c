/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the options of create and run that make the spec of a workload, and the spec a{sv} of
 * CreateWorkload they make: one flag for each key of the spec key table (tender-spec-keys.c),
 * named, described and parsed from its row there */

#include "config.h"

#include <string.h>

#include "tender-error.h"
#include "tender-spec-keys.h"
#include "tender-spec-types.h"
#include "tender-units.h"
#include "tenderctl-spec.h"

/* one flag: the key it sets, and what it was given, before it is checked */
typedef struct {
	const TenderSpecKey *key;
	const TenderSpecKey *parent; /* health, for the keys of health */
	const gchar *name;	     /* "memory" for --memory */
	const gchar *arg;	     /* its placeholder in --help */
	const gchar *help;
	const gchar *what; /* how a message names a bad value */
	gchar *value;
	gchar **values; /* a flag that can be repeated */
	gboolean on;	/* a boolean key: --NAME */
	gboolean off;	/* and --no-NAME */
} TenderCtlSpecFlag;

struct _TenderCtlSpec {
	GArray *flags;	       /* of TenderCtlSpecFlag, in the order of the table; it does not
				* grow once made, as GOption keeps the address of each value */
	GStringChunk *strings; /* the names, placeholders and help of the flags */
};

/* by the unit of a key: the placeholder of its value in --help (else by its kind), and what
 * --help adds to its doc */
static const struct {
	const gchar *placeholder;
	const gchar *example;
} tender_ctl_spec_units[] = {
    [TENDER_SPEC_UNIT_BYTES] = {"SIZE", ", e.g. 512M or 2G"},
    [TENDER_SPEC_UNIT_BYTES_PER_SECOND] = {"SIZE", ", e.g. 10M"},
    [TENDER_SPEC_UNIT_PERCENT] = {"PERCENT", ", e.g. 50% or 200%"},
    [TENDER_SPEC_UNIT_COUNT] = {"N", NULL},
    [TENDER_SPEC_UNIT_MILLISECONDS] = {"DURATION", NULL},
    [TENDER_SPEC_UNIT_SECONDS] = {"DURATION", ", whole seconds"},
};
static const gchar *const tender_ctl_spec_kind_placeholders[] = {
    [TENDER_SPEC_KEY_KIND_PATH] = "PATH",
    [TENDER_SPEC_KEY_KIND_IDENTITY] = "ID",
    [TENDER_SPEC_KEY_KIND_NAME] = "NAME",
    [TENDER_SPEC_KEY_KIND_URL] = "URL",
    [TENDER_SPEC_KEY_KIND_COMMAND] = "CMD",
    [TENDER_SPEC_KEY_KIND_COMMANDS] = "CMD",
    [TENDER_SPEC_KEY_KIND_ENV] = "KEY=VALUE",
    [TENDER_SPEC_KEY_KIND_LABELS] = "KEY=VALUE",
    [TENDER_SPEC_KEY_KIND_CAPABILITIES] = "CAPABILITY",
    [TENDER_SPEC_KEY_KIND_EXTENSION] = "NAME=TEXT",
};

static void
tender_ctl_spec_flag_clear(gpointer data)
{
	TenderCtlSpecFlag *flag = data;
	g_free(flag->value);
	g_strfreev(flag->values);
}

/* a flag that can be given more than once: each time adds to the list */
static gboolean
tender_ctl_spec_kind_is_list(TenderSpecKeyKind kind)
{
	return kind == TENDER_SPEC_KEY_KIND_ENV || kind == TENDER_SPEC_KEY_KIND_LABELS ||
	       kind == TENDER_SPEC_KEY_KIND_CAPABILITIES || kind == TENDER_SPEC_KEY_KIND_COMMANDS ||
	       kind == TENDER_SPEC_KEY_KIND_EXTENSION || kind == TENDER_SPEC_KEY_KIND_VOLUMES ||
	       kind == TENDER_SPEC_KEY_KIND_PORTS || kind == TENDER_SPEC_KEY_KIND_RLIMITS;
}

/* values are taken as bytes, as GOption would refuse UTF-8 in the C locale, and checked
 * later; names of users, groups and capabilities as text */
static GOptionArg
tender_ctl_spec_flag_arg_type(const TenderSpecKey *key)
{
	switch (key->kind) {
	case TENDER_SPEC_KEY_KIND_IDENTITY:
		return G_OPTION_ARG_STRING;
	case TENDER_SPEC_KEY_KIND_CAPABILITIES:
	case TENDER_SPEC_KEY_KIND_COMMANDS:
		return G_OPTION_ARG_STRING_ARRAY;
	default:
		return tender_ctl_spec_kind_is_list(key->kind) ? G_OPTION_ARG_FILENAME_ARRAY
							       : G_OPTION_ARG_FILENAME;
	}
}

/* "memory_max" as "memory-max", "retries" of health as "health-retries" */
static gchar *
tender_ctl_spec_flag_name(const TenderSpecKey *key,
			  const TenderSpecKey *parent,
			  const gchar *sep,
			  gchar from,
			  gchar to)
{
	g_autofree gchar *name = NULL;

	name =
	    parent != NULL ? g_strconcat(parent->name, sep, key->name, NULL) : g_strdup(key->name);
	g_strdelimit(name, (const gchar[]){from, '\0'}, to);
	return g_steal_pointer(&name);
}

/* the placeholder of a value in --help: an enum's choices, else by unit or kind */
static gchar *
tender_ctl_spec_flag_placeholder(const TenderSpecKey *key)
{
	const gchar *placeholder = NULL;

	if (key->cli_arg != NULL)
		return g_strdup(key->cli_arg);
	if (key->choices != NULL)
		return g_strjoinv("|", (gchar **)key->choices);
	if (key->unit < G_N_ELEMENTS(tender_ctl_spec_units))
		placeholder = tender_ctl_spec_units[key->unit].placeholder;
	if (placeholder == NULL && key->kind < G_N_ELEMENTS(tender_ctl_spec_kind_placeholders))
		placeholder = tender_ctl_spec_kind_placeholders[key->kind];
	return g_strdup(placeholder != NULL ? placeholder : "TEXT");
}

/* the value of a key that is not given, as a flag would give it; %NULL if none is told */
static gchar *
tender_ctl_spec_flag_default(const TenderSpecKey *key)
{
	if (key->default_text != NULL)
		return g_strdup(key->default_text);
	if (key->flags & TENDER_SPEC_KEY_FLAG_OPTIONAL)
		return NULL;
	if (key->kind == TENDER_SPEC_KEY_KIND_ENUM)
		return g_strdup(key->choices[key->default_number]);
	if (key->kind != TENDER_SPEC_KEY_KIND_UINT32 && key->kind != TENDER_SPEC_KEY_KIND_UINT64)
		return NULL;
	if (key->unit == TENDER_SPEC_UNIT_SECONDS)
		return g_strdup_printf("%" G_GUINT64_FORMAT "s", key->default_number);
	if (key->unit == TENDER_SPEC_UNIT_MILLISECONDS)
		return g_strdup_printf("%" G_GUINT64_FORMAT "ms", key->default_number);
	return g_strdup_printf("%" G_GUINT64_FORMAT, key->default_number);
}

/* the line of --help: the key's doc, an example of its unit, its default */
static gchar *
tender_ctl_spec_flag_help(const TenderSpecKey *key, const TenderSpecKey *parent)
{
	GString *help = g_string_new(NULL);
	g_autofree gchar *fallback = tender_ctl_spec_flag_default(key);

	if (parent != NULL) {
		g_string_append_printf(help,
				       "%c%s: %c%s",
				       g_ascii_toupper(parent->name[0]),
				       parent->name + 1,
				       g_ascii_tolower(key->doc[0]),
				       key->doc + 1);
	} else {
		g_string_append(help, key->doc);
	}
	if (key->unit < G_N_ELEMENTS(tender_ctl_spec_units) &&
	    tender_ctl_spec_units[key->unit].example != NULL)
		g_string_append(help, tender_ctl_spec_units[key->unit].example);
	if (key->kind == TENDER_SPEC_KEY_KIND_COMMAND || key->kind == TENDER_SPEC_KEY_KIND_COMMANDS)
		g_string_append(help, "; CMD runs as sh -c CMD");
	if (fallback != NULL)
		g_string_append_printf(help, ", default %s", fallback);
	if (tender_ctl_spec_kind_is_list(key->kind))
		g_string_append(help, " (repeatable)");
	return g_string_free(help, FALSE);
}

static void
tender_ctl_spec_add_flag(TenderCtlSpec *self, const TenderSpecKey *key, const TenderSpecKey *parent)
{
	TenderCtlSpecFlag flag = {.key = key, .parent = parent};
	g_autofree gchar *name = NULL;
	g_autofree gchar *arg = tender_ctl_spec_flag_placeholder(key);
	g_autofree gchar *help = tender_ctl_spec_flag_help(key, parent);
	g_autofree gchar *what = NULL;

	if (g_strcmp0(key->cli, "") == 0)
		return;
	name = key->cli != NULL ? g_strdup(key->cli)
				: tender_ctl_spec_flag_name(key, parent, "-", '_', '-');
	if (key->cli_what != NULL)
		what = g_strdup(key->cli_what);
	else if (key->unit == TENDER_SPEC_UNIT_COUNT)
		what = g_strdup_printf("number of %s", key->unit_name);
	else
		what = tender_ctl_spec_flag_name(key, parent, " ", '_', ' ');
	flag.name = g_string_chunk_insert(self->strings, name);
	flag.arg = g_string_chunk_insert(self->strings, arg);
	flag.help = g_string_chunk_insert(self->strings, help);
	flag.what = g_string_chunk_insert(self->strings, what);
	g_array_append_val(self->flags, flag);
}

TenderCtlSpec *
tender_ctl_spec_new(void)
{
	TenderCtlSpec *self = g_new0(TenderCtlSpec, 1);
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;

	self->flags = g_array_new(FALSE, TRUE, sizeof(TenderCtlSpecFlag));
	g_array_set_clear_func(self->flags, tender_ctl_spec_flag_clear);
	self->strings = g_string_chunk_new(1024);
	tender_spec_key_iter_init(&iter, NULL);
	while (tender_spec_key_iter_next(&iter, &key)) {
		TenderSpecKeyIter children = {NULL};
		const TenderSpecKey *child;
		if (key->children == NULL) {
			tender_ctl_spec_add_flag(self, key, NULL);
			continue;
		}
		tender_spec_key_iter_init(&children, key);
		while (tender_spec_key_iter_next(&children, &child))
			tender_ctl_spec_add_flag(self, child, key);
	}
	return self;
}

void
tender_ctl_spec_free(TenderCtlSpec *self)
{
	g_array_unref(self->flags);
	g_string_chunk_free(self->strings);
	g_free(self);
}

/* the options of create and run that make the spec */
void
tender_ctl_spec_add_entries(TenderCtlSpec *self, GOptionContext *context)
{
	/* a boolean key has two flags, --NAME and --no-NAME */
	g_autofree GOptionEntry *entries = g_new0(GOptionEntry, 2 * self->flags->len + 1);
	guint n = 0;

	for (guint i = 0; i < self->flags->len; i++) {
		TenderCtlSpecFlag *flag = &g_array_index(self->flags, TenderCtlSpecFlag, i);
		gboolean is_list = tender_ctl_spec_kind_is_list(flag->key->kind);
		if (flag->key->kind == TENDER_SPEC_KEY_KIND_BOOLEAN) {
			g_autofree gchar *no = g_strdup_printf("no-%s", flag->name);
			g_autofree gchar *no_help = g_strdup_printf("Not --%s", flag->name);
			entries[n++] = (GOptionEntry){
			    .long_name = flag->name,
			    .arg = G_OPTION_ARG_NONE,
			    .arg_data = &flag->on,
			    .description = flag->help,
			};
			entries[n++] = (GOptionEntry){
			    .long_name = g_string_chunk_insert(self->strings, no),
			    .arg = G_OPTION_ARG_NONE,
			    .arg_data = &flag->off,
			    .description = g_string_chunk_insert(self->strings, no_help),
			};
			continue;
		}
		entries[n++] = (GOptionEntry){
		    .long_name = flag->name,
		    .flags = G_OPTION_FLAG_NONE,
		    .arg = tender_ctl_spec_flag_arg_type(flag->key),
		    .arg_data = is_list ? (gpointer)&flag->values : (gpointer)&flag->value,
		    .description = flag->help,
		    .arg_description = flag->arg,
		};
	}
	g_option_context_add_main_entries(context, entries, NULL);
}

static TenderCtlSpecFlag *
tender_ctl_spec_find_flag(TenderCtlSpec *self, const TenderSpecKey *key)
{
	for (guint i = 0; i < self->flags->len; i++) {
		TenderCtlSpecFlag *flag = &g_array_index(self->flags, TenderCtlSpecFlag, i);
		if (flag->key == key)
			return flag;
	}
	return NULL;
}

static gboolean
tender_ctl_spec_flag_is_given(TenderCtlSpecFlag *flag)
{
	return flag->value != NULL || flag->values != NULL || flag->on || flag->off;
}

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

static gboolean
tender_ctl_check_not_empty(const gchar *what, const gchar *text, GError **error)
{
	if (text[0] == '\0') {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '': the value is empty",
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

/* a number as its key's unit writes it; a flag takes milliseconds as a duration (100ms, 2s)
 * and a bandwidth optionally as "10M/s" */
static GVariant *
tender_ctl_spec_parse_number(TenderCtlSpecFlag *flag, GError **error)
{
	const TenderSpecKey *key = flag->key;
	const gchar *text = flag->value;
	g_autoptr(GError) error_local = NULL;
	guint64 msec = 0;
	GVariant *value = NULL;

	if (key->unit == TENDER_SPEC_UNIT_BYTES_PER_SECOND && g_str_has_suffix(text, "/s")) {
		g_autofree gchar *size = g_strndup(text, strlen(text) - 2);
		return tender_spec_key_parse_text(key, size, error);
	}
	if (key->unit == TENDER_SPEC_UNIT_MILLISECONDS) {
		if (!tender_units_parse_duration(text, &msec, error))
			return NULL;
		if (g_strcmp0(key->type, "u") == 0)
			return g_variant_new_uint32((guint32)MIN(msec, G_MAXUINT32));
		return g_variant_new_uint64(msec);
	}
	value = tender_spec_key_parse_text(key, text, &error_local);
	if (value != NULL)
		return value;
	if (key->unit == TENDER_SPEC_UNIT_SECONDS &&
	    tender_units_parse_duration(text, &msec, NULL)) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': it must be whole seconds",
			    flag->what,
			    text);
		return NULL;
	}
	if (key->unit == TENDER_SPEC_UNIT_COUNT || key->unit == TENDER_SPEC_UNIT_NONE) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "Invalid %s '%s': expected a whole number",
			    flag->what,
			    text);
		return NULL;
	}
	g_propagate_error(error, g_steal_pointer(&error_local));
	return NULL;
}

/* --label: the a{ss} of labels, each KEY once */
static GVariant *
tender_ctl_spec_parse_labels(TenderCtlSpecFlag *flag, GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_auto(GVariantBuilder) labels = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));

	for (guint i = 0; flag->values[i] != NULL; i++) {
		const gchar *eq = NULL;
		g_autofree gchar *key = NULL;
		if (!tender_ctl_check_assignment(flag->what, flag->values[i], error))
			return NULL;
		eq = strchr(flag->values[i], '=');
		key = g_strndup(flag->values[i], eq - flag->values[i]);
		if (g_hash_table_contains(seen, key)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "%c%s '%s' is given twice",
				    g_ascii_toupper(flag->what[0]),
				    flag->what + 1,
				    key);
			return NULL;
		}
		g_variant_builder_add(&labels, "{ss}", key, eq + 1);
		g_hash_table_add(seen, g_steal_pointer(&key));
	}
	return g_variant_builder_end(&labels);
}

/* --pre-start and --post-stop: each a shell command, as sh -c CMD */
static GVariant *
tender_ctl_spec_parse_commands(TenderCtlSpecFlag *flag, GError **error)
{
	g_auto(GVariantBuilder) hooks = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("aas"));

	for (guint i = 0; flag->values[i] != NULL; i++) {
		const gchar *hook[] = {"sh", "-c", flag->values[i], NULL};
		if (!tender_ctl_check_not_empty(flag->what, flag->values[i], error))
			return NULL;
		g_variant_builder_add_value(&hooks, g_variant_new_strv(hook, -1));
	}
	return g_variant_builder_end(&hooks);
}

/* @value, the a{sv} of x-NAME, with "image" added; %NULL if it has one already */
static GVariant *
tender_ctl_spec_add_image(const gchar *name, GVariant *value, const gchar *image, GError **error)
{
	g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(value);

	if (g_variant_dict_contains(&dict, "image")) {
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "--image and --x %s with an image cannot be given together",
			    name + strlen(TENDER_SPEC_EXTENSION_PREFIX));
		return NULL;
	}
	g_variant_dict_insert(&dict, "image", "s", image);
	return g_variant_ref_sink(g_variant_dict_end(&dict));
}

/* --x NAME=TEXT: the key x-NAME, an a{sv} in GVariant text; with --runtime NAME (a plugin's)
 * and --image IMAGE, x-NAME has "image" too, made for it if no --x gave it */
static gboolean
tender_ctl_spec_add_extensions(TenderCtlSpecFlag *flag,
			       const gchar *runtime,
			       const gchar *image,
			       GVariantBuilder *spec,
			       GError **error)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gchar *own = NULL;

	if (runtime != NULL && image != NULL)
		own = g_strconcat(TENDER_SPEC_EXTENSION_PREFIX, runtime, NULL);
	for (guint i = 0; flag != NULL && flag->values != NULL && flag->values[i] != NULL; i++) {
		const gchar *eq = NULL;
		g_autofree gchar *name = NULL;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GVariant) value = NULL;
		if (!tender_ctl_check_utf8("--x value", flag->values[i], error))
			return FALSE;
		eq = strchr(flag->values[i], '=');
		if (eq == NULL || eq == flag->values[i]) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid --%s '%s': expected NAME=TEXT",
				    flag->name,
				    flag->values[i]);
			return FALSE;
		}
		name = g_strdup_printf("%s%.*s",
				       flag->key->name,
				       (gint)(eq - flag->values[i]),
				       flag->values[i]);
		if (g_hash_table_contains(seen, name)) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Key '%s' is given twice",
				    name);
			return FALSE;
		}
		value = g_variant_parse(G_VARIANT_TYPE(flag->key->type),
					eq + 1,
					NULL,
					NULL,
					&error_local);
		if (value == NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "Invalid %s '%s': expected GVariant text of type %s: %s",
				    name,
				    eq + 1,
				    flag->key->type,
				    error_local->message);
			return FALSE;
		}
		if (g_strcmp0(name, own) == 0) {
			GVariant *with_image = tender_ctl_spec_add_image(name, value, image, error);
			if (with_image == NULL)
				return FALSE;
			g_variant_unref(value);
			value = with_image;
		}
		g_variant_builder_add(spec, "{sv}", name, value);
		g_hash_table_add(seen, g_steal_pointer(&name));
	}
	if (own != NULL && !g_hash_table_contains(seen, own)) {
		g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT(NULL);
		g_variant_dict_insert(&dict, "image", "s", image);
		g_variant_builder_add(spec, "{sv}", own, g_variant_dict_end(&dict));
	}
	return TRUE;
}

/* the value of one key from its flag, checked as far as tenderctl can */
static GVariant *
tender_ctl_spec_parse_flag(TenderCtlSpecFlag *flag, GError **error)
{
	const TenderSpecKey *key = flag->key;

	switch (key->kind) {
	case TENDER_SPEC_KEY_KIND_UINT64:
	case TENDER_SPEC_KEY_KIND_UINT32:
		return tender_ctl_spec_parse_number(flag, error);
	case TENDER_SPEC_KEY_KIND_PATH: {
		g_autofree gchar *path = NULL;
		if (!tender_ctl_check_not_empty(flag->what, flag->value, error))
			return NULL;
		/* a relative path is taken from the current directory */
		path = g_path_is_absolute(flag->value) ? g_strdup(flag->value)
						       : g_canonicalize_filename(flag->value, NULL);
		if (!tender_ctl_check_utf8(flag->what, path, error))
			return NULL;
		return g_variant_new_string(path);
	}
	case TENDER_SPEC_KEY_KIND_COMMAND: {
		const gchar *argv[] = {"sh", "-c", flag->value, NULL};
		if (!tender_ctl_check_utf8(flag->what, flag->value, error))
			return NULL;
		if (!tender_ctl_check_not_empty(flag->what, flag->value, error))
			return NULL;
		return g_variant_new_strv(argv, -1);
	}
	case TENDER_SPEC_KEY_KIND_ENV:
		for (guint i = 0; flag->values[i] != NULL; i++) {
			if (!tender_ctl_check_assignment(flag->what, flag->values[i], error))
				return NULL;
		}
		return g_variant_new_strv((const gchar *const *)flag->values, -1);
	case TENDER_SPEC_KEY_KIND_CAPABILITIES:
		return g_variant_new_strv((const gchar *const *)flag->values, -1);
	case TENDER_SPEC_KEY_KIND_LABELS:
		return tender_ctl_spec_parse_labels(flag, error);
	case TENDER_SPEC_KEY_KIND_COMMANDS:
		return tender_ctl_spec_parse_commands(flag, error);
	case TENDER_SPEC_KEY_KIND_VOLUMES:
		return tender_ctl_spec_parse_volumes(flag->what, flag->values, error);
	case TENDER_SPEC_KEY_KIND_PORTS:
		return tender_ctl_spec_parse_ports(flag->what, flag->values, error);
	case TENDER_SPEC_KEY_KIND_RLIMITS:
		return tender_ctl_spec_parse_rlimits(flag->what, flag->values, error);
	case TENDER_SPEC_KEY_KIND_BOOLEAN:
		if (flag->on && flag->off) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "--%s and --no-%s cannot be given together",
				    flag->name,
				    flag->name);
			return NULL;
		}
		return g_variant_new_boolean(flag->on);
	case TENDER_SPEC_KEY_KIND_ENUM:
	case TENDER_SPEC_KEY_KIND_TEXT:
	case TENDER_SPEC_KEY_KIND_IDENTITY:
	case TENDER_SPEC_KEY_KIND_NAME:
	case TENDER_SPEC_KEY_KIND_URL:
		/* tenderd judges the rest */
		if (!tender_ctl_check_utf8(flag->what, flag->value, error))
			return NULL;
		return tender_spec_key_parse_text(key, flag->value, error);
	case TENDER_SPEC_KEY_KIND_ARGV:
	case TENDER_SPEC_KEY_KIND_HEALTH:
	case TENDER_SPEC_KEY_KIND_EXTENSION:
	default:
		g_assert_not_reached();
	}
}

/* adds the key of @flag to @spec if the flag is given */
static gboolean
tender_ctl_spec_add_flag_value(TenderCtlSpecFlag *flag, GVariantBuilder *spec, GError **error)
{
	GVariant *value = NULL;

	if (flag == NULL || !tender_ctl_spec_flag_is_given(flag))
		return TRUE;
	value = tender_ctl_spec_parse_flag(flag, error);
	if (value == NULL)
		return FALSE;
	g_variant_builder_add(spec, "{sv}", flag->key->name, value);
	return TRUE;
}

/* a key that is one check of health: a command or a URL */
static gboolean
tender_ctl_spec_is_check(const TenderSpecKey *key)
{
	return key->kind == TENDER_SPEC_KEY_KIND_COMMAND || key->kind == TENDER_SPEC_KEY_KIND_URL;
}

/* the a{sv} of @health from the flags of its keys: one check, and the others only with it */
static gboolean
tender_ctl_spec_add_health(TenderCtlSpec *self,
			   const TenderSpecKey *health,
			   GVariantBuilder *spec,
			   GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func(g_free);
	TenderCtlSpecFlag *check = NULL;
	TenderCtlSpecFlag *other = NULL;

	for (guint i = 0; i < self->flags->len; i++) {
		TenderCtlSpecFlag *flag = &g_array_index(self->flags, TenderCtlSpecFlag, i);
		if (flag->parent != health)
			continue;
		if (tender_ctl_spec_is_check(flag->key))
			g_ptr_array_add(checks, g_strdup_printf("--%s", flag->name));
		if (!tender_ctl_spec_flag_is_given(flag))
			continue;
		if (!tender_ctl_spec_is_check(flag->key)) {
			if (other == NULL)
				other = flag;
			continue;
		}
		if (check != NULL) {
			g_set_error(error,
				    TENDER_ERROR,
				    TENDER_ERROR_INVALID_ARGUMENT,
				    "--%s and --%s cannot be given together",
				    check->name,
				    flag->name);
			return FALSE;
		}
		check = flag;
	}
	if (check == NULL) {
		g_autofree gchar *names = NULL;
		if (other == NULL)
			return TRUE;
		g_ptr_array_add(checks, NULL);
		names = g_strjoinv(" or ", (gchar **)checks->pdata);
		g_set_error(error,
			    TENDER_ERROR,
			    TENDER_ERROR_INVALID_ARGUMENT,
			    "--%s needs a %s check: %s",
			    other->name,
			    health->name,
			    names);
		return FALSE;
	}
	for (guint i = 0; i < self->flags->len; i++) {
		TenderCtlSpecFlag *flag = &g_array_index(self->flags, TenderCtlSpecFlag, i);
		if (flag->parent == health &&
		    !tender_ctl_spec_add_flag_value(flag, &builder, error))
			return FALSE;
	}
	g_variant_builder_add(spec, "{sv}", health->name, g_variant_builder_end(&builder));
	return TRUE;
}

/* the runtime --runtime names if it is a plugin's, not the core's scope: then --image is
 * that runtime's own (x-NAME's "image"), not the image store's */
static const gchar *
tender_ctl_spec_plugin_runtime(TenderCtlSpec *self)
{
	TenderCtlSpecFlag *runtime =
	    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, "runtime"));

	if (runtime == NULL || runtime->value == NULL ||
	    g_strcmp0(runtime->value, TENDER_SPEC_RUNTIME_DEFAULT) == 0)
		return NULL;
	return runtime->value;
}

/* whether a flag given needs namespaces: then --isolation, if not given, is standard */
static gboolean
tender_ctl_spec_needs_namespaces(TenderCtlSpec *self)
{
	const gchar *const keys[] =
	    {"image", "rootfs", "volumes", "hostname", "ports", "read_only_rootfs", "init", NULL};
	TenderCtlSpecFlag *network =
	    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, "network"));

	for (guint i = 0; keys[i] != NULL; i++) {
		TenderCtlSpecFlag *flag =
		    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, keys[i]));
		/* a plugin's runtime's image is its own business */
		if (g_strcmp0(keys[i], "image") == 0 &&
		    tender_ctl_spec_plugin_runtime(self) != NULL)
			continue;
		if (flag != NULL && tender_ctl_spec_flag_is_given(flag) && !flag->off)
			return TRUE;
	}
	return network != NULL && network->value != NULL && g_strcmp0(network->value, "host") != 0;
}

/**
 * tender_ctl_spec_has_image:
 * @self: the flags of create or run
 *
 * Returns: %TRUE if --image was given: then the command may be left out, for the image's
 *	Entrypoint and Cmd (the image store's, or that of a plugin's runtime)
 */
gboolean
tender_ctl_spec_has_image(TenderCtlSpec *self)
{
	TenderCtlSpecFlag *image =
	    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, "image"));
	return image != NULL && tender_ctl_spec_flag_is_given(image);
}

/* the a{sv} of CreateWorkload: the command @argv (left out if empty) and what the flags say,
 * each checked, in the order of the table */
gboolean
tender_ctl_spec_build(TenderCtlSpec *self, gchar **argv, GVariant **spec, GError **error)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE_VARDICT);
	TenderSpecKeyIter iter = {NULL};
	const TenderSpecKey *key;
	TenderCtlSpecFlag *isolation =
	    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, "isolation"));
	TenderCtlSpecFlag *image =
	    tender_ctl_spec_find_flag(self, tender_spec_key_lookup(NULL, "image"));
	const gchar *runtime = tender_ctl_spec_plugin_runtime(self);
	const gchar *runtime_image = NULL;

	if (isolation != NULL && isolation->value == NULL && tender_ctl_spec_needs_namespaces(self))
		isolation->value = g_strdup("standard");
	/* --image with a plugin's --runtime goes into x-NAME */
	if (runtime != NULL && image != NULL && image->value != NULL) {
		if (!tender_ctl_check_utf8(image->what, image->value, error) ||
		    !tender_ctl_check_not_empty(image->what, image->value, error))
			return FALSE;
		runtime_image = image->value;
	}

	tender_spec_key_iter_init(&iter, NULL);
	while (tender_spec_key_iter_next(&iter, &key)) {
		if (key->kind == TENDER_SPEC_KEY_KIND_ARGV) {
			if (argv == NULL || argv[0] == NULL)
				continue;
			g_variant_builder_add(&builder,
					      "{sv}",
					      key->name,
					      g_variant_new_strv((const gchar *const *)argv, -1));
		} else if (key->children != NULL) {
			if (!tender_ctl_spec_add_health(self, key, &builder, error))
				return FALSE;
		} else if (key->kind == TENDER_SPEC_KEY_KIND_EXTENSION) {
			if (!tender_ctl_spec_add_extensions(tender_ctl_spec_find_flag(self, key),
							    runtime,
							    runtime_image,
							    &builder,
							    error))
				return FALSE;
		} else if (runtime_image != NULL && image != NULL && image->key == key) {
			continue;
		} else if (!tender_ctl_spec_add_flag_value(tender_ctl_spec_find_flag(self, key),
							   &builder,
							   error)) {
			return FALSE;
		}
	}
	*spec = g_variant_ref_sink(g_variant_builder_end(&builder));
	return TRUE;
}
