#include "framebridge/app/server/grant_cells.hpp"

#include "framebridge/shm/segment_layout.hpp"

#include <bitset>

namespace framebridge::app {

static_assert(shm::GRANT_CELLS == 64, "one bit of lent_ per cell");

std::optional<std::uint32_t> GrantCells::lend() {
    const std::lock_guard lock(mutex_);
    for (std::uint32_t cell = 0; cell < shm::GRANT_CELLS; ++cell) {
        const std::uint64_t bit = std::uint64_t{1} << cell;
        if ((lent_ & bit) == 0) {
            lent_ |= bit;
            return cell;
        }
    }
    return std::nullopt;
}

void GrantCells::give_back(std::uint32_t cell) {
    const std::lock_guard lock(mutex_);
    if (cell < shm::GRANT_CELLS) {
        lent_ &= ~(std::uint64_t{1} << cell);
    }
}

std::uint32_t GrantCells::lent() const {
    const std::lock_guard lock(mutex_);
    return static_cast<std::uint32_t>(std::bitset<64>(lent_).count());
}

}  // namespace framebridge::app
