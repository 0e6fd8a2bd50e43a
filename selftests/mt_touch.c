// SPDX-License-Identifier: GPL-2.0
/*
 * mt_touch: a workload with a known number of page faults.
 * mt_touch PAGES [SECONDS [loop]]: write to PAGES fresh anonymous pages (no
 * THP: one fault each), then stay alive for SECONDS (default 0), with
 * "loop" rewriting the pages over and over meanwhile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long n, i;
	char *p;

	if (argc < 2) {
		fprintf(stderr, "usage: mt_touch PAGES [SECONDS]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mt_touch: mmap");
		return 1;
	}
	madvise(p, n * page, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++)
		p[i * page] = 1;
	if (argc > 3 && !strcmp(argv[3], "loop")) {
		time_t end = time(NULL) + atoi(argv[2]);

		while (time(NULL) < end)
			for (i = 0; i < n; i++)
				p[i * page]++;
	} else if (argc > 2) {
		sleep(atoi(argv[2]));
	}
	return 0;
}
