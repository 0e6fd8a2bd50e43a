// SPDX-License-Identifier: GPL-2.0
/*
 * fault_storm: page fault throughput.  Maps MIB MiB of anonymous memory,
 * writes one byte per 4 KiB page (no THP: one fault per page), unmaps,
 * ROUNDS times; prints the pages faulted per second.
 *   fault_storm [MIB [ROUNDS]]   (default 64 MiB x 16)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 16;
	unsigned long page = sysconf(_SC_PAGESIZE), len = mib << 20, r, i;
	struct timespec t0, t1;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("fault_storm: mmap");
			return 1;
		}
		madvise(p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < len; i += page)
			p[i] = 1;
		munmap(p, len);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f\n", rounds * (double)(len / page) / s);
	return 0;
}
