/* SPDX-License-Identifier: GPL-2.0 */
/* parse.h: strict parsing of command-line arguments. */
#ifndef TCPLIMITCTL_PARSE_H
#define TCPLIMITCTL_PARSE_H

#include <stdint.h>

/*
 * Parse @arg as a decimal number in 0..@max: digits only (no sign, no
 * spaces, not empty). On failure print "tcplimitctl: <what>: '<arg>' ..."
 * and return -1; on success store the value in *@out and return 0.
 */
int parse_u32(const char *what, const char *arg, uint32_t max, uint32_t *out);

#endif /* TCPLIMITCTL_PARSE_H */
