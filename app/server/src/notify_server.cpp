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
using protocol::StreamState;

namespace {

tcp::endpoint parse_endpoint(const std::string& address, std::uint16_t port) {
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(address, ec);
    if (ec) {
        throw std::runtime_error("'" + address + "' is not an IP address to listen on");
    }
    return {ip, port};
}

// The stream a segment serves: its name without a Windows namespace or generation.
std::string stream_of(const std::string& segment_name) {
    const auto slash = segment_name.rfind('\\');
    const std::string stream =
        slash == std::string::npos ? segment_name : segment_name.substr(slash + 1);
    return stream.substr(0, stream.find('@'));
}

}  // namespace

NotifyServer::NotifyServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                           SessionPolicy policy)
    : io_(io), acceptor_(io), stall_timer_(io), policy_(std::move(policy)) {
    const tcp::endpoint endpoint = parse_endpoint(address, port);
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    mark_close_on_exec(acceptor_);
#ifndef _WIN32
    // A restarted server may listen at once despite its old connections in TIME_WAIT. Not on
    // Windows: there SO_REUSEADDR lets a second server take a port that one already listens on.
    if (!ec) {
        acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    }
#endif
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

NotifyServer::NotifyServer(asio::io_context& io, const std::string& address, std::uint16_t port,
                           shm::FrameRing& ring, shm::LeaseTable& leases, SessionPolicy policy)
    : NotifyServer(io, address, port, std::move(policy)) {
    add_stream(stream_of(ring.name()), ring, leases, {});
}

NotifyServer::~NotifyServer() = default;

std::shared_ptr<ServedStream> NotifyServer::add_stream(const std::string& name,
                                                       shm::FrameRing& ring,
                                                       shm::LeaseTable& leases,
                                                       StreamDetails details) {
    auto stream = std::make_shared<ServedStream>(name, ring, leases, details);
    if (!streams_.add(stream)) {
        throw std::invalid_argument("stream name '" + name +
                                    "' is given twice: give each stream its own name");
    }
    return stream;
}

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
        on_accepted(ec, std::move(socket));
    });
}

void NotifyServer::on_accepted(const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    if (ec) {
        spdlog::warn("accepting a connection failed: {}", ec.message());
    } else {
        mark_close_on_exec(socket);
        ++counters_.accepted;
        const std::uint32_t id = next_client_id_++;
        auto session = std::make_shared<ClientSession>(
            std::move(socket), id,
            SessionContext{streams_, policy_, counters_,
                           StreamEvents{[this](const std::shared_ptr<ServedStream>& stream) {
                                            notify_published(stream);
                                        },
                                        [this](const std::shared_ptr<ServedStream>& stream,
                                               const std::string& why) {
                                            notify_stream_state(stream, StreamState::Ended, why);
                                        },
                                        [this](const ServedStream& stream, const ResultEvent& event,
                                               const protocol::Bytes& body) {
                                            results_.relay(stream, event, body, sessions());
                                        }},
                           [this](std::uint32_t closed_id) { forget(closed_id); },
                           [this] {
                               if (readers_changed_) {
                                   readers_changed_();
                               }
                           }});
        {
            const std::lock_guard lock(sessions_mutex_);
            sessions_.emplace(id, session);
        }
        session->start();
    }
    accept_next();
}

void NotifyServer::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    stall_timer_.cancel();
    for (const auto& session : sessions()) {
        session->close("server stopping");
    }
}

void NotifyServer::notify_published(const std::shared_ptr<ServedStream>& stream) {
    stream->count_published();
    // On the io thread (a stream a client publishes) the wake-up below costs nothing: that
    // thread is awake already, and its handler still holds the publisher's session.
    if (!io_.get_executor().running_in_this_thread() && send_at_publish(*stream)) {
        return;
    }
    if (!stream->queue_wake()) {
        return;
    }
    asio::post(io_, [this, stream] {
        stream->woken();
        offer_newest(*stream);
    });
}

// Each waiting reader's FRAME goes out on the publishing thread: the client is the only thread
// woken, where a hand-over to the io thread wakes two. False when some reader must still be
// offered the frame by the io thread.
bool NotifyServer::send_at_publish(ServedStream& stream) {
    const std::unique_lock notices(stream.notices_mutex(), std::try_to_lock);
    if (!notices.owns_lock() || stream.notices_coming()) {
        return false;
    }
    bool all_served = true;
    for (const auto& session : sessions()) {
        if (session->reads(stream) && !session->send_at_publish()) {
            all_served = false;
        }
    }
    return all_served;
}

void NotifyServer::notify_published() {
    if (auto first = streams_.find("")) {
        notify_published(first);
    }
}

void NotifyServer::offer_newest(const ServedStream& stream) {
    for (const auto& session : sessions()) {
        if (session->reads(stream)) {
            session->offer_newest();
        }
    }
}

void NotifyServer::notify_stream_state(const std::shared_ptr<ServedStream>& stream,
                                       StreamState state, const std::string& why) {
    stream->notice_coming();
    asio::post(io_, [this, stream, state, why] {
        announce_state(*stream, state, why);
        stream->notice_told();
    });
}

void NotifyServer::notify_stream_state(StreamState state, const std::string& why) {
    if (auto first = streams_.find("")) {
        notify_stream_state(first, state, why);
    }
}

void NotifyServer::announce_state(ServedStream& stream, StreamState state, const std::string& why) {
    const std::lock_guard notices(stream.notices_mutex());
    stream.set_state(state, why);
    for (const auto& session : sessions()) {
        if (session->reads(stream)) {
            session->announce(stream.state());
            session->offer_newest();
        }
    }
}

std::vector<StreamInfo> NotifyServer::streams() const {
    std::vector<StreamInfo> list;
    for (const auto& stream : streams_.all()) {
        list.push_back(stream->info());
    }
    return list;
}

std::shared_ptr<ServedStream> NotifyServer::find_stream(const std::string& name) const {
    return streams_.find(name);
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

std::optional<std::uint64_t> NotifyServer::slowest_reader_seq(const ServedStream& stream) const {
    std::optional<std::uint64_t> slowest;
    for (const auto& session : sessions()) {
        if (session->counts_as_reader_of(stream)) {
            const std::uint64_t seq = session->last_sent_seq();
            slowest = slowest ? std::min(*slowest, seq) : seq;
        }
    }
    return slowest;
}

void NotifyServer::on_readers_changed(std::function<void()> callback) {
    readers_changed_ = std::move(callback);
}

ConnectionStats NotifyServer::connection_stats() const {
    ConnectionStats stats;
    stats.accepted = counters_.accepted;
    stats.refused = counters_.refused;
    stats.bad_messages = counters_.bad_messages;
    stats.stopped_reading = counters_.stopped_reading;
    return stats;
}

void NotifyServer::on_result(ResultHandler handler) {
    results_.on_result(std::move(handler));
}

void NotifyServer::switch_ring(ServedStream& stream, shm::FrameRing& ring, shm::LeaseTable& leases,
                               StreamDetails details) {
    const std::lock_guard notices(stream.notices_mutex());
    stream.switch_to(ring, leases, details);
    const protocol::SegmentMessage notice = stream.segment();
    for (const auto& session : sessions()) {
        if (session->reads(stream)) {
            session->announce(notice);
        }
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
