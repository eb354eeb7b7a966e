#pragma once
// Who holds which slot, and so which slot the producer may write next. Lives in
// the producer's process, never in the segment: leases belong to connections
// and die with them.

#include <chrono>
#include <cstdint>
#include <map>
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

/// @brief Who holds a lease: a client's id, or LOCAL_READER for a reader in this process.
using OwnerId = std::uint32_t;
constexpr OwnerId LOCAL_READER = 0;

/// @brief Picks the slot to write: the first after `newest_slot` (in ring order) that is not
/// the newest and has no lease; std::nullopt when there is none. `newest_slot` may be
/// std::nullopt before the first publish.
std::optional<std::uint32_t> pick_write_slot(std::optional<std::uint32_t> newest_slot,
                                             const std::vector<std::uint32_t>& lease_counts);

/// @brief Thread-safe lease bookkeeping for one producer and any number of readers.
///
/// The producer never waits: with no free slot a frame is dropped; and when no slot has been
/// free for `revoke_after`, the oldest lease of the owner holding the most is taken back so
/// that a stuck reader cannot stall everyone. The reader learns it from the slot's seqlock
/// word (the frame is then rewritten), and it is counted.
class LeaseTable {
public:
    static constexpr std::chrono::milliseconds DEFAULT_REVOKE_AFTER{100};

    explicit LeaseTable(std::uint32_t slot_count,
                        std::chrono::nanoseconds revoke_after = DEFAULT_REVOKE_AFTER);

    /// @brief The slot the single producer should write at `now_ns` (monotonic clock), or
    /// std::nullopt to drop the frame.
    std::optional<std::uint32_t> slot_to_write(std::uint64_t now_ns);

    /// @brief Makes `slot`, now holding frame `seq`, the newest.
    void publish(std::uint32_t slot, std::uint64_t seq);

    /// @brief Leases the newest frame to `owner` if it is newer than `after_seq`.
    std::optional<Lease> lease_newest(std::uint64_t after_seq, OwnerId owner);

    /// @brief Gives one lease back. False if `owner` does not hold it (any more): it was given
    /// back already, or taken back.
    bool release(const Lease& lease, OwnerId owner);

    /// @brief Gives back every lease `owner` holds and forgets it; how many there were.
    std::uint32_t release_all(OwnerId owner);

    /// @brief Leases now held on `slot`, by anyone.
    std::uint32_t lease_count(std::uint32_t slot) const;

    /// @brief Leases taken back from `owner` so far.
    std::uint64_t revoked(OwnerId owner) const;

    /// @brief Sequence number of the newest published frame, 0 before the first.
    std::uint64_t newest_seq() const;

private:
    struct Held {
        Lease lease;
        OwnerId owner;
    };

    std::vector<std::uint32_t> counts() const;
    std::optional<std::uint32_t> take_back();

    mutable std::mutex mutex_;
    std::uint32_t slot_count_;
    std::uint64_t revoke_after_ns_;
    std::vector<Held> held_;
    std::map<OwnerId, std::uint64_t> revoked_;
    std::optional<std::uint32_t> newest_slot_;
    std::uint64_t newest_seq_ = 0;
    std::optional<std::uint64_t> starved_since_ns_;
};

}  // namespace framebridge::shm
