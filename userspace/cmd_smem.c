// SPDX-License-Identifier: GPL-2.0
/*
 * memtally smem: PSS, USS, RSS and swap per process, per user, per cgroup
 * and per mapping, and the system's memory in parts; as tables, JSON or a
 * pie or bar chart (smemchart.c).  Like report, it reads a snapshot, taken
 * now or loaded from a file (--from).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "image.h"
#include "ksm.h"
#include "smemcalc.h"
#include "smemchart.h"
#include "snapfile.h"

static const char smem_usage[] =
"Usage: memtally smem [-b process|user|cgroup|mapping|system] [-s COLUMN]\n"
"                     [-n N] [-t] [-k|-B] [-c PATH] [-u USER] [-P REGEX]\n"
"                     [-M REGEX]\n"
"                     [--from FILE] [--chart pie|bar -o FILE.png|FILE.svg\n"
"                     [--size WxH]] [-j]\n"
"\n"
"Who uses the memory, from each process's /proc/PID/smaps_rollup (and\n"
"smaps for the mappings): USS (its private pages), PSS (private pages plus\n"
"its share of the shared ones), RSS and swap, per process, or summed per\n"
"user, per cgroup or per mapping; or the system's memory (MemTotal of\n"
"/proc/meminfo) in parts that add up to it.  Other users' processes are\n"
"left out unless run as root; a line says how many.\n"
"\n"
"Options:\n"
"  -b, --by VIEW        process (default), user, cgroup, mapping or system\n"
"  -s, --sort COLUMN    pss (default), uss, rss, swap, swappss, count or\n"
"                       name\n"
"  -n, --top N          only the first N rows\n"
"  -t, --totals         a line of totals\n"
"  -k, --human          sizes in a table as 12.3 MB (the default)\n"
"  -B, --bytes          sizes in a table in bytes (the JSON's always are)\n"
"  -c, --cgroup PATH    only processes of cgroup PATH and below it\n"
"  -u, --user USER      only processes of USER (a name or a uid)\n"
"  -P, --process REGEX  only processes whose command line matches\n"
"  -M, --mapping REGEX  only mappings whose name matches (--by mapping)\n"
"      --from FILE      what a snapshot (memtally snapshot -o FILE) saw\n"
"      --chart KIND     draw a pie or bar chart of the view's rows by the\n"
"                       sort column (the top 10 unless -n, the rest as\n"
"                       \"other\") into --output\n"
"  -o, --output FILE    the chart: FILE.png or FILE.svg, replaced at once\n"
"      --size WxH       of the chart, in pixels (default 800x600)\n"
"  -j, --json           print one JSON object\n"
"  -h, --help           show this help\n";

enum { VIEW_PROCESS, VIEW_USER, VIEW_CGROUP, VIEW_MAPPING, VIEW_SYSTEM };
static const char *const views[] = {
	"process", "user", "cgroup", "mapping", "system",
};

/* sort keys past the sizes */
enum { SORT_COUNT = MT_NR_SMEM, SORT_NAME };
static const char *const sorts[] = { "swap", "uss", "pss", "rss", "swappss",
				     "count", "name" };

struct smem_opts {
	bool json, help, totals, live, bytes;
	int view, sort;
	uint64_t top;
	const char *cgroup, *user, *from, *chart, *output;
	regex_t process, mapping;
	bool has_process, has_mapping, has_user;
	uint32_t uid;
	unsigned int width, height;
};

static int pick(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int regex_arg(regex_t *re, const char *s, const char *opt)
{
	char err[128];
	int rc = regcomp(re, s, REG_EXTENDED | REG_NOSUB);

	if (!rc)
		return 0;
	regerror(rc, re, err, sizeof(err));
	return mt_usage_err("smem: %s '%s': %s", opt, s, err);
}

static int user_arg(struct smem_opts *o, const char *s)
{
	struct passwd *pw;
	uint64_t v;

	o->has_user = true;
	if (!mt_parse_u64(s, &v) && v <= UINT32_MAX) {
		o->uid = v;
		return 0;
	}
	pw = getpwnam(s);
	if (!pw)
		return mt_usage_err("smem: --user: no user '%s' here (give a uid)",
				    s);
	o->uid = pw->pw_uid;
	return 0;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
static int smem_parse(int argc, char **argv, struct smem_opts *o)
{
	enum { OPT_FROM = 256, OPT_CHART, OPT_SIZE };
	static const struct option longopts[] = {
		{ "by",      required_argument, NULL, 'b' },
		{ "sort",    required_argument, NULL, 's' },
		{ "top",     required_argument, NULL, 'n' },
		{ "totals",  no_argument,       NULL, 't' },
		{ "human",   no_argument,       NULL, 'k' },
		{ "bytes",   no_argument,       NULL, 'B' },
		{ "cgroup",  required_argument, NULL, 'c' },
		{ "user",    required_argument, NULL, 'u' },
		{ "process", required_argument, NULL, 'P' },
		{ "mapping", required_argument, NULL, 'M' },
		{ "from",    required_argument, NULL, OPT_FROM },
		{ "chart",   required_argument, NULL, OPT_CHART },
		{ "output",  required_argument, NULL, 'o' },
		{ "size",    required_argument, NULL, OPT_SIZE },
		{ "json",    no_argument,       NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->sort = MT_SMEM_PSS;
	o->width = 800;
	o->height = 600;
	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":b:s:n:tkBc:u:P:M:o:jh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			o->view = pick(optarg, views, 5);
			if (o->view < 0)
				return mt_usage_err("smem: --by takes process, user, cgroup, mapping or system, not '%s'",
						    optarg);
			break;
		case 's':
			o->sort = pick(optarg, sorts, 7);
			if (o->sort < 0)
				return mt_usage_err("smem: --sort takes pss, uss, rss, swap, swappss, count or name, not '%s'",
						    optarg);
			break;
		case 'n':
			if (mt_num_arg("smem", "--top", optarg, 1, UINT64_MAX,
				       &o->top))
				return MT_EXIT_USAGE;
			break;
		case 't':
			o->totals = true;
			break;
		case 'k':
			o->bytes = false;
			break;
		case 'B':
			o->bytes = true;
			break;
		case 'c':
			o->cgroup = optarg;
			if (optarg[0] != '/')
				return mt_usage_err("smem: a cgroup path starts with / (the cgroup2 mount), not '%s'",
						    optarg);
			break;
		case 'u':
			if (user_arg(o, optarg))
				return MT_EXIT_USAGE;
			break;
		case 'P':
			if (regex_arg(&o->process, optarg, "--process"))
				return MT_EXIT_USAGE;
			o->has_process = true;
			break;
		case 'M':
			if (regex_arg(&o->mapping, optarg, "--mapping"))
				return MT_EXIT_USAGE;
			o->has_mapping = true;
			break;
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_CHART:
			o->chart = optarg;
			if (strcmp(optarg, "pie") && strcmp(optarg, "bar"))
				return mt_usage_err("smem: --chart takes pie or bar, not '%s'",
						    optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_SIZE:
			if (sscanf(optarg, "%ux%u", &o->width, &o->height) != 2 ||
			    o->width < 200 || o->height < 150 ||
			    o->width > 10000 || o->height > 10000)
				return mt_usage_err("smem: --size takes WxH from 200x150 to 10000x10000, not '%s'",
						    optarg);
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("smem", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("smem: unexpected argument '%s'",
				    argv[optind]);
	if (!o->chart != !o->output)
		return mt_usage_err("smem: --chart and --output go together");
	if (o->output && mt_image_format(o->output) < 0)
		return mt_usage_err("smem: --output names a .png or .svg file, not '%s'",
				    o->output);
	if (o->has_mapping && o->view != VIEW_MAPPING)
		return mt_usage_err("smem: --mapping is for --by mapping");
	return 0;
}

/* Whether process @p passes the filters */
static bool wanted(const struct smem_opts *o, const struct mt_smem_row *p)
{
	size_t len;

	if (o->has_user && p->uid != o->uid)
		return false;
	if (o->has_process && regexec(&o->process, p->name, 0, NULL, 0))
		return false;
	if (!o->cgroup)
		return true;
	len = strlen(o->cgroup);
	while (len > 1 && o->cgroup[len - 1] == '/')
		len--;
	return p->cgroup && !strncmp(p->cgroup, o->cgroup, len) &&
	       (len == 1 || !p->cgroup[len] || p->cgroup[len] == '/');
}

static int sort_key;

static int row_cmp(const void *a, const void *b)
{
	const struct mt_smem_row *x = a, *y = b;

	if (sort_key == SORT_NAME)
		return strcmp(x->name ? x->name : "", y->name ? y->name : "");
	if (sort_key == SORT_COUNT && x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (sort_key < MT_NR_SMEM && x->v[sort_key] != y->v[sort_key])
		return x->v[sort_key] < y->v[sort_key] ? 1 : -1;
	/* ties: by pid, uid, then name, so that output is stable */
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	if (x->uid != y->uid)
		return (x->uid > y->uid) - (x->uid < y->uid);
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* The user's name (live: this host's names) or uid */
static const char *user_name(const struct smem_opts *o, uint32_t uid,
			     char *buf, size_t len)
{
	struct passwd *pw = o->live ? getpwuid(uid) : NULL;

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "%" PRIu32, uid);
	return buf;
}

/* The label of row @r in this view */
static const char *label(const struct smem_opts *o,
			 const struct mt_smem_row *r, char *buf, size_t len)
{
	if (o->view == VIEW_USER)
		return user_name(o, r->uid, buf, len);
	if (o->view == VIEW_PROCESS) {
		snprintf(buf, len, "%d %s", r->pid, r->name);
		return buf;
	}
	return r->name ? r->name : "?";
}

/* The rows of the view, filtered and sorted.  Return: 0 or -errno. */
static int view_rows(const struct smem_opts *o, const struct mt_snap *s,
		     const struct mt_smem *m, struct mt_smem_row **v,
		     size_t *n)
{
	struct mt_smem sel = *m;
	size_t i, k = 0;
	int err = 0;

	/* the processes that pass the filters, then the view of those */
	sel.procs = calloc(m->nr_procs + 1, sizeof(*sel.procs));
	if (!sel.procs)
		return -ENOMEM;
	for (i = 0; i < m->nr_procs; i++)
		if (wanted(o, &m->procs[i]))
			sel.procs[k++] = m->procs[i];
	sel.nr_procs = k;
	*v = NULL;
	*n = 0;
	switch (o->view) {
	case VIEW_PROCESS:
		*v = calloc(k + 1, sizeof(**v));
		if (!*v) {
			err = -ENOMEM;
			break;
		}
		for (i = 0; i < k && !err; i++) {
			(*v)[i] = sel.procs[i];
			(*v)[i].name = strdup(sel.procs[i].name);
			(*v)[i].cgroup = sel.procs[i].cgroup ?
					 strdup(sel.procs[i].cgroup) : NULL;
			*n = i + 1;
			if (!(*v)[i].name)
				err = -ENOMEM;
		}
		break;
	case VIEW_USER:
		err = mt_smem_group(&sel, MT_SMEM_BY_USER, v, n);
		break;
	case VIEW_CGROUP:
		err = mt_smem_group(&sel, MT_SMEM_BY_CGROUP, v, n);
		break;
	case VIEW_MAPPING:
		err = mt_smem_maps(s, &sel, v, n);
		for (i = k = 0; !err && i < *n; i++) {
			if (o->has_mapping &&
			    regexec(&o->mapping, (*v)[i].name, 0, NULL, 0)) {
				free((*v)[i].name);
				continue;
			}
			(*v)[k++] = (*v)[i];
		}
		if (!err)
			*n = k;
		break;
	}
	free(sel.procs);
	if (err)
		return err;
	sort_key = o->sort;
	if (*n)
		qsort(*v, *n, sizeof(**v), row_cmp);
	return 0;
}

static const char *const size_keys[MT_NR_SMEM] = {
	"swap", "uss", "pss", "rss", "swap_pss",
};

/* Size @i of @r: SwapPss is null where a process had no such line */
static void add_size(struct json_object *j, const struct mt_smem_row *r,
		     int i)
{
	if (i == MT_SMEM_SWAPPSS && r->no_swappss)
		json_object_object_add(j, size_keys[i], NULL);
	else
		mt_json_put_u64(j, size_keys[i], r->v[i]);
}

static struct json_object *row_json(const struct smem_opts *o,
				    const struct mt_smem_row *r)
{
	struct json_object *j = json_object_new_object();
	char buf[32];

	switch (o->view) {
	case VIEW_PROCESS:
		mt_json_put_u64(j, "pid", r->pid);
		mt_json_put_u64(j, "uid", r->uid);
		json_object_object_add(j, "cgroup", r->cgroup ?
				       json_object_new_string(r->cgroup) :
				       NULL);
		json_object_object_add(j, "command",
				       json_object_new_string(r->name));
		break;
	case VIEW_USER:
		mt_json_put_u64(j, "uid", r->uid);
		json_object_object_add(j, "user", json_object_new_string(
			user_name(o, r->uid, buf, sizeof(buf))));
		break;
	default:
		json_object_object_add(j, o->view == VIEW_CGROUP ? "cgroup" :
				       "mapping",
				       json_object_new_string(r->name));
		break;
	}
	if (o->view != VIEW_PROCESS)
		mt_json_put_u64(j, "processes", r->count);
	for (int i = 0; i < MT_NR_SMEM; i++)
		add_size(j, r, i);
	return j;
}

static void totals_of(const struct mt_smem_row *v, size_t n,
		      struct mt_smem_row *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		for (int k = 0; k < MT_NR_SMEM; k++)
			t->v[k] += v[i].v[k];
		t->count += v[i].count;
		t->no_swappss += v[i].no_swappss;
	}
}

#define COLS	8

/* @v human-readable (12.3 MB), or in bytes with --bytes */
static void size_text(const struct smem_opts *o, char *buf, size_t len,
		      uint64_t v)
{
	if (o->bytes)
		snprintf(buf, len, "%" PRIu64, v);
	else
		mt_bytes(buf, len, v);
}

/* The table of the view; the totals line with -t */
static int table_print(const struct smem_opts *o, const struct mt_smem_row *v,
		       size_t n)
{
	static const char *const head[][COLS] = {
		[VIEW_PROCESS] = { "PID", "USER", "CGROUP", "COMMAND" },
		[VIEW_USER] = { "USER", "PROCESSES" },
		[VIEW_CGROUP] = { "CGROUP", "PROCESSES" },
		[VIEW_MAPPING] = { "MAPPING", "PROCESSES" },
	};
	int lead = o->view == VIEW_PROCESS ? 4 : 2, ncols = lead + MT_SMEM_COLS;
	size_t rows = n + 1 + (o->totals ? 1 : 0), i;
	char (*num)[COLS][48] = calloc(rows, sizeof(*num));
	const char **cells = calloc(rows * ncols, sizeof(*cells));
	bool right[COLS] = { false };
	struct mt_smem_row t;
	int c;

	if (!num || !cells) {
		free(num);
		free(cells);
		return -ENOMEM;
	}
	for (c = 0; c < lead; c++)
		cells[c] = head[o->view][c];
	for (c = 0; c < MT_SMEM_COLS; c++) {
		static const char *const sz[] = { "SWAP", "USS", "PSS", "RSS" };

		cells[lead + c] = sz[c];
		right[lead + c] = true;
	}
	right[0] = o->view == VIEW_PROCESS;
	right[1] = o->view != VIEW_PROCESS;
	totals_of(v, n, &t);
	for (i = 0; i < n + (o->totals ? 1 : 0); i++) {
		const struct mt_smem_row *r = i < n ? &v[i] : &t;
		const char **row = &cells[(i + 1) * ncols];

		if (i == n) {		/* the totals line */
			row[0] = "total";
			snprintf(num[i][1], 48, "%u", t.count);
			row[1] = o->view == VIEW_PROCESS ? "" : num[i][1];
			for (c = 2; c < lead; c++)
				row[c] = "";
		} else if (o->view == VIEW_PROCESS) {
			snprintf(num[i][0], 48, "%d", r->pid);
			row[0] = num[i][0];
			row[1] = user_name(o, r->uid, num[i][1], 48);
			row[2] = r->cgroup ? r->cgroup : "?";
			/* the whole command line is in the JSON */
			snprintf(num[i][3], 48, "%s", r->name);
			row[3] = num[i][3];
		} else {
			row[0] = o->view == VIEW_USER ?
				 user_name(o, r->uid, num[i][0], 48) :
				 r->name;
			snprintf(num[i][1], 48, "%u", r->count);
			row[1] = num[i][1];
		}
		for (c = 0; c < MT_SMEM_COLS; c++) {
			size_text(o, num[i][lead + c], 48, r->v[c]);
			row[lead + c] = num[i][lead + c];
		}
	}
	mt_table_print(stdout, right, ncols, cells, rows);
	free(num);
	free(cells);
	return 0;
}

static int system_show(const struct smem_opts *o, const struct mt_snap *s,
		       const struct mt_smem *m)
{
	struct mt_smem_sys sys;
	struct json_object *j, *parts;
	char size[32];
	int i, w = o->bytes ? 14 : 10;

	if (mt_smem_system(s, m, &sys)) {
		mt_err("smem: no /proc/meminfo to read");
		return -1;
	}
	if (o->json) {
		j = json_object_new_object();
		parts = json_object_new_object();
		mt_json_put_u64(j, "total", sys.total);
		for (i = 0; i < MT_NR_SYS; i++)
			mt_json_put_u64(parts, mt_sys_names[i], sys.v[i]);
		json_object_object_add(j, "parts", parts);
		mt_json_put_u64(j, "over", sys.over);
		mt_json_put_u64(j, "processes", m->nr_procs);
		mt_json_put_u64(j, "unreadable", m->unreadable);
		return mt_json_print(stdout, j) ? -1 : 0;
	}
	printf("%-8s %*s %7s\n", "AREA", w, "SIZE", "%");
	for (i = 0; i < MT_NR_SYS; i++) {
		size_text(o, size, sizeof(size), sys.v[i]);
		printf("%-8s %*s %6.1f%%\n", mt_sys_names[i], w, size,
		       sys.total ? 100.0 * sys.v[i] / sys.total : 0);
	}
	size_text(o, size, sizeof(size), sys.total);
	printf("%-8s %*s %6.1f%%\n", "total", w, size, 100.0);
	printf("\nuser: the PSS of %zu processes; cache: the page cache they do not map\n",
	       m->nr_procs);
	if (sys.over) {
		size_text(o, size, sizeof(size), sys.over);
		printf("the parts overshoot MemTotal by %s (counters read at different times)\n",
		       size);
	}
	return 0;
}

/* The chart of the rows (system: of its parts) */
static int chart_draw(const struct smem_opts *o, const struct mt_snap *s,
		      const struct mt_smem *m, const struct mt_smem_row *v,
		      size_t n)
{
	size_t max = o->top ? o->top : 10, k, i;
	const char **labels = calloc(max + MT_NR_SYS + 1, sizeof(*labels));
	uint64_t *vals = calloc(max + MT_NR_SYS + 1, sizeof(*vals));
	char (*buf)[96] = calloc(max + 1, sizeof(*buf)), title[128];
	int key = o->sort < MT_NR_SMEM ? o->sort : MT_SMEM_PSS, err = 0;
	struct mt_smem_sys sys;

	if (!labels || !vals || !buf) {
		err = -ENOMEM;
		goto out;
	}
	if (o->view == VIEW_SYSTEM) {
		if (mt_smem_system(s, m, &sys)) {
			mt_err("smem: no /proc/meminfo to read");
			err = -ENOENT;
			goto out;
		}
		for (k = 0; k < MT_NR_SYS; k++) {
			labels[k] = mt_sys_names[k];
			vals[k] = sys.v[k];
		}
		snprintf(title, sizeof(title), "memory by area");
	} else {
		for (k = 0; k < n && k < max; k++) {
			labels[k] = label(o, &v[k], buf[k], sizeof(buf[k]));
			vals[k] = v[k].v[key];
		}
		if (n > k) {
			labels[k] = "other";
			for (i = k; i < n; i++)
				vals[k] += v[i].v[key];
			k++;
		}
		/* "PSS by process" */
		snprintf(title, sizeof(title), "%s by %s", sorts[key],
			 views[o->view]);
		for (i = 0; title[i] != ' '; i++)
			title[i] = toupper((unsigned char)title[i]);
	}
	err = mt_smem_chart(o->output, !strcmp(o->chart, "pie"), title,
			    labels, vals, k, o->width, o->height);
	if (err == -EINVAL)
		mt_err("%s: not a .png or .svg file", o->output);
	else if (err == -ENOMEM)
		mt_err("out of memory");	/* else said */
out:
	free(labels);
	free(vals);
	free(buf);
	return err;
}

static int smem_show(const struct smem_opts *o, const struct mt_snap *s)
{
	struct mt_smem_row *v = NULL;
	struct json_object *j, *a;
	struct mt_smem m;
	size_t n = 0, i;
	int err = mt_smem_read(s, &m);

	if (!err && o->view != VIEW_SYSTEM)
		err = view_rows(o, s, &m, &v, &n);
	if (err == -ENOENT) {
		mt_err(o->from ? "smem: %s was taken without smaps (take it with memtally snapshot)" :
			"smem: no process's smaps could be read", o->from);
		goto out;
	}
	if (err) {
		mt_err("out of memory");
		goto out;
	}
	if (o->top && n > o->top && !o->chart) {
		for (i = o->top; i < n; i++) {
			free(v[i].name);
			free(v[i].cgroup);
		}
		n = o->top;
	}
	if (o->chart) {
		err = chart_draw(o, s, &m, v, n);
	} else if (o->view == VIEW_SYSTEM) {
		err = system_show(o, s, &m);
	} else if (o->json) {
		struct mt_smem_row t;

		j = json_object_new_object();
		a = json_object_new_array();
		json_object_object_add(j, "view",
				       json_object_new_string(views[o->view]));
		for (i = 0; i < n; i++)
			json_object_array_add(a, row_json(o, &v[i]));
		json_object_object_add(j, "rows", a);
		totals_of(v, n, &t);
		a = json_object_new_object();
		for (i = 0; i < MT_NR_SMEM; i++)
			add_size(a, &t, i);
		json_object_object_add(j, "totals", a);
		mt_json_put_u64(j, "unreadable", m.unreadable);
		err = mt_json_print(stdout, j);
	} else {
		err = table_print(o, v, n);
	}
	if (!err && m.unreadable && !o->json)
		fprintf(stderr, "memtally: %zu %s not readable%s\n",
			m.unreadable, m.unreadable == 1 ? "process" :
			"processes", o->live && geteuid() ?
			": run as root to see every user's" : "");
out:
	mt_smem_rows_free(v, n);
	mt_smem_free(&m);
	return err ? -1 : 0;
}

int cmd_smem(int argc, char **argv, bool json)
{
	struct smem_opts o = { .json = json };
	struct mt_snap snap;
	int err;

	if (smem_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(smem_usage, stdout);
		return MT_EXIT_OK;
	}
	o.live = !o.from;
	if (o.from)
		err = mt_snap_load(o.from, &snap);
	else
		err = mt_snap_take(MT_TAKE_SYSTEM | MT_TAKE_PROCS |
				   (o.view == VIEW_MAPPING ? MT_TAKE_MAPS : 0),
				   &snap);
	if (!err) {
		err = smem_show(&o, &snap);
		mt_snap_free(&snap);
	}
	if (o.has_process)
		regfree(&o.process);
	if (o.has_mapping)
		regfree(&o.mapping);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
