#include "framebridge/app/server/client_session.hpp"

#include "framebridge/app/server/send_without_waiting.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace framebridge::app {

namespace asio = boost::asio;
using protocol::ErrorCode;
using Lock = std::lock_guard<std::recursive_mutex>;

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

std::string describe(const boost::system::error_code& ec) {
    return ec == asio::error::eof ? "disconnected" : ec.message();
}

}  // namespace

ClientSession::ClientSession(asio::ip::tcp::socket socket, std::uint32_t id, SessionContext context)
    : socket_(std::move(socket)),
      handshake_timer_(socket_.get_executor()),
      write_timer_(socket_.get_executor()),
      context_(std::move(context)),
      core_(id, context_.streams, context_.policy, context_.events),
      peer_(describe_peer(socket_)) {}

void ClientSession::start() {
    const Lock lock(mutex_);
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    handshake_timer_.expires_after(context_.policy.handshake_timeout);
    handshake_timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        self->on_handshake_timeout(ec);
    });
    read_header();
}

bool ClientSession::reading() const noexcept {
    const SessionPhase phase = core_.phase();
    return phase == SessionPhase::Handshake || phase == SessionPhase::Open;
}

void ClientSession::on_handshake_timeout(const boost::system::error_code& ec) {
    const Lock lock(mutex_);
    if (!ec && core_.phase() == SessionPhase::Handshake) {
        fail(ErrorCode::BadMessage, "no HELLO within " +
                                        std::to_string(context_.policy.handshake_timeout.count()) +
                                        " ms of connecting");
    }
}

void ClientSession::read_header() {
    asio::async_read(socket_, asio::buffer(header_bytes_),
                     [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                         self->on_header_read(ec);
                     });
}

void ClientSession::on_header_read(const boost::system::error_code& ec) {
    const Lock lock(mutex_);
    if (!reading()) {
        return;
    }
    if (ec) {
        close(describe(ec));
        return;
    }
    protocol::MessageHeader header;
    try {
        header = protocol::parse_header(header_bytes_, protocol::Sender::Client);
    } catch (const protocol::ProtocolError& e) {
        fail(ErrorCode::BadMessage, e.what());
        return;
    }
    body_.resize(header.body_size);
    asio::async_read(
        socket_, asio::buffer(body_),
        [self = shared_from_this(), header](boost::system::error_code body_ec, std::size_t) {
            self->on_body_read(body_ec, header);
        });
}

void ClientSession::on_body_read(const boost::system::error_code& ec,
                                 protocol::MessageHeader header) {
    const Lock lock(mutex_);
    if (!reading()) {
        return;
    }
    if (ec) {
        close(describe(ec));
        return;
    }
    const bool was_greeted = core_.phase() == SessionPhase::Open;
    try {
        for (auto& reply : core_.receive(header, body_, shm::monotonic_now_ns())) {
            send(std::move(reply));
        }
        context_.readers_changed();
        if (core_.write_waiting()) {
            wait_for_free_slot();
        }
    } catch (const SessionError& e) {
        fail(e.code(), e.what());
        return;
    }
    if (!was_greeted && core_.phase() == SessionPhase::Open) {
        handshake_timer_.cancel();
        spdlog::info("{} connected from {}", core_.label(), peer_);
    }
    if (reading()) {
        read_header();
    }
}

// Never blocks the io thread: readers may hold every free slot, and the lease table takes one
// back only once none has been free for a while, so the WRITE asks again on a short timer.
void ClientSession::wait_for_free_slot() {
    write_timer_.expires_after(context_.policy.write_retry);
    write_timer_.async_wait(
        [self = shared_from_this()](boost::system::error_code ec) { self->on_write_retry(ec); });
}

void ClientSession::on_write_retry(const boost::system::error_code& ec) {
    const Lock lock(mutex_);
    if (ec || !reading()) {
        return;
    }
    if (auto slot = core_.retry_write(shm::monotonic_now_ns())) {
        send(std::move(*slot));
    } else if (core_.write_waiting()) {
        wait_for_free_slot();
    }
}

void ClientSession::offer_newest() {
    const Lock lock(mutex_);
    if (auto frame = core_.offer_newest()) {
        send(std::move(*frame));
        context_.readers_changed();
    }
}

bool ClientSession::send_at_publish() {
    std::unique_lock lock(mutex_, std::try_to_lock);
    // Whatever is being written goes first: the io thread queues the FRAME behind it.
    if (!lock.owns_lock() || writing_) {
        return false;
    }
    auto frame = core_.offer_newest();
    if (!frame) {
        return true;
    }
    const std::size_t sent = send_without_waiting(socket_, *frame);
    if (sent == frame->size()) {
        ++sent_at_publish_;
    } else {
        // Sockets are the io thread's to wait on: it writes the rest.
        outbox_.push_frame_rest(std::move(*frame), sent);
        writing_ = true;
        write_started_ns_ = shm::monotonic_now_ns();
        queued_ = 1;
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->resume_writing(); });
    }
    lock.unlock();
    context_.readers_changed();
    return true;
}

void ClientSession::resume_writing() {
    const Lock lock(mutex_);
    if (core_.phase() != SessionPhase::Closed) {
        write_next();
    }
}

void ClientSession::announce(const protocol::SegmentMessage& segment) {
    const Lock lock(mutex_);
    if (auto message = core_.announce(segment)) {
        send(std::move(*message));
    }
}

void ClientSession::announce(const protocol::StreamMessage& state) {
    const Lock lock(mutex_);
    if (auto message = core_.announce(state)) {
        send(std::move(*message));
    }
}

void ClientSession::send(protocol::Bytes message) {
    outbox_.push(std::move(message));
    after_queued();
}

void ClientSession::send_result(const std::shared_ptr<const protocol::Bytes>& result_from) {
    const Lock lock(mutex_);
    if (core_.phase() != SessionPhase::Open) {
        return;
    }
    outbox_.push_result(result_from);
    results_skipped_ = outbox_.results_skipped();
    after_queued();
}

void ClientSession::after_queued() {
    if (outbox_.counted_size() > MAX_QUEUED_MESSAGES) {
        stopped_reading(std::to_string(outbox_.counted_size()) + " messages waiting");
        return;
    }
    if (!writing_) {
        write_next();
    }
    // After write_next(): stats() must never pair a new message with an old start time.
    queued_ = static_cast<std::uint32_t>(outbox_.size());
}

void ClientSession::write_next() {
    writing_ = true;
    write_started_ns_ = shm::monotonic_now_ns();
    const Outbox::Parts parts = outbox_.front();
    const std::array<asio::const_buffer, 2> buffers{
        asio::buffer(parts.own), asio::const_buffer(parts.shared, parts.shared_size)};
    asio::async_write(socket_, buffers,
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                          self->on_written(ec);
                      });
}

void ClientSession::on_written(const boost::system::error_code& ec) {
    const Lock lock(mutex_);
    if (core_.phase() == SessionPhase::Closed) {
        return;
    }
    if (ec) {
        close(ec.message());
        return;
    }
    outbox_.pop_front();
    if (!outbox_.empty()) {
        write_next();
        return;
    }
    writing_ = false;
    if (core_.phase() == SessionPhase::Closing) {
        close("closed after a protocol error");
    }
    queued_ = static_cast<std::uint32_t>(outbox_.size());
}

void ClientSession::close_if_stalled() {
    const Lock lock(mutex_);
    if (outbox_.empty() || core_.phase() == SessionPhase::Closed) {
        return;
    }
    const std::uint64_t waited_ns = shm::monotonic_now_ns() - write_started_ns_;
    const auto limit = std::chrono::nanoseconds(context_.policy.stall_timeout);
    if (waited_ns > static_cast<std::uint64_t>(limit.count())) {
        stopped_reading(fmt::format("{} message(s) waiting for {:.1f} s", outbox_.size(),
                                    static_cast<double>(waited_ns) / 1e9));
    }
}

void ClientSession::stopped_reading(const std::string& what) {
    spdlog::warn("{} from {} stopped reading ({}); disconnecting it", core_.label(), peer_, what);
    const bool counted_already = core_.phase() == SessionPhase::Closing;  // for its ERROR
    close("stopped reading");
    // Only once it is gone, so the count and the list of clients never disagree.
    if (!counted_already) {
        ++context_.counters.stopped_reading;
    }
}

void ClientSession::fail(ErrorCode code, const std::string& text) {
    if (!reading()) {
        return;
    }
    spdlog::warn("{} from {}: {}; closing its connection", core_.label(), peer_, text);
    if (code == ErrorCode::AccessDenied) {
        ++context_.counters.refused;
    } else {
        ++context_.counters.bad_messages;
    }
    core_.closing();
    handshake_timer_.cancel();
    send(protocol::encode(protocol::ErrorMessage{code, text}));
}

void ClientSession::close(const std::string& why) {
    const Lock lock(mutex_);
    if (core_.phase() == SessionPhase::Closed) {
        return;
    }
    handshake_timer_.cancel();
    write_timer_.cancel();
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    const std::size_t given_back = core_.close();
    if (core_.greeted()) {
        spdlog::info("{} left ({}), {} frame(s) given back", core_.label(), why, given_back);
    }
    context_.closed(core_.id());
    context_.readers_changed();
}

ClientStats ClientSession::stats() const {
    const std::uint64_t now = shm::monotonic_now_ns();
    ClientStats copy = core_.stats(now);
    copy.queued = queued_.load();
    copy.results_skipped = results_skipped_.load();
    copy.sent_at_publish = sent_at_publish_.load();
    const std::uint64_t started = write_started_ns_.load();
    copy.waiting_ns = copy.queued > 0 && now > started ? now - started : 0;
    return copy;
}

}  // namespace framebridge::app
