#include "framebridge/shm/segment_header_check.hpp"

#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <gtest/gtest.h>
#include <cstring>
#include <vector>

using namespace framebridge::shm;

namespace {

// A well-formed header for 3 slots of one page, in a buffer of its size.
std::vector<std::byte> good_segment() {
    const RingLayout layout = compute_ring_layout(3, PAGE_BYTES);
    std::vector<std::byte> bytes(layout.segment_size);
    auto& h = *reinterpret_cast<SegmentHeader*>(bytes.data());
    h.magic = SEGMENT_MAGIC;
    h.layout_version = LAYOUT_VERSION;
    h.header_size = HEADER_BYTES;
    h.slot_count = 3;
    h.descriptor_size = DESCRIPTOR_BYTES;
    h.descriptor_offset = HEADER_BYTES;
    h.slot_capacity = layout.slot_capacity;
    h.data_offset = layout.data_offset;
    h.segment_size = layout.segment_size;
    h.grant_offset = layout.grant_offset;
    h.grant_cells = GRANT_CELLS;
    h.producer_pid = current_process_id();
    return bytes;
}

SegmentHeader& header_of(std::vector<std::byte>& bytes) {
    return *reinterpret_cast<SegmentHeader*>(bytes.data());
}

}  // namespace

TEST(CheckHeader, acceptsAWellFormedHeader) {
    auto bytes = good_segment();
    EXPECT_EQ(check_header(bytes.data(), bytes.size()), "");
}

TEST(CheckHeader, refusesATruncatedSegment) {
    auto bytes = good_segment();
    EXPECT_NE(check_header(bytes.data(), 100), "");
}

TEST(CheckHeader, refusesEveryBrokenField) {
    struct Case {
        const char* what;
        void (*breaker)(SegmentHeader&);
    };
    const Case cases[] = {
        {"magic", [](SegmentHeader& h) { h.magic = 1; }},
        {"older version", [](SegmentHeader& h) { h.layout_version = LAYOUT_VERSION - 1; }},
        {"newer version", [](SegmentHeader& h) { h.layout_version = LAYOUT_VERSION + 1; }},
        {"version 1's descriptor size", [](SegmentHeader& h) { h.descriptor_size = 64; }},
        {"header size", [](SegmentHeader& h) { h.header_size = 64; }},
        {"descriptor size", [](SegmentHeader& h) { h.descriptor_size = 32; }},
        {"too few slots", [](SegmentHeader& h) { h.slot_count = 1; }},
        {"too many slots", [](SegmentHeader& h) { h.slot_count = 1000; }},
        {"size over the mapping", [](SegmentHeader& h) { h.segment_size = 1u << 30; }},
        {"data inside descriptors", [](SegmentHeader& h) { h.data_offset = 0; }},
        {"unaligned data", [](SegmentHeader& h) { h.data_offset += 8; }},
        {"slots past the end", [](SegmentHeader& h) { h.slot_capacity *= 2; }},
        {"zero capacity", [](SegmentHeader& h) { h.slot_capacity = 0; }},
        {"fewer grant cells", [](SegmentHeader& h) { h.grant_cells = 1; }},
        {"grant cells in the descriptors", [](SegmentHeader& h) { h.grant_offset = 128; }},
        {"unaligned grant cells", [](SegmentHeader& h) { h.grant_offset += 8; }},
        {"grant cells in the data", [](SegmentHeader& h) { h.grant_offset = h.data_offset; }},
        {"grant cells wrapping past 2^64",
         [](SegmentHeader& h) { h.grant_offset = ~std::uint64_t{0} - 4095; }},
    };
    for (const Case& c : cases) {
        auto bytes = good_segment();
        c.breaker(header_of(bytes));
        EXPECT_NE(check_header(bytes.data(), bytes.size()), "") << c.what;
    }
}

TEST(CheckExistingHeader, classifiesWhatHoldsOurName) {
    auto live = good_segment();
    EXPECT_EQ(check_existing_header(live.data(), live.size()).kind, ExistingSegment::Live);

    auto empty = std::vector<std::byte>(PAGE_BYTES);
    EXPECT_EQ(check_existing_header(empty.data(), empty.size()).kind, ExistingSegment::Stale);
    EXPECT_EQ(check_existing_header(empty.data(), 0).kind, ExistingSegment::Stale);

    auto foreign = good_segment();
    header_of(foreign).magic = 42;
    EXPECT_EQ(check_existing_header(foreign.data(), foreign.size()).kind, ExistingSegment::Foreign);

    auto orphan = good_segment();
    header_of(orphan).producer_pid = 0;
    EXPECT_EQ(check_existing_header(orphan.data(), orphan.size()).kind, ExistingSegment::Stale);
}
