#include "framebridge/shm/lease_table.hpp"

#include <gtest/gtest.h>

using namespace framebridge::shm;
using Counts = std::vector<std::uint32_t>;

TEST(PickWriteSlot, firstFrameGoesToSlotZero) {
    EXPECT_EQ(pick_write_slot(std::nullopt, Counts{0, 0, 0}), 0u);
}

TEST(PickWriteSlot, walksTheRingAfterTheNewest) {
    EXPECT_EQ(pick_write_slot(0, Counts{0, 0, 0}), 1u);
    EXPECT_EQ(pick_write_slot(1, Counts{0, 0, 0}), 2u);
    EXPECT_EQ(pick_write_slot(2, Counts{0, 0, 0}), 0u);
}

TEST(PickWriteSlot, neverPicksTheNewestEvenWhenItIsTheOnlyUnleasedSlot) {
    EXPECT_EQ(pick_write_slot(1, Counts{1, 0, 1}), std::nullopt);
}

TEST(PickWriteSlot, skipsLeasedSlots) {
    EXPECT_EQ(pick_write_slot(0, Counts{0, 3, 0}), 2u);
    EXPECT_EQ(pick_write_slot(2, Counts{1, 0, 0}), 1u);
}

TEST(PickWriteSlot, everyLeasePatternOfThreeSlotsFollowsTheRules) {
    for (std::uint32_t newest = 0; newest < 3; ++newest) {
        for (std::uint32_t mask = 0; mask < 8; ++mask) {
            const Counts counts{mask & 1u, (mask >> 1) & 1u, (mask >> 2) & 1u};
            const auto picked = pick_write_slot(newest, counts);
            bool any_free = false;
            for (std::uint32_t s = 0; s < 3; ++s) {
                any_free = any_free || (s != newest && counts[s] == 0);
            }
            ASSERT_EQ(picked.has_value(), any_free) << "newest " << newest << " mask " << mask;
            if (picked) {
                EXPECT_NE(*picked, newest);
                EXPECT_EQ(counts[*picked], 0u);
            }
        }
    }
}

TEST(LeaseTable, nothingToLeaseBeforeTheFirstPublish) {
    LeaseTable sut(3);
    EXPECT_EQ(sut.lease_newest(0), std::nullopt);
    EXPECT_EQ(sut.newest_seq(), 0u);
}

TEST(LeaseTable, leasesTheNewestFrameOnlyWhenItIsNewerThanAsked) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    sut.publish(1, 2);
    EXPECT_EQ(sut.lease_newest(0), (Lease{1, 2}));
    EXPECT_EQ(sut.lease_newest(2), std::nullopt);
    EXPECT_EQ(sut.lease_count(1), 1u);
}

TEST(LeaseTable, aLeasedSlotIsNotWrittenUntilReleased) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0));
    sut.publish(1, 2);
    EXPECT_EQ(sut.slot_to_write(), 2u);
    sut.publish(2, 3);
    EXPECT_EQ(sut.slot_to_write(), 1u);
    sut.publish(1, 4);
    EXPECT_EQ(sut.slot_to_write(), 2u);
    EXPECT_TRUE(sut.release(0));
    sut.publish(2, 5);
    EXPECT_EQ(sut.slot_to_write(), 0u);
}

TEST(LeaseTable, twoReadersOnTheNewestAndOneOnAnotherLeaveNoSlotSoTheFrameIsDropped) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0));
    sut.publish(1, 2);
    ASSERT_TRUE(sut.lease_newest(1));
    ASSERT_TRUE(sut.lease_newest(1));
    sut.publish(2, 3);
    EXPECT_EQ(sut.slot_to_write(), std::nullopt);
}

TEST(LeaseTable, releasedSlotIsReusedByNextWrite) {
    LeaseTable sut(2);
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0));
    sut.publish(1, 2);
    EXPECT_EQ(sut.slot_to_write(), std::nullopt);
    EXPECT_TRUE(sut.release(0));
    EXPECT_EQ(sut.slot_to_write(), 0u);
}

TEST(LeaseTable, releasingWhatNobodyHoldsIsReported) {
    LeaseTable sut(3);
    EXPECT_FALSE(sut.release(1));
    EXPECT_FALSE(sut.release(7));
}
