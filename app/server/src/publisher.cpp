#include "framebridge/app/server/publisher.hpp"

#include "framebridge/app/server/session_core.hpp"
#include "framebridge/app/server/stream_registry.hpp"
#include "framebridge/shm/monotonic_clock.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <spdlog/spdlog.h>

namespace framebridge::app {

using protocol::ErrorCode;

namespace {

SessionError name_taken(const std::string& name) {
    return SessionError(ErrorCode::StreamExists, "a stream named '" + name +
                                                     "' is already on this server; choose "
                                                     "another name");
}

std::uint32_t slots_of(const protocol::Publish& request, const SessionPolicy& policy) {
    if (request.slot_count == 0) {
        return policy.default_slots;
    }
    if (request.slot_count < shm::MIN_SLOTS || request.slot_count > shm::MAX_SLOTS) {
        throw SessionError(ErrorCode::BadMessage,
                           "PUBLISH slot count " + std::to_string(request.slot_count) +
                               " is outside " + std::to_string(shm::MIN_SLOTS) + ".." +
                               std::to_string(shm::MAX_SLOTS) + " (0 for the server's default)");
    }
    return request.slot_count;
}

shm::FrameGeometry geometry_of(const protocol::Publish& request) {
    const shm::FrameGeometry geometry{request.width, request.height,
                                      static_cast<shm::PixelFormat>(request.pixel_format)};
    if (shm::bytes_per_pixel(geometry.format) == 0) {
        throw SessionError(ErrorCode::BadMessage,
                           "PUBLISH pixel format " + std::to_string(request.pixel_format) +
                               " is not one of 1 (BGR8), 2 (GRAY8), 3 (BGRA8)");
    }
    try {
        shm::validate_geometry(geometry);
    } catch (const std::invalid_argument& e) {
        throw SessionError(ErrorCode::BadMessage, std::string("PUBLISH: ") + e.what());
    }
    return geometry;
}

}  // namespace

Publisher::Publisher(StreamRegistry& streams, const SessionPolicy& policy, StreamEvents events)
    : streams_(streams), policy_(policy), events_(std::move(events)) {}

Publisher::~Publisher() {
    close();
}

protocol::Bytes Publisher::publish(const protocol::Publish& request) {
    if (state_ != State::Unpublished) {
        throw SessionError(ErrorCode::BadMessage,
                           "a second PUBLISH ('" + request.name +
                               "'): a connection publishes one stream; open another connection");
    }
    try {
        shm::validate_segment_name(request.name);
    } catch (const std::invalid_argument& e) {
        throw SessionError(ErrorCode::BadMessage, std::string("PUBLISH: ") + e.what());
    }
    const shm::FrameGeometry geometry = geometry_of(request);
    const std::uint32_t slots = slots_of(request, policy_);
    const std::uint64_t bytes =
        shm::compute_ring_layout(slots, geometry.payload_size()).segment_size;
    if (policy_.max_publish_bytes != 0 && bytes > policy_.max_publish_bytes) {
        throw SessionError(
            ErrorCode::BadMessage,
            "PUBLISH of " + std::to_string(slots) + " slots of " + std::to_string(geometry.width) +
                "x" + std::to_string(geometry.height) + " needs " + std::to_string(bytes) +
                " bytes, over this server's limit of " + std::to_string(policy_.max_publish_bytes));
    }
    if (streams_.find(request.name)) {
        throw name_taken(request.name);
    }
    std::shared_ptr<PublishedStream> stream;
    try {
        stream = PublishedStream::create(request.name, geometry, slots, request.fps_milli / 1000.0);
    } catch (const shm::SegmentError& e) {
        if (e.reason() == shm::SegmentError::Reason::InUse) {
            throw name_taken(request.name);
        }
        throw SessionError(ErrorCode::BadMessage,
                           std::string("cannot make stream '") + request.name + "': " + e.what());
    }
    if (!streams_.add(PublishedStream::served(stream))) {
        throw name_taken(request.name);
    }
    stream_ = std::move(stream);
    state_ = State::Idle;
    protocol::Publishing answer;
    static_cast<protocol::SegmentDescription&>(answer) =
        PublishedStream::served(stream_)->segment();
    answer.max_leases = 0;  // a publisher holds no leases
    return protocol::encode(answer);
}

std::optional<protocol::Bytes> Publisher::write(std::uint64_t now_ns) {
    switch (state_) {
    case State::Unpublished:
        throw SessionError(ErrorCode::BadMessage, "WRITE before PUBLISH: publish a stream first");
    case State::Waiting:
        throw SessionError(ErrorCode::BadMessage,
                           "WRITE while another WRITE is outstanding: wait for its SLOT");
    case State::Lent:
        throw SessionError(ErrorCode::BadMessage, "WRITE while slot " + std::to_string(lent_slot_) +
                                                      " is lent: send DONE or CANCEL for it first");
    default:
        break;
    }
    state_ = State::Waiting;
    return retry_write(now_ns);
}

std::optional<protocol::Bytes> Publisher::retry_write(std::uint64_t now_ns) {
    if (state_ != State::Waiting) {
        return std::nullopt;
    }
    // The capture's rule: never the newest, never a leased slot; after 100 ms without one, the
    // lease table takes one back from the reader holding the most.
    const auto slot = stream_->leases().slot_to_write(now_ns);
    if (!slot) {
        return std::nullopt;
    }
    stream_->ring().begin_write(*slot);
    lent_slot_ = *slot;
    state_ = State::Lent;
    return protocol::encode(protocol::SlotMessage{*slot});
}

void Publisher::check_lent(std::uint32_t slot, const char* what) const {
    if (state_ != State::Lent || slot != lent_slot_) {
        throw SessionError(
            ErrorCode::BadMessage,
            std::string(what) + " for slot " + std::to_string(slot) +
                (state_ == State::Lent ? ", but the slot lent is " + std::to_string(lent_slot_)
                                       : std::string(", but no slot is lent (send WRITE first)")));
    }
}

void Publisher::done(const protocol::Done& done, std::uint64_t now_ns) {
    check_lent(done.slot, "DONE");
    const std::uint64_t seq = stream_->take_seq();
    // A capture time from the future (another clock) would make every latency negative.
    const std::uint64_t capture_ns =
        done.capture_ns == 0 || done.capture_ns > now_ns ? now_ns : done.capture_ns;
    // What the publisher wrote into the slot's metadata block while it held the slot (cleared
    // when it was lent); a bit that names no key is dropped.
    shm::FrameMetadata metadata = stream_->ring().descriptor(done.slot).metadata;
    metadata.reported &= shm::METADATA_KEYS_MASK;
    stream_->ring().end_write(
        done.slot, {seq, stream_->geometry(), capture_ns, now_ns, done.source_seq, metadata});
    stream_->leases().publish(done.slot, seq);
    state_ = State::Idle;
    if (events_.published) {
        events_.published(PublishedStream::served(stream_));
    }
}

void Publisher::cancel(const protocol::Cancel& cancel) {
    check_lent(cancel.slot, "CANCEL");
    // The slot's seqlock word stays 0: its old frame is gone, and the lease table writes it next.
    state_ = State::Idle;
}

void Publisher::close() {
    if (!stream_ || state_ == State::Closed) {
        return;
    }
    state_ = State::Closed;
    const std::shared_ptr<ServedStream> served = PublishedStream::served(stream_);
    streams_.remove(*served);
    stream_->ring().remove_name();
    spdlog::info("stream '{}' ended: its publisher closed it", served->name());
    if (events_.ended) {
        events_.ended(served, "the publisher '" + served->name() + "' closed the stream");
    }
}

}  // namespace framebridge::app
