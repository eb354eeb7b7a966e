#pragma once
// framebridge::list_streams: which streams a server hosts (wire protocol, LIST and STREAMS), as
// the Python SDK's fb.list_streams tells them.

#include "framebridge/client/client.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace framebridge {

/// @brief Who fills a stream.
enum class Producer : std::uint32_t {
    Capture = 1,  ///< a capture source of the server's
    Client = 2,   ///< a client that publishes
    Unknown = 0,  ///< a producer this build does not know
};

/// @brief "capture", "client" or "unknown".
const char* to_string(Producer producer) noexcept;

/// @brief One stream a server hosts, as it was when listed.
struct StreamInfo {
    std::string name;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    PixelFormat format = PixelFormat::Bgr8;
    double fps = 0.0;  ///< 0 when unknown or as fast as it goes
    Producer producer = Producer::Unknown;
    std::uint32_t clients = 0;     ///< connections reading it
    std::uint64_t newest_seq = 0;  ///< 0 before its first frame
};

/// @brief The streams of the server `options` names, the server's first first: connects (host,
/// port, token, name, timeout; stream and reconnect play no part), asks, and disconnects.
/// Throws ServerUnavailable, Timeout, AccessDenied, ServerGone, ProtocolMismatch.
std::vector<StreamInfo> list_streams(const ConnectOptions& options = {});

}  // namespace framebridge
