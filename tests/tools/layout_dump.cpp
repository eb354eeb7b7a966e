// Prints the C++ segment layout as JSON (field offsets and sizes, constants, pixel formats)
// and the metadata block's keys, so that the Python SDK's test can check its mirror against the
// compiled truth.

#include "framebridge/shm/segment_layout.hpp"

#include <cstddef>
#include <cstdio>

using namespace framebridge::shm;

#define FIELD(type, name, last)                                                                \
    std::printf("    \"%s\": [%zu, %zu]%s\n", #name, offsetof(type, name), sizeof(type::name), \
                (last) ? "" : ",")

int main() {
    std::printf("{\n  \"header\": {\n");
    FIELD(SegmentHeader, magic, false);
    FIELD(SegmentHeader, layout_version, false);
    FIELD(SegmentHeader, header_size, false);
    FIELD(SegmentHeader, slot_count, false);
    FIELD(SegmentHeader, descriptor_size, false);
    FIELD(SegmentHeader, descriptor_offset, false);
    FIELD(SegmentHeader, slot_capacity, false);
    FIELD(SegmentHeader, data_offset, false);
    FIELD(SegmentHeader, segment_size, false);
    FIELD(SegmentHeader, session_id, false);
    FIELD(SegmentHeader, created_unix_ns, false);
    FIELD(SegmentHeader, producer_pid, false);
    FIELD(SegmentHeader, newest_seq, false);
    FIELD(SegmentHeader, grant_offset, false);
    FIELD(SegmentHeader, grant_cells, true);
    std::printf("  },\n  \"descriptor\": {\n");
    FIELD(SlotDescriptor, sequence, false);
    FIELD(SlotDescriptor, width, false);
    FIELD(SlotDescriptor, height, false);
    FIELD(SlotDescriptor, stride, false);
    FIELD(SlotDescriptor, pixel_format, false);
    FIELD(SlotDescriptor, payload_size, false);
    FIELD(SlotDescriptor, capture_ns, false);
    FIELD(SlotDescriptor, publish_ns, false);
    FIELD(SlotDescriptor, source_seq, true);
    std::printf("  },\n  \"metadata\": {\n");
    std::printf("    \"reported_offset\": %zu,\n",
                offsetof(SlotDescriptor, metadata) + offsetof(FrameMetadata, reported));
    std::printf("    \"values_offset\": %zu,\n",
                offsetof(SlotDescriptor, metadata) + offsetof(FrameMetadata, values));
    std::printf("    \"keys\": [");
    for (std::uint32_t k = 0; k < METADATA_KEYS; ++k) {
        std::printf("%s\"%s\"", k == 0 ? "" : ", ", to_string(static_cast<MetadataKey>(k)));
    }
    std::printf("]\n  },\n  \"constants\": {\n");
    std::printf("    \"MAGIC\": %llu,\n", static_cast<unsigned long long>(SEGMENT_MAGIC));
    std::printf("    \"LAYOUT_VERSION\": %u,\n", LAYOUT_VERSION);
    std::printf("    \"HEADER_SIZE\": %zu,\n", sizeof(SegmentHeader));
    std::printf("    \"DESCRIPTOR_SIZE\": %zu,\n", sizeof(SlotDescriptor));
    std::printf("    \"PAGE_SIZE\": %llu,\n", static_cast<unsigned long long>(PAGE_BYTES));
    std::printf("    \"STRIDE_ALIGNMENT\": %u,\n", ROW_ALIGN_BYTES);
    std::printf("    \"MIN_SLOTS\": %u,\n", MIN_SLOTS);
    std::printf("    \"MAX_SLOTS\": %u,\n", MAX_SLOTS);
    std::printf("    \"GRANT_CELLS\": %u,\n", GRANT_CELLS);
    std::printf("    \"GRANT_CELL_SIZE\": %llu,\n",
                static_cast<unsigned long long>(GRANT_CELL_BYTES));
    std::printf("    \"GRANT_SLOT_BITS\": %u\n", GRANT_SLOT_BITS);
    std::printf("  },\n  \"pixel_formats\": {\n");
    const PixelFormat formats[] = {PixelFormat::Bgr8, PixelFormat::Gray8, PixelFormat::Bgra8};
    for (std::size_t i = 0; i < 3; ++i) {
        std::printf("    \"%s\": [%u, %u]%s\n", to_string(formats[i]),
                    static_cast<unsigned>(formats[i]), bytes_per_pixel(formats[i]),
                    i + 1 < 3 ? "," : "");
    }
    std::printf("  }\n}\n");
    return 0;
}
