// Short names for Asio and Beast used across the networking code, and the completion token every
// data-path await uses: errors come back as values (as_tuple), never as exceptions (DESIGN.md).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchyard {

namespace net = boost::asio;

inline constexpr auto kUseTuple = net::as_tuple(net::use_awaitable);

template <class T = void>
using Task = net::awaitable<T>;

}  // namespace switchyard
