#include "framebridge/shm/lease_table.hpp"

namespace framebridge::shm {

std::optional<std::uint32_t> pick_write_slot(std::optional<std::uint32_t> newest_slot,
                                             const std::vector<std::uint32_t>& lease_counts) {
    const auto count = static_cast<std::uint32_t>(lease_counts.size());
    // Starting after the newest walks the ring in order, so the slot written is the one
    // whose frame is oldest among the free ones.
    const std::uint32_t start = newest_slot ? *newest_slot + 1 : 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t slot = (start + i) % count;
        if (slot != newest_slot && lease_counts[slot] == 0) {
            return slot;
        }
    }
    return std::nullopt;
}

LeaseTable::LeaseTable(std::uint32_t slot_count) : lease_counts_(slot_count, 0) {}

std::optional<std::uint32_t> LeaseTable::slot_to_write() const {
    const std::lock_guard lock(mutex_);
    return pick_write_slot(newest_slot_, lease_counts_);
}

void LeaseTable::publish(std::uint32_t slot, std::uint64_t seq) {
    const std::lock_guard lock(mutex_);
    newest_slot_ = slot;
    newest_seq_ = seq;
}

std::optional<Lease> LeaseTable::lease_newest(std::uint64_t after_seq) {
    const std::lock_guard lock(mutex_);
    if (!newest_slot_ || newest_seq_ <= after_seq) {
        return std::nullopt;
    }
    ++lease_counts_[*newest_slot_];
    return Lease{*newest_slot_, newest_seq_};
}

bool LeaseTable::release(std::uint32_t slot) {
    const std::lock_guard lock(mutex_);
    if (slot >= lease_counts_.size() || lease_counts_[slot] == 0) {
        return false;
    }
    --lease_counts_[slot];
    return true;
}

std::uint32_t LeaseTable::lease_count(std::uint32_t slot) const {
    const std::lock_guard lock(mutex_);
    return lease_counts_.at(slot);
}

std::uint64_t LeaseTable::newest_seq() const {
    const std::lock_guard lock(mutex_);
    return newest_seq_;
}

}  // namespace framebridge::shm
