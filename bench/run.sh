#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the benchmark scripts in bench/ one after the other (each prints its
# own medians and ratios).
#
#   bash bench/run.sh            every benchmark but the long ones
#   bash bench/run.sh NAME...    just those (ss, nmap_mem, ...), long ones too
#   ALL=1 bash bench/run.sh      every benchmark, long ones included
#
# Skipped: libraries (a file without a #! line, such as lib.sh, is sourced
# by the others, not run); unless named or ALL=1, the long one:
#   nmap_mem.sh     a /16 x 1,000 ports scan to the end, ~15-20 min
#                   (bash bench/nmap_mem.sh 120 for a 2-minute sample);
#   nmap_sv.sh      -sV on the labs' 28 service ports, ~18 min (nmap takes
#                   ~110 s a run; bash bench/nmap_sv.sh 1 for one run);
# and, without NETKIT_LAB=<a lab that is up>, nmap_resume.sh (it needs one).
# Root; the scripts make their own namespaces or labs.
cd "$(dirname "$0")/.." || exit 1
long="nmap_mem nmap_sv"
named=${ALL:-}
if [ $# -gt 0 ]; then
	named=1
	set -- "${@/#/bench/}"
	set -- "${@/%.sh/}"
	set -- "${@/%/.sh}"
else
	set -- bench/*.sh
fi
rc=0
for f in "$@"; do
	name=$(basename "$f" .sh)
	[ "$name" != run ] || continue
	if [ ! -f "$f" ]; then
		echo "bench/run.sh: no benchmark $f" >&2
		rc=1
		continue
	fi
	if [ "$(head -c 2 "$f")" != '#!' ]; then
		continue # a library, sourced by the others
	fi
	case " $long " in *" $name "*)
		if [ -z "$named" ]; then
			echo "== $f: skipped (long; run it alone: bash bench/run.sh $name, see its header)"
			continue
		fi
		;;
	esac
	if [ "$name" = nmap_resume ] && [ -z "${NETKIT_LAB:-}" ]; then
		echo "== $f: skipped (needs NETKIT_LAB=<a lab that is up>)"
		continue
	fi
	echo "== $f"
	bash "$f" || rc=1
done
exit $rc
