// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set.c: "set KEY VALUE [KEY VALUE...]": several settings in one
 * SET_CONFIG request, as "ip link set" and "wg set" take many keywords.
 * KEY is a setting of the table (settings.h); its VALUE words run up to the
 * next word that names a setting, and are parsed exactly as the set-KEY
 * command parses its arguments. After "action", limit names (rate, conn,
 * halfopen, dst, full, ban) are its LIMITs, so a rate setting goes before
 * it; "max" right after ban-time's DURATION is ban-time's (its maximum).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "set.h"
#include "settings.h"

/*
 * Whether @word, the @n-th of the values of @s, ends them: it names a
 * setting.
 */
static int ends_values(const struct setting *s, const char *word, int n)
{
	if (s->kind == SETTING_REJECT && names_find(&limit_names, word, strlen(word)))
		return 0;
	if (s->kind == SETTING_DURATION && s->attr2 && n == 1 && !strcmp(word, "max"))
		return 0;
	return setting_find(word) != NULL;
}

int set_parse_keys(int argc, char *argv[], struct set_req *req)
{
	const struct setting *s;
	char cmd[40], *sub[SET_MAX_WORDS];
	uint32_t seen = 0;
	int i, j, n;

	if (argc < 3) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (argc > SET_MAX_WORDS) {
		err_msg("%s: more than %d words", argv[0], SET_MAX_WORDS - 1);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i = j) {
		s = setting_find(argv[i]);
		if (!s) {
			err_msg("%s: '%s' is not a setting (try '%s help')", argv[0], argv[i],
				PROG_NAME);
			return EXIT_USAGE;
		}
		if (seen & (1U << (s - settings))) {
			err_msg("%s: %s given twice", argv[0], s->name);
			return EXIT_USAGE;
		}
		seen |= 1U << (s - settings);
		for (j = i + 1; j < argc && !ends_values(s, argv[j], j - i - 1); j++)
			;
		/* More words than the setting takes: a misspelt next KEY. */
		if ((size_t)(j - i - 1) > setting_max_words(s)) {
			err_msg("%s: '%s' is not a setting (try '%s help')", argv[0],
				argv[i + 1 + setting_max_words(s)], PROG_NAME);
			return EXIT_USAGE;
		}
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
