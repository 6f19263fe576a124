// vsr-router: the semantic router. Loads the config, builds the pipeline and serves the
// OpenAI-compatible HTTP front door and the Envoy ext_proc gRPC service until SIGINT/SIGTERM.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cmd/signal_wait.h"
#include "extproc/ext_proc_server.h"
#include "router/router_builder.h"
#include "server/router_http_handler.h"

int main(int argc, char** argv) {
  vsr::cmd::BlockTerminationSignals();
  CLI::App app{"vsr-router: semantic router for LLM traffic"};
  std::string config_path = "config/config.yaml";
  int port = -1;
  int extproc_port = -1;
  std::string address;
  int threads = -1;
  int grpc_threads = 0;
  bool stub = false;
  bool parallel_signals = false;
  bool no_extproc = false;
  bool no_http = false;
  app.add_option("--config", config_path, "router YAML config")->capture_default_str();
  app.add_option("--address", address, "HTTP and ext_proc listen address (default: config)");
  app.add_option("--port", port, "HTTP port; 0 = any free port (default: config)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--extproc-port", extproc_port,
                 "ext_proc gRPC port; 0 = any free port (default: config)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--threads", threads, "HTTP I/O worker threads (default: config; 0 = cores)")
      ->check(CLI::Range(0, 256));
  app.add_option("--grpc-threads", grpc_threads, "max ext_proc threads (0 = gRPC default)")
      ->check(CLI::Range(0, 1024));
  app.add_flag("--stub-classifiers", stub,
               "use the model-free StubClassifiers instead of the configured models (demos, "
               "overhead measurements)");
  app.add_flag("--parallel-signals", parallel_signals,
               "run a request's model signals on helper threads (default: all on the request's "
               "own thread; with one I/O thread per core that sustains more requests/s)");
  app.add_flag("--no-extproc", no_extproc, "do not start the ext_proc server");
  app.add_flag("--no-http", no_http, "do not start the HTTP front door");
  CLI11_PARSE(app, argc, argv);

  auto cfg = vsr::LoadConfigFile(config_path);
  if (!cfg.ok()) {
    std::fprintf(stderr, "vsr-router: %s\n", cfg.status().ToString().c_str());
    return 1;
  }
  for (const auto& w : cfg->warnings) std::fprintf(stderr, "vsr-router: warning: %s\n", w.c_str());
  vsr::config::ServerConfig sc = cfg->global.server;
  vsr::router::BuildOptions bo;
  bo.stub_classifiers = stub;
  bo.parallel_signals = parallel_signals;
  auto built = vsr::router::BuildRouter(std::move(cfg).value(), bo);
  if (!built.ok()) {
    std::fprintf(stderr, "vsr-router: %s\n", built.status().ToString().c_str());
    if (!stub) {
      std::fprintf(stderr, "vsr-router: (to run without the models, pass --stub-classifiers)\n");
    }
    return 1;
  }
  for (const auto& w : built->warnings)
    std::fprintf(stderr, "vsr-router: warning: %s\n", w.c_str());

  vsr::server::ProxyOptions po;
  po.connect_timeout = std::chrono::milliseconds(sc.backend_connect_timeout_ms);
  po.request_timeout = std::chrono::milliseconds(sc.backend_request_timeout_ms);
  vsr::server::RouterHttpHandler handler(built->router.get(), built->classifiers, po);
  vsr::server::HttpServerOptions so;
  so.address = address.empty() ? sc.http_address : address;
  so.port = port >= 0 ? static_cast<uint16_t>(port) : sc.http_port;
  int t = threads >= 0 ? threads : sc.threads;
  so.threads = t > 0 ? t : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  so.max_body_bytes = static_cast<size_t>(sc.max_request_body_bytes);
  vsr::server::HttpServer http(so, &handler);
  vsr::extproc::ExtProcServer extproc(built->router.get());

  if (!no_http) {
    vsr::Status st = http.Start();
    if (!st.ok()) {
      std::fprintf(stderr, "vsr-router: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("vsr-router: http listening on %s:%u (%d threads)\n", so.address.c_str(),
                http.port(), so.threads);
  }
  if (!no_extproc) {
    std::string ea = address.empty() ? sc.ext_proc_address : address;
    uint16_t ep = extproc_port >= 0 ? static_cast<uint16_t>(extproc_port) : sc.ext_proc_port;
    vsr::Status st = extproc.Start(ea, ep, grpc_threads);
    if (!st.ok()) {
      std::fprintf(stderr, "vsr-router: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("vsr-router: ext_proc listening on %s:%u\n", ea.c_str(), extproc.port());
  }
  std::fflush(stdout);
  vsr::cmd::WaitForTerminationSignal();
  http.Stop();
  extproc.Stop();
  return 0;
}
