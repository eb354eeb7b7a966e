#include "framebridge/app/record/recorder.hpp"

#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/record/record_file.hpp"
#include "framebridge/app/record/sidecar_lines.hpp"
#include "framebridge/shm/monotonic_clock.hpp"
#include "video_file.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace framebridge::app {

namespace {

// The pipeline has no way to wait for a frame, so the recorder looks for one this often: at
// 30 fps that is about 33 looks a frame, each a lock-free read of the ring's newest seq, and a
// frame waits at most this long before it is copied out.
constexpr std::chrono::milliseconds POLL_EVERY{1};
constexpr double DEFAULT_FPS = 30.0;

std::string stream_list(const std::vector<StreamInfo>& streams) {
    std::string names;
    for (const StreamInfo& s : streams) {
        names += (names.empty() ? "'" : ", '") + s.name + "'";
    }
    return names;
}

// Resolves "" to the first stream, and finds the stream's rate.
StreamInfo find_stream(const Pipeline& pipeline, const std::string& name) {
    const std::vector<StreamInfo> streams = pipeline.streams();
    for (const StreamInfo& s : streams) {
        if (name.empty() || s.name == name) {
            return s;
        }
    }
    throw std::invalid_argument("cannot record stream '" + name +
                                "': there is no such stream; the server has " +
                                stream_list(streams));
}

shm::FrameGeometry first_geometry(Pipeline& pipeline, const std::string& stream,
                                  std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (auto frame = pipeline.lease_newest(stream, 0)) {
            return frame->geometry();
        }
        if (std::chrono::steady_clock::now() >= until) {
            throw std::runtime_error(fmt::format(
                "cannot record stream '{}': it sent no frame in {:.1f} s, and the first frame "
                "gives the video its size; start recording once it runs",
                stream, std::chrono::duration<double>(timeout).count()));
        }
        std::this_thread::sleep_for(POLL_EVERY);
    }
}

std::int64_t wall_offset_ns() {
    const auto wall = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    return static_cast<std::int64_t>(wall) - static_cast<std::int64_t>(shm::monotonic_now_ns());
}

bool same_geometry(const shm::FrameGeometry& a, const shm::FrameGeometry& b) {
    return a.width == b.width && a.height == b.height && a.format == b.format;
}

// The sidecar, shared with the result handler: the pipeline keeps handlers until it stops,
// so lines that come after the recording closed it are dropped here.
class Sidecar {
public:
    explicit Sidecar(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
        if (file_ == nullptr) {
            throw std::runtime_error(fmt::format(
                "cannot record: cannot write '{}' ({}); choose a folder that exists and that "
                "you may write to",
                path, std::strerror(errno)));
        }
    }
    ~Sidecar() { close(); }
    Sidecar(const Sidecar&) = delete;
    Sidecar& operator=(const Sidecar&) = delete;

    // Flushed line by line: a process killed mid-recording loses at most the line it wrote.
    void write(const std::string& line) {
        const std::lock_guard lock(mutex_);
        put(line);
    }

    // Counted only once written: a result that comes after the end is in neither.
    void result(const ResultEvent& event) {
        const std::string line = result_line(event);
        const std::lock_guard lock(mutex_);
        if (file_ != nullptr) {
            put(line);
            ++results_;
        }
    }

    // The end line and the close under one lock, so that no result lands after the end.
    void finish(std::uint64_t frames, std::uint64_t dropped) {
        const std::lock_guard lock(mutex_);
        put(end_line(frames, dropped, results_.load()));
        close_locked();
    }

    void close() {
        const std::lock_guard lock(mutex_);
        close_locked();
    }

    std::uint64_t results() const noexcept { return results_.load(); }

private:
    void put(const std::string& line) {
        if (file_ != nullptr) {
            std::fputs(line.c_str(), file_);
            std::fputc('\n', file_);
            std::fflush(file_);
        }
    }

    void close_locked() {
        if (file_ != nullptr) {
            std::fclose(file_);
            file_ = nullptr;
        }
    }

    std::mutex mutex_;
    std::FILE* file_;
    std::atomic<std::uint64_t> results_{0};
};

}  // namespace

struct Recorder::State {
    State(Pipeline& p, const RecordOptions& options) : pipeline(p) {
        const Container container = container_of(options.path);
        const StreamInfo info = find_stream(pipeline, options.stream);
        stream = info.name;
        geometry = first_geometry(pipeline, stream, options.first_frame_timeout);
        fps = options.fps > 0 ? options.fps : (info.fps > 0 ? info.fps : DEFAULT_FPS);
        const std::string sidecar_file = sidecar_path(options.path);
        sidecar = std::make_shared<Sidecar>(sidecar_file);
        try {
            video = std::make_unique<VideoFile>(options.path, container, geometry, fps);
        } catch (...) {
            // Nothing half-made stays: the sidecar, and whatever the encoders began.
            sidecar->close();
            std::error_code ignored;
            std::filesystem::remove(sidecar_file, ignored);
            std::filesystem::remove(options.path, ignored);
            throw;
        }
        stats.path = options.path;
        stats.stream = stream;
        stats.encoder = video->encoder();
        stats.running = true;
        SidecarHeader header{
            stream,           std::filesystem::path(options.path).filename().string(),
            geometry,         fps,
            video->encoder(), "framebridge",
            wall_offset};
        sidecar->write(header_line(header));
        pipeline.on_result([sidecar = sidecar, stream = stream](const ResultEvent& event) {
            if (event.stream == stream) {
                sidecar->result(event);
            }
        });
        spdlog::info("recording stream '{}' ({}x{} {} at {:g} fps) to {} with {}", stream,
                     geometry.width, geometry.height, shm::to_string(geometry.format), fps,
                     options.path, video->encoder());
        thread = std::thread([this] { run(); });
    }

    void run() {
        std::uint64_t last_seq = 0;
        while (!stopping.load()) {
            update_rate();
            auto frame = pipeline.lease_newest(stream, last_seq);
            if (!frame) {
                std::this_thread::sleep_for(POLL_EVERY);
                continue;
            }
            if (!same_geometry(frame->geometry(), geometry)) {
                const shm::FrameGeometry g = frame->geometry();
                fail(
                    fmt::format("the stream's frames changed from {}x{} to {}x{}, and a video "
                                "keeps one size; start another recording",
                                geometry.width, geometry.height, g.width, g.height));
                break;
            }
            // The frame is held only while it is copied out: the encoder may take far longer.
            video->take(frame->pixels(), frame->stride());
            const std::uint64_t seq = frame->seq();
            const std::uint64_t capture_ns = frame->capture_ns();
            frame.reset();
            video->write();
            const std::uint64_t index = count(seq, last_seq);
            sidecar->write(frame_line(index, seq, capture_ns, wall_offset));
            last_seq = seq;
        }
        finish();
    }

    // Counts the frame written and those skipped since the last; returns its index.
    std::uint64_t count(std::uint64_t seq, std::uint64_t last_seq) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(stats.path, ec);
        const std::lock_guard lock(mutex);
        if (last_seq != 0 && seq > last_seq + 1) {
            stats.dropped += seq - last_seq - 1;
        }
        if (!ec) {
            stats.bytes = size;
        }
        return stats.frames++;
    }

    // Frames written over the last full second; it falls to 0 when none come (a publisher
    // that stopped).
    void update_rate() {
        const auto now = std::chrono::steady_clock::now();
        const std::lock_guard lock(mutex);
        if (now - rate_mark >= std::chrono::seconds(1)) {
            stats.fps = static_cast<double>(stats.frames - frames_at_mark) /
                        std::chrono::duration<double>(now - rate_mark).count();
            rate_mark = now;
            frames_at_mark = stats.frames;
        }
    }

    void fail(const std::string& error) {
        spdlog::error("recording {} stopped: {}", stats.path, error);
        const std::lock_guard lock(mutex);
        stats.error = error;
    }

    void finish() {
        video->close();
        std::uint64_t frames = 0;
        std::uint64_t dropped = 0;
        {
            const std::lock_guard lock(mutex);
            frames = stats.frames;
            dropped = stats.dropped;
        }
        sidecar->finish(frames, dropped);
        std::error_code ec;
        const auto size = std::filesystem::file_size(stats.path, ec);
        const std::lock_guard lock(mutex);
        if (!ec) {
            stats.bytes = size;
        }
        stats.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        stats.running = false;
    }

    Pipeline& pipeline;
    std::string stream;
    shm::FrameGeometry geometry;
    double fps = DEFAULT_FPS;
    std::int64_t wall_offset = wall_offset_ns();
    std::shared_ptr<Sidecar> sidecar;
    std::unique_ptr<VideoFile> video;
    const std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point rate_mark = started;
    std::uint64_t frames_at_mark = 0;
    std::atomic<bool> stopping{false};
    mutable std::mutex mutex;
    RecordStats stats;
    std::thread thread;
};

Recorder::Recorder(Pipeline& pipeline, const RecordOptions& options)
    : state_(std::make_unique<State>(pipeline, options)) {}

Recorder::~Recorder() {
    stop();
}

void Recorder::stop() {
    state_->stopping.store(true);
    if (state_->thread.joinable()) {
        state_->thread.join();
        const RecordStats s = stats();
        spdlog::info("recorded {} frames of '{}' to {} ({} dropped, {} results, {:.1f} MB)",
                     s.frames, s.stream, s.path, s.dropped, s.results,
                     static_cast<double>(s.bytes) / 1e6);
    }
}

RecordStats Recorder::stats() const {
    const std::lock_guard lock(state_->mutex);
    RecordStats s = state_->stats;
    s.results = state_->sidecar->results();
    if (s.running) {
        s.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - state_->started)
                .count();
    }
    return s;
}

}  // namespace framebridge::app
