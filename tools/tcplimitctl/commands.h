/* SPDX-License-Identifier: GPL-2.0 */
/*
 * commands.h: the subcommand handlers. Each gets argv[0] = its own name and
 * returns an exit code (EXIT_OK, EXIT_FAIL, EXIT_USAGE from error.h).
 */
#ifndef TCPLIMITCTL_COMMANDS_H
#define TCPLIMITCTL_COMMANDS_H

int cmd_show(int argc, char *argv[]);
int cmd_set_max(int argc, char *argv[]);

/* Print "Usage: tcplimitctl <name> <args>" on stderr (main.c). */
void cmd_usage(const char *name);

#endif /* TCPLIMITCTL_COMMANDS_H */
