#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every source file names its licence in an SPDX line near its top (within
# the first 3 lines): C files as their first line, shell, Python, Meson and
# Makefiles as their first comment (after a #! line).
#   scripts/spdx.sh         list the files without one; exit 1 if any
#   scripts/spdx.sh --fix   add the line to those files
set -euo pipefail
cd "$(dirname "$0")/.."
tag='SPDX-License-Identifier: Apache-2.0'
fix=0
[ "${1:-}" = --fix ] && fix=1
missing=0
while IFS= read -r f; do
	[ -f "$f" ] || continue
	head -n 3 "$f" | grep -q "$tag" && continue
	if [ "$fix" -eq 0 ]; then
		echo "no SPDX line: $f"
		missing=$((missing + 1))
		continue
	fi
	case "$f" in
	*.c | *.h) sed -i "1i /* $tag */" "$f" ;;
	*)
		if head -n 1 "$f" | grep -q '^#!'; then
			sed -i "1a # $tag" "$f"
		else
			sed -i "1i # $tag" "$f"
		fi
		;;
	esac
done < <(git ls-files '*.c' '*.h' '*.sh' '*.py' 'meson.build' '*/meson.build' 'Makefile')
[ "$missing" -eq 0 ]
