/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcplimit: module parameters, the initial namespace's configuration at
 * load (modprobe tcplimit max=100, or /etc/modprobe.d/tcplimit.conf).
 */
#ifndef _TCPLIMIT_PARAMS_H
#define _TCPLIMIT_PARAMS_H

struct tcplimit_config;

int tcplimit_params_check(void);
void tcplimit_params_apply(struct tcplimit_config *cfg);

#endif /* _TCPLIMIT_PARAMS_H */
