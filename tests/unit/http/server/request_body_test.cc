#include "http/server/request_body.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <string>

namespace switchyard::http {
namespace {

namespace bhttp = boost::beast::http;

// A declared Content-Length is not reserved before its bytes arrive: a head declaring 260 MB costs
// at most kReserveAhead (Beast's string_body reserved all of it).
TEST(RequestBodyTest, ADeclaredLengthReservesAtMostABoundedAmount) {
  bhttp::request_parser<RequestBody> parser;
  parser.body_limit(1ull << 30);
  const std::string head =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: h\r\nContent-Length: 272629760\r\n\r\nab";
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(head), ec);  // the head
  ASSERT_FALSE(ec) << ec.message();
  parser.put(boost::asio::buffer(head.data() + used, head.size() - used), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(parser.get().body(), "ab");
  EXPECT_LE(parser.get().body().capacity(), RequestBody::kReserveAhead + 64);
}

// The body grows geometrically with what arrives: few reallocations, the bytes in order.
TEST(RequestBodyTest, GrowsGeometricallyWithTheBytesThatArrive) {
  const std::size_t total = 8u << 20;
  bhttp::request_parser<RequestBody> parser;
  parser.body_limit(total);
  const std::string head = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " +
                           std::to_string(total) + "\r\n\r\n";
  boost::beast::error_code ec;
  ASSERT_EQ(parser.put(boost::asio::buffer(head), ec), head.size());
  ASSERT_FALSE(ec) << ec.message();
  std::string piece(4096, 'x');
  int reallocations = 0;
  std::size_t capacity = parser.get().body().capacity();
  for (std::size_t sent = 0; sent < total; sent += piece.size()) {
    piece[0] = static_cast<char>('a' + (sent / piece.size()) % 26);
    parser.put(boost::asio::buffer(piece), ec);
    ASSERT_FALSE(ec) << ec.message();
    if (parser.get().body().capacity() != capacity) {
      ++reallocations;
      capacity = parser.get().body().capacity();
    }
  }
  EXPECT_TRUE(parser.is_done());
  ASSERT_EQ(parser.get().body().size(), total);
  EXPECT_EQ(parser.get().body()[4096 * 27], 'b');
  EXPECT_LE(reallocations, 12);
}

}  // namespace
}  // namespace switchyard::http
