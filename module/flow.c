// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the per-netns flow table. A flow is one admitted connection,
 * keyed by its 4-tuple as the client opened it, holding one unit of its
 * source and of its destination from the first SYN until it ends.
 *
 * Host mode never believes a packet that something ended: TCP may ignore
 * an RST or FIN (out of window, behind queued data, answered to a cookie).
 * The socket table is the truth: the GC, and a SYN about to be refused for
 * the flows of its source, ask it whether the connection still exists.
 * Gateway mode has no socket to ask: it believes conntrack when conntrack
 * runs on the router, else FINs and RSTs, and its timeouts.
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <net/tcp.h>
#include <net/inet_sock.h>
#include "flow.h"
#include "ban.h"
#include "limiter.h"
#include "proof.h"
#include "slow.h"
#include "compat.h"

/*
 * A handshake whose SYN-ACK went unanswered this long has not proven its
 * source address: it stops counting to the concurrent caps and the rates
 * until it completes (a blind spoofer cannot hold a victim's slots past
 * it). Three times TCP_TIMEOUT_INIT: the SYN-ACK and its retransmission
 * one second later both went unanswered for a second, so a client on a
 * lossy link, or a host too loaded to answer at once, is not taken for a
 * spoofer (and then reset when it completes over a limit).
 */
#define TCPLIMIT_UNPROVEN_AFTER		(3 * TCP_TIMEOUT_INIT)
/* Socket lookups a SYN about to be refused may spend on its source's flows. */
#define TCPLIMIT_RECHECK_BUDGET		64

static struct kmem_cache *tcplimit_flow_cache;

int tcplimit_flow_cache_init(void)
{
	tcplimit_flow_cache = KMEM_CACHE(tcplimit_flow, 0);
	return tcplimit_flow_cache ? 0 : -ENOMEM;
}

/* Called after rcu_barrier(): no free is pending. */
void tcplimit_flow_cache_exit(void)
{
	kmem_cache_destroy(tcplimit_flow_cache);
}

static u32 tcplimit_flow_hash(struct tcplimit_net *tn, const struct tcplimit_flow_key *key)
{
	return siphash(key, sizeof(*key), &tn->hash_key);
}

u32 tcplimit_flow_node_hash(const struct hlist_node *node)
{
	return hlist_entry(node, struct tcplimit_flow, node)->hash;
}

/* Under rcu_read_lock() or the bucket's lock. */
static struct tcplimit_flow *tcplimit_flow_find(struct hlist_head *head,
						const struct tcplimit_flow_key *key)
{
	struct tcplimit_flow *flow;

	hlist_for_each_entry_rcu(flow, head, node, true)
		if (!memcmp(&flow->key, key, sizeof(*key)) &&
		    atomic_read(&flow->state) != TCPLIMIT_FLOW_DEAD)
			return flow;
	return NULL;
}

/* The flow of @key (of @hash), missed by no resize. Lockless, under RCU. */
static struct tcplimit_flow *tcplimit_flow_lookup(struct tcplimit_net *tn,
						  const struct tcplimit_flow_key *key, u32 hash)
{
	struct tcplimit_flow *flow;
	unsigned int seq;

	do {
		seq = tcplimit_table_read_begin(&tn->flows, hash);
		flow = tcplimit_flow_find(tcplimit_table_head(&tn->flows, hash), key);
	} while (!flow && tcplimit_table_read_retry(&tn->flows, hash, seq));
	return flow;
}

static void tcplimit_flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_flow_cache, container_of(rcu, struct tcplimit_flow, rcu));
}

/* Take @flow off the flow table if still there; free it after a grace period. */
static void tcplimit_flow_unhash(struct tcplimit_net *tn, struct tcplimit_flow *flow)
{
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, flow->hash);
	bool hashed;

	spin_lock_bh(lock);
	hashed = !hlist_unhashed(&flow->node);
	if (hashed)
		hlist_del_init_rcu(&flow->node);
	spin_unlock_bh(lock);
	if (hashed)
		call_rcu(&flow->rcu, tcplimit_flow_free_rcu);
}

/*
 * Give back @flow's counts and take it off its source's list, once,
 * whoever calls first; the flow table keeps it (DEAD, ignored) until
 * tcplimit_flow_unhash(). @src_locked: the caller holds the source's
 * bucket lock. Under rcu_read_lock().
 */
static bool tcplimit_flow_end(struct tcplimit_net *tn, struct tcplimit_flow *flow,
			      bool src_locked)
{
	struct tcplimit_entry *src = flow->source;
	spinlock_t *slock;	/* src's bucket lock */
	bool halfopen, conn;
	int old;

	old = atomic_xchg(&flow->state, TCPLIMIT_FLOW_DEAD);
	if (old == TCPLIMIT_FLOW_DEAD)
		return false;
	atomic_dec(&tn->flows.count);
	halfopen = old != TCPLIMIT_FLOW_ESTABLISHED;
	conn = old == TCPLIMIT_FLOW_HALFOPEN || old == TCPLIMIT_FLOW_ESTABLISHED;
	if (halfopen)
		tcplimit_gauge_add(tn->halfopen, -1);
	if (src_locked) {
		list_del(&flow->src_node);
		tcplimit_slow_forget(flow);
		tcplimit_entry_put(src, conn, halfopen);
	} else {
		slock = tcplimit_table_lock(&tn->sources, src->hash);
		spin_lock_bh(slock);
		list_del(&flow->src_node);
		tcplimit_slow_forget(flow);
		tcplimit_entry_put(src, conn, halfopen);
		spin_unlock_bh(slock);
	}
	if (flow->dst)
		tcplimit_entry_put(flow->dst, conn, halfopen);
	return true;
}

/* End @flow and take it off the flow table. No table lock held. */
static bool tcplimit_flow_finish(struct tcplimit_net *tn, struct tcplimit_flow *flow)
{
	bool ended = tcplimit_flow_end(tn, flow, false);

	tcplimit_flow_unhash(tn, flow);
	return ended;
}

/*
 * A handshake of @flow's source completed: it owns its address, unless a
 * bare ACK was all the proof (gateway mode without conntrack, where a blind
 * spoofer could send it).
 */
static void tcplimit_source_proven(const struct tcplimit_flow *flow)
{
	if (test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin) && !test_bit(TCPLIMIT_FLOW_CT, &flow->fin))
		return;
	if (!READ_ONCE(flow->source->proven))
		WRITE_ONCE(flow->source->proven, true);
}

/*
 * The handshake of half-open @flow completed: give back its half-open
 * units, once. False when it was not half-open (any more).
 */
static bool tcplimit_flow_establish(struct tcplimit_net *tn, struct tcplimit_flow *flow)
{
	if (atomic_cmpxchg(&flow->state, TCPLIMIT_FLOW_HALFOPEN,
			   TCPLIMIT_FLOW_ESTABLISHED) != TCPLIMIT_FLOW_HALFOPEN)
		return false;
	tcplimit_source_proven(flow);
	tcplimit_entry_established(flow->source);
	if (flow->dst)
		tcplimit_entry_established(flow->dst);
	tcplimit_gauge_add(tn->halfopen, -1);
	return true;
}

/*
 * The local socket (full, request or TIME_WAIT) of @flow; caller puts it.
 * The SYN's devices take part: a socket bound to one (SO_BINDTODEVICE, a
 * VRF, an IPv6 link-local peer) matches only through them.
 */
static struct sock *tcplimit_flow_sock(struct net *net, const struct tcplimit_flow *flow)
{
	const struct tcplimit_flow_key *key = &flow->key;

	if (key->family == NFPROTO_IPV4)
		return tcplimit_lookup4(net, key->saddr.ip, key->sport, key->daddr.ip, key->dport,
					flow->dif, flow->sdif);
	return tcplimit_lookup6(net, &key->saddr.in6, key->sport, &key->daddr.in6, key->dport,
				flow->dif, flow->sdif);
}

/*
 * Could the ACK of a SYN cookie still complete half-open @flow, which has
 * no socket? Only while a cookie sent after its SYN is valid. The GC reads
 * the namespace's cookie counter (tcplimit_flow_cookies_read); until it has
 * read it after the SYN, assume a cookie was sent.
 */
static bool tcplimit_cookie_pending(struct tcplimit_net *tn, const struct tcplimit_flow *flow)
{
	unsigned long created = flow->created;

	if (!READ_ONCE(tn->net->ipv4.sysctl_tcp_syncookies) ||
	    time_after(jiffies, created + TCPLIMIT_COOKIE_LIFE))
		return false;
	/* The GC is deferrable work: it may not have read it for a while. */
	if (!time_after(READ_ONCE(tn->cookies_checked), created + 1))
		tcplimit_flow_cookies_read(tn);
	if (!time_after(READ_ONCE(tn->cookies_checked), created + 1))
		return true;
	return time_after_eq(READ_ONCE(tn->cookies_at), created);
}

/*
 * Read the namespace's count of SYN cookies sent (see
 * tcplimit_cookie_pending()): by the GC, and by a recheck that finds the
 * reading stale. Two readers racing store near-equal values.
 */
void tcplimit_flow_cookies_read(struct tcplimit_net *tn)
{
	unsigned long sent = snmp_fold_field(tn->net->mib.net_statistics,
					     LINUX_MIB_SYNCOOKIESSENT);

	if (sent != READ_ONCE(tn->cookies_sent)) {
		WRITE_ONCE(tn->cookies_sent, sent);
		WRITE_ONCE(tn->cookies_at, jiffies);
	}
	WRITE_ONCE(tn->cookies_checked, jiffies);
}

enum tcplimit_judgement {
	TCPLIMIT_KEEP,
	TCPLIMIT_UNANSWERED,	/* a handshake its client left unanswered */
	TCPLIMIT_ESTABLISHED,	/* a full socket holds it */
	TCPLIMIT_GONE,		/* the connection is over */
	TCPLIMIT_EXPIRED,	/* a timeout (gateway mode) */
};

/*
 * Has the client of a handshake begun at @created left its SYN-ACK
 * unanswered for TCPLIMIT_UNPROVEN_AFTER? @req: its request socket (NULL:
 * a cookie was sent). A request that took a bare ACK (TCP_DEFER_ACCEPT)
 * was answered.
 */
static bool tcplimit_unanswered(const struct sock *req, unsigned long created)
{
	return time_after_eq(jiffies, created + TCPLIMIT_UNPROVEN_AFTER) &&
	       (!req || !inet_rsk(inet_reqsk(req))->acked);
}

/*
 * Host mode: what the socket table says of @flow. A connection lives while
 * TCP holds a request socket, a full socket not in TIME_WAIT, or could
 * still accept its cookie. A request socket becoming a full one is briefly
 * in neither place (inet_ehash_insert() swaps them), so "none" is asked
 * twice. *@moved (ESTABLISHED): the payload the connection moved so far,
 * the client's and the server's that it took.
 */
static enum tcplimit_judgement
tcplimit_flow_judge_host(struct tcplimit_net *tn, const struct tcplimit_flow *flow, u64 *moved)
{
	enum tcplimit_judgement ret;
	struct sock *sk;

	/*
	 * TCP makes the request socket after the hook, in the same RCU
	 * read-side section (the packet's receive softirq; on PREEMPT_RT a
	 * thread that may be preempted in between, and under TCG a stalled
	 * vCPU): until a grace period has passed since the last SYN, "no
	 * socket" proves nothing. Time would be a guess.
	 */
	if (!poll_state_synchronize_rcu(READ_ONCE(flow->syn_gp)))
		return TCPLIMIT_KEEP;
	sk = tcplimit_flow_sock(tn->net, flow);
	if (!sk)
		sk = tcplimit_flow_sock(tn->net, flow);
	if (!sk) {
		/* Counted at its ACK: TCP has taken it or refused it by now. */
		if (atomic_read(&flow->state) != TCPLIMIT_FLOW_ESTABLISHED &&
		    !test_bit(TCPLIMIT_FLOW_ACKED, &flow->fin) &&
		    tcplimit_cookie_pending(tn, flow))
			return tcplimit_unanswered(NULL, flow->created) ?
			       TCPLIMIT_UNANSWERED : TCPLIMIT_KEEP;
		return TCPLIMIT_GONE;
	}
	switch (sk->sk_state) {
	case TCP_TIME_WAIT:
	case TCP_CLOSE:
		/* A full socket: the handshake completed before it closed. */
		tcplimit_source_proven(flow);
		ret = TCPLIMIT_GONE;
		break;
	case TCP_NEW_SYN_RECV:
		ret = tcplimit_unanswered(sk, flow->created) ? TCPLIMIT_UNANSWERED :
		      TCPLIMIT_KEEP;
		break;
	default:
		*moved = tcp_sk(sk)->bytes_received + tcp_sk(sk)->bytes_acked;
		ret = TCPLIMIT_ESTABLISHED;
	}
	sock_gen_put(sk);
	return ret;
}

/*
 * Gateway mode: no socket to ask; a silence lasts too long (a handshake's
 * SYN timeout, from its last packet), or a handshake's client sent no ACK
 * for TCPLIMIT_UNPROVEN_AFTER after its first SYN.
 */
static enum tcplimit_judgement
tcplimit_flow_judge_gateway(const struct tcplimit_config *cfg, const struct tcplimit_flow *flow)
{
	int state = atomic_read(&flow->state);

	if (state == TCPLIMIT_FLOW_ESTABLISHED)
		return time_after(jiffies, READ_ONCE(flow->last_seen) + cfg->idle_timeout) ?
		       TCPLIMIT_EXPIRED : TCPLIMIT_KEEP;
	/* A refused one outlives any SYN cookie the server sent for it. */
	if (state == TCPLIMIT_FLOW_REFUSED)
		return time_after(jiffies, READ_ONCE(flow->last_seen) +
				  max(cfg->syn_timeout, TCPLIMIT_COOKIE_LIFE)) ?
		       TCPLIMIT_GONE : TCPLIMIT_KEEP;
	if (time_after(jiffies, READ_ONCE(flow->last_seen) + cfg->syn_timeout))
		return TCPLIMIT_EXPIRED;
	return state == TCPLIMIT_FLOW_HALFOPEN &&
	       time_after_eq(jiffies, flow->created + TCPLIMIT_UNPROVEN_AFTER) ?
	       TCPLIMIT_UNANSWERED : TCPLIMIT_KEEP;
}

/*
 * A source's SYN is about to be refused by its concurrent or half-open
 * cap (@halfopen_only: the latter): first bring its host-mode flows up to
 * date with the socket table, so a close frees its slot at once and a
 * completed handshake no longer counts as half-open. At most
 * TCPLIMIT_RECHECK_BUDGET lookups, at most once a jiffy per source: a
 * capped source's SYN flood, or a source holding many connections, costs
 * a bounded amount. Flows found alive go to the tail, so the next recheck
 * asks about the others first. Flows that ended stay in the flow table for
 * the GC to unhash (their bucket lock may not nest here). Under @src's
 * bucket lock and rcu_read_lock(). Returns whether a count changed.
 */
static bool tcplimit_source_recheck(struct tcplimit_net *tn, struct tcplimit_entry *src,
				    bool halfopen_only)
{
	struct tcplimit_flow *flow, *tmp;
	unsigned int budget = TCPLIMIT_RECHECK_BUDGET;
	bool changed = false;
	LIST_HEAD(alive);
	u64 moved;

	if (!time_after(jiffies, src->rechecked))
		return false;
	src->rechecked = jiffies;
	list_for_each_entry_safe(flow, tmp, &src->flows, src_node) {
		int state = atomic_read(&flow->state);

		if (!budget)
			break;
		if (state == TCPLIMIT_FLOW_DEAD || test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin) ||
		    (halfopen_only && state == TCPLIMIT_FLOW_ESTABLISHED))
			continue;
		budget--;
		switch (tcplimit_flow_judge_host(tn, flow, &moved)) {
		case TCPLIMIT_ESTABLISHED:
			/* An unproven one is charged by the GC (tcplimit_flow_prove). */
			if (state == TCPLIMIT_FLOW_HALFOPEN) {
				tcplimit_flow_establish(tn, flow);
				changed = true;
			}
			list_move_tail(&flow->src_node, &alive);
			break;
		case TCPLIMIT_GONE:
			changed |= tcplimit_flow_end(tn, flow, true);
			break;
		default:
			list_move_tail(&flow->src_node, &alive);
			break;
		}
	}
	list_splice_tail(&alive, &src->flows);
	return changed;
}

/*
 * The limit, if any, that refuses one more connection of @src (held to
 * @lim) to @dst: a new handshake, or one already counted as half-open
 * completing (@proven).
 */
static u32 tcplimit_refusal(const struct tcplimit_config *cfg, const struct tcplimit_limits *lim,
			    const struct tcplimit_entry *src, const struct tcplimit_entry *dst,
			    u64 now, bool proven)
{
	if (tcplimit_rate_check(src, &lim->rate, now))
		return TCPLIMIT_LIMIT_RATE;
	if (lim->max_conn && atomic_read(&src->conns) >= lim->max_conn)
		return TCPLIMIT_LIMIT_CONN;
	if (!proven && lim->halfopen_max && atomic_read(&src->halfopen) >= lim->halfopen_max)
		return TCPLIMIT_LIMIT_HALFOPEN;
	if (dst && (tcplimit_rate_check(dst, &cfg->dst_rate, now) ||
		    (cfg->dst_max && atomic_read(&dst->conns) >= cfg->dst_max)))
		return TCPLIMIT_LIMIT_DST;
	return 0;
}

static enum tcplimit_stat tcplimit_refusal_stat(u32 refused)
{
	switch (refused) {
	case TCPLIMIT_LIMIT_RATE:
		return TCPLIMIT_STAT_LIMITED_RATE;
	case TCPLIMIT_LIMIT_CONN:
		return TCPLIMIT_STAT_LIMITED_CONN;
	case TCPLIMIT_LIMIT_HALFOPEN:
		return TCPLIMIT_STAT_LIMITED_HALFOPEN;
	default:
		return TCPLIMIT_STAT_LIMITED_DST;
	}
}

/* Room in the flow table for a new flow (tcplimit_flow_room()). */
enum tcplimit_room {
	TCPLIMIT_ROOM,
	TCPLIMIT_ROOM_PROVEN,	/* in the reserve, for proven sources only */
	TCPLIMIT_ROOM_NONE,
};

/*
 * The flow table takes anyone's new flow below its size, and a proven
 * source's (one whose handshakes complete) in a reserve of a quarter more:
 * SYNs that never complete cannot fill the table for real clients and so
 * switch their caps off.
 */
static enum tcplimit_room tcplimit_flow_room(struct tcplimit_table *t)
{
	unsigned int limit = READ_ONCE(t->limit), count = atomic_read(&t->count);

	if (!limit || count < limit)
		return TCPLIMIT_ROOM;
	return count < limit + DIV_ROUND_UP(limit, 4) ? TCPLIMIT_ROOM_PROVEN : TCPLIMIT_ROOM_NONE;
}

/*
 * May @src take a flow from the table's reserve? Only a proven source held
 * to a concurrent cap, under it counting its unproven handshakes too (a
 * handshake in progress counts twice: at most 2 x max flows): the reserve
 * keeps caps enforced, it is no room for one source's unanswered SYNs.
 */
static bool tcplimit_reserve_for(const struct tcplimit_limits *lim,
				 const struct tcplimit_entry *src)
{
	return READ_ONCE(src->proven) && lim->max_conn &&
	       atomic_read(&src->conns) < lim->max_conn &&
	       atomic_read(&src->halfopen) < lim->max_conn;
}

/*
 * Host mode: the RCU state at a SYN, which tcplimit_flow_judge_host() waits
 * to see pass. A grace period is asked for at most once a jiffy per
 * namespace, so one follows each SYN within a few milliseconds and a
 * client reconnecting at its cap right after a close finds its slot free.
 */
static unsigned long tcplimit_syn_gp(struct tcplimit_net *tn)
{
	if (!time_after(jiffies, READ_ONCE(tn->gp_asked)))
		return get_state_synchronize_rcu();
	WRITE_ONCE(tn->gp_asked, jiffies);
	return start_poll_synchronize_rcu();
}

/*
 * Does a refusal of @src by @refused count towards ban-after? A ban shuts a
 * source out for long, so only on evidence a blind spoofer cannot forge in
 * a victim's name: the source proved its address (a handshake completed),
 * has no handshake in progress (forged SYNs admitted before the refusals
 * hold some) and left none unanswered within the window (forged ones that
 * went unproven); and the refusal is by its rate or its cap, which only
 * connections it completed reach (unproven ones hold neither). Half-open
 * refusals are what forged SYNs earn, and a destination's limit is not the
 * source's doing. A SYN flood from a real address is held by its caps but
 * never banned: the same SYNs forged in its name would get it banned.
 * Under @src's bucket lock.
 */
static bool tcplimit_strike_owned(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				  struct tcplimit_entry *src, u32 refused, bool gateway)
{
	unsigned long unanswered;

	if ((refused != TCPLIMIT_LIMIT_RATE && refused != TCPLIMIT_LIMIT_CONN) ||
	    !READ_ONCE(src->proven))
		return false;
	unanswered = READ_ONCE(src->unanswered);
	if (unanswered && time_before(jiffies, unanswered + cfg->ban_after_window))
		return false;
	/* Host mode: completed handshakes may still count as half-open. */
	if (atomic_read(&src->halfopen) && !gateway)
		tcplimit_source_recheck(tn, src, true);
	return !atomic_read(&src->halfopen);
}

/*
 * What a refusal asks of tcplimit_flow_open() once the locks are let go:
 * @ban, it was the source's ban-after-th strike (tcplimit_strike());
 * @announce, the source's first refusal in TCPLIMIT_EVENT_REFUSED_EVERY,
 * by the limit @limit, for the listeners of events.
 */
struct tcplimit_after {
	bool ban;
	bool announce;
	u32 limit;
};

/*
 * Announce this refusal of @src? Its first in a while, and only while
 * someone listens (a monitor started later hears of the next one). Under
 * @src's bucket lock.
 */
static bool tcplimit_announce(struct tcplimit_net *tn, struct tcplimit_entry *src)
{
	unsigned long last = src->announced;

	if ((last && time_before(jiffies, last + TCPLIMIT_EVENT_REFUSED_EVERY)) ||
	    !tcplimit_events_wanted(tn))
		return false;
	src->announced = jiffies | 1;
	return true;
}

/*
 * One more refusal of @src by its limits: does it reach the ban-after
 * count within its window? A refused source is active: the GC keeps its
 * entry, and so its strikes, while it keeps trying. Under @src's bucket
 * lock.
 */
static bool tcplimit_strike(struct tcplimit_entry *src, const struct tcplimit_config *cfg)
{
	WRITE_ONCE(src->last_active, jiffies);
	if (!src->strikes || time_after(jiffies, src->strikes_since + cfg->ban_after_window)) {
		src->strikes = 0;
		src->strikes_since = jiffies;
	}
	if (++src->strikes < cfg->ban_after)
		return false;
	src->strikes = 0;
	return true;
}

/*
 * Check the limits of one new connection and reserve its units in its
 * source under @policy (NULL: the default one) and its destination (@dkey
 * of hash @dh, whose lock the caller holds; NULL: no destination limit),
 * the source's lock held here, so that check and reservation are one step;
 * on success the new flow (of hash @fh, whose lock the caller holds) is
 * half-open, on its source's list and in the flow table. Returns the
 * refusing limit, or TCPLIMIT_LIMIT_FULL when an entry or the flow could
 * not be had. The flow table's @room is tested after the limits: a source
 * at its cap is refused by its cap, never admitted by the full policy; one
 * admitted that way still takes its place in the rates, which need no flow.
 * *@after: what to do once the locks are let go.
 */
static u32 tcplimit_reserve_locked(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				   const struct tcplimit_syn *syn,
				   const struct tcplimit_policy *policy,
				   const struct tcplimit_entry_key *dkey, u32 dh,
				   enum tcplimit_room room, u32 fh, struct tcplimit_after *after)
{
	const struct tcplimit_limits *lim = tcplimit_cfg_limits(cfg, policy);
	const struct tcplimit_flow_key *key = syn->key;
	struct tcplimit_entry *src, *dst = NULL;
	struct tcplimit_entry_key skey;
	struct tcplimit_flow *flow;
	u64 now = ktime_get_ns();
	spinlock_t *slock;	/* src's bucket lock */
	u32 sh, refused;

	tcplimit_source_key(&skey, cfg, key->family, &key->saddr, policy);
	sh = tcplimit_entry_hash(tn, &skey);
	slock = tcplimit_table_lock(&tn->sources, sh);
	spin_lock(slock);
	src = tcplimit_entry_find_or_add(tn, &tn->sources, sh, &skey, syn->proof);
	if (src && dkey)
		dst = tcplimit_entry_find_or_add(tn, &tn->dsts, dh, dkey, false);
	if (!src || (dkey && !dst)) {
		refused = TCPLIMIT_LIMIT_FULL;
		goto out;
	}
	if (syn->proof && !READ_ONCE(src->proven))
		WRITE_ONCE(src->proven, true);
	refused = tcplimit_refusal(cfg, lim, src, dst, now, syn->proof);
	if ((refused == TCPLIMIT_LIMIT_CONN || refused == TCPLIMIT_LIMIT_HALFOPEN) &&
	    !syn->gateway &&
	    tcplimit_source_recheck(tn, src, refused == TCPLIMIT_LIMIT_HALFOPEN))
		refused = tcplimit_refusal(cfg, lim, src, dst, now, syn->proof);
	if (refused) {
		src->limited++;
		tcplimit_stat_inc(tn->stats, tcplimit_refusal_stat(refused));
		after->ban = cfg->ban_after &&
			     tcplimit_strike_owned(tn, cfg, src, refused, syn->gateway) &&
			     tcplimit_strike(src, cfg);
		after->announce = tcplimit_announce(tn, src);
		after->limit = refused;
		if (!cfg->dry_run)
			goto out;
		refused = 0;
	}
	if (room == TCPLIMIT_ROOM_NONE ||
	    (room == TCPLIMIT_ROOM_PROVEN && !tcplimit_reserve_for(lim, src)))
		flow = NULL;
	else
		/* Zeroed: slow detection starts from a flow that never measured. */
		flow = tcplimit_alloc(tn, tcplimit_flow_cache, __GFP_ZERO);
	if (!flow) {
		/* Let through to be counted at its ACK, it owes nothing yet. */
		if (cfg->full_policy == TCPLIMIT_FULL_ADMIT && !syn->deferrable) {
			tcplimit_rate_take(src, &lim->rate, now);
			if (dst)
				tcplimit_rate_take(dst, &cfg->dst_rate, now);
		}
		refused = TCPLIMIT_LIMIT_FULL;
		goto out;
	}
	flow->key = *key;
	flow->hash = fh;
	flow->dif = syn->dif;
	flow->sdif = syn->sdif;
	flow->source = src;
	flow->dst = dst;
	flow->created = jiffies;
	if (syn->gateway)
		flow->last_seen = flow->created;
	else
		flow->syn_gp = tcplimit_syn_gp(tn);
	flow->fin = (syn->conntracked ? BIT(TCPLIMIT_FLOW_CT) : 0) |
		    (syn->gateway ? BIT(TCPLIMIT_FLOW_GATEWAY) : 0) |
		    (syn->proof ? BIT(TCPLIMIT_FLOW_ACKED) : 0);
	atomic_set(&flow->state, TCPLIMIT_FLOW_HALFOPEN);
	/*
	 * Hashed and counted before the source's lock is let go: from then
	 * on a recheck on another CPU may end it.
	 */
	tcplimit_gauge_add(tn->halfopen, 1);
	atomic_inc(&tn->flows.count);
	hlist_add_head_rcu(&flow->node, tcplimit_table_head(&tn->flows, fh));
	list_add_tail(&flow->src_node, &src->flows);
	atomic_inc(&src->conns);
	atomic_inc(&src->halfopen);
	flow->src_tat = tcplimit_rate_take(src, &lim->rate, now);
	WRITE_ONCE(src->last_active, jiffies);
	if (dst) {
		atomic_inc(&dst->conns);
		atomic_inc(&dst->halfopen);
		flow->dst_tat = tcplimit_rate_take(dst, &cfg->dst_rate, now);
		WRITE_ONCE(dst->last_active, jiffies);
	}
out:
	spin_unlock(slock);
	return refused;
}

/*
 * tcplimit_reserve_locked() under the destination's bucket lock when a
 * destination limit is set. Destinations are tracked only then: a SYN
 * costs no destination entry or lock otherwise, and a port scan fills no
 * table. Lock order: flow, destination, source (one lockdep class each).
 */
static u32 tcplimit_reserve(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
			    const struct tcplimit_syn *syn, const struct tcplimit_policy *policy,
			    enum tcplimit_room room, u32 fh, struct tcplimit_after *after)
{
	const struct tcplimit_flow_key *key = syn->key;
	struct tcplimit_entry_key dkey;
	spinlock_t *dlock;	/* the destination's bucket lock */
	u32 dh, refused;

	if (!cfg->dst_max && !cfg->dst_rate.conns)
		return tcplimit_reserve_locked(tn, cfg, syn, policy, NULL, 0, room, fh, after);
	tcplimit_dst_key(&dkey, key->family, &key->daddr, key->dport);
	dh = tcplimit_entry_hash(tn, &dkey);
	dlock = tcplimit_table_lock(&tn->dsts, dh);
	spin_lock(dlock);
	refused = tcplimit_reserve_locked(tn, cfg, syn, policy, &dkey, dh, room, fh, after);
	spin_unlock(dlock);
	return refused;
}

/*
 * Is the source of @key banned? Its SYN (or ACK, at the proof) is then
 * refused, but in dry run, and counted.
 */
static bool tcplimit_refuse_banned(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				   const struct tcplimit_flow_key *key)
{
	struct tcplimit_ban *ban = tcplimit_banned(tn, key->family, &key->saddr);

	if (!ban)
		return false;
	atomic64_inc(&ban->hits);
	tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_BANNED);
	return !cfg->dry_run;
}

/* Host mode: a SYN of @flow is on its way to TCP (tcplimit_flow_judge_host()). */
static void tcplimit_flow_syn_seen(struct tcplimit_net *tn, struct tcplimit_flow *flow)
{
	unsigned long gp = tcplimit_syn_gp(tn);

	if (READ_ONCE(flow->syn_gp) != gp)
		WRITE_ONCE(flow->syn_gp, gp);
}

/*
 * A SYN opens a connection, or in host mode (@syn->proof) the ACK that
 * completes a handshake whose SYN found no room (proof.c): admit and track
 * it (NF_ACCEPT) or refuse it (NF_DROP, *@refused says which limit). A
 * retransmitted SYN of a tracked flow is not a second connection; in host
 * mode the socket table is not asked about the flow until it reached TCP
 * (it may reopen a 4-tuple in TIME_WAIT, whose new request socket TCP
 * makes just after the hook). From the hooks, under RCU.
 */
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_syn *syn,
				u32 *refused)
{
	const struct tcplimit_config *cfg = rcu_dereference(tn->cfg);
	const struct tcplimit_flow_key *key = syn->key;
	u32 hash = tcplimit_flow_hash(tn, key);
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, hash);
	struct tcplimit_after after = { 0 };
	const struct tcplimit_policy *policy;
	struct tcplimit_flow *flow;
	u32 why;

	*refused = 0;
	/* An allowlisted source is never counted, nor limited, nor banned. */
	if (unlikely(cfg->allow) && tcplimit_allowlisted(cfg->allow, key->family, &key->saddr)) {
		if (!syn->proof)
			tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_ALLOWED);
		return NF_ACCEPT;
	}
	if (unlikely(atomic_read(&tn->bans.count)) && tcplimit_refuse_banned(tn, cfg, key)) {
		*refused = TCPLIMIT_LIMIT_BAN;
		return NF_DROP;
	}
	flow = tcplimit_flow_find(tcplimit_table_head(&tn->flows, hash), key);
	if (flow)
		goto again;
	/* A port no policy has, while the default one limits nothing: not ours. */
	policy = tcplimit_cfg_policy(cfg, ntohs(key->dport));
	if (!policy && cfg->untracked)
		return NF_ACCEPT;

	spin_lock_bh(lock);
	/*
	 * Look again under the lock: another CPU may have the same SYN, and a
	 * resize may have moved the bucket.
	 */
	flow = tcplimit_flow_find(tcplimit_table_head(&tn->flows, hash), key);
	if (flow) {
		spin_unlock_bh(lock);
		goto again;
	}
	why = tcplimit_reserve(tn, cfg, syn, policy, tcplimit_flow_room(&tn->flows), hash, &after);
	spin_unlock_bh(lock);
	if (after.announce)
		tcplimit_event_source(tn, TCPLIMIT_EVENT_REFUSED, key->family, &key->saddr,
				      key->family == NFPROTO_IPV4 ? cfg->prefix4 : cfg->prefix6,
				      after.limit);
	if (after.ban)
		tcplimit_ban_source(tn, cfg, key->family, &key->saddr, TCPLIMIT_BAN_REFUSALS);
	if (why)
		goto refuse;

	tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_ADMITTED);
	tcplimit_gc_kick(tn);
	return NF_ACCEPT;

again:
	/*
	 * Host mode: the socket table is asked again only after this SYN
	 * reached TCP. Gateway mode: the SYN timeout of a handshake runs from
	 * its last SYN, so the flow outlasts the request a retransmission
	 * makes on the server. A proof (an ACK) of a tracked flow is nothing.
	 */
	if (syn->proof)
		return NF_ACCEPT;
	if (!test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin))
		tcplimit_flow_syn_seen(tn, flow);
	else if (time_after(jiffies, READ_ONCE(flow->last_seen)))
		WRITE_ONCE(flow->last_seen, jiffies);
	return atomic_read(&flow->state) == TCPLIMIT_FLOW_REFUSED ? NF_DROP : NF_ACCEPT;

refuse:
	if (why != TCPLIMIT_LIMIT_FULL) {
		*refused = why;
		return NF_DROP;
	}
	/* Full: the policy decides, never silently... */
	tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_TABLE_FULL);
	/* ...or the ACK of the handshake, when it can prove it (proof.c). */
	if (!syn->proof && (!syn->gateway || syn->conntracked) && tcplimit_proof_want(tn) &&
	    syn->deferrable)
		return NF_ACCEPT;
	if (cfg->full_policy == TCPLIMIT_FULL_ADMIT)
		return NF_ACCEPT;
	*refused = why;
	return NF_DROP;
}

/*
 * The client of half-open @flow left its SYN-ACK unanswered for
 * TCPLIMIT_UNPROVEN_AFTER (host mode: tcplimit_unanswered(); gateway mode:
 * it sent no ACK). Until
 * it proves its address by completing the handshake the flow holds only
 * its half-open units: a blind spoofer's SYNs stop holding the concurrent
 * cap and the rate of the address they forge. Its place in the rates goes
 * back with its unit, in one step under the entries' locks, so a proof on
 * another CPU never sees the one without the other.
 */
static bool tcplimit_flow_unprove_locked(struct tcplimit_net *tn,
					 const struct tcplimit_config *cfg,
					 struct tcplimit_flow *flow)
{
	const struct tcplimit_limits *lim = tcplimit_entry_limits(cfg, flow->source);
	u64 now = ktime_get_ns();

	if (atomic_cmpxchg(&flow->state, TCPLIMIT_FLOW_HALFOPEN, TCPLIMIT_FLOW_UNPROVEN) !=
	    TCPLIMIT_FLOW_HALFOPEN)
		return false;
	tcplimit_rate_refund(flow->source, &lim->rate, flow->src_tat, now);
	tcplimit_entry_put(flow->source, true, false);
	WRITE_ONCE(flow->source->unanswered, jiffies | 1);
	if (flow->dst) {
		tcplimit_rate_refund(flow->dst, &cfg->dst_rate, flow->dst_tat, now);
		tcplimit_entry_put(flow->dst, true, false);
	}
	atomic64_inc(&tn->unproven);
	return true;
}

/*
 * Unproven @flow completed after all: charge it as a new connection to its
 * source and destination (their concurrent caps and rates), or, when that
 * is over a limit, end it (host mode) or make it REFUSED (gateway mode,
 * keeping its half-open units) and return false: the caller resets the
 * connection. False too if another CPU refused it first. In dry run it is
 * charged whatever the limits say (and counted).
 */
static bool tcplimit_flow_prove_locked(struct tcplimit_net *tn,
				       const struct tcplimit_config *cfg,
				       struct tcplimit_flow *flow)
{
	const struct tcplimit_limits *lim = tcplimit_entry_limits(cfg, flow->source);
	struct tcplimit_entry *src = flow->source, *dst = flow->dst;
	int state = atomic_read(&flow->state);
	u64 now = ktime_get_ns();

	/* Another CPU may have charged or refused it first; a close ends it. */
	if (state != TCPLIMIT_FLOW_UNPROVEN)
		return state != TCPLIMIT_FLOW_REFUSED;
	if (tcplimit_refusal(cfg, lim, src, dst, now, true)) {
		atomic64_inc(&tn->aborted);
		/* In dry run: counted, and charged all the same. */
		if (!cfg->dry_run && test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin))
			return atomic_cmpxchg(&flow->state, TCPLIMIT_FLOW_UNPROVEN,
					      TCPLIMIT_FLOW_REFUSED) != TCPLIMIT_FLOW_UNPROVEN;
		if (!cfg->dry_run)
			return !tcplimit_flow_end(tn, flow, true);
	}
	if (atomic_cmpxchg(&flow->state, TCPLIMIT_FLOW_UNPROVEN, TCPLIMIT_FLOW_ESTABLISHED) !=
	    TCPLIMIT_FLOW_UNPROVEN)
		return true;	/* ended meanwhile */
	tcplimit_source_proven(flow);
	atomic_inc(&src->conns);
	tcplimit_entry_established(src);
	flow->src_tat = tcplimit_rate_take(src, &lim->rate, now);
	if (dst) {
		atomic_inc(&dst->conns);
		tcplimit_entry_established(dst);
		flow->dst_tat = tcplimit_rate_take(dst, &cfg->dst_rate, now);
	}
	tcplimit_gauge_add(tn->halfopen, -1);
	return true;
}

/*
 * @fn (tcplimit_flow_unprove_locked() or tcplimit_flow_prove_locked())
 * under the bucket locks of @flow's destination and source, in the order
 * of tcplimit_reserve(). Under rcu_read_lock(): the entries may be on
 * their way out, never freed before it ends.
 */
static bool tcplimit_flow_locked(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				 struct tcplimit_flow *flow,
				 bool (*fn)(struct tcplimit_net *tn,
					    const struct tcplimit_config *cfg,
					    struct tcplimit_flow *flow))
{
	spinlock_t *slock = tcplimit_table_lock(&tn->sources, flow->source->hash);
	spinlock_t *dlock;	/* the destination's bucket lock */
	bool ret;

	if (!flow->dst) {
		spin_lock_bh(slock);
		ret = fn(tn, cfg, flow);
		spin_unlock_bh(slock);
		return ret;
	}
	dlock = tcplimit_table_lock(&tn->dsts, flow->dst->hash);
	spin_lock_bh(dlock);
	spin_lock(slock);
	ret = fn(tn, cfg, flow);
	spin_unlock(slock);
	spin_unlock_bh(dlock);
	return ret;
}

static void tcplimit_flow_unprove(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				  struct tcplimit_flow *flow)
{
	tcplimit_flow_locked(tn, cfg, flow, tcplimit_flow_unprove_locked);
}

static bool tcplimit_flow_prove(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				struct tcplimit_flow *flow)
{
	return tcplimit_flow_locked(tn, cfg, flow, tcplimit_flow_prove_locked);
}

/*
 * The client of @flow answered its handshake with a bare RST: its host got
 * a SYN-ACK it never asked for, the SYN was forged in its name (or it
 * scans). Its source earns no ban-after strike for a window
 * (tcplimit_strike_owned()); an RST forged in its name can only spare it
 * a ban. Under RCU.
 */
static void tcplimit_flow_disowned(struct tcplimit_flow *flow, const struct tcphdr *th)
{
	if (tcplimit_bare_rst(th) && atomic_read(&flow->state) != TCPLIMIT_FLOW_ESTABLISHED)
		WRITE_ONCE(flow->source->unanswered, jiffies | 1);
}

/* Host mode: a bare RST from the client of @key (tcplimit_flow_disowned()). */
void tcplimit_flow_reset(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
			 const struct tcphdr *th)
{
	struct tcplimit_flow *flow = tcplimit_flow_lookup(tn, key, tcplimit_flow_hash(tn, key));

	if (flow)
		tcplimit_flow_disowned(flow, th);
}

/* Is the connection @key tracked? Lockless, under RCU. */
bool tcplimit_flow_tracked(struct tcplimit_net *tn, const struct tcplimit_flow_key *key)
{
	return tcplimit_flow_lookup(tn, key, tcplimit_flow_hash(tn, key));
}

/*
 * Gateway mode: a packet of the connection @key other than its opening
 * SYN, from the client (@from_client) or the server. From the hook, under
 * RCU.
 *
 * A router has no socket to ask. When conntrack tracked the flow's SYN
 * (TCPLIMIT_FLOW_CT), its verdict on each packet is the truth: it checks
 * sequence and acknowledgment numbers against the windows it follows in
 * both directions, leaves a packet out of window without an entry (@ct
 * NONE: ignored here), and keeps a connection established across an RST
 * that is in the window but not exact (RFC 5961: the host answers it with
 * a challenge ACK). The flow ends when conntrack's state is TIME_WAIT or
 * CLOSE. Without conntrack, the packets are believed: an RST, both FINs,
 * the client's first ACK. That first ACK of an unproven flow charges it,
 * or refuses it: the client's packets but RSTs are then refused (and its
 * SYNs, tcplimit_flow_open()).
 */
enum tcplimit_packet tcplimit_flow_packet(struct tcplimit_net *tn,
					  const struct tcplimit_flow_key *key,
					  const struct tcphdr *th, u32 payload, bool from_client,
					  enum tcplimit_ct ct)
{
	struct tcplimit_flow *flow = tcplimit_flow_lookup(tn, key, tcplimit_flow_hash(tn, key));
	enum tcplimit_packet refuse;
	bool open, closed;
	int state;

	if (!flow)
		return TCPLIMIT_PKT_UNTRACKED;
	refuse = from_client && !th->rst ? TCPLIMIT_PKT_REFUSED : TCPLIMIT_PKT_TRACKED;
	state = atomic_read(&flow->state);
	if (state == TCPLIMIT_FLOW_REFUSED) {
		/* It lasts while the client keeps trying. */
		if (from_client && time_after(jiffies, READ_ONCE(flow->last_seen)))
			WRITE_ONCE(flow->last_seen, jiffies);
		return refuse;
	}
	if (test_bit(TCPLIMIT_FLOW_CT, &flow->fin)) {
		if (ct == TCPLIMIT_CT_NONE)
			return TCPLIMIT_PKT_TRACKED;
		open = ct == TCPLIMIT_CT_OPEN;
		/*
		 * conntrack closes a handshake on a client RST at the right
		 * edge of the window, which the server's request socket
		 * ignores: a handshake ends on the server's word only (or its
		 * SYN timeout).
		 */
		closed = ct == TCPLIMIT_CT_CLOSED &&
			 (!from_client || state == TCPLIMIT_FLOW_ESTABLISHED);
	} else {
		open = from_client && th->ack;
		if (th->fin)
			set_bit(from_client ? TCPLIMIT_FLOW_FIN_CLIENT : TCPLIMIT_FLOW_FIN_SERVER,
				&flow->fin);
		closed = th->rst || (test_bit(TCPLIMIT_FLOW_FIN_CLIENT, &flow->fin) &&
				     test_bit(TCPLIMIT_FLOW_FIN_SERVER, &flow->fin));
	}
	if (from_client)
		tcplimit_flow_disowned(flow, th);
	if (closed) {
		tcplimit_flow_finish(tn, flow);
		return TCPLIMIT_PKT_TRACKED;
	}
	/* Slow, to be reset (slow.c): its ends hear of it now. */
	if (unlikely(test_bit(TCPLIMIT_FLOW_ABORT, &flow->fin)) && !th->rst) {
		tcplimit_flow_finish(tn, flow);
		return TCPLIMIT_PKT_ABORT;
	}
	if (payload && rcu_dereference(tn->cfg)->slow_any)
		atomic64_add(payload, &flow->moved);
	/* The GC may make it unproven under our feet: then it proves it. */
	if (open && state == TCPLIMIT_FLOW_HALFOPEN && !tcplimit_flow_establish(tn, flow))
		state = atomic_read(&flow->state);
	if (open && state == TCPLIMIT_FLOW_UNPROVEN &&
	    !tcplimit_flow_prove(tn, rcu_dereference(tn->cfg), flow))
		return refuse;
	if (from_client && time_after(jiffies, READ_ONCE(flow->last_seen)))
		WRITE_ONCE(flow->last_seen, jiffies);
	return TCPLIMIT_PKT_TRACKED;
}

/* Does a pass in @mode end @flow whatever its state? */
static bool tcplimit_flow_gc_ends(const struct tcplimit_flow *flow,
				  enum tcplimit_flow_gc_mode mode)
{
	bool gateway = test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin);

	return mode == TCPLIMIT_FLOW_GC_END ||
	       (mode == TCPLIMIT_FLOW_GC_END_HOST && !gateway) ||
	       (mode == TCPLIMIT_FLOW_GC_END_GATEWAY && gateway);
}

/* Sockets of one GC bucket to reset (tcplimit_flow_prove() or slow-action said so). */
#define TCPLIMIT_GC_RESETS	8

struct tcplimit_gc_resets {
	unsigned int n;
	struct sock *sk[TCPLIMIT_GC_RESETS];
};

/*
 * Charge an unproven @flow that completed, or end it and queue its socket
 * in @r to be reset. Nothing while @r is full: a later pass does it.
 */
static void tcplimit_flow_gc_prove(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				   struct tcplimit_flow *flow, struct tcplimit_gc_resets *r)
{
	struct sock *sk;

	if (r->n == TCPLIMIT_GC_RESETS || tcplimit_flow_prove(tn, cfg, flow))
		return;
	sk = tcplimit_flow_sock(tn->net, flow);
	tcplimit_flow_unhash(tn, flow);
	if (sk && sk_fullsock(sk))
		r->sk[r->n++] = sk;
	else if (sk)
		sock_gen_put(sk);
}

/*
 * Measure established @flow for slowness (slow.c), which moved @moved bytes;
 * queue its socket in @r to be reset when slow-action says so (host mode;
 * gateway mode resets at its next packet, tcplimit_flow_packet()).
 */
static void tcplimit_flow_gc_slow(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
				  struct tcplimit_flow *flow, u64 moved,
				  struct tcplimit_gc_resets *r)
{
	bool host = !test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin);
	struct sock *sk;

	if (tcplimit_slow_check(tn, cfg, flow, moved, !host || r->n < TCPLIMIT_GC_RESETS) !=
	    TCPLIMIT_SLOW_ABORT || !host)
		return;
	sk = tcplimit_flow_sock(tn->net, flow);
	if (sk && sk_fullsock(sk)) {
		r->sk[r->n++] = sk;
		return;
	}
	/* Gone meanwhile (the next visit ends the flow), or never to be reset. */
	clear_bit(TCPLIMIT_FLOW_ABORT, &flow->fin);
	if (sk)
		sock_gen_put(sk);
}

/* Reset what tcplimit_flow_gc_prove() queued, as ss -K would. May sleep. */
static void tcplimit_gc_reset(struct tcplimit_gc_resets *r)
{
	while (r->n) {
		struct sock *sk = r->sk[--r->n];

		tcp_abort(sk, ECONNABORTED);
		sock_gen_put(sk);
	}
}

/*
 * Bring the flows in buckets [@first, @first + @n) up to date as @mode
 * says: host-mode flows with the socket table, gateway-mode ones with the
 * timeouts; take those that ended off the table. Process context.
 */
void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n,
		      enum tcplimit_flow_gc_mode mode)
{
	struct tcplimit_table *t = &tn->flows;
	unsigned int b, end = min(first + n, tcplimit_table_buckets(t));
	struct tcplimit_gc_resets resets = { 0 };
	const struct tcplimit_config *cfg;
	enum tcplimit_judgement verdict;
	struct tcplimit_flow *flow;
	u64 moved;
	int state;

	for (b = first; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		rcu_read_lock();
		cfg = rcu_dereference(tn->cfg);
		hlist_for_each_entry_rcu(flow, tcplimit_table_bucket(t, b), node) {
			state = atomic_read(&flow->state);
			if (state == TCPLIMIT_FLOW_DEAD) {
				tcplimit_flow_unhash(tn, flow);
				continue;
			}
			if (tcplimit_flow_gc_ends(flow, mode))
				verdict = TCPLIMIT_GONE;
			else if (mode != TCPLIMIT_FLOW_GC_CHECK &&
				 (mode != TCPLIMIT_FLOW_GC_HALFOPEN ||
				  state == TCPLIMIT_FLOW_ESTABLISHED))
				continue;
			else if (!test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin))
				verdict = tcplimit_flow_judge_host(tn, flow, &moved);
			else
				verdict = tcplimit_flow_judge_gateway(cfg, flow);
			switch (verdict) {
			case TCPLIMIT_UNANSWERED:
				tcplimit_flow_unprove(tn, cfg, flow);
				break;
			case TCPLIMIT_ESTABLISHED:
				if (state == TCPLIMIT_FLOW_UNPROVEN)
					tcplimit_flow_gc_prove(tn, cfg, flow, &resets);
				else if (!tcplimit_flow_establish(tn, flow))
					tcplimit_flow_gc_slow(tn, cfg, flow, moved, &resets);
				break;
			case TCPLIMIT_EXPIRED:
				if (tcplimit_flow_finish(tn, flow))
					atomic64_inc(&tn->expired);
				break;
			case TCPLIMIT_GONE:
				tcplimit_flow_finish(tn, flow);
				break;
			default:
				/* Gateway mode: the hook counted what it moved. */
				if (state == TCPLIMIT_FLOW_ESTABLISHED &&
				    test_bit(TCPLIMIT_FLOW_GATEWAY, &flow->fin))
					tcplimit_flow_gc_slow(tn, cfg, flow,
							      atomic64_read(&flow->moved),
							      &resets);
				break;
			}
		}
		rcu_read_unlock();
		tcplimit_gc_reset(&resets);
	}
}
