#!/usr/bin/env bash
# The static checks of `npm test` (both type checks and the linter), started at once: each is a
# single process on one core. Each one's output is printed whole when it ends, so they never
# interleave; if any of them fails, this fails, naming it.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

checks=('tsc --noEmit' 'tsc --noEmit -p web' 'eslint .')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

pids=()
for i in "${!checks[@]}"; do
  ${checks[$i]} >"$out/$i" 2>&1 &
  pids+=($!)
done

failed=()
for i in "${!checks[@]}"; do
  if wait "${pids[$i]}"; then status=0; else status=$?; fi
  cat "$out/$i"
  if [ "$status" -ne 0 ]; then failed+=("${checks[$i]} (exit $status)"); fi
done

if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failed[@]}" >&2
  exit 1
fi
