#pragma once
// Which of a stream's grant cells are lent to readers that spin on shared memory
// (docs/segment-layout.md, Grant cells). A cell is a connection's for as long as it lives, in
// every segment generation of the stream: each generation's segment has the same cells.

#include <cstdint>
#include <mutex>
#include <optional>

namespace framebridge::app {

/// @brief The lending of one stream's grant cells. Thread-safe.
class GrantCells {
public:
    /// @brief The lowest cell no one has, now lent; std::nullopt when every cell is lent.
    std::optional<std::uint32_t> lend();
    /// @brief `cell` is free again.
    void give_back(std::uint32_t cell);
    /// @brief How many cells are lent now.
    std::uint32_t lent() const;

private:
    mutable std::mutex mutex_;
    std::uint64_t lent_ = 0;  ///< bit c: cell c is lent
};

}  // namespace framebridge::app
