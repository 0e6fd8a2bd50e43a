// SPDX-License-Identifier: GPL-2.0
/*
 * memtally top: a live view of the cgroups, refreshed every interval:
 * ncurses on a terminal, or plain tables (-b) or JSON lines (-b --json)
 * for scripts, without terminfo.  The rows come from toprows.c.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <curses.h>
#include <json.h>

#include "cli.h"
#include "cmds.h"
#include "damonnl.h"
#include "ksm.h"
#include "ksmfs.h"
#include "nl.h"
#include "toprows.h"

static const char top_usage[] =
"Usage: memtally top [-b [-j] [-n COUNT]] [-d SECONDS] [-s KEY] [-p PATH]\n"
"\n"
"Show the cgroups memtally tracks, refreshed every interval, busiest first:\n"
"FAULTS/s (user and kernel page faults), STALLS/s and STALL-ms/s (direct\n"
"and memcg reclaim stalls and the time in them), COMPACT-ms/s (time in\n"
"zone compaction), OOM (OOM kills; +N: new in the interval), KSM-SAVED\n"
"(the cgroup's share of KSM's merges by its merged pages, plus its zero\n"
"pages; - without KSM), WSS (the DAMON\n"
"working set, - with no context bound), PSI-SOME and PSI-FULL (avg10 of\n"
"the cgroup's memory.pressure, - without it).  Sizes are in units of 1000\n"
"(1.5 MB), as every command shows them.\n"
"\n"
"Keys: q quits; f, s, o, k, w, p and P sort by faults, stalls, oom, ksm,\n"
"wss, psi-some and psi-full; / asks for a path prefix (empty: every cgroup;\n"
"Enter takes it, Escape keeps the old one) while the view goes on.\n"
"\n"
"Options:\n"
"  -b, --batch          plain text, a table per interval, no terminal needed\n"
"  -j, --json           with -b, a JSON object per interval, one per line\n"
"  -d, --delay SECONDS  the interval (default 2; 0.1 to 86400)\n"
"  -n, --iterations N   stop after N intervals (default: until interrupted)\n"
"  -s, --sort KEY       faults (the default), stalls, oom, ksm, wss,\n"
"                       psi-some or psi-full\n"
"  -p, --prefix PATH    only PATH and the cgroups below it\n"
"  -h, --help           show this help\n";

/* A decimal number of seconds from 0.1 to 86400.  Return: 0 or -EINVAL. */
static int parse_secs(const char *s, double *v)
{
	const char *p = s;
	char *end;

	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.')
		p++;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p || p == s || !strcmp(s, "."))
		return -EINVAL;
	*v = strtod(s, &end);
	return *end || !(*v >= 0.1 && *v <= 86400) ? -EINVAL : 0;
}

/* Return: 0, or MT_EXIT_USAGE after reporting the error. */
int top_parse(int argc, char **argv, struct top_opts *o)
{
	static const struct option longopts[] = {
		{ "batch",      no_argument,       NULL, 'b' },
		{ "json",       no_argument,       NULL, 'j' },
		{ "delay",      required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort",       required_argument, NULL, 's' },
		{ "prefix",     required_argument, NULL, 'p' },
		{ "help",       no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;	/* glibc: rescan from argv[1], forgetting earlier calls */
	while ((c = getopt_long(argc, argv, ":bjd:n:s:p:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			o->batch = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'd':
			if (parse_secs(optarg, &o->interval))
				return mt_usage_err("top: -d takes seconds from 0.1 to 86400, not '%s'",
						    optarg);
			break;
		case 'n':
			if (mt_num_arg("top", "-n", optarg, 1, UINT64_MAX,
				       &o->count))
				return MT_EXIT_USAGE;
			break;
		case 's':
			if (mt_name_arg("top", "sort key", optarg,
					mt_top_key_name, &o->key))
				return MT_EXIT_USAGE;
			break;
		case 'p':
			o->prefix = optarg;
			break;
		case 'h':
			o->help = true;
			break;
		default:
			return mt_getopt_err("top", c, argv);
		}
	}
	if (optind < argc)
		return mt_usage_err("top: unexpected argument '%s'",
				    argv[optind]);
	if (o->json && !o->batch && !o->help)
		return mt_usage_err("top: --json goes with -b");
	if (o->prefix && o->prefix[0] != '/')
		return mt_usage_err("top: a cgroup path starts with / (the cgroup2 mount)");
	return 0;
}

/* The counters at one moment, sorted by id, with their paths */
struct snap {
	struct mt_rows cg;	/* the paths point into top.names */
	bool wss;		/* a DAMON context is bound */
	bool ksm;		/* the kernel has KSM: ksm_sv */
	struct mt_ksm_savings ksm_sv;
	uint64_t mono_ns, real_ns;
};

struct top {
	const struct top_opts *o;
	unsigned int key;
	char prefix[PATH_MAX];	/* "": every cgroup */
	char root[PATH_MAX];
	uint64_t page_size;
	struct mt_nl nl;
	struct mt_cgroups_reader rd;	/* each snap reads what changed */
	struct mt_cgnames names;	/* the paths of the rows */
	uint64_t *gone;		/* ids of the rows the last snap dropped */
	size_t ngone;
	struct snap s[2];
	struct snap *prev, *cur;
	struct mt_top_row *all, *shown;	/* of the last refresh */
	size_t nall, nshown;
	double secs;		/* of the last refresh; 0: no rates yet */
	struct mt_top_input in;	/* the / prompt */
};

static void snap_free(struct snap *s)
{
	mt_rows_free(&s->cg);
}

/*
 * What KSM saves now, of which each row shows its share; none on a kernel
 * without KSM.  Prints the error.  Return: 0 or -1.
 */
static int ksm_take(struct top *t, struct snap *s)
{
	const char *dir = mt_ksm_dir();
	struct mt_ksm_sys sys;
	struct stat st;

	s->ksm = false;
	if (stat(dir, &st))
		return 0;	/* no CONFIG_KSM */
	if (mt_ksm_read(dir, &sys))
		return -1;
	mt_ksm_calc(&s->ksm_sv, &sys, t->page_size);
	s->ksm = true;
	return 0;
}

/*
 * The ids of @old's rows that @cur (both sorted by id) no longer has, into
 * t->gone, for their paths to be dropped once no row points to them.
 * Return: 0 or -1 (out of memory, printed).
 */
static int gone_note(struct top *t, const struct mt_rows *old,
		     const struct mt_rows *cur)
{
	size_t i, j = 0;
	void *v;

	v = realloc(t->gone, (old->nr + 1) * sizeof(*t->gone));
	if (!v) {
		mt_err("out of memory");
		return -1;
	}
	t->gone = v;
	t->ngone = 0;
	for (i = 0; i < old->nr; i++) {
		while (j < cur->nr && cur->v[j].id < old->v[i].id)
			j++;
		if (j == cur->nr || cur->v[j].id != old->v[i].id)
			t->gone[t->ngone++] = old->v[i].id;
	}
	return 0;
}

/*
 * The paths of @s's rows that have none: rows copied from the last snap
 * keep theirs, unless a walk made a new map.  Return: 0 or -1 (printed).
 */
static int paths_fill(struct top *t, struct snap *s)
{
	unsigned long walks = t->names.walks;
	uint64_t *ids = calloc(s->cg.nr + 1, sizeof(*ids));
	size_t i, n = 0;
	int err = ids ? 0 : -ENOMEM;

	for (i = 0; ids && i < s->cg.nr; i++)
		if (!s->cg.v[i].path)
			ids[n++] = s->cg.v[i].id;
	if (!err)
		err = mt_cgnames_ids(&t->names, ids, n);
	free(ids);
	if (err) {
		mt_err("%s: %s", t->root, strerror(-err));
		return -1;
	}
	for (i = 0; i < s->cg.nr; i++)
		if (!s->cg.v[i].path || walks != t->names.walks)
			s->cg.v[i].path = mt_cgmap_path(&t->names.map,
							s->cg.v[i].id);
	return 0;
}

/*
 * Every cgroup's row into @s: what changed since the other snap, and the
 * other's rows for the rest.  Prints the error.  Return: 0 or -1.
 */
static int snap_take(struct top *t, struct snap *s)
{
	const struct snap *old = s == &t->s[0] ? &t->s[1] : &t->s[0];
	struct mt_damon_info info = { 0 };
	int err;

	/* the rows that pointed to them were in @s, which is made anew */
	mt_cgnames_drop(&t->names, t->gone, t->ngone);
	t->ngone = 0;
	err = mt_nl_cgroups_update(&t->nl, &t->rd, &old->cg, &s->cg);
	if (err) {
		mt_nl_report(&t->nl, "reading cgroups", err);
		return -1;
	}
	if (gone_note(t, &old->cg, &s->cg) || paths_fill(t, s))
		return -1;
	s->mono_ns = mt_now_ns(CLOCK_MONOTONIC);
	s->real_ns = mt_now_ns(CLOCK_REALTIME);
	mt_cgroups_sort(s->cg.v, s->cg.nr, MT_SORT_ID);
	/* an older module without DAMON: no WSS */
	s->wss = !mt_nl_damon_get(&t->nl, &info) && info.b.bound;
	mt_damon_info_free(&info);
	return ksm_take(t, s);
}

/* The memory.pressure of the rows @v[0, @n) that have not read it yet */
static void psi_fill(const struct top *t, struct mt_top_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].path && !v[i].psi_read) {
			mt_psi_read(t->root, v[i].path, &v[i].psi);
			v[i].psi_read = true;
		}
}

/*
 * The shown rows of the last refresh, after a new key or prefix.  Only
 * the rows printed read their memory.pressure (draw() those on the
 * screen; every row in batch mode), but every row to sort by it.
 */
static void select_rows(struct top *t)
{
	if (t->key == MT_TOP_PSI_SOME || t->key == MT_TOP_PSI_FULL)
		psi_fill(t, t->all, t->nall);
	memcpy(t->shown, t->all, t->nall * sizeof(*t->all));
	t->nshown = mt_top_select(t->shown, t->nall, t->prefix, t->key);
	if (t->o->batch)
		psi_fill(t, t->shown, t->nshown);
}

/* Rows from prev to cur (no rates without prev).  Return: 0 or -1. */
static int rows_build(struct top *t, const struct snap *prev)
{
	const struct snap *cur = t->cur;
	size_t n = cur->cg.nr;
	void *a, *b;

	a = realloc(t->all, (n + 1) * sizeof(*t->all));
	if (a)
		t->all = a;
	b = realloc(t->shown, (n + 1) * sizeof(*t->shown));
	if (b)
		t->shown = b;
	if (!a || !b) {
		mt_err("out of memory");
		return -1;
	}
	t->secs = prev ? (cur->mono_ns - prev->mono_ns) / 1e9 : 0;
	mt_top_rows(t->all, prev ? prev->cg.v : NULL, prev ? prev->cg.nr : 0,
		    cur->cg.v, n, t->secs, cur->ksm ? &cur->ksm_sv : NULL,
		    cur->wss);
	t->nall = n;
	select_rows(t);
	return 0;
}

/* The next dump, and rows since the one before.  Return: 0 or -1. */
static int step(struct top *t)
{
	struct snap *x = t->prev;

	t->prev = t->cur;
	t->cur = x;
	return snap_take(t, t->cur) || rows_build(t, t->prev) ? -1 : 0;
}

/* ---- batch ---------------------------------------------------------- */

static int batch_print(struct top *t, bool first)
{
	struct json_object *j;
	char iso[48];
	int err;

	mt_iso_time(iso, sizeof(iso), t->cur->real_ns);
	if (t->o->json) {
		j = mt_top_json(iso, t->secs, t->key, t->shown, t->nshown);
		err = mt_json_print(stdout, j);
	} else {
		if (!first)
			putchar('\n');
		err = mt_top_print(stdout, iso, t->secs, t->key, t->shown,
				   t->nshown);
	}
	if (err) {
		mt_err("out of memory");
		return -1;
	}
	if (fflush(stdout)) {
		mt_err("write error: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A table per interval until COUNT or a signal.  Return: 0 or -1. */
static int batch(struct top *t)
{
	int sfd = mt_signalfd(), err = -1;
	uint64_t k, deadline;

	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return -1;
	}
	t->cur = &t->s[0];
	t->prev = &t->s[1];
	if (snap_take(t, t->cur))
		goto out;
	deadline = t->cur->mono_ns;
	for (k = 0; !t->o->count || k < t->o->count; k++) {
		deadline = mt_next_deadline(deadline,
					    (uint64_t)(t->o->interval * 1e9));
		if (mt_sleep_until(sfd, deadline))
			break;
		if (step(t))
			goto out;
		if (mt_signalled(sfd, 0))	/* nothing after a signal */
			break;
		if (batch_print(t, !k))
			goto out;
	}
	err = 0;
out:
	close(sfd);
	return err;
}

/* ---- the terminal --------------------------------------------------- */

static const char sort_chars[MT_NR_TOP_KEYS] = {
	[MT_TOP_FAULTS] = 'f', [MT_TOP_STALLS] = 's', [MT_TOP_OOM] = 'o',
	[MT_TOP_KSM] = 'k', [MT_TOP_WSS] = 'w', [MT_TOP_PSI_SOME] = 'p',
	[MT_TOP_PSI_FULL] = 'P',
};

/* The column that key @key sorts by */
static const int sort_cols[MT_NR_TOP_KEYS] = {
	[MT_TOP_FAULTS] = MT_TOP_COL_FAULTS,
	[MT_TOP_STALLS] = MT_TOP_COL_STALLS,
	[MT_TOP_OOM] = MT_TOP_COL_OOM, [MT_TOP_KSM] = MT_TOP_COL_KSM,
	[MT_TOP_WSS] = MT_TOP_COL_WSS,
	[MT_TOP_PSI_SOME] = MT_TOP_COL_PSI_SOME,
	[MT_TOP_PSI_FULL] = MT_TOP_COL_PSI_FULL,
};

/* A line at @y of the cells @c in columns of widths @w; @oom: highlight */
static void draw_line(int y, char c[MT_NR_TOP_COLS][MT_TOP_CELL],
		      const int *w, bool oom, attr_t head)
{
	char line[MT_NR_TOP_COLS * (MT_TOP_CELL + 2) + 1];
	int col, len = 0, n, x[MT_NR_TOP_COLS];

	for (col = 0; col < MT_NR_TOP_COLS; col++) {
		x[col] = len + (col ? 2 : 0);
		n = snprintf(line + len, sizeof(line) - len,
			     mt_top_right[col] ? "%s%*s" : "%s%-*s",
			     col ? "  " : "", w[col], c[col]);
		/* cells and widths are under MT_TOP_CELL: never cut, but
		 * were they, never past the line */
		len += n > 0 ? n : 0;
		if (len >= (int)sizeof(line))
			len = sizeof(line) - 1;
	}
	mvaddnstr(y, 0, line, COLS);
	if (head)
		mvchgat(y, 0, -1, head, 0, NULL);
	if (oom && x[MT_TOP_COL_OOM] < COLS)
		mvchgat(y, x[MT_TOP_COL_OOM], w[MT_TOP_COL_OOM],
			A_BOLD | A_STANDOUT, 0, NULL);
}

static void draw(struct top *t, const char *msg)
{
	static char cells[2][MT_NR_TOP_COLS][MT_TOP_CELL];
	int w[MT_NR_TOP_COLS], col, y, max = LINES - 3;
	char hms[16];
	time_t sec = t->cur->real_ns / 1000000000;
	struct tm tm;
	size_t i;

	strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&sec, &tm));
	erase();
	mvprintw(0, 0, "memtally top  %s  every %.1fs  sort %s  %s%s  %zu of %zu cgroups",
		 hms, t->o->interval, mt_top_key_name(t->key),
		 *t->prefix ? "prefix " : "", t->prefix, t->nshown, t->nall);
	mvaddnstr(1, 0, msg ? msg : t->in.active ?
		  "Enter: this prefix  Escape: the old one" :
		  "q quit  f s o k w p P sort  / prefix", COLS);
	for (col = 0; col < MT_NR_TOP_COLS; col++) {
		snprintf(cells[0][col], MT_TOP_CELL, "%s%s",
			 mt_top_heads[col],
			 col == sort_cols[t->key] ? "v" : "");
		w[col] = strlen(cells[0][col]);
	}
	/* the rows on the screen, at its size now, read their pressure */
	psi_fill(t, t->shown, max < 0 ? 0 : (size_t)max < t->nshown ?
			      (size_t)max : t->nshown);
	for (i = 0; i < t->nshown && (int)i < max; i++) {
		mt_top_cells(cells[1], &t->shown[i]);
		for (col = 0; col < MT_NR_TOP_COLS; col++)
			if ((int)strlen(cells[1][col]) > w[col])
				w[col] = strlen(cells[1][col]);
	}
	draw_line(2, cells[0], w, false, A_REVERSE);
	for (i = 0, y = 3; i < t->nshown && y < LINES - t->in.active;
	     i++, y++) {
		mt_top_cells(cells[1], &t->shown[i]);
		draw_line(y, cells[1], w, t->shown[i].oom_new, 0);
	}
	if (t->in.active) {	/* its end in view, the cursor after it */
		static const char ask[] = "prefix (empty: all): ";
		int room = COLS - (int)sizeof(ask);

		mvaddstr(LINES - 1, 0, ask);
		addstr(t->in.buf + ((int)t->in.len > room && room > 0 ?
				    t->in.len - room : 0));
	}
	refresh();
}

/*
 * Key @ch at the / prompt: the line ends in a path prefix ("" for every
 * cgroup), is cancelled, or grows; the loop goes on meanwhile.
 */
static void prompt_key(struct top *t, int ch, const char **msg)
{
	if (ch == KEY_ENTER)
		ch = '\n';
	else if (ch == KEY_BACKSPACE)
		ch = '\b';
	switch (mt_top_input_key(&t->in, ch)) {
	case MT_TOP_INPUT_DONE:
		curs_set(0);
		if (t->in.buf[0] && t->in.buf[0] != '/') {
			*msg = "a cgroup path starts with / (the cgroup2 mount)";
			break;
		}
		snprintf(t->prefix, sizeof(t->prefix), "%s", t->in.buf);
		select_rows(t);
		*msg = NULL;
		break;
	case MT_TOP_INPUT_CANCEL:
		curs_set(0);
		break;
	}
}

/* Keys waiting on the terminal; true on q (but at the prompt) */
static bool keys(struct top *t, const char **msg)
{
	unsigned int k;
	int ch;

	while ((ch = getch()) != ERR) {
		if (t->in.active) {
			prompt_key(t, ch, msg);
			continue;
		}
		if (ch == 'q' || ch == 'Q')
			return true;
		if (ch == '/') {
			mt_top_input_start(&t->in);
			curs_set(1);
			continue;
		}
		for (k = 0; k < MT_NR_TOP_KEYS; k++)
			if (ch == sort_chars[k]) {
				t->key = k;
				select_rows(t);
				*msg = NULL;
			}
	}
	return false;
}

/* SIGINT and SIGTERM quit, SIGWINCH resizes: read until none is left */
static int view_signalfd(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Whether a quitting signal came; a resize redraws. */
static bool signals(struct top *t, int sfd, const char *msg)
{
	struct signalfd_siginfo si;
	struct winsize ws;
	bool quit = false;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGWINCH) {
			quit = true;
			continue;
		}
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row &&
		    ws.ws_col)
			resizeterm(ws.ws_row, ws.ws_col);
		draw(t, msg);
	}
	return quit;
}

/* The loop of the view; the terminal is set up.  Return: 0 or -1. */
static int view_loop(struct top *t, int sfd)
{
	uint64_t k = 0, now, deadline, ms;
	const char *msg = NULL;
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};

	if (snap_take(t, t->cur) || rows_build(t, NULL))
		return -1;
	draw(t, msg);
	deadline = t->cur->mono_ns;
	for (;;) {
		deadline = mt_next_deadline(deadline,
					    (uint64_t)(t->o->interval * 1e9));
		while ((now = mt_now_ns(CLOCK_MONOTONIC)) < deadline) {
			ms = (deadline - now + 999999) / 1000000;
			if (poll(p, 2, ms > INT_MAX ? INT_MAX : (int)ms) < 0 &&
			    errno != EINTR)
				return -1;
			if (p[1].revents && signals(t, sfd, msg))
				return 0;
			if (p[0].revents & (POLLHUP | POLLERR))
				return 0;
			if (p[0].revents && keys(t, &msg))
				return 0;
			if (p[0].revents)
				draw(t, msg);
		}
		if (step(t))
			return -1;
		draw(t, msg);
		if (t->o->count && ++k >= t->o->count)
			return 0;
	}
}

/*
 * The ncurses view.  Errors print on stderr, held until the terminal is
 * restored, which it is on every way out.
 */
static int view(struct top *t)
{
	static char errbuf[BUFSIZ];
	SCREEN *scr;
	int sfd, err;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		mt_err("top: not a terminal (use -b)");
		return -1;
	}
	sfd = view_signalfd();
	if (sfd < 0) {
		mt_err("signalfd: %s", strerror(errno));
		return -1;
	}
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		mt_err("top: cannot use the terminal '%s' (use -b)",
		       getenv("TERM") ? getenv("TERM") : "");
		close(sfd);
		return -1;
	}
	setvbuf(stderr, errbuf, _IOFBF, sizeof(errbuf));
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	set_escdelay(25);	/* Escape at the prompt: no second's wait */
	curs_set(0);
	t->cur = &t->s[0];
	t->prev = &t->s[1];
	err = view_loop(t, sfd);
	endwin();
	delscreen(scr);
	fflush(stderr);
	setvbuf(stderr, NULL, _IONBF, 0);
	close(sfd);
	return err;
}

int cmd_top(int argc, char **argv, bool json)
{
	struct top_opts o = { .json = json, .interval = 2,
			      .key = MT_TOP_FAULTS };
	struct top t = { .o = &o };
	int err;

	if (top_parse(argc, argv, &o))
		return MT_EXIT_USAGE;
	if (o.help) {
		fputs(top_usage, stdout);
		return MT_EXIT_OK;
	}
	t.key = o.key;
	if (o.prefix)
		snprintf(t.prefix, sizeof(t.prefix), "%s", o.prefix);
	t.page_size = sysconf(_SC_PAGESIZE);
	if (mt_cli_cgroot(t.root, sizeof(t.root)) || mt_nl_open(&t.nl))
		return MT_EXIT_RUNTIME;
	t.names.root = t.root;
	err = o.batch ? batch(&t) : view(&t);
	snap_free(&t.s[0]);
	snap_free(&t.s[1]);
	mt_cgnames_free(&t.names);
	free(t.gone);
	free(t.all);
	free(t.shown);
	mt_nl_close(&t.nl);
	return err ? MT_EXIT_RUNTIME : MT_EXIT_OK;
}
