/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commands.h: the subcommands. A command either runs on its own (@run,
 * argv[0] = its name, returns an exit code: EXIT_OK, EXIT_FAIL, EXIT_USAGE
 * from error.h) or changes settings: a set-NAME command (one line of the
 * settings table, settings.h) or "set" (@parse). Those add their
 * attributes to a caller-given SET_CONFIG request (command_parse()); main()
 * sends it, "restore" gathers a whole file in one.
 */
#ifndef TCPLIMITCTL_COMMANDS_H
#define TCPLIMITCTL_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

struct nl_ctx;
struct set_req;
struct setting;

struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);
	int (*parse)(int argc, char *argv[], struct set_req *req);
	const struct setting *setting;	/* set-NAME */
	const char *args;	/* for the usage line, "" if none */
	const char *help;	/* for "tcplimitctl help" */
};

/* The command called @name, or NULL (commands.c). */
const struct command *command_find(const char *name);

/*
 * Print the usage line of command @name on stderr: "Usage: tcplimitctl
 * <name> <args>", or "tcplimitctl: <where>: usage: <name> <args>" while
 * a file is parsed (err_set_where()).
 */
void cmd_usage(const char *name);

/*
 * The netlink context of a command that takes no argument (argv[0] alone),
 * or NULL after saying why, *@status then its exit status: EXIT_USAGE (an
 * argument given), EXIT_FAIL (the module cannot be reached).
 */
struct nl_ctx *cmd_open(int argc, char *argv[], int *status);

/* Whether @cmd changes settings (set-NAME or set). */
bool command_sets(const struct command *cmd);

/* Parse the arguments of such a command into @req: EXIT_OK or EXIT_USAGE. */
int command_parse(const struct command *cmd, int argc, char *argv[], struct set_req *req);

/* Print it on stdout ("tcplimitctl <name> --help"). */
void cmd_usage_stdout(const struct command *cmd);

/* The whole help: options, commands, units, exit status. */
void usage(FILE *f);

int cmd_help(int argc, char *argv[]);
int cmd_show(int argc, char *argv[]);
int cmd_sources(int argc, char *argv[]);
int cmd_flush(int argc, char *argv[]);
int cmd_save(int argc, char *argv[]);
int cmd_restore(int argc, char *argv[]);
int cmd_metrics(int argc, char *argv[]);
int cmd_version(int argc, char *argv[]);
/* allowlist.c: allow and disallow (by argv[0]), allowlist */
int cmd_allow(int argc, char *argv[]);
int cmd_allowlist(int argc, char *argv[]);
/* bans.c: ban and unban (by argv[0]), bans */
int cmd_ban(int argc, char *argv[]);
int cmd_bans(int argc, char *argv[]);
/* policies.c: policy add and policy del, policies */
int cmd_policy(int argc, char *argv[]);
int cmd_policies(int argc, char *argv[]);
/* cmd_monitor.c */
int cmd_monitor(int argc, char *argv[]);

/* cmd_set.c: "set KEY VALUE [KEY VALUE...]" */
int set_parse_keys(int argc, char *argv[], struct set_req *req);

#endif /* TCPLIMITCTL_COMMANDS_H */
