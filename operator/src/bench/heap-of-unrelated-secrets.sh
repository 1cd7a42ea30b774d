#!/usr/bin/env bash
# Heap of the operator with COUNT unrelated Secrets of SIZE bytes (docs/performance.md).
# Usage: heap-of-unrelated-secrets.sh OPERATOR_JAR [COUNT] [SIZE]
# Starts UnrelatedSecretsServer in one JVM, runs `OPERATOR_JAR run` against it in another, waits
# until the operator has started (its informers have synced) and its heap has settled, forces a
# full GC with jcmd and prints the used heap. Needs a JDK (javac, jcmd) and a built jar.
set -euo pipefail
jar=$(realpath "$1"); count=${2:-20000}; size=${3:-10240}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

javac -d "$work/classes" -cp "$jar" "$here/java/dev/reloadly/operator/bench/UnrelatedSecretsServer.java"
java -Xmx4g -cp "$jar:$work/classes" dev.reloadly.operator.bench.UnrelatedSecretsServer \
  "$count" "$size" > "$work/server.log" 2>&1 &
until grep -q '^READY ' "$work/server.log"; do sleep 1; done
url=$(grep '^READY ' "$work/server.log" | cut -d' ' -f2)

java -Xmx1g -Dkubernetes.master="$url" -Dkubernetes.auth.tryKubeConfig=false \
  -Dkubernetes.auth.tryServiceAccount=false -jar "$jar" run --metrics-port 0 \
  > "$work/operator.log" 2>&1 &
operator=$!
until grep -qs "operator started" "$work/operator.log"; do sleep 1; done

# Settled: three full-GC readings 2 s apart within 1 MiB of each other.
previous=-1; steady=0
while [ "$steady" -lt 2 ]; do
  sleep 2
  jcmd "$operator" GC.run > /dev/null
  used=$(jcmd "$operator" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}' | tr -d 'K,')
  if [ "$previous" -ge 0 ] && [ $(( used > previous ? used - previous : previous - used )) -lt 1024 ]; then
    steady=$((steady + 1)); else steady=0; fi
  previous=$used
done
echo "RESULT jar=$(basename "$jar") secrets=$count size=$size operator_heap_used_after_gc=${used}K"
