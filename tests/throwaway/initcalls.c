// SPDX-License-Identifier: GPL-2.0
/* init/initcalls.c compiled with the list of tests/throwaway/subsystems.h. */
#define SUBSYS_LIST "tests/throwaway/subsystems.h"
#include "init/initcalls.c"
