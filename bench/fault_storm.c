// SPDX-License-Identifier: GPL-2.0
/*
 * fault_storm: page fault throughput.  Maps MIB MiB of anonymous memory,
 * writes one byte per 4 KiB page (no THP: one fault per page), unmaps,
 * ROUNDS times, in each of THREADS threads (one process: the threads share
 * the mm, as a threaded program's faults do); prints the pages faulted per
 * second by all the threads together.
 *   fault_storm [MIB [ROUNDS [THREADS]]]   (default 64 MiB x 16, 1 thread)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static unsigned long len, rounds, page;
static pthread_barrier_t start;

static void *storm(void *arg)
{
	unsigned long r, i;

	(void)arg;
	pthread_barrier_wait(&start);
	for (r = 0; r < rounds; r++) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("fault_storm: mmap");
			exit(1);
		}
		madvise(p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < len; i += page)
			p[i] = 1;
		munmap(p, len);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned long threads = argc > 3 ? strtoul(argv[3], NULL, 0) : 1, t;
	pthread_t tid[64];
	struct timespec t0, t1;
	double s;

	rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 16;
	if (threads < 1 || threads > 64) {
		fprintf(stderr, "fault_storm: THREADS must be 1..64\n");
		return 2;
	}
	page = sysconf(_SC_PAGESIZE);
	len = mib << 20;
	/* the main thread waits too, so the clock starts when all can run */
	pthread_barrier_init(&start, NULL, threads + 1);
	for (t = 0; t < threads; t++) {
		if (pthread_create(&tid[t], NULL, storm, NULL)) {
			fprintf(stderr, "fault_storm: cannot create a thread\n");
			return 1;
		}
	}
	pthread_barrier_wait(&start);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f\n", threads * rounds * (double)(len / page) / s);
	return 0;
}
