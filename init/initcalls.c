// SPDX-License-Identifier: GPL-2.0
/*
 * init/initcalls.c - the list of init/subsystems.h as data: the array
 * init/main.c walks (subsystems[]) and each subsystem's index in it
 * (subsys_<name>_id, what subsys_state() reads).
 *
 * The list file is SUBSYS_LIST, "init/subsystems.h" unless the build says
 * otherwise: a test that adds a subsystem compiles this file again with a
 * list of its own (tests/test_subsys.c), and the library's copy is then
 * not linked.  Constant data: no state, no locking.
 */
#include "init/init.h"

#ifndef SUBSYS_LIST
#define SUBSYS_LIST "init/subsystems.h"
#endif

#define SUBSYSTEM(n) SUBSYS_IDX_##n,
enum {
#include SUBSYS_LIST
	NR_SUBSYS
};
#undef SUBSYSTEM

#define SUBSYSTEM(n) DECLARE_SUBSYSTEM(n); const int subsys_##n##_id = SUBSYS_IDX_##n;
#include SUBSYS_LIST
#undef SUBSYSTEM

#define SUBSYSTEM(n) &subsys_##n,
const struct subsystem *const subsystems[] = {
#include SUBSYS_LIST
};
#undef SUBSYSTEM

const int nr_subsystems = NR_SUBSYS;
