#include "router/openai_json.h"

#include <simdjson.h>

#include <cstdio>

namespace vsr::router {

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

std::string ErrorBody(std::string_view message, std::string_view type, std::string_view code) {
  std::string out = "{\"error\":{\"message\":";
  AppendJsonString(&out, message);
  out += ",\"type\":";
  AppendJsonString(&out, type);
  out += ",\"code\":";
  AppendJsonString(&out, code);
  out += "}}";
  return out;
}

namespace {

void AppendHead(std::string* out, std::string_view object, std::string_view id,
                std::string_view model, int64_t created) {
  out->append("{\"id\":");
  AppendJsonString(out, id);
  out->append(",\"object\":\"");
  out->append(object);
  out->append("\",\"created\":");
  out->append(std::to_string(created));
  out->append(",\"model\":");
  AppendJsonString(out, model);
}

void AppendChunk(std::string* out, std::string_view id, std::string_view model, int64_t created,
                 std::string_view delta_json, std::string_view finish_reason) {
  out->append("data: ");
  AppendHead(out, "chat.completion.chunk", id, model, created);
  out->append(",\"choices\":[{\"index\":0,\"delta\":");
  out->append(delta_json);
  out->append(",\"finish_reason\":");
  if (finish_reason.empty()) {
    out->append("null");
  } else {
    AppendJsonString(out, finish_reason);
  }
  out->append("}]}\n\n");
}

}  // namespace

void AppendChatCompletion(std::string* out, std::string_view id, std::string_view model,
                          int64_t created, std::string_view content) {
  AppendHead(out, "chat.completion", id, model, created);
  out->append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
  AppendJsonString(out, content);
  out->append(
      "},\"finish_reason\":\"stop\"}],"
      "\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0}}");
}

void AppendChatCompletionSse(std::string* out, std::string_view id, std::string_view model,
                             int64_t created, std::string_view content) {
  AppendChunk(out, id, model, created, "{\"role\":\"assistant\",\"content\":\"\"}", "");
  std::string delta = "{\"content\":";
  AppendJsonString(&delta, content);
  delta.push_back('}');
  AppendChunk(out, id, model, created, delta, "");
  AppendChunk(out, id, model, created, "{}", "stop");
  out->append("data: [DONE]\n\n");
}

StatusOr<std::string> CompletionContent(std::string_view completion_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(completion_json.data(), completion_json.size()).get(doc)) {
    return Status::InvalidArgument(std::string("completion is not JSON: ") +
                                   simdjson::error_message(e));
  }
  std::string_view content;
  if (doc.at_pointer("/choices/0/message/content").get(content) != simdjson::SUCCESS) {
    return Status::InvalidArgument("completion has no choices[0].message.content string");
  }
  return std::string(content);
}

StatusOr<std::string> ReassembleSse(std::string_view sse) {
  simdjson::dom::parser parser;
  std::string id, model, finish_reason, content, usage;
  int64_t created = 0;
  size_t chunks = 0;
  size_t pos = 0;
  while (pos < sse.size()) {
    size_t eol = sse.find('\n', pos);
    if (eol == std::string_view::npos) eol = sse.size();
    std::string_view line = sse.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line == "[DONE]") break;
    simdjson::dom::element chunk;
    if (auto e = parser.parse(line.data(), line.size()).get(chunk)) {
      return Status::InvalidArgument(std::string("stream chunk is not JSON: ") +
                                     simdjson::error_message(e));
    }
    ++chunks;
    std::string_view s;
    if (id.empty() && chunk["id"].get(s) == simdjson::SUCCESS) id.assign(s);
    if (model.empty() && chunk["model"].get(s) == simdjson::SUCCESS) model.assign(s);
    int64_t c = 0;
    if (created == 0 && chunk["created"].get(c) == simdjson::SUCCESS) created = c;
    if (chunk.at_pointer("/choices/0/delta/content").get(s) == simdjson::SUCCESS) {
      content.append(s);
    }
    if (chunk.at_pointer("/choices/0/finish_reason").get(s) == simdjson::SUCCESS) {
      finish_reason.assign(s);
    }
    simdjson::dom::element u;
    if (chunk["usage"].get(u) == simdjson::SUCCESS && u.is_object()) {
      usage = simdjson::minify(u);
    }
  }
  if (chunks == 0) return Status::InvalidArgument("stream holds no data chunk");
  std::string out;
  AppendHead(&out, "chat.completion", id, model, created);
  out.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
  AppendJsonString(&out, content);
  out.append("},\"finish_reason\":");
  if (finish_reason.empty()) {
    out.append("null");
  } else {
    AppendJsonString(&out, finish_reason);
  }
  out.append("}]");
  if (!usage.empty()) {
    out.append(",\"usage\":");
    out.append(usage);
  }
  out.push_back('}');
  return out;
}

}  // namespace vsr::router
