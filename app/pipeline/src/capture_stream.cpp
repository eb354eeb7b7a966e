#include "capture_stream.hpp"

#include "framebridge/app/sources/source_factory.hpp"
#include "framebridge/app/sources/source_spec.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <future>

namespace framebridge::app {

namespace {

CaptureRequest request_of(const PipelineConfig& config) {
    CaptureRequest request;
    request.size = config.geometry;
    request.fps = config.fps;
    request.fourcc = config.fourcc;
    request.loop = config.loop;
    return request;
}

CaptureOptions capture_options(double fps, bool loop, Pace pace) {
    CaptureOptions options;
    options.fps = fps;
    options.loop = loop;
    options.pace = pace;
    return options;
}

// A camera or a network stream goes on whether anyone reads it: only a file can wait.
void check_pace(const PipelineConfig& config) {
    if (config.pace == Pace::Clients &&
        parse_source_spec(config.source).kind != SourceSpec::Kind::File) {
        throw std::invalid_argument(
            "--pace clients works with video files only, not " +
            parse_source_spec(config.source).describe() +
            ": a camera or stream does not wait for its readers (leave out --pace)");
    }
}

double fps_of(const PipelineConfig& config, const FrameSource& source) {
    if (config.fps) {
        return *config.fps;
    }
    return config.pace == Pace::Clients ? 0.0 : source.natural_fps();
}

// The stream's own view of the pipeline's settings: its name and source.
PipelineConfig config_of(const StreamSpec& spec, const PipelineConfig& config) {
    PipelineConfig own = config;
    own.name = spec.name;
    own.source = spec.source;
    own.streams.clear();
    return own;
}

std::unique_ptr<FrameSource> open_source(const PipelineConfig& config) {
    check_pace(config);
    return make_source(config.source, request_of(config));
}

}  // namespace

struct CaptureStream::Generation {
    Generation(std::unique_ptr<FrameSource> opened, const PipelineConfig& config)
        : source(std::move(opened)),
          fps(fps_of(config, *source)),
          loop(config.loop),
          ring(
              shm::FrameRing::create(config.name, config.slots, source->geometry().payload_size())),
          leases(config.slots) {}

    StreamDetails details() const { return {protocol::Producer::Capture, source->geometry(), fps}; }

    std::unique_ptr<FrameSource> source;
    double fps;
    bool loop;
    shm::FrameRing ring;
    shm::LeaseTable leases;
};

CaptureStream::CaptureStream(const StreamSpec& spec, const PipelineConfig& config)
    : name_(spec.name), config_(config_of(spec, config)) {
    // The same kinds of exception, each naming the stream: one of several may be the bad one.
    const std::string which = "stream '" + name_ + "' (" + spec.source + "): ";
    try {
        generation_ = std::make_unique<Generation>(open_source(config_), config_);
    } catch (const shm::SegmentError& e) {
        throw shm::SegmentError(e.reason(), which + e.what());
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(which + e.what());
    } catch (const std::exception& e) {
        throw std::runtime_error(which + e.what());
    }
    if (const auto pid = generation_->ring.replaced_stale_producer()) {
        spdlog::warn("replaced stream '{}' left behind by process {}, which is gone", name_, *pid);
    }
}

CaptureStream::~CaptureStream() {
    stop();
}

void CaptureStream::serve(NotifyServer& server, boost::asio::io_context& io) {
    server_ = &server;
    io_ = &io;
    served_ =
        server.add_stream(name_, generation_->ring, generation_->leases, generation_->details());
    if (config_.pace == Pace::Clients) {
        spdlog::info(
            "stream '{}' is paced by its clients: each frame is read once every client has the "
            "one before, starting with the first client",
            name_);
    }
}

void CaptureStream::start(std::uint64_t first_seq) {
    start_capture(first_seq);
}

void CaptureStream::stop() {
    stop_capture();
}

void CaptureStream::start_capture(std::uint64_t first_seq) {
    auto next = std::make_unique<CaptureLoop>(
        *generation_->source, generation_->ring, generation_->leases,
        capture_options(generation_->fps, generation_->loop, config_.pace),
        CaptureEvents{
            [this] { server_->notify_published(served_); },
            [this](protocol::StreamState state, const std::string& why) { on_state(state, why); },
            [this] { return server_->slowest_reader_seq(*served_); }});
    next->start(first_seq);
    const std::lock_guard lock(capture_mutex_);
    capture_ = std::move(next);
}

// Returns the sequence number the next capture goes on from.
std::uint64_t CaptureStream::stop_capture() {
    if (!capture_) {
        return 1;
    }
    capture_->stop();
    const std::uint64_t next_seq = capture_->next_seq();
    const std::lock_guard lock(capture_mutex_);
    capture_.reset();
    return next_seq;
}

void CaptureStream::readers_changed() {
    const std::lock_guard lock(capture_mutex_);
    if (capture_) {
        capture_->readers_changed();
    }
}

void CaptureStream::on_state(protocol::StreamState state, const std::string& why) {
    const auto level =
        state == protocol::StreamState::Live ? spdlog::level::info : spdlog::level::warn;
    spdlog::log(level, "stream '{}' is {}: {}", name_, to_string(state), why);
    server_->notify_stream_state(served_, state, why);
}

void CaptureStream::on_io_thread(const std::function<void()>& task) {
    std::packaged_task<void()> job(task);
    auto done = job.get_future();
    boost::asio::post(*io_, [&job] { job(); });
    done.get();
}

void CaptureStream::serve_generation() {
    on_io_thread([this] {
        server_->switch_ring(*served_, generation_->ring, generation_->leases,
                             generation_->details());
    });
}

void CaptureStream::switch_source(const PipelineConfig& next) {
    PipelineConfig config = next;
    config.name = config_.name;
    config.slots = config_.slots;
    config.listen_address = config_.listen_address;
    config.port = config_.port;
    config.pace = config_.pace;
    config.streams.clear();
    auto source = open_source(config);

    const std::lock_guard lock(generation_mutex_);
    const std::uint64_t next_seq = stop_capture();
    std::unique_ptr<Generation> old = std::move(generation_);
    // Clients keep their mapping of the old segment; the name goes to the new one.
    old->ring.remove_name();
    try {
        generation_ = std::make_unique<Generation>(std::move(source), config);
        config_ = config;
    } catch (const std::exception& e) {
        spdlog::error("cannot switch stream '{}' to {}: {}; going on with {}", name_, config.source,
                      e.what(), old->source->description());
        generation_ = std::make_unique<Generation>(std::move(old->source), config_);
        serve_generation();
        start_capture(next_seq);
        throw;
    }
    serve_generation();
    old.reset();
    start_capture(next_seq);
    on_state(protocol::StreamState::Live, "now serving " + generation_->source->description());
}

std::optional<LocalFrame> CaptureStream::lease_newest(std::uint64_t after_seq) {
    const std::lock_guard lock(generation_mutex_);
    Generation& g = *generation_;
    const auto lease = g.leases.lease_newest(after_seq, shm::LOCAL_READER);
    if (!lease) {
        return std::nullopt;
    }
    return LocalFrame(g.leases, *lease, g.ring.slot_data(lease->slot),
                      g.ring.descriptor(lease->slot));
}

CaptureStats CaptureStream::stats() const {
    const std::lock_guard lock(generation_mutex_);
    return capture_ ? capture_->stats() : CaptureStats{};
}

double CaptureStream::fps() const {
    const std::lock_guard lock(generation_mutex_);
    return generation_->fps;
}

std::string CaptureStream::segment_name() const {
    const std::lock_guard lock(generation_mutex_);
    return generation_->ring.name();
}

std::uint64_t CaptureStream::segment_size() const {
    const std::lock_guard lock(generation_mutex_);
    return generation_->ring.header().segment_size;
}

std::string CaptureStream::source_description() const {
    const std::lock_guard lock(generation_mutex_);
    return generation_->source->description();
}

}  // namespace framebridge::app
