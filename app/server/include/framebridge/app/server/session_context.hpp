#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace framebridge::app {

class ServedStream;

/// @brief Who may connect, and how long a connection may keep the server waiting.
struct SessionPolicy {
    /// @brief How long a new connection has to send its HELLO.
    std::chrono::milliseconds handshake_timeout{5000};
    /// @brief How long a message may wait for a client to read what was sent before; then the
    /// client is taken to have stopped reading and is disconnected.
    std::chrono::milliseconds stall_timeout{10000};
    /// @brief Empty: no token is asked for. Otherwise every HELLO must carry this one.
    std::string token;
};

/// @brief Why the server closed connections, counted since it started. Any thread.
struct ConnectionCounters {
    std::atomic<std::uint64_t> accepted{0};
    std::atomic<std::uint64_t> refused{0};          ///< a missing or wrong token
    std::atomic<std::uint64_t> bad_messages{0};     ///< closed for breaking the protocol
    std::atomic<std::uint64_t> stopped_reading{0};  ///< closed for leaving a message unread
};

/// @brief All a session knows of the server that accepted it.
struct SessionContext {
    ServedStream& stream;
    const SessionPolicy& policy;
    ConnectionCounters& counters;
    /// @brief Called once, when the connection has closed and given its frames back.
    std::function<void(std::uint32_t client_id)> closed;
    /// @brief Called when this client was sent a frame, greeted, or left: what the slowest
    /// reader has may have changed.
    std::function<void()> readers_changed;
};

}  // namespace framebridge::app
