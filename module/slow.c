// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: slow connections. An attacker holds a server's slots with
 * connections that move a few bytes now and then (slowloris, slow POST,
 * slow read) and never trips a rate. An established connection that moved
 * fewer than slow-bytes of payload per slow-period, on average over at
 * least one period, is slow. The GC measures each flow as it visits it
 * (about every 1.6 s): in host mode from the socket's own counts
 * (tcp_sock.bytes_received and bytes_acked: the payload the client sent,
 * and the server's that it took), so the packet path pays nothing; in
 * gateway mode from the payload the hook counted. A download moves bytes,
 * so it is not slow; an idle keep-alive connection is.
 *
 * A source holding more than abnormal-max slow connections is banned
 * (TCPLIMIT_BAN_ABNORMAL); with slow-action reset each slow connection is
 * also reset, the server's slot freed, and counted against its source for
 * one more period, so that being reset spares no source its ban.
 */
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/bottom_half.h>
#include "slow.h"
#include "ban.h"
#include "events.h"
#include "flow.h"
#include "limiter.h"

/* Bytes per measure that matter (a larger count only risks overflow). */
#define TCPLIMIT_SLOW_MOVED_CAP		U32_MAX

/*
 * @src's slow connections: those it holds, and those reset within the last
 * slow period. Under @src's bucket lock.
 */
static u32 tcplimit_abnormal(const struct tcplimit_entry *src, const struct tcplimit_limits *lim)
{
	u32 n = src->slow;

	if (time_before(jiffies, src->slow_reset_since + lim->slow_period))
		n += src->slow_reset;
	return n;
}

/*
 * @flow measured slow (@slow) or not. Under its source's bucket lock, as
 * tcplimit_slow_forget() runs when the flow ends, so its count goes back
 * exactly once. *@ban: its source holds too many now; *@found: it was just
 * found slow, its source's count then.
 */
static enum tcplimit_slow_verdict
tcplimit_slow_mark_locked(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
			  const struct tcplimit_limits *lim, struct tcplimit_flow *flow, bool slow,
			  bool may_reset, bool *ban, u32 *found)
{
	struct tcplimit_entry *src = flow->source;

	if (atomic_read(&flow->state) != TCPLIMIT_FLOW_ESTABLISHED ||
	    test_bit(TCPLIMIT_FLOW_ABORT, &flow->fin))
		return TCPLIMIT_SLOW_KEEP;
	if (!slow) {
		if (test_and_clear_bit(TCPLIMIT_FLOW_SLOW, &flow->fin))
			WRITE_ONCE(src->slow, src->slow - 1);
		return TCPLIMIT_SLOW_KEEP;
	}
	if (!test_and_set_bit(TCPLIMIT_FLOW_SLOW, &flow->fin)) {
		WRITE_ONCE(src->slow, src->slow + 1);
		tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_SLOW_FOUND);
		*found = tcplimit_abnormal(src, lim);
	}
	*ban = lim->abnormal_max && READ_ONCE(src->proven) &&
	       tcplimit_abnormal(src, lim) > lim->abnormal_max;
	/* Dry run: counted and banned as usual, never reset. */
	if (cfg->slow_action != TCPLIMIT_SLOW_RESET || !may_reset || cfg->dry_run)
		return TCPLIMIT_SLOW_KEEP;
	/* From the held to the reset ones: counted once. */
	clear_bit(TCPLIMIT_FLOW_SLOW, &flow->fin);
	set_bit(TCPLIMIT_FLOW_ABORT, &flow->fin);
	WRITE_ONCE(src->slow, src->slow - 1);
	if (!time_before(jiffies, src->slow_reset_since + lim->slow_period)) {
		src->slow_reset = 0;
		src->slow_reset_since = jiffies;
	}
	src->slow_reset++;
	tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_SLOW_RESET);
	return TCPLIMIT_SLOW_ABORT;
}

/*
 * The GC visits established @flow, which has moved @moved bytes of payload
 * so far. Once a slow period has passed since the last reading, is it slow?
 * @may_reset: the caller can reset it now. Only the GC measures (its work
 * runs alone), so @rx_since and @rx_mark need no lock. Process context,
 * under rcu_read_lock().
 */
enum tcplimit_slow_verdict tcplimit_slow_check(struct tcplimit_net *tn,
					       const struct tcplimit_config *cfg,
					       struct tcplimit_flow *flow, u64 moved,
					       bool may_reset)
{
	struct tcplimit_entry *src = flow->source;
	const struct tcplimit_limits *lim = tcplimit_entry_limits(cfg, src);
	unsigned long now = jiffies, elapsed = now - flow->rx_since;
	enum tcplimit_slow_verdict verdict;
	spinlock_t *slock;	/* src's bucket lock */
	bool slow, ban = false;
	u32 found = 0;

	if (lim->slow_bytes && flow->rx_since && elapsed < lim->slow_period)
		return TCPLIMIT_SLOW_KEEP;
	if (!lim->slow_bytes || !flow->rx_since) {
		/* Off: forget any verdict. On: start measuring. */
		flow->rx_since = lim->slow_bytes ? now | 1 : 0;
		flow->rx_mark = moved;
		if (!test_bit(TCPLIMIT_FLOW_SLOW, &flow->fin))
			return TCPLIMIT_SLOW_KEEP;
		slow = false;
	} else {
		/* Fewer than slow_bytes per slow_period over @elapsed. */
		slow = min_t(u64, moved - flow->rx_mark, TCPLIMIT_SLOW_MOVED_CAP) *
		       lim->slow_period < (u64)lim->slow_bytes * elapsed;
		flow->rx_since = now | 1;
		flow->rx_mark = moved;
	}
	slock = tcplimit_table_lock(&tn->sources, src->hash);
	spin_lock_bh(slock);
	verdict = tcplimit_slow_mark_locked(tn, cfg, lim, flow, slow, may_reset, &ban, &found);
	spin_unlock_bh(slock);
	if (found)
		tcplimit_event_source(tn, TCPLIMIT_EVENT_SLOW, src->key.family, &src->key.addr,
				      src->key.prefix_len, found);
	if (ban) {
		local_bh_disable();
		tcplimit_ban_source(tn, cfg, flow->key.family, &flow->key.saddr,
				    TCPLIMIT_BAN_ABNORMAL);
		local_bh_enable();
	}
	return verdict;
}

/* @flow ended: it no longer counts as slow. Under its source's bucket lock. */
void tcplimit_slow_forget(struct tcplimit_flow *flow)
{
	struct tcplimit_entry *src = flow->source;

	if (test_and_clear_bit(TCPLIMIT_FLOW_SLOW, &flow->fin))
		WRITE_ONCE(src->slow, src->slow - 1);
}
