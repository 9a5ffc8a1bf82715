// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set_action.c: "set-action drop | reject [LIMIT...]": which limits
 * answer a refused SYN with an RST (TCPLIMIT_A_REJECT); the others drop it.
 * "reject" alone means every limit; LIMITs may also be comma-separated, as
 * "show" prints them ("reject rate,conn").
 */
#include <stdint.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "parse.h"
#include "set.h"

enum { ACTION_DROP, ACTION_REJECT };

static const struct name_val action_v[] = {
	{ "drop",	ACTION_DROP },
	{ "reject",	ACTION_REJECT },
};

static const struct names action_names = NAMES(action_v);

/* Add the limits named in @arg ("rate" or "rate,conn") to *@mask. */
static int parse_limits(const char *what, const char *arg, uint32_t *mask)
{
	const struct name_val *nv;
	const char *p = arg;
	char list[128];
	size_t len;

	for (;;) {
		len = strcspn(p, ",");
		if (!len) {
			err_msg("%s: '%s' has an empty limit name", what, arg);
			return -1;
		}
		nv = names_find(&limit_names, p, len);
		if (!nv) {
			names_join(&limit_names, list, sizeof(list));
			err_msg("%s: '%.*s' is not %s", what, (int)len, p, list);
			return -1;
		}
		if (*mask & nv->val) {
			err_msg("%s: '%s' given twice", what, nv->name);
			return -1;
		}
		*mask |= nv->val;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int set_parse_action(int argc, char *argv[], struct set_req *req)
{
	uint32_t action, mask = 0;
	int i;

	if (argc < 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_name(argv[0], argv[1], &action_names, &action))
		return EXIT_USAGE;
	if (action == ACTION_DROP && argc > 2) {
		err_msg("%s: drop takes no limits ('reject LIMIT...' names the limits that reject, the others drop)",
			argv[0]);
		return EXIT_USAGE;
	}
	if (action == ACTION_REJECT && argc == 2)
		mask = TCPLIMIT_LIMIT_ALL;
	for (i = 2; i < argc; i++)
		if (parse_limits(argv[0], argv[i], &mask))
			return EXIT_USAGE;

	set_add_u32(req, TCPLIMIT_A_REJECT, mask);
	return EXIT_OK;
}
