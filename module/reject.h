/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: answer a refused SYN with a TCP reset, so the client fails at
 * once instead of retrying into a drop. Built from core kernel helpers only:
 * nf_reject_ipv4/ipv6 would make the module depend on other modules.
 */
#ifndef _TCPLIMIT_REJECT_H
#define _TCPLIMIT_REJECT_H

struct net;
struct sk_buff;
struct nf_hook_state;

/*
 * Answer the TCP segment @skb (normally a SYN; seen by a netfilter hook at
 * NF_INET_LOCAL_IN or NF_INET_FORWARD, IPv4 or IPv6 by @state->pf), whose TCP
 * header is @thoff bytes from skb->data (ip_hdrlen(), or what ipv6_find_hdr()
 * found), with the RST a closed port gets: from the address and port it was
 * sent to; seq 0 and ACK of all it held (SYN's seq + 1 + payload length), or,
 * if it carried an ACK, seq = that ACK and no ACK; default TTL or hop limit;
 * complete checksums. The reply is routed to the client like a local reply
 * (in the VRF of the input interface; through the input interface itself for
 * an IPv6 link-local client) and carries @skb's conntrack entry, so NAT is
 * undone on it.
 *
 * Not answered: RSTs, fragments, bad TCP checksums, broadcast, multicast or
 * unspecified addresses, frames not addressed to this host, and bridged
 * traffic (br_netfilter), which the IP stack cannot route back.
 *
 * Call from the hook (rcu_read_lock held, softirq): allocates GFP_ATOMIC,
 * never sleeps. @skb is neither freed nor changed, except its checksum state
 * (as verifying it does); the caller still returns its verdict (NF_DROP).
 *
 * Returns 0 when the RST was handed to ip_local_out()/ip6_local_out(), or a
 * negative errno: -EINVAL not to be answered, -EBADMSG malformed or bad
 * checksum, -EOPNOTSUPP bridged, -EAFNOSUPPORT another family, -ENOMEM, or
 * the error of the route lookup or of sending (-EPERM: LOCAL_OUT dropped it).
 */
int tcplimit_send_reset(struct net *net, struct sk_buff *skb, unsigned int thoff,
			const struct nf_hook_state *state);

/*
 * The same, but the RST goes where @skb was going (FORWARD), from its
 * sender's address and port, seq = @skb's seq: the receiver takes it as the
 * sender's, and drops its end of the connection.
 */
int tcplimit_send_reset_onward(struct net *net, struct sk_buff *skb, unsigned int thoff,
			       const struct nf_hook_state *state);

#endif /* _TCPLIMIT_REJECT_H */
