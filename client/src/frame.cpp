#include "framebridge/client/frame.hpp"

#include "client_core.hpp"

#include "framebridge/client/errors.hpp"
#include "framebridge/shm/monotonic_clock.hpp"
#include "framebridge/shm/segment_layout.hpp"

#include <atomic>
#include <cstddef>
#include <cstring>

namespace framebridge {

// The seqlock word is read with a plain atomic load from a read-only mapping: on x86-64 and
// AArch64 a lock-free 64-bit load is one instruction that never writes (docs/segment-layout.md,
// Reading a frame). A 32-bit x86 one may be a locked compare-exchange, which faults there.
static_assert(sizeof(void*) == 8, "the FrameBridge client supports 64-bit platforms only");
static_assert(static_cast<std::uint32_t>(PixelFormat::Bgr8) ==
                  static_cast<std::uint32_t>(shm::PixelFormat::Bgr8) &&
              static_cast<std::uint32_t>(PixelFormat::Gray8) ==
                  static_cast<std::uint32_t>(shm::PixelFormat::Gray8) &&
              static_cast<std::uint32_t>(PixelFormat::Bgra8) ==
                  static_cast<std::uint32_t>(shm::PixelFormat::Bgra8));

namespace {

const shm::SharedU64& word(const void* sequence_word) {
    return *static_cast<const shm::SharedU64*>(sequence_word);
}

// The seqlock word is the descriptor's first field.
const shm::SlotDescriptor& descriptor(const void* sequence_word) {
    static_assert(offsetof(shm::SlotDescriptor, sequence) == 0);
    return *static_cast<const shm::SlotDescriptor*>(sequence_word);
}

FrameOverwritten overwritten(const FrameInfo& info, const char* when) {
    return FrameOverwritten("frame " + std::to_string(info.seq) + " in slot " +
                            std::to_string(info.slot) + " was overwritten " + when +
                            " (its lease was taken back after it was held past the server's "
                            "limit)");
}

}  // namespace

std::uint32_t bytes_per_pixel(PixelFormat format) noexcept {
    return shm::bytes_per_pixel(static_cast<shm::PixelFormat>(format));
}

const char* to_string(PixelFormat format) noexcept {
    return shm::to_string(static_cast<shm::PixelFormat>(format));
}

Frame::Frame() noexcept = default;

Frame::Frame(const FrameInfo& info, const std::uint8_t* data, const void* sequence_word,
             std::shared_ptr<const void> mapping, std::weak_ptr<detail::ClientCore> owner,
             std::uint64_t connection)
    : info_(info),
      data_(data),
      sequence_word_(sequence_word),
      mapping_(std::move(mapping)),
      owner_(std::move(owner)),
      connection_(connection),
      released_(false) {}

Frame::Frame(Frame&& other) noexcept
    : info_(other.info_),
      data_(std::exchange(other.data_, nullptr)),
      sequence_word_(std::exchange(other.sequence_word_, nullptr)),
      mapping_(std::move(other.mapping_)),
      owner_(std::move(other.owner_)),
      connection_(other.connection_),
      released_(std::exchange(other.released_, true)) {}

Frame& Frame::operator=(Frame&& other) noexcept {
    if (this != &other) {
        release();
        info_ = other.info_;
        data_ = std::exchange(other.data_, nullptr);
        sequence_word_ = std::exchange(other.sequence_word_, nullptr);
        mapping_ = std::move(other.mapping_);
        owner_ = std::move(other.owner_);
        connection_ = other.connection_;
        released_ = std::exchange(other.released_, true);
    }
    return *this;
}

Frame::~Frame() {
    release();
}

std::size_t Frame::size_bytes() const noexcept {
    return static_cast<std::size_t>(info_.stride) * info_.height;
}

bool Frame::valid() const noexcept {
    return sequence_word_ != nullptr &&
           word(sequence_word_).load(std::memory_order_acquire) == info_.seq;
}

std::vector<std::uint8_t> Frame::copy() const {
    if (empty()) {
        throw FrameBridgeError("copy() of an empty Frame");
    }
    const std::size_t row_bytes = std::size_t{info_.width} * bytes_per_pixel(info_.format);
    std::vector<std::uint8_t> pixels(row_bytes * info_.height);
    for (std::uint32_t y = 0; y < info_.height; ++y) {
        std::memcpy(pixels.data() + y * row_bytes, data_ + std::size_t{y} * info_.stride,
                    row_bytes);
    }
    // The seqlock's reader side: the pixel reads above may not move below the re-check.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (word(sequence_word_).load(std::memory_order_relaxed) != info_.seq) {
        throw overwritten(info_, "while it was copied");
    }
    return pixels;
}

FrameMetadata Frame::metadata() const {
    if (empty()) {
        throw FrameBridgeError("metadata() of an empty Frame");
    }
    if (word(sequence_word_).load(std::memory_order_acquire) != info_.seq) {
        throw overwritten(info_, "before its metadata was read");
    }
    const shm::FrameMetadata& shared = descriptor(sequence_word_).metadata;
    FrameMetadata metadata;
    metadata.reported_ = shared.reported & shm::METADATA_KEYS_MASK;
    std::memcpy(metadata.values_.data(), shared.values, sizeof shared.values);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (word(sequence_word_).load(std::memory_order_relaxed) != info_.seq) {
        throw overwritten(info_, "while its metadata was read");
    }
    return metadata;
}

void Frame::release() noexcept {
    release(false);
}

void Frame::release(bool with_next_request) noexcept {
    if (released_) {
        return;
    }
    released_ = true;
    if (const auto owner = owner_.lock()) {
        owner->release(connection_, info_, shm::monotonic_now_ns(), with_next_request);
    }
}

}  // namespace framebridge
