#include "router/openai_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace vsr::router {
namespace {

TEST(OpenAIJson, EscapesStrings) {
  std::string out;
  AppendJsonString(&out, std::string_view("a\"b\\c\n\t\x01 \xc3\xa9", 11));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001 \xc3\xa9\"");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), std::string("a\"b\\c\n\t\x01 \xc3\xa9"));
}

TEST(OpenAIJson, ErrorBodyShape) {
  auto j =
      nlohmann::json::parse(ErrorBody("bad \"x\"", "invalid_request_error", "model_not_found"));
  EXPECT_EQ(j["error"]["message"], "bad \"x\"");
  EXPECT_EQ(j["error"]["type"], "invalid_request_error");
  EXPECT_EQ(j["error"]["code"], "model_not_found");
}

TEST(OpenAIJson, CompletionAndItsContent) {
  std::string out;
  AppendChatCompletion(&out, "id-1", "m", 42, "hello\nworld");
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["created"], 42);
  EXPECT_EQ(j["choices"][0]["message"]["content"], "hello\nworld");
  auto content = CompletionContent(out);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "hello\nworld");
  EXPECT_FALSE(CompletionContent("{\"choices\":[]}").ok());
  EXPECT_FALSE(CompletionContent("nope").ok());
}

TEST(OpenAIJson, SseRoundTripsThroughReassembly) {
  std::string sse;
  AppendChatCompletionSse(&sse, "id-2", "m2", 7, "streamed \"text\"");
  EXPECT_EQ(sse.substr(sse.size() - 14), "data: [DONE]\n\n");
  auto full = ReassembleSse(sse);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  auto j = nlohmann::json::parse(*full);
  EXPECT_EQ(j["id"], "id-2");
  EXPECT_EQ(j["model"], "m2");
  EXPECT_EQ(j["object"], "chat.completion");
  EXPECT_EQ(j["choices"][0]["message"]["content"], "streamed \"text\"");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "stop");
}

TEST(OpenAIJson, ReassemblesManyChunksWithUsage) {
  std::string sse =
      "data: {\"id\":\"c\",\"model\":\"m\",\"created\":1,\"choices\":[{\"delta\":{\"role\":"
      "\"assistant\"}}]}\r\n\r\n"
      "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
      ": keep-alive comment\n\n"
      "data:{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"lo\"},\"finish_reason\":"
      "\"length\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
      "data: [DONE]\n\n";
  auto full = ReassembleSse(sse);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  auto j = nlohmann::json::parse(*full);
  EXPECT_EQ(j["choices"][0]["message"]["content"], "Hello");
  EXPECT_EQ(j["choices"][0]["finish_reason"], "length");
  EXPECT_EQ(j["usage"]["total_tokens"], 5);
}

TEST(OpenAIJson, ReassemblyRejectsGarbage) {
  EXPECT_FALSE(ReassembleSse("").ok());
  EXPECT_FALSE(ReassembleSse("data: [DONE]\n\n").ok());
  EXPECT_FALSE(ReassembleSse("data: {not json\n\n").ok());
}

}  // namespace
}  // namespace vsr::router
