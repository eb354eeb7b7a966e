#pragma once
// Getting to the first REQUEST: what HELLO carries, the WELCOME checks, and mapping the segment
// a WELCOME or SEGMENT names.

#include "connection.hpp"

#include "framebridge/shm/frame_ring.hpp"

#include <memory>
#include <optional>
#include <string>

namespace framebridge::detail {

/// @brief `name` as the server accepts it: control characters as '?', at most 64 bytes of UTF-8.
std::string hello_name(const std::string& name);

/// @brief The token to send: the one given, else $FRAMEBRIDGE_TOKEN, else none (""). Throws
/// FrameBridgeError when it is too long or not printable.
std::string checked_token(const std::optional<std::string>& token);

/// @brief `stream` when it follows the stream-name rule or is "" (the server's first). Throws
/// FrameBridgeError naming the rule.
std::string checked_stream(const std::string& stream);

/// @brief What a HELLO asks for, each part already checked.
struct HelloRequest {
    std::string name;
    std::string token;
    std::string stream;  ///< "" for the server's first
};

/// @brief Sends HELLO and checks the WELCOME. Throws Timeout, AccessDenied, StreamNotFound,
/// ProtocolMismatch, FrameBridgeError.
protocol::Welcome handshake(Connection& connection, const HelloRequest& request,
                            std::optional<std::chrono::milliseconds> timeout);

/// @brief Maps a segment read-only and checks its header against what the server announced.
/// Throws FrameBridgeError (no such stream) or ProtocolMismatch.
std::shared_ptr<shm::FrameRing> open_ring(const std::string& name, std::uint64_t segment_size,
                                          std::uint64_t session_id, std::uint32_t slot_count);

/// @brief "" when a FRAME fits the ring it names, else what is wrong with it.
std::string frame_problem(const protocol::FrameMessage& frame, const shm::FrameRing& ring);

/// @brief Seconds for a message, e.g. "0.5 s".
std::string seconds_text(std::chrono::nanoseconds duration);

}  // namespace framebridge::detail
