#include "framebridge/app/server/notify_server.hpp"

#include "framebridge/app/server/client_session.hpp"
#include "framebridge/app/server/close_on_exec.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>
#include <stdexcept>

namespace framebridge::app {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

tcp::endpoint parse_endpoint(const std::string& address, std::uint16_t port) {
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) {
        throw std::runtime_error("'" + address + "' is not an IP address to listen on");
    }
    return {ip, port};
}

}  // namespace

NotifyServer::NotifyServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                           shm::FrameRing& ring, shm::LeaseTable& leases, SessionPolicy policy)
    : io_(io),
      acceptor_(io),
      stall_timer_(io),
      ring_(&ring),
      leases_(&leases),
      policy_(std::move(policy)) {
    const tcp::endpoint endpoint = parse_endpoint(address, port);
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    mark_close_on_exec(acceptor_);
    if (!ec) {
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor_.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec == asio::error::address_in_use) {
        throw std::runtime_error("port " + std::to_string(port) + " on " + address +
                                 " is already in use (another framebridge-server?); stop it or "
                                 "choose another --port");
    }
    if (ec) {
        throw std::runtime_error("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                                 ec.message());
    }
}

NotifyServer::~NotifyServer() = default;

void NotifyServer::start() {
    accept_next();
    watch_for_stalls();
}

void NotifyServer::watch_for_stalls() {
    // A quarter of the limit, at most a second: a stalled client goes soon after its limit.
    const auto period = std::clamp(policy_.stall_timeout / 4, std::chrono::milliseconds{10},
                                   std::chrono::milliseconds{1000});
    stall_timer_.expires_after(period);
    stall_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec || !acceptor_.is_open()) {
            return;
        }
        for (const auto& session : sessions()) {
            session->close_if_stalled();
        }
        watch_for_stalls();
    });
}

void NotifyServer::accept_next() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (!ec) {
            mark_close_on_exec(socket);
            ++accepted_;
            const std::uint32_t id = next_client_id_++;
            auto session = std::make_shared<ClientSession>(std::move(socket), id, *this);
            {
                const std::lock_guard lock(sessions_mutex_);
                sessions_.emplace(id, session);
            }
            session->start();
        } else {
            spdlog::warn("accepting a connection failed: {}", ec.message());
        }
        accept_next();
    });
}

void NotifyServer::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    stall_timer_.cancel();
    for (const auto& session : sessions()) {
        session->close("server stopping");
    }
}

void NotifyServer::notify_published() {
    if (notify_queued_.exchange(true)) {
        return;
    }
    asio::post(io_, [this] {
        notify_queued_ = false;
        for (const auto& session : sessions()) {
            session->offer_newest();
        }
    });
}

void NotifyServer::notify_stream_state(protocol::StreamState state, const std::string& why) {
    asio::post(io_, [this, state, why] {
        stream_state_ = {state, why};
        for (const auto& session : sessions()) {
            session->tell(stream_state_);
            session->offer_newest();
        }
    });
}

bool NotifyServer::serving() const noexcept {
    return stream_state_.state == protocol::StreamState::Live;
}

std::optional<protocol::StreamMessage> NotifyServer::stream_notice() const {
    if (stream_state_.state == protocol::StreamState::Live) {
        return std::nullopt;
    }
    return stream_state_;
}

std::uint16_t NotifyServer::port() const noexcept {
    boost::system::error_code ec;
    const auto endpoint = acceptor_.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

std::string NotifyServer::endpoint() const {
    boost::system::error_code ec;
    const auto endpoint = acceptor_.local_endpoint(ec);
    if (ec) {
        return "(closed)";
    }
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

std::vector<ClientStats> NotifyServer::client_stats() const {
    std::vector<ClientStats> stats;
    for (const auto& session : sessions()) {
        ClientStats client = session->stats();
        // A connection that has not said HELLO yet is not a client anyone would recognise.
        if (!client.name.empty()) {
            stats.push_back(std::move(client));
        }
    }
    return stats;
}

std::size_t NotifyServer::sessions_open() const {
    const std::lock_guard lock(sessions_mutex_);
    return sessions_.size();
}

ConnectionStats NotifyServer::connection_stats() const {
    ConnectionStats stats;
    stats.accepted = accepted_;
    stats.refused = refused_;
    stats.bad_messages = bad_messages_;
    stats.stopped_reading = stopped_reading_;
    return stats;
}

std::uint32_t NotifyServer::max_leases() const noexcept {
    // The newest slot is never written, so a client may hold all the others; a client that
    // keeps them while none is free has its oldest taken back (LeaseTable), so it can never
    // stall the producer or anyone else.
    return std::max<std::uint32_t>(1, ring_->slot_count() - 1);
}

protocol::Welcome NotifyServer::welcome(std::uint32_t client_id) const {
    const shm::SegmentHeader& h = ring_->header();
    protocol::Welcome w;
    w.layout_version = h.layout_version;
    w.segment_size = h.segment_size;
    w.session_id = h.session_id;
    w.slot_count = h.slot_count;
    w.max_leases = max_leases();
    w.client_id = client_id;
    w.segment_name = ring_->name();
    return w;
}

protocol::SegmentMessage NotifyServer::segment_notice() const {
    const shm::SegmentHeader& h = ring_->header();
    protocol::SegmentMessage m;
    m.layout_version = h.layout_version;
    m.segment_size = h.segment_size;
    m.session_id = h.session_id;
    m.slot_count = h.slot_count;
    m.max_leases = max_leases();
    m.segment_name = ring_->name();
    return m;
}

void NotifyServer::switch_ring(shm::FrameRing& ring, shm::LeaseTable& leases) {
    ring_ = &ring;
    leases_ = &leases;
    ++generation_;
    const protocol::SegmentMessage notice = segment_notice();
    for (const auto& session : sessions()) {
        session->follow(notice);
    }
}

void NotifyServer::forget(std::uint32_t client_id) {
    const std::lock_guard lock(sessions_mutex_);
    sessions_.erase(client_id);
}

std::vector<std::shared_ptr<ClientSession>> NotifyServer::sessions() const {
    const std::lock_guard lock(sessions_mutex_);
    std::vector<std::shared_ptr<ClientSession>> list;
    list.reserve(sessions_.size());
    for (const auto& [id, session] : sessions_) {
        list.push_back(session);
    }
    return list;
}

}  // namespace framebridge::app
