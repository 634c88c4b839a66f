/* SPDX-License-Identifier: Apache-2.0 */
/* LD_PRELOAD shim for test_ss_compare.py: statx fails with EPERM, as under
 * the seccomp filters of older container runtimes; ss -p must then read
 * the fd links instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/stat.h>

int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf)
{
	(void)dirfd;
	(void)path;
	(void)flags;
	(void)mask;
	(void)buf;
	errno = EPERM;
	return -1;
}
