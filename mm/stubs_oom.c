// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_oom.c - TEMPORARY stubs (owner: the OOM killer, E) so main
 * links while mm/oom_kill.c is written: an OOM killer that never kills.
 */
#include <mmsim/oom.h>
#include "init/init.h"

DEFINE_SUBSYSTEM(oom_kill);

bool out_of_memory(struct oom_control *oc) { (void)oc; return false; }
long oom_badness(struct task_struct *p, unsigned long totalpages) { (void)p; (void)totalpages; return 0; }
unsigned long oom_totalpages(void) { return 0; }
void pagefault_out_of_memory(void) { }
bool tsk_is_oom_victim(struct task_struct *t) { (void)t; return false; }
