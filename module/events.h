/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: live events (bans, unbans, slow connections, a source's first
 * refusal in a minute), multicast to the family's "events" group,
 * rate-limited per namespace.
 */
#ifndef _TCPLIMIT_EVENTS_H
#define _TCPLIMIT_EVENTS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include "prefix.h"

struct tcplimit_net;

/* A source's refusals are announced at most once this often. */
#define TCPLIMIT_EVENT_REFUSED_EVERY	(60 * HZ)

/*
 * A namespace's events: at most TCPLIMIT_EVENTS_PER_SEC a second, @sent of
 * them in the second from @window (jiffies), both under @lock. The
 * kernel's ratelimit would do, but it counts a contended trylock as over
 * the rate: two bans at once on two CPUs would lose one. @suppressed
 * counts those not sent since the last one sent, which carries it;
 * @suppressed_total since the start.
 */
struct tcplimit_events {
	spinlock_t lock;		/* @window, @sent */
	unsigned long window;
	u32 sent;
	atomic_t suppressed;
	atomic64_t suppressed_total;
};

/* An event: its type and the attributes that go with it. */
struct tcplimit_event_info {
	struct tcplimit_prefix prefix;
	u32 time_ms;		/* BAN */
	u32 limit;		/* REFUSED */
	u32 slow;		/* SLOW */
	u8 type;		/* enum tcplimit_event */
	u8 reason;		/* BAN */
};

extern const struct genl_multicast_group tcplimit_mcgrps[1];

void tcplimit_events_init(struct tcplimit_events *ev);
void tcplimit_events_start(void);
void tcplimit_events_stop(void);
bool tcplimit_events_wanted(struct tcplimit_net *tn);
void tcplimit_event(struct tcplimit_net *tn, const struct tcplimit_event_info *e);
void tcplimit_event_source(struct tcplimit_net *tn, u8 type, u8 family,
			   const union nf_inet_addr *addr, u8 len, u32 value);

#endif /* _TCPLIMIT_EVENTS_H */
