#pragma once
// A ring of frame slots in one named segment (docs/segment-layout.md). The ring
// knows where slots are and keeps each slot's seqlock; which slot to write is
// LeaseTable's business, and who may read it is the server's.

#include "framebridge/shm/segment_layout.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace framebridge::shm {

/// @brief What the producer records about a frame when it publishes it.
struct FrameInfo {
    std::uint64_t seq = 0;
    FrameGeometry geometry;
    std::uint64_t capture_ns = 0;
    std::uint64_t publish_ns = 0;
    /// The frame of another stream this one was made from (a published frame), 0 for none.
    std::uint64_t source_seq = 0;
    /// What the source reported with the frame (a camera's exposure, gain, ...).
    FrameMetadata metadata{};
};

/// @brief The ring of slots in a named segment. Move-only.
class FrameRing {
public:
    /// @brief Creates the segment `name` with `slot_count` slots of at least `slot_bytes` each.
    /// A segment left by a producer that no longer runs is replaced; one whose producer is
    /// alive is refused (SegmentError::Reason::InUse). The creator removes the name on destruction.
    static FrameRing create(const std::string& name, std::uint32_t slot_count,
                            std::uint64_t slot_bytes);

    /// @brief Maps an existing segment read-only after checking its header against the layout.
    /// Throws SegmentError (NotFound, NotFrameBridge).
    static FrameRing open(const std::string& name);

    FrameRing(FrameRing&&) noexcept;
    FrameRing& operator=(FrameRing&&) noexcept;
    ~FrameRing();

    const std::string& name() const noexcept;

    /// @brief Removes the name now (the creator only), so a new segment can take it; this
    /// mapping, and every client's, stays valid.
    void remove_name() noexcept;
    const SegmentHeader& header() const noexcept;
    std::uint32_t slot_count() const noexcept;
    std::uint64_t slot_capacity() const noexcept;
    const SlotDescriptor& descriptor(std::uint32_t slot) const noexcept;
    std::byte* slot_data(std::uint32_t slot) const noexcept;

    /// @brief Process id of the dead producer whose segment create() replaced, if it did.
    std::optional<std::uint32_t> replaced_stale_producer() const noexcept;

    /// @brief Seqlock, step 1: marks `slot` as being written (its sequence reads 0) and clears
    /// its metadata, so a publisher that writes none publishes none.
    void begin_write(std::uint32_t slot) noexcept;

    /// @brief Seqlock, step 2: records `info` and makes the slot readable as frame info.seq.
    /// info.geometry.payload_size() must fit slot_capacity().
    void end_write(std::uint32_t slot, const FrameInfo& info) noexcept;

    /// @brief The slot's seqlock word: 0 while empty or being written, else the frame it holds.
    std::uint64_t slot_sequence(std::uint32_t slot) const noexcept;

    /// @brief Sequence number of the newest published frame, 0 before the first.
    std::uint64_t newest_seq() const noexcept;

    /// @brief Grant cell `cell` (< GRANT_CELLS) says nothing until grant() writes it: a cell is
    /// cleared before it is lent to a new reader, so it never shows another reader's frame.
    void clear_grant(std::uint32_t cell) noexcept;
    /// @brief Tells the reader spinning on `cell` that frame `seq` in `slot` is leased to it (a
    /// release store: call it after the lease is taken, before the FRAME is sent).
    void grant(std::uint32_t cell, std::uint32_t slot, std::uint64_t seq) noexcept;
    /// @brief The cell's word: `seq << GRANT_SLOT_BITS | slot`, 0 for nothing granted.
    std::uint64_t granted(std::uint32_t cell) const noexcept;

private:
    FrameRing(SharedSegment segment, bool owner);
    SegmentHeader& mutable_header() const noexcept;
    SlotDescriptor& mutable_descriptor(std::uint32_t slot) const noexcept;
    SharedU64& grant_word(std::uint32_t cell) const noexcept;

    std::optional<SharedSegment> segment_;
    // Where things are, as create() laid them out or open() checked them: never read from
    // the header again, which a client that publishes can write.
    RingLayout layout_;
    bool owner_ = false;
    std::optional<std::uint32_t> replaced_pid_;
};

}  // namespace framebridge::shm
