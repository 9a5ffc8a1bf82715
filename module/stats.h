/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the limiter's event counters and gauges, per CPU, summed when
 * read. Inline helpers that depend on nothing else of the module.
 */
#ifndef _TCPLIMIT_STATS_H
#define _TCPLIMIT_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/minmax.h>

enum tcplimit_stat {
	TCPLIMIT_STAT_ADMITTED,
	TCPLIMIT_STAT_LIMITED_RATE,
	TCPLIMIT_STAT_LIMITED_CONN,
	TCPLIMIT_STAT_LIMITED_HALFOPEN,
	TCPLIMIT_STAT_LIMITED_DST,
	TCPLIMIT_STAT_TABLE_FULL,
	TCPLIMIT_STAT_REJECTED,
	TCPLIMIT_STAT_ALLOWED,
	TCPLIMIT_STAT_BANNED,
	TCPLIMIT_STAT_BAN_FULL,
	TCPLIMIT_STAT_SLOW_FOUND,
	TCPLIMIT_STAT_SLOW_RESET,
	TCPLIMIT_STAT_COUNT
};

/* Written with BH disabled (the hooks, the GC under a bucket lock), read by summing all CPUs. */
struct tcplimit_pcpu_stats {
	u64_stats_t cnt[TCPLIMIT_STAT_COUNT];
	struct u64_stats_sync syncp;
};

/* With BH disabled, so writers never nest on a CPU. */
static inline void tcplimit_stat_inc(struct tcplimit_pcpu_stats __percpu *stats,
				     enum tcplimit_stat which)
{
	struct tcplimit_pcpu_stats *s = get_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[which]);
	u64_stats_update_end(&s->syncp);
	put_cpu_ptr(stats);
}

static inline u64 tcplimit_stat_read(struct tcplimit_pcpu_stats __percpu *stats,
				     enum tcplimit_stat which)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct tcplimit_pcpu_stats *s = per_cpu_ptr(stats, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->cnt[which]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

/*
 * A gauge moved on every SYN: per-CPU deltas, so CPUs share no cache line
 * for it (this_cpu ops: safe from any context), summed when read (a read
 * racing updates may be briefly off, never below 0).
 */
static inline void tcplimit_gauge_add(int __percpu *gauge, int delta)
{
	this_cpu_add(*gauge, delta);
}

static inline int tcplimit_gauge_read(int __percpu *gauge)
{
	int cpu, sum = 0;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(gauge, cpu);
	return max(sum, 0);
}

#endif /* _TCPLIMIT_STATS_H */
