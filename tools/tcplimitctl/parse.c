// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c: strict parsing of command-line arguments: numbers, prefix
 * lengths, durations, rates, port ranges and names.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "error.h"
#include "format.h"
#include "names.h"
#include "parse.h"

/*
 * Numbers saturate just above this while they are scanned: above every
 * limit we check, and small enough that a number of hours in milliseconds,
 * summed over every unit of a duration, cannot overflow a u64.
 */
#define NUM_SAT		1000000000000ULL

/* Duration units, largest first; a duration gives them in this order. */
enum { UNIT_H, UNIT_M, UNIT_S, UNIT_MS };

static const uint32_t unit_ms[] = {
	[UNIT_H]	= 3600000,
	[UNIT_M]	= 60000,
	[UNIT_S]	= 1000,
	[UNIT_MS]	= 1,
};

/* Scan decimal digits at *@p, moving past them; return how many there were. */
static size_t scan_digits(const char **p, uint64_t *val)
{
	const char *start = *p, *s;
	uint64_t v = 0;

	for (s = start; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > NUM_SAT)
			v = NUM_SAT + 1;
	}
	*val = v;
	*p = s;
	return (size_t)(s - start);
}

/* Scan a unit at *@p, moving past it; return UNIT_* or -1. */
static int scan_unit(const char **p)
{
	const char *s = *p;
	int unit;

	if (s[0] == 'm' && s[1] == 's') {
		*p = s + 2;
		return UNIT_MS;
	}
	switch (s[0]) {
	case 'h':
		unit = UNIT_H;
		break;
	case 'm':
		unit = UNIT_M;
		break;
	case 's':
		unit = UNIT_S;
		break;
	default:
		return -1;
	}
	*p = s + 1;
	return unit;
}

/* Is @s one number and nothing else? */
static int is_number(const char *s, uint64_t *val)
{
	return scan_digits(&s, val) && !*s;
}

/* @s (shown as @shown in messages) is a number in @min..@max. */
static int parse_range(const char *what, const char *shown, const char *s,
		       uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t val;

	if (!is_number(s, &val)) {
		err_msg("%s: '%s' is not a non-negative integer", what, shown);
		return -1;
	}
	if (val < min || val > max) {
		if (min)
			err_msg("%s: '%s' is out of range (%u..%u)", what, shown, min, max);
		else
			err_msg("%s: '%s' is too large (at most %u)", what, shown, max);
		return -1;
	}
	*out = (uint32_t)val;
	return 0;
}

int parse_u32(const char *what, const char *arg, uint32_t max, uint32_t *out)
{
	return parse_range(what, arg, arg, 0, max, out);
}

int parse_prefix_len(const char *what, const char *arg, uint32_t max, uint32_t *out)
{
	return parse_range(what, arg, arg[0] == '/' ? arg + 1 : arg, 1, max, out);
}

int parse_duration(const char *what, const char *arg, unsigned int flags,
		   uint32_t min_ms, uint32_t max_ms, uint32_t *out)
{
	char limit[DURATION_LEN];
	const char *p = arg;
	uint64_t total = 0, num;
	int unit, last = -1;

	if (is_number(arg, &num)) {
		if (!(flags & DUR_PLAIN_SECONDS)) {
			err_msg("%s: '%s' needs a unit (ms, s, m or h)", what, arg);
			return -1;
		}
		total = num * unit_ms[UNIT_S];
	} else if ((flags & DUR_BARE_UNIT) && (unit = scan_unit(&p)) >= 0 && !*p) {
		total = unit_ms[unit];
	} else {
		p = arg;
		if (!*p)
			goto invalid;
		while (*p) {
			if (!scan_digits(&p, &num))
				goto invalid;
			unit = scan_unit(&p);
			if (unit < 0)
				goto invalid;
			if (unit <= last) {
				err_msg("%s: '%s' repeats a unit or has them out of order (largest first, like 1h30m)",
					what, arg);
				return -1;
			}
			last = unit;
			/* num <= NUM_SAT + 1: no overflow, and the sum stays far below 2^64. */
			total += num * unit_ms[unit];
		}
	}

	if (total < min_ms) {
		format_duration(limit, sizeof(limit), min_ms);
		err_msg("%s: '%s' is too short (at least %s)", what, arg, limit);
		return -1;
	}
	if (total > max_ms) {
		format_duration(limit, sizeof(limit), max_ms);
		err_msg("%s: '%s' is too long (at most %s)", what, arg, limit);
		return -1;
	}
	*out = (uint32_t)total;
	return 0;

invalid:
	err_msg("%s: '%s' is not a duration (like 500ms, 30s, 2m or 1h30m)", what, arg);
	return -1;
}

int parse_rate(const char *what, const char *arg, uint32_t max, uint32_t *n,
	       uint32_t *period_ms)
{
	char period_what[64];
	const char *p = arg;
	uint64_t num;

	if (!strcmp(arg, "off") || !strcmp(arg, "0")) {
		*n = 0;
		return 0;
	}
	if (is_number(arg, &num)) {
		err_msg("%s: '%s' needs a period, like %s/1s", what, arg, arg);
		return -1;
	}
	if (!scan_digits(&p, &num) || *p != '/') {
		err_msg("%s: '%s' is not a rate (like 20/1s, 100/10s or off)", what, arg);
		return -1;
	}
	if (num < 1 || num > max) {
		err_msg("%s: '%s': the count must be 1..%u (no limit: %s off)",
			what, arg, max, what);
		return -1;
	}
	snprintf(period_what, sizeof(period_what), "%s period", what);
	if (parse_duration(period_what, p + 1, DUR_BARE_UNIT,
			   TCPLIMIT_MIN_PERIOD_MS, TCPLIMIT_MAX_PERIOD_MS, period_ms))
		return -1;
	*n = (uint32_t)num;
	return 0;
}

int parse_ports(const char *what, const char *arg, uint16_t *first, uint16_t *last)
{
	const char *p = arg, *second = arg;
	size_t len[2];
	uint64_t port[2];
	int i;

	len[0] = scan_digits(&p, &port[0]);
	len[1] = len[0];
	port[1] = port[0];
	if (*p == '-') {
		second = ++p;
		len[1] = scan_digits(&p, &port[1]);
	}
	if (!len[0] || !len[1] || *p) {
		err_msg("%s: '%s' is not a port or a port range (like 22 or 8000-8100)", what, arg);
		return -1;
	}
	/* 0 is no TCP port: out of range as well. */
	for (i = 0; i < 2; i++) {
		if (port[i] < 1 || port[i] > UINT16_MAX) {
			err_msg("%s: port '%.*s' is out of range (1..65535)", what, (int)len[i],
				i ? second : arg);
			return -1;
		}
	}
	if (port[1] < port[0]) {
		err_msg("%s: '%s': the last port is below the first", what, arg);
		return -1;
	}
	*first = (uint16_t)port[0];
	*last = (uint16_t)port[1];
	return 0;
}

int parse_name(const char *what, const char *arg, const struct names *names, uint32_t *out)
{
	const struct name_val *nv = names_find(names, arg, strlen(arg));
	char list[128];

	if (!nv) {
		names_join(names, list, sizeof(list));
		err_msg("%s: '%s' is not %s", what, arg, list);
		return -1;
	}
	*out = nv->val;
	return 0;
}
