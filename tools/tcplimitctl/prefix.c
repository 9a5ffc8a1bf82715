// SPDX-License-Identifier: GPL-2.0
/* prefix.c: address prefixes on the command line and on the wire. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/tcplimit.h>

#include "error.h"
#include "netlink.h"
#include "parse.h"
#include "prefix.h"

size_t prefix_addr_len(uint16_t family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int prefix_parse(const char *what, const char *arg, bool mask, struct tl_prefix *p)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(arg, '/');
	size_t len = slash ? (size_t)(slash - arg) : strlen(arg);
	uint32_t bits, max, i;
	uint8_t host = 0;

	memset(p, 0, sizeof(*p));
	if (len >= sizeof(addr))
		goto bad;
	memcpy(addr, arg, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, p->addr) == 1)
		p->family = AF_INET6;
	else
		goto bad;
	max = p->family == AF_INET ? 32 : 128;
	bits = max;
	if (slash && parse_u32(what, slash + 1, max, &bits))
		return -1;
	p->len = (uint8_t)bits;
	for (i = 0; i < max / 8; i++) {
		uint8_t keep = i * 8 >= bits ? 0 :
			       i * 8 + 8 > bits ? (uint8_t)(0xff << (8 - (bits - i * 8))) : 0xff;

		host |= p->addr[i] & (uint8_t)~keep;
		p->addr[i] &= keep;
	}
	if (host && !mask) {
		char fixed[PREFIX_NAME_LEN];

		prefix_format(p->family, p->addr, p->len, fixed, sizeof(fixed));
		err_msg("%s: '%s' has bits set past /%u (the prefix is %s)", what, arg, bits,
			fixed);
		return -1;
	}
	return 0;
bad:
	err_msg("%s: '%s' is not an address or ADDR/LEN (like 10.0.0.0/8 or fd00::/64)",
		what, arg);
	return -1;
}

void prefix_format(uint16_t family, const uint8_t *addr, unsigned int len, char *buf,
		   size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, text, sizeof(text)))
		snprintf(text, sizeof(text), "?");
	snprintf(buf, size, "%s/%u", text, len);
}

bool prefix_put(struct nlmsghdr *nlh, size_t size, uint16_t type, const struct tl_prefix *p)
{
	struct nlattr *nest = mnl_attr_nest_start_check(nlh, size, type);

	if (!nest ||
	    !mnl_attr_put_check(nlh, size, TCPLIMIT_PREFIX_A_ADDR, prefix_addr_len(p->family),
				p->addr) ||
	    !mnl_attr_put_u8_check(nlh, size, TCPLIMIT_PREFIX_A_LEN, p->len))
		return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int prefix_get(const struct nlattr *nest, struct tl_prefix *p)
{
	static const enum mnl_attr_data_type policy[TCPLIMIT_PREFIX_A_MAX + 1] = {
		[TCPLIMIT_PREFIX_A_LEN] = MNL_TYPE_U8,
	};
	const struct nlattr *tb[TCPLIMIT_PREFIX_A_MAX + 1];
	size_t alen;

	memset(p, 0, sizeof(*p));
	if (nl_parse_nested(nest, tb, TCPLIMIT_PREFIX_A_MAX, policy) < 0 ||
	    !tb[TCPLIMIT_PREFIX_A_ADDR] || !tb[TCPLIMIT_PREFIX_A_LEN])
		return -1;
	alen = mnl_attr_get_payload_len(tb[TCPLIMIT_PREFIX_A_ADDR]);
	p->family = alen == 4 ? AF_INET : alen == 16 ? AF_INET6 : 0;
	p->len = mnl_attr_get_u8(tb[TCPLIMIT_PREFIX_A_LEN]);
	if (!p->family || p->len > alen * 8)
		return -1;
	memcpy(p->addr, mnl_attr_get_payload(tb[TCPLIMIT_PREFIX_A_ADDR]), alen);
	return 0;
}
