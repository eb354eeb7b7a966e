#pragma once
// Who holds which slot, and so which slot the producer may write next. Lives in
// the producer's process, never in the segment: leases belong to connections
// and die with them.

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace framebridge::shm {

/// @brief A slot handed to a reader, identified by the frame it holds.
struct Lease {
    std::uint32_t slot = 0;
    std::uint64_t seq = 0;

    bool operator==(const Lease& other) const noexcept {
        return slot == other.slot && seq == other.seq;
    }
};

/// @brief Picks the slot to write: the first after `newest_slot` (in ring order) that is not
/// the newest and has no lease; std::nullopt when there is none. `newest_slot` may be
/// std::nullopt before the first publish.
std::optional<std::uint32_t> pick_write_slot(std::optional<std::uint32_t> newest_slot,
                                             const std::vector<std::uint32_t>& lease_counts);

/// @brief Thread-safe lease bookkeeping for one producer and any number of readers.
class LeaseTable {
public:
    explicit LeaseTable(std::uint32_t slot_count);

    /// @brief The slot the single producer should write next, or std::nullopt to drop the frame.
    std::optional<std::uint32_t> slot_to_write() const;

    /// @brief Makes `slot`, now holding frame `seq`, the newest.
    void publish(std::uint32_t slot, std::uint64_t seq);

    /// @brief Leases the newest frame if it is newer than `after_seq`.
    std::optional<Lease> lease_newest(std::uint64_t after_seq);

    /// @brief Gives one lease on `slot` back. False if the slot had none (a caller bug).
    bool release(std::uint32_t slot);

    /// @brief Leases now held on `slot`.
    std::uint32_t lease_count(std::uint32_t slot) const;

    /// @brief Sequence number of the newest published frame, 0 before the first.
    std::uint64_t newest_seq() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::uint32_t> lease_counts_;
    std::optional<std::uint32_t> newest_slot_;
    std::uint64_t newest_seq_ = 0;
};

}  // namespace framebridge::shm
