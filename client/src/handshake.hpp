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

/// @brief The stream a segment name serves: "Local\\cam@2" -> "cam", "cam" -> "cam".
std::string stream_of(const std::string& segment_name);

/// @brief Sends HELLO and checks the WELCOME. Throws Timeout, AccessDenied, ProtocolMismatch,
/// FrameBridgeError.
protocol::Welcome handshake(Connection& connection, const std::string& name,
                            const std::string& token,
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
