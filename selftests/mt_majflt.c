// SPDX-License-Identifier: GPL-2.0
/*
 * mt_majflt: a workload with a known number of major page faults.
 *
 * mt_majflt file PATH: map PATH (a file on a block device, not in the page
 * cache: drop caches first) with MADV_RANDOM (no readahead) and read the
 * first byte of each of its whole filesystem blocks (statfs's f_bsize: a
 * squashfs fills a block's pages at once, so one fault a block).
 * mt_majflt swap PAGES: write PAGES anonymous base pages, push them to swap
 * with MADV_PAGEOUT, then read them back.  On a swap device of synchronous
 * I/O (zram) each page comes back alone, a major fault each.
 *
 * Prints "expected N majflt M": N the faults that must be major (blocks
 * touched; pages that were in swap, from VmSwap), M the process's own
 * count of major faults (getrusage).  Exits 1 on an error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif

static long majflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_majflt;
}

/* VmSwap of this process, in kB; -1 if unknown */
static long vmswap_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmSwap: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static int file_faults(const char *path)
{
	volatile char sum = 0;
	unsigned long blocks, i;
	struct statfs sfs;
	struct stat st;
	long before;
	char *p;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) || fstatfs(fd, &sfs)) {
		perror(path);
		return 1;
	}
	blocks = st.st_size / sfs.f_bsize;
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || madvise(p, st.st_size, MADV_RANDOM)) {
		perror("mt_majflt: mmap");
		return 1;
	}
	before = majflt();
	for (i = 0; i < blocks; i++)
		sum += p[i * sfs.f_bsize];
	printf("expected %lu majflt %ld\n", blocks, majflt() - before);
	return 0;
}

static int swap_faults(unsigned long n)
{
	long page = sysconf(_SC_PAGESIZE), before, swapped;
	volatile char sum = 0;
	unsigned long i;
	char *p;

	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise(p, n * page, MADV_NOHUGEPAGE)) {
		perror("mt_majflt: mmap");
		return 1;
	}
	for (i = 0; i < n; i++)
		p[i * page] = 1;
	if (madvise(p, n * page, MADV_PAGEOUT)) {
		perror("mt_majflt: MADV_PAGEOUT");
		return 1;
	}
	swapped = vmswap_kb() * 1024 / page;
	before = majflt();
	for (i = 0; i < n; i++)
		sum += p[i * page];
	printf("expected %ld majflt %ld\n", swapped, majflt() - before);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "file"))
		return file_faults(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "swap"))
		return swap_faults(strtoul(argv[2], NULL, 0));
	fprintf(stderr, "usage: mt_majflt file PATH | mt_majflt swap PAGES\n");
	return 2;
}
