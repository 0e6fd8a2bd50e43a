// SPDX-License-Identifier: GPL-2.0
/*
 * mt_cgroup_counters[] drives the tool: every row is decoded from its
 * attribute, and is a table column (with --all; without, if brief), a JSON
 * key, and a sort key named in the help and in the error line of a bad key.
 */
#include <errno.h>
#include <stdlib.h>
#include <json.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/memtally.h>

#include "cli.h"
#include "format.h"
#include "test.h"

#define NR	MT_NR_CGROUP_COUNTERS

/* Does the line at @s hold the words of @words, separated by blanks? */
static bool line_is(const char *s, const char *const *words, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		s += strspn(s, " ");
		len = strlen(words[i]);
		if (strncmp(s, words[i], len) ||
		    (s[len] != ' ' && s[len] != '\n'))
			return false;
		s += len;
	}
	return *s == '\n';
}

static void counter_table(void)
{
	const char *head[2 + NR] = { "PATH", "ID" };
	const char *row[2 + NR] = { "/", "7" };
	const char *bhead[2 + NR] = { "PATH", "ID" };
	const char *brow[2 + NR] = { "/", "7" };
	char num[NR][32], out[4096], err[4096], *buf = NULL;
	struct mt_cgroup cg, v[3], show = { .id = 7, .path = "/" };
	struct json_object *a, *o;
	struct nl_msg *msg;
	unsigned int key;
	size_t i, j, c, len, nbrief = 2;
	FILE *f;

	for (i = 0; i < NR; i++) {
		const struct mt_counter_col *col = &mt_cgroup_counters[i];

		/*
		 * decoded from its attribute; a reply of an older module
		 * without it is valid, and the counter reads 0
		 */
		msg = nlmsg_alloc();
		nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 7);
		for (j = 0; j < NR; j++)
			if (j != i)
				nla_put_u64(msg, mt_cgroup_counters[j].attr,
					    j + 1);
		CHECK(mt_cgroup_decode(nlmsg_attrdata(nlmsg_hdr(msg), 0),
				       nlmsg_attrlen(nlmsg_hdr(msg), 0),
				       &cg) == 0);
		CHECK_U64(cg.counters[i], 0);
		for (j = 0; j < NR; j++)
			if (j != i)
				CHECK_U64(cg.counters[j], j + 1);
		nla_put_u64(msg, col->attr, (1ull << 40) + i);
		CHECK(mt_cgroup_decode(nlmsg_attrdata(nlmsg_hdr(msg), 0),
				       nlmsg_attrlen(nlmsg_hdr(msg), 0),
				       &cg) == 0);
		CHECK_U64(cg.counters[i], (1ull << 40) + i);
		nlmsg_free(msg);

		/* but not with a malformed one */
		msg = nlmsg_alloc();
		nla_put_u64(msg, MEMTALLY_A_CGROUP_ID, 7);
		nla_put_u16(msg, col->attr, 1);
		CHECK(mt_cgroup_decode(nlmsg_attrdata(nlmsg_hdr(msg), 0),
				       nlmsg_attrlen(nlmsg_hdr(msg), 0),
				       &cg) == -EBADMSG);
		nlmsg_free(msg);

		/* a --sort key: descending by this counter, not by another */
		CHECK(mt_name_arg("test", "sort key", col->sort, mt_sort_name,
				  &key) == 0);
		CHECK_U64(key, MT_SORT_COUNTER + i);
		CHECK_STR(mt_sort_name(key), col->sort);
		for (j = 0; j < 3; j++) {
			v[j] = (struct mt_cgroup){ .id = j, .path = "/" };
			for (c = 0; c < NR; c++)
				v[j].counters[c] = c == i ? j : 2 - j;
		}
		mt_cgroups_sort(v, 3, key);
		CHECK(v[0].id == 2 && v[1].id == 1 && v[2].id == 0);

		/* a table column */
		head[2 + i] = col->header;
		snprintf(num[i], sizeof(num[i]), "%zu", 1000 + i);
		row[2 + i] = num[i];
		show.counters[i] = 1000 + i;
		if (i == MT_CTR_FAULTS_USER || i == MT_CTR_FAULTS_KERNEL ||
		    i == MT_CTR_DIRECT_STALLS || i == MT_CTR_MEMCG_STALLS ||
		    i == MT_CTR_PGSTEAL || i == MT_CTR_OOM_KILLS) {
			bhead[nbrief] = col->header;
			brow[nbrief++] = num[i];
		}

		/* in the help and in the error line of a bad --sort */
		CHECK(tool(out, err, sizeof(out), ARGS("cgroups", "-h")) == 0);
		CHECK(strstr(out, col->sort));
		tool(out, err, sizeof(out), ARGS("cgroups", "--sort", "x"));
		CHECK(strstr(err, col->sort));
	}
	CHECK(mt_sort_name(MT_SORT_COUNTER + NR) == NULL);

	f = open_memstream(&buf, &len);
	CHECK(mt_cgroups_print(f, &show, 1, true) == 0);
	fclose(f);
	CHECK(line_is(buf, head, 2 + NR));
	CHECK(line_is(strchr(buf, '\n') + 1, row, 2 + NR));
	free(buf);

	/* the brief ones, and only those, without --all */
	CHECK_U64(nbrief, 2 + 6);
	f = open_memstream(&buf, &len);
	CHECK(mt_cgroups_print(f, &show, 1, false) == 0);
	fclose(f);
	CHECK(line_is(buf, bhead, nbrief));
	CHECK(line_is(strchr(buf, '\n') + 1, brow, nbrief));
	free(buf);

	/* a JSON key, each its own, and the histograms */
	a = mt_cgroups_json(&show, 1);
	o = json_object_array_get_idx(a, 0);
	/* and the DAMON age histogram */
	CHECK_U64(json_object_object_length(o), 2 + NR + MT_NR_STALL_KINDS + 1);
	for (i = 0; i < NR; i++) {
		struct json_object *n;

		CHECK(json_object_object_get_ex(o, mt_cgroup_counters[i].json,
						&n) &&
		      json_object_get_uint64(n) == 1000 + i);
	}
	json_object_put(a);
}

void test_counters(void)
{
	RUN(counter_table);
}
