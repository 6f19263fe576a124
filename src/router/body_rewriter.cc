#include "router/body_rewriter.h"

#include <array>
#include <utility>

#include "router/openai_json.h"

namespace vsr::router {

namespace {

enum class EditKind { kModel, kSystemContent, kSystemMessage };

struct Edit {
  size_t begin = 0;  // replaced range [begin, end); begin == end inserts
  size_t end = 0;
  EditKind kind = EditKind::kModel;
};

}  // namespace

void RewriteChatRequest(std::string_view body, const ChatRequest& req, const RewriteSpec& spec,
                        std::string* out) {
  out->clear();
  std::array<Edit, 2> edits;
  size_t n = 0;
  if (!spec.model.empty() && req.model_token.present()) {
    edits[n++] = {req.model_token.begin, req.model_token.end, EditKind::kModel};
  }
  const ChatMessage* system = nullptr;
  if (spec.mode != SystemPromptMode::kNone) {
    if (req.first_system_index >= 0) {
      const ChatMessage& m = req.message(static_cast<size_t>(req.first_system_index));
      if (m.content_string.present()) system = &m;
    }
    if (system != nullptr) {
      edits[n++] = {system->content_string.begin, system->content_string.end,
                    EditKind::kSystemContent};
    } else if (req.messages_open.present()) {
      edits[n++] = {req.messages_open.end, req.messages_open.end, EditKind::kSystemMessage};
    }
  }
  // At most two edits: order them by position with one compare. (std::sort here made
  // GCC 12 at -O3 -march=native report a false -Warray-bounds through its heap paths.)
  if (n == 2 && edits[1].begin < edits[0].begin) std::swap(edits[0], edits[1]);
  out->reserve(body.size() + spec.model.size() + spec.system_prompt.size() * 2 + 64);
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    const Edit& e = edits[i];
    out->append(body.data() + pos, e.begin - pos);
    switch (e.kind) {
      case EditKind::kModel:
        AppendJsonString(out, spec.model);
        break;
      case EditKind::kSystemContent:
        if (spec.mode == SystemPromptMode::kInsert) {
          std::string joined;
          joined.reserve(spec.system_prompt.size() + 2 + system->text.size());
          joined.append(spec.system_prompt).append("\n\n").append(system->text);
          AppendJsonString(out, joined);
        } else {
          AppendJsonString(out, spec.system_prompt);
        }
        break;
      case EditKind::kSystemMessage:
        out->append("{\"role\":\"system\",\"content\":");
        AppendJsonString(out, spec.system_prompt);
        out->append(req.num_messages() > 0 ? "}," : "}");
        break;
    }
    pos = e.end;
  }
  out->append(body.data() + pos, body.size() - pos);
}

}  // namespace vsr::router
