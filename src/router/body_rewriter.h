// RewriteChatRequest: the request body the backend receives, made by splicing edits into
// the client's bytes (everything the router does not change is copied verbatim).
//
// Edits: the `model` value becomes the chosen model's provider id; a system prompt is
// applied per SystemPromptMode. "replace" overwrites the first system message's string
// content (or inserts a system message first when there is none); "insert" puts the prompt
// before that content, separated by a blank line (or inserts a system message first).
// A system message whose content is not a string is left alone and a new one is inserted.
#pragma once

#include <string>
#include <string_view>

#include "router/chat_request.h"

namespace vsr::router {

enum class SystemPromptMode { kNone, kReplace, kInsert };

struct RewriteSpec {
  std::string_view model;          // the new `model` value; empty = leave as sent
  std::string_view system_prompt;  // used unless mode is kNone
  SystemPromptMode mode = SystemPromptMode::kNone;
};

// Writes the rewritten body into `out` (cleared first; its capacity is reused). `req` must
// be the parse of `body`.
void RewriteChatRequest(std::string_view body, const ChatRequest& req, const RewriteSpec& spec,
                        std::string* out);

}  // namespace vsr::router
