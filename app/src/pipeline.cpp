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
namespace {

CaptureRequest request_of(const PipelineConfig& config) {
    CaptureRequest request;
    request.size = config.geometry;
    request.fps = config.fps;
    request.fourcc = config.fourcc;
    request.loop = config.loop;
    return request;
}

CaptureOptions capture_options(double fps, bool loop) {
    CaptureOptions options;
    options.fps = fps;
    options.loop = loop;
    return options;
}

}  // namespace

// Declared in the order they must come up; they go down in reverse.
struct Pipeline::Parts {
    explicit Parts(const PipelineConfig& config)
        : source(make_source(config.source, request_of(config))),
          fps(config.fps.value_or(source->natural_fps())),
          ring(
              shm::FrameRing::create(config.name, config.slots, source->geometry().payload_size())),
          leases(config.slots),
          server(io, config.listen_address, config.port, ring, leases),
          capture(*source, ring, leases, capture_options(fps, config.loop),
                  CaptureEvents{[this] { server.notify_published(); },
                                [this](StreamState state, const std::string& why) {
                                    on_state(state, why);
                                }}) {
        if (const auto pid = ring.replaced_stale_producer()) {
            spdlog::warn("replaced stream '{}' left behind by process {}, which is gone",
                         config.name, *pid);
        }
        server.start();
        io_thread = std::thread([this] { io.run(); });
        capture.start();
    }

    void on_state(StreamState state, const std::string& why) {
        const auto level = state == StreamState::Live ? spdlog::level::info : spdlog::level::warn;
        spdlog::log(level, "stream '{}' is {}: {}", ring.name(), to_string(state), why);
        server.notify_stream_state(state, why);
    }

    std::unique_ptr<FrameSource> source;
    double fps;
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

double Pipeline::capture_fps() const noexcept {
    return parts_ ? parts_->fps : 0.0;
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
