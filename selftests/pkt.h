/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests' packet makers (rawtcp, pktfuzz) share: errors,
 * argument numbers and the Internet checksum. Header-only, each helper is
 * one C file; the including file defines usage() (prints, exits 2).
 */
#ifndef TCPLIMIT_SELFTESTS_PKT_H
#define TCPLIMIT_SELFTESTS_PKT_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void usage(void);

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

/* A whole unsigned number (decimal, 0x hex) in [min, max], else usage(). */
static inline unsigned long long number(const char *s, unsigned long long min,
					unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *s < '0' || *s > '9' || *end != '\0' || v < min || v > max)
		usage();
	return v;
}

/* RFC 1071: 16-bit big-endian words added into sum, folded by csum_fold(). */
static inline uint32_t sum16(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* The checksum field's value, in host order. */
static inline uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

#endif
