#include "http/client/upstream_connection.h"

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <openssl/x509v3.h>
#include <fmt/format.h>

namespace switchyard::http {
namespace beast = boost::beast;

namespace {

// The certificate must name the host we meant to reach, as a DNS name or an IP address. SNI is sent
// for names only: RFC 6066 forbids literal addresses in it.
Status RequireCertificateFor(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  const bool is_address = !ec;
  if (is_address) {
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return Error::UpstreamConnect("cannot set the TLS peer address to verify");
    }
    return Status();
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1 || SSL_set1_host(ssl, host.c_str()) != 1) {
    return Error::UpstreamConnect("cannot set the TLS server name");
  }
  return Status();
}

}  // namespace

Task<Result<std::unique_ptr<UpstreamConnection>>> UpstreamConnection::Connect(
    const net::any_io_executor& executor, net::ssl::context& tls_context,
    const UpstreamEndpoint& endpoint, Clock::time_point deadline) {
  std::unique_ptr<UpstreamConnection> connection(new UpstreamConnection());
  net::ip::tcp::resolver resolver(executor);
  auto [rec, results] = co_await resolver.async_resolve(
      endpoint.host, std::to_string(endpoint.port), kUseTuple);
  if (rec) {
    co_return Error::UpstreamConnect(
        fmt::format("cannot resolve provider host {}: {}", endpoint.host, rec.message()));
  }
  auto tcp = std::make_unique<beast::tcp_stream>(executor);
  tcp->expires_at(deadline);
  auto [cec, connected] = co_await tcp->async_connect(results, kUseTuple);
  if (cec) {
    if (cec == beast::error::timeout) {
      co_return Error::UpstreamTimeout(
          fmt::format("connecting to {} timed out", endpoint.HostHeader()));
    }
    co_return Error::UpstreamConnect(
        fmt::format("cannot connect to {}: {}", endpoint.HostHeader(), cec.message()));
  }
  boost::system::error_code ignored;
  tcp->socket().set_option(net::ip::tcp::no_delay(true), ignored);
  if (!endpoint.tls) {
    connection->plain_ = std::move(tcp);
    co_return connection;
  }
  connection->tls_ = std::make_unique<TlsStream>(std::move(*tcp), tls_context);
  TlsStream& tls = *connection->tls_;
  Status verification = RequireCertificateFor(tls.native_handle(), endpoint.host);
  if (!verification.ok()) co_return verification.error();
  auto [hec] = co_await tls.async_handshake(net::ssl::stream_base::client, kUseTuple);
  if (hec) {
    if (hec == beast::error::timeout) {
      co_return Error::UpstreamTimeout(
          fmt::format("TLS handshake with {} timed out", endpoint.HostHeader()));
    }
    // OpenSSL's verify result names the certificate problem (unknown issuer, hostname mismatch...).
    const long verify = SSL_get_verify_result(tls.native_handle());
    co_return Error::UpstreamConnect(fmt::format(
        "TLS handshake with {} failed: {}", endpoint.HostHeader(),
        verify != X509_V_OK ? std::string(X509_verify_cert_error_string(verify)) : hec.message()));
  }
  co_return connection;
}

void UpstreamConnection::Close() {
  boost::system::error_code ignored;
  auto& socket = tcp().socket();
  if (!socket.is_open()) return;
  socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

bool UpstreamConnection::LooksAlive() {
  auto& socket = tcp().socket();
  if (!socket.is_open() || buffer_.size() != 0) return false;
  char byte;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  // Nothing to read is the only healthy answer: 0 is the peer's FIN, > 0 unexpected bytes.
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace switchyard::http
