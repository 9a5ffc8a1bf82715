// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set_prefix.c: "set-prefix [v4 LEN] [v6 LEN]" or "set-prefix LEN4
 * [LEN6]": how many leading bits of an address make a source, both
 * families in one SET_CONFIG.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "parse.h"
#include "set.h"

static const struct name_val family_v[] = {
	{ "v4",	TCPLIMIT_A_PREFIX4 },
	{ "v6",	TCPLIMIT_A_PREFIX6 },
};

static const struct names family_names = NAMES(family_v);

/* "set-prefix 24 56": the IPv4 length, then optionally the IPv6 one. */
static int set_parse_prefix_lens(int argc, char *argv[], struct set_req *req)
{
	uint32_t len;
	char what[64];

	snprintf(what, sizeof(what), "%s v4", argv[0]);
	if (parse_prefix_len(what, argv[1], 32, &len))
		return EXIT_USAGE;
	set_add_u8(req, TCPLIMIT_A_PREFIX4, (uint8_t)len);
	if (argc == 3) {
		snprintf(what, sizeof(what), "%s v6", argv[0]);
		if (parse_prefix_len(what, argv[2], 128, &len))
			return EXIT_USAGE;
		set_add_u8(req, TCPLIMIT_A_PREFIX6, (uint8_t)len);
	}
	return EXIT_OK;
}

int set_parse_prefix(int argc, char *argv[], struct set_req *req)
{
	uint32_t attr, len, seen = 0;
	char what[64];
	int i;

	if ((argc == 2 || argc == 3) && (isdigit((unsigned char)argv[1][0]) || argv[1][0] == '/'))
		return set_parse_prefix_lens(argc, argv, req);
	if (argc != 3 && argc != 5) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i += 2) {
		if (parse_name(argv[0], argv[i], &family_names, &attr))
			return EXIT_USAGE;
		if (seen & (1U << attr)) {
			err_msg("%s: %s given twice", argv[0], argv[i]);
			return EXIT_USAGE;
		}
		seen |= 1U << attr;
		snprintf(what, sizeof(what), "%s %s", argv[0], argv[i]);
		if (parse_prefix_len(what, argv[i + 1],
				     attr == TCPLIMIT_A_PREFIX4 ? 32 : 128, &len))
			return EXIT_USAGE;
		set_add_u8(req, (uint16_t)attr, (uint8_t)len);
	}
	return EXIT_OK;
}
