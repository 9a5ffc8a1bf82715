/* SPDX-License-Identifier: GPL-2.0 */
/* format.h: durations and rates as text, in the units the command line accepts. */
#ifndef TCPLIMITCTL_FORMAT_H
#define TCPLIMITCTL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Big enough for any u64 number of milliseconds. */
#define DURATION_LEN	40

/* @ms in the largest units, each once: "1h", "1m30s", "2h11m15s", "500ms", "0s". */
void format_duration(char *buf, size_t size, uint64_t ms);

/* @ms in the largest single unit that divides it: "1s", "250ms", "2m", "90s". */
void format_period(char *buf, size_t size, uint64_t ms);

/* Big enough for any rate format_rate() writes. */
#define RATE_LEN	(2 * 20 + DURATION_LEN + 16)

/* "20/1s", "100/10s burst 40" (@burst 0: no burst said): the period as format_period(). */
void format_rate(char *buf, size_t size, uint64_t n, uint64_t period_ms, uint64_t burst);

#endif /* TCPLIMITCTL_FORMAT_H */
