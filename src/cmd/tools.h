/* SPDX-License-Identifier: Apache-2.0 */
/* The tools netkit carries: each is a main() of its own, picked by
 * src/main.c from argv[0] or the first argument. */
#ifndef NETKIT_CMD_TOOLS_H
#define NETKIT_CMD_TOOLS_H

int cmd_ip_main(int argc, char **argv);
int cmd_route_main(int argc, char **argv);
int cmd_ss_main(int argc, char **argv);
int cmd_mtr_main(int argc, char **argv);
int cmd_nmap_main(int argc, char **argv);
int cmd_lab_main(int argc, char **argv);
int cmd_dist_main(int argc, char **argv);
int cmd_db_main(int argc, char **argv);

#endif
