#pragma once

#include "framebridge/app/server/outbox.hpp"
#include "framebridge/app/stats/latency_window.hpp"
#include "framebridge/app/stats/pipeline_stats.hpp"
#include "framebridge/protocol/messages.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace framebridge::app {

class NotifyServer;

/// @brief One client connection: the handshake, its REQUESTs and RELEASEs, the frames it
/// holds and its statistics. Everything but stats() runs on the server's io thread. The
/// leases belong to the connection: when it closes, for any reason, they are given back.
class ClientSession : public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(boost::asio::ip::tcp::socket socket, std::uint32_t id, NotifyServer& server);

    void start();

    /// @brief A newer frame exists: send it if this client is waiting for one.
    void offer_newest();

    /// @brief Passes the stream's state on, once this client has said HELLO.
    void tell(const protocol::StreamMessage& state);

    /// @brief Moves this client to a new segment generation: tells it, and lets go of the
    /// frames it held in the old one (they no longer hold anything the producer writes).
    void follow(const protocol::SegmentMessage& segment);

    /// @brief Closes the connection and gives back every frame it holds; safe to repeat.
    void close(const std::string& why);

    /// @brief Disconnects this client if a message has waited longer than the server's stall
    /// timeout for it to read what was sent before.
    void close_if_stalled();

    /// @brief A copy of this client's numbers; safe from any thread.
    ClientStats stats() const;

private:
    struct HeldFrame {
        shm::Lease lease;
        std::uint64_t publish_ns;
        std::uint32_t generation;
    };

    std::size_t held_in_current_generation() const;

    void read_header();
    void read_body(protocol::MessageHeader header);
    void dispatch(const protocol::MessageHeader& header);
    void on_hello(const protocol::Hello& hello);
    void on_request(const protocol::Request& request);
    void on_release(const protocol::Release& release);
    void check_token(const std::string& token);
    void send(protocol::Bytes message);
    void write_next();
    void stopped_reading(const std::string& what);
    void fail(protocol::ErrorCode code, const std::string& text);
    std::string label() const;

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer handshake_timer_;
    NotifyServer& server_;
    std::string peer_;

    std::uint8_t header_bytes_[protocol::HEADER_BYTES] = {};
    protocol::Bytes body_;
    Outbox outbox_;
    // outbox_'s size and when its front began to be written, for stats() on other threads.
    std::atomic<std::uint32_t> queued_{0};
    std::atomic<std::uint64_t> write_started_ns_{0};
    bool greeted_ = false;
    bool closing_ = false;
    bool closed_ = false;
    std::optional<std::uint64_t> pending_after_seq_;
    std::vector<HeldFrame> held_;
    std::uint64_t last_sent_seq_ = 0;

    mutable std::mutex stats_mutex_;
    ClientStats stats_;
    LatencyWindow ready_window_;
    LatencyWindow hold_window_;
};

}  // namespace framebridge::app
