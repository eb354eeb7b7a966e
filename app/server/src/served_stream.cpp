#include "framebridge/app/server/served_stream.hpp"

#include <algorithm>

namespace framebridge::app {

ServedStream::ServedStream(std::string name, shm::FrameRing& ring, shm::LeaseTable& leases,
                           StreamDetails details)
    : name_(std::move(name)), ring_(&ring), leases_(&leases), details_(details) {}

std::uint32_t ServedStream::max_leases() const noexcept {
    // The newest slot is never written, so a client may hold all the others; a client that
    // keeps them while none is free has its oldest taken back (LeaseTable), so it can never
    // stall the producer or anyone else.
    return std::max<std::uint32_t>(1, ring_->slot_count() - 1);
}

std::optional<protocol::StreamMessage> ServedStream::notice() const {
    if (live()) {
        return std::nullopt;
    }
    return state_;
}

void ServedStream::set_state(protocol::StreamState state, std::string why) {
    state_ = {state, std::move(why)};
    live_ = state == protocol::StreamState::Live;
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
    w.stream = name_;
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

void ServedStream::switch_to(shm::FrameRing& ring, shm::LeaseTable& leases, StreamDetails details) {
    ring_ = &ring;
    leases_ = &leases;
    ++generation_;
    const std::lock_guard lock(details_mutex_);
    details_ = details;
}

StreamInfo ServedStream::info() const {
    StreamInfo info;
    info.name = name_;
    {
        const std::lock_guard lock(details_mutex_);
        info.producer = details_.producer;
        info.geometry = details_.geometry;
        info.fps = details_.fps;
    }
    info.clients = readers_.load();
    info.newest_seq = leases().newest_seq();
    info.published = published_.load();
    return info;
}

}  // namespace framebridge::app
