#!/usr/bin/env bash
# Runs every Fuzz target of the module for FUZZTIME each (make fuzz).
#
# Go 1.26's fuzz coordinator can fail a target with a bare "context deadline
# exceeded" as -fuzztime runs out, when a worker is still busy (a race in
# the coordinator itself, go.dev/issue/75804, fixed in Go 1.27). A finding
# always writes its input ("Failing input written to testdata/fuzz/..."), so
# a failure with that message and no input is run again, up to three times;
# anything else fails at once.
set -euo pipefail

fuzztime=${FUZZTIME:-5s}
go=${GO:-go}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

"$go" test -run '^$' -list '^Fuzz' ./... |
	awk '/^Fuzz/ { names[n++] = $1; next } /^ok/ { for (i = 0; i < n; i++) print $2, names[i]; n = 0 }' |
	while read -r pkg name; do
		for try in 1 2 3; do
			echo "fuzz: $pkg $name ($fuzztime)"
			if "$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" "$pkg" 2>&1 | tee "$log"; then
				break
			fi
			if [ "$try" -lt 3 ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q 'Failing input written' "$log"; then
				echo "fuzz: $name stopped on Go's -fuzztime race (go.dev/issue/75804), not on an input: running it again"
				continue
			fi
			echo "fuzz: $pkg $name failed" >&2
			exit 1
		done
	done
