#include "framebridge/app/pipeline.hpp"

#include "framebridge/app/capture_loop.hpp"
#include "framebridge/app/notify_server.hpp"
#include "framebridge/app/source_factory.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <thread>

namespace framebridge::app {

namespace asio = boost::asio;

// Declared in the order they must come up; they go down in reverse.
struct Pipeline::Parts {
    explicit Parts(const PipelineConfig& config)
        : source(make_source(config.source, config.geometry)),
          ring(
              shm::FrameRing::create(config.name, config.slots, source->geometry().payload_size())),
          leases(config.slots),
          server(io, config.listen_address, config.port, ring, leases),
          capture(*source, ring, leases, config.fps, [this] { server.notify_published(); }) {
        if (const auto pid = ring.replaced_stale_producer()) {
            spdlog::warn("replaced stream '{}' left behind by process {}, which is gone",
                         config.name, *pid);
        }
        server.start();
        io_thread = std::thread([this] { io.run(); });
        capture.start();
    }

    std::unique_ptr<FrameSource> source;
    shm::FrameRing ring;
    shm::LeaseTable leases;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    NotifyServer server;
    CaptureLoop capture;
    std::thread io_thread;
};

Pipeline::Pipeline(const PipelineConfig& config) : parts_(std::make_unique<Parts>(config)) {}

Pipeline::~Pipeline() {
    stop();
}

void Pipeline::stop() {
    if (!parts_) {
        return;
    }
    parts_->capture.stop();
    asio::post(parts_->io, [parts = parts_.get()] {
        parts->server.stop();
        parts->work.reset();
    });
    parts_->io_thread.join();
    parts_.reset();
}

PipelineStats Pipeline::stats() const {
    PipelineStats stats;
    if (parts_) {
        stats.capture = parts_->capture.stats();
        stats.clients = parts_->server.client_stats();
    }
    return stats;
}

std::optional<LocalFrame> Pipeline::lease_newest(std::uint64_t after_seq) {
    if (!parts_) {
        return std::nullopt;
    }
    const auto lease = parts_->leases.lease_newest(after_seq);
    if (!lease) {
        return std::nullopt;
    }
    return LocalFrame(parts_->leases, *lease, parts_->ring.slot_data(lease->slot),
                      parts_->ring.descriptor(lease->slot));
}

std::uint16_t Pipeline::port() const noexcept {
    return parts_ ? parts_->server.port() : 0;
}

std::string Pipeline::endpoint() const {
    return parts_ ? parts_->server.endpoint() : "(stopped)";
}

std::string Pipeline::segment_name() const {
    return parts_ ? parts_->ring.name() : std::string{};
}

std::uint64_t Pipeline::segment_size() const noexcept {
    return parts_ ? parts_->ring.header().segment_size : 0;
}

std::string Pipeline::source_description() const {
    return parts_ ? parts_->source->description() : std::string{};
}

}  // namespace framebridge::app
