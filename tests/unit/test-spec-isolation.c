/*
 * Copyright 2026 The tender authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <sys/resource.h>

#include "tender-error.h"
#include "tender-spec.h"

/* the isolation keys of a spec: their kinds, their JSON, what each level allows, defaults */

static TenderSpec *
parse(const gchar *text, GError **error)
{
	g_autoptr(GVariant) v = g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
	g_assert_nonnull(v);
	return tender_spec_new_from_variant(v, error);
}

static void
assert_invalid(const gchar *text, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = parse(text, &error);

	g_assert_null(spec);
	g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
	if (strstr(error->message, needle) == NULL)
		g_error("'%s' does not mention '%s'", error->message, needle);
}

/* every key of @expected is in @value, with the same value */
static void
assert_has_all(GVariant *value, GVariant *expected)
{
	GVariantIter iter;
	const gchar *key;
	GVariant *child;

	g_variant_iter_init(&iter, expected);
	while (g_variant_iter_next(&iter, "{&sv}", &key, &child)) {
		g_autoptr(GVariant) owned = child;
		g_autoptr(GVariant) found = g_variant_lookup_value(value, key, NULL);
		g_autofree gchar *text = g_variant_print(owned, TRUE);
		g_test_message("%s: %s", key, text);
		g_assert_nonnull(found);
		g_assert_true(g_variant_equal(found, owned));
	}
}

static void
test_full(void)
{
	const gchar *text =
	    "{'argv': <['sh']>, 'isolation': <'strict'>, 'image': <'busybox-1.35'>,"
	    " 'volumes': <[('/srv/data', '/data', true), ('/srv/logs', '/var/log/app', false)]>,"
	    " 'network': <'private'>, 'ports': <[(uint16 8080, uint16 80, 'tcp'),"
	    " (uint16 5353, uint16 53, 'udp')]>, 'hostname': <'web.example'>,"
	    " 'rlimits': <{'nofile': uint64 1024, 'core': uint64 0}>,"
	    " 'read_only_rootfs': <false>, 'init': <true>}";
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = parse(text, &error);
	g_autoptr(GVariant) back = NULL;
	g_autoptr(GVariant) expected =
	    g_variant_parse(G_VARIANT_TYPE_VARDICT, text, NULL, NULL, NULL);
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(TenderSpec) again = NULL;
	g_autofree gchar *json_text = NULL;
	TenderSpecVolume *volume;
	TenderSpecPort *port;
	TenderSpecRlimit *rlimit;

	g_assert_no_error(error);
	g_assert_cmpuint(spec->isolation, ==, TENDER_ISOLATION_STRICT);
	g_assert_cmpstr(spec->image, ==, "busybox-1.35");
	g_assert_cmpuint(spec->volumes->len, ==, 2);
	volume = g_ptr_array_index(spec->volumes, 0);
	g_assert_cmpstr(volume->source, ==, "/srv/data");
	g_assert_cmpstr(volume->destination, ==, "/data");
	g_assert_true(volume->read_only);
	g_assert_cmpuint(tender_spec_get_network(spec), ==, TENDER_NETWORK_PRIVATE);
	g_assert_cmpuint(spec->ports->len, ==, 2);
	port = &g_array_index(spec->ports, TenderSpecPort, 1);
	g_assert_cmpuint(port->host_port, ==, 5353);
	g_assert_cmpuint(port->container_port, ==, 53);
	g_assert_true(port->udp);
	g_assert_cmpstr(tender_spec_get_hostname(spec, "web"), ==, "web.example");
	g_assert_cmpuint(spec->rlimits->len, ==, 2);
	rlimit = &g_array_index(spec->rlimits, TenderSpecRlimit, 0);
	g_assert_cmpint(rlimit->resource, ==, RLIMIT_NOFILE);
	g_assert_cmpuint(rlimit->value, ==, 1024);
	/* given, a level's default is overridden */
	g_assert_false(tender_spec_get_read_only_rootfs(spec));
	g_assert_true(tender_spec_get_init(spec));

	/* the a{sv} back: every key as given (and the defaults of the others) */
	back = g_variant_ref_sink(tender_spec_to_variant(spec));
	assert_has_all(back, expected);

	/* JSON: tuples as objects with named members, rlimits an object, booleans */
	json = tender_spec_to_json(spec);
	json_text = json_to_string(json, FALSE);
	g_assert_nonnull(strstr(json_text,
				"\"volumes\":[{\"source\":\"/srv/data\",\"destination\":\"/data\","
				"\"read_only\":true},"));
	g_assert_nonnull(strstr(json_text,
				"\"ports\":[{\"host_port\":8080,\"container_port\":80,"
				"\"protocol\":\"tcp\"},"));
	g_assert_nonnull(strstr(json_text, "\"rlimits\":{\"nofile\":1024,\"core\":0}"));
	g_assert_nonnull(strstr(json_text, "\"read_only_rootfs\":false,\"init\":true"));
	again = tender_spec_new_from_json(json, &error);
	g_assert_no_error(error);
	{
		g_autoptr(GVariant) v = g_variant_ref_sink(tender_spec_to_variant(again));
		assert_has_all(v, expected);
	}
}

static void
test_defaults(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) minimal = parse("{'argv': <['true']>}", &error);
	g_autoptr(TenderSpec) standard =
	    parse("{'argv': <['true']>, 'isolation': <'standard'>}", &error);
	g_autoptr(TenderSpec) strict =
	    parse("{'argv': <['true']>, 'isolation': <'strict'>}", &error);
	g_autoptr(GVariant) back = NULL;

	g_assert_no_error(error);
	/* minimal: today's behaviour, and the a{sv} of such a spec is the same as before */
	g_assert_cmpuint(minimal->isolation, ==, TENDER_ISOLATION_MINIMAL);
	g_assert_cmpuint(tender_spec_get_network(minimal), ==, TENDER_NETWORK_HOST);
	g_assert_false(tender_spec_get_init(minimal));
	g_assert_false(tender_spec_get_read_only_rootfs(minimal));
	back = g_variant_ref_sink(tender_spec_to_variant(minimal));
	g_assert_null(g_variant_lookup_value(back, "isolation", NULL));
	g_assert_null(g_variant_lookup_value(back, "network", NULL));
	g_assert_null(g_variant_lookup_value(back, "init", NULL));
	/* standard: host network, writable root, init */
	g_assert_cmpuint(tender_spec_get_network(standard), ==, TENDER_NETWORK_HOST);
	g_assert_false(tender_spec_get_read_only_rootfs(standard));
	g_assert_true(tender_spec_get_init(standard));
	g_assert_cmpstr(tender_spec_get_hostname(standard, "web"), ==, "web");
	/* strict: no network, read-only root */
	g_assert_cmpuint(tender_spec_get_network(strict), ==, TENDER_NETWORK_NONE);
	g_assert_true(tender_spec_get_read_only_rootfs(strict));
	g_assert_true(tender_spec_get_init(strict));
}

static void
test_rlimits(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec = parse("{'argv': <['true']>, 'rlimits': <{'nproc': uint64 "
					   "9223372036854775807, 'cpu': uint64 60}>}",
					   &error);

	g_assert_no_error(error);
	/* JSON's largest number and above is unlimited; rlimits need no namespaces */
	g_assert_cmpuint(g_array_index(spec->rlimits, TenderSpecRlimit, 0).value, ==, G_MAXUINT64);
	g_assert_cmpint(tender_spec_rlimit_from_name("memlock"), ==, RLIMIT_MEMLOCK);
	g_assert_cmpint(tender_spec_rlimit_from_name("files"), ==, -1);
	g_assert_cmpstr(tender_spec_rlimit_to_name(RLIMIT_AS), ==, "as");
}

static void
test_invalid(void)
{
	/* the kinds */
	assert_invalid("{'argv': <['sh']>, 'isolation': <'paranoid'>}", "'isolation'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'image': <'Busybox'>}",
		       "is not an image name");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'image': <'../x'>}",
		       "is not an image name");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'rootfs': <'srv/root'>}",
		       "'rootfs' must be an absolute path");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>,"
		       " 'volumes': <[('data', '/data', false)]>}",
		       "the source 'data': it must be an absolute path");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>,"
		       " 'volumes': <[('/srv', '/data/../etc', false)]>}",
		       "must not have '..'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>,"
		       " 'volumes': <[('/srv', '/', false)]>}",
		       "mounts '/srv' on /");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>,"
		       " 'volumes': <[('/a', '/data', false), ('/b', '/data', true)]>}",
		       "two volumes on '/data'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'network': <'private'>,"
		       " 'ports': <[(uint16 0, uint16 80, 'tcp')]>}",
		       "the port 0");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'network': <'private'>,"
		       " 'ports': <[(uint16 80, uint16 80, 'sctp')]>}",
		       "'sctp'; it must be tcp or udp");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'network': <'private'>,"
		       " 'ports': <[(uint16 80, uint16 80, 'tcp'), (uint16 80, uint16 81, "
		       "'tcp')]>}",
		       "the host port 80/tcp twice");
	assert_invalid("{'argv': <['sh']>, 'rlimits': <{'files': uint64 1}>}",
		       "unknown rlimit 'files'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'hostname': <'-web'>}",
		       "is not a host name");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'hostname': <'a b'>}",
		       "is not a host name");
	assert_invalid("{'argv': <['sh']>, 'init': <'yes'>}", "'init' must be of type 'b'");
	/* keys that contradict each other */
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'image': <'a'>,"
		       " 'rootfs': <'/srv/root'>}",
		       "'image' and 'rootfs' cannot both be given");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>,"
		       " 'ports': <[(uint16 80, uint16 80, 'tcp')]>}",
		       "'ports' needs network 'private'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'standard'>, 'network': <'none'>,"
		       " 'ports': <[(uint16 80, uint16 80, 'tcp')]>}",
		       "'ports' needs network 'private'");
	/* what needs namespaces, at minimal */
	assert_invalid("{'argv': <['sh']>, 'image': <'busybox'>}",
		       "'image' needs isolation 'standard' or 'strict'");
	assert_invalid("{'argv': <['sh']>, 'isolation': <'minimal'>, 'rootfs': <'/srv'>}",
		       "'rootfs' needs isolation");
	assert_invalid("{'argv': <['sh']>, 'volumes': <[('/a', '/b', false)]>}",
		       "'volumes' needs isolation");
	assert_invalid("{'argv': <['sh']>, 'network': <'none'>}", "'network' needs isolation");
	assert_invalid("{'argv': <['sh']>, 'hostname': <'web'>}", "'hostname' needs isolation");
	assert_invalid("{'argv': <['sh']>, 'read_only_rootfs': <true>}",
		       "'read_only_rootfs' needs isolation");
	assert_invalid("{'argv': <['sh']>, 'init': <true>}", "'init' needs isolation");
}

static void
test_json_invalid(void)
{
	const gchar *cases[][2] = {
	    {"{\"argv\": [\"sh\"], \"isolation\": \"standard\", \"volumes\": [\"/a:/b\"]}",
	     "must be an array of objects"},
	    {"{\"argv\": [\"sh\"], \"isolation\": \"standard\", \"volumes\": [{\"source\": "
	     "\"/a\"}]}",
	     "needs \"destination\": a string"},
	    {"{\"argv\": [\"sh\"], \"isolation\": \"standard\", \"volumes\": [{\"source\": \"/a\","
	     " \"destination\": \"/b\", \"mode\": \"ro\"}]}",
	     "an unknown member"},
	    {"{\"argv\": [\"sh\"], \"isolation\": \"standard\", \"network\": \"private\", "
	     "\"ports\":"
	     " [{\"host_port\": 70000, \"container_port\": 80, \"protocol\": \"tcp\"}]}",
	     "a port number"},
	    {"{\"argv\": [\"sh\"], \"rlimits\": {\"nofile\": -1}}", "must map names to numbers"},
	    {"{\"argv\": [\"sh\"], \"init\": 1}", "'init' has the wrong JSON type"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node = json_from_string(cases[i][0], NULL);
		g_autoptr(TenderSpec) spec = tender_spec_new_from_json(node, &error);
		g_assert_null(spec);
		g_assert_error(error, TENDER_ERROR, TENDER_ERROR_INVALID_ARGUMENT);
		if (strstr(error->message, cases[i][1]) == NULL)
			g_error("'%s' does not mention '%s'", error->message, cases[i][1]);
	}
	/* a volume's read_only may be left out: false */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) node =
		    json_from_string("{\"argv\": [\"sh\"], \"isolation\": \"standard\", "
				     "\"volumes\":"
				     " [{\"source\": \"/a\", \"destination\": \"/b\"}]}",
				     NULL);
		g_autoptr(TenderSpec) spec = tender_spec_new_from_json(node, &error);
		g_assert_no_error(error);
		g_assert_false(
		    ((TenderSpecVolume *)g_ptr_array_index(spec->volumes, 0))->read_only);
	}
}

/* with an image, argv may be left out (its Entrypoint and Cmd run): through the a{sv}, its
 * round trip, and JSON; without one it is still required */
static void
test_image_argv(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TenderSpec) spec =
	    parse("{'isolation': <'standard'>, 'image': <'busybox'>}", &error);
	g_autoptr(GVariant) value = NULL;
	g_autoptr(TenderSpec) again = NULL;
	g_autoptr(JsonNode) json = NULL;
	g_autoptr(TenderSpec) from_json = NULL;

	g_assert_no_error(error);
	g_assert_null(spec->argv);
	value = g_variant_ref_sink(tender_spec_to_variant(spec));
	g_assert_false(g_variant_lookup(value, "argv", "^a&s", NULL));
	again = tender_spec_new_from_variant(value, &error);
	g_assert_no_error(error);
	g_assert_null(again->argv);
	json = json_from_string("{\"isolation\": \"strict\", \"image\": \"busybox\"}", NULL);
	from_json = tender_spec_new_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_null(from_json->argv);
	g_assert_cmpstr(from_json->image, ==, "busybox");

	/* an argv given is checked as ever */
	assert_invalid("{'isolation': <'standard'>, 'image': <'busybox'>, 'argv': <@as []>}",
		       "'argv' must name a command");
	/* without an image, as before */
	assert_invalid("{'isolation': <'standard'>}", "Spec key 'argv' is required");
	assert_invalid("{'isolation': <'standard'>, 'rootfs': <'/srv/root'>}",
		       "Spec key 'argv' is required");
	/* an image at minimal is refused for that */
	assert_invalid("{'image': <'busybox'>}", "'image' needs isolation 'standard' or 'strict'");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/spec-isolation/full", test_full);
	g_test_add_func("/spec-isolation/defaults", test_defaults);
	g_test_add_func("/spec-isolation/rlimits", test_rlimits);
	g_test_add_func("/spec-isolation/invalid", test_invalid);
	g_test_add_func("/spec-isolation/json-invalid", test_json_invalid);
	g_test_add_func("/spec-isolation/image-argv", test_image_argv);
	return g_test_run();
}
