/* SPDX-License-Identifier: GPL-2.0 */
/* The list of init/subsystems.h and one line more: what adding a subsystem takes. */
#include "init/subsystems.h"
SUBSYSTEM(throwaway)		/* tests/throwaway/throwaway.c */
