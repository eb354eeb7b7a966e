#pragma once

#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/app/sources/synthetic_source.hpp"
#include "framebridge/shm/monotonic_clock.hpp"

#include "support/unique_name.hpp"

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <memory>
#include <thread>
#include <vector>

namespace framebridge::test {

/// @brief Another stream of a HandServer, listed after its first, with a ring of its own.
struct HandStream {
    HandStream(const shm::FrameGeometry& geometry, std::uint32_t slots)
        : ring(shm::FrameRing::create(name, slots, geometry.payload_size())), leases(slots) {}

    const std::string name = unique_stream_name();
    shm::FrameRing ring;
    shm::LeaseTable leases;
    std::shared_ptr<app::ServedStream> served;
};

/// @brief The real NotifyServer over a real ring, on its own io thread, with frames published by
/// hand (stamped as the synthetic source stamps them), so a test decides what exists when.
class HandServer {
public:
    static constexpr std::uint32_t SLOTS = 3;

    /// @brief A server of one stream, and as many more as `more_streams`, all of `geometry`.
    explicit HandServer(app::SessionPolicy policy = {}, std::size_t more_streams = 0)
        : ring(shm::FrameRing::create(name, SLOTS, geometry.payload_size())),
          leases(SLOTS),
          server(io, "127.0.0.1", 0, std::move(policy)) {
        server.add_stream(name, ring, leases, {protocol::Producer::Capture, geometry, 0.0});
        for (std::size_t i = 0; i < more_streams; ++i) {
            auto& stream = *more.emplace_back(std::make_unique<HandStream>(geometry, SLOTS));
            stream.served = server.add_stream(stream.name, stream.ring, stream.leases,
                                              {protocol::Producer::Capture, geometry, 0.0});
        }
        server.start();
        io_thread = std::thread([this] { io.run(); });
    }

    ~HandServer() {
        boost::asio::post(io, [this] {
            server.stop();
            work.reset();
        });
        io_thread.join();
    }

    HandServer(const HandServer&) = delete;
    HandServer& operator=(const HandServer&) = delete;

    /// @brief Writes frame `seq`, stamped and with `metadata`, into the slot the producer would
    /// pick, and announces it.
    std::uint32_t publish(std::uint64_t seq, std::uint64_t source_seq = 0,
                          const shm::FrameMetadata& metadata = {}) {
        const std::uint32_t slot = write(ring, leases, seq, source_seq, metadata);
        server.notify_published();
        return slot;
    }

    /// @brief The same on `more[index]`.
    std::uint32_t publish_on(std::size_t index, std::uint64_t seq) {
        HandStream& stream = *more.at(index);
        const std::uint32_t slot = write(stream.ring, stream.leases, seq, 0, {});
        server.notify_published(stream.served);
        return slot;
    }

    /// @brief Where the last stamp starts: the last 8 bytes of the last row's pixels.
    std::size_t stamp_end_offset() const {
        return std::size_t{geometry.height - 1} * geometry.stride() +
               std::size_t{geometry.width} * 3 - 8;
    }

    /// @brief Runs `action` on the io thread and waits for it.
    template <typename Action>
    void on_io_thread(Action action) {
        std::promise<void> done;
        boost::asio::post(io, [&] {
            action();
            done.set_value();
        });
        done.get_future().get();
    }

    std::uint32_t total_leases() const {
        std::uint32_t total = 0;
        for (std::uint32_t s = 0; s < SLOTS; ++s) {
            total += leases.lease_count(s);
        }
        return total;
    }

    static void stamp(std::byte* at, std::uint64_t seq) {
        for (int i = 0; i < 8; ++i) {
            at[i] = static_cast<std::byte>(seq >> (8 * i));
        }
    }

    const shm::FrameGeometry geometry{64, 16, shm::PixelFormat::Bgr8};
    const std::string name = unique_stream_name();  ///< the first stream's
    shm::FrameRing ring;
    shm::LeaseTable leases;
    std::vector<std::unique_ptr<HandStream>> more;  ///< outlives the server that serves them
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        io.get_executor()};
    app::NotifyServer server;
    std::thread io_thread;

private:
    std::uint32_t write(shm::FrameRing& to, shm::LeaseTable& its_leases, std::uint64_t seq,
                        std::uint64_t source_seq, const shm::FrameMetadata& metadata) {
        const auto slot = its_leases.slot_to_write(shm::monotonic_now_ns());
        EXPECT_TRUE(slot) << "no free slot for frame " << seq;
        to.begin_write(*slot);
        std::byte* pixels = to.slot_data(*slot);
        stamp(pixels, seq);
        stamp(pixels + stamp_end_offset(), seq);
        to.end_write(*slot, {seq, geometry, shm::monotonic_now_ns(), shm::monotonic_now_ns(),
                             source_seq, metadata});
        its_leases.publish(*slot, seq);
        return *slot;
    }
};

}  // namespace framebridge::test
