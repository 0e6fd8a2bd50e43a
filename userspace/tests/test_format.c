// SPDX-License-Identifier: GPL-2.0
/* Tables and JSON of known input; sorting and filtering. */
#include <errno.h>
#include <stdlib.h>
#include <json.h>
#include <linux/memtally.h>

#include "format.h"
#include "test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Run @call with a memory stream f; @buf gets what it wrote: free() it. */
#define CAPTURE(buf, call) do {						\
	size_t len_;							\
	FILE *f = open_memstream(&(buf), &len_);			\
	CHECK((call) == 0);						\
	fclose(f);							\
} while (0)

static struct mt_hook hooks[] = {
	{ "faults-user", "exceptions:page_fault_user",
	  MEMTALLY_HOOK_STATE_ATTACHED, 0 },
	{ "faults-kernel", "exceptions:page_fault_kernel",
	  MEMTALLY_HOOK_STATE_FAILED, ENOENT },
	{ "oom", "oom:mark_victim", MEMTALLY_HOOK_STATE_UNAVAILABLE, 0 },
};

static const struct mt_status status = {
	.version = "0.1.0",
	.kernel_release = "6.1.0-test",
	.nr_cgroups = 5,
	.unattributed = (1ull << 63) + 5,
	.hooks = hooks,
	.nr_hooks = ARRAY_SIZE(hooks),
};

static void status_text(void)
{
	char *out = NULL;

	CAPTURE(out, mt_status_print(f, &status));
	CHECK_STR(out,
		"version:       0.1.0\n"
		"kernel:        6.1.0-test\n"
		"cgroups:       5\n"
		"unattributed:  9223372036854775813\n"
		"\n"
		"HOOK           TRACEPOINT                    STATE\n"
		"faults-user    exceptions:page_fault_user    attached\n"
		"faults-kernel  exceptions:page_fault_kernel  failed (No such file or directory)\n"
		"oom            oom:mark_victim               unavailable\n");
	free(out);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : NULL;
}

static uint64_t juint(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_uint64(v) : UINT64_MAX - 1;
}

static void status_json(void)
{
	struct json_object *o, *a, *h;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_status_json(&status)));
	CHECK(strchr(out, '\n') == out + strlen(out) - 1);	/* one line */
	o = json_tokener_parse(out);
	CHECK(o && json_object_is_type(o, json_type_object));
	CHECK_STR(jstr(o, "version"), "0.1.0");
	CHECK_STR(jstr(o, "kernel_release"), "6.1.0-test");
	CHECK_U64(juint(o, "nr_cgroups"), 5);
	CHECK_U64(juint(o, "unattributed"), (1ull << 63) + 5);
	CHECK(json_object_object_get_ex(o, "hooks", &a));
	CHECK(json_object_is_type(a, json_type_array));
	CHECK_U64(json_object_array_length(a), 3);
	h = json_object_array_get_idx(a, 0);
	CHECK_STR(jstr(h, "name"), "faults-user");
	CHECK_STR(jstr(h, "tracepoint"), "exceptions:page_fault_user");
	CHECK_STR(jstr(h, "state"), "attached");
	CHECK_U64(juint(h, "errno"), 0);
	h = json_object_array_get_idx(a, 1);
	CHECK_STR(jstr(h, "state"), "failed");
	CHECK_U64(juint(h, "errno"), ENOENT);
	h = json_object_array_get_idx(a, 2);
	CHECK_STR(jstr(h, "state"), "unavailable");
	json_object_put(o);
	free(out);
}

/*
 * The cgroups below give their counters in mt_cgroup_counters[] order:
 * faults-user, then faults-kernel.
 */

static void cgroups_text(void)
{
	const struct mt_cgroup v[] = {
		{ 1, { 1234567, 0 }, "/" },
		{ 4242, { 5, 123456789012 }, "/a/b" },
		{ 77, { 0, 1 }, NULL },
	};
	char *out = NULL;

	CAPTURE(out, mt_cgroups_print(f, v, ARRAY_SIZE(v)));
	CHECK_STR(out,
		"PATH    ID  FAULTS_USER  FAULTS_KERNEL\n"
		"/        1      1234567              0\n"
		"/a/b  4242            5   123456789012\n"
		"?       77            0              1\n");
	free(out);
	CAPTURE(out, mt_cgroups_print(f, v, 0));
	CHECK_STR(out, "PATH  ID  FAULTS_USER  FAULTS_KERNEL\n");
	free(out);
}

static void cgroups_json(void)
{
	const struct mt_cgroup v[] = {
		{ 1, { 10, 20 }, "/" },
		{ 4242, { UINT64_MAX, 3 }, "/a/b" },
		{ 77, { 0, 1 }, NULL },
	};
	struct json_object *a, *o, *path;
	char *out = NULL;

	CAPTURE(out, mt_json_print(f, mt_cgroups_json(v, ARRAY_SIZE(v))));
	CHECK(strstr(out, "\"/a/b\""));		/* slashes unescaped */
	a = json_tokener_parse(out);
	CHECK(a && json_object_is_type(a, json_type_array));
	CHECK_U64(json_object_array_length(a), 3);
	o = json_object_array_get_idx(a, 0);
	CHECK_STR(jstr(o, "path"), "/");
	CHECK_U64(juint(o, "id"), 1);
	CHECK_U64(juint(o, "faults_user"), 10);
	CHECK_U64(juint(o, "faults_kernel"), 20);
	o = json_object_array_get_idx(a, 1);
	CHECK_STR(jstr(o, "path"), "/a/b");
	CHECK_U64(juint(o, "id"), 4242);
	CHECK_U64(juint(o, "faults_user"), UINT64_MAX);
	o = json_object_array_get_idx(a, 2);
	CHECK(json_object_object_get_ex(o, "path", &path) && path == NULL);
	CHECK_U64(juint(o, "id"), 77);
	json_object_put(a);
	free(out);

	CAPTURE(out, mt_json_print(f, mt_cgroups_json(v, 0)));
	CHECK_STR(out, "[]\n");
	free(out);
}

static const struct mt_cgroup sample[] = {
	{ 10, { 5, 1 }, "/b" },
	{ 3, { 5, 9 }, "/a/x" },
	{ 7, { 100, 0 }, "/a" },
	{ 1, { 0, 0 }, "/" },
	{ 20, { 50, 0 }, NULL },
	{ 8, { 0, 9 }, "/a-b" },
};

static void check_ids(const struct mt_cgroup *v, size_t n,
		      const uint64_t *ids, size_t nids)
{
	size_t i;

	CHECK_U64(n, nids);
	for (i = 0; i < n && i < nids; i++)
		CHECK_U64(v[i].id, ids[i]);
}

static void sort_keys(void)
{
	static const struct {
		const char *key;
		uint64_t ids[ARRAY_SIZE(sample)];
	} cases[] = {
		{ "path",          { 1, 7, 3, 8, 10, 20 } },
		{ "id",            { 1, 3, 7, 8, 10, 20 } },
		{ "faults-user",   { 7, 20, 3, 10, 1, 8 } },
		{ "faults-kernel", { 3, 8, 10, 1, 7, 20 } },
	};
	struct mt_cgroup v[ARRAY_SIZE(sample)];
	unsigned int key;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(v, sample, sizeof(v));
		CHECK(mt_sort_parse(cases[i].key, &key) == 0);
		mt_cgroups_sort(v, ARRAY_SIZE(v), key);
		check_ids(v, ARRAY_SIZE(v), cases[i].ids, ARRAY_SIZE(v));
	}
	CHECK(mt_sort_parse("faults", &key) == -EINVAL);
	CHECK(mt_sort_parse("", &key) == -EINVAL);
}

static void filter_prefix(void)
{
	static const struct {
		const char *prefix;
		uint64_t ids[ARRAY_SIZE(sample)];
		size_t n;
	} cases[] = {
		{ "/a",   { 3, 7 }, 2 },
		{ "/a/",  { 3, 7 }, 2 },
		{ "/a/x", { 3 }, 1 },
		{ "/",    { 10, 3, 7, 1, 8 }, 5 },
		{ "/zz",  { 0 }, 0 },
	};
	struct mt_cgroup v[ARRAY_SIZE(sample)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(v, sample, sizeof(v));
		check_ids(v, mt_cgroups_filter(v, ARRAY_SIZE(v),
					       cases[i].prefix),
			  cases[i].ids, cases[i].n);
	}
}

void test_format(void)
{
	RUN(status_text);
	RUN(status_json);
	RUN(cgroups_text);
	RUN(cgroups_json);
	RUN(sort_keys);
	RUN(filter_prefix);
}
