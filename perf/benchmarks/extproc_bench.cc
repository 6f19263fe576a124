// Router / ext_proc benchmarks: the request pipeline and its parts.
//
//   BenchmarkProcessRequestBody_Stub       Router::Route on the reference config, classifiers
//                                          stubbed (StubClassifiers): the router's own overhead
//                                          (parse, keywords, decision, cache lookup, rewrite)
//   BenchmarkProcessRequestBody_Real       same with MiniLM-L6-shaped models (seeded weights)
//   BenchmarkHeaderManipulation            ext_proc request + response header phases
//   BenchmarkJSONParseRequest              simdjson parse of a chat-completions body
//   BenchmarkJSONRewriteRequest            model + system-prompt splice into the body
//   BenchmarkFullRequestFlow               one whole ext_proc exchange (4 messages) through
//                                          the gRPC service over an in-process channel
//   BenchmarkConcurrentRequests            Router::Route from 1, 2, 4 threads
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "extproc/ext_proc_server.h"
#include "extproc/ext_proc_stream.h"
#include "inference/encoder_model.h"
#include "inference/model_generator.h"
#include "perf/lib/benchmark/latency_recorder.h"
#include "perf/lib/metrics/alloc_counter.h"
#include "router/body_rewriter.h"
#include "router/router_builder.h"

namespace {

namespace fs = std::filesystem;
namespace pb = envoy::service::ext_proc::v3;
using vsr::router::ChatRequest;
using vsr::router::ChatRequestParser;
using vsr::router::RouteContext;

[[noreturn]] void Die(const std::string& what, const vsr::Status& st) {
  std::fprintf(stderr, "extproc_bench: %s: %s\n", what.c_str(), st.ToString().c_str());
  std::exit(1);
}

// A realistic request: a system prompt, a short history and a ~60-word question.
const std::string& RequestBody() {
  static const std::string body =
      R"({"model":"auto","temperature":0.7,"max_tokens":512,"stream":false,"messages":[
{"role":"system","content":"You are a helpful assistant. Answer precisely and cite your assumptions."},
{"role":"user","content":"I am preparing for an exam in analysis."},
{"role":"assistant","content":"Happy to help. Which topics are on the syllabus?"},
{"role":"user","content":"Please explain step by step how to compute the derivative of f(x) = x^3 sin(x), then use it to find the integral of 3x^2 sin(x) + x^3 cos(x) over [0, pi]. I would also like a short proof that the product rule holds, and a remark on where students usually make mistakes with the chain rule in similar exercises."}]})";
  return body;
}

vsr::config::RouterConfig ReferenceConfig() {
  auto cfg = vsr::LoadConfigFile(std::string(VSR_SOURCE_DIR) + "/config/config.yaml");
  if (!cfg.ok()) Die("config", cfg.status());
  return std::move(cfg).value();
}

vsr::router::BuiltRouter Build(vsr::config::RouterConfig cfg, bool stub) {
  vsr::router::BuildOptions bo;
  bo.stub_classifiers = stub;
  bo.parallel_signals = !stub;  // threads only pay for real model inference
  auto b = vsr::router::BuildRouter(std::move(cfg), bo);
  if (!b.ok()) Die("building the router", b.status());
  return std::move(b).value();
}

const vsr::router::BuiltRouter& StubRouter() {
  static vsr::router::BuiltRouter* r = [] {
    vsr::perf::ScopedAllocPause pause;
    return new vsr::router::BuiltRouter(Build(ReferenceConfig(), true));
  }();
  return *r;
}

// ---- real models: MiniLM-L6 shape, seeded random weights, generated once --------------
std::string GeneratedModel(const std::string& task) {
  const char* env = std::getenv("VSR_MODEL_CACHE");
  fs::path dir = fs::path(env && *env ? env : VSR_MODEL_CACHE_DEFAULT) / ("router-minilm-" + task);
  if (fs::exists(dir / ".complete")) return dir.string();
  auto cfg = vsr::inference::PresetConfig("minilm-l6");
  if (!cfg.ok()) Die("preset", cfg.status());
  vsr::inference::GeneratorSpec spec;
  spec.config = *cfg;
  spec.seed = 7 + task.size();
  spec.tokenizer_file =
      std::string(VSR_SOURCE_DIR) + "/src/tokenizer/testdata/bert-base-uncased/vocab.txt";
  if (task == "domain") {
    spec.config.id2label = {"biology",   "business",    "chemistry", "computer science",
                            "economics", "engineering", "health",    "history",
                            "law",       "math",        "other",     "philosophy",
                            "physics",   "psychology"};
  } else if (task == "pii") {
    spec.head = vsr::inference::HeadKind::kToken;
    spec.config.id2label = {"O",        "B-EMAIL_ADDRESS", "I-EMAIL_ADDRESS", "B-US_SSN",
                            "I-US_SSN", "B-PERSON",        "I-PERSON"};
  } else if (task == "jailbreak") {
    spec.config.id2label = {"benign", "jailbreak"};
  } else {
    spec.head = vsr::inference::HeadKind::kNone;
  }
  std::fprintf(stderr, "extproc_bench: generating %s\n", dir.c_str());
  vsr::Status st = vsr::inference::GenerateModel(spec, dir.string());
  if (!st.ok()) Die("generating " + dir.string(), st);
  std::ofstream(dir / ".complete") << "ok\n";
  return dir.string();
}

const vsr::router::BuiltRouter& RealRouter() {
  static std::mutex mu;
  static vsr::router::BuiltRouter* r = nullptr;
  std::lock_guard lock(mu);
  if (r == nullptr) {
    vsr::perf::ScopedAllocPause pause;
    vsr::config::RouterConfig cfg = ReferenceConfig();
    auto& cat = cfg.global.model_catalog;
    cat.domain.model_dir = GeneratedModel("domain");
    cat.pii.model_dir = GeneratedModel("pii");
    cat.jailbreak.model_dir = GeneratedModel("jailbreak");
    cat.embedding.model_dir = GeneratedModel("embedding");
    cat.threads = 1;
    r = new vsr::router::BuiltRouter(Build(std::move(cfg), false));
  }
  return *r;
}

void RouteLoop(benchmark::State& state, const vsr::router::BuiltRouter& built) {
  RouteContext ctx;
  const std::string& body = RequestBody();
  {
    vsr::perf::ScopedAllocPause pause;
    built.router->Route(body, &ctx);  // warm the context's buffers
    if (ctx.result.action != vsr::router::RouteAction::kForward) {
      state.SkipWithError(("unexpected verdict: " + ctx.result.body).c_str());
      return;
    }
  }
  vsr::perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    built.router->Route(body, &ctx);
    benchmark::DoNotOptimize(ctx.result.body.data());
    lat.End(t);
  }
  state.SetLabel(ctx.result.decision + " -> " + ctx.result.model);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  lat.Report(state);
}

void BenchmarkProcessRequestBody_Stub(benchmark::State& state) { RouteLoop(state, StubRouter()); }
BENCHMARK(BenchmarkProcessRequestBody_Stub);

void BenchmarkProcessRequestBody_Real(benchmark::State& state) { RouteLoop(state, RealRouter()); }
BENCHMARK(BenchmarkProcessRequestBody_Real)->Unit(benchmark::kMillisecond);

void BenchmarkJSONParseRequest(benchmark::State& state) {
  ChatRequestParser parser;
  ChatRequest req;
  const std::string& body = RequestBody();
  {
    vsr::perf::ScopedAllocPause pause;
    if (!parser.Parse(body, &req).ok()) state.SkipWithError("parse failed");
  }
  vsr::perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    vsr::Status st = parser.Parse(body, &req);
    benchmark::DoNotOptimize(st);
    lat.End(t);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  lat.Report(state);
}
BENCHMARK(BenchmarkJSONParseRequest);

void BenchmarkJSONRewriteRequest(benchmark::State& state) {
  ChatRequestParser parser;
  ChatRequest req;
  std::string out;
  const std::string& body = RequestBody();
  vsr::router::RewriteSpec spec;
  spec.model = "deepseek-r1-distill-14b";
  spec.system_prompt = "You are a mathematician. Show each step of the derivation.";
  spec.mode = vsr::router::SystemPromptMode::kInsert;
  {
    vsr::perf::ScopedAllocPause pause;
    if (!parser.Parse(body, &req).ok()) state.SkipWithError("parse failed");
    vsr::router::RewriteChatRequest(body, req, spec, &out);
  }
  vsr::perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    vsr::router::RewriteChatRequest(body, req, spec, &out);
    benchmark::DoNotOptimize(out.data());
    lat.End(t);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  lat.Report(state);
}
BENCHMARK(BenchmarkJSONRewriteRequest);

pb::ProcessingRequest HeadersMessage(bool response) {
  pb::ProcessingRequest r;
  auto* h = response ? r.mutable_response_headers()->mutable_headers()
                     : r.mutable_request_headers()->mutable_headers();
  auto add = [&](const char* k, const char* v) {
    auto* hv = h->add_headers();
    hv->set_key(k);
    hv->set_raw_value(v);
  };
  if (response) {
    add(":status", "200");
    add("content-type", "application/json");
    add("date", "Sat, 28 Nov 2026 01:00:00 GMT");
  } else {
    add(":method", "POST");
    add(":path", "/v1/chat/completions");
    add(":authority", "router.example.com");
    add("content-type", "application/json");
    add("authorization", "Bearer sk-0123456789abcdef");
    add("x-request-id", "5d2a4c1e-9f8b-4a3c-8d7e-1f2a3b4c5d6e");
    add("user-agent", "OpenAI/Python 1.40.0");
  }
  return r;
}

pb::ProcessingRequest BodyMessage(const std::string& body, bool response) {
  pb::ProcessingRequest r;
  auto* b = response ? r.mutable_response_body() : r.mutable_request_body();
  b->set_body(body);
  b->set_end_of_stream(true);
  return r;
}

void BenchmarkHeaderManipulation(benchmark::State& state) {
  const auto& built = StubRouter();
  pb::ProcessingRequest req_headers, resp_headers, body;
  pb::ProcessingResponse out;
  std::unique_ptr<vsr::extproc::ExtProcStream> stream;
  {
    vsr::perf::ScopedAllocPause pause;
    req_headers = HeadersMessage(false);
    resp_headers = HeadersMessage(true);
    body = BodyMessage(RequestBody(), false);
    stream = std::make_unique<vsr::extproc::ExtProcStream>(built.router.get());
    stream->Handle(req_headers, &out);
    stream->Handle(body, &out);  // routed: response headers get the x-vsr-* mutations
  }
  vsr::perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    stream->Handle(resp_headers, &out);
    benchmark::DoNotOptimize(out.ByteSizeLong());
    lat.End(t);
  }
  lat.Report(state);
}
BENCHMARK(BenchmarkHeaderManipulation);

struct GrpcFixture {
  std::unique_ptr<vsr::router::BuiltRouter> built;
  std::unique_ptr<vsr::extproc::ExtProcServer> server;
  std::unique_ptr<pb::ExternalProcessor::Stub> stub;
};

GrpcFixture& Grpc() {
  static GrpcFixture* f = [] {
    vsr::perf::ScopedAllocPause pause;
    auto* g = new GrpcFixture;
    // Its own router without the semantic cache: every iteration is the whole 4-message
    // exchange (with the cache, the second iteration would be an immediate cache hit).
    vsr::config::RouterConfig cfg = ReferenceConfig();
    cfg.global.response_cache.enabled = false;
    g->built = std::make_unique<vsr::router::BuiltRouter>(Build(std::move(cfg), true));
    g->server = std::make_unique<vsr::extproc::ExtProcServer>(g->built->router.get());
    vsr::Status st = g->server->Start("127.0.0.1", 0);
    if (!st.ok()) Die("ext_proc server", st);
    g->stub = pb::ExternalProcessor::NewStub(g->server->InProcessChannel());
    return g;
  }();
  return *f;
}

void BenchmarkFullRequestFlow(benchmark::State& state) {
  GrpcFixture& g = Grpc();
  pb::ProcessingRequest msgs[4];
  {
    vsr::perf::ScopedAllocPause pause;
    std::string answer =
        R"({"id":"c1","object":"chat.completion","created":1,"model":"deepseek-r1-distill-14b","choices":[{"index":0,"message":{"role":"assistant","content":"The derivative is 3x^2 sin(x) + x^3 cos(x)."},"finish_reason":"stop"}]})";
    msgs[0] = HeadersMessage(false);
    msgs[1] = BodyMessage(RequestBody(), false);
    msgs[2] = HeadersMessage(true);
    msgs[3] = BodyMessage(answer, true);
  }
  vsr::perf::LatencyRecorder lat;
  pb::ProcessingResponse resp;
  for (auto _ : state) {
    auto t = lat.Begin();
    grpc::ClientContext ctx;
    auto stream = g.stub->Process(&ctx);
    bool ok = true;
    for (const auto& m : msgs) ok = ok && stream->Write(m) && stream->Read(&resp);
    stream->WritesDone();
    ok = stream->Finish().ok() && ok;
    lat.End(t);
    if (!ok) {
      state.SkipWithError("ext_proc exchange failed");
      break;
    }
  }
  lat.Report(state);
}
BENCHMARK(BenchmarkFullRequestFlow)->UseRealTime();

void BenchmarkConcurrentRequests(benchmark::State& state) {
  const auto& built = StubRouter();
  RouteContext ctx;
  const std::string& body = RequestBody();
  {
    vsr::perf::ScopedAllocPause pause;
    built.router->Route(body, &ctx);
  }
  vsr::perf::LatencyRecorder lat;
  for (auto _ : state) {
    auto t = lat.Begin();
    built.router->Route(body, &ctx);
    benchmark::DoNotOptimize(ctx.result.body.data());
    lat.End(t);
  }
  if (state.thread_index() == 0) lat.Report(state);
}
BENCHMARK(BenchmarkConcurrentRequests)->Threads(1)->Threads(2)->Threads(4)->UseRealTime();

}  // namespace
