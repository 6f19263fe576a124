#!/usr/bin/env bash
# Installs every Debian package the project needs, idempotently.
#
#   scripts/install-deps.sh            build, tests, benchmarks, perf gate, e2e peer
#   scripts/install-deps.sh --models   also the offline model-training toolchain (python3-torch)
#
# Runs as root (CI, fresh Debian 12) or through sudo when available.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3
  # config, JSON, text matching
  libyaml-cpp-dev nlohmann-json3-dev libsimdjson-dev libvectorscan-dev libre2-dev
  # numerics, ANN index
  libopenblas-dev libhnswlib-dev
  # networking: HTTP front door, Envoy ext_proc
  libboost1.81-dev libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  # logging, CLI
  libspdlog-dev libfmt-dev libcli11-dev
  # profiling and deterministic metrics
  libgoogle-perftools-dev google-perftools valgrind
  # e2e peer proxy, process tools
  nginx-light curl procps
)
if [[ "${1:-}" == "--models" ]]; then
  # torch for training; text sources (dictionaries, WordNet, fortunes, bsdgames' quiz
  # tables, the Jargon File, the elements); Faker for synthetic PII; node/npm to fetch the
  # prompt-injection pattern lists (see models/README.md)
  packages+=(python3-torch python3-numpy dict-gcide dict-foldoc wordnet-base fortunes
             dict-jargon dict-elements bsdgames python3-fake-factory nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)  # some nodejs builds bundle npm
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root (missing: ${missing[*]})" >&2; exit 1; }
  SUDO=sudo
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx is only a peer for the e2e run; never leave the distro's default site running.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; fi
echo "install-deps: done"
