// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: netfilter hooks. Host mode: LOCAL_IN sees the clients' SYNs;
 * the socket table says when a connection ends (flow.c), so every other
 * packet costs one flags test (and, while a flood keeps the tables full,
 * a client's ACK may be where its connection is counted: proof.c).
 * Gateway mode: FORWARD sees both directions;
 * with no socket to ask, it follows FINs and RSTs and looks up each packet
 * to note the client's activity (as conntrack does).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include "hooks.h"
#include "flow.h"
#include "limiter.h"
#include "proof.h"
#include "reject.h"

#define TCPLIMIT_TH_EVENTS	(TCP_FLAG_SYN | TCP_FLAG_FIN | TCP_FLAG_RST)

/*
 * Would TCP accept this segment at all? A SYN, FIN or RST with a bad data
 * offset or checksum is dropped by TCP, so it must not change a count
 * either (else a client could free its own count with an RST that TCP
 * ignores). Only these few segments per connection pay for the check; a
 * NIC-verified checksum costs nothing.
 */
static bool tcplimit_segment_sane(struct sk_buff *skb, const struct nf_hook_state *state,
				  unsigned int thoff, const struct tcphdr *th)
{
	return th->doff >= sizeof(*th) / 4 && thoff + th->doff * 4 <= skb->len &&
	       !nf_checksum(skb, state->hook, thoff, IPPROTO_TCP, state->pf);
}

/* The devices TCP's socket lookup would use for @skb (LOCAL_IN; 0 else). */
static int tcplimit_iif(const struct sk_buff *skb, const struct nf_hook_state *state)
{
	if (state->hook != NF_INET_LOCAL_IN)
		return 0;
	return state->pf == NFPROTO_IPV4 ? inet_iif(skb) : inet6_iif(skb);
}

static int tcplimit_sdif(const struct sk_buff *skb, const struct nf_hook_state *state)
{
	if (state->hook != NF_INET_LOCAL_IN)
		return 0;
	return state->pf == NFPROTO_IPV4 ? inet_sdif(skb) : inet6_sdif(skb);
}

/* A SYN that opens a connection: no ACK, RST or FIN (TCP drops those). */
static bool tcplimit_is_open(const struct tcphdr *th)
{
	return (tcp_flag_word(th) & (TCPLIMIT_TH_EVENTS | TCP_FLAG_ACK)) == TCP_FLAG_SYN;
}

/* An ACK that may complete a handshake: no SYN, no RST. */
static bool tcplimit_may_complete(const struct tcphdr *th)
{
	return (tcp_flag_word(th) & (TCP_FLAG_SYN | TCP_FLAG_RST | TCP_FLAG_ACK)) == TCP_FLAG_ACK;
}

/*
 * Counting at the proof (proof.c): @syn is an ACK that completes a
 * handshake not tracked; count it. One over a limit has its ACK dropped
 * and is reset: its connect() has returned.
 */
static unsigned int tcplimit_proof_verdict(struct tcplimit_net *tn, struct sk_buff *skb,
					   const struct nf_hook_state *state, unsigned int thoff,
					   struct tcplimit_syn *syn)
{
	unsigned int verdict;
	u32 refused;

	syn->proof = true;
	verdict = tcplimit_flow_open(tn, syn, &refused);
	if (verdict == NF_DROP && !tcplimit_send_reset(state->net, skb, thoff, state))
		tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_REJECTED);
	return verdict;
}

/*
 * Host mode, counting at the proof (on): the client's ACK @th of a
 * connection not tracked, if it completes a handshake TCP will take. The
 * first fragment of one (@frag) is refused: its checksum cannot be
 * checked here, nor TCP's verdict on the whole segment awaited.
 */
static unsigned int tcplimit_ack_verdict(struct tcplimit_net *tn, struct sk_buff *skb,
					 const struct nf_hook_state *state, unsigned int thoff,
					 const struct tcphdr *th, struct tcplimit_syn *syn,
					 bool frag)
{
	if (!tcplimit_cfg_tracks(rcu_dereference(tn->cfg), syn->key->dport) ||
	    tcplimit_flow_tracked(tn, syn->key))
		return NF_ACCEPT;
	if (frag)
		return tcplimit_proof_ack(state->net, skb, syn->key, th, syn->dif, syn->sdif) &&
		       !rcu_dereference(tn->cfg)->dry_run ? NF_DROP : NF_ACCEPT;
	if (!tcplimit_segment_sane(skb, state, thoff, th) ||
	    !tcplimit_proof_ack(state->net, skb, syn->key, th, syn->dif, syn->sdif))
		return NF_ACCEPT;
	return tcplimit_proof_verdict(tn, skb, state, thoff, syn);
}

/*
 * Gateway mode: conntrack's verdict on @skb (NONE when conntrack is not
 * running or found the packet invalid) and whether it goes from the
 * server to the client (@reply). Only inline helpers and struct fields:
 * tcplimit needs no conntrack module, it reads what one left on the skb.
 */
static enum tcplimit_ct tcplimit_ct_verdict(const struct sk_buff *skb, bool *reply)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (!ct || nf_ct_is_template(ct) || nf_ct_protonum(ct) != IPPROTO_TCP)
		return TCPLIMIT_CT_NONE;
	*reply = CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY;
	switch (READ_ONCE(ct->proto.tcp.state)) {
	case TCP_CONNTRACK_ESTABLISHED:
	case TCP_CONNTRACK_FIN_WAIT:
	case TCP_CONNTRACK_CLOSE_WAIT:
	case TCP_CONNTRACK_LAST_ACK:
		return TCPLIMIT_CT_OPEN;
	case TCP_CONNTRACK_TIME_WAIT:
	case TCP_CONNTRACK_CLOSE:
		return TCPLIMIT_CT_CLOSED;
	default:
		return TCPLIMIT_CT_HANDSHAKE;
	}
#else
	return TCPLIMIT_CT_NONE;
#endif
}

/*
 * Gateway mode: did conntrack follow @skb's connection from its SYN, and
 * see the server answer? Then its ESTABLISHED state proves the client's
 * ACK matched the SYN-ACK. A connection it picked up in the middle
 * (nf_conntrack_tcp_loose: one ACK makes it ESTABLISHED) proves nothing.
 */
static bool tcplimit_ct_handshake_seen(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	return ct && test_bit(IPS_SEEN_REPLY_BIT, &ct->status) &&
	       !(READ_ONCE(ct->proto.tcp.seen[0].flags) & IP_CT_TCP_FLAG_BE_LIBERAL);
#else
	return false;
#endif
}

/*
 * @key is the connection as the sender of @skb would have opened it; @frag:
 * @skb is the first fragment of an ACK (host mode, counting at the proof).
 */
static unsigned int tcplimit_verdict(struct sk_buff *skb, const struct nf_hook_state *state,
				     unsigned int thoff, const struct tcphdr *th,
				     struct tcplimit_flow_key *key, bool frag)
{
	struct tcplimit_net *tn = tcplimit_pernet(state->net);
	bool gateway = state->hook == NF_INET_FORWARD;
	unsigned int payload = skb->len - thoff - min(th->doff * 4U, skb->len - thoff);
	enum tcplimit_packet pkt;
	bool reply = false;
	struct tcplimit_syn syn;
	unsigned int verdict;
	enum tcplimit_ct ct;
	u32 refused;

	/* Host mode: a client disowns a handshake (ban-after needs to know). */
	if (!gateway && tcplimit_bare_rst(th)) {
		if (rcu_dereference(tn->cfg)->ban_after)
			tcplimit_flow_reset(tn, key, th);
		return NF_ACCEPT;
	}
	/* Host mode: an ACK, while another namespace counts at the proof. */
	if (!gateway && !tcplimit_is_open(th) && !READ_ONCE(tn->proof))
		return NF_ACCEPT;
	if ((tcp_flag_word(th) & TCPLIMIT_TH_EVENTS) && !frag &&
	    !tcplimit_segment_sane(skb, state, thoff, th))
		return NF_ACCEPT;
	ct = gateway ? tcplimit_ct_verdict(skb, &reply) : TCPLIMIT_CT_NONE;
	syn.key = key;
	syn.dif = tcplimit_iif(skb, state);
	syn.sdif = tcplimit_sdif(skb, state);
	syn.conntracked = ct != TCPLIMIT_CT_NONE;
	syn.gateway = gateway;
	syn.deferrable = false;
	syn.proof = false;
	if (!gateway && !tcplimit_is_open(th))
		return tcplimit_ack_verdict(tn, skb, state, thoff, th, &syn, frag);
	if (tcplimit_is_open(th)) {
		/* Gateway mode proves a handshake by conntrack only. */
		syn.deferrable = (!gateway || syn.conntracked) && READ_ONCE(tn->proof);
		verdict = tcplimit_flow_open(tn, &syn, &refused);
		if (verdict == NF_DROP &&
		    (rcu_dereference(tn->cfg)->reject & refused) &&
		    !tcplimit_send_reset(state->net, skb, thoff, state))
			tcplimit_stat_inc(tn->stats, TCPLIMIT_STAT_REJECTED);
		return verdict;
	}
	/* Gateway mode from here: any packet of either direction. */
	if (ct != TCPLIMIT_CT_NONE) {
		/* conntrack knows the direction: one lookup. */
		if (reply) {
			swap(key->saddr, key->daddr);
			swap(key->sport, key->dport);
		}
		pkt = tcplimit_flow_packet(tn, key, th, payload, !reply, ct);
		/*
		 * Counting at the proof: conntrack found the client's ACK
		 * completes the handshake (it checks it against the SYN-ACK).
		 */
		if (pkt == TCPLIMIT_PKT_UNTRACKED && !reply && ct == TCPLIMIT_CT_OPEN &&
		    READ_ONCE(tn->proof) && tcplimit_may_complete(th) &&
		    tcplimit_cfg_tracks(rcu_dereference(tn->cfg), key->dport) &&
		    tcplimit_ct_handshake_seen(skb)) {
			if (tcplimit_proof_verdict(tn, skb, state, thoff, &syn) == NF_DROP)
				return NF_DROP;
			pkt = tcplimit_flow_packet(tn, key, th, payload, true, ct);
		}
	} else if (!th->syn) {
		pkt = tcplimit_flow_packet(tn, key, th, payload, true, ct);
		if (pkt == TCPLIMIT_PKT_UNTRACKED && (th->fin || th->rst)) {
			/* A FIN or RST may come from the server's side. */
			swap(key->saddr, key->daddr);
			swap(key->sport, key->dport);
			pkt = tcplimit_flow_packet(tn, key, th, payload, false, ct);
		}
	} else {
		return NF_ACCEPT;	/* the server's SYN-ACK */
	}
	if (pkt == TCPLIMIT_PKT_ABORT) {
		/* A slow connection reset: its client and its server hear of it. */
		tcplimit_send_reset(state->net, skb, thoff, state);
		tcplimit_send_reset_onward(state->net, skb, thoff, state);
		return NF_DROP;
	}
	if (pkt != TCPLIMIT_PKT_REFUSED)
		return NF_ACCEPT;
	/* A handshake completed over a limit: the client hears of it at once. */
	tcplimit_send_reset(state->net, skb, thoff, state);
	return NF_DROP;
}

/*
 * Worth a look: in host mode an opening SYN (the socket table, not a
 * packet, says when a connection ends), a bare RST (rare: a host's answer
 * to a SYN-ACK it never asked for), and an ACK while some namespace counts
 * at the proof; in gateway mode any packet while connections are tracked.
 */
static bool tcplimit_interesting(const struct tcphdr *th, const struct nf_hook_state *state)
{
	if (state->hook == NF_INET_FORWARD)
		return (tcp_flag_word(th) & TCPLIMIT_TH_EVENTS) ||
		       atomic_read(&tcplimit_pernet(state->net)->flows.count);
	return tcplimit_is_open(th) || tcplimit_bare_rst(th) ||
	       (static_branch_unlikely(&tcplimit_proof_key) && tcplimit_may_complete(th));
}

/*
 * The TCP header at @thoff if the packet is worth a look. A first fragment
 * (@frag) that opens a connection, or is too short to say, is refused
 * (*@drop): the rest of its segment passes no hook as a whole (FORWARD
 * never reassembles, LOCAL_IN not IPv6 without conntrack), so it could not
 * be counted, and no TCP stack fragments a SYN. Nor a completing ACK:
 * one counted at the proof is returned, for tcplimit_ack_verdict().
 */
static const struct tcphdr *tcplimit_tcp_header(const struct sk_buff *skb, unsigned int thoff,
						const struct nf_hook_state *state, bool frag,
						struct tcphdr *buf, bool *drop)
{
	const struct tcphdr *th = skb_header_pointer(skb, thoff, sizeof(*buf), buf);

	*drop = frag && (!th || th->syn) &&
		!rcu_dereference(tcplimit_pernet(state->net)->cfg)->dry_run;
	if (frag && th && !th->syn && state->hook != NF_INET_FORWARD)
		return tcplimit_interesting(th, state) ? th : NULL;
	return th && !frag && tcplimit_interesting(th, state) ? th : NULL;
}

static unsigned int tcplimit_hook4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct tcplimit_flow_key key;
	const struct tcphdr *th;
	struct tcphdr buf;
	bool drop, frag;

	/* Later fragments carry no TCP header (LOCAL_IN sees reassembled ones). */
	if (iph->protocol != IPPROTO_TCP || (iph->frag_off & htons(IP_OFFSET)))
		return NF_ACCEPT;
	frag = iph->frag_off & htons(IP_MF);
	th = tcplimit_tcp_header(skb, ip_hdrlen(skb), state, frag, &buf, &drop);
	if (!th)
		return drop ? NF_DROP : NF_ACCEPT;

	memset(&key, 0, sizeof(key));
	key.family = NFPROTO_IPV4;
	key.saddr.ip = iph->saddr;
	key.daddr.ip = iph->daddr;
	key.sport = th->source;
	key.dport = th->dest;
	return tcplimit_verdict(skb, state, ip_hdrlen(skb), th, &key, frag);
}

/*
 * A first IPv6 fragment with more to follow? An atomic fragment (offset 0,
 * M clear) is a whole segment, taken as such (RFC 6946).
 */
static bool tcplimit_ipv6_more_fragments(const struct sk_buff *skb)
{
	struct frag_hdr buf;
	const struct frag_hdr *fh;
	int off = 0;

	if (ipv6_find_hdr(skb, &off, NEXTHDR_FRAGMENT, NULL, NULL) != NEXTHDR_FRAGMENT)
		return true;
	fh = skb_header_pointer(skb, off, sizeof(buf), &buf);
	return !fh || (fh->frag_off & htons(IP6_MF));
}

static unsigned int tcplimit_hook6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int thoff = sizeof(*ip6h);
	struct tcplimit_flow_key key;
	const struct tcphdr *th;
	struct tcphdr buf;
	int flags = 0;
	bool drop, frag;

	if (ip6h->nexthdr != IPPROTO_TCP) {
		unsigned short fragoff = 0;
		int off = 0;

		/* Extension headers: find TCP; later fragments have no header. */
		if (ipv6_find_hdr(skb, &off, IPPROTO_TCP, &fragoff, &flags) != IPPROTO_TCP ||
		    fragoff)
			return NF_ACCEPT;
		thoff = off;
	}
	frag = (flags & IP6_FH_F_FRAG) && tcplimit_ipv6_more_fragments(skb);
	th = tcplimit_tcp_header(skb, thoff, state, frag, &buf, &drop);
	if (!th)
		return drop ? NF_DROP : NF_ACCEPT;

	memset(&key, 0, sizeof(key));
	key.family = NFPROTO_IPV6;
	key.saddr.in6 = ip6h->saddr;
	key.daddr.in6 = ip6h->daddr;
	key.sport = th->source;
	key.dport = th->dest;
	return tcplimit_verdict(skb, state, thoff, th, &key, frag);
}

/* After the filter table: a SYN the firewall drops is never counted. */
#define TCPLIMIT_HOOK(fn, family, num, prio) \
	{ .hook = (fn), .pf = (family), .hooknum = (num), .priority = (prio) }

static const struct nf_hook_ops tcplimit_host_ops[] = {
	TCPLIMIT_HOOK(tcplimit_hook4, NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_FILTER + 1),
	TCPLIMIT_HOOK(tcplimit_hook6, NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_FILTER + 1),
};

static const struct nf_hook_ops tcplimit_gateway_ops[] = {
	TCPLIMIT_HOOK(tcplimit_hook4, NFPROTO_IPV4, NF_INET_FORWARD, NF_IP_PRI_FILTER + 1),
	TCPLIMIT_HOOK(tcplimit_hook6, NFPROTO_IPV6, NF_INET_FORWARD, NF_IP6_PRI_FILTER + 1),
};

int tcplimit_hooks_register(struct net *net, u8 mode)
{
	if (mode == TCPLIMIT_MODE_GATEWAY)
		return nf_register_net_hooks(net, tcplimit_gateway_ops,
					     ARRAY_SIZE(tcplimit_gateway_ops));
	return nf_register_net_hooks(net, tcplimit_host_ops, ARRAY_SIZE(tcplimit_host_ops));
}

void tcplimit_hooks_unregister(struct net *net, u8 mode)
{
	if (mode == TCPLIMIT_MODE_GATEWAY)
		nf_unregister_net_hooks(net, tcplimit_gateway_ops,
					ARRAY_SIZE(tcplimit_gateway_ops));
	else
		nf_unregister_net_hooks(net, tcplimit_host_ops, ARRAY_SIZE(tcplimit_host_ops));
}
