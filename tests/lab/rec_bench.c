// SPDX-License-Identifier: GPL-2.0
/*
 * tests/lab/rec_bench.c - the program docs/record.md times natively and
 * under each `mmsim record` backend.
 *
 *   rec_bench [MiB=64] [passes=4] [stride=64]
 *
 * mallocs MiB, writes one byte every stride bytes, reads them back passes
 * times, then creates an 8 MiB file in $TMPDIR (or /tmp), mmaps it shared
 * and reads each page, unlinks it.  Prints the checksum and its own wall
 * time in seconds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define FILE_LEN (8u << 20)

int main(int argc, char **argv)
{
	size_t len = (size_t)(argc > 1 ? atoi(argv[1]) : 64) << 20;
	int passes = argc > 2 ? atoi(argv[2]) : 4;
	size_t stride = argc > 3 ? (size_t)atoi(argv[3]) : 64;
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	struct timespec t0, t1;
	unsigned long sum = 0;
	unsigned char *p, *f;
	int fd;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	p = malloc(len);
	if (!p || !stride)
		return 1;
	for (size_t i = 0; i < len; i += stride)
		p[i] = (unsigned char)i;
	for (int k = 0; k < passes; k++)
		for (size_t i = 0; i < len; i += stride)
			sum += ((volatile unsigned char *)p)[i];
	free(p);

	snprintf(path, sizeof(path), "%s/rec_bench.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, FILE_LEN))
		return 1;
	unlink(path);
	f = mmap(NULL, FILE_LEN, PROT_READ, MAP_SHARED, fd, 0);
	if (f == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < FILE_LEN; i += 4096)
		sum += ((volatile unsigned char *)f)[i];
	munmap(f, FILE_LEN);
	close(fd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%lu %.3f\n", sum, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
