# SPDX-License-Identifier: GPL-2.0
# Probe the kernel headers for API differences; compat.h maps them.
# Stable kernels backport APIs, so a version number cannot tell: grep.

tcplimit-hdr = $(firstword $(wildcard $(srctree)/$(1) $(objtree)/$(1)))
tcplimit-lparen := (

# __inet_lookup_established lost its inet_hashinfo argument in newer kernels.
tcplimit-lookup-args := $(shell grep -A1 '__inet_lookup_established[$(tcplimit-lparen)]' $(call tcplimit-hdr,include/net/inet_hashtables.h))
ifneq ($(findstring hashinfo,$(tcplimit-lookup-args)),)
tcplimit-compat-flags += -DTCPLIMIT_LOOKUP_HAS_HASHINFO
endif

# The attributes of a dump request: genl_dumpit_info(cb)->attrs until the
# dump info embedded a struct genl_info (then genl_info_dump(cb)->attrs).
ifneq ($(shell grep -l 'genl_info_dump[$(tcplimit-lparen)]' $(call tcplimit-hdr,include/net/genetlink.h)),)
tcplimit-compat-flags += -DTCPLIMIT_HAVE_GENL_INFO_DUMP
endif

# __cookie_v4_check() and __cookie_v6_check() took the cookie as an argument
# until they read it from the ACK themselves.
tcplimit-cookie-args := $(shell grep -A1 '__cookie_v4_check[$(tcplimit-lparen)]' $(call tcplimit-hdr,include/net/tcp.h))
ifneq ($(findstring u32 cookie,$(tcplimit-cookie-args)),)
tcplimit-compat-flags += -DTCPLIMIT_COOKIE_CHECK_HAS_COOKIE
endif
