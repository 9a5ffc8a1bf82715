// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set.c: "set KEY VALUE... [KEY VALUE...]": several settings in one
 * SET_CONFIG request, as "ip link set" and "wg set" take many keywords.
 * KEY is a setting of the table (settings.h); its VALUE words run up to the
 * next word that names a setting, and are parsed exactly as the set-KEY
 * command parses its arguments (so "rate" after "action reject" starts the
 * rate: several LIMITs are a comma list there).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "error.h"
#include "set.h"
#include "settings.h"

int set_parse_keys(int argc, char *argv[], struct set_req *req)
{
	const struct setting *s;
	char cmd[40], *sub[64];
	unsigned long seen = 0;
	int i, j, n;

	if (argc < 3 || argc > (int)(sizeof(sub) / sizeof(sub[0]))) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i = j) {
		s = setting_find(argv[i]);
		if (!s) {
			err_msg("%s: '%s' is not a setting (try '%s help')", argv[0], argv[i],
				PROG_NAME);
			return EXIT_USAGE;
		}
		if (seen & (1UL << (s - settings))) {
			err_msg("%s: %s given twice", argv[0], s->name);
			return EXIT_USAGE;
		}
		seen |= 1UL << (s - settings);
		for (j = i + 1; j < argc && !setting_find(argv[j]); j++)
			;
		/* set-KEY VALUE...: messages name the set-KEY command. */
		snprintf(cmd, sizeof(cmd), "set-%s", s->name);
		sub[0] = cmd;
		for (n = 1; i + n < j; n++)
			sub[n] = argv[i + n];
		if (setting_parse(s, n, sub, req))
			return EXIT_USAGE;
	}
	return EXIT_OK;
}
