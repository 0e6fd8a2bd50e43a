// SPDX-License-Identifier: GPL-2.0
/*
 * mt_merge: a KSM workload.  mt_merge PAGES same|distinct [SECONDS]: fill
 * PAGES anonymous pages with one content (same) or each its own
 * (distinct), mark them MADV_MERGEABLE, say "ready" on stdout, then stay
 * alive for SECONDS (default: until killed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long n, i;
	int same;
	char *p;

	if (argc < 3) {
		fprintf(stderr, "usage: mt_merge PAGES same|distinct [SECONDS]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	same = !strcmp(argv[2], "same");
	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mt_merge: mmap");
		return 1;
	}
	madvise(p, n * page, MADV_NOHUGEPAGE);
	for (i = 0; i < n; i++) {
		memset(p + i * page, 0x5a, page);
		if (!same)
			memcpy(p + i * page, &i, sizeof(i));
	}
	if (madvise(p, n * page, MADV_MERGEABLE)) {
		perror("mt_merge: madvise");
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	if (argc > 3)
		sleep(atoi(argv[3]));
	else
		pause();
	return 0;
}
