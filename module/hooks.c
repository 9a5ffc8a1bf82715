// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: netfilter hooks (host mode). LOCAL_IN sees the clients' SYNs,
 * FINs and RSTs; LOCAL_OUT sees the local side's FINs and RSTs.
 *
 * Every other TCP packet costs one flags test: only SYN, FIN and RST change
 * what is counted, so nothing else needs a lookup.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include "tcplimit.h"

/* The TCP header of @skb at @thoff if it carries SYN, FIN or RST. */
static const struct tcphdr *tcplimit_interesting(const struct sk_buff *skb, unsigned int thoff,
						 struct tcphdr *buf)
{
	const struct tcphdr *th = skb_header_pointer(skb, thoff, sizeof(*buf), buf);

	if (!th || !(tcp_flag_word(th) & (TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST)))
		return NULL;
	return th;
}

/*
 * @key is the connection as the client opened it: saddr/sport the client,
 * daddr/dport the local service. @inbound: the packet came from the client.
 */
static unsigned int tcplimit_verdict(struct net *net, const struct tcphdr *th,
				     const struct tcplimit_flow_key *key, bool inbound)
{
	struct tcplimit_net *tn = tcplimit_pernet(net);

	if (th->rst) {
		tcplimit_flow_end(tn, key, true, inbound);
		return NF_ACCEPT;
	}
	if (th->syn) {
		if (inbound && !th->ack && !th->fin)
			return tcplimit_flow_open(tn, key);
		return NF_ACCEPT;
	}
	tcplimit_flow_end(tn, key, false, inbound);
	return NF_ACCEPT;
}

static unsigned int tcplimit_hook4(struct sk_buff *skb, const struct nf_hook_state *state,
				   bool inbound)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct tcplimit_flow_key key;
	const struct tcphdr *th;
	struct tcphdr buf;

	/* Later fragments carry no TCP header (LOCAL_IN sees reassembled ones). */
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	th = tcplimit_interesting(skb, ip_hdrlen(skb), &buf);
	if (!th)
		return NF_ACCEPT;

	memset(&key, 0, sizeof(key));
	key.family = NFPROTO_IPV4;
	if (inbound) {
		key.saddr.ip = iph->saddr;
		key.daddr.ip = iph->daddr;
		key.sport = th->source;
		key.dport = th->dest;
	} else {
		key.saddr.ip = iph->daddr;
		key.daddr.ip = iph->saddr;
		key.sport = th->dest;
		key.dport = th->source;
	}
	return tcplimit_verdict(state->net, th, &key, inbound);
}

static unsigned int tcplimit_hook6(struct sk_buff *skb, const struct nf_hook_state *state,
				   bool inbound)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int thoff = sizeof(*ip6h);
	struct tcplimit_flow_key key;
	const struct tcphdr *th;
	struct tcphdr buf;

	if (ip6h->nexthdr != IPPROTO_TCP) {
		unsigned short fragoff = 0;
		int off = 0;

		/* Extension headers: find TCP; later fragments have no header. */
		if (ipv6_find_hdr(skb, &off, IPPROTO_TCP, &fragoff, NULL) != IPPROTO_TCP ||
		    fragoff)
			return NF_ACCEPT;
		thoff = off;
	}
	th = tcplimit_interesting(skb, thoff, &buf);
	if (!th)
		return NF_ACCEPT;

	memset(&key, 0, sizeof(key));
	key.family = NFPROTO_IPV6;
	if (inbound) {
		key.saddr.in6 = ip6h->saddr;
		key.daddr.in6 = ip6h->daddr;
		key.sport = th->source;
		key.dport = th->dest;
	} else {
		key.saddr.in6 = ip6h->daddr;
		key.daddr.in6 = ip6h->saddr;
		key.sport = th->dest;
		key.dport = th->source;
	}
	return tcplimit_verdict(state->net, th, &key, inbound);
}

static unsigned int tcplimit_in4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return tcplimit_hook4(skb, state, true);
}

static unsigned int tcplimit_out4(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return tcplimit_hook4(skb, state, false);
}

static unsigned int tcplimit_in6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	return tcplimit_hook6(skb, state, true);
}

static unsigned int tcplimit_out6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return tcplimit_hook6(skb, state, false);
}

/* After the filter table: a SYN the firewall drops is never counted. */
static const struct nf_hook_ops tcplimit_nf_ops[] = {
	{
		.hook		= tcplimit_in4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER + 1,
	},
	{
		.hook		= tcplimit_out4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP_PRI_FILTER + 1,
	},
	{
		.hook		= tcplimit_in6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FILTER + 1,
	},
	{
		.hook		= tcplimit_out6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_OUT,
		.priority	= NF_IP6_PRI_FILTER + 1,
	},
};

int tcplimit_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, tcplimit_nf_ops, ARRAY_SIZE(tcplimit_nf_ops));
}

void tcplimit_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, tcplimit_nf_ops, ARRAY_SIZE(tcplimit_nf_ops));
}
