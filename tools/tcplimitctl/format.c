// SPDX-License-Identifier: GPL-2.0
/* format.c: durations in milliseconds as text (h, m, s, ms), and rates. */
#include <inttypes.h>
#include <stdio.h>

#include "format.h"
#include "names.h"

static const struct {
	const char *name;
	uint64_t ms;
} units[] = {
	{ "h",	3600000 },
	{ "m",	60000 },
	{ "s",	1000 },
	{ "ms",	1 },
};

void format_duration(char *buf, size_t size, uint64_t ms)
{
	size_t i, off = 0;
	int n;

	if (!ms) {
		snprintf(buf, size, "0s");
		return;
	}
	if (size)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(units) && off < size; i++) {
		if (ms < units[i].ms)
			continue;
		n = snprintf(buf + off, size - off, "%" PRIu64 "%s",
			     ms / units[i].ms, units[i].name);
		if (n < 0)
			break;
		off += (size_t)n;
		ms %= units[i].ms;
	}
}

void format_period(char *buf, size_t size, uint64_t ms)
{
	size_t i;

	if (!ms) {
		snprintf(buf, size, "0s");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(units) - 1 && ms % units[i].ms; i++)
		;
	snprintf(buf, size, "%" PRIu64 "%s", ms / units[i].ms, units[i].name);
}

void format_rate(char *buf, size_t size, uint64_t n, uint64_t period_ms, uint64_t burst)
{
	char period[DURATION_LEN];

	format_period(period, sizeof(period), period_ms);
	if (burst)
		snprintf(buf, size, "%" PRIu64 "/%s burst %" PRIu64, n, period, burst);
	else
		snprintf(buf, size, "%" PRIu64 "/%s", n, period);
}
