#pragma once

#include "framebridge/client/frame_metadata.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace framebridge {

/// @brief How a frame's pixels are laid out; the values are the segment layout's
/// (docs/segment-layout.md, Pixel formats).
enum class PixelFormat : std::uint32_t { Bgr8 = 1, Gray8 = 2, Bgra8 = 3 };

/// @brief 3, 1 or 4; 0 for a value this build does not know.
std::uint32_t bytes_per_pixel(PixelFormat format) noexcept;

/// @brief "BGR8", "GRAY8", "BGRA8", or "unknown".
const char* to_string(PixelFormat format) noexcept;

class Client;
namespace detail {
class ClientCore;
}

/// @brief What the server said about a frame, and when this client read that.
struct FrameInfo {
    std::uint32_t slot = 0;
    std::uint64_t seq = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::uint32_t stride = 0;
    PixelFormat format = PixelFormat::Bgr8;
    std::uint64_t capture_ns = 0;  ///< monotonic clock (docs/segment-layout.md, Time)
    std::uint64_t publish_ns = 0;
    std::uint64_t receive_ns = 0;  ///< when this client read the FRAME message
    /// The frame of another stream this one was made from (a publisher's DONE), 0 for none.
    std::uint64_t source_seq = 0;
};

/// @brief A frame leased from the server; its pixels stay in shared memory, read in place.
///
/// Move-only. The lease is given back (RELEASE) by release() or when the Frame is destroyed,
/// whichever comes first. The pixels stay mapped for as long as the Frame lives, even after the
/// client is closed or has moved to a new segment generation. A Frame belongs to the thread
/// that uses its Client.
class Frame {
public:
    /// @brief An empty frame: empty() is true and it holds nothing.
    Frame() noexcept;
    Frame(Frame&& other) noexcept;
    Frame& operator=(Frame&& other) noexcept;
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    ~Frame();

    bool empty() const noexcept { return data_ == nullptr; }
    explicit operator bool() const noexcept { return !empty(); }

    /// @brief The first byte of row 0; row y starts at data() + y * stride(). Read-only memory.
    const std::uint8_t* data() const noexcept { return data_; }
    std::uint32_t width() const noexcept { return info_.width; }
    std::uint32_t height() const noexcept { return info_.height; }
    /// @brief Bytes from one row to the next, a multiple of 64; rows may end in padding.
    std::uint32_t stride() const noexcept { return info_.stride; }
    PixelFormat format() const noexcept { return info_.format; }
    std::uint64_t seq() const noexcept { return info_.seq; }
    std::uint32_t slot() const noexcept { return info_.slot; }
    std::uint64_t capture_ns() const noexcept { return info_.capture_ns; }
    std::uint64_t publish_ns() const noexcept { return info_.publish_ns; }
    std::uint64_t receive_ns() const noexcept { return info_.receive_ns; }
    /// @brief The frame of another stream this one was made from, 0 for none; capture_ns() is
    /// then that frame's capture time, so receive_ns() - capture_ns() measures the whole loop.
    std::uint64_t source_seq() const noexcept { return info_.source_seq; }
    const FrameInfo& info() const noexcept { return info_; }
    /// @brief stride() * height(): the bytes data() points into.
    std::size_t size_bytes() const noexcept;

    /// @brief True while the slot still holds this frame (its seqlock word equals seq()): false
    /// once the server has taken the lease back and the producer has begun writing the slot.
    bool valid() const noexcept;

    /// @brief What the source reported with the frame (a camera's exposure, gain, ...), read from
    /// the slot under its seqlock. Throws FrameOverwritten if the slot was rewritten meanwhile,
    /// FrameBridgeError for an empty Frame.
    FrameMetadata metadata() const;

    /// @brief The pixels, rows packed (width() * bytes per pixel each, no padding). Throws
    /// FrameOverwritten if the slot was rewritten meanwhile, so a copy returned is whole.
    std::vector<std::uint8_t> copy() const;

    /// @brief Gives the frame back to the server; safe to call more than once. The pixels stay
    /// mapped, but the producer may write them from now on.
    void release() noexcept;
    bool released() const noexcept { return released_; }

private:
    friend class Client;
    friend class detail::ClientCore;
    Frame(const FrameInfo& info, const std::uint8_t* data, const void* sequence_word,
          std::shared_ptr<const void> mapping, std::weak_ptr<detail::ClientCore> owner,
          std::uint64_t connection);
    void release(bool with_next_request) noexcept;

    FrameInfo info_;
    const std::uint8_t* data_ = nullptr;
    const void* sequence_word_ = nullptr;
    std::shared_ptr<const void> mapping_;  ///< keeps the segment mapped
    std::weak_ptr<detail::ClientCore> owner_;
    std::uint64_t connection_ = 0;  ///< which of the owner's connections leased it
    bool released_ = true;
};

}  // namespace framebridge
