// ChatRequest / ChatRequestParser: the parts of an OpenAI chat-completions body the router
// needs, read with simdjson's On-Demand API.
//
// The parser reads `model`, `stream`, and every message's role and text (a string content,
// or the concatenated `text` parts of an array content), and remembers where in the body the
// model token, the messages array and each string content sit, so the body rewriter can
// splice edits into the original bytes without re-serialising the rest of the document.
//
// Reuse promise: a parser and a ChatRequest reused across requests stop allocating once they
// have seen their largest request. Not thread-safe: one parser per thread or per stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace vsr::router {

// A [begin, end) byte range in the request body; begin == end == npos when absent.
struct ByteSpan {
  static constexpr size_t kNone = static_cast<size_t>(-1);
  size_t begin = kNone;
  size_t end = kNone;
  bool present() const { return begin != kNone; }
};

struct ChatMessage {
  std::string role;
  std::string text;         // unescaped; text parts joined with "\n" for array contents
  ByteSpan content_string;  // the JSON string token of `content` when it is a string
};

class ChatRequest {
 public:
  void Clear();

  std::string model;     // unescaped; "" only if absent (the parser rejects that)
  ByteSpan model_token;  // the JSON string token of `model`, quotes included
  bool stream = false;
  ByteSpan messages_open;  // the '[' of the messages array (one byte)

  size_t num_messages() const { return num_messages_; }
  const ChatMessage& message(size_t i) const { return messages_[i]; }
  ChatMessage& AddMessage();

  // Index of the last message with role "user", or -1.
  int last_user_index = -1;
  // Index of the first message with role "system", or -1.
  int first_system_index = -1;
  // The last user message's text ("" when there is none).
  std::string_view last_user_text() const {
    return last_user_index < 0 ? std::string_view() : messages_[last_user_index].text;
  }

 private:
  std::vector<ChatMessage> messages_;  // [0, num_messages_) live; the rest keep capacity
  size_t num_messages_ = 0;
};

class ChatRequestParser {
 public:
  ChatRequestParser();
  ~ChatRequestParser();
  ChatRequestParser(const ChatRequestParser&) = delete;
  ChatRequestParser& operator=(const ChatRequestParser&) = delete;

  // Parses `body` into `out`. InvalidArgument for malformed JSON, a non-object body, a
  // missing or non-string `model`, or a missing, non-array or empty `messages` (the message
  // names the problem).
  Status Parse(std::string_view body, ChatRequest* out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vsr::router
