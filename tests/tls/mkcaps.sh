#!/usr/bin/env bash
# mkcaps.sh OUTDIR - inside a private network namespace (run under `unshare -n`), makes TLS
# handshakes with openssl s_server/s_client on lo and captures each with tcpdump:
#   tls12.pcap   TLS 1.2, SNI a.example, ALPN http/1.1
#   tls13.pcap   TLS 1.3, SNI example.com, ALPN h2 (and http/1.1 offered)
#   tls13big.pcap TLS 1.3 with a ClientHello past one segment (lo MTU 400, a 200-byte SNI,
#                many groups)
#   tls13hrr.pcap TLS 1.3 HelloRetryRequest (client key share X25519, server only P-256)
#   tls12chain.pcap TLS 1.2, a server with a two-certificate chain (RSA, a CA) sending records
#                of at most 512 bytes (-max_send_frag): its Certificate over three records
#   tls13frag.pcap TLS 1.3, a client sending records of at most 512 bytes with a ClientHello
#                past 512 (a 247-byte SNI, many groups and ALPN values) at lo MTU 400: the
#                hello over two records, the records over segments
# Every step is bounded by timeout. Exit 1 on failure.
set -euo pipefail
out=$1
mkdir -p "$out"
cd "$out"
timeout 5 ip link set lo up
# no offload: tcpdump sees the segments the MTU makes, not one large GSO packet
timeout 5 ethtool -K lo tso off gso off >/dev/null
timeout 30 openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
	-out cert.pem -days 2 -subj /CN=example.com >/dev/null 2>&1

# one handshake: name, server args, client args
hs() {
	local name=$1 sargs=$2 cargs=$3 port=$4 tpid spid
	timeout 20 tcpdump -U -n -i lo -w "$name.pcap" "tcp port $port" 2>/dev/null &
	tpid=$!
	sleep 0.5
	# stdin kept open: s_server ends the connection at its end of input
	sleep 4 | timeout 20 openssl s_server -accept "$port" -cert cert.pem -key key.pem -naccept 1 \
		$sargs >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 50); do
		ss -ltn 2>/dev/null | grep -q ":$port " && break
		sleep 0.1
	done
	sleep 0.3
	(sleep 1; echo Q) | timeout 10 openssl s_client -connect 127.0.0.1:"$port" $cargs >/dev/null 2>&1 || true
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	sleep 0.5
	kill "$tpid" 2>/dev/null || true
	wait "$tpid" 2>/dev/null || true
}

hs tls12 "-alpn http/1.1" "-tls1_2 -servername a.example -alpn http/1.1" 4433
hs tls13 "-alpn h2" "-tls1_3 -servername example.com -alpn h2,http/1.1" 8443
long=$(printf 'x%.0s' $(seq 60)).$(printf 'y%.0s' $(seq 60)).$(printf 'z%.0s' $(seq 60)).example
timeout 5 ip link set lo mtu 400
hs tls13big "" "-tls1_3 -servername $long -groups X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072:ffdhe4096 -alpn h2,http/1.1" 443
timeout 5 ip link set lo mtu 65536
hs tls13hrr "-groups P-256" "-tls1_3 -servername hrr.example -groups X25519:P-256" 9443

timeout 30 openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 \
	-subj /CN=ca.example >/dev/null 2>&1
timeout 30 openssl req -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.csr \
	-subj /CN=chain.example >/dev/null 2>&1
timeout 30 openssl x509 -req -in rsa.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out rsa.pem \
	-days 2 >/dev/null 2>&1
hs tls12chain "-cert rsa.pem -key rsa.key -cert_chain ca.pem -max_send_frag 512" \
	"-tls1_2 -servername chain.example" 4443
name=$(printf 'a%.0s' $(seq 60)).$(printf 'b%.0s' $(seq 60)).$(printf 'c%.0s' $(seq 60)).$(printf 'd%.0s' $(seq 60)).e
timeout 5 ip link set lo mtu 400
hs tls13frag "" "-tls1_3 -max_send_frag 512 -servername $name -groups X25519:P-256:P-384:P-521:X448:ffdhe2048:ffdhe3072 -alpn h2,http/1.1,spdy/3.1,http/1.0,h2c,stun.turn" 8444
timeout 5 ip link set lo mtu 65536
