#pragma once

#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include "support/test_client.hpp"
#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <thread>

namespace framebridge::test {

// A NotifyServer on its own io thread over a real ring, with frames published by hand so
// every test decides exactly what exists when.
class NotifyServerTest : public ::testing::Test {
protected:
    explicit NotifyServerTest(app::SessionPolicy policy = quick_policy(nullptr))
        : ring(shm::FrameRing::create(unique_stream_name(), 3, geometry.payload_size())),
          leases(3),
          sut(io, "127.0.0.1", 0, ring, leases, std::move(policy)) {
        sut.start();
        io_thread = std::thread([this] { io.run(); });
    }

    // The server's own limits, but for what `change` sets: a test of a limit makes it short, so
    // that it does not wait long. Limits a test is not about stay long, for a loaded machine.
    static app::SessionPolicy quick_policy(
        const std::function<void(app::SessionPolicy&)>& change = nullptr) {
        app::SessionPolicy p;
        if (change) {
            change(p);
        }
        return p;
    }

    ~NotifyServerTest() override {
        boost::asio::post(io, [this] {
            sut.stop();
            work.reset();
        });
        io_thread.join();
    }

    // Writes frame `seq` into whatever slot the producer would pick, and announces it.
    std::uint32_t publish(std::uint64_t seq) {
        const auto slot = leases.slot_to_write(framebridge::shm::monotonic_now_ns());
        EXPECT_TRUE(slot) << "no free slot for frame " << seq;
        ring.begin_write(*slot);
        ring.end_write(*slot, {seq, geometry, seq * 10, seq * 10 + 1});
        leases.publish(*slot, seq);
        sut.notify_published();
        return *slot;
    }

    std::uint32_t total_leases() const {
        std::uint32_t total = 0;
        for (std::uint32_t s = 0; s < 3; ++s) {
            total += leases.lease_count(s);
        }
        return total;
    }

    const shm::FrameGeometry geometry{64, 16, shm::PixelFormat::Bgr8};
    shm::FrameRing ring;
    shm::LeaseTable leases;
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        io.get_executor()};
    app::NotifyServer sut;
    std::thread io_thread;
};

}  // namespace framebridge::test
