// SPDX-License-Identifier: GPL-2.0
/* memtally wss: the DAMON working set of the cgroups over time. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <json.h>

#include "cgpath.h"
#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "damonview.h"
#include "damonfs.h"
#include "format.h"
#include "ksm.h"
#include "lrugen.h"
#include "nl.h"
#include "sysfs.h"

static const char wss_usage[] =
"Usage: memtally wss [-s damon|lru_gen] [-c PATH | -b] [-w DUR [-a]] [-j]\n"
"\n"
"Show the working set of the cgroups, from one of two sources.\n"
"\n"
"damon: the bound DAMON context (see memtally damon start): the bytes of\n"
"the cgroups in regions with at least one access in an aggregation\n"
"interval.  One line per kept sample, oldest first: how long ago its\n"
"aggregation ended, the working set (1 MB = 10^6 bytes), and CHANGE/S, the\n"
"working set's growth since the sample before, per second.\n"
"CHANGE/S is no access rate: the samples hold sizes only, not how often\n"
"the bytes were accessed (see memtally hotcold for that).  Then the\n"
"distribution of the samples, as damo report wss prints it: percentile P\n"
"is the sample at rank P * N / 100 of the N samples sorted (the largest for\n"
"100).  Without --cgroup, the samples of one aggregation are summed over\n"
"every cgroup.  Samples that did not all fit in the kernel's reply\n"
"(possible only if DAMON was rebound with a larger ring while they were\n"
"read) are the newest ones, marked truncated: a note line, * after SAMPLES\n"
"with -b, \"truncated\": true in JSON.\n"
"\n"
"lru_gen: the generations of the multi-generational LRU (MGLRU), as\n"
"/sys/kernel/debug/lru_gen lists them per memory cgroup (root and debugfs\n"
"needed; no module needed).  A page joins the youngest generation when it\n"
"is faulted in or found accessed, and aging (by reclaim) starts a new one,\n"
"so the pages of generations no older than DUR were all seen accessed\n"
"within DUR: that is the working set, per cgroup, largest first, split\n"
"into anonymous and file pages, next to all the pages on the cgroup's LRU\n"
"lists.  YOUNGEST is the age of the youngest generation: a working set\n"
"over a window shorter than that is 0 (nothing aged since).\n"
"\n"
"Without --source: damon where a DAMON context is bound, else lru_gen\n"
"where MGLRU is on.  MGLRU off (Debian 6.1 boots so) is said, with how to\n"
"turn it on; memtally never does: it changes how reclaim picks its pages.\n"
"\n"
"Options:\n"
"  -s, --source SRC   damon or lru_gen\n"
"  -c, --cgroup PATH  only the cgroup PATH (relative to the cgroup2 mount)\n"
"  -b, --by-cgroup    damon: one line per cgroup, largest working set first:\n"
"                     the last sample, the median (P50) and the largest\n"
"                     (P100) (lru_gen always shows a line per cgroup)\n"
"  -w, --window DUR   lru_gen: the window (default 2m; 500ms, 30s, 5m, 1h)\n"
"  -a, --age          lru_gen: age the cgroups shown (a new generation,\n"
"                     after a walk of their page tables for accessed pages)\n"
"                     at the start, the middle and the end of the window,\n"
"                     waiting it out: the working set is then the pages\n"
"                     seen accessed since the start, however old the\n"
"                     kernel's own generations\n"
"  -j, --json         print one JSON object (damon with -b: an array)\n"
"  -h, --help         show this help\n";

static const char *const wss_sources[] = { "damon", "lru_gen", NULL };

static const char *source_name(unsigned int k)
{
	return k < MT_WSS_NR_SOURCES ? wss_sources[k] : NULL;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int wss_parse(int argc, char **argv, struct wss_opts *o)
{
	static const struct option longopts[] = {
		{ "source",    required_argument, NULL, 's' },
		{ "cgroup",    required_argument, NULL, 'c' },
		{ "by-cgroup", no_argument,       NULL, 'b' },
		{ "window",    required_argument, NULL, 'w' },
		{ "age",       no_argument,       NULL, 'a' },
		{ "json",      no_argument,       NULL, 'j' },
		{ "help",      no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int k;
	uint64_t us;
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	o->window_ms = 120000;
	while ((c = getopt_long(argc, argv, ":s:c:bw:ajh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (mt_name_arg("wss", "source", optarg, source_name, &k))
				return MT_EXIT_USAGE;
			o->source = k;
			o->has_source = true;
			break;
		case 'w':
			if (mt_parse_dur(optarg, &us) || us < 1000)
				return mt_usage_err("wss: bad window '%s' (a duration of 1ms or more: 500ms, 30s, 5m, 1h)",
						    optarg);
			o->window_ms = us / 1000;
			o->has_window = true;
			break;
		case 'a':
			o->age = true;
			break;
		case 'c':
			o->cgroup = optarg;
			break;
		case 'b':
			o->by_cgroup = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("wss", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("wss: unexpected argument '%s'", argv[optind]);
	if (o->cgroup && o->by_cgroup)
		return mt_usage_err("wss: --cgroup and --by-cgroup exclude each other");
	if (o->cgroup && o->cgroup[0] != '/')
		return mt_usage_err("wss: a cgroup path starts with / (the cgroup2 mount)");
	if ((o->has_window || o->age) && o->has_source &&
	    o->source != MT_WSS_LRU_GEN)
		return mt_usage_err("wss: --window and --age are for --source lru_gen (DAMON's samples have their own intervals)");
	if (o->age && o->window_ms > 86400000)
		return mt_usage_err("wss: --age waits the whole window: a day at most");
	return 0;
}

struct wss_row {
	const char *path;
	uint64_t id;
	size_t nr;
	uint64_t last;
	uint64_t pct[MT_WSS_PERCENTILES];
	bool truncated;
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct wss_row *a = pa, *b = pb;

	if (a->last != b->last)
		return a->last < b->last ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

#define BY_CGROUP_COLS	6

static int by_cgroup_show(const struct wss_opts *o, const char *root,
			  const struct mt_wss_list *l)
{
	static const bool right[BY_CGROUP_COLS] = { false, true, true, true,
						    true, true };
	static const char *const head[BY_CGROUP_COLS] = { "PATH", "ID",
		"SAMPLES", "WSS", "P50", "P100" };
	struct wss_row *r = calloc(l->nr + 1, sizeof(*r));
	struct json_object *a = NULL, *j;
	struct mt_tab t = { 0 };
	struct mt_cgmap map;
	size_t i, n = 0;
	int err = -ENOMEM;
	bool cut = false;

	if (!r)
		goto out;
	err = mt_cgmap_load(&map, root);
	if (err) {
		mt_err("%s: %s", root, strerror(-err));
		err = -1;	/* reported */
		goto out;
	}
	for (i = 0; i < l->nr && !err; i++) {
		if (!l->v[i].nr)
			continue;
		r[n].path = mt_cgmap_path(&map, l->v[i].id);
		r[n].id = l->v[i].id;
		r[n].nr = l->v[i].nr;
		r[n].last = l->v[i].v[l->v[i].nr - 1].bytes;
		r[n].truncated = l->v[i].truncated;
		err = mt_wss_percentiles(l->v[i].v, l->v[i].nr, r[n++].pct);
	}
	if (err)
		goto unmap;
	qsort(r, n, sizeof(*r), row_cmp);
	if (o->json ? !(a = json_object_new_array_ext(n)) :
	    mt_tab_init(&t, BY_CGROUP_COLS, n, head)) {
		err = -ENOMEM;
		goto unmap;
	}
	for (i = 0; i < n; i++) {
		if (a) {
			j = json_object_new_object();
			json_object_object_add(j, "path", r[i].path ?
				json_object_new_string(r[i].path) : NULL);
			mt_json_put_u64(j, "id", r[i].id);
			mt_json_put_u64(j, "samples", r[i].nr);
			if (r[i].truncated)
				json_object_object_add(j, "truncated",
					json_object_new_boolean(true));
			mt_json_put_u64(j, "wss", r[i].last);
			json_object_object_add(j, "percentiles",
					       mt_wss_pct_json(r[i].pct));
			json_object_array_add(a, j);
			continue;
		}
		cut |= r[i].truncated;
		mt_tab_str(&t, i, 0, r[i].path ? r[i].path : "?");
		mt_tab_u64(&t, i, 1, r[i].id);
		mt_tab_num(&t, i, 2, "%zu%s", r[i].nr,
			   r[i].truncated ? "*" : "");
		mt_tab_bytes(&t, i, 3, r[i].last);
		mt_tab_bytes(&t, i, 4, r[i].pct[2]);
		mt_tab_bytes(&t, i, 5, r[i].pct[4]);
	}
	if (a)
		err = mt_json_print(stdout, a);
	else
		mt_tab_print(stdout, &t, right, "");
	if (!a && cut)
		fputs("* truncated: only the newest samples fitted in the kernel's reply\n",
		      stdout);
unmap:
	mt_cgmap_free(&map);
out:
	if (err == -ENOMEM)
		mt_err("out of memory");
	free(r);
	return err ? -1 : 0;
}

static int samples_show(const struct wss_opts *o, const struct mt_wss_list *l)
{
	struct json_object *j;
	struct mt_wss_sample *v;
	size_t i, n = 0;
	bool cut = false;
	int err;

	for (i = 0; i < l->nr; i++) {
		n += l->v[i].nr;
		cut |= l->v[i].truncated;
	}
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v) {
		mt_err("out of memory");
		return -1;
	}
	n = mt_wss_merge(l, v);
	if (o->json) {
		j = mt_wss_json(o->cgroup, v, n, mt_now_ns(CLOCK_BOOTTIME));
		if (j && cut)
			json_object_object_add(j, "truncated",
					       json_object_new_boolean(true));
		err = mt_json_print(stdout, j);
	} else {
		err = mt_wss_print(stdout, v, n, mt_now_ns(CLOCK_BOOTTIME));
		if (!err && cut)
			fputs("note: truncated: only the newest samples fitted in the kernel's reply\n",
			      stdout);
	}
	if (err == -EIO)
		mt_err("write error: %s", strerror(errno));
	else if (err)
		mt_err("out of memory");
	free(v);
	return err ? -1 : 0;
}

/* $MEMTALLY_MGLRU_DIR and $MEMTALLY_LRU_GEN, if set, stand for these */
static const char *mglru_dir(void)
{
	const char *env = getenv("MEMTALLY_MGLRU_DIR");

	return env ? env : "/sys/kernel/mm/lru_gen";
}

static const char *lru_gen_file(void)
{
	const char *env = getenv("MEMTALLY_LRU_GEN");

	return env ? env : "/sys/kernel/debug/lru_gen";
}

/*
 * 1: MGLRU on (*@capsp: the bits of its enabled file); 0: off or not built
 * (@why says which); -1: unreadable
 */
static int mglru_on(char *why, size_t len, unsigned long *capsp)
{
	char buf[64], *end = buf;
	unsigned long long caps = 0;
	int err = mt_sysfs_read(mglru_dir(), "enabled", buf, sizeof(buf));

	if (err == -ENOENT) {
		snprintf(why, len, "MGLRU is not built into this kernel (CONFIG_LRU_GEN)");
		return 0;
	}
	if (!err)	/* "0x0007": the capabilities on, in hex */
		caps = strtoull(buf, &end, 16);
	if (err || end == buf || end[strspn(end, "\n")]) {
		snprintf(why, len, "%s/enabled: %s", mglru_dir(),
			 err ? strerror(-err) : "not a number");
		return -1;
	}
	*capsp = caps;
	if (caps & 1)
		return 1;
	snprintf(why, len, "MGLRU is built but off (turn it on with: echo y > %s/enabled; it changes how reclaim picks pages: by generation, not the active and inactive lists)",
		 mglru_dir());
	return 0;
}

/* Whether the running kernel is older than @major.@minor */
static bool kernel_before(int major, int minor)
{
	struct utsname u;
	int a, b;

	if (uname(&u) || sscanf(u.release, "%d.%d", &a, &b) != 2)
		return false;
	return a < major || (a == major && b < minor);
}

/* The whole of @path, NUL-terminated, or NULL with errno set */
static char *read_all(const char *path)
{
	size_t len = 0, cap = 1 << 20;
	char *buf = malloc(cap), *p;
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f || !buf)
		goto fail;
	/* one big read: each read() of lru_gen walks every memcg again */
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 < cap)
			continue;
		p = realloc(buf, cap *= 2);
		if (!p)
			goto fail;
		buf = p;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	buf[len] = '\0';
	return buf;
fail:
	n = errno;
	if (f)
		fclose(f);
	free(buf);
	errno = n ? (int)n : ENOMEM;
	return NULL;
}

struct lrugen_row {
	const char *path;
	uint64_t id;		/* the cgroup's id; 0: its directory is gone */
	struct mt_lrugen_sum s;
	uint64_t wss, lru;	/* pages */
};

static int lrugen_cmp(const void *pa, const void *pb)
{
	const struct lrugen_row *a = pa, *b = pb;

	if (a->wss != b->wss)
		return a->wss < b->wss ? 1 : -1;
	return strcmp(a->path, b->path);
}

/* Return: 0 or -1 after reporting the error */
static int lrugen_show(const struct wss_opts *o, struct lrugen_row *r,
		       size_t n)
{
	static const char *const head[] = { "PATH", "ID", "YOUNGEST", "WSS",
		"ANON", "FILE", "LRU" };
	static const bool right[] = { false, true, true, true, true, true,
				      true };
	uint64_t page = sysconf(_SC_PAGESIZE);
	struct json_object *j, *a, *c;
	struct mt_tab t = { 0 };
	char win[32];
	size_t i;

	if (o->json) {
		j = json_object_new_object();
		json_object_object_add(j, "source",
				       json_object_new_string("lru_gen"));
		mt_json_put_u64(j, "window_ms", o->window_ms);
		json_object_object_add(j, "aged",
				       json_object_new_boolean(o->age));
		a = json_object_new_array_ext(n);
		for (i = 0; i < n; i++) {
			c = json_object_new_object();
			json_object_object_add(c, "path",
					       json_object_new_string(r[i].path));
			json_object_object_add(c, "id", r[i].id ?
				json_object_new_int64(r[i].id) : NULL);
			mt_json_put_u64(c, "youngest_ms", r[i].s.youngest_ms);
			mt_json_put_u64(c, "wss", r[i].wss * page);
			mt_json_put_u64(c, "wss_anon",
					r[i].s.wss[MT_LRUGEN_ANON] * page);
			mt_json_put_u64(c, "wss_file",
					r[i].s.wss[MT_LRUGEN_FILE] * page);
			mt_json_put_u64(c, "lru", r[i].lru * page);
			json_object_array_add(a, c);
		}
		json_object_object_add(j, "cgroups", a);
		if (mt_json_print(stdout, j)) {
			mt_err("out of memory");
			return -1;
		}
		return 0;
	}
	if (mt_tab_init(&t, 7, n, head)) {
		mt_err("out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		mt_tab_str(&t, i, 0, r[i].path);
		if (r[i].id)
			mt_tab_u64(&t, i, 1, r[i].id);
		else
			mt_tab_str(&t, i, 1, "-");
		mt_duration(mt_tab_buf(&t, i, 2), MT_TAB_CHARS,
			    r[i].s.youngest_ms * 1000000);
		mt_tab_bytes(&t, i, 3, r[i].wss * page);
		mt_tab_bytes(&t, i, 4, r[i].s.wss[MT_LRUGEN_ANON] * page);
		mt_tab_bytes(&t, i, 5, r[i].s.wss[MT_LRUGEN_FILE] * page);
		mt_tab_bytes(&t, i, 6, r[i].lru * page);
	}
	mt_duration(win, sizeof(win), o->window_ms * 1000000);
	if (o->age)
		printf("MGLRU working set: pages seen accessed in the last %s, aged by memtally at its start, middle and end (%s)\n",
		       win, lru_gen_file());
	else
		printf("MGLRU working set: pages seen accessed within %s (%s)\n",
		       win, lru_gen_file());
	mt_tab_print(stdout, &t, right, "");
	return 0;
}

/* lru_gen, parsed into @l.  Return: 0 or -1 after reporting the error. */
static int lrugen_read(struct mt_lrugen *l)
{
	size_t line = 0;
	char *text;
	int err;

	text = read_all(lru_gen_file());
	if (!text) {
		if (errno == ENOENT)
			mt_err("%s: no such file: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)",
			       lru_gen_file());
		else
			mt_err("%s: %s%s", lru_gen_file(), strerror(errno),
			       errno == EACCES || errno == EPERM ?
			       " (root only)" : "");
		return -1;
	}
	err = mt_lrugen_parse(text, l, &line);
	free(text);
	if (err == -EINVAL)
		mt_err("%s: line %zu is not of the format this memtally knows",
		       lru_gen_file(), line);
	else if (err)
		mt_err("out of memory");
	return err ? -1 : 0;
}

/* Whether @m is one of the cgroups shown (@canon: --cgroup's, or NULL) */
static bool lrugen_shown(const struct mt_lrugen_memcg *m, const char *canon)
{
	return !canon || !strcmp(m->path, canon);
}

/*
 * Age the memcgs shown, each node: a new youngest generation, after the
 * page tables were walked for accessed pages.  A memcg gone meanwhile
 * (EINVAL) is passed over.  Return: 0 or -1 after reporting the error.
 */
static int lrugen_age(const struct mt_lrugen *l, const char *canon)
{
	char cmd[128];
	size_t i, k;
	int fd, n, err = 0;

	fd = open(lru_gen_file(), O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		mt_err("%s: %s (aging needs root)", lru_gen_file(),
		       strerror(errno));
		return -1;
	}
	for (i = 0; i < l->nr && !err; i++) {
		/* 6.x: a dying memcg has id 0, and cannot be aged */
		if (!lrugen_shown(&l->v[i], canon) ||
		    (l->memcg_ids && !l->v[i].id))
			continue;
		for (k = 0; k < l->v[i].nr && !err; k++) {
			n = mt_lrugen_age_cmd(&l->v[i], k, cmd, sizeof(cmd));
			if (n > 0 && write(fd, cmd, n) != n && errno != EINVAL) {
				mt_err("%s: aging %s: %s", lru_gen_file(),
				       l->v[i].path, strerror(errno));
				err = -1;
			}
		}
	}
	close(fd);
	return err;
}

/*
 * --age: age at the start, halfway through the window and at its end; the
 * working set is then the pages of the generations born since the start,
 * three at most, which no aging folds into older ones.  Into @l: the last
 * read, and into *@sincep (allocated) each memcg's pages since the start,
 * in @l's order.  Return: 0 or -1 after reporting the error.
 */
static int lrugen_aged(const struct wss_opts *o, const char *canon,
		       struct mt_lrugen *l,
		       uint64_t (**sincep)[MT_LRUGEN_TYPES])
{
	uint64_t (*since)[MT_LRUGEN_TYPES] = NULL;
	struct timespec half = {
		.tv_sec = o->window_ms / 2000,
		.tv_nsec = (long)(o->window_ms % 2000) * 500000,
	};
	const struct mt_lrugen_memcg *m;
	struct mt_lrugen first = { 0 }, mid = { 0 };
	bool folded = false;
	int err, i;
	size_t k;

	err = lrugen_read(&first) || lrugen_age(&first, canon);
	for (i = 0; i < 2 && !err; i++) {
		nanosleep(&half, NULL);
		err = lrugen_read(&mid) || lrugen_age(&mid, canon);
		mt_lrugen_free(&mid);
	}
	if (!err)
		err = lrugen_read(l);
	if (!err) {
		since = calloc(l->nr + 1, sizeof(*since));
		if (!since) {
			mt_err("out of memory");
			err = -1;
		}
	}
	*sincep = since;
	for (k = 0; !err && k < l->nr; k++) {
		m = mt_lrugen_find(&first, l->v[k].path, l->v[k].id);
		if (m && (!l->memcg_ids || m->id) &&
		    !mt_lrugen_since(m, &l->v[k], since[k]) &&
		    lrugen_shown(m, canon))
			folded = true;
	}
	if (folded)
		fprintf(stderr, "memtally: warning: the kernel aged too meanwhile (reclaim): a generation older than the window was folded into one of the window's, whose pages it now counts\n");
	mt_lrugen_free(&first);
	return err ? -1 : 0;
}

/* The lru_gen source.  Return: 0 or -1 after reporting the error. */
static int lrugen_wss(const struct wss_opts *o, const char *root)
{
	uint64_t (*since)[MT_LRUGEN_TYPES] = NULL;
	struct lrugen_row *r = NULL;
	char why[256], canon[PATH_MAX];
	struct mt_lrugen l = { 0 };
	struct mt_lrugen_sum all;
	unsigned long caps;
	size_t i, n = 0;
	int err, t;

	err = mglru_on(why, sizeof(why), &caps);
	if (err <= 0) {
		mt_err("%s", why);
		return -1;
	}
	/* without the walk, aging finds no accessed page (6.3 and later) */
	if (o->age && !(caps & 2)) {
		mt_err("--age needs MGLRU's page table walk, which is off (bit 0x0002 of %s/enabled; turn it on with: echo y > %s/enabled)",
		       mglru_dir(), mglru_dir());
		return -1;
	}
	/*
	 * Before 6.3, a walk may skip the page tables under a middle-level
	 * entry whose accessed bit the last walk cleared (bit 0x0004), even
	 * when asked to scan all (6.12 guards that skip with force_scan; for
	 * 6.1 inferred from its guests); the CPU sets it again only when it
	 * walks the tables anew, not while its TLB holds the translations
	 */
	if (o->age && (caps & 4) && kernel_before(6, 3))
		fprintf(stderr, "memtally: warning: Linux before 6.3 with MGLRU's bit 0x0004 on (%s/enabled): pages the CPU keeps translated in its TLB may look idle; echo 3 > %s/enabled counts them\n",
			mglru_dir(), mglru_dir());
	if (o->cgroup && mt_cli_cgroup_canon(root, o->cgroup, canon,
					     sizeof(canon)))
		return -1;
	if (o->age) {
		err = lrugen_aged(o, o->cgroup ? canon : NULL, &l, &since);
	} else {
		err = lrugen_read(&l);
	}
	r = err ? NULL : calloc(l.nr + 1, sizeof(*r));
	if (!err && !r)
		mt_err("out of memory");
	for (i = 0; r && i < l.nr; i++) {
		if (!lrugen_shown(&l.v[i], o->cgroup ? canon : NULL))
			continue;
		mt_lrugen_sum(&l.v[i], o->window_ms, o->window_ms, UINT64_MAX,
			      &all);
		if (since)	/* the pages seen accessed since the start */
			for (t = 0; t < MT_LRUGEN_TYPES; t++)
				all.wss[t] = since[i][t];
		r[n].path = l.v[i].path;
		r[n].s = all;
		for (t = 0; t < MT_LRUGEN_TYPES; t++) {
			r[n].wss += all.wss[t];
			r[n].lru += all.lru[t];
		}
		/*
		 * 6.x's memcg ids are no cgroup ids: by path, but a dying memcg
		 * (id 0) may share its path with a new cgroup; 7.x's are
		 */
		if (!l.memcg_ids)
			r[n].id = l.v[i].id;
		else if (!l.v[i].id || mt_cgpath_id(root, l.v[i].path,
						    &r[n].id))
			r[n].id = 0;
		n++;
	}
	if (r && o->cgroup && !n) {
		mt_err("no cgroup %s in %s (MGLRU lists the cgroups with memory accounting)",
		       o->cgroup, lru_gen_file());
		err = -1;
	} else if (r) {
		qsort(r, n, sizeof(*r), lrugen_cmp);
		err = lrugen_show(o, r, n);
	}
	free(r);
	free(since);
	mt_lrugen_free(&l);
	return err || !r ? -1 : 0;
}

/* Without --source: damon if a context is bound, else lru_gen if on */
static unsigned int wss_source(void)
{
	struct mt_damon_info info;
	unsigned long caps;
	bool bound = false;
	char why[256];
	struct mt_nl nl;

	if (mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME) == 0) {
		if (mt_nl_damon_get(&nl, &info) == 0) {
			bound = info.b.bound;
			mt_damon_info_free(&info);
		}
		mt_nl_close(&nl);
	}
	if (!bound && mglru_on(why, sizeof(why), &caps) == 1)
		return MT_WSS_LRU_GEN;
	return MT_WSS_DAMON;
}

int cmd_wss(int argc, char **argv, bool json)
{
	struct wss_opts o = { .json = json };
	struct mt_wss_list l = { 0 };
	struct mt_damon_info info;
	char root[PATH_MAX], why[256];
	unsigned long caps;
	struct mt_nl nl;
	uint64_t id = 0;
	int err;

	if (wss_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(wss_usage, stdout);
		return MT_EXIT_OK;
	}
	if (!o.has_source)
		o.source = wss_source();
	if (o.source == MT_WSS_LRU_GEN) {
		if (mt_cli_cgroot(root, sizeof(root)))
			return MT_EXIT_RUNTIME;
		return lrugen_wss(&o, root) ? MT_EXIT_RUNTIME : MT_EXIT_OK;
	}
	if (o.has_window || o.age)
		return mt_usage_err("wss: --window and --age are for --source lru_gen (DAMON's samples have their own intervals)");
	/* no DAMON: say what of MGLRU, the other source, in the same line */
	if (!o.has_source && access(mt_damon_dir(), F_OK) && errno == ENOENT &&
	    mglru_on(why, sizeof(why), &caps) == 0) {
		mt_err("DAMON is not built into this kernel (CONFIG_DAMON), and %s",
		       why);
		return MT_EXIT_RUNTIME;
	}
	if (mt_cli_cgroot(root, sizeof(root)) ||
	    (o.cgroup && mt_cli_cgroup_id(root, o.cgroup, &id)) ||
	    mt_nl_open(&nl))
		return MT_EXIT_RUNTIME;
	err = mt_cli_damon(&nl, &info, true);
	if (!err) {
		mt_damon_info_free(&info);
		err = mt_nl_damon_wss(&nl, o.cgroup ? &id : NULL, &l);
		if (err == -ENOENT && o.cgroup)
			mt_err("no cgroup %s tracked by memtally", o.cgroup);
		else if (err)
			mt_nl_report(&nl, "reading the working set samples",
				     err);
	}
	if (!err)
		err = o.by_cgroup ? by_cgroup_show(&o, root, &l) :
				    samples_show(&o, &l);
	mt_wss_list_free(&l);
	mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
