#include "framebridge/app/server/grant_cells.hpp"

#include "framebridge/shm/segment_layout.hpp"

#include <gtest/gtest.h>

namespace framebridge::test {
namespace {

TEST(GrantCells, lendsTheLowestFreeCellUntilNoneIsLeft) {
    app::GrantCells sut;
    for (std::uint32_t cell = 0; cell < shm::GRANT_CELLS; ++cell) {
        EXPECT_EQ(sut.lend(), cell);
    }
    EXPECT_FALSE(sut.lend());
    EXPECT_EQ(sut.lent(), shm::GRANT_CELLS);
}

TEST(GrantCells, aCellGivenBackIsLentAgain) {
    app::GrantCells sut;
    sut.lend();
    sut.lend();
    sut.lend();

    sut.give_back(1);

    EXPECT_EQ(sut.lent(), 2u);
    EXPECT_EQ(sut.lend(), 1u);
    EXPECT_EQ(sut.lend(), 3u);
}

}  // namespace
}  // namespace framebridge::test
