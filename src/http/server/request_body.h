// RequestBody: how the session reads a request body — into a std::string, like Beast's string_body,
// except that a declared Content-Length is not reserved up front. string_body reserves all of it
// when the head arrives, so a client that declares max_body and sends nothing holds max_body of
// memory for body_read_ms; here the string reserves at most kReserveAhead before bytes arrive and
// then grows geometrically with what does (each byte is copied O(1) times).
#pragma once

#include <boost/beast/core/buffer_traits.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <algorithm>
#include <cstdint>
#include <string>

namespace switchyard::http {

struct RequestBody {
  using value_type = std::string;
  // What a declared Content-Length may reserve before its bytes arrive.
  static constexpr std::size_t kReserveAhead = 64 * 1024;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      if (length) body_.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(*length, kReserveAhead)));
      ec = {};
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t extra = boost::beast::buffer_bytes(buffers);
      const std::size_t size = body_.size();
      if (extra > body_.max_size() - size) {
        ec = boost::beast::http::error::buffer_overflow;
        return 0;
      }
      // Doubling, explicitly: how resize() grows capacity is the library's choice.
      if (size + extra > body_.capacity()) {
        body_.reserve(std::max(size + extra, 2 * body_.capacity()));
      }
      body_.resize(size + extra);
      char* dest = body_.data() + size;
      for (const auto buffer : boost::beast::buffers_range_ref(buffers)) {
        std::copy_n(static_cast<const char*>(buffer.data()), buffer.size(), dest);
        dest += buffer.size();
      }
      ec = {};
      return extra;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace switchyard::http
