/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: flows, the connections tracked from their first SYN, each
 * holding its units of a source and a destination.
 */
#ifndef _TCPLIMIT_FLOW_H
#define _TCPLIMIT_FLOW_H

#include <linux/types.h>
#include <linux/tcp.h>
#include <net/tcp.h>
#include "entry.h"

struct tcplimit_flow_key {
	union nf_inet_addr saddr;	/* the client (the source) */
	union nf_inet_addr daddr;	/* the service (the destination) */
	__be16 sport;
	__be16 dport;
	u8 family;
	u8 pad[3];
} __aligned(SIPHASH_ALIGNMENT);

enum tcplimit_flow_state {
	TCPLIMIT_FLOW_HALFOPEN,		/* SYN seen, the handshake not complete */
	TCPLIMIT_FLOW_ESTABLISHED,
	/*
	 * A half-open flow whose client left the SYN-ACK unanswered (host
	 * mode; gateway mode: sent no ACK) for 3 s. It holds only its
	 * half-open units until its client proves its address by completing
	 * the handshake; then it is charged as a new connection, or refused
	 * when that is over a limit: reset (host mode) or REFUSED.
	 */
	TCPLIMIT_FLOW_UNPROVEN,
	/*
	 * Gateway mode: an unproven flow that completed over a limit. It
	 * keeps its half-open units (as UNPROVEN: they bound how many a
	 * source can park); the client's packets are dropped, each answered
	 * with an RST, and its SYNs too, until it has been quiet for its SYN
	 * timeout (at least a SYN cookie's life), so the server never sees
	 * the handshake complete.
	 */
	TCPLIMIT_FLOW_REFUSED,
	TCPLIMIT_FLOW_DEAD,		/* its counts were given back */
};

/*
 * A SYN answered with a SYN cookie leaves no socket, yet its ACK may still
 * complete it while the cookie is valid: under MAX_SYNCOOKIE_AGE periods of
 * TCP_SYNCOOKIE_PERIOD (net/ipv4/syncookies.c), plus a margin.
 */
#define TCPLIMIT_COOKIE_LIFE		(TCP_SYNCOOKIE_VALID + HZ)

/* Bits of tcplimit_flow.fin, set at admission or (FIN_*) under RCU. */
enum {
	TCPLIMIT_FLOW_FIN_CLIENT,	/* FIN seen from the client */
	TCPLIMIT_FLOW_FIN_SERVER,	/* FIN seen from the service's side */
	TCPLIMIT_FLOW_CT,		/* conntrack tracks it: its state is the truth */
	TCPLIMIT_FLOW_GATEWAY,		/* admitted in gateway mode (else host mode) */
	TCPLIMIT_FLOW_ACKED,		/* counted at its ACK (proof.c), not its SYN */
	TCPLIMIT_FLOW_SLOW,		/* found slow, counted in its source (slow.c) */
	TCPLIMIT_FLOW_ABORT,		/* slow, to be reset (gateway: at its next packet) */
};

/* A bare RST (no ACK): a host's answer to a segment it never asked for. */
static inline bool tcplimit_bare_rst(const struct tcphdr *th)
{
	return (tcp_flag_word(th) & (TCP_FLAG_RST | TCP_FLAG_ACK | TCP_FLAG_SYN)) == TCP_FLAG_RST;
}

/* A SYN as the hook saw it, or an ACK that proves a handshake (@proof). */
struct tcplimit_syn {
	const struct tcplimit_flow_key *key;
	int dif, sdif;			/* its devices, for socket lookups */
	bool conntracked;		/* conntrack attached an entry (gateway) */
	bool gateway;			/* seen on FORWARD */
	bool deferrable;		/* if it finds no room, count it at its ACK */
	bool proof;			/* an ACK that completes a handshake */
};

/* Gateway mode: conntrack's verdict on a packet, when conntrack runs. */
enum tcplimit_ct {
	TCPLIMIT_CT_NONE,		/* no entry: not loaded, or the packet is invalid */
	TCPLIMIT_CT_HANDSHAKE,		/* SYN_SENT, SYN_RECV */
	TCPLIMIT_CT_OPEN,		/* ESTABLISHED to LAST_ACK */
	TCPLIMIT_CT_CLOSED,		/* TIME_WAIT, CLOSE */
};

/*
 * A connection counted against its source and destination, from its first
 * SYN until the socket table no longer holds it (host mode: a request
 * socket, a cookie that could still complete, or a full socket not in
 * TIME_WAIT), or its close or timeout (gateway mode).
 *
 * @state moves only by cmpxchg (HALFOPEN -> ESTABLISHED, HALFOPEN ->
 * UNPROVEN -> ESTABLISHED or REFUSED, any -> DEAD), so exactly one caller
 * gives back each unit. The one that makes it DEAD takes it off its source's @flows (under
 * that bucket lock) at once; off the flow table (@node, under the flow
 * bucket lock) it or the GC takes it, whoever finds it still hashed, and
 * frees it after a grace period. Every path that ends a flow runs under
 * rcu_read_lock(), so the memory outlives both unlinks. @fin bits and
 * @last_seen are written locklessly.
 */
struct tcplimit_flow {
	struct hlist_node node;
	struct tcplimit_flow_key key;
	atomic_t state;
	u32 hash;			/* of @key */
	/* The packet path reads the above: the first 64 bytes. */
	struct list_head src_node;	/* in source->flows */
	struct tcplimit_entry *source;
	struct tcplimit_entry *dst;	/* NULL: no destination limit was set */
	int dif, sdif;			/* the SYN's devices, for socket lookups */
	unsigned long created;		/* jiffies */
	union {
		/* gateway mode: jiffies of the client's last packet */
		unsigned long last_seen;
		/* host mode: the RCU state at its last SYN (judge_host) */
		unsigned long syn_gp;
	};
	unsigned long fin;
	/*
	 * Its source's and destination's theoretical arrival time right after
	 * it took its place in their rates (0: no rate then): an unproven flow
	 * gives back what is left of that place, never more.
	 */
	u64 src_tat, dst_tat;
	/* Slow detection (slow.c): payload moved at @rx_since (jiffies | 1). */
	u64 rx_mark;
	unsigned long rx_since;
	atomic64_t moved;		/* gateway mode: payload seen, both ways */
	struct rcu_head rcu;
};

int tcplimit_flow_cache_init(void);
void tcplimit_flow_cache_exit(void);
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_syn *syn,
				u32 *refused);
/* What tcplimit_flow_packet() made of a packet. */
enum tcplimit_packet {
	TCPLIMIT_PKT_UNTRACKED,		/* no such flow */
	TCPLIMIT_PKT_TRACKED,
	TCPLIMIT_PKT_REFUSED,		/* drop it, answer with an RST */
	TCPLIMIT_PKT_ABORT,		/* drop it, reset both ends (a slow connection) */
};

bool tcplimit_flow_tracked(struct tcplimit_net *tn, const struct tcplimit_flow_key *key);
void tcplimit_flow_reset(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
			 const struct tcphdr *th);
enum tcplimit_packet tcplimit_flow_packet(struct tcplimit_net *tn,
					  const struct tcplimit_flow_key *key,
					  const struct tcphdr *th, u32 payload, bool from_client,
					  enum tcplimit_ct ct);
/* What a pass of the flow GC does with each flow it visits. */
enum tcplimit_flow_gc_mode {
	TCPLIMIT_FLOW_GC_CHECK,		/* compare with the socket table or the timeouts */
	TCPLIMIT_FLOW_GC_HALFOPEN,	/* the same, for half-open (and unproven) flows only */
	TCPLIMIT_FLOW_GC_END,		/* end every flow (namespace exit) */
	TCPLIMIT_FLOW_GC_END_HOST,	/* end host-mode flows (switch to gateway) */
	TCPLIMIT_FLOW_GC_END_GATEWAY,	/* end gateway-mode flows (switch to host) */
};

void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n,
		      enum tcplimit_flow_gc_mode mode);
void tcplimit_flow_cookies_read(struct tcplimit_net *tn);
u32 tcplimit_flow_node_hash(const struct hlist_node *node);

#endif /* _TCPLIMIT_FLOW_H */
