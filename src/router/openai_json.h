// OpenAI wire formats the router writes or reads besides the request: error bodies,
// chat.completion objects (fast responses, cache hits), their server-sent-event form, and
// the reassembly of a streamed (SSE) response into one chat.completion for the cache.
//
// Writers append to a caller-owned string so a reused buffer does not allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vsr::router {

// Appends `s` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
void AppendJsonString(std::string* out, std::string_view s);

// {"error":{"message":...,"type":...,"code":...}}
std::string ErrorBody(std::string_view message, std::string_view type, std::string_view code);

// A complete, non-streamed chat.completion with one assistant choice.
void AppendChatCompletion(std::string* out, std::string_view id, std::string_view model,
                          int64_t created, std::string_view content);

// The same answer as a text/event-stream body: a role chunk, one content chunk, a stop
// chunk and "data: [DONE]".
void AppendChatCompletionSse(std::string* out, std::string_view id, std::string_view model,
                             int64_t created, std::string_view content);

// The assistant text of a chat.completion body (choices[0].message.content).
StatusOr<std::string> CompletionContent(std::string_view completion_json);

// Turns a streamed response (SSE "data: {chat.completion.chunk}" events, ending with
// "data: [DONE]") into one chat.completion body with the concatenated deltas, the id, model,
// created time, finish reason and usage of the stream. InvalidArgument when the stream holds
// no chunk or a chunk that is not JSON.
StatusOr<std::string> ReassembleSse(std::string_view sse);

}  // namespace vsr::router
