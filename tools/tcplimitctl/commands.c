// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c: the table of subcommands, their usage lines and "help". A
 * new subcommand is one handler plus one table line; a new setting is one
 * line of the settings table (settings.c), which makes its set-* command.
 */
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "format.h"
#include "names.h"
#include "netlink.h"
#include "settings.h"

#define RUN(n, fn, a, h)	{ .name = (n), .run = (fn), .args = (a), .help = (h) }
#define PARSE(n, fn, a, h)	{ .name = (n), .parse = (fn), .args = (a), .help = (h) }

static const struct command commands[] = {
	RUN("show", cmd_show, "",
	    "show the configuration, totals and per-source counts"),
	RUN("sources", cmd_sources, "[prefix ADDR[/LEN]] [limited] [top K [by conns|halfopen|limited|slow]]",
	    "one line per source: those inside ADDR/LEN, those limited at least once,\n"
	    "      the K largest by a count (default conns); the kernel filters"),
	RUN("allow", cmd_allow, "ADDR[/LEN]",
	    "never limit the sources inside ADDR/LEN (an IPv4 or IPv6 prefix)"),
	RUN("disallow", cmd_allow, "ADDR[/LEN] | all",
	    "take ADDR/LEN (or every prefix) off the allowlist"),
	RUN("allowlist", cmd_allowlist, "",
	    "the allowlist, one prefix a line"),
	RUN("ban", cmd_ban, "ADDR[/LEN] [for DURATION]",
	    "refuse every new connection from ADDR/LEN for DURATION (default: ban-time)"),
	RUN("unban", cmd_ban, "ADDR[/LEN]",
	    "lift the ban of ADDR/LEN and forget its offences"),
	RUN("bans", cmd_bans, "",
	    "the bans in force: time left, reason, SYNs refused, offences"),
	RUN("monitor", cmd_monitor, "",
	    "print events as they come (bans, unbans, slow connections, a source's\n"
	    "      first refusal in a minute) until interrupted"),
	RUN("flush", cmd_flush, "",
	    "forget the sources holding no connection (and their rate credit)"),
	RUN("save", cmd_save, "",
	    "print the configuration as tcplimitctl commands, for restore"),
	RUN("restore", cmd_restore, "FILE|-",
	    "apply the set-*, policy, allow and disallow commands of FILE (- = stdin)\n"
	    "      all at once, or nothing; then its ban lines"),
	RUN("metrics", cmd_metrics, "",
	    "totals and configuration in the Prometheus text format"),
	RUN("version", cmd_version, "",
	    "the versions of this tool and of the loaded module's netlink interface"),
	PARSE("set", set_parse_keys, "KEY VALUE [KEY VALUE...]",
	      "several settings in one request, all or none: KEY is a set-* command\n"
	      "      without set- (set max 200 rate 10/1s burst 20); after action, rate\n"
	      "      conn halfopen dst full ban are its LIMITs (put rate before action)"),
	RUN("policy", cmd_policy,
	    "add PORT[-PORT] [max N] [rate N/PERIOD [burst B]] [halfopen-max N]\n"
	    "      [slow BYTES/PERIOD] [abnormal-max N] | del PORT[-PORT]|all",
	    "limits per source of the connections to PORT..PORT instead of the set-*\n"
	    "      ones (a limit not given is off); del removes the policy of PORT..PORT\n"
	    "      (all: every policy)"),
	RUN("policies", cmd_policies, "",
	    "the port policies, one a line as policy add takes them"),
	RUN("help", cmd_help, "",
	    "show this help"),
};

/* The set-NAME commands, one per setting, made from the settings table. */
static struct command set_commands[MAX_SETTINGS];
static char set_command_names[MAX_SETTINGS][32];

static void set_commands_init(void)
{
	size_t i;

	if (set_commands[0].name)
		return;
	for (i = 0; i < n_settings && i < MAX_SETTINGS; i++) {
		snprintf(set_command_names[i], sizeof(set_command_names[i]), "set-%s",
			 settings[i].name);
		set_commands[i] = (struct command){
			.name = set_command_names[i],
			.setting = &settings[i],
			.args = settings[i].args,
			.help = settings[i].help,
		};
	}
}

const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	set_commands_init();
	for (i = 0; i < n_settings && i < MAX_SETTINGS; i++)
		if (!strcmp(set_commands[i].name, name))
			return &set_commands[i];
	return NULL;
}

bool command_sets(const struct command *cmd)
{
	return cmd->setting || cmd->parse;
}

int command_parse(const struct command *cmd, int argc, char *argv[], struct set_req *req)
{
	if (cmd->setting)
		return setting_parse(cmd->setting, argc, argv, req);
	return cmd->parse(argc, argv, req);
}

static void print_usage_line(FILE *f, const struct command *cmd)
{
	fprintf(f, "Usage: %s %s%s%s\n", PROG_NAME, cmd->name,
		*cmd->args ? " " : "", cmd->args);
}

struct nl_ctx *cmd_open(int argc, char *argv[], int *status)
{
	struct nl_ctx *ctx;

	if (argc != 1) {
		cmd_usage(argv[0]);
		*status = EXIT_USAGE;
		return NULL;
	}
	ctx = nl_open();
	if (!ctx)
		*status = EXIT_FAIL;
	return ctx;
}

void cmd_usage(const char *name)
{
	const struct command *cmd = command_find(name);

	if (!cmd)
		return;
	if (err_where())
		err_msg("usage: %s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
	else
		print_usage_line(stderr, cmd);
}

void cmd_usage_stdout(const struct command *cmd)
{
	print_usage_line(stdout, cmd);
}

static void print_help_entry(FILE *f, const struct command *cmd)
{
	fprintf(f, "  %s%s%s\n      %s\n", cmd->name, *cmd->args ? " " : "", cmd->args, cmd->help);
}

void usage(FILE *f)
{
	char pmin[DURATION_LEN], pmax[DURATION_LEN], tmin[DURATION_LEN], tmax[DURATION_LEN];
	size_t i, j;

	fprintf(f, "Usage: %s [-j|--json] [-p|--pretty] [-n|--netns NAME] <command> [<args>]\n"
		"\n"
		"Options:\n"
		"  -j, --json        JSON output (show, sources, allowlist, bans, policies, flush,\n"
		"                    version)\n"
		"  -p, --pretty      JSON output indented, with -j\n"
		"  -n, --netns NAME  act on the network namespace NAME of 'ip netns'\n"
		"  -h, --help        show this help\n"
		"\n"
		"Commands:\n", PROG_NAME);
	set_commands_init();
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		/* The set-* commands come just before "set". */
		if (commands[i].parse == set_parse_keys)
			for (j = 0; j < n_settings && j < MAX_SETTINGS; j++)
				print_help_entry(f, &set_commands[j]);
		print_help_entry(f, &commands[i]);
	}
	format_duration(pmin, sizeof(pmin), TCPLIMIT_MIN_PERIOD_MS);
	format_duration(pmax, sizeof(pmax), TCPLIMIT_MAX_PERIOD_MS);
	format_duration(tmin, sizeof(tmin), TCPLIMIT_MIN_TIMEOUT_MS);
	format_duration(tmax, sizeof(tmax), TCPLIMIT_MAX_TIMEOUT_MS);
	fprintf(f, "\n"
		"PERIOD, DURATION: numbers with units h, m, s, ms, largest first: 100ms, 30s,\n"
		"  2m, 1h30m. A PERIOD may be a unit alone (20/s = 20/1s), a DURATION a number\n"
		"  alone (seconds). PERIOD %s..%s, DURATION %s..%s.\n"
		"LIMIT: rate, conn, halfopen, dst, full, ban (or a comma list: rate,conn).\n"
		"Changing the configuration, reading sources and flushing need CAP_NET_ADMIN.\n"
		"\nExit status: 0 success, 1 the request failed (kernel refused it, module not\n"
		"  loaded, no such namespace, bad restore file), 2 usage error.\n",
		pmin, pmax, tmin, tmax);
}

int cmd_help(int argc, char *argv[])
{
	if (argc != 1) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	usage(stdout);
	return EXIT_OK;
}
