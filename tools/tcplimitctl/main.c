// SPDX-License-Identifier: GPL-2.0
/*
 * main.c: tcplimitctl entry point: the table of subcommands, dispatch by
 * name, and usage. A new subcommand is one handler plus one table line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "error.h"

struct command {
	const char *name;
	int (*handler)(int argc, char *argv[]);
	const char *args;	/* for the usage line, "" if none */
	const char *help;	/* one line for "tcplimitctl help" */
};

static int cmd_help(int argc, char *argv[]);

static const struct command commands[] = {
	{ "show",	cmd_show,	"",	"show the configuration, totals and per-source counts" },
	{ "set-max",	cmd_set_max,	"N",	"set the concurrent connection cap per source (0 = no limit)" },
	{ "help",	cmd_help,	"",	"show this help" },
};

#define N_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_usage_line(FILE *f, const struct command *cmd)
{
	fprintf(f, "Usage: %s %s%s%s\n", PROG_NAME, cmd->name,
		*cmd->args ? " " : "", cmd->args);
}

void cmd_usage(const char *name)
{
	const struct command *cmd = find_command(name);

	if (cmd)
		print_usage_line(stderr, cmd);
}

static void usage(FILE *f)
{
	char buf[64];
	size_t i;

	fprintf(f, "Usage: %s <command> [<args>]\n\nCommands:\n", PROG_NAME);
	for (i = 0; i < N_COMMANDS; i++) {
		snprintf(buf, sizeof(buf), "%s%s%s", commands[i].name,
			 *commands[i].args ? " " : "", commands[i].args);
		fprintf(f, "  %-16s %s\n", buf, commands[i].help);
	}
	fprintf(f, "\nExit status: 0 success, 1 the request failed, 2 usage error.\n");
}

static int cmd_help(int argc, char *argv[])
{
	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	usage(stdout);
	return EXIT_OK;
}

static int is_help_option(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int main(int argc, char *argv[])
{
	const struct command *cmd;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* Global options (before the command) are parsed here. */
	if (is_help_option(argv[1]))
		return cmd_help(1, argv + 1);
	if (argv[1][0] == '-') {
		err_msg("unknown option '%s' (try '%s help')", argv[1], PROG_NAME);
		return EXIT_USAGE;
	}

	cmd = find_command(argv[1]);
	if (!cmd) {
		err_msg("unknown command '%s' (try '%s help')", argv[1], PROG_NAME);
		return EXIT_USAGE;
	}
	if (argc == 3 && is_help_option(argv[2])) {
		print_usage_line(stdout, cmd);
		ret = EXIT_OK;
	} else {
		ret = cmd->handler(argc - 1, argv + 1);
	}

	if (fflush(stdout) || ferror(stdout)) {
		err_msg("writing output: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}
