#!/usr/bin/env bash
# Load test of the HJ 212 gateway on this machine (loopback only), as the issue asks:
#   1. N simulated loggers (default 1000) send hourly uploads for DURATION seconds at RATE packets/s each,
#      every upload asking for a 9014; the simulator checks every answer (JSON report, latency percentiles);
#      afterwards the stored observations are counted against what was acknowledged.
#   2. IDLE idle TCP connections (default 10000) are opened and the server's resident memory is read.
# Usage: scripts/loadtest.sh [sqlite|postgres://user@host:port/db] [LOGGERS] [RATE] [DURATION] [IDLE]
# Builds qingshan in release mode (scratch path .build-release) when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
db_kind=${1:-sqlite}
loggers=${2:-1000}
rate=${3:-50}
duration=${4:-60}
idle=${5:-10000}

bin=${QINGSHAN_BIN:-.build-release/release/qingshan}
if [ ! -x "$bin" ]; then
  swift build -c release --product qingshan --scratch-path .build-release
fi
work=$(mktemp -d /tmp/qingshan-load.XXXXXX)
if [ "$db_kind" = "sqlite" ]; then db="$work/load.sqlite"; else db="$db_kind"; fi
# Below the ephemeral range (32768-60999), where the idle test's closed sockets linger in TIME_WAIT.
http=$(( 20000 + RANDOM % 10000 )); gw=$(( http + 1 ))

"$bin" migrate --db "$db" >/dev/null
"$bin" serve --db "$db" --host 127.0.0.1 --http-port "$http" --hj212-port "$gw" --no-built-in-plan \
  --hj212-max-per-address 20000 --hj212-max-connections 20000 >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "HJ 212 gateway listening" "$work/serve.log" && break; sleep 0.1; done

echo "== load: $loggers loggers x $rate packets/s for ${duration}s into $db_kind"
"$bin" simulate --db "$db" --register --port "$gw" --loggers "$loggers" --rate "$rate" --duration "$duration" \
  --window 64 --ack-timeout 30 --sources stack,outfall,water,air | tee "$work/report.json" || true
echo "== server-side ack latency (read to 9014 written), ingest-log commits, values stored behind them"
metric() { curl -s "localhost:$http/metrics" | grep -E "^qingshan_hj212_$1 " | awk '{print $2}'; }
curl -s "localhost:$http/metrics" | grep -E "qingshan_hj212_(ack_latency_seconds|commit_seconds|materialize_seconds)_(sum|count)|packets_stored_total|observations_stored_total|frames_total|ingest_backlog_frames"
echo "== waiting for the values of every acknowledged frame to be stored"
drain_start=$(date +%s.%N)
for _ in $(seq 1 600); do
  backlog=$(metric ingest_backlog_frames); backlog=${backlog%.*}
  [ "${backlog:-0}" -le 0 ] && break
  sleep 1
done
echo "backlog ${backlog:-?} frames after $(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s; values stored: $(metric observations_stored_total)"
echo "== server resident memory after the load: $(grep VmRSS /proc/$server/status)"

if [ "$idle" -gt 0 ]; then
  echo "== idle: opening $idle connections"
  python3 - "$gw" "$idle" "$server" <<'PY'
import socket, sys, time
port, count, pid = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return line.split()[1]
before = rss()
socks = []
for i in range(count):
    s = socket.socket(); s.connect(("127.0.0.1", port)); socks.append(s)
time.sleep(3)
print(f"idle connections open: {len(socks)}; server VmRSS before {before} kB, with them {rss()} kB")
for s in socks: s.close()
PY
fi
