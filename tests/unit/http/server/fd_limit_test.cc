#include "http/server/fd_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace switchyard::http {
namespace {

TEST(FdLimitTest, DefaultMaxConnectionsIsEightyPercentOfTheFdLimit) {
  EXPECT_EQ(DefaultMaxConnections(512), 409u);
  EXPECT_EQ(DefaultMaxConnections(1024), 819u);
  EXPECT_EQ(DefaultMaxConnections(1048576), 838860u);
  EXPECT_EQ(DefaultMaxConnections(1), 1u) << "never 0: the gateway must take a connection";
}

// `ulimit -n 512` with a higher hard limit: serve raises the soft limit to the hard one.
TEST(FdLimitTest, RaisesTheSoftLimitToTheHardLimit) {
  rlimit original{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &original), 0);
  ASSERT_GT(original.rlim_max, 64u);
  rlimit lowered = original;
  lowered.rlim_cur = 64;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);

  const FdLimit raised = RaiseFdLimit();
  const rlimit restore = original;
  EXPECT_EQ(raised.before, 64u);
  if (original.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(raised.now, original.rlim_max);
  } else {
    EXPECT_GT(raised.now, 64u);
  }
  EXPECT_EQ(CurrentFdLimit(), raised.now);
  ::setrlimit(RLIMIT_NOFILE, &restore);
}

}  // namespace
}  // namespace switchyard::http
