// SPDX-License-Identifier: GPL-2.0
/*
 * examples/debugging/buggy_driver.c - a small "driver" with the four bugs
 * the kernel's debugging tools exist for, run against mmsim the way a
 * kernel developer runs a module on a debug kernel (docs/debugging.md).
 *
 *   buggy_driver leak      kmemleak=on: the driver's probe loses a buffer;
 *                          a scan of /sys/kernel/debug/kmemleak names it
 *   buggy_driver overflow  kasan=on: a write one byte past a kmalloc'd
 *                          buffer: BUG: KASAN: slab-out-of-bounds
 *   buggy_driver uaf       kfence.sample_interval=1: a read of a freed,
 *                          sampled object traps in hardware:
 *                          BUG: KFENCE: use-after-free read
 *   buggy_driver infoleak  kmsan=on: an ioctl copies a struct with an
 *                          unwritten hole to user space:
 *                          BUG: KMSAN: kernel-infoleak
 *
 * Each mode boots its own machine with the tool's boot word (as Linux's
 * tools are used one debug kernel at a time), runs the buggy code on it,
 * prints the machine's kernel log (the report is there, word for word as
 * Linux prints it), checks that the machine went on (it allocates and
 * frees again after the report) and shuts it down.
 *
 * Build it against the installed library, with KASAN's instrumentation so
 * that the driver's own loads and stores are checked (examples/debugging/
 * Makefile does this):
 *
 *   cc -g -O1 $(pkg-config --variable=kasan_cflags mmsim) buggy_driver.c \
 *      $(pkg-config --cflags --libs mmsim-static) -o buggy_driver
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/mmsim.h>
#include <mmsim/kfence.h>
#include <mmsim/kmemleak.h>
#include <mmsim/mman.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>

/* ---- the driver: what a kernel module would contain ---------------- */

/*
 * Global and out of line, so that the reports name them: the kernel log
 * symbolizes call stacks with dladdr, which sees exported symbols only
 * (hence -rdynamic too).
 */
noinline int buggy_probe(void);
noinline void buggy_remove(void);
noinline void buggy_set_label(char *label, const char *text, size_t room);
noinline char buggy_read_status(const char *status);
noinline long buggy_ioctl_info(unsigned long arg);

struct buggy_dev {
	char name[16];
	int nr_bufs;
	void *bufs[4];
};

/* The ioctl's answer: 'flags' is a u8 followed by three bytes of padding. */
struct buggy_info {
	unsigned char flags;
	unsigned int count;
	unsigned long cookie;
};

static struct buggy_dev *the_dev;

/* probe: four buffers, but the loop forgets the one it allocated last */
noinline int buggy_probe(void)
{
	the_dev = kzalloc(sizeof(*the_dev), GFP_KERNEL);
	if (!the_dev)
		return -1;
	strcpy(the_dev->name, "buggy0");
	for (int i = 0; i < 4; i++) {
		void *buf = kmalloc(192, GFP_KERNEL);

		if (!buf)
			return -1;
		memset(buf, 0x5a, 192);
		if (i < 3)		/* BUG: the fourth is never stored */
			the_dev->bufs[the_dev->nr_bufs++] = buf;
	}
	return 0;
}

noinline void buggy_remove(void)
{
	for (int i = 0; i < the_dev->nr_bufs; i++)
		kfree(the_dev->bufs[i]);
	kfree(the_dev);
	the_dev = NULL;
}

/* write one name too long for its buffer: a one-byte overflow */
noinline void buggy_set_label(char *label, const char *text, size_t room)
{
	for (size_t i = 0; i <= room; i++)	/* BUG: <= writes label[room] */
		label[i] = text[i];
}

noinline char buggy_read_status(const char *status)
{
	return status[0];
}

/* the ioctl: fills two of the three fields, then copies all of it out */
noinline long buggy_ioctl_info(unsigned long arg)
{
	struct buggy_info *info = kmalloc(sizeof(*info), GFP_KERNEL);
	long ret = 0;

	if (!info)
		return -12;
	info->flags = 1;			/* BUG: 3 padding bytes after it */
	info->count = 42;
	info->cookie = 0xc0ffee;
	if (copy_to_user(arg, info, sizeof(*info)))
		ret = -14;
	kfree(info);
	return ret;
}

/* ---- the harness: boot, run the bug, show the log ------------------ */

static struct mmsim *boot(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);

	if (!m) {
		fprintf(stderr, "buggy_driver: boot '%s': %s\n", spec, mmsim_last_error());
		exit(1);
	}
	return m;
}

static void show(struct mmsim *m, const char *path)
{
	char *text = mmsim_read(m, path);

	fputs(text ? text : "(unreadable)\n", stdout);
	free(text);
}

/* After the report the machine goes on: it still allocates and frees. */
static int still_alive(struct mmsim *m)
{
	void *p = kmalloc(64, GFP_KERNEL);

	if (!p || mmsim_halted(m)) {
		printf("the machine did not go on\n");
		return 1;
	}
	kfree(p);
	printf("-- the machine went on after the report\n");
	return 0;
}

static int run_leak(void)
{
	struct mmsim *m = boot("ram=128M kmemleak=on");
	struct task_struct *t = mmsim_spawn(m, "insmod");
	int ret;

	if (!t || mmsim_switch_to(t) || buggy_probe())
		return 1;
	buggy_remove();
	/*
	 * As on Linux: a block is reported once it is older than 5 s and its
	 * bytes did not change since the previous scan, so scan twice.
	 */
	mmsim_advance_clock(m, 10ULL * 1000 * 1000 * 1000);
	mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan");
	mmsim_advance_clock(m, 1ULL * 1000 * 1000 * 1000);
	mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan");
	show(m, "/dev/kmsg");
	printf("-- /sys/kernel/debug/kmemleak:\n");
	show(m, "/sys/kernel/debug/kmemleak");
	ret = still_alive(m);
	sys_exit_group(0);
	mmsim_shutdown(m);
	return ret;
}

static int run_overflow(void)
{
	struct mmsim *m = boot("ram=128M kasan=on");
	char *label = kmalloc(20, GFP_KERNEL);
	int ret;

	buggy_set_label(label, "a label of 21 bytes!!", 20);
	kfree(label);
	show(m, "/dev/kmsg");
	ret = still_alive(m);
	mmsim_shutdown(m);
	return ret;
}

static int run_uaf(void)
{
	struct mmsim *m = boot("ram=128M kfence.sample_interval=1");
	char *status = NULL;
	int ret;

	/* Allocate until KFENCE samples one, as kfence_test does. */
	for (int i = 0; i < 100000 && !status; i++) {
		char *p = kmalloc(32, GFP_KERNEL);

		if (is_kfence_address(p))
			status = p;
		else
			kfree(p);
		mmsim_advance_clock(m, 100 * 1000);
	}
	if (!status) {
		printf("KFENCE sampled no allocation\n");
		return 1;
	}
	strcpy(status, "ready");
	kfree(status);
	printf("status after free: %c\n", buggy_read_status(status));	/* BUG */
	show(m, "/dev/kmsg");
	ret = still_alive(m);
	mmsim_shutdown(m);
	return ret;
}

static int run_infoleak(void)
{
	struct mmsim *m = boot("ram=128M kmsan=on");
	struct task_struct *t = mmsim_spawn(m, "buggy-ioctl");
	unsigned long ubuf;
	int ret;

	if (!t || mmsim_switch_to(t))
		return 1;
	ubuf = sys_mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	if (buggy_ioctl_info(ubuf))
		return 1;
	show(m, "/dev/kmsg");
	ret = still_alive(m);
	sys_exit_group(0);
	mmsim_shutdown(m);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*run)(void); } modes[] = {
		{ "leak", run_leak }, { "overflow", run_overflow },
		{ "uaf", run_uaf }, { "infoleak", run_infoleak },
	};

	for (size_t i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(argv[1], modes[i].name))
			return modes[i].run();
	fprintf(stderr, "usage: buggy_driver leak|overflow|uaf|infoleak\n");
	return 2;
}
