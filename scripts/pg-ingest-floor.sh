#!/usr/bin/env bash
# What one PostgreSQL backend needs to store a gateway batch, without the gateway: pgbench runs the ingest statement's
# shape (one statement per batch of 8,192 real-time packets, ids from the sequence, archive rows and packet rows in
# data-modifying WITH parts) against a scratch database with Qingshan's tables and indexes, and two leaner layouts, so
# the per-packet cost of each can be compared with the 40 µs of CPU per packet that 50,000 packets/s leaves on 2 cores
# for everything (gateway, load generator, kernel, PostgreSQL).
#   A   today's statement: archive row + packet row per packet, five B-trees, ON CONFLICT on the packets' key
#   A1  the same without ON CONFLICT (a resent packet would then fail its whole batch)
#   B   the archive as one row per batch (frames concatenated, 2.4 MB TOASTed), packet rows without a primary key
#   C   no archive row for a packet: its raw frame in the packet row, no primary key
# Usage: scripts/pg-ingest-floor.sh [PORT=25432] [SECONDS=20]   (as a user that can run psql/pgbench as postgres)
# Prints the mean latency per batch and µs per packet for each; the database `ingest_floor` is dropped at the end.
set -euo pipefail
port=${1:-25432}
seconds=${2:-20}
export PATH=/usr/lib/postgresql/15/bin:$PATH
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }
psql_db() { as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 "$@"; }
work=$(mktemp -d /tmp/qingshan-pg-floor.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"; psql_db -d postgres -c "DROP DATABASE IF EXISTS ingest_floor" >/dev/null 2>&1 || true' EXIT

psql_db -d postgres -c "DROP DATABASE IF EXISTS ingest_floor" -c "CREATE DATABASE ingest_floor"
psql_db -d ingest_floor <<'SQL'
-- Qingshan's tables as migrations 0002, 0008-0010 leave them on PostgreSQL.
CREATE TABLE f (id bigserial PRIMARY KEY, received_at bigint NOT NULL, peer text NOT NULL, mn text, cn text, qn text,
                outcome text NOT NULL, raw text NOT NULL);
CREATE INDEX f_mn ON f (mn, id);
CREATE INDEX f_received ON f USING brin (received_at);
CREATE TABLE p (id bigserial PRIMARY KEY, site_code text, mn text NOT NULL, cn text NOT NULL, kind text NOT NULL,
                data_time bigint NOT NULL, signature bigint NOT NULL, received_at bigint NOT NULL, frame_id bigint,
                value_count int NOT NULL, items text NOT NULL);
CREATE UNIQUE INDEX p_key ON p (data_time, mn, cn, signature);
CREATE INDEX p_site ON p (site_code, data_time);
-- Variant B: one archive row per batch.
CREATE TABLE fb (id bigserial PRIMARY KEY, first_id bigint NOT NULL, received_at bigint NOT NULL, mns text[] NOT NULL,
                 raw bytea NOT NULL);
CREATE TABLE pb (site_code text, mn text NOT NULL, cn text NOT NULL, kind text NOT NULL, data_time bigint NOT NULL,
                 signature bigint NOT NULL, received_at bigint NOT NULL, frame_id bigint, value_count int NOT NULL,
                 items text NOT NULL, raw text);
CREATE UNIQUE INDEX pb_key ON pb (data_time, mn, cn, signature);
CREATE INDEX pb_site ON pb (site_code, data_time);
CREATE TABLE pc (LIKE pb INCLUDING ALL);
CREATE SEQUENCE shift_seq;
-- One batch as the load test sends it: 1,000 loggers, six real-time values each packet (about 300-byte frames).
CREATE TABLE stage AS
SELECT ord, 1795985713727 + ord / 8 AS received_at, '127.0.0.1:' || (40000 + ord % 1000) AS peer,
       'LOAD0000' || lpad((ord % 1000)::text, 8, '0') AS mn, '2011' AS cn, (20261130045513597 + ord)::text AS qn,
       'ok' AS outcome, NULL::text AS site_code, 'realtime' AS kind, ord / 1000 AS data_time,
       4184257128763289944 AS signature, 6 AS value_count,
       format(E'a21026\t\tRtd\t%s\tN\na21002\t\tRtd\t%s\tN\na34013\t\tRtd\t%s\tN\na01012\t\tRtd\t%s\tN\na01011\t\tRtd\t%s\tN\na01013\t\tRtd\t%s\tN',
              round((random() * 60)::numeric, 2), round((random() * 60)::numeric, 2), round((random() * 20)::numeric, 2),
              round((random() * 120)::numeric, 2), round((random() * 20)::numeric, 2), round((random() * 2)::numeric, 2)) AS items
FROM generate_series(1, 8192) AS ord;
ALTER TABLE stage ADD COLUMN raw text;
UPDATE stage SET raw = format('##0286QN=%s;ST=22;CN=2011;PW=123456;MN=%s;Flag=5;CP=&&DataTime=20261130050601;%s&&7BC0\r\n',
                              qn, mn, replace(replace(replace(items, E'\t\tRtd\t', '-Rtd='), E'\tN\n', '-Flag=N;'), E'\tN', '-Flag=N'));
CREATE TABLE stage_batch AS SELECT array_agg(mn ORDER BY ord) AS mns, string_agg(convert_to(raw, 'UTF8'), ''::bytea ORDER BY ord) AS raw FROM stage;
ANALYZE;
SQL

cat >"$work/A.sql" <<'SQL'
WITH ids AS MATERIALIZED (SELECT array_agg(nextval('f_id_seq') ORDER BY ord) AS a FROM stage),
sh AS MATERIALIZED (SELECT nextval('shift_seq') * 10 + 1795986355 AS s),
archived AS (INSERT INTO f (id, received_at, peer, mn, cn, qn, outcome, raw)
             SELECT ids.a[ord], received_at, peer, mn, cn, qn, outcome, raw FROM ids, stage),
packets AS (INSERT INTO p (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items)
            SELECT site_code, mn, cn, kind, data_time + sh.s, signature, received_at, ids.a[ord], value_count, items
            FROM ids, sh, stage ON CONFLICT (data_time, mn, cn, signature) DO NOTHING)
SELECT 1;
SQL
sed 's/ ON CONFLICT (data_time, mn, cn, signature) DO NOTHING//' "$work/A.sql" >"$work/A1.sql"
cat >"$work/B.sql" <<'SQL'
WITH ids AS MATERIALIZED (SELECT array_agg(nextval('f_id_seq') ORDER BY ord) AS a FROM stage),
sh AS MATERIALIZED (SELECT nextval('shift_seq') * 10 + 1795986355 AS s),
archived AS (INSERT INTO fb (first_id, received_at, mns, raw) SELECT ids.a[1], 0, mns, raw FROM ids, stage_batch),
packets AS (INSERT INTO pb (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items)
            SELECT site_code, mn, cn, kind, data_time + sh.s, signature, received_at, ids.a[ord], value_count, items
            FROM ids, sh, stage ON CONFLICT (data_time, mn, cn, signature) DO NOTHING)
SELECT 1;
SQL
cat >"$work/C.sql" <<'SQL'
WITH ids AS MATERIALIZED (SELECT array_agg(nextval('f_id_seq') ORDER BY ord) AS a FROM stage),
sh AS MATERIALIZED (SELECT nextval('shift_seq') * 10 + 1795986355 AS s),
packets AS (INSERT INTO pc (site_code, mn, cn, kind, data_time, signature, received_at, frame_id, value_count, items, raw)
            SELECT site_code, mn, cn, kind, data_time + sh.s, signature, received_at, ids.a[ord], value_count, items, raw
            FROM ids, sh, stage ON CONFLICT (data_time, mn, cn, signature) DO NOTHING)
SELECT 1;
SQL
chmod 644 "$work"/*.sql

for variant in A A1 B C; do
  latency=$(as_postgres pgbench -p "$port" -n -c 1 -T "$seconds" -f "$work/$variant.sql" ingest_floor 2>&1 |
    awk '/latency average/ { print $4 }')
  echo "$variant: $latency ms per batch of 8,192 = $(awk -v l="$latency" 'BEGIN { printf "%.1f", l * 1000 / 8192 }') µs per packet"
done
