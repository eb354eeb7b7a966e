#pragma once
// The shared-memory segment layout (its version: LAYOUT_VERSION). docs/segment-layout.md is its
// one description; this header and python_sdk/framebridge/_layout.py implement it,
// tests/layout_dump + the SDK's test_layout check that they agree, and both read and write the
// header and descriptor of tests/vectors/segment.json byte for byte.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace framebridge::shm {

constexpr std::uint64_t SEGMENT_MAGIC = 0x475242454D415246ULL;  // the bytes "FRAMEBRG"
constexpr std::uint32_t LAYOUT_VERSION = 3;
constexpr std::uint32_t MIN_SLOTS = 2;
constexpr std::uint32_t MAX_SLOTS = 64;
constexpr std::uint64_t PAGE_BYTES = 4096;
constexpr std::uint32_t ROW_ALIGN_BYTES = 64;
/// Grant cells per segment: one per reader that spins on shared memory (docs/segment-layout.md,
/// Grant cells). A cell's word is `seq << GRANT_SLOT_BITS | slot`; MAX_SLOTS fits the slot bits.
constexpr std::uint32_t GRANT_CELLS = 64;
constexpr std::uint64_t GRANT_CELL_BYTES = 64;
constexpr std::uint32_t GRANT_SLOT_BITS = 6;
static_assert(MAX_SLOTS <= (1U << GRANT_SLOT_BITS));

/// @brief Pixel layouts a slot can hold; values are part of the segment contract.
enum class PixelFormat : std::uint32_t { None = 0, Bgr8 = 1, Gray8 = 2, Bgra8 = 3 };

// Shared with other processes as plain integers, so the atomics must be exactly
// the integer they wrap: no lock, same size and alignment.
using SharedU64 = std::atomic<std::uint64_t>;
static_assert(SharedU64::is_always_lock_free);
static_assert(sizeof(SharedU64) == 8 && alignof(SharedU64) == 8);

/// @brief The fixed header at offset 0 of every segment.
struct SegmentHeader {
    std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t header_size;
    std::uint32_t slot_count;
    std::uint32_t descriptor_size;
    std::uint64_t descriptor_offset;
    std::uint64_t slot_capacity;
    std::uint64_t data_offset;
    std::uint64_t segment_size;
    std::uint64_t session_id;
    std::uint64_t created_unix_ns;
    std::uint32_t producer_pid;
    std::uint32_t reserved0;
    SharedU64 newest_seq;
    std::uint64_t grant_offset;
    std::uint32_t grant_cells;
    std::uint32_t reserved1;
    std::uint8_t reserved2[24];
};

/// @brief What a camera reported with a frame; a key's value is its bit in
/// FrameMetadata::reported and its index in FrameMetadata::values. Part of the segment
/// contract (docs/segment-layout.md, Frame metadata): new keys only ever take unused values.
enum class MetadataKey : std::uint32_t {
    Exposure = 0,
    Gain = 1,
    Brightness = 2,
    Contrast = 3,
    Saturation = 4,
    Hue = 5,
    Sharpness = 6,
    Gamma = 7,
    WhiteBalanceTemperature = 8,
    Focus = 9,
    Zoom = 10,
    Backlight = 11,
    IsoSpeed = 12,
    AutoExposure = 13,
    AutoWhiteBalance = 14,
    Fps = 15,
};
constexpr std::uint32_t METADATA_KEYS = 16;
/// @brief The bits of FrameMetadata::reported that name a key; a reader ignores the others.
constexpr std::uint64_t METADATA_KEYS_MASK = (std::uint64_t{1} << METADATA_KEYS) - 1;

/// @brief "exposure", "gain", ..., the key's name in the layout document and the SDKs;
/// "unknown" for a value outside the list.
const char* to_string(MetadataKey key) noexcept;

/// @brief The metadata block of a slot descriptor: values[k] means something only when bit k
/// of `reported` is set; a key the source does not report has its bit clear and value 0.
struct FrameMetadata {
    std::uint64_t reported = 0;
    double values[METADATA_KEYS] = {};

    /// @brief Records `value` for `key` as reported.
    void set(MetadataKey key, double value) noexcept;
    /// @brief Marks `key` as not reported (value 0).
    void clear(MetadataKey key) noexcept;
    /// @brief The value of `key`, or nothing when it was not reported.
    std::optional<double> get(MetadataKey key) const noexcept;
};

/// @brief One per slot, right after the header; `sequence` is the slot's seqlock word.
struct alignas(64) SlotDescriptor {
    SharedU64 sequence;
    std::uint32_t width;
    std::uint32_t height;
    std::uint32_t stride;
    PixelFormat pixel_format;
    std::uint64_t payload_size;
    std::uint64_t capture_ns;
    std::uint64_t publish_ns;
    std::uint64_t source_seq;
    FrameMetadata metadata;
};

constexpr std::uint64_t HEADER_BYTES = 128;
constexpr std::uint64_t DESCRIPTOR_BYTES = 192;

static_assert(sizeof(SegmentHeader) == HEADER_BYTES);
static_assert(offsetof(SegmentHeader, layout_version) == 8);
static_assert(offsetof(SegmentHeader, slot_count) == 16);
static_assert(offsetof(SegmentHeader, descriptor_offset) == 24);
static_assert(offsetof(SegmentHeader, slot_capacity) == 32);
static_assert(offsetof(SegmentHeader, data_offset) == 40);
static_assert(offsetof(SegmentHeader, segment_size) == 48);
static_assert(offsetof(SegmentHeader, session_id) == 56);
static_assert(offsetof(SegmentHeader, created_unix_ns) == 64);
static_assert(offsetof(SegmentHeader, producer_pid) == 72);
static_assert(offsetof(SegmentHeader, newest_seq) == 80);
static_assert(offsetof(SegmentHeader, grant_offset) == 88);
static_assert(offsetof(SegmentHeader, grant_cells) == 96);
static_assert(sizeof(SlotDescriptor) == DESCRIPTOR_BYTES);
static_assert(offsetof(SlotDescriptor, width) == 8);
static_assert(offsetof(SlotDescriptor, stride) == 16);
static_assert(offsetof(SlotDescriptor, pixel_format) == 20);
static_assert(offsetof(SlotDescriptor, payload_size) == 24);
static_assert(offsetof(SlotDescriptor, capture_ns) == 32);
static_assert(offsetof(SlotDescriptor, publish_ns) == 40);
static_assert(offsetof(SlotDescriptor, source_seq) == 48);
static_assert(offsetof(SlotDescriptor, metadata) == 56);
static_assert(offsetof(FrameMetadata, values) == 8 && sizeof(FrameMetadata) == 136);
static_assert(sizeof(double) == 8, "metadata values are IEEE-754 binary64");

/// @brief Bytes per pixel of `format`; 0 for PixelFormat::None or an unknown value.
std::uint32_t bytes_per_pixel(PixelFormat format) noexcept;

/// @brief "BGR8", "GRAY8", "BGRA8", or "unknown".
const char* to_string(PixelFormat format) noexcept;

/// @brief Size and pixel format of the frames in a stream.
struct FrameGeometry {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    PixelFormat format = PixelFormat::Bgr8;

    /// @brief Row pitch in the slot: width * bytes per pixel, rounded up to 64.
    std::uint32_t stride() const noexcept;
    /// @brief stride() * height.
    std::uint64_t payload_size() const noexcept;
};

constexpr std::uint32_t MAX_FRAME_SIDE = 32768;

/// @brief Throws std::invalid_argument unless both sides are 1..MAX_FRAME_SIDE and the format is
/// known.
void validate_geometry(const FrameGeometry& geometry);

/// @brief Where things go in a segment of `slot_count` slots that each hold `frame_bytes`.
struct RingLayout {
    std::uint32_t slot_count = 0;
    std::uint64_t grant_offset = 0;
    std::uint64_t slot_capacity = 0;
    std::uint64_t data_offset = 0;
    std::uint64_t segment_size = 0;
};

/// @brief Computes the layout; throws std::invalid_argument naming the bad value.
RingLayout compute_ring_layout(std::uint32_t slot_count, std::uint64_t frame_bytes);

}  // namespace framebridge::shm
