// SPDX-License-Identifier: GPL-2.0
/*
 * memtally vmstat: the memory lines of vmstat 1, system-wide, with the
 * module's reclaim stalls per second and PSI's share of the interval.
 * vmstat.c computes the columns.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "format.h"
#include "nl.h"
#include "rate.h"
#include "vmstat.h"

static const char vmstat_usage[] =
"Usage: memtally vmstat [INTERVAL [COUNT]] [-j]\n"
"\n"
"The memory lines of vmstat 1, system-wide: a line every INTERVAL seconds\n"
"(default 1), COUNT times (default: until interrupted; without INTERVAL,\n"
"one line).  Every line is over the interval before it.\n"
"\n"
"Columns, as vmstat computes them (KiB): swpd (swap used), free, buff,\n"
"cache (page cache + reclaimable slab), si and so (KiB/s swapped in and\n"
"out); then stalls/s (reclaim stalls of every kind, counted by the module;\n"
"- without it), some% and full% (the share of the interval some task, or\n"
"every non-idle task, waited on memory: PSI's totals, - without PSI).\n"
"\n"
"Options:\n"
"  -j, --json         print a JSON object per line\n"
"  -h, --help         show this help\n";

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int vmstat_parse(int argc, char **argv, struct vmstat_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("vmstat", c, argv);
		}
	}
	if (argc - optind > 2)
		return mt_usage_err("vmstat: unexpected argument '%s'",
				    argv[optind + 2]);
	o->interval = 1;
	o->count = 1;
	if (optind < argc) {
		o->count = 0;
		if (mt_num_arg("vmstat", "INTERVAL", argv[optind], 1,
			       UINT32_MAX, &o->interval) ||
		    (optind + 1 < argc &&
		     mt_num_arg("vmstat", "COUNT", argv[optind + 1], 1,
				UINT64_MAX, &o->count)))
			return MT_EXIT_USAGE;
	}
	return 0;
}

/* One moment: the files, and the module's rows (sorted by id) */
struct sample {
	struct mt_vm_sample vm;
	struct mt_rows cg, node;
	uint64_t mono_ns, real_ns;
};

/*
 * @path into @buf (16 KiB for meminfo and 64 KiB for vmstat are several
 * times what they hold); NULL if it cannot be read: its columns are -.
 */
static const char *read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n ? buf : NULL;
}

/*
 * The module's rows into @s, if @nl.  A caller without the capability to
 * read them gets the /proc columns all the same: one line says why, and
 * *@nl becomes NULL.  Prints the error.  Return: 0 or -1.
 */
static int rows_take(struct mt_nl **nl, struct sample *s)
{
	int err;

	s->cg.nr = 0;
	s->node.nr = 0;
	if (!*nl)
		return 0;
	err = mt_nl_cgroups(*nl, NULL, &s->cg);
	if (!err)
		err = mt_nl_nodes(*nl, &s->node);
	if (err == -EPERM) {
		mt_err("reading the module's counters needs CAP_PERFMON or CAP_SYS_ADMIN: no stalls/s");
		*nl = NULL;
		return 0;
	}
	if (err) {
		mt_nl_report(*nl, "reading cgroups", err);
		return -1;
	}
	mt_cgroups_sort(s->cg.v, s->cg.nr, MT_SORT_ID);
	mt_cgroups_sort(s->node.v, s->node.nr, MT_SORT_ID);
	return 0;
}

/* Prints the error.  Return: 0 or -1. */
static int sample_take(struct mt_nl **nl, struct sample *s)
{
	static char meminfo[16384], vmstat[65536], pressure[512];

	if (rows_take(nl, s))
		return -1;
	mt_vm_parse(&s->vm, read_text("/proc/meminfo", meminfo, sizeof(meminfo)),
		    read_text("/proc/vmstat", vmstat, sizeof(vmstat)),
		    read_text("/proc/pressure/memory", pressure,
			      sizeof(pressure)));
	s->mono_ns = mt_now_ns(CLOCK_MONOTONIC);
	s->real_ns = mt_now_ns(CLOCK_REALTIME);
	return 0;
}

/* Reclaim stalls from @prev to @cur.  Prints the error.  Return: 0 or -1 */
static int stalls(const struct sample *prev, const struct sample *cur,
		  uint64_t *n)
{
	uint64_t c, k;

	if (mt_vm_stalls(prev->cg.v, prev->cg.nr, cur->cg.v, cur->cg.nr, &c) ||
	    mt_vm_stalls(prev->node.v, prev->node.nr, cur->node.v,
			 cur->node.nr, &k)) {
		mt_err("out of memory");
		return -1;
	}
	*n = c + k;
	return 0;
}

/* The line from @prev to @cur.  Return: 0 or -1 after the error. */
static int report(const struct vmstat_opts *o, bool module,
		  const struct sample *prev, const struct sample *cur)
{
	double secs = (cur->mono_ns - prev->mono_ns) / 1e9;
	time_t sec = cur->real_ns / 1000000000;
	long page_kb = sysconf(_SC_PAGESIZE) / 1024;
	struct mt_vm_line l;
	struct json_object *j;
	char hms[16], iso[48], num[32];
	struct tm tm;
	uint64_t n;

	if (module && stalls(prev, cur, &n))
		return -1;
	mt_vm_calc(&l, &prev->vm, &cur->vm, secs, page_kb, module ? &n : NULL);
	if (!o->json) {
		strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&sec, &tm));
		mt_cols_print(stdout, hms, mt_vm_cols, l.v, MT_NR_VM, NULL);
		return 0;
	}
	mt_iso_time(iso, sizeof(iso), cur->real_ns);
	j = json_object_new_object();
	json_object_object_add(j, "time", json_object_new_string(iso));
	snprintf(num, sizeof(num), "%.3f", secs);
	json_object_object_add(j, "interval_s",
			       json_object_new_double_s(secs, num));
	mt_cols_json(j, mt_vm_cols, l.v, MT_NR_VM);
	if (mt_json_print(stdout, j)) {
		mt_err("out of memory");
		return -1;
	}
	return 0;
}

/* Lines until COUNT or a signal.  Return: 0 or -1 after the error. */
static int watch(struct mt_nl *nl, const struct vmstat_opts *o,
		 struct sample *s)
{
	struct sample *prev = &s[0], *cur = &s[1], *t;
	int sfd = mt_signalfd();
	uint64_t k, deadline;
	int err = -1;

	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return -1;
	}
	if (sample_take(&nl, prev))
		goto out;
	/* the header says the first sample is taken: out at once */
	if (!o->json) {
		mt_cols_header(stdout, mt_vm_cols, MT_NR_VM, false);
		if (fflush(stdout)) {
			mt_err("write error: %s", strerror(errno));
			goto out;
		}
	}
	deadline = prev->mono_ns;
	for (k = 0; !o->count || k < o->count; k++) {
		deadline = mt_next_deadline(deadline, o->interval * 1000000000);
		if (mt_sleep_until(sfd, deadline))
			break;
		if (sample_take(&nl, cur))
			goto out;
		if (mt_signalled(sfd, 0))	/* nothing after a signal */
			break;
		if (report(o, nl != NULL, prev, cur))
			goto out;
		if (fflush(stdout)) {
			mt_err("write error: %s", strerror(errno));
			goto out;
		}
		t = prev;
		prev = cur;
		cur = t;
	}
	err = 0;
out:
	close(sfd);
	return err;
}

int cmd_vmstat(int argc, char **argv, bool json)
{
	struct vmstat_opts o = { .json = json };
	struct sample s[2] = { 0 };
	bool module;
	struct mt_nl nl;
	int err;

	if (vmstat_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(vmstat_usage, stdout);
		return MT_EXIT_OK;
	}
	/* the columns of /proc stand without the module: say what is missing */
	err = mt_nl_connect(&nl, MEMTALLY_FAMILY_NAME);
	if (err == -ENOENT) {
		mt_err("the memtally module is not loaded: no stalls/s (load it with: modprobe memtally)");
	} else if (err) {
		mt_nl_report(&nl, "opening a generic netlink socket", err);
		return MT_EXIT_RUNTIME;
	}
	module = !err;
	err = watch(module ? &nl : NULL, &o, s);
	mt_rows_free(&s[0].cg);
	mt_rows_free(&s[0].node);
	mt_rows_free(&s[1].cg);
	mt_rows_free(&s[1].node);
	if (module)
		mt_nl_close(&nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
