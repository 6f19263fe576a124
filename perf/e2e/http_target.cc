#include "perf/e2e/http_target.h"

#include <boost/asio/ip/address.hpp>

#include <charconv>

namespace vsr::e2e {

std::string HttpTarget::HostHeader() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string HttpTarget::ToUrl() const { return "http://" + HostHeader() + path; }

StatusOr<HttpTarget> ParseLoopbackUrl(std::string_view url) {
  const std::string original(url);
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument("URL '" + original + "' must start with http://");
  }
  url.remove_prefix(kScheme.size());
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  HttpTarget t;
  t.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));

  std::string_view host, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close + 1 >= authority.size() ||
        authority[close + 1] != ':') {
      return Status::InvalidArgument("URL '" + original + "': expected [v6-address]:port");
    }
    host = authority.substr(1, close - 1);
    port = authority.substr(close + 2);
  } else {
    size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument("URL '" + original + "' needs an explicit port");
    }
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return Status::InvalidArgument("URL '" + original + "': bad port '" + std::string(port) + "'");
  }
  t.port = static_cast<uint16_t>(value);

  if (host == "localhost") {
    t.host = "127.0.0.1";
    return t;
  }
  boost::system::error_code bad;
  auto address = boost::asio::ip::make_address(std::string(host), bad);
  if (bad || !address.is_loopback()) {
    return Status::InvalidArgument("URL '" + original +
                                   "': the load generator only sends to loopback addresses "
                                   "(127.0.0.0/8, ::1, localhost)");
  }
  t.host = address.to_string();
  return t;
}

}  // namespace vsr::e2e
