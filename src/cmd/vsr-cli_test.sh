#!/usr/bin/env bash
# vsr-cli end to end: generates tiny models (sequence, token, bare encoder) with
# vsr-gen-model, runs tokenize / classify / embed on them (argument and stdin, every
# --dtype) and checks the JSON; then the bad inputs: a missing model directory, a directory
# without a tokenizer, invalid UTF-8 and empty text must each fail with a clear message and
# a non-zero exit status.
#
#   vsr-cli_test.sh VSR_CLI VSR_GEN_MODEL VOCAB_TXT
set -u
cli=$1 gen=$2 vocab=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_ok NAME PYTHON_CHECK ARGS... : exit 0, stdout JSON satisfying the check (j = JSON).
expect_ok() {
  local name=$1 check=$2
  shift 2
  if ! "$cli" "$@" >"$work/out" 2>"$work/err"; then
    fail "$name: exit $? ($(cat "$work/err"))"
    return
  fi
  python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($check) else 1)" \
    "$work/out" || fail "$name: unexpected output $(head -c 300 "$work/out")"
}

# expect_error NAME STATUS MESSAGE_REGEX ARGS... (stdin from $work/stdin when present)
expect_error() {
  local name=$1 want=$2 pattern=$3
  shift 3
  local input=/dev/null
  [[ -f $work/stdin ]] && input=$work/stdin
  "$cli" "$@" <"$input" >"$work/out" 2>"$work/err"
  local rc=$?
  [[ $rc == "$want" ]] || fail "$name: exit $rc, want $want ($(cat "$work/err"))"
  grep -Eq "$pattern" "$work/err" || fail "$name: message '$(cat "$work/err")' lacks /$pattern/"
  [[ -s $work/out ]] && fail "$name: wrote to stdout on error"
}

common=(--preset tiny --vocab-size 30522 --tokenizer "$vocab")
"$gen" "${common[@]}" --head sequence --labels math,law,other --out "$work/seq" >/dev/null ||
  fail "generating the sequence model"
"$gen" "${common[@]}" --head token --labels O,B-PERSON,I-PERSON --out "$work/tok" >/dev/null ||
  fail "generating the token model"
"$gen" "${common[@]}" --head none --out "$work/emb" >/dev/null || fail "generating the encoder"

expect_ok tokenize 'j["ids"][0] == 101 and j["ids"][-1] == 102 and j["tokens"][1] == "hello"
  and j["offsets"][1] == [0, 5] and len(j["special_tokens_mask"]) == len(j["ids"])' \
  tokenize "$work/seq" "Hello world"
for dtype in f32 bf16 int8; do
  expect_ok "classify --dtype $dtype" 'j["label"] in ("math", "law", "other")
    and abs(sum(j["probabilities"].values()) - 1) < 1e-4
    and j["confidence"] == max(j["probabilities"].values())' \
    --dtype "$dtype" classify "$work/seq" "What is the derivative of x^2?"
  expect_ok "embed --dtype $dtype" 'j["dim"] == 32 and len(j["embedding"]) == 32
    and abs(sum(v * v for v in j["embedding"]) - 1) < 1e-4' \
    --dtype "$dtype" embed "$work/emb" "capital of France"
done
expect_ok "classify token model" 'isinstance(j["entities"], list) and all(
    e["type"] == "PERSON" and 0 <= e["begin"] < e["end"] for e in j["entities"])' \
  --threads 2 classify "$work/tok" "John Smith lives in Paris"
printf 'from standard input' >"$work/stdin_text"
"$cli" embed "$work/emb" <"$work/stdin_text" >"$work/out" 2>"$work/err" &&
  python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['dim'] == 32" "$work/out" ||
  fail "embed from stdin: $(cat "$work/err")"

# Bad inputs.
expect_error "missing model dir" 1 "/nonexistent/model" classify /nonexistent/model "text"
expect_error "missing model dir (embed)" 1 "/nonexistent/model" embed /nonexistent/model "text"
mkdir -p "$work/no_tokenizer" && cp "$work/seq/config.json" "$work/seq/model.safetensors" "$work/no_tokenizer/"
expect_error "no tokenizer" 1 "tokenizer|vocab" classify "$work/no_tokenizer" "text"
expect_error "invalid UTF-8" 2 "not valid UTF-8.*0xff.*offset 3" classify "$work/seq" $'abc\xff'
expect_error "invalid UTF-8 (tokenize)" 2 "not valid UTF-8" tokenize "$work/seq" $'\xc3('
expect_error "empty text" 2 "empty text" classify "$work/seq" ""
printf '  \n' >"$work/stdin"
expect_error "blank stdin" 2 "empty text" embed "$work/emb"
rm -f "$work/stdin"
expect_error "bad dtype" 105 "dtype" --dtype fp8 classify "$work/seq" "text"
expect_ok "valid U+FFFD passes" 'len(j["ids"]) >= 3' tokenize "$work/seq" $'a \xef\xbf\xbd b'

if ((failures)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "vsr-cli: all checks passed"
