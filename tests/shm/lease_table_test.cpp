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

namespace {

constexpr OwnerId ALICE = 1;
constexpr OwnerId BOB = 2;
constexpr std::uint64_t MS = 1'000'000;

}  // namespace

TEST(LeaseTable, nothingToLeaseBeforeTheFirstPublish) {
    LeaseTable sut(3);
    EXPECT_EQ(sut.lease_newest(0, ALICE), std::nullopt);
    EXPECT_EQ(sut.newest_seq(), 0u);
}

TEST(LeaseTable, leasesTheNewestFrameOnlyWhenItIsNewerThanAsked) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    sut.publish(1, 2);
    EXPECT_EQ(sut.lease_newest(0, ALICE), (Lease{1, 2}));
    EXPECT_EQ(sut.lease_newest(2, ALICE), std::nullopt);
    EXPECT_EQ(sut.lease_count(1), 1u);
}

TEST(LeaseTable, aLeasedSlotIsNotWrittenUntilReleased) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    const auto held = sut.lease_newest(0, ALICE);
    ASSERT_TRUE(held);
    sut.publish(1, 2);
    EXPECT_EQ(sut.slot_to_write(0), 2u);
    sut.publish(2, 3);
    EXPECT_EQ(sut.slot_to_write(0), 1u);
    sut.publish(1, 4);
    EXPECT_EQ(sut.slot_to_write(0), 2u);
    EXPECT_TRUE(sut.release(*held, ALICE));
    sut.publish(2, 5);
    EXPECT_EQ(sut.slot_to_write(0), 0u);
}

TEST(LeaseTable, onlyTheOwnerCanGiveALeaseBackAndOnlyOnce) {
    LeaseTable sut(3);
    sut.publish(0, 1);
    const auto held = sut.lease_newest(0, ALICE);
    ASSERT_TRUE(held);
    EXPECT_FALSE(sut.release(*held, BOB));
    EXPECT_FALSE(sut.release({held->slot, 99}, ALICE));
    EXPECT_TRUE(sut.release(*held, ALICE));
    EXPECT_FALSE(sut.release(*held, ALICE));
    EXPECT_EQ(sut.lease_count(0), 0u);
}

TEST(LeaseTable, releaseAllGivesBackEverythingAnOwnerHolds) {
    LeaseTable sut(4);
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0, ALICE));
    ASSERT_TRUE(sut.lease_newest(0, BOB));
    sut.publish(1, 2);
    ASSERT_TRUE(sut.lease_newest(1, ALICE));
    EXPECT_EQ(sut.release_all(ALICE), 2u);
    EXPECT_EQ(sut.lease_count(0), 1u);
    EXPECT_EQ(sut.lease_count(1), 0u);
}

// 3 slots: frames 1 and 2 held, frame 3 the newest.
class StarvedTable : public ::testing::Test {
protected:
    StarvedTable() {
        sut.publish(0, 1);
        first = *sut.lease_newest(0, ALICE);
        sut.publish(1, 2);
        second = *sut.lease_newest(1, holder_of_second);
        sut.publish(2, 3);
    }

    OwnerId holder_of_second = BOB;
    LeaseTable sut{3, std::chrono::milliseconds{100}};
    Lease first;
    Lease second;
};

TEST_F(StarvedTable, briefHoldsOnlyDropFrames) {
    EXPECT_EQ(sut.slot_to_write(1000 * MS), std::nullopt);
    EXPECT_EQ(sut.slot_to_write(1099 * MS), std::nullopt);
    EXPECT_EQ(sut.revoked(ALICE) + sut.revoked(BOB), 0u);
}

TEST_F(StarvedTable, aSlotFreedInTimeEndsTheStarvationWithoutTakingAnythingBack) {
    EXPECT_EQ(sut.slot_to_write(1000 * MS), std::nullopt);
    EXPECT_TRUE(sut.release(first, ALICE));
    EXPECT_EQ(sut.slot_to_write(1050 * MS), 0u);
    sut.publish(0, 4);
    ASSERT_TRUE(sut.lease_newest(3, ALICE));
    EXPECT_EQ(sut.slot_to_write(1060 * MS), 2u);
    sut.publish(2, 5);
    // Starved again: the clock starts now, not at the first starvation.
    EXPECT_EQ(sut.slot_to_write(1120 * MS), std::nullopt);
    EXPECT_EQ(sut.slot_to_write(1219 * MS), std::nullopt);
    EXPECT_EQ(sut.revoked(ALICE) + sut.revoked(BOB), 0u);
    EXPECT_TRUE(sut.slot_to_write(1220 * MS));
}

TEST_F(StarvedTable, afterTheBoundTheOldestLeaseIsTakenBackAndCounted) {
    EXPECT_EQ(sut.slot_to_write(1000 * MS), std::nullopt);
    EXPECT_EQ(sut.slot_to_write(1100 * MS), first.slot);
    EXPECT_EQ(sut.revoked(ALICE), 1u);
    EXPECT_EQ(sut.revoked(BOB), 0u);
    EXPECT_FALSE(sut.release(first, ALICE)) << "a lease taken back is no longer held";
    EXPECT_TRUE(sut.release(second, BOB));
}

TEST(LeaseTable, theOwnerHoldingTheMostGivesUpFirstEvenANewerFrame) {
    LeaseTable sut(4, std::chrono::nanoseconds{0});
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0, ALICE));
    sut.publish(1, 2);
    ASSERT_TRUE(sut.lease_newest(1, BOB));
    sut.publish(2, 3);
    ASSERT_TRUE(sut.lease_newest(2, BOB));
    sut.publish(3, 4);
    EXPECT_EQ(sut.slot_to_write(0), 1u) << "Bob holds two: his oldest goes, not Alice's";
    EXPECT_EQ(sut.revoked(BOB), 1u);
    EXPECT_EQ(sut.revoked(ALICE), 0u);
}

TEST(LeaseTable, theNewestSlotIsNeverTakenBack) {
    LeaseTable sut(2, std::chrono::nanoseconds{0});
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0, ALICE));
    ASSERT_TRUE(sut.lease_newest(0, ALICE));
    sut.publish(1, 2);
    ASSERT_TRUE(sut.lease_newest(1, BOB));
    EXPECT_EQ(sut.slot_to_write(0), 0u) << "Alice's old frame, though Bob holds the newest";
    EXPECT_EQ(sut.revoked(ALICE), 2u);
    EXPECT_EQ(sut.revoked(BOB), 0u);
}

TEST(LeaseTable, everyoneHoldingTheTakenSlotLosesIt) {
    LeaseTable sut(3, std::chrono::nanoseconds{0});
    sut.publish(0, 1);
    ASSERT_TRUE(sut.lease_newest(0, ALICE));
    ASSERT_TRUE(sut.lease_newest(0, BOB));
    sut.publish(1, 2);
    ASSERT_TRUE(sut.lease_newest(1, ALICE));
    sut.publish(2, 3);
    EXPECT_EQ(sut.slot_to_write(0), 0u);
    EXPECT_EQ(sut.revoked(ALICE), 1u);
    EXPECT_EQ(sut.revoked(BOB), 1u);
    EXPECT_EQ(sut.lease_count(0), 0u);
}
