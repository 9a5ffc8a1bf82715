// SPDX-License-Identifier: GPL-2.0
/* parse.c: strict parsing of unsigned decimal command-line arguments. */
#include <stdint.h>

#include "error.h"
#include "parse.h"

int parse_u32(const char *what, const char *arg, uint32_t max, uint32_t *out)
{
	uint64_t val = 0;
	const char *p;

	if (!*arg)
		goto invalid;
	for (p = arg; *p; p++) {
		if (*p < '0' || *p > '9')
			goto invalid;
		/* Saturate above max: keep checking the remaining characters. */
		if (val <= max)
			val = val * 10 + (uint64_t)(*p - '0');
	}
	if (val > max) {
		err_msg("%s: '%s' is too large (at most %u)", what, arg, max);
		return -1;
	}
	*out = (uint32_t)val;
	return 0;

invalid:
	err_msg("%s: '%s' is not a non-negative integer", what, arg);
	return -1;
}
