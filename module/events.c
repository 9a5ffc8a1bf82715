// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: live events. What a fleet feeds into its own ban sharing, and
 * what "tcplimitctl monitor" prints: a ban starting (by hand or by a
 * trigger), a ban lifted by hand, a connection found slow, and a source's
 * first refusal in a minute. Each is one TCPLIMIT_CMD_EVENT message to the
 * namespace's listeners of the "events" group (CAP_NET_ADMIN), built only
 * when someone listens. A flood must not flood userspace: a namespace sends
 * at most TCPLIMIT_EVENTS_PER_SEC a second (the kernel's ratelimit), and
 * the next event sent says how many were not.
 */
#include <linux/ratelimit.h>
#include "events.h"
#include "limiter.h"
#include "netlink.h"

const struct genl_multicast_group tcplimit_mcgrps[1] = {
	{ .name = TCPLIMIT_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

void tcplimit_events_init(struct tcplimit_events *ev)
{
	ratelimit_state_init(&ev->rs, HZ, TCPLIMIT_EVENTS_PER_SEC);
	/* Suppressed events are counted here, not printed. */
	ratelimit_set_flags(&ev->rs, RATELIMIT_MSG_ON_RELEASE);
	atomic_set(&ev->suppressed, 0);
	atomic64_set(&ev->suppressed_total, 0);
}

/* Does anyone in @tn's namespace listen? */
bool tcplimit_events_wanted(struct tcplimit_net *tn)
{
	return genl_has_listeners(&tcplimit_genl_family, tn->net, 0);
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
 * context (the hooks, the GC, netlink); never sleeps.
 */
void tcplimit_event(struct tcplimit_net *tn, const struct tcplimit_event_info *e)
{
	struct tcplimit_events *ev = &tn->events;
	struct sk_buff *msg;
	u32 suppressed;
	void *hdr;

	if (!tcplimit_events_wanted(tn))
		return;
	if (!__ratelimit(&ev->rs)) {
		tcplimit_event_suppressed(ev, 1);
		return;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg) {
		tcplimit_event_suppressed(ev, 1);
		return;
	}
	suppressed = atomic_xchg(&ev->suppressed, 0);
	hdr = genlmsg_put(msg, 0, 0, &tcplimit_genl_family, 0, TCPLIMIT_CMD_EVENT);
	if (!hdr || nla_put_u32(msg, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION) ||
	    tcplimit_event_put(msg, e, suppressed)) {
		nlmsg_free(msg);
		tcplimit_event_suppressed(ev, suppressed + 1);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&tcplimit_genl_family, tn->net, msg, 0, 0, GFP_ATOMIC);
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
