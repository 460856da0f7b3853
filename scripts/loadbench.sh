#!/bin/sh
# Load benchmark of bounced's SMTP listener on loopback, with Postfix's
# smtp-source as the client:
#
#  1. throughput: messages per second into bounced (each one committed
#     with fsync before its 250) and into smtp-sink (which stores nothing,
#     the ceiling of this machine), in alternating rounds of one run;
#  2. peak RSS of bounced while CONCURRENT sessions each send one bounce of
#     BIG_BYTES.
#
# Usage (as root, because smtp-sink runs as -u nobody):
#   scripts/loadbench.sh
# Environment: MESSAGES (per round, default 20000), SESSIONS (default 20),
# ROUNDS (default 3), CONCURRENT (default 500), BIG_BYTES (default 5242880),
# WORKDIR (default a new directory under /var/tmp, on disk), PARTS
# ("throughput rss" by default; name one to run only that part) and
# COMPARE (a checkout of another revision, such as a `git worktree` of
# main). With COMPARE, the bounced built from that checkout runs in the
# same throughput rounds, after this one's.
# Sends traffic to 127.0.0.1 only.
set -eu

MESSAGES=${MESSAGES:-20000}
SESSIONS=${SESSIONS:-20}
ROUNDS=${ROUNDS:-3}
CONCURRENT=${CONCURRENT:-500}
BIG_BYTES=${BIG_BYTES:-5242880}
WORKDIR=${WORKDIR:-$(mktemp -d /var/tmp/bounced-loadbench.XXXXXX)}
PARTS=${PARTS:-throughput rss}
COMPARE=${COMPARE:-}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

for tool in smtp-source smtp-sink python3; do
	command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
	command -v "$tool" >/dev/null || { echo "loadbench: $tool not found (apt-get install postfix python3)" >&2; exit 1; }
done

pids=""
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
	for _ in $(seq 100); do
		python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1).close()" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "loadbench: nothing listens on 127.0.0.1:$1" >&2
	exit 1
}

# cpu_ticks PID: prints the user plus system CPU time of PID so far, in
# clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# rate PORT SERVER_PID ARGS...: runs smtp-source and prints messages per
# second, then the CPU time per message of the server and of smtp-source,
# in microseconds. The client's time comes from the shell's `times`, which
# counts the children it waited for. Called as $(rate ...), this shell
# waits only for date and smtp-source.
rate() {
	port=$1
	server=$2
	shift 2
	ticks=$(cpu_ticks "$server")
	start=$(date +%s.%N)
	smtp-source "$@" -s "$SESSIONS" -m "$MESSAGES" -f '' -t bounces@bounces.example.org \
		-F "$WORKDIR/bounce.eml" "127.0.0.1:$port"
	end=$(date +%s.%N)
	times >"$WORKDIR/times"
	client=$(awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, t, "m"); s += t[1] * 60 + t[2]}; print s}' "$WORKDIR/times")
	python3 -c "
hz, n = $(getconf CLK_TCK), $MESSAGES
print(round(n / ($end - $start)), round(($(cpu_ticks "$server") - $ticks) / hz * 1e6 / n), round($client * 1e6 / n))"
}

# start_bounced NAME [BINARY]: starts bounced (by default the one built
# from this checkout) with a fresh data directory and sets BOUNCED_PID and
# BOUNCED_PORT, HTTP_PORT.
start_bounced() {
	BOUNCED_PORT=$(free_port)
	HTTP_PORT=$(free_port)
	# Every session comes from 127.0.0.1, so the limit per client address
	# is the total one. The total leaves room above CONCURRENT; it also
	# sizes the memory limit that bounced sets itself.
	max_conns=$((CONCURRENT + 100))
	cat >"$WORKDIR/$1.yml" <<YAML
smtp:
  listen: 127.0.0.1:$BOUNCED_PORT
  max_connections: $max_conns
  max_connections_per_ip: $max_conns
http:
  listen: 127.0.0.1:$HTTP_PORT
data_dir: $WORKDIR/$1-data
log_level: warn
YAML
	"${2:-$WORKDIR/bounced}" serve -config.file "$WORKDIR/$1.yml" 2>>"$WORKDIR/$1.log" &
	BOUNCED_PID=$!
	pids="$pids $BOUNCED_PID"
	wait_port "$BOUNCED_PORT"
}

received() {
	python3 - "$1" <<'PY'
import sys, urllib.request
for line in urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics").read().decode().splitlines():
    if line.startswith("bounced_messages_received_total "):
        print(int(float(line.split()[1])))
PY
}

echo "building bounced in $WORKDIR"
(cd "$ROOT" && go build -o "$WORKDIR/bounced" ./cmd/bounced)
if [ -n "$COMPARE" ]; then
	echo "building the bounced to compare from $COMPARE"
	(cd "$COMPARE" && go build -o "$WORKDIR/bounced-compare" ./cmd/bounced)
fi
# smtp-source -F appends CRLF to each line itself.
sed 's/\r$//' "$ROOT/cmd/bounced/testdata/cox-aup.eml" >"$WORKDIR/bounce.eml"

throughput() {
SINK_PORT=$(free_port)
smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 &
SINK_PID=$!
pids="$pids $SINK_PID"
wait_port "$SINK_PORT"
if [ -n "$COMPARE" ]; then
	start_bounced compare "$WORKDIR/bounced-compare"
	COMPARE_PID=$BOUNCED_PID COMPARE_PORT=$BOUNCED_PORT COMPARE_HTTP_PORT=$HTTP_PORT
fi
start_bounced throughput

echo "throughput: $SESSIONS sessions, $MESSAGES messages per round, $(wc -c <"$WORKDIR/bounce.eml") bytes each"
echo "  (CPU per message in microseconds: server's, then smtp-source's)"
for reuse in "" -d; do
	mode="one message per connection"
	[ -n "$reuse" ] && mode="connections reused (-d)"
	for round in $(seq "$ROUNDS"); do
		set -- $(rate "$SINK_PORT" "$SINK_PID" $reuse)
		sink="$1 msg/s (CPU $2 + $3 us)"
		sink_rate=$1
		set -- $(rate "$BOUNCED_PORT" "$BOUNCED_PID" $reuse)
		bounced="$1 msg/s (CPU $2 + $3 us)"
		ratio=$(python3 -c "print(f'{$1 / $sink_rate:.2f}')")
		echo "  $mode, round $round: smtp-sink $sink, bounced $bounced, ratio $ratio"
		[ -n "$COMPARE" ] || continue
		set -- $(rate "$COMPARE_PORT" "$COMPARE_PID" $reuse)
		ratio=$(python3 -c "print(f'{$1 / $sink_rate:.2f}')")
		echo "    compared bounced: $1 msg/s (CPU $2 + $3 us), ratio $ratio"
	done
done
want=$((MESSAGES * ROUNDS * 2))
got=$(received "$HTTP_PORT")
echo "  bounced_messages_received_total $got, messages sent $want"
kill "$BOUNCED_PID"
wait "$BOUNCED_PID" || true
if [ -n "$COMPARE" ]; then
	echo "  compared bounced: bounced_messages_received_total $(received "$COMPARE_HTTP_PORT"), messages sent $want"
	kill "$COMPARE_PID"
	wait "$COMPARE_PID" || true
fi
}

rss() {
echo "peak RSS: $CONCURRENT sessions at once, one bounce of $BIG_BYTES bytes each"
# The padding is base64 of random bytes, like an attachment, so that the
# store's compression does not shrink it to nothing.
python3 - "$WORKDIR/bounce.eml" "$BIG_BYTES" >"$WORKDIR/big.eml" <<'PY'
import base64, os, sys
head = open(sys.argv[1]).read()
need = max(0, int(sys.argv[2]) - len(head))
lines = [base64.b64encode(os.urandom(57)).decode() + "\n" for _ in range(need // 77)]
sys.stdout.write(head + "".join(lines))
PY
start_bounced rss
# VmHWM is the peak of anonymous and file-backed memory together; sample
# RssAnon to find the peak of the heap side alone.
(
	peak=0
	while [ -r "/proc/$BOUNCED_PID/status" ]; do
		anon=$(awk '/^RssAnon/ {print $2}' "/proc/$BOUNCED_PID/status" 2>/dev/null || echo 0)
		[ "${anon:-0}" -gt "$peak" ] && peak=$anon && echo "$peak" >"$WORKDIR/rss-anon-peak"
		sleep 0.2
	done
) &
pids="$pids $!"
start=$(date +%s.%N)
smtp-source -s "$CONCURRENT" -m "$CONCURRENT" -f '' -t bounces@bounces.example.org \
	-F "$WORKDIR/big.eml" "127.0.0.1:$BOUNCED_PORT"
end=$(date +%s.%N)
echo "  $CONCURRENT messages in $(python3 -c "print(round($end - $start, 1))") s, stored: $(received "$HTTP_PORT")"
grep -E '^(VmHWM|VmRSS|RssAnon|RssFile)' "/proc/$BOUNCED_PID/status" | sed 's/^/  /'
echo "  RssAnon peak (sampled every 0.2 s): $(cat "$WORKDIR/rss-anon-peak") kB"
}

for part in $PARTS; do
	case $part in
	throughput | rss) $part ;;
	*) echo "loadbench: unknown part $part" >&2; exit 2 ;;
	esac
done
