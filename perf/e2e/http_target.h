// HttpTarget: where the load generator sends, parsed from an http:// URL that must point at
// the loopback interface (127.0.0.0/8, ::1 or localhost). The load tests never leave the
// machine; any other host is refused with a clear error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace vsr::e2e {

struct HttpTarget {
  std::string host;  // numeric loopback address, e.g. "127.0.0.1" or "::1"
  uint16_t port = 0;
  std::string path = "/";  // path and query, always starting with '/'

  // "127.0.0.1:8080" or "[::1]:8080": the Host header value.
  std::string HostHeader() const;
  std::string ToUrl() const;
};

StatusOr<HttpTarget> ParseLoopbackUrl(std::string_view url);

}  // namespace vsr::e2e
