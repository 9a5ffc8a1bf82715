// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c: the table of subcommands, their usage lines and "help". A
 * new subcommand is one handler plus one table line.
 */
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "format.h"
#include "names.h"

#define RUN(n, fn, a, h)	{ .name = (n), .run = (fn), .args = (a), .help = (h) }
#define SET(n, fn, a, h)	{ .name = (n), .parse = (fn), .args = (a), .help = (h) }

static const struct command commands[] = {
	RUN("show", cmd_show, "",
	    "show the configuration, totals and per-source counts"),
	RUN("sources", cmd_sources, "[prefix ADDR[/LEN]] [limited] [top K [by conns|halfopen|limited]]",
	    "one line per source: those inside ADDR/LEN, those limited at least once,\n"
	    "      the K largest by a count (default conns); the kernel filters"),
	RUN("flush", cmd_flush, "",
	    "forget the sources holding no connection (and their rate credit)"),
	RUN("save", cmd_save, "",
	    "print the configuration as tcplimitctl commands, for restore"),
	RUN("restore", cmd_restore, "FILE|-",
	    "apply the set-* commands of FILE (- = stdin) all at once, or nothing"),
	RUN("metrics", cmd_metrics, "",
	    "totals and configuration in the Prometheus text format"),
	RUN("version", cmd_version, "",
	    "the versions of this tool and of the loaded module's netlink interface"),
	SET("set-max", set_parse_max, "N",
	    "concurrent connections per source (0 = no limit)"),
	SET("set-rate", set_parse_rate, "N/PERIOD [burst B] | off",
	    "new connections per source per PERIOD (0/off = no limit), burst B (0 = N)"),
	SET("set-halfopen-max", set_parse_halfopen_max, "N",
	    "handshakes in progress per source (0 = no limit)"),
	SET("set-prefix", set_parse_prefix, "[v4 LEN] [v6 LEN] | LEN4 [LEN6]",
	    "leading address bits that make a source (v4 1..32, v6 1..128)"),
	SET("set-dst-max", set_parse_dst_max, "N",
	    "concurrent connections per local address+port (0 = no limit)"),
	SET("set-dst-rate", set_parse_dst_rate, "N/PERIOD [burst B] | off",
	    "new connections per local address+port per PERIOD (0/off = no limit)"),
	SET("set-syn-timeout", set_parse_syn_timeout, "DURATION",
	    "a handshake stops counting after DURATION"),
	SET("set-idle-timeout", set_parse_idle_timeout, "DURATION",
	    "a connection stops counting after DURATION without packets"),
	SET("set-mode", set_parse_mode, "host|gateway",
	    "limit connections to this host, or routed through it"),
	SET("set-action", set_parse_action, "drop | reject [LIMIT...]",
	    "limited SYNs get an RST: all limits, or the LIMITs given; others drop"),
	SET("set-dry-run", set_parse_dry_run, "on|off",
	    "on: count what would be limited, enforce nothing"),
	SET("set-full-policy", set_parse_full_policy, "admit|drop",
	    "a new connection finding the table full: pass it untracked, or drop it"),
	SET("set-table-size", set_parse_table_size, "N",
	    "source table entries (0 = default)"),
	SET("set-flow-table-size", set_parse_flow_table_size, "N",
	    "tracked connections (0 = default)"),
	RUN("help", cmd_help, "",
	    "show this help"),
};

const struct command *command_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
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

void usage(FILE *f)
{
	char pmin[DURATION_LEN], pmax[DURATION_LEN], tmin[DURATION_LEN], tmax[DURATION_LEN];
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] [-p|--pretty] [-n|--netns NAME] <command> [<args>]\n"
		"\n"
		"Options:\n"
		"  -j, --json        JSON output (show, sources, flush, version)\n"
		"  -p, --pretty      JSON output indented, with -j\n"
		"  -n, --netns NAME  act on the network namespace NAME of 'ip netns'\n"
		"  -h, --help        show this help\n"
		"\n"
		"Commands:\n", PROG_NAME);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s%s%s\n      %s\n", commands[i].name,
			*commands[i].args ? " " : "", commands[i].args, commands[i].help);
	format_duration(pmin, sizeof(pmin), TCPLIMIT_MIN_PERIOD_MS);
	format_duration(pmax, sizeof(pmax), TCPLIMIT_MAX_PERIOD_MS);
	format_duration(tmin, sizeof(tmin), TCPLIMIT_MIN_TIMEOUT_MS);
	format_duration(tmax, sizeof(tmax), TCPLIMIT_MAX_TIMEOUT_MS);
	fprintf(f, "\n"
		"PERIOD, DURATION: numbers with units h, m, s, ms, largest first: 100ms, 30s,\n"
		"  2m, 1h30m. A PERIOD may be a unit alone (20/s = 20/1s), a DURATION a number\n"
		"  alone (seconds). PERIOD %s..%s, DURATION %s..%s.\n"
		"LIMIT: rate, conn, halfopen, dst, full (or a comma list: rate,conn).\n"
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
