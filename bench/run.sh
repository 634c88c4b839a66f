#!/usr/bin/env bash
# Runs every benchmark script in bench/ (each prints its own ratios).
cd "$(dirname "$0")/.."
for f in bench/*.sh; do
	case $f in bench/run.sh | bench/*common*.sh) continue ;; esac
	echo "== $f"
	bash "$f"
done
