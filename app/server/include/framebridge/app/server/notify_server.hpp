#pragma once

#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/app/server/session_context.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace framebridge::app {

class ClientSession;

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

    std::uint16_t port() const noexcept;
    std::string endpoint() const;
    /// @brief Statistics of every client that has completed its handshake.
    std::vector<ClientStats> client_stats() const;
    /// @brief Open connections, handshake done or not.
    std::size_t sessions_open() const;
    /// @brief The lowest of the newest frames each greeted client was sent; std::nullopt with
    /// no client. Any thread.
    std::optional<std::uint64_t> slowest_reader_seq() const;
    /// @brief Called, on the io thread, whenever slowest_reader_seq() may have changed. Set it
    /// before start().
    void on_readers_changed(std::function<void()> callback);
    ConnectionStats connection_stats() const;

private:
    void accept_next();
    void on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void watch_for_stalls();
    void forget(std::uint32_t client_id);
    std::vector<std::shared_ptr<ClientSession>> sessions() const;

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer stall_timer_;
    ServedStream stream_;  ///< io thread only
    SessionPolicy policy_;
    ConnectionCounters counters_;
    std::atomic<bool> notify_queued_{false};
    std::uint32_t next_client_id_ = 1;
    std::function<void()> readers_changed_;

    mutable std::mutex sessions_mutex_;
    std::map<std::uint32_t, std::shared_ptr<ClientSession>> sessions_;
};

}  // namespace framebridge::app
