// SPDX-License-Identifier: GPL-2.0
/*
 * tools/serve.c - `mmsim serve`: a live machine whose /proc, /sys and /dev
 * files are served as a FUSE file system (libfuse3's high-level API), so
 * that the real procps tools (free, vmstat, slabtop, pmap, watch) can read
 * them unmodified through bind mounts (docs/serve.md, REAL-CLIENTS.md).
 *
 *   mmsim serve [--mount DIR] [--foreground] [--speed X] [--step MS] SPEC...|SCENARIO
 *
 * Design.  Two kinds of threads share one machine:
 *   - the pacer (one host thread) runs the scenario (a SPEC is the one-line
 *     scenario "boot SPEC") with the interpreter of tools/scenario.c, then
 *     keeps the machine alive by advancing its virtual clock in steps of
 *     --step milliseconds of virtual time (default 100), so that timers,
 *     jiffies, /proc/stat's ticks and the kernel threads (kswapd, kcompactd,
 *     the flusher, khugepaged) go on.  Virtual time is paced against wall
 *     time: after each scenario line and each idle step, the pacer sleeps
 *     until wall time since boot reaches virtual time since boot / --speed
 *     (default 1: one virtual second per wall second).  A line that moves
 *     the clock by a lot at once (`tick 5000`, `vmstat 1 10`) is one step:
 *     pacing is per line, never inside one.  It is the thread that booted
 *     the machine, so it holds CPU 0 throughout.
 *   - FUSE worker threads (fuse_loop_mt) answer the kernel's requests.
 *     open renders the whole file with mmsim_read() into a per-handle
 *     buffer (a reader sees one consistent snapshot, as seq_file gives a
 *     read of a real /proc file), read copies from it, release frees it.
 *     Files report size 0 as /proc does, and are served with direct_io so
 *     that reads reach us regardless.  A write goes to mmsim_write() whole
 *     (one write(2), one store, as a sysctl write in Linux), and its
 *     errno (EINVAL, EACCES, EIO) goes back to the writer.
 *
 * The tree: mmsim_for_each_file() lists the machine's files, a component
 * "*" standing for a pid, a slab cache or a node.  Directories are the
 * prefixes of those paths.  A "*" is expanded by readdir to the live names
 * (pids from next_task_of(), slab caches from /proc/slabinfo, nodes from
 * /proc/buddyinfo) and accepted by lookup only for those names; a "*" with
 * no such list (the shrinker directories of debugfs) serves no names.
 *
 * Locking.  mmsim_read() may run on any thread at any time: it borrows a
 * free CPU of the machine or observes as CPU 0, and each renderer takes the
 * locks its data needs (fs/proc/registry.c), so reads take no lock here and
 * never wait for the scenario.  Writes change the machine the way a
 * scenario line does (drop_caches reclaims, sysrq-trigger OOM-kills), so
 * srv.lock serializes them with the pacer: the pacer holds it while a
 * scenario line runs or the clock advances, and drops it while it sleeps.
 * The file list is fixed after boot, and task structs live until shutdown,
 * so the tree needs no lock either.  The machine is shut down by the pacer
 * only after the FUSE loop has ended and the file system is unmounted.
 *
 * Ending: SIGINT, SIGTERM or SIGHUP (libfuse's handlers), or `fusermount3
 * -u DIR`, ends the FUSE loop; the file system is unmounted, the pacer is
 * stopped (a scenario still running stops before its next line), the
 * machine shut down, and the exit status is 0.  A scenario line that fails
 * prints its "FILE:LINE: problem" and ends the server the same way, with
 * exit status 1.  Without --foreground the command returns (0) once the
 * file system is mounted, the server going on in the background.
 */
#define _GNU_SOURCE
#define FUSE_USE_VERSION 35
#include <fuse.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <mmsim/sched.h>
#include "tools/scenario.h"

#define SERVE_MAX_DEPTH 16		/* components of a served path */

/* One file of the machine's tree, its path split into components. */
struct serve_file {
	char *path;			/* "/proc/ * /maps" (without the spaces) */
	char *buf;			/* a copy of path, split */
	char *comp[SERVE_MAX_DEPTH];	/* into buf */
	int depth;
	int access;			/* R_OK | W_OK */
};

struct serve {
	struct scn scn;			/* the pacer's interpreter; scn.m is the machine */
	struct mmsim *m;		/* set once booted */
	const char *file;		/* scenario name, for error lines */
	char *text;			/* the scenario */
	double speed;			/* virtual seconds per wall second */
	uint64_t step_ns;		/* idle step of virtual time */
	pthread_mutex_t lock;		/* writes vs the pacer (see Locking) */
	pthread_mutex_t state_lock;	/* the fields below */
	pthread_cond_t state_cond;	/* booted / failed / stop changed */
	bool booted, done;
	bool serving;			/* the FUSE loop is about to run */
	int failed;			/* the scenario failed: exit 1 */
	atomic_bool stop;		/* the pacer should end */
	struct timespec wall0;		/* CLOCK_MONOTONIC at boot */
	uint64_t virt0;			/* virtual clock at boot */
	time_t mtime;			/* the files' times */
	struct serve_file *files;
	size_t nr_files;
};

static struct serve srv;

/* ---------------------------------------------------------------------
 * The tree
 */

/* A list of names, deduplicated on insert. */
struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *nl, const char *name, size_t len)
{
	char **bigger;

	for (size_t i = 0; i < nl->n; i++)
		if (strlen(nl->v[i]) == len && !memcmp(nl->v[i], name, len))
			return;
	if (nl->n == nl->cap) {
		size_t cap = nl->cap ? nl->cap * 2 : 32;

		bigger = realloc(nl->v, cap * sizeof(*bigger));
		if (!bigger)
			return;
		nl->v = bigger;
		nl->cap = cap;
	}
	nl->v[nl->n] = strndup(name, len);
	if (nl->v[nl->n])
		nl->n++;
}

static void names_free(struct names *nl)
{
	for (size_t i = 0; i < nl->n; i++)
		free(nl->v[i]);
	free(nl->v);
	*nl = (struct names){ 0 };
}

/* The first word of each line of @path after @skip lines (slabinfo's names). */
static void names_from_column(struct names *nl, const char *path, int skip)
{
	char *text = mmsim_read(srv.m, path), *p;

	if (!text)
		return;
	p = text;
	for (int line = 0; *p; line++) {
		char *nl_end = strchr(p, '\n');

		if (line >= skip)
			names_add(nl, p, strcspn(p, " \t\n"));
		if (!nl_end)
			break;
		p = nl_end + 1;
	}
	free(text);
}

/* "nodeN" for each "Node N," of /proc/buddyinfo. */
static void names_of_nodes(struct names *nl)
{
	char *text = mmsim_read(srv.m, "/proc/buddyinfo"), *p;
	char name[32];
	int nid;

	if (!text)
		return;
	for (p = text; (p = strstr(p, "Node ")); p += 5)
		if (sscanf(p, "Node %d,", &nid) == 1) {
			int n = snprintf(name, sizeof(name), "node%d", nid);

			names_add(nl, name, (size_t)n);
		}
	free(text);
}

/* The names a "*" under directory @dir (components comp[0..depth)) stands for. */
static void star_names(struct names *nl, char **comp, int depth)
{
	char name[32];

	if (depth == 1 && !strcmp(comp[0], "proc")) {
		for (struct task_struct *t = next_task_of(srv.m, NULL); t;
		     t = next_task_of(srv.m, t)) {
			int n = snprintf(name, sizeof(name), "%d", (int)task_pid_nr(t));

			names_add(nl, name, (size_t)n);
		}
	} else if (depth == 3 && !strcmp(comp[0], "sys") && !strcmp(comp[1], "kernel") &&
		   !strcmp(comp[2], "slab")) {
		names_from_column(nl, "/proc/slabinfo", 2);
	} else if (depth == 4 && !strcmp(comp[0], "sys") && !strcmp(comp[1], "devices") &&
		   !strcmp(comp[2], "system") && !strcmp(comp[3], "node")) {
		names_of_nodes(nl);
	}
}

static bool star_accepts(char **comp, int depth, const char *name)
{
	struct names nl = { 0 };
	bool ok = false;

	star_names(&nl, comp, depth);
	for (size_t i = 0; i < nl.n && !ok; i++)
		ok = !strcmp(nl.v[i], name);
	names_free(&nl);
	return ok;
}

/* Split @path ("/a/b/c") into @comp in place; the number, or -1 if too deep. */
static int split_path(char *path, char **comp)
{
	char *save = NULL;
	int n = 0;

	for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (n == SERVE_MAX_DEPTH)
			return -1;
		comp[n++] = tok;
	}
	return n;
}

static int add_file(void *arg, const char *path, int access)
{
	struct serve *s = arg;
	struct serve_file *f, *bigger;
	char *copy;

	bigger = realloc(s->files, (s->nr_files + 1) * sizeof(*bigger));
	if (!bigger)
		return -ENOMEM;
	s->files = bigger;
	f = &s->files[s->nr_files];
	copy = strdup(path);
	f->path = strdup(path);
	if (!copy || !f->path) {
		free(copy);
		free(f->path);
		return -ENOMEM;
	}
	f->buf = copy;
	f->depth = split_path(copy, f->comp);
	f->access = access;
	if (f->depth <= 0) {
		free(copy);
		free(f->path);
		return 0;	/* deeper than we serve: left out */
	}
	s->nr_files++;
	return 0;
}

/*
 * Does the served file @f start with @comp[0..depth)?  A "*" of @f takes a
 * component only if it names a live instance.  Whether comp[i] is one
 * depends on the path alone, so @memo[i] (0 unknown, 1 yes, -1 no) keeps
 * the answer across the files of one lookup.
 */
static bool file_has_prefix(const struct serve_file *f, char **comp, int depth, signed char *memo)
{
	if (f->depth < depth)
		return false;
	for (int i = 0; i < depth; i++) {
		if (!strcmp(f->comp[i], "*")) {
			if (!memo[i])
				memo[i] = star_accepts(comp, i, comp[i]) ? 1 : -1;
			if (memo[i] < 0)
				return false;
		} else if (strcmp(f->comp[i], comp[i])) {
			return false;
		}
	}
	return true;
}

enum { NODE_NONE, NODE_DIR, NODE_FILE };

/* What @path is: NODE_FILE (its access in *@access), NODE_DIR or NODE_NONE. */
static int lookup(const char *path, int *access)
{
	char buf[PATH_MAX], *comp[SERVE_MAX_DEPTH];
	signed char memo[SERVE_MAX_DEPTH] = { 0 };
	int depth, kind = NODE_NONE;

	if (strlen(path) >= sizeof(buf))
		return NODE_NONE;
	strcpy(buf, path);
	depth = split_path(buf, comp);
	if (depth < 0)
		return NODE_NONE;
	if (depth == 0)
		return NODE_DIR;
	/* Exact files first, as the registry matches them first. */
	for (int pass = 0; pass < 2 && kind != NODE_FILE; pass++)
		for (size_t i = 0; i < srv.nr_files && kind != NODE_FILE; i++) {
			const struct serve_file *f = &srv.files[i];
			bool pattern = strchr(f->path, '*') != NULL;

			if (pattern != (pass == 1))
				continue;
			if (f->depth == depth && file_has_prefix(f, comp, depth, memo)) {
				kind = NODE_FILE;
				*access = f->access;
			} else if (kind == NODE_NONE && f->depth > depth &&
				   file_has_prefix(f, comp, depth, memo)) {
				kind = NODE_DIR;
			}
		}
	return kind;
}

/* ---------------------------------------------------------------------
 * FUSE operations
 */

/*
 * An open file: the text rendered at open.  Every handle is on srv's list
 * (fh_lock) until release, so that those whose release the kernel still
 * had queued when the loop ended (it sends them in the background) are
 * freed at exit.
 */
struct serve_fh {
	char *text;
	size_t len;
	struct serve_fh *prev, *next;
};

static pthread_mutex_t fh_lock = PTHREAD_MUTEX_INITIALIZER;
static struct serve_fh fh_list = { .prev = &fh_list, .next = &fh_list };

static void fh_free_all(void)
{
	while (fh_list.next != &fh_list) {
		struct serve_fh *fh = fh_list.next;

		fh_list.next = fh->next;
		free(fh->text);
		free(fh);
	}
	fh_list.prev = &fh_list;
}

static void *serve_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* Releases come as background requests: let enough be in flight that
	 * they keep up with a hundred readers' opens. */
	if (conn->max_background < 256)
		conn->max_background = 256;
	cfg->direct_io = 1;		/* size 0 as /proc, read to EOF */
	cfg->entry_timeout = 1.0;
	cfg->attr_timeout = 1.0;
	cfg->negative_timeout = 0;
	cfg->kernel_cache = 0;
	return NULL;
}

static int serve_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int access = 0;

	(void)fi;
	memset(st, 0, sizeof(*st));
	switch (lookup(path, &access)) {
	case NODE_DIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		break;
	case NODE_FILE:
		st->st_mode = S_IFREG | ((access & R_OK) ? 0444 : 0) | ((access & W_OK) ? 0200 : 0);
		st->st_nlink = 1;
		break;
	default:
		return -ENOENT;
	}
	st->st_atime = st->st_mtime = st->st_ctime = srv.mtime;
	return 0;
}

static int serve_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
			 struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	char pbuf[PATH_MAX], *comp[SERVE_MAX_DEPTH];
	signed char memo[SERVE_MAX_DEPTH] = { 0 };
	struct names nl = { 0 };
	int depth, access;

	(void)off;
	(void)fi;
	(void)flags;
	if (lookup(path, &access) != NODE_DIR)
		return -ENOTDIR;
	if (strlen(path) >= sizeof(pbuf))
		return -ENAMETOOLONG;
	strcpy(pbuf, path);
	depth = split_path(pbuf, comp);
	if (depth < 0)
		return -ENOENT;
	for (size_t i = 0, stars = 0; i < srv.nr_files; i++) {
		const struct serve_file *f = &srv.files[i];

		if (f->depth <= depth || !file_has_prefix(f, comp, depth, memo))
			continue;
		if (!strcmp(f->comp[depth], "*")) {
			if (!stars++)	/* the same names for every file under the "*" */
				star_names(&nl, comp, depth);
		} else
			names_add(&nl, f->comp[depth], strlen(f->comp[depth]));
	}
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	for (size_t i = 0; i < nl.n; i++)
		filler(buf, nl.v[i], NULL, 0, 0);
	names_free(&nl);
	return 0;
}

static int serve_open(const char *path, struct fuse_file_info *fi)
{
	int access = 0, mode = fi->flags & O_ACCMODE;
	struct serve_fh *fh;

	switch (lookup(path, &access)) {
	case NODE_FILE:
		break;
	case NODE_DIR:
		return -EISDIR;
	default:
		return -ENOENT;
	}
	if ((mode != O_WRONLY && !(access & R_OK)) || (mode != O_RDONLY && !(access & W_OK)))
		return -EACCES;
	fh = calloc(1, sizeof(*fh));
	if (!fh)
		return -ENOMEM;
	if (mode != O_WRONLY) {
		fh->text = mmsim_read(srv.m, path);
		if (!fh->text) {
			int err = errno ? errno : EIO;

			free(fh);
			return -err;
		}
		fh->len = strlen(fh->text);
	}
	pthread_mutex_lock(&fh_lock);
	fh->next = &fh_list;
	fh->prev = fh_list.prev;
	fh_list.prev->next = fh;
	fh_list.prev = fh;
	pthread_mutex_unlock(&fh_lock);
	fi->fh = (uintptr_t)fh;
	fi->direct_io = 1;
	return 0;
}

static int serve_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct serve_fh *fh = (struct serve_fh *)(uintptr_t)fi->fh;

	(void)path;
	if (!fh->text)
		return -EBADF;
	if (off < 0 || (size_t)off >= fh->len)
		return 0;
	if (size > fh->len - (size_t)off)
		size = fh->len - (size_t)off;
	memcpy(buf, fh->text + off, size);
	return (int)size;
}

static int serve_write(const char *path, const char *buf, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	char *text = strndup(buf, size);
	int ret;

	(void)off;
	(void)fi;
	if (!text)
		return -ENOMEM;
	pthread_mutex_lock(&srv.lock);
	ret = mmsim_write(srv.m, path, text);
	pthread_mutex_unlock(&srv.lock);
	free(text);
	return ret < 0 ? ret : (int)size;
}

/* `echo 1 > FILE` opens with O_TRUNC: a writable file takes it as a no-op. */
static int serve_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int access = 0;

	(void)size;
	(void)fi;
	if (lookup(path, &access) != NODE_FILE)
		return -ENOENT;
	return (access & W_OK) ? 0 : -EACCES;
}

static int serve_release(const char *path, struct fuse_file_info *fi)
{
	struct serve_fh *fh = (struct serve_fh *)(uintptr_t)fi->fh;

	(void)path;
	if (fh) {
		pthread_mutex_lock(&fh_lock);
		fh->prev->next = fh->next;
		fh->next->prev = fh->prev;
		pthread_mutex_unlock(&fh_lock);
		free(fh->text);
		free(fh);
	}
	return 0;
}

static const struct fuse_operations serve_ops = {
	.init = serve_init,
	.getattr = serve_getattr,
	.readdir = serve_readdir,
	.open = serve_open,
	.read = serve_read,
	.write = serve_write,
	.truncate = serve_truncate,
	.release = serve_release,
};

/* ---------------------------------------------------------------------
 * The pacer
 */

static uint64_t ns_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - t0->tv_sec) * 1000000000ull + (uint64_t)now.tv_nsec -
	       (uint64_t)t0->tv_nsec;
}

/*
 * Sleep (without srv.lock) until wall time since boot reaches the virtual
 * time since boot divided by the speed, or until asked to stop.
 */
static void pace(void)
{
	uint64_t virt = mmsim_clock_ns(srv.m) - srv.virt0;
	uint64_t due = (uint64_t)((double)virt / srv.speed);

	pthread_mutex_unlock(&srv.lock);
	pthread_mutex_lock(&srv.state_lock);
	while (!atomic_load(&srv.stop)) {
		uint64_t now = ns_since(&srv.wall0);
		struct timespec until;

		if (now >= due)
			break;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)((due - now) / 1000000000ull);
		until.tv_nsec += (long)((due - now) % 1000000000ull);
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&srv.state_cond, &srv.state_lock, &until);
	}
	pthread_mutex_unlock(&srv.state_lock);
	pthread_mutex_lock(&srv.lock);
}

/* After each scenario line: note the boot, then pace. */
static void serve_after_line(struct scn *s, void *arg)
{
	(void)arg;
	fflush(s->out);			/* a live server's log is read as it goes */
	if (!srv.m && s->m) {
		pthread_mutex_lock(&srv.state_lock);
		srv.m = s->m;
		srv.virt0 = mmsim_clock_ns(s->m);
		clock_gettime(CLOCK_MONOTONIC, &srv.wall0);
		srv.booted = true;
		pthread_cond_broadcast(&srv.state_cond);
		pthread_mutex_unlock(&srv.state_lock);
	}
	if (srv.m)
		pace();
}

static void *pacer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&srv.lock);
	if (scn_run(&srv.scn, srv.text) == 0 && srv.m) {
		while (!atomic_load(&srv.stop)) {
			mmsim_advance_clock(srv.m, srv.step_ns);
			pace();
		}
	} else {
		srv.failed = 1;
	}
	pthread_mutex_unlock(&srv.lock);
	pthread_mutex_lock(&srv.state_lock);
	srv.done = true;
	pthread_cond_broadcast(&srv.state_cond);
	/* A failed scenario ends the FUSE loop (once its handlers are set). */
	while (srv.failed && !srv.serving && !atomic_load(&srv.stop))
		pthread_cond_wait(&srv.state_cond, &srv.state_lock);
	if (srv.failed && !atomic_load(&srv.stop))
		kill(getpid(), SIGTERM);
	/* The booting thread shuts the machine down, after the unmount. */
	while (!atomic_load(&srv.stop))
		pthread_cond_wait(&srv.state_cond, &srv.state_lock);
	pthread_mutex_unlock(&srv.state_lock);
	scn_destroy(&srv.scn);
	return NULL;
}

/* ---------------------------------------------------------------------
 * The command
 */

/* A command-line error: one line "mmsim: serve: ...", exit status 2. */
static int serve_usage(const char *fmt, const char *arg)
{
	fputs("mmsim: serve: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (usage: mmsim serve [--mount DIR] [--foreground] [--speed X] [--step MS] "
	      "SPEC...|SCENARIO)\n", stderr);
	return 2;
}

/* The scenario: the file @arg, or "boot SPEC" from the words. */
static int load_scenario(int argc, char **argv)
{
	struct stat st;
	FILE *f;
	long len;
	int boots = 0;

	if (argc == 1 && strchr(argv[0], '=') == NULL && stat(argv[0], &st) == 0) {
		f = fopen(argv[0], "r");
		if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
			fprintf(stderr, "mmsim: serve: %s: %s\n", argv[0], strerror(errno));
			if (f)
				fclose(f);
			return 1;
		}
		srv.text = calloc(1, (size_t)len + 1);
		if (!srv.text || fread(srv.text, 1, (size_t)len, f) != (size_t)len) {
			fprintf(stderr, "mmsim: serve: %s: read failed\n", argv[0]);
			fclose(f);
			return 1;
		}
		fclose(f);
		srv.file = srv.scn.file = argv[0];
		if (scn_check_text(&srv.scn, srv.text, (size_t)len))
			return 1;
	} else {
		char *spec = scn_join(argc, argv, 0);

		if (!spec || asprintf(&srv.text, "boot %s\n", spec) < 0) {
			free(spec);
			return 1;
		}
		free(spec);
		srv.file = "serve";
	}
	/* A second boot would free the machine under the readers. */
	for (const char *p = srv.text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		p += strspn(p, " \t");
		if (!strncmp(p, "boot", 4) && (p[4] == ' ' || p[4] == '\t' || p[4] == '\n' || !p[4]))
			boots++;
	}
	if (boots != 1) {
		fprintf(stderr, "%s:1: serve: the scenario must boot exactly one machine (%d boot lines)\n",
			srv.file, boots);
		return 1;
	}
	return 0;
}

/*
 * Without --foreground: fork; the parent waits on a pipe for the child to
 * say whether it is serving, and exits with that status.
 */
static int daemon_pipe[2] = { -1, -1 };

static int go_background(void)
{
	pid_t pid;
	char status = 1;

	if (pipe(daemon_pipe))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(daemon_pipe[1]);
		if (read(daemon_pipe[0], &status, 1) != 1)
			status = 1;
		_exit(status);
	}
	close(daemon_pipe[0]);
	setsid();
	return 0;
}

static void tell_parent(char status)
{
	if (daemon_pipe[1] >= 0) {
		int fd = open("/dev/null", O_RDWR);

		if (write(daemon_pipe[1], &status, 1) != 1)
			status = 1;
		close(daemon_pipe[1]);
		daemon_pipe[1] = -1;
		if (fd >= 0) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
	}
}

int main_serve(int argc, char **argv)
{
	const char *mount_dir = NULL;
	bool foreground = false;
	char mnt[PATH_MAX];
	struct fuse_args args = FUSE_ARGS_INIT(0, NULL);
	struct fuse *fuse = NULL;
	pthread_t pacer;
	sigset_t block, old;
	int i, ret = 1;

	srv.speed = 1.0;
	srv.step_ns = 100 * 1000000ull;
	for (i = 0; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		char *end;

		if (!strcmp(argv[i], "--foreground") || !strcmp(argv[i], "-f")) {
			foreground = true;
		} else if (!strcmp(argv[i], "--mount") && i + 1 < argc) {
			mount_dir = argv[++i];
		} else if (!strcmp(argv[i], "--speed") && i + 1 < argc) {
			srv.speed = strtod(argv[++i], &end);
			if (*end || !(srv.speed > 0 && srv.speed <= 1e6))
				return serve_usage("bad --speed '%s' (a number > 0)", argv[i]);
		} else if (!strcmp(argv[i], "--step") && i + 1 < argc) {
			unsigned long ms = strtoul(argv[++i], &end, 10);

			if (*end || !ms || ms > 3600000)
				return serve_usage("bad --step '%s' (milliseconds, 1..3600000)", argv[i]);
			srv.step_ns = ms * 1000000ull;
		} else {
			return serve_usage("unknown option '%s'", argv[i]);
		}
	}
	if (i == argc)
		return serve_usage("%s", "no SPEC or SCENARIO");
	scn_init(&srv.scn, "serve", stdout);
	if (load_scenario(argc - i, argv + i))
		return 1;
	srv.scn.file = srv.file;
	if (!mount_dir) {
		snprintf(mnt, sizeof(mnt), "/tmp/mmsim-serve.%d", (int)getpid());
		if (mkdir(mnt, 0755) && errno != EEXIST) {
			fprintf(stderr, "mmsim: serve: %s: %s\n", mnt, strerror(errno));
			return 1;
		}
	} else if (!realpath(mount_dir, mnt)) {
		fprintf(stderr, "mmsim: serve: %s: %s\n", mount_dir, strerror(errno));
		return 1;
	}
	if (!foreground && go_background()) {
		fprintf(stderr, "mmsim: serve: fork: %s\n", strerror(errno));
		return 1;
	}

	pthread_mutex_init(&srv.lock, NULL);
	pthread_mutex_init(&srv.state_lock, NULL);
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&srv.state_cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	srv.mtime = time(NULL);
	srv.scn.after_line = serve_after_line;
	srv.scn.stop = &srv.stop;

	/* The pacer takes no signal: they end the FUSE loop. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (pthread_create(&pacer, NULL, pacer_main, NULL)) {
		fprintf(stderr, "mmsim: serve: cannot start the pacer\n");
		tell_parent(1);
		return 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	pthread_mutex_lock(&srv.state_lock);
	while (!srv.booted && !srv.done)
		pthread_cond_wait(&srv.state_cond, &srv.state_lock);
	pthread_mutex_unlock(&srv.state_lock);
	if (!srv.booted)
		goto out_stop;		/* the scenario failed before its boot */

	if (mmsim_for_each_file(srv.m, add_file, &srv)) {
		fprintf(stderr, "mmsim: serve: out of memory listing the files\n");
		goto out_stop;
	}
	if (fuse_opt_add_arg(&args, "mmsim") ||
	    fuse_opt_add_arg(&args, "-o") ||
	    fuse_opt_add_arg(&args, getuid() == 0 ? "fsname=mmsim,subtype=mmsim,allow_other"
						   : "fsname=mmsim,subtype=mmsim"))
		goto out_stop;
	fuse = fuse_new(&args, &serve_ops, sizeof(serve_ops), NULL);
	if (!fuse) {
		fprintf(stderr, "mmsim: serve: fuse_new failed\n");
		goto out_stop;
	}
	if (fuse_mount(fuse, mnt)) {
		fprintf(stderr, "mmsim: serve: cannot mount on %s\n", mnt);
		goto out_destroy;
	}
	if (fuse_set_signal_handlers(fuse_get_session(fuse))) {
		fprintf(stderr, "mmsim: serve: cannot set signal handlers\n");
		goto out_unmount;
	}
	fprintf(stderr, "mmsim: serve: %s on %s (pid %d)\n", srv.file, mnt, (int)getpid());
	tell_parent(0);
	pthread_mutex_lock(&srv.state_lock);
	srv.serving = true;
	pthread_cond_broadcast(&srv.state_cond);
	pthread_mutex_unlock(&srv.state_lock);
	{
		struct fuse_loop_config cfg = { .clone_fd = 0, .max_idle_threads = 16 };

		/* A signal's number when one ended it (libfuse's handlers), -errno on a failure. */
		ret = fuse_loop_mt(fuse, &cfg) < 0 ? 1 : 0;
	}
	fuse_remove_signal_handlers(fuse_get_session(fuse));
out_unmount:
	fuse_unmount(fuse);
out_destroy:
	fuse_destroy(fuse);
out_stop:
	atomic_store(&srv.stop, true);
	pthread_mutex_lock(&srv.state_lock);
	pthread_cond_broadcast(&srv.state_cond);
	pthread_mutex_unlock(&srv.state_lock);
	pthread_join(pacer, NULL);
	tell_parent(1);
	if (srv.failed)
		ret = 1;
	fuse_opt_free_args(&args);
	fh_free_all();
	for (size_t k = 0; k < srv.nr_files; k++) {
		free(srv.files[k].path);
		free(srv.files[k].buf);
	}
	free(srv.files);
	free(srv.text);
	if (!mount_dir)
		rmdir(mnt);
	return ret;
}
