/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: the allowlist, prefixes whose sources are never limited.
 */
#ifndef _TCPLIMIT_ALLOWLIST_H
#define _TCPLIMIT_ALLOWLIST_H

#include <linux/types.h>
#include <linux/refcount.h>
#include "prefix.h"

/* A range of addresses as 128-bit numbers (IPv4 in @lo), first to last. */
struct tcplimit_span {
	u64 first_hi, first_lo;
	u64 last_hi, last_lo;
};

/*
 * An allowlist: @prefixes as given, sorted (IPv4 first, then by address
 * and length), and their union as disjoint @spans, sorted: IPv4's (@n4)
 * then IPv6's (@n6). A source is allowlisted when a span holds it, found
 * by binary search: the cost grows with log(@n), not with the number of
 * prefix lengths in use.
 *
 * Immutable once made, shared by the configurations that hold it
 * (tcplimit_config.allow, @ref), so the hooks read it under the same RCU
 * read section as their configuration; the last configuration freed
 * (after a grace period) frees it.
 */
struct tcplimit_allowlist {
	refcount_t ref;
	u32 n;
	u32 n4, n6;
	struct tcplimit_span *spans;
	struct tcplimit_prefix prefixes[];
};

bool tcplimit_allowlisted(const struct tcplimit_allowlist *al, u8 family,
			  const union nf_inet_addr *addr);
struct tcplimit_allowlist *tcplimit_allowlist_edit(const struct tcplimit_allowlist *old,
						   const struct tcplimit_prefix *p, bool add,
						   struct netlink_ext_ack *extack);
struct tcplimit_allowlist *tcplimit_allowlist_parse(const struct nlattr *list,
						    struct netlink_ext_ack *extack);

static inline u32 tcplimit_allowlist_len(const struct tcplimit_allowlist *al)
{
	return al ? al->n : 0;
}

static inline struct tcplimit_allowlist *tcplimit_allowlist_get(struct tcplimit_allowlist *al)
{
	if (al)
		refcount_inc(&al->ref);
	return al;
}

void tcplimit_allowlist_put(struct tcplimit_allowlist *al);

#endif /* _TCPLIMIT_ALLOWLIST_H */
