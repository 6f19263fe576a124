// ExtProcStream: the router's side of one Envoy ext_proc stream (one HTTP request).
//
// Envoy sends request headers, the request body (buffered, or streamed in chunks that are
// accumulated here), then response headers and the response body. Handle() answers each
// message:
//   request headers  -> CONTINUE (remembers :path and :method)
//   request body     -> for POST /v1/chat/completions: Router::Route, then either an
//                       ImmediateResponse (errors, fast responses, cache hits) or a body
//                       mutation with the rewritten body plus header mutations
//                       (x-selected-model, x-vsr-*, content-length) and clear_route_cache, so
//                       Envoy routes on x-selected-model. Other paths pass untouched.
//   response headers -> CONTINUE, adding the x-vsr-* headers for the client
//   response body    -> CONTINUE; at end of stream a 2xx answer is stored in the cache
//                       (SSE reassembled)
// Not thread-safe: one ExtProcStream per gRPC stream.
#pragma once

#include <string>

#include "envoy/service/ext_proc/v3/external_processor.pb.h"
#include "router/router.h"

namespace vsr::extproc {

namespace pb = envoy::service::ext_proc::v3;

class ExtProcStream {
 public:
  explicit ExtProcStream(const router::Router* router) : router_(router) {}

  void Handle(const pb::ProcessingRequest& request, pb::ProcessingResponse* response);

  const router::RouteResult& result() const { return ctx_.result; }

 private:
  void OnRequestHeaders(const pb::HttpHeaders& headers, pb::ProcessingResponse* response);
  void OnRequestBody(const pb::HttpBody& body, pb::ProcessingResponse* response);
  void OnResponseHeaders(const pb::HttpHeaders& headers, pb::ProcessingResponse* response);
  void OnResponseBody(const pb::HttpBody& body, pb::ProcessingResponse* response);

  const router::Router* router_;
  router::RouteContext ctx_;
  std::string path_;
  std::string method_;
  std::string request_body_;
  std::string response_body_;
  bool routed_ = false;  // the request went through Router::Route and was forwarded
  int response_status_ = 0;
};

// Reads a header from an Envoy HeaderMap (value, or raw_value when value is empty).
std::string_view HeaderValue(const envoy::config::core::v3::HeaderMap& map, std::string_view key);

}  // namespace vsr::extproc
