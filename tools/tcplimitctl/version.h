/* SPDX-License-Identifier: GPL-2.0 */
/* version.h: the version of tcplimitctl ("tcplimitctl version"). */
#ifndef TCPLIMITCTL_VERSION_H
#define TCPLIMITCTL_VERSION_H

#define TCPLIMITCTL_VERSION	"0.3"

#endif /* TCPLIMITCTL_VERSION_H */
