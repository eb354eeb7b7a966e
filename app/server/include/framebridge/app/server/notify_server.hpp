#pragma once

#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace framebridge::app {

class ClientSession;

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

/// @brief The TCP server that tells clients which slot holds the newest frame
/// (docs/wire-protocol.md). It runs on one io_context thread; notify_published() and
/// client_stats() may be called from any thread.
class NotifyServer {
public:
    /// @brief Listens on address:port (port 0 picks a free one). Throws std::runtime_error with
    /// the address and what to do when it cannot.
    NotifyServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                 shm::FrameRing& ring, shm::LeaseTable& leases, SessionPolicy policy = {});
    ~NotifyServer();
    NotifyServer(const NotifyServer&) = delete;
    NotifyServer& operator=(const NotifyServer&) = delete;

    /// @brief Starts accepting connections.
    void start();

    /// @brief Closes the listener and every connection. Call on the io thread.
    void stop();

    /// @brief The capture published a frame. Cheap and never blocks: wakes the io thread once
    /// however often it is called before the io thread gets to it.
    void notify_published();

    /// @brief Serves a new segment generation from now on: every client is sent SEGMENT and
    /// the frames it held of the old one stop counting against it. Call on the io thread.
    void switch_ring(shm::FrameRing& ring, shm::LeaseTable& leases);

    /// @brief The stream went live, ended or was lost: every client is told. Any thread.
    void notify_stream_state(protocol::StreamState state, const std::string& why);

    /// @brief False while the stream is ended or lost: then no REQUEST is answered, since the
    /// newest frame is no longer new. Io thread only.
    bool serving() const noexcept;

    /// @brief The STREAM message a client joining now must get first, if the stream is not live.
    std::optional<protocol::StreamMessage> stream_notice() const;

    std::uint16_t port() const noexcept;
    std::string endpoint() const;
    /// @brief Statistics of every client that has completed its handshake.
    std::vector<ClientStats> client_stats() const;
    /// @brief Open connections, handshake done or not.
    std::size_t sessions_open() const;
    ConnectionStats connection_stats() const;

    // For sessions.
    shm::FrameRing& ring() noexcept { return *ring_; }
    shm::LeaseTable& leases() noexcept { return *leases_; }
    /// @brief Which segment generation the ring is: leases of an older one are no longer counted.
    std::uint32_t generation() const noexcept { return generation_; }
    std::uint32_t max_leases() const noexcept;
    const SessionPolicy& policy() const noexcept { return policy_; }
    /// @brief Counts a connection closed for a reason ConnectionStats keeps.
    void count_refused() noexcept { ++refused_; }
    void count_bad_message() noexcept { ++bad_messages_; }
    void count_stopped_reading() noexcept { ++stopped_reading_; }
    protocol::Welcome welcome(std::uint32_t client_id) const;
    protocol::SegmentMessage segment_notice() const;
    void forget(std::uint32_t client_id);

private:
    void accept_next();
    void watch_for_stalls();
    std::vector<std::shared_ptr<ClientSession>> sessions() const;

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer stall_timer_;
    // Pointers, not references: switch_ring() moves them to a new generation (io thread only).
    shm::FrameRing* ring_;
    shm::LeaseTable* leases_;
    std::uint32_t generation_ = 1;
    SessionPolicy policy_;
    std::atomic<bool> notify_queued_{false};
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> refused_{0};
    std::atomic<std::uint64_t> bad_messages_{0};
    std::atomic<std::uint64_t> stopped_reading_{0};
    std::uint32_t next_client_id_ = 1;

    protocol::StreamMessage stream_state_;  ///< io thread only

    mutable std::mutex sessions_mutex_;
    std::map<std::uint32_t, std::shared_ptr<ClientSession>> sessions_;
};

}  // namespace framebridge::app
