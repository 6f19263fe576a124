#include "router/chat_request.h"

#include <simdjson.h>

namespace vsr::router {

namespace od = simdjson::ondemand;

void ChatRequest::Clear() {
  model.clear();
  model_token = {};
  stream = false;
  messages_open = {};
  num_messages_ = 0;
  last_user_index = -1;
  first_system_index = -1;
}

ChatMessage& ChatRequest::AddMessage() {
  if (num_messages_ == messages_.size()) messages_.emplace_back();
  ChatMessage& m = messages_[num_messages_++];
  m.role.clear();
  m.text.clear();
  m.content_string = {};
  return m;
}

struct ChatRequestParser::Impl {
  od::parser parser;
  std::string padded;  // body copy with SIMDJSON_PADDING bytes of capacity after it
};

ChatRequestParser::ChatRequestParser() : impl_(std::make_unique<Impl>()) {}
ChatRequestParser::~ChatRequestParser() = default;

namespace {

// The byte range of a string token, given raw_json_token() (which runs to the next token).
ByteSpan StringTokenSpan(std::string_view raw, const char* base) {
  size_t end = raw.size();
  while (end > 0 && raw[end - 1] != '"') --end;
  ByteSpan s;
  s.begin = static_cast<size_t>(raw.data() - base);
  s.end = s.begin + end;
  return s;
}

Status JsonError(simdjson::error_code e, std::string_view where) {
  std::string msg = "invalid JSON";
  if (!where.empty()) {
    msg += " in ";
    msg += where;
  }
  msg += ": ";
  msg += simdjson::error_message(e);
  return Status::InvalidArgument(std::move(msg));
}

// Reads one message object into `m`.
Status ReadMessage(od::value v, const char* base, ChatMessage* m) {
  od::object obj;
  if (auto e = v.get_object().get(obj)) {
    return e == simdjson::INCORRECT_TYPE
               ? Status::InvalidArgument("each entry of 'messages' must be an object")
               : JsonError(e, "messages");
  }
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return JsonError(e, "messages");
    od::value fv;
    if (auto e = field.value().get(fv)) return JsonError(e, "messages");
    if (key == "role") {
      std::string_view role;
      if (auto e = fv.get_string().get(role)) {
        return e == simdjson::INCORRECT_TYPE
                   ? Status::InvalidArgument("'messages[].role' must be a string")
                   : JsonError(e, "messages[].role");
      }
      m->role.assign(role);
    } else if (key == "content") {
      od::json_type type;
      if (auto e = fv.type().get(type)) return JsonError(e, "messages[].content");
      if (type == od::json_type::string) {
        std::string_view raw = fv.raw_json_token();
        std::string_view text;
        if (auto e = fv.get_string().get(text)) return JsonError(e, "messages[].content");
        m->text.assign(text);
        m->content_string = StringTokenSpan(raw, base);
      } else if (type == od::json_type::array) {
        od::array parts;
        if (auto e = fv.get_array().get(parts)) return JsonError(e, "messages[].content");
        for (auto part : parts) {
          od::object po;
          if (auto e = part.get_object().get(po)) {
            return e == simdjson::INCORRECT_TYPE
                       ? Status::InvalidArgument("'messages[].content' parts must be objects")
                       : JsonError(e, "messages[].content");
          }
          for (auto pf : po) {
            std::string_view pkey;
            if (auto e = pf.unescaped_key().get(pkey)) return JsonError(e, "messages[].content");
            if (pkey != "text") continue;
            std::string_view text;
            if (auto e = pf.value().get_string().get(text)) {
              return e == simdjson::INCORRECT_TYPE
                         ? Status::InvalidArgument("'messages[].content[].text' must be a string")
                         : JsonError(e, "messages[].content");
            }
            if (!m->text.empty()) m->text.push_back('\n');
            m->text.append(text);
          }
        }
      } else if (type != od::json_type::null) {
        return Status::InvalidArgument("'messages[].content' must be a string, an array or null");
      }
    }
  }
  if (m->role.empty()) return Status::InvalidArgument("each message needs a 'role'");
  return Status::OK();
}

}  // namespace

Status ChatRequestParser::Parse(std::string_view body, ChatRequest* out) {
  out->Clear();
  std::string& buf = impl_->padded;
  buf.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buf.assign(body);
  const char* base = buf.data();
  od::document doc;
  if (auto e = impl_->parser.iterate(buf.data(), buf.size(), buf.capacity()).get(doc)) {
    return JsonError(e, "");
  }
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    return e == simdjson::INCORRECT_TYPE
               ? Status::InvalidArgument("the request body must be a JSON object")
               : JsonError(e, "");
  }
  bool saw_messages = false;
  for (auto field : root) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return JsonError(e, "");
    od::value v;
    if (auto e = field.value().get(v)) return JsonError(e, "");
    if (key == "model") {
      std::string_view raw = v.raw_json_token();
      std::string_view model;
      if (auto e = v.get_string().get(model)) {
        return e == simdjson::INCORRECT_TYPE ? Status::InvalidArgument("'model' must be a string")
                                             : JsonError(e, "model");
      }
      out->model.assign(model);
      out->model_token = StringTokenSpan(raw, base);
    } else if (key == "stream") {
      bool stream = false;
      if (auto e = v.get_bool().get(stream)) {
        bool is_null = false;
        if (v.is_null().get(is_null) == simdjson::SUCCESS && is_null) continue;
        return e == simdjson::INCORRECT_TYPE ? Status::InvalidArgument("'stream' must be a boolean")
                                             : JsonError(e, "stream");
      }
      out->stream = stream;
    } else if (key == "messages") {
      std::string_view raw = v.raw_json_token();
      od::array arr;
      if (auto e = v.get_array().get(arr)) {
        return e == simdjson::INCORRECT_TYPE
                   ? Status::InvalidArgument("'messages' must be an array")
                   : JsonError(e, "messages");
      }
      saw_messages = true;
      out->messages_open.begin = static_cast<size_t>(raw.data() - base);
      out->messages_open.end = out->messages_open.begin + 1;
      for (auto item : arr) {
        od::value mv;
        if (auto e = item.get(mv)) return JsonError(e, "messages");
        ChatMessage& m = out->AddMessage();
        VSR_RETURN_IF_ERROR(ReadMessage(mv, base, &m));
        int index = static_cast<int>(out->num_messages()) - 1;
        if (m.role == "user") out->last_user_index = index;
        if (m.role == "system" && out->first_system_index < 0) out->first_system_index = index;
      }
    }
    // Every other field is skipped (and validated) by the iteration.
  }
  const char* trailing = nullptr;
  if (doc.current_location().get(trailing) == simdjson::SUCCESS) {
    return Status::InvalidArgument("invalid JSON: trailing content after the object");
  }
  if (out->model_token.begin == ByteSpan::kNone) {
    return Status::InvalidArgument("'model' is required");
  }
  if (!saw_messages || out->num_messages() == 0) {
    return Status::InvalidArgument("'messages' is required and must be a non-empty array");
  }
  return Status::OK();
}

}  // namespace vsr::router
