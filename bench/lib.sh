# lib.sh - how every bench script starts. Sourced (after `set -euo pipefail`) with the
# script's own arguments [BUILD_DIR] [RUNS]; sets HERE (bench/), ROOT (the source tree),
# BUILD, RUNS, CS (the capscope binary), GEN (the shared capture generator) and W (the work
# folder), and checks that the binary exists.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
RUNS=${2:-5}
CS=$BUILD/capscope
GEN=$ROOT/../shared/bench/gen_pcap.py
W=$HERE/work
[ -x "$CS" ] || { echo "build capscope first (Release): cmake -S . -B build && cmake --build build" >&2; exit 1; }
