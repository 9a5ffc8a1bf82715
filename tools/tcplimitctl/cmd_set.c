// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set.c: the arguments of the "set-*" subcommands that change one
 * configuration value: caps and table sizes (numbers), timeouts (durations),
 * mode, dry run and full policy (names), added to a SET_CONFIG request.
 * Rates, prefixes and the action have their own files.
 */
#include <stdint.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "names.h"
#include "parse.h"
#include "set.h"

/* "<name> N": the u32 attribute @attr = N (0..@max). */
static int set_u32(int argc, char *argv[], struct set_req *req, uint16_t attr,
		   uint32_t max)
{
	uint32_t val;

	if (argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_u32(argv[0], argv[1], max, &val))
		return EXIT_USAGE;
	set_add_u32(req, attr, val);
	return EXIT_OK;
}

/* "<name> DURATION": the u32 attribute @attr = DURATION in ms (a timeout). */
static int set_timeout(int argc, char *argv[], struct set_req *req, uint16_t attr)
{
	uint32_t ms;

	if (argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_duration(argv[0], argv[1], DUR_PLAIN_SECONDS,
			   TCPLIMIT_MIN_TIMEOUT_MS, TCPLIMIT_MAX_TIMEOUT_MS, &ms))
		return EXIT_USAGE;
	set_add_u32(req, attr, ms);
	return EXIT_OK;
}

/* "<name> WORD": the u8 attribute @attr = the value of WORD in @names. */
static int set_name(int argc, char *argv[], struct set_req *req, uint16_t attr,
		    const struct names *names)
{
	uint32_t val;

	if (argc != 2) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_name(argv[0], argv[1], names, &val))
		return EXIT_USAGE;
	set_add_u8(req, attr, (uint8_t)val);
	return EXIT_OK;
}

int set_parse_max(int argc, char *argv[], struct set_req *req)
{
	return set_u32(argc, argv, req, TCPLIMIT_A_MAX_CONN, TCPLIMIT_MAX_CONN_LIMIT);
}

int set_parse_halfopen_max(int argc, char *argv[], struct set_req *req)
{
	return set_u32(argc, argv, req, TCPLIMIT_A_HALFOPEN_MAX, TCPLIMIT_MAX_CONN_LIMIT);
}

int set_parse_dst_max(int argc, char *argv[], struct set_req *req)
{
	return set_u32(argc, argv, req, TCPLIMIT_A_DST_MAX, TCPLIMIT_MAX_CONN_LIMIT);
}

int set_parse_table_size(int argc, char *argv[], struct set_req *req)
{
	return set_u32(argc, argv, req, TCPLIMIT_A_TABLE_SIZE, TCPLIMIT_MAX_TABLE_SIZE);
}

int set_parse_flow_table_size(int argc, char *argv[], struct set_req *req)
{
	return set_u32(argc, argv, req, TCPLIMIT_A_FLOW_TABLE_SIZE, TCPLIMIT_MAX_TABLE_SIZE);
}

int set_parse_syn_timeout(int argc, char *argv[], struct set_req *req)
{
	return set_timeout(argc, argv, req, TCPLIMIT_A_SYN_TIMEOUT_MS);
}

int set_parse_idle_timeout(int argc, char *argv[], struct set_req *req)
{
	return set_timeout(argc, argv, req, TCPLIMIT_A_IDLE_TIMEOUT_MS);
}

int set_parse_mode(int argc, char *argv[], struct set_req *req)
{
	return set_name(argc, argv, req, TCPLIMIT_A_MODE, &mode_names);
}

int set_parse_dry_run(int argc, char *argv[], struct set_req *req)
{
	return set_name(argc, argv, req, TCPLIMIT_A_DRY_RUN, &onoff_names);
}

int set_parse_full_policy(int argc, char *argv[], struct set_req *req)
{
	return set_name(argc, argv, req, TCPLIMIT_A_FULL_POLICY, &full_policy_names);
}
