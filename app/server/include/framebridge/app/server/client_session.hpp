#pragma once

#include "framebridge/app/server/outbox.hpp"
#include "framebridge/app/server/session_context.hpp"
#include "framebridge/app/server/session_core.hpp"
#include "framebridge/protocol/messages.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <string>

namespace framebridge::app {

/// @brief One client connection's I/O: reads whole messages into its SessionCore, writes
/// what the core answers, enforces the handshake and stall limits, and closes. The leases
/// belong to the connection: when it closes, for any reason, they are given back. Io thread
/// only, but stats(), the queries of what it reads, and send_at_publish(): the one thing another
/// thread does to it, under mutex_, which the io thread holds whenever it touches the core or
/// the outbox.
class ClientSession : public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(boost::asio::ip::tcp::socket socket, std::uint32_t id, SessionContext context);

    void start();

    /// @brief A newer frame exists: send it if this client is waiting for one.
    void offer_newest();
    /// @brief The same, from the thread that published the frame, so that the client is woken
    /// at once rather than after the io thread: the FRAME is written with a send() that never
    /// waits when nothing else is being written to the client. Never blocks: false, having
    /// done nothing, when the io thread holds the session or is writing to it (it must then
    /// offer the frame itself); true when the frame was sent, handed on (the socket took only
    /// part: the io thread writes the rest), or not asked for. Not on the io thread.
    bool send_at_publish();
    /// @brief Whether it reads `stream`; any thread.
    bool reads(const ServedStream& stream) const noexcept { return core_.reads(stream); }
    bool counts_as_reader_of(const ServedStream& stream) const noexcept {
        return core_.counts_as_reader_of(stream);
    }

    /// @brief Tells the client of a new segment generation, or of the stream's state.
    void announce(const protocol::SegmentMessage& segment);
    void announce(const protocol::StreamMessage& state);

    /// @brief Whether it watches the results on `stream` (sent WATCH 1 and reads it).
    bool watches(const ServedStream& stream) const noexcept { return core_.watches(stream); }
    /// @brief Queues a RESULT_FROM that other watchers share: a slow reader drops the oldest of
    /// those waiting (Outbox) rather than being disconnected for them.
    void send_result(const std::shared_ptr<const protocol::Bytes>& result_from);

    /// @brief Closes the connection and gives back every frame it holds; safe to repeat.
    void close(const std::string& why);

    /// @brief Disconnects this client if a message has waited longer than the policy's stall
    /// timeout for it to read what was sent before.
    void close_if_stalled();

    /// @brief A copy of this client's numbers; safe from any thread.
    ClientStats stats() const;

    /// @brief Whether it has said HELLO, and the newest frame it was sent; any thread.
    bool greeted() const { return core_.greeted(); }
    std::uint64_t last_sent_seq() const noexcept { return core_.last_sent_seq(); }

private:
    void read_header();
    void on_header_read(const boost::system::error_code& ec);
    void on_body_read(const boost::system::error_code& ec, protocol::MessageHeader header);
    void on_written(const boost::system::error_code& ec);
    void on_handshake_timeout(const boost::system::error_code& ec);
    void wait_for_free_slot();
    void on_write_retry(const boost::system::error_code& ec);
    void send(protocol::Bytes message);
    void after_queued();
    void write_next();
    void resume_writing();
    void stopped_reading(const std::string& what);
    void fail(protocol::ErrorCode code, const std::string& text);
    bool reading() const noexcept;

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer handshake_timer_;
    boost::asio::steady_timer write_timer_;  ///< a WRITE waits for a free slot
    SessionContext context_;
    SessionCore core_;
    std::string peer_;

    std::uint8_t header_bytes_[protocol::HEADER_BYTES] = {};
    protocol::Bytes body_;
    // Recursive: a handler that holds it may close the session, or relay a result to itself.
    mutable std::recursive_mutex mutex_;
    Outbox outbox_;
    bool writing_ = false;  ///< the outbox's front is being written, or its write is posted
    // outbox_'s size and when its front began to be written, for stats() on other threads.
    std::atomic<std::uint32_t> queued_{0};
    std::atomic<std::uint64_t> write_started_ns_{0};
    std::atomic<std::uint64_t> results_skipped_{0};  ///< outbox_'s, for stats()
    std::atomic<std::uint64_t> sent_at_publish_{0};
};

}  // namespace framebridge::app
