// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the per-netns flow table. A flow is one admitted connection,
 * keyed by its 4-tuple as the client opened it, holding one unit of its
 * source and of its destination from the first SYN until FINs from both
 * sides, an RST that belongs to it, or a timeout.
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <net/tcp.h>
#include <net/inet_sock.h>
#include "tcplimit.h"
#include "compat.h"

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

static unsigned int tcplimit_flow_bucket(struct tcplimit_net *tn,
					 const struct tcplimit_flow_key *key)
{
	return siphash(key, sizeof(*key), &tn->hash_key) & tn->flows.mask;
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

static void tcplimit_flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_flow_cache, container_of(rcu, struct tcplimit_flow, rcu));
}

/* Unlink @flow and give its counts back, once, whoever calls first. */
static bool tcplimit_flow_unlink(struct tcplimit_net *tn, struct tcplimit_flow *flow,
				 unsigned int bucket)
{
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, bucket);
	bool halfopen;
	int old;

	old = atomic_xchg(&flow->state, TCPLIMIT_FLOW_DEAD);
	if (old == TCPLIMIT_FLOW_DEAD)
		return false;
	spin_lock_bh(lock);
	hlist_del_rcu(&flow->node);
	atomic_dec(&tn->flows.count);
	spin_unlock_bh(lock);

	halfopen = old == TCPLIMIT_FLOW_HALFOPEN;
	if (halfopen)
		atomic_dec(&tn->halfopen);
	tcplimit_entry_put(flow->source, halfopen);
	if (flow->dst)
		tcplimit_entry_put(flow->dst, halfopen);
	call_rcu(&flow->rcu, tcplimit_flow_free_rcu);
	return true;
}

/* The limit, if any, that refuses one more connection of @src to @dst. */
static u32 tcplimit_refusal(const struct tcplimit_config *cfg, const struct tcplimit_entry *src,
			    const struct tcplimit_entry *dst, u64 now)
{
	if (tcplimit_rate_check(src, &cfg->rate, now))
		return TCPLIMIT_LIMIT_RATE;
	if (cfg->max_conn && atomic_read(&src->conns) >= cfg->max_conn)
		return TCPLIMIT_LIMIT_CONN;
	if (cfg->halfopen_max && atomic_read(&src->halfopen) >= cfg->halfopen_max)
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

/*
 * Check the limits of one new connection and reserve its units in its
 * source and destination, both bucket locks held so that check and
 * reservation are one step. Returns the refusing limit (0: reserved, and
 * *@flowp is the new connection's flow, to fill in), or
 * TCPLIMIT_LIMIT_FULL when an entry or the flow could not be had.
 */
static u32 tcplimit_reserve(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
			    const struct tcplimit_flow_key *key, struct tcplimit_entry **srcp,
			    struct tcplimit_entry **dstp, struct tcplimit_flow **flowp)
{
	struct tcplimit_entry_key skey, dkey;
	struct tcplimit_entry *src, *dst;
	unsigned int sb, db;
	spinlock_t *slock, *dlock;
	u64 now = ktime_get_ns();
	u32 refused;

	tcplimit_source_key(&skey, cfg, key->family, &key->saddr);
	tcplimit_dst_key(&dkey, key->family, &key->daddr, key->dport);
	sb = tcplimit_entry_bucket(tn, &tn->sources, &skey);
	db = tcplimit_entry_bucket(tn, &tn->dsts, &dkey);
	slock = tcplimit_table_lock(&tn->sources, sb);
	dlock = tcplimit_table_lock(&tn->dsts, db);

	/* Lock order: flow, destination, source (one lockdep class each). */
	spin_lock(dlock);
	spin_lock(slock);
	/*
	 * Destinations are tracked even with no destination limit (so that
	 * setting one later keeps the counts), but then a full destination
	 * table costs nothing: the connection goes on without one.
	 */
	dst = tcplimit_entry_find_or_add(tn, &tn->dsts, db, &dkey);
	src = tcplimit_entry_find_or_add(tn, &tn->sources, sb, &skey);
	if (!src || (!dst && (cfg->dst_max || cfg->dst_rate.conns))) {
		refused = TCPLIMIT_LIMIT_FULL;
		goto out;
	}
	refused = tcplimit_refusal(cfg, src, dst, now);
	if (refused) {
		src->limited++;
		tcplimit_stat_inc(tn, tcplimit_refusal_stat(refused));
		if (!cfg->dry_run)
			goto out;
		refused = 0;
	}
	/* Allocated before anything is taken: a failure costs no credit. */
	*flowp = kmem_cache_alloc(tcplimit_flow_cache, GFP_ATOMIC);
	if (!*flowp) {
		refused = TCPLIMIT_LIMIT_FULL;
		goto out;
	}
	atomic_inc(&src->conns);
	atomic_inc(&src->halfopen);
	tcplimit_rate_take(src, &cfg->rate, now);
	WRITE_ONCE(src->last_active, jiffies);
	if (dst) {
		atomic_inc(&dst->conns);
		atomic_inc(&dst->halfopen);
		tcplimit_rate_take(dst, &cfg->dst_rate, now);
		WRITE_ONCE(dst->last_active, jiffies);
	}
	*srcp = src;
	*dstp = dst;
out:
	spin_unlock(slock);
	spin_unlock(dlock);
	return refused;
}

/*
 * A SYN opens a connection: admit and track it (NF_ACCEPT) or refuse it
 * (NF_DROP, *@refused says which limit). A retransmitted SYN of a tracked
 * flow is not a second connection. From the hooks, under RCU.
 */
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
				int dif, int sdif, u32 *refused)
{
	const struct tcplimit_config *cfg = rcu_dereference(tn->cfg);
	unsigned int bucket = tcplimit_flow_bucket(tn, key);
	struct hlist_head *head = &tn->flows.buckets[bucket];
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, bucket);
	struct tcplimit_entry *src, *dst;
	unsigned int limit = READ_ONCE(tn->flows.limit);
	struct tcplimit_flow *flow;
	u32 why;

	*refused = 0;
	if (tcplimit_flow_find(head, key))
		return NF_ACCEPT;

	spin_lock_bh(lock);
	/* Look again under the lock: another CPU may have the same SYN. */
	if (tcplimit_flow_find(head, key)) {
		spin_unlock_bh(lock);
		return NF_ACCEPT;
	}
	why = TCPLIMIT_LIMIT_FULL;
	if (limit && atomic_read(&tn->flows.count) >= limit)
		goto refuse;
	why = tcplimit_reserve(tn, cfg, key, &src, &dst, &flow);
	if (why)
		goto refuse;
	flow->key = *key;
	flow->dif = dif;
	flow->sdif = sdif;
	flow->source = src;
	flow->dst = dst;
	flow->created = jiffies;
	flow->last_seen = flow->created;
	flow->fin = 0;
	atomic_set(&flow->state, TCPLIMIT_FLOW_HALFOPEN);
	atomic_inc(&tn->halfopen);
	hlist_add_head_rcu(&flow->node, head);
	atomic_inc(&tn->flows.count);
	spin_unlock_bh(lock);

	tcplimit_stat_inc(tn, TCPLIMIT_STAT_ADMITTED);
	tcplimit_gc_kick(tn);
	return NF_ACCEPT;

refuse:
	spin_unlock_bh(lock);
	if (why != TCPLIMIT_LIMIT_FULL) {
		*refused = why;
		return NF_DROP;
	}
	/* Full: the policy decides, never silently. */
	tcplimit_stat_inc(tn, TCPLIMIT_STAT_TABLE_FULL);
	if (cfg->full_policy == TCPLIMIT_FULL_ADMIT)
		return NF_ACCEPT;
	*refused = why;
	return NF_DROP;
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
 * Does the client's ACK complete the handshake? Only if it acknowledges
 * the local SYN-ACK: a blind ACK leaves the request (and the half-open
 * count) as it was. No request socket (SYN cookies, or already a full
 * socket): TCP decides, and the GC forgets the flow if no socket follows.
 */
static bool tcplimit_ack_valid(struct net *net, const struct tcplimit_flow *flow,
			       const struct tcphdr *th)
{
	struct sock *sk = tcplimit_flow_sock(net, flow);
	bool valid = true;

	if (!sk)
		return true;
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		valid = ntohl(th->ack_seq) == tcp_rsk(inet_reqsk(sk))->snt_isn + 1;
	sock_gen_put(sk);
	return valid;
}

/*
 * Does an RST from the client belong to the connection? The local socket
 * judges as TCP does (RFC 5961): it resets only at exactly the next
 * expected sequence number, so a blind RST is ignored here too. No socket:
 * the connection is gone anyway.
 */
static bool tcplimit_rst_valid(struct net *net, const struct tcplimit_flow *flow,
			       const struct tcphdr *th)
{
	u32 seq = ntohl(th->seq);
	struct sock *sk;
	bool valid;

	sk = tcplimit_flow_sock(net, flow);
	if (!sk)
		return true;
	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		const struct request_sock *req = inet_reqsk(sk);
		u32 rcv_nxt = tcp_rsk(req)->rcv_nxt;

		valid = !before(seq, rcv_nxt) && !after(seq, rcv_nxt + req->rsk_rcv_wnd);
	} else if (sk_fullsock(sk)) {
		u32 rcv_nxt = READ_ONCE(tcp_sk(sk)->rcv_nxt);

		valid = seq == rcv_nxt ||
			((1 << sk->sk_state) & (TCPF_CLOSE_WAIT | TCPF_LAST_ACK | TCPF_CLOSING) &&
			 seq == rcv_nxt - 1);
	} else {
		valid = true;	/* TIME_WAIT: over already */
	}
	sock_gen_put(sk);
	return valid;
}

/*
 * Does an RST the local side sends end the connection? Only if its socket
 * is gone or closing: TCP also answers a bad ACK to a handshake in progress
 * with an RST, and keeps the request (RFC 793), so the flow stays. An abort
 * that leaves the socket open a little longer is seen by the GC instead.
 */
static bool tcplimit_local_rst_ends(struct net *net, const struct tcplimit_flow *flow)
{
	struct sock *sk;
	bool ends;

	sk = tcplimit_flow_sock(net, flow);
	if (!sk)
		return true;
	ends = sk->sk_state == TCP_TIME_WAIT || sk->sk_state == TCP_CLOSE;
	sock_gen_put(sk);
	return ends;
}

/*
 * A packet of the connection @key other than its opening SYN, from the
 * client (@from_client) or the service's side. Ends the flow on an RST
 * that belongs to it or on the second FIN; marks it established on the
 * client's first ACK; in gateway mode, notes the client's activity.
 * Returns false when no such flow is tracked. From the hooks, under RCU.
 */
bool tcplimit_flow_packet(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
			  const struct tcphdr *th, bool from_client, bool gateway)
{
	unsigned int bucket = tcplimit_flow_bucket(tn, key);
	struct tcplimit_flow *flow;

	flow = tcplimit_flow_find(&tn->flows.buckets[bucket], key);
	if (!flow)
		return false;
	if (th->rst) {
		if (!gateway && (from_client ? !tcplimit_rst_valid(tn->net, flow, th) :
				 !tcplimit_local_rst_ends(tn->net, flow)))
			return true;
		tcplimit_flow_unlink(tn, flow, bucket);
		return true;
	}
	if (from_client) {
		if (th->ack && !th->syn &&
		    atomic_read(&flow->state) == TCPLIMIT_FLOW_HALFOPEN &&
		    (gateway || tcplimit_ack_valid(tn->net, flow, th)) &&
		    atomic_cmpxchg(&flow->state, TCPLIMIT_FLOW_HALFOPEN,
				   TCPLIMIT_FLOW_ESTABLISHED) == TCPLIMIT_FLOW_HALFOPEN) {
			tcplimit_entry_established(flow->source);
			if (flow->dst)
				tcplimit_entry_established(flow->dst);
			atomic_dec(&tn->halfopen);
			WRITE_ONCE(flow->last_seen, jiffies);
		} else if (gateway && time_after(jiffies, READ_ONCE(flow->last_seen))) {
			WRITE_ONCE(flow->last_seen, jiffies);
		}
	}
	if (th->fin) {
		set_bit(from_client ? TCPLIMIT_FLOW_FIN_CLIENT : TCPLIMIT_FLOW_FIN_SERVER,
			&flow->fin);
		if (test_bit(TCPLIMIT_FLOW_FIN_CLIENT, &flow->fin) &&
		    test_bit(TCPLIMIT_FLOW_FIN_SERVER, &flow->fin))
			tcplimit_flow_unlink(tn, flow, bucket);
	}
	return true;
}

enum tcplimit_liveness { TCPLIMIT_ALIVE, TCPLIMIT_IDLE, TCPLIMIT_GONE };

/* Host mode: is the local socket of @key still open, and heard from lately? */
static enum tcplimit_liveness tcplimit_flow_socket(struct net *net,
						   const struct tcplimit_flow *flow,
						   unsigned long idle_timeout)
{
	enum tcplimit_liveness ret = TCPLIMIT_ALIVE;
	struct sock *sk;

	sk = tcplimit_flow_sock(net, flow);
	if (!sk)
		return TCPLIMIT_GONE;
	if (sk->sk_state == TCP_TIME_WAIT || sk->sk_state == TCP_CLOSE)
		ret = TCPLIMIT_GONE;
	else if (sk_fullsock(sk) && keepalive_time_elapsed(tcp_sk(sk)) > idle_timeout)
		ret = TCPLIMIT_IDLE;
	sock_gen_put(sk);
	return ret;
}

/* Should the GC forget @flow: 0 no, 1 closed unseen, 2 timed out? */
static int tcplimit_flow_stale(struct tcplimit_net *tn, const struct tcplimit_config *cfg,
			       const struct tcplimit_flow *flow)
{
	unsigned long last = READ_ONCE(flow->last_seen);

	switch (atomic_read(&flow->state)) {
	case TCPLIMIT_FLOW_HALFOPEN:
		return time_after(jiffies, flow->created + cfg->syn_timeout) ? 2 : 0;
	case TCPLIMIT_FLOW_ESTABLISHED:
		if (cfg->mode == TCPLIMIT_MODE_GATEWAY)
			return time_after(jiffies, last + cfg->idle_timeout) ? 2 : 0;
		/* The final ACK's socket is made right after the hook. */
		if (time_before(jiffies, last + TCPLIMIT_FLOW_SETTLE))
			return 0;
		switch (tcplimit_flow_socket(tn->net, flow, cfg->idle_timeout)) {
		case TCPLIMIT_GONE:
			return 1;
		case TCPLIMIT_IDLE:
			return 2;
		default:
			return 0;
		}
	default:
		return 0;
	}
}

/*
 * Forget flows in buckets [@first, @first + @n) whose end was not seen:
 * half-open past the SYN timeout, idle past the idle timeout, or (host
 * mode) gone from the socket table. With @all, forget every flow.
 */
void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n, bool all)
{
	struct tcplimit_table *t = &tn->flows;
	unsigned int b, end = min(first + n, t->mask + 1);
	const struct tcplimit_config *cfg;
	struct tcplimit_flow *flow;
	int stale;

	for (b = first; b < end; b++) {
		if (!rcu_access_pointer(hlist_first_rcu(&t->buckets[b])))
			continue;
		rcu_read_lock();
		cfg = rcu_dereference(tn->cfg);
		hlist_for_each_entry_rcu(flow, &t->buckets[b], node) {
			stale = all ? 1 : tcplimit_flow_stale(tn, cfg, flow);
			if (stale && tcplimit_flow_unlink(tn, flow, b) && stale == 2)
				atomic64_inc(&tn->expired);
		}
		rcu_read_unlock();
	}
}
