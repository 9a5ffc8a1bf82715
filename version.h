/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version of tcplimit, one for the module (modinfo), for
 * tcplimitctl ("tcplimitctl version") and for DKMS (dkms.conf says the
 * same; scripts/check-dkms.sh checks).
 */
#ifndef TCPLIMIT_VERSION_H
#define TCPLIMIT_VERSION_H

#define TCPLIMIT_VERSION	"0.3"

#endif /* TCPLIMIT_VERSION_H */
