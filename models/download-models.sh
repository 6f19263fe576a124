#!/usr/bin/env bash
# Puts the default models in models/ (what `make download-models` runs).
#
# For each model directory the router's config names (models/domain-classifier,
# models/pii-classifier, models/jailbreak-classifier, models/embedding):
#   1. present in models/ (committed to the repository, or brought by the user): kept as is;
#   2. else present in the local cache ($VSR_MODEL_CACHE, default ~/.cache/vsr-models/built):
#      copied from there;
#   3. else built offline: installs the training toolchain (scripts/install-deps.sh --models)
#      and trains all four with models/train/train.py into the cache, then copies.
# No model hub is contacted. `FORCE=1` rebuilds even when models are present.
set -euo pipefail
cd "$(dirname "$0")/.."

names=(domain-classifier pii-classifier jailbreak-classifier embedding)
cache="${VSR_MODEL_CACHE:-$HOME/.cache/vsr-models/built}"

complete() {  # complete <dir>: a loadable HF model directory
  [[ -s "$1/config.json" && -s "$1/model.safetensors" && ( -s "$1/tokenizer.json" || -s "$1/vocab.txt" ) ]] || return 1
  # A config that names an n-gram head (the domain model's) needs its weights too.
  ! grep -q '"ngram_head"' "$1/config.json" || [[ -s "$1/ngram_head.safetensors" ]]
}

missing=()
for n in "${names[@]}"; do
  if [[ "${FORCE:-0}" != 1 ]] && complete "models/$n"; then
    echo "download-models: models/$n present"
  else
    missing+=("$n")
  fi
done
((${#missing[@]} == 0)) && exit 0

need_build=0
for n in "${missing[@]}"; do
  if [[ "${FORCE:-0}" == 1 ]] || ! complete "$cache/$n"; then need_build=1; fi
done
if ((need_build)); then
  echo "download-models: building ${missing[*]} offline into $cache (about 10-15 minutes on 2 cores)"
  scripts/install-deps.sh --models
  mkdir -p "$cache"
  /usr/bin/python3 models/train/train.py --out "$cache" --cache "$(dirname "$cache")"
fi
for n in "${missing[@]}"; do
  complete "$cache/$n" || { echo "download-models: $cache/$n is incomplete" >&2; exit 1; }
  rm -rf "models/$n"
  cp -r "$cache/$n" "models/$n"
  echo "download-models: models/$n from $cache"
done
