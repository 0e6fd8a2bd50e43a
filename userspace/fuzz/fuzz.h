/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memtally fuzzers: what the harnesses share.  Each is one
 * LLVMFuzzerTestOneInput() over one kind of input the tool parses.
 */
#ifndef MT_FUZZ_H
#define MT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Where the harnesses print what the tool would: /dev/null, opened once */
static inline FILE *fuzz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "we");
	return f;
}

/*
 * For the harnesses of commands that print to stdout, and their error
 * lines to stderr: both to /dev/null from now on.  glibc lets a program
 * set these; libFuzzer took its own copy of stderr before main() and the
 * sanitizers write their reports to fd 2, so both still show.
 */
static inline void fuzz_quiet(void)
{
	if (fuzz_null()) {
		stdout = fuzz_null();
		stderr = fuzz_null();
	}
}

/* A harness of a command that prints: fuzz_quiet() once, at start-up */
#define FUZZ_QUIET_INIT							\
int LLVMFuzzerInitialize(int *argc, char ***argv);			\
int LLVMFuzzerInitialize(int *argc, char ***argv)			\
{									\
	(void)argc;							\
	(void)argv;							\
	fuzz_quiet();							\
	return 0;							\
}

/*
 * @data as a file open for reading, as the parsers get it from fopen()
 * (fmemopen() takes no empty buffer: an empty input is /dev/null).
 */
static inline FILE *fuzz_file(const uint8_t *data, size_t size)
{
	return size ? fmemopen((void *)data, size, "r") :
		      fopen("/dev/null", "re");
}

#endif
