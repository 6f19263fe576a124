#include "extproc/ext_proc_server.h"

#include <grpcpp/resource_quota.h>

#include "extproc/ext_proc_stream.h"

namespace vsr::extproc {

grpc::Status ExtProcService::Process(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<pb::ProcessingResponse, pb::ProcessingRequest>* stream) {
  ExtProcStream state(router_);
  pb::ProcessingRequest request;
  pb::ProcessingResponse response;
  while (stream->Read(&request)) {
    if (request.request_case() == pb::ProcessingRequest::REQUEST_NOT_SET) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "ProcessingRequest carries no request/response phase");
    }
    state.Handle(request, &response);
    if (request.observability_mode()) continue;  // Envoy expects no answer
    if (!stream->Write(response)) break;
    if (response.has_immediate_response()) break;  // Envoy ends the exchange here
  }
  return grpc::Status::OK;
}

Status ExtProcServer::Start(const std::string& address, uint16_t port, int threads) {
  if (server_) return Status::FailedPrecondition("ext_proc server already started");
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address + ":" + std::to_string(port), grpc::InsecureServerCredentials(),
                           &port_);
  builder.RegisterService(&service_);
  if (threads > 0) {
    grpc::ResourceQuota quota("vsr-ext-proc");
    quota.SetMaxThreads(threads + 1);
    builder.SetResourceQuota(quota);
  }
  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    return Status::Unavailable("cannot start the ext_proc gRPC server on " + address + ":" +
                               std::to_string(port));
  }
  return Status::OK();
}

void ExtProcServer::Stop() {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_->Wait();
  server_.reset();
}

std::shared_ptr<grpc::Channel> ExtProcServer::InProcessChannel() {
  return server_ ? server_->InProcessChannel(grpc::ChannelArguments()) : nullptr;
}

}  // namespace vsr::extproc
