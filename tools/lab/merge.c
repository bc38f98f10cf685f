// SPDX-License-Identifier: GPL-2.0
/* tools/lab/merge.c - placeholder until issue 17's branch for it lands. */
#include <stdio.h>
#include "tools/lab/lab.h"

int cmd_merge(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("mmsim: merge: not built yet\n", stderr);
	return 2;
}
