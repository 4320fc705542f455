#!/usr/bin/env bash
# mkcaps.sh OUTDIR - inside a private network namespace (run under `unshare -n`), serves HTTP
# with python3 on lo and captures each exchange with tcpdump (lo MTU 600, no offload, so the
# bodies span several segments):
#   static.pcap    python3 -m http.server (HTTP/1.0, closes): a 3000-byte file, Content-Length
#   untilfin.pcap  an HTTP/1.0 response with Content-Type and no Content-Length: the body runs
#                  until the server closes (serve.py until-fin)
#   chunked.pcap   an HTTP/1.1 chunked response, Connection: close (serve.py chunked)
# The client is python3's http.client. tcpdump writes each packet at once into a 16 MiB
# buffer (the machine may be busy: a smaller one lost segments). Every step is bounded by
# timeout. Exit 1 on failure.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/www"
cd "$out"
timeout 5 ip link set lo up
timeout 5 ip link set lo mtu 600
timeout 5 ethtool -K lo tso off gso off >/dev/null
python3 -c 'import sys; sys.stdout.write("".join("line %04d of the static file\n" % i
	for i in range(108)))' >www/file.txt

# one exchange: name, port, server command (run in www/), request path
exchange() {
	local name=$1 port=$2 server=$3 path=$4 tpid spid
	timeout 20 tcpdump -U --immediate-mode -B 16384 -n -i lo -w "$name.pcap" "tcp port $port" 2>/dev/null &
	tpid=$!
	sleep 0.5
	(cd www && exec timeout 20 $server) >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 50); do
		ss -ltn 2>/dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	timeout 10 python3 - "$port" "$path" <<'PY'
import http.client, sys
c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=5)
c.request('GET', sys.argv[2])
body = c.getresponse().read()
assert len(body) > 1000, len(body)
PY
	sleep 0.5
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	kill "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
}

exchange static 8000 "python3 -m http.server --bind 127.0.0.1 8000" /file.txt
exchange untilfin 8001 "python3 $here/serve.py 8001 until-fin" /stream
exchange chunked 8002 "python3 $here/serve.py 8002 chunked" /chunks
