// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/replay_cache.c - cache mode of `mmsim replay`: the bare
 * policies of mm/policy/ on a trace's page ids, libCacheSim's model with
 * --ignore-obj-size (<mmsim/cache_policy.h>, docs/lab.md "Cache mode").
 *
 * Jobs: every policy x size is one cache_sim_run over the same id array
 * (read-only, shared), done by --threads workers (1 or 2) that take the
 * next job from a counter under a mutex; results land in the job's own
 * slot, so the output order is the command line's whatever thread ran
 * what.  An offline policy (OPT) gets cache_next_use() computed once.
 * --mrc with lru takes mrc_lru() instead: every size's misses in one pass
 * (Mattson's stack distances, or SHARDS with --shards RATE < 1), and each
 * policy's runs carry an "mrc" object (method "mattson"/"shards" for lru,
 * "simulation" for the others: the sizes simulated one by one).
 *
 * --policy takes NAME[:ARGS] items separated by commas; an item with '='
 * and no ':' continues the previous item's ARGS ("s3fifo:small=0.1,ghost=0.9,lru").
 *
 * Locking: jobs.lock guards next; each job's result is written by the one
 * worker that took it and read after pthread_join.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mmsim/lru_policy.h>
#include "tools/lab/replay.h"

#define MAX_POLICIES	64
#define MAX_SIZES	4096

struct cpol {
	const struct cache_policy_ops *ops;
	char *args;			/* malloc'd, or NULL */
	char *label;			/* NAME or NAME:ARGS, for the output */
};

struct cjob {
	const struct cpol *pol;
	uint64_t size;
	struct cache_sim_result res;
	double seconds;
	int ret;
	char err[256];
};

struct cjobs {
	pthread_mutex_t lock;
	size_t next, nr;		/* under lock */
	struct cjob *job;
	const cache_id_t *ids;
	uint64_t n;
	const uint64_t *next_use;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * The cache policies (registry order), then the kernel's own reclaim
 * policies; each says whether kernel mode takes it (lru_policy_find: the
 * kernel's names, and cache policies once mm/policy/lru_adapter.c serves
 * them).
 */
void replay_cache_list_policies(FILE *f)
{
	static const struct {
		const char *name, *title;
	} kernel[] = {
		{ "classic", "Linux's two-list active/inactive LRU (mm/vmscan.c)" },
		{ "mglru", "Linux's multi-generational LRU (mm/vmscan.c, lru_gen)" },
	};
	const struct cache_policy_ops *ops;

	for (unsigned int i = 0; (ops = cache_policy_at(i)); i++)
		fprintf(f, "%-10s %s%s\n", ops->name, ops->title,
			ops->flags & CACHE_POLICY_OFFLINE ? " [offline: cache mode only]" :
			lru_policy_find(ops->name) ? "" : " [cache mode only]");
	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++)
		if (lru_policy_find(kernel[i].name))
			fprintf(f, "%-10s %s [kernel mode only]\n", kernel[i].name,
				kernel[i].title);
}

static void free_policies(struct cpol *p, int nr)
{
	for (int i = 0; i < nr; i++) {
		free(p[i].args);
		free(p[i].label);
	}
}

/* "lru,s3fifo:small=0.1,ghost=0.9": 0, or 1 with the message in @err. */
static int parse_policies(const char *list, struct cpol *p, int *nr, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL, *item;

	*nr = 0;
	if (!copy)
		return -ENOMEM;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(item, ':');

		if (!colon && strchr(item, '=') && *nr) {	/* more ARGS of the previous item */
			struct cpol *prev = &p[*nr - 1];
			char *a, *l;

			if (asprintf(&a, "%s,%s", prev->args ? prev->args : "", item) < 0 ||
			    asprintf(&l, "%s,%s", prev->label, item) < 0)
				goto nomem;
			free(prev->args);
			free(prev->label);
			prev->args = a;
			prev->label = l;
			continue;
		}
		if (*nr == MAX_POLICIES) {
			snprintf(err, errlen, "--policy: more than %d policies", MAX_POLICIES);
			goto bad;
		}
		if (colon)
			*colon = '\0';
		p[*nr].ops = cache_policy_find(item);
		if (!p[*nr].ops) {
			snprintf(err, errlen, "--policy: unknown policy '%s' (--policy help lists them)",
				 item);
			goto bad;
		}
		p[*nr].args = colon ? strdup(colon + 1) : NULL;
		if (colon)
			*colon = ':';
		p[*nr].label = strdup(item);
		(*nr)++;
		if (!p[*nr - 1].label || (colon && !p[*nr - 1].args))
			goto nomem;
	}
	free(copy);
	if (!*nr) {
		snprintf(err, errlen, "--policy: no policy named");
		return 1;
	}
	return 0;
nomem:
	free(copy);
	free_policies(p, *nr);
	return -ENOMEM;
bad:
	free(copy);
	free_policies(p, *nr);
	return 1;
}

static int parse_sizes(const char *list, uint64_t *sizes, unsigned int *nr, char *err,
		       size_t errlen)
{
	const char *p = list;

	*nr = 0;
	while (*p) {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno || end == p || *p == '-' || !v || (*end && *end != ',')) {
			snprintf(err, errlen, "--size: '%s' is not a list of page counts >= 1", list);
			return 1;
		}
		if (*nr == MAX_SIZES) {
			snprintf(err, errlen, "--size: more than %d sizes", MAX_SIZES);
			return 1;
		}
		sizes[(*nr)++] = v;
		p = *end ? end + 1 : end;
	}
	if (!*nr) {
		snprintf(err, errlen, "--size: no size given");
		return 1;
	}
	return 0;
}

static void *worker(void *arg)
{
	struct cjobs *js = arg;

	for (;;) {
		struct cache_policy_params params = { 0 };
		struct cjob *j;
		double t0;

		pthread_mutex_lock(&js->lock);
		j = js->next < js->nr ? &js->job[js->next++] : NULL;
		pthread_mutex_unlock(&js->lock);
		if (!j)
			return NULL;
		params.capacity = j->size;
		params.args = j->pol->args;
		params.next_use = js->next_use;
		params.nr_requests = js->next_use ? js->n : 0;
		t0 = now_seconds();
		j->ret = cache_sim_run(j->pol->ops, &params, js->ids, js->n, &j->res, j->err,
				       sizeof(j->err));
		j->seconds = now_seconds() - t0;
	}
}

static int run_jobs(struct cjobs *js, int threads)
{
	pthread_t tid[2];
	int started = 0;

	if (threads > 1 && js->nr > 1) {
		for (; started < threads - 1; started++)
			if (pthread_create(&tid[started], NULL, worker, js))
				break;
	}
	worker(js);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	return 0;
}

static json_t *cache_json(const struct replay_meta *meta, const char *policy, uint64_t size,
			  uint64_t requests, uint64_t misses, double seconds)
{
	json_t *o = json_object();
	int bad = !o;

	if (bad)
		return NULL;
	bad |= json_object_set_new(o, "mmsim_lab", json_integer(1));
	bad |= json_object_set_new(o, "mode", json_string("cache"));
	bad |= json_object_set_new(o, "trace", json_string(meta->trace));
	bad |= json_object_set_new(o, "format", json_string(meta->format));
	bad |= json_object_set_new(o, "policy", json_string(policy));
	bad |= json_object_set_new(o, "size_pages", json_integer((json_int_t)size));
	bad |= json_object_set_new(o, "requests", json_integer((json_int_t)requests));
	bad |= json_object_set_new(o, "hits", json_integer((json_int_t)(requests - misses)));
	bad |= json_object_set_new(o, "misses", json_integer((json_int_t)misses));
	bad |= json_object_set_new(o, "miss_ratio",
				   json_real(requests ? (double)misses / (double)requests : 0));
	bad |= json_object_set_new(o, "wall_seconds", json_real(seconds));
	bad |= json_object_set_new(o, "requests_per_second",
				   json_real(seconds > 0 ? (double)requests / seconds : 0));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *mrc_json(const char *method, const uint64_t *sizes, const uint64_t *misses,
			unsigned int nr, uint64_t requests)
{
	json_t *o = json_object(), *s = json_array(), *m = json_array(), *r = json_array();
	int bad = !o || !s || !m || !r;

	for (unsigned int i = 0; !bad && i < nr; i++) {
		bad |= json_array_append_new(s, json_integer((json_int_t)sizes[i]));
		bad |= json_array_append_new(m, json_integer((json_int_t)misses[i]));
		bad |= json_array_append_new(r, json_real(requests ? (double)misses[i] /
								    (double)requests : 0));
	}
	if (!bad) {
		bad |= json_object_set_new(o, "method", json_string(method));
		bad |= json_object_set_new(o, "sizes", s);
		bad |= json_object_set_new(o, "misses", m);
		bad |= json_object_set_new(o, "miss_ratio", r);
		if (!bad)
			return o;
		s = m = r = NULL;
	}
	json_decref(o);
	json_decref(s);
	json_decref(m);
	json_decref(r);
	return NULL;
}

static void table_row(FILE *t, bool header, const char *policy, uint64_t size, uint64_t req,
		      uint64_t misses, double seconds)
{
	if (!t)
		return;
	if (header)
		fprintf(t, "%-16s %12s %12s %12s %10s %9s %9s\n", "policy", "size_pages",
			"requests", "misses", "miss_ratio", "wall_s", "Mreq/s");
	fprintf(t, "%-16s %12llu %12llu %12llu %10.6f %9.3f %9.2f\n", policy,
		(unsigned long long)size, (unsigned long long)req, (unsigned long long)misses,
		req ? (double)misses / (double)req : 0, seconds,
		seconds > 0 ? (double)req / seconds / 1e6 : 0);
}

int replay_cache(const struct replay_copts *o, const struct replay_meta *meta,
		 const cache_id_t *ids, uint64_t n, json_t *runs, FILE *table, char *err,
		 size_t errlen)
{
	struct cpol pol[MAX_POLICIES];
	uint64_t *sizes = malloc(MAX_SIZES * sizeof(*sizes));
	struct cjobs js = { .ids = ids, .n = n };
	unsigned int nr_sizes, row = 0;
	uint64_t *next_use = NULL, *mrc_misses = NULL;
	double mrc_seconds = 0;
	bool need_next = false, mrc_pass = false;
	int nr_pol, ret;

	err[0] = '\0';
	if (!sizes)
		return -ENOMEM;
	ret = parse_policies(o->policies, pol, &nr_pol, err, errlen);
	if (ret) {
		free(sizes);
		return ret;
	}
	ret = parse_sizes(o->sizes, sizes, &nr_sizes, err, errlen);
	if (ret)
		goto out;
	for (int p = 0; p < nr_pol; p++) {
		if (pol[p].ops->flags & CACHE_POLICY_OFFLINE)
			need_next = true;
		if (o->mrc && !strcmp(pol[p].ops->name, "lru") && !pol[p].args)
			mrc_pass = true;
	}
	if (o->shards != 1.0 && !mrc_pass) {
		snprintf(err, errlen, "--shards: only with --mrc and lru");
		ret = 1;
		goto out;
	}
	ret = -ENOMEM;
	if (need_next && !(next_use = n ? cache_next_use(ids, n) : calloc(1, sizeof(*next_use))))
		goto out;	/* an empty trace still gets its (empty) next-use pass */
	if (mrc_pass) {
		double t0 = now_seconds();

		mrc_misses = calloc(nr_sizes, sizeof(*mrc_misses));
		if (!mrc_misses)
			goto out;
		ret = mrc_lru(ids, n, o->shards, sizes, nr_sizes, mrc_misses);
		if (ret) {
			snprintf(err, errlen, "--mrc: %s", strerror(-ret));
			goto out;
		}
		mrc_seconds = now_seconds() - t0;
	}
	js.next_use = next_use;
	js.job = calloc((size_t)nr_pol * nr_sizes, sizeof(*js.job));
	if (!js.job)
		goto out;
	pthread_mutex_init(&js.lock, NULL);
	for (int p = 0; p < nr_pol; p++) {
		if (mrc_pass && !strcmp(pol[p].ops->name, "lru") && !pol[p].args)
			continue;
		for (unsigned int s = 0; s < nr_sizes; s++) {
			js.job[js.nr].pol = &pol[p];
			js.job[js.nr++].size = sizes[s];
		}
	}
	run_jobs(&js, o->threads < 1 ? 1 : o->threads);
	pthread_mutex_destroy(&js.lock);
	for (size_t j = 0; j < js.nr; j++)
		if (js.job[j].ret) {
			snprintf(err, errlen, "%s", js.job[j].err);
			ret = js.job[j].ret == -EINVAL ? 1 : js.job[j].ret;
			goto out;
		}
	/* the runs, in the command line's order */
	ret = -ENOMEM;
	for (int p = 0, j = 0; p < nr_pol; p++) {
		bool by_mrc = mrc_pass && !strcmp(pol[p].ops->name, "lru") && !pol[p].args;
		json_t *first = NULL;

		for (unsigned int s = 0; s < nr_sizes; s++) {
			uint64_t m = by_mrc ? mrc_misses[s] : js.job[j].res.misses;
			double secs = by_mrc ? mrc_seconds : js.job[j].seconds;
			json_t *run = cache_json(meta, pol[p].label, sizes[s], n, m, secs);

			if (!run || json_array_append_new(runs, run))
				goto out;
			if (!first)
				first = run;
			table_row(table, !row++, pol[p].label, sizes[s], n, m, secs);
			if (!by_mrc)
				j++;
		}
		if (o->mrc && nr_sizes > 1) {
			uint64_t *col = malloc(nr_sizes * sizeof(*col));
			json_t *mo;

			if (!col)
				goto out;
			for (unsigned int s = 0; s < nr_sizes; s++)
				col[s] = by_mrc ? mrc_misses[s] : js.job[j - nr_sizes + s].res.misses;
			mo = mrc_json(by_mrc ? (o->shards < 1.0 ? "shards" : "mattson") : "simulation",
				      sizes, col, nr_sizes, n);
			free(col);
			if (!mo || json_object_set_new(first, "mrc", mo))
				goto out;
		}
	}
	ret = 0;
out:
	free(js.job);
	free(next_use);
	free(mrc_misses);
	free(sizes);
	free_policies(pol, nr_pol);
	return ret;
}
