#!/usr/bin/env bash
# HJ 212 gateway load with the lightweight generator (Benchmarks/GatewayLoad: one thread, epoll, no NIO), so that on
# a small machine the CPU goes to the server rather than to the simulated loggers:
#   1. registers LOGGERS devices, starts `qingshan serve` on loopback and runs the generator: every logger sends
#      hourly uploads (CN 2061, 18 values) at RATE packets/s (0: as fast as an 8-packet window allows) for DURATION
#      seconds, each asking for a 9014; JSON report with acked/s and latency percentiles;
#   2. reads the server's CPU time and memory, waits for the ingest backlog to drain and checks that the values of
#      every acknowledged packet are stored (row counts, then 100 random acknowledged packets through the HTTP API).
# Usage: scripts/gateway-load.sh [sqlite|postgres://user@host:port/db] [LOGGERS=1000] [RATE=50] [DURATION=60] [serve flags…]
# Environment: QINGSHAN_BIN (default .build-load/release/qingshan), GATEWAY_LOAD_BIN (default
# .build-load/release/GatewayLoad), both built from Benchmarks/ into .build-load when missing; GATEWAY_LOAD_ARGS: extra
# generator flags (e.g. "--window 16 --cn 2011"); SPOT_CHECKS (default 100).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
db_kind=${1:-sqlite}
loggers=${2:-1000}
rate=${3:-50}
duration=${4:-60}
shift $(( $# < 4 ? $# : 4 ))
serve_extra=("$@")
read -r -a load_extra <<<"${GATEWAY_LOAD_ARGS:-}"
spot_checks=${SPOT_CHECKS:-100}

qingshan=${QINGSHAN_BIN:-$root/.build-load/release/qingshan}
generator=${GATEWAY_LOAD_BIN:-$root/.build-load/release/GatewayLoad}
for product in qingshan GatewayLoad; do
  if [ "$product" = qingshan ]; then path=$qingshan; else path=$generator; fi
  if [ ! -x "$path" ]; then
    (cd Benchmarks && swift build -c release --product "$product" --scratch-path "$root/.build-load")
  fi
done

work=$(mktemp -d /tmp/qingshan-gateway-load.XXXXXX)
if [ "$db_kind" = "sqlite" ]; then
  db="$work/load.sqlite"; prefix=LOAD
else
  # A shared database keeps earlier runs: new MNs each run, so idempotent storage cannot hide values.
  db="$db_kind"; prefix=LOAD$(printf %04d $((RANDOM % 10000)))
fi
# Below the ephemeral range (32768-60999), and not a port something already listens on (a local PostgreSQL…).
while :; do
  http=$(( 20000 + RANDOM % 10000 )); gw=$(( http + 1 ))
  ss -ltn 2>/dev/null | awk '{ print $4 }' | grep -Eq ":($http|$gw)\$" || break
done
echo "== work dir $work; HTTP $http, HJ 212 $gw; MN prefix $prefix"

"$qingshan" migrate --db "$db" >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log"; exit 1; }
"$generator" --write-devices "$work/devices.csv" --loggers "$loggers" --mn-prefix "$prefix" "${load_extra[@]}"
"$qingshan" device import "$work/devices.csv" --db "$db" | tail -1

"$qingshan" serve --db "$db" --host 127.0.0.1 --http-port "$http" --hj212-port "$gw" --no-built-in-plan \
  --hj212-max-per-address 20000 --hj212-max-connections 20000 ${serve_extra[@]+"${serve_extra[@]}"} >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  grep -q "HJ 212 gateway listening" "$work/serve.log" && break
  kill -0 "$server" 2>/dev/null || { echo "server exited:"; cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
grep -q "HJ 212 gateway listening" "$work/serve.log" || { echo "the gateway did not start:"; tail "$work/serve.log"; exit 1; }

ticks=$(getconf CLK_TCK)
# utime + stime of the server in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the command name).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$server/stat"; }
rss() { awk '/^VmRSS/ { print $2 " kB" }' "/proc/$server/status"; }
metric() { curl -s "localhost:$http/metrics" | awk -v name="qingshan_hj212_$1" '$1 == name { print $2 }'; }
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
count_stored() {  # prints: observations rows, observation_packets rows, their value_count sum (0 when absent)
  if [ "$db_kind" = "sqlite" ]; then
    python3 - "$db" "$prefix" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=60)
like = sys.argv[2] + "%"
tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
observations = db.execute("SELECT COUNT(*) FROM observations WHERE mn LIKE ?", (like,)).fetchone()[0] if "observations" in tables else 0
packets = values = 0
if "observation_packets" in tables:
    columns = {row[1] for row in db.execute("PRAGMA table_info(observation_packets)")}
    packets = db.execute("SELECT COUNT(*) FROM observation_packets WHERE mn LIKE ?", (like,)).fetchone()[0]
    if "value_count" in columns:
        values = db.execute("SELECT COALESCE(SUM(value_count), 0) FROM observation_packets WHERE mn LIKE ?", (like,)).fetchone()[0]
print(observations, packets, values)
PY
  elif command -v psql >/dev/null; then
    local like="$prefix%" observations packets=0 values=0
    observations=$(psql "$db" -Atc "SELECT COUNT(*) FROM observations WHERE mn LIKE '$like'")
    if [ "$(psql "$db" -Atc "SELECT to_regclass('observation_packets') IS NOT NULL")" = t ]; then
      packets=$(psql "$db" -Atc "SELECT COUNT(*) FROM observation_packets WHERE mn LIKE '$like'")
      if [ "$(psql "$db" -Atc "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'observation_packets' AND column_name = 'value_count'")" != 0 ]; then
        values=$(psql "$db" -Atc "SELECT COALESCE(SUM(value_count), 0) FROM observation_packets WHERE mn LIKE '$like'")
      fi
    fi
    echo "$observations $packets $values"
  else
    echo "psql is not installed: cannot count the stored values" >&2
    echo "? ? ?"
  fi
}

echo "== load: $loggers loggers x $rate packets/s for ${duration}s into $db_kind (server: ${serve_extra[*]:-default flags})"
cpu_before=$(cpu_ticks); started=$(date +%s.%N)
# Data times start now (China time), as a logger's do: on a database kept across runs each run's packets go to the end
# of the time-keyed index, as in the field, instead of among an earlier run's (a later --start in GATEWAY_LOAD_ARGS wins).
start=$(TZ=Asia/Shanghai date +%Y-%m-%dT%H:%M:%S)
"$generator" --port "$gw" --loggers "$loggers" --rate "$rate" --duration "$duration" --mn-prefix "$prefix" --start "$start" \
  --ack-log "$work/acks.csv" "${load_extra[@]}" | tee "$work/report.json"
cpu_after=$(cpu_ticks); wall=$(seconds_since "$started")
field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/report.json" "$1"; }
acked=$(field acked); values_per_packet=$(field values_per_packet); cn=$(field cn)
echo "== server CPU during the run: $(awk -v t="$(( cpu_after - cpu_before ))" -v hz="$ticks" -v w="$wall" \
  'BEGIN { printf "%.2f s over %.1f s wall = %.2f cores", t / hz, w, t / hz / w }'); generator CPU $(field generator_cpu_s) s; \
server RSS $(rss), peak $(awk '/^VmHWM/ { print $2 " kB" }' "/proc/$server/status")"
if [ "$db_kind" != sqlite ] && command -v psql >/dev/null; then
  # PostgreSQL on this machine: the CPU time of the gateway's ingest backend (application_name qingshan-ingest), which
  # connected with the first batch: PostgreSQL's own work per packet.
  backend=$(psql "$db" -Atc "SELECT pid FROM pg_stat_activity WHERE application_name = 'qingshan-ingest' AND datname = current_database() LIMIT 1" || true)
  if [ -n "$backend" ] && [ -r "/proc/$backend/stat" ]; then
    backend_s=$(awk -v hz="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$backend/stat")
    echo "== PostgreSQL ingest backend (pid $backend): ${backend_s} s CPU, $(awk -v s="$backend_s" -v a="$acked" 'BEGIN { printf "%.1f", (a > 0) ? s * 1e6 / a : 0 }') µs per acknowledged packet"
  fi
fi
curl -s "localhost:$http/metrics" | grep -E "^qingshan_hj212_(ack_latency_seconds|commit_seconds|materialize_seconds)_(sum|count)|^qingshan_hj212_(packets_stored_total|observations_stored_total|ingest_backlog_frames)" || true

echo "== waiting for the ingest backlog to drain"
drain_start=$(date +%s.%N); drain_cpu=$(cpu_ticks)
backlog=?
for second in $(seq 1 600); do
  backlog=$(metric ingest_backlog_frames); backlog=${backlog%.*}
  [ -n "$backlog" ] && [ "$backlog" -le 0 ] && break
  (( second % 10 == 0 )) && echo "  backlog $backlog frames after ${second}s"
  sleep 1
done
echo "backlog ${backlog:-?} frames after $(seconds_since "$drain_start") s (server CPU meanwhile \
$(awk -v t="$(( $(cpu_ticks) - drain_cpu ))" -v hz="$ticks" 'BEGIN { printf "%.2f", t / hz }') s)"

echo "== storage"
read -r observations packets packet_values < <(count_stored)
expected=$(( acked * values_per_packet ))
if [[ "$observations" =~ ^[0-9]+$ ]]; then
  stored=$(( observations + packet_values ))
  echo "acknowledged packets $acked x $values_per_packet values = $expected; stored: $observations observation rows," \
    "$packets packet rows carrying $packet_values values = $stored"
  if [ "$stored" -ge "$expected" ]; then verdict="every acknowledged packet's values are stored"; else
    verdict="MISSING $(( expected - stored )) values of acknowledged packets"; fi
  echo "storage check: $verdict"
fi

if [ -s "$work/acks.csv" ] && [ "$spot_checks" -gt 0 ]; then
  echo "== spot check: $spot_checks random acknowledged packets through GET /api/v1/observations"
  shuf -n "$spot_checks" "$work/acks.csv" | python3 -c '
import json, sys, urllib.request
port, cn, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
checked = bad = 0
for line in sys.stdin:
    mn, t = line.strip().split(",")
    when = f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}"
    url = f"http://localhost:{port}/api/v1/observations?mn={mn}&cn={cn}&from={when}&to={when}"
    rows = json.load(urllib.request.urlopen(url, timeout=30))
    checked += 1
    if len(rows) != expected:
        bad += 1
        if bad <= 5: print(f"  {mn} {when}: {len(rows)} rows, expected {expected}")
print(f"spot check: {checked - bad} of {checked} acknowledged packets have all {expected} values")
' "$http" "$cn" "$values_per_packet"
fi
echo "== report: $work/report.json; server log: $work/serve.log"
