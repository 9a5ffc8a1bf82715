// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: live events. What a fleet feeds into its own ban sharing, and
 * what "tcplimitctl monitor" prints: a ban starting (by hand or by a
 * trigger), a ban lifted by hand, a connection found slow, and a source's
 * first refusal in a minute. Each is one TCPLIMIT_CMD_EVENT message to the
 * namespace's listeners of the "events" group (CAP_NET_ADMIN), built only
 * when someone listens. A flood must not flood userspace: a namespace sends
 * at most TCPLIMIT_EVENTS_PER_SEC a second, and the next event sent says
 * how many were not.
 */
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include "events.h"
#include "limiter.h"
#include "netlink.h"

const struct genl_multicast_group tcplimit_mcgrps[1] = {
	{ .name = TCPLIMIT_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* While the family is registered (tcplimit_events_start(), _stop()). */
static bool tcplimit_events_on;

/* An event's attributes, at most: the version, then the event's nest. */
#define TCPLIMIT_EVENT_SIZE	(nla_total_size(sizeof(u32)) + nla_total_size(	\
	nla_total_size(sizeof(u8)) * 2 + nla_total_size(sizeof(u32)) * 4 +	\
	nla_total_size(nla_total_size(sizeof(struct in6_addr)) +		\
		       nla_total_size(sizeof(u8)))))

void tcplimit_events_init(struct tcplimit_events *ev)
{
	spin_lock_init(&ev->lock);
	ev->window = jiffies;
	ev->sent = 0;
	atomic_set(&ev->suppressed, 0);
	atomic64_set(&ev->suppressed_total, 0);
}

/* Once the family is registered: its multicast group exists. */
void tcplimit_events_start(void)
{
	WRITE_ONCE(tcplimit_events_on, true);
}

/*
 * Before the family is unregistered: no event is sent after, so the
 * family's multicast group is never used once it is gone.
 */
void tcplimit_events_stop(void)
{
	WRITE_ONCE(tcplimit_events_on, false);
	synchronize_rcu();
}

/* One more event within the rate? */
static bool tcplimit_events_allowed(struct tcplimit_events *ev)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&ev->lock, flags);
	if (time_after_eq(jiffies, ev->window + HZ)) {
		ev->window = jiffies;
		ev->sent = 0;
	}
	ok = ev->sent < TCPLIMIT_EVENTS_PER_SEC;
	ev->sent += ok;
	spin_unlock_irqrestore(&ev->lock, flags);
	return ok;
}

/* Does anyone in @tn's namespace listen? Under rcu_read_lock(). */
bool tcplimit_events_wanted(struct tcplimit_net *tn)
{
	return READ_ONCE(tcplimit_events_on) &&
	       genl_has_listeners(&tcplimit_genl_family, tn->net, 0);
}

static int tcplimit_event_put(struct sk_buff *msg, const struct tcplimit_event_info *e,
			      u32 suppressed)
{
	struct nlattr *nest = nla_nest_start(msg, TCPLIMIT_A_EVENT);

	if (!nest || nla_put_u8(msg, TCPLIMIT_EVENT_A_TYPE, e->type) ||
	    tcplimit_prefix_put(msg, TCPLIMIT_EVENT_A_PREFIX, &e->prefix) ||
	    nla_put_u32(msg, TCPLIMIT_EVENT_A_SUPPRESSED, suppressed))
		return -EMSGSIZE;
	switch (e->type) {
	case TCPLIMIT_EVENT_BAN:
		if (nla_put_u8(msg, TCPLIMIT_EVENT_A_REASON, e->reason) ||
		    nla_put_u32(msg, TCPLIMIT_EVENT_A_TIME_MS, e->time_ms))
			return -EMSGSIZE;
		break;
	case TCPLIMIT_EVENT_SLOW:
		if (nla_put_u32(msg, TCPLIMIT_EVENT_A_SLOW, e->slow))
			return -EMSGSIZE;
		break;
	case TCPLIMIT_EVENT_REFUSED:
		if (nla_put_u32(msg, TCPLIMIT_EVENT_A_LIMIT, e->limit))
			return -EMSGSIZE;
		break;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static void tcplimit_event_suppressed(struct tcplimit_events *ev, u32 n)
{
	atomic_add(n, &ev->suppressed);
	atomic64_add(n, &ev->suppressed_total);
}

/*
 * Announce @e to @tn's listeners, if any, within the rate. From any
 * context (the hooks, the GC, netlink); never sleeps. Under RCU, so that
 * tcplimit_events_stop() waits for it.
 */
void tcplimit_event(struct tcplimit_net *tn, const struct tcplimit_event_info *e)
{
	struct tcplimit_events *ev = &tn->events;
	struct sk_buff *msg;
	u32 suppressed;
	void *hdr;

	rcu_read_lock();
	if (!tcplimit_events_wanted(tn))
		goto out;
	if (!tcplimit_events_allowed(ev)) {
		tcplimit_event_suppressed(ev, 1);
		goto out;
	}
	msg = genlmsg_new(TCPLIMIT_EVENT_SIZE, GFP_ATOMIC);
	if (!msg) {
		tcplimit_event_suppressed(ev, 1);
		goto out;
	}
	suppressed = atomic_xchg(&ev->suppressed, 0);
	hdr = genlmsg_put(msg, 0, 0, &tcplimit_genl_family, 0, TCPLIMIT_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION) ||
	    tcplimit_event_put(msg, e, suppressed)) {
		nlmsg_free(msg);
		tcplimit_event_suppressed(ev, suppressed + 1);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&tcplimit_genl_family, tn->net, msg, 0, 0, GFP_ATOMIC);
out:
	rcu_read_unlock();
}

/* An event of a source: @addr masked to @len, and its @value (LIMIT, SLOW). */
void tcplimit_event_source(struct tcplimit_net *tn, u8 type, u8 family,
			   const union nf_inet_addr *addr, u8 len, u32 value)
{
	struct tcplimit_event_info e = { .type = type };

	e.prefix.family = family;
	e.prefix.len = len;
	if (family == NFPROTO_IPV4)
		e.prefix.addr.ip = addr->ip;
	else
		e.prefix.addr.in6 = addr->in6;
	tcplimit_prefix_mask(&e.prefix.addr, family, len);
	if (type == TCPLIMIT_EVENT_SLOW)
		e.slow = value;
	else
		e.limit = value;
	tcplimit_event(tn, &e);
}
