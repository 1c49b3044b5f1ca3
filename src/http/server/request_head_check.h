// Checks of a request head that Beast's parser leaves to the server (RFC 9112): what a proxy must
// refuse rather than guess at.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <string_view>

#include "core/result.h"

namespace switchyard::http {

using RequestHead = boost::beast::http::request_header<boost::beast::http::fields>;

// Whether `value` is a Host header value RFC 9112 §3.2 allows: uri-host [ ":" port ], where the
// host is a reg-name (unreserved, pct-encoded, sub-delims), an IPv4 address or an IP literal in
// brackets. Checked by characters only: nothing else is read from it.
bool IsValidHost(std::string_view value);

// Refuses (400) a Transfer-Encoding other than chunked alone (the body's end would be ambiguous:
// request smuggling), an HTTP/1.1 request without Host, and more than one Host or a Host that is
// not host[:port] (`Host: a b`): which host was meant would be a guess.
Status CheckRequestHead(const RequestHead& head);

}  // namespace switchyard::http
