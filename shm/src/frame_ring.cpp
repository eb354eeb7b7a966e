#include "framebridge/shm/frame_ring.hpp"

#include "framebridge/shm/segment_header_check.hpp"

#include <chrono>
#include <random>

namespace framebridge::shm {
namespace {

std::uint64_t random_session_id() {
    std::random_device entropy;
    std::uint64_t id = 0;
    while (id == 0) {
        id = (std::uint64_t{entropy()} << 32) ^ entropy();
    }
    return id;
}

std::uint64_t unix_now_ns() {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

void write_header(SegmentHeader& header, const RingLayout& layout) {
    header.layout_version = LAYOUT_VERSION;
    header.header_size = static_cast<std::uint32_t>(HEADER_BYTES);
    header.slot_count = layout.slot_count;
    header.descriptor_size = static_cast<std::uint32_t>(DESCRIPTOR_BYTES);
    header.descriptor_offset = HEADER_BYTES;
    header.slot_capacity = layout.slot_capacity;
    header.data_offset = layout.data_offset;
    header.segment_size = layout.segment_size;
    header.session_id = random_session_id();
    header.created_unix_ns = unix_now_ns();
    header.producer_pid = current_process_id();
    header.newest_seq.store(0, std::memory_order_relaxed);
    header.grant_offset = layout.grant_offset;
    header.grant_cells = GRANT_CELLS;
    // Written last, with release order, so a reader that sees the magic sees the rest.
    std::atomic_thread_fence(std::memory_order_release);
    header.magic = SEGMENT_MAGIC;
}

// Decides what to do about a segment that already holds our name: returns the pid of a
// dead producer (so the caller may replace it) or throws when it must be left alone.
std::uint32_t inspect_existing(const std::string& name) {
    const SharedSegment existing = SharedSegment::open(name, false);
    const auto verdict = check_existing_header(existing.data(), existing.size());
    if (verdict.kind == ExistingSegment::Foreign) {
        throw SegmentError(SegmentError::Reason::NotFrameBridge,
                           SharedSegment::location(name) +
                               " exists but is not a FrameBridge stream; choose another --name");
    }
    if (verdict.kind == ExistingSegment::Live) {
        throw SegmentError(SegmentError::Reason::InUse,
                           "stream '" + name + "' is already served by process " +
                               std::to_string(verdict.producer_pid) +
                               "; stop that server or choose another --name");
    }
    return verdict.producer_pid;
}

}  // namespace

FrameRing FrameRing::create(const std::string& name, std::uint32_t slot_count,
                            std::uint64_t slot_bytes) {
    const RingLayout layout = compute_ring_layout(slot_count, slot_bytes);
    std::optional<std::uint32_t> replaced;
    std::optional<SharedSegment> segment;
    try {
        segment.emplace(SharedSegment::create(name, layout.segment_size));
    } catch (const SegmentError& e) {
        if (e.reason() != SegmentError::Reason::AlreadyExists) {
            throw;
        }
        replaced = inspect_existing(name);
        SharedSegment::remove(name);
        segment.emplace(SharedSegment::create(name, layout.segment_size));
    }
    write_header(*reinterpret_cast<SegmentHeader*>(segment->data()), layout);
    FrameRing ring(std::move(*segment), true);
    ring.replaced_pid_ = replaced;
    return ring;
}

FrameRing FrameRing::open(const std::string& name) {
    SharedSegment segment = SharedSegment::open(name, false);
    const std::string problem = check_header(segment.data(), segment.size());
    if (!problem.empty()) {
        throw SegmentError(
            SegmentError::Reason::NotFrameBridge,
            SharedSegment::location(name) + " is not a usable FrameBridge stream: " + problem);
    }
    return FrameRing(std::move(segment), false);
}

FrameRing::FrameRing(SharedSegment segment, bool owner)
    : segment_(std::move(segment)), owner_(owner) {
    const SegmentHeader& h = header();
    layout_.slot_count = h.slot_count;
    layout_.grant_offset = h.grant_offset;
    layout_.slot_capacity = h.slot_capacity;
    layout_.data_offset = h.data_offset;
    layout_.segment_size = h.segment_size;
}

FrameRing::FrameRing(FrameRing&& other) noexcept
    : segment_(std::move(other.segment_)),
      layout_(other.layout_),
      owner_(other.owner_),
      replaced_pid_(other.replaced_pid_) {
    other.segment_.reset();
    other.owner_ = false;
}

FrameRing& FrameRing::operator=(FrameRing&& other) noexcept {
    if (this != &other) {
        remove_name();
        segment_ = std::move(other.segment_);
        layout_ = other.layout_;
        owner_ = other.owner_;
        replaced_pid_ = other.replaced_pid_;
        other.segment_.reset();
        other.owner_ = false;
    }
    return *this;
}

FrameRing::~FrameRing() {
    remove_name();
}

const std::string& FrameRing::name() const noexcept {
    return segment_->name();
}

void FrameRing::remove_name() noexcept {
    if (owner_ && segment_) {
        SharedSegment::remove(segment_->name());
    }
    owner_ = false;
}

const SegmentHeader& FrameRing::header() const noexcept {
    return mutable_header();
}

SegmentHeader& FrameRing::mutable_header() const noexcept {
    return *reinterpret_cast<SegmentHeader*>(segment_->data());
}

std::uint32_t FrameRing::slot_count() const noexcept {
    return layout_.slot_count;
}

std::uint64_t FrameRing::slot_capacity() const noexcept {
    return layout_.slot_capacity;
}

const SlotDescriptor& FrameRing::descriptor(std::uint32_t slot) const noexcept {
    return mutable_descriptor(slot);
}

SlotDescriptor& FrameRing::mutable_descriptor(std::uint32_t slot) const noexcept {
    return *reinterpret_cast<SlotDescriptor*>(segment_->data() + HEADER_BYTES +
                                              DESCRIPTOR_BYTES * slot);
}

std::byte* FrameRing::slot_data(std::uint32_t slot) const noexcept {
    return segment_->data() + layout_.data_offset + layout_.slot_capacity * slot;
}

std::optional<std::uint32_t> FrameRing::replaced_stale_producer() const noexcept {
    return replaced_pid_;
}

void FrameRing::begin_write(std::uint32_t slot) noexcept {
    mutable_descriptor(slot).sequence.store(0, std::memory_order_relaxed);
    // Readers must see the 0 before any of the new pixels.
    std::atomic_thread_fence(std::memory_order_release);
    mutable_descriptor(slot).metadata = FrameMetadata{};
}

void FrameRing::end_write(std::uint32_t slot, const FrameInfo& info) noexcept {
    SlotDescriptor& d = mutable_descriptor(slot);
    d.width = info.geometry.width;
    d.height = info.geometry.height;
    d.stride = info.geometry.stride();
    d.pixel_format = info.geometry.format;
    d.payload_size = info.geometry.payload_size();
    d.capture_ns = info.capture_ns;
    d.publish_ns = info.publish_ns;
    d.source_seq = info.source_seq;
    d.metadata = info.metadata;
    d.sequence.store(info.seq, std::memory_order_release);
    mutable_header().newest_seq.store(info.seq, std::memory_order_release);
}

SharedU64& FrameRing::grant_word(std::uint32_t cell) const noexcept {
    return *reinterpret_cast<SharedU64*>(segment_->data() + layout_.grant_offset +
                                         GRANT_CELL_BYTES * cell);
}

void FrameRing::clear_grant(std::uint32_t cell) noexcept {
    grant_word(cell).store(0, std::memory_order_release);
}

void FrameRing::grant(std::uint32_t cell, std::uint32_t slot, std::uint64_t seq) noexcept {
    grant_word(cell).store(seq << GRANT_SLOT_BITS | slot, std::memory_order_release);
}

std::uint64_t FrameRing::granted(std::uint32_t cell) const noexcept {
    return grant_word(cell).load(std::memory_order_acquire);
}

std::uint64_t FrameRing::slot_sequence(std::uint32_t slot) const noexcept {
    return descriptor(slot).sequence.load(std::memory_order_acquire);
}

std::uint64_t FrameRing::newest_seq() const noexcept {
    return header().newest_seq.load(std::memory_order_acquire);
}

}  // namespace framebridge::shm
