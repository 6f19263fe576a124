// Semantic cache benchmark family: lookup latency at 1K / 10K / 100K entries, HNSW vs linear,
// raw hnswlib on the same graph, concurrent lookups and the hit rate of a request stream.
//
// Data: 384-d vectors with the geometry of sentence embeddings (a shared mean direction, topic
// clusters, per-entry spread), from fixed seeds. Workload (perf.yaml benchmark_config.cache):
// a share `hit_ratio` (default 0.7) of the queries are near-paraphrases of cached entries
// (cosine ~0.9-0.99), the rest new questions from the same topics (nearest cached entry
// ~0.7, below the 0.8 threshold). Lookup latency excludes the embedding model (the
// classification family measures that).
//
// Real vectors: VSR_CACHE_EMBEDDINGS=<file> with VSR_CACHE_EMBEDDINGS_DIM=<dim> (raw
// little-endian float32, row-major) replaces the generated entries by the file's rows; the
// last 20% of the rows are held out as the "new question" queries, paraphrases are rows plus
// small noise.
//
// Counters: p50_us p90_us p95_us p99_us max_us mean_us qps (LatencyRecorder), hit_rate_%
// (hits over all lookups: bounded by the workload's hit_ratio), paraphrase_hit_rate_% (hits
// over the lookups that paraphrase a cached entry: what the cache itself achieves, the
// seed's "hit rate > 80%" SLO), false_hit_rate_% (hits over the new questions: answers
// served for a question nobody asked), recall@1 (HNSW top-1 against exact search on the same
// data and queries), entries.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "cache/hnsw_index.h"
#include "cache/in_memory_cache.h"
#include "cache/vector_math.h"
#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"

namespace vsr::cache {
namespace {

constexpr size_t kDim = 384;
constexpr const char* kModel = "bench-model";
constexpr size_t kQueries = 4096;
constexpr float kThreshold = 0.8f;

// ---- workload parameters ----------------------------------------------------------------

struct Workload {
  double hit_ratio = 0.7;
};

const Workload& GetWorkload() {
  static const Workload workload = [] {
    Workload w;
    const char* path = std::getenv("VSR_PERF_CONFIG");
    std::string file = path ? path : "perf/config/perf.yaml";
    try {
      std::ifstream in(file);
      if (in) {
        YAML::Node root = YAML::Load(in);
        YAML::Node cache = root["benchmark_config"]["cache"];
        if (cache && cache["hit_ratio"]) w.hit_ratio = cache["hit_ratio"].as<double>();
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cache_bench: ignoring %s: %s\n", file.c_str(), e.what());
    }
    if (const char* env = std::getenv("VSR_CACHE_HIT_RATIO")) w.hit_ratio = std::atof(env);
    if (!(w.hit_ratio >= 0.0 && w.hit_ratio <= 1.0)) w.hit_ratio = 0.7;
    return w;
  }();
  return workload;
}

// ---- vectors ----------------------------------------------------------------------------

using Matrix = std::vector<float>;  // row-major, rows x dim

void Normalize(float* v, size_t dim) {
  double n2 = 0;
  for (size_t i = 0; i < dim; ++i) n2 += double{v[i]} * v[i];
  const float inv = static_cast<float>(1.0 / std::sqrt(n2));
  for (size_t i = 0; i < dim; ++i) v[i] *= inv;
}

// Sentence-embedding-like geometry: x = 0.35 g + 0.75 c_topic + 0.55 e, normalised, with g a
// mean direction shared by all, c one of n/25 topic centres and e private noise. Cosine: ~0.7
// within a topic, ~0.12 across topics.
class EmbeddingSpace {
 public:
  EmbeddingSpace(size_t dim, size_t topics, uint32_t seed) : dim_(dim), rng_(seed) {
    mean_ = Gaussian();
    for (size_t t = 0; t < topics; ++t) centres_.push_back(Gaussian());
  }
  void Sample(float* out) {
    const auto& c = centres_[rng_() % centres_.size()];
    std::vector<float> e = Gaussian();
    for (size_t i = 0; i < dim_; ++i) out[i] = 0.35f * mean_[i] + 0.75f * c[i] + 0.55f * e[i];
    Normalize(out, dim_);
  }
  // A near-paraphrase of `src`: cosine uniformly ~0.91-0.99.
  void Paraphrase(const float* src, float* out) {
    std::uniform_real_distribution<float> amount(0.15f, 0.45f);
    float p = amount(rng_);
    std::vector<float> e = Gaussian();
    for (size_t i = 0; i < dim_; ++i) out[i] = src[i] + p * e[i];
    Normalize(out, dim_);
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::vector<float> Gaussian() {
    std::normal_distribution<float> n(0.0f, 1.0f);
    std::vector<float> v(dim_);
    for (float& x : v) x = n(rng_);
    Normalize(v.data(), dim_);
    return v;
  }
  size_t dim_;
  std::mt19937 rng_;
  std::vector<float> mean_;
  std::vector<std::vector<float>> centres_;
};

struct Dataset {
  size_t dim = kDim;
  size_t entries = 0;
  Matrix entry_vectors;
  Matrix queries;                   // kQueries rows
  std::vector<uint8_t> paraphrase;  // per query: 1 when it paraphrases a cached entry
};

// The external file, if configured: rows x dim floats.
const Matrix* ExternalEmbeddings(size_t* dim) {
  static Matrix rows;
  static size_t file_dim = 0;
  static bool loaded = [] {
    const char* path = std::getenv("VSR_CACHE_EMBEDDINGS");
    if (path == nullptr) return false;
    const char* dim_env = std::getenv("VSR_CACHE_EMBEDDINGS_DIM");
    file_dim = dim_env ? static_cast<size_t>(std::atol(dim_env)) : kDim;
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in || file_dim == 0) {
      std::fprintf(stderr, "cache_bench: cannot read %s (dim %zu)\n", path, file_dim);
      std::exit(2);
    }
    size_t bytes = static_cast<size_t>(in.tellg());
    if (bytes % (file_dim * sizeof(float)) != 0) {
      std::fprintf(stderr, "cache_bench: %s has %zu bytes, not a multiple of %zu-d float32 rows\n",
                   path, bytes, file_dim);
      std::exit(2);
    }
    rows.resize(bytes / sizeof(float));
    in.seekg(0);
    in.read(reinterpret_cast<char*>(rows.data()), static_cast<std::streamsize>(bytes));
    for (size_t r = 0; r < rows.size() / file_dim; ++r) Normalize(&rows[r * file_dim], file_dim);
    std::fprintf(stderr, "cache_bench: %zu real %zu-d embeddings from %s\n", rows.size() / file_dim,
                 file_dim, path);
    return true;
  }();
  *dim = file_dim;
  return loaded ? &rows : nullptr;
}

Dataset MakeDataset(size_t n, uint32_t seed) {
  Dataset d;
  const double hit_ratio = GetWorkload().hit_ratio;
  size_t ext_dim = 0;
  const Matrix* ext = ExternalEmbeddings(&ext_dim);
  EmbeddingSpace space(ext ? ext_dim : kDim, std::max<size_t>(16, n / 25), seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  if (ext != nullptr) {
    d.dim = ext_dim;
    size_t rows = ext->size() / ext_dim;
    size_t held_out = std::max<size_t>(1, rows / 5);
    d.entries = std::min(n, rows - held_out);
    d.entry_vectors.assign(ext->begin(), ext->begin() + d.entries * ext_dim);
    d.queries.resize(kQueries * ext_dim);
    d.paraphrase.assign(kQueries, 0);
    for (size_t q = 0; q < kQueries; ++q) {
      float* out = &d.queries[q * ext_dim];
      if (coin(space.rng()) < hit_ratio) {
        d.paraphrase[q] = 1;
        space.Paraphrase(&d.entry_vectors[(space.rng()() % d.entries) * ext_dim], out);
      } else {
        const float* src = &(*ext)[(rows - held_out + space.rng()() % held_out) * ext_dim];
        std::copy(src, src + ext_dim, out);
      }
    }
    return d;
  }
  d.entries = n;
  d.entry_vectors.resize(n * kDim);
  for (size_t i = 0; i < n; ++i) space.Sample(&d.entry_vectors[i * kDim]);
  d.queries.resize(kQueries * kDim);
  d.paraphrase.assign(kQueries, 0);
  for (size_t q = 0; q < kQueries; ++q) {
    float* out = &d.queries[q * kDim];
    if (coin(space.rng()) < hit_ratio) {
      d.paraphrase[q] = 1;
      space.Paraphrase(&d.entry_vectors[(space.rng()() % n) * kDim], out);
    } else {
      space.Sample(out);
    }
  }
  return d;
}

// ---- fixtures (built once per process, outside any timed region) -------------------------

struct Fixture {
  Dataset data;
  std::unique_ptr<InMemoryCache> cache;
  double recall_at_1 = 1.0;  // HNSW top-1 vs exact top-1 over the queries
};

// "<prefix><i>" in a caller's buffer (no allocation).
std::string_view NumberedId(char (&buf)[32], char prefix, size_t i) {
  buf[0] = prefix;
  auto [end, ec] = std::to_chars(buf + 1, buf + sizeof(buf), i);
  return std::string_view(buf, static_cast<size_t>(end - buf));
}

// Recall@1 of the cache's index against exact search over the same vectors: a query counts
// when the index's top-1 has the exact top-1's similarity (ties are equally good answers).
double RecallAt1(const Fixture& f) {
  const VectorIndex* index = f.cache->IndexForTesting(kModel);
  const size_t dim = f.data.dim, n = f.data.entries;
  std::vector<float> sims(n);
  size_t good = 0;
  for (size_t q = 0; q < kQueries; ++q) {
    const float* query = &f.data.queries[q * dim];
    DotRows(query, f.data.entry_vectors.data(), n, dim, sims.data());
    float best = *std::max_element(sims.begin(), sims.end());
    Neighbor got[1];
    if (index->Search(query, 1, got) == 1 && got[0].similarity >= best - 1e-5f) ++good;
  }
  return static_cast<double>(good) / kQueries;
}

// `variant` > 0 gives a separate cache of the same data (for benchmarks that modify it).
const Fixture& GetFixture(size_t n, SearchMode mode, int variant = 0) {
  static std::mutex mu;
  static std::map<std::tuple<size_t, SearchMode, int>, std::unique_ptr<Fixture>> fixtures;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = fixtures[{n, mode, variant}];
  if (slot) return *slot;
  perf::ScopedAllocPause pause;
  auto f = std::make_unique<Fixture>();
  f->data = MakeDataset(n, /*seed=*/42);
  CacheOptions o;
  o.search_mode = mode;
  o.max_entries = n;
  o.similarity_threshold = kThreshold;
  o.ttl = std::chrono::milliseconds(0);
  auto made = InMemoryCache::Create(o);
  if (!made.ok()) {
    std::fprintf(stderr, "cache_bench: %s\n", made.status().ToString().c_str());
    std::exit(2);
  }
  f->cache = std::move(made).value();
  const size_t dim = f->data.dim;
  for (size_t i = 0; i < f->data.entries; ++i) {
    std::span<const float> v(&f->data.entry_vectors[i * dim], dim);
    char buf[32];
    Status s = f->cache->Add(
        CacheEntryInput{NumberedId(buf, 'r', i), kModel, v, "{}", "{\"cached\":true}"});
    if (!s.ok()) {
      std::fprintf(stderr, "cache_bench: %s\n", s.ToString().c_str());
      std::exit(2);
    }
  }
  if (mode == SearchMode::kHnsw) f->recall_at_1 = RecallAt1(*f);
  slot = std::move(f);
  return *slot;
}

// Hits and lookups of a request stream, split by whether the request paraphrases something
// the cache holds (it should hit) or is a new question (it should miss); kUnknown requests
// count in hit_rate_% only.
struct HitCounts {
  enum Kind { kParaphrase, kNewQuestion, kUnknown };
  int64_t hits = 0, lookups = 0;
  int64_t paraphrase_hits = 0, paraphrases = 0, false_hits = 0, new_questions = 0;
  void Add(Kind kind, bool hit) {
    hits += hit;
    ++lookups;
    if (kind == kParaphrase) {
      paraphrase_hits += hit;
      ++paraphrases;
    } else if (kind == kNewQuestion) {
      false_hits += hit;
      ++new_questions;
    }
  }
  void Merge(const HitCounts& o) {
    hits += o.hits;
    lookups += o.lookups;
    paraphrase_hits += o.paraphrase_hits;
    paraphrases += o.paraphrases;
    false_hits += o.false_hits;
    new_questions += o.new_questions;
  }
  void Report(benchmark::State& state) const {
    const auto pct = [](int64_t a, int64_t b) {
      return b > 0 ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0;
    };
    state.counters["hit_rate_%"] = pct(hits, lookups);
    state.counters["paraphrase_hit_rate_%"] = pct(paraphrase_hits, paraphrases);
    state.counters["false_hit_rate_%"] = pct(false_hits, new_questions);
  }
};

// The kind of fixture query q.
HitCounts::Kind KindOf(const Dataset& d, size_t q) {
  return d.paraphrase[q] != 0 ? HitCounts::kParaphrase : HitCounts::kNewQuestion;
}

void ReportCommon(benchmark::State& state, const Fixture& f, const HitCounts& hits) {
  hits.Report(state);
  state.counters["recall@1"] = f.recall_at_1;
  state.counters["entries"] = static_cast<double>(f.data.entries);
}

// ---- benchmarks -------------------------------------------------------------------------

// Times one Lookup per iteration, cycling through the fixture's queries, and reports.
void TimedLookups(benchmark::State& state, const Fixture& f) {
  const size_t dim = f.data.dim;
  perf::LatencyRecorder lat;
  size_t q = 0;
  HitCounts hits;
  for (auto _ : state) {
    std::span<const float> query(&f.data.queries[q * dim], dim);
    auto t = lat.Begin();
    StatusOr<LookupResult> r = f.cache->Lookup(kModel, query);
    lat.End(t);
    benchmark::DoNotOptimize(r);
    hits.Add(KindOf(f.data, q), r.ok() && r->found);
    q = (q + 1) % kQueries;
  }
  lat.Report(state);
  ReportCommon(state, f, hits);
}

void RunLookups(benchmark::State& state, size_t n, SearchMode mode) {
  TimedLookups(state, GetFixture(n, mode));
}

void BenchmarkCacheSearch_1000Entries(benchmark::State& state) {
  RunLookups(state, 1000, SearchMode::kHnsw);
}
void BenchmarkCacheSearch_10000Entries(benchmark::State& state) {
  RunLookups(state, 10000, SearchMode::kHnsw);
}
void BenchmarkCacheSearch_100000Entries(benchmark::State& state) {
  RunLookups(state, 100000, SearchMode::kHnsw);
}
void BenchmarkCacheSearch_HNSW(benchmark::State& state) {
  RunLookups(state, 10000, SearchMode::kHnsw);
}
void BenchmarkCacheSearch_Linear(benchmark::State& state) {
  RunLookups(state, 10000, SearchMode::kLinear);
}

// The fixture's HNSW graph (nullptr, and the benchmark marked skipped, when there is none).
const HnswIndex* HnswOf(benchmark::State& state, const Fixture& f) {
  const auto* index = dynamic_cast<const HnswIndex*>(f.cache->IndexForTesting(kModel));
  if (index == nullptr) state.SkipWithError("no HNSW index");
  return index;
}

// hnswlib's own searchKnn(query, 1) on the very graph the cache searches: the floor the
// cache's lookup (validation, normalisation, lock, expiry, stats) is compared against.
void RunRawHnswlib(benchmark::State& state, size_t n) {
  const Fixture& f = GetFixture(n, SearchMode::kHnsw);
  const HnswIndex* index = HnswOf(state, f);
  if (index == nullptr) return;
  perf::LatencyRecorder lat;
  const size_t dim = f.data.dim;
  size_t q = 0;
  HitCounts hits;
  for (auto _ : state) {
    Neighbor out[1];
    auto t = lat.Begin();
    size_t got = index->RawSearchKnn(&f.data.queries[q * dim], 1, out);
    lat.End(t);
    benchmark::DoNotOptimize(out);
    hits.Add(KindOf(f.data, q), got == 1 && out[0].similarity >= kThreshold);
    q = (q + 1) % kQueries;
  }
  lat.Report(state);
  ReportCommon(state, f, hits);
}
void BenchmarkCacheSearch_RawHnswlib_1000Entries(benchmark::State& state) {
  RunRawHnswlib(state, 1000);
}
void BenchmarkCacheSearch_RawHnswlib_10000Entries(benchmark::State& state) {
  RunRawHnswlib(state, 10000);
}
void BenchmarkCacheSearch_RawHnswlib_100000Entries(benchmark::State& state) {
  RunRawHnswlib(state, 100000);
}

// The cache's Lookup and hnswlib's searchKnn on the same graph, interleaved query by query
// (order alternating), so machine noise hits both alike: cache_*/raw_* percentiles and their
// ratio. The standard latency counters describe the cache's lookups.
void RunOverheadVsRaw(benchmark::State& state, size_t n) {
  const Fixture& f = GetFixture(n, SearchMode::kHnsw);
  const HnswIndex* index = HnswOf(state, f);
  if (index == nullptr) return;
  perf::LatencyRecorder cache_lat, raw_lat;
  const size_t dim = f.data.dim;
  size_t q = 0;
  int64_t lookups = 0;
  HitCounts hits;
  for (auto _ : state) {
    std::span<const float> query(&f.data.queries[q * dim], dim);
    for (int turn = 0; turn < 2; ++turn) {
      if ((turn == 0) == (lookups % 2 == 0)) {
        auto t = cache_lat.Begin();
        StatusOr<LookupResult> r = f.cache->Lookup(kModel, query);
        cache_lat.End(t);
        benchmark::DoNotOptimize(r);
        hits.Add(KindOf(f.data, q), r.ok() && r->found);
      } else {
        Neighbor out[1];
        auto t = raw_lat.Begin();
        size_t got = index->RawSearchKnn(query.data(), 1, out);
        raw_lat.End(t);
        benchmark::DoNotOptimize(got);
      }
    }
    ++lookups;
    q = (q + 1) % kQueries;
  }
  cache_lat.Report(state);
  ReportCommon(state, f, hits);
  perf::ScopedAllocPause pause;
  for (auto [name, quantile] : {std::pair{"p50", 0.5}, std::pair{"p95", 0.95}}) {
    double c = cache_lat.PercentileMicros(quantile), r = raw_lat.PercentileMicros(quantile);
    state.counters[std::string("cache_") + name + "_us"] = c;
    state.counters[std::string("raw_") + name + "_us"] = r;
    state.counters[std::string("ratio_") + name] = r > 0 ? c / r : 0.0;
  }
}
void BenchmarkCacheSearch_OverheadVsRaw_10000Entries(benchmark::State& state) {
  RunOverheadVsRaw(state, 10000);
}
void BenchmarkCacheSearch_OverheadVsRaw_100000Entries(benchmark::State& state) {
  RunOverheadVsRaw(state, 100000);
}

// N threads look up concurrently in one 10K-entry HNSW cache. Latency percentiles are over
// all threads' lookups (merged before the loop's closing barrier); qps is the total lookups
// per second of wall time. With more threads than cores, latency includes run-queue wait.
struct SharedRun {
  std::mutex mu;
  perf::LatencyRecorder merged{1 << 20};
  HitCounts hits;  // hits.lookups: all threads' lookups
  perf::LatencyRecorder::Clock::time_point start;
};

void RunConcurrent(benchmark::State& state) {
  static std::unique_ptr<SharedRun> run;
  const Fixture& f = GetFixture(10000, SearchMode::kHnsw);
  const size_t dim = f.data.dim;
  if (state.thread_index() == 0) {
    // Before the loop's opening barrier: every thread sees the fresh `run` inside the loop.
    perf::ScopedAllocPause pause;
    run = std::make_unique<SharedRun>();
    run->start = perf::LatencyRecorder::Clock::now();
  }
  std::vector<perf::LatencyRecorder::Clock::duration> samples;
  {
    perf::ScopedAllocPause pause;
    samples.reserve(static_cast<size_t>(state.max_iterations));
  }
  size_t q = (static_cast<size_t>(state.thread_index()) * 997) % kQueries;
  HitCounts hits;
  int64_t done = 0;
  for (auto _ : state) {
    std::span<const float> query(&f.data.queries[q * dim], dim);
    auto t = perf::LatencyRecorder::Clock::now();
    StatusOr<LookupResult> r = f.cache->Lookup(kModel, query);
    samples.push_back(perf::LatencyRecorder::Clock::now() - t);
    benchmark::DoNotOptimize(r);
    hits.Add(KindOf(f.data, q), r.ok() && r->found);
    q = (q + 1) % kQueries;
    if (++done == static_cast<int64_t>(state.max_iterations)) {
      // This thread's last iteration: merge before the loop's closing barrier, so thread 0
      // reports after every thread has merged.
      perf::ScopedAllocPause pause;
      std::lock_guard<std::mutex> lock(run->mu);
      for (auto d : samples) run->merged.Add(d);
      run->hits.Merge(hits);
    }
  }
  if (state.thread_index() == 0) {
    std::lock_guard<std::mutex> lock(run->mu);
    auto wall = perf::LatencyRecorder::Clock::now() - run->start;
    run->merged.Report(state);
    state.counters["qps"] =
        static_cast<double>(run->hits.lookups) / std::chrono::duration<double>(wall).count();
    ReportCommon(state, f, run->hits);
    state.counters["threads"] = state.threads();
  }
}
void BenchmarkCacheConcurrency_1(benchmark::State& state) { RunConcurrent(state); }
void BenchmarkCacheConcurrency_2(benchmark::State& state) { RunConcurrent(state); }
void BenchmarkCacheConcurrency_10(benchmark::State& state) { RunConcurrent(state); }
void BenchmarkCacheConcurrency_50(benchmark::State& state) { RunConcurrent(state); }

// Lookups on a 10K HNSW cache while another thread adds a new entry every millisecond (each
// add evicts one, LRU): what a writer costs the readers. Counters as above plus writes_per_s.
void BenchmarkCacheConcurrency_WithWriter(benchmark::State& state) {
  const Fixture& f = GetFixture(10000, SearchMode::kHnsw, /*variant=*/1);
  const size_t dim = f.data.dim;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> writes{0};
  std::thread writer;
  {
    perf::ScopedAllocPause pause;
    writer = std::thread([&] {
      perf::ScopedAllocPause writer_pause;  // the writer's allocations are not the lookups'
      static size_t next = 0;
      char id[32];
      while (!stop.load(std::memory_order_relaxed)) {
        const float* v = &f.data.queries[(next % kQueries) * dim];
        (void)f.cache->Add(CacheEntryInput{NumberedId(id, 'w', next), kModel,
                                           std::span<const float>(v, dim), "{}", "{}"});
        ++next;
        writes.fetch_add(1, std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  auto start = perf::LatencyRecorder::Clock::now();
  TimedLookups(state, f);
  auto wall = perf::LatencyRecorder::Clock::now() - start;
  stop = true;
  {
    perf::ScopedAllocPause pause;
    writer.join();
  }
  state.counters["writes_per_s"] =
      static_cast<double>(writes.load()) / std::chrono::duration<double>(wall).count();
}

// The router's use of the cache over a request stream: look up; on a miss, store the answer
// (Add). A share hit_ratio of the requests paraphrase an earlier request of the last 5000, the
// rest are new; LRU, 10K entries. Latency covers the lookup plus the add on a miss.
void BenchmarkCacheHitRate(benchmark::State& state) {
  constexpr size_t kStream = 20000;
  struct Stream {
    Matrix vectors;
    std::vector<uint8_t> paraphrase;  // 1: request i paraphrases an earlier one
  };
  static const Stream* stream = [] {
    perf::ScopedAllocPause pause;
    auto* st = new Stream{Matrix(kStream * kDim), std::vector<uint8_t>(kStream, 0)};
    Matrix* m = &st->vectors;
    EmbeddingSpace space(kDim, 400, 7);
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    const double hit_ratio = GetWorkload().hit_ratio;
    std::vector<size_t> base(kStream);  // the new request each one paraphrases
    for (size_t i = 0; i < kStream; ++i) {
      float* out = &(*m)[i * kDim];
      if (i > 0 && coin(space.rng()) < hit_ratio) {
        size_t window = std::min<size_t>(i, 5000);
        size_t j = base[i - 1 - space.rng()() % window];
        space.Paraphrase(&(*m)[j * kDim], out);
        base[i] = j;
        st->paraphrase[i] = 1;
      } else {
        space.Sample(out);
        base[i] = i;
      }
    }
    return st;
  }();
  std::unique_ptr<InMemoryCache> cache;
  {
    perf::ScopedAllocPause pause;
    CacheOptions o;
    o.max_entries = 10000;
    o.eviction_policy = EvictionPolicy::kLru;
    o.similarity_threshold = kThreshold;
    cache = std::move(InMemoryCache::Create(o)).value();
  }
  perf::LatencyRecorder lat;
  size_t i = 0;
  HitCounts hits;
  char id[32];
  for (auto _ : state) {
    std::span<const float> query(&stream->vectors[(i % kStream) * kDim], kDim);
    auto t = lat.Begin();
    StatusOr<LookupResult> r = cache->Lookup(kModel, query);
    bool hit = r.ok() && r->found;
    if (!hit) {
      (void)cache->Add(
          CacheEntryInput{NumberedId(id, 's', i), kModel, query, "{}", "{\"cached\":true}"});
    }
    lat.End(t);
    // First pass over the stream: a paraphrase's original is in the cache (stored on its
    // miss, at most 5K requests ago, LRU of 10K; unless the original itself was a false hit). Later
    // passes: what is still cached depends on the evictions, so those requests count in hit_rate_%
    // only.
    const HitCounts::Kind kind = i >= kStream                 ? HitCounts::kUnknown
                                 : stream->paraphrase[i] != 0 ? HitCounts::kParaphrase
                                                              : HitCounts::kNewQuestion;
    hits.Add(kind, hit);
    ++i;
  }
  lat.Report(state);
  hits.Report(state);
  state.counters["entries"] = static_cast<double>(cache->Stats().entries);
  perf::ScopedAllocPause pause;
  cache.reset();
}

}  // namespace
}  // namespace vsr::cache

using namespace vsr::cache;  // NOLINT: benchmark names carry no namespace

BENCHMARK(BenchmarkCacheSearch_1000Entries);
BENCHMARK(BenchmarkCacheSearch_10000Entries);
BENCHMARK(BenchmarkCacheSearch_100000Entries);
BENCHMARK(BenchmarkCacheSearch_HNSW);
BENCHMARK(BenchmarkCacheSearch_Linear);
BENCHMARK(BenchmarkCacheSearch_RawHnswlib_1000Entries);
BENCHMARK(BenchmarkCacheSearch_RawHnswlib_10000Entries);
BENCHMARK(BenchmarkCacheSearch_RawHnswlib_100000Entries);
BENCHMARK(BenchmarkCacheSearch_OverheadVsRaw_10000Entries);
BENCHMARK(BenchmarkCacheSearch_OverheadVsRaw_100000Entries);
BENCHMARK(BenchmarkCacheConcurrency_1)->Threads(1)->UseRealTime();
BENCHMARK(BenchmarkCacheConcurrency_2)->Threads(2)->UseRealTime();  // one thread per core here
BENCHMARK(BenchmarkCacheConcurrency_10)->Threads(10)->UseRealTime();
BENCHMARK(BenchmarkCacheConcurrency_50)->Threads(50)->UseRealTime();
BENCHMARK(BenchmarkCacheConcurrency_WithWriter)->UseRealTime();
BENCHMARK(BenchmarkCacheHitRate);
