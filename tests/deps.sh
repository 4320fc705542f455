#!/usr/bin/env bash
# Installs what capscope needs to build, run and test on Debian/Ubuntu. Idempotent.
# Uses sudo when not root. Set CAPSCOPE_DEPS=build to install only the build dependencies.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
build_pkgs="build-essential cmake pkg-config libpcap-dev libncurses-dev libpcre2-dev libssl-dev libc-ares-dev clang libbpf-dev bpftool libseccomp-dev"
test_pkgs="tcpdump tshark wireshark-common tcpreplay tmux python3 iproute2 util-linux gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 clang libclang-rt-dev procps bsdutils ieee-data python3-cryptography wine64 dpkg-dev openssh-server openssh-client time ethtool"
pkgs="$build_pkgs"
if [ "${CAPSCOPE_DEPS:-all}" != build ]; then
	pkgs="$pkgs $test_pkgs"
fi
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
# The Windows package builds ncurses from Debian's source package (tests/win/build_curses.sh:
# apt-get source needs a deb-src line for the machine's suite).
if [ "${CAPSCOPE_DEPS:-all}" != build ] && ! apt-cache showsrc ncurses 2>/dev/null | grep -q '^Package:'; then
	suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ -n "$suite" ] && [ -f /etc/os-release ] && grep -q '^ID=debian' /etc/os-release; then
		echo "adding a deb-src line for $suite (ncurses' source, for the Windows package)"
		printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$suite" | $SUDO tee /etc/apt/sources.list.d/capscope-src.sources >/dev/null
		$SUDO apt-get update -qq
	fi
fi
if [ -n "$missing" ]; then
	echo "installing:$missing"
	$SUDO apt-get update -qq
	# tshark asks whether non-root users may capture; answer with the default (no).
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
