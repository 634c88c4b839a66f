/* SPDX-License-Identifier: Apache-2.0 */
/* Least privilege through libcap (see priv.h). */
#include "lib/util/priv.h"

#include <errno.h>
#include <sys/capability.h>

static uint64_t held(cap_t c, cap_flag_t flag)
{
	uint64_t set = 0;
	for (cap_value_t v = 0; v < 64 && CAP_IS_SUPPORTED(v); v++) {
		cap_flag_value_t on = CAP_CLEAR;
		if (cap_get_flag(c, v, flag, &on) == 0 && on == CAP_SET)
			set |= PRIV_CAP(v);
	}
	return set;
}

uint64_t priv_held(bool effective)
{
	cap_t c = cap_get_proc();
	if (!c)
		return 0;
	uint64_t set = held(c, effective ? CAP_EFFECTIVE : CAP_PERMITTED);
	cap_free(c);
	return set;
}

static int set_flags(cap_t c, uint64_t set, cap_flag_t flag)
{
	for (cap_value_t v = 0; v < 64; v++) {
		if (!(set & PRIV_CAP(v)))
			continue;
		if (cap_set_flag(c, flag, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

int priv_keep(uint64_t eff, uint64_t perm)
{
	cap_t c = cap_get_proc();
	if (!c)
		return -errno;
	uint64_t have = held(c, CAP_PERMITTED);
	uint64_t inh = held(c, CAP_INHERITABLE);
	int r = 0;
	/* nothing to give up: the common case of an ordinary user */
	if (have == 0 && inh == 0)
		goto out;
	eff &= have;
	perm = (perm | eff) & have;
	if (cap_clear(c) < 0 || (r = set_flags(c, perm, CAP_PERMITTED)) < 0 ||
	    (r = set_flags(c, eff, CAP_EFFECTIVE)) < 0)
		goto out;
	if (cap_set_proc(c) < 0)
		r = -errno;
	/* an ambient capability must be permitted and inheritable: none is
	 * left, and the kernel has dropped them; clear them all the same */
	if (r == 0 && CAP_AMBIENT_SUPPORTED())
		(void)cap_reset_ambient();
out:
	cap_free(c);
	return r;
}

int priv_raise(int cap, bool on)
{
	cap_t c = cap_get_proc();
	if (!c)
		return -errno;
	cap_value_t v = cap;
	int r = 0;
	if (cap_set_flag(c, CAP_EFFECTIVE, 1, &v, on ? CAP_SET : CAP_CLEAR) < 0 ||
	    cap_set_proc(c) < 0)
		r = -errno;
	cap_free(c);
	return r;
}
