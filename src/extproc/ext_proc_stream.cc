#include "extproc/ext_proc_stream.h"

namespace vsr::extproc {

namespace core = envoy::config::core::v3;

std::string_view HeaderValue(const core::HeaderMap& map, std::string_view key) {
  for (const core::HeaderValue& h : map.headers()) {
    if (h.key() == key) return h.value().empty() ? h.raw_value() : h.value();
  }
  return {};
}

namespace {

void SetHeader(pb::HeaderMutation* m, std::string_view key, std::string_view value) {
  core::HeaderValueOption* opt = m->add_set_headers();
  opt->set_append_action(core::HeaderValueOption::OVERWRITE_IF_EXISTS_OR_ADD);
  // Envoy accepts either field; newer releases prefer raw_value.
  opt->mutable_header()->set_key(std::string(key));
  opt->mutable_header()->set_raw_value(std::string(value));
}

void AddRoutingHeaders(pb::HeaderMutation* m, const router::RouteResult& r) {
  for (const auto& [k, v] : r.headers) {
    if (!v.empty()) SetHeader(m, k, v);
  }
}

}  // namespace

void ExtProcStream::Handle(const pb::ProcessingRequest& request, pb::ProcessingResponse* response) {
  response->Clear();
  switch (request.request_case()) {
    case pb::ProcessingRequest::kRequestHeaders:
      OnRequestHeaders(request.request_headers(), response);
      break;
    case pb::ProcessingRequest::kRequestBody:
      OnRequestBody(request.request_body(), response);
      break;
    case pb::ProcessingRequest::kResponseHeaders:
      OnResponseHeaders(request.response_headers(), response);
      break;
    case pb::ProcessingRequest::kResponseBody:
      OnResponseBody(request.response_body(), response);
      break;
    case pb::ProcessingRequest::kRequestTrailers:
      response->mutable_request_trailers();
      break;
    case pb::ProcessingRequest::kResponseTrailers:
      response->mutable_response_trailers();
      break;
    case pb::ProcessingRequest::REQUEST_NOT_SET:
      break;
  }
}

void ExtProcStream::OnRequestHeaders(const pb::HttpHeaders& headers,
                                     pb::ProcessingResponse* response) {
  path_.assign(HeaderValue(headers.headers(), ":path"));
  size_t q = path_.find('?');
  if (q != std::string::npos) path_.resize(q);
  method_.assign(HeaderValue(headers.headers(), ":method"));
  request_body_.clear();
  response_body_.clear();
  routed_ = false;
  response_status_ = 0;
  response->mutable_request_headers()->mutable_response()->set_status(pb::CommonResponse::CONTINUE);
}

void ExtProcStream::OnRequestBody(const pb::HttpBody& body, pb::ProcessingResponse* response) {
  pb::CommonResponse* common = response->mutable_request_body()->mutable_response();
  if (path_ != "/v1/chat/completions" || method_ != "POST") {
    common->set_status(pb::CommonResponse::CONTINUE);
    return;
  }
  request_body_.append(body.body());
  if (!body.end_of_stream()) {
    // Streamed mode: hold the chunk back; the whole rewritten body goes out at the end.
    common->mutable_body_mutation()->set_clear_body(true);
    return;
  }
  router_->Route(request_body_, &ctx_);
  const router::RouteResult& r = ctx_.result;
  if (r.action == router::RouteAction::kRespond) {
    pb::ImmediateResponse* ir = response->mutable_immediate_response();
    ir->mutable_status()->set_code(static_cast<envoy::type::v3::StatusCode>(r.status));
    pb::HeaderMutation* hm = ir->mutable_headers();
    SetHeader(hm, "content-type", r.content_type);
    AddRoutingHeaders(hm, r);
    ir->set_body(r.body);
    if (!r.error_reason.empty()) ir->set_details("vsr_" + r.error_reason);
    return;
  }
  routed_ = true;
  common->set_status(pb::CommonResponse::CONTINUE);
  pb::HeaderMutation* hm = common->mutable_header_mutation();
  AddRoutingHeaders(hm, r);
  SetHeader(hm, "content-length", std::to_string(r.body.size()));
  common->mutable_body_mutation()->set_body(r.body);
  common->set_clear_route_cache(true);
}

void ExtProcStream::OnResponseHeaders(const pb::HttpHeaders& headers,
                                      pb::ProcessingResponse* response) {
  std::string_view status = HeaderValue(headers.headers(), ":status");
  response_status_ = 0;
  for (char c : status) {
    if (c < '0' || c > '9') break;
    response_status_ = response_status_ * 10 + (c - '0');
  }
  pb::CommonResponse* common = response->mutable_response_headers()->mutable_response();
  common->set_status(pb::CommonResponse::CONTINUE);
  if (routed_) AddRoutingHeaders(common->mutable_header_mutation(), ctx_.result);
}

void ExtProcStream::OnResponseBody(const pb::HttpBody& body, pb::ProcessingResponse* response) {
  response->mutable_response_body()->mutable_response()->set_status(pb::CommonResponse::CONTINUE);
  if (!routed_ || !ctx_.result.cache_store) return;
  response_body_.append(body.body());
  if (body.end_of_stream()) {
    (void)router_->OnResponse(ctx_, request_body_, response_status_, response_body_);
    response_body_.clear();
  }
}

}  // namespace vsr::extproc
