/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: counting at the proof. While a flood keeps the tables full,
 * host mode lets a SYN it cannot track through and counts its connection
 * at the ACK that completes the handshake, which only a real client sends.
 */
#ifndef _TCPLIMIT_PROOF_H
#define _TCPLIMIT_PROOF_H

#include <linux/types.h>
#include <linux/jump_label.h>

struct net;
struct sk_buff;
struct tcphdr;
struct tcplimit_net;
struct tcplimit_flow_key;

/* Some namespace counts at the proof: the hooks look at ACKs too. */
DECLARE_STATIC_KEY_FALSE(tcplimit_proof_key);

bool tcplimit_proof_want(struct tcplimit_net *tn);
bool tcplimit_proof_ack(struct net *net, const struct sk_buff *skb,
			const struct tcplimit_flow_key *key, const struct tcphdr *th,
			int dif, int sdif);
void tcplimit_proof_gc(struct tcplimit_net *tn);
void tcplimit_proof_stop(struct tcplimit_net *tn);

#endif /* _TCPLIMIT_PROOF_H */
