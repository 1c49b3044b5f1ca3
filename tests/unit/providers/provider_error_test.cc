#include "providers/provider_error.h"

#include <gtest/gtest.h>

namespace switchyard::providers {
namespace {

TEST(ClassifyStatusTest, RequestErrorsAreFatal) {
  for (int status : {400, 405, 413, 415, 422}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kFatal) << status;
  }
}

TEST(ClassifyStatusTest, TargetErrorsFallBack) {
  for (int status : {401, 402, 403, 404}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kFallBack) << status;
  }
}

TEST(ClassifyStatusTest, TransientErrorsAreRetryable) {
  for (int status : {408, 409, 429, 500, 502, 503, 504, 529, 599}) {
    EXPECT_EQ(ClassifyStatus(status), ErrorClass::kRetryable) << status;
  }
}

}  // namespace
}  // namespace switchyard::providers
