#!/usr/bin/env bash
# Makes the template captures bench/gen_appmix.py multiplies into the application-layer mix:
#   bench/appmix_templates.sh OUTDIR
# Real traffic made in a private network namespace (unshare -n: only lo, with 198.18.0.1 and
# 198.18.0.2 on it and a 1500-byte MTU, so segments are Ethernet-sized), captured by tcpdump:
#   tls13.pcap  openssl s_client -> s_server -www, TLS 1.3, SNI www.example.com, ALPN h2
#   tls12.pcap  the same in TLS 1.2, SNI shop.example.net, ALPN http/1.1
#   http.pcap   curl GET of a 2 KB page from python3 -m http.server, Host www.example.org
#   dns.pcap    tests/gen/mkpcap.py dns (queries and answers)
# Needs root, unshare, ip, ethtool, openssl, curl, python3, tcpdump. Every wait is bounded.
set -euo pipefail
OUTDIR=$(realpath "${1:?usage: appmix_templates.sh OUTDIR}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$OUTDIR"

if [[ "${APPMIX_IN_NETNS:-}" != 1 ]]; then
	(($(id -u) == 0)) || { echo "appmix_templates.sh: needs root (a network namespace)" >&2; exit 1; }
	APPMIX_IN_NETNS=1 exec timeout 120 unshare -n bash "$0" "$OUTDIR"
fi

ip link set lo mtu 1500 up
# no segmentation offload: segments as a real link carries them
ethtool -K lo tso off gso off gro off >/dev/null 2>&1 || echo "ethtool: cannot turn offloads off; segments may exceed the MTU" >&2
ip addr add 198.18.0.1/32 dev lo
ip addr add 198.18.0.2/32 dev lo
T=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$T"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=www.example.com \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>/dev/null

# capture CMD...: runs CMD while tcpdump writes $OUTDIR/$NAME on lo
capture() {
	local name=$1
	shift
	tcpdump -i lo -s 0 -U --immediate-mode -w "$OUTDIR/$name" 2>/dev/null &
	local tp=$!
	for _ in $(seq 50); do [ -s "$OUTDIR/$name" ] && break; sleep 0.05; done
	sleep 0.2
	"$@" || true
	sleep 0.3
	kill "$tp"
	wait "$tp" 2>/dev/null || true
}

# wait_port PORT: until 198.18.0.2:PORT accepts (at most 5 s; the probe is not captured)
wait_port() {
	for _ in $(seq 50); do timeout 1 bash -c "</dev/tcp/198.18.0.2/$1" 2>/dev/null && return; sleep 0.1; done
}
tls_template() { # NAME VERSION-FLAG SNI ALPN
	openssl s_server -accept 198.18.0.2:443 -cert "$T/cert.pem" -key "$T/key.pem" -www -quiet \
		-alpn "$4" >/dev/null 2>&1 &
	local sp=$!
	wait_port 443
	capture "$1" bash -c "printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client \
		-connect 198.18.0.2:443 $2 -servername $3 -alpn $4 -quiet >/dev/null 2>&1"
	kill "$sp"
	wait "$sp" 2>/dev/null || true
}
tls_template tls13.pcap -tls1_3 www.example.com h2
tls_template tls12.pcap -tls1_2 shop.example.net http/1.1

mkdir -p "$T/www"
head -c 2000 /dev/zero | tr '\0' 'a' >"$T/www/index.html"
(cd "$T/www" && exec python3 -m http.server --bind 198.18.0.2 80 >/dev/null 2>&1) &
wait_port 80
capture http.pcap timeout 10 curl -s -o /dev/null --interface 198.18.0.1 \
	-H 'Host: www.example.org' http://198.18.0.2/index.html

python3 "$ROOT/tests/gen/mkpcap.py" dns -o "$OUTDIR/dns.pcap"
ls -l "$OUTDIR"
