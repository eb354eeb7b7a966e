#pragma once
// framebridge::Client: a C++ reader of a FrameBridge stream. It mirrors the Python SDK's Client
// (python_sdk/framebridge/client.py) and speaks the two contracts, docs/wire-protocol.md and
// docs/segment-layout.md; docs/cpp-client.md shows it in use.

#include "framebridge/client/errors.hpp"
#include "framebridge/client/frame.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace framebridge {

/// @brief Where to connect and how. Every field has a default: `ConnectOptions{}` is the Python
/// SDK's `fb.connect()`.
struct ConnectOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 7600;
    /// @brief The stream to read; empty takes the server's first. A name the server does not
    /// have is StreamNotFound at connect, listing the names it has.
    std::string stream;
    /// @brief Shown in the server's statistics; control characters become '?', cut to 64 bytes.
    std::string name = "cpp";
    /// @brief The server's --token; none reads $FRAMEBRIDGE_TOKEN (unset: no token).
    std::optional<std::string> token;
    /// @brief For connecting and for the handshake; none waits forever.
    std::optional<std::chrono::milliseconds> timeout = std::chrono::milliseconds{5000};
    /// @brief When the server goes (stops, crashes, restarts), latest() waits for one at the
    /// same address instead of throwing ServerGone, and goes on with its frames.
    bool reconnect = false;
};

/// @brief Stream states as the server last told them (wire protocol, STREAM).
enum class StreamState : std::uint32_t {
    Live = 1,
    Ended = 2,
    Lost = 3,
    Unknown = 0,  ///< a state this build does not know: not live
};

/// @brief A connection to a FrameBridge server and a read-only view of its stream.
///
/// Move-only; not thread-safe: use one Client, and its Frames, from one thread at a time.
class Client {
public:
    /// @brief Connects, does the handshake and maps the stream. Throws ServerUnavailable,
    /// Timeout, AccessDenied, StreamNotFound, ProtocolMismatch, or FrameBridgeError (e.g. a
    /// stream name that breaks the naming rule).
    explicit Client(const ConnectOptions& options = {});
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;
    /// @brief close().
    ~Client();

    /// @brief The newest frame, newer than any this client received before.
    ///
    /// Waits at most `timeout` (none: forever) and throws Timeout after; the request stays
    /// open, so the next call goes on waiting for the same answer. Throws StreamEnded once the
    /// stream has ended, ServerGone when the server has gone (with reconnect, a lost server is
    /// waited for within the same timeout instead), FrameBridgeError when this client already
    /// holds max_leases() frames.
    Frame latest(std::optional<std::chrono::nanoseconds> timeout = std::nullopt);

    /// @brief Gives back every frame and disconnects; Frames still held stay readable. Safe to
    /// call more than once.
    void close() noexcept;

    /// @brief How many times this client has connected again after losing its server.
    std::uint32_t reconnects() const noexcept;
    /// @brief The segment's name as the server gave it (Windows: e.g. "Local\\NAME@1").
    std::string segment_name() const;
    /// @brief The name of the stream this client reads, as the server named it (WELCOME): the
    /// one asked for, or the server's first when none was. It stays across reconnects.
    std::string stream() const;
    std::uint64_t session_id() const noexcept;
    /// @brief How many frames this client may hold at once.
    std::uint32_t max_leases() const noexcept;
    std::uint32_t slot_count() const noexcept;
    std::uint32_t client_id() const noexcept;
    StreamState stream_state() const noexcept;
    /// @brief Sequence number of the newest published frame, read from shared memory.
    std::uint64_t newest_seq() const noexcept;

    /// @brief Ends an iteration: the stream has ended.
    struct Sentinel {};

    /// @brief `for (Frame& frame : client)`: frames until the stream ends. Each step gives the
    /// previous frame back and waits for the newest; the RELEASE and the next REQUEST go out in
    /// one write.
    class Iterator {
    public:
        Frame& operator*() noexcept { return frame_; }
        Frame* operator->() noexcept { return &frame_; }
        Iterator& operator++();
        bool operator!=(Sentinel) const noexcept { return !frame_.empty(); }
        bool operator==(Sentinel) const noexcept { return frame_.empty(); }

    private:
        friend class Client;
        explicit Iterator(Client& client);
        void next();

        Client* client_;
        Frame frame_;
    };

    /// @brief Waits for the first frame (as latest() without a timeout).
    Iterator begin();
    Sentinel end() noexcept { return {}; }

private:
    std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace framebridge
