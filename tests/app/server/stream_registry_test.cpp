#include "framebridge/app/server/stream_registry.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>

namespace framebridge::test {
namespace {

class StreamRegistryTest : public ::testing::Test {
protected:
    std::shared_ptr<app::ServedStream> stream(const std::string& name) {
        return std::make_shared<app::ServedStream>(name, ring, leases, app::StreamDetails{});
    }

    shm::FrameRing ring = shm::FrameRing::create(unique_stream_name(), 2, 64);
    shm::LeaseTable leases{2};
    app::StreamRegistry sut;
};

TEST_F(StreamRegistryTest, anEmptyNameFindsTheFirstStreamMade) {
    EXPECT_FALSE(sut.find(""));
    const auto front = stream("front");
    ASSERT_TRUE(sut.add(front));
    ASSERT_TRUE(sut.add(stream("back")));
    EXPECT_EQ(sut.find(""), front);
    EXPECT_EQ(sut.find("back")->name(), "back");
    EXPECT_FALSE(sut.find("side"));
    EXPECT_EQ(sut.names(), "front, back");
}

TEST_F(StreamRegistryTest, aNameIsTakenUntilItsStreamIsRemoved) {
    const auto first = stream("edges");
    ASSERT_TRUE(sut.add(first));
    EXPECT_FALSE(sut.add(stream("edges")));
    sut.remove(*first);
    EXPECT_FALSE(sut.find("edges"));
    EXPECT_TRUE(sut.add(stream("edges")));
    EXPECT_EQ(sut.all().size(), 1u);
}

}  // namespace
}  // namespace framebridge::test
