// WaitUnlessClosed: the simulated provider's way to take its time. A simulated model waits for its
// first byte (and between a stream's words) on an Asio timer, never a blocking sleep, and watches
// the connection meanwhile: when the gateway closes it (a race it lost, a hedge it no longer needs,
// its client gone), the wait ends at once, so a cancelled racer holds neither the provider's thread
// nor the connection.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>

#include "core/asio.h"
#include "http/server/downstream.h"

namespace switchyard::demo {

// Waits `delay` on `timer` unless the connection closes first. False when the connection is gone
// (before or during the wait): the handler should stop without writing.
Task<bool> WaitUnlessClosed(http::Downstream& downstream, net::steady_timer& timer,
                            std::chrono::milliseconds delay);

}  // namespace switchyard::demo
