/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tcplimit: per-source TCP connection limits, generic netlink interface.
 *
 * One family, TCPLIMIT_GENL_NAME, per network namespace. Every request is
 * validated by a per-command policy; errors carry an extack message.
 */
#ifndef _UAPI_LINUX_TCPLIMIT_H
#define _UAPI_LINUX_TCPLIMIT_H

#define TCPLIMIT_GENL_NAME	"tcplimit"
#define TCPLIMIT_GENL_VERSION	1
/* Multicast group of TCPLIMIT_CMD_EVENT notifications (CAP_NET_ADMIN). */
#define TCPLIMIT_MCGRP_EVENTS	"events"

/* Largest value accepted for a connection cap or rate; 0 means "no limit". */
#define TCPLIMIT_MAX_CONN_LIMIT	10000000
/* Rate periods, in milliseconds. */
#define TCPLIMIT_MIN_PERIOD_MS	100
#define TCPLIMIT_MAX_PERIOD_MS	3600000
/* Timeouts, in milliseconds. */
#define TCPLIMIT_MIN_TIMEOUT_MS	1000
#define TCPLIMIT_MAX_TIMEOUT_MS	(7 * 24 * 3600 * 1000)
/* Largest table size (entries); 0 means the built-in default. */
#define TCPLIMIT_MAX_TABLE_SIZE	16777216	/* 2^24 */

/*
 * Prefixes in a namespace's allowlist: a whole list fits one attribute
 * (TCPLIMIT_A_ALLOWLIST, under 64 KiB), and a large trusted population is
 * one prefix.
 */
#define TCPLIMIT_MAX_ALLOW	1024

/*
 * Port-range policies in a namespace (TCPLIMIT_A_POLICIES): one per
 * service or group of them, all in one configuration.
 */
#define TCPLIMIT_MAX_POLICIES	64

/* TCPLIMIT_FILTER_A_TOP: at most this many sources in a top-K dump. */
#define TCPLIMIT_MAX_TOP	10000

/* TCPLIMIT_A_MODE: where connections are seen. */
enum tcplimit_mode {
	TCPLIMIT_MODE_HOST,	/* LOCAL_IN/LOCAL_OUT: connections to local services */
	TCPLIMIT_MODE_GATEWAY,	/* FORWARD: connections routed through this host */
};

/* TCPLIMIT_A_FULL_POLICY: a new connection finds its table full. */
enum tcplimit_full_policy {
	TCPLIMIT_FULL_ADMIT,	/* let it through, untracked (counted in table_full) */
	TCPLIMIT_FULL_DROP,	/* drop it (counted in table_full) */
};

/* Bits of TCPLIMIT_A_REJECT: limits that answer with an RST instead of a drop. */
enum tcplimit_limit_bit {
	TCPLIMIT_LIMIT_RATE	= 1 << 0,	/* per-source new connections per period */
	TCPLIMIT_LIMIT_CONN	= 1 << 1,	/* per-source concurrent */
	TCPLIMIT_LIMIT_HALFOPEN	= 1 << 2,	/* per-source half-open */
	TCPLIMIT_LIMIT_DST	= 1 << 3,	/* per-destination rate or concurrent */
	TCPLIMIT_LIMIT_FULL	= 1 << 4,	/* table full under TCPLIMIT_FULL_DROP */
	TCPLIMIT_LIMIT_BAN	= 1 << 5,	/* the source is banned */
	TCPLIMIT_LIMIT_ALL	= (1 << 6) - 1,
};

/* TCPLIMIT_BAN_A_REASON: why a source is banned. */
enum tcplimit_ban_reason {
	TCPLIMIT_BAN_MANUAL,	/* TCPLIMIT_CMD_BAN */
	TCPLIMIT_BAN_REFUSALS,	/* refused TCPLIMIT_A_BAN_AFTER times within its window */
	TCPLIMIT_BAN_ABNORMAL,	/* held more than TCPLIMIT_A_ABNORMAL_MAX slow connections */
};

/* TCPLIMIT_A_SLOW_ACTION: what becomes of a connection found slow. */
enum tcplimit_slow_action {
	TCPLIMIT_SLOW_NONE,	/* counted, its source banned past abnormal-max */
	TCPLIMIT_SLOW_RESET,	/* also reset at once, both ends */
};

/* TCPLIMIT_FILTER_A_SORT: the counter a top-K dump ranks sources by, largest first. */
enum tcplimit_sort {
	TCPLIMIT_SORT_CONNS,	/* TCPLIMIT_SOURCE_A_CONNS */
	TCPLIMIT_SORT_HALFOPEN,	/* TCPLIMIT_SOURCE_A_HALFOPEN */
	TCPLIMIT_SORT_LIMITED,	/* TCPLIMIT_SOURCE_A_LIMITED */
	TCPLIMIT_SORT_SLOW,	/* TCPLIMIT_SOURCE_A_SLOW */
};

enum tcplimit_cmd {
	TCPLIMIT_CMD_UNSPEC,
	TCPLIMIT_CMD_GET_CONFIG,	/* do: reply carries config attributes */
	TCPLIMIT_CMD_SET_CONFIG,	/* do, CAP_NET_ADMIN: all or nothing */
	TCPLIMIT_CMD_GET_STATS,		/* do: reply carries TCPLIMIT_A_STATS */
	TCPLIMIT_CMD_GET_SOURCES,	/* dump, CAP_NET_ADMIN: one message per source,
					 * optionally TCPLIMIT_A_FILTER in the request
					 */
	TCPLIMIT_CMD_FLUSH,		/* do, CAP_NET_ADMIN: forget sources holding no
					 * connection; reply carries TCPLIMIT_A_FLUSHED
					 */
	TCPLIMIT_CMD_ALLOW,		/* do, CAP_NET_ADMIN: TCPLIMIT_A_PREFIX joins the
					 * allowlist (already there: nothing changes)
					 */
	TCPLIMIT_CMD_DISALLOW,		/* do, CAP_NET_ADMIN: TCPLIMIT_A_PREFIX leaves it
					 * (ENOENT when it is not there)
					 */
	TCPLIMIT_CMD_GET_ALLOWLIST,	/* dump: one TCPLIMIT_A_PREFIX per message, sorted */
	TCPLIMIT_CMD_BAN,		/* do, CAP_NET_ADMIN: ban TCPLIMIT_A_PREFIX for
					 * TCPLIMIT_A_BAN_TIME_MS (default: the configured one)
					 */
	TCPLIMIT_CMD_UNBAN,		/* do, CAP_NET_ADMIN: lift the ban of TCPLIMIT_A_PREFIX
					 * (ENOENT when it is not banned)
					 */
	TCPLIMIT_CMD_GET_BANS,		/* dump, CAP_NET_ADMIN: one TCPLIMIT_A_BAN a ban in force */
	TCPLIMIT_CMD_EVENT,		/* notification (TCPLIMIT_MCGRP_EVENTS): TCPLIMIT_A_EVENT */
	TCPLIMIT_CMD_POLICY_ADD,	/* do, CAP_NET_ADMIN: TCPLIMIT_A_POLICY takes its ports,
					 * replacing a policy of the same ports
					 */
	TCPLIMIT_CMD_POLICY_DEL,	/* do, CAP_NET_ADMIN: the policy of TCPLIMIT_A_POLICY's
					 * ports goes (ENOENT when there is none)
					 */

	__TCPLIMIT_CMD_MAX,
	TCPLIMIT_CMD_MAX = __TCPLIMIT_CMD_MAX - 1
};

enum tcplimit_attr {
	TCPLIMIT_A_UNSPEC,
	TCPLIMIT_A_VERSION,	/* u32: TCPLIMIT_GENL_VERSION, in every reply */
	TCPLIMIT_A_MAX_CONN,	/* u32: concurrent connections per source, 0 = unlimited */
	TCPLIMIT_A_STATS,	/* nest: enum tcplimit_stats_attr */
	TCPLIMIT_A_SOURCE,	/* nest: enum tcplimit_source_attr */
	TCPLIMIT_A_RATE,	/* u32: new connections per period per source, 0 = unlimited */
	TCPLIMIT_A_RATE_PERIOD_MS,	/* u32: the period, TCPLIMIT_MIN/MAX_PERIOD_MS */
	TCPLIMIT_A_RATE_BURST,	/* u32: connections at once, 0 = TCPLIMIT_A_RATE */
	TCPLIMIT_A_HALFOPEN_MAX,	/* u32: handshakes in progress per source, 0 = unlimited */
	TCPLIMIT_A_PREFIX4,	/* u8 1..32: IPv4 source prefix length (default 32) */
	TCPLIMIT_A_PREFIX6,	/* u8 1..128: IPv6 source prefix length (default 64) */
	TCPLIMIT_A_DST_MAX,	/* u32: concurrent connections per local address+port */
	TCPLIMIT_A_DST_RATE,	/* u32: new connections per period per local address+port */
	TCPLIMIT_A_DST_RATE_PERIOD_MS,	/* u32 */
	TCPLIMIT_A_DST_RATE_BURST,	/* u32, 0 = TCPLIMIT_A_DST_RATE */
	TCPLIMIT_A_SYN_TIMEOUT_MS,	/* u32: a half-open connection stops counting (gateway) */
	TCPLIMIT_A_IDLE_TIMEOUT_MS,	/* u32: a silent established one stops counting (gateway) */
	TCPLIMIT_A_MODE,	/* u8: enum tcplimit_mode */
	TCPLIMIT_A_REJECT,	/* u32: enum tcplimit_limit_bit mask; the others drop */
	TCPLIMIT_A_DRY_RUN,	/* u8 0/1: count "would limit", enforce nothing */
	TCPLIMIT_A_TABLE_SIZE,	/* u32: source entries, 0 = default */
	TCPLIMIT_A_FLOW_TABLE_SIZE,	/* u32: tracked connections, 0 = default */
	TCPLIMIT_A_FULL_POLICY,	/* u8: enum tcplimit_full_policy */
	TCPLIMIT_A_FILTER,	/* nest: enum tcplimit_filter_attr (GET_SOURCES request) */
	TCPLIMIT_A_FLUSHED,	/* u32: sources forgotten by TCPLIMIT_CMD_FLUSH */
	TCPLIMIT_A_PREFIX,	/* nest: enum tcplimit_prefix_attr */
	TCPLIMIT_A_ALLOWLIST,	/* nest of TCPLIMIT_A_PREFIX (SET_CONFIG: the whole
				 * allowlist, replaced; empty clears it)
				 */
	TCPLIMIT_A_BAN_AFTER,	/* u32: ban a source refused this often, 0 = never */
	TCPLIMIT_A_BAN_AFTER_WINDOW_MS,	/* u32: ...within this window (a rate period) */
	TCPLIMIT_A_BAN_TIME_MS,	/* u32: a ban's length (a timeout; BAN: this ban's) */
	TCPLIMIT_A_BAN_TIME_MAX_MS,	/* u32: a repeat offender's, doubled up to this */
	TCPLIMIT_A_BAN,		/* nest: enum tcplimit_ban_attr (GET_BANS) */
	TCPLIMIT_A_SLOW_BYTES,	/* u32: an established connection whose client sent
				 * fewer bytes per slow period is slow, 0 = off
				 */
	TCPLIMIT_A_SLOW_PERIOD_MS,	/* u32: the slow period, TCPLIMIT_MIN/MAX_PERIOD_MS */
	TCPLIMIT_A_ABNORMAL_MAX,	/* u32: ban a source holding more slow ones, 0 = never */
	TCPLIMIT_A_SLOW_ACTION,	/* u8: enum tcplimit_slow_action */
	TCPLIMIT_A_EVENT,	/* nest: enum tcplimit_event_attr (CMD_EVENT) */
	TCPLIMIT_A_POLICY,	/* nest: enum tcplimit_policy_attr */
	TCPLIMIT_A_POLICIES,	/* nest of TCPLIMIT_A_POLICY, sorted by port (GET_CONFIG;
				 * SET_CONFIG: all of them, replaced; empty clears them)
				 */

	__TCPLIMIT_A_MAX,
	TCPLIMIT_A_MAX = __TCPLIMIT_A_MAX - 1
};

enum tcplimit_stats_attr {
	TCPLIMIT_STATS_A_UNSPEC,
	TCPLIMIT_STATS_A_PAD,
	TCPLIMIT_STATS_A_SOURCES,	/* u32: sources in the table now */
	TCPLIMIT_STATS_A_CONNS,		/* u32: connections counted now */
	TCPLIMIT_STATS_A_ADMITTED,	/* u64: new connections admitted */
	TCPLIMIT_STATS_A_LIMITED_CONN,	/* u64: SYNs dropped by the concurrent cap */
	TCPLIMIT_STATS_A_TABLE_FULL,	/* u64: SYNs that found a table full */
	TCPLIMIT_STATS_A_LIMITED_RATE,	/* u64: SYNs over a source's rate */
	TCPLIMIT_STATS_A_LIMITED_HALFOPEN,	/* u64: SYNs over a source's half-open cap */
	TCPLIMIT_STATS_A_LIMITED_DST,	/* u64: SYNs over a destination's rate or cap */
	TCPLIMIT_STATS_A_EXPIRED,	/* u64: connections forgotten by a timeout */
	TCPLIMIT_STATS_A_HALFOPEN,	/* u32: handshakes in progress now */
	TCPLIMIT_STATS_A_REJECTED,	/* u64: RSTs sent for limited SYNs */
	TCPLIMIT_STATS_A_UNPROVEN,	/* u64: handshakes uncharged, their SYN-ACK unanswered */
	TCPLIMIT_STATS_A_ABORTED,	/* u64: unproven ones reset at completion, over a limit */
	TCPLIMIT_STATS_A_ALLOWED,	/* u64: SYNs of allowlisted sources, not counted */
	TCPLIMIT_STATS_A_ALLOWLIST,	/* u32: prefixes in the allowlist */
	TCPLIMIT_STATS_A_BANNED,	/* u64: SYNs refused by a ban (or would be, dry run) */
	TCPLIMIT_STATS_A_BANS,		/* u32: bans in force now */
	TCPLIMIT_STATS_A_BAN_FULL,	/* u64: bans not made, the ban table full */
	TCPLIMIT_STATS_A_SLOW_FOUND,	/* u64: connections found slow */
	TCPLIMIT_STATS_A_SLOW_RESET,	/* u64: slow connections reset */
	TCPLIMIT_STATS_A_EVENTS_SUPPRESSED,	/* u64: events not sent, over the rate */

	__TCPLIMIT_STATS_A_MAX,
	TCPLIMIT_STATS_A_MAX = __TCPLIMIT_STATS_A_MAX - 1
};

enum tcplimit_source_attr {
	TCPLIMIT_SOURCE_A_UNSPEC,
	TCPLIMIT_SOURCE_A_FAMILY,	/* u16: AF_INET or AF_INET6 */
	TCPLIMIT_SOURCE_A_ADDR,		/* binary: 4 or 16 bytes, network order */
	TCPLIMIT_SOURCE_A_PREFIX_LEN,	/* u8: bits of ADDR that identify the source */
	TCPLIMIT_SOURCE_A_CONNS,	/* u32: connections charged to max now (not unproven) */
	TCPLIMIT_SOURCE_A_HALFOPEN,	/* u32: handshakes in progress (unproven included) */
	TCPLIMIT_SOURCE_A_RATE_AVAIL,	/* u32: new connections it may open right now */
	TCPLIMIT_SOURCE_A_LIMITED,	/* u64: its SYNs refused (or that would be, dry run) */
	TCPLIMIT_SOURCE_A_PAD,
	TCPLIMIT_SOURCE_A_SLOW,		/* u32: slow connections it holds now */
	TCPLIMIT_SOURCE_A_PORT_FIRST,	/* u16: counted under the policy of these ports */
	TCPLIMIT_SOURCE_A_PORT_LAST,	/* u16 (absent: a policy removed since; both
					 * absent: the default policy)
					 */

	__TCPLIMIT_SOURCE_A_MAX,
	TCPLIMIT_SOURCE_A_MAX = __TCPLIMIT_SOURCE_A_MAX - 1
};

/*
 * Which sources a TCPLIMIT_CMD_GET_SOURCES dump returns; all given
 * conditions must hold. With TCPLIMIT_FILTER_A_TOP the kernel ranks the
 * matching sources and sends only the K first, in order.
 */
enum tcplimit_filter_attr {
	TCPLIMIT_FILTER_A_UNSPEC,
	TCPLIMIT_FILTER_A_ADDR,		/* binary, 4 or 16 bytes: sources inside ADDR/PREFIX_LEN */
	TCPLIMIT_FILTER_A_PREFIX_LEN,	/* u8: bits of ADDR to match (default: all of them) */
	TCPLIMIT_FILTER_A_LIMITED,	/* flag: only sources with SOURCE_A_LIMITED > 0 */
	TCPLIMIT_FILTER_A_TOP,		/* u32 1..TCPLIMIT_MAX_TOP: the K largest */
	TCPLIMIT_FILTER_A_SORT,		/* u8: enum tcplimit_sort, default CONNS */

	__TCPLIMIT_FILTER_A_MAX,
	TCPLIMIT_FILTER_A_MAX = __TCPLIMIT_FILTER_A_MAX - 1
};

/*
 * An address prefix ADDR/LEN (allowlist): the address has no bit set past
 * LEN. Sources inside it are those whose first LEN bits are ADDR's.
 */
enum tcplimit_prefix_attr {
	TCPLIMIT_PREFIX_A_UNSPEC,
	TCPLIMIT_PREFIX_A_ADDR,		/* binary: 4 or 16 bytes, network order */
	TCPLIMIT_PREFIX_A_LEN,		/* u8: 0..32 or 0..128, default the whole address */

	__TCPLIMIT_PREFIX_A_MAX,
	TCPLIMIT_PREFIX_A_MAX = __TCPLIMIT_PREFIX_A_MAX - 1
};

/*
 * A port-range policy: the per-source limits of connections to ports
 * PORT_FIRST..PORT_LAST, instead of the default ones (the configuration's
 * TCPLIMIT_A_MAX_CONN...). A limit not given is off. A source's counts are
 * kept per policy. Ranges of one namespace never overlap.
 */
enum tcplimit_policy_attr {
	TCPLIMIT_POLICY_A_UNSPEC,
	TCPLIMIT_POLICY_A_PORT_FIRST,	/* u16: required */
	TCPLIMIT_POLICY_A_PORT_LAST,	/* u16: default PORT_FIRST, not below it */
	TCPLIMIT_POLICY_A_MAX_CONN,	/* u32: as TCPLIMIT_A_MAX_CONN */
	TCPLIMIT_POLICY_A_RATE,		/* u32: as TCPLIMIT_A_RATE */
	TCPLIMIT_POLICY_A_RATE_PERIOD_MS,	/* u32: default 1000 */
	TCPLIMIT_POLICY_A_RATE_BURST,	/* u32 */
	TCPLIMIT_POLICY_A_HALFOPEN_MAX,	/* u32 */
	TCPLIMIT_POLICY_A_SLOW_BYTES,	/* u32: as TCPLIMIT_A_SLOW_BYTES */
	TCPLIMIT_POLICY_A_SLOW_PERIOD_MS,	/* u32: default 10000 */
	TCPLIMIT_POLICY_A_ABNORMAL_MAX,	/* u32 */

	__TCPLIMIT_POLICY_A_MAX,
	TCPLIMIT_POLICY_A_MAX = __TCPLIMIT_POLICY_A_MAX - 1
};

/* A ban in force, as GET_BANS sends it. */
enum tcplimit_ban_attr {
	TCPLIMIT_BAN_A_UNSPEC,
	TCPLIMIT_BAN_A_PREFIX,		/* nest: enum tcplimit_prefix_attr */
	TCPLIMIT_BAN_A_LEFT_MS,		/* u32: time left */
	TCPLIMIT_BAN_A_REASON,		/* u8: enum tcplimit_ban_reason */
	TCPLIMIT_BAN_A_HITS,		/* u64: SYNs it refused */
	TCPLIMIT_BAN_A_OFFENCES,	/* u32: bans by a trigger remembered (0: by hand) */
	TCPLIMIT_BAN_A_PAD,

	__TCPLIMIT_BAN_A_MAX,
	TCPLIMIT_BAN_A_MAX = __TCPLIMIT_BAN_A_MAX - 1
};

/* TCPLIMIT_EVENT_A_TYPE: what a TCPLIMIT_CMD_EVENT announces. */
enum tcplimit_event {
	TCPLIMIT_EVENT_BAN,	/* a ban started: PREFIX, REASON, TIME_MS */
	TCPLIMIT_EVENT_UNBAN,	/* a ban lifted by hand: PREFIX */
	TCPLIMIT_EVENT_SLOW,	/* a connection of source PREFIX found slow: SLOW */
	TCPLIMIT_EVENT_REFUSED,	/* source PREFIX refused, its first in a minute: LIMIT */
};

/*
 * One event. The namespace sends at most TCPLIMIT_EVENTS_PER_SEC a second;
 * SUPPRESSED says how many it did not send since the last one it sent.
 */
enum tcplimit_event_attr {
	TCPLIMIT_EVENT_A_UNSPEC,
	TCPLIMIT_EVENT_A_TYPE,		/* u8: enum tcplimit_event */
	TCPLIMIT_EVENT_A_PREFIX,	/* nest: enum tcplimit_prefix_attr */
	TCPLIMIT_EVENT_A_REASON,	/* u8: enum tcplimit_ban_reason (BAN) */
	TCPLIMIT_EVENT_A_TIME_MS,	/* u32: the ban's length (BAN) */
	TCPLIMIT_EVENT_A_LIMIT,		/* u32: the enum tcplimit_limit_bit refusing (REFUSED) */
	TCPLIMIT_EVENT_A_SLOW,		/* u32: the source's slow connections now (SLOW) */
	TCPLIMIT_EVENT_A_SUPPRESSED,	/* u32: events not sent before this one */

	__TCPLIMIT_EVENT_A_MAX,
	TCPLIMIT_EVENT_A_MAX = __TCPLIMIT_EVENT_A_MAX - 1
};

/* Events a namespace sends a second, at most (a flood cannot flood userspace). */
#define TCPLIMIT_EVENTS_PER_SEC	100

#endif /* _UAPI_LINUX_TCPLIMIT_H */
