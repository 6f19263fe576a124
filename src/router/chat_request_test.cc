#include "router/chat_request.h"

#include <gtest/gtest.h>

#include <string>

#include "router/body_rewriter.h"

namespace vsr::router {
namespace {

TEST(ChatRequestParser, ReadsModelStreamAndMessages) {
  ChatRequestParser parser;
  ChatRequest req;
  std::string body = R"({"model":"auto","stream":true,"temperature":0.2,"messages":[
    {"role":"system","content":"be brief"},
    {"role":"user","content":"what is 2+2?"},
    {"role":"assistant","content":null},
    {"role":"user","content":[{"type":"text","text":"part one"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"part \"two\""}]}]})";
  ASSERT_TRUE(parser.Parse(body, &req).ok());
  EXPECT_EQ(req.model, "auto");
  EXPECT_TRUE(req.stream);
  ASSERT_EQ(req.num_messages(), 4u);
  EXPECT_EQ(req.first_system_index, 0);
  EXPECT_EQ(req.last_user_index, 3);
  EXPECT_EQ(req.last_user_text(), "part one\npart \"two\"");
  EXPECT_EQ(req.message(0).text, "be brief");
  EXPECT_EQ(body.substr(req.model_token.begin, req.model_token.end - req.model_token.begin),
            "\"auto\"");
  EXPECT_EQ(body[req.messages_open.begin], '[');
  const ByteSpan& c = req.message(1).content_string;
  EXPECT_EQ(body.substr(c.begin, c.end - c.begin), "\"what is 2+2?\"");
  EXPECT_FALSE(req.message(3).content_string.present());
}

TEST(ChatRequestParser, UnescapesStrings) {
  ChatRequestParser parser;
  ChatRequest req;
  ASSERT_TRUE(
      parser
          .Parse(R"({"messages":[{"role":"user","content":"a\nb \u00e9 \"q\""}],"model":"m"})",
                 &req)
          .ok());
  EXPECT_EQ(req.last_user_text(), "a\nb \xc3\xa9 \"q\"");
  EXPECT_FALSE(req.stream);
}

TEST(ChatRequestParser, RejectsBadInputWithClearMessages) {
  ChatRequestParser parser;
  ChatRequest req;
  struct Case {
    const char* body;
    const char* needle;
  } cases[] = {
      {"", "invalid JSON"},
      {"{\"model\":\"auto\",", "invalid JSON"},
      {"[1,2]", "must be a JSON object"},
      {R"({"messages":[{"role":"user","content":"hi"}]})", "'model' is required"},
      {R"({"model":"auto"})", "'messages' is required"},
      {R"({"model":"auto","messages":[]})", "'messages' is required"},
      {R"({"model":"auto","messages":{}})", "'messages' must be an array"},
      {R"({"model":7,"messages":[{"role":"user","content":"hi"}]})", "'model' must be a string"},
      {R"({"model":"a","messages":[3]})", "must be an object"},
      {R"({"model":"a","messages":[{"content":"x"}]})", "needs a 'role'"},
      {R"({"model":"a","messages":[{"role":"user","content":5}]})", "must be a string, an array"},
      {R"({"model":"a","stream":"yes","messages":[{"role":"user","content":"x"}]})",
       "'stream' must be a boolean"},
      {R"({"model":"a","messages":[{"role":"user","content":"x"}]} trailing)", "invalid JSON"},
  };
  for (const Case& c : cases) {
    Status st = parser.Parse(c.body, &req);
    ASSERT_FALSE(st.ok()) << c.body;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.body;
    EXPECT_NE(st.message().find(c.needle), std::string::npos) << c.body << " -> " << st.message();
  }
}

TEST(ChatRequestParser, ReusesAcrossRequests) {
  ChatRequestParser parser;
  ChatRequest req;
  ASSERT_TRUE(parser
                  .Parse(R"({"model":"a","messages":[{"role":"system","content":"s"},
    {"role":"user","content":"one"},{"role":"user","content":"two"}]})",
                         &req)
                  .ok());
  ASSERT_TRUE(
      parser.Parse(R"({"model":"b","messages":[{"role":"user","content":"three"}]})", &req).ok());
  EXPECT_EQ(req.model, "b");
  EXPECT_EQ(req.num_messages(), 1u);
  EXPECT_EQ(req.first_system_index, -1);
  EXPECT_EQ(req.last_user_text(), "three");
}

std::string Rewrite(const std::string& body, const RewriteSpec& spec) {
  ChatRequestParser parser;
  ChatRequest req;
  Status st = parser.Parse(body, &req);
  EXPECT_TRUE(st.ok()) << st.ToString();
  std::string out;
  RewriteChatRequest(body, req, spec, &out);
  // The result must itself be a valid request.
  ChatRequest again;
  EXPECT_TRUE(parser.Parse(out, &again).ok()) << out;
  return out;
}

TEST(BodyRewriter, ReplacesModelAndKeepsEverythingElse) {
  std::string body =
      R"({ "model" : "auto" , "messages":[{"role":"user","content":"hi"}], "top_p": 0.5 })";
  RewriteSpec spec;
  spec.model = "qwen3-8b";
  EXPECT_EQ(
      Rewrite(body, spec),
      R"({ "model" : "qwen3-8b" , "messages":[{"role":"user","content":"hi"}], "top_p": 0.5 })");
}

TEST(BodyRewriter, InsertsSystemMessageWhenThereIsNone) {
  std::string body = R"({"model":"auto","messages":[{"role":"user","content":"hi"}]})";
  RewriteSpec spec;
  spec.model = "m";
  spec.system_prompt = "Be \"precise\".";
  spec.mode = SystemPromptMode::kReplace;
  EXPECT_EQ(
      Rewrite(body, spec),
      R"({"model":"m","messages":[{"role":"system","content":"Be \"precise\"."},{"role":"user","content":"hi"}]})");
}

TEST(BodyRewriter, ReplaceAndInsertModesOnExistingSystemMessage) {
  std::string body =
      R"({"messages":[{"role":"system","content":"old\nprompt"},{"role":"user","content":"q"}],"model":"auto"})";
  RewriteSpec spec;
  spec.model = "big";
  spec.system_prompt = "new";
  spec.mode = SystemPromptMode::kReplace;
  EXPECT_EQ(
      Rewrite(body, spec),
      R"({"messages":[{"role":"system","content":"new"},{"role":"user","content":"q"}],"model":"big"})");
  spec.mode = SystemPromptMode::kInsert;
  EXPECT_EQ(
      Rewrite(body, spec),
      R"({"messages":[{"role":"system","content":"new\n\nold\nprompt"},{"role":"user","content":"q"}],"model":"big"})");
}

TEST(BodyRewriter, NoEditsCopiesBody) {
  std::string body = R"({"model":"x","messages":[{"role":"user","content":"q"}]})";
  EXPECT_EQ(Rewrite(body, RewriteSpec{}), body);
}

}  // namespace
}  // namespace vsr::router
