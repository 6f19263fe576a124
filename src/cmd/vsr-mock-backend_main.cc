// vsr-mock-backend: an OpenAI-compatible chat-completions mock (see server/mock_backend.h).
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cmd/signal_wait.h"
#include "server/mock_backend.h"

int main(int argc, char** argv) {
  vsr::cmd::BlockTerminationSignals();
  CLI::App app{"vsr-mock-backend: OpenAI-compatible mock LLM backend"};
  std::string address = "127.0.0.1";
  int port = 8000;
  int latency_ms = 0;
  int tokens = 16;
  int stream_interval_ms = 0;
  int threads = 1;
  app.add_option("--address", address, "listen address")->capture_default_str();
  app.add_option("--port", port, "listen port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--latency-ms", latency_ms, "delay before answering")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--tokens", tokens, "words per completion")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--stream-interval-ms", stream_interval_ms, "delay between streamed chunks")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--threads", threads, "I/O worker threads")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  vsr::server::MockBackendOptions mo;
  mo.latency = std::chrono::milliseconds(latency_ms);
  mo.tokens = tokens;
  mo.stream_interval = std::chrono::milliseconds(stream_interval_ms);
  vsr::server::MockBackend backend(mo);
  vsr::server::HttpServerOptions so;
  so.address = address;
  so.port = static_cast<uint16_t>(port);
  so.threads = threads;
  vsr::server::HttpServer server(so, &backend);
  vsr::Status st = server.Start();
  if (!st.ok()) {
    std::fprintf(stderr, "vsr-mock-backend: %s\n", st.ToString().c_str());
    return 1;
  }
  std::printf("vsr-mock-backend: listening on %s:%u (latency %d ms, %d tokens, %d threads)\n",
              address.c_str(), server.port(), latency_ms, tokens, threads);
  std::fflush(stdout);
  vsr::cmd::WaitForTerminationSignal();
  server.Stop();
  return 0;
}
