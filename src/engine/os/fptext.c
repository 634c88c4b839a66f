/* SPDX-License-Identifier: Apache-2.0 */
/* The subject fingerprint as nmap prints it: the SCAN line's facts, the
 * test lines, wrapped in "OS:" lines of 72 characters; and nmap's words
 * for the sequence classes. */
#include "engine/os/os.h"

#include <stdio.h>
#include <string.h>

const char *os_difficulty(int i)
{
	return i < 3	? "Trivial joke"
	       : i < 6	? "Easy"
	       : i < 11 ? "Medium"
	       : i < 12 ? "Formidable"
	       : i < 16 ? "Worthy challenge"
			: "Good luck!";
}

const char *os_ipid_name(enum os_ipid c)
{
	switch (c) {
	case IPID_ZERO: return "All zeros";
	case IPID_RD: return "Randomized";
	case IPID_RI: return "Random positive increments";
	case IPID_BI: return "Broken little-endian incremental";
	case IPID_INCR: return "Incremental";
	case IPID_CONST: return "Duplicated ipid (!)";
	default: return "Busy server or unknown class";
	}
}

const char *os_ts_name(enum os_tsclass c, double hz)
{
	switch (c) {
	case TS_UNSUPPORTED: return "none returned (unsupported)";
	case TS_ZERO: return "zero";
	case TS_NUM:
		return hz > 0 && hz < 5.66     ? "2HZ"
		       : hz > 70 && hz < 150   ? "100HZ"
		       : hz > 724 && hz < 1448 ? "1000HZ"
					       : "other";
	default: return "unknown";
	}
}

void os_fp_string(const struct os_fp *fp, const struct os_scan_info *si, char *buf, size_t cap)
{
	char ports[64] = "", mac[16] = "", ds[32] = "";
	int n = 0;
	/* as nmap: a port not known is an empty value ("OT=%CT=22") */
	const int port[3] = {si->open_port, si->closed_port, si->closed_udp};
	const char *const key[3] = {"OT", "CT", "CU"};
	for (int i = 0; i < 3; i++) {
		n += snprintf(ports + n, sizeof(ports) - (size_t)n, "%%%s=", key[i]);
		if (port[i] >= 0)
			n += snprintf(ports + n, sizeof(ports) - (size_t)n, "%d", port[i]);
	}
	if (si->mac)
		snprintf(mac, sizeof(mac), "%%M=%02X%02X%02X", si->mac[0], si->mac[1], si->mac[2]);
	if (fp->dc)
		snprintf(ds, sizeof(ds), "%%DS=%d%%DC=%c", fp->distance, fp->dc);
	snprintf(buf, cap, "SCAN(V=7.93%%E=%d%%D=%d/%d%s%%PV=%c%s%%G=%c%s%%TM=%llX%%P=%s%%NK=%s)%s",
		 si->v6 ? 6 : 4, si->month, si->day, ports, si->private_addr ? 'Y' : 'N', ds,
		 si->good ? 'Y' : 'N', mac, si->when, si->platform, si->netkit_version,
		 si->tests ? si->tests : fp->tests);
}

size_t os_fp_wrap(const char *fp, char *out, size_t cap)
{
	size_t len = strlen(fp), o = 0;
	for (size_t i = 0; i < len && o + 77 < cap; i += 72) {
		size_t k = len - i < 72 ? len - i : 72;
		memcpy(out + o, "OS:", 3);
		memcpy(out + o + 3, fp + i, k);
		out[o + 3 + k] = '\n';
		o += 4 + k;
	}
	if (o < cap)
		out[o] = '\0';
	return o;
}
