// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_lru_gen.c - TEMPORARY stub (owner: MGLRU, C) so main links
 * while mm/lru_gen.c is written.  Delete when lru_gen_ops lands.
 */
#include <mmsim/lru_policy.h>
#include "init/init.h"

DEFINE_SUBSYSTEM(lru_gen);

const struct lru_policy_ops lru_gen_ops = { .name = "mglru" };
