// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: tcplimitctl entry point: global options (-j, -p, -n), dispatch
 * by command name, and the SET_CONFIG request of a set-* command or set.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "error.h"
#include "netns.h"
#include "print.h"
#include "set.h"

static const struct option options[] = {
	{ "json",	no_argument,		NULL, 'j' },
	{ "pretty",	no_argument,		NULL, 'p' },
	{ "netns",	required_argument,	NULL, 'n' },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL,		0,			NULL, 0 },
};

static int is_help_option(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

static int run_set(const struct command *cmd, int argc, char *argv[])
{
	struct set_req req = { 0 };
	int ret;

	ret = command_parse(cmd, argc, argv, &req);
	if (ret)
		return ret;
	return set_send(cmd->name, &req);
}

int main(int argc, char *argv[])
{
	const char *netns = NULL;
	const struct command *cmd;
	bool json = false, pretty = false;
	int opt, ret;

	opterr = 0;	/* our own one-line messages */
	while ((opt = getopt_long(argc, argv, "+jpn:h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			if (optopt == 'n')
				err_msg("option -n needs a network namespace name");
			else if (optopt)
				err_msg("unknown option '-%c' (try '%s help')", optopt, PROG_NAME);
			else
				err_msg("unknown option '%s' (try '%s help')", argv[optind - 1],
					PROG_NAME);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	pr_init(json, pretty);

	cmd = command_find(argv[0]);
	if (!cmd) {
		err_msg("unknown command '%s' (try '%s help')", argv[0], PROG_NAME);
		return EXIT_USAGE;
	}
	if (argc == 2 && is_help_option(argv[1])) {
		cmd_usage_stdout(cmd);
		ret = EXIT_OK;
	} else if (netns && cmd->run != cmd_help && (ret = netns_enter(netns))) {
		return ret;
	} else if (command_sets(cmd)) {
		ret = run_set(cmd, argc, argv);
	} else {
		ret = cmd->run(argc, argv);
	}

	if (fflush(stdout) || ferror(stdout)) {
		err_msg("writing output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}
