#include "framebridge/app/stats/latency_window.hpp"

#include <gtest/gtest.h>

using framebridge::app::LatencyWindow;

TEST(LatencyWindow, emptyWindowSummarisesToZeros) {
    const LatencyWindow sut;
    const auto s = sut.summary(1000);
    EXPECT_EQ(s.count, 0u);
    EXPECT_EQ(s.p50_ns, 0u);
    EXPECT_EQ(s.max_ns, 0u);
}

TEST(LatencyWindow, percentilesAreNearestRank) {
    LatencyWindow sut(1'000'000, 1000);
    for (std::uint64_t v = 1; v <= 100; ++v) {
        sut.add(10, v);
    }
    const auto s = sut.summary(10);
    EXPECT_EQ(s.count, 100u);
    EXPECT_EQ(s.p50_ns, 50u);
    EXPECT_EQ(s.p99_ns, 99u);
    EXPECT_EQ(s.max_ns, 100u);
}

TEST(LatencyWindow, oldSamplesLeaveTheWindow) {
    LatencyWindow sut(100, 1000);
    sut.add(0, 5000);
    sut.add(50, 7);
    EXPECT_EQ(sut.summary(60).max_ns, 5000u);
    EXPECT_EQ(sut.summary(120).max_ns, 7u);
    EXPECT_EQ(sut.summary(1000).count, 0u);
}

TEST(LatencyWindow, keepsAtMostMaxSamples) {
    LatencyWindow sut(1'000'000, 3);
    sut.add(1, 100);
    sut.add(2, 1);
    sut.add(3, 2);
    sut.add(4, 3);
    const auto s = sut.summary(5);
    EXPECT_EQ(s.count, 3u);
    EXPECT_EQ(s.max_ns, 3u);
}
