// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_psi.c - kernel/psi.c: /proc/pressure/memory's format, stall
 * time in virtual time (some/full totals in microseconds), nesting of
 * psi_memstall_enter/leave, the 2 s averaging with avg10 > avg60 > avg300
 * after a burst and their decay, and direct reclaim / kswapd stalls being
 * counted.  psi_is_valid() after every step.
 */
#include <stdio.h>
#include <mmsim/psi.h>
#include <mmsim/workqueue.h>
#include <fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include "mmtest.h"
#include "mm/workingset.h"

bool psi_is_valid(struct mmsim *m);
void psi_memory_totals(u64 *some, u64 *full);

#define MS	1000000ull

struct pressure {
	double avg[2][3];
	unsigned long long total[2];
};

static void read_pressure(struct mmsim *m, struct pressure *p)
{
	char *text = mmsim_read(m, "/proc/pressure/memory");
	int n;

	KT_ASSERT(text);
	n = sscanf(text,
		   "some avg10=%lf avg60=%lf avg300=%lf total=%llu\n"
		   "full avg10=%lf avg60=%lf avg300=%lf total=%llu\n",
		   &p->avg[0][0], &p->avg[0][1], &p->avg[0][2], &p->total[0],
		   &p->avg[1][0], &p->avg[1][1], &p->avg[1][2], &p->total[1]);
	KT_EQ(n, 8);
	free(text);
}

static void test_format_idle(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	char *text = mmsim_read(m, "/proc/pressure/memory");

	KT_ASSERT(text);
	KT_EQ(strcmp(text, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			   "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"), 0);
	free(text);
	KT_ASSERT(psi_is_valid(m));
	mmsim_shutdown(m);
}

static void test_stall_totals_and_nesting(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	unsigned long f1, f2;
	struct pressure p;
	u64 some, full;

	psi_memstall_enter(&f1);
	KT_EQ(f1, 0);
	psi_memstall_enter(&f2);	/* nested: a no-op pair */
	KT_EQ(f2, 1);
	io_wait_advance_clock(m, 300 * MS);
	psi_memstall_leave(&f2);
	io_wait_advance_clock(m, 200 * MS);
	psi_memstall_leave(&f1);
	KT_ASSERT(psi_is_valid(m));
	io_wait_advance_clock(m, 700 * MS);	/* not stalled: not counted */
	psi_memory_totals(&some, &full);
	KT_EQ(some, 500 * MS);
	KT_EQ(full, 500 * MS);		/* the only running CPU stalled: full too */
	read_pressure(m, &p);
	KT_EQ(p.total[0], 500000);
	KT_EQ(p.total[1], 500000);
	KT_ASSERT(psi_is_valid(m));
	mmsim_shutdown(m);
}

static void test_averages(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct pressure p, q;
	unsigned long f;

	/* Stalled for 1 s of every 2 s for 10 s. */
	for (int i = 0; i < 5; i++) {
		psi_memstall_enter(&f);
		io_wait_advance_clock(m, 1000 * MS);
		psi_memstall_leave(&f);
		mmsim_advance_clock(m, 1000 * MS);
		KT_ASSERT(psi_is_valid(m));
	}
	read_pressure(m, &p);
	KT_EQ(p.total[0], 5000000);
	KT_ASSERT(p.avg[0][0] > 20.0 && p.avg[0][0] <= 100.0);
	KT_ASSERT(p.avg[0][0] > p.avg[0][1]);
	KT_ASSERT(p.avg[0][1] > p.avg[0][2]);
	KT_ASSERT(p.avg[0][2] > 0.0);
	/* A minute of no stalls: avg10 decays to almost nothing, avg300 less so. */
	mmsim_advance_clock(m, 60000 * MS);
	read_pressure(m, &q);
	KT_EQ(q.total[0], 5000000);
	KT_ASSERT(q.avg[0][0] < 1.0);
	KT_ASSERT(q.avg[0][2] > 0.0 && q.avg[0][2] < p.avg[0][2]);
	KT_ASSERT(psi_is_valid(m));
	mmsim_shutdown(m);
}

/* Same steps, same file: the averages are deterministic in virtual time. */
static void test_determinism(void)
{
	char *out[2];

	for (int r = 0; r < 2; r++) {
		struct mmsim *m = boot_or_die("ram=64M cpus=1");
		unsigned long f;

		for (int i = 0; i < 3; i++) {
			psi_memstall_enter(&f);
			io_wait_advance_clock(m, (u64)(300 + 100 * i) * MS);
			psi_memstall_leave(&f);
			mmsim_advance_clock(m, 1500 * MS);
		}
		out[r] = mmsim_read(m, "/proc/pressure/memory");
		mmsim_shutdown(m);
	}
	KT_EQ(strcmp(out[0], out[1]), 0);
	free(out[0]);
	free(out[1]);
}

static struct file *make_file(const char *path, int pages)
{
	struct file *f = filp_open(path, O_CREAT | O_RDWR, 0644);
	static char buf[4096];
	loff_t pos = 0;

	KT_ASSERT(!IS_ERR(f));
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < pages; i++)
		KT_EQ(kernel_write(f, buf, sizeof(buf), &pos), (ssize_t)sizeof(buf));
	return f;
}

static void read_all(struct file *f, int pages)
{
	static char buf[4096];
	loff_t pos = 0;

	for (int i = 0; i < pages; i++)
		KT_EQ(kernel_read(f, buf, sizeof(buf), &pos), (ssize_t)sizeof(buf));
}

/*
 * A workingset folio refaulting from the disk: the read's wait is a
 * memory stall (thrashing), counted in virtual time.
 */
static void test_refault_wait_stalls(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M cpus=1");
	struct task_struct *p = mmsim_spawn(m, "psi");
	struct file *hot, *cold;
	struct folio *scratch;
	void *shadow;
	u64 some0, some1, full;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	hot = make_file("/hot", 8);
	cold = make_file("/cold", 1);
	KT_EQ(vfs_fsync(cold, 0), 0);
	KT_EQ(vfs_fsync(hot, 0), 0);
	read_all(hot, 8);
	read_all(hot, 8);		/* the second touch: active */
	KT_ASSERT(node_page_state(NODE_DATA(0), NR_ACTIVE_FILE) >= 8);
	/* Drop /cold's page and leave a workingset shadow as reclaim would. */
	invalidate_mapping_pages(cold->f_mapping, 0, (pgoff_t)-1);
	KT_EQ(atomic_long_read(&cold->f_mapping->nrpages), 0);
	scratch = page_folio(alloc_page(GFP_KERNEL));
	folio_lock(scratch);
	SetPageWorkingset(&scratch->page);
	shadow = workingset_eviction(scratch);
	ClearPageWorkingset(&scratch->page);
	folio_unlock(scratch);
	put_page(&scratch->page);
	{
		XA_STATE(xas, &cold->f_mapping->i_pages, 0);

		mapping_set_update(&xas, cold->f_mapping);
		xas_lock(&xas);
		xas_store(&xas, shadow);
		xas_unlock(&xas);
	}
	psi_memory_totals(&some0, &full);
	read_all(cold, 1);
	psi_memory_totals(&some1, &full);
	KT_EQ((long)node_page_state(NODE_DATA(0), WORKINGSET_RESTORE_FILE), 1);
	KT_ASSERT(some1 > some0);	/* the disk's latency, stalled */
	KT_ASSERT(psi_is_valid(m));
	fput(hot);
	fput(cold);
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_format_idle);
	KT_RUN(test_stall_totals_and_nesting);
	KT_RUN(test_averages);
	KT_RUN(test_determinism);
	KT_RUN(test_refault_wait_stalls);
	return kt_done();
}
