/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commands.h: the subcommands. A command either runs on its own (@run,
 * argv[0] = its name, returns an exit code: EXIT_OK, EXIT_FAIL, EXIT_USAGE
 * from error.h) or is a set-* command (@parse: it adds its attributes to a
 * caller-given SET_CONFIG request and returns EXIT_OK or EXIT_USAGE; main()
 * sends the request, "restore" gathers a whole file in one).
 */
#ifndef TCPLIMITCTL_COMMANDS_H
#define TCPLIMITCTL_COMMANDS_H

#include <stdio.h>

struct set_req;

struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);
	int (*parse)(int argc, char *argv[], struct set_req *req);
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

/* cmd_set.c */
int set_parse_max(int argc, char *argv[], struct set_req *req);
int set_parse_halfopen_max(int argc, char *argv[], struct set_req *req);
int set_parse_dst_max(int argc, char *argv[], struct set_req *req);
int set_parse_table_size(int argc, char *argv[], struct set_req *req);
int set_parse_flow_table_size(int argc, char *argv[], struct set_req *req);
int set_parse_syn_timeout(int argc, char *argv[], struct set_req *req);
int set_parse_idle_timeout(int argc, char *argv[], struct set_req *req);
int set_parse_mode(int argc, char *argv[], struct set_req *req);
int set_parse_dry_run(int argc, char *argv[], struct set_req *req);
int set_parse_full_policy(int argc, char *argv[], struct set_req *req);

/* cmd_set_rate.c */
int set_parse_rate(int argc, char *argv[], struct set_req *req);
int set_parse_dst_rate(int argc, char *argv[], struct set_req *req);

/* cmd_set_prefix.c */
int set_parse_prefix(int argc, char *argv[], struct set_req *req);

/* cmd_set_action.c */
int set_parse_action(int argc, char *argv[], struct set_req *req);

#endif /* TCPLIMITCTL_COMMANDS_H */
