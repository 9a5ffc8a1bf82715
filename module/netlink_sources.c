// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: TCPLIMIT_CMD_GET_SOURCES, the dump of the source table, with
 * the optional TCPLIMIT_A_FILTER of the request: a prefix, "limited only",
 * and top-K by a counter.
 *
 * A plain dump walks the table and resumes at a (bucket, index) cursor; a
 * source added or removed between two parts marks the next message
 * NLM_F_DUMP_INTR (the reader starts over). A top-K dump walks the table
 * once, keeping the K best matching sources in a bounded min-heap of
 * snapshots, sorts them and sends from there: ranked and consistent, never
 * interrupted, and nothing but the K winners reaches userspace.
 */
#include <linux/inetdevice.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include "netlink_sources.h"
#include "netlink.h"
#include "limiter.h"
#include "entry.h"
#include "prefix.h"
#include "compat.h"

static const struct nla_policy tcplimit_filter_policy[TCPLIMIT_FILTER_A_MAX + 1] = {
	[TCPLIMIT_FILTER_A_ADDR]	= NLA_POLICY_VALIDATE_FN(NLA_BINARY, tcplimit_validate_addr,
								 sizeof(struct in6_addr)),
	[TCPLIMIT_FILTER_A_PREFIX_LEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[TCPLIMIT_FILTER_A_LIMITED]	= { .type = NLA_FLAG },
	[TCPLIMIT_FILTER_A_TOP]		= NLA_POLICY_RANGE(NLA_U32, 1, TCPLIMIT_MAX_TOP),
	[TCPLIMIT_FILTER_A_SORT]	= NLA_POLICY_MAX(NLA_U8, TCPLIMIT_SORT_SLOW),
};

const struct nla_policy tcplimit_sources_policy[TCPLIMIT_A_FILTER + 1] = {
	[TCPLIMIT_A_FILTER]		= NLA_POLICY_NESTED(tcplimit_filter_policy),
};

/* Which sources a dump sends (TCPLIMIT_A_FILTER, checked). */
struct tcplimit_filter {
	struct tcplimit_prefix prefix;	/* sources inside it; family 0: any */
	u32 top;			/* 0: every match, in table order */
	u8 sort;			/* enum tcplimit_sort */
	bool limited;			/* only sources with limited > 0 */
};

/* A source as sent: its values when it was read. */
struct tcplimit_source_snap {
	union nf_inet_addr addr;
	u64 limited;
	u64 rank;			/* the top-K sort key */
	u32 conns;
	u32 halfopen;
	u32 rate_avail;
	u32 slow;
	u16 port_first, port_last;	/* its policy's ports (@policy) */
	u8 family;			/* NFPROTO_IPV4 or NFPROTO_IPV6 */
	u8 prefix_len;
	u8 policy;			/* counted under a port-range policy */
	u8 policy_gone;			/* one no longer configured (no last port) */
};

/*
 * The state of one GET_SOURCES dump, from .start to .done. Netlink runs a
 * socket's dump callbacks one at a time, so it needs no lock.
 */
struct tcplimit_sources_dump {
	struct tcplimit_filter filter;
	bool ready;			/* filter parsed, top-K taken */
	unsigned int bucket;		/* table walk: resume in this bucket... */
	unsigned int index;		/* ...after this many of its entries */
	struct tcplimit_source_snap *top;	/* top-K: kvmalloc'd, best first */
	unsigned int top_n;		/* top-K: sources in @top */
	unsigned int top_pos;		/* top-K: next one to send */
};

/* What the dump keeps in netlink_callback.ctx. */
struct tcplimit_sources_cb {
	struct tcplimit_sources_dump *dump;
};

static struct tcplimit_sources_dump *tcplimit_sources_state(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct tcplimit_sources_cb) >
		     sizeof_field(struct netlink_callback, ctx));
	return ((struct tcplimit_sources_cb *)cb->ctx)->dump;
}

static int tcplimit_filter_parse(struct tcplimit_filter *f, const struct nlattr *nest,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPLIMIT_FILTER_A_MAX + 1];
	unsigned int bits = 0;
	int err;

	memset(f, 0, sizeof(*f));
	f->sort = TCPLIMIT_SORT_CONNS;
	if (!nest)
		return 0;
	/* Validated by the policy already; this only fills @tb. */
	err = nla_parse_nested(tb, TCPLIMIT_FILTER_A_MAX, nest, tcplimit_filter_policy, extack);
	if (err)
		return err;

	if (tb[TCPLIMIT_FILTER_A_ADDR]) {
		bits = nla_len(tb[TCPLIMIT_FILTER_A_ADDR]) * 8;
		f->prefix.family = bits == 32 ? NFPROTO_IPV4 : NFPROTO_IPV6;
		nla_memcpy(&f->prefix.addr, tb[TCPLIMIT_FILTER_A_ADDR], sizeof(f->prefix.addr));
		f->prefix.len = bits;
	}
	if (tb[TCPLIMIT_FILTER_A_PREFIX_LEN]) {
		if (!f->prefix.family) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_FILTER_A_PREFIX_LEN],
					    "a prefix length needs an address");
			return -EINVAL;
		}
		f->prefix.len = nla_get_u8(tb[TCPLIMIT_FILTER_A_PREFIX_LEN]);
		/* The policy caps it at 128: only an IPv4 one can be too long. */
		if (f->prefix.len > bits) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_FILTER_A_PREFIX_LEN],
					    "IPv4 prefix length over 32");
			return -ERANGE;
		}
	}
	f->limited = nla_get_flag(tb[TCPLIMIT_FILTER_A_LIMITED]);
	if (tb[TCPLIMIT_FILTER_A_TOP])
		f->top = nla_get_u32(tb[TCPLIMIT_FILTER_A_TOP]);
	if (tb[TCPLIMIT_FILTER_A_SORT]) {
		if (!f->top) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPLIMIT_FILTER_A_SORT],
					    "a sort order needs a top count");
			return -EINVAL;
		}
		f->sort = nla_get_u8(tb[TCPLIMIT_FILTER_A_SORT]);
	}
	return 0;
}

/* Does @e pass @f? Under rcu_read_lock(). */
static bool tcplimit_filter_match(const struct tcplimit_filter *f, const struct tcplimit_entry *e)
{
	if (f->limited && !READ_ONCE(e->limited))
		return false;
	return !f->prefix.family ||
	       tcplimit_prefix_contains(&f->prefix, e->key.family, &e->key.addr);
}

/* Read @e into @s. Under rcu_read_lock(). */
static void tcplimit_snap(struct tcplimit_source_snap *s, const struct tcplimit_entry *e,
			  const struct tcplimit_config *cfg, u64 now, u8 sort)
{
	const struct tcplimit_policy *p = tcplimit_entry_policy(cfg, e);

	s->addr = e->key.addr;
	s->family = e->key.family;
	s->prefix_len = e->key.prefix_len;
	s->conns = atomic_read(&e->conns);
	s->halfopen = atomic_read(&e->halfopen);
	s->limited = READ_ONCE(e->limited);
	s->slow = READ_ONCE(e->slow);
	s->rate_avail = tcplimit_rate_avail(e, &tcplimit_entry_limits(cfg, e)->rate, now);
	s->policy = e->key.policy;
	s->policy_gone = e->key.policy && !p;
	s->port_first = ntohs(e->key.port);
	s->port_last = p ? p->last : s->port_first;
	switch (sort) {
	case TCPLIMIT_SORT_HALFOPEN:
		s->rank = s->halfopen;
		break;
	case TCPLIMIT_SORT_LIMITED:
		s->rank = s->limited;
		break;
	case TCPLIMIT_SORT_SLOW:
		s->rank = s->slow;
		break;
	default:
		s->rank = s->conns;
		break;
	}
}

/*
 * The top-K order: the larger counter first; ties by family (IPv4 first),
 * then address, prefix length and policy (the default one first, then by
 * port), ascending. Keys are unique in the table, so the order is total
 * and every dump ranks alike. Negative when @a comes before @b.
 */
static int tcplimit_snap_cmp(const void *a, const void *b)
{
	const struct tcplimit_source_snap *x = a, *y = b;
	int r;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	r = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	if (r)
		return r;
	if (x->prefix_len != y->prefix_len)
		return (int)x->prefix_len - (int)y->prefix_len;
	/* One source under several policies: the default one first. */
	if (x->policy != y->policy)
		return (int)x->policy - (int)y->policy;
	return (int)x->port_first - (int)y->port_first;
}

/*
 * @heap[0..n) is a heap with the last-ranked source at the root (a parent
 * never ranks before its children). Restore that from @i down.
 */
static void tcplimit_heap_down(struct tcplimit_source_snap *heap, unsigned int n, unsigned int i)
{
	for (;;) {
		unsigned int worst = i, l = 2 * i + 1, r = l + 1;

		if (l < n && tcplimit_snap_cmp(&heap[l], &heap[worst]) > 0)
			worst = l;
		if (r < n && tcplimit_snap_cmp(&heap[r], &heap[worst]) > 0)
			worst = r;
		if (worst == i)
			return;
		swap(heap[i], heap[worst]);
		i = worst;
	}
}

static void tcplimit_heap_up(struct tcplimit_source_snap *heap, unsigned int i)
{
	while (i) {
		unsigned int parent = (i - 1) / 2;

		if (tcplimit_snap_cmp(&heap[i], &heap[parent]) <= 0)
			return;
		swap(heap[i], heap[parent]);
		i = parent;
	}
}

/* Offer @s to the top-K heap of @d: kept if it ranks among the best K. */
static void tcplimit_top_offer(struct tcplimit_sources_dump *d,
			       const struct tcplimit_source_snap *s)
{
	if (d->top_n < d->filter.top) {
		d->top[d->top_n] = *s;
		tcplimit_heap_up(d->top, d->top_n++);
	} else if (tcplimit_snap_cmp(s, &d->top[0]) < 0) {
		d->top[0] = *s;
		tcplimit_heap_down(d->top, d->top_n, 0);
	}
}

/*
 * Walk the whole table once and keep the K best matching sources, then
 * sort them best first. Each bucket is read under RCU in one go, so a
 * source present throughout is seen exactly once; between buckets the walk
 * may sleep.
 */
static int tcplimit_top_take(struct tcplimit_net *tn, struct tcplimit_sources_dump *d)
{
	struct tcplimit_table *t = &tn->sources;
	const struct tcplimit_config *cfg;
	struct tcplimit_source_snap s;
	unsigned int b, end = tcplimit_table_buckets(t);
	struct tcplimit_entry *e;
	u64 now;

	d->top = kvmalloc_array(d->filter.top, sizeof(*d->top), GFP_KERNEL);
	if (!d->top)
		return -ENOMEM;
	for (b = 0; b < end; b++) {
		cond_resched();
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		rcu_read_lock();
		cfg = rcu_dereference(tn->cfg);
		now = ktime_get_ns();
		hlist_for_each_entry_rcu(e, tcplimit_table_bucket(t, b), node) {
			if (!tcplimit_filter_match(&d->filter, e))
				continue;
			tcplimit_snap(&s, e, cfg, now, d->filter.sort);
			tcplimit_top_offer(d, &s);
		}
		rcu_read_unlock();
	}
	sort(d->top, d->top_n, sizeof(*d->top), tcplimit_snap_cmp, NULL);
	return 0;
}

/* Read the request's filter and, for a top-K dump, take the K best. */
static int tcplimit_sources_prepare(struct netlink_callback *cb, struct tcplimit_sources_dump *d,
				    struct netlink_ext_ack *extack)
{
	struct nlattr **attrs = tcplimit_dump_attrs(cb);
	int err;

	err = tcplimit_filter_parse(&d->filter, attrs ? attrs[TCPLIMIT_A_FILTER] : NULL, extack);
	if (err)
		return err;
	if (d->filter.top) {
		err = tcplimit_top_take(tcplimit_pernet(sock_net(cb->skb->sk)), d);
		if (err)
			return err;
	}
	d->ready = true;
	return 0;
}

static void tcplimit_sources_free(struct tcplimit_sources_dump *d)
{
	if (d) {
		kvfree(d->top);
		kfree(d);
	}
}

/*
 * Kernels that give .start the request's extack (6.12) get a bad filter
 * refused here, in the NLMSG_ERROR of the request, with the offending
 * attribute. Older ones (6.1) give .start none: the first dumpit call
 * checks it, and the error ends the dump in its NLMSG_DONE, with the
 * message.
 */
int tcplimit_nl_sources_start(struct netlink_callback *cb)
{
	struct tcplimit_sources_cb *ctx = (struct tcplimit_sources_cb *)cb->ctx;
	struct tcplimit_sources_dump *d;
	int err;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	if (cb->extack) {
		err = tcplimit_sources_prepare(cb, d, cb->extack);
		if (err) {
			/* No .done follows a failed .start. */
			tcplimit_sources_free(d);
			return err;
		}
	}
	ctx->dump = d;
	return 0;
}

int tcplimit_nl_sources_done(struct netlink_callback *cb)
{
	tcplimit_sources_free(tcplimit_sources_state(cb));
	return 0;
}

static int tcplimit_put_source(struct sk_buff *skb, struct netlink_callback *cb,
			       const struct tcplimit_source_snap *s, bool check_gen)
{
	bool v4 = s->family == NFPROTO_IPV4;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcplimit_genl_family, NLM_F_MULTI, TCPLIMIT_CMD_GET_SOURCES);
	if (!hdr)
		return -EMSGSIZE;
	if (check_gen)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, TCPLIMIT_A_VERSION, TCPLIMIT_GENL_VERSION))
		goto cancel;
	nest = nla_nest_start(skb, TCPLIMIT_A_SOURCE);
	if (!nest ||
	    nla_put_u16(skb, TCPLIMIT_SOURCE_A_FAMILY, v4 ? AF_INET : AF_INET6) ||
	    nla_put(skb, TCPLIMIT_SOURCE_A_ADDR, v4 ? 4 : 16, &s->addr) ||
	    nla_put_u8(skb, TCPLIMIT_SOURCE_A_PREFIX_LEN, s->prefix_len) ||
	    nla_put_u32(skb, TCPLIMIT_SOURCE_A_CONNS, s->conns) ||
	    nla_put_u32(skb, TCPLIMIT_SOURCE_A_HALFOPEN, s->halfopen) ||
	    nla_put_u32(skb, TCPLIMIT_SOURCE_A_RATE_AVAIL, s->rate_avail) ||
	    nla_put_u64_64bit(skb, TCPLIMIT_SOURCE_A_LIMITED, s->limited, TCPLIMIT_SOURCE_A_PAD) ||
	    nla_put_u32(skb, TCPLIMIT_SOURCE_A_SLOW, s->slow) ||
	    (s->policy &&
	     (nla_put_u16(skb, TCPLIMIT_SOURCE_A_PORT_FIRST, s->port_first) ||
	      (!s->policy_gone &&
	       nla_put_u16(skb, TCPLIMIT_SOURCE_A_PORT_LAST, s->port_last)))))
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Send the ranked snapshot from where the last part stopped. */
static int tcplimit_sources_send_top(struct sk_buff *skb, struct netlink_callback *cb,
				     struct tcplimit_sources_dump *d)
{
	while (d->top_pos < d->top_n &&
	       !tcplimit_put_source(skb, cb, &d->top[d->top_pos], false))
		d->top_pos++;
	return skb->len;
}

/*
 * Walk the table from the cursor, sending the sources that pass the
 * filter. cb->seq is the table's generation when this part starts; a
 * change since the previous part (where the cursor may have moved under
 * us) flags the messages NLM_F_DUMP_INTR.
 */
static int tcplimit_sources_send_walk(struct sk_buff *skb, struct netlink_callback *cb,
				      struct tcplimit_net *tn, struct tcplimit_sources_dump *d)
{
	struct tcplimit_table *t = &tn->sources;
	const struct tcplimit_config *cfg;
	struct tcplimit_source_snap s;
	unsigned int b, idx, start, end = tcplimit_table_buckets(t);
	struct tcplimit_entry *e;
	u64 now;

	/*
	 * The walk is over: the call that ends the dump checks cb->seq once
	 * more (on NLMSG_DONE), and a change after the last part is no
	 * inconsistency.
	 */
	if (d->bucket >= end)
		return 0;
	cb->seq = atomic_read(&tn->sources_gen);
	for (b = d->bucket; b < end; b++, d->index = 0) {
		cond_resched();
		start = b;
		if (!tcplimit_table_skip_empty(t, &b, end))
			continue;
		if (b != start)
			d->index = 0;
		idx = 0;
		rcu_read_lock();
		cfg = rcu_dereference(tn->cfg);
		now = ktime_get_ns();
		hlist_for_each_entry_rcu(e, tcplimit_table_bucket(t, b), node) {
			if (idx++ < d->index || !tcplimit_filter_match(&d->filter, e))
				continue;
			tcplimit_snap(&s, e, cfg, now, d->filter.sort);
			if (tcplimit_put_source(skb, cb, &s, true)) {
				rcu_read_unlock();
				d->bucket = b;
				d->index = idx - 1;
				return skb->len;
			}
		}
		rcu_read_unlock();
	}
	d->bucket = b;
	d->index = 0;
	return skb->len;
}

int tcplimit_nl_sources_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcplimit_sources_dump *d = tcplimit_sources_state(cb);
	int err;

	if (!d->ready) {
		err = tcplimit_sources_prepare(cb, d, cb->extack);
		if (err)
			return err;
	}
	if (d->filter.top)
		return tcplimit_sources_send_top(skb, cb, d);
	return tcplimit_sources_send_walk(skb, cb, tcplimit_pernet(sock_net(skb->sk)), d);
}

#ifdef TCPLIMIT_SELFTEST
#include "selftest.h"
#include "selftest/topk.c"
#endif
