// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: answer a refused SYN with a TCP reset.
 *
 * The kernel's own nf_send_reset() lives in nf_reject_ipv4/ipv6, modules
 * tcplimit must not depend on, so the RST is built here from core (vmlinux)
 * helpers. It is the reset TCP sends for a closed port, from the address
 * the SYN was sent to (in FORWARD, on the server's behalf), routed by the
 * routing table like a local reply: forcing it out the input interface would
 * misroute asymmetric paths, so that interface only picks the VRF, and the
 * link for an IPv6 link-local client.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/netdevice.h>
#include <linux/security.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/dst.h>
#include <net/dst_metadata.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/xfrm.h>
#include <net/netfilter/nf_conntrack.h>
#include "reject.h"

/* The RST's TCP fields, in network order, from the segment it answers. */
struct tcplimit_rst {
	__be16 sport;
	__be16 dport;
	__be32 seq;
	__be32 ack_seq;
	bool ack;
};

/*
 * TCP itself ignores frames not sent to this host. Bridged packets
 * (br_netfilter gives them a fake route) cannot be routed back: the reply
 * would need the bridge port and the server's MAC address.
 */
static int tcplimit_may_answer(const struct sk_buff *skb)
{
	const struct dst_entry *dst = skb_dst(skb);

	if (dst && (dst->flags & DST_FAKE_RTABLE))
		return -EOPNOTSUPP;
	if (skb->pkt_type != PACKET_HOST)
		return -EINVAL;
	return 0;
}

/*
 * Read the TCP header at @thoff (from skb->data) and verify the checksum.
 * The RST takes seq from the segment's ACK if it has one; else it is seq 0,
 * acking all the segment occupied (RFC 9293 3.10.7.1).
 */
static int tcplimit_rst_of(struct sk_buff *skb, unsigned int thoff,
			   const struct nf_hook_state *state, bool onward, struct tcplimit_rst *rst)
{
	const struct tcphdr *th;
	struct tcphdr buf;
	unsigned int hlen;

	th = skb_header_pointer(skb, thoff, sizeof(buf), &buf);
	if (!th)
		return -EBADMSG;
	if (th->rst)
		return -EINVAL;
	hlen = th->doff * 4;
	if (hlen < sizeof(*th) || hlen > skb->len - thoff)
		return -EBADMSG;

	if (onward) {
		/* As the sender's next segment: at the receiver's window edge. */
		rst->sport = th->source;
		rst->dport = th->dest;
		rst->seq = th->seq;
		rst->ack_seq = 0;
		rst->ack = false;
	} else if (th->ack) {
		rst->sport = th->dest;
		rst->dport = th->source;
		rst->seq = th->ack_seq;
		rst->ack_seq = 0;
		rst->ack = false;
	} else {
		rst->sport = th->dest;
		rst->dport = th->source;
		rst->seq = 0;
		rst->ack_seq = htonl(ntohl(th->seq) + th->syn + th->fin +
				     skb->len - thoff - hlen);
		rst->ack = true;
	}

	/* Last: it may sum the whole segment (@th may point into @buf). */
	if (nf_checksum(skb, state->hook, thoff, IPPROTO_TCP, state->pf))
		return -EBADMSG;
	return 0;
}

/* The VRF the segment came in, or 0: the reply is routed in its table. */
static int tcplimit_l3mdev(const struct nf_hook_state *state)
{
	return state->in ? l3mdev_master_ifindex_rcu(state->in) : 0;
}

/* An empty skb with headroom for @dst's device and transforms. */
static struct sk_buff *tcplimit_alloc(const struct dst_entry *dst, unsigned int len)
{
	unsigned int room = max_t(unsigned int, LL_MAX_HEADER, LL_RESERVED_SPACE(dst->dev)) +
			    dst->header_len;
	struct sk_buff *nskb;

	nskb = alloc_skb(room + len + dst->trailer_len, GFP_ATOMIC);
	if (nskb)
		skb_reserve(nskb, room);
	return nskb;
}

/* Append the RST's TCP header (checksum left to the caller). */
static struct tcphdr *tcplimit_put_tcp(struct sk_buff *nskb, const struct tcplimit_rst *rst)
{
	struct tcphdr *th;

	skb_reset_transport_header(nskb);
	th = skb_put_zero(nskb, sizeof(*th));
	th->source = rst->sport;
	th->dest = rst->dport;
	th->seq = rst->seq;
	th->ack_seq = rst->ack_seq;
	th->doff = sizeof(*th) / 4;
	th->rst = 1;
	th->ack = rst->ack;
	return th;
}

/*
 * Attach @skb's conntrack entry to @nskb, in @nskb's direction: NAT then
 * rewrites the RST as it rewrites the connection's packets that way. An
 * RST back to the sender goes the other way (nf_ct_attach()); an @onward
 * one the same way as @skb.
 */
static void tcplimit_ct_attach(struct sk_buff *nskb, struct sk_buff *skb, bool onward)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct;

	if (!onward) {
		nf_ct_attach(nskb, skb);
		return;
	}
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_is_template(ct))
		return;
	nf_conntrack_get(&ct->ct_general);
	nf_ct_set(nskb, ct, CTINFO2DIR(ctinfo) == IP_CT_DIR_ORIGINAL ?
		  IP_CT_RELATED : IP_CT_RELATED_REPLY);
#else
	nf_ct_attach(nskb, skb);
#endif
}

/* Attach @skb's conntrack (NAT applies to the RST), then send. */
static int tcplimit_send(struct net *net, struct sk_buff *nskb, struct sk_buff *skb,
			 bool ipv6, bool onward)
{
	int err;

	tcplimit_ct_attach(nskb, skb, onward);
	nf_ct_set_closing(skb_nfct(skb));
	err = ipv6 ? ip6_local_out(net, NULL, nskb) : ip_local_out(net, NULL, nskb);
	/* Positive NET_XMIT_* codes: congestion notification is a success. */
	return err > 0 ? net_xmit_errno(err) : err;
}

static bool tcplimit_unicast4(__be32 addr)
{
	return !ipv4_is_multicast(addr) && !ipv4_is_lbcast(addr) && !ipv4_is_zeronet(addr);
}

static int tcplimit_reset4(struct net *net, struct sk_buff *skb, unsigned int thoff,
			   const struct nf_hook_state *state, bool onward)
{
	const struct iphdr *iph = ip_hdr(skb);
	__be32 saddr = onward ? iph->saddr : iph->daddr;	/* the RST's */
	__be32 daddr = onward ? iph->daddr : iph->saddr;
	struct tcplimit_rst rst;
	struct sk_buff *nskb;
	struct iphdr *niph;
	struct tcphdr *th;
	struct flowi4 fl4;
	struct rtable *rt;
	int err;

	if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph))
		return -EINVAL;
	if (!tcplimit_unicast4(saddr) || !tcplimit_unicast4(daddr))
		return -EINVAL;
	/* Sent to a (subnet) broadcast or multicast address. */
	if (skb_valid_dst(skb) &&
	    (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)))
		return -EINVAL;
	err = tcplimit_rst_of(skb, thoff, state, onward, &rst);
	if (err)
		return err;

	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_oif = tcplimit_l3mdev(state);
	fl4.flowi4_mark = IP4_REPLY_MARK(net, skb->mark);
	fl4.flowi4_proto = IPPROTO_TCP;
	/* In FORWARD the source is the server's address, not one of ours. */
	fl4.flowi4_flags = FLOWI_FLAG_ANYSRC;
	fl4.flowi4_uid = sock_net_uid(net, NULL);
	fl4.saddr = saddr;
	fl4.daddr = daddr;
	fl4.fl4_sport = rst.sport;
	fl4.fl4_dport = rst.dport;
	security_skb_classify_flow(skb, flowi4_to_flowi_common(&fl4));
	rt = ip_route_output_flow(net, &fl4, NULL);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	/* The client's address is a broadcast one. */
	if (rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
		ip_rt_put(rt);
		return -EINVAL;
	}

	nskb = tcplimit_alloc(&rt->dst, sizeof(*niph) + sizeof(*th));
	if (!nskb) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	skb_dst_set(nskb, &rt->dst);
	nskb->protocol = htons(ETH_P_IP);
	nskb->mark = fl4.flowi4_mark;

	skb_reset_network_header(nskb);
	niph = skb_put_zero(nskb, sizeof(*niph));
	niph->version = 4;
	niph->ihl = sizeof(*niph) / 4;
	niph->tot_len = htons(sizeof(*niph) + sizeof(*th));
	niph->frag_off = htons(IP_DF);
	niph->ttl = ip4_dst_hoplimit(&rt->dst);
	niph->protocol = IPPROTO_TCP;
	niph->saddr = saddr;
	niph->daddr = daddr;
	ip_send_check(niph);

	th = tcplimit_put_tcp(nskb, &rst);
	th->check = tcp_v4_check(sizeof(*th), saddr, daddr, csum_partial(th, sizeof(*th), 0));

	return tcplimit_send(net, nskb, skb, false, onward);
}

static int tcplimit_reset6(struct net *net, struct sk_buff *skb, unsigned int thoff,
			   const struct nf_hook_state *state, bool onward)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct in6_addr saddr = onward ? ip6h->saddr : ip6h->daddr;	/* the RST's */
	struct in6_addr daddr = onward ? ip6h->daddr : ip6h->saddr;
	struct tcplimit_rst rst;
	struct ipv6hdr *nip6h;
	struct dst_entry *dst;
	struct sk_buff *nskb;
	struct tcphdr *th;
	struct flowi6 fl6;
	int err;

	/* Also excludes the unspecified and v4-mapped addresses. */
	if (!(ipv6_addr_type(&saddr) & IPV6_ADDR_UNICAST) ||
	    !(ipv6_addr_type(&daddr) & IPV6_ADDR_UNICAST))
		return -EINVAL;
	/* Behind extension headers: a fragment does not hold the segment. */
	if (ip6h->nexthdr != IPPROTO_TCP) {
		unsigned int off = 0;
		int flags = 0;

		if (ipv6_find_hdr(skb, &off, IPPROTO_TCP, NULL, &flags) != IPPROTO_TCP ||
		    (flags & IP6_FH_F_FRAG) || off != thoff)
			return -EINVAL;
	}
	err = tcplimit_rst_of(skb, thoff, state, onward, &rst);
	if (err)
		return err;

	memset(&fl6, 0, sizeof(fl6));
	/* A link-local peer is reachable only through its own link. */
	if (rt6_need_strict(&daddr) && onward)
		fl6.flowi6_oif = state->out ? state->out->ifindex : 0;
	else if (rt6_need_strict(&daddr))
		fl6.flowi6_oif = state->in ? state->in->ifindex : 0;
	else
		fl6.flowi6_oif = tcplimit_l3mdev(state);
	fl6.flowi6_mark = IP6_REPLY_MARK(net, skb->mark);
	fl6.flowi6_proto = IPPROTO_TCP;
	fl6.flowi6_uid = sock_net_uid(net, NULL);
	fl6.saddr = saddr;
	fl6.daddr = daddr;
	fl6.fl6_sport = rst.sport;
	fl6.fl6_dport = rst.dport;
	security_skb_classify_flow(skb, flowi6_to_flowi_common(&fl6));
	dst = ip6_route_output(net, NULL, &fl6);
	err = dst->error;
	if (err) {
		dst_release(dst);
		return err;
	}
	dst = xfrm_lookup(net, dst, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	nskb = tcplimit_alloc(dst, sizeof(*nip6h) + sizeof(*th));
	if (!nskb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_dst_set(nskb, dst);
	nskb->protocol = htons(ETH_P_IPV6);
	nskb->mark = fl6.flowi6_mark;

	skb_reset_network_header(nskb);
	nip6h = skb_put(nskb, sizeof(*nip6h));
	ip6_flow_hdr(nip6h, 0, 0);
	nip6h->payload_len = htons(sizeof(*th));
	nip6h->nexthdr = IPPROTO_TCP;
	nip6h->hop_limit = ip6_dst_hoplimit(dst);
	nip6h->saddr = saddr;
	nip6h->daddr = daddr;

	th = tcplimit_put_tcp(nskb, &rst);
	th->check = tcp_v6_check(sizeof(*th), &saddr, &daddr, csum_partial(th, sizeof(*th), 0));

	return tcplimit_send(net, nskb, skb, true, onward);
}

static int tcplimit_reset(struct net *net, struct sk_buff *skb, unsigned int thoff,
			  const struct nf_hook_state *state, bool onward)
{
	int err = tcplimit_may_answer(skb);

	if (err)
		return err;
	switch (state->pf) {
	case NFPROTO_IPV4:
		return tcplimit_reset4(net, skb, thoff, state, onward);
	case NFPROTO_IPV6:
		return tcplimit_reset6(net, skb, thoff, state, onward);
	}
	return -EAFNOSUPPORT;
}

int tcplimit_send_reset(struct net *net, struct sk_buff *skb, unsigned int thoff,
			const struct nf_hook_state *state)
{
	return tcplimit_reset(net, skb, thoff, state, false);
}

int tcplimit_send_reset_onward(struct net *net, struct sk_buff *skb, unsigned int thoff,
			       const struct nf_hook_state *state)
{
	return tcplimit_reset(net, skb, thoff, state, true);
}
