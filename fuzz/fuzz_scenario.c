// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz/fuzz_scenario.c - libFuzzer target: the scenario language of
 * `mmsim run` (docs/cli.md), run by the tool's own interpreter
 * (tools/scenario.c and tools/cmd_*.c, compiled in) from the input's bytes
 * (cut at the first NUL), with its output going to /dev/null.
 *
 * What the fuzzer must not be able to ask for, it cannot: the target is
 * linked with -Wl,--wrap= on three calls the interpreter makes (no seam in
 * tools/ is needed for that):
 *   - mmsim_boot(): the spec goes through fuzz_spec_filter() (ram= at most
 *     256M, 64M when absent, no panic_on_warn=); a refused spec fails the
 *     boot and the input is not kept;
 *   - cmd_test_vmalloc(): refused (its default loop count runs for minutes);
 *   - kmem_cache_create(): SLAB_PANIC is dropped (a failed creation with it
 *     aborts, as it panics Linux: documented, not a finding).
 * An input that uses `poke` is refused: poke writes into slab memory as a
 * buggy driver does, so what follows is undefined by design.
 *
 * After the scenario, whether it ran to the end or stopped at an error, the
 * machine's invariants are checked (fuzz_check_machine()), then the machine
 * is shut down with everything the scenario still holds; ASan's leak check
 * sees what that does not give back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/common.h"
#include "tools/scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mmsim *__real_mmsim_boot(const char *spec);
struct mmsim *__wrap_mmsim_boot(const char *spec);
int __wrap_cmd_test_vmalloc(struct scn *s, int argc, char **argv);
struct kmem_cache *__real_kmem_cache_create(const char *name, unsigned int size,
					    unsigned int align, slab_flags_t flags,
					    void (*ctor)(void *));
struct kmem_cache *__wrap_kmem_cache_create(const char *name, unsigned int size,
					    unsigned int align, slab_flags_t flags,
					    void (*ctor)(void *));

static FILE *devnull;
static bool refused;	/* the input asked for what the fuzzer refuses */

struct mmsim *__wrap_mmsim_boot(const char *spec)
{
	char *safe = fuzz_spec_filter(spec ? spec : "");
	struct mmsim *m;

	if (!safe) {
		refused = true;
		return __real_mmsim_boot("fuzz-refused-this-spec");	/* sets the error */
	}
	m = __real_mmsim_boot(safe);
	free(safe);
	return m;
}

int __wrap_cmd_test_vmalloc(struct scn *s, int argc, char **argv)
{
	refused = true;
	return scn_fail(s, "not run by the fuzzer");
}

struct kmem_cache *__wrap_kmem_cache_create(const char *name, unsigned int size,
					    unsigned int align, slab_flags_t flags,
					    void (*ctor)(void *))
{
	return __real_kmem_cache_create(name, size, align, flags & ~SLAB_PANIC, ctor);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		fuzz_fail(NULL, "cannot open /dev/null");
	return 0;
}

/* Whether @text has "poke" once quotes and backslashes are gone. */
static bool uses_poke(const char *text)
{
	char *flat = strdup(text), *q = flat;
	bool ret;

	if (!flat)
		return true;
	for (const char *p = text; *p; p++)
		if (*p != '"' && *p != '\\')
			*q++ = *p;
	*q = '\0';
	ret = strstr(flat, "poke") != NULL;
	free(flat);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	struct scn s;

	if (!text)
		return 0;
	if (uses_poke(text)) {
		free(text);
		return -1;
	}
	refused = false;
	scn_init(&s, "fuzz.scn", devnull);
	scn_run(&s, text);
	free(text);
	if (s.m)
		fuzz_check_machine(s.m, "after the scenario");
	scn_destroy(&s);
	return refused ? -1 : 0;
}
