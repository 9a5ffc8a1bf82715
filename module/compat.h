/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, chosen by compat.mk probing the headers of the
 * kernel being built for. Nothing else in the module tests kernel versions.
 */
#ifndef _TCPLIMIT_COMPAT_H
#define _TCPLIMIT_COMPAT_H

#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/tcp.h>
#include <net/genetlink.h>

/* Established (or TIME_WAIT, or request) socket for a 4-tuple; caller puts it. */
static inline struct sock *
tcplimit_lookup4(struct net *net, __be32 saddr, __be16 sport, __be32 daddr, __be16 dport,
		 int dif, int sdif)
{
#ifdef TCPLIMIT_LOOKUP_HAS_HASHINFO
	return __inet_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
					 saddr, sport, daddr, ntohs(dport), dif, sdif);
#else
	return __inet_lookup_established(net, saddr, sport, daddr, ntohs(dport), dif, sdif);
#endif
}

static inline struct sock *
tcplimit_lookup6(struct net *net, const struct in6_addr *saddr, __be16 sport,
		 const struct in6_addr *daddr, __be16 dport, int dif, int sdif)
{
#ifdef TCPLIMIT_LOOKUP_HAS_HASHINFO
	return __inet6_lookup_established(net, net->ipv4.tcp_death_row.hashinfo,
					  saddr, sport, daddr, ntohs(dport), dif, sdif);
#else
	return __inet6_lookup_established(net, saddr, sport, daddr, ntohs(dport), dif, sdif);
#endif
}

/*
 * The MSS a valid SYN cookie in the ACK @th encodes, 0 if it is not one
 * (CONFIG_SYN_COOKIES).
 */
static inline int tcplimit_cookie_check4(const struct iphdr *iph, const struct tcphdr *th)
{
#ifdef TCPLIMIT_COOKIE_CHECK_HAS_COOKIE
	return __cookie_v4_check(iph, th, ntohl(th->ack_seq) - 1);
#else
	return __cookie_v4_check(iph, th);
#endif
}

static inline int tcplimit_cookie_check6(const struct ipv6hdr *iph, const struct tcphdr *th)
{
#ifdef TCPLIMIT_COOKIE_CHECK_HAS_COOKIE
	return __cookie_v6_check(iph, th, ntohl(th->ack_seq) - 1);
#else
	return __cookie_v6_check(iph, th);
#endif
}

/* The attributes of a dump request, parsed by the core's policy; until .done. */
static inline struct nlattr **tcplimit_dump_attrs(struct netlink_callback *cb)
{
#ifdef TCPLIMIT_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

#endif /* _TCPLIMIT_COMPAT_H */
