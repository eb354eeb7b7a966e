#include "framebridge/app/server/served_stream.hpp"

#include <algorithm>

namespace framebridge::app {

namespace {

// The stream a segment serves: its name without a Windows namespace or generation.
std::string stream_name(const std::string& segment_name) {
    const auto slash = segment_name.rfind('\\');
    const std::string stream =
        slash == std::string::npos ? segment_name : segment_name.substr(slash + 1);
    return stream.substr(0, stream.find('@'));
}

}  // namespace

ServedStream::ServedStream(shm::FrameRing& ring, shm::LeaseTable& leases)
    : ring_(&ring), leases_(&leases) {}

std::uint32_t ServedStream::max_leases() const noexcept {
    // The newest slot is never written, so a client may hold all the others; a client that
    // keeps them while none is free has its oldest taken back (LeaseTable), so it can never
    // stall the producer or anyone else.
    return std::max<std::uint32_t>(1, ring_->slot_count() - 1);
}

bool ServedStream::live() const noexcept {
    return state_.state == protocol::StreamState::Live;
}

std::optional<protocol::StreamMessage> ServedStream::notice() const {
    if (live()) {
        return std::nullopt;
    }
    return state_;
}

void ServedStream::set_state(protocol::StreamState state, std::string why) {
    state_ = {state, std::move(why)};
}

protocol::Welcome ServedStream::welcome(std::uint32_t client_id) const {
    const protocol::SegmentMessage s = segment();
    protocol::Welcome w;
    w.layout_version = s.layout_version;
    w.segment_size = s.segment_size;
    w.session_id = s.session_id;
    w.slot_count = s.slot_count;
    w.max_leases = s.max_leases;
    w.client_id = client_id;
    w.segment_name = s.segment_name;
    w.stream = stream_name(s.segment_name);
    return w;
}

protocol::SegmentMessage ServedStream::segment() const {
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

void ServedStream::switch_to(shm::FrameRing& ring, shm::LeaseTable& leases) {
    ring_ = &ring;
    leases_ = &leases;
    ++generation_;
}

}  // namespace framebridge::app
