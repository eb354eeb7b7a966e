#include "framebridge/app/pipeline/pipeline.hpp"

#include "framebridge/app/capture/capture_loop.hpp"
#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/app/sources/source_factory.hpp"
#include "framebridge/app/sources/source_spec.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <future>
#include <mutex>
#include <thread>

namespace framebridge::app {

namespace asio = boost::asio;

namespace {

CaptureRequest request_of(const PipelineConfig& config) {
    CaptureRequest request;
    request.size = config.geometry;
    request.fps = config.fps;
    request.fourcc = config.fourcc;
    request.loop = config.loop;
    return request;
}

SessionPolicy policy_of(const PipelineConfig& config) {
    SessionPolicy policy;
    policy.token = config.token;
    return policy;
}

CaptureOptions capture_options(double fps, bool loop, Pace pace) {
    CaptureOptions options;
    options.fps = fps;
    options.loop = loop;
    options.pace = pace;
    return options;
}

// A camera or a network stream goes on whether anyone reads it: only a file can wait.
const PipelineConfig& check_pace(const PipelineConfig& config) {
    if (config.pace == Pace::Clients &&
        parse_source_spec(config.source).kind != SourceSpec::Kind::File) {
        throw std::invalid_argument(
            "--pace clients works with video files only, not " +
            parse_source_spec(config.source).describe() +
            ": a camera or stream does not wait for its readers (leave out --pace)");
    }
    return config;
}

double fps_of(const PipelineConfig& config, const FrameSource& source) {
    if (config.fps) {
        return *config.fps;
    }
    return config.pace == Pace::Clients ? 0.0 : source.natural_fps();
}

// One source and the segment sized for it. A switch of source makes a new one.
struct Generation {
    Generation(std::unique_ptr<FrameSource> opened, const PipelineConfig& config)
        : source(std::move(opened)),
          fps(fps_of(config, *source)),
          loop(config.loop),
          ring(
              shm::FrameRing::create(config.name, config.slots, source->geometry().payload_size())),
          leases(config.slots) {}

    std::unique_ptr<FrameSource> source;
    double fps;
    bool loop;
    shm::FrameRing ring;
    shm::LeaseTable leases;
};

}  // namespace

// Declared in the order they must come up; they go down in reverse.
struct Pipeline::Parts {
    explicit Parts(const PipelineConfig& first)
        : config(check_pace(first)),
          generation(
              std::make_unique<Generation>(make_source(first.source, request_of(first)), first)),
          server(io, first.listen_address, first.port, generation->ring, generation->leases,
                 policy_of(first)) {
        if (const auto pid = generation->ring.replaced_stale_producer()) {
            spdlog::warn("replaced stream '{}' left behind by process {}, which is gone",
                         first.name, *pid);
        }
        if (first.pace == Pace::Clients) {
            server.on_readers_changed([this] { readers_changed(); });
            spdlog::info(
                "stream '{}' is paced by its clients: each frame is read once every "
                "client has the one before, starting with the first client",
                first.name);
        }
        server.start();
        io_thread = std::thread([this] { io.run(); });
        start_capture(1);
    }

    void start_capture(std::uint64_t first_seq) {
        auto next = std::make_unique<CaptureLoop>(
            *generation->source, generation->ring, generation->leases,
            capture_options(generation->fps, generation->loop, config.pace),
            CaptureEvents{[this] { server.notify_published(); },
                          [this](protocol::StreamState state, const std::string& why) {
                              on_state(state, why);
                          },
                          [this] { return server.slowest_reader_seq(); }});
        next->start(first_seq);
        const std::lock_guard lock(capture_mutex);
        capture = std::move(next);
    }

    // Returns the sequence number the next capture goes on from.
    std::uint64_t stop_capture() {
        if (!capture) {
            return 1;
        }
        capture->stop();
        const std::uint64_t next_seq = capture->next_seq();
        const std::lock_guard lock(capture_mutex);
        capture.reset();
        return next_seq;
    }

    // The io thread, with --pace clients: a client was sent a frame, or left.
    void readers_changed() {
        const std::lock_guard lock(capture_mutex);
        if (capture) {
            capture->readers_changed();
        }
    }

    void on_state(protocol::StreamState state, const std::string& why) {
        const auto level =
            state == protocol::StreamState::Live ? spdlog::level::info : spdlog::level::warn;
        spdlog::log(level, "stream '{}' is {}: {}", config.name, to_string(state), why);
        server.notify_stream_state(state, why);
    }

    // Runs `task` on the io thread and waits for it, so that nothing there still uses what
    // the caller is about to change.
    template <typename Task>
    void on_io_thread(Task task) {
        std::packaged_task<void()> job(std::move(task));
        auto done = job.get_future();
        asio::post(io, [&job] { job(); });
        done.get();
    }

    PipelineConfig config;
    mutable std::mutex generation_mutex;  ///< guards generation and capture against readers
    std::unique_ptr<Generation> generation;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    NotifyServer server;
    std::thread io_thread;
    // Also guards the pointer against readers_changed() on the io thread, which must not wait
    // for generation_mutex: switch_source() holds that while it waits for the io thread.
    std::mutex capture_mutex;
    std::unique_ptr<CaptureLoop> capture;
};

Pipeline::Pipeline(const PipelineConfig& config) : parts_(std::make_unique<Parts>(config)) {}

Pipeline::~Pipeline() {
    stop();
}

void Pipeline::stop() {
    if (!parts_) {
        return;
    }
    parts_->stop_capture();
    asio::post(parts_->io, [parts = parts_.get()] {
        parts->server.stop();
        parts->work.reset();
    });
    parts_->io_thread.join();
    parts_.reset();
}

void Pipeline::switch_source(const PipelineConfig& next) {
    if (!parts_) {
        throw std::logic_error("switch_source on a stopped pipeline");
    }
    Parts& p = *parts_;
    PipelineConfig config = next;
    config.name = p.config.name;
    config.slots = p.config.slots;
    config.listen_address = p.config.listen_address;
    config.port = p.config.port;
    config.pace = p.config.pace;
    check_pace(config);
    auto source = make_source(config.source, request_of(config));

    const std::lock_guard lock(p.generation_mutex);
    const std::uint64_t next_seq = p.stop_capture();
    std::unique_ptr<Generation> old = std::move(p.generation);
    // Clients keep their mapping of the old segment; the name goes to the new one.
    old->ring.remove_name();
    try {
        p.generation = std::make_unique<Generation>(std::move(source), config);
        p.config = config;
    } catch (const std::exception& e) {
        spdlog::error("cannot switch stream '{}' to {}: {}; going on with {}", config.name,
                      config.source, e.what(), old->source->description());
        p.generation = std::make_unique<Generation>(std::move(old->source), p.config);
        p.on_io_thread([&] { p.server.switch_ring(p.generation->ring, p.generation->leases); });
        p.start_capture(next_seq);
        throw;
    }
    p.on_io_thread([&] { p.server.switch_ring(p.generation->ring, p.generation->leases); });
    old.reset();
    p.start_capture(next_seq);
    p.on_state(protocol::StreamState::Live, "now serving " + p.generation->source->description());
}

PipelineStats Pipeline::stats() const {
    PipelineStats stats;
    if (parts_) {
        {
            const std::lock_guard lock(parts_->generation_mutex);
            if (parts_->capture) {
                stats.capture = parts_->capture->stats();
            }
        }
        stats.clients = parts_->server.client_stats();
        stats.connections = parts_->server.connection_stats();
    }
    return stats;
}

std::optional<LocalFrame> Pipeline::lease_newest(std::uint64_t after_seq) {
    if (!parts_) {
        return std::nullopt;
    }
    const std::lock_guard lock(parts_->generation_mutex);
    Generation& g = *parts_->generation;
    const auto lease = g.leases.lease_newest(after_seq, shm::LOCAL_READER);
    if (!lease) {
        return std::nullopt;
    }
    return LocalFrame(g.leases, *lease, g.ring.slot_data(lease->slot),
                      g.ring.descriptor(lease->slot));
}

double Pipeline::capture_fps() const {
    if (!parts_) {
        return 0.0;
    }
    const std::lock_guard lock(parts_->generation_mutex);
    return parts_->generation->fps;
}

std::uint16_t Pipeline::port() const noexcept {
    return parts_ ? parts_->server.port() : 0;
}

std::string Pipeline::endpoint() const {
    return parts_ ? parts_->server.endpoint() : "(stopped)";
}

std::string Pipeline::segment_name() const {
    if (!parts_) {
        return {};
    }
    const std::lock_guard lock(parts_->generation_mutex);
    return parts_->generation->ring.name();
}

std::uint64_t Pipeline::segment_size() const {
    if (!parts_) {
        return 0;
    }
    const std::lock_guard lock(parts_->generation_mutex);
    return parts_->generation->ring.header().segment_size;
}

std::string Pipeline::source_description() const {
    if (!parts_) {
        return {};
    }
    const std::lock_guard lock(parts_->generation_mutex);
    return parts_->generation->source->description();
}

}  // namespace framebridge::app
