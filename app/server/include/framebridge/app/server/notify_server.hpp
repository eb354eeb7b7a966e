#pragma once

#include "framebridge/app/server/result_relay.hpp"
#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/app/server/session_context.hpp"
#include "framebridge/app/server/stream_registry.hpp"
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

/// @brief The TCP server that tells clients which slot holds the newest frame of the stream
/// they read (docs/wire-protocol.md). It hosts any number of named streams: the server's own
/// (add_stream) and those its clients publish. It runs on one io_context thread;
/// notify_published(), notify_stream_state(), streams() and client_stats() may be called from
/// any thread.
class NotifyServer {
public:
    /// @brief Listens on address:port (port 0 picks a free one). Throws std::runtime_error with
    /// the address and what to do when it cannot.
    NotifyServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                 SessionPolicy policy = {});
    /// @brief A server of one stream, named as its segment (with no Windows namespace).
    NotifyServer(boost::asio::io_context& io, const std::string& address, std::uint16_t port,
                 shm::FrameRing& ring, shm::LeaseTable& leases, SessionPolicy policy = {});
    ~NotifyServer();
    NotifyServer(const NotifyServer&) = delete;
    NotifyServer& operator=(const NotifyServer&) = delete;

    /// @brief Serves a stream the caller fills (a capture), listed after those made before it.
    /// Throws std::invalid_argument when a stream of that name is there already.
    std::shared_ptr<ServedStream> add_stream(const std::string& name, shm::FrameRing& ring,
                                             shm::LeaseTable& leases, StreamDetails details);

    /// @brief Starts accepting connections.
    void start();

    /// @brief Closes the listener and every connection. Call on the io thread.
    void stop();

    /// @brief `stream` published a frame. Cheap and never blocks. Off the io thread, each
    /// reader that waits for a frame is sent it from the calling thread, with a send() that
    /// never waits (ClientSession::send_at_publish); the io thread is woken only for those it
    /// could not serve so, once however often it is called before the io thread gets to it.
    /// Only the stream's readers are offered the frame.
    void notify_published(const std::shared_ptr<ServedStream>& stream);
    /// @brief The same, for the first stream.
    void notify_published();

    /// @brief Serves a new segment generation of `stream` from now on: each of its clients is
    /// sent SEGMENT and the frames it held of the old one stop counting against it. Call on the
    /// io thread.
    void switch_ring(ServedStream& stream, shm::FrameRing& ring, shm::LeaseTable& leases,
                     StreamDetails details);

    /// @brief `stream` went live, ended or was lost: each of its clients is told. Any thread.
    void notify_stream_state(const std::shared_ptr<ServedStream>& stream,
                             protocol::StreamState state, const std::string& why);
    /// @brief The same, for the first stream.
    void notify_stream_state(protocol::StreamState state, const std::string& why);

    /// @brief Every stream it hosts, the first first. Any thread.
    std::vector<StreamInfo> streams() const;
    /// @brief The stream named `name` (the first for ""), or nullptr. Any thread.
    std::shared_ptr<ServedStream> find_stream(const std::string& name) const;

    std::uint16_t port() const noexcept;
    std::string endpoint() const;
    /// @brief Statistics of every client that has completed its handshake.
    std::vector<ClientStats> client_stats() const;
    /// @brief Open connections, handshake done or not.
    std::size_t sessions_open() const;
    /// @brief The lowest of the newest frames each client reading `stream` was sent;
    /// std::nullopt with no such client. Any thread.
    std::optional<std::uint64_t> slowest_reader_seq(const ServedStream& stream) const;
    /// @brief Called whenever slowest_reader_seq() may have changed: on the io thread, or on
    /// the thread that called notify_published() when that sent a frame. Set it before start().
    void on_readers_changed(std::function<void()> callback);
    ConnectionStats connection_stats() const;
    /// @brief `handler` gets every result any client sends, on the io thread, from now on.
    /// Any thread.
    void on_result(ResultHandler handler);

private:
    void accept_next();
    void on_accepted(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
    void watch_for_stalls();
    void forget(std::uint32_t client_id);
    void offer_newest(const ServedStream& stream);
    bool send_at_publish(ServedStream& stream);
    void announce_state(ServedStream& stream, protocol::StreamState state, const std::string& why);
    std::vector<std::shared_ptr<ClientSession>> sessions() const;

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer stall_timer_;
    StreamRegistry streams_;
    SessionPolicy policy_;
    ConnectionCounters counters_;
    std::uint32_t next_client_id_ = 1;
    std::function<void()> readers_changed_;
    ResultRelay results_;

    mutable std::mutex sessions_mutex_;
    std::map<std::uint32_t, std::shared_ptr<ClientSession>> sessions_;
};

}  // namespace framebridge::app
