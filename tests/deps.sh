#!/usr/bin/env bash
# Installs what capscope needs to build, run and test on Debian/Ubuntu. Idempotent.
# Uses sudo when not root. Set CAPSCOPE_DEPS=build to install only the build dependencies.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
build_pkgs="build-essential cmake pkg-config libpcap-dev libncurses-dev libpcre2-dev libssl-dev libc-ares-dev clang libbpf-dev bpftool libseccomp-dev"
test_pkgs="tcpdump tshark wireshark-common tcpreplay tmux python3 iproute2 util-linux gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 clang libclang-rt-dev procps bsdutils ieee-data python3-cryptography"
pkgs="$build_pkgs"
if [ "${CAPSCOPE_DEPS:-all}" != build ]; then
	pkgs="$pkgs $test_pkgs"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	$SUDO apt-get update -qq
	# tshark asks whether non-root users may capture; answer with the default (no).
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
