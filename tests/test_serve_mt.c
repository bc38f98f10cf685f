// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_serve_mt.c - `mmsim serve` under 100 concurrent readers
 * (docs/serve.md): no read may fail for the whole run.
 *
 * The test starts the tool ($MMSIM_TOOL, set by CTest) as `mmsim serve
 * --foreground --mount DIR SCENARIO`, where the scenario keeps the machine
 * busy while it is read: every 50 ms of virtual (= wall) time a process
 * maps, dirties and unmaps 2 MiB and writes a 256 KiB file, so the page
 * allocator, the LRU, the page cache and the slab caches change under the
 * renderers.  Once the tree is mounted it is walked (nftw) for every
 * readable file, and 100 host threads open, read to EOF and close random
 * ones for MMSIM_SERVE_SECONDS seconds (default 5; `make check-long` runs
 * the 60), while one more thread writes vm/swappiness through the
 * mount and reads it back.  Any failed open or read, a meminfo that does not
 * start with "MemTotal:", or a swappiness that does not read back fails the
 * test; so does the server not exiting 0 after SIGTERM (under a sanitizer
 * build the tool is sanitized too, and its report makes it exit non-zero:
 * this is the test `make test-tsan` runs the threaded server under).
 *
 * Exits 77 (CTest's SKIP) when /dev/fuse cannot be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_READERS 100

static char mnt[256];
static char **files;
static size_t nr_files, cap_files;
static atomic_long nr_reads, nr_bytes, nr_errors;
static atomic_bool done;
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const char *what, const char *path, int err)
{
	pthread_mutex_lock(&err_lock);
	if (atomic_fetch_add(&nr_errors, 1) < 20)
		fprintf(stderr, "FAIL: %s %s: %s\n", what, path, strerror(err));
	pthread_mutex_unlock(&err_lock);
}

static long read_file(const char *path, char *buf, size_t cap);
static size_t nr_refused;

/*
 * Each readable file, read once at rest: one whose read fails then is the
 * machine's answer, not the server's (smaps_rollup of a task without an mm
 * is ESRCH, page_owner without page_owner=on EINVAL, as in Linux), and is
 * left out of the stress.
 */
static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char buf[16];
	long n;

	(void)ftw;
	if (flag != FTW_F || !S_ISREG(st->st_mode) || !(st->st_mode & S_IRUSR))
		return 0;
	n = read_file(path, buf, sizeof(buf));
	if (n < 0) {
		if (nr_refused++ < 5)
			printf("left out: %s (%s)\n", path, strerror((int)-n));
		return 0;
	}
	if (nr_files == cap_files) {
		cap_files = cap_files ? cap_files * 2 : 256;
		files = realloc(files, cap_files * sizeof(*files));
		if (!files)
			return -1;
	}
	files[nr_files++] = strdup(path);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read @path to EOF into @buf (@cap bytes, the rest dropped); bytes read or -errno. */
static long read_file(const char *path, char *buf, size_t cap)
{
	long total = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			int err = errno;

			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		if ((size_t)total < cap)
			memcpy(buf + total, chunk, (size_t)n < cap - total ? (size_t)n : cap - total);
		total += n;
	}
	close(fd);
	return total;
}

static void *reader(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	char meminfo[PATH_MAX], buf[64];

	snprintf(meminfo, sizeof(meminfo), "%s/proc/meminfo", mnt);
	while (!atomic_load(&done)) {
		bool check = rand_r(&seed) % 8 == 0;
		const char *path = check ? meminfo : files[rand_r(&seed) % nr_files];
		long n = read_file(path, buf, sizeof(buf));

		if (n < 0) {
			report("read", path, (int)-n);
			continue;
		}
		if (check && (n < 9 || memcmp(buf, "MemTotal:", 9)))
			report("meminfo does not start with MemTotal:", path, EINVAL);
		atomic_fetch_add(&nr_reads, 1);
		atomic_fetch_add(&nr_bytes, n);
	}
	return NULL;
}

static void *writer(void *arg)
{
	char path[PATH_MAX], val[16], back[16];
	int v = 0;

	(void)arg;
	snprintf(path, sizeof(path), "%s/proc/sys/vm/swappiness", mnt);
	while (!atomic_load(&done)) {
		int fd = open(path, O_WRONLY | O_TRUNC);
		int len = snprintf(val, sizeof(val), "%d\n", v);
		long n;

		if (fd < 0 || write(fd, val, (size_t)len) != len)
			report("write", path, errno);
		if (fd >= 0)
			close(fd);
		n = read_file(path, back, sizeof(back) - 1);
		if (n < 0) {
			report("read back", path, (int)-n);
		} else {
			back[n < (long)sizeof(back) - 1 ? n : (long)sizeof(back) - 1] = '\0';
			if (strcmp(back, val))
				report("swappiness did not read back", path, EINVAL);
		}
		v = (v + 7) % 101;
		usleep(20000);
	}
	return NULL;
}

int main(void)
{
	const char *tool = getenv("MMSIM_TOOL"), *secs_env = getenv("MMSIM_SERVE_SECONDS");
	double secs = secs_env ? atof(secs_env) : 5, t0;
	char dir[] = "/tmp/test_serve_mt.XXXXXX", scn[PATH_MAX], probe[PATH_MAX];
	pthread_t th[NR_READERS + 1];
	FILE *f;
	pid_t pid;
	int fd, status, ret = 0;

	fd = open("/dev/fuse", O_RDWR);
	if (fd < 0) {
		printf("SKIP: /dev/fuse: %s\n", strerror(errno));
		return 77;
	}
	close(fd);
	if (!tool) {
		fprintf(stderr, "FAIL: MMSIM_TOOL is not set (run it through ctest)\n");
		return 1;
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(mnt, sizeof(mnt), "%s/m", dir);
	snprintf(scn, sizeof(scn), "%s/busy.scn", dir);
	if (mkdir(mnt, 0755) || !(f = fopen(scn, "w")))
		return 1;
	fprintf(f, "boot ram=128M cpus=2 swap=32M\nspawn app\n");
	for (int i = 0; i < (int)(secs * 20) + 40; i++)
		fprintf(f, "mmap 2M rw anon,private as b\ntouch $b 2M write\nmunmap $b 2M\n"
			   "write /f%d 256k\ntick 50\n", i % 16);
	fclose(f);

	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		execl(tool, tool, "serve", "--foreground", "--mount", mnt, scn, (char *)NULL);
		_exit(127);
	}
	snprintf(probe, sizeof(probe), "%s/proc/meminfo", mnt);
	for (t0 = now(); access(probe, R_OK); usleep(100000)) {
		if (now() - t0 > 60 || waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "FAIL: no mount on %s\n", mnt);
			kill(pid, SIGKILL);
			return 1;
		}
	}
	if (nftw(mnt, collect, 16, FTW_PHYS) || nr_files < 50 || nr_refused * 20 > nr_files) {
		fprintf(stderr, "FAIL: the walk of %s found %zu files (%zu refused a read)\n", mnt,
			nr_files, nr_refused);
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
		return 1;
	}
	printf("%zu readable files (%zu more refused a read at rest); %d readers and a writer for %.0f s\n", nr_files, nr_refused, NR_READERS,
	       secs);
	t0 = now();
	for (int i = 0; i < NR_READERS; i++)
		pthread_create(&th[i], NULL, reader, (void *)(uintptr_t)(i + 1));
	pthread_create(&th[NR_READERS], NULL, writer, NULL);
	while (now() - t0 < secs)
		usleep(100000);
	atomic_store(&done, true);
	for (int i = 0; i <= NR_READERS; i++)
		pthread_join(th[i], NULL);
	printf("%ld reads (%.0f/s), %ld bytes, %ld errors\n", atomic_load(&nr_reads),
	       atomic_load(&nr_reads) / (now() - t0), atomic_load(&nr_bytes),
	       atomic_load(&nr_errors));
	if (atomic_load(&nr_errors) || !atomic_load(&nr_reads))
		ret = 1;
	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "FAIL: the server ended with status 0x%x\n", status);
		ret = 1;
	}
	for (size_t i = 0; i < nr_files; i++)
		free(files[i]);
	free(files);
	rmdir(mnt);
	unlink(scn);
	rmdir(dir);
	if (!ret)
		printf("PASS\n");
	return ret;
}
