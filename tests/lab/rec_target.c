// SPDX-License-Identifier: GPL-2.0
/*
 * tests/lab/rec_target.c - the deterministic program that
 * tests/test_lab_record.c records with both backends (and
 * tests/test_lab_record_cli.sh runs to fail).
 *
 *   rec_target [exit-status [spin-ms]]
 *
 * Maps 4 MiB of anonymous memory (REC_TARGET_LEN: the tests look for an
 * MMAP record of exactly this length), writes the first byte of each of its
 * 1024 pages, spins spin-ms (default 30) of CPU time so that the sampling
 * backend starts new epochs (its clock is the process's CPU time), reads
 * every page back, then forks a child that writes one
 * page and exits 0; unmaps and exits with the status given (0 by default).
 * Writes to no file and prints the sum on stdout, so nothing is optimised
 * away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REC_TARGET_LEN (4u << 20)
#define PAGE 4096u

/* Spin on the CPU for @ms of process CPU time (the sampler's clock). */
static void spin(unsigned int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

int main(int argc, char **argv)
{
	volatile unsigned char *p;
	unsigned long sum = 0;
	int status;
	pid_t child;

	p = mmap(NULL, REC_TARGET_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 99;
	for (unsigned int i = 0; i < REC_TARGET_LEN / PAGE; i++)
		p[i * PAGE] = (unsigned char)(i + 1);
	spin(argc > 2 ? (unsigned int)atoi(argv[2]) : 30);
	for (unsigned int i = 0; i < REC_TARGET_LEN / PAGE; i++)
		sum += p[i * PAGE];
	child = fork();
	if (child == 0) {
		p[0] = 7;
		_exit(0);
	}
	if (child < 0 || waitpid(child, &status, 0) != child || status != 0)
		return 98;
	munmap((void *)p, REC_TARGET_LEN);
	printf("%lu\n", sum);
	return argc > 1 ? atoi(argv[1]) : 0;
}
