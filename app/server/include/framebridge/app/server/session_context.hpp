#pragma once

#include "framebridge/app/server/result_event.hpp"
#include "framebridge/protocol/messages.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace framebridge::app {

class ServedStream;
class StreamRegistry;

/// @brief Who may connect, and how long a connection may keep the server waiting.
struct SessionPolicy {
    /// @brief How long a new connection has to send its HELLO.
    std::chrono::milliseconds handshake_timeout{5000};
    /// @brief How long a message may wait for a client to read what was sent before; then the
    /// client is taken to have stopped reading and is disconnected.
    std::chrono::milliseconds stall_timeout{10000};
    /// @brief Empty: no token is asked for. Otherwise every HELLO must carry this one.
    std::string token;
    /// @brief Slots of a published stream whose PUBLISH asks for the default (0).
    std::uint32_t default_slots = 3;
    /// @brief The largest segment a PUBLISH may make, in bytes; 0 for no limit but /dev/shm's.
    std::uint64_t max_publish_bytes = 0;
    /// @brief How long a WRITE that found no free slot waits before it asks the leases again.
    std::chrono::milliseconds write_retry{5};
};

/// @brief What a session tells the server that others on a stream must learn. Io thread.
struct StreamEvents {
    /// @brief A frame was published: wake the stream's waiting readers.
    std::function<void(const std::shared_ptr<ServedStream>&)> published;
    /// @brief The publisher has gone: the stream's readers are told it ended, and why.
    std::function<void(const std::shared_ptr<ServedStream>&, const std::string& why)> ended;
    /// @brief A client sent a result about `stream`: `body` is the RESULT as it was read,
    /// `event` what parse_result made of it.
    std::function<void(const ServedStream& stream, const ResultEvent& event,
                       const protocol::Bytes& body)>
        result;
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
    StreamRegistry& streams;
    const SessionPolicy& policy;
    ConnectionCounters& counters;
    StreamEvents events;
    /// @brief Called once, when the connection has closed and given its frames back.
    std::function<void(std::uint32_t client_id)> closed;
    /// @brief Called when this client was sent a frame, greeted, or left: what the slowest
    /// reader has may have changed.
    std::function<void()> readers_changed;
};

}  // namespace framebridge::app
