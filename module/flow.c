// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: the per-netns flow table. A flow is one admitted connection,
 * keyed by its 4-tuple, holding one count of its source from the first SYN
 * until FINs from both sides, an RST, or the socket table no longer has it.
 */
#include <linux/slab.h>
#include <linux/jiffies.h>
#include <net/tcp_states.h>
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
		    !test_bit(TCPLIMIT_FLOW_DEAD, &flow->flags))
			return flow;
	return NULL;
}

static void tcplimit_flow_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(tcplimit_flow_cache, container_of(rcu, struct tcplimit_flow, rcu));
}

/* Unlink @flow and give its count back, once, whoever calls first. */
static void tcplimit_flow_unlink(struct tcplimit_net *tn, struct tcplimit_flow *flow,
				 unsigned int bucket)
{
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, bucket);

	if (test_and_set_bit(TCPLIMIT_FLOW_DEAD, &flow->flags))
		return;
	spin_lock_bh(lock);
	hlist_del_rcu(&flow->node);
	atomic_dec(&tn->flows.count);
	spin_unlock_bh(lock);
	tcplimit_source_put(flow->source);
	call_rcu(&flow->rcu, tcplimit_flow_free_rcu);
}

/*
 * A SYN opens a connection: admit it (NF_ACCEPT) and count it against its
 * source, or refuse it (NF_DROP). A retransmitted SYN of a tracked flow is
 * not a second connection. Called from the LOCAL_IN hook under RCU.
 */
unsigned int tcplimit_flow_open(struct tcplimit_net *tn, const struct tcplimit_flow_key *key)
{
	unsigned int bucket = tcplimit_flow_bucket(tn, key);
	struct hlist_head *head = &tn->flows.buckets[bucket];
	spinlock_t *lock = tcplimit_table_lock(&tn->flows, bucket);
	struct tcplimit_source_key skey;
	struct tcplimit_source *src;
	struct tcplimit_flow *flow;
	enum tcplimit_stat why;

	if (tcplimit_flow_find(head, key))
		return NF_ACCEPT;

	spin_lock_bh(lock);
	/* Look again under the lock: another CPU may have the same SYN. */
	if (tcplimit_flow_find(head, key)) {
		spin_unlock_bh(lock);
		return NF_ACCEPT;
	}
	why = TCPLIMIT_STAT_TABLE_FULL;
	if (atomic_read(&tn->flows.count) >= tn->flows.limit)
		goto refuse;
	tcplimit_source_key(&skey, key->family, &key->saddr);
	src = tcplimit_source_get(tn, &skey, &why);
	if (!src)
		goto refuse;
	flow = kmem_cache_alloc(tcplimit_flow_cache, GFP_ATOMIC);
	if (!flow) {
		tcplimit_source_put(src);
		why = TCPLIMIT_STAT_TABLE_FULL;
		goto refuse;
	}
	flow->key = *key;
	flow->source = src;
	flow->created = jiffies;
	flow->flags = 0;
	hlist_add_head_rcu(&flow->node, head);
	atomic_inc(&tn->flows.count);
	spin_unlock_bh(lock);

	tcplimit_stat_inc(tn, TCPLIMIT_STAT_ADMITTED);
	tcplimit_gc_kick(tn);
	return NF_ACCEPT;

refuse:
	spin_unlock_bh(lock);
	tcplimit_stat_inc(tn, why);
	return NF_DROP;
}

/*
 * A FIN or RST of the connection @key, seen from the client (@from_client)
 * or from the local side. The connection ends on an RST, or once both
 * sides have sent their FIN. Called from the hooks under RCU.
 */
void tcplimit_flow_end(struct tcplimit_net *tn, const struct tcplimit_flow_key *key,
		       bool rst, bool from_client)
{
	unsigned int bucket = tcplimit_flow_bucket(tn, key);
	struct tcplimit_flow *flow;

	flow = tcplimit_flow_find(&tn->flows.buckets[bucket], key);
	if (!flow)
		return;
	if (!rst) {
		set_bit(from_client ? TCPLIMIT_FLOW_FIN_CLIENT : TCPLIMIT_FLOW_FIN_SERVER,
			&flow->flags);
		if (!test_bit(TCPLIMIT_FLOW_FIN_CLIENT, &flow->flags) ||
		    !test_bit(TCPLIMIT_FLOW_FIN_SERVER, &flow->flags))
			return;
	}
	tcplimit_flow_unlink(tn, flow, bucket);
}

/* Does the host still hold this connection (TIME_WAIT does not count)? */
static bool tcplimit_flow_has_socket(struct net *net, const struct tcplimit_flow_key *key)
{
	struct sock *sk;
	bool alive;

	if (key->family == NFPROTO_IPV4)
		sk = tcplimit_lookup4(net, key->saddr.ip, key->sport, key->daddr.ip, key->dport);
	else
		sk = tcplimit_lookup6(net, &key->saddr.in6, key->sport, &key->daddr.in6,
				      key->dport);
	if (!sk)
		return false;
	alive = sk->sk_state != TCP_TIME_WAIT && sk->sk_state != TCP_CLOSE;
	sock_gen_put(sk);
	return alive;
}

/*
 * Forget flows in buckets [@first, @first + @n) whose end was never seen:
 * old enough that a handshake would have finished, and gone from the
 * socket table. With @all, forget every flow (namespace exit).
 */
void tcplimit_flow_gc(struct tcplimit_net *tn, unsigned int first, unsigned int n, bool all)
{
	struct tcplimit_table *t = &tn->flows;
	unsigned int b, end = min(first + n, t->mask + 1);
	struct tcplimit_flow *flow;

	for (b = first; b < end; b++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(flow, &t->buckets[b], node) {
			if (!all &&
			    (time_before(jiffies, flow->created + TCPLIMIT_FLOW_VERIFY_AGE) ||
			     tcplimit_flow_has_socket(tn->net, &flow->key)))
				continue;
			tcplimit_flow_unlink(tn, flow, b);
		}
		rcu_read_unlock();
	}
}
