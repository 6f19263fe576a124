// ExtProcServer: the Envoy ext_proc gRPC service (envoy.service.ext_proc.v3.
// ExternalProcessor/Process) on a port, one ExtProcStream per stream.
//
// Start() binds (port 0 picks a free port; port() tells which) and serves on gRPC's
// thread pool until Stop(). A stream whose peer misbehaves ends with its gRPC status; the
// server never crashes on any message sequence.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/status.h"
#include "envoy/service/ext_proc/v3/external_processor.grpc.pb.h"
#include "router/router.h"

namespace vsr::extproc {

class ExtProcService final : public envoy::service::ext_proc::v3::ExternalProcessor::Service {
 public:
  explicit ExtProcService(const router::Router* router) : router_(router) {}
  grpc::Status Process(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<envoy::service::ext_proc::v3::ProcessingResponse,
                               envoy::service::ext_proc::v3::ProcessingRequest>* stream) override;

 private:
  const router::Router* router_;
};

class ExtProcServer {
 public:
  explicit ExtProcServer(const router::Router* router) : service_(router) {}
  ~ExtProcServer() { Stop(); }
  // `threads` caps gRPC's synchronous server threads (0 = gRPC's default).
  Status Start(const std::string& address, uint16_t port, int threads = 0);
  void Stop();
  uint16_t port() const { return static_cast<uint16_t>(port_); }
  // A channel to this server that skips the network (for in-process tests and benchmarks).
  std::shared_ptr<grpc::Channel> InProcessChannel();

 private:
  ExtProcService service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace vsr::extproc
