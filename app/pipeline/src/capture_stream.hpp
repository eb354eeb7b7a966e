#pragma once

#include "framebridge/app/capture/capture_loop.hpp"
#include "framebridge/app/capture/local_frame.hpp"
#include "framebridge/app/pipeline/pipeline.hpp"
#include "framebridge/app/server/notify_server.hpp"
#include "framebridge/app/sources/frame_source.hpp"
#include "framebridge/shm/frame_ring.hpp"
#include "framebridge/shm/lease_table.hpp"

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace framebridge::app {

/// @brief One stream a pipeline captures: its source, the segment sized for it, and the capture
/// thread that fills it. A switch of source makes a new segment generation under the same name.
class CaptureStream {
public:
    /// @brief Opens the source and creates the segment. Throws std::exception naming the stream
    /// when it cannot; nothing is left behind then.
    CaptureStream(const StreamSpec& spec, const PipelineConfig& config);
    ~CaptureStream();
    CaptureStream(const CaptureStream&) = delete;
    CaptureStream& operator=(const CaptureStream&) = delete;

    /// @brief Lists the stream on `server`, whose io thread `io` runs; call once, before start().
    void serve(NotifyServer& server, boost::asio::io_context& io);
    /// @brief Starts capturing; frame numbers start at `first_seq`.
    void start(std::uint64_t first_seq = 1);
    /// @brief Stops capturing; safe to repeat.
    void stop();

    /// @brief See Pipeline::switch_source; `next` keeps this stream's name and slots.
    void switch_source(const PipelineConfig& next);
    std::optional<LocalFrame> lease_newest(std::uint64_t after_seq);
    /// @brief Pace::Clients: a reader was sent a frame, or left. The io thread.
    void readers_changed();

    const std::string& name() const noexcept { return name_; }
    CaptureStats stats() const;
    double fps() const;
    std::string segment_name() const;
    std::uint64_t segment_size() const;
    std::string source_description() const;

private:
    struct Generation;

    void start_capture(std::uint64_t first_seq);
    std::uint64_t stop_capture();
    void on_state(protocol::StreamState state, const std::string& why);
    // Runs `task` on the io thread and waits for it, so that nothing there still uses what the
    // caller is about to change.
    void on_io_thread(const std::function<void()>& task);
    void serve_generation();

    const std::string name_;
    PipelineConfig config_;
    NotifyServer* server_ = nullptr;
    boost::asio::io_context* io_ = nullptr;
    std::shared_ptr<ServedStream> served_;

    mutable std::mutex generation_mutex_;  ///< guards generation_ and capture_ against readers
    std::unique_ptr<Generation> generation_;
    // Also guards the pointer against readers_changed() on the io thread, which must not wait
    // for generation_mutex_: switch_source() holds that while it waits for the io thread.
    std::mutex capture_mutex_;
    std::unique_ptr<CaptureLoop> capture_;
};

}  // namespace framebridge::app
