// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/policy_args.c - the research policies' "key=value,key=value"
 * argument parser (plist.h declares it).  Pure functions, no state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mm/policy/plist.h"

int policy_parse_args(const char *args, int (*fn)(void *arg, const char *key, const char *val),
		      void *arg)
{
	char buf[256], *p, *tok, *save = NULL;
	int ret = 0;

	if (!args || !*args)
		return 0;
	if (strlen(args) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, args);
	for (p = buf; (tok = strtok_r(p, ",", &save)); p = NULL) {
		char *eq = strchr(tok, '=');

		if (eq)
			*eq++ = '\0';
		ret = fn(arg, tok, eq ? eq : "");
		if (ret)
			break;
	}
	return ret;
}

int policy_parse_ratio(const char *val, double *out)
{
	char *end;
	double d;

	if (!*val)
		return -EINVAL;
	d = strtod(val, &end);
	if (*end || !(d > 0.0 && d < 1.0))
		return -EINVAL;
	*out = d;
	return 0;
}
