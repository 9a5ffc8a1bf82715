/* SPDX-License-Identifier: GPL-2.0 */
/*
 * prefix.h: address prefixes ADDR/LEN on the command line and on the wire
 * (TCPLIMIT_A_PREFIX, enum tcplimit_prefix_attr).
 */
#ifndef TCPLIMITCTL_PREFIX_H
#define TCPLIMITCTL_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nlattr;
struct nlmsghdr;

struct tl_prefix {
	uint16_t family;	/* AF_INET or AF_INET6; 0: none */
	uint8_t len;
	uint8_t addr[16];	/* network order, zero-padded for IPv4 */
};

/* "fd00:1:2:3:4:5:6:7/128" and its NUL. */
#define PREFIX_NAME_LEN	(46 + 4)

/* The bytes of an address of @family: 4, 16, or 0 for another family. */
size_t prefix_addr_len(uint16_t family);

/*
 * "ADDR" (the whole address) or "ADDR/LEN", IPv4 or IPv6. @mask clears the
 * bits past LEN; else a bit set there is an error, as for "ip route"
 * (10.0.0.1/24 is likely a typing error). Prints why and returns -1 on bad
 * input.
 */
int prefix_parse(const char *what, const char *arg, bool mask, struct tl_prefix *p);

/* "10.0.0.0/8" into @buf (PREFIX_NAME_LEN bytes). */
void prefix_format(uint16_t family, const uint8_t *addr, unsigned int len, char *buf,
		   size_t size);

/* @p as a TCPLIMIT_A_PREFIX-like nest of type @type; false if it does not fit. */
bool prefix_put(struct nlmsghdr *nlh, size_t size, uint16_t type, const struct tl_prefix *p);

/* A TCPLIMIT_A_PREFIX nest into @p: 0, or -1 if it is malformed. */
int prefix_get(const struct nlattr *nest, struct tl_prefix *p);

#endif /* TCPLIMITCTL_PREFIX_H */
