#include "framebridge/app/server/session_core.hpp"

#include "framebridge/app/server/access_token.hpp"
#include "framebridge/app/server/served_stream.hpp"
#include "framebridge/app/server/stream_registry.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <algorithm>

namespace framebridge::app {

static_assert(shm::GRANT_CELLS == protocol::MAX_GRANT_CELLS, "CELL names a cell of the segment");

using protocol::ErrorCode;
using protocol::MessageType;

SessionCore::SessionCore(std::uint32_t id, StreamRegistry& streams, const SessionPolicy& policy,
                         StreamEvents events)
    : id_(id),
      streams_(streams),
      policy_(policy),
      relay_result_(events.result),
      publisher_(streams, policy, std::move(events)) {
    stats_.id = id;
}

std::vector<protocol::Bytes> SessionCore::receive(const protocol::MessageHeader& header,
                                                  const protocol::Bytes& body,
                                                  std::uint64_t now_ns) {
    if (phase_ != SessionPhase::Handshake && phase_ != SessionPhase::Open) {
        return {};
    }
    try {
        if (phase_ == SessionPhase::Handshake && header.type != MessageType::Hello) {
            throw protocol::ProtocolError("the first message must be HELLO");
        }
        if (header.type == MessageType::Hello) {
            if (phase_ == SessionPhase::Open) {
                throw protocol::ProtocolError("HELLO sent twice");
            }
            return on_hello(protocol::parse_hello(body));
        }
        return on_open_message(header, body, now_ns);
    } catch (const protocol::ProtocolError& e) {
        throw SessionError(ErrorCode::BadMessage, e.what());
    }
}

std::vector<protocol::Bytes> SessionCore::on_open_message(const protocol::MessageHeader& header,
                                                          const protocol::Bytes& body,
                                                          std::uint64_t now_ns) {
    switch (header.type) {
    case MessageType::Request:
        if (auto frame = on_request(protocol::parse_request(body))) {
            return {std::move(*frame)};
        }
        return {};
    case MessageType::Release:
        on_release(protocol::parse_release(body), now_ns);
        return {};
    case MessageType::List:
        return {list_streams()};
    case MessageType::Publish:
        return {on_publish(protocol::parse_publish(body))};
    case MessageType::Write:
        if (auto slot = publisher_.write(now_ns)) {
            return {std::move(*slot)};
        }
        return {};
    case MessageType::Done:
        publisher_.done(protocol::parse_done(body), now_ns);
        return {};
    case MessageType::Cancel:
        publisher_.cancel(protocol::parse_cancel(body));
        return {};
    case MessageType::Result:
        on_result(body, now_ns);
        return {};
    case MessageType::Watch:
        watching_ = protocol::parse_watch(body).watch;
        return {};
    case MessageType::Spin:
        return {on_spin()};
    default:
        throw protocol::ProtocolError("unexpected message type " +
                                      std::to_string(static_cast<int>(header.type)));
    }
}

std::shared_ptr<ServedStream> SessionCore::stream_named(const std::string& name) const {
    if (auto stream = streams_.find(name)) {
        return stream;
    }
    const std::string names = streams_.names();
    if (name.empty()) {
        throw SessionError(ErrorCode::StreamNotFound,
                           "this server has no stream yet; try again once it serves one");
    }
    throw SessionError(ErrorCode::StreamNotFound,
                       "no stream named '" + name + "' on this server; it has: " +
                           (names.empty() ? std::string("none") : names));
}

protocol::Bytes SessionCore::list_streams() const {
    protocol::StreamsMessage list;
    for (const auto& stream : streams_.all()) {
        const StreamInfo info = stream->info();
        list.streams.push_back({info.geometry.width, info.geometry.height,
                                static_cast<std::uint32_t>(info.geometry.format), info.producer,
                                static_cast<std::uint32_t>(info.fps * 1000.0 + 0.5), info.clients,
                                info.newest_seq, info.name});
    }
    return protocol::encode(list);
}

std::optional<protocol::Bytes> SessionCore::retry_write(std::uint64_t now_ns) {
    if (phase_ != SessionPhase::Open) {
        return std::nullopt;
    }
    return publisher_.retry_write(now_ns);
}

std::vector<protocol::Bytes> SessionCore::on_hello(const protocol::Hello& hello) {
    if (hello.magic != protocol::HELLO_MAGIC) {
        throw protocol::ProtocolError("not a FrameBridge client (HELLO magic " +
                                      std::to_string(hello.magic) + ")");
    }
    if (hello.protocol_version != protocol::PROTOCOL_VERSION) {
        throw SessionError(ErrorCode::VersionMismatch,
                           "this server speaks protocol version " +
                               std::to_string(protocol::PROTOCOL_VERSION) +
                               ", the client version " + std::to_string(hello.protocol_version) +
                               "; use the framebridge SDK that ships with this server");
    }
    check_token(hello.token);
    stream_ = stream_named(hello.stream);
    reading_ = stream_.get();
    count_as_reader(true);
    phase_ = SessionPhase::Open;
    hello_name_ = hello.name;
    {
        const std::lock_guard lock(stats_mutex_);
        stats_.name = hello.name.empty() ? "unnamed" : hello.name;
        stats_.pid = hello.client_pid;
    }
    std::vector<protocol::Bytes> replies{protocol::encode(stream_->welcome(id_))};
    if (const auto notice = stream_->notice()) {
        replies.push_back(protocol::encode(*notice));
    }
    return replies;
}

void SessionCore::check_token(const std::string& token) const {
    const std::string& expected = policy_.token;
    if (expected.empty()) {
        return;
    }
    if (token.empty()) {
        throw SessionError(
            ErrorCode::AccessDenied,
            "this server requires a token: pass it as fb.connect(..., token=...) or in the "
            "FRAMEBRIDGE_TOKEN environment variable");
    }
    if (!tokens_match(token, expected)) {
        throw SessionError(ErrorCode::AccessDenied, "wrong token");
    }
}

std::optional<protocol::Bytes> SessionCore::announce(
    const protocol::SegmentMessage& segment) const {
    if (phase_ != SessionPhase::Open) {
        return std::nullopt;
    }
    return protocol::encode(segment);
}

std::optional<protocol::Bytes> SessionCore::announce(const protocol::StreamMessage& state) const {
    if (phase_ != SessionPhase::Open) {
        return std::nullopt;
    }
    return protocol::encode(state);
}

std::size_t SessionCore::held_in_current_generation() const {
    return static_cast<std::size_t>(std::count_if(
        held_.begin(), held_.end(),
        [this](const HeldFrame& h) { return h.generation == stream_->generation(); }));
}

protocol::Bytes SessionCore::on_publish(const protocol::Publish& request) {
    protocol::Bytes reply = publisher_.publish(request);
    {
        const std::lock_guard lock(stats_mutex_);
        stats_.publishes = request.name;
    }
    if (last_sent_seq_.load() == 0 && !pending_after_seq_) {
        count_as_reader(false);
    }
    return reply;
}

void SessionCore::count_as_reader(bool counted) {
    if (counted_as_reader_.exchange(counted) == counted) {
        return;
    }
    if (counted) {
        stream_->reader_joined();
    } else {
        stream_->reader_left();
    }
    // The statistics name the stream only while it counts among its readers, so a publisher's
    // line does not claim it reads the stream its HELLO had to name.
    const std::lock_guard lock(stats_mutex_);
    stats_.stream = counted ? stream_->name() : std::string();
}

std::optional<protocol::Bytes> SessionCore::on_request(const protocol::Request& request) {
    count_as_reader(true);
    if (pending_after_seq_) {
        throw protocol::ProtocolError("REQUEST sent while another is still outstanding");
    }
    const std::size_t held = held_in_current_generation();
    if (held >= stream_->max_leases()) {
        throw SessionError(
            ErrorCode::LeaseLimit,
            "client holds " + std::to_string(held) + " frame(s), the limit is " +
                std::to_string(stream_->max_leases()) +
                "; release one before asking for another (or start the server with more --slots)");
    }
    pending_after_seq_ = request.after_seq;
    waiting_ = true;
    return offer_newest();
}

std::optional<protocol::Bytes> SessionCore::offer_newest() {
    if (!pending_after_seq_ || phase_ != SessionPhase::Open || !stream_->live()) {
        return std::nullopt;
    }
    const auto lease = stream_->leases().lease_newest(*pending_after_seq_, id_);
    if (!lease) {
        return std::nullopt;
    }
    pending_after_seq_.reset();
    waiting_ = false;
    const shm::SlotDescriptor& d = stream_->ring().descriptor(lease->slot);
    held_.push_back({*lease, d.publish_ns, stream_->generation()});
    if (grant_cell_) {
        stream_->ring().grant(*grant_cell_, lease->slot, lease->seq);
    }
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
    frame.source_seq = d.source_seq;
    {
        const std::lock_guard lock(stats_mutex_);
        ++stats_.frames;
        const std::uint64_t last = last_sent_seq_.load();
        if (last != 0 && lease->seq > last + 1) {
            stats_.skipped += lease->seq - last - 1;
        }
        stats_.held = static_cast<std::uint32_t>(held_.size());
    }
    last_sent_seq_ = lease->seq;
    return protocol::encode(frame);
}

protocol::Bytes SessionCore::on_spin() {
    if (!grant_cell_) {
        grant_cell_ = stream_->grant_cells().lend();
        if (grant_cell_) {
            // Its last reader's frame is not this one's to take.
            stream_->ring().clear_grant(*grant_cell_);
        }
    }
    return protocol::encode(
        protocol::CellMessage{grant_cell_.value_or(protocol::CellMessage::NO_CELL)});
}

void SessionCore::on_release(const protocol::Release& release, std::uint64_t now_ns) {
    const auto held = std::find_if(held_.begin(), held_.end(), [&](const HeldFrame& h) {
        return h.lease == shm::Lease{release.slot, release.seq};
    });
    if (held == held_.end()) {
        throw protocol::ProtocolError("RELEASE of slot " + std::to_string(release.slot) + " seq " +
                                      std::to_string(release.seq) +
                                      ", which this client does not hold");
    }
    if (held->generation == stream_->generation()) {
        // False when the lease was taken back: the client learns that from the seqlock.
        stream_->leases().release(held->lease, id_);
    }
    const std::uint64_t publish_ns = held->publish_ns;
    held_.erase(held);
    count_timings(publish_ns, release, now_ns);
}

void SessionCore::count_timings(std::uint64_t publish_ns, const protocol::Release& release,
                                std::uint64_t now_ns) {
    const std::lock_guard lock(stats_mutex_);
    stats_.held = static_cast<std::uint32_t>(held_.size());
    if (release.receive_ns == 0 && release.done_ns == 0) {
        return;  // a client that does not measure
    }
    // Times from another clock (wall-clock, another host) or in the wrong order say nothing
    // about latency: they are counted as such and left out, never wrapped around.
    const bool in_order = publish_ns <= release.receive_ns &&
                          release.receive_ns <= release.done_ns && release.done_ns <= now_ns;
    if (!in_order) {
        ++stats_.bad_timings;
        return;
    }
    ready_window_.add(now_ns, release.receive_ns - publish_ns);
    hold_window_.add(now_ns, release.done_ns - release.receive_ns);
}

void SessionCore::on_result(const protocol::Bytes& body, std::uint64_t now_ns) {
    ResultEvent event{stream_->name(), id_, hello_name_, now_ns, protocol::parse_result(body)};
    {
        const std::lock_guard lock(stats_mutex_);
        ++stats_.results;
        // A frame's capture time from another clock, or none, measures nothing.
        const std::uint64_t capture_ns = event.result.capture_ns;
        if (capture_ns != 0 && capture_ns <= now_ns) {
            result_window_.add(now_ns, now_ns - capture_ns);
        }
    }
    if (relay_result_) {
        relay_result_(*stream_, event, body);
    }
}

void SessionCore::closing() noexcept {
    if (phase_ != SessionPhase::Closed) {
        phase_ = SessionPhase::Closing;
    }
}

std::size_t SessionCore::close() {
    const bool was_reading = phase_ != SessionPhase::Closed && stream_;
    phase_ = SessionPhase::Closed;
    publisher_.close();
    if (was_reading) {
        stream_->leases().release_all(id_);
        count_as_reader(false);
    }
    if (grant_cell_) {
        stream_->grant_cells().give_back(*grant_cell_);
        grant_cell_.reset();
    }
    const std::size_t given_back = held_.size();
    held_.clear();
    pending_after_seq_.reset();
    waiting_ = false;
    const std::lock_guard lock(stats_mutex_);
    stats_.held = 0;
    stats_.publishes.clear();
    return given_back;
}

bool SessionCore::greeted() const {
    const std::lock_guard lock(stats_mutex_);
    return !stats_.name.empty();
}

std::string SessionCore::label() const {
    const std::lock_guard lock(stats_mutex_);
    if (stats_.name.empty()) {
        return "client " + std::to_string(stats_.id);
    }
    return "client " + std::to_string(stats_.id) + " '" + stats_.name + "' (pid " +
           std::to_string(stats_.pid) + ")";
}

ClientStats SessionCore::stats(std::uint64_t now_ns) const {
    const std::lock_guard lock(stats_mutex_);
    ClientStats copy = stats_;
    const ServedStream* reading = reading_.load();
    copy.revoked = reading ? reading->leases().revoked(id_) : 0;
    copy.waiting = waiting_.load();
    copy.ready = ready_window_.summary(now_ns);
    copy.hold = hold_window_.summary(now_ns);
    copy.to_result = result_window_.summary(now_ns);
    return copy;
}

}  // namespace framebridge::app
