#include "framebridge/app/pipeline/pipeline.hpp"

#include "capture_stream.hpp"
#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/shm/shared_segment.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <set>
#include <thread>

namespace framebridge::app {

namespace asio = boost::asio;

std::vector<StreamSpec> capture_streams(const PipelineConfig& config) {
    if (config.streams.empty()) {
        return {{config.name, config.source}};
    }
    return config.streams;
}

void validate_stream_names(const std::vector<StreamSpec>& streams) {
    std::set<std::string> seen;
    for (const StreamSpec& spec : streams) {
        shm::validate_segment_name(spec.name);
        if (!seen.insert(spec.name).second) {
            throw std::invalid_argument("stream name '" + spec.name +
                                        "' is given twice: give each stream its own name");
        }
    }
}

namespace {

SessionPolicy policy_of(const PipelineConfig& config) {
    SessionPolicy policy;
    policy.token = config.token;
    policy.default_slots = config.slots;
    return policy;
}

// Every source is opened and every segment made before anything listens: one that fails
// leaves nothing behind, those made before it go with the exception.
std::vector<std::unique_ptr<CaptureStream>> open_streams(const PipelineConfig& config) {
    const std::vector<StreamSpec> specs = capture_streams(config);
    validate_stream_names(specs);
    std::vector<std::unique_ptr<CaptureStream>> streams;
    for (const StreamSpec& spec : specs) {
        streams.push_back(std::make_unique<CaptureStream>(spec, config));
    }
    return streams;
}

}  // namespace

// Declared in the order they must come up; they go down in reverse.
struct Pipeline::Parts {
    explicit Parts(const PipelineConfig& config)
        : captures(open_streams(config)),
          server(io, config.listen_address, config.port, policy_of(config)) {
        for (const auto& capture : captures) {
            capture->serve(server, io);
        }
        if (config.pace == Pace::Clients) {
            server.on_readers_changed([this] {
                for (const auto& capture : captures) {
                    capture->readers_changed();
                }
            });
        }
        server.start();
        io_thread = std::thread([this] { io.run(); });
        for (const auto& capture : captures) {
            capture->start();
        }
    }

    CaptureStream& first() const { return *captures.front(); }

    std::vector<std::unique_ptr<CaptureStream>> captures;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    NotifyServer server;
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
    for (const auto& capture : parts_->captures) {
        capture->stop();
    }
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
    parts_->first().switch_source(next);
}

PipelineStats Pipeline::stats() const {
    PipelineStats stats;
    if (parts_) {
        stats.capture = parts_->first().stats();
        stats.streams = parts_->server.streams();
        stats.clients = parts_->server.client_stats();
        stats.connections = parts_->server.connection_stats();
    }
    return stats;
}

std::vector<StreamInfo> Pipeline::streams() const {
    return parts_ ? parts_->server.streams() : std::vector<StreamInfo>{};
}

std::optional<LocalFrame> Pipeline::lease_newest(std::uint64_t after_seq) {
    return lease_newest("", after_seq);
}

std::optional<LocalFrame> Pipeline::lease_newest(const std::string& stream,
                                                 std::uint64_t after_seq) {
    if (!parts_) {
        return std::nullopt;
    }
    if (stream.empty()) {
        return parts_->first().lease_newest(after_seq);
    }
    for (const auto& capture : parts_->captures) {
        if (capture->name() == stream) {
            return capture->lease_newest(after_seq);
        }
    }
    // A published stream: its ring never changes, and the frame keeps the stream alive.
    std::shared_ptr<ServedStream> published = parts_->server.find_stream(stream);
    if (!published) {
        return std::nullopt;
    }
    const auto lease = published->leases().lease_newest(after_seq, shm::LOCAL_READER);
    if (!lease) {
        return std::nullopt;
    }
    shm::FrameRing& ring = published->ring();
    return LocalFrame(published->leases(), *lease, ring.slot_data(lease->slot),
                      ring.descriptor(lease->slot), published);
}

void Pipeline::on_result(ResultHandler handler) {
    // A stopped pipeline has no server to send it results.
    if (parts_) {
        parts_->server.on_result(std::move(handler));
    }
}

double Pipeline::capture_fps() const {
    return parts_ ? parts_->first().fps() : 0.0;
}

std::uint16_t Pipeline::port() const noexcept {
    return parts_ ? parts_->server.port() : 0;
}

std::string Pipeline::endpoint() const {
    return parts_ ? parts_->server.endpoint() : "(stopped)";
}

std::string Pipeline::segment_name() const {
    return parts_ ? parts_->first().segment_name() : std::string();
}

std::uint64_t Pipeline::segment_size() const {
    return parts_ ? parts_->first().segment_size() : 0;
}

std::string Pipeline::source_description() const {
    return parts_ ? parts_->first().source_description() : std::string();
}

}  // namespace framebridge::app
