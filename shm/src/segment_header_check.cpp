#include "framebridge/shm/segment_header_check.hpp"

#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <algorithm>

namespace framebridge::shm {
namespace {

std::string mismatch(const char* field, std::uint64_t found, std::uint64_t expected) {
    return std::string(field) + " is " + std::to_string(found) + ", expected " +
           std::to_string(expected);
}

}  // namespace

std::string check_header(const std::byte* bytes, std::uint64_t size) {
    if (size < HEADER_BYTES) {
        return "it is " + std::to_string(size) + " bytes, smaller than the " +
               std::to_string(HEADER_BYTES) + "-byte header";
    }
    const auto& h = *reinterpret_cast<const SegmentHeader*>(bytes);
    if (h.magic != SEGMENT_MAGIC) {
        return "its magic number is wrong";
    }
    if (h.layout_version != LAYOUT_VERSION) {
        return mismatch("layout version", h.layout_version, LAYOUT_VERSION);
    }
    if (h.header_size != HEADER_BYTES || h.descriptor_size != DESCRIPTOR_BYTES ||
        h.descriptor_offset != HEADER_BYTES) {
        return "header or descriptor size does not match its layout version";
    }
    if (h.slot_count < MIN_SLOTS || h.slot_count > MAX_SLOTS) {
        return "slot count " + std::to_string(h.slot_count) + " is outside " +
               std::to_string(MIN_SLOTS) + ".." + std::to_string(MAX_SLOTS);
    }
    if (h.segment_size > size) {
        return mismatch("segment size", h.segment_size, size);
    }
    const std::uint64_t descriptors_end = HEADER_BYTES + DESCRIPTOR_BYTES * h.slot_count;
    if (h.data_offset < descriptors_end || h.data_offset % PAGE_BYTES != 0 ||
        h.slot_capacity == 0 || h.slot_capacity % PAGE_BYTES != 0 ||
        h.slot_capacity >
            (h.segment_size - std::min(h.data_offset, h.segment_size)) / h.slot_count) {
        return "its slots do not fit its " + std::to_string(h.segment_size) + " bytes";
    }
    // Differences, not sums: a header from shared memory may hold any value.
    if (h.grant_cells != GRANT_CELLS || h.grant_offset < descriptors_end ||
        h.grant_offset % GRANT_CELL_BYTES != 0 || h.grant_offset > h.data_offset ||
        h.data_offset - h.grant_offset < GRANT_CELL_BYTES * GRANT_CELLS) {
        return "its grant cells (" + std::to_string(h.grant_cells) + " at offset " +
               std::to_string(h.grant_offset) + ") do not fit between its descriptors and slots";
    }
    return {};
}

ExistingVerdict check_existing_header(const std::byte* bytes, std::uint64_t size) noexcept {
    if (size < HEADER_BYTES) {
        return {ExistingSegment::Stale, 0};
    }
    const auto& h = *reinterpret_cast<const SegmentHeader*>(bytes);
    if (h.magic == 0) {
        return {ExistingSegment::Stale, 0};
    }
    if (h.magic != SEGMENT_MAGIC) {
        return {ExistingSegment::Foreign, 0};
    }
    const bool alive = process_is_alive(h.producer_pid);
    return {alive ? ExistingSegment::Live : ExistingSegment::Stale, h.producer_pid};
}

}  // namespace framebridge::shm
