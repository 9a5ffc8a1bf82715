// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: malformed TCP/IP at tcplimit's hooks (root: raw sockets).
 *
 *   pktfuzz [OPTIONS] link IFNAME PEER_MAC SRC4 DST4 SRC6 DST6 PORT
 *	Whole ethernet frames through an AF_PACKET socket on IFNAME to
 *	PEER_MAC (the other end of a veth): nothing of what is sent is
 *	normalised on the way out; the receiving stack sees it as it is.
 *
 *   pktfuzz [OPTIONS] local SRC4 DST4 SRC6 DST6 PORT
 *	IP packets through raw sockets (IP_HDRINCL, IPv6 IPPROTO_RAW) of this
 *	namespace: they pass LOCAL_OUT as built, then LOCAL_IN over lo when
 *	DST is local. The kernel refuses some (IPv4 IHL < 5 or beyond the
 *	packet) and rewrites the IPv4 total length and checksum: "refused"
 *	counts the former.
 *
 *	SRC is ADDR[/PLEN][,ADDR[/PLEN]...]: each packet comes from one entry
 *	taken at random, from a random address inside it when PLEN is given.
 *	"-" as SRC and DST leaves a family out. Packets go to PORT (most of
 *	them: a listening service) or to a random or zero port.
 *	OPTIONS: -s SEED (default random), -n COUNT packets (default 100000,
 *	0: no limit), -d SECONDS stop after that long.
 *	What is sent: valid SYNs with random options; every odd flag
 *	combination; TCP data offsets below 5 and beyond the packet;
 *	truncated TCP headers; zero and extreme ports; bad checksums; bad
 *	IPv4 header length, total length, version; IPv4 options (valid and
 *	not); IPv4 and IPv6 fragments (tiny first fragments cutting the TCP
 *	header, lone middle and last ones, overlapping, complete sets in and
 *	out of order, beyond 64 KiB); IPv6 extension header chains (hop-by-
 *	hop, routing, destination options, fragment, AH, unknown) ending in
 *	TCP, in no-next-header or running until the packet ends; bad IPv6
 *	payload lengths; random mutations of valid SYNs, their lengths and
 *	checksums fixed up or not. Prints what it sent, per kind.
 *
 *   pktfuzz [-s SEED] stride SRC STEP COUNT DST PORT
 *	COUNT valid SYNs to DST:PORT (IPv4, raw socket), one from each of
 *	SRC + i * STEP (i < COUNT), in a random order (the seed's). Prints
 *	each source address on stdout as it is sent, then "# sent ...".
 *
 *   pktfuzz seg SRC SPORT DST DPORT FLAGS SEQ ACK
 *	One TCP segment (raw socket, checksums right), FLAGS a comma list
 *	of fin, syn, rst, psh, ack, urg, ece, cwr (or a number): a blind ACK
 *	completing a spoofed handshake, for one. SRC need not be local.
 *
 *   pktfuzz bad-rst ADDR PORT N [csum|doff]
 *	Open N connections to ADDR:PORT, then send each one's own peer an
 *	RST with exactly the next sequence number the peer expects, but a
 *	bad TCP checksum (csum) or a data offset below 5 (doff): TCP drops
 *	it. Keep the connections open until SIGTERM or SIGINT; prints
 *	"established E rst R" once the RSTs are sent. A reproducer: a limiter
 *	that believes such an RST forgets connections that are still open.
 *
 * Exit status: 0 done, 1 system error, 2 usage error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "pkt.h"

#ifndef TCP_REPAIR_OFF_NO_WP
#define TCP_REPAIR_OFF_NO_WP	-1
#endif

#define PKT_MAX		1400	/* L3 bytes: stays under the veth MTU */
#define MAX_SRC		8
#define MAX_BAD_RST	1024

/* TCP flags (byte 13 of the header). */
#define F_FIN	0x01
#define F_SYN	0x02
#define F_RST	0x04
#define F_PSH	0x08
#define F_ACK	0x10
#define F_URG	0x20
#define F_ECE	0x40
#define F_CWR	0x80

/* IPv6 next-header values. */
#define NH_HOP		0
#define NH_TCP		6
#define NH_ROUTING	43
#define NH_FRAGMENT	44
#define NH_AH		51
#define NH_NONE		59
#define NH_DSTOPTS	60
#define NH_EXPERIMENT	253

static void usage(void)
{
	fprintf(stderr,
		"usage: pktfuzz [-s SEED] [-n COUNT] [-d SECONDS] link IFNAME PEER_MAC SRC4 DST4 SRC6 DST6 PORT\n"
		"       pktfuzz [-s SEED] [-n COUNT] [-d SECONDS] local SRC4 DST4 SRC6 DST6 PORT\n"
		"       pktfuzz [-s SEED] stride SRC STEP COUNT DST PORT\n"
		"       pktfuzz seg SRC SPORT DST DPORT FLAGS SEQ ACK\n"
		"       pktfuzz bad-rst ADDR PORT N [csum|doff]\n"
		"  SRC: ADDR[/PLEN][,ADDR[/PLEN]...], or - (with DST -) to leave a family out\n");
	exit(2);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* --- random numbers: splitmix64, reproducible from the seed --- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31)) >> 32;
}

/* 0 .. n - 1 (n > 0) */
static uint32_t rndn(uint32_t n)
{
	return rnd() % n;
}

/* true with probability pct % */
static int chance(unsigned int pct)
{
	return rndn(100) < pct;
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd();
}

/* --- byte-level packet writing --- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* An L3 packet: IPv4 or IPv6 header first. */
struct pkt {
	int family;
	size_t len;
	uint8_t d[PKT_MAX];
};

struct source {
	uint8_t addr[16];
	int plen;		/* -1: exactly addr */
};

struct target {
	int family;		/* 0: left out */
	struct source src[MAX_SRC];
	int nsrc;
	uint8_t dst[16];
};

static int parse_addr(const char *s, int family, uint8_t *out)
{
	return inet_pton(family, s, out) == 1;
}

static void parse_target(struct target *t, int family, const char *src, const char *dst)
{
	char buf[512], *tok, *save = NULL, *slash;
	int bits = family == AF_INET ? 32 : 128;

	memset(t, 0, sizeof(*t));
	if (!strcmp(src, "-") && !strcmp(dst, "-"))
		return;
	t->family = family;
	if (strlen(src) >= sizeof(buf) || !parse_addr(dst, family, t->dst))
		usage();
	strcpy(buf, src);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct source *s;

		if (t->nsrc == MAX_SRC)
			usage();
		s = &t->src[t->nsrc++];
		s->plen = -1;
		slash = strchr(tok, '/');
		if (slash) {
			*slash = '\0';
			s->plen = number(slash + 1, 0, bits);
		}
		if (!parse_addr(tok, family, s->addr))
			usage();
	}
	if (!t->nsrc)
		usage();
}

static void pick_src(const struct target *t, uint8_t *out)
{
	const struct source *s = &t->src[rndn(t->nsrc)];
	int bits = t->family == AF_INET ? 32 : 128, i;

	memcpy(out, s->addr, bits / 8);
	if (s->plen < 0)
		return;
	for (i = s->plen; i < bits; i++) {
		uint8_t bit = 0x80 >> (i % 8);

		if (rnd() & 1)
			out[i / 8] |= bit;
		else
			out[i / 8] &= ~bit;
	}
}

/* --- the fuzzer's state --- */

enum kind {
	K_SYN, K_FLAGS, K_DOFF, K_TRUNC, K_PORTS, K_BADSUM, K_IP4HDR, K_IP4OPT,
	K_IP4FRAG, K_IP6HDR, K_IP6EXT, K_IP6FRAG, K_MUTATE, K_COUNT
};

static const char *const kind_name[K_COUNT] = {
	"valid-syn", "flags", "data-offset", "truncated-tcp", "ports", "bad-checksum",
	"ipv4-header", "ipv4-options", "ipv4-fragments", "ipv6-header",
	"ipv6-ext-chains", "ipv6-fragments", "mutated-syn",
};

/* Relative frequency of each kind; the mutations get the most. */
static const unsigned int kind_weight[K_COUNT] = {
	4, 8, 6, 5, 5, 6, 6, 6, 8, 5, 10, 8, 23,
};

struct fuzz {
	int local;
	int fd_pkt, fd4, fd6;
	int ifindex;
	uint8_t own_mac[6], peer_mac[6];
	struct target t4, t6;
	uint16_t port;
	unsigned long long sent, refused, fam4, fam6;
	unsigned long long kind[K_COUNT];
	enum kind cur;
};

static void send_retry(int fd, const void *buf, size_t len, const struct sockaddr *sa,
		       socklen_t salen, struct fuzz *f)
{
	for (;;) {
		if (sendto(fd, buf, len, 0, sa, salen) >= 0) {
			f->sent++;
			return;
		}
		if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
			usleep(1000);
			continue;
		}
		/* The local stack would not take it: still one attempt. */
		if (!f->local && errno != EMSGSIZE)
			die("sendto(AF_PACKET)");
		f->sent++;
		f->refused++;
		return;
	}
}

/*
 * Send @p. @ethertype 0: the one of its family (a mutation may give the
 * other one).
 */
static void emit_as(struct fuzz *f, const struct pkt *p, uint16_t ethertype)
{
	if (p->family == AF_INET)
		f->fam4++;
	else
		f->fam6++;
	f->kind[f->cur]++;
	if (!f->local) {
		uint8_t frame[ETH_HLEN + PKT_MAX];
		struct sockaddr_ll sll = { 0 };

		if (!ethertype)
			ethertype = p->family == AF_INET ? ETH_P_IP : ETH_P_IPV6;
		memcpy(frame, f->peer_mac, 6);
		memcpy(frame + 6, f->own_mac, 6);
		put16(frame + 12, ethertype);
		memcpy(frame + ETH_HLEN, p->d, p->len);
		sll.sll_family = AF_PACKET;
		sll.sll_ifindex = f->ifindex;
		sll.sll_protocol = htons(ethertype);
		sll.sll_halen = 6;
		memcpy(sll.sll_addr, f->peer_mac, 6);
		send_retry(f->fd_pkt, frame, ETH_HLEN + p->len, (struct sockaddr *)&sll,
			   sizeof(sll), f);
	} else if (p->family == AF_INET) {
		struct sockaddr_in sin = { .sin_family = AF_INET };

		memcpy(&sin.sin_addr, f->t4.dst, 4);
		send_retry(f->fd4, p->d, p->len, (struct sockaddr *)&sin, sizeof(sin), f);
	} else {
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

		memcpy(&sin6.sin6_addr, f->t6.dst, 16);
		send_retry(f->fd6, p->d, p->len, (struct sockaddr *)&sin6, sizeof(sin6), f);
	}
}

static void emit(struct fuzz *f, const struct pkt *p)
{
	emit_as(f, p, 0);
}

/* --- IP headers --- */

/* IPv4 header checksum over the first @hlen bytes, if they are there. */
static void ip4_fix_csum(struct pkt *p)
{
	size_t hlen = (p->d[0] & 0x0f) * 4;

	if (hlen < 20 || hlen > p->len)
		hlen = p->len < 20 ? p->len : 20;
	p->d[10] = 0;
	p->d[11] = 0;
	if (p->len >= 12)
		put16(p->d + 10, csum_fold(sum16(p->d, hlen, 0)));
}

/* A 20-byte IPv4 header (no options) for @plen bytes of payload. */
static void ip4_put(struct fuzz *f, struct pkt *p, const uint8_t *src, uint8_t proto,
		    size_t plen)
{
	uint8_t *h = p->d;

	p->family = AF_INET;
	memset(h, 0, 20);
	h[0] = 0x45;
	put16(h + 2, 20 + plen);
	put16(h + 4, rnd());
	put16(h + 6, chance(50) ? 0x4000 : 0);	/* DF or not */
	h[8] = 64;
	h[9] = proto;
	memcpy(h + 12, src, 4);
	memcpy(h + 16, f->t4.dst, 4);
	p->len = 20 + plen;
	ip4_fix_csum(p);
}

/* A 40-byte IPv6 header, @plen bytes of payload starting with @nxt. */
static void ip6_put(struct fuzz *f, struct pkt *p, const uint8_t *src, uint8_t nxt,
		    size_t plen)
{
	uint8_t *h = p->d;

	p->family = AF_INET6;
	memset(h, 0, 40);
	put32(h, 6U << 28 | (chance(20) ? rnd() & 0xfffffff : 0));
	put16(h + 4, plen);
	h[6] = nxt;
	h[7] = 64;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, f->t6.dst, 16);
	p->len = 40 + plen;
}

/*
 * TCP checksum of the @len bytes at @off, pseudo-header from the IP
 * header of @p; stored at @off + 16 if the segment is that long.
 */
static void tcp_fix_csum(struct pkt *p, size_t off, size_t len)
{
	uint32_t sum;

	if (off + len > p->len || len < 18)
		return;
	p->d[off + 16] = 0;
	p->d[off + 17] = 0;
	if (p->family == AF_INET) {
		sum = sum16(p->d + 12, 8, 0);
	} else {
		sum = sum16(p->d + 8, 32, 0);
		sum += len >> 16;
	}
	sum += IPPROTO_TCP + (len & 0xffff);
	put16(p->d + off + 16, csum_fold(sum16(p->d + off, len, sum)));
}

/* --- TCP segments --- */

struct tcpspec {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	int doff;		/* 32-bit words; < 0: header and options */
	int syn_opts;		/* random SYN options */
	size_t paylen;		/* random payload bytes */
};

/* SYN options in a random mix: MSS, window scale, SACK permitted, timestamps. */
static size_t syn_options(uint8_t *o)
{
	size_t n = 0;

	if (chance(80)) {
		o[n++] = TCPOPT_MAXSEG;
		o[n++] = 4;
		put16(o + n, chance(90) ? 1460 : rnd());
		n += 2;
	}
	if (chance(50)) {
		o[n++] = TCPOPT_SACK_PERMITTED;
		o[n++] = 2;
	}
	if (chance(50)) {
		o[n++] = TCPOPT_TIMESTAMP;
		o[n++] = 10;
		put32(o + n, rnd());
		put32(o + n + 4, 0);
		n += 8;
	}
	if (chance(50)) {
		o[n++] = TCPOPT_NOP;
		o[n++] = TCPOPT_WINDOW;
		o[n++] = 3;
		o[n++] = rndn(16);
	}
	while (n % 4)
		o[n++] = TCPOPT_EOL;
	return n;
}

/* Write the segment at @p + @off; return its length. */
static size_t tcp_put(struct pkt *p, size_t off, const struct tcpspec *t)
{
	uint8_t *h = p->d + off;
	size_t optlen = 0, len;

	memset(h, 0, 20);
	if (t->syn_opts)
		optlen = syn_options(h + 20);
	put16(h, t->sport);
	put16(h + 2, t->dport);
	put32(h + 4, t->seq);
	put32(h + 8, t->ack);
	h[12] = (t->doff < 0 ? (20 + optlen) / 4 : (size_t)t->doff) << 4;
	h[13] = t->flags;
	put16(h + 14, 64240);
	len = 20 + optlen;
	rnd_bytes(h + len, t->paylen);
	return len + t->paylen;
}

static uint16_t pick_port(const struct fuzz *f)
{
	uint32_t r = rndn(100);

	if (r < 75)
		return f->port;
	if (r < 80)
		return 0;
	return 1 + rndn(65535);
}

static void spec_syn(const struct fuzz *f, struct tcpspec *t)
{
	memset(t, 0, sizeof(*t));
	t->sport = 1024 + rndn(64512);
	t->dport = pick_port(f);
	t->seq = rnd();
	t->flags = F_SYN;
	t->doff = -1;
	t->syn_opts = 1;
}

/* A family this run sends (-1: none). */
static int pick_family(const struct fuzz *f)
{
	if (f->t4.family && f->t6.family)
		return chance(55) ? AF_INET : AF_INET6;
	return f->t4.family ? AF_INET : AF_INET6;
}

/*
 * A whole packet: IP header (no options or extensions) and the segment
 * of @t, checksums right. Returns the TCP offset.
 */
static size_t build_tcp(struct fuzz *f, struct pkt *p, int family, const struct tcpspec *t)
{
	uint8_t src[16];
	size_t off = family == AF_INET ? 20 : 40, len;

	p->family = family;
	len = tcp_put(p, off, t);
	if (family == AF_INET) {
		pick_src(&f->t4, src);
		ip4_put(f, p, src, IPPROTO_TCP, len);
	} else {
		pick_src(&f->t6, src);
		ip6_put(f, p, src, NH_TCP, len);
	}
	tcp_fix_csum(p, off, len);
	return off;
}

/* --- the kinds --- */

static void k_syn(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;

	spec_syn(f, &t);
	build_tcp(f, &p, pick_family(f), &t);
	emit(f, &p);
}

static const uint8_t odd_flags[] = {
	0, F_SYN | F_FIN, F_SYN | F_RST, F_SYN | F_ACK, 0xff, 0x3f, F_FIN, F_RST,
	F_RST | F_ACK, F_FIN | F_ACK, F_ACK, F_PSH | F_ACK, F_URG, F_FIN | F_PSH | F_URG,
	F_SYN | F_ECE | F_CWR, F_SYN | F_URG, F_SYN | F_PSH, F_SYN | F_FIN | F_RST,
	F_FIN | F_RST, F_SYN | F_RST | F_ACK, F_ECE, F_CWR,
};

static uint8_t pick_flags(void)
{
	if (chance(15))
		return rnd();
	return odd_flags[rndn(sizeof(odd_flags))];
}

static void k_flags(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;

	spec_syn(f, &t);
	t.flags = pick_flags();
	t.ack = rnd();
	t.syn_opts = chance(50);
	t.paylen = chance(30) ? rndn(64) : 0;
	build_tcp(f, &p, pick_family(f), &t);
	emit(f, &p);
}

static void k_doff(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;

	spec_syn(f, &t);
	t.syn_opts = 0;
	t.paylen = rndn(24);
	t.doff = chance(50) ? (int)rndn(5) : 6 + (int)rndn(10);
	if (chance(40))
		t.flags = chance(50) ? F_RST : pick_flags();
	build_tcp(f, &p, pick_family(f), &t);
	emit(f, &p);
}

/* A TCP header cut to 0..19 bytes, lengths and checksums consistent. */
static void k_trunc(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;
	size_t off, cut = rndn(20);

	spec_syn(f, &t);
	t.syn_opts = 0;
	if (chance(30))
		t.flags = pick_flags();
	off = build_tcp(f, &p, pick_family(f), &t);
	p.len = off + cut;
	if (p.family == AF_INET) {
		put16(p.d + 2, p.len);
		ip4_fix_csum(&p);
	} else {
		put16(p.d + 4, cut);
	}
	emit(f, &p);
}

static uint16_t odd_port(const struct fuzz *f)
{
	static const uint16_t ports[] = { 0, 1, 65535, 65534, 1023, 1024 };

	if (chance(30))
		return f->port;
	if (chance(20))
		return rnd();
	return ports[rndn(sizeof(ports) / sizeof(ports[0]))];
}

static void k_ports(struct fuzz *f)
{
	static const uint8_t flags[] = { F_SYN, F_SYN, F_RST, F_FIN | F_ACK, F_ACK, F_RST | F_ACK };
	struct tcpspec t;
	struct pkt p;

	spec_syn(f, &t);
	t.sport = odd_port(f);
	t.dport = odd_port(f);
	t.flags = flags[rndn(sizeof(flags))];
	t.ack = rnd();
	build_tcp(f, &p, pick_family(f), &t);
	emit(f, &p);
}

static void k_badsum(struct fuzz *f)
{
	static const uint8_t flags[] = { F_SYN, F_SYN, F_RST, F_RST | F_ACK, F_FIN | F_ACK, F_ACK };
	struct tcpspec t;
	struct pkt p;
	size_t off;

	spec_syn(f, &t);
	t.flags = flags[rndn(sizeof(flags))];
	t.ack = rnd();
	off = build_tcp(f, &p, pick_family(f), &t);
	if (p.family == AF_INET && chance(30))
		p.d[10] ^= 1 + rndn(255);		/* the IPv4 header's */
	else
		p.d[off + 16 + rndn(2)] ^= 1 + rndn(255);	/* TCP's */
	emit(f, &p);
}

static void k_ip4hdr(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;
	size_t len;

	if (!f->t4.family)
		return;
	spec_syn(f, &t);
	t.paylen = chance(30) ? rndn(40) : 0;
	build_tcp(f, &p, AF_INET, &t);
	len = p.len;
	switch (rndn(10)) {
	case 0:		/* IHL below 5 */
		p.d[0] = 0x40 | rndn(5);
		break;
	case 1:		/* IHL beyond the packet */
		p.len = 20 + rndn(20);
		p.d[0] = 0x40 | (p.len / 4 + 1 + rndn(15 - p.len / 4));
		put16(p.d + 2, p.len);
		break;
	case 2:		/* total length below the header */
		put16(p.d + 2, rndn(20));
		break;
	case 3:		/* total length short of the segment */
		put16(p.d + 2, 20 + rndn(len - 20));
		break;
	case 4:		/* total length beyond the packet */
		put16(p.d + 2, len + 1 + rndn(chance(50) ? 64 : 65535 - len));
		break;
	case 5:		/* trailing bytes after the total length */
		p.len = len + 1 + rndn(32);
		rnd_bytes(p.d + len, p.len - len);
		break;
	case 6:		/* not version 4 */
		p.d[0] = (rndn(16) << 4) | 5;
		if ((p.d[0] >> 4) == 4)
			p.d[0] = 0x65;
		break;
	case 7:		/* TTL 0 or 1 */
		p.d[8] = rndn(2);
		break;
	case 8:		/* a packet shorter than an IPv4 header */
		p.len = 1 + rndn(19);
		break;
	default:	/* reserved fragment bit, other protocol */
		p.d[6] |= 0x80;
		if (chance(50))
			p.d[9] = rnd();
		break;
	}
	if (chance(75))
		ip4_fix_csum(&p);
	emit(f, &p);
}

/* IPv4 options, valid and not, padded to a multiple of 4 (at most 40). */
static size_t ip4_options(uint8_t *o)
{
	size_t n = 0, want = 4 * (1 + rndn(10));
	int k;

	while (n < want) {
		size_t left = want - n, l;

		switch (rndn(10)) {
		case 0:
			o[n++] = 0;	/* end of options */
			break;
		case 1:
			o[n++] = 1;	/* no-op */
			break;
		case 2:		/* record route */
		case 3:		/* loose source route */
		case 4:		/* strict source route */
			k = rndn(3);
			l = 3 + 4 * (1 + rndn(9));
			if (l > left)
				l = left < 3 ? left : 3 + 4 * ((left - 3) / 4);
			o[n] = k == 0 ? 7 : k == 1 ? 131 : 137;
			if (l >= 2)
				o[n + 1] = chance(85) ? l : rnd();
			if (l >= 3)
				o[n + 2] = chance(80) ? 4 : rnd();
			if (l > 3)
				rnd_bytes(o + n + 3, l - 3);
			n += l ? l : 1;
			break;
		case 5:		/* timestamp */
			l = 4 + 4 * rndn(9);
			if (l > left)
				l = left;
			o[n] = 68;
			if (l >= 2)
				o[n + 1] = chance(85) ? l : rnd();
			if (l >= 3)
				o[n + 2] = chance(80) ? 5 : rnd();
			if (l >= 4)
				o[n + 3] = rndn(4);
			if (l > 4)
				rnd_bytes(o + n + 4, l - 4);
			n += l;
			break;
		case 6:		/* router alert */
			if (left < 4) {
				o[n++] = 1;
				break;
			}
			o[n] = 148;
			o[n + 1] = 4;
			o[n + 2] = 0;
			o[n + 3] = 0;
			n += 4;
			break;
		case 7:		/* length 0, 1 or beyond the header */
			o[n++] = 7 + 124 * rndn(2);
			if (n < want)
				o[n++] = chance(50) ? rndn(2) : 40 + rndn(216);
			break;
		default:	/* unknown, random length */
			o[n++] = rnd();
			if (n < want) {
				l = 2 + rndn(8);
				o[n] = l;
				if (l - 1 > want - n)
					l = want - n + 1;
				rnd_bytes(o + n + 1, l - 2);
				n += l - 1;
			}
			break;
		}
	}
	return want;
}

static void k_ip4opt(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;
	uint8_t src[16], opt[40];
	size_t optlen, len;

	if (!f->t4.family)
		return;
	optlen = ip4_options(opt);
	spec_syn(f, &t);
	if (chance(30))
		t.flags = pick_flags();
	len = tcp_put(&p, 20 + optlen, &t);
	pick_src(&f->t4, src);
	ip4_put(f, &p, src, IPPROTO_TCP, optlen + len);
	memcpy(p.d + 20, opt, optlen);
	p.d[0] = 0x40 | (5 + optlen / 4);
	ip4_fix_csum(&p);
	tcp_fix_csum(&p, 20 + optlen, len);
	emit(f, &p);
}

/*
 * IPv4 fragment of @seg (a TCP segment of @seglen bytes): bytes
 * [@from, @from + @n) at fragment offset @from (a multiple of 8).
 */
static void frag4(struct fuzz *f, const uint8_t *src, uint16_t id, const uint8_t *seg,
		  size_t from, size_t n, int more)
{
	struct pkt p;

	ip4_put(f, &p, src, IPPROTO_TCP, n);
	put16(p.d + 4, id);
	put16(p.d + 6, (more ? 0x2000 : 0) | (from / 8));
	memcpy(p.d + 20, seg + from, n);
	ip4_fix_csum(&p);
	emit(f, &p);
}

/* A SYN segment with its checksum for @src -> DST, into @seg. */
static size_t syn_segment(struct fuzz *f, int family, const uint8_t *src, uint8_t *seg,
			  size_t extra)
{
	struct tcpspec t;
	struct pkt p;
	size_t off = family == AF_INET ? 20 : 40, len;

	spec_syn(f, &t);
	t.paylen = extra;
	len = tcp_put(&p, off, &t);
	if (family == AF_INET)
		ip4_put(f, &p, src, IPPROTO_TCP, len);
	else
		ip6_put(f, &p, src, NH_TCP, len);
	tcp_fix_csum(&p, off, len);
	memcpy(seg, p.d + off, len);
	return len;
}

static void k_ip4frag(struct fuzz *f)
{
	uint8_t src[16], seg[256];
	uint16_t id = rnd();
	size_t len, cut;

	if (!f->t4.family)
		return;
	pick_src(&f->t4, src);
	len = syn_segment(f, AF_INET, src, seg, 8 + rndn(64));
	switch (rndn(9)) {
	case 0:		/* tiny first fragment: ports and sequence number only */
	case 1:		/* first fragment up to the flags, not the checksum */
		cut = rndn(2) ? 8 : 16;
		frag4(f, src, id, seg, 0, cut, 1);
		if (chance(50))
			frag4(f, src, id, seg, cut, len - cut, 0);
		break;
	case 2: {	/* a middle fragment alone */
		struct pkt p;

		ip4_put(f, &p, src, IPPROTO_TCP, 8 * (1 + rndn(8)));
		put16(p.d + 4, id);
		put16(p.d + 6, 0x2000 | (1 + rndn(8000)));
		rnd_bytes(p.d + 20, p.len - 20);
		ip4_fix_csum(&p);
		emit(f, &p);
		break;
	}
	case 3:		/* a last fragment alone */
		frag4(f, src, id, seg, 8, len - 8, 0);
		break;
	case 4:		/* a whole SYN in 2 or 3 fragments, in order */
		frag4(f, src, id, seg, 0, 8, 1);
		if (chance(50)) {
			frag4(f, src, id, seg, 8, 16, 1);
			frag4(f, src, id, seg, 24, len - 24, 0);
		} else {
			frag4(f, src, id, seg, 8, len - 8, 0);
		}
		break;
	case 5:		/* the same, last fragment first */
		frag4(f, src, id, seg, 16, len - 16, 0);
		frag4(f, src, id, seg, 0, 16, 1);
		break;
	case 6:		/* overlapping: the second rewrites the flags (SYN -> RST) */
		frag4(f, src, id, seg, 0, 16, 1);
		seg[13] = F_RST;
		frag4(f, src, id, seg, 8, len - 8, 0);
		break;
	case 7:		/* the first fragment twice, then the rest */
		frag4(f, src, id, seg, 0, 16, 1);
		frag4(f, src, id, seg, 0, 16, 1);
		frag4(f, src, id, seg, 16, len - 16, 0);
		break;
	default: {	/* beyond 65535 bytes once reassembled */
		struct pkt p;

		frag4(f, src, id, seg, 0, 16, 1);
		ip4_put(f, &p, src, IPPROTO_TCP, 64);
		put16(p.d + 4, id);
		put16(p.d + 6, 8189);
		rnd_bytes(p.d + 20, 64);
		ip4_fix_csum(&p);
		emit(f, &p);
		break;
	}
	}
}

static void k_ip6hdr(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;
	size_t len;

	if (!f->t6.family)
		return;
	spec_syn(f, &t);
	t.paylen = chance(30) ? rndn(40) : 0;
	build_tcp(f, &p, AF_INET6, &t);
	len = p.len - 40;
	switch (rndn(6)) {
	case 0:		/* payload length short of the segment */
		put16(p.d + 4, rndn(len));
		break;
	case 1:		/* payload length beyond the packet */
		put16(p.d + 4, len + 1 + rndn(chance(50) ? 64 : 65535 - len));
		break;
	case 2:		/* 0 without a jumbo option */
		put16(p.d + 4, 0);
		break;
	case 3:		/* not version 6 */
		p.d[0] = (p.d[0] & 0x0f) | (rndn(6) << 4);
		break;
	case 4:		/* hop limit 0 or 1 */
		p.d[7] = rndn(2);
		break;
	default:	/* shorter than an IPv6 header */
		p.len = 1 + rndn(39);
		break;
	}
	emit(f, &p);
}

/* Options of a hop-by-hop or destination options header, @n bytes. */
static void ip6_tlvs(uint8_t *o, size_t n)
{
	size_t i = 0, l;

	while (i < n) {
		switch (rndn(7)) {
		case 0:
			o[i++] = 0;	/* Pad1 */
			break;
		case 1:		/* PadN */
		case 2:
			o[i] = 1;
			if (i + 1 < n) {
				l = rndn(n - i - 1);
				o[i + 1] = l;
				memset(o + i + 2, 0, l);
				i += 2 + l;
			} else {
				i++;
			}
			break;
		case 3:		/* router alert */
			if (n - i < 4) {
				o[i++] = 0;
				break;
			}
			o[i] = 5;
			o[i + 1] = 2;
			o[i + 2] = 0;
			o[i + 3] = rndn(3);
			i += 4;
			break;
		case 4:		/* jumbo payload */
			if (n - i < 6) {
				o[i++] = 0;
				break;
			}
			o[i] = 0xc2;
			o[i + 1] = 4;
			put32(o + i + 2, chance(50) ? 65536 + rndn(1000) : rnd());
			i += 6;
			break;
		case 5:		/* unknown: skip, discard, ICMP, ICMP unless multicast */
			o[i] = (rndn(4) << 6) | (0x10 + rndn(16));
			if (i + 1 < n) {
				l = rndn(n - i - 1);
				o[i + 1] = l;
				rnd_bytes(o + i + 2, l);
				i += 2 + l;
			} else {
				i++;
			}
			break;
		default:	/* length beyond the header */
			o[i++] = 0x1e;
			if (i < n)
				o[i++] = n + rndn(200);
			break;
		}
	}
}

/*
 * One extension header @type at @h, at most @room bytes; its next header
 * is @nxt. Returns its size (it may claim more than @room in its length
 * field when @lie).
 */
static size_t ip6_ext(uint8_t *h, size_t room, uint8_t type, uint8_t nxt, int lie)
{
	size_t len;

	switch (type) {
	case NH_FRAGMENT:
		len = 8;
		break;
	case NH_AH:
		len = 12 + 4 * rndn(4);
		break;
	case NH_ROUTING:
		len = 8 + 16 * rndn(3);
		break;
	default:
		len = 8 * (1 + rndn(3));
		break;
	}
	if (len > room)
		len = room & ~7UL;
	if (len < 8)
		return 0;
	memset(h, 0, len);
	h[0] = nxt;
	switch (type) {
	case NH_FRAGMENT:
		if (chance(40))
			put16(h + 2, 0);			/* atomic */
		else if (chance(50))
			put16(h + 2, 1);			/* first, more */
		else
			put16(h + 2, (1 + rndn(100)) << 3 | rndn(2));	/* later */
		put32(h + 4, rnd());
		break;
	case NH_AH:
		h[1] = len / 4 - 2;
		rnd_bytes(h + 4, len - 4);
		break;
	case NH_ROUTING:
		h[1] = len / 8 - 1;
		h[2] = chance(70) ? rndn(5) : rnd();		/* type 0..4 */
		h[3] = rndn(3);					/* segments left */
		rnd_bytes(h + 8, len - 8);
		break;
	case NH_HOP:
	case NH_DSTOPTS:
		h[1] = len / 8 - 1;
		ip6_tlvs(h + 2, len - 2);
		break;
	default:
		h[1] = len / 8 - 1;
		rnd_bytes(h + 2, len - 2);
		break;
	}
	if (lie)
		h[1] = h[1] + 1 + rndn(255 - h[1] > 0 ? 255 - h[1] : 1);
	return len;
}

static uint8_t pick_ext(void)
{
	static const uint8_t ext[] = {
		NH_HOP, NH_ROUTING, NH_ROUTING, NH_DSTOPTS, NH_DSTOPTS, NH_FRAGMENT,
		NH_FRAGMENT, NH_AH, NH_EXPERIMENT, 135 /* mobility */,
	};

	return ext[rndn(sizeof(ext))];
}

static void k_ip6ext(struct fuzz *f)
{
	uint8_t src[16], types[8], last;
	struct tcpspec t;
	struct pkt p;
	size_t off = 40, n, i, len;
	int ending = rndn(4), loop = ending == 3;

	if (!f->t6.family)
		return;
	pick_src(&f->t6, src);
	/* The chain: 1..6 headers; a loop is destination options to the end. */
	n = loop ? 1 + rndn(8) : 1 + rndn(6);
	for (i = 0; i < n; i++)
		types[i] = loop ? NH_DSTOPTS : pick_ext();
	if (!loop && chance(80) && types[0] != NH_HOP)
		for (i = 1; i < n; i++)
			if (types[i] == NH_HOP)	/* mostly first, as it should */
				types[i] = NH_DSTOPTS;
	/* 0, 1: TCP; 2: no next header; 3: headers until the packet ends */
	last = ending < 2 ? NH_TCP : ending == 2 ? NH_NONE : NH_DSTOPTS;
	for (i = 0; i < n; i++) {
		uint8_t nxt = i + 1 < n ? types[i + 1] : last;

		len = ip6_ext(p.d + off, PKT_MAX - 200 - off, types[i], nxt, chance(5));
		if (!len)
			break;
		off += len;
	}
	if (last == NH_TCP) {
		spec_syn(f, &t);
		if (chance(25))
			t.flags = pick_flags();
		len = tcp_put(&p, off, &t);
	} else if (last == NH_NONE) {
		len = chance(50) ? rndn(32) : 0;
		rnd_bytes(p.d + off, len);
	} else {
		len = 0;
	}
	ip6_put(f, &p, src, types[0], off - 40 + len);
	if (last == NH_TCP)
		tcp_fix_csum(&p, off, len);
	emit(f, &p);
}

/*
 * IPv6 fragment: fragment header (id @id, offset @from, @more), then
 * @n bytes of @seg from @from. Optionally a destination options header
 * before the fragment header (unfragmentable part).
 */
static void frag6(struct fuzz *f, const uint8_t *src, uint32_t id, const uint8_t *seg,
		  size_t from, size_t n, int more, int dstopts)
{
	struct pkt p;
	size_t off = 40;
	uint8_t first = NH_FRAGMENT;

	if (dstopts) {
		memset(p.d + off, 0, 8);
		p.d[off] = NH_FRAGMENT;
		p.d[off + 2] = 1;	/* PadN 4 */
		p.d[off + 3] = 4;
		off += 8;
		first = NH_DSTOPTS;
	}
	p.d[off] = NH_TCP;
	p.d[off + 1] = 0;
	put16(p.d + off + 2, from | (more ? 1 : 0));
	put32(p.d + off + 4, id);
	off += 8;
	memcpy(p.d + off, seg + from, n);
	ip6_put(f, &p, src, first, off - 40 + n);
	emit(f, &p);
}

static void k_ip6frag(struct fuzz *f)
{
	uint8_t src[16], seg[256];
	uint32_t id = rnd();
	size_t len;
	int d = chance(30);

	if (!f->t6.family)
		return;
	pick_src(&f->t6, src);
	len = syn_segment(f, AF_INET6, src, seg, 8 + rndn(64));
	switch (rndn(7)) {
	case 0:		/* first fragment cutting the TCP header */
		frag6(f, src, id, seg, 0, 8, 1, d);
		if (chance(50))
			frag6(f, src, id, seg, 8, len - 8, 0, d);
		break;
	case 1:		/* first fragment with the whole header, the rest never comes */
		frag6(f, src, id, seg, 0, 24, 1, d);
		break;
	case 2:		/* a later fragment alone */
		frag6(f, src, id, seg, 8, len - 8, chance(50), d);
		break;
	case 3:		/* a whole SYN in two fragments, in order */
		frag6(f, src, id, seg, 0, 24, 1, d);
		frag6(f, src, id, seg, 24, len - 24, 0, d);
		break;
	case 4:		/* the same, last fragment first */
		frag6(f, src, id, seg, 16, len - 16, 0, d);
		frag6(f, src, id, seg, 0, 16, 1, d);
		break;
	case 5:		/* overlapping (RFC 5722: all dropped) */
		frag6(f, src, id, seg, 0, 24, 1, d);
		seg[13] = F_RST;
		frag6(f, src, id, seg, 16, len - 16, 0, d);
		break;
	default:	/* atomic fragment: offset 0, no more */
		frag6(f, src, id, seg, 0, len, 0, d);
		break;
	}
}

/* Lengths and checksums set right for what the packet now says. */
static void fix_up(struct pkt *p, int lengths, int sums)
{
	size_t hlen, tlen;

	if (p->family == AF_INET && p->len >= 20) {
		hlen = (p->d[0] & 0x0f) * 4;
		if (lengths)
			put16(p->d + 2, p->len);
		tlen = p->len > hlen ? p->len - hlen : 0;
		if (sums && hlen >= 20 && p->d[9] == IPPROTO_TCP)
			tcp_fix_csum(p, hlen, tlen);
		if (sums)
			ip4_fix_csum(p);
	} else if (p->family == AF_INET6 && p->len >= 40) {
		if (lengths)
			put16(p->d + 4, p->len - 40);
		if (sums && p->d[6] == NH_TCP)
			tcp_fix_csum(p, 40, p->len - 40);
	}
}

static void k_mutate(struct fuzz *f)
{
	struct tcpspec t;
	struct pkt p;
	size_t off, pos;
	int m = 1 + rndn(6);
	uint16_t ethertype = 0;

	spec_syn(f, &t);
	t.paylen = chance(20) ? rndn(48) : 0;
	if (chance(10))
		t.flags = pick_flags();
	off = build_tcp(f, &p, pick_family(f), &t);
	while (m--) {
		switch (rndn(9)) {
		case 0:		/* one bit anywhere */
			pos = rndn(p.len);
			p.d[pos] ^= 1 << rndn(8);
			break;
		case 1:		/* one byte anywhere */
			p.d[rndn(p.len)] = rnd();
			break;
		case 2:		/* a byte of the TCP header */
			if (p.len > off)
				p.d[off + rndn(p.len - off < 20 ? p.len - off : 20)] = rnd();
			break;
		case 3:		/* data offset and flags */
			if (p.len > off + 13) {
				p.d[off + 12] = rnd();
				p.d[off + 13] = rnd();
			}
			break;
		case 4:		/* a byte of the IP header */
			p.d[rndn(off < p.len ? off : p.len)] = rnd();
			break;
		case 5:		/* cut */
			p.len = 1 + rndn(p.len);
			break;
		case 6:		/* grow */
			if (p.len + 64 <= PKT_MAX) {
				pos = rndn(64);
				rnd_bytes(p.d + p.len, pos);
				p.len += pos;
			}
			break;
		case 7:		/* TCP options */
			if (p.len >= off + 24)
				rnd_bytes(p.d + off + 20, p.len - off - 20 < 8 ? p.len - off - 20 : 8);
			break;
		default:	/* the other family's ethertype */
			if (chance(20))
				ethertype = p.family == AF_INET ? ETH_P_IPV6 : ETH_P_IP;
			break;
		}
	}
	fix_up(&p, chance(60), chance(70));
	emit_as(f, &p, ethertype);
}

static void (*const kind_fn[K_COUNT])(struct fuzz *f) = {
	k_syn, k_flags, k_doff, k_trunc, k_ports, k_badsum, k_ip4hdr, k_ip4opt,
	k_ip4frag, k_ip6hdr, k_ip6ext, k_ip6frag, k_mutate,
};

static enum kind pick_kind(void)
{
	unsigned int total = 0, r, i;

	for (i = 0; i < K_COUNT; i++)
		total += kind_weight[i];
	r = rndn(total);
	for (i = 0; i < K_COUNT; i++) {
		if (r < kind_weight[i])
			return i;
		r -= kind_weight[i];
	}
	return K_MUTATE;
}

static void parse_mac(const char *s, uint8_t *mac)
{
	unsigned int b[6], i;
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &end) != 6)
		usage();
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			usage();
		mac[i] = b[i];
	}
}

static void open_link(struct fuzz *f, const char *ifname)
{
	struct sockaddr_ll sll = { 0 };
	struct ifreq ifr;

	f->fd_pkt = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (f->fd_pkt < 0)
		die("socket(AF_PACKET)");
	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		usage();
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(f->fd_pkt, SIOCGIFINDEX, &ifr))
		die(ifname);
	f->ifindex = ifr.ifr_ifindex;
	if (ioctl(f->fd_pkt, SIOCGIFHWADDR, &ifr))
		die("SIOCGIFHWADDR");
	memcpy(f->own_mac, ifr.ifr_hwaddr.sa_data, 6);
	/* Bound with protocol 0: it sends, it receives nothing. */
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = f->ifindex;
	if (bind(f->fd_pkt, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind(AF_PACKET)");
}

static int raw_socket(int family)
{
	int one = 1, fd;

	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		die("socket(SOCK_RAW)");
	if (family == AF_INET && setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		die("IP_HDRINCL");
	return fd;
}

static uint64_t seed_or_random(uint64_t seed, int given)
{
	if (given)
		return seed;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
	return seed % 1000000000;	/* short enough to retype */
}

static int cmd_fuzz(int argc, char **argv, int local, uint64_t seed,
		    unsigned long long count, long long seconds)
{
	struct fuzz f;
	long long start, deadline;
	unsigned long long rounds;
	unsigned int i;

	memset(&f, 0, sizeof(f));
	f.local = local;
	if (argc != (local ? 5 : 7))
		usage();
	if (!local) {
		open_link(&f, argv[0]);
		parse_mac(argv[1], f.peer_mac);
		argv += 2;
	}
	parse_target(&f.t4, AF_INET, argv[0], argv[1]);
	parse_target(&f.t6, AF_INET6, argv[2], argv[3]);
	if (!f.t4.family && !f.t6.family)
		usage();
	f.port = number(argv[4], 1, 65535);
	if (local) {
		f.fd4 = f.t4.family ? raw_socket(AF_INET) : -1;
		f.fd6 = f.t6.family ? raw_socket(AF_INET6) : -1;
	}

	rng_state = seed;
	start = now_ms();
	deadline = seconds ? start + seconds * 1000 : 0;
	for (rounds = 0; !count || f.sent < count; rounds++) {
		f.cur = pick_kind();
		kind_fn[f.cur](&f);
		if (deadline && (rounds & 63) == 0 && now_ms() >= deadline)
			break;
	}
	printf("sent %llu packets (ipv4 %llu, ipv6 %llu, refused by the local stack %llu) "
	       "via %s in %lld ms, seed %llu\n", f.sent, f.fam4, f.fam6, f.refused,
	       local ? "raw sockets" : "AF_PACKET", now_ms() - start, (unsigned long long)seed);
	for (i = 0; i < K_COUNT; i++)
		printf("  %-16s %llu\n", kind_name[i], f.kind[i]);
	return 0;
}

/* --- stride: SYNs from SRC + i * STEP, in a random order --- */

static int cmd_stride(int argc, char **argv, uint64_t seed)
{
	struct fuzz f;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint32_t base, step, *order, i, j, tmp, count;
	struct tcpspec t;
	struct pkt p;
	char buf[INET_ADDRSTRLEN];
	int fd;

	if (argc != 5)
		usage();
	memset(&f, 0, sizeof(f));
	f.local = 1;
	f.t4.family = AF_INET;
	f.t4.nsrc = 1;
	f.t4.src[0].plen = -1;
	if (!parse_addr(argv[0], AF_INET, (uint8_t *)&base) ||
	    !parse_addr(argv[3], AF_INET, f.t4.dst))
		usage();
	base = ntohl(base);
	step = number(argv[1], 1, UINT32_MAX);
	count = number(argv[2], 1, 1000000);
	f.port = number(argv[4], 1, 65535);
	if ((uint64_t)step * (count - 1) > UINT32_MAX - base) {
		fprintf(stderr, "pktfuzz: SRC + (COUNT - 1) * STEP is beyond 255.255.255.255\n");
		return 2;
	}
	order = malloc(count * sizeof(*order));
	if (!order)
		die("malloc");
	rng_state = seed;
	for (i = 0; i < count; i++)
		order[i] = i;
	for (i = count - 1; i > 0; i--) {	/* Fisher-Yates */
		j = rndn(i + 1);
		tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	fd = raw_socket(AF_INET);
	f.fd4 = fd;
	memcpy(&sin.sin_addr, f.t4.dst, 4);
	for (i = 0; i < count; i++) {
		uint32_t a = htonl(base + order[i] * step);

		memcpy(f.t4.src[0].addr, &a, 4);
		memset(&t, 0, sizeof(t));
		t.sport = 1024 + rndn(64512);
		t.dport = f.port;
		t.seq = rnd();
		t.flags = F_SYN;
		t.doff = -1;
		build_tcp(&f, &p, AF_INET, &t);
		send_retry(fd, p.d, p.len, (struct sockaddr *)&sin, sizeof(sin), &f);
		printf("%s\n", inet_ntop(AF_INET, &a, buf, sizeof(buf)));
	}
	close(fd);
	free(order);
	printf("# sent %llu syn (refused %llu) from %s + i * %u, i < %u, to %s port %u, seed %llu\n",
	       f.sent, f.refused, argv[0], step, count, argv[3], f.port,
	       (unsigned long long)seed);
	return f.refused ? 1 : 0;
}

/* --- seg: one segment --- */

static uint8_t parse_flags(const char *arg)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr" };
	char buf[64], *tok, *save = NULL;
	unsigned int i;
	uint8_t flags = 0;

	if (*arg >= '0' && *arg <= '9')
		return number(arg, 0, 255);
	if (strlen(arg) >= sizeof(buf))
		usage();
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < 8 && strcmp(tok, names[i]); i++)
			;
		if (i == 8)
			usage();
		flags |= 1 << i;
	}
	return flags;
}

static int cmd_seg(int argc, char **argv)
{
	struct fuzz f;
	struct tcpspec t;
	struct pkt p;
	struct target *tg;
	int family;

	if (argc != 7)
		usage();
	memset(&f, 0, sizeof(f));
	memset(&t, 0, sizeof(t));
	f.local = 1;
	family = strchr(argv[0], ':') ? AF_INET6 : AF_INET;
	tg = family == AF_INET ? &f.t4 : &f.t6;
	tg->family = family;
	tg->nsrc = 1;
	tg->src[0].plen = -1;
	if (!parse_addr(argv[0], family, tg->src[0].addr) || !parse_addr(argv[2], family, tg->dst))
		usage();
	t.sport = number(argv[1], 0, 65535);
	t.dport = number(argv[3], 0, 65535);
	t.flags = parse_flags(argv[4]);
	t.seq = number(argv[5], 0, UINT32_MAX);
	t.ack = number(argv[6], 0, UINT32_MAX);
	t.doff = -1;
	f.fd4 = f.fd6 = raw_socket(family);
	build_tcp(&f, &p, family, &t);
	emit(&f, &p);
	printf("sent flags 0x%02x %s port %u to %s port %u seq %u ack %u%s\n", t.flags,
	       argv[0], t.sport, argv[2], t.dport, t.seq, t.ack, f.refused ? " (refused)" : "");
	return f.refused ? 1 : 0;
}

/* --- bad-rst: the reproducer of a limiter believing RSTs TCP drops --- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* The sequence number the peer of @fd expects next (TCP_REPAIR). */
static int next_seq(int fd, uint32_t *seq)
{
	int on = 1, off = TCP_REPAIR_OFF_NO_WP, q = TCP_SEND_QUEUE;
	socklen_t len = sizeof(*seq);
	int ret = 0;

	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &on, sizeof(on)))
		return -1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR_QUEUE, &q, sizeof(q)) ||
	    getsockopt(fd, IPPROTO_TCP, TCP_QUEUE_SEQ, seq, &len))
		ret = -1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &off, sizeof(off)))
		ret = -1;
	return ret;
}

static int cmd_bad_rst(int argc, char **argv)
{
	static int fds[MAX_BAD_RST];
	struct sockaddr_storage peer = { 0 }, me;
	struct fuzz f;
	int family, n, i, est = 0, rsts = 0, raw, doff = 0;
	uint16_t port;

	if (argc != 3 && argc != 4)
		usage();
	memset(&f, 0, sizeof(f));
	f.local = 1;
	if (parse_addr(argv[0], AF_INET, f.t4.dst))
		family = AF_INET;
	else if (parse_addr(argv[0], AF_INET6, f.t6.dst))
		family = AF_INET6;
	else
		usage();
	port = number(argv[1], 1, 65535);
	n = number(argv[2], 1, MAX_BAD_RST);
	if (argc == 4) {
		if (!strcmp(argv[3], "doff"))
			doff = 1;
		else if (strcmp(argv[3], "csum"))
			usage();
	}
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&peer;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, f.t4.dst, 4);
		sin->sin_port = htons(port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&peer;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, f.t6.dst, 16);
		sin6->sin6_port = htons(port);
	}
	for (i = 0; i < n; i++) {
		fds[i] = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0)
			die("socket");
		if (connect(fds[i], (struct sockaddr *)&peer, family == AF_INET ?
			    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) == 0) {
			est++;
		} else {
			close(fds[i]);
			fds[i] = -1;
		}
	}
	raw = raw_socket(family);
	f.fd4 = raw;
	f.fd6 = raw;
	for (i = 0; i < n; i++) {
		struct tcpspec t;
		struct pkt p;
		socklen_t len = sizeof(me);
		uint32_t seq;
		size_t off;

		if (fds[i] < 0)
			continue;
		if (getsockname(fds[i], (struct sockaddr *)&me, &len) || next_seq(fds[i], &seq))
			die("getsockname/TCP_REPAIR");
		memset(&t, 0, sizeof(t));
		t.dport = port;
		t.seq = seq;
		t.flags = F_RST;
		t.doff = doff ? 4 : -1;
		if (family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&me;

			t.sport = ntohs(sin->sin_port);
			f.t4.family = AF_INET;
			f.t4.nsrc = 1;
			f.t4.src[0].plen = -1;
			memcpy(f.t4.src[0].addr, &sin->sin_addr, 4);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&me;

			t.sport = ntohs(sin6->sin6_port);
			f.t6.family = AF_INET6;
			f.t6.nsrc = 1;
			f.t6.src[0].plen = -1;
			memcpy(f.t6.src[0].addr, &sin6->sin6_addr, 16);
		}
		off = build_tcp(&f, &p, family, &t);
		if (!doff)
			p.d[off + 16] ^= 0x5a;	/* TCP drops it: bad checksum */
		emit(&f, &p);
		rsts++;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("established %d rst %d\n", est, rsts);
	fflush(stdout);
	while (!stop)
		pause();
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long count = 100000, seed = 0;
	long long seconds = 0;
	int opt, seeded = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "+s:n:d:")) != -1) {
		switch (opt) {
		case 's':
			seed = number(optarg, 0, UINT64_MAX);
			seeded = 1;
			break;
		case 'n':
			count = number(optarg, 0, UINT64_MAX);
			break;
		case 'd':
			seconds = number(optarg, 1, 365 * 86400);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	seed = seed_or_random(seed, seeded);
	if (!strcmp(argv[0], "link"))
		return cmd_fuzz(argc - 1, argv + 1, 0, seed, count, seconds);
	if (!strcmp(argv[0], "local"))
		return cmd_fuzz(argc - 1, argv + 1, 1, seed, count, seconds);
	if (!strcmp(argv[0], "stride"))
		return cmd_stride(argc - 1, argv + 1, seed);
	if (!strcmp(argv[0], "seg"))
		return cmd_seg(argc - 1, argv + 1);
	if (!strcmp(argv[0], "bad-rst"))
		return cmd_bad_rst(argc - 1, argv + 1);
	usage();
	return 2;
}
