// SPDX-License-Identifier: GPL-2.0
/*
 * mt_share: two processes that share memory, for smem's PSS.
 * mt_share PAGES [SECONDS]: map PAGES pages of shared anonymous memory
 * (MAP_SHARED: shmem pages), fork, and have both processes write to every
 * page, so that each maps all of them and each page is mapped twice; then
 * both stay alive for SECONDS (default 0).  Each process's PSS holds half
 * of the region, its RSS all of it, its USS none of it.  SIGTERM to the
 * parent ends both: it kills and reaps the child.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_term(int sig)
{
	(void)sig;	/* only to interrupt sleep() */
}

static void touch(char *p, unsigned long n, long page)
{
	for (unsigned long i = 0; i < n; i++)
		p[i * page] = 1;
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	struct sigaction sa = { .sa_handler = on_term };
	unsigned int secs;
	unsigned long n;
	pid_t pid;
	char *p;

	if (argc < 2) {
		fprintf(stderr, "usage: mt_share PAGES [SECONDS]\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	secs = argc > 2 ? atoi(argv[2]) : 0;
	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mt_share: mmap");
		return 1;
	}
	madvise(p, n * page, MADV_NOHUGEPAGE);
	touch(p, n, page);
	pid = fork();
	if (pid < 0) {
		perror("mt_share: fork");
		return 1;
	}
	/* the child's page tables start empty for a shared mapping */
	if (!pid) {
		/* never outlive the parent */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		touch(p, n, page);
		sleep(secs);
		return 0;
	}
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART */
	sleep(secs);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return 0;
}
