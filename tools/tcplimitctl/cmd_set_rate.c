// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_set_rate.c: "set-rate" and "set-dst-rate": new connections per period
 * (per source, per destination), with a burst, in one SET_CONFIG request.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/tcplimit.h>

#include "commands.h"
#include "error.h"
#include "parse.h"
#include "set.h"

/* The attributes of one rate limit. */
struct rate_attrs {
	uint16_t rate;
	uint16_t period_ms;
	uint16_t burst;
};

/*
 * "<name> N/PERIOD [burst B]": rate, period and burst (0 if not given);
 * "<name> 0" or "<name> off": the rate alone, 0.
 */
static int set_rate(int argc, char *argv[], struct set_req *req,
		    const struct rate_attrs *attrs)
{
	uint32_t n, period_ms = 0, burst = 0;
	char what[64];

	if (argc != 2 && argc != 4) {
		cmd_usage(argv[0]);
		return EXIT_USAGE;
	}
	if (parse_rate(argv[0], argv[1], TCPLIMIT_MAX_CONN_LIMIT, &n, &period_ms))
		return EXIT_USAGE;
	if (argc == 4) {
		if (strcmp(argv[2], "burst")) {
			err_msg("%s: unknown keyword '%s' (expected burst)", argv[0], argv[2]);
			return EXIT_USAGE;
		}
		if (!n) {
			err_msg("%s: no burst with the rate off", argv[0]);
			return EXIT_USAGE;
		}
		snprintf(what, sizeof(what), "%s burst", argv[0]);
		if (parse_u32(what, argv[3], TCPLIMIT_MAX_CONN_LIMIT, &burst))
			return EXIT_USAGE;
	}

	set_add_u32(req, attrs->rate, n);
	if (n) {
		set_add_u32(req, attrs->period_ms, period_ms);
		set_add_u32(req, attrs->burst, burst);
	}
	return EXIT_OK;
}

int set_parse_rate(int argc, char *argv[], struct set_req *req)
{
	static const struct rate_attrs attrs = {
		.rate		= TCPLIMIT_A_RATE,
		.period_ms	= TCPLIMIT_A_RATE_PERIOD_MS,
		.burst		= TCPLIMIT_A_RATE_BURST,
	};

	return set_rate(argc, argv, req, &attrs);
}

int set_parse_dst_rate(int argc, char *argv[], struct set_req *req)
{
	static const struct rate_attrs attrs = {
		.rate		= TCPLIMIT_A_DST_RATE,
		.period_ms	= TCPLIMIT_A_DST_RATE_PERIOD_MS,
		.burst		= TCPLIMIT_A_DST_RATE_BURST,
	};

	return set_rate(argc, argv, req, &attrs);
}
