#include "framebridge/app/cli/stop_signals.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <csignal>
#include <thread>
#ifdef _WIN32
#include <boost/asio/signal_set.hpp>
#else
#include <pthread.h>
#endif

namespace framebridge::app {

int StopSignals::wait(boost::asio::io_context& io) {
    std::thread caller_io([&io] {
        const auto work = boost::asio::make_work_guard(io);
        io.run();
    });
    const int caught = next_signal();
    io.stop();
    caller_io.join();
    return caught;
}

StopSignals::~StopSignals() = default;

#ifdef _WIN32

struct StopSignals::State {
    boost::asio::io_context io;
    boost::asio::signal_set signals{io, SIGINT, SIGTERM, SIGBREAK};
};

StopSignals::StopSignals() : state_(std::make_unique<State>()) {}

int StopSignals::next_signal() {
    int caught = 0;
    state_->signals.async_wait(
        [&caught](const boost::system::error_code&, int number) { caught = number; });
    state_->io.run();
    return caught;
}

#else

struct StopSignals::State {
    sigset_t signals{};
};

// Left blocked to the end: a second signal while the server stops must not kill it half way.
StopSignals::StopSignals() : state_(std::make_unique<State>()) {
    sigemptyset(&state_->signals);
    sigaddset(&state_->signals, SIGINT);
    sigaddset(&state_->signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &state_->signals, nullptr);
}

int StopSignals::next_signal() {
    int caught = 0;
    while (sigwait(&state_->signals, &caught) != 0) {
    }
    return caught;
}

#endif

}  // namespace framebridge::app
