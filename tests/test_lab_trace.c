// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_trace.c - the trace readers and writers (tools/lab/trace*.c,
 * docs/trace-formats.md):
 *   - every writer/reader pair round-trips what its format carries, plain
 *     and .zst: mmsim every field of every op (address and id traces), csv
 *     time/id/size, txt ids, oracleGeneral time/id/size and next access;
 *   - oracleGeneral's next_access_vtime equals a brute-force scan for the
 *     next request of the same id (libCacheSim's 1-based convention, -1 for
 *     none), and the reader gives back 0-based indices;
 *   - trace_load_ids gives the written ids for every format;
 *   - lackey text (I, L, S, M, == lines) and csv layouts (header names,
 *     libCacheSim -t options, delimiters, hashed ids, size-0 requests);
 *   - format detection by magic, by name and by content;
 *   - each malformed input gives its exact one line "FILE:WHERE: problem";
 *   - a writer leaves nothing behind on abort, and the old file untouched.
 * Records are drawn from a fixed-seed generator; expected values come from
 * the arrays the test wrote (or, for next access, from the scan), never
 * from the code under test.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>
#include "ktest.h"
#include "tools/lab/trace.h"

static char dir[256];
static char err[512];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *path_of(const char *name)
{
	static char p[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	KT_ASSERT(f && fwrite(data, 1, n, f) == n);
	if (f)
		fclose(f);
}

static void write_zst(const char *path, const void *data, size_t n)
{
	size_t cap = ZSTD_compressBound(n);
	void *b = malloc(cap);
	size_t z = ZSTD_compress(b, cap, data, n, 3);

	KT_ASSERT(!ZSTD_isError(z));
	write_file(path, b, z);
	free(b);
}

/* Files in the test directory whose name contains @s. */
static int count_files(const char *s)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strstr(e->d_name, s) != NULL;
	if (d)
		closedir(d);
	return n;
}

/* A mixed process trace: accesses near each other, layout events, pids. */
static size_t gen_process(struct trace_rec *r, size_t n)
{
	uint64_t addr = 0x7f0000001000ULL, t = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].pid = 1 + (rnd() % 8 == 0 ? (uint32_t)(rnd() % 3) : 0);
		t += rnd() % 4 == 0 ? rnd() % 100000 : 0;
		r[i].time = t;
		r[i].op = (uint8_t)(rnd() % 10 < 8 ? rnd() % 2 : rnd() % 8);
		if (rnd() % 16 == 0)
			addr = rnd() & 0x7fffffffffffULL;
		else
			addr += (rnd() % 64) - 24;
		r[i].addr = addr;
		r[i].len = rnd() % 4 ? 8 : rnd() % 100000;
		if (r[i].op == TRACE_READ && rnd() % 3 == 0)
			r[i].flags = TRACE_REC_IFETCH;
		if (r[i].op > TRACE_WRITE) {
			r[i].prot = (uint32_t)(rnd() % 8);
			r[i].flags = (uint32_t)(rnd() % 0x100000);
			r[i].arg = rnd() % 2 ? (uint64_t)-1 : rnd() % 1000;
		}
		r[i].id = addr >> 12;
		r[i].next_access = CACHE_NEXT_NEVER;
	}
	return n;
}

/* An id trace: Zipf-ish reuse, some huge ids, times in seconds. */
static size_t gen_ids(struct trace_rec *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].op = TRACE_READ;
		r[i].pid = 1;
		r[i].time = i / 10;
		r[i].id = rnd() % 5 == 0 ? rnd() : (rnd() % 64) * (rnd() % 64);
		if (r[i].id == CACHE_ID_NONE)
			r[i].id = 7;
		r[i].len = 1 + rnd() % 5000;
		r[i].addr = r[i].id << 12;
		r[i].next_access = CACHE_NEXT_NEVER;
	}
	return n;
}

static int write_trace(const char *path, enum trace_format fmt, const struct trace_info *info,
		       const struct trace_rec *r, size_t n)
{
	struct trace_writer *w = trace_create(path, fmt, info, err, sizeof(err));

	KT_ASSERT(w);
	if (!w) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		KT_EQ(trace_write(w, &r[i]), 0);
	KT_EQ(trace_commit(w, err, sizeof(err)), 0);
	return 0;
}

/* Read all records of @path; the count, or -1. */
static long read_all(const char *path, const char *spec, struct trace_rec *out, size_t max)
{
	struct trace_reader *rd = trace_open_spec(path, spec, err, sizeof(err));
	struct trace_rec rec;
	long n = 0;
	int ret;

	if (!rd) {
		fprintf(stderr, "open: %s\n", err);
		return -1;
	}
	while ((ret = trace_read(rd, &rec)) > 0) {
		if ((size_t)n < max)
			out[n] = rec;
		n++;
	}
	if (ret < 0) {
		snprintf(err, sizeof(err), "%s", trace_error(rd));
		n = -1;
	}
	trace_close(rd);
	return n;
}

#define N 5000

static void test_mmsim_roundtrip(void)
{
	static struct trace_rec w[N], r[N];
	const char *names[] = { "p.mmsim", "p2.mmsim.zst", "noext" };
	struct trace_info info = { .page_shift = 12, .has_addresses = true };

	snprintf(info.program, sizeof(info.program), "ls -l /");
	snprintf(info.backend, sizeof(info.backend), "lackey");
	gen_process(w, N);
	for (unsigned int k = 0; k < 3; k++) {
		const char *p = path_of(names[k]);
		struct trace_reader *rd;

		write_trace(p, TRACE_FMT_MMSIM, &info, w, N);
		KT_EQ(read_all(p, "auto", r, N), N);
		for (size_t i = 0; i < N; i++) {
			KT_EQ(r[i].op, w[i].op);
			KT_EQ(r[i].addr, w[i].addr);
			KT_EQ(r[i].id, w[i].addr >> 12);
			KT_EQ(r[i].pid, w[i].pid);
			KT_EQ(r[i].time, w[i].time);
			KT_EQ(r[i].len, w[i].len);
			KT_EQ(r[i].prot, w[i].prot);
			KT_EQ(r[i].flags, w[i].flags);
			KT_EQ(r[i].arg, w[i].arg);
			KT_EQ(r[i].next_access, CACHE_NEXT_NEVER);
			if (kt_cur_failed)
				break;
		}
		rd = trace_open(p, TRACE_FMT_AUTO, err, sizeof(err));
		KT_ASSERT(rd);
		if (rd) {
			const struct trace_info *in = trace_get_info(rd);

			KT_EQ(in->format, TRACE_FMT_MMSIM);
			KT_EQ(in->nr_records, N);
			KT_EQ(in->page_shift, 12);
			KT_ASSERT(in->has_addresses);
			KT_ASSERT(in->has_layout);
			KT_ASSERT(!strcmp(in->program, "ls -l /"));
			KT_ASSERT(!strcmp(in->backend, "lackey"));
			trace_close(rd);
		}
	}
	KT_EQ(count_files(".tmp"), 0);
}

static void test_mmsim_ids(void)
{
	static struct trace_rec w[N], r[N];
	struct trace_info info = { .page_shift = 12 };
	const char *p = path_of("ids.mmsim");

	gen_ids(w, N);
	write_trace(p, TRACE_FMT_MMSIM, &info, w, N);
	KT_EQ(read_all(p, "mmsim", r, N), N);
	for (size_t i = 0; i < N && !kt_cur_failed; i++) {
		KT_ASSERT(r[i].id == w[i].id);
		KT_EQ(r[i].time, w[i].time);
		KT_EQ(r[i].len, w[i].len);
	}
}

/* The next request of r[i].id after i, by scanning. */
static uint64_t brute_next(const struct trace_rec *r, size_t n, size_t i)
{
	for (size_t j = i + 1; j < n; j++)
		if (r[j].id == r[i].id)
			return j;
	return CACHE_NEXT_NEVER;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void test_id_formats(void)
{
	static struct trace_rec w[N], r[N];
	struct trace_info info = { .page_shift = 12 };
	static const struct {
		const char *name;
		enum trace_format fmt;
	} f[] = {
		{ "a.csv", TRACE_FMT_CSV }, { "a.csv.zst", TRACE_FMT_CSV },
		{ "a.txt", TRACE_FMT_TXT }, { "a.txt.zst", TRACE_FMT_TXT },
		{ "a.oracleGeneral", TRACE_FMT_ORACLE }, { "a.oracleGeneral.zst", TRACE_FMT_ORACLE },
		{ "a.mmsim", TRACE_FMT_MMSIM },
	};

	gen_ids(w, N);
	for (unsigned int k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		const char *p = path_of(f[k].name);
		cache_id_t *ids = NULL;
		uint64_t n = 0;

		kt_begin(f[k].name);
		write_trace(p, f[k].fmt, &info, w, N);
		KT_EQ(read_all(p, "auto", r, N), N);
		for (size_t i = 0; i < N && !kt_cur_failed; i++) {
			KT_ASSERT(r[i].id == w[i].id);
			KT_EQ(r[i].op, TRACE_READ);
			if (f[k].fmt != TRACE_FMT_TXT) {
				KT_EQ(r[i].time, w[i].time);
				KT_EQ(r[i].len, w[i].len);
			}
			if (f[k].fmt == TRACE_FMT_ORACLE)
				KT_ASSERT(r[i].next_access == brute_next(w, N, i));
		}
		KT_EQ(trace_load_ids(p, TRACE_FMT_AUTO, &ids, &n, err, sizeof(err)), 0);
		KT_EQ(n, N);
		for (size_t i = 0; i < n && i < N && !kt_cur_failed; i++)
			KT_ASSERT(ids[i] == w[i].id);
		free(ids);
		kt_end();
	}
	kt_begin("oracle raw layout");
	{
		/* The bytes themselves: libCacheSim's 1-based vtime, -1 for none. */
		FILE *fp = fopen(path_of("a.oracleGeneral"), "rb");
		static uint8_t b[N * 24];

		KT_ASSERT(fp && fread(b, 1, sizeof(b), fp) == sizeof(b) && fgetc(fp) == EOF);
		for (size_t i = 0; i < N && !kt_cur_failed; i++) {
			uint64_t next = brute_next(w, N, i);
			const uint8_t *p = b + 24 * i;

			KT_ASSERT(le64(p + 4) == w[i].id);
			KT_EQ(p[12] | p[13] << 8 | p[14] << 16 | (uint32_t)p[15] << 24, w[i].len);
			KT_EQ((uint32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24), w[i].time);
			KT_ASSERT(le64(p + 16) == (next == CACHE_NEXT_NEVER ? (uint64_t)-1 : next + 1));
		}
		if (fp)
			fclose(fp);
	}
	kt_end();
}

static void test_address_to_ids(void)
{
	/* An address trace written as csv/oracleGeneral: page ids, page-size objects, seconds. */
	struct trace_rec w[3] = {
		{ .op = TRACE_READ, .addr = 0x1234, .id = 1, .len = 8, .time = 2500000000ull, .pid = 1 },
		{ .op = TRACE_MMAP, .addr = 0x10000, .len = 4096, .pid = 1 },
		{ .op = TRACE_WRITE, .addr = 0x5008, .id = 5, .len = 4, .time = 3000000000ull, .pid = 1 },
	}, r[3];
	struct trace_info info = { .page_shift = 12, .has_addresses = true };
	const char *p = path_of("addr.csv");

	write_trace(p, TRACE_FMT_CSV, &info, w, 3);
	KT_EQ(read_all(p, "auto", r, 3), 2);
	KT_EQ(r[0].id, 1);
	KT_EQ(r[0].time, 2);
	KT_EQ(r[0].len, 4096);
	KT_EQ(r[1].id, 5);
	KT_EQ(r[1].time, 3);
}

static void test_lackey(void)
{
	static const char text[] =
		"==123== Lackey, an example Valgrind tool\n"
		"==123== Command: /bin/true\n"
		"\n"
		"I  04010f0,3\n"
		" L 1ffefff6f8,8\n"
		" S 04022d88,4\n"
		" M 1ffefff700,16\n"
		"I  04010f3,5\n"
		"==123== \n";
	struct trace_rec r[8];
	const char *p = path_of("t.lackey");

	write_file(p, text, sizeof(text) - 1);
	KT_EQ(read_all(p, "auto", r, 8), 6);
	KT_EQ(r[0].op, TRACE_READ);
	KT_EQ(r[0].addr, 0x4010f0);
	KT_EQ(r[0].len, 3);
	KT_EQ(r[0].flags, TRACE_REC_IFETCH);
	KT_EQ(r[1].op, TRACE_READ);
	KT_EQ(r[1].addr, 0x1ffefff6f8ULL);
	KT_EQ(r[1].id, 0x1ffefff6f8ULL >> 12);
	KT_EQ(r[1].flags, 0);
	KT_EQ(r[2].op, TRACE_WRITE);
	KT_EQ(r[2].addr, 0x4022d88);
	KT_EQ(r[2].len, 4);
	KT_EQ(r[3].op, TRACE_READ);
	KT_EQ(r[4].op, TRACE_WRITE);
	KT_EQ(r[4].addr, 0x1ffefff700ULL);
	KT_EQ(r[4].len, 16);
	KT_EQ(r[5].addr, 0x4010f3);
	KT_EQ(read_all(p, "lackey:ifetch=0", r, 8), 4);
	KT_EQ(r[0].addr, 0x1ffefff6f8ULL);
	/* By content: no name hint. */
	p = path_of("unnamed1");
	write_zst(p, text, sizeof(text) - 1);
	KT_EQ(read_all(p, "auto", r, 8), 6);
}

static void test_csv_layouts(void)
{
	struct trace_rec r[8];
	const char *p;

	kt_begin("csv header names");
	p = path_of("h.csv");
	write_file(p, "key;ts;obj_size;op\nabc;5;100;get\n17;6;0;get\n0x20;7;1;set\n", 56);
	KT_EQ(read_all(p, "auto", r, 8), 2);
	KT_ASSERT(r[0].id != 0 && r[0].id != 17);
	KT_EQ(r[0].time, 5);
	KT_EQ(r[0].len, 100);
	KT_EQ(r[1].id, 32);
	KT_EQ(r[1].time, 7);
	kt_end();

	kt_begin("csv libCacheSim's cloudPhysicsIO header");
	p = path_of("cp.csv");
	write_file(p, "version,time,op,size,lbn\n1,5633898,2a,512,42932745\n", 50);
	KT_EQ(read_all(p, "auto", r, 8), 1);
	KT_EQ(r[0].id, 42932745);
	KT_EQ(r[0].time, 5633898);
	KT_EQ(r[0].len, 512);
	kt_end();

	kt_begin("csv -t options");
	p = path_of("t.csv");
	write_file(p, "x,y,z\n1,200,3\n4,500,6\n", 22);
	KT_EQ(read_all(p, "csv:time-col=3,obj-id-col=2,obj-size-col=1,has-header=true,delimiter=,", r, 8), 2);
	KT_EQ(r[0].id, 200);
	KT_EQ(r[0].time, 3);
	KT_EQ(r[0].len, 1);
	KT_EQ(r[1].id, 500);
	kt_end();

	kt_begin("csv no header");
	p = path_of("n.csv");
	write_file(p, "10,42,4096\n11,43,4096\n", 22);
	KT_EQ(read_all(p, "auto", r, 8), 2);
	KT_EQ(r[0].time, 10);
	KT_EQ(r[0].id, 42);
	KT_EQ(r[1].id, 43);
	kt_end();

	kt_begin("csv tab, one column");
	p = path_of("tab.csv");
	write_file(p, "7\n8\n\n9\n", 7);
	KT_EQ(read_all(p, "auto", r, 8), 3);
	KT_EQ(r[2].id, 9);
	p = path_of("tab2.csv");
	write_file(p, "time\tid\n1\t77\n", 13);
	KT_EQ(read_all(p, "auto", r, 8), 1);
	KT_EQ(r[0].id, 77);
	KT_EQ(r[0].time, 1);
	kt_end();

	kt_begin("txt hashed ids");
	p = path_of("s.txt");
	write_file(p, "apple\n12\napple\n", 15);
	KT_EQ(read_all(p, "auto", r, 8), 3);
	KT_ASSERT(r[0].id == r[2].id);
	KT_EQ(r[1].id, 12);
	kt_end();
}

static void test_detect(void)
{
	static struct trace_rec w[100], r[100];
	struct trace_info info = { .page_shift = 12 };
	struct trace_reader *rd;

	gen_ids(w, 100);
	/* By magic: an mmsim trace named .csv. */
	write_trace(path_of("m.csv"), TRACE_FMT_MMSIM, &info, w, 100);
	rd = trace_open(path_of("m.csv"), TRACE_FMT_AUTO, err, sizeof(err));
	KT_ASSERT(rd && trace_get_info(rd)->format == TRACE_FMT_MMSIM);
	trace_close(rd);
	/* By content: binary is oracleGeneral, digits are txt. */
	write_trace(path_of("o.oracleGeneral"), TRACE_FMT_ORACLE, &info, w, 100);
	rename(path_of("o.oracleGeneral"), path_of("blob"));
	rd = trace_open(path_of("blob"), TRACE_FMT_AUTO, err, sizeof(err));
	KT_ASSERT(rd && trace_get_info(rd)->format == TRACE_FMT_ORACLE);
	KT_ASSERT(rd && trace_get_info(rd)->nr_records == 100);
	trace_close(rd);
	KT_EQ(read_all(path_of("blob"), "auto", r, 100), 100);
	write_file(path_of("digits"), "1\n2\n", 4);
	rd = trace_open(path_of("digits"), TRACE_FMT_AUTO, err, sizeof(err));
	KT_ASSERT(rd && trace_get_info(rd)->format == TRACE_FMT_TXT);
	trace_close(rd);
	KT_EQ(trace_format_parse("oracleGeneral"), TRACE_FMT_ORACLE);
	KT_EQ(trace_format_parse("csv:obj-id-col=2"), TRACE_FMT_CSV);
	KT_EQ(trace_format_parse("bogus"), -1);
	KT_ASSERT(!strcmp(trace_format_name(TRACE_FMT_LACKEY), "lackey"));
}

/* An mmsim file: a valid header (count @nr), then @recs raw bytes zstd-compressed. */
static void write_mmsim_raw(const char *path, uint64_t nr, const uint8_t *recs, size_t n,
			    int version)
{
	uint8_t h[28 + 4096];
	size_t cap = ZSTD_compressBound(n);
	size_t z;

	memset(h, 0, 28);
	memcpy(h, "MMSIMTRC", 8);
	h[8] = (uint8_t)version;
	h[10] = 12;
	h[12] = 28;
	for (int i = 0; i < 8; i++)
		h[16 + i] = (uint8_t)(nr >> (8 * i));
	z = ZSTD_compress(h + 28, cap < 4096 ? 4096 : cap, recs, n, 1);
	KT_ASSERT(!ZSTD_isError(z));
	write_file(path, h, 28 + z);
}

struct bad_case {
	const char *name;	/* the file's name */
	const char *spec;
	const char *data;	/* text content (NULL: built by the test) */
	const char *expect;	/* after "PATH:" */
};

static void check_bad(const char *name, const char *spec, const char *expect)
{
	char want[5000];
	struct trace_rec r[4];
	struct trace_reader *rd;
	const char *p = path_of(name);
	int ret;

	kt_begin(name);
	snprintf(want, sizeof(want), "%s:%s", p, expect);
	rd = trace_open_spec(p, spec, err, sizeof(err));
	if (rd) {
		while ((ret = trace_read(rd, r)) > 0)
			;
		KT_EQ(ret, -1);
		KT_EQ(trace_read(rd, r), -1);	/* and stays failed */
		snprintf(err, sizeof(err), "%s", trace_error(rd));
		trace_close(rd);
	}
	if (expect[0] == '*' && !strncmp(err, want, strlen(p) + 1)) {
		/* any WHERE (digits): the problem only */
		size_t d = strspn(err + strlen(p) + 1, "0123456789");

		snprintf(want, sizeof(want), "%s:%.*s%s", p, (int)d, err + strlen(p) + 1, expect + 1);
		KT_ASSERT(d > 0);
	}
	if (strcmp(err, want)) {
		fprintf(stderr, "  got:  %s\n  want: %s\n", err, want);
		KT_ASSERT(!strcmp(err, want));
	}
	KT_ASSERT(!strchr(err, '\n'));
	kt_end();
}

static void test_malformed(void)
{
	static const struct bad_case text[] = {
		{ "b1.lackey", "auto", "I  0401,3\n L 1ffzz,8\n", "2: bad hex address '1ffzz'" },
		{ "b2.lackey", "auto", "==1== x\n X 1000,8\n", "2: unknown op 'X'" },
		{ "b3.lackey", "auto", " L 1000\n", "1: missing ',SIZE' after the address" },
		{ "b4.lackey", "auto", " L 1000,8\nhello\n", "2: not a lackey line: 'hello'" },
		{ "b5.lackey", "auto", " S 1000,8x\n", "1: bad size '8x'" },
		{ "b6.lackey", "auto", " L ,8\n", "1: bad hex address ''" },
		{ "b7.lackey", "auto", " L 11112222333344445,8\n", "1: bad hex address '11112222333344445'" },
		{ "b1.csv", "auto", "time,id,size\n1,2,3\n1,2\n", "3: 2 columns, column 3 expected" },
		{ "b2.csv", "auto", "time,id,size\n1,2,3\n1,2,big\n", "3: bad size 'big'" },
		{ "b3.csv", "auto", "time,id,size\nnow,2,3\n", "2: bad time 'now'" },
		{ "b4.csv", "csv:obj-id-is-num=true", "time,id,size\n1,x7,3\n", "2: bad id 'x7'" },
		{ "b5.csv", "auto", "time,name,size\n1,2,3\n",
		  "1: no id column in the header (name one id, obj_id or key, or give the option obj-id-col=N)" },
		{ "b1.txt", "txt:obj-id-is-num=1", "1\n2\nthree\n", "3: bad id 'three'" },
	};
	char mid[300];

	for (unsigned int i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		write_file(path_of(text[i].name), text[i].data, strlen(text[i].data));
		check_bad(text[i].name, text[i].spec, text[i].expect);
	}

	/* oracleGeneral: 2 records and 5 bytes. */
	{
		uint8_t b[53] = { 0 };

		b[12] = 1;
		b[36] = 1;
		write_file(path_of("c.oracleGeneral"), b, sizeof(b));
		check_bad("c.oracleGeneral", "auto", "2: truncated record");
		write_zst(path_of("c2.oracleGeneral.zst"), b, sizeof(b));
		check_bad("c2.oracleGeneral.zst", "auto", "2: truncated record");
		KT_EQ(trace_load_ids(path_of("c.oracleGeneral"), TRACE_FMT_AUTO, (cache_id_t **)&b,
				     (uint64_t *)&b, err, sizeof(err)), -1);
		snprintf(mid, sizeof(mid), "%s:2: truncated record (5 of 24 bytes)",
			 path_of("c.oracleGeneral"));
		KT_ASSERT(!strcmp(err, mid));
		KT_EQ(trace_load_ids(path_of("c2.oracleGeneral.zst"), TRACE_FMT_AUTO,
				     (cache_id_t **)&b, (uint64_t *)&b, err, sizeof(err)), -1);
		snprintf(mid, sizeof(mid), "%s:2: truncated record", path_of("c2.oracleGeneral.zst"));
		KT_ASSERT(!strcmp(err, mid));
	}
	/* zstd damage: a truncated frame, garbage after a frame. */
	{
		static char big[200000];
		FILE *f;
		long sz;
		char *b;

		for (size_t i = 0; i < sizeof(big); i++)
			big[i] = i % 7 == 6 ? '\n' : (char)('0' + (rnd() % 10));
		write_zst(path_of("z.txt.zst"), big, sizeof(big));
		f = fopen(path_of("z.txt.zst"), "rb");
		fseek(f, 0, SEEK_END);
		sz = ftell(f);
		rewind(f);
		b = malloc((size_t)sz + 4);
		KT_ASSERT(fread(b, 1, (size_t)sz, f) == (size_t)sz);
		fclose(f);
		write_file(path_of("z1.txt.zst"), b, (size_t)sz - 10);
		/* Where it stops depends on the block sizes: the problem only. */
		check_bad("z1.txt.zst", "auto", "*: truncated zstd frame");
		memcpy(b + sz, "JUNK", 4);
		write_file(path_of("z2.txt.zst"), b, (size_t)sz + 4);
		snprintf(mid, sizeof(mid), "%lu: bad zstd frame: Unknown frame descriptor",
			 (unsigned long)sizeof(big) / 7 + 1);
		check_bad("z2.txt.zst", "auto", mid);
		free(b);
	}
	/* mmsim */
	{
		/* op READ, addr delta z(0x1000)=0x2000 -> varint 80 40 */
		static const uint8_t ok1[] = { 0x00, 0x80, 0x40 };
		static const uint8_t badop[] = { 0x00, 0x80, 0x40, 0x0c, 0x02 };
		static const uint8_t badvar[] = { 0x00, 0x80, 0x40, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff,
						  0xff, 0xff, 0xff, 0xff, 0x7f };
		static const uint8_t trunc[] = { 0x00, 0x80, 0x40, 0x41, 0x02 };
		static const uint8_t trunc2[] = { 0x00, 0x80, 0x40, 0x01, 0x80 };

		write_mmsim_raw(path_of("m1.mmsim"), 2, ok1, sizeof(ok1), 1);
		check_bad("m1.mmsim", "auto", "1: truncated trace: the header says 2 records");
		write_mmsim_raw(path_of("m2.mmsim"), 0, ok1, sizeof(ok1), 1);
		check_bad("m2.mmsim", "auto", "0: more records than the header's 0");
		write_mmsim_raw(path_of("m3.mmsim"), 2, badop, sizeof(badop), 1);
		check_bad("m3.mmsim", "auto", "1: unknown op 12");
		write_mmsim_raw(path_of("m4.mmsim"), 2, badvar, sizeof(badvar), 1);
		check_bad("m4.mmsim", "auto", "1: bad varint (over 64 bits)");
		write_mmsim_raw(path_of("m5.mmsim"), 2, trunc, sizeof(trunc), 1);
		check_bad("m5.mmsim", "auto", "1: truncated record");
		write_mmsim_raw(path_of("m6.mmsim"), 2, trunc2, sizeof(trunc2), 1);
		check_bad("m6.mmsim", "auto", "1: truncated record");
		write_mmsim_raw(path_of("m7.mmsim"), 1, ok1, sizeof(ok1), 2);
		check_bad("m7.mmsim", "auto", "header: unsupported version 2 (this mmsim reads 1)");
		write_file(path_of("m8.mmsim"), "MMSIMTRC\x01\x00", 10);
		check_bad("m8.mmsim", "auto", "header: truncated header");
		write_file(path_of("m9.mmsim"), "MMSIMTRX\x01\x00\x0c\x00\x1c\x00\x00\x00"
			   "\0\0\0\0\0\0\0\0\0\0\0\0", 28);
		check_bad("m9.mmsim", "auto", "header: wrong magic (not an mmsim trace)");
		/* A header and then no zstd frame at all. */
		write_file(path_of("m10.mmsim"), "MMSIMTRC\x01\x00\x0c\x00\x1c\x00\x00\x00"
			   "\x01\0\0\0\0\0\0\0\0\0\0\0xyzw", 32);
		check_bad("m10.mmsim", "auto", "0: bad zstd frame: Unknown frame descriptor");
	}
	kt_begin("bad options");
	KT_ASSERT(!trace_open_spec(path_of("b1.csv"), "csv:bogus=1", err, sizeof(err)));
	KT_STR_CONTAINS(err, "format option 'bogus': unknown");
	KT_ASSERT(!trace_open_spec(path_of("b1.csv"), "csv:obj-id-col=x", err, sizeof(err)));
	KT_ASSERT(!strcmp(err, "format option 'obj-id-col': bad value 'x'"));
	KT_ASSERT(!trace_open_spec(path_of("b1.csv"), "nope", err, sizeof(err)));
	KT_ASSERT(!strcmp(err, "unknown trace format 'nope'"));
	KT_ASSERT(!trace_open(path_of("missing"), TRACE_FMT_AUTO, err, sizeof(err)));
	snprintf(mid, sizeof(mid), "%s: No such file or directory", path_of("missing"));
	KT_ASSERT(!strcmp(err, mid));
	kt_end();
}

static void test_commit_or_nothing(void)
{
	static struct trace_rec w[1000];
	struct trace_info info = { .page_shift = 12 };
	const char *p = path_of("keep.oracleGeneral");
	enum trace_format fmts[] = { TRACE_FMT_MMSIM, TRACE_FMT_CSV, TRACE_FMT_TXT, TRACE_FMT_ORACLE };
	struct trace_writer *wr;
	char buf[16];
	FILE *f;

	gen_ids(w, 1000);
	write_file(p, "old contents", 12);
	for (unsigned int k = 0; k < 4; k++) {
		wr = trace_create(p, fmts[k], &info, err, sizeof(err));
		KT_ASSERT(wr);
		for (int i = 0; wr && i < 1000; i++)
			trace_write(wr, &w[i]);
		KT_EQ(count_files("keep.oracleGeneral.tmp"), 1);
		trace_abort(wr);
		KT_EQ(count_files("keep.oracleGeneral"), 1);
		f = fopen(p, "rb");
		KT_ASSERT(f && fread(buf, 1, sizeof(buf), f) == 12 && !memcmp(buf, "old contents", 12));
		if (f)
			fclose(f);
	}
	/* A writer into a directory that is not there fails at once, leaving nothing. */
	KT_ASSERT(!trace_create(path_of("no/such/dir.csv"), TRACE_FMT_CSV, &info, err, sizeof(err)));
	KT_STR_CONTAINS(err, "No such file or directory");
	KT_ASSERT(!trace_create(p, TRACE_FMT_LACKEY, &info, err, sizeof(err)));
	KT_STR_CONTAINS(err, "cannot write lackey traces");
	/* Commit replaces the old file. */
	write_trace(p, TRACE_FMT_ORACLE, &info, w, 1000);
	f = fopen(p, "rb");
	KT_ASSERT(f && fseek(f, 0, SEEK_END) == 0 && ftell(f) == 24000);
	if (f)
		fclose(f);
	KT_EQ(count_files(".tmp"), 0);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_lab_trace.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	KT_RUN(test_mmsim_roundtrip);
	KT_RUN(test_mmsim_ids);
	test_id_formats();
	KT_RUN(test_address_to_ids);
	KT_RUN(test_lackey);
	test_csv_layouts();
	KT_RUN(test_detect);
	test_malformed();
	KT_RUN(test_commit_or_nothing);
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "cleanup of %s failed\n", dir);
	}
	return kt_done();
}
