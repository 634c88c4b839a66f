/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness for OS detection's reply side: the input becomes what
 * one try saw (which of the 16 probes were answered, each reply's bytes,
 * IPv4 or IPv6, when the probes left), as a hostile or broken host could
 * answer; os_compute turns it into a fingerprint, which is then printed
 * (os_fp_string, os_fp_wrap) and matched against netkit's own OS database
 * (data/os/os-db of the source tree). Nothing may read out of bounds,
 * overflow the fingerprint's buffers or leave it unterminated. Run by
 * scripts/fuzz.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/os/match.h"
#include "engine/os/os.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct os_db *db(void)
{
	static struct os_db *d;
	static int tried;
	if (!tried++) {
		int bad = 0;
		if (os_db_load(NETKIT_SRCDATADIR "/os/os-db", &d, &bad) != 0)
			d = NULL;
	}
	return d;
}

static uint16_t take16(const uint8_t **p, size_t *n)
{
	if (*n < 2)
		return 0;
	uint16_t v = (uint16_t)((*p)[0] << 8 | (*p)[1]);
	*p += 2;
	*n -= 2;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct os_obs o;
	static struct os_fp fp;
	static char buf[8192], wrapped[16384];
	memset(&o, 0, sizeof(o));
	const uint8_t *p = data;
	size_t n = size;
	uint16_t got = take16(&p, &n), flags = take16(&p, &n);
	bool v6 = flags & 1;
	o.direct = flags & 2;
	o.local = flags & 4;
	o.pp.src.family = o.pp.dst.family = v6 ? 10 : 2; /* AF_INET6 : AF_INET */
	o.pp.src.b[0] = 10;
	o.pp.dst.b[0] = 10;
	o.pp.dst.b[3] = 2;
	o.pp.sport_base = 40000;
	o.pp.open_port = 22;
	o.pp.closed_port = 1;
	o.pp.closed_udp = 31337;
	o.pp.seq = 0x12345678;
	o.pp.ack = 0x9abcdef0;
	o.pp.ipid = 0x1042;
	o.pp.icmp_id = 0x4242;
	o.pp.ttl = 64;
	o.u1_csum = take16(&p, &n);
	for (int i = 0; i < OSP_N; i++) {
		o.sent[i] = i * 0.1 + (take16(&p, &n) & 0xff) * 1e-3;
		if (!(got & (1u << i)))
			continue;
		size_t len = take16(&p, &n) % (OS_REPLY_MAX + 1);
		if (len > n)
			len = n;
		o.got[i] = true;
		memcpy(o.reply[i], p, len);
		o.rlen[i] = len;
		p += len;
		n -= len;
	}
	if (os_compute(&o, &fp) == 0) {
		if (strnlen(fp.tests, sizeof(fp.tests)) == sizeof(fp.tests))
			abort(); /* unterminated */
		struct os_scan_info si = {.open_port = 22,
					  .closed_port = 1,
					  .closed_udp = 31337,
					  .month = 12,
					  .day = 7,
					  .when = 1796000000,
					  .netkit_version = "0.1.0"};
		os_fp_string(&fp, &si, buf, sizeof(buf));
		os_fp_wrap(buf, wrapped, sizeof(wrapped));
		struct os_match_res m;
		if (db())
			os_db_match(db(), fp.tests, NULL, &m);
	}
	return 0;
}
