// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz/fuzz_spec.c - libFuzzer target: the boot spec (docs/boot-spec.md).
 *
 * The input's bytes are one spec string (cut at the first NUL, as a C
 * caller would pass it).  fuzz_spec_filter() (fuzz/common.c) refuses a
 * ram= above 256M and panic_on_warn=, and gives a spec without ram= a
 * 64M machine, so every run is cheap.  Then mmsim_boot():
 *   - success: the machine's invariants (fuzz_check_machine()), then
 *     mmsim_shutdown(), which must give every host resource back (ASan's
 *     leak check sees what it does not);
 *   - failure: mmsim_last_error() must be one non-empty line.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz/common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size), *spec;
	struct mmsim *m;

	if (!text)
		return 0;
	spec = fuzz_spec_filter(text);
	free(text);
	if (!spec)
		return -1;	/* not added to the corpus */
	m = mmsim_boot(spec);
	if (m) {
		fuzz_check_machine(m, "after boot");
		mmsim_shutdown(m);
	} else {
		const char *err = mmsim_last_error();

		if (!err || !err[0] || strchr(err, '\n'))
			fuzz_fail(NULL, "boot '%s' failed with a bad message: '%s'", spec,
				  err ? err : "(null)");
	}
	free(spec);
	return 0;
}
