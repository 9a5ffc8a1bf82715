// SPDX-License-Identifier: GPL-2.0
/*
 * tcplimit: counting at the proof.
 *
 * A spoofed flood can fill the source table, or the flow table and its
 * reserve, with handshakes that never complete. A new source's SYN then
 * finds no room, and counting it at its SYN would mean admitting it
 * untracked (escaping its caps) or refusing it (the flood's aim). So in
 * host mode such a SYN is let through untracked (the listener's SYN
 * cookies answer it), and its connection is counted at the ACK that
 * completes its handshake: an ACK TCP will take, for a request socket or
 * a SYN cookie of ours, sent by a client that got our SYN-ACK, so its
 * address is real. Proven, the source may take the tables' reserves, which
 * unproven handshakes cannot fill, and its limits apply there; one over a
 * limit has its ACK dropped and is reset.
 *
 * The hooks look at ACKs only while some namespace needs it: a static key
 * the GC (process context) turns on after a SYN found no room, and off
 * once the last such SYN's handshake can no longer complete.
 */
#include <linux/jiffies.h>
#include <net/tcp.h>
#include <net/inet_sock.h>
#include "proof.h"
#include "flow.h"
#include "limiter.h"
#include "compat.h"

DEFINE_STATIC_KEY_FALSE(tcplimit_proof_key);

/*
 * A SYN of @tn found no room: count at the proof from the GC's next run
 * (until then the full policy decides). Returns whether it is on now.
 */
bool tcplimit_proof_want(struct tcplimit_net *tn)
{
	/* Never 0: 0 means no SYN ever found the tables full. */
	unsigned long now = jiffies | 1;

	if (READ_ONCE(tn->proof_wanted) != now)
		WRITE_ONCE(tn->proof_wanted, now);
	/* Pairs with tcplimit_proof_gc() turning it off. */
	smp_mb();
	if (READ_ONCE(tn->proof))
		return true;
	tcplimit_gc_kick(tn);
	return false;
}

/*
 * Does @th acknowledge the SYN-ACK of request @req, as TCP checks it
 * (tcp_check_req(): the exact acknowledgment, a sequence number in the
 * window)? Taking a little more than TCP would is harmless: a flow whose
 * request stays is judged by it.
 */
static bool tcplimit_req_acked(const struct request_sock *req, const struct tcphdr *th)
{
	const struct tcp_request_sock *treq = tcp_rsk(req);
	u32 seq = ntohl(th->seq);

	return ntohl(th->ack_seq) == treq->snt_isn + 1 &&
	       !before(seq, treq->rcv_nxt) && !after(seq, treq->rcv_nxt + req->rsk_rcv_wnd);
}

/*
 * Does @th complete the handshake of @sk: a request socket's, or a Fast
 * Open one's (a full socket from the SYN on, still in SYN_RECV)?
 */
static bool tcplimit_sk_acked(const struct sock *sk, const struct tcphdr *th)
{
	const struct request_sock *req;

	if (sk->sk_state == TCP_NEW_SYN_RECV)
		return tcplimit_req_acked(inet_reqsk((struct sock *)sk), th);
	if (!tcp_passive_fastopen(sk))
		return false;
	req = rcu_dereference(tcp_sk(sk)->fastopen_rsk);
	return req && ntohl(th->ack_seq) == tcp_rsk(req)->snt_isn + 1;
}

/* Does @th carry a valid SYN cookie of ours for @skb's 4-tuple? */
static bool tcplimit_cookie_acked(const struct sk_buff *skb, const struct tcplimit_flow_key *key,
				  const struct tcphdr *th)
{
#if IS_ENABLED(CONFIG_SYN_COOKIES)
	if (key->family == NFPROTO_IPV4)
		return tcplimit_cookie_check4(ip_hdr(skb), th) != 0;
#if IS_ENABLED(CONFIG_IPV6)
	return tcplimit_cookie_check6(ipv6_hdr(skb), th) != 0;
#endif
#endif
	return false;
}

/*
 * Does the ACK @th (of @skb, connection @key, on devices @dif and @sdif)
 * complete a handshake TCP will take: one of a request socket's (or a
 * Fast Open socket's), or one a SYN cookie answered? An established
 * socket's ACK proves nothing new. Under RCU.
 */
bool tcplimit_proof_ack(struct net *net, const struct sk_buff *skb,
			const struct tcplimit_flow_key *key, const struct tcphdr *th,
			int dif, int sdif)
{
	struct sock *sk = skb->sk;
	bool acked;

	/*
	 * Early demux may have found the socket (held for the skb); a
	 * listener there (BPF sk_assign) may take a cookie.
	 */
	if (sk && sk->sk_state != TCP_LISTEN)
		return tcplimit_sk_acked(sk, th);
	if (!sk) {
		if (key->family == NFPROTO_IPV4)
			sk = tcplimit_lookup4(net, key->saddr.ip, key->sport, key->daddr.ip,
					      key->dport, dif, sdif);
		else
			sk = tcplimit_lookup6(net, &key->saddr.in6, key->sport, &key->daddr.in6,
					      key->dport, dif, sdif);
		if (sk) {
			acked = tcplimit_sk_acked(sk, th);
			sock_gen_put(sk);
			return acked;
		}
	}
	return READ_ONCE(net->ipv4.sysctl_tcp_syncookies) && tcplimit_cookie_acked(skb, key, th);
}

/*
 * How long a handshake let through may still complete: a SYN cookie's
 * life, or a request socket's (its SYN-ACK retransmissions: the sysctl's,
 * or at least 7, 4 minutes, for listeners that ask for more), the longer.
 */
static unsigned long tcplimit_proof_linger(struct net *net)
{
	unsigned int retries = max_t(unsigned int, 7,
				     READ_ONCE(net->ipv4.sysctl_tcp_synack_retries)), i;
	unsigned long life = 0;

	for (i = 0; i <= retries; i++)
		life += min_t(unsigned long, (unsigned long)TCP_TIMEOUT_INIT << min(i, 16U),
			      TCP_RTO_MAX);
	return max_t(unsigned long, life, TCPLIMIT_COOKIE_LIFE) + HZ;
}

/*
 * The GC: count at the proof from soon after a SYN found no room until the
 * last such SYN's handshake can no longer complete. May sleep.
 */
static bool tcplimit_proof_wanted(struct tcplimit_net *tn)
{
	unsigned long wanted = READ_ONCE(tn->proof_wanted);

	return wanted && time_before(jiffies, wanted + tcplimit_proof_linger(tn->net));
}

void tcplimit_proof_gc(struct tcplimit_net *tn)
{
	unsigned long wanted = READ_ONCE(tn->proof_wanted);
	bool want = tcplimit_proof_wanted(tn);

	/* Forget an old note, or jiffies wrapping would make it new again. */
	if (!want && wanted)
		cmpxchg(&tn->proof_wanted, wanted, 0);
	if (want == tn->proof)
		return;
	if (want) {
		static_branch_inc(&tcplimit_proof_key);
		WRITE_ONCE(tn->proof, true);
		return;
	}
	WRITE_ONCE(tn->proof, false);
	/*
	 * A SYN that saw it still on was let through: its ACK must find it
	 * on. Either the SYN's note is seen here, or it sees it off.
	 */
	smp_mb();
	if (tcplimit_proof_wanted(tn))
		WRITE_ONCE(tn->proof, true);
	else
		static_branch_dec(&tcplimit_proof_key);
}

/* The namespace goes: its share of the static key with it. May sleep. */
void tcplimit_proof_stop(struct tcplimit_net *tn)
{
	if (tn->proof) {
		tn->proof = false;
		static_branch_dec(&tcplimit_proof_key);
	}
}
