#!/usr/bin/env bash
# Workers on separate hosts, nothing shared but TCP: a PostgreSQL server and two "machines" in three network
# namespaces (veth pairs, their own addresses, their own host names, their own working folders) complete one sweep.
#
#   scripts/cluster-demo.sh LOGBOOK_BINARY
#
# Machine A (10.77.1.2) runs `sweep run --workers 1`, machine B (10.77.2.2) runs `worker --sweep 1`; both reach the
# server (10.77.1.1 / 10.77.2.1) over TCP only. Then A copies the sweep home (`db copy` into a SQLite file in its
# folder) and writes the report. Needs root (ip netns). Where namespaces cannot be made, it says so and runs the
# same sweep with separate processes and separate folders on loopback instead.
set -euo pipefail
logbook=$(realpath "${1:?usage: $0 LOGBOOK_BINARY}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/logbook-cluster-demo.XXXXXX")
chmod 755 "$work"
tag=lb$$
cleanup() {
  set +e
  if [[ -n ${server_dir:-} ]]; then
    if [[ ${namespaces:-0} == 1 ]]; then
      ip netns exec "$tag-srv" runuser -u postgres -- "$bin/pg_ctl" -D "$server_dir/data" -m fast -w stop >/dev/null 2>&1
    else
      "$here/postgres-test-cluster.sh" stop "$server_dir"
    fi
  fi
  for ns in "$tag-srv" "$tag-a" "$tag-b"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# Trials of ≈ 0.2–0.4 s each (12 in all), long enough that B, which starts once A has planned the sweep, gets some.
sweep=(sweep run --name cluster-demo --data digits --layers 64-256-256-10 --epochs 40 --batch-size 16,32,64
       --lr 0.05,0.1 --seeds 2 --workers 1 --quiet)

if [[ $(id -u) == 0 ]] && ip netns add "$tag-probe" 2>/dev/null; then
  ip netns del "$tag-probe"
  namespaces=1
else
  namespaces=0
fi

if [[ $namespaces == 0 ]]; then
  echo "network namespaces cannot be made here (needs root and ip netns): falling back to separate processes with separate folders on loopback"
  server_dir=$work/server
  url=$("$here/postgres-test-cluster.sh" start "$server_dir")
  mkdir -p "$work/a" "$work/b"
  (cd "$work/a" && "$logbook" "${sweep[@]}" --db "$url") &
  sweep_pid=$!
  until (cd "$work/b" && "$logbook" sweeps --db "$url" 2>/dev/null | grep -q cluster-demo); do sleep 0.2; done
  (cd "$work/b" && "$logbook" worker --sweep 1 --db "$url" --worker-id b --quiet >/dev/null)
  wait "$sweep_pid"
  url_a=$url
else
  for ns in srv a b; do ip netns add "$tag-$ns"; ip -n "$tag-$ns" link set lo up; done
  for machine in a b; do
    subnet=$([[ $machine == a ]] && echo 1 || echo 2)
    ip link add "$tag-s$machine" type veth peer name "$tag-$machine"
    ip link set "$tag-s$machine" netns "$tag-srv"
    ip link set "$tag-$machine" netns "$tag-$machine"
    ip -n "$tag-srv" addr add "10.77.$subnet.1/24" dev "$tag-s$machine"
    ip -n "$tag-$machine" addr add "10.77.$subnet.2/24" dev "$tag-$machine"
    ip -n "$tag-srv" link set "$tag-s$machine" up
    ip -n "$tag-$machine" link set "$tag-$machine" up
  done
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  server_dir=$work/server
  mkdir -p "$server_dir" && chown postgres: "$server_dir" && chmod 700 "$server_dir"
  runuser -u postgres -- "$bin/initdb" -D "$server_dir/data" -A trust -U postgres >/dev/null
  echo "host all all 10.77.0.0/16 trust" >>"$server_dir/data/pg_hba.conf"
  ip netns exec "$tag-srv" runuser -u postgres -- "$bin/pg_ctl" -D "$server_dir/data" -l "$server_dir/server.log" -w \
    -o "-c listen_addresses=10.77.1.1,10.77.2.1 -p 5432 -k $server_dir" start >/dev/null
  ip netns exec "$tag-srv" runuser -u postgres -- "$bin/createdb" -h 10.77.1.1 logbook
  url_a=postgresql://postgres@10.77.1.1/logbook
  url_b=postgresql://postgres@10.77.2.1/logbook
  mkdir -p "$work/a" "$work/b"
  echo "server 10.77.1.1 / 10.77.2.1 (namespace $tag-srv); machine A 10.77.1.2, machine B 10.77.2.2"
  ip netns exec "$tag-a" unshare --uts sh -c "hostname machine-a; cd '$work/a' && exec '$logbook' ${sweep[*]} --db $url_a" &
  sweep_pid=$!
  until ip netns exec "$tag-b" "$logbook" sweeps --db "$url_b" 2>/dev/null | grep -q cluster-demo; do sleep 0.2; done
  ip netns exec "$tag-b" unshare --uts sh -c \
    "hostname machine-b; cd '$work/b' && exec '$logbook' worker --sweep 1 --db $url_b --worker-id b --quiet" >/dev/null
  wait "$sweep_pid"
  echo "machine A cannot reach the internet or B's loopback: $(ip netns exec "$tag-a" sh -c "'$logbook' sweeps --db postgresql://postgres@127.0.0.1/logbook 2>&1 | head -1")"
fi

run_a() { if [[ $namespaces == 1 ]]; then ip netns exec "$tag-a" "$@"; else "$@"; fi; }
run_a "$logbook" sweep status 1 --db "$url_a"
run_a "$logbook" sql --db "$url_a" "SELECT host, worker, count(*) AS completed FROM run_summary WHERE status = 'completed' GROUP BY host, worker ORDER BY host, worker"
# The demo shows two machines sharing one sweep: it fails when B completed none (A finished before B started).
b_completed=$(run_a "$logbook" sql --db "$url_a" --format csv "SELECT count(*) AS n FROM run_summary WHERE status = 'completed' AND worker LIKE 'b#%'" | tail -1)
if [[ $b_completed == 0 ]]; then
  echo "machine B completed no trial: A finished the sweep before B started" >&2
  exit 1
fi
(cd "$work/a" && run_a "$logbook" db copy --from "$url_a" --to home.sqlite --sweep 1)
(cd "$work/a" && "$logbook" report --db home.sqlite --sweep 1 --out report.html && ls -l report.html)
