#include "common/status.h"

#include <gtest/gtest.h>

namespace vsr {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  Status s = Status::InvalidArgument("bad key 'x'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "InvalidArgument: bad key 'x'");
}

TEST(StatusTest, WithContextPrefixesErrorsOnly) {
  EXPECT_TRUE(Status::OK().WithContext("file.yaml").ok());
  Status s = Status::NotFound("no such model").WithContext("config.yaml:3");
  EXPECT_EQ(s.message(), "config.yaml:3: no such model");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
}

Status FailsWhen(bool fail) {
  VSR_RETURN_IF_ERROR(fail ? Status::Internal("boom") : Status::OK());
  return Status::Corruption("reached end");
}

TEST(StatusTest, ReturnIfErrorShortCircuits) {
  EXPECT_EQ(FailsWhen(true).code(), StatusCode::kInternal);
  EXPECT_EQ(FailsWhen(false).code(), StatusCode::kCorruption);
}

TEST(StatusOrTest, HoldsValueOrStatus) {
  StatusOr<int> v = 42;
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 42);
  StatusOr<int> e = Status::OutOfRange("too big");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace vsr
