// SPDX-License-Identifier: GPL-2.0
/*
 * rawtcp: hand-made TCP segments for the selftests (root: raw sockets).
 *
 *   rawtcp syn SRC[/PREFIXLEN] DST DPORT COUNT [PPS]
 *	Send COUNT SYNs to DST:DPORT from SRC, each from a random source port
 *	(no port repeats within a run while unused ones are left) with a
 *	random sequence number; with /PREFIXLEN each from a random address
 *	inside SRC/PREFIXLEN. At most PPS packets per second if given.
 *
 *   rawtcp syn-fixed SRC SPORT DST DPORT COUNT INTERVAL_MS [SEQ]
 *	Send COUNT identical SYNs (same 4-tuple, same sequence number: a
 *	retransmitted SYN), INTERVAL_MS apart. The sequence number is SEQ,
 *	else random; give the same SEQ to continue a retransmission later.
 *
 *   rawtcp rst SRC SPORT DST DPORT SEQ
 *	Send one RST (no ACK) with that 4-tuple and sequence number.
 *
 * SRC need not be an address of this host. IPv4 and IPv6 (SRC and DST of
 * one family), sent through a raw socket with IP_HDRINCL / IPV6_HDRINCL;
 * the IP (IPv4) and TCP checksums are computed here. One line on stdout
 * says what was sent. Exit status: 0 sent, 1 system error, 2 usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "pkt.h"

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL	36
#endif

#define PORT_LO		32768	/* the default ephemeral range */
#define PORT_HI		60999
#define TCP_WINDOW	64240
#define SYN_MSS		1460

struct addr {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

static void usage(void)
{
	fprintf(stderr,
		"usage: rawtcp syn SRC[/PREFIXLEN] DST DPORT COUNT [PPS]\n"
		"       rawtcp syn-fixed SRC SPORT DST DPORT COUNT INTERVAL_MS [SEQ]\n"
		"       rawtcp rst SRC SPORT DST DPORT SEQ\n");
	exit(2);
}

static void parse_addr(const char *s, struct addr *a)
{
	if (inet_pton(AF_INET, s, &a->v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->v6) == 1)
		a->family = AF_INET6;
	else
		usage();
}

static const char *addr_str(const struct addr *a)
{
	static char buf[2][INET6_ADDRSTRLEN];
	static int n;

	n ^= 1;
	return inet_ntop(a->family, a->b, buf[n], sizeof(buf[n]));
}

/* xorshift64*, seeded from getrandom(): fast enough for a flood. */
static uint64_t rng_state;

static void rng_seed(void)
{
	if (getrandom(&rng_state, sizeof(rng_state), 0) != sizeof(rng_state))
		rng_state = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	rng_state |= 1;
}

static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545F4914F6CDD1DULL) >> 32;
}

/* A random address inside base/plen (host part random, base's kept). */
static void random_in_prefix(const struct addr *base, int plen, struct addr *out)
{
	int bits = base->family == AF_INET ? 32 : 128, i;

	*out = *base;
	for (i = plen; i < bits; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if (rng() & 1)
			out->b[i / 8] |= bit;
		else
			out->b[i / 8] &= ~bit;
	}
}

/* Source ports not used yet in this run; all again once exhausted. */
static uint8_t port_used[(PORT_HI + 1) / 8 + 1];
static int ports_left;

static uint16_t random_port(void)
{
	uint16_t p;

	if (ports_left == 0) {
		memset(port_used, 0, sizeof(port_used));
		ports_left = PORT_HI - PORT_LO + 1;
	}
	do
		p = PORT_LO + rng() % (PORT_HI - PORT_LO + 1);
	while (port_used[p / 8] & (1 << (p % 8)));
	port_used[p / 8] |= 1 << (p % 8);
	ports_left--;
	return p;
}

struct seg {
	struct addr src, dst;
	uint16_t sport, dport;
	uint32_t seq;
	int syn;		/* 1: SYN with an MSS option, 0: RST */
};

/* Build the IP header and the TCP segment into buf; return its length. */
static size_t build(const struct seg *s, uint8_t *buf)
{
	size_t iplen = s->src.family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ip6_hdr);
	size_t tcplen = sizeof(struct tcphdr) + (s->syn ? 4 : 0);
	struct tcphdr *th = (struct tcphdr *)(buf + iplen);
	uint8_t *opt = (uint8_t *)(th + 1);
	uint32_t sum;

	memset(buf, 0, iplen + tcplen);
	th->source = htons(s->sport);
	th->dest = htons(s->dport);
	th->seq = htonl(s->seq);
	th->doff = tcplen / 4;
	if (s->syn) {
		th->syn = 1;
		th->window = htons(TCP_WINDOW);
		opt[0] = TCPOPT_MAXSEG;
		opt[1] = TCPOLEN_MAXSEG;
		opt[2] = SYN_MSS >> 8;
		opt[3] = SYN_MSS & 0xff;
	} else {
		th->rst = 1;
	}

	/* Pseudo-header: addresses, protocol, TCP length (RFC 793, RFC 8200 8.1). */
	sum = sum16(s->src.b, s->src.family == AF_INET ? 4 : 16, 0);
	sum = sum16(s->dst.b, s->dst.family == AF_INET ? 4 : 16, sum);
	sum += IPPROTO_TCP + tcplen;
	th->check = htons(csum_fold(sum16(th, tcplen, sum)));

	if (s->src.family == AF_INET) {
		struct iphdr *ip = (struct iphdr *)buf;

		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(iplen + tcplen);
		ip->id = htons(rng() & 0xffff);
		ip->frag_off = htons(IP_DF);
		ip->ttl = 64;
		ip->protocol = IPPROTO_TCP;
		ip->saddr = s->src.v4.s_addr;
		ip->daddr = s->dst.v4.s_addr;
		ip->check = htons(csum_fold(sum16(ip, sizeof(*ip), 0)));
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)buf;

		ip6->ip6_flow = htonl(6 << 28);
		ip6->ip6_plen = htons(tcplen);
		ip6->ip6_nxt = IPPROTO_TCP;
		ip6->ip6_hlim = 64;
		ip6->ip6_src = s->src.v6;
		ip6->ip6_dst = s->dst.v6;
	}
	return iplen + tcplen;
}

static int raw_socket(int family)
{
	int one = 1, fd;

	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		die("socket(SOCK_RAW)");
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
			die("IP_HDRINCL");
	} else {
		/* IPPROTO_RAW implies it; older kernels lack the option. */
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_HDRINCL, &one, sizeof(one)) &&
		    errno != ENOPROTOOPT)
			die("IPV6_HDRINCL");
	}
	return fd;
}

static void send_seg(int fd, const struct seg *s)
{
	uint8_t buf[128];
	size_t len = build(s, buf);
	struct sockaddr_storage ss = { 0 };
	socklen_t sslen;

	if (s->dst.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = s->dst.v4;
		sslen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = s->dst.v6;
		sslen = sizeof(*sin6);
	}
	for (;;) {
		if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sslen) == (ssize_t)len)
			return;
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			usleep(1000);	/* the qdisc or the neighbour queue is full */
			continue;
		}
		die("sendto");
	}
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleep until START + N * STEP_NS: packet N's send time. */
static void pace(long long start, long long n, long long step_ns)
{
	long long due = start + n * step_ns, left = due - now_ns();
	struct timespec ts;

	if (step_ns <= 0 || left <= 0)
		return;
	ts.tv_sec = left / 1000000000LL;
	ts.tv_nsec = left % 1000000000LL;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void same_family(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family) {
		fprintf(stderr, "rawtcp: %s and %s are not of one family\n",
			addr_str(a), addr_str(b));
		exit(2);
	}
}

static int cmd_syn(int argc, char **argv)
{
	char src[INET6_ADDRSTRLEN + 5], *slash;
	struct addr base;
	struct seg s = { .syn = 1 };
	long long count, pps, i, start, step = 0;
	int plen = -1, bits, fd;

	if (argc != 4 && argc != 5)
		usage();
	if (strlen(argv[0]) >= sizeof(src))
		usage();
	strcpy(src, argv[0]);
	slash = strchr(src, '/');
	if (slash)
		*slash = '\0';
	parse_addr(src, &base);
	bits = base.family == AF_INET ? 32 : 128;
	if (slash)
		plen = number(slash + 1, 0, bits);
	parse_addr(argv[1], &s.dst);
	same_family(&base, &s.dst);
	s.dport = number(argv[2], 1, 65535);
	count = number(argv[3], 1, 100000000);
	pps = argc == 5 ? (long long)number(argv[4], 1, 10000000) : 0;
	if (pps)
		step = 1000000000LL / pps;

	fd = raw_socket(base.family);
	start = now_ns();
	for (i = 0; i < count; i++) {
		pace(start, i, step);
		if (plen >= 0)
			random_in_prefix(&base, plen, &s.src);
		else
			s.src = base;
		s.sport = random_port();
		s.seq = rng();
		send_seg(fd, &s);
	}
	close(fd);
	if (plen >= 0)
		snprintf(src, sizeof(src), "/%d", plen);
	else
		src[0] = '\0';
	printf("sent %lld syn from %s%s (random ports) to %s port %u in %lld ms\n",
	       count, addr_str(&base), src, addr_str(&s.dst), s.dport,
	       (now_ns() - start) / 1000000);
	return 0;
}

static int cmd_syn_fixed(int argc, char **argv)
{
	struct seg s = { .syn = 1 };
	long long count, interval_ms, i;
	int fd;

	if (argc != 6 && argc != 7)
		usage();
	parse_addr(argv[0], &s.src);
	s.sport = number(argv[1], 1, 65535);
	parse_addr(argv[2], &s.dst);
	same_family(&s.src, &s.dst);
	s.dport = number(argv[3], 1, 65535);
	count = number(argv[4], 1, 1000000);
	interval_ms = number(argv[5], 0, 3600000);
	s.seq = argc == 7 ? number(argv[6], 0, UINT32_MAX) : rng();

	fd = raw_socket(s.src.family);
	for (i = 0; i < count; i++) {
		if (i)
			usleep(interval_ms * 1000);
		send_seg(fd, &s);
	}
	close(fd);
	printf("sent %lld identical syn %s port %u to %s port %u seq %u\n", count,
	       addr_str(&s.src), s.sport, addr_str(&s.dst), s.dport, s.seq);
	return 0;
}

static int cmd_rst(int argc, char **argv)
{
	struct seg s = { .syn = 0 };
	int fd;

	if (argc != 5)
		usage();
	parse_addr(argv[0], &s.src);
	s.sport = number(argv[1], 1, 65535);
	parse_addr(argv[2], &s.dst);
	same_family(&s.src, &s.dst);
	s.dport = number(argv[3], 1, 65535);
	s.seq = number(argv[4], 0, UINT32_MAX);

	fd = raw_socket(s.src.family);
	send_seg(fd, &s);
	close(fd);
	printf("sent rst %s port %u to %s port %u seq %u\n",
	       addr_str(&s.src), s.sport, addr_str(&s.dst), s.dport, s.seq);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	rng_seed();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "syn"))
		return cmd_syn(argc - 2, argv + 2);
	if (!strcmp(argv[1], "syn-fixed"))
		return cmd_syn_fixed(argc - 2, argv + 2);
	if (!strcmp(argv[1], "rst"))
		return cmd_rst(argc - 2, argv + 2);
	usage();
	return 2;
}
