// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/replay_series.c - kernel mode's samples over virtual time, and
 * a kernel-mode run as lab.h's JSON object.
 *
 * A series is parallel arrays, one entry per sample (struct replay_series):
 * per-interval deltas (faults, major faults, pswpin, pswpout), levels at
 * the sample (RSS of the traced processes, active and inactive LRU pages,
 * free pages, swap used) and the free blocks of each order summed over
 * the zones.  With a fixed --interval it grows without bound; adaptive
 * (no --interval) it starts at 1 ms and, when it holds ADAPTIVE_MAX
 * samples, merges each pair into one (deltas summed, levels of the later
 * one) and doubles the interval, so a run of any length keeps between
 * ADAPTIVE_MAX/2 and ADAPTIVE_MAX points.
 *
 * Invariant: every array holds nr entries (free_by_order nr * nr_orders);
 * the sum of a delta column equals the counter's change from the start of
 * the replay to the last sample.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tools/lab/replay.h"

#define ADAPTIVE_MAX	2048

int replay_series_init(struct replay_series *s, uint64_t interval_ns, unsigned int nr_orders)
{
	memset(s, 0, sizeof(*s));
	s->interval_ns = interval_ns;
	s->nr_orders = nr_orders;
	return 0;
}

void replay_series_free(struct replay_series *s)
{
	free(s->t);
	free(s->faults);
	free(s->major_faults);
	free(s->pswpin);
	free(s->pswpout);
	free(s->rss);
	free(s->active);
	free(s->inactive);
	free(s->free);
	free(s->swap_used);
	free(s->free_by_order);
	memset(s, 0, sizeof(*s));
}

static int grow(void **p, size_t n, size_t size)
{
	void *np = realloc(*p, n * size);

	if (!np)
		return -ENOMEM;
	*p = np;
	return 0;
}

static int series_reserve(struct replay_series *s, size_t cap)
{
	uint64_t **u64s[] = { &s->faults, &s->major_faults, &s->pswpin, &s->pswpout, &s->rss,
			      &s->active, &s->inactive, &s->free, &s->swap_used };

	if (grow((void **)&s->t, cap, sizeof(double)))
		return -ENOMEM;
	for (size_t i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		if (grow((void **)u64s[i], cap, sizeof(uint64_t)))
			return -ENOMEM;
	if (grow((void **)&s->free_by_order, cap * s->nr_orders, sizeof(uint64_t)))
		return -ENOMEM;
	s->cap = cap;
	return 0;
}

/* Adaptive and full: pairs become one sample of twice the interval. */
static void series_halve(struct replay_series *s)
{
	uint64_t *d[] = { s->faults, s->major_faults, s->pswpin, s->pswpout };
	uint64_t *l[] = { s->rss, s->active, s->inactive, s->free, s->swap_used };
	size_t half = s->nr / 2;

	for (size_t i = 0; i < half; i++) {
		s->t[i] = s->t[2 * i + 1];
		for (int c = 0; c < 4; c++)
			d[c][i] = d[c][2 * i] + d[c][2 * i + 1];
		for (int c = 0; c < 5; c++)
			l[c][i] = l[c][2 * i + 1];
		memmove(&s->free_by_order[i * s->nr_orders],
			&s->free_by_order[(2 * i + 1) * s->nr_orders],
			s->nr_orders * sizeof(uint64_t));
	}
	s->nr = half;
	s->interval_ns *= 2;
}

int replay_series_add(struct replay_series *s, bool adaptive, double t, const uint64_t *delta4,
		      const uint64_t *level5, const uint64_t *orders)
{
	size_t i;

	if (adaptive && s->nr == ADAPTIVE_MAX)
		series_halve(s);
	if (s->nr == s->cap && series_reserve(s, s->cap ? 2 * s->cap : 256))
		return -ENOMEM;
	i = s->nr++;
	s->t[i] = t;
	s->faults[i] = delta4[0];
	s->major_faults[i] = delta4[1];
	s->pswpin[i] = delta4[2];
	s->pswpout[i] = delta4[3];
	s->rss[i] = level5[0];
	s->active[i] = level5[1];
	s->inactive[i] = level5[2];
	s->free[i] = level5[3];
	s->swap_used[i] = level5[4];
	memcpy(&s->free_by_order[i * s->nr_orders], orders, s->nr_orders * sizeof(uint64_t));
	return 0;
}

/* ---------------------------------------------------------------------
 * JSON
 */

static int set_new(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static json_t *u64_array(const uint64_t *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_integer((json_int_t)v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *series_json(const struct replay_series *s)
{
	json_t *o = json_object(), *t = json_array(), *fbo = json_array();
	int bad = !o || !t || !fbo;

	for (size_t i = 0; !bad && i < s->nr; i++) {
		bad |= json_array_append_new(t, json_real(s->t[i]));
		bad |= json_array_append_new(fbo, u64_array(&s->free_by_order[i * s->nr_orders],
							    s->nr_orders));
	}
	if (bad) {
		json_decref(o);
		json_decref(t);
		json_decref(fbo);
		return NULL;
	}
	bad |= set_new(o, "interval_ns", json_integer((json_int_t)s->interval_ns));
	bad |= set_new(o, "t", t);
	bad |= set_new(o, "faults", u64_array(s->faults, s->nr));
	bad |= set_new(o, "major_faults", u64_array(s->major_faults, s->nr));
	bad |= set_new(o, "pswpin", u64_array(s->pswpin, s->nr));
	bad |= set_new(o, "pswpout", u64_array(s->pswpout, s->nr));
	bad |= set_new(o, "rss_pages", u64_array(s->rss, s->nr));
	bad |= set_new(o, "active_pages", u64_array(s->active, s->nr));
	bad |= set_new(o, "inactive_pages", u64_array(s->inactive, s->nr));
	bad |= set_new(o, "free_pages", u64_array(s->free, s->nr));
	bad |= set_new(o, "swap_used_pages", u64_array(s->swap_used, s->nr));
	bad |= set_new(o, "free_by_order", fbo);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

#define SET_U64(o, name, v) set_new(o, name, json_integer((json_int_t)(v)))

json_t *replay_kernel_json(const struct replay_meta *meta, const struct replay_kresult *r)
{
	json_t *o = json_object();
	double req = (double)r->requests;
	int bad = !o;

	if (bad)
		return NULL;
	bad |= SET_U64(o, "mmsim_lab", 1);
	bad |= set_new(o, "mode", json_string("kernel"));
	bad |= set_new(o, "trace", json_string(meta->trace));
	bad |= set_new(o, "format", json_string(meta->format));
	bad |= set_new(o, "policy", json_string(meta->policy));
	bad |= set_new(o, "spec", json_string(meta->spec ? meta->spec : ""));
	bad |= SET_U64(o, "ram_pages", r->ram_pages);
	bad |= SET_U64(o, "requests", r->requests);
	bad |= SET_U64(o, "records", r->records);
	bad |= SET_U64(o, "faults", r->faults);
	bad |= SET_U64(o, "minor_faults", r->minor_faults);
	bad |= SET_U64(o, "major_faults", r->major_faults);
	bad |= SET_U64(o, "pswpin", r->pswpin);
	bad |= SET_U64(o, "pswpout", r->pswpout);
	bad |= SET_U64(o, "refaults", r->refaults);
	bad |= SET_U64(o, "oom_kills", r->oom_kills);
	bad |= SET_U64(o, "tlb_hits", r->tlb_hits);
	bad |= SET_U64(o, "tlb_misses", r->tlb_misses);
	bad |= set_new(o, "tlb_hit_ratio",
		       json_real(r->tlb_hits + r->tlb_misses ?
				 (double)r->tlb_hits / (double)(r->tlb_hits + r->tlb_misses) : 0));
	bad |= SET_U64(o, "first_touches", r->first_touches);
	bad |= SET_U64(o, "misses", r->misses);
	bad |= set_new(o, "miss_ratio", json_real(req ? (double)r->misses / req : 0));
	bad |= set_new(o, "virtual_seconds", json_real((double)r->virtual_ns * 1e-9));
	bad |= set_new(o, "wall_seconds", json_real(r->wall_seconds));
	bad |= set_new(o, "cpu_seconds", json_real(r->cpu_seconds));
	bad |= set_new(o, "requests_per_second",
		       json_real(r->wall_seconds > 0 ? req / r->wall_seconds : 0));
	bad |= SET_U64(o, "processes", r->processes);
	bad |= SET_U64(o, "killed", r->killed);
	bad |= SET_U64(o, "dropped", r->dropped);
	bad |= SET_U64(o, "implicit_maps", r->implicit_maps);
	bad |= SET_U64(o, "layout_errors", r->layout_errors);
	if (r->verified)
		bad |= SET_U64(o, "verify_errors", r->verify_errors);
	if (r->checked)
		bad |= SET_U64(o, "check_errors", r->check_errors);
	if (r->halted)
		bad |= set_new(o, "halted", json_true());
	if (r->series.nr)
		bad |= set_new(o, "series", series_json(&r->series));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
