/* SPDX-License-Identifier: Apache-2.0 */
/* LD_PRELOAD shim for test_ss_compare.py: directories report size 0 to
 * fstat, as /proc/PID/fd did before Linux 6.2 (since then its size is the
 * count of open descriptors, which ss -p uses to skip reading it). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/stat.h>

int fstat64(int fd, struct stat64 *st)
{
	static int (*real)(int, struct stat64 *);
	if (!real)
		real = (int (*)(int, struct stat64 *))dlsym(RTLD_NEXT, "fstat64");
	int r = real(fd, st);
	if (r == 0 && S_ISDIR(st->st_mode))
		st->st_size = 0;
	return r;
}

int fstat(int fd, struct stat *st)
{
	static int (*real)(int, struct stat *);
	if (!real)
		real = (int (*)(int, struct stat *))dlsym(RTLD_NEXT, "fstat");
	int r = real(fd, st);
	if (r == 0 && S_ISDIR(st->st_mode))
		st->st_size = 0;
	return r;
}
