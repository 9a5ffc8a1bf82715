/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h: strict parsing of command-line arguments. Each parser prints
 * one line "tcplimitctl: <what>: '<arg>' ..." and returns -1 on bad input;
 * on success it stores the value and returns 0. Numbers are decimal digits
 * only (no sign, no spaces, not empty); huge ones are "too large", never
 * wrapped.
 */
#ifndef TCPLIMITCTL_PARSE_H
#define TCPLIMITCTL_PARSE_H

#include <stdint.h>

struct names;

/* A number in 0..@max. */
int parse_u32(const char *what, const char *arg, uint32_t max, uint32_t *out);

/* A prefix length in 1..@max, "24" or "/24". */
int parse_prefix_len(const char *what, const char *arg, uint32_t max, uint32_t *out);

/* Flags of parse_duration(). */
enum {
	DUR_BARE_UNIT		= 1 << 0,	/* "s" alone means "1s" */
	DUR_PLAIN_SECONDS	= 1 << 1,	/* "90" means "90s" */
};

/*
 * A duration in @min_ms..@max_ms: numbers with units h, m, s, ms, largest
 * first and each at most once ("500ms", "30s", "1h30m", "2h11m15s").
 */
int parse_duration(const char *what, const char *arg, unsigned int flags,
		   uint32_t min_ms, uint32_t max_ms, uint32_t *out);

/*
 * A rate "N/PERIOD" (N 1..@max, PERIOD a duration that may be a bare unit:
 * "20/s" is "20/1s", TCPLIMIT_MIN_PERIOD_MS..TCPLIMIT_MAX_PERIOD_MS), or
 * "0" / "off": *@n = 0 and *@period_ms untouched.
 */
int parse_rate(const char *what, const char *arg, uint32_t max, uint32_t *n,
	       uint32_t *period_ms);

/*
 * A TCP port or a range of them, "22" or "8000-8100": ports 1..65535, the
 * first not above the last (*@last = *@first for one port).
 */
int parse_ports(const char *what, const char *arg, uint16_t *first, uint16_t *last);

/* One of @names (exact match). */
int parse_name(const char *what, const char *arg, const struct names *names, uint32_t *out);

#endif /* TCPLIMITCTL_PARSE_H */
