#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A new connection is judged slow on its own bytes only. set-slow
# 200/60s: 16 idle connections, read at the GC's first look, are closed
# after 20 s and their flows freed; at once set-slow 200/5s, slow-action
# reset, and 16 new connections from the same client, each sending 100
# bytes a second (500 in 5 s, two and a half times the threshold), take
# their memory. Not one is found slow, none is reset, its source is not
# banned. Before, a flow's measurement (when it was last read, and how
# many bytes then) was left as the freed flow before it had it: a busy new
# connection was judged at its first look by the old one's reading, found
# slow and reset (seen on the debug kernel, whose poisoned memory made
# every new connection slow: wrk's in 54-slowhttp).
. "$(dirname "$0")/../lib.sh"

tl_topology
tl_load
tl_server srv 10.0.1.1 8000
# A long period: the GC reads each connection at its first look, then
# not for a minute.
tl_ctl srv set slow 200/60s || tl_fail "set slow 200/60s"
tl_trickle idle c1 10.0.1.1 8000 16 1 0
tl_eq "idle client" "$TL_HELD" "established 16"
sleep 20
tl_eq "idle client ends" "$(tl_trickle_end idle)" "alive 16 reset 0"
busywait 20000 tl_proc_is srv conns 0 || tl_fail "conns $(tl_proc srv conns) after the idle client"

# At once, so that the new flows take the freed ones' memory.
tl_ctl srv set slow 200/5s slow-action reset abnormal-max 4 ||
	tl_fail "set slow 200/5s slow-action reset abnormal-max 4"
tl_trickle busy c1 10.0.1.1 8000 16 1 100
tl_eq "busy client" "$TL_HELD" "established 16"
# Its first look and a whole slow period after it.
sleep 9
tl_eq "slow_found" "$(tl_proc srv slow_found)" 0
tl_eq "slow_reset" "$(tl_proc srv slow_reset)" 0
tl_eq "slow of 10.0.1.2/32" "$(tl_source_count srv 10.0.1.2/32 slow)" 0
tl_eq "bans" "$(tl_ctl srv bans)" ""
tl_eq "the busy connections on the server" "$(tl_sockets srv 8000 10.0.1.2 established)" 16
tl_eq "busy client ends" "$(tl_trickle_end busy)" "alive 16 reset 0"
tl_done
