// BenchmarkTokenize: WordPiece (bert-base-uncased) and byte-level BPE (ModernBERT style)
// on a short prompt, a ~2 KB prompt and 100 KB of mixed text (throughput, no truncation).
// Steady state must allocate nothing: Encode() reuses the Encoding's buffers.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"
#include "tokenizer/tokenizer.h"

namespace {

const vsr::Tokenizer& Get(const char* dir) {
  vsr::perf::ScopedAllocPause pause;
  static std::unique_ptr<vsr::Tokenizer> bert, bpe;
  std::unique_ptr<vsr::Tokenizer>& slot = std::string(dir) == "bert" ? bert : bpe;
  if (!slot) {
    const std::string path = std::string(VSR_TOKENIZER_TESTDATA) + "/" +
                             (slot == bert ? "bert-base-uncased" : "bpe-modernbert-style");
    auto tok = vsr::Tokenizer::FromModelDir(path);
    if (!tok.ok()) {
      std::fprintf(stderr, "tokenizer_bench: %s\n", tok.status().ToString().c_str());
      std::abort();
    }
    slot = std::move(tok).value();
  }
  return *slot;
}

const std::string& ShortPrompt() {
  static const std::string s = "What is the derivative of x^2 + 3x + 5?";
  return s;
}

// A realistic ~2 KB prompt: prose, code, numbers, punctuation, a few non-ASCII words.
const std::string& LongPrompt() {
  static const std::string s = [] {
    std::string p =
        "I'm preparing a presentation for our quarterly engineering review and need help "
        "structuring it. Our team migrated the billing service from a monolith to three "
        "microservices (invoicing, payments, and reconciliation) over the last 12 weeks. "
        "Latency at p99 dropped from 840 ms to 210 ms, but error rates rose from 0.02% to "
        "0.35% during the rollout, mostly HTTP 503s caused by connection-pool exhaustion. "
        "Could you explain, step by step, how to present these trade-offs to executives who "
        "aren't technical? Please also review this Python snippet we use for retries:\n\n"
        "def retry(fn, attempts=3, backoff=0.5):\n"
        "    for i in range(attempts):\n"
        "        try:\n"
        "            return fn()\n"
        "        except TimeoutError as e:\n"
        "            time.sleep(backoff * (2 ** i))\n"
        "    raise RuntimeError(\"gave up after %d attempts\" % attempts)\n\n"
        "Is exponential back-off with jitter better here? What about circuit breakers, "
        "bulkheads and rate limiting — which of these would you prioritise, and why? Our "
        "budget is roughly $45,000 for Q3; the CFO (Zoë Müller) wants a cost/benefit table. "
        "Finally, summarise the key risks: data consistency between services, idempotency "
        "of payment retries, observability gaps, and on-call fatigue. Keep the tone "
        "professional but friendly, use bullet points where it helps, and suggest three "
        "slide titles. Thanks in advance! ";
    while (p.size() < 2048)
      p += "Also consider the naïve approach versus the résumé of past incidents. ";
    return p;
  }();
  return s;
}

const std::string& Corpus100K() {
  static const std::string s = [] {
    std::string c;
    const std::string mix =
        " Café Straße 東京タワー 北京 한국어 Москва 😀 ";  // some non-ASCII every ~2 KB
    while (c.size() < 100 * 1024) c += LongPrompt() + mix;
    return c;
  }();
  return s;
}

void Run(benchmark::State& state, const char* which, const std::string& text, size_t max_length) {
  const vsr::Tokenizer& tok = Get(which);
  vsr::Encoding enc;
  {
    vsr::perf::ScopedAllocPause pause;
    enc.ids.reserve(1 << 16);
    enc.offsets.reserve(1 << 16);
    enc.special_tokens_mask.reserve(1 << 16);
    (void)tok.Encode(text, &enc, true, max_length);  // warm the per-thread scratch buffers
  }
  vsr::perf::LatencyRecorder lat;
  size_t tokens = 0;
  for (auto _ : state) {
    auto t = lat.Begin();
    vsr::Status st = tok.Encode(text, &enc, true, max_length);
    lat.End(t);
    benchmark::DoNotOptimize(enc.ids.data());
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
    tokens += enc.ids.size();
  }
  vsr::perf::ScopedAllocPause pause;  // reporting (counter maps) is not per-op cost
  lat.Report(state);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
  state.counters["tokens_per_op"] = static_cast<double>(enc.ids.size());
  state.counters["text_bytes"] = static_cast<double>(text.size());
}

void BenchmarkTokenize_Short(benchmark::State& state) { Run(state, "bert", ShortPrompt(), 512); }
void BenchmarkTokenize_2KB(benchmark::State& state) { Run(state, "bert", LongPrompt(), 512); }
void BenchmarkTokenize_Throughput100KB(benchmark::State& state) {
  Run(state, "bert", Corpus100K(), 0);
}
void BenchmarkTokenize_BpeShort(benchmark::State& state) { Run(state, "bpe", ShortPrompt(), 512); }
void BenchmarkTokenize_Bpe2KB(benchmark::State& state) { Run(state, "bpe", LongPrompt(), 512); }
void BenchmarkTokenize_BpeThroughput100KB(benchmark::State& state) {
  Run(state, "bpe", Corpus100K(), 0);
}

BENCHMARK(BenchmarkTokenize_Short);
BENCHMARK(BenchmarkTokenize_2KB);
BENCHMARK(BenchmarkTokenize_Throughput100KB);
BENCHMARK(BenchmarkTokenize_BpeShort);
BENCHMARK(BenchmarkTokenize_Bpe2KB);
BENCHMARK(BenchmarkTokenize_BpeThroughput100KB);

}  // namespace
