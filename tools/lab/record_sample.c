// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/record_sample.c - `mmsim record --backend sample`: the program
 * runs natively with libmmsim_record_shim.so preloaded (shim/record_shim.c
 * says how it samples) and this end turns the shim's records into the
 * trace (docs/record.md).
 *
 * The program is started with LD_PRELOAD=SHIM (ahead of any the user set),
 * MMSIM_RECORD_FD=N (the write end of a pipe, inherited by every process
 * it forks and execs) and MMSIM_RECORD_INTERVAL_MS.  The records
 * (record_wire.h) arrive in batches of whole records; the pipe reaches end
 * of file when the last process holding it has gone.  The shim is found
 * beside the mmsim binary (the build tree), else in the install libdir
 * (MMSIM_LIBDIR), or where MMSIM_RECORD_SHIM says.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tools/lab/record.h"
#include "tools/lab/shim/record_wire.h"

#define SHIM_NAME "libmmsim_record_shim.so"

/* The shim's path in @buf: 0, or -1 (not found). */
static int sample_find_shim(char *buf, size_t len)
{
	const char *env = getenv("MMSIM_RECORD_SHIM");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return access(buf, R_OK) ? -1 : 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(buf, len, "%s/%s", exe, SHIM_NAME) < len && !access(buf, R_OK))
				return 0;
		}
	}
#ifdef MMSIM_LIBDIR
	if ((size_t)snprintf(buf, len, "%s/%s", MMSIM_LIBDIR, SHIM_NAME) < len && !access(buf, R_OK))
		return 0;
#endif
	return -1;
}

static bool sample_record(struct rec_sink *s, const struct rec_wire *w)
{
	struct trace_rec rec = {
		.op = w->op,
		.addr = w->addr,
		.len = w->len,
		.arg = w->arg,
		.pid = w->pid,
		.prot = w->prot,
		.flags = w->flags,
		.time = w->time > s->t0 ? w->time - s->t0 : 0,
	};

	if (w->op == REC_WIRE_HELLO) {
		/* A new image: if the pid ran an old one (execve), that one has gone. */
		if (!rec_pid_live(s, w->pid))
			return true;
		rec.op = TRACE_EXIT;
	} else if (w->op > TRACE_EXIT) {
		return true;	/* not ours: a stray write into the pipe */
	}
	return rec_emit(s, &rec);
}

int record_sample(const struct rec_opts *o, struct rec_sink *s, int *wstatus)
{
	char shim[PATH_MAX], *preload, fdarg[16], msarg[16];
	const char *old = getenv("LD_PRELOAD");
	int datap[2], execp[2], exec_err = 0;
	struct rec_wire *buf;
	size_t have = 0;
	bool go = true;
	pid_t pid;

	if (sample_find_shim(shim, sizeof(shim)))
		return fprintf(stderr, "mmsim: record: cannot find %s beside mmsim or in the install "
			       "libdir (or set MMSIM_RECORD_SHIM)\n", SHIM_NAME), -1;
	if (asprintf(&preload, "%s%s%s", shim, old && *old ? ":" : "", old && *old ? old : "") < 0)
		return fprintf(stderr, "mmsim: record: out of memory\n"), -1;
	buf = malloc(REC_WIRE_BATCH * 16 * sizeof(*buf));
	if (!buf || pipe(datap) || pipe2(execp, O_CLOEXEC)) {
		fprintf(stderr, "mmsim: record: cannot start: %s\n", strerror(errno));
		free(preload), free(buf);
		return -1;
	}
	fcntl(datap[0], F_SETFD, FD_CLOEXEC);
	snprintf(fdarg, sizeof(fdarg), "%d", datap[1]);
	snprintf(msarg, sizeof(msarg), "%u", o->interval_ms);

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		setenv("LD_PRELOAD", preload, 1);
		setenv("MMSIM_RECORD_FD", fdarg, 1);
		setenv("MMSIM_RECORD_INTERVAL_MS", msarg, 1);
		execvp(o->argv[0], o->argv);
		exec_err = errno;
		if (write(execp[1], &exec_err, sizeof(exec_err)) < 0)
			_exit(127);
		_exit(127);
	}
	free(preload);
	close(datap[1]);
	close(execp[1]);
	if (pid < 0 || read(execp[0], &exec_err, sizeof(exec_err)) == (ssize_t)sizeof(exec_err)) {
		int e = pid < 0 ? errno : exec_err;

		if (pid > 0)
			waitpid(pid, NULL, 0);
		close(datap[0]), close(execp[0]);
		free(buf);
		return rec_start_error(o->argv[0], e);
	}
	close(execp[0]);

	while (go) {
		size_t cap = REC_WIRE_BATCH * 16 * sizeof(*buf);
		ssize_t n = read(datap[0], (char *)buf + have, cap - have);
		size_t nr;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		nr = have / sizeof(*buf);
		for (size_t i = 0; go && i < nr; i++)
			go = sample_record(s, &buf[i]);
		have -= nr * sizeof(*buf);
		memmove(buf, (char *)buf + nr * sizeof(*buf), have);
	}
	if (!go)		/* --max-accesses: enough */
		kill(pid, SIGKILL);
	close(datap[0]);
	while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
		;
	free(buf);
	if (!s->nr_records && WIFEXITED(*wstatus) && !WEXITSTATUS(*wstatus)) {
		/* The dynamic loader never ran the shim: nothing was recorded. */
		fprintf(stderr, "mmsim: record: %s: the sampling shim never started (a static "
			"program? LD_PRELOAD needs the dynamic loader); no trace written\n", o->argv[0]);
		return -1;
	}
	return 0;
}
