#include "framebridge/app/server/client_session.hpp"

#include "framebridge/app/server/access_token.hpp"

#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/shm/monotonic_clock.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace framebridge::app {

namespace asio = boost::asio;
using protocol::ErrorCode;
using protocol::MessageType;

namespace {

// Far above what the credit flow lets build up (a FRAME and a notice or two); more means the
// client keeps asking while it does not read.
constexpr std::size_t MAX_QUEUED_MESSAGES = 64;

std::string describe_peer(const asio::ip::tcp::socket& socket) {
    boost::system::error_code ec;
    const auto endpoint = socket.remote_endpoint(ec);
    if (ec) {
        return "an unknown address";
    }
    return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

// A client on another host (or with a bad clock) can report times before the publish;
// such a sample says nothing about latency, so it is left out rather than wrapped around.
std::optional<std::uint64_t> elapsed(std::uint64_t from_ns, std::uint64_t to_ns) {
    if (to_ns < from_ns) {
        return std::nullopt;
    }
    return to_ns - from_ns;
}

}  // namespace

ClientSession::ClientSession(asio::ip::tcp::socket socket, std::uint32_t id, NotifyServer& server)
    : socket_(std::move(socket)),
      handshake_timer_(socket_.get_executor()),
      server_(server),
      peer_(describe_peer(socket_)) {
    stats_.id = id;
}

void ClientSession::start() {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    handshake_timer_.expires_after(server_.policy().handshake_timeout);
    handshake_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec && !self->greeted_) {
            self->fail(ErrorCode::BadMessage,
                       "no HELLO within " +
                           std::to_string(self->server_.policy().handshake_timeout.count()) +
                           " ms of connecting");
        }
    });
    read_header();
}

void ClientSession::read_header() {
    asio::async_read(socket_, asio::buffer(header_bytes_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                         if (self->closing_ || self->closed_) {
                             return;
                         }
                         if (ec) {
                             self->close(ec == asio::error::eof ? "disconnected" : ec.message());
                             return;
                         }
                         try {
                             const auto sender = protocol::Sender::Client;
                             self->read_body(protocol::parse_header(self->header_bytes_, sender));
                         } catch (const protocol::ProtocolError& e) {
                             self->fail(ErrorCode::BadMessage, e.what());
                         }
                     });
}

void ClientSession::read_body(protocol::MessageHeader header) {
    body_.resize(header.body_size);
    asio::async_read(
        socket_, asio::buffer(body_),
        [self = shared_from_this(), header](boost::system::error_code ec, std::size_t) {
            if (self->closing_ || self->closed_) {
                return;
            }
            if (ec) {
                self->close(ec == asio::error::eof ? "disconnected" : ec.message());
                return;
            }
            try {
                self->dispatch(header);
            } catch (const protocol::ProtocolError& e) {
                self->fail(ErrorCode::BadMessage, e.what());
                return;
            }
            if (!self->closing_ && !self->closed_) {
                self->read_header();
            }
        });
}

void ClientSession::dispatch(const protocol::MessageHeader& header) {
    if (!greeted_ && header.type != MessageType::Hello) {
        throw protocol::ProtocolError("the first message must be HELLO");
    }
    if (greeted_ && header.type == MessageType::Hello) {
        throw protocol::ProtocolError("HELLO sent twice");
    }
    switch (header.type) {
    case MessageType::Hello:
        on_hello(protocol::parse_hello(body_));
        break;
    case MessageType::Request:
        on_request(protocol::parse_request(body_));
        break;
    case MessageType::Release:
        on_release(protocol::parse_release(body_));
        break;
    default:
        throw protocol::ProtocolError("unexpected message type " +
                                      std::to_string(static_cast<int>(header.type)));
    }
}

void ClientSession::on_hello(const protocol::Hello& hello) {
    if (hello.magic != protocol::HELLO_MAGIC) {
        throw protocol::ProtocolError("not a FrameBridge client (HELLO magic " +
                                      std::to_string(hello.magic) + ")");
    }
    if (hello.protocol_version != protocol::PROTOCOL_VERSION) {
        fail(ErrorCode::VersionMismatch,
             "this server speaks protocol version " + std::to_string(protocol::PROTOCOL_VERSION) +
                 ", the client version " + std::to_string(hello.protocol_version) +
                 "; use the framebridge SDK that ships with this server");
        return;
    }
    check_token(hello.token);
    if (closing_) {
        return;
    }
    greeted_ = true;
    handshake_timer_.cancel();
    {
        const std::lock_guard lock(stats_mutex_);
        stats_.name = hello.name.empty() ? "unnamed" : hello.name;
        stats_.pid = hello.client_pid;
    }
    spdlog::info("{} connected from {}", label(), peer_);
    send(protocol::encode(server_.welcome(stats_.id)));
    if (const auto notice = server_.stream_notice()) {
        tell(*notice);
    }
}

void ClientSession::check_token(const std::string& token) {
    const std::string& expected = server_.policy().token;
    if (expected.empty()) {
        return;
    }
    if (token.empty()) {
        fail(ErrorCode::AccessDenied,
             "this server requires a token: pass it as fb.connect(..., token=...) or in the "
             "FRAMEBRIDGE_TOKEN environment variable");
    } else if (!tokens_match(token, expected)) {
        fail(ErrorCode::AccessDenied, "wrong token");
    }
}

void ClientSession::follow(const protocol::SegmentMessage& segment) {
    if (greeted_ && !closing_ && !closed_) {
        send(protocol::encode(segment));
    }
}

std::size_t ClientSession::held_in_current_generation() const {
    return static_cast<std::size_t>(
        std::count_if(held_.begin(), held_.end(),
                      [this](const HeldFrame& h) { return h.generation == server_.generation(); }));
}

void ClientSession::tell(const protocol::StreamMessage& state) {
    if (greeted_ && !closing_ && !closed_) {
        send(protocol::encode(state));
    }
}

void ClientSession::on_request(const protocol::Request& request) {
    if (pending_after_seq_) {
        throw protocol::ProtocolError("REQUEST sent while another is still outstanding");
    }
    if (held_in_current_generation() >= server_.max_leases()) {
        fail(ErrorCode::LeaseLimit,
             "client holds " + std::to_string(held_in_current_generation()) +
                 " frame(s), the limit is " + std::to_string(server_.max_leases()) +
                 "; release one before asking for another (or start the server with more --slots)");
        return;
    }
    pending_after_seq_ = request.after_seq;
    offer_newest();
}

void ClientSession::offer_newest() {
    if (!pending_after_seq_ || closing_ || closed_ || !server_.serving()) {
        return;
    }
    const auto lease = server_.leases().lease_newest(*pending_after_seq_, stats_.id);
    if (!lease) {
        return;
    }
    pending_after_seq_.reset();
    const shm::SlotDescriptor& d = server_.ring().descriptor(lease->slot);
    held_.push_back({*lease, d.publish_ns, server_.generation()});
    protocol::FrameMessage frame;
    frame.slot = lease->slot;
    frame.pixel_format = static_cast<std::uint32_t>(d.pixel_format);
    frame.seq = lease->seq;
    frame.width = d.width;
    frame.height = d.height;
    frame.stride = d.stride;
    frame.payload_size = d.payload_size;
    frame.capture_ns = d.capture_ns;
    frame.publish_ns = d.publish_ns;
    {
        const std::lock_guard lock(stats_mutex_);
        ++stats_.frames;
        if (last_sent_seq_ != 0 && lease->seq > last_sent_seq_ + 1) {
            stats_.skipped += lease->seq - last_sent_seq_ - 1;
        }
        stats_.held = static_cast<std::uint32_t>(held_.size());
    }
    last_sent_seq_ = lease->seq;
    send(protocol::encode(frame));
}

void ClientSession::on_release(const protocol::Release& release) {
    const auto held = std::find_if(held_.begin(), held_.end(), [&](const HeldFrame& h) {
        return h.lease == shm::Lease{release.slot, release.seq};
    });
    if (held == held_.end()) {
        throw protocol::ProtocolError("RELEASE of slot " + std::to_string(release.slot) + " seq " +
                                      std::to_string(release.seq) +
                                      ", which this client does not hold");
    }
    if (held->generation == server_.generation()) {
        // False when the lease was taken back: the client learns that from the seqlock.
        server_.leases().release(held->lease, stats_.id);
    }
    const std::uint64_t publish_ns = held->publish_ns;
    held_.erase(held);
    const std::uint64_t now = shm::monotonic_now_ns();
    const std::lock_guard lock(stats_mutex_);
    stats_.held = static_cast<std::uint32_t>(held_.size());
    if (const auto ready = elapsed(publish_ns, release.receive_ns)) {
        ready_window_.add(now, *ready);
    }
    if (const auto hold = elapsed(release.receive_ns, release.done_ns)) {
        hold_window_.add(now, *hold);
    }
}

void ClientSession::send(protocol::Bytes message) {
    outbox_.push(std::move(message));
    if (outbox_.size() > MAX_QUEUED_MESSAGES) {
        stopped_reading(std::to_string(outbox_.size()) + " messages waiting");
        return;
    }
    if (outbox_.size() == 1) {
        write_next();
    }
    // After write_next(): stats() must never pair a new message with an old start time.
    queued_ = static_cast<std::uint32_t>(outbox_.size());
}

void ClientSession::close_if_stalled() {
    if (outbox_.empty() || closed_) {
        return;
    }
    const std::uint64_t waited_ns = shm::monotonic_now_ns() - write_started_ns_;
    const auto limit = std::chrono::nanoseconds(server_.policy().stall_timeout);
    if (waited_ns > static_cast<std::uint64_t>(limit.count())) {
        stopped_reading(fmt::format("{} message(s) waiting for {:.1f} s", outbox_.size(),
                                    static_cast<double>(waited_ns) / 1e9));
    }
}

void ClientSession::stopped_reading(const std::string& what) {
    spdlog::warn("{} from {} stopped reading ({}); disconnecting it", label(), peer_, what);
    const bool counted_already = closing_;  // for the error it was being sent
    close("stopped reading");
    // Only once it is gone, so the count and the list of clients never disagree.
    if (!counted_already) {
        server_.count_stopped_reading();
    }
}

void ClientSession::write_next() {
    write_started_ns_ = shm::monotonic_now_ns();
    asio::async_write(socket_, asio::buffer(outbox_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          if (self->closed_) {
                              return;
                          }
                          if (ec) {
                              self->close(ec.message());
                              return;
                          }
                          self->outbox_.pop_front();
                          if (!self->outbox_.empty()) {
                              self->write_next();
                          } else if (self->closing_) {
                              self->close("closed after a protocol error");
                          }
                          self->queued_ = static_cast<std::uint32_t>(self->outbox_.size());
                      });
}

void ClientSession::fail(ErrorCode code, const std::string& text) {
    if (closing_ || closed_) {
        return;
    }
    spdlog::warn("{} from {}: {}; closing its connection", label(), peer_, text);
    if (code == ErrorCode::AccessDenied) {
        server_.count_refused();
    } else {
        server_.count_bad_message();
    }
    closing_ = true;
    handshake_timer_.cancel();
    send(protocol::encode(protocol::ErrorMessage{code, text}));
}

void ClientSession::close(const std::string& why) {
    if (closed_) {
        return;
    }
    closed_ = true;
    closing_ = true;
    handshake_timer_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_.leases().release_all(stats_.id);
    if (greeted_) {
        spdlog::info("{} left ({}), {} frame(s) given back", label(), why, held_.size());
    }
    held_.clear();
    {
        const std::lock_guard lock(stats_mutex_);
        stats_.held = 0;
    }
    server_.forget(stats_.id);
}

ClientStats ClientSession::stats() const {
    const std::uint64_t now = shm::monotonic_now_ns();
    const std::lock_guard lock(stats_mutex_);
    ClientStats copy = stats_;
    copy.revoked = server_.leases().revoked(stats_.id);
    copy.queued = queued_.load();
    const std::uint64_t started = write_started_ns_.load();
    copy.waiting_ns = copy.queued > 0 && now > started ? now - started : 0;
    copy.ready = ready_window_.summary(now);
    copy.hold = hold_window_.summary(now);
    return copy;
}

std::string ClientSession::label() const {
    const std::lock_guard lock(stats_mutex_);
    if (stats_.name.empty()) {
        return "client " + std::to_string(stats_.id);
    }
    return "client " + std::to_string(stats_.id) + " '" + stats_.name + "' (pid " +
           std::to_string(stats_.pid) + ")";
}

}  // namespace framebridge::app
