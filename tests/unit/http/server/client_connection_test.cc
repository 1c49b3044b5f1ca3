#include "http/server/client_connection.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

#include "fakes/io_test_util.h"

namespace switchyard::http {
namespace {

namespace beast = boost::beast;
using tcp = net::ip::tcp;

// A client that pipelines far more than max_pipelined behind a call in flight: the watch keeps
// exactly max_pipelined of it and then stops reading (the rest stays in the kernel, holding the
// client back), instead of buffering up to a megabyte per connection.
TEST(ClientConnectionTest, TheWatchBuffersAtMostMaxPipelined) {
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  beast::tcp_stream stream(acceptor.accept());
  beast::flat_buffer buffer;
  constexpr std::size_t kMaxPipelined = 8 * 1024;
  ClientConnection connection(stream, buffer, /*keep_alive=*/true, std::chrono::seconds(5),
                              kMaxPipelined);

  const std::string pipelined(256 * 1024, 'x');
  client.non_blocking(true);
  std::size_t written = 0;
  boost::system::error_code ec;
  while (written < pipelined.size() && !ec) {
    written += client.write_some(net::buffer(pipelined.data() + written, pipelined.size() - written), ec);
  }
  ASSERT_GT(written, 4 * kMaxPipelined) << "the kernel holds what the gateway does not read";

  bool gone = false;
  connection.StartWatching([&] { gone = true; });
  ::switchyard::testing::RunUntil(io, [&] { return buffer.size() >= kMaxPipelined; });
  io.restart();
  io.poll();  // a watch that went on reading would run now
  EXPECT_EQ(buffer.size(), kMaxPipelined);
  ::switchyard::testing::RunTask(io, [&]() -> Task<> { co_await connection.StopWatching(); });
  EXPECT_EQ(buffer.size(), kMaxPipelined);
  EXPECT_FALSE(gone);

  // A watch started with the buffer already full does not read at all.
  ClientConnection next(stream, buffer, /*keep_alive=*/true, std::chrono::seconds(5),
                        kMaxPipelined);
  next.StartWatching([&] { gone = true; });
  io.restart();
  io.poll();
  EXPECT_EQ(buffer.size(), kMaxPipelined);
  ::switchyard::testing::RunTask(io, [&]() -> Task<> { co_await next.StopWatching(); });
}

}  // namespace
}  // namespace switchyard::http
