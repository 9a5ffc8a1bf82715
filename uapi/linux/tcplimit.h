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

/* Largest value accepted for a connection cap; 0 means "no limit". */
#define TCPLIMIT_MAX_CONN_LIMIT	10000000

enum tcplimit_cmd {
	TCPLIMIT_CMD_UNSPEC,
	TCPLIMIT_CMD_GET_CONFIG,	/* do: reply carries config attributes */
	TCPLIMIT_CMD_SET_CONFIG,	/* do, CAP_NET_ADMIN: all or nothing */
	TCPLIMIT_CMD_GET_STATS,		/* do: reply carries TCPLIMIT_A_STATS */
	TCPLIMIT_CMD_GET_SOURCES,	/* dump, CAP_NET_ADMIN: one message per source */

	__TCPLIMIT_CMD_MAX,
	TCPLIMIT_CMD_MAX = __TCPLIMIT_CMD_MAX - 1
};

enum tcplimit_attr {
	TCPLIMIT_A_UNSPEC,
	TCPLIMIT_A_VERSION,	/* u32: TCPLIMIT_GENL_VERSION, in every reply */
	TCPLIMIT_A_MAX_CONN,	/* u32: concurrent connections per source, 0 = unlimited */
	TCPLIMIT_A_STATS,	/* nest: enum tcplimit_stats_attr */
	TCPLIMIT_A_SOURCE,	/* nest: enum tcplimit_source_attr */

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
	TCPLIMIT_STATS_A_TABLE_FULL,	/* u64: SYNs dropped, source or flow table full */

	__TCPLIMIT_STATS_A_MAX,
	TCPLIMIT_STATS_A_MAX = __TCPLIMIT_STATS_A_MAX - 1
};

enum tcplimit_source_attr {
	TCPLIMIT_SOURCE_A_UNSPEC,
	TCPLIMIT_SOURCE_A_FAMILY,	/* u16: AF_INET or AF_INET6 */
	TCPLIMIT_SOURCE_A_ADDR,		/* binary: 4 or 16 bytes, network order */
	TCPLIMIT_SOURCE_A_PREFIX_LEN,	/* u8: bits of ADDR that identify the source */
	TCPLIMIT_SOURCE_A_CONNS,	/* u32: connections counted now */

	__TCPLIMIT_SOURCE_A_MAX,
	TCPLIMIT_SOURCE_A_MAX = __TCPLIMIT_SOURCE_A_MAX - 1
};

#endif /* _UAPI_LINUX_TCPLIMIT_H */
