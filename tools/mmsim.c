// SPDX-License-Identifier: GPL-2.0
/* tools/mmsim.c - the command-line tool (being written; see docs/cli.md). */
#include <stdio.h>
#include <mmsim/mmsim.h>

int main(int argc, char **argv)
{
	struct mmsim *m = mmsim_boot(argc > 1 ? argv[1] : "");

	if (!m) {
		fprintf(stderr, "mmsim: %s\n", mmsim_last_error());
		return 1;
	}
	mmsim_shutdown(m);
	return 0;
}
