#include "controllers/quit_on_signal.hpp"

#include <QWidget>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#include <QSocketNotifier>
#include <csignal>
#endif

namespace framebridge::ui {

#ifdef Q_OS_UNIX
namespace {

int signal_pipe[2] = {-1, -1};  // written by the handler, read on the GUI thread

extern "C" void on_signal(int signal_number) {
    const char byte = static_cast<char>(signal_number);
    // A signal handler may only do async-signal-safe things: write() is one of them.
    [[maybe_unused]] const ssize_t written = ::write(signal_pipe[0], &byte, 1);
}

}  // namespace

void close_on_termination_signals(QWidget& window) {
    if (signal_pipe[0] >= 0 || ::socketpair(AF_UNIX, SOCK_STREAM, 0, signal_pipe) != 0) {
        return;
    }
    auto* notifier = new QSocketNotifier(signal_pipe[1], QSocketNotifier::Read, &window);
    QObject::connect(notifier, &QSocketNotifier::activated, &window, [&window] {
        char byte = 0;
        [[maybe_unused]] const ssize_t got = ::read(signal_pipe[1], &byte, 1);
        window.close();
    });
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}
#else
void close_on_termination_signals(QWidget&) {}
#endif

}  // namespace framebridge::ui
