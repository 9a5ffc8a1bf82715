/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bans.h: bans, sources refused for a time: their commands (ban, unban,
 * bans; commands.h), and their lines in a save file ("ban P for LEFT"),
 * which restore applies once the settings are.
 */
#ifndef TCPLIMITCTL_BANS_H
#define TCPLIMITCTL_BANS_H

#include <stddef.h>
#include <stdint.h>

#include "prefix.h"

struct nl_ctx;

struct tl_ban {
	struct tl_prefix p;
	uint64_t hits;
	uint32_t left_ms;
	uint32_t offences;
	uint8_t reason;
};

struct tl_bans {
	struct tl_ban *v;
	size_t n, cap;
};

/* "ban ADDR[/LEN] [for DURATION]" as a restore file holds it. */
struct ban_line {
	struct tl_prefix p;
	uint32_t ms;		/* 0: the configured ban time */
	unsigned int line;	/* in the restore file */
};

/* The name of an enum tcplimit_ban_reason ("manual"), "?" if unknown. */
const char *ban_reason_name(uint8_t reason);

/* The bans in force into @list, longest first: 0 or a negative errno (nothing printed). */
int query_bans(struct nl_ctx *ctx, struct tl_bans *list);

/* "ban ADDR[/LEN] [for DURATION]" (argv[0] "ban") into @l: 0, or -1 after printing why. */
int ban_line_parse(int argc, char *argv[], struct ban_line *l);

/* Send @l's ban: 0 or a negative errno (nl_report() says why). */
int ban_line_apply(struct nl_ctx *ctx, const struct ban_line *l);

#endif /* TCPLIMITCTL_BANS_H */
