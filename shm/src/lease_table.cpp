#include "framebridge/shm/lease_table.hpp"

#include <algorithm>

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

LeaseTable::LeaseTable(std::uint32_t slot_count, std::chrono::nanoseconds revoke_after)
    : slot_count_(slot_count), revoke_after_ns_(static_cast<std::uint64_t>(revoke_after.count())) {}

std::vector<std::uint32_t> LeaseTable::counts() const {
    std::vector<std::uint32_t> per_slot(slot_count_, 0);
    for (const Held& h : held_) {
        ++per_slot[h.lease.slot];
    }
    return per_slot;
}

std::optional<std::uint32_t> LeaseTable::slot_to_write(std::uint64_t now_ns) {
    const std::lock_guard lock(mutex_);
    if (const auto free = pick_write_slot(newest_slot_, counts())) {
        starved_since_ns_.reset();
        return free;
    }
    if (!starved_since_ns_) {
        starved_since_ns_ = now_ns;
    }
    if (now_ns - *starved_since_ns_ < revoke_after_ns_) {
        return std::nullopt;
    }
    starved_since_ns_.reset();
    return take_back();
}

// The owner holding the most gives up its oldest frame (never the newest slot: that one is
// not written next anyway); everyone else holding that same slot loses it too.
std::optional<std::uint32_t> LeaseTable::take_back() {
    std::map<OwnerId, std::uint32_t> per_owner;
    for (const Held& h : held_) {
        ++per_owner[h.owner];
    }
    std::optional<Held> victim;
    std::uint32_t victim_owner_holds = 0;
    for (const Held& h : held_) {
        if (h.lease.slot == newest_slot_) {
            continue;
        }
        const std::uint32_t holds = per_owner[h.owner];
        if (!victim || holds > victim_owner_holds ||
            (holds == victim_owner_holds && h.lease.seq < victim->lease.seq)) {
            victim = h;
            victim_owner_holds = holds;
        }
    }
    if (!victim) {
        return std::nullopt;
    }
    const std::uint32_t slot = victim->lease.slot;
    for (const Held& h : held_) {
        if (h.lease.slot == slot) {
            ++revoked_[h.owner];
        }
    }
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [slot](const Held& h) { return h.lease.slot == slot; }),
                held_.end());
    return slot;
}

void LeaseTable::publish(std::uint32_t slot, std::uint64_t seq) {
    const std::lock_guard lock(mutex_);
    newest_slot_ = slot;
    newest_seq_ = seq;
}

std::optional<Lease> LeaseTable::lease_newest(std::uint64_t after_seq, OwnerId owner) {
    const std::lock_guard lock(mutex_);
    if (!newest_slot_ || newest_seq_ <= after_seq) {
        return std::nullopt;
    }
    const Lease lease{*newest_slot_, newest_seq_};
    held_.push_back({lease, owner});
    return lease;
}

bool LeaseTable::release(const Lease& lease, OwnerId owner) {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(held_.begin(), held_.end(), [&](const Held& h) {
        return h.owner == owner && h.lease == lease;
    });
    if (found == held_.end()) {
        return false;
    }
    held_.erase(found);
    return true;
}

std::uint32_t LeaseTable::release_all(OwnerId owner) {
    const std::lock_guard lock(mutex_);
    const auto before = held_.size();
    held_.erase(std::remove_if(held_.begin(), held_.end(),
                               [owner](const Held& h) { return h.owner == owner; }),
                held_.end());
    revoked_.erase(owner);
    return static_cast<std::uint32_t>(before - held_.size());
}

std::uint32_t LeaseTable::lease_count(std::uint32_t slot) const {
    const std::lock_guard lock(mutex_);
    return counts().at(slot);
}

std::uint64_t LeaseTable::revoked(OwnerId owner) const {
    const std::lock_guard lock(mutex_);
    const auto found = revoked_.find(owner);
    return found == revoked_.end() ? 0 : found->second;
}

std::uint64_t LeaseTable::newest_seq() const {
    const std::lock_guard lock(mutex_);
    return newest_seq_;
}

}  // namespace framebridge::shm
