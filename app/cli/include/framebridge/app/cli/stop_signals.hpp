#pragma once
// How framebridge-server learns that it must stop: SIGINT or SIGTERM (Windows: also
// Ctrl+Break), whenever it comes, from the first line of main() on.

#include <boost/asio/io_context.hpp>

#include <memory>

namespace framebridge::app {

/// @brief Catches the stop signals from construction on, so one that comes while the server
/// starts is kept until wait() rather than killing the process (and leaving its segments
/// behind) or being lost. Linux: the signals are blocked in every thread, those started later
/// included, and wait() takes them with sigwait(): with Boost.Asio's signal_set, a signal that
/// came as the pipeline's threads started was seen lost twice on a loaded machine (the server
/// ran on until a second one). Windows: a signal_set.
class StopSignals {
public:
    /// @brief Construct before any thread is started.
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// @brief Runs `io` (timers of the caller's) until a stop signal comes, then stops it and
    /// returns the signal's number.
    int wait(boost::asio::io_context& io);

private:
    int next_signal();

    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace framebridge::app
